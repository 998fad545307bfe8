/**
 * Stack config -> settings. Reads one stack's raw config, validates each section against its schema
 * merged over the environment's profile defaults (`stacks/sections/`), runs the cross-field rules
 * (`stacks/rules.ts`), and returns the settings complete and frozen. Every problem is reported at
 * once, each naming the key, the value and what is allowed.
 */
import * as pulumi from "@pulumi/pulumi";
import type { KeyUsers } from "../components/encryption-key";
import { fargateMemoryOptions } from "./aws-limits";
import { iamPath } from "./iam-scope";
import { RETENTION_POLICIES } from "./retention";
import { At, checkRules, listenerPriorities, visibilityTimeout, Written } from "./rules";
import { isObject, parseSection, Raw, section, v } from "./schema";
import { AUTH_DEFAULTS, authSchema } from "./sections/auth";
import { CACHE_DEFAULTS, cacheSchema } from "./sections/cache";
import { COMPUTE_DEFAULTS, computeSchema } from "./sections/compute";
import { QUEUE_DEFAULTS, QueueEntry, queueSchema, TableSettings, tableSchema } from "./sections/data";
import { DATABASE_DEFAULTS, databaseSchema } from "./sections/database";
import { DELIVERY_DEFAULTS, deliverySchema } from "./sections/delivery";
import { DISASTER_RECOVERY_DEFAULTS, disasterRecoverySchema } from "./sections/disaster-recovery";
import { EDGE_DEFAULTS, edgeSchema } from "./sections/edge";
import { EMAIL_DEFAULTS, emailSchema } from "./sections/email";
import { IMAGES_DEFAULTS, imagesSchema } from "./sections/images";
import { SYNTHETICS_DEFAULTS, syntheticsSchema } from "./sections/synthetics";
import { PROMETHEUS_DEFAULTS, prometheusSchema } from "./sections/prometheus";
import { PARTNER_API_DEFAULTS, partnerApiSchema } from "./sections/partner-api";
import { Environment } from "./sections/environments";
import { FILE_SYSTEM_DEFAULTS, fileSystemSchema } from "./sections/file-system";
import { FUNCTION_DEFAULTS, FunctionSettings, functionSchema } from "./sections/functions";
import { NETWORK_DEFAULTS, networkSchema } from "./sections/network";
import { OBSERVABILITY_DEFAULTS, observabilitySchema } from "./sections/observability";
import { SCHEDULE_DEFAULTS, ScheduleSettings, scheduleSchema } from "./sections/schedules";
import { minTasksSchema, SERVICE_DEFAULTS, ServiceEntry, serviceSchema, ServiceSettings } from "./sections/services";
import { STACK_DEFAULTS, stackKeys, STRING_KEYS } from "./sections/stack";
import { STANDBY_DEFAULTS, STANDBY_OWN_KEYS, standbySchema } from "./sections/standby";
import { Settings } from "./settings";
import { loadStackConfig } from "./stack-file";
import { standbyFrom } from "./standby";
import { Checker, ConfigError } from "./validate";

export * from "./settings";
export { ConfigError } from "./validate";

/** Raw config of one stack, as Pulumi hands it to the program. */
export interface RawStackConfig {
  project: string;
  stack: string;
  /** Every config value by full key (`platform:services`, `aws:region`); objects and arrays as JSON. */
  config: Record<string, string>;
}

/**
 * The config schema, section by section: every `platform:` key with what it allows. The README's
 * configuration reference is checked against it, and the config property test generates from it.
 */
export const CONFIG_SCHEMA = {
  ...stackKeys,
  network: networkSchema,
  compute: computeSchema,
  database: databaseSchema,
  cache: cacheSchema,
  edge: edgeSchema,
  observability: observabilitySchema,
  tables: v.array(tableSchema),
  queues: v.array(queueSchema),
  functions: v.array(functionSchema),
  schedules: v.array(scheduleSchema),
  auth: authSchema,
  fileSystem: fileSystemSchema,
  email: emailSchema,
  images: imagesSchema,
  synthetics: syntheticsSchema,
  prometheus: prometheusSchema,
  partnerApi: partnerApiSchema,
  disasterRecovery: disasterRecoverySchema,
  delivery: deliverySchema,
  services: v.array(serviceSchema),
  standby: standbySchema,
};
const TOP_LEVEL = section(Object.fromEntries(Object.keys(CONFIG_SCHEMA).map((key) => [key, v.optional(v.unknown())])));

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** The stack's `platform:` values by key, JSON parsed the way `pulumi.Config.getObject` would. */
function readTopLevel(check: Checker, ns: string, config: Record<string, string>): Raw {
  const values: Raw = {};
  const dotted: [string, string, string][] = [];
  for (const [fullKey, raw] of Object.entries(config)) {
    if (!fullKey.startsWith(ns)) continue;
    const key = fullKey.slice(ns.length);
    const head = key.split(".")[0];
    if (key.includes(".") && head in CONFIG_SCHEMA && !STRING_KEYS.includes(head)) {
      dotted.push([fullKey, head, key.slice(head.length + 1)]);
      continue;
    }
    if (STRING_KEYS.includes(key) || !(key in CONFIG_SCHEMA)) {
      values[key] = raw;
      continue;
    }
    try {
      values[key] = JSON.parse(raw);
    } catch {
      check.problem(fullKey, raw, "must be valid YAML/JSON of the documented shape");
    }
  }
  // A flat dotted key (`platform:edge.hostedZone`) is one field of its section, the way
  // `pulumi config set --path` would nest it; `pulumi new` writes template prompts like that. It
  // is set over the section's object; its value is JSON when it parses as JSON (a list, a number),
  // else the string as written.
  for (const [fullKey, head, rest] of dotted) {
    const section = values[head] ?? {};
    if (!isObject(section)) {
      check.problem(fullKey, config[fullKey], `cannot be set while ${ns}${head} is not an object`);
      continue;
    }
    let target: Raw = section;
    const path = rest.split(".");
    for (const part of path.slice(0, -1)) target = isObject(target[part]) ? (target[part] as Raw) : (target[part] = {});
    target[path[path.length - 1]] = jsonOrString(config[fullKey]);
    values[head] = section;
  }
  parseSection(check, ns, TOP_LEVEL, values, {});
  return values;
}

function jsonOrString(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Parses each entry of a list section. The rules see every entry (`all`, as written) and the parsed
 * ones (`entries`); an entry that does not parse even with its bad keys at their defaults is only in
 * `all`, so its name still counts as declared and its environment is still checked for secrets.
 */
function readList<T>(
  check: Checker,
  key: string,
  value: unknown,
  parse: (at: string, entry: Raw, replaced: Set<string>) => T | undefined,
): { entries: At<T>[]; all: Written[] } {
  if (value === undefined) return { entries: [], all: [] };
  if (!Array.isArray(value)) {
    check.problem(key, value, "must be a list");
    return { entries: [], all: [] };
  }
  const entries: At<T>[] = [];
  const all: Written[] = [];
  value.forEach((entry, i) => {
    const at = `${key}[${i}]`;
    if (!isObject(entry)) return check.problem(at, entry, "must be an object");
    all.push({ at, raw: entry });
    const replaced = new Set<string>();
    const parsed = parse(at, entry, replaced);
    if (parsed !== undefined) entries.push({ at, value: parsed, raw: entry, replaced });
  });
  return { entries, all };
}

/** A service entry's defaults: the profile's, memory following the entry's cpu, the ceiling at least its floor. */
function serviceDefaults(environment: Environment, entry: Raw, requestsPerTarget: number) {
  const d = SERVICE_DEFAULTS[environment];
  const cpuMemory = typeof entry.cpu === "number" ? fargateMemoryOptions(entry.cpu)[0] : undefined;
  const minTasks = v.is(minTasksSchema, entry.minTasks) ? entry.minTasks : d.minTasks;
  return { ...d, memory: entry.cpu === undefined ? d.memory : (cpuMemory ?? d.memory), maxTasks: Math.max(d.maxTasks, minTasks), requestsPerTarget };
}

/** Deep-freezes the settings: components get them read-only. */
function freeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) freeze(child);
  }
  return value;
}

/** Reads another stack's raw config (a standby stack reads its primary's); by default the project's stack file. */
export type StackReader = (stack: string) => { project: string; config: Record<string, string> };
const readStackFile: StackReader = (stack) => loadStackConfig(stack);

/**
 * Turns one stack's raw config into validated settings, merged over the environment profile.
 * Pure but for `readStack` (a standby stack's primary): no Pulumi runtime needed. Throws
 * ConfigError naming every bad key.
 */
export function resolveSettings(input: RawStackConfig, readStack: StackReader = readStackFile): Settings {
  // The same config resolves to the same frozen settings: the offline tools validate a stack's
  // config first, then synthesize it, and the program resolves it again; the second time is free.
  const key = JSON.stringify([input.project, input.stack, Object.entries(input.config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
  if (lastResolved?.key === key) return lastResolved.settings;
  const settings = `${input.project}:standby` in input.config ? resolveStandby(input, readStack) : resolve(input);
  lastResolved = { key, settings };
  return settings;
}

let lastResolved: { key: string; settings: Settings } | undefined;

/**
 * A standby stack (`platform:standby`): the DR region of its primary. Its own file sets only the
 * region, zones and CIDR; everything else is the primary's settings, validated again for this
 * region, then sized by the switch (`stacks/standby.ts`).
 */
function resolveStandby(input: RawStackConfig, readStack: StackReader): Settings {
  const { project, stack } = input;
  const check = new Checker();
  const ns = `${project}:`;
  const values = readTopLevel(check, ns, input.config);
  for (const key of Object.keys(values).filter((key) => !STANDBY_OWN_KEYS.includes(key)))
    check.problem(
      ns + key,
      values[key],
      `is read from the primary's stack file: a standby stack sets only aws:region and ${STANDBY_OWN_KEYS.map((k) => ns + k).join(", ")}`,
    );
  const standby = parseSection(check, `${ns}standby`, standbySchema, values.standby, STANDBY_DEFAULTS);
  const fail = () => new ConfigError(stack, check.problems);
  if (!standby) throw fail();
  const primaryKey = `${ns}standby.primaryStack`;
  let primaryConfig: Record<string, string> | undefined;
  if (standby.primaryStack === stack) check.problem(primaryKey, standby.primaryStack, "must name another stack than this one");
  else {
    try {
      primaryConfig = readStack(standby.primaryStack).config;
    } catch (err) {
      check.problem(primaryKey, standby.primaryStack, `must name a stack of this project: ${(err as Error).message}`);
    }
  }
  if (primaryConfig && `${ns}standby` in primaryConfig) check.problem(primaryKey, standby.primaryStack, "must name a primary stack, not another standby");
  if (!primaryConfig || check.problems.length > 0) throw fail();

  const primary = resolveSettings({ project, stack: standby.primaryStack, config: primaryConfig }, readStack);
  const dr = primary.disasterRecovery;
  check.expect(dr.enabled, primaryKey, standby.primaryStack, `must name a stack with a DR region (its ${ns}disasterRecovery.enabled is false)`);
  const region = input.config["aws:region"];
  if (dr.enabled) check.expect(region === dr.region, "aws:region", region, `must be the primary's ${ns}disasterRecovery.region (${dr.region})`);
  for (const key of ["environment", "domain"] as const)
    if (values[key] !== undefined) check.expect(values[key] === primary[key], ns + key, values[key], `must equal the primary's value (${primary[key]})`);
  if (check.problems.length > 0) throw fail();

  // The primary's config in this region: its zones, its CIDR, its tags, no DR region of its own.
  const own = (key: string) => (input.config[key] !== undefined ? { [key]: input.config[key] } : {});
  const derived: Record<string, string> = {
    ...primaryConfig,
    ...own("aws:defaultTags"),
    "aws:region": region,
    [`${ns}availabilityZones`]: input.config[`${ns}availabilityZones`],
    [`${ns}vpcCidr`]: input.config[`${ns}vpcCidr`],
    [`${ns}disasterRecovery`]: JSON.stringify({ ...dr, enabled: false }),
  };
  for (const key of Object.keys(derived)) if (derived[key] === undefined) delete derived[key];
  return freeze(standbyFrom(resolve({ project, stack, config: derived }, true), primary, standby));
}

function resolve(input: RawStackConfig, standby = false): Settings {
  const { project, stack } = input;
  const check = new Checker();
  const ns = `${project}:`;
  const k = (key: string) => ns + key;
  const values = readTopLevel(check, ns, input.config);
  const namePrefix = `${project}-${stack}`;

  const regionValue = input.config["aws:region"];
  const region = regionValue !== undefined && REGION.test(regionValue) ? regionValue : "";
  if (!region) check.problem("aws:region", regionValue, `${regionValue === undefined ? "is required; " : ""}an AWS region such as eu-west-1`);

  // The profile comes first: it holds every other section's defaults.
  const field = <S extends v.GenericSchema<unknown, unknown>>(key: string, schema: S, fallback: v.InferOutput<S>, defaultValue?: unknown) =>
    parseSection(check, k(key), schema, values[key] === undefined ? defaultValue : values[key], undefined) ?? fallback;
  const environment = field("environment", stackKeys.environment, "dev");
  const top = STACK_DEFAULTS[environment];
  const domain = field("domain", stackKeys.domain, "");
  const vpcCidr = field("vpcCidr", stackKeys.vpcCidr, "");
  const logRetentionDays = field("logRetentionDays", stackKeys.logRetentionDays, top.logRetentionDays, top.logRetentionDays);
  const retentionPolicy = field("retentionPolicy", stackKeys.retentionPolicy, top.retentionPolicy, top.retentionPolicy);
  const iamBoundary = field("iamBoundary", stackKeys.iamBoundary, top.iamBoundary, top.iamBoundary);

  const read = <S extends v.GenericSchema<unknown, unknown>>(key: string, schema: S, defaults: v.InferOutput<S>) =>
    parseSection(check, k(key), schema, values[key], defaults) ?? defaults;
  const network = read("network", networkSchema, NETWORK_DEFAULTS[environment]);
  const compute = read("compute", computeSchema, COMPUTE_DEFAULTS[environment]);
  const database = read("database", databaseSchema, DATABASE_DEFAULTS[environment]);
  const cache = read("cache", cacheSchema, CACHE_DEFAULTS[environment]);
  const auth = read("auth", authSchema, { ...AUTH_DEFAULTS[environment], domainPrefix: namePrefix });
  const fileSystem = read("fileSystem", fileSystemSchema, FILE_SYSTEM_DEFAULTS[environment]);
  const email = read("email", emailSchema, EMAIL_DEFAULTS[environment]);
  const images = read("images", imagesSchema, IMAGES_DEFAULTS[environment]);
  const partnerApi = read("partnerApi", partnerApiSchema, PARTNER_API_DEFAULTS[environment]);
  const delivery = read("delivery", deliverySchema, DELIVERY_DEFAULTS[environment]);
  const disasterRecovery = read("disasterRecovery", disasterRecoverySchema, DISASTER_RECOVERY_DEFAULTS[environment]);
  const observability = read("observability", observabilitySchema, OBSERVABILITY_DEFAULTS[environment]);
  const prometheus = read("prometheus", prometheusSchema, PROMETHEUS_DEFAULTS[environment]);

  const tables = readList<TableSettings>(check, k("tables"), values.tables, (at, entry, replaced) =>
    parseSection(check, at, tableSchema, entry, {}, { placeholders: { name: "unnamed", partitionKey: { name: "unnamed" } }, replaced }),
  );
  const queues = readList<QueueEntry>(check, k("queues"), values.queues, (at, entry, replaced) =>
    parseSection(check, at, queueSchema, entry, QUEUE_DEFAULTS[environment], { placeholders: { name: "unnamed" }, replaced }),
  );
  const functions = readList<FunctionSettings>(check, k("functions"), values.functions, (at, entry, replaced) =>
    parseSection(check, at, functionSchema, entry, FUNCTION_DEFAULTS[environment], { placeholders: { name: "unnamed", queue: "unnamed" }, replaced }),
  );
  const schedules = readList<ScheduleSettings>(check, k("schedules"), values.schedules, (at, entry, replaced) =>
    parseSection(check, at, scheduleSchema, entry, SCHEDULE_DEFAULTS[environment], { placeholders: { name: "unnamed", expression: "rate(1 day)" }, replaced }),
  );
  const hasServices = Array.isArray(values.services) && values.services.length > 0;
  if (!hasServices) check.problem(k("services"), values.services, "is required: a non-empty list of service entries");
  // Placeholders for the keys a service has no default for: a bad one must not hide the rules on the rest.
  const unnamedService = { name: "unnamed", image: "unnamed:0", port: 1, pathPrefix: "/unnamed", pipeline: { repository: "unnamed" } };
  const services = readList<ServiceEntry>(check, k("services"), hasServices ? values.services : [], (at, entry, replaced) =>
    parseSection(check, at, serviceSchema, entry, serviceDefaults(environment, entry, compute.requestsPerTarget), {
      placeholders: unnamedService,
      replaced,
    }),
  );

  // The site health check defaults to the first routed service's.
  const firstRouted = services.entries.find((s) => s.value.pathPrefix)?.value;
  const edgeDefaults = { ...EDGE_DEFAULTS[environment], healthCheckPath: firstRouted ? `${firstRouted.pathPrefix}${firstRouted.healthCheckPath}` : "/" };
  const edgeReplaced = new Set<string>();
  const edge = parseSection(check, k("edge"), edgeSchema, values.edge, edgeDefaults, {
    placeholders: { hostedZone: domain || "example.com" },
    replaced: edgeReplaced,
  }) ?? { ...edgeDefaults, hostedZone: "" };

  // The journey defaults to the static page, then the API read the site health check makes.
  const synthetics = read("synthetics", syntheticsSchema, {
    ...SYNTHETICS_DEFAULTS[environment],
    journey: [
      { name: "static-page", path: "/" },
      { name: "api-read", path: edge.healthCheckPath },
    ],
  });

  const tags = readTags(check, input.config["aws:defaultTags"]);
  checkRules(check, {
    ns,
    raw: values,
    stack,
    standby,
    namePrefix,
    environment,
    region,
    availabilityZones: values.availabilityZones,
    vpcCidr,
    domain,
    retentionPolicy,
    logRetentionDays,
    network,
    compute,
    database,
    cache,
    edge,
    edgeReplaced,
    observability,
    auth,
    fileSystem,
    email,
    images,
    synthetics,
    partnerApi,
    delivery,
    disasterRecovery,
    tables,
    queues,
    functions,
    schedules,
    services,
  });
  if (check.problems.length > 0) throw new ConfigError(stack, check.problems);

  const consumers = { functions: functions.entries, services: services.entries };
  const priorities = listenerPriorities(services.entries.map((s) => s.value));
  return freeze({
    project,
    stack,
    environment,
    region,
    availabilityZones: values.availabilityZones as string[],
    domain,
    namePrefix,
    logRetentionDays,
    retention: RETENTION_POLICIES[retentionPolicy],
    iam: { path: iamPath(namePrefix), boundary: iamBoundary },
    network: { ...network, vpcCidr },
    compute,
    database,
    cache,
    edge,
    observability,
    tables: tables.entries.map((t) => t.value),
    queues: queues.entries.map((q) => ({ ...q.value, visibilityTimeoutSeconds: visibilityTimeout(consumers, q.value) })),
    functions: functions.entries.map((f) => f.value),
    schedules: schedules.entries.map((e) => ({ ...e.value, message: e.value.message ?? JSON.stringify({ schedule: e.value.name }) })),
    auth,
    fileSystem,
    email,
    images,
    synthetics,
    prometheus,
    partnerApi,
    delivery,
    disasterRecovery,
    services: services.entries.map((s, i): ServiceSettings => ({
      ...s.value,
      listenerPriority: priorities[i],
      environment: s.value.environment as Record<string, string>,
    })),
    tags,
  });
}

function readTags(check: Checker, raw: string | undefined): Record<string, string> {
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = raw;
  }
  const tags = isObject(parsed) ? parsed.tags : undefined;
  const ok = isObject(tags) && Object.values(tags).every((value) => typeof value === "string");
  check.expect(ok, "aws:defaultTags", parsed, "must be {tags: {Name: value, ...}} with string values");
  return ok ? (tags as Record<string, string>) : {};
}

/**
 * Which AWS services use each of the stack's keys on their own. The data key (stack region)
 * encrypts log groups and the regional alert topic, which alarms always and EventBridge rules
 * (GuardDuty findings, failed pipelines) sometimes publish to, and the trail when there is one.
 * The edge key (us-east-1) encrypts the WAF log group and the global alert topic of the edge alarms.
 */
export function keyUsers(settings: Settings): { data: KeyUsers; edge: KeyUsers } {
  const g = settings.observability.guardrails;
  return {
    data: {
      logs: true,
      alarmTopics: true,
      // EventBridge delivers GuardDuty findings, failed pipelines and failed backup jobs to the alert topic.
      eventTopics: g.guardDuty || settings.services.some((s) => s.pipeline !== undefined) || settings.disasterRecovery.enabled,
      // SES reports bounces and complaints to the alert topic.
      emailEvents: settings.email.enabled,
      // The uploads bucket announces new objects on a queue it encrypts (not in a standby, which has no pipeline).
      bucketNotifications: settings.images.enabled,
      cloudTrail: g.cloudTrail,
    },
    edge: { logs: true, alarmTopics: true, eventTopics: false, cloudTrail: false },
  };
}

/** Routes of the services the ALB serves, in config order, with their sign-in requirement. */
export function apiRoutes(services: ServiceSettings[]): { pathPrefix: string; signIn: boolean; readOnlyPaths: string[] }[] {
  return services.flatMap((s) => (s.pathPrefix ? [{ pathPrefix: s.pathPrefix, signIn: s.requireSignIn, readOnlyPaths: s.readOnlyPaths }] : []));
}

/**
 * Reads this program's stack config from the Pulumi runtime and resolves it. Called once, first
 * thing in index.ts, so bad config fails before any resource is registered.
 */
export function loadSettings(): Settings {
  return resolveSettings({
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    config: pulumi.runtime.allConfig(),
  });
}
