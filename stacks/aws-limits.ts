/**
 * Values AWS accepts, as data and pure predicates. Mocks accept anything, so these are what stand
 * between a green test run and a failed first `pulumi up`. Sources: AWS docs for ECS task size,
 * CloudWatch Logs PutRetentionPolicy, VPC subnet sizing, Aurora and ElastiCache limits.
 */

/** Days CloudWatch Logs accepts as a retention policy. */
export const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Fargate task memory (MiB) allowed for each task CPU value. */
export function fargateMemoryOptions(cpu: number): number[] {
  const range = (from: number, to: number, step: number) => Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
  switch (cpu) {
    case 256:
      return [512, 1024, 2048];
    case 512:
      return range(1024, 4096, 1024);
    case 1024:
      return range(2048, 8192, 1024);
    case 2048:
      return range(4096, 16384, 1024);
    case 4096:
      return range(8192, 30720, 1024);
    case 8192:
      return range(16384, 61440, 4096);
    case 16384:
      return range(32768, 122880, 8192);
    default:
      return [];
  }
}

export const FARGATE_CPU_VALUES = [256, 512, 1024, 2048, 4096, 8192, 16384] as const;

/** Describes the memory Fargate accepts for `cpu`, for error messages. */
export function describeFargateMemory(cpu: number): string {
  const options = fargateMemoryOptions(cpu);
  if (options.length === 0) return `cpu must be one of ${FARGATE_CPU_VALUES.join(", ")}`;
  if (options.length <= 4) return `memory for cpu ${cpu} must be one of ${options.join(", ")}`;
  const step = options[1] - options[0];
  return `memory for cpu ${cpu} must be ${options[0]}-${options[options.length - 1]} in steps of ${step}`;
}

export interface ParsedCidr {
  /** Network address as a 32-bit unsigned integer. */
  address: number;
  prefix: number;
}

/** Parses an IPv4 CIDR; returns undefined unless it is well formed with no host bits set. */
export function parseCidr(cidr: string): ParsedCidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 2 ** (32 - prefix);
  if (address % hostBits !== 0) return undefined;
  return { address, prefix };
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c) as ParsedCidr);

/** True when `cidr` lies inside one of the RFC 1918 private ranges. */
export function isPrivateCidr(cidr: ParsedCidr): boolean {
  return PRIVATE_RANGES.some(
    (range) => cidr.prefix >= range.prefix && Math.floor(cidr.address / 2 ** (32 - range.prefix)) === Math.floor(range.address / 2 ** (32 - range.prefix)),
  );
}

/** Smallest subnet AWS allows (/28). */
export const MIN_SUBNET_PREFIX = 28;

export interface SubnetMasks {
  /** Prefix length of each private (application) subnet: half of an AZ's share. */
  private: number;
  /** Prefix length of each public subnet: an eighth of an AZ's share (ALB, NAT only). */
  public: number;
  /** Prefix length of each isolated (data) subnet: an eighth of an AZ's share. */
  isolated: number;
}

/**
 * Subnet sizes for a VPC of prefix `vpcPrefix` spread over `azCount` AZs: each AZ gets an equal
 * power-of-two share; inside it, private subnets (Fargate tasks, one IP each) get half, public and
 * isolated an eighth each, leaving a quarter free for later tiers.
 */
export function subnetMasks(vpcPrefix: number, azCount: number): SubnetMasks {
  const azPrefix = vpcPrefix + Math.ceil(Math.log2(Math.max(azCount, 1)));
  return { private: azPrefix + 1, public: azPrefix + 3, isolated: azPrefix + 3 };
}

/** Longest VPC prefix whose smallest subnet (public/isolated) is still at least /28 for `azCount` AZs. */
export function maxVpcPrefix(azCount: number): number {
  return MIN_SUBNET_PREFIX - subnetMasks(0, azCount).public;
}

/**
 * ALB listener-rule priorities run 1-50000 (ELB API reference, CreateRule). The platform's
 * catch-all rule (a 404 for CloudFront traffic on a path no service owns) takes the last one, so
 * service rules may use 1 to one below it.
 */
export const CATCH_ALL_RULE_PRIORITY = 50000;

/** Aurora PostgreSQL major versions with a supported `aurora-postgresqlNN` parameter family. */
export const AURORA_POSTGRES_MAJORS = [13, 14, 15, 16, 17] as const;

/** Parameter-group family for an Aurora PostgreSQL engine version, e.g. `16.6` -> `aurora-postgresql16`. */
export function auroraParameterFamily(engineVersion: string): string {
  return `aurora-postgresql${engineVersion.split(".")[0]}`;
}

/** Parameter-group family for an ElastiCache engine version: valkey 8.0 -> `valkey8`, redis 7.1 -> `redis7` (the only families config allows). */
export function cacheParameterFamily(engine: "valkey" | "redis", engineVersion: string): string {
  const major = engineVersion.split(".")[0];
  return `${engine}${major}`;
}

/** Performance Insights retention AWS accepts: 7 days (free tier), 31-day months up to 713, or 731. */
export function isValidPerformanceInsightsRetention(days: number): boolean {
  return days === 7 || days === 731 || (Number.isInteger(days) && days % 31 === 0 && days >= 31 && days <= 713);
}

/** Characters allowed in an ElastiCache AUTH token besides letters and digits (no @, " or /). */
export const AUTH_TOKEN_SPECIALS = "!&#$^<>-";

/** VPC flow-log aggregation intervals (seconds) EC2 CreateFlowLogs accepts. */
export const FLOW_LOG_AGGREGATION_SECONDS = [60, 600] as const;

/** ECS cluster Container Insights levels (the `containerInsights` cluster setting). */
export const CONTAINER_INSIGHTS_LEVELS = ["enabled", "enhanced", "disabled"] as const;

/** CloudFront price classes: edge locations used (cheapest first). */
export const CLOUDFRONT_PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;

/** Most headers, query strings or cookies a CloudFront cache policy may name in each list. */
export const CLOUDFRONT_CACHE_KEY_NAMES = 10;

/** WAF rate-based rule evaluation windows (seconds). */
export const WAF_RATE_WINDOWS_SECONDS = [60, 120, 300, 600] as const;

/** ALB target-group load-balancing algorithms. */
export const ALB_ALGORITHMS = ["round_robin", "least_outstanding_requests"] as const;

/** DynamoDB key attribute types: string, number, binary. */
export const DYNAMODB_KEY_TYPES = ["S", "N", "B"] as const;

/** EFS lifecycle `transitionToIa` values, in days. */
export const EFS_IA_TRANSITION_DAYS = [1, 7, 14, 30, 60, 90, 180, 270, 365] as const;

/** CodeBuild compute types of the general-purpose Linux fleet the build image runs on. */
export const CODEBUILD_COMPUTE_TYPES = ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"] as const;

/** Cognito MFA settings the platform offers (OFF is not one: a pool without MFA fails the pack). */
export const COGNITO_MFA = ["OPTIONAL", "ON"] as const;

/** Words Cognito refuses in a hosted-UI domain prefix. */
export const COGNITO_RESERVED_DOMAIN_WORDS = ["aws", "amazon", "cognito"] as const;

/** ElastiCache engines and the major versions with a parameter family config may use. */
export const CACHE_ENGINE_MAJORS = { valkey: ["7", "8"], redis: ["7"] } as const;
export const CACHE_ENGINES = ["valkey", "redis"] as const;

/**
 * Numeric ranges AWS itself imposes on what config sets, [min, max] (the schemas in stacks/sections/
 * use these; ranges a platform choice narrows are written there, beside the reason).
 */
export const AWS_RANGES = {
  /** RDS CreateDBCluster BackupRetentionPeriod. */
  auroraBackupRetentionDays: [1, 35],
  /** Aurora: up to 15 replicas per cluster. */
  auroraReaders: [0, 15],
  /** Aurora Serverless v2 MinCapacity (0 pauses), in ACUs of 0.5. */
  auroraMinAcu: [0, 256],
  /** Aurora Serverless v2 MaxCapacity, in ACUs of 0.5. */
  auroraMaxAcu: [1, 256],
  /** ElastiCache replication group: a primary and up to 5 replicas. */
  cacheNodes: [1, 6],
  /** ElastiCache SnapshotRetentionLimit. */
  cacheSnapshotRetentionDays: [0, 35],
  /** SQS redrive policy maxReceiveCount. */
  sqsMaxReceiveCount: [1, 1000],
  /** SQS MessageRetentionPeriod (60 s to 14 days). */
  sqsRetentionSeconds: [60, 1209600],
  /** SQS VisibilityTimeout (up to 12 hours). */
  sqsVisibilityTimeoutSeconds: [0, 43200],
  /** Lambda function timeout. */
  lambdaTimeoutSeconds: [1, 900],
  /** Lambda function memory. */
  lambdaMemoryMb: [128, 10240],
  /** Lambda SQS event source BatchSize (above 10 needs a batching window). */
  lambdaSqsBatchSize: [1, 10000],
  /** Lambda event source MaximumBatchingWindowInSeconds. */
  lambdaBatchingWindowSeconds: [0, 300],
  /** WAF rate-based statement Limit. */
  wafRateLimit: [10, 2_000_000_000],
  /** ALB idle_timeout.timeout_seconds. */
  albIdleTimeoutSeconds: [1, 4000],
  /** A TCP port. */
  port: [1, 65535],
  /** Fargate task memory over every CPU size (each CPU allows a part of it: fargateMemoryOptions). */
  fargateMemoryMib: [512, 122880],
  /** Cognito password policy MinimumLength. */
  cognitoPasswordLength: [6, 99],
} as const satisfies Record<string, readonly [number, number]>;
