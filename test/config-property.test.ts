/**
 * The invariant between the validator and the policy pack: every config the validator accepts
 * synthesizes (the provider rules pass) with zero mandatory policy violations, for every stack file.
 * Configs are generated with fast-check at the boundaries of what the schema allows (each numeric
 * key's minimum and maximum, every option of a choice, both booleans, an optional key left out),
 * a few keys at a time over each stack file; what the validator refuses is skipped.
 *
 * CONFIG_PROPERTY_RUNS raises the number of accepted configs per stack (default 10 keeps `npm test`
 * fast; a deeper search: CONFIG_PROPERTY_RUNS=200 npx mocha test/config-property.test.ts).
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { allPolicies } from "../policies/rules";
import { resolveSettings } from "../stacks";
import { isConfigError } from "../stacks/validate";
import { loadStackConfig } from "../tools/harness";
import { fromSynth, runPack } from "../tools/policy-runner";
import { STACKS, synthWith } from "./helpers";
import { configLeaves, Leaf } from "./schema-walk";

const RUNS = Number(process.env.CONFIG_PROPERTY_RUNS ?? 6);
/** Keys a stack may not vary: its profile is tied to its name. */
const FIXED = new Set(["environment"]);

/** One key set to one value (undefined: left out). */
interface Edit {
  path: (string | number)[];
  value: unknown;
}

/** The values at the edges of what a leaf allows. */
function boundaries(leaf: Leaf): unknown[] {
  const values: unknown[] = [];
  if (leaf.kind === "picklist") values.push(...(leaf.options ?? []));
  if (leaf.kind === "boolean") values.push(true, false);
  if (leaf.kind === "number" && leaf.min !== undefined && leaf.max !== undefined) values.push(leaf.min, leaf.max);
  if (leaf.optional && values.length > 0) values.push(undefined);
  return values;
}

/** Concrete paths of a leaf in one stack's config: `services[].cpu` -> `services.0.cpu`, ... */
function expand(leafPath: string, config: Record<string, unknown>): (string | number)[][] {
  let paths: (string | number)[][] = [[]];
  for (const part of leafPath.split(".")) {
    const list = part.endsWith("[]");
    const key = list ? part.slice(0, -2) : part;
    paths = paths.flatMap((p) => {
      const next = [...p, key];
      if (!list) return [next];
      const entries = next.reduce<any>((value, k) => value?.[k], config);
      return Array.isArray(entries) ? entries.map((_, i) => [...next, i]) : [];
    });
  }
  return paths;
}

function apply(config: Record<string, unknown>, edits: Edit[]): Record<string, unknown> {
  const out = structuredClone(config);
  for (const { path, value } of edits) {
    let parent: any = out;
    for (const key of path.slice(0, -1)) {
      parent[key] ??= {};
      parent = parent[key];
    }
    const last = path[path.length - 1];
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  return out;
}

for (const stack of STACKS) {
  describe(`config at the boundaries (${stack})`, function () {
    this.timeout(600_000);
    const { project, config: raw } = loadStackConfig(stack);
    // The stack's platform: values as data (Pulumi hands objects and numbers over as JSON).
    const values: Record<string, unknown> = {};
    for (const [key, text] of Object.entries(raw)) {
      if (!key.startsWith(`${project}:`)) continue;
      try {
        values[key.slice(project.length + 1)] = JSON.parse(text);
      } catch {
        values[key.slice(project.length + 1)] = text;
      }
    }
    const edits: fc.Arbitrary<Edit>[] = configLeaves()
      .filter((leaf) => !FIXED.has(leaf.path))
      .flatMap((leaf) => {
        const options = boundaries(leaf);
        return options.length === 0 ? [] : expand(leaf.path, values).map((path) => fc.constantFrom(...options).map((value) => ({ path, value })));
      });

    it("synthesizes every accepted config with zero mandatory policy violations", async () => {
      expect(edits.length).to.be.greaterThan(50);
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.oneof(...edits), { minLength: 1, maxLength: 4 }), async (chosen) => {
          const edited = apply(values, chosen);
          const config = { ...raw };
          for (const [key, value] of Object.entries(edited)) config[`${project}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
          try {
            resolveSettings({ project, stack, config });
          } catch (err) {
            if (isConfigError(err)) return fc.pre(false);
            throw err;
          }
          accepted++;
          const overrides = Object.fromEntries(Object.keys(edited).map((key) => [`${project}:${key}`, config[`${project}:${key}`]]));
          const result = await synthWith(stack, overrides);
          const mandatory = (await runPack(allPolicies, fromSynth(result, config))).filter((f) => f.level === "mandatory");
          expect(mandatory.map((f) => `${f.policy}: ${f.message}`)).to.deep.equal([]);
        }),
        { numRuns: RUNS, maxSkipsPerRun: 1000, endOnFailure: true },
      );
      expect(accepted).to.be.at.least(RUNS);
    });
  });
}
