/**
 * The README's configuration reference, checked against the config schema (`CONFIG_SCHEMA`) and the
 * profile defaults: every key the schema has is documented and every documented key exists; a
 * choice lists its options, a number its range; the dev and prod default columns hold the profiles'
 * values. A schema change that the README does not follow fails here.
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { CONFIG_SCHEMA } from "../stacks";
import { AUTH_DEFAULTS } from "../stacks/sections/auth";
import { CACHE_DEFAULTS } from "../stacks/sections/cache";
import { COMPUTE_DEFAULTS } from "../stacks/sections/compute";
import { QUEUE_DEFAULTS } from "../stacks/sections/data";
import { DATABASE_DEFAULTS } from "../stacks/sections/database";
import { DELIVERY_DEFAULTS } from "../stacks/sections/delivery";
import { EDGE_DEFAULTS } from "../stacks/sections/edge";
import { FILE_SYSTEM_DEFAULTS } from "../stacks/sections/file-system";
import { FUNCTION_DEFAULTS } from "../stacks/sections/functions";
import { NETWORK_DEFAULTS } from "../stacks/sections/network";
import { OBSERVABILITY_DEFAULTS } from "../stacks/sections/observability";
import { SERVICE_DEFAULTS } from "../stacks/sections/services";
import { STACK_DEFAULTS } from "../stacks/sections/stack";
import { PROJECT_DIR } from "../tools/harness";
import { configLeaves, Leaf } from "./schema-walk";

interface Row {
  /** Full paths under `platform:` the row documents (`<name>` for any key of a map). */
  keys: string[];
  cells: string[];
  line: number;
}

const TOP = new Set(Object.keys(CONFIG_SCHEMA));
const topOf = (key: string) => key.split(/[.[]/)[0];

/** Rows of the reference tables, with each first-cell key resolved to its full path. */
function referenceRows(): Row[] {
  const lines = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8").split("\n");
  const start = lines.indexOf("## Configuration reference");
  const end = lines.findIndex((l, i) => i > start && l.startsWith("## "));
  const rows: Row[] = [];
  let heading: string[] = [];
  let inTable = false;
  for (let i = start; i < (end === -1 ? lines.length : end); i++) {
    const line = lines[i];
    if (line.startsWith("### ")) heading = [...line.matchAll(/`platform:([^`]+)`/g)].map((m) => m[1]);
    // Only the key tables (header `| Key | Type | Dev default | Prod default | Allowed ...`).
    if (line.startsWith("| Key |")) inTable = true;
    else if (!line.startsWith("|")) inTable = false;
    if (!inTable || !line.startsWith("| `")) continue;
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    const keys: string[] = [];
    for (const [, raw] of cells[0].matchAll(/`([^`]+)`/g)) {
      if (raw.startsWith("aws:")) continue;
      const token = raw.replace(/^platform:/, "");
      const previous = keys[keys.length - 1];
      const absolute = heading.length === 0 || (/[.[]/.test(token) && TOP.has(topOf(token)));
      if (token.startsWith(".")) keys.push(previous.replace(/\.[^.]+$/, token));
      else if (absolute) keys.push(token);
      else if (previous) keys.push(previous.replace(/[^.]+$/, token));
      else keys.push(`${heading[0]}.${token}`);
    }
    if (keys.length > 0) rows.push({ keys, cells, line: i + 1 });
  }
  return rows;
}

/** Does a documented key cover this leaf? Exact, a parent object, or `<name>` standing for any key. */
function covers(key: string, leaf: Leaf): boolean {
  if (key === leaf.path || leaf.path.startsWith(`${key}.`)) return true;
  if (key.endsWith(".<name>")) {
    const base = key.slice(0, -".<name>".length);
    return leaf.path === base || leaf.path.startsWith(`${base}.`);
  }
  return false;
}

/** A section's profile defaults, by the config key under `platform:`. */
const DEFAULTS: Record<string, Record<string, unknown>> = {
  network: NETWORK_DEFAULTS,
  compute: COMPUTE_DEFAULTS,
  database: DATABASE_DEFAULTS,
  cache: CACHE_DEFAULTS,
  edge: EDGE_DEFAULTS,
  observability: OBSERVABILITY_DEFAULTS,
  auth: AUTH_DEFAULTS,
  fileSystem: FILE_SYSTEM_DEFAULTS,
  delivery: DELIVERY_DEFAULTS,
  "queues[]": QUEUE_DEFAULTS,
  "functions[]": FUNCTION_DEFAULTS,
  "services[]": SERVICE_DEFAULTS,
};

/** The profile default of a leaf in `env`, or undefined when it has none (required, derived). */
function profileDefault(leafPath: string, env: "dev" | "prod"): unknown {
  if (TOP.has(leafPath)) return (STACK_DEFAULTS[env] as Record<string, unknown>)[leafPath];
  const section = Object.keys(DEFAULTS).find((s) => leafPath.startsWith(`${s}.`));
  if (!section) return undefined;
  return leafPath
    .slice(section.length + 1)
    .split(".")
    .reduce<any>((value, key) => value?.[key], (DEFAULTS[section] as any)[env]);
}

/** The first literal of a default cell (`14`, `"16.6"`, `[]`, `true`), or undefined for prose ("required", "same"). */
function literal(cell: string): unknown {
  const match = /^`([^`]*)`/.exec(cell);
  if (!match) return undefined;
  const text = match[1].replace(/^"(.*)"$/, "$1");
  if (text === "[]") return [];
  if (text === "true" || text === "false") return text === "true";
  return /^-?\d+(\.\d+)?$/.test(text) && !/^"/.test(match[1]) ? Number(text) : text;
}

describe("README configuration reference", () => {
  const rows = referenceRows();
  const leaves = configLeaves();

  it("documents every key of the schema", () => {
    expect(rows.length).to.be.greaterThan(60);
    const missing = leaves.filter((leaf) => !rows.some((r) => r.keys.some((k) => covers(k, leaf)))).map((l) => l.path);
    expect(missing, "keys with no row in the README").to.deep.equal([]);
  });

  it("documents no key the schema does not have", () => {
    const stale = rows.flatMap((r) => r.keys.filter((k) => !leaves.some((leaf) => covers(k, leaf))).map((k) => `README line ${r.line}: ${k}`));
    expect(stale).to.deep.equal([]);
  });

  it("lists every option of a choice and both ends of a range", () => {
    const wrong: string[] = [];
    for (const row of rows) {
      if (row.keys.length !== 1) continue;
      const leaf = leaves.find((l) => l.path === row.keys[0]);
      const allowed = row.cells[4].replace(/(\d),(\d)/g, "$1$2");
      if (!leaf) continue;
      if (leaf.kind === "picklist")
        for (const option of leaf.options ?? []) if (!allowed.includes(String(option))) wrong.push(`${leaf.path}: option ${option} not listed`);
      if (leaf.kind === "number")
        for (const bound of [leaf.min, leaf.max])
          if (bound !== undefined && !new RegExp(`(^|[^\\d.])${String(bound).replace(".", "\\.")}([^\\d.]|$)`).test(allowed))
            wrong.push(`${leaf.path}: bound ${bound} not stated`);
    }
    expect(wrong).to.deep.equal([]);
  });

  it("gives the dev and prod profile defaults", () => {
    const wrong: string[] = [];
    for (const row of rows) {
      if (row.keys.length !== 1) continue;
      const [dev, prodCell] = [row.cells[2], row.cells[3]];
      const prod = prodCell === "same" ? dev : prodCell;
      for (const [env, cell] of [
        ["dev", dev],
        ["prod", prod],
      ] as const) {
        const documented = literal(cell);
        const actual = profileDefault(row.keys[0], env);
        if (documented === undefined || actual === undefined) continue;
        if (JSON.stringify(documented) !== JSON.stringify(actual))
          wrong.push(`${row.keys[0]} (${env}): README says ${JSON.stringify(documented)}, profile ${JSON.stringify(actual)}`);
      }
    }
    expect(wrong).to.deep.equal([]);
  });
});
