/** `platform:observability`: who gets alerts, tracing, alarm thresholds and account guardrails. */
import { bool, int, num, section, v } from "../schema";
import type { Profiles } from "./environments";

const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;
const EMAILS_ALLOWED = "must be a list of distinct e-mail addresses";
const percent = () => num(0.1, 100);

export const thresholdsSchema = section({
  /** ALB 5xx responses (target + ELB) as % of requests. */
  alb5xxPercent: percent(),
  /** ALB target response time p99, in seconds. */
  p99LatencySeconds: num(0.01, 60),
  /** Private calls between services (Service Connect): the caller's p99 response time, in milliseconds. */
  callP99LatencyMs: int(1, 60000),
  /** Service average CPU, %. */
  serviceCpuPercent: percent(),
  /** Service average memory, %. */
  serviceMemoryPercent: percent(),
  /** Aurora cluster CPU, %. */
  databaseCpuPercent: percent(),
  /** Aurora maximum replica lag, in milliseconds. */
  replicaLagMs: int(10, 600000),
  /** Replication latency of the DR region's copies, in milliseconds: DynamoDB global tables (average) and a standby's Aurora secondary (maximum). */
  globalReplicationLatencyMs: int(100, 3600000),
  /** Aurora instance freeable memory floor, in MiB. */
  freeableMemoryMiB: int(16, 1048576),
  /** Cache node engine CPU, %. */
  cacheCpuPercent: percent(),
  /** Cache evictions per 5 minutes. */
  cacheEvictions: int(0, 100000000),
  /** Cache hit rate floor, % (the design targets 70-80 %). */
  cacheHitRatePercent: percent(),
  /** Age of the oldest queued message, in seconds. */
  queueAgeSeconds: int(60, 1209600),
  /** CloudFront 5xx error rate, %. */
  cdn5xxPercent: percent(),
  /** CloudFront cache hit rate floor, % (the design's edge target is 70-80 %). */
  cdnCacheHitRatePercent: percent(),
  /** Requests per 5 minutes below which the CloudFront hit rate is not judged (too few for the figure to mean something). */
  cdnCacheHitMinRequests: int(1, 100000000),
  /** A service's ephemeral storage in use, % of what its tasks reserve (Fargate: 20 GiB by default). */
  serviceStoragePercent: percent(),
  /** Days before an ACM certificate expires at which to alert (ACM renews from 60 days before). */
  certificateExpiryDays: int(1, 60),
  /** Lambda errors as % of invocations, per function. */
  functionErrorPercent: percent(),
  /** Lambda duration p90 as % of the function's timeout. */
  functionDurationPercentOfTimeout: percent(),
  /** Canary SuccessPercent floor, % (each period holds one run: below it is a failed run). */
  canarySuccessPercent: percent(),
  /** Canary run duration ceiling, in milliseconds. */
  canaryDurationMs: int(100, 840000),
});
export type AlarmThresholds = v.InferOutput<typeof thresholdsSchema>;

export const guardrailsSchema = section({
  /** Multi-region CloudTrail trail for the account (off where the organisation already has one). */
  cloudTrail: bool(),
  /** GuardDuty detector with findings routed to the alert topic. */
  guardDuty: bool(),
  /** Monthly AWS Budget for this stack with e-mail alerts. */
  budget: bool(),
  /** Monthly budget in USD. */
  monthlyBudgetUsd: num(1, 10000000),
  /** Days the trail's log files are kept (they move to cheaper storage after 30 and 90 days). */
  trailRetentionDays: int(90, 3653),
});
export type GuardrailSettings = v.InferOutput<typeof guardrailsSchema>;

export const observabilitySchema = section({
  /** E-mail addresses subscribed to alerts and budget notifications (no default). */
  alertEmails: v.pipe(
    v.array(v.string(EMAILS_ALLOWED), EMAILS_ALLOWED),
    v.check((list) => list.every((e) => EMAIL.test(e)) && new Set(list).size === list.length, EMAILS_ALLOWED),
  ),
  /** Run an X-Ray daemon next to every service and let tasks send traces. */
  tracing: bool(),
  /** Alarm thresholds for this environment. */
  thresholds: thresholdsSchema,
  /** Account-level guardrails. */
  guardrails: guardrailsSchema,
});
export type ObservabilitySettings = v.InferOutput<typeof observabilitySchema>;

// dev alarms only catch what is clearly broken; dev has no readers, so no replica-lag alarm fires.
const devThresholds: AlarmThresholds = {
  alb5xxPercent: 10,
  p99LatencySeconds: 5,
  callP99LatencyMs: 2000,
  serviceCpuPercent: 90,
  serviceMemoryPercent: 90,
  databaseCpuPercent: 90,
  replicaLagMs: 5000,
  globalReplicationLatencyMs: 60000,
  freeableMemoryMiB: 128,
  cacheCpuPercent: 90,
  cacheEvictions: 1000,
  cacheHitRatePercent: 50,
  queueAgeSeconds: 1800,
  cdn5xxPercent: 10,
  // dev's edge sees test traffic, with its cache cleared by every deploy: only a collapse is worth an alert.
  cdnCacheHitRatePercent: 30,
  cdnCacheHitMinRequests: 1000,
  serviceStoragePercent: 90,
  certificateExpiryDays: 44,
  functionErrorPercent: 10,
  functionDurationPercentOfTimeout: 90,
  canarySuccessPercent: 90,
  // dev runs small and scales from zero: only a hang is worth an alert.
  canaryDurationMs: 10000,
};
const prodThresholds: AlarmThresholds = {
  alb5xxPercent: 1,
  p99LatencySeconds: 1.5,
  // A call is one step of a request the ALB answers within 1.5 s at p99: half of it, at most.
  callP99LatencyMs: 500,
  serviceCpuPercent: 80,
  serviceMemoryPercent: 85,
  databaseCpuPercent: 80,
  replicaLagMs: 1000,
  globalReplicationLatencyMs: 30000,
  freeableMemoryMiB: 1024,
  cacheCpuPercent: 75,
  cacheEvictions: 100,
  cacheHitRatePercent: 70,
  queueAgeSeconds: 300,
  cdn5xxPercent: 1,
  // The design's target: 70-80 % of reads answered by the edge (and the plan's cost assumes 75 %).
  cdnCacheHitRatePercent: 70,
  // 30,000 requests in 5 minutes is 100 req/s, 15 % of the design's 667: below that (a quiet night) the ratio
  // swings with a handful of uncached requests and says nothing about the cache.
  cdnCacheHitMinRequests: 30000,
  // AWS's recommended alarm is at 90 % of the storage; 80 % leaves a deploy's worth of time to act.
  serviceStoragePercent: 80,
  // ACM renews managed certificates from 60 days before expiry; still unrenewed at 44 days means renewal
  // failed (AWS's recommended DaysToExpiry alarm), with six weeks left to fix the validation record.
  certificateExpiryDays: 44,
  // Queue consumers retry failed messages, so a few errors are absorbed; 1 % sustained is a broken release.
  functionErrorPercent: 1,
  // p90 at 80 % of the timeout: the slow tail is about to time out (and be retried, and time out again).
  functionDurationPercentOfTimeout: 80,
  // One run per minute, so a datapoint below 90 is a failed run; three failures in five minutes page.
  canarySuccessPercent: 90,
  // A health GET through CloudFront, the WAF and the ALB, whose p99 target is 1.5 s: 2 s is slow from outside.
  canaryDurationMs: 2000,
};

export const OBSERVABILITY_DEFAULTS: Profiles<ObservabilitySettings> = {
  dev: {
    alertEmails: [],
    tracing: false,
    thresholds: devThresholds,
    guardrails: { cloudTrail: false, guardDuty: false, budget: true, monthlyBudgetUsd: 400, trailRetentionDays: 90 },
  },
  // prod's alarms on smaller instances: memory floors follow the Serverless v2 size.
  staging: {
    alertEmails: [],
    tracing: true,
    thresholds: { ...prodThresholds, alb5xxPercent: 5, p99LatencySeconds: 3, freeableMemoryMiB: 256, cacheHitRatePercent: 50 },
    guardrails: { cloudTrail: false, guardDuty: false, budget: true, monthlyBudgetUsd: 1500, trailRetentionDays: 90 },
  },
  prod: {
    alertEmails: [],
    tracing: true,
    thresholds: prodThresholds,
    // The plan prices prod at the design load at about $8,300 a month (and a standby adds about $500 under the
    // same Environment tag): a budget whose 80 % forecast alert stays quiet at that load.
    guardrails: { cloudTrail: true, guardDuty: true, budget: true, monthlyBudgetUsd: 12000, trailRetentionDays: 2557 },
  },
};
