/**
 * What the AWS provider and the AWS APIs reject, as rules the mock harness runs on every
 * synthesis. Pulumi's mocks accept any value, so without these a program can pass every test and
 * still fail its first `pulumi up`. Two kinds:
 * - a `ResourceRule` looks at one resource's inputs, the way a Create* API validates its request
 *   (lengths, patterns, allowed values, combinations);
 * - a `StackRule` looks at several resources: cross-resource rules (a CloudFront certificate
 *   must live in us-east-1) and ordering rules (a resource that hands a role to a service must
 *   wait for the role's policies), which need the dependencies the engine records.
 * Every rule names its source (AWS API reference, user guide or provider source) and carries a
 * passing and a failing example, which `test/provider-rules.test.ts` runs. Violations are
 * collected over the whole synthesis and thrown together as one `DeployRuleError`, so a broken
 * rule fails every test of that stack at once instead of only the test someone wrote for it.
 *
 * Written by hand: no library encodes the provider's create-time behaviour for offline use.
 */
import type { SynthResource } from "../harness";

/** What a resource rule sees: one resource as the engine would send it to the provider. */
export interface RuleSubject {
  type: string;
  /** Logical name. */
  name: string;
  /** Resolved inputs, secrets unwrapped. */
  inputs: Record<string, any>;
  /** Region the resource is created in. */
  region: string;
}

export interface ResourceRule {
  /** Short, unique id, e.g. `lb-name`. */
  id: string;
  /** Type tokens the rule applies to. */
  types: readonly string[];
  /** Where the rule comes from: an AWS API reference or guide URL, or a provider source file. */
  source: string;
  /** The problem in one line (naming the input and the value), or undefined when the resource passes. */
  check(subject: RuleSubject, today?: Date): string | undefined;
  /** Inputs that pass and inputs that fail, for the rule's test pair. */
  examples: { ok: Partial<RuleSubject> & { inputs: Record<string, any> }; bad: Partial<RuleSubject> & { inputs: Record<string, any> } };
}

/** One problem a stack rule found. */
export interface Finding {
  /** `type::name` of the resource at fault. */
  resource: string;
  message: string;
}

/** The synthesized stack as stack rules see it: resources plus lookups over them. */
export interface StackView {
  resources: SynthResource[];
  /** The resource with this `type::name` key. */
  byKey(key: string): SynthResource | undefined;
  /** Resources of a type. */
  ofType(type: string): SynthResource[];
  /** The custom resource whose id (`field` `id`) or computed or given `field` (default `arn`) equals `value`. */
  byOutput(value: unknown, field?: string): SynthResource | undefined;
  /** Whether `from` depends on `to`, directly or through other resources (dependsOn and inputs). */
  dependsOn(from: SynthResource, to: SynthResource): boolean;
  /** The resource of `type` an input refers to, by ARN, id, name or (buckets) bucket name. */
  lookup(type: string, ref: unknown): SynthResource | undefined;
}

export interface StackRule {
  id: string;
  /** Types whose resources it looks at (for the review document). */
  types: readonly string[];
  source: string;
  /** What the rule guarantees, in one sentence (shown in docs/deploy-review.md). */
  description: string;
  check(stack: StackView): Finding[];
  /** A passing and a failing set of resources, for the rule's test pair. */
  examples: { ok: SynthResource[]; bad: SynthResource[] };
}

/** One violated rule, for one resource. */
export interface Violation {
  rule: string;
  resource: string;
  message: string;
  source: string;
}

/** Thrown by the harness when a synthesized stack breaks a rule: one line per violation. */
export class DeployRuleError extends Error {
  constructor(
    public readonly stackName: string,
    public readonly violations: Violation[],
  ) {
    super(
      `stack "${stackName}" would fail to deploy (${violations.length} problem${violations.length === 1 ? "" : "s"}):\n` +
        violations.map((v) => `  - ${v.resource}: ${v.message} [${v.rule}]`).join("\n"),
    );
    this.name = "DeployRuleError";
  }
}

export function isDeployRuleError(err: unknown): err is DeployRuleError {
  return err instanceof Error && err.name === "DeployRuleError" && Array.isArray((err as DeployRuleError).violations);
}

/** Indexes resource rules by type once, so checking a resource costs a map lookup. */
export function resourceChecker(rules: readonly ResourceRule[]): (subject: RuleSubject) => Violation[] {
  const byType = new Map<string, ResourceRule[]>();
  for (const rule of rules) for (const type of rule.types) byType.set(type, [...(byType.get(type) ?? []), rule]);
  return (subject) => {
    const violations: Violation[] = [];
    for (const rule of byType.get(subject.type) ?? []) {
      const message = rule.check(subject);
      if (message) violations.push({ rule: rule.id, resource: `${subject.type}::${subject.name}`, message, source: rule.source });
    }
    return violations;
  };
}

/** Builds the lookups stack rules use over a list of synthesized resources. */
export function stackView(resources: SynthResource[]): StackView {
  const byKey = new Map(resources.map((r) => [`${r.type}::${r.name}`, r]));
  const outputs = new Map<string, SynthResource>();
  const closure = new Map<string, Set<string>>();
  const reach = (key: string): Set<string> => {
    const known = closure.get(key);
    if (known) return known;
    const seen = new Set<string>();
    closure.set(key, seen);
    const resource = byKey.get(key);
    for (const dep of resource ? directDependencies(resource) : []) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      for (const further of reach(dep)) seen.add(further);
    }
    return seen;
  };
  return {
    resources,
    byKey: (key) => byKey.get(key),
    ofType: (type) => resources.filter((r) => r.type === type),
    byOutput: (value, field = "arn") => {
      if (typeof value !== "string" || value === "") return undefined;
      const cacheKey = `${field}\u0000${value}`;
      if (!outputs.has(cacheKey)) {
        const found = resources.find((r) => r.custom && (field === "id" ? r.id === value : r.state[field] === value));
        if (found) outputs.set(cacheKey, found);
      }
      return outputs.get(cacheKey);
    },
    dependsOn: (from, to) => reach(`${from.type}::${from.name}`).has(`${to.type}::${to.name}`),
    lookup: (type, ref) =>
      ref === undefined || ref === null || ref === ""
        ? undefined
        : resources.find((r) => r.type === type && r.custom && (r.id === ref || r.state.arn === ref || r.state.name === ref || r.state.bucket === ref)),
  };
}

/** Everything a resource waits for: its explicit dependencies and the resources its inputs came from. */
function directDependencies(resource: SynthResource): string[] {
  return [...resource.dependencies, ...Object.values(resource.propertyDependencies).flat()];
}

/** Runs every stack rule and returns what they found. */
export function checkStackRules(rules: readonly StackRule[], resources: SynthResource[]): Violation[] {
  const view = stackView(resources);
  return rules.flatMap((rule) => rule.check(view).map((f) => ({ rule: rule.id, resource: f.resource, message: f.message, source: rule.source })));
}

/** A synthesized resource for rule examples and tests: `state` defaults to the inputs. */
export function exampleResource(
  type: string,
  name: string,
  inputs: Record<string, any>,
  extra: { state?: Record<string, any>; dependencies?: string[]; region?: string; id?: string } = {},
): SynthResource {
  return {
    type,
    name,
    custom: true,
    id: extra.id ?? `${name}-id`,
    protect: false,
    retainOnDelete: false,
    aliasParents: [],
    region: extra.region ?? "eu-west-1",
    ignoreChanges: [],
    propertyDependencies: {},
    dependencies: extra.dependencies ?? [],
    inputs,
    secretInputs: [],
    state: { ...inputs, ...extra.state },
  };
}
