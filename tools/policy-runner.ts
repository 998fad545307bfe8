/**
 * Runs CrossGuard policies offline, the way the engine's analyzer does, without a PolicyPack (which
 * would start a gRPC server): it builds ResourceValidationArgs / StackValidationArgs with the SDK's
 * unknown-checking proxy around props, `getConfig`, `stackTags`, `notApplicable`, the provider and
 * property dependencies, and collects violations. Written by hand because @pulumi/policy ships no
 * test runner.
 */
import {
  Policy,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { SynthResult } from "./harness";

const proxy = require("@pulumi/policy/proxy");

/** The SDK's sentinels for values unknown during preview. */
export const UNKNOWN = {
  string: proxy.unknownStringValue as string,
  boolean: proxy.unknownBooleanValue as unknown as boolean,
  number: proxy.unknownNumberValue as unknown as number,
  array: proxy.unknownArrayValue as unknown as unknown[],
  object: proxy.unknownObjectValue as unknown as object,
};

export interface Fixture {
  type: string;
  name?: string;
  props: Record<string, any>;
  /** Provider props, e.g. `{ defaultTags: { tags: {...} } }`. */
  providerProps?: Record<string, any>;
  protect?: boolean;
}

export interface Outcome {
  violations: string[];
  /** Set when the policy declared itself not applicable. */
  notApplicable?: string;
  /** Set when the policy hit an unknown value (the SDK then skips it with an advisory note). */
  unknown?: string;
}

export interface RunOptions {
  /** Policy config, as `pulumi preview --policy-pack-config` would pass it. */
  config?: Record<string, unknown>;
  stackTags?: Record<string, string>;
}

class NotApplicable extends Error {}

/** The policy named `name` in `policies`; throws naming the list's policies when it is absent. */
export function policyNamed(policies: Policy[], name: string): Policy {
  const found = policies.find((p) => p.name === name);
  if (!found) throw new Error(`no policy ${name} (have: ${policies.map((p) => p.name).join(", ")})`);
  return found;
}

function common(options: RunOptions) {
  return {
    getConfig: <T extends object>() => (options.config ?? {}) as T,
    stackTags: new Map(Object.entries(options.stackTags ?? {})) as ReadonlyMap<string, string>,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason ?? "not applicable");
    },
  };
}

/** A violation as the CLI shows it: the message, then the policy's remediation steps. */
function withFix(policy: Policy, message: string): string {
  return policy.remediationSteps ? `${message}. Fix: ${policy.remediationSteps}` : message;
}

/** Records why a policy skipped (an unknown value, notApplicable) as the SDK does; anything else is a bug, rethrown. */
function skipped(outcome: Outcome, err: unknown): Outcome {
  if (err instanceof proxy.UnknownValueError) outcome.unknown = (err as Error).message;
  else if (err instanceof NotApplicable) outcome.notApplicable = err.message;
  else throw err;
  return outcome;
}

async function collect(policy: Policy, run: (report: ReportViolation) => unknown): Promise<Outcome> {
  const outcome: Outcome = { violations: [] };
  try {
    await run((message: string) => outcome.violations.push(withFix(policy, message)));
  } catch (err) {
    return skipped(outcome, err);
  }
  return outcome;
}

function providerOf(type: string, props: Record<string, any> | undefined) {
  if (!props) return undefined;
  const pkg = type.split(":")[0];
  return { type: `pulumi:providers:${pkg}`, name: "default", urn: `urn:pulumi:test::test::pulumi:providers:${pkg}::default`, props };
}

/** What the analyzer hands every resource policy for one resource. */
function resourceArgs(fixture: Fixture, shared: ReturnType<typeof common>): ResourceValidationArgs {
  const name = fixture.name ?? "subject";
  return {
    type: fixture.type,
    props: proxy.unknownCheckingProxy(fixture.props),
    urn: `urn:pulumi:test::test::${fixture.type}::${name}`,
    name,
    opts: {
      protect: fixture.protect ?? false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    provider: providerOf(fixture.type, fixture.providerProps),
    isType: () => false,
    asType: () => undefined,
    ...shared,
  } as ResourceValidationArgs;
}

/**
 * One resource policy on one resource, as the analyzer runs it. Synchronous unless a validator
 * returns a promise: a stack has ~20,000 policy-resource pairs, and an async frame for each cost
 * the plan about 12 ms.
 */
function validateResource(policy: Policy, args: ResourceValidationArgs): Outcome | Promise<Outcome> {
  const validators = [(policy as ResourceValidationPolicy).validateResource ?? []].flat();
  const outcome: Outcome = { violations: [] };
  const report = (message: string) => outcome.violations.push(withFix(policy, message));
  for (const [i, validate] of validators.entries()) {
    let pending: unknown;
    try {
      pending = validate(args, report);
    } catch (err) {
      return skipped(outcome, err);
    }
    if (pending instanceof Promise)
      return (async () => {
        try {
          await pending;
          for (const rest of validators.slice(i + 1)) await rest(args, report);
        } catch (err) {
          return skipped(outcome, err);
        }
        return outcome;
      })();
  }
  return outcome;
}

/** Runs one resource policy against one resource. */
export async function runResource(policy: Policy, fixture: Fixture, options: RunOptions = {}): Promise<Outcome> {
  return validateResource(policy, resourceArgs(fixture, common(options)));
}

/** Runs one stack policy against a set of resources. */
export function runStack(policy: Policy, resources: PolicyResource[], options: RunOptions = {}): Promise<Outcome> {
  const p = policy as StackValidationPolicy;
  const args = { resources, ...common(options) } as StackValidationArgs;
  return collect(policy, (report) => p.validateStack(args, report));
}

/** Builds PolicyResources (with linked property dependencies) from plain fixtures. */
export function stackOf(fixtures: (Fixture & { dependsOn?: Record<string, string[]> })[]): PolicyResource[] {
  const byName = new Map<string, PolicyResource>();
  const resources = fixtures.map((f) => {
    const name = f.name ?? f.type;
    const resource: PolicyResource = {
      type: f.type,
      name,
      urn: `urn:pulumi:test::test::${f.type}::${name}`,
      props: proxy.unknownCheckingProxy(f.props),
      opts: {
        protect: f.protect ?? false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
      },
      provider: providerOf(f.type, f.providerProps),
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    } as unknown as PolicyResource;
    byName.set(name, resource);
    return resource;
  });
  fixtures.forEach((f, i) => {
    for (const [prop, names] of Object.entries(f.dependsOn ?? {})) {
      const deps = names.map((n) => {
        const dep = byName.get(n);
        if (!dep) throw new Error(`fixture ${f.name} depends on unknown fixture ${n}`);
        return dep;
      });
      resources[i].propertyDependencies[prop] = deps;
      resources[i].dependencies.push(...deps);
    }
  });
  return resources;
}

/**
 * The synthesized stack as the analyzer sees it: custom resources (and the remote awsx VPC) with
 * their inputs, their provider's props (the default provider carries the stack's `aws:defaultTags`),
 * and property dependencies linked to each other.
 */
export function fromSynth(result: SynthResult, stackConfig: Record<string, string>): (Fixture & { name: string; dependsOn: Record<string, string[]> })[] {
  const defaultProvider = { region: stackConfig["aws:region"], defaultTags: stackConfig["aws:defaultTags"] };
  const providers = new Map(result.resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [r.name, r.inputs]));
  return result.resources
    .filter((r) => (r.custom || r.type.startsWith("awsx:")) && !r.type.startsWith("pulumi:providers:"))
    .map((r) => ({
      type: r.type,
      name: `${r.type}::${r.name}`,
      props: r.inputs,
      providerProps: r.type.startsWith("aws:") ? (r.provider && providers.get(r.provider)) || defaultProvider : undefined,
      protect: r.protect,
      dependsOn: r.propertyDependencies,
    }));
}

export interface Finding {
  policy: string;
  level: string;
  resource?: string;
  message: string;
}

/**
 * A `--policy-pack-config` file: per policy, its settings and optionally an `enforcementLevel`
 * (`advisory`, `mandatory`, `remediate` or `disabled`) that overrides the policy's own.
 */
export type PackConfigFile = Record<string, Record<string, unknown>>;

/** Runs every policy of a pack over a stack; returns every violation with its enforcement level. */
export async function runPack(
  policies: Policy[],
  fixtures: (Fixture & { name: string; dependsOn?: Record<string, string[]> })[],
  options: Omit<RunOptions, "config"> & { packConfig?: PackConfigFile } = {},
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const resources = stackOf(fixtures);
  // Like the analyzer, one set of arguments per resource, shared by every policy, and each policy
  // sees only its own block of the pack config (without the enforcement level, which the engine reads).
  let block: Record<string, unknown> = {};
  const shared = { ...common({ stackTags: options.stackTags }), getConfig: <T extends object>() => block as T };
  const args = fixtures.map((fixture) => resourceArgs(fixture, shared));
  for (const policy of policies) {
    const { enforcementLevel: override, ...settings } = options.packConfig?.[policy.name] ?? {};
    const level = (override as string | undefined) ?? policy.enforcementLevel ?? "advisory";
    if (level === "disabled") continue;
    block = settings;
    if ("validateResource" in policy) {
      for (const [i, fixture] of fixtures.entries()) {
        const result = validateResource(policy, args[i]);
        const outcome = result instanceof Promise ? await result : result;
        for (const message of outcome.violations) findings.push({ policy: policy.name, level, resource: fixture.name, message });
      }
    } else {
      const outcome = await runStack(policy, resources, { stackTags: options.stackTags, config: settings });
      for (const message of outcome.violations) findings.push({ policy: policy.name, level, message });
    }
  }
  return findings;
}
