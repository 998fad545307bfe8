/**
 * The cross-field rules of stack config, in one place: what one key allows depending on another
 * (prod-only rules, references between sections, uniqueness across entries). Each schema in
 * `stacks/sections/` has already checked its own fields; these run on the parsed values and report
 * into the same Checker, so one run shows every problem.
 */
import * as fs from "fs";
import * as path from "path";
import { describeFargateMemory, fargateMemoryOptions, isPrivateCidr, maxVpcPrefix, parseCidr, CACHE_ENGINE_MAJORS } from "./aws-limits";
import type { RetentionPolicyName } from "./retention";
import { isObject, isReplaced, Raw } from "./schema";
import type { AuthSettings } from "./sections/auth";
import type { CacheSettings } from "./sections/cache";
import type { ComputeSettings } from "./sections/compute";
import type { QueueEntry, TableSettings } from "./sections/data";
import type { DatabaseSettings } from "./sections/database";
import type { DeliverySettings } from "./sections/delivery";
import type { DisasterRecoverySettings } from "./sections/disaster-recovery";
import type { EdgeSettings } from "./sections/edge";
import { ENVIRONMENTS, Environment } from "./sections/environments";
import type { FileSystemSettings } from "./sections/file-system";
import type { FunctionSettings } from "./sections/functions";
import { ENV_NAME } from "./sections/names";
import type { NetworkSettings } from "./sections/network";
import type { ObservabilitySettings } from "./sections/observability";
import type { ScheduleSettings } from "./sections/schedules";
import type { EmailSettings } from "./sections/email";
import type { ImagesSettings } from "./sections/images";
import { CANARY_NAME_SIGNIFICANT, canaryChecks, SYNTHETICS_RUNTIME, type SyntheticsSettings } from "./sections/synthetics";
import { packageClosure } from "../components/package-closure";
import { albPattern, PartnerApiSettings } from "./sections/partner-api";
import { INJECTED_ENV_NAMES, INJECTED_ENV_PREFIXES, ServiceEntry } from "./sections/services";
import { SECRET_LOOKING_NAME } from "../policies/rules/secret-names";
import type { Checker } from "./validate";

/** Where function code lives: `functions/<name>/handler.ts`. */
export const FUNCTIONS_DIR = path.join(__dirname, "..", "functions");

/**
 * Days of Aurora backups prod keeps: the design's 35, and what the policy pack's mandatory
 * `database-backup-retention` rule requires of prod (`prodMinBackupDays`; a test keeps them equal).
 */
export const PROD_MIN_BACKUP_DAYS = 35;

/** Days prod keeps its logs: what the policy pack's `log-group-retention` rule requires of prod (`prodMinLogRetentionDays`; a test keeps them equal). */
export const PROD_MIN_LOG_RETENTION_DAYS = 365;

/** Longest `<project>-<stack>` that keeps `<prefix>-cache` within ElastiCache's 40 characters with room to spare. */
export const MAX_NAME_PREFIX = 32;

/** A list entry with the config key it came from, so every problem names the entry the operator wrote. */
export interface At<T> {
  at: string;
  value: T;
  /** The entry as config wrote it (to tell "set" from "defaulted"). */
  raw: Raw;
  /** Keys whose bad value was replaced (reported already): rules about them skip the entry. */
  replaced: ReadonlySet<string>;
}

/** A list entry as config wrote it, parsed or not. */
export interface Written {
  at: string;
  raw: Raw;
}

/** A parsed list section and every entry as written. */
export interface ListInput<T> {
  entries: At<T>[];
  all: Written[];
}

/** Everything the rules look at, already parsed. */
export interface RuleInput {
  ns: string;
  /** The stack's `platform:` values as config wrote them, to show what was written (or that nothing was). */
  raw: Raw;
  stack: string;
  /** A standby stack (the DR region of another): prod's rules hold, but it keeps no DR region of its own. */
  standby: boolean;
  namePrefix: string;
  environment: Environment;
  region: string;
  availabilityZones: unknown;
  vpcCidr: string;
  domain: string;
  retentionPolicy: RetentionPolicyName;
  logRetentionDays: number;
  network: Omit<NetworkSettings, "vpcCidr">;
  compute: ComputeSettings;
  database: DatabaseSettings;
  cache: CacheSettings;
  edge: EdgeSettings;
  /** Edge keys whose bad value was replaced (reported already). */
  edgeReplaced: ReadonlySet<string>;
  observability: ObservabilitySettings;
  auth: AuthSettings;
  fileSystem: FileSystemSettings;
  email: EmailSettings;
  images: ImagesSettings;
  synthetics: SyntheticsSettings;
  partnerApi: PartnerApiSettings;
  delivery: DeliverySettings;
  disasterRecovery: DisasterRecoverySettings;
  tables: ListInput<TableSettings>;
  queues: ListInput<QueueEntry>;
  functions: ListInput<FunctionSettings>;
  schedules: ListInput<ScheduleSettings>;
  services: ListInput<ServiceEntry>;
}

export function checkRules(check: Checker, c: RuleInput): void {
  const k = (key: string) => c.ns + key;
  const isProd = c.environment === "prod";
  const prodOnly = (ok: boolean, key: string, value: unknown, allowed: string) => isProd && check.expect(ok, key, value, allowed);

  // Stack: the name prefixes physical names; RDS and ElastiCache identifiers allow only lower-case
  // letters, digits and single hyphens, and the cache id is capped at 40 characters.
  check.expect(
    /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(c.namePrefix) && c.namePrefix.length <= MAX_NAME_PREFIX,
    "stack name",
    c.namePrefix,
    `"<project>-<stack>" must be lower-case letters, digits and single hyphens, at most ${MAX_NAME_PREFIX} characters (it prefixes RDS and ElastiCache identifiers)`,
  );
  // Only when the environment itself is valid (its own problem is reported already).
  if ((ENVIRONMENTS as readonly string[]).includes(c.stack) && c.raw.environment === c.environment && c.stack !== c.environment)
    check.problem(k("environment"), c.environment, `stack "${c.stack}" must use environment ${c.stack}; other stacks may pick any profile`);
  const zones = checkZones(check, k("availabilityZones"), c.availabilityZones, c.region);
  if (c.vpcCidr) {
    const count = Math.max(zones.length, 2);
    const parsed = parseCidr(c.vpcCidr);
    check.expect(
      !!parsed && isPrivateCidr(parsed) && parsed.prefix >= 16 && parsed.prefix <= maxVpcPrefix(count),
      k("vpcCidr"),
      c.vpcCidr,
      `must be an IPv4 network address in an RFC 1918 range with a prefix from /16 to /${maxVpcPrefix(count)} for ${count} AZs, e.g. 10.20.0.0/16`,
    );
  }
  prodOnly(c.retentionPolicy === "retain", k("retentionPolicy"), c.retentionPolicy, "prod keeps its data: retain");
  prodOnly(
    c.logRetentionDays >= PROD_MIN_LOG_RETENTION_DAYS,
    k("logRetentionDays"),
    c.logRetentionDays,
    `prod keeps its logs at least ${PROD_MIN_LOG_RETENTION_DAYS} days (the policy pack's log-group-retention rule)`,
  );

  // Disaster recovery: prod keeps a second region, dev stays cheap, and the DR region is another one.
  const dr = c.disasterRecovery;
  prodOnly(dr.enabled || c.standby, k("disasterRecovery.enabled"), dr.enabled, "prod keeps a DR region: its backups are copied there (true)");
  if (c.environment === "dev") check.expect(!dr.enabled, k("disasterRecovery.enabled"), dr.enabled, "dev has no DR region: false");
  if (dr.enabled) {
    check.expect(dr.region !== c.region, k("disasterRecovery.region"), dr.region, `must be another region than aws:region (${c.region})`);
    prodOnly(
      dr.backupRetentionDays >= PROD_MIN_BACKUP_DAYS,
      k("disasterRecovery.backupRetentionDays"),
      dr.backupRetentionDays,
      `prod keeps ${PROD_MIN_BACKUP_DAYS} days of backups in both regions (the policy pack's backup-copied-to-dr-region rule)`,
    );
  }

  // Network and compute.
  prodOnly(
    c.network.natGateways === "onePerAz",
    k("network.natGateways"),
    c.network.natGateways,
    "prod needs onePerAz: a single NAT gateway is a single point of failure",
  );
  prodOnly(!c.compute.spot, k("compute.spot"), c.compute.spot, "FARGATE_SPOT is allowed in dev only; set false for prod");

  // Database.
  const db = c.database;
  check.expect(
    db.serverless.minCapacity <= db.serverless.maxCapacity,
    k("database.serverless.minCapacity"),
    db.serverless.minCapacity,
    `must not exceed maxCapacity (${db.serverless.maxCapacity})`,
  );
  prodOnly(db.readers >= 1, k("database.readers"), db.readers, "prod needs at least 1 reader in another AZ (Multi-AZ failover target)");
  check.expect(zones.length === 0 || db.readers === 0 || zones.length >= 2, k("database.readers"), db.readers, "readers need a second AZ");
  prodOnly(
    db.backupRetentionDays >= PROD_MIN_BACKUP_DAYS,
    k("database.backupRetentionDays"),
    db.backupRetentionDays,
    `prod keeps ${PROD_MIN_BACKUP_DAYS} days of backups (the policy pack's database-backup-retention rule)`,
  );

  // Cache.
  prodOnly(c.cache.nodes >= 2, k("cache.nodes"), c.cache.nodes, "prod needs at least 2 nodes (primary + replica) for Multi-AZ automatic failover");
  prodOnly(
    c.cache.snapshotRetentionDays >= 1,
    k("cache.snapshotRetentionDays"),
    c.cache.snapshotRetentionDays,
    "prod keeps daily snapshots: at least 1 (the policy pack's elasticache-snapshots rule)",
  );
  const majors: readonly string[] = CACHE_ENGINE_MAJORS[c.cache.engine];
  check.expect(
    majors.includes(c.cache.engineVersion.split(".")[0]),
    k("cache.engineVersion"),
    c.cache.engineVersion,
    `${c.cache.engine} supports major version${majors.length > 1 ? "s" : ""} ${majors.join(" and ")}`,
  );

  // Edge.
  if (c.edge.hostedZone && c.domain && !isReplaced(c.edgeReplaced, "hostedZone"))
    check.expect(
      c.domain === c.edge.hostedZone || c.domain.endsWith(`.${c.edge.hostedZone}`),
      k("edge.hostedZone"),
      c.edge.hostedZone,
      `must contain ${k("domain")} (${c.domain}): the domain must equal the zone or be a name under it`,
    );
  if (c.domain) {
    check.expect(
      `${c.edge.originSubdomain}.${c.domain}`.length <= 64,
      k("edge.originSubdomain"),
      c.edge.originSubdomain,
      `makes ${c.edge.originSubdomain}.${c.domain} longer than the 64 characters ACM allows for the ALB certificate`,
    );
  }

  // Sign-in, alerts, delivery.
  prodOnly(c.auth.mfa === "ON", k("auth.mfa"), c.auth.mfa, "prod requires MFA for every user (ON)");
  prodOnly(
    c.observability.alertEmails.length > 0,
    k("observability.alertEmails"),
    (c.raw.observability as Raw | undefined)?.alertEmails,
    "prod needs at least one address: alarms nobody receives protect nothing",
  );
  if (c.services.entries.some((s) => s.value.pipeline) && c.delivery.sourceProvider === "CodeStarSourceConnection" && !c.delivery.connectionArn)
    check.problem(
      k("delivery.connectionArn"),
      (c.raw.delivery as Raw | undefined)?.connectionArn,
      "is required when services have pipelines and sourceProvider is CodeStarSourceConnection",
    );

  checkTablesAndQueues(check, c);
  checkFunctions(check, c);
  checkServices(check, c, isProd);
}

function checkZones(check: Checker, key: string, value: unknown, region: string): string[] {
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

/** A key unique across the entries as written, naming the later duplicate and the first user. */
function unique(check: Checker, entries: Written[], label: string): void {
  const first = new Map<unknown, string>();
  for (const { at, raw } of entries) {
    const v = raw[label];
    if ((typeof v !== "string" && typeof v !== "number") || v === "") continue;
    if (first.has(v)) check.problem(`${at}.${label}`, v, `must be unique; ${first.get(v)} already uses it`);
    else first.set(v, at);
  }
}

/** The names a list section declares, as written (an entry with other problems still declares its name). */
function namesOf(list: ListInput<unknown>): string[] {
  return list.all.flatMap((e) => (typeof e.raw.name === "string" ? [e.raw.name] : []));
}

/** The parsed consumers of the queues. */
export interface Consumers {
  functions: At<FunctionSettings>[];
  services: At<ServiceEntry>[];
}

/** Table and queue grants refer to what the stack declares. */
function checkGrants(check: Checker, at: string, grants: { tables: Record<string, string>; queues: Record<string, string> }, c: RuleInput): void {
  const declared = { tables: namesOf(c.tables), queues: namesOf(c.queues) };
  for (const field of ["tables", "queues"] as const) {
    for (const [name, mode] of Object.entries(grants[field])) {
      const kind = field.slice(0, -1);
      check.expect(
        declared[field].includes(name),
        `${at}.${field}.${name}`,
        mode,
        `the stack declares no ${kind} "${name}" (${c.ns}${field} has: ${declared[field].join(", ") || "none"})`,
      );
    }
  }
}

function checkTablesAndQueues(check: Checker, c: RuleInput): void {
  for (const { at, value: t, replaced } of c.tables.entries) {
    if (["partitionKey.name", "sortKey.name", "ttlAttribute"].some((k) => isReplaced(replaced, k))) continue;
    if (t.ttlAttribute && [t.partitionKey.name, t.sortKey?.name].includes(t.ttlAttribute))
      check.problem(`${at}.ttlAttribute`, t.ttlAttribute, "must not be a key attribute");
  }
  unique(check, c.tables.all, "name");
  unique(check, c.queues.all, "name");
  const consumers = { functions: c.functions.entries, services: c.services.entries };
  // Every queue has at most one consumer; a Lambda consumer's queue stays invisible for 6x its timeout.
  for (const { at, value: queue } of c.queues.entries) {
    const mine = queueConsumers(consumers, queue.name);
    if (mine.length > 1)
      check.problem(`${at}.name`, queue.name, `has ${mine.length} consumers (${mine.map((x) => x.by).join(", ")}); a queue needs exactly one`);
    const minimum = minimumVisibility(consumers, queue.name);
    if (queue.visibilityTimeoutSeconds !== undefined)
      check.expect(
        queue.visibilityTimeoutSeconds >= minimum.seconds,
        `${at}.visibilityTimeoutSeconds`,
        queue.visibilityTimeoutSeconds,
        `must be at least ${minimum.seconds} (6x the consuming function's ${minimum.timeout} s timeout)`,
      );
  }
}

function queueConsumers(c: Consumers, queue: string): { by: string; timeoutSeconds?: number }[] {
  return [
    ...c.functions.filter((f) => f.value.queue === queue).map((f) => ({ by: `function ${f.value.name}`, timeoutSeconds: f.value.timeoutSeconds })),
    ...c.services.filter((s) => s.value.access.queues[queue] === "consume").map((s) => ({ by: `service ${s.value.name}` })),
  ];
}

function minimumVisibility(c: Consumers, queue: string): { seconds: number; timeout?: number } {
  const timeout = queueConsumers(c, queue).find((x) => x.timeoutSeconds !== undefined)?.timeoutSeconds;
  return { seconds: timeout === undefined ? 0 : 6 * timeout, timeout };
}

/**
 * A queue's visibility timeout: as config sets it, else 6x its Lambda consumer's timeout (AWS's
 * guidance, so a batch Lambda is retrying is not handed out again), at least SQS's default 30 s.
 */
export function visibilityTimeout(c: Consumers, queue: QueueEntry): number {
  return queue.visibilityTimeoutSeconds ?? Math.max(30, minimumVisibility(c, queue.name).seconds);
}

function checkFunctions(check: Checker, c: RuleInput): void {
  for (const { at, value: f, replaced } of c.functions.entries) {
    if (!isReplaced(replaced, "name"))
      check.expect(fs.existsSync(path.join(FUNCTIONS_DIR, f.name, "handler.ts")), `${at}.name`, f.name, `needs its code at functions/${f.name}/handler.ts`);
    if (f.packages.length > 0) {
      try {
        packageClosure(f.packages, f.architecture);
      } catch (err) {
        check.problem(
          `${at}.packages`,
          f.packages,
          `must be installed for Lambda's ${f.architecture}: ${(err as Error).message.replace(/^function package: /, "")}`,
        );
      }
    }
    if (!isReplaced(replaced, "queue"))
      check.expect(namesOf(c.queues).includes(f.queue), `${at}.queue`, f.queue, `the stack declares no queue "${f.queue}" (${c.ns}queues)`);
    if (f.batchSize > 10)
      check.expect(f.maxBatchingWindowSeconds >= 1, `${at}.batchSize`, f.batchSize, "above 10 needs maxBatchingWindowSeconds >= 1 (an SQS event-source rule)");
    checkGrants(check, `${at}.access`, f.access, c);
  }
  unique(check, c.functions.all, "name");

  // Canaries: a run ends before the next starts; the runtime is one Synthetics still creates
  // canaries on; the names the Lambda log groups are derived from (21 characters) do not collide.
  if (c.synthetics.enabled) {
    const s = c.synthetics;
    check.expect(
      s.timeoutSeconds <= s.rateMinutes * 60,
      `${c.ns}synthetics.timeoutSeconds`,
      s.timeoutSeconds,
      `must be at most the time between runs (rateMinutes ${s.rateMinutes} = ${s.rateMinutes * 60} s): Synthetics refuses a longer run timeout`,
    );
    const major = Number(SYNTHETICS_RUNTIME.exec(s.runtimeVersion)?.[1] ?? 99);
    check.expect(
      major >= 3,
      `${c.ns}synthetics.runtimeVersion`,
      s.runtimeVersion,
      "is deprecated (syn-nodejs-2.x): Synthetics creates no canary on it; use syn-nodejs-3.0 or later",
    );
    const seen = new Map<string, string>();
    const routed = c.services.entries.map((e) => e.value);
    for (const canary of canaryChecks(c.namePrefix, routed, s)) {
      const head = canary.name.slice(0, CANARY_NAME_SIGNIFICANT);
      const other = seen.get(head);
      check.expect(
        other === undefined,
        `${c.ns}services`,
        canary.subject,
        `canaries "${other}" and "${canary.name}" share their first ${CANARY_NAME_SIGNIFICANT} characters ("${head}"), which name their log groups: rename the service`,
      );
      seen.set(head, canary.name);
    }
  }

  // The image pipeline: its queue exists, and only functions of a stack with the pipeline may use its buckets.
  if (c.images.enabled)
    check.expect(
      namesOf(c.queues).includes(c.images.queue),
      `${c.ns}images.queue`,
      c.images.queue,
      `must name a queue of this stack (${namesOf(c.queues).join(", ") || "none"})`,
    );
  for (const { at, value: f } of c.functions.entries)
    if (f.access.images) check.expect(c.images.enabled, `${at}.access.images`, true, `the stack has no image pipeline (${c.ns}images.enabled is false)`);

  // The partner API: routes below a routed service's prefix, and a user pool for its JWT authorizer.
  if (c.partnerApi.enabled) {
    check.expect(
      c.auth.enabled,
      `${c.ns}partnerApi.enabled`,
      true,
      `the partner API's JWT authorizer needs the Cognito user pool (${c.ns}auth.enabled is false)`,
    );
    const prefixes = c.services.entries.flatMap((e) => (e.value.pathPrefix ? [e.value.pathPrefix] : []));
    c.partnerApi.routes.forEach((r, i) =>
      check.expect(
        prefixes.some((p) => r.path.startsWith(`${p}/`)),
        `${c.ns}partnerApi.routes[${i}].path`,
        r.path,
        `must lie below a routed service's pathPrefix (${prefixes.join(", ") || "none"})`,
      ),
    );
    check.expect(c.partnerApi.routes.length > 0, `${c.ns}partnerApi.routes`, c.partnerApi.routes, "must list at least one route");
    // One ALB rule per service carries its partner patterns and the source address: 5 values at most.
    for (const p of prefixes) {
      const patterns = new Set(c.partnerApi.routes.filter((r) => r.path.startsWith(`${p}/`)).map((r) => albPattern(r.path)));
      check.expect(
        patterns.size <= 4,
        `${c.ns}partnerApi.routes`,
        [...patterns],
        `must give at most 4 distinct ALB path patterns below ${p} (an ALB rule takes 5 values, one is the source address)`,
      );
    }
  }

  // Schedules: exactly one target, and one the stack has.
  const queueNames = namesOf(c.queues);
  const functionNames = namesOf(c.functions);
  for (const { at, value: s } of c.schedules.entries) {
    if ((s.queue === undefined) === (s.function === undefined))
      check.problem(at, { queue: s.queue, function: s.function }, "must name exactly one target: queue or function");
    if (s.queue !== undefined)
      check.expect(queueNames.includes(s.queue), `${at}.queue`, s.queue, `must name a queue of this stack (${queueNames.join(", ") || "none"})`);
    if (s.function !== undefined)
      check.expect(
        functionNames.includes(s.function),
        `${at}.function`,
        s.function,
        `must name a function of this stack (${functionNames.join(", ") || "none"})`,
      );
    if (s.flexibleWindowMinutes > 0 && s.expression.startsWith("at("))
      check.problem(`${at}.flexibleWindowMinutes`, s.flexibleWindowMinutes, "must be 0 for a one-time at() schedule");
  }
  unique(check, c.schedules.all, "name");
}

function checkServices(check: Checker, c: RuleInput, isProd: boolean): void {
  const needs = (enabled: boolean, key: string, what: string, flag: string) =>
    check.expect(enabled, key, true, `the stack has no ${what} (${c.ns}${flag} is false)`);
  for (const { at, value: s, raw, replaced } of c.services.entries) {
    const routed = s.pathPrefix !== undefined;
    if (raw.listenerPriority !== undefined && !routed)
      check.problem(`${at}.listenerPriority`, raw.listenerPriority, "only routed services (with pathPrefix) have a listener rule");
    if (raw.loadBalancingAlgorithm !== undefined && !routed)
      check.problem(`${at}.loadBalancingAlgorithm`, raw.loadBalancingAlgorithm, "only routed services (with pathPrefix) have a target group");
    if (!isReplaced(replaced, "cpu") && !isReplaced(replaced, "memory"))
      check.expect(fargateMemoryOptions(s.cpu).includes(s.memory), `${at}.memory`, s.memory, describeFargateMemory(s.cpu));
    check.expect(s.minTasks <= s.maxTasks, `${at}.minTasks`, s.minTasks, `must not exceed maxTasks (${s.maxTasks})`);
    if (isProd) {
      check.expect(s.minTasks >= 2, `${at}.minTasks`, s.minTasks, "prod needs at least 2 tasks so losing one AZ keeps the service up");
      check.expect(!s.image.endsWith(":latest"), `${at}.image`, s.image, "prod images must be pinned to a version or digest, not :latest");
    }
    if (s.access.database) needs(c.database.enabled, `${at}.access.database`, "database", "database.enabled");
    if (s.access.cache) needs(c.cache.enabled, `${at}.access.cache`, "cache", "cache.enabled");
    if (s.access.fileSystem) needs(c.fileSystem.enabled, `${at}.access.fileSystem`, "file system", "fileSystem.enabled");
    if (s.access.email) needs(c.email.enabled, `${at}.access.email`, "e-mail sending", "email.enabled");
    if (s.access.sms) needs(c.email.sms.enabled, `${at}.access.sms`, "SMS sending", "email.sms.enabled");
    for (const pattern of s.readOnlyPaths)
      check.expect(
        routed && pattern.startsWith(`${s.pathPrefix}/`),
        `${at}.readOnlyPaths`,
        pattern,
        routed ? `must lie below the service's pathPrefix (${s.pathPrefix}/...)` : "only routed services (with pathPrefix) have paths",
      );
    if (s.requireSignIn) {
      check.expect(routed, `${at}.requireSignIn`, true, "only routed services (with pathPrefix) can require sign-in");
      needs(c.auth.enabled, `${at}.requireSignIn`, "Cognito user pool", "auth.enabled");
    }
    checkGrants(check, `${at}.access`, s.access, c);
    const declared = namesOf(c.services);
    for (const callee of s.calls) {
      if (callee === s.name) check.problem(`${at}.calls`, callee, "must name another service: a service calls itself locally, not through Service Connect");
      else check.expect(declared.includes(callee), `${at}.calls`, callee, `must name a service of this stack (${declared.join(", ")})`);
    }
  }
  // Calls form no cycle: a Service Connect client sees only endpoints that existed when it started, so callees deploy first.
  const calls = new Map(c.services.entries.map((e) => [e.value.name, e]));
  const cycleFrom = (start: string): string[] | undefined => {
    const walk = (name: string, path: string[]): string[] | undefined => {
      for (const next of calls.get(name)?.value.calls ?? []) {
        if (next === start) return [...path, next];
        if (!path.includes(next)) {
          const found = walk(next, [...path, next]);
          if (found) return found;
        }
      }
      return undefined;
    };
    return walk(start, [start]);
  };
  for (const [name, entry] of calls) {
    const cycle = cycleFrom(name);
    if (cycle && cycle[0] === [...cycle].slice(0, -1).sort()[0])
      check.problem(`${entry.at}.calls`, entry.value.calls, `must not form a cycle (${cycle.join(" -> ")}): callees deploy before their callers`);
  }
  // On every entry as written, whatever else is wrong with it: a secret must never pass unnoticed.
  for (const { at, raw } of c.services.all) if (isObject(raw.environment)) checkEnvironment(check, `${at}.environment`, raw.environment);
  for (const label of ["name", "pathPrefix", "listenerPriority"]) unique(check, c.services.all, label);
}

/**
 * Plain variables only: no secrets, no names the platform sets, string values. Stricter than the
 * pack (which lets `..._ARN` names through, as the platform injects secret ARNs): config has no reason
 * to set a credential-looking name at all. The value of such a name is never echoed.
 */
function checkEnvironment(check: Checker, key: string, environment: Raw): void {
  for (const name of Object.keys(environment)) {
    const at = `${key}.${name}`;
    const secret = SECRET_LOOKING_NAME.test(name);
    const value = secret ? "<redacted>" : environment[name];
    if (!check.expect(ENV_NAME.test(name), at, name, "variable names must match [A-Z_][A-Z0-9_]*")) continue;
    if (!check.expect(!secret, at, value, "looks like a secret; secrets are never plain environment variables: keep them in Secrets Manager and grant them"))
      continue;
    const injected = INJECTED_ENV_NAMES.includes(name) || INJECTED_ENV_PREFIXES.some((p) => name.startsWith(p));
    if (
      !check.expect(
        !injected,
        at,
        value,
        `${INJECTED_ENV_NAMES.join(", ")} and names starting with ${INJECTED_ENV_PREFIXES.join(", ")} are set by the platform`,
      )
    )
      continue;
    check.expect(typeof value === "string", at, value, "must be a string (quote numbers and booleans)");
  }
}

/**
 * Listener priorities: explicit ones as set; routed services without one get 100, 110, ...,
 * skipping the explicit ones, in config order.
 */
export function listenerPriorities(services: { pathPrefix?: string; listenerPriority?: number }[]): (number | undefined)[] {
  const explicit = new Set(services.map((s) => s.listenerPriority).filter((p) => p !== undefined));
  let next = 100;
  return services.map((s) => {
    if (!s.pathPrefix) return undefined;
    if (s.listenerPriority !== undefined) return s.listenerPriority;
    while (explicit.has(next)) next += 10;
    const assigned = next;
    next += 10;
    return assigned;
  });
}
