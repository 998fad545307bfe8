import type { RetentionPolicyName } from "./retention";
import {
  AuthSettings,
  CacheSettings,
  DeliverySettings,
  FileSystemSettings,
  FunctionSettings,
  QueueSettings,
  ComputeSettings,
  DatabaseSettings,
  EdgeSettings,
  Environment,
  NetworkSettings,
  ObservabilitySettings,
} from "./settings";

/**
 * Per-environment defaults. Stack config overrides any of these key by key; what config does not
 * set comes from here. dev is the same shape as prod at the smallest sensible size; prod is
 * Multi-AZ, protected and keeps data for long.
 */
export interface Profile {
  logRetentionDays: number;
  /** The retention policy a stack gets unless it names one (`platform:retentionPolicy`). */
  retentionPolicy: RetentionPolicyName;
  network: Omit<NetworkSettings, "vpcCidr">;
  compute: ComputeSettings;
  database: DatabaseSettings;
  cache: CacheSettings;
  /** Edge defaults; `hostedZone` and `healthCheckPath` have none (they follow the stack's domain and services). */
  edge: Omit<EdgeSettings, "hostedZone" | "healthCheckPath">;
  observability: Omit<ObservabilitySettings, "alertEmails">;
  /** Auth defaults; the domain prefix follows the stack name. */
  auth: Omit<AuthSettings, "domainPrefix">;
  fileSystem: FileSystemSettings;
  delivery: Omit<DeliverySettings, "connectionArn">;
  /** Defaults for queue and function entries. */
  queue: Pick<QueueSettings, "maxReceiveCount" | "retentionSeconds">;
  function: Omit<FunctionSettings, "name" | "queue" | "access">;
  /** Defaults for service entries. */
  service: { minTasks: number; maxTasks: number; cpu: number; memory: number; healthCheckPath: string };
}

const sharedEdge = {
  createHostedZone: false,
  originSubdomain: "origin",
  apiCacheTtlSeconds: 60,
  staticCacheTtlSeconds: 86400,
  errorCachingTtlSeconds: 10,
  cacheKey: { headers: [], queryStrings: [], cookies: [] },
  rateLimitWindowSeconds: 300 as const,
  albIdleTimeoutSeconds: 60,
};

const sharedData = {
  fileSystem: { enabled: true, posixUid: 1000, posixGid: 1000, rootPath: "/shared", mountPath: "/mnt/shared", transitionToIaDays: 30 },
  queue: { maxReceiveCount: 5, retentionSeconds: 345600 },
  delivery: {
    sourceProvider: "CodeStarSourceConnection" as const,
    buildImage: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
    computeType: "BUILD_GENERAL1_SMALL" as const,
    keepImages: 30,
  },
};

const shared = {
  compute: { cpuTargetPercent: 60, memoryTargetPercent: 75, requestsPerTarget: 1000 },
  database: { enabled: true, engineVersion: "16.6", databaseName: "app", secretRotationDays: 30 },
  cache: { enabled: true, engine: "valkey" as const, engineVersion: "8.0" },
};

export const PROFILES: Record<Environment, Profile> = {
  dev: {
    logRetentionDays: 14,
    retentionPolicy: "destroy",
    network: { natGateways: "single", flowLogAggregationSeconds: 600 },
    compute: { ...shared.compute, spot: true, containerInsights: "enabled" },
    database: {
      ...shared.database,
      instanceClass: "db.serverless",
      serverless: { minCapacity: 0.5, maxCapacity: 2 },
      readers: 0,
      backupRetentionDays: 1,
      performanceInsightsRetentionDays: 7,
    },
    cache: { ...shared.cache, nodeType: "cache.t4g.micro", nodes: 1, snapshotRetentionDays: 1 },
    edge: { ...sharedEdge, priceClass: "PriceClass_100", rateLimit: 1000 },
    // dev alarms only catch what is clearly broken; dev has no readers, so no replica-lag alarm fires.
    observability: {
      tracing: false,
      thresholds: {
        alb5xxPercent: 10,
        p99LatencySeconds: 5,
        serviceCpuPercent: 90,
        serviceMemoryPercent: 90,
        databaseCpuPercent: 90,
        replicaLagMs: 5000,
        freeableMemoryMiB: 128,
        cacheCpuPercent: 90,
        cacheEvictions: 1000,
        cacheHitRatePercent: 50,
        queueAgeSeconds: 1800,
        cdn5xxPercent: 10,
      },
      guardrails: { cloudTrail: false, guardDuty: false, budget: true, monthlyBudgetUsd: 400, trailRetentionDays: 90 },
    },
    auth: { enabled: true, mfa: "OPTIONAL", passwordMinLength: 12 },
    ...sharedData,
    function: { timeoutSeconds: 30, memoryMb: 256, reservedConcurrency: 2, batchSize: 10, maxBatchingWindowSeconds: 0 },
    service: { minTasks: 1, maxTasks: 2, cpu: 256, memory: 512, healthCheckPath: "/health" },
  },
  prod: {
    logRetentionDays: 365,
    retentionPolicy: "retain",
    network: { natGateways: "onePerAz", flowLogAggregationSeconds: 60 },
    compute: { ...shared.compute, spot: false, containerInsights: "enhanced" },
    database: {
      ...shared.database,
      instanceClass: "db.r6g.large",
      serverless: { minCapacity: 2, maxCapacity: 16 },
      readers: 1,
      backupRetentionDays: 35,
      performanceInsightsRetentionDays: 31,
    },
    cache: { ...shared.cache, nodeType: "cache.r7g.large", nodes: 2, snapshotRetentionDays: 7 },
    edge: { ...sharedEdge, priceClass: "PriceClass_All", rateLimit: 2000 },
    observability: {
      tracing: true,
      thresholds: {
        alb5xxPercent: 1,
        p99LatencySeconds: 1.5,
        serviceCpuPercent: 80,
        serviceMemoryPercent: 85,
        databaseCpuPercent: 80,
        replicaLagMs: 1000,
        freeableMemoryMiB: 1024,
        cacheCpuPercent: 75,
        cacheEvictions: 100,
        cacheHitRatePercent: 70,
        queueAgeSeconds: 300,
        cdn5xxPercent: 1,
      },
      guardrails: { cloudTrail: true, guardDuty: true, budget: true, monthlyBudgetUsd: 6000, trailRetentionDays: 2557 },
    },
    auth: { enabled: true, mfa: "ON", passwordMinLength: 14 },
    ...sharedData,
    function: { timeoutSeconds: 30, memoryMb: 512, reservedConcurrency: 20, batchSize: 10, maxBatchingWindowSeconds: 1 },
    service: { minTasks: 2, maxTasks: 10, cpu: 512, memory: 1024, healthCheckPath: "/health" },
  },
};
