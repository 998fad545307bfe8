import type { RetentionPolicy } from "./retention";

/**
 * The one typed settings object the program is built from. `stacks/index.ts` produces it from raw
 * Pulumi config merged over the environment profile (`stacks/profiles.ts`) and validated
 * (`stacks/validate.ts`); components receive slices of it and never read config themselves.
 */

/** The environments this project knows; each has a profile of defaults. */
export const ENVIRONMENTS = ["dev", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** NAT gateway layout: one shared gateway (cheap) or one per AZ (no single point of failure). */
export type NatLayout = "single" | "onePerAz";

/** ECS Container Insights level for the cluster. */
export type ContainerInsights = "enabled" | "enhanced" | "disabled";

export interface NetworkSettings {
  /** IPv4 CIDR of the VPC, e.g. `10.20.0.0/16`. */
  vpcCidr: string;
  /** NAT layout: `onePerAz` in prod, `single` in dev. */
  natGateways: NatLayout;
  /** Aggregation interval of VPC flow logs in seconds (60 or 600). */
  flowLogAggregationSeconds: 60 | 600;
}

export interface ComputeSettings {
  /** Allow FARGATE_SPOT capacity (dev only). */
  spot: boolean;
  /** Container Insights level for the ECS cluster. */
  containerInsights: ContainerInsights;
  /** Target average CPU utilisation (%) for service autoscaling. */
  cpuTargetPercent: number;
  /** Target average memory utilisation (%) for service autoscaling. */
  memoryTargetPercent: number;
  /** Default ALB requests per target per minute before a routed service scales out. */
  requestsPerTarget: number;
}

export interface ServerlessCapacity {
  /** Minimum Aurora capacity units (0-256, step 0.5). */
  minCapacity: number;
  /** Maximum Aurora capacity units (1-256, step 0.5), at least minCapacity. */
  maxCapacity: number;
}

export interface DatabaseSettings {
  /** Whether the stack has an Aurora cluster at all. */
  enabled: boolean;
  /** Aurora PostgreSQL engine version, e.g. `16.6`; its major picks the parameter-group family. */
  engineVersion: string;
  /** Instance class for every instance; `db.serverless` uses Serverless v2 capacity. */
  instanceClass: string;
  /** Serverless v2 capacity range, used when instanceClass is `db.serverless`. */
  serverless: ServerlessCapacity;
  /** Number of reader instances, placed in AZs other than the writer's. */
  readers: number;
  /** Name of the initial database. */
  databaseName: string;
  /** Automated backup retention in days (1-35). */
  backupRetentionDays: number;
  /** Rotation interval of the RDS-managed master password secret, in days (1-365). */
  secretRotationDays: number;
  /** Performance Insights retention in days: 7, a multiple of 31 from 31 to 713, or 731. */
  performanceInsightsRetentionDays: number;
}

export type CacheEngine = "valkey" | "redis";

export interface CacheSettings {
  /** Whether the stack has a cache at all. */
  enabled: boolean;
  /** `valkey` (default, cheaper) or `redis`. */
  engine: CacheEngine;
  /** Engine version, e.g. `8.0` for Valkey or `7.1` for Redis OSS. */
  engineVersion: string;
  /** Node type, e.g. `cache.t4g.micro`. */
  nodeType: string;
  /** Number of nodes (primary + replicas), 1-6; at least 2 enables Multi-AZ failover. */
  nodes: number;
  /** Days of daily snapshots to keep (0-35; 0 disables snapshots). */
  snapshotRetentionDays: number;
}

/** CloudFront price classes: edge locations used (cheapest first). */
export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

/** ALB target-group load-balancing algorithms. */
export type LoadBalancingAlgorithm = "round_robin" | "least_outstanding_requests";

/** What the API cache key holds; the same names are forwarded to the origin, nothing else. */
export interface CacheKeySettings {
  /** Request headers in the cache key, e.g. `Accept-Language` (max 10). */
  headers: string[];
  /** Query-string parameters in the cache key, e.g. `page` (max 10). */
  queryStrings: string[];
  /** Cookies in the cache key (max 10). */
  cookies: string[];
}

export interface EdgeSettings {
  /** Route 53 public hosted zone that holds `domain`, e.g. `shop.example.com`. */
  hostedZone: string;
  /** Create the hosted zone (true) or look up an existing one (false). */
  createHostedZone: boolean;
  /** Label of the ALB's origin name under `domain`, e.g. `origin` -> `origin.<domain>`. */
  originSubdomain: string;
  /** Path Route 53 health-checks through CloudFront: `https://<domain><path>`. */
  healthCheckPath: string;
  /** CloudFront price class. */
  priceClass: PriceClass;
  /** Default TTL of cached API GET/HEAD responses in seconds (60-300). */
  apiCacheTtlSeconds: number;
  /** Default TTL of static assets in seconds. */
  staticCacheTtlSeconds: number;
  /** Seconds CloudFront caches a 5xx error page before asking the origin again. */
  errorCachingTtlSeconds: number;
  /** What the API cache key (and origin request) carries. */
  cacheKey: CacheKeySettings;
  /** WAF rate limit: requests per client IP per evaluation window before blocking. */
  rateLimit: number;
  /** WAF rate-limit evaluation window in seconds (60, 120, 300 or 600). */
  rateLimitWindowSeconds: 60 | 120 | 300 | 600;
  /** ALB idle timeout in seconds (1-4000). */
  albIdleTimeoutSeconds: number;
}

/** Alarm thresholds; each alarm's README row says what it watches. */
export interface AlarmThresholds {
  /** ALB 5xx responses (target + ELB) as % of requests. */
  alb5xxPercent: number;
  /** ALB target response time p99, in seconds. */
  p99LatencySeconds: number;
  /** Service average CPU, %. */
  serviceCpuPercent: number;
  /** Service average memory, %. */
  serviceMemoryPercent: number;
  /** Aurora cluster CPU, %. */
  databaseCpuPercent: number;
  /** Aurora maximum replica lag, in milliseconds. */
  replicaLagMs: number;
  /** Aurora instance freeable memory floor, in MiB. */
  freeableMemoryMiB: number;
  /** Cache node engine CPU, %. */
  cacheCpuPercent: number;
  /** Cache evictions per 5 minutes. */
  cacheEvictions: number;
  /** Cache hit rate floor, % (ARCHITECTURE targets 70-80 %). */
  cacheHitRatePercent: number;
  /** Age of the oldest queued message, in seconds. */
  queueAgeSeconds: number;
  /** CloudFront 5xx error rate, %. */
  cdn5xxPercent: number;
}

export interface GuardrailSettings {
  /** Multi-region CloudTrail trail for the account (off where the organisation already has one). */
  cloudTrail: boolean;
  /** GuardDuty detector with findings routed to the alert topic. */
  guardDuty: boolean;
  /** Monthly AWS Budget for this stack with e-mail alerts. */
  budget: boolean;
  /** Monthly budget in USD. */
  monthlyBudgetUsd: number;
  /** Days the trail's log files are kept (they move to cheaper storage after 30 and 90 days). */
  trailRetentionDays: number;
}

export interface ObservabilitySettings {
  /** E-mail addresses subscribed to alerts and budget notifications. */
  alertEmails: string[];
  /** Run an X-Ray daemon next to every service and let tasks send traces. */
  tracing: boolean;
  /** Alarm thresholds for this environment. */
  thresholds: AlarmThresholds;
  /** Account-level guardrails. */
  guardrails: GuardrailSettings;
}

/** DynamoDB access: read (Get/Query/Scan), write (Put/Update/Delete) or both. */
export type TableAccessMode = "read" | "write" | "readwrite";
/** SQS access: send to a queue, or consume it (receive, delete, change visibility). */
export type QueueAccessMode = "send" | "consume";

export type SourceProvider = "CodeStarSourceConnection" | "CodeCommit";

export interface DeliverySettings {
  /** Where service code lives: a CodeStar (CodeConnections) connection to a Git host, or CodeCommit. */
  sourceProvider: SourceProvider;
  /** ARN of the connection, for CodeStarSourceConnection (created and authorised once in the console). */
  connectionArn?: string;
  /** CodeBuild managed image. */
  buildImage: string;
  /** CodeBuild compute type. */
  computeType: "BUILD_GENERAL1_SMALL" | "BUILD_GENERAL1_MEDIUM" | "BUILD_GENERAL1_LARGE";
  /** Tagged images each ECR repository keeps (older ones expire). */
  keepImages: number;
}

/** A service whose image a per-service pipeline builds and deploys. */
export interface ServicePipeline {
  /** `owner/name` on the Git host (CodeStar connection) or the CodeCommit repository name. */
  repository: string;
  /** Branch that deploys. */
  branch: string;
}

/** What a service may reach. Each key grants network access and IAM/secret access together. */
export interface ServiceAccess {
  /** Connect to the Aurora cluster (writer and reader endpoints) with IAM auth on port 5432. */
  database: boolean;
  /** Connect to the Redis/Valkey cache on port 6379 with the AUTH token injected as a secret. */
  cache: boolean;
  /** DynamoDB tables by name, with the access mode. */
  tables: Record<string, TableAccessMode>;
  /** SQS queues by name, with the access mode. */
  queues: Record<string, QueueAccessMode>;
  /** Mount the shared EFS file system (NFS 2049, IAM-authorised through its access point). */
  fileSystem: boolean;
}

/** A DynamoDB key attribute. */
export interface KeyAttribute {
  /** Attribute name. */
  name: string;
  /** S (string), N (number) or B (binary). */
  type: "S" | "N" | "B";
}

export interface TableSettings {
  /** Table name within the stack (physical: `<prefix>-<name>`). */
  name: string;
  /** Partition key. */
  partitionKey: KeyAttribute;
  /** Optional sort key. */
  sortKey?: KeyAttribute;
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes expired items. */
  ttlAttribute?: string;
}

export interface QueueSettings {
  /** Queue name within the stack (physical: `<prefix>-<name>`, DLQ `<prefix>-<name>-dlq`). */
  name: string;
  /** Receives before a message moves to the DLQ (1-1000). */
  maxReceiveCount: number;
  /** How long the queue keeps a message, in seconds (60 s to 14 days). */
  retentionSeconds: number;
  /** Visibility timeout in seconds; at least 6x the timeout of a Lambda consumer. */
  visibilityTimeoutSeconds: number;
}

export interface FunctionSettings {
  /** Function name; its code is `functions/<name>/handler.ts`. */
  name: string;
  /** Queue it consumes. */
  queue: string;
  /** Timeout in seconds (1-900). */
  timeoutSeconds: number;
  /** Memory in MB (128-10240). */
  memoryMb: number;
  /** Reserved concurrency: the most copies that run at once (2-1000; SQS polling needs 2). */
  reservedConcurrency: number;
  /** Messages per invocation (1-10 without a batching window, up to 10000 with one). */
  batchSize: number;
  /** Seconds to gather a batch (0-300). */
  maxBatchingWindowSeconds: number;
  /** Tables and queues it may use besides the queue it consumes. */
  access: { tables: Record<string, TableAccessMode>; queues: Record<string, "send"> };
}

export interface AuthSettings {
  /** Create the Cognito user pool, clients and hosted domain. */
  enabled: boolean;
  /** Hosted UI domain prefix: `<prefix>.auth.<region>.amazoncognito.com`, unique per region. */
  domainPrefix: string;
  /** MFA: OPTIONAL (dev) or ON (prod). */
  mfa: "OPTIONAL" | "ON";
  /** Minimum password length (8-99). */
  passwordMinLength: number;
}

export interface FileSystemSettings {
  /** Create the shared EFS file system. */
  enabled: boolean;
  /** POSIX uid and gid every access through the access point uses. */
  posixUid: number;
  posixGid: number;
  /** Directory the access point exposes as the root. */
  rootPath: string;
  /** Where services see it. */
  mountPath: string;
  /** Move files not read for this many days to Infrequent Access (1, 7, 14, 30, 60, 90, ...). */
  transitionToIaDays: number;
}

export interface ServiceSettings {
  /** DNS-safe name, 1-16 characters: `[a-z]([a-z0-9-]*[a-z0-9])?`. */
  name: string;
  /** Container image reference with a tag or digest. */
  image: string;
  /** Container port the service listens on. */
  port: number;
  /** ALB path prefix such as `/users`; absent for workers, which get no route. */
  pathPrefix?: string;
  /** Health-check path for the target group, e.g. `/health` (routed services). */
  healthCheckPath: string;
  /** ALB listener rule priority (1-49999; 50000 is the catch-all's), unique per stack. */
  listenerPriority?: number;
  /** Fargate task CPU units (256, 512, 1024, 2048, 4096, 8192, 16384). */
  cpu: number;
  /** Fargate task memory in MiB, valid for the chosen cpu. */
  memory: number;
  /** Minimum running tasks (autoscaling floor and initial desired count). */
  minTasks: number;
  /** Maximum running tasks (autoscaling ceiling). */
  maxTasks: number;
  /** ALB requests per target per minute before scaling out (routed services). */
  requestsPerTarget: number;
  /** How the ALB spreads requests over this service's targets. */
  loadBalancingAlgorithm: LoadBalancingAlgorithm;
  /** Require Cognito sign-in on this service's routes (ALB authenticate-cognito). */
  requireSignIn: boolean;
  /** Visible messages per running task the service scales to (queue consumers). */
  queueBacklogPerTask: number;
  /** Per-service delivery pipeline; the image in config is then only the first deploy's. */
  pipeline?: ServicePipeline;
  /** What the service may reach. */
  access: ServiceAccess;
  /** Plain, non-secret environment variables. Secrets come only from Secrets Manager. */
  environment: Record<string, string>;
}

export interface Settings {
  /** Pulumi project name. */
  project: string;
  /** Pulumi stack name. */
  stack: string;
  /** Environment profile in force. */
  environment: Environment;
  /** AWS region (from `aws:region`). */
  region: string;
  /** Explicit AZ names, all in `region`. */
  availabilityZones: string[];
  /** Public domain of the site, e.g. `example.com`. */
  domain: string;
  /** Prefix for physical names: `<project>-<stack>`. */
  namePrefix: string;
  /** Retention of every log group, a CloudWatch-allowed number of days. */
  logRetentionDays: number;
  /** What deleting, replacing or changing a resource that holds data does (`stacks/retention.ts`). */
  retention: RetentionPolicy;
  network: NetworkSettings;
  compute: ComputeSettings;
  database: DatabaseSettings;
  cache: CacheSettings;
  edge: EdgeSettings;
  observability: ObservabilitySettings;
  tables: TableSettings[];
  queues: QueueSettings[];
  functions: FunctionSettings[];
  auth: AuthSettings;
  fileSystem: FileSystemSettings;
  delivery: DeliverySettings;
  services: ServiceSettings[];
  /** Tags every AWS resource gets (from `aws:defaultTags`), also applied to explicit providers. */
  tags: Record<string, string>;
}
