/**
 * Shared machinery for every rule: one shape per rule (name, description, severity, enforcement,
 * remediation hint, the check itself), the pack's tunables with defaults that our own stacks pass,
 * and helpers for tags, IAM documents and prod detection. Checks return what they found; the
 * wrapper reports each finding as the violation's message, and the remediation as the policy's
 * `remediationSteps` (the offline runner prints them together as "<finding>. Fix: <remediation>").
 *
 * Unknown values during preview: props are wrapped by the SDK's unknown-checking proxy, so reading
 * an unknown throws and the SDK skips the rule for that resource with an advisory note instead of
 * reporting a violation. Rules therefore read plain props and never treat "missing" as "unknown".
 */
import {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

/** Pack-wide tunables; every rule accepts them in its policy config. */
export interface PackConfig {
  /** Tags every taggable resource must carry (resource tags or the provider's default tags). */
  requiredTags: string[];
  /** Actions allowed on Resource "*" because AWS offers no resource-level permissions for them. */
  wildcardResourceActions: string[];
  /** Other accounts a resource policy may name (a log-archive or security account); none by default. */
  trustedAccounts: string[];
  /** Service principals documented to send neither aws:SourceArn nor aws:SourceAccount on their requests to a resource. */
  servicesWithoutSourceKeys: string[];
  /** The same, for their KMS requests under a key policy. */
  keyPolicyServicesWithoutSourceKeys: string[];
  /**
   * Service principals documented to send aws:SourceAccount/aws:SourceArn when they assume a role;
   * only their trust statements must carry one (requiring it of another service locks it out).
   */
  confusedDeputyServices: string[];
  /** Minimum backup retention in days outside prod. */
  minBackupDays: number;
  /** Minimum backup retention in days in prod. */
  prodMinBackupDays: number;
  /** Ports that may be open to 0.0.0.0/0 or ::/0 (none by default: the ALB admits CloudFront only). */
  worldIngressPorts: number[];
  /** Minimum log group retention in days outside prod (a log group always expires its events). */
  minLogRetentionDays: number;
  /** Minimum log group retention in days in prod. */
  prodMinLogRetentionDays: number;
  /** AWS managed rule groups every web ACL runs in blocking mode (Log4j and other known-bad inputs among them). */
  requiredManagedRuleGroups: string[];
  /** Values of the `Environment` tag or `environment` stack tag that make a stack prod. */
  prodEnvironments: string[];
}

export const DEFAULT_CONFIG: PackConfig = {
  requiredTags: ["Project", "Environment", "Owner", "ManagedBy"],
  wildcardResourceActions: [
    "ecr:GetAuthorizationToken",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:GetSamplingStatisticSummaries",
    "ecs:DescribeTaskDefinition",
    "ecs:ListTasks",
    // CloudWatch Synthetics canaries (AWS's documented canary role); the metric one is held to its namespace by a condition.
    "s3:ListAllMyBuckets",
    "cloudwatch:PutMetricData",
    // Amazon Managed Grafana's data-source reads (platform:prometheus.grafana).
    "aps:ListWorkspaces",
    "cloudwatch:GetMetricData",
    "cloudwatch:ListMetrics",
  ],
  confusedDeputyServices: [
    "ecs-tasks.amazonaws.com",
    "codebuild.amazonaws.com",
    "codepipeline.amazonaws.com",
    "vpc-flow-logs.amazonaws.com",
    "events.amazonaws.com",
    "scheduler.amazonaws.com",
  ],
  trustedAccounts: [],
  servicesWithoutSourceKeys: [],
  // EventBridge's and SES's KMS requests for an encrypted SNS topic carry neither key (SNS developer
  // guide, "Compatibility between event sources from AWS services and encrypted topics", shows these
  // statements unconditioned); their publish to the topic itself is conditioned in the topic policy.
  keyPolicyServicesWithoutSourceKeys: ["events.amazonaws.com", "ses.amazonaws.com"],
  minBackupDays: 1,
  prodMinBackupDays: 35,
  worldIngressPorts: [],
  minLogRetentionDays: 1,
  // A year: Checkov's CKV_AWS_338, and what incident reviews and audits ask of prod.
  prodMinLogRetentionDays: 365,
  // The core rule set (OWASP-style inputs) and known bad inputs (Log4j's JNDI lookups among them).
  requiredManagedRuleGroups: ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"],
  prodEnvironments: ["prod", "production"],
};

const CONFIG_SCHEMA: PolicyConfigSchema = {
  properties: {
    requiredTags: { type: "array", items: { type: "string" }, default: DEFAULT_CONFIG.requiredTags },
    wildcardResourceActions: { type: "array", items: { type: "string" }, default: DEFAULT_CONFIG.wildcardResourceActions },
    confusedDeputyServices: { type: "array", items: { type: "string" }, default: DEFAULT_CONFIG.confusedDeputyServices },
    trustedAccounts: { type: "array", items: { type: "string", pattern: "^\\d{12}$" }, default: DEFAULT_CONFIG.trustedAccounts },
    servicesWithoutSourceKeys: { type: "array", items: { type: "string" }, default: DEFAULT_CONFIG.servicesWithoutSourceKeys },
    keyPolicyServicesWithoutSourceKeys: { type: "array", items: { type: "string" }, default: DEFAULT_CONFIG.keyPolicyServicesWithoutSourceKeys },
    minBackupDays: { type: "integer", minimum: 1, maximum: 35, default: DEFAULT_CONFIG.minBackupDays },
    prodMinBackupDays: { type: "integer", minimum: 1, maximum: 35, default: DEFAULT_CONFIG.prodMinBackupDays },
    worldIngressPorts: { type: "array", items: { type: "integer" }, default: DEFAULT_CONFIG.worldIngressPorts },
    minLogRetentionDays: { type: "integer", minimum: 1, maximum: 3653, default: DEFAULT_CONFIG.minLogRetentionDays },
    prodMinLogRetentionDays: { type: "integer", minimum: 1, maximum: 3653, default: DEFAULT_CONFIG.prodMinLogRetentionDays },
    requiredManagedRuleGroups: { type: "array", items: { type: "string" }, default: DEFAULT_CONFIG.requiredManagedRuleGroups },
    prodEnvironments: { type: "array", items: { type: "string" }, default: DEFAULT_CONFIG.prodEnvironments },
  },
};

export type Concern = "encryption" | "network" | "iam" | "reliability" | "tagging";

/**
 * Tags a standby region (the DR region of another stack) puts on the resources it sizes: while the
 * standby is idle `PilotLight: "true"` exempts them from the capacity rules (its switch gives them
 * prod's shape), and `Standby: <primary>` on its data stores says their data is the primary's
 * (a global-database secondary, or empty until a failover restores the primary's backups).
 */
export const PILOT_LIGHT_TAG = "PilotLight";
export const STANDBY_TAG = "Standby";
export const isPilotLight = (tags: Record<string, string> | undefined): boolean => tags?.[PILOT_LIGHT_TAG] === "true";

/** What a check sees besides the props. */
export interface Context {
  type: string;
  name: string;
  config: PackConfig;
  /** The stack is prod (Environment tag from the resource or its provider, or the stack tag). */
  prod: boolean;
  /** Effective tags: the provider's default tags overlaid with the resource's own. */
  tags: Record<string, string>;
  /** Pulumi's `protect` option on the resource. */
  protect: boolean;
}

interface RuleBase {
  /** Unique, kebab-case. */
  name: string;
  concern: Concern;
  description: string;
  severity: Severity;
  /** `mandatory` for security; `advisory` where a team may choose. */
  enforcementLevel: EnforcementLevel;
  /** How to fix a violation; appended to every message. */
  remediation: string;
  /** Applies to prod stacks only (reliability rules). */
  prodOnly?: boolean;
  /**
   * The platform stack config key that sets what the rule checks, when one does; the fix text
   * names it, so an operator edits config rather than looking for the resource property.
   */
  configKey?: string;
}

export interface ResourceRule extends RuleBase {
  /** Pulumi type tokens the rule applies to. */
  types: string[];
  /** Findings, each saying what was found; empty when compliant. */
  check(props: any, ctx: Context): string[];
}

export interface StackRule extends RuleBase {
  /** Findings across resources; empty when compliant. */
  check(resources: PolicyResource[], ctx: Omit<Context, "type" | "name" | "tags" | "protect">): string[];
}

/** A rule's metadata, for docs and tests. */
export type RuleInfo = Pick<RuleBase, "name" | "concern" | "description" | "severity" | "enforcementLevel" | "prodOnly" | "configKey">;
export const RULES: RuleInfo[] = [];

function packConfig(getConfig: () => object): PackConfig {
  return { ...DEFAULT_CONFIG, ...(getConfig() as Partial<PackConfig>) };
}

/** Provider default tags overlaid with the resource's own `tags` (and `tagsAll` when known). */
export function effectiveTags(props: any, providerProps?: any): Record<string, string> {
  const defaults = parseJson(providerProps?.defaultTags)?.tags ?? {};
  return { ...defaults, ...(props?.tagsAll ?? {}), ...(props?.tags ?? {}) };
}

/** A JSON document given as text (as IAM and provider inputs often are), or the value itself. */
export function parseJson(value: unknown): any {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function isProdFrom(tags: Record<string, string>, stackTags: ReadonlyMap<string, string> | undefined, config: PackConfig): boolean {
  const env = stackTags?.get("environment") ?? tags.Environment;
  return env !== undefined && config.prodEnvironments.includes(env.toLowerCase());
}

/** A violation says what was found; how to fix it travels in the policy's `remediationSteps`. */
function message(_rule: RuleBase, finding: string): string {
  return finding;
}

/** How to fix a violation of `rule`, naming the config key when this platform's config sets the property. */
export function remediationOf(rule: Pick<RuleBase, "remediation" | "configKey">): string {
  return `${rule.remediation}${rule.configKey ? ` (in this platform's stack config: ${rule.configKey})` : ""}`;
}

/**
 * What every policy built from a rule carries, including the SDK's `remediationSteps`, which the
 * Pulumi CLI shows beside each violation; also records the rule for docs and tests. No `url`: the
 * rules are documented in the repository's README, which has no stable public address.
 */
function policyBase(rule: RuleBase) {
  RULES.push(rule);
  return {
    name: rule.name,
    description: rule.description,
    severity: rule.severity,
    enforcementLevel: rule.enforcementLevel,
    remediationSteps: remediationOf(rule),
    configSchema: CONFIG_SCHEMA,
  };
}

/** Builds a resource policy from a rule. */
/** The resource types each resource rule looks at (for the coverage table; the SDK needs none of it). */
const RULE_TYPES = new WeakMap<object, readonly string[]>();

/** The types a pack rule looks at: its own list for a resource rule, none for a stack rule. */
export function typesOf(policy: object): readonly string[] {
  return RULE_TYPES.get(policy) ?? [];
}

export function resourceRule(rule: ResourceRule): ResourceValidationPolicy {
  const policy: ResourceValidationPolicy = {
    ...policyBase(rule),
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      if (!rule.types.includes(args.type)) return;
      const config = packConfig(args.getConfig);
      const tags = effectiveTags(args.props, args.provider?.props);
      const prod = isProdFrom(tags, args.stackTags, config);
      if (rule.prodOnly && !prod) return;
      for (const finding of rule.check(args.props, { type: args.type, name: args.name, config, prod, tags, protect: args.opts?.protect === true }))
        report(message(rule, `${args.type} "${args.name}": ${finding}`));
    },
  };
  RULE_TYPES.set(policy, rule.types);
  return policy;
}

/** Builds a stack policy from a rule. */
export function stackRule(rule: StackRule): StackValidationPolicy {
  return {
    ...policyBase(rule),
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const config = packConfig(args.getConfig);
      const prod =
        isProdFrom({}, args.stackTags, config) || args.resources.some((r) => isProdFrom(effectiveTags(r.props, r.provider?.props), undefined, config));
      if (rule.prodOnly && !prod) return;
      for (const finding of rule.check(args.resources, { config, prod })) report(message(rule, finding));
    },
  };
}

export function asArray<T>(value: T | T[] | undefined | null): T[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

export interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: any;
  NotPrincipal?: any;
  Action: string[];
  NotAction: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of an IAM or resource policy document given as JSON text or an object. */
export function statementsOf(document: unknown): Statement[] {
  const doc = parseJson(document);
  if (!doc || typeof doc !== "object") return [];
  return asArray<any>(doc.Statement).map((s) => ({
    ...s,
    Action: asArray<string>(s.Action),
    NotAction: asArray<string>(s.NotAction),
    Resource: asArray<string>(s.Resource),
  }));
}

/** An S3 bucket under either token (`aws.s3.BucketV2` is the older name of the same resource). */
export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
/** A VPC: the resource itself, or awsx's component (a remote component, whose children the mocks do not build). */
export const VPC_TYPES = ["aws:ec2/vpc:Vpc", "awsx:ec2:Vpc"];

/** Resources of one of `types`. */
export function ofTypes(resources: PolicyResource[], ...types: string[]): PolicyResource[] {
  return resources.filter((r) => types.includes(r.type));
}

/** The resources an input was computed from (the engine's property dependencies). */
export function dependsOn(resource: PolicyResource, property: string): PolicyResource[] {
  return resource.propertyDependencies?.[property] ?? [];
}

/** Of `candidates`, those whose `property` was computed from `parent` (its child settings, e.g. a bucket's public access block). */
export function attachedTo(candidates: PolicyResource[], property: string, parent: PolicyResource): PolicyResource[] {
  return candidates.filter((c) => dependsOn(c, property).some((dep) => dep.urn === parent.urn));
}

/** `type "name"`, for messages. */
export function describe(resource: PolicyResource): string {
  return `${resource.type} "${resource.name}"`;
}

/** An input that was given a value (missing, null and "" are not set). */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}
