import type { KeyUsers } from "../components/encryption-key";
import * as pulumi from "@pulumi/pulumi";
import {
  AURORA_POSTGRES_MAJORS,
  CATCH_ALL_RULE_PRIORITY,
  describeFargateMemory,
  fargateMemoryOptions,
  isPrivateCidr,
  isValidPerformanceInsightsRetention,
  LOG_RETENTION_DAYS,
  maxVpcPrefix,
  parseCidr,
} from "./aws-limits";
import { PROFILES } from "./profiles";
import { RETENTION_POLICIES, RETENTION_POLICY_NAMES } from "./retention";
import {
  AlarmThresholds,
  AuthSettings,
  CacheSettings,
  FileSystemSettings,
  QueueSettings,
  TableSettings,
  ComputeSettings,
  DatabaseSettings,
  EdgeSettings,
  Environment,
  ENVIRONMENTS,
  NetworkSettings,
  ObservabilitySettings,
  PRICE_CLASSES,
  ServiceSettings,
  Settings,
} from "./settings";
import { Checker, ConfigError, Raw } from "./validate";
import {
  readAuth,
  readDataGrants,
  readDelivery,
  readFileSystem,
  readFunctions,
  readQueues,
  readServicePipeline,
  readTables,
  resolveQueueVisibility,
} from "./workloads";

export * from "./settings";
export { ConfigError } from "./validate";

/** Raw config of one stack, as Pulumi hands it to the program. */
export interface RawStackConfig {
  project: string;
  stack: string;
  /** Every config value by full key (`platform:services`, `aws:region`); objects and arrays as JSON. */
  config: Record<string, string>;
}

/** Top-level keys of the project namespace and whether Pulumi hands them over as plain strings. */
const TOP_LEVEL_KEYS: Record<string, "string" | "json"> = {
  environment: "string",
  domain: "string",
  vpcCidr: "string",
  availabilityZones: "json",
  logRetentionDays: "json",
  retentionPolicy: "string",
  network: "json",
  compute: "json",
  database: "json",
  cache: "json",
  tables: "json",
  queues: "json",
  functions: "json",
  auth: "json",
  fileSystem: "json",
  delivery: "json",
  edge: "json",
  observability: "json",
  services: "json",
};

export const SERVICE_KEYS = [
  "name",
  "image",
  "port",
  "pathPrefix",
  "healthCheckPath",
  "listenerPriority",
  "cpu",
  "memory",
  "minTasks",
  "maxTasks",
  "requestsPerTarget",
  "loadBalancingAlgorithm",
  "requireSignIn",
  "queueBacklogPerTask",
  "pipeline",
  "access",
  "environment",
] as const;

/** Environment-variable prefixes the platform injects itself (from grants); config may not set them. */
export const INJECTED_ENV_PREFIXES = ["DB_", "REDIS_", "TABLE_", "QUEUE_", "SHARED_", "AWS_", "ECS_"];
/** Variables the platform sets on every container; config may not override them. */
export const INJECTED_ENV_NAMES = ["PORT"];

/** Longest `<project>-<stack>` that keeps `<prefix>-cache` within ElastiCache's 40 characters with room to spare. */
const MAX_NAME_PREFIX = 32;
const DNS_NAME = /^[a-z]([a-z0-9-]{0,14}[a-z0-9])?$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const IMAGE = /^[^\s:@]+(:\d+\/[^\s:@]+)?(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/;
const PATH_PREFIX = /^\/[a-z0-9_-]+(\/[a-z0-9_-]+)*$/;
const HTTP_PATH = /^\/[A-Za-z0-9._~/-]*$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const SECRET_LOOKING = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/;

/** Parses one raw config value the way `pulumi.Config.getObject` would. */
function parseValue(key: string, raw: string, kind: "string" | "json", check: Checker): unknown {
  if (kind === "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    check.problem(key, raw, "must be valid YAML/JSON of the documented shape");
    return undefined;
  }
}

/**
 * Turns one stack's raw config into validated settings, merged over the environment profile.
 * Pure: no Pulumi runtime needed. Throws ConfigError naming every bad key.
 */
export function resolveSettings(input: RawStackConfig): Settings {
  const { project, stack } = input;
  const check = new Checker();
  const ns = `${project}:`;
  const values: Raw = {};
  for (const [fullKey, raw] of Object.entries(input.config)) {
    if (!fullKey.startsWith(ns)) continue;
    const key = fullKey.slice(ns.length);
    const kind = TOP_LEVEL_KEYS[key];
    if (!kind) {
      check.problem(
        fullKey,
        raw,
        `unknown key; allowed keys are ${Object.keys(TOP_LEVEL_KEYS)
          .map((k) => ns + k)
          .join(", ")}`,
      );
      continue;
    }
    values[key] = parseValue(fullKey, raw, kind, check);
  }
  const k = (key: string) => ns + key;

  // Physical names derive from `<project>-<stack>`: RDS and ElastiCache identifiers allow only
  // lower-case letters, digits and single hyphens, and the cache id is capped at 40 characters.
  const namePrefix = `${project}-${stack}`;
  check.expect(
    /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(namePrefix) && namePrefix.length <= MAX_NAME_PREFIX,
    "stack name",
    namePrefix,
    `"<project>-<stack>" must be lower-case letters, digits and single hyphens, at most ${MAX_NAME_PREFIX} characters (it prefixes RDS and ElastiCache identifiers)`,
  );

  const region = check.requiredString("aws:region", input.config["aws:region"], REGION, "an AWS region such as eu-west-1");
  const environment = check.oneOf<Environment | "">(k("environment"), values.environment, "", ENVIRONMENTS);
  if (values.environment === undefined) check.problem(k("environment"), undefined, `is required; one of ${ENVIRONMENTS.join(", ")}`);
  if (environment && (ENVIRONMENTS as readonly string[]).includes(stack) && stack !== environment) {
    check.problem(k("environment"), environment, `stack "${stack}" must use environment ${stack}; other stacks (e.g. staging) may pick either profile`);
  }
  const profile = PROFILES[(environment || "dev") as Environment];
  const isProd = environment === "prod";

  const availabilityZones = readAvailabilityZones(check, k("availabilityZones"), values.availabilityZones, region);
  const domain = check.requiredString(
    k("domain"),
    values.domain,
    DOMAIN,
    "a lower-case DNS name such as shop.example.com, at most 64 characters (ACM's limit for a certificate's first name)",
  );
  if (domain.length > 64) check.problem(k("domain"), domain, "must be at most 64 characters: ACM limits a certificate's first domain name to 64");
  const logRetentionDays = check.oneOf(k("logRetentionDays"), values.logRetentionDays, profile.logRetentionDays, LOG_RETENTION_DAYS);
  const retentionPolicy = check.oneOf(k("retentionPolicy"), values.retentionPolicy, profile.retentionPolicy, RETENTION_POLICY_NAMES);
  if (isProd) check.expect(retentionPolicy === "retain", k("retentionPolicy"), retentionPolicy, "prod keeps its data: retain");

  const network = readNetwork(check, k, values, profile.network, availabilityZones.length, isProd);
  const compute = readCompute(check, k("compute"), values.compute, profile.compute, isProd);
  const database = readDatabase(check, k("database"), values.database, profile.database, isProd, availabilityZones.length);
  const cache = readCache(check, k("cache"), values.cache, profile.cache, isProd);
  const tables = readTables(check, k("tables"), values.tables);
  const queues = readQueues(check, k("queues"), values.queues, profile.queue);
  const auth = readAuth(check, k("auth"), values.auth, profile.auth, namePrefix, isProd);
  const fileSystem = readFileSystem(check, k("fileSystem"), values.fileSystem, profile.fileSystem);
  const services = readServices(check, k("services"), values.services, profile, { isProd, database, cache, compute, tables, queues, auth, fileSystem });
  const delivery = readDelivery(
    check,
    k("delivery"),
    values.delivery,
    profile.delivery,
    services.some((s) => s.pipeline),
  );
  const functions = readFunctions(check, k("functions"), values.functions, profile.function, { tables, queues });
  resolveQueueVisibility(check, k("queues"), queues, [
    ...functions.map((f) => ({ queue: f.queue, by: `function ${f.name}`, timeoutSeconds: f.timeoutSeconds })),
    ...services.flatMap((s) =>
      Object.entries(s.access.queues)
        .filter(([, mode]) => mode === "consume")
        .map(([queue]) => ({ queue, by: `service ${s.name}` })),
    ),
  ]);
  const edge = readEdge(check, k("edge"), values.edge, profile.edge, domain, services);
  const tags = readTags(check, input.config["aws:defaultTags"]);
  const observability = readObservability(check, k("observability"), values.observability, profile.observability, isProd);

  if (check.problems.length > 0) throw new ConfigError(stack, check.problems);
  return {
    project,
    stack,
    environment: environment as Environment,
    region,
    availabilityZones,
    domain,
    namePrefix,
    logRetentionDays,
    retention: RETENTION_POLICIES[retentionPolicy],
    network,
    compute,
    database,
    cache,
    edge,
    observability,
    tables,
    queues,
    functions,
    auth,
    fileSystem,
    delivery,
    services,
    tags,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;

function readObservability(
  check: Checker,
  key: string,
  value: unknown,
  defaults: (typeof PROFILES)[Environment]["observability"],
  isProd: boolean,
): ObservabilitySettings {
  const raw = check.object(key, value, ["alertEmails", "tracing", "thresholds", "guardrails"]);
  let alertEmails: string[] = [];
  if (raw.alertEmails !== undefined) {
    const ok =
      Array.isArray(raw.alertEmails) &&
      raw.alertEmails.every((e) => typeof e === "string" && EMAIL.test(e)) &&
      new Set(raw.alertEmails).size === raw.alertEmails.length;
    if (check.expect(ok, `${key}.alertEmails`, raw.alertEmails, "must be a list of distinct e-mail addresses")) alertEmails = raw.alertEmails as string[];
  }
  if (isProd)
    check.expect(alertEmails.length > 0, `${key}.alertEmails`, raw.alertEmails, "prod needs at least one address: alarms nobody receives protect nothing");

  const t = defaults.thresholds;
  const rawT = check.object(`${key}.thresholds`, raw.thresholds, Object.keys(t));
  const pct = (name: keyof AlarmThresholds) => check.number(`${key}.thresholds.${name}`, rawT[name], t[name], 0.1, 100);
  const thresholds: AlarmThresholds = {
    alb5xxPercent: pct("alb5xxPercent"),
    p99LatencySeconds: check.number(`${key}.thresholds.p99LatencySeconds`, rawT.p99LatencySeconds, t.p99LatencySeconds, 0.01, 60),
    serviceCpuPercent: pct("serviceCpuPercent"),
    serviceMemoryPercent: pct("serviceMemoryPercent"),
    databaseCpuPercent: pct("databaseCpuPercent"),
    replicaLagMs: check.integer(`${key}.thresholds.replicaLagMs`, rawT.replicaLagMs, t.replicaLagMs, 10, 600000),
    freeableMemoryMiB: check.integer(`${key}.thresholds.freeableMemoryMiB`, rawT.freeableMemoryMiB, t.freeableMemoryMiB, 16, 1048576),
    cacheCpuPercent: pct("cacheCpuPercent"),
    cacheEvictions: check.integer(`${key}.thresholds.cacheEvictions`, rawT.cacheEvictions, t.cacheEvictions, 0, 100000000),
    cacheHitRatePercent: pct("cacheHitRatePercent"),
    queueAgeSeconds: check.integer(`${key}.thresholds.queueAgeSeconds`, rawT.queueAgeSeconds, t.queueAgeSeconds, 60, 1209600),
    cdn5xxPercent: pct("cdn5xxPercent"),
  };

  const g = defaults.guardrails;
  const rawG = check.object(`${key}.guardrails`, raw.guardrails, Object.keys(g));
  return {
    alertEmails,
    tracing: check.boolean(`${key}.tracing`, raw.tracing, defaults.tracing),
    thresholds,
    guardrails: {
      cloudTrail: check.boolean(`${key}.guardrails.cloudTrail`, rawG.cloudTrail, g.cloudTrail),
      guardDuty: check.boolean(`${key}.guardrails.guardDuty`, rawG.guardDuty, g.guardDuty),
      budget: check.boolean(`${key}.guardrails.budget`, rawG.budget, g.budget),
      monthlyBudgetUsd: check.number(`${key}.guardrails.monthlyBudgetUsd`, rawG.monthlyBudgetUsd, g.monthlyBudgetUsd, 1, 10000000),
      trailRetentionDays: check.integer(`${key}.guardrails.trailRetentionDays`, rawG.trailRetentionDays, g.trailRetentionDays, 90, 3653),
    },
  };
}

function readTags(check: Checker, raw: string | undefined): Record<string, string> {
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = raw;
  }
  const tags = check.isObject(parsed) ? parsed.tags : undefined;
  const ok = check.isObject(tags) && Object.values(tags).every((v) => typeof v === "string");
  check.expect(ok, "aws:defaultTags", parsed, "must be {tags: {Name: value, ...}} with string values");
  return ok ? (tags as Record<string, string>) : {};
}

const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;
const PARAM_NAME = /^[A-Za-z0-9_.~[\]-]{1,64}$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function readNameList(check: Checker, key: string, value: unknown, pattern: RegExp, what: string): string[] {
  if (value === undefined) return [];
  const ok =
    Array.isArray(value) &&
    value.length <= 10 &&
    value.every((v) => typeof v === "string" && pattern.test(v)) &&
    new Set(value.map((v) => String(v).toLowerCase())).size === value.length;
  check.expect(ok, key, value, `must be a list of at most 10 distinct ${what} (CloudFront's cache-policy limit)`);
  return ok ? (value as string[]) : [];
}

function readEdge(
  check: Checker,
  key: string,
  value: unknown,
  defaults: (typeof PROFILES)[Environment]["edge"],
  domain: string,
  services: ServiceSettings[],
): EdgeSettings {
  const raw = check.object(key, value, [...Object.keys(defaults), "hostedZone", "healthCheckPath"]);
  const hostedZone = check.requiredString(`${key}.hostedZone`, raw.hostedZone, DOMAIN, "the public hosted zone that holds platform:domain, e.g. example.com");
  if (hostedZone && domain) {
    check.expect(
      domain === hostedZone || domain.endsWith(`.${hostedZone}`),
      `${key}.hostedZone`,
      hostedZone,
      `must contain platform:domain (${domain}): the domain must equal the zone or be a name under it`,
    );
  }
  const originSubdomain = check.string(
    `${key}.originSubdomain`,
    raw.originSubdomain,
    defaults.originSubdomain,
    DNS_LABEL,
    "must be one DNS label such as origin",
  );
  if (domain) {
    check.expect(
      `${originSubdomain}.${domain}`.length <= 64,
      `${key}.originSubdomain`,
      originSubdomain,
      `makes ${originSubdomain}.${domain} longer than the 64 characters ACM allows for the ALB certificate`,
    );
  }
  const firstRouted = services.find((s) => s.pathPrefix);
  const rawKey = check.object(`${key}.cacheKey`, raw.cacheKey, ["headers", "queryStrings", "cookies"]);
  return {
    hostedZone,
    createHostedZone: check.boolean(`${key}.createHostedZone`, raw.createHostedZone, defaults.createHostedZone),
    originSubdomain,
    healthCheckPath: check.string(
      `${key}.healthCheckPath`,
      raw.healthCheckPath,
      firstRouted ? `${firstRouted.pathPrefix}${firstRouted.healthCheckPath}` : "/",
      HTTP_PATH,
      "must be an absolute HTTP path starting with /, e.g. /users/health",
    ),
    priceClass: check.oneOf(`${key}.priceClass`, raw.priceClass, defaults.priceClass, PRICE_CLASSES),
    apiCacheTtlSeconds: check.integer(`${key}.apiCacheTtlSeconds`, raw.apiCacheTtlSeconds, defaults.apiCacheTtlSeconds, 60, 300),
    staticCacheTtlSeconds: check.integer(`${key}.staticCacheTtlSeconds`, raw.staticCacheTtlSeconds, defaults.staticCacheTtlSeconds, 0, 31536000),
    errorCachingTtlSeconds: check.integer(`${key}.errorCachingTtlSeconds`, raw.errorCachingTtlSeconds, defaults.errorCachingTtlSeconds, 0, 300),
    cacheKey: {
      headers: readNameList(check, `${key}.cacheKey.headers`, rawKey.headers, HEADER_NAME, "header names"),
      queryStrings: readNameList(check, `${key}.cacheKey.queryStrings`, rawKey.queryStrings, PARAM_NAME, "query-string names"),
      cookies: readNameList(check, `${key}.cacheKey.cookies`, rawKey.cookies, PARAM_NAME, "cookie names"),
    },
    rateLimit: check.integer(`${key}.rateLimit`, raw.rateLimit, defaults.rateLimit, 10, 2_000_000_000),
    rateLimitWindowSeconds: check.oneOf(`${key}.rateLimitWindowSeconds`, raw.rateLimitWindowSeconds, defaults.rateLimitWindowSeconds, [
      60, 120, 300, 600,
    ] as const),
    albIdleTimeoutSeconds: check.integer(`${key}.albIdleTimeoutSeconds`, raw.albIdleTimeoutSeconds, defaults.albIdleTimeoutSeconds, 1, 4000),
  };
}

function readAvailabilityZones(check: Checker, key: string, value: unknown, region: string): string[] {
  const example = region || "eu-west-1";
  if (!Array.isArray(value) || value.length < 2 || value.length > 6) {
    check.problem(
      key,
      value,
      `must be a list of 2 to 6 distinct AZ names in ${example}, e.g. ["${example}a", "${example}b"] (the ALB and the database subnet group each need two AZs)`,
    );
    return [];
  }
  let ok = true;
  value.forEach((zone, i) => {
    const inRegion = typeof zone === "string" && (region === "" || (zone.startsWith(region) && /^[a-z]$/.test(zone.slice(region.length))));
    ok = check.expect(inRegion, `${key}[${i}]`, zone, `must be an AZ name in ${example}: the region followed by one letter, e.g. ${example}a`) && ok;
    if (inRegion && value.indexOf(zone) !== i) ok = check.expect(false, `${key}[${i}]`, zone, `duplicates ${key}[${value.indexOf(zone)}]`) && ok;
  });
  return ok ? (value as string[]) : [];
}

function readNetwork(
  check: Checker,
  k: (key: string) => string,
  values: Raw,
  defaults: Omit<NetworkSettings, "vpcCidr">,
  azCount: number,
  isProd: boolean,
): NetworkSettings {
  const vpcCidr = check.requiredString(k("vpcCidr"), values.vpcCidr);
  if (vpcCidr !== "") {
    const zones = Math.max(azCount, 2);
    const parsed = parseCidr(vpcCidr);
    check.expect(
      !!parsed && isPrivateCidr(parsed) && parsed.prefix >= 16 && parsed.prefix <= maxVpcPrefix(zones),
      k("vpcCidr"),
      vpcCidr,
      `must be an IPv4 network address in an RFC 1918 range with a prefix from /16 to /${maxVpcPrefix(zones)} for ${zones} AZs, e.g. 10.20.0.0/16`,
    );
  }
  const raw = check.object(k("network"), values.network, ["natGateways", "flowLogAggregationSeconds"]);
  const natGateways = check.oneOf(k("network") + ".natGateways", raw.natGateways, defaults.natGateways, ["single", "onePerAz"] as const);
  if (isProd) {
    check.expect(
      natGateways === "onePerAz",
      k("network") + ".natGateways",
      natGateways,
      "prod needs onePerAz: a single NAT gateway is a single point of failure",
    );
  }
  const flowLogAggregationSeconds = check.oneOf(
    k("network") + ".flowLogAggregationSeconds",
    raw.flowLogAggregationSeconds,
    defaults.flowLogAggregationSeconds,
    [60, 600] as const,
  );
  return { vpcCidr, natGateways, flowLogAggregationSeconds };
}

function readCompute(check: Checker, key: string, value: unknown, defaults: ComputeSettings, isProd: boolean): ComputeSettings {
  const raw = check.object(key, value, Object.keys(defaults));
  const spot = check.boolean(`${key}.spot`, raw.spot, defaults.spot);
  if (isProd) check.expect(!spot, `${key}.spot`, spot, "FARGATE_SPOT is allowed in dev only; set false for prod");
  return {
    spot,
    containerInsights: check.oneOf(`${key}.containerInsights`, raw.containerInsights, defaults.containerInsights, ["enabled", "enhanced", "disabled"] as const),
    cpuTargetPercent: check.integer(`${key}.cpuTargetPercent`, raw.cpuTargetPercent, defaults.cpuTargetPercent, 10, 90),
    memoryTargetPercent: check.integer(`${key}.memoryTargetPercent`, raw.memoryTargetPercent, defaults.memoryTargetPercent, 10, 90),
    requestsPerTarget: check.integer(`${key}.requestsPerTarget`, raw.requestsPerTarget, defaults.requestsPerTarget, 10, 100000),
  };
}

function readDatabase(check: Checker, key: string, value: unknown, defaults: DatabaseSettings, isProd: boolean, azCount: number): DatabaseSettings {
  const raw = check.object(key, value, Object.keys(defaults));
  const engineVersion = check.string(
    `${key}.engineVersion`,
    raw.engineVersion,
    defaults.engineVersion,
    /^\d+\.\d+$/,
    "must be an Aurora PostgreSQL version such as 16.6",
  );
  check.expect(
    AURORA_POSTGRES_MAJORS.includes(Number(engineVersion.split(".")[0]) as never),
    `${key}.engineVersion`,
    engineVersion,
    `major version must be one of ${AURORA_POSTGRES_MAJORS.join(", ")}`,
  );
  const instanceClass = check.string(
    `${key}.instanceClass`,
    raw.instanceClass,
    defaults.instanceClass,
    /^db\.(serverless|[a-z0-9]+\.[a-z0-9]+)$/,
    "must be db.serverless or an instance class such as db.r6g.large",
  );
  const rawServerless = check.object(`${key}.serverless`, raw.serverless, ["minCapacity", "maxCapacity"]);
  const serverless = {
    minCapacity: check.number(`${key}.serverless.minCapacity`, rawServerless.minCapacity, defaults.serverless.minCapacity, 0, 256, 0.5),
    maxCapacity: check.number(`${key}.serverless.maxCapacity`, rawServerless.maxCapacity, defaults.serverless.maxCapacity, 1, 256, 0.5),
  };
  check.expect(
    serverless.minCapacity <= serverless.maxCapacity,
    `${key}.serverless.minCapacity`,
    serverless.minCapacity,
    `must not exceed maxCapacity (${serverless.maxCapacity})`,
  );
  const readers = check.integer(`${key}.readers`, raw.readers, defaults.readers, 0, 15);
  if (isProd) check.expect(readers >= 1, `${key}.readers`, readers, "prod needs at least 1 reader in another AZ (Multi-AZ failover target)");
  check.expect(azCount === 0 || readers === 0 || azCount >= 2, `${key}.readers`, readers, "readers need a second AZ");
  const backupRetentionDays = check.integer(`${key}.backupRetentionDays`, raw.backupRetentionDays, defaults.backupRetentionDays, 1, 35);
  if (isProd) check.expect(backupRetentionDays >= 7, `${key}.backupRetentionDays`, backupRetentionDays, "prod keeps at least 7 days of backups (default 35)");
  const performanceInsightsRetentionDays = check.integer(
    `${key}.performanceInsightsRetentionDays`,
    raw.performanceInsightsRetentionDays,
    defaults.performanceInsightsRetentionDays,
    7,
    731,
  );
  check.expect(
    isValidPerformanceInsightsRetention(performanceInsightsRetentionDays),
    `${key}.performanceInsightsRetentionDays`,
    performanceInsightsRetentionDays,
    "must be 7, a multiple of 31 up to 713, or 731",
  );
  return {
    enabled: check.boolean(`${key}.enabled`, raw.enabled, defaults.enabled),
    engineVersion,
    instanceClass,
    serverless,
    readers,
    databaseName: check.string(
      `${key}.databaseName`,
      raw.databaseName,
      defaults.databaseName,
      /^[a-z][a-z0-9_]{0,62}$/,
      "must be a PostgreSQL identifier: lower-case letter, then letters, digits or _ (max 63)",
    ),
    backupRetentionDays,
    secretRotationDays: check.integer(`${key}.secretRotationDays`, raw.secretRotationDays, defaults.secretRotationDays, 1, 365),
    performanceInsightsRetentionDays,
  };
}

function readCache(check: Checker, key: string, value: unknown, defaults: CacheSettings, isProd: boolean): CacheSettings {
  const raw = check.object(key, value, Object.keys(defaults));
  const nodes = check.integer(`${key}.nodes`, raw.nodes, defaults.nodes, 1, 6);
  if (isProd) check.expect(nodes >= 2, `${key}.nodes`, nodes, "prod needs at least 2 nodes (primary + replica) for Multi-AZ automatic failover");
  const engine = check.oneOf(`${key}.engine`, raw.engine, defaults.engine, ["valkey", "redis"] as const);
  const engineVersion = check.string(
    `${key}.engineVersion`,
    raw.engineVersion,
    defaults.engineVersion,
    /^\d+\.\d+$/,
    "must be a version such as 8.0 (valkey) or 7.1 (redis)",
  );
  check.expect(
    engine === "valkey" ? ["7", "8"].includes(engineVersion.split(".")[0]) : engineVersion.split(".")[0] === "7",
    `${key}.engineVersion`,
    engineVersion,
    engine === "valkey" ? "valkey supports major versions 7 and 8" : "redis (OSS) supports major version 7",
  );
  return {
    enabled: check.boolean(`${key}.enabled`, raw.enabled, defaults.enabled),
    engine,
    engineVersion,
    nodeType: check.string(`${key}.nodeType`, raw.nodeType, defaults.nodeType, /^cache\.[a-z0-9]+\.[a-z0-9]+$/, "must be a node type such as cache.t4g.micro"),
    nodes,
    snapshotRetentionDays: check.integer(`${key}.snapshotRetentionDays`, raw.snapshotRetentionDays, defaults.snapshotRetentionDays, 0, 35),
  };
}

interface ServiceContext {
  isProd: boolean;
  database: DatabaseSettings;
  cache: CacheSettings;
  compute: ComputeSettings;
  tables: TableSettings[];
  queues: QueueSettings[];
  auth: AuthSettings;
  fileSystem: FileSystemSettings;
}

function readServices(check: Checker, key: string, value: unknown, profile: (typeof PROFILES)[Environment], ctx: ServiceContext): ServiceSettings[] {
  if (!Array.isArray(value) || value.length === 0) {
    check.problem(key, value, "is required: a non-empty list of service entries");
    return [];
  }
  // Keep each entry's position in config so every problem names the entry the operator wrote.
  const entries: { at: string; service: ServiceSettings }[] = [];
  value.forEach((entry, i) => {
    const at = `${key}[${i}]`;
    if (!check.isObject(entry)) {
      check.problem(at, entry, "must be an object with keys " + SERVICE_KEYS.join(", "));
      return;
    }
    entries.push({ at, service: readService(check, at, check.object(at, entry, SERVICE_KEYS), profile, ctx) });
  });

  // Routed services without an explicit priority get 100, 110, ... skipping the explicit ones.
  const explicit = new Set(entries.map((e) => e.service.listenerPriority).filter((p) => p !== undefined));
  let next = 100;
  for (const { service } of entries) {
    if (!service.pathPrefix || service.listenerPriority !== undefined) continue;
    while (explicit.has(next)) next += 10;
    service.listenerPriority = next;
    next += 10;
  }

  // Cross-service rules: unique names, path prefixes and listener priorities.
  const unique = (field: (s: ServiceSettings) => string | number | undefined, label: string) => {
    const first = new Map<string | number, string>();
    for (const { at, service } of entries) {
      const v = field(service);
      if (v === undefined || v === "") continue;
      if (first.has(v)) check.problem(`${at}.${label}`, v, `must be unique; ${first.get(v)} already uses it`);
      else first.set(v, at);
    }
  };
  unique((s) => s.name, "name");
  unique((s) => s.pathPrefix, "pathPrefix");
  unique((s) => s.listenerPriority, "listenerPriority");
  return entries.map((e) => e.service);
}

function readService(check: Checker, at: string, raw: Raw, profile: (typeof PROFILES)[Environment], ctx: ServiceContext): ServiceSettings {
  const d = profile.service;
  const name = check.requiredString(
    `${at}.name`,
    raw.name,
    DNS_NAME,
    "a DNS-safe name: lower-case letters, digits and -, starting with a letter, 1-16 characters (target-group names are capped at 32)",
  );
  const image = check.requiredString(`${at}.image`, raw.image, IMAGE, "an image reference with a tag or digest, e.g. public.ecr.aws/org/user:1.4.2");
  if (ctx.isProd) check.expect(!image.endsWith(":latest"), `${at}.image`, image, "prod images must be pinned to a version or digest, not :latest");
  const port = check.integer(`${at}.port`, raw.port, 0, 1, 65535);
  if (raw.port === undefined) check.problem(`${at}.port`, undefined, "is required: the container port, 1-65535");
  const pathPrefix =
    raw.pathPrefix === undefined
      ? undefined
      : check.string(
          `${at}.pathPrefix`,
          raw.pathPrefix,
          "",
          PATH_PREFIX,
          "must start with / and contain only lower-case path segments, e.g. /users (no trailing / or *)",
        );
  const healthCheckPath = check.string(
    `${at}.healthCheckPath`,
    raw.healthCheckPath,
    d.healthCheckPath,
    HTTP_PATH,
    "must be an absolute HTTP path starting with /, e.g. /health",
  );
  const listenerPriority =
    raw.listenerPriority === undefined ? undefined : check.integer(`${at}.listenerPriority`, raw.listenerPriority, 0, 1, CATCH_ALL_RULE_PRIORITY - 1);
  if (listenerPriority !== undefined && pathPrefix === undefined)
    check.problem(`${at}.listenerPriority`, listenerPriority, "only routed services (with pathPrefix) have a listener rule");
  if (raw.loadBalancingAlgorithm !== undefined && pathPrefix === undefined)
    check.problem(`${at}.loadBalancingAlgorithm`, raw.loadBalancingAlgorithm, "only routed services (with pathPrefix) have a target group");

  const cpu = check.oneOf(`${at}.cpu`, raw.cpu, d.cpu, [256, 512, 1024, 2048, 4096, 8192, 16384]);
  const memory = check.integer(`${at}.memory`, raw.memory, raw.cpu === undefined ? d.memory : (fargateMemoryOptions(cpu)[0] ?? d.memory), 512, 122880);
  check.expect(fargateMemoryOptions(cpu).includes(memory), `${at}.memory`, memory, describeFargateMemory(cpu));

  const minTasks = check.integer(`${at}.minTasks`, raw.minTasks, d.minTasks, 0, 1000);
  const maxTasks = check.integer(`${at}.maxTasks`, raw.maxTasks, Math.max(d.maxTasks, minTasks), 1, 1000);
  check.expect(minTasks <= maxTasks, `${at}.minTasks`, minTasks, `must not exceed maxTasks (${maxTasks})`);
  if (ctx.isProd) check.expect(minTasks >= 2, `${at}.minTasks`, minTasks, "prod needs at least 2 tasks so losing one AZ keeps the service up");

  const rawAccess = check.object(`${at}.access`, raw.access, ["database", "cache", "tables", "queues", "fileSystem"]);
  const access = {
    database: check.boolean(`${at}.access.database`, rawAccess.database, false),
    cache: check.boolean(`${at}.access.cache`, rawAccess.cache, false),
    ...readDataGrants(check, `${at}.access`, rawAccess, ctx, ["send", "consume"] as const),
    fileSystem: check.boolean(`${at}.access.fileSystem`, rawAccess.fileSystem, false),
  };
  if (access.database) check.expect(ctx.database.enabled, `${at}.access.database`, true, "the stack has no database (platform:database.enabled is false)");
  if (access.cache) check.expect(ctx.cache.enabled, `${at}.access.cache`, true, "the stack has no cache (platform:cache.enabled is false)");
  if (access.fileSystem)
    check.expect(ctx.fileSystem.enabled, `${at}.access.fileSystem`, true, "the stack has no file system (platform:fileSystem.enabled is false)");
  const requireSignIn = check.boolean(`${at}.requireSignIn`, raw.requireSignIn, false);
  if (requireSignIn) {
    check.expect(pathPrefix !== undefined, `${at}.requireSignIn`, true, "only routed services (with pathPrefix) can require sign-in");
    check.expect(ctx.auth.enabled, `${at}.requireSignIn`, true, "the stack has no Cognito user pool (platform:auth.enabled is false)");
  }

  const environment: Record<string, string> = {};
  if (raw.environment !== undefined) {
    if (!check.isObject(raw.environment)) check.problem(`${at}.environment`, raw.environment, "must be a map of NAME: value strings");
    else
      for (const [envName, envValue] of Object.entries(raw.environment)) {
        const envKey = `${at}.environment.${envName}`;
        if (!check.expect(ENV_NAME.test(envName), envKey, envName, "variable names must match [A-Z_][A-Z0-9_]*")) continue;
        if (
          !check.expect(
            !SECRET_LOOKING.test(envName),
            envKey,
            "<redacted>",
            "looks like a secret; secrets are never plain environment variables: keep them in Secrets Manager and grant them",
          )
        )
          continue;
        const injected = INJECTED_ENV_NAMES.includes(envName) || INJECTED_ENV_PREFIXES.some((p) => envName.startsWith(p));
        if (
          !check.expect(
            !injected,
            envKey,
            envValue,
            `${INJECTED_ENV_NAMES.join(", ")} and names starting with ${INJECTED_ENV_PREFIXES.join(", ")} are set by the platform`,
          )
        )
          continue;
        if (check.expect(typeof envValue === "string", envKey, envValue, "must be a string (quote numbers and booleans)"))
          environment[envName] = envValue as string;
      }
  }

  return {
    name,
    image,
    port,
    pathPrefix: pathPrefix === "" ? undefined : pathPrefix,
    healthCheckPath,
    listenerPriority,
    cpu,
    memory,
    minTasks,
    maxTasks,
    requestsPerTarget: check.integer(`${at}.requestsPerTarget`, raw.requestsPerTarget, ctx.compute.requestsPerTarget, 10, 100000),
    requireSignIn,
    queueBacklogPerTask: check.integer(`${at}.queueBacklogPerTask`, raw.queueBacklogPerTask, 100, 1, 100000),
    pipeline: readServicePipeline(check, `${at}.pipeline`, raw.pipeline),
    loadBalancingAlgorithm: check.oneOf(`${at}.loadBalancingAlgorithm`, raw.loadBalancingAlgorithm, "round_robin", [
      "round_robin",
      "least_outstanding_requests",
    ] as const),
    access,
    environment,
  };
}

/** Routes of the services the ALB serves, in config order, with their sign-in requirement. */
/**
 * Which AWS services use each of the stack's keys on their own. The data key (stack region)
 * encrypts log groups and the regional alert topic, which alarms always and EventBridge rules
 * (GuardDuty findings, failed pipelines) sometimes publish to, and the trail when there is one.
 * The edge key (us-east-1) encrypts the WAF log group and the global alert topic of the edge alarms.
 */
export function keyUsers(settings: Settings): { data: KeyUsers; edge: KeyUsers } {
  const g = settings.observability.guardrails;
  return {
    data: { logs: true, alarmTopics: true, eventTopics: g.guardDuty || settings.services.some((s) => s.pipeline !== undefined), cloudTrail: g.cloudTrail },
    edge: { logs: true, alarmTopics: true, eventTopics: false, cloudTrail: false },
  };
}

export function apiRoutes(services: ServiceSettings[]): { pathPrefix: string; signIn: boolean }[] {
  return services.flatMap((s) => (s.pathPrefix ? [{ pathPrefix: s.pathPrefix, signIn: s.requireSignIn }] : []));
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
