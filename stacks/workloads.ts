/**
 * Readers for the async and storage tiers of stack config: DynamoDB tables, SQS queues, Lambda
 * consumers, Cognito sign-in and the shared file system, plus the table/queue grants services and
 * functions declare. Same rules as stacks/index.ts: every problem names the key, the value and
 * what is allowed.
 */
import * as fs from "fs";
import * as path from "path";
import type { Profile } from "./profiles";
import {
  AuthSettings,
  DeliverySettings,
  FileSystemSettings,
  FunctionSettings,
  KeyAttribute,
  QueueAccessMode,
  QueueSettings,
  TableAccessMode,
  TableSettings,
} from "./settings";
import { Checker } from "./validate";

/** Where function code lives: `functions/<name>/handler.ts`. */
export const FUNCTIONS_DIR = path.join(__dirname, "..", "functions");

const RESOURCE_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,255}$/;
/** Cognito refuses hosted-domain prefixes containing these words. */
const RESERVED_DOMAIN_WORDS = ["aws", "amazon", "cognito"];

function readList(check: Checker, key: string, value: unknown): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    check.problem(key, value, "must be a list");
    return [];
  }
  return value;
}

/** Checks names are unique across entries, naming the later duplicate. */
function unique(check: Checker, key: string, names: (string | undefined)[]): void {
  const first = new Map<string, number>();
  names.forEach((name, i) => {
    if (!name) return;
    if (first.has(name)) check.problem(`${key}[${i}].name`, name, `must be unique; ${key}[${first.get(name)}] already uses it`);
    else first.set(name, i);
  });
}

function readKeyAttribute(check: Checker, key: string, value: unknown): KeyAttribute | undefined {
  if (value === undefined) return undefined;
  const raw = check.object(key, value, ["name", "type"]);
  return {
    name: check.requiredString(`${key}.name`, raw.name, ATTRIBUTE_NAME, "an attribute name of letters, digits, _ . -"),
    type: check.oneOf(`${key}.type`, raw.type, "S", ["S", "N", "B"] as const),
  };
}

export function readTables(check: Checker, key: string, value: unknown): TableSettings[] {
  const tables = readList(check, key, value).map((entry, i) => {
    const at = `${key}[${i}]`;
    const raw = check.object(at, entry, ["name", "partitionKey", "sortKey", "ttlAttribute"]);
    const partitionKey = readKeyAttribute(check, `${at}.partitionKey`, raw.partitionKey);
    if (!partitionKey) check.problem(`${at}.partitionKey`, undefined, "is required: {name, type: S | N | B}");
    const sortKey = readKeyAttribute(check, `${at}.sortKey`, raw.sortKey);
    const ttlAttribute = raw.ttlAttribute === undefined ? undefined : check.string(`${at}.ttlAttribute`, raw.ttlAttribute, "", ATTRIBUTE_NAME);
    if (ttlAttribute && [partitionKey?.name, sortKey?.name].includes(ttlAttribute)) {
      check.problem(`${at}.ttlAttribute`, ttlAttribute, "must not be a key attribute");
    }
    return {
      name: check.requiredString(`${at}.name`, raw.name, RESOURCE_NAME, "2-32 lower-case letters, digits and -, starting with a letter"),
      partitionKey: partitionKey ?? { name: "", type: "S" as const },
      sortKey,
      ttlAttribute: ttlAttribute || undefined,
    };
  });
  unique(
    check,
    key,
    tables.map((t) => t.name),
  );
  return tables;
}

export function readQueues(check: Checker, key: string, value: unknown, defaults: Profile["queue"]): QueueSettings[] {
  const queues = readList(check, key, value).map((entry, i) => {
    const at = `${key}[${i}]`;
    const raw = check.object(at, entry, ["name", "maxReceiveCount", "retentionSeconds", "visibilityTimeoutSeconds"]);
    return {
      name: check.requiredString(`${at}.name`, raw.name, RESOURCE_NAME, "2-32 lower-case letters, digits and -, starting with a letter"),
      maxReceiveCount: check.integer(`${at}.maxReceiveCount`, raw.maxReceiveCount, defaults.maxReceiveCount, 1, 1000),
      retentionSeconds: check.integer(`${at}.retentionSeconds`, raw.retentionSeconds, defaults.retentionSeconds, 60, 1209600),
      // Resolved once consumers are known (see resolveQueueVisibility); -1 means "not set".
      visibilityTimeoutSeconds: check.integer(`${at}.visibilityTimeoutSeconds`, raw.visibilityTimeoutSeconds, -1, 0, 43200),
    };
  });
  unique(
    check,
    key,
    queues.map((q) => q.name),
  );
  return queues;
}

/** Reads `tables:` and `queues:` grants of a service or function, against what the stack declares. */
export function readDataGrants<Q extends QueueAccessMode>(
  check: Checker,
  key: string,
  raw: Record<string, unknown>,
  declared: { tables: TableSettings[]; queues: QueueSettings[] },
  queueModes: readonly Q[],
): { tables: Record<string, TableAccessMode>; queues: Record<string, Q> } {
  const read = <M extends string>(field: "tables" | "queues", names: string[], modes: readonly M[]): Record<string, M> => {
    const out: Record<string, M> = {};
    const value = raw[field];
    if (value === undefined) return out;
    if (!check.isObject(value)) {
      check.problem(`${key}.${field}`, value, `must be a map of ${field.slice(0, -1)} name to ${modes.join(" | ")}`);
      return out;
    }
    for (const [name, mode] of Object.entries(value)) {
      const at = `${key}.${field}.${name}`;
      if (!names.includes(name)) {
        check.problem(at, mode, `the stack declares no ${field.slice(0, -1)} "${name}" (platform:${field} has: ${names.join(", ") || "none"})`);
        continue;
      }
      out[name] = check.oneOf(at, mode, modes[0], modes);
    }
    return out;
  };
  return {
    tables: read(
      "tables",
      declared.tables.map((t) => t.name),
      ["read", "write", "readwrite"] as const,
    ),
    queues: read(
      "queues",
      declared.queues.map((q) => q.name),
      queueModes,
    ),
  };
}

export function readFunctions(
  check: Checker,
  key: string,
  value: unknown,
  defaults: Profile["function"],
  declared: { tables: TableSettings[]; queues: QueueSettings[] },
): FunctionSettings[] {
  const functions = readList(check, key, value).map((entry, i) => {
    const at = `${key}[${i}]`;
    const raw = check.object(at, entry, [
      "name",
      "queue",
      "timeoutSeconds",
      "memoryMb",
      "reservedConcurrency",
      "batchSize",
      "maxBatchingWindowSeconds",
      "access",
    ]);
    const name = check.requiredString(`${at}.name`, raw.name, RESOURCE_NAME, "2-32 lower-case letters, digits and -, starting with a letter");
    if (name && RESOURCE_NAME.test(name)) {
      check.expect(fs.existsSync(path.join(FUNCTIONS_DIR, name, "handler.ts")), `${at}.name`, name, `needs its code at functions/${name}/handler.ts`);
    }
    const queue = check.requiredString(`${at}.queue`, raw.queue, RESOURCE_NAME, "the name of a queue in platform:queues");
    if (queue)
      check.expect(
        declared.queues.some((q) => q.name === queue),
        `${at}.queue`,
        queue,
        `the stack declares no queue "${queue}" (platform:queues)`,
      );
    const batchingWindow = check.integer(`${at}.maxBatchingWindowSeconds`, raw.maxBatchingWindowSeconds, defaults.maxBatchingWindowSeconds, 0, 300);
    const batchSize = check.integer(`${at}.batchSize`, raw.batchSize, defaults.batchSize, 1, 10000);
    if (batchSize > 10)
      check.expect(batchingWindow >= 1, `${at}.batchSize`, batchSize, "above 10 needs maxBatchingWindowSeconds >= 1 (an SQS event-source rule)");
    const rawAccess = check.object(`${at}.access`, raw.access, ["tables", "queues"]);
    return {
      name,
      queue,
      timeoutSeconds: check.integer(`${at}.timeoutSeconds`, raw.timeoutSeconds, defaults.timeoutSeconds, 1, 900),
      memoryMb: check.integer(`${at}.memoryMb`, raw.memoryMb, defaults.memoryMb, 128, 10240),
      // The SQS event source polls with at least 2 concurrent invocations.
      reservedConcurrency: check.integer(`${at}.reservedConcurrency`, raw.reservedConcurrency, defaults.reservedConcurrency, 2, 1000),
      batchSize,
      maxBatchingWindowSeconds: batchingWindow,
      access: readDataGrants(check, `${at}.access`, rawAccess, declared, ["send"] as const),
    };
  });
  unique(
    check,
    key,
    functions.map((f) => f.name),
  );
  return functions;
}

/**
 * Every queue has at most one consumer (a function or a service); a Lambda-consumed queue's
 * visibility timeout is at least 6x the function timeout (AWS's guidance, so a batch being retried
 * by Lambda is not handed out again), and defaults to exactly that.
 */
export function resolveQueueVisibility(
  check: Checker,
  key: string,
  queues: QueueSettings[],
  consumers: { queue: string; by: string; timeoutSeconds?: number }[],
): void {
  queues.forEach((queue, i) => {
    const mine = consumers.filter((c) => c.queue === queue.name);
    if (mine.length > 1)
      check.problem(`${key}[${i}].name`, queue.name, `has ${mine.length} consumers (${mine.map((c) => c.by).join(", ")}); a queue needs exactly one`);
    const timeout = mine.find((c) => c.timeoutSeconds !== undefined)?.timeoutSeconds;
    const minimum = timeout === undefined ? 0 : 6 * timeout;
    if (queue.visibilityTimeoutSeconds === -1) queue.visibilityTimeoutSeconds = Math.max(30, minimum);
    else
      check.expect(
        queue.visibilityTimeoutSeconds >= minimum,
        `${key}[${i}].visibilityTimeoutSeconds`,
        queue.visibilityTimeoutSeconds,
        `must be at least ${minimum} (6x the consuming function's ${timeout} s timeout)`,
      );
  });
}

export function readAuth(check: Checker, key: string, value: unknown, defaults: Profile["auth"], namePrefix: string, isProd: boolean): AuthSettings {
  const raw = check.object(key, value, ["enabled", "domainPrefix", "mfa", "passwordMinLength"]);
  const domainPrefix = check.string(
    `${key}.domainPrefix`,
    raw.domainPrefix,
    namePrefix,
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    "lower-case letters, digits and -, 1-63 characters",
  );
  const reserved = RESERVED_DOMAIN_WORDS.find((w) => domainPrefix.includes(w));
  if (reserved) check.problem(`${key}.domainPrefix`, domainPrefix, `must not contain "${reserved}" (Cognito reserves ${RESERVED_DOMAIN_WORDS.join(", ")})`);
  const mfa = check.oneOf(`${key}.mfa`, raw.mfa, defaults.mfa, ["OPTIONAL", "ON"] as const);
  if (isProd) check.expect(mfa === "ON", `${key}.mfa`, mfa, "prod requires MFA for every user (ON)");
  return {
    enabled: check.boolean(`${key}.enabled`, raw.enabled, defaults.enabled),
    domainPrefix,
    mfa,
    passwordMinLength: check.integer(`${key}.passwordMinLength`, raw.passwordMinLength, defaults.passwordMinLength, 12, 99),
  };
}

export function readFileSystem(check: Checker, key: string, value: unknown, defaults: FileSystemSettings): FileSystemSettings {
  const raw = check.object(key, value, Object.keys(defaults));
  const absolute = /^\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
  return {
    enabled: check.boolean(`${key}.enabled`, raw.enabled, defaults.enabled),
    posixUid: check.integer(`${key}.posixUid`, raw.posixUid, defaults.posixUid, 1, 4294967294),
    posixGid: check.integer(`${key}.posixGid`, raw.posixGid, defaults.posixGid, 1, 4294967294),
    rootPath: check.string(`${key}.rootPath`, raw.rootPath, defaults.rootPath, absolute, "an absolute directory such as /shared (not / itself)"),
    mountPath: check.string(`${key}.mountPath`, raw.mountPath, defaults.mountPath, absolute, "an absolute container path such as /mnt/shared"),
    transitionToIaDays: check.oneOf(`${key}.transitionToIaDays`, raw.transitionToIaDays, defaults.transitionToIaDays, [1, 7, 14, 30, 60, 90, 180, 270, 365]),
  };
}

const CONNECTION_ARN = /^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/;

export function readDelivery(check: Checker, key: string, value: unknown, defaults: Profile["delivery"], pipelined: boolean): DeliverySettings {
  const raw = check.object(key, value, ["sourceProvider", "connectionArn", "buildImage", "computeType", "keepImages"]);
  const sourceProvider = check.oneOf(`${key}.sourceProvider`, raw.sourceProvider, defaults.sourceProvider, ["CodeStarSourceConnection", "CodeCommit"] as const);
  const connectionArn =
    raw.connectionArn === undefined
      ? undefined
      : check.string(`${key}.connectionArn`, raw.connectionArn, "", CONNECTION_ARN, "must be a CodeStar/CodeConnections connection ARN");
  if (pipelined && sourceProvider === "CodeStarSourceConnection" && !connectionArn) {
    check.problem(`${key}.connectionArn`, raw.connectionArn, "is required when services have pipelines and sourceProvider is CodeStarSourceConnection");
  }
  return {
    sourceProvider,
    connectionArn: connectionArn || undefined,
    buildImage: check.string(
      `${key}.buildImage`,
      raw.buildImage,
      defaults.buildImage,
      /^aws\/codebuild\/[a-z0-9._/-]+:[\w.-]+$/,
      "must be a CodeBuild managed image such as aws/codebuild/amazonlinux-x86_64-standard:5.0",
    ),
    computeType: check.oneOf(`${key}.computeType`, raw.computeType, defaults.computeType, [
      "BUILD_GENERAL1_SMALL",
      "BUILD_GENERAL1_MEDIUM",
      "BUILD_GENERAL1_LARGE",
    ] as const),
    keepImages: check.integer(`${key}.keepImages`, raw.keepImages, defaults.keepImages, 1, 1000),
  };
}

/** A service's `pipeline:` entry: the repository it builds from and the branch that deploys. */
export function readServicePipeline(check: Checker, key: string, value: unknown): { repository: string; branch: string } | undefined {
  if (value === undefined) return undefined;
  const raw = check.object(key, value, ["repository", "branch"]);
  return {
    repository: check.requiredString(
      `${key}.repository`,
      raw.repository,
      /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)?$/,
      "owner/name on the Git host, or a CodeCommit repository name",
    ),
    branch: check.string(`${key}.branch`, raw.branch, "main", /^[A-Za-z0-9._/-]{1,255}$/, "a branch name"),
  };
}
