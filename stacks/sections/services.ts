/** `platform:services`: the ECS Fargate services, what each may reach, and their defaults. */
import { ALB_ALGORITHMS, AWS_RANGES, CATCH_ALL_RULE_PRIORITY, FARGATE_CPU_VALUES } from "../aws-limits";
import { bool, int, mapOf, nameList, oneOf, section, str, v } from "../schema";
import { QUEUE_ACCESS_MODES, tableGrants } from "./data";
import { pipelineSchema } from "./delivery";
import type { Profiles } from "./environments";
import { HTTP_PATH } from "./names";

export type LoadBalancingAlgorithm = (typeof ALB_ALGORITHMS)[number];

/** What a service may reach. Each key grants network access and IAM/secret access together. */
export const accessSchema = section({
  /** Connect to the Aurora cluster (writer and reader endpoints) with IAM auth on port 5432. */
  database: v.optional(bool(), false),
  /** Connect to the Redis/Valkey cache on port 6379 with the AUTH token injected as a secret. */
  cache: v.optional(bool(), false),
  /** DynamoDB tables by name, with the access mode. */
  tables: v.optional(tableGrants, {}),
  /** SQS queues by name, with the access mode. */
  queues: v.optional(mapOf(oneOf(QUEUE_ACCESS_MODES), `must be a map of queue name to ${QUEUE_ACCESS_MODES.join(" | ")}`), {}),
  /** Mount the shared EFS file system (NFS 2049, IAM-authorised through its access point). */
  fileSystem: v.optional(bool(), false),
  /** Send e-mail through SES, from the stack's sender address and configuration set only. */
  email: v.optional(bool(), false),
  /** Send SMS to phone numbers through SNS, and nothing to any topic (needs `platform:email.sms.enabled`). */
  sms: v.optional(bool(), false),
});
export type ServiceAccess = v.InferOutput<typeof accessSchema>;

/** A service's task floor (also read by the resolver, which lets a valid floor raise the default ceiling). */
export const minTasksSchema = int(0, 1000);

export const serviceSchema = section({
  /** DNS-safe name, 1-16 characters: target-group names (`<prefix>-<name>`) are capped at 32. */
  name: str(
    /^[a-z]([a-z0-9-]{0,14}[a-z0-9])?$/,
    "a DNS-safe name: lower-case letters, digits and -, starting with a letter, 1-16 characters (target-group names are capped at 32)",
  ),
  /** Container image reference with a tag or digest. */
  image: str(
    /^[^\s:@]+(:\d+\/[^\s:@]+)?(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/,
    "an image reference with a tag or digest, e.g. public.ecr.aws/org/user:1.4.2",
  ),
  /** Container port the service listens on. */
  port: int(...AWS_RANGES.port, `the container port, ${AWS_RANGES.port.join("-")}`),
  /** ALB path prefix such as `/users`; absent for workers, which get no route. */
  pathPrefix: v.optional(
    str(/^\/[a-z0-9_-]+(\/[a-z0-9_-]+)*$/, "must start with / and contain only lower-case path segments, e.g. /users (no trailing / or *)"),
  ),
  /** Health-check path for the target group, e.g. `/health` (routed services). */
  healthCheckPath: str(HTTP_PATH, "must be an absolute HTTP path starting with /, e.g. /health"),
  /** ALB listener rule priority (1-49999; 50000 is the catch-all's), unique per stack; default 100, 110, ... */
  listenerPriority: v.optional(int(1, CATCH_ALL_RULE_PRIORITY - 1)),
  /** Fargate task CPU units. */
  cpu: oneOf(FARGATE_CPU_VALUES),
  /** Fargate task memory in MiB, valid for the chosen cpu (default: the smallest it allows). */
  memory: int(...AWS_RANGES.fargateMemoryMib),
  /** Minimum running tasks (autoscaling floor and initial desired count). */
  minTasks: minTasksSchema,
  /** Maximum running tasks (autoscaling ceiling). */
  maxTasks: int(1, 1000),
  /** ALB requests per target per minute before scaling out (routed services; default platform:compute.requestsPerTarget). */
  requestsPerTarget: int(10, 100000),
  /** How the ALB spreads requests over this service's targets (routed services). */
  loadBalancingAlgorithm: oneOf(ALB_ALGORITHMS),
  /** Require Cognito sign-in on this service's routes (ALB authenticate-cognito). */
  requireSignIn: bool(),
  /**
   * CloudFront path patterns below pathPrefix that only read (e.g. `/users/profiles/*`): there
   * CloudFront allows only GET, HEAD and OPTIONS, and with a DR region fails them over to its ALB
   * (an origin group: CloudFront refuses one on a behavior that allows writes). Default: none.
   */
  readOnlyPaths: v.optional(nameList(/^\/[a-z0-9_/-]+(\/\*)?$/, 10, "must be a list of up to 10 distinct path patterns such as /users/profiles/*"), []),
  /** Visible messages per running task the service scales to (queue consumers). */
  queueBacklogPerTask: int(1, 100000),
  /** Per-service delivery pipeline; the image in config is then only the first deploy's. */
  pipeline: v.optional(pipelineSchema),
  /** What the service may reach. */
  access: v.optional(accessSchema, {}),
  /**
   * Services of the stack this one calls privately (ECS Service Connect): each callee's security
   * group admits exactly its declared callers on its port, and the caller reaches it at
   * `SERVICE_<NAME>_URL` (`http://<name>:<port>`), never through CloudFront or the ALB. Default: none.
   */
  calls: v.optional(nameList(/^[a-z]([a-z0-9-]{0,14}[a-z0-9])?$/, 10, "must be a list of up to 10 distinct service names of this stack"), []),
  /** Plain, non-secret environment variables (checked by the rules: no secrets, no names the platform sets). */
  environment: v.optional(mapOf(v.unknown(), "must be a map of NAME: value strings"), {}),
});
/** A service entry as validated; `environment` values are strings once the rules have passed. */
export type ServiceEntry = v.InferOutput<typeof serviceSchema>;
export type ServiceSettings = Omit<ServiceEntry, "environment"> & { environment: Record<string, string> };

/** Defaults for service entries (requestsPerTarget comes from platform:compute). */
export interface ServiceDefaults {
  minTasks: number;
  maxTasks: number;
  cpu: (typeof FARGATE_CPU_VALUES)[number];
  memory: number;
  healthCheckPath: string;
  loadBalancingAlgorithm: LoadBalancingAlgorithm;
  requireSignIn: boolean;
  queueBacklogPerTask: number;
}
const shared = { healthCheckPath: "/health", loadBalancingAlgorithm: "round_robin", requireSignIn: false, queueBacklogPerTask: 100 } as const;
export const SERVICE_DEFAULTS: Profiles<ServiceDefaults> = {
  dev: { ...shared, minTasks: 1, maxTasks: 2, cpu: 256, memory: 512 },
  staging: { ...shared, minTasks: 2, maxTasks: 4, cpu: 256, memory: 512 },
  prod: { ...shared, minTasks: 2, maxTasks: 10, cpu: 512, memory: 1024 },
};

/** Environment-variable prefixes the platform injects itself (from grants); config may not set them. */
export const INJECTED_ENV_PREFIXES = ["DB_", "REDIS_", "TABLE_", "QUEUE_", "SHARED_", "SERVICE_", "EMAIL_", "SMS_", "AWS_", "ECS_"];
/** Variables the platform sets on every container; config may not override them. */
export const INJECTED_ENV_NAMES = ["PORT"];
