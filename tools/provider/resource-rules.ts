/**
 * Create-time rules of single resources: what the Create* (or Put*) API of each type rejects,
 * checked on every resource the program registers. Values AWS accepts live once, in
 * `stacks/aws-limits.ts`, and are shared with the config validator.
 */
import { fargateMemoryOptions, LOG_RETENTION_DAYS } from "../../stacks/aws-limits";
import { ResourceRule, RuleSubject } from "./rules";

const T = {
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  rdsCluster: "aws:rds/cluster:Cluster",
  rdsInstance: "aws:rds/clusterInstance:ClusterInstance",
  replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
  queue: "aws:sqs/queue:Queue",
  webAcl: "aws:wafv2/webAcl:WebAcl",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listenerRule: "aws:lb/listenerRule:ListenerRule",
  role: "aws:iam/role:Role",
  key: "aws:kms/key:Key",
  alias: "aws:kms/alias:Alias",
  secret: "aws:secretsmanager/secret:Secret",
  lambda: "aws:lambda/function:Function",
  eventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
  userPoolDomain: "aws:cognito/userPoolDomain:UserPoolDomain",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  flowLog: "aws:ec2/flowLog:FlowLog",
  table: "aws:dynamodb/table:Table",
  repository: "aws:ecr/repository:Repository",
  ecrLifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
} as const;

/** The name a resource gets: its explicit name, or Pulumi's auto-name (`<logical>-` plus 7 random characters). */
export function physicalName(subject: RuleSubject, field = "name"): string {
  const given = subject.inputs[field];
  return typeof given === "string" ? given : `${subject.name}-a1b2c3d`;
}

const json = (value: unknown): any => (typeof value === "string" ? JSON.parse(value) : value);
const show = (value: unknown): string => JSON.stringify(value);

/** RDS identifiers: 1-63 letters, digits and hyphens, starting with a letter, no `--`, no trailing `-`. */
function rdsIdentifierProblem(value: unknown, max = 63): string | undefined {
  if (typeof value !== "string") return undefined;
  const ok = value.length <= max && /^[a-zA-Z][a-zA-Z0-9-]*$/.test(value) && !value.includes("--") && !value.endsWith("-");
  return ok ? undefined : `${show(value)} must be 1-${max} letters, digits and hyphens, start with a letter, without "--" or a trailing "-"`;
}

/** Lambda's Node.js runtimes and the day each is deprecated (AWS Lambda developer guide, "Lambda runtimes"). */
export const NODE_RUNTIME_DEPRECATION: Readonly<Record<string, string>> = {
  "nodejs16.x": "2024-06-12",
  "nodejs18.x": "2025-09-01",
  "nodejs20.x": "2026-04-30",
  "nodejs22.x": "2027-04-30",
  "nodejs24.x": "2028-04-30",
};

/** Characters IAM accepts in a role description (tab, line breaks, printable Latin-1). */
// eslint-disable-next-line no-control-regex -- IAM's documented pattern includes tab and line breaks
const IAM_DESCRIPTION = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
/** Characters EC2 accepts in security-group and rule descriptions. */
const EC2_DESCRIPTION = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]*$/;

export const RESOURCE_RULES: readonly ResourceRule[] = [
  // ECS
  {
    id: "ecs-fargate-task-size",
    types: [T.taskDefinition],
    source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size",
    check: ({ inputs }) => {
      if (!(inputs.requiresCompatibilities ?? []).includes("FARGATE")) return undefined;
      const cpu = Number(inputs.cpu);
      const memory = Number(inputs.memory);
      return fargateMemoryOptions(cpu).includes(memory) ? undefined : `cpu ${inputs.cpu} with memory ${inputs.memory} is not a Fargate task size`;
    },
    examples: {
      ok: { inputs: { requiresCompatibilities: ["FARGATE"], cpu: "512", memory: "2048" } },
      bad: { inputs: { requiresCompatibilities: ["FARGATE"], cpu: "512", memory: "512" } },
    },
  },
  {
    id: "ecs-containers-fit-task",
    types: [T.taskDefinition],
    source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html",
    check: ({ inputs }) => {
      const containers: any[] = json(inputs.containerDefinitions) ?? [];
      const cpu = containers.reduce((sum, c) => sum + (c.cpu ?? 0), 0);
      const memory = containers.reduce((sum, c) => sum + (c.memoryReservation ?? c.memory ?? 0), 0);
      if (inputs.cpu !== undefined && cpu > Number(inputs.cpu)) return `containers reserve ${cpu} CPU units, more than the task's ${inputs.cpu}`;
      if (inputs.memory !== undefined && memory > Number(inputs.memory)) return `containers reserve ${memory} MiB, more than the task's ${inputs.memory}`;
      return undefined;
    },
    examples: {
      ok: { inputs: { cpu: "256", memory: "512", containerDefinitions: JSON.stringify([{ name: "a" }, { name: "x", cpu: 32, memoryReservation: 64 }]) } },
      bad: {
        inputs: {
          cpu: "256",
          memory: "512",
          containerDefinitions: JSON.stringify([
            { name: "a", memory: 512 },
            { name: "x", memoryReservation: 64 },
          ]),
        },
      },
    },
  },
  // CloudWatch Logs
  {
    id: "logs-retention",
    types: [T.logGroup],
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
    check: ({ inputs }) =>
      inputs.retentionInDays === undefined || LOG_RETENTION_DAYS.includes(inputs.retentionInDays)
        ? undefined
        : `retentionInDays ${inputs.retentionInDays} is not one of ${LOG_RETENTION_DAYS.join(", ")}`,
    examples: { ok: { inputs: { retentionInDays: 14 } }, bad: { inputs: { retentionInDays: 10 } } },
  },
  {
    id: "logs-group-name",
    types: [T.logGroup],
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
    check: (subject) => {
      const name = physicalName(subject);
      return name.length <= 512 && /^[.\-_/#A-Za-z0-9]+$/.test(name) ? undefined : `name ${show(name)} must be 1-512 of [.-_/#A-Za-z0-9]`;
    },
    examples: { ok: { inputs: { name: "/ecs/platform-prod/user" } }, bad: { inputs: { name: "/ecs/platform prod" } } },
  },
  // RDS
  {
    id: "rds-backup-retention",
    types: [T.rdsCluster],
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html",
    check: ({ inputs }) => {
      const days = inputs.backupRetentionPeriod;
      return days === undefined || (Number.isInteger(days) && days >= 1 && days <= 35) ? undefined : `backupRetentionPeriod ${days} must be 1-35`;
    },
    examples: { ok: { inputs: { backupRetentionPeriod: 35 } }, bad: { inputs: { backupRetentionPeriod: 0 } } },
  },
  {
    id: "rds-identifiers",
    types: [T.rdsCluster, T.rdsInstance],
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html",
    check: ({ inputs }) => {
      for (const field of ["clusterIdentifier", "identifier"]) {
        const problem = rdsIdentifierProblem(inputs[field]);
        if (problem) return `${field} ${problem}`;
      }
      const problem = rdsIdentifierProblem(inputs.finalSnapshotIdentifier, 255);
      return problem ? `finalSnapshotIdentifier ${problem}` : undefined;
    },
    examples: {
      ok: { inputs: { clusterIdentifier: "platform-prod-aurora", finalSnapshotIdentifier: "platform-prod-aurora-final" } },
      bad: { inputs: { clusterIdentifier: "1-aurora" } },
    },
  },
  {
    id: "rds-final-snapshot",
    types: [T.rdsCluster],
    source: "terraform-provider-aws internal/service/rds/cluster.go (delete: final_snapshot_identifier is required when skip_final_snapshot is false)",
    check: ({ inputs }) =>
      inputs.skipFinalSnapshot === true || inputs.finalSnapshotIdentifier
        ? undefined
        : "skipFinalSnapshot is false but no finalSnapshotIdentifier is set: destroy would fail",
    examples: { ok: { inputs: { skipFinalSnapshot: false, finalSnapshotIdentifier: "db-final" } }, bad: { inputs: { skipFinalSnapshot: false } } },
  },
  {
    id: "rds-serverless-capacity",
    types: [T.rdsCluster],
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ServerlessV2ScalingConfiguration.html",
    check: ({ inputs }) => {
      const s = inputs.serverlessv2ScalingConfiguration;
      if (!s) return undefined;
      const step = (n: number) => Number.isInteger(n * 2);
      const ok =
        step(s.minCapacity) && step(s.maxCapacity) && s.minCapacity >= 0 && s.maxCapacity >= 1 && s.maxCapacity <= 256 && s.minCapacity <= s.maxCapacity;
      return ok ? undefined : `serverlessv2ScalingConfiguration ${show(s)} must be 0-256 ACU (max at least 1) in steps of 0.5, min <= max`;
    },
    examples: {
      ok: { inputs: { serverlessv2ScalingConfiguration: { minCapacity: 0.5, maxCapacity: 2 } } },
      bad: { inputs: { serverlessv2ScalingConfiguration: { minCapacity: 4, maxCapacity: 2 } } },
    },
  },
  // ElastiCache
  {
    id: "elasticache-auth-token",
    types: [T.replicationGroup],
    source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html",
    check: ({ inputs }) => {
      const token = inputs.authToken;
      if (token === undefined) return undefined;
      if (inputs.transitEncryptionEnabled !== true) return "authToken needs transitEncryptionEnabled";
      const ok = typeof token === "string" && token.length >= 16 && token.length <= 128 && /^[\x21-\x7e]+$/.test(token) && !/[@"/]/.test(token);
      return ok ? undefined : `authToken must be 16-128 printable characters without @, " or / (got ${String(token).length} characters)`;
    },
    examples: {
      ok: { inputs: { transitEncryptionEnabled: true, authToken: "a".repeat(32) } },
      bad: { inputs: { transitEncryptionEnabled: true, authToken: "short/token" } },
    },
  },
  {
    id: "elasticache-failover",
    types: [T.replicationGroup],
    source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
    check: ({ inputs }) => {
      if (inputs.multiAzEnabled && !inputs.automaticFailoverEnabled) return "multiAzEnabled needs automaticFailoverEnabled";
      if (inputs.automaticFailoverEnabled && (inputs.numCacheClusters ?? 1) < 2)
        return `automaticFailoverEnabled needs numCacheClusters >= 2 (got ${inputs.numCacheClusters})`;
      const azs = inputs.preferredCacheClusterAzs;
      if (Array.isArray(azs) && azs.length !== inputs.numCacheClusters)
        return `preferredCacheClusterAzs has ${azs.length} entries for ${inputs.numCacheClusters} clusters`;
      return undefined;
    },
    examples: {
      ok: { inputs: { numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true } },
      bad: { inputs: { numCacheClusters: 1, automaticFailoverEnabled: true } },
    },
  },
  {
    id: "elasticache-group-id",
    types: [T.replicationGroup],
    source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
    check: ({ inputs }) => {
      const id = inputs.replicationGroupId;
      if (id === undefined) return undefined;
      const ok = typeof id === "string" && id.length <= 40 && /^[a-z][a-z0-9-]*$/.test(id) && !id.includes("--") && !id.endsWith("-");
      return ok
        ? undefined
        : `replicationGroupId ${show(id)} must be 1-40 lower-case letters, digits and hyphens, start with a letter, without "--" or a trailing "-"`;
    },
    examples: {
      ok: { inputs: { replicationGroupId: "platform-prod-cache" } },
      bad: { inputs: { replicationGroupId: "platform-a-very-long-stack-name-here-cache" } },
    },
  },
  // SQS
  {
    id: "sqs-queue-settings",
    types: [T.queue],
    source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html",
    check: (subject) => {
      const { inputs } = subject;
      const name = physicalName(subject);
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) return `name ${show(name)} must be 1-80 of [A-Za-z0-9_-]`;
      const retention = inputs.messageRetentionSeconds;
      if (retention !== undefined && (retention < 60 || retention > 1209600)) return `messageRetentionSeconds ${retention} must be 60-1209600`;
      const visibility = inputs.visibilityTimeoutSeconds;
      if (visibility !== undefined && (visibility < 0 || visibility > 43200)) return `visibilityTimeoutSeconds ${visibility} must be 0-43200`;
      const redrive = inputs.redrivePolicy ? json(inputs.redrivePolicy) : undefined;
      if (redrive && !(redrive.maxReceiveCount >= 1 && redrive.maxReceiveCount <= 1000))
        return `redrivePolicy.maxReceiveCount ${redrive.maxReceiveCount} must be 1-1000`;
      return undefined;
    },
    examples: {
      ok: { inputs: { name: "orders", redrivePolicy: JSON.stringify({ maxReceiveCount: 5 }) } },
      bad: { inputs: { name: "orders", messageRetentionSeconds: 30 } },
    },
  },
  // WAF
  {
    id: "wafv2-cloudfront-scope",
    types: [T.webAcl],
    source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html (Scope CLOUDFRONT: us-east-1)",
    check: ({ inputs, region }) =>
      inputs.scope === "CLOUDFRONT" && region !== "us-east-1" ? `scope CLOUDFRONT must be created in us-east-1, not ${region}` : undefined,
    examples: { ok: { inputs: { scope: "CLOUDFRONT" }, region: "us-east-1" }, bad: { inputs: { scope: "CLOUDFRONT" }, region: "eu-west-1" } },
  },
  {
    id: "wafv2-rate-limit",
    types: [T.webAcl],
    source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html",
    check: ({ inputs }) => {
      for (const rule of inputs.rules ?? []) {
        const rate = rule.statement?.rateBasedStatement;
        if (!rate) continue;
        if (!(rate.limit >= 10 && rate.limit <= 2_000_000_000)) return `rule ${rule.name}: limit ${rate.limit} must be 10-2000000000`;
        if (rate.evaluationWindowSec !== undefined && ![60, 120, 300, 600].includes(rate.evaluationWindowSec))
          return `rule ${rule.name}: evaluationWindowSec ${rate.evaluationWindowSec} must be 60, 120, 300 or 600`;
      }
      return undefined;
    },
    examples: {
      ok: { inputs: { rules: [{ name: "rate", statement: { rateBasedStatement: { limit: 2000, evaluationWindowSec: 300 } } }] } },
      bad: { inputs: { rules: [{ name: "rate", statement: { rateBasedStatement: { limit: 2000, evaluationWindowSec: 30 } } }] } },
    },
  },
  // Load balancing
  {
    id: "lb-names",
    types: [T.loadBalancer, T.targetGroup],
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
    check: (subject) => {
      if (subject.inputs.namePrefix !== undefined) return undefined;
      const name = physicalName(subject);
      const ok = name.length <= 32 && /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(name) && !name.startsWith("internal-");
      return ok ? undefined : `name ${show(name)} must be 1-32 letters, digits and hyphens, not starting or ending with "-" or starting with "internal-"`;
    },
    examples: { ok: { name: "edge-alb", inputs: {} }, bad: { name: "notification-worker-svc-tg", inputs: {} } },
  },
  {
    id: "lb-target-group-health-check",
    types: [T.targetGroup],
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    check: ({ inputs }) => {
      const h = inputs.healthCheck;
      if (!h) return undefined;
      if (h.interval !== undefined && (h.interval < 5 || h.interval > 300)) return `healthCheck.interval ${h.interval} must be 5-300`;
      if (h.timeout !== undefined && (h.timeout < 2 || h.timeout > 120)) return `healthCheck.timeout ${h.timeout} must be 2-120`;
      if (h.timeout !== undefined && h.interval !== undefined && h.timeout >= h.interval)
        return `healthCheck.timeout ${h.timeout} must be less than interval ${h.interval}`;
      for (const field of ["healthyThreshold", "unhealthyThreshold"]) {
        if (h[field] !== undefined && (h[field] < 2 || h[field] > 10)) return `healthCheck.${field} ${h[field]} must be 2-10`;
      }
      if (h.path !== undefined && (!String(h.path).startsWith("/") || String(h.path).length > 1024))
        return `healthCheck.path ${show(h.path)} must start with / (1-1024 characters)`;
      return undefined;
    },
    examples: { ok: { inputs: { healthCheck: { interval: 15, timeout: 5 } } }, bad: { inputs: { healthCheck: { interval: 5, timeout: 5 } } } },
  },
  {
    id: "lb-listener-rule-limits",
    types: [T.listenerRule],
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html (5 condition values per rule)",
    check: ({ inputs }) => {
      if (inputs.priority !== undefined && (inputs.priority < 1 || inputs.priority > 50000)) return `priority ${inputs.priority} must be 1-50000`;
      const values = (inputs.conditions ?? []).reduce(
        (sum: number, c: any) => sum + (c.pathPattern?.values?.length ?? 0) + (c.hostHeader?.values?.length ?? 0) + (c.httpHeader?.values?.length ?? 0),
        0,
      );
      return values > 5 ? `conditions compare ${values} values; a rule allows 5` : undefined;
    },
    examples: {
      ok: { inputs: { priority: 100, conditions: [{ pathPattern: { values: ["/a", "/a/*"] } }] } },
      bad: { inputs: { priority: 100, conditions: [{ pathPattern: { values: ["/a", "/a/*", "/b", "/b/*", "/c", "/c/*"] } }] } },
    },
  },
  // IAM
  {
    id: "iam-role-fields",
    types: [T.role],
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
    check: (subject) => {
      const { inputs } = subject;
      if (inputs.namePrefix === undefined && physicalName(subject).length > 64) return `name ${show(physicalName(subject))} is longer than 64 characters`;
      if (inputs.description !== undefined && (String(inputs.description).length > 1000 || !IAM_DESCRIPTION.test(inputs.description)))
        return `description ${show(inputs.description)} must be at most 1000 characters of IAM's description charset`;
      const trust = String(inputs.assumeRolePolicy ?? "");
      return trust.replace(/\s/g, "").length > 2048 ? `assumeRolePolicy is ${trust.length} characters; the default quota is 2048` : undefined;
    },
    examples: { ok: { inputs: { description: "ECS task role of user (platform-prod)" } }, bad: { inputs: { description: "task role — user" } } },
  },
  // KMS
  {
    id: "kms-key-settings",
    types: [T.key],
    source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html, API_ScheduleKeyDeletion.html",
    check: ({ inputs }) => {
      const rotation = inputs.rotationPeriodInDays;
      if (rotation !== undefined && (rotation < 90 || rotation > 2560)) return `rotationPeriodInDays ${rotation} must be 90-2560`;
      const window = inputs.deletionWindowInDays;
      if (window !== undefined && (window < 7 || window > 30)) return `deletionWindowInDays ${window} must be 7-30`;
      return undefined;
    },
    examples: { ok: { inputs: { rotationPeriodInDays: 365, deletionWindowInDays: 30 } }, bad: { inputs: { rotationPeriodInDays: 30 } } },
  },
  {
    id: "kms-key-policy-lockout",
    types: [T.key],
    source: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key (PutKeyPolicy lockout safety check)",
    check: ({ inputs }) => {
      if (inputs.policy === undefined || inputs.bypassPolicyLockoutSafetyCheck) return undefined;
      const statements: any[] = json(inputs.policy).Statement ?? [];
      const manages = statements.some((s) => {
        const actions = [s.Action].flat();
        const principals = [s.Principal?.AWS].flat().filter(Boolean);
        return (
          s.Effect === "Allow" &&
          !s.Condition &&
          principals.some((p: string) => /^arn:[^:]+:iam::\d{12}:root$/.test(p)) &&
          actions.some((a: string) => a === "kms:*" || a === "kms:PutKeyPolicy")
        );
      });
      return manages ? undefined : "the key policy does not let the account (root) manage the key: KMS rejects it as a lockout";
    },
    examples: {
      ok: {
        inputs: {
          policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }] }),
        },
      },
      bad: {
        inputs: {
          policy: JSON.stringify({
            Statement: [{ Effect: "Allow", Principal: { Service: "logs.eu-west-1.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*" }],
          }),
        },
      },
    },
  },
  {
    id: "kms-alias-name",
    types: [T.alias],
    source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html",
    check: ({ inputs }) => {
      const name = String(inputs.name ?? "");
      return /^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(name) && !name.startsWith("alias/aws/")
        ? undefined
        : `name ${show(name)} must be alias/<1-250 of [a-zA-Z0-9/_-]>, not alias/aws/...`;
    },
    examples: { ok: { inputs: { name: "alias/platform-prod-data" } }, bad: { inputs: { name: "alias/aws/data" } } },
  },
  // Secrets Manager
  {
    id: "secret-settings",
    types: [T.secret],
    source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html, API_DeleteSecret.html",
    check: (subject) => {
      const name = physicalName(subject);
      if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)) return `name ${show(name)} must be 1-512 of [A-Za-z0-9/_+=.@-]`;
      const window = subject.inputs.recoveryWindowInDays;
      return window === undefined || window === 0 || (window >= 7 && window <= 30) ? undefined : `recoveryWindowInDays ${window} must be 0 or 7-30`;
    },
    examples: { ok: { inputs: { name: "platform-prod/cache/auth-token", recoveryWindowInDays: 30 } }, bad: { inputs: { name: "x", recoveryWindowInDays: 3 } } },
  },
  // Lambda
  {
    id: "lambda-function-settings",
    types: [T.lambda],
    source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",
    check: (subject) => {
      const { inputs } = subject;
      const name = physicalName(subject);
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) return `name ${show(name)} must be 1-64 of [A-Za-z0-9_-]`;
      if (inputs.timeout !== undefined && (inputs.timeout < 1 || inputs.timeout > 900)) return `timeout ${inputs.timeout} must be 1-900`;
      if (inputs.memorySize !== undefined && (inputs.memorySize < 128 || inputs.memorySize > 10240)) return `memorySize ${inputs.memorySize} must be 128-10240`;
      return undefined;
    },
    examples: {
      ok: { inputs: { name: "platform-prod-orders", timeout: 30, memorySize: 512 } },
      bad: { inputs: { name: "platform-prod-orders", timeout: 1200 } },
    },
  },
  {
    id: "lambda-sqs-batching",
    types: [T.eventSourceMapping],
    source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html",
    check: ({ inputs }) => {
      if (!String(inputs.eventSourceArn ?? "").includes(":sqs:")) return undefined;
      const batch = inputs.batchSize ?? 10;
      if (batch < 1 || batch > 10000) return `batchSize ${batch} must be 1-10000 for SQS`;
      if (batch > 10 && !(inputs.maximumBatchingWindowInSeconds >= 1)) return `batchSize ${batch} above 10 needs maximumBatchingWindowInSeconds >= 1`;
      const concurrency = inputs.scalingConfig?.maximumConcurrency;
      return concurrency === undefined || (concurrency >= 2 && concurrency <= 1000)
        ? undefined
        : `scalingConfig.maximumConcurrency ${concurrency} must be 2-1000`;
    },
    examples: {
      ok: { inputs: { eventSourceArn: "arn:aws:sqs:eu-west-1:1:q", batchSize: 10 } },
      bad: { inputs: { eventSourceArn: "arn:aws:sqs:eu-west-1:1:q", batchSize: 50 } },
    },
  },
  {
    id: "lambda-runtime-supported",
    types: [T.lambda],
    source: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html (deprecation dates; creating functions is blocked soon after)",
    check: ({ inputs }, today = new Date()) => {
      const deprecated = NODE_RUNTIME_DEPRECATION[inputs.runtime];
      if (deprecated === undefined)
        return String(inputs.runtime ?? "").startsWith("nodejs") ? `runtime ${inputs.runtime} is not a Lambda Node.js runtime` : undefined;
      return today.toISOString().slice(0, 10) < deprecated
        ? undefined
        : `runtime ${inputs.runtime} was deprecated on ${deprecated}; Lambda no longer patches it and blocks new functions`;
    },
    examples: { ok: { inputs: { runtime: "nodejs24.x" } }, bad: { inputs: { runtime: "nodejs18.x" } } },
  },
  // Cognito
  {
    id: "cognito-domain-prefix",
    types: [T.userPoolDomain],
    source: "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html",
    check: ({ inputs }) => {
      const domain = String(inputs.domain ?? "");
      if (domain.includes(".")) return undefined; // a custom domain, not a prefix
      return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domain) && !/aws|amazon|cognito/.test(domain)
        ? undefined
        : `domain prefix ${show(domain)} must be 1-63 of [a-z0-9-] and contain none of aws, amazon, cognito`;
    },
    examples: { ok: { inputs: { domain: "shop-example-prod" } }, bad: { inputs: { domain: "shop-cognito" } } },
  },
  // EC2 security groups
  {
    id: "ec2-descriptions",
    types: [T.securityGroup, T.ingress, T.egress],
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
    check: ({ inputs }) => {
      const d = inputs.description;
      return d === undefined || (String(d).length <= 255 && EC2_DESCRIPTION.test(d))
        ? undefined
        : `description ${show(d)} must be at most 255 of a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*`;
    },
    examples: { ok: { inputs: { description: "ALB of platform-prod: HTTPS from CloudFront only" } }, bad: { inputs: { description: "ALB's group" } } },
  },
  {
    id: "ec2-rule-peer",
    types: [T.ingress, T.egress],
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html",
    check: ({ inputs }) => {
      const peers = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"].filter((k) => inputs[k] !== undefined);
      if (peers.length !== 1)
        return `a rule needs exactly one of cidrIpv4, cidrIpv6, prefixListId, referencedSecurityGroupId (got ${peers.join(", ") || "none"})`;
      if (inputs.ipProtocol !== "-1" && (inputs.fromPort === undefined || inputs.toPort === undefined || inputs.fromPort > inputs.toPort))
        return `ports ${inputs.fromPort}-${inputs.toPort} must be set with fromPort <= toPort`;
      return undefined;
    },
    examples: {
      ok: { inputs: { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" } },
      bad: { inputs: { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", prefixListId: "pl-1" } },
    },
  },
  {
    id: "ec2-flow-log",
    types: [T.flowLog],
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html",
    check: ({ inputs }) => {
      const interval = inputs.maxAggregationInterval;
      if (interval !== undefined && ![60, 600].includes(interval)) return `maxAggregationInterval ${interval} must be 60 or 600`;
      if ((inputs.logDestinationType ?? "cloud-watch-logs") === "cloud-watch-logs" && !inputs.iamRoleArn) return "delivery to CloudWatch Logs needs iamRoleArn";
      return undefined;
    },
    examples: {
      ok: { inputs: { maxAggregationInterval: 60, iamRoleArn: "arn:aws:iam::1:role/r" } },
      bad: { inputs: { maxAggregationInterval: 300, iamRoleArn: "arn:aws:iam::1:role/r" } },
    },
  },
  // S3
  {
    id: "s3-lifecycle-days",
    types: [T.lifecycle],
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html",
    check: ({ inputs }) => {
      for (const rule of inputs.rules ?? []) {
        const transitions: any[] = rule.transitions ?? [];
        for (const t of transitions) {
          if (["STANDARD_IA", "ONEZONE_IA"].includes(t.storageClass) && t.days < 30)
            return `rule ${rule.id}: ${t.storageClass} needs at least 30 days (got ${t.days})`;
        }
        const last = Math.max(0, ...transitions.map((t) => t.days ?? 0));
        const expiry = rule.expiration?.days;
        if (expiry !== undefined && transitions.length > 0 && expiry <= last)
          return `rule ${rule.id}: expiration after ${expiry} days must come after the last transition (${last} days)`;
        if (rule.noncurrentVersionExpiration && !(rule.noncurrentVersionExpiration.noncurrentDays >= 1))
          return `rule ${rule.id}: noncurrentDays must be at least 1`;
      }
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          rules: [
            {
              id: "r",
              transitions: [
                { days: 30, storageClass: "STANDARD_IA" },
                { days: 90, storageClass: "GLACIER_IR" },
              ],
              expiration: { days: 365 },
            },
          ],
        },
      },
      bad: {
        inputs: {
          rules: [
            {
              id: "r",
              transitions: [
                { days: 30, storageClass: "STANDARD_IA" },
                { days: 90, storageClass: "GLACIER_IR" },
              ],
              expiration: { days: 90 },
            },
          ],
        },
      },
    },
  },
  // CloudWatch alarms
  {
    id: "cloudwatch-alarm-evaluation",
    types: [T.metricAlarm],
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
    check: ({ inputs }) => {
      if ((inputs.datapointsToAlarm ?? inputs.evaluationPeriods) > inputs.evaluationPeriods)
        return `datapointsToAlarm ${inputs.datapointsToAlarm} exceeds evaluationPeriods ${inputs.evaluationPeriods}`;
      const queries: any[] = inputs.metricQueries ?? [];
      if (queries.length > 0) {
        if (inputs.metricName !== undefined || inputs.namespace !== undefined) return "metricQueries cannot be combined with metricName/namespace";
        const returned = queries.filter((q) => q.returnData).length;
        if (returned !== 1) return `exactly one metric query must have returnData true (got ${returned})`;
      }
      const period = inputs.period ?? queries.find((q) => q.metric)?.metric?.period;
      if (period !== undefined && period * inputs.evaluationPeriods > 86400 && period < 3600)
        return `period ${period} x evaluationPeriods ${inputs.evaluationPeriods} exceeds one day`;
      return undefined;
    },
    examples: {
      ok: { inputs: { evaluationPeriods: 5, datapointsToAlarm: 3, period: 60 } },
      bad: { inputs: { evaluationPeriods: 3, datapointsToAlarm: 5, period: 60 } },
    },
  },
  // DynamoDB
  {
    id: "dynamodb-attributes-are-keys",
    types: [T.table],
    source: "terraform-provider-aws internal/service/dynamodb/table.go (all attributes must be indexed)",
    check: ({ inputs }) => {
      const keys = new Set(
        [inputs.hashKey, inputs.rangeKey, ...(inputs.globalSecondaryIndexes ?? []).flatMap((i: any) => [i.hashKey, i.rangeKey])].filter(Boolean),
      );
      const unused = (inputs.attributes ?? []).map((a: any) => a.name).filter((n: string) => !keys.has(n));
      return unused.length ? `attributes ${unused.join(", ")} are not keys of the table or an index` : undefined;
    },
    examples: {
      ok: { inputs: { hashKey: "id", attributes: [{ name: "id", type: "S" }] } },
      bad: {
        inputs: {
          hashKey: "id",
          attributes: [
            { name: "id", type: "S" },
            { name: "n", type: "N" },
          ],
        },
      },
    },
  },
  // ECR
  {
    id: "ecr-repository-name",
    types: [T.repository],
    source: "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html",
    check: (subject) => {
      const name = physicalName(subject);
      const ok = name.length >= 2 && name.length <= 256 && /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name);
      return ok ? undefined : `name ${show(name)} must be 2-256 lower-case path components of [a-z0-9._-]`;
    },
    examples: { ok: { inputs: { name: "platform-prod/user" } }, bad: { inputs: { name: "Platform/User" } } },
  },
  {
    id: "ecr-lifecycle-order",
    types: [T.ecrLifecycle],
    source: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html#lifecycle_policy_parameters",
    check: ({ inputs }) => {
      const rules: any[] = json(inputs.policy)?.rules ?? [];
      const top = Math.max(...rules.map((r) => r.rulePriority));
      const any = rules.filter((r) => r.selection?.tagStatus === "any");
      if (any.length > 1) return "at most one rule may select tagStatus any";
      return any.length === 1 && any[0].rulePriority !== top
        ? `the tagStatus any rule must have the highest rulePriority (${any[0].rulePriority} < ${top})`
        : undefined;
    },
    examples: {
      ok: {
        inputs: {
          policy: JSON.stringify({
            rules: [
              { rulePriority: 1, selection: { tagStatus: "untagged" } },
              { rulePriority: 2, selection: { tagStatus: "any" } },
            ],
          }),
        },
      },
      bad: {
        inputs: {
          policy: JSON.stringify({
            rules: [
              { rulePriority: 1, selection: { tagStatus: "any" } },
              { rulePriority: 2, selection: { tagStatus: "untagged" } },
            ],
          }),
        },
      },
    },
  },
];
