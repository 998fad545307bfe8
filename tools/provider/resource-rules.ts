/**
 * Create-time rules of single resources: what the Create* (or Put*) API of each type rejects,
 * checked on every resource the program registers. Values AWS accepts live once, in
 * `stacks/aws-limits.ts`, and are shared with the config validator.
 */
import { fargateMemoryOptions, LOG_RETENTION_DAYS } from "../../stacks/aws-limits";
import { ResourceRule, RuleSubject } from "./rules";

const T = {
  httpStage: "aws:apigatewayv2/stage:Stage",
  httpIntegration: "aws:apigatewayv2/integration:Integration",
  schedule: "aws:scheduler/schedule:Schedule",
  canary: "aws:synthetics/canary:Canary",
  promWorkspace: "aws:amp/workspace:Workspace",
  grafanaWorkspace: "aws:grafana/workspace:Workspace",
  scheduleGroup: "aws:scheduler/scheduleGroup:ScheduleGroup",
  backupVault: "aws:backup/vault:Vault",
  backupPlan: "aws:backup/plan:Plan",
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
  certificate: "aws:acm/certificate:Certificate",
  record: "aws:route53/record:Record",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  distribution: "aws:cloudfront/distribution:Distribution",
  cachePolicy: "aws:cloudfront/cachePolicy:CachePolicy",
  originRequestPolicy: "aws:cloudfront/originRequestPolicy:OriginRequestPolicy",
  oac: "aws:cloudfront/originAccessControl:OriginAccessControl",
  listener: "aws:lb/listener:Listener",
  ecsService: "aws:ecs/service:Service",
  scalingTarget: "aws:appautoscaling/target:Target",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
  parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
  clusterParameterGroup: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
  fileSystem: "aws:efs/fileSystem:FileSystem",
  accessPoint: "aws:efs/accessPoint:AccessPoint",
  secretRotation: "aws:secretsmanager/secretRotation:SecretRotation",
  redriveAllow: "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
  userPool: "aws:cognito/userPool:UserPool",
  userPoolClient: "aws:cognito/userPoolClient:UserPoolClient",
  topic: "aws:sns/topic:Topic",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  parameter: "aws:ssm/parameter:Parameter",
  project: "aws:codebuild/project:Project",
  pipeline: "aws:codepipeline/pipeline:Pipeline",
  bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  compositeAlarm: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  trail: "aws:cloudtrail/trail:Trail",
  detector: "aws:guardduty/detector:Detector",
  budget: "aws:budgets/budget:Budget",
  vpc: "awsx:ec2:Vpc",
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

/** CloudFront policies name at most 10 headers, query strings and cookies each. */
function tooManyItems(p: Record<string, any>): string | undefined {
  for (const [config, list] of [
    ["headersConfig", "headers"],
    ["queryStringsConfig", "queryStrings"],
    ["cookiesConfig", "cookies"],
  ]) {
    const items: string[] = p[config]?.[list]?.items ?? [];
    if (items.length > 10) return `${config} names ${items.length} items; at most 10`;
  }
  return undefined;
}

/** Aurora PostgreSQL parameters that apply only after a reboot (static): a change must say pending-reboot. */
export const STATIC_DB_PARAMETERS: readonly string[] = ["shared_preload_libraries", "max_connections", "rds.logical_replication"];

/** The transitions to Infrequent Access EFS accepts. */
export const EFS_IA_TRANSITIONS: readonly string[] = [1, 7, 14, 30, 60, 90, 180, 270, 365].map((d) => `AFTER_${d}_DAY${d === 1 ? "" : "S"}`);

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
  // AWS Backup
  {
    id: "backup-vault-name",
    types: [T.backupVault],
    source: "https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault.html (2-50 letters, digits, hyphens, underscores)",
    check: (subject) => {
      const name = physicalName(subject);
      return /^[A-Za-z0-9_-]{2,50}$/.test(name) ? undefined : `name ${show(name)} must be 2-50 of [A-Za-z0-9_-]`;
    },
    examples: { ok: { inputs: { name: "platform-prod-backups" } }, bad: { inputs: { name: "platform.prod.backups" } } },
  },
  {
    id: "backup-plan-rules",
    types: [T.backupPlan],
    source:
      "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html (rule name, cron schedule, start window >= 60 minutes, lifecycle 1-36500 days, cold storage + 90 <= delete)",
    check: ({ inputs }) => {
      const problems: string[] = [];
      const lifecycleProblem = (where: string, l: any) => {
        if (!l) return;
        if (l.deleteAfter !== undefined && !(Number.isInteger(l.deleteAfter) && l.deleteAfter >= 1 && l.deleteAfter <= 36500))
          problems.push(`${where} deleteAfter ${l.deleteAfter} must be 1-36500 days`);
        if (l.coldStorageAfter !== undefined && l.deleteAfter !== undefined && l.deleteAfter < l.coldStorageAfter + 90)
          problems.push(`${where} deleteAfter ${l.deleteAfter} must be at least coldStorageAfter + 90`);
      };
      for (const rule of inputs.rules ?? []) {
        const at = `rule ${show(rule.ruleName)}`;
        if (!/^[A-Za-z0-9._-]{1,50}$/.test(String(rule.ruleName))) problems.push(`${at}: ruleName must be 1-50 of [A-Za-z0-9._-]`);
        if (rule.schedule !== undefined && !/^cron\((\S+ ){5}\S+\)$/.test(rule.schedule))
          problems.push(`${at}: schedule ${show(rule.schedule)} is not cron( with six fields )`);
        if (rule.startWindow !== undefined && rule.startWindow < 60) problems.push(`${at}: startWindow ${rule.startWindow} must be at least 60 minutes`);
        lifecycleProblem(`${at}:`, rule.lifecycle);
        for (const copy of rule.copyActions ?? []) lifecycleProblem(`${at} copy:`, copy.lifecycle);
      }
      return problems.length ? problems.join("; ") : undefined;
    },
    examples: {
      ok: { inputs: { rules: [{ ruleName: "daily", schedule: "cron(0 3 * * ? *)", startWindow: 60, lifecycle: { deleteAfter: 35 } }] } },
      bad: { inputs: { rules: [{ ruleName: "daily", schedule: "cron(0 3 * * *)", startWindow: 30, lifecycle: { deleteAfter: 0 } }] } },
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
      const wait = inputs.receiveWaitTimeSeconds;
      if (wait !== undefined && (wait < 0 || wait > 20)) return `receiveWaitTimeSeconds ${wait} must be 0-20`;
      const reuse = inputs.kmsDataKeyReusePeriodSeconds;
      if (reuse !== undefined && (reuse < 60 || reuse > 86400)) return `kmsDataKeyReusePeriodSeconds ${reuse} must be 60-86400`;
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
      if ((inputs.architectures ?? []).length > 1) return `architectures ${show(inputs.architectures)} takes one value`;
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

  // ACM and Route 53
  {
    id: "acm-certificate-names",
    types: [T.certificate],
    source: "https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html",
    check: ({ inputs }) => {
      if (String(inputs.domainName ?? "").length > 64) return `domainName ${show(inputs.domainName)} is longer than 64 characters`;
      for (const name of [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])]) {
        if (typeof name === "string" && (name.length > 253 || name.endsWith(".")))
          return `name ${show(name)} must be at most 253 characters without a trailing dot`;
      }
      return undefined;
    },
    examples: {
      ok: { inputs: { domainName: "origin.shop.example.com", subjectAlternativeNames: ["shop.example.com"] } },
      bad: { inputs: { domainName: "shop.example.com." } },
    },
  },
  {
    id: "route53-cloudfront-alias",
    types: [T.record],
    source: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html (EvaluateTargetHealth cannot be true for CloudFront)",
    check: ({ inputs }) => {
      const alias = (inputs.aliases ?? []).find((a: any) => a.zoneId === "Z2FDTNDATAQYW2");
      if (alias?.evaluateTargetHealth) return "an alias to CloudFront (zone Z2FDTNDATAQYW2) cannot evaluate target health";
      if ((inputs.aliases ?? []).length > 0 && (inputs.ttl !== undefined || inputs.records !== undefined)) return "an alias record takes no ttl or records";
      return undefined;
    },
    examples: {
      ok: { inputs: { aliases: [{ name: "d1.cloudfront.net", zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }] } },
      bad: { inputs: { aliases: [{ name: "d1.cloudfront.net", zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: true }] } },
    },
  },
  {
    id: "route53-health-check",
    types: [T.healthCheck],
    source: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html",
    check: ({ inputs }) => {
      if (inputs.requestInterval !== undefined && ![10, 30].includes(inputs.requestInterval))
        return `requestInterval ${inputs.requestInterval} must be 10 or 30`;
      if (inputs.failureThreshold !== undefined && (inputs.failureThreshold < 1 || inputs.failureThreshold > 10))
        return `failureThreshold ${inputs.failureThreshold} must be 1-10`;
      if (String(inputs.resourcePath ?? "").length > 255) return "resourcePath is longer than 255 characters";
      if (String(inputs.type).startsWith("HTTPS") && inputs.fqdn && inputs.enableSni !== true)
        return "an HTTPS check of a name needs enableSni (CloudFront and ALBs serve certificates by SNI)";
      return undefined;
    },
    examples: {
      ok: { inputs: { type: "HTTPS", fqdn: "shop.example.com", enableSni: true, requestInterval: 30 } },
      bad: { inputs: { type: "HTTPS", fqdn: "shop.example.com", requestInterval: 20 } },
    },
  },
  // CloudFront
  {
    id: "cloudfront-distribution-settings",
    types: [T.distribution],
    source:
      "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html; https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html",
    check: ({ inputs }) => {
      if (String(inputs.comment ?? "").length > 128) return "comment is longer than 128 characters";
      const ordered: any[] = inputs.orderedCacheBehaviors ?? [];
      if (ordered.length > 25) return `${ordered.length} cache behaviors; the default quota is 25`;
      for (const b of [inputs.defaultCacheBehavior, ...ordered].filter(Boolean)) {
        const where = b.pathPattern ?? "default behavior";
        if ((b.cachedMethods ?? []).some((m: string) => !(b.allowedMethods ?? []).includes(m)))
          return `${where}: cachedMethods must be a subset of allowedMethods`;
        if (!b.cachePolicyId && !b.forwardedValues) return `${where}: needs a cachePolicyId`;
        const targets = [...(inputs.origins ?? []), ...(inputs.originGroups ?? [])].map((o: any) => o.originId);
        if (!targets.includes(b.targetOriginId)) return `${where}: targetOriginId ${b.targetOriginId} names no origin or origin group`;
      }
      for (const o of inputs.origins ?? []) {
        if (o.originAccessControlId && (o.customOriginConfig || !/\.s3\.[a-z0-9-]+\.amazonaws\.com$/.test(o.domainName)))
          return `origin ${o.originId}: origin access control needs the bucket's regional S3 domain and no customOriginConfig`;
      }
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          origins: [{ originId: "s", domainName: "b.s3.eu-west-1.amazonaws.com", originAccessControlId: "oac" }],
          defaultCacheBehavior: { targetOriginId: "s", cachePolicyId: "c", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"] },
        },
      },
      bad: {
        inputs: {
          origins: [{ originId: "s", domainName: "b.s3.eu-west-1.amazonaws.com" }],
          defaultCacheBehavior: { targetOriginId: "api", cachePolicyId: "c", allowedMethods: ["GET"], cachedMethods: ["GET"] },
        },
      },
    },
  },
  {
    id: "scheduler-schedule",
    types: [T.schedule],
    source:
      "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html; API_FlexibleTimeWindow; API_RetryPolicy; API_DeadLetterConfig (standard queues only); https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html",
    check: ({ inputs }) => {
      const name = String(inputs.name ?? "");
      if (!/^[0-9a-zA-Z._-]{1,64}$/.test(name)) return `name ${name} must be 1-64 letters, digits, ., _ or -`;
      if (!/^(rate\(|cron\(|at\()/.test(String(inputs.scheduleExpression)))
        return `scheduleExpression ${inputs.scheduleExpression} is not rate(), cron() or at()`;
      const tz = String(inputs.scheduleExpressionTimezone ?? "UTC");
      if (tz.length < 1 || tz.length > 50) return `scheduleExpressionTimezone ${tz} must be 1-50 characters`;
      const w = inputs.flexibleTimeWindow ?? {};
      if (w.mode === "FLEXIBLE" && !(w.maximumWindowInMinutes >= 1 && w.maximumWindowInMinutes <= 1440))
        return `flexibleTimeWindow FLEXIBLE needs maximumWindowInMinutes 1-1440 (got ${w.maximumWindowInMinutes})`;
      if (w.mode === "OFF" && w.maximumWindowInMinutes !== undefined) return "flexibleTimeWindow OFF takes no maximumWindowInMinutes";
      const t = inputs.target ?? {};
      if (!t.arn || !t.roleArn) return "target needs an arn and a roleArn";
      const r = t.retryPolicy;
      if (r && !(r.maximumEventAgeInSeconds >= 60 && r.maximumEventAgeInSeconds <= 86400))
        return `retryPolicy.maximumEventAgeInSeconds ${r.maximumEventAgeInSeconds} must be 60-86400`;
      if (r && !(r.maximumRetryAttempts >= 0 && r.maximumRetryAttempts <= 185))
        return `retryPolicy.maximumRetryAttempts ${r.maximumRetryAttempts} must be 0-185`;
      if (String(t.deadLetterConfig?.arn ?? "").endsWith(".fifo"))
        return "deadLetterConfig must be a standard queue: Scheduler does not deliver to a FIFO dead-letter queue";
      if (typeof t.input === "string" && Buffer.byteLength(t.input) > 256 * 1024) return "target.input is larger than 256 KB";
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          name: "daily",
          scheduleExpression: "rate(1 day)",
          flexibleTimeWindow: { mode: "FLEXIBLE", maximumWindowInMinutes: 15 },
          target: { arn: "arn:q", roleArn: "arn:r", retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 3 } },
        },
      },
      bad: {
        inputs: { name: "daily", scheduleExpression: "rate(1 day)", flexibleTimeWindow: { mode: "FLEXIBLE" }, target: { arn: "arn:q", roleArn: "arn:r" } },
      },
    },
  },
  {
    id: "amp-workspace",
    types: [T.promWorkspace],
    source:
      "https://docs.aws.amazon.com/prometheus/latest/APIReference/API_CreateWorkspace.html (alias 1-100 characters; kmsKeyArn a symmetric key, not multi-Region); terraform-provider-aws internal/service/amp/workspace.go",
    check: ({ inputs }) => {
      if (inputs.alias !== undefined && !(String(inputs.alias).length >= 1 && String(inputs.alias).length <= 100))
        return `alias ${inputs.alias} must be 1-100 characters`;
      if (/:key\/mrk-/.test(String(inputs.kmsKeyArn ?? "")))
        return `kmsKeyArn ${inputs.kmsKeyArn} is a multi-Region key, which Amazon Managed Service for Prometheus refuses`;
      return undefined;
    },
    examples: {
      ok: { inputs: { alias: "platform-prod", kmsKeyArn: "arn:aws:kms:eu-west-1:1:key/0f1e" } },
      bad: { inputs: { alias: "p", kmsKeyArn: "arn:aws:kms:eu-west-1:1:key/mrk-0f1e" } },
    },
  },
  {
    id: "grafana-workspace",
    types: [T.grafanaWorkspace],
    source:
      "https://docs.aws.amazon.com/grafana/latest/APIReference/API_CreateWorkspace.html (name 1-255 of [a-zA-Z0-9-._~]; a CUSTOMER_MANAGED workspace names its role; ORGANIZATION access names its units); terraform-provider-aws internal/service/grafana/workspace.go",
    check: ({ inputs }) => {
      const name = String(inputs.name ?? "");
      if (!/^[a-zA-Z0-9\-._~]{1,255}$/.test(name)) return `name ${name} must be 1-255 of letters, digits, - . _ ~`;
      const providers: string[] = inputs.authenticationProviders ?? [];
      if (providers.length === 0 || providers.some((p) => p !== "AWS_SSO" && p !== "SAML"))
        return `authenticationProviders ${JSON.stringify(providers)} must be AWS_SSO and/or SAML`;
      if (inputs.permissionType === "CUSTOMER_MANAGED" && !inputs.roleArn) return "permissionType CUSTOMER_MANAGED needs a roleArn";
      if (inputs.accountAccessType === "ORGANIZATION" && !(inputs.organizationalUnits ?? []).length)
        return "accountAccessType ORGANIZATION needs organizationalUnits";
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          name: "platform-prod",
          authenticationProviders: ["AWS_SSO"],
          permissionType: "CUSTOMER_MANAGED",
          roleArn: "arn:r",
          accountAccessType: "CURRENT_ACCOUNT",
        },
      },
      bad: {
        inputs: { name: "platform-prod", authenticationProviders: ["AWS_SSO"], permissionType: "CUSTOMER_MANAGED", accountAccessType: "CURRENT_ACCOUNT" },
      },
    },
  },
  {
    id: "synthetics-canary",
    types: [T.canary],
    source:
      "https://docs.aws.amazon.com/AmazonSynthetics/latest/APIReference/API_CreateCanary.html; API_CanaryCodeInput (nodejs/node_modules/<file>.js, ZipFile under 225 KB); API_CanaryRunConfigInput; API_CanaryScheduleInput; terraform-provider-aws internal/service/synthetics/canary.go",
    check: ({ inputs }) => {
      const name = String(inputs.name ?? "");
      if (!/^[0-9a-z_-]{1,255}$/.test(name)) return `name ${name} must be 1-255 lower-case letters, digits, - or _`;
      if (!/^s3:\/\/[a-z0-9.-]+\/./.test(String(inputs.artifactS3Location ?? "")))
        return `artifactS3Location ${inputs.artifactS3Location} must be s3://<bucket>/<prefix>`;
      if ((inputs.zipFile === undefined) === (inputs.s3Bucket === undefined)) return "give exactly one of zipFile and s3Bucket/s3Key";
      const every = /^rate\((\d+) (minute|minutes|hour)\)$/.exec(String(inputs.schedule?.expression ?? ""));
      if (!every && !/^cron\(/.test(String(inputs.schedule?.expression ?? "")))
        return `schedule.expression ${inputs.schedule?.expression} is not rate(...) or cron(...)`;
      const periodSeconds = every ? Number(every[1]) * (every[2] === "hour" ? 3600 : 60) : Infinity;
      if (every && !(periodSeconds === 0 || (periodSeconds >= 60 && periodSeconds <= 3600)))
        return `schedule.expression ${inputs.schedule.expression}: a rate is rate(1 minute) to rate(1 hour)`;
      const timeout = inputs.runConfig?.timeoutInSeconds;
      if (timeout !== undefined && !(timeout >= 3 && timeout <= 840 && (periodSeconds === 0 || timeout <= periodSeconds)))
        return `runConfig.timeoutInSeconds ${timeout} must be 3-840 and at most the time between runs (${periodSeconds} s)`;
      const memory = inputs.runConfig?.memoryInMb;
      if (memory !== undefined && !(memory >= 960 && memory <= 3008 && memory % 64 === 0))
        return `runConfig.memoryInMb ${memory} must be a multiple of 64 from 960 to 3008`;
      for (const key of ["successRetentionPeriod", "failureRetentionPeriod"])
        if (inputs[key] !== undefined && !(inputs[key] >= 1 && inputs[key] <= 455)) return `${key} ${inputs[key]} must be 1-455 days`;
      const enc = inputs.artifactConfig?.s3Encryption;
      if (enc?.encryptionMode === "SSE_KMS" && !enc.kmsKeyArn) return "artifactConfig.s3Encryption SSE_KMS needs a kmsKeyArn";
      if (enc?.encryptionMode === "SSE_S3" && enc.kmsKeyArn) return "artifactConfig.s3Encryption SSE_S3 takes no kmsKeyArn";
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          name: "user-platform-prod",
          artifactS3Location: "s3://artifacts/user-platform-prod/",
          zipFile: ".build/canaries/check-0f1e2d3c.zip",
          schedule: { expression: "rate(1 minute)" },
          runConfig: { timeoutInSeconds: 30 },
          artifactConfig: { s3Encryption: { encryptionMode: "SSE_KMS", kmsKeyArn: "arn:k" } },
        },
      },
      bad: {
        inputs: {
          name: "user-platform-prod",
          artifactS3Location: "s3://artifacts/user-platform-prod/",
          zipFile: ".build/canaries/check-0f1e2d3c.zip",
          schedule: { expression: "rate(1 minute)" },
          runConfig: { timeoutInSeconds: 120 },
        },
      },
    },
  },
  {
    id: "http-api-stage-throttling",
    types: [T.httpStage],
    source:
      "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html; pulumi/pulumi-aws#2363 and terraform-provider-aws PR #43307 (an omitted throttling field is sent as 0); http-api-logging.html",
    check: ({ inputs }) => {
      for (const [where, r] of [
        ["defaultRouteSettings", inputs.defaultRouteSettings],
        ...(inputs.routeSettings ?? []).map((x: any) => [`routeSettings ${x.routeKey}`, x]),
      ] as [string, any][]) {
        if (!r) continue;
        if (!(r.throttlingRateLimit > 0) || !(r.throttlingBurstLimit > 0))
          return `${where}: set both throttlingRateLimit and throttlingBurstLimit above 0 (an omitted one reaches API Gateway as 0: every request gets 429)`;
      }
      const log = inputs.accessLogSettings;
      if (log && (String(log.destinationArn).endsWith(":*") || Buffer.byteLength(String(log.format)) > 3072))
        return "accessLogSettings: destinationArn without :* and a format of at most 3 KB";
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          defaultRouteSettings: { throttlingRateLimit: 10, throttlingBurstLimit: 20 },
          routeSettings: [{ routeKey: "GET /x", throttlingRateLimit: 5, throttlingBurstLimit: 10 }],
        },
      },
      bad: { inputs: { defaultRouteSettings: { throttlingRateLimit: 10 } } },
    },
  },
  {
    id: "http-api-private-integration",
    types: [T.httpIntegration],
    source:
      "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html (listener or Cloud Map ARN, HTTP_PROXY, payload 1.0); api-gateway-extensions-integration-tls-config.html",
    check: ({ inputs }) => {
      if (inputs.connectionType !== "VPC_LINK") return undefined;
      if (inputs.integrationType !== "HTTP_PROXY") return "a VPC_LINK integration must be HTTP_PROXY";
      if (!/:listener\/(app|net)\/|:servicediscovery:.*:service\//.test(String(inputs.integrationUri)))
        return `integrationUri ${inputs.integrationUri} must be an ELB listener ARN or a Cloud Map service ARN (not the load balancer's)`;
      if ((inputs.payloadFormatVersion ?? "1.0") !== "1.0") return "a private integration supports payloadFormatVersion 1.0 only";
      if (/:listener\/app\//.test(String(inputs.integrationUri)) && !inputs.tlsConfig?.serverNameToVerify)
        return "an HTTPS listener needs tlsConfig.serverNameToVerify (else API Gateway sends plain HTTP)";
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          connectionType: "VPC_LINK",
          integrationType: "HTTP_PROXY",
          integrationUri: "arn:aws:elasticloadbalancing:eu-west-1:1:listener/app/a/1/2",
          tlsConfig: { serverNameToVerify: "origin.example.com" },
        },
      },
      bad: {
        inputs: { connectionType: "VPC_LINK", integrationType: "HTTP_PROXY", integrationUri: "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/a/1" },
      },
    },
  },
  {
    id: "scheduler-group-name",
    types: [T.scheduleGroup],
    source: "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateScheduleGroup.html",
    check: ({ inputs }) =>
      /^[0-9a-zA-Z._-]{1,64}$/.test(String(inputs.name ?? "")) ? undefined : `name ${inputs.name} must be 1-64 letters, digits, ., _ or -`,
    examples: { ok: { inputs: { name: "platform-prod" } }, bad: { inputs: { name: "platform prod/x" } } },
  },
  {
    id: "cloudfront-origin-groups",
    types: [T.distribution],
    source:
      "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html; https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginGroup.html; https://github.com/aws/aws-cdk/issues/32450 (the API's AllowedMethods error)",
    check: ({ inputs }) => {
      const groups: any[] = inputs.originGroups ?? [];
      if (groups.length > 10) return `${groups.length} origin groups; the default quota is 10`;
      const origins = new Set((inputs.origins ?? []).map((o: any) => o.originId));
      for (const g of groups) {
        const members: any[] = g.members ?? [];
        if (members.length !== 2) return `origin group ${g.originId}: has ${members.length} members; an origin group has exactly 2 (primary, secondary)`;
        const missing = members.find((m) => !origins.has(m.originId));
        if (missing) return `origin group ${g.originId}: member ${missing.originId} is not an origin of the distribution`;
        const codes: number[] = g.failoverCriteria?.statusCodes ?? [];
        const allowed = [400, 403, 404, 416, 500, 502, 503, 504];
        if (codes.length === 0 || codes.some((c) => !allowed.includes(c)))
          return `origin group ${g.originId}: failover status codes ${JSON.stringify(codes)}; CloudFront allows a non-empty subset of ${allowed.join(", ")}`;
      }
      const groupIds = new Set(groups.map((g) => g.originId));
      for (const b of [inputs.defaultCacheBehavior, ...(inputs.orderedCacheBehaviors ?? [])].filter(Boolean)) {
        const writes = (b.allowedMethods ?? []).filter((m: string) => !["GET", "HEAD", "OPTIONS"].includes(m));
        if (groupIds.has(b.targetOriginId) && writes.length > 0)
          return `${b.pathPattern ?? "default behavior"}: The parameter AllowedMethods cannot include POST, PUT, PATCH, or DELETE for a cached behavior associated with an origin group (allows ${writes.join(", ")})`;
      }
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          origins: [{ originId: "a" }, { originId: "b" }],
          originGroups: [{ originId: "g", failoverCriteria: { statusCodes: [500, 502] }, members: [{ originId: "a" }, { originId: "b" }] }],
          defaultCacheBehavior: { targetOriginId: "g", allowedMethods: ["GET", "HEAD", "OPTIONS"] },
        },
      },
      bad: {
        inputs: {
          origins: [{ originId: "a" }, { originId: "b" }],
          originGroups: [{ originId: "g", failoverCriteria: { statusCodes: [500] }, members: [{ originId: "a" }, { originId: "b" }] }],
          defaultCacheBehavior: { targetOriginId: "g", allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"] },
        },
      },
    },
  },
  {
    id: "cloudfront-cache-policy",
    types: [T.cachePolicy],
    source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CachePolicyConfig.html",
    check: ({ inputs }) => {
      if (String(inputs.comment ?? "").length > 128) return "comment is longer than 128 characters";
      if (!(inputs.minTtl <= inputs.defaultTtl && inputs.defaultTtl <= inputs.maxTtl))
        return `TTLs must satisfy minTtl <= defaultTtl <= maxTtl (got ${inputs.minTtl}, ${inputs.defaultTtl}, ${inputs.maxTtl})`;
      return tooManyItems(inputs.parametersInCacheKeyAndForwardedToOrigin ?? {});
    },
    examples: { ok: { inputs: { minTtl: 0, defaultTtl: 60, maxTtl: 300 } }, bad: { inputs: { minTtl: 0, defaultTtl: 600, maxTtl: 300 } } },
  },
  {
    id: "cloudfront-origin-request-policy",
    types: [T.originRequestPolicy],
    source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginRequestPolicyConfig.html (Authorization may only be in a cache policy)",
    check: ({ inputs }) => {
      if (String(inputs.comment ?? "").length > 128) return "comment is longer than 128 characters";
      if ((inputs.headersConfig?.headers?.items ?? []).some((h: string) => h.toLowerCase() === "authorization"))
        return "an origin request policy cannot forward Authorization (put it in the cache policy)";
      return tooManyItems(inputs);
    },
    examples: {
      ok: { inputs: { headersConfig: { headerBehavior: "whitelist", headers: { items: ["Accept-Language"] } } } },
      bad: { inputs: { headersConfig: { headerBehavior: "whitelist", headers: { items: ["Authorization"] } } } },
    },
  },
  {
    id: "cloudfront-names",
    types: [T.oac, T.cachePolicy, T.originRequestPolicy],
    source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html",
    check: ({ inputs }) =>
      String(inputs.name ?? "").length > 64 || !/^[A-Za-z0-9_-]*$/.test(String(inputs.name ?? ""))
        ? `name ${show(inputs.name)} must be at most 64 of [A-Za-z0-9_-]`
        : undefined,
    examples: { ok: { inputs: { name: "platform-prod-static" } }, bad: { inputs: { name: "platform prod static" } } },
  },
  {
    id: "wafv2-web-acl-rules",
    types: [T.webAcl],
    source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html; API_VisibilityConfig.html",
    check: ({ inputs }) => {
      if (!/^[\w-]{1,128}$/.test(String(inputs.name ?? "x"))) return `name ${show(inputs.name)} must be 1-128 of [A-Za-z0-9_-]`;
      const rules: any[] = inputs.rules ?? [];
      for (const key of ["priority", "name"]) {
        const values = rules.map((r) => r[key]);
        if (new Set(values).size !== values.length) return `rule ${key}s must be unique (got ${values.join(", ")})`;
      }
      for (const v of [inputs.visibilityConfig, ...rules.map((r) => r.visibilityConfig)].filter(Boolean)) {
        if (!/^[\w#:.\-/]{1,255}$/.test(v.metricName)) return `metricName ${show(v.metricName)} must be 1-255 of [A-Za-z0-9_#:.-/]`;
      }
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          name: "edge",
          rules: [
            { name: "a", priority: 0 },
            { name: "b", priority: 1 },
          ],
        },
      },
      bad: {
        inputs: {
          name: "edge",
          rules: [
            { name: "a", priority: 0 },
            { name: "b", priority: 0 },
          ],
        },
      },
    },
  },
  // Load balancing
  {
    id: "lb-listener-actions",
    types: [T.listener, T.listenerRule],
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_FixedResponseActionConfig.html; API_CreateListener.html",
    check: ({ type, inputs }) => {
      if (type === T.listener && inputs.protocol === "HTTPS" && (!inputs.certificateArn || !inputs.sslPolicy))
        return "an HTTPS listener needs certificateArn and sslPolicy";
      for (const a of [...(inputs.defaultActions ?? []), ...(inputs.actions ?? [])]) {
        const f = a.fixedResponse;
        if (!f) continue;
        if (!["text/plain", "text/css", "text/html", "application/javascript", "application/json"].includes(f.contentType))
          return `fixed-response contentType ${show(f.contentType)} is not one ELB accepts`;
        if (!/^[245]\d\d$/.test(String(f.statusCode))) return `fixed-response statusCode ${show(f.statusCode)} must be 2XX, 4XX or 5XX`;
        if (String(f.messageBody ?? "").length > 1024) return "fixed-response messageBody is longer than 1024 characters";
      }
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          protocol: "HTTPS",
          certificateArn: "arn:c",
          sslPolicy: "p",
          defaultActions: [{ fixedResponse: { contentType: "text/plain", statusCode: "403" } }],
        },
      },
      bad: {
        inputs: {
          protocol: "HTTPS",
          certificateArn: "arn:c",
          sslPolicy: "p",
          defaultActions: [{ fixedResponse: { contentType: "text/markdown", statusCode: "403" } }],
        },
      },
    },
  },
  {
    id: "lb-load-balancer-settings",
    types: [T.loadBalancer],
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html; API_LoadBalancerAttribute.html",
    check: ({ inputs }) => {
      if ((inputs.loadBalancerType ?? "application") === "application" && Array.isArray(inputs.subnets) && inputs.subnets.length < 2)
        return "an application load balancer needs subnets in at least two AZs";
      if (inputs.idleTimeout !== undefined && (inputs.idleTimeout < 1 || inputs.idleTimeout > 4000)) return `idleTimeout ${inputs.idleTimeout} must be 1-4000`;
      if (inputs.desyncMitigationMode !== undefined && !["monitor", "defensive", "strictest"].includes(inputs.desyncMitigationMode))
        return `desyncMitigationMode ${show(inputs.desyncMitigationMode)} is not monitor, defensive or strictest`;
      return undefined;
    },
    examples: { ok: { inputs: { subnets: ["a", "b"], idleTimeout: 60 } }, bad: { inputs: { subnets: ["a"] } } },
  },
  // ECS and Application Auto Scaling
  {
    id: "ecs-service-settings",
    types: [T.ecsService],
    source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html",
    check: ({ inputs }) => {
      if (inputs.healthCheckGracePeriodSeconds !== undefined && !(inputs.loadBalancers ?? []).length)
        return "healthCheckGracePeriodSeconds needs a load balancer";
      const strategy: any[] = inputs.capacityProviderStrategies ?? [];
      if (strategy.length && inputs.launchType) return "capacityProviderStrategies and launchType exclude each other";
      if (strategy.filter((s) => (s.base ?? 0) > 0).length > 1) return "only one capacity provider of a strategy may have a base";
      if (inputs.availabilityZoneRebalancing === "ENABLED" && (inputs.deploymentMaximumPercent ?? 200) <= 100)
        return "AZ rebalancing needs deploymentMaximumPercent above 100";
      const min = inputs.deploymentMinimumHealthyPercent ?? 100;
      if (min > (inputs.deploymentMaximumPercent ?? 200)) return `deploymentMinimumHealthyPercent ${min} exceeds deploymentMaximumPercent`;
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          capacityProviderStrategies: [{ capacityProvider: "FARGATE", base: 1 }],
          availabilityZoneRebalancing: "ENABLED",
          deploymentMaximumPercent: 200,
        },
      },
      bad: { inputs: { healthCheckGracePeriodSeconds: 60 } },
    },
  },
  {
    id: "ecs-task-definition-wiring",
    types: [T.taskDefinition],
    source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html; API_EFSVolumeConfiguration.html",
    check: ({ inputs }) => {
      const containers: any[] = json(inputs.containerDefinitions) ?? [];
      if (!containers.some((c) => c.essential !== false)) return "at least one container must be essential";
      const volumes = new Set((inputs.volumes ?? []).map((v: any) => v.name));
      for (const c of containers) {
        for (const m of c.mountPoints ?? [])
          if (!volumes.has(m.sourceVolume)) return `container ${c.name} mounts ${m.sourceVolume}, which is no volume of the task`;
        if (inputs.networkMode === "awsvpc")
          for (const p of c.portMappings ?? [])
            if (p.hostPort !== undefined && p.hostPort !== p.containerPort) return `container ${c.name}: awsvpc needs hostPort equal to containerPort`;
      }
      const names = containers.flatMap((c) => (c.portMappings ?? []).map((p: any) => p.name).filter(Boolean));
      if (new Set(names).size !== names.length) return `port mapping names ${names.join(", ")} must be unique`;
      for (const v of inputs.volumes ?? []) {
        const efs = v.efsVolumeConfiguration;
        if (efs && (efs.authorizationConfig?.iam === "ENABLED" || efs.authorizationConfig?.accessPointId) && efs.transitEncryption !== "ENABLED")
          return `volume ${v.name}: IAM or an access point needs transitEncryption ENABLED`;
      }
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          networkMode: "awsvpc",
          volumes: [{ name: "shared" }],
          containerDefinitions: JSON.stringify([{ name: "a", mountPoints: [{ sourceVolume: "shared" }], portMappings: [{ containerPort: 80 }] }]),
        },
      },
      bad: { inputs: { networkMode: "awsvpc", volumes: [], containerDefinitions: JSON.stringify([{ name: "a", mountPoints: [{ sourceVolume: "shared" }] }]) } },
    },
  },
  {
    id: "appautoscaling-ecs-target",
    types: [T.scalingTarget],
    source: "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html",
    check: ({ inputs }) => {
      if (inputs.minCapacity > inputs.maxCapacity) return `minCapacity ${inputs.minCapacity} exceeds maxCapacity ${inputs.maxCapacity}`;
      if (inputs.serviceNamespace !== "ecs") return undefined;
      if (inputs.scalableDimension !== "ecs:service:DesiredCount") return `an ECS target scales ecs:service:DesiredCount, not ${inputs.scalableDimension}`;
      return /^service\/[^/]+\/[^/]+$/.test(String(inputs.resourceId))
        ? undefined
        : `resourceId ${show(inputs.resourceId)} must be service/<cluster>/<service>`;
    },
    examples: {
      ok: { inputs: { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId: "service/c/s", minCapacity: 1, maxCapacity: 2 } },
      bad: { inputs: { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId: "c/s", minCapacity: 1, maxCapacity: 2 } },
    },
  },
  {
    id: "appautoscaling-target-tracking",
    types: [T.scalingPolicy],
    source:
      "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html; API_PredefinedMetricSpecification.html",
    check: ({ inputs }) => {
      const c = inputs.targetTrackingScalingPolicyConfiguration;
      if (!c) return undefined;
      if (!(c.targetValue > 0)) return `targetValue ${c.targetValue} must be positive`;
      const predefined = c.predefinedMetricSpecification;
      if (
        predefined?.predefinedMetricType === "ALBRequestCountPerTarget" &&
        !/^app\/[^/]+\/[^/]+\/targetgroup\/[^/]+\/[^/]+$/.test(String(predefined.resourceLabel))
      )
        return `ALBRequestCountPerTarget needs resourceLabel app/<lb>/<id>/targetgroup/<tg>/<id> (got ${show(predefined.resourceLabel)})`;
      const metrics: any[] = c.customizedMetricSpecification?.metrics ?? [];
      if (metrics.length) {
        const ids = metrics.map((m) => m.id);
        if (ids.some((id) => !/^[a-z][A-Za-z0-9_]*$/.test(id)) || new Set(ids).size !== ids.length)
          return `metric ids ${ids.join(", ")} must be unique, starting with a lower-case letter`;
        if (metrics.some((m) => (m.expression === undefined) === (m.metricStat === undefined)))
          return "each metric has exactly one of expression and metricStat";
        const returned = metrics.filter((m) => m.returnData !== false);
        if (returned.length !== 1) return `exactly one metric must return data (got ${returned.length})`;
      }
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          targetTrackingScalingPolicyConfiguration: {
            targetValue: 60,
            predefinedMetricSpecification: { predefinedMetricType: "ALBRequestCountPerTarget", resourceLabel: "app/a/1/targetgroup/t/2" },
          },
        },
      },
      bad: {
        inputs: {
          targetTrackingScalingPolicyConfiguration: {
            targetValue: 60,
            predefinedMetricSpecification: { predefinedMetricType: "ALBRequestCountPerTarget", resourceLabel: "targetgroup/t/2" },
          },
        },
      },
    },
  },
  // RDS
  {
    id: "rds-instance-settings",
    types: [T.rdsInstance],
    source:
      "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html; https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.SSL.html",
    check: ({ inputs }) => {
      const pi = inputs.performanceInsightsRetentionPeriod;
      if (pi !== undefined && !(pi === 7 || pi === 731 || (pi % 31 === 0 && pi >= 31 && pi <= 713)))
        return `performanceInsightsRetentionPeriod ${pi} must be 7, a multiple of 31 up to 713, or 731`;
      const ca = inputs.caCertIdentifier;
      if (ca !== undefined && !["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"].includes(ca))
        return `caCertIdentifier ${show(ca)} is not a current RDS CA`;
      return undefined;
    },
    examples: {
      ok: { inputs: { performanceInsightsRetentionPeriod: 31, caCertIdentifier: "rds-ca-rsa2048-g1" } },
      bad: { inputs: { caCertIdentifier: "rds-ca-2019" } },
    },
  },
  {
    id: "rds-parameter-groups",
    types: [T.parameterGroup, T.clusterParameterGroup],
    source:
      "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html; AuroraPostgreSQL.Reference.ParameterGroups (static parameters apply on reboot)",
    check: ({ inputs }) => {
      const name = inputs.name;
      if (name !== undefined && !(/^[a-z][a-z0-9-]{0,254}$/.test(name) && !name.includes("--") && !name.endsWith("-")))
        return `name ${show(name)} must be lower-case letters, digits and single hyphens, starting with a letter`;
      for (const p of inputs.parameters ?? []) {
        if (STATIC_DB_PARAMETERS.includes(p.name) && p.applyMethod !== "pending-reboot")
          return `parameter ${p.name} is static: applyMethod must be pending-reboot`;
      }
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          name: "db-aurora-postgresql16",
          parameters: [{ name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" }],
        },
      },
      bad: { inputs: { parameters: [{ name: "shared_preload_libraries", value: "x" }] } },
    },
  },
  // EFS
  {
    id: "efs-file-system-settings",
    types: [T.fileSystem],
    source: "https://docs.aws.amazon.com/efs/latest/ug/API_CreateFileSystem.html; API_LifecyclePolicy.html",
    check: ({ inputs }) => {
      if (inputs.kmsKeyId && inputs.encrypted !== true) return "kmsKeyId needs encrypted true";
      for (const p of inputs.lifecyclePolicies ?? []) {
        if (Object.values(p).filter((v) => v !== undefined).length !== 1) return `lifecycle policy ${show(p)} must hold exactly one transition`;
        if (p.transitionToIa !== undefined && !EFS_IA_TRANSITIONS.includes(p.transitionToIa))
          return `transitionToIa ${show(p.transitionToIa)} is not one of ${EFS_IA_TRANSITIONS.join(", ")}`;
      }
      return undefined;
    },
    examples: {
      ok: { inputs: { encrypted: true, kmsKeyId: "arn:k", lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }] } },
      bad: { inputs: { encrypted: true, lifecyclePolicies: [{ transitionToIa: "AFTER_45_DAYS" }] } },
    },
  },
  {
    id: "efs-access-point",
    types: [T.accessPoint],
    source: "https://docs.aws.amazon.com/efs/latest/ug/API_CreateAccessPoint.html; https://docs.aws.amazon.com/efs/latest/ug/efs-access-points.html",
    check: ({ inputs }) => {
      const root = inputs.rootDirectory;
      if (!root?.path || !String(root.path).startsWith("/") || String(root.path).length > 100)
        return `rootDirectory.path ${show(root?.path)} must be absolute, at most 100 characters`;
      const info = root.creationInfo;
      if (root.path !== "/" && !info) return "a root directory other than / needs creationInfo, or EFS cannot create it";
      if (info && !/^[0-7]{3,4}$/.test(String(info.permissions))) return `creationInfo.permissions ${show(info.permissions)} must be octal, e.g. 750`;
      if (info && inputs.posixUser && info.ownerUid !== inputs.posixUser.uid)
        return "creationInfo.ownerUid differs from posixUser.uid: the pinned user could not write its root";
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          posixUser: { uid: 1000, gid: 1000 },
          rootDirectory: { path: "/shared", creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: "750" } },
        },
      },
      bad: { inputs: { rootDirectory: { path: "/shared" } } },
    },
  },
  // Secrets Manager, SQS, Cognito, SNS
  {
    id: "secret-rotation-settings",
    types: [T.secretRotation],
    source:
      "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotateSecret.html; https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html",
    check: ({ inputs }) => {
      const days = inputs.rotationRules?.automaticallyAfterDays;
      if (days !== undefined && (days < 1 || days > 1000)) return `automaticallyAfterDays ${days} must be 1-1000`;
      if (String(inputs.secretId).includes(":secret:rds!") && inputs.rotationLambdaArn) return "an RDS-managed secret is rotated by RDS: no rotationLambdaArn";
      return undefined;
    },
    examples: {
      ok: { inputs: { secretId: "arn:aws:secretsmanager:eu-west-1:1:secret:rds!cluster-x", rotationRules: { automaticallyAfterDays: 30 } } },
      bad: { inputs: { secretId: "arn:aws:secretsmanager:eu-west-1:1:secret:rds!cluster-x", rotationLambdaArn: "arn:aws:lambda:eu-west-1:1:function:f" } },
    },
  },
  {
    id: "sqs-redrive-allow-policy",
    types: [T.redriveAllow],
    source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html (RedriveAllowPolicy)",
    check: ({ inputs }) => {
      const p = json(inputs.redriveAllowPolicy) ?? {};
      if (!["allowAll", "denyAll", "byQueue"].includes(p.redrivePermission))
        return `redrivePermission ${show(p.redrivePermission)} is not allowAll, denyAll or byQueue`;
      const sources = p.sourceQueueArns ?? [];
      if (p.redrivePermission === "byQueue" && (sources.length < 1 || sources.length > 10)) return `byQueue needs 1-10 sourceQueueArns (got ${sources.length})`;
      if (p.redrivePermission !== "byQueue" && sources.length) return "sourceQueueArns go with byQueue only";
      return undefined;
    },
    examples: {
      ok: { inputs: { redriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: ["arn:q"] }) } },
      bad: { inputs: { redriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [] }) } },
    },
  },
  {
    id: "cognito-user-pool-settings",
    types: [T.userPool],
    source:
      "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html; https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html",
    check: ({ inputs }) => {
      const p = inputs.passwordPolicy ?? {};
      if (p.minimumLength !== undefined && (p.minimumLength < 6 || p.minimumLength > 99)) return `passwordPolicy.minimumLength ${p.minimumLength} must be 6-99`;
      if (p.passwordHistorySize !== undefined && (p.passwordHistorySize < 0 || p.passwordHistorySize > 24))
        return `passwordPolicy.passwordHistorySize ${p.passwordHistorySize} must be 0-24`;
      if ((p.passwordHistorySize ?? 0) > 0 && inputs.userPoolTier === "LITE") return "password history needs the ESSENTIALS or PLUS tier";
      if (
        ["ON", "OPTIONAL"].includes(inputs.mfaConfiguration) &&
        inputs.softwareTokenMfaConfiguration?.enabled !== true &&
        !inputs.smsConfiguration &&
        !inputs.emailMfaConfiguration
      )
        return `mfaConfiguration ${inputs.mfaConfiguration} needs a factor: software tokens, SMS or e-mail`;
      return undefined;
    },
    examples: {
      ok: { inputs: { mfaConfiguration: "ON", softwareTokenMfaConfiguration: { enabled: true }, passwordPolicy: { minimumLength: 14 } } },
      bad: { inputs: { mfaConfiguration: "ON" } },
    },
  },
  {
    id: "cognito-client-urls",
    types: [T.userPoolClient],
    source: "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html",
    check: ({ inputs }) => {
      for (const url of [...(inputs.callbackUrls ?? []), ...(inputs.logoutUrls ?? [])]) {
        if (!/^https:\/\//.test(url) && !/^http:\/\/localhost(:\d+)?(\/|$)/.test(url)) return `${url} must be https (or http://localhost)`;
      }
      if ((inputs.allowedOauthFlows ?? []).length) {
        if (inputs.allowedOauthFlowsUserPoolClient !== true) return "OAuth flows need allowedOauthFlowsUserPoolClient";
        if (!(inputs.allowedOauthScopes ?? []).length) return "OAuth flows need allowedOauthScopes";
        // Browser flows return to a callback URL; client credentials (machine to machine) have none.
        const browser = (inputs.allowedOauthFlows as string[]).some((f) => f === "code" || f === "implicit");
        if (browser && !(inputs.callbackUrls ?? []).length) return "the code and implicit OAuth flows need callbackUrls";
        if (inputs.allowedOauthFlows.includes("client_credentials") && inputs.generateSecret !== true)
          return "the client_credentials flow needs a client secret (generateSecret)";
      }
      return undefined;
    },
    examples: {
      ok: { inputs: { allowedOauthFlows: ["code"], allowedOauthFlowsUserPoolClient: true, allowedOauthScopes: ["openid"], callbackUrls: ["https://x/cb"] } },
      bad: { inputs: { callbackUrls: ["http://x/cb"] } },
    },
  },
  {
    id: "sns-topic-name",
    types: [T.topic],
    source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
    check: (subject) => {
      const name = physicalName(subject);
      return /^[A-Za-z0-9_-]{1,256}$/.test(name) || (/^[A-Za-z0-9_-]{1,251}\.fifo$/.test(name) && subject.inputs.fifoTopic)
        ? undefined
        : `name ${show(name)} must be 1-256 of [A-Za-z0-9_-]`;
    },
    examples: { ok: { inputs: { name: "platform-prod-alerts" } }, bad: { inputs: { name: "platform prod alerts" } } },
  },
  {
    id: "sns-subscription-endpoint",
    types: [T.subscription],
    source: "https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html",
    check: ({ inputs }) => {
      const { protocol, endpoint } = inputs;
      if (protocol === "email" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(endpoint))) return `endpoint ${show(endpoint)} is not an e-mail address`;
      if (["http", "https"].includes(protocol) && !String(endpoint).startsWith(`${protocol}://`)) return `endpoint ${show(endpoint)} must be a ${protocol} URL`;
      return undefined;
    },
    examples: { ok: { inputs: { protocol: "email", endpoint: "ops@example.com" } }, bad: { inputs: { protocol: "email", endpoint: "ops" } } },
  },
  // Delivery
  {
    id: "ecr-repository-key",
    types: [T.repository],
    source: "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_EncryptionConfiguration.html",
    check: ({ inputs, region }) => {
      for (const e of inputs.encryptionConfigurations ?? []) {
        if (e.encryptionType === "KMS" && e.kmsKey && !new RegExp(`^arn:[^:]+:kms:${region}:\\d{12}:key/`).test(e.kmsKey))
          return `kmsKey ${show(e.kmsKey)} must be the ARN of a key in ${region}`;
      }
      return undefined;
    },
    examples: {
      ok: { inputs: { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-west-1:123456789012:key/k" }] } },
      bad: { inputs: { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "alias/data" }] } },
    },
  },
  {
    id: "ssm-parameter-name",
    types: [T.parameter],
    source: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html",
    check: (subject) => {
      const name = physicalName(subject);
      if (!/^\/?[A-Za-z0-9_.\-/]{1,2048}$/.test(name)) return `name ${show(name)} must be of [A-Za-z0-9_.-/]`;
      if (name.split("/").filter(Boolean).length > 15) return `name ${show(name)} has more than 15 levels`;
      return /^(aws|ssm)/i.test(name.replace(/^\//, "")) ? `name ${show(name)} may not start with aws or ssm` : undefined;
    },
    examples: { ok: { inputs: { name: "/platform-prod/user/image" } }, bad: { inputs: { name: "/aws/user/image" } } },
  },
  {
    id: "codebuild-project-settings",
    types: [T.project],
    source: "https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html",
    check: (subject) => {
      const { inputs } = subject;
      const name = physicalName(subject);
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$/.test(name)) return `name ${show(name)} must be 2-255 of [A-Za-z0-9_-], starting with a letter or digit`;
      if (inputs.buildTimeout !== undefined && (inputs.buildTimeout < 5 || inputs.buildTimeout > 2160))
        return `buildTimeout ${inputs.buildTimeout} must be 5-2160 minutes`;
      if ((inputs.artifacts?.type === "CODEPIPELINE") !== (inputs.source?.type === "CODEPIPELINE"))
        return "source and artifacts must both be CODEPIPELINE, or neither";
      if (inputs.encryptionKey !== undefined && !/^arn:[^:]+:kms:/.test(inputs.encryptionKey))
        return `encryptionKey ${show(inputs.encryptionKey)} must be a KMS key ARN`;
      if (/docker (build|push)/.test(String(inputs.source?.buildspec ?? "")) && inputs.environment?.privilegedMode !== true)
        return "a buildspec that runs docker needs privilegedMode";
      return undefined;
    },
    examples: {
      ok: {
        inputs: {
          name: "platform-prod-user",
          buildTimeout: 30,
          artifacts: { type: "CODEPIPELINE" },
          source: { type: "CODEPIPELINE", buildspec: "docker build ." },
          environment: { privilegedMode: true },
        },
      },
      bad: {
        inputs: {
          name: "platform-prod-user",
          artifacts: { type: "CODEPIPELINE" },
          source: { type: "CODEPIPELINE", buildspec: "docker build ." },
          environment: { privilegedMode: false },
        },
      },
    },
  },
  {
    id: "codepipeline-settings",
    types: [T.pipeline],
    source: "https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineDeclaration.html",
    check: (subject) => {
      const { inputs } = subject;
      if (!/^[A-Za-z0-9.@\-_]{1,100}$/.test(physicalName(subject))) return `name ${show(physicalName(subject))} must be 1-100 of [A-Za-z0-9.@-_]`;
      if (["QUEUED", "PARALLEL"].includes(inputs.executionMode) && inputs.pipelineType !== "V2")
        return `executionMode ${inputs.executionMode} needs pipelineType V2`;
      for (const store of inputs.artifactStores ?? []) {
        if (store.encryptionKey && !/^arn:[^:]+:kms:/.test(store.encryptionKey.id))
          return `artifact store key ${show(store.encryptionKey.id)} must be a KMS key ARN`;
      }
      const names = (inputs.stages ?? []).map((s: any) => s.name);
      return new Set(names).size === names.length ? undefined : "stage names must be unique";
    },
    examples: {
      ok: { inputs: { name: "p", pipelineType: "V2", executionMode: "QUEUED" } },
      bad: { inputs: { name: "p", pipelineType: "V1", executionMode: "QUEUED" } },
    },
  },
  // S3
  {
    id: "s3-lifecycle-filter",
    types: [T.lifecycle],
    source: "terraform-provider-aws internal/service/s3/bucket_lifecycle_configuration.go (an empty filter is deprecated and will be an error)",
    check: ({ inputs }) => {
      const empty = (inputs.rules ?? []).find((r: any) => r.filter && Object.keys(r.filter).length === 0);
      return empty ? `rule ${empty.id}: an empty filter {} is deprecated; use { prefix: "" } for the whole bucket` : undefined;
    },
    examples: { ok: { inputs: { rules: [{ id: "r", filter: { prefix: "" } }] } }, bad: { inputs: { rules: [{ id: "r", filter: {} }] } } },
  },
  {
    id: "s3-bucket-key-with-kms",
    types: [T.bucketEncryption],
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html (S3 Bucket Keys apply to SSE-KMS)",
    check: ({ inputs }) => {
      const rule = (inputs.rules ?? []).find(
        (r: any) => r.bucketKeyEnabled && !String(r.applyServerSideEncryptionByDefault?.sseAlgorithm).startsWith("aws:kms"),
      );
      return rule ? `bucketKeyEnabled with ${rule.applyServerSideEncryptionByDefault?.sseAlgorithm}: bucket keys apply to SSE-KMS only` : undefined;
    },
    examples: {
      ok: { inputs: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }] } },
      bad: { inputs: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] } },
    },
  },
  // CloudWatch, EventBridge, CloudTrail, GuardDuty, Budgets
  {
    id: "cloudwatch-alarm-statistics",
    types: [T.metricAlarm],
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html; API_MetricDataQuery.html",
    check: ({ inputs }) => {
      if (inputs.statistic !== undefined && inputs.extendedStatistic !== undefined) return "statistic and extendedStatistic exclude each other";
      if (inputs.statistic !== undefined && !["SampleCount", "Average", "Sum", "Minimum", "Maximum"].includes(inputs.statistic))
        return `statistic ${show(inputs.statistic)} is not a CloudWatch statistic`;
      if (inputs.extendedStatistic !== undefined && !/^(p|tm|tc|ts|wm)\d{1,2}(\.\d{1,10})?$/.test(inputs.extendedStatistic))
        return `extendedStatistic ${show(inputs.extendedStatistic)} must be a percentile such as p99`;
      for (const list of ["alarmActions", "okActions", "insufficientDataActions"])
        if ((inputs[list] ?? []).length > 5) return `${list} lists more than 5 actions`;
      const queries: any[] = inputs.metricQueries ?? [];
      const ids = queries.map((q) => q.id);
      if (ids.some((id) => !/^[a-z][A-Za-z0-9_]*$/.test(id)) || new Set(ids).size !== ids.length)
        return `metric query ids ${ids.join(", ")} must be unique, starting with a lower-case letter`;
      if (queries.some((q) => (q.expression === undefined) === (q.metric === undefined))) return "each metric query has exactly one of expression and metric";
      for (const q of queries.filter((x) => x.expression)) {
        if (/\[[^\]]*\b\d+(\.\d+)?\s*\]/.test(q.expression))
          return `expression ${show(q.expression)} puts a number inside a metric array; use IF() for a guard`;
      }
      return undefined;
    },
    examples: {
      ok: { inputs: { extendedStatistic: "p99", alarmActions: ["arn:t"] } },
      bad: {
        inputs: {
          metricQueries: [
            { id: "e1", expression: "100 * m0 / MAX([m1, 1])", returnData: true },
            { id: "m0", metric: {} },
            { id: "m1", metric: {} },
          ],
        },
      },
    },
  },
  {
    id: "cloudwatch-composite-alarm",
    types: [T.compositeAlarm],
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html",
    check: ({ inputs }) => {
      const rule = String(inputs.alarmRule ?? "");
      if (rule.length < 1 || rule.length > 10240) return `alarmRule has ${rule.length} characters (1-10240)`;
      return (rule.match(/\b(ALARM|OK|INSUFFICIENT_DATA)\(/g) ?? []).length > 100 ? "alarmRule references more than 100 alarms" : undefined;
    },
    examples: { ok: { inputs: { alarmRule: 'ALARM("a") OR ALARM("b")' } }, bad: { inputs: { alarmRule: "" } } },
  },
  {
    id: "cloudwatch-dashboard",
    types: [T.dashboard],
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html; CloudWatch-Dashboard-Body-Structure.html",
    check: ({ inputs }) => {
      if (!/^[A-Za-z0-9_-]{1,255}$/.test(String(inputs.dashboardName))) return `dashboardName ${show(inputs.dashboardName)} must be 1-255 of [A-Za-z0-9_-]`;
      const widgets: any[] = json(inputs.dashboardBody)?.widgets ?? [];
      if (widgets.length > 500) return `${widgets.length} widgets; a dashboard holds 500`;
      const bad = widgets.find((w) => (w.width ?? 6) < 1 || (w.width ?? 6) > 24 || (w.height ?? 6) < 1 || (w.height ?? 6) > 1000);
      return bad ? `widget ${show(bad.properties?.title)} must be 1-24 wide and 1-1000 high` : undefined;
    },
    examples: {
      ok: { inputs: { dashboardName: "platform-prod", dashboardBody: JSON.stringify({ widgets: [{ width: 24, height: 6 }] }) } },
      bad: { inputs: { dashboardName: "platform prod", dashboardBody: "{}" } },
    },
  },
  {
    id: "eventbridge-rule",
    types: [T.eventRule],
    source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html",
    check: (subject) => {
      const { inputs } = subject;
      if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(physicalName(subject))) return `name ${show(physicalName(subject))} must be 1-64 of [.-_A-Za-z0-9]`;
      if (inputs.eventPattern === undefined) return inputs.scheduleExpression ? undefined : "a rule needs an eventPattern or a scheduleExpression";
      const pattern = json(inputs.eventPattern);
      if (JSON.stringify(pattern).length > 4096) return "eventPattern is longer than 4096 characters";
      return Array.isArray(pattern.source) ? undefined : "eventPattern needs a source array";
    },
    examples: {
      ok: { inputs: { eventPattern: JSON.stringify({ source: ["aws.guardduty"] }) } },
      bad: { inputs: { eventPattern: JSON.stringify({ source: "aws.guardduty" }) } },
    },
  },
  {
    id: "cloudtrail-trail-settings",
    types: [T.trail],
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html",
    check: ({ inputs }) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/.test(String(inputs.name))) return `name ${show(inputs.name)} must be 3-128 of [A-Za-z0-9._-]`;
      if (!!inputs.cloudWatchLogsRoleArn !== !!inputs.cloudWatchLogsGroupArn) return "cloudWatchLogsRoleArn and cloudWatchLogsGroupArn go together";
      if (inputs.cloudWatchLogsGroupArn && !/:log-group:[^:]+:\*$/.test(inputs.cloudWatchLogsGroupArn))
        return `cloudWatchLogsGroupArn ${show(inputs.cloudWatchLogsGroupArn)} must end with :*`;
      return undefined;
    },
    examples: {
      ok: { inputs: { name: "p-trail", cloudWatchLogsRoleArn: "arn:r", cloudWatchLogsGroupArn: "arn:aws:logs:eu-west-1:1:log-group:/t:*" } },
      bad: { inputs: { name: "p-trail", cloudWatchLogsRoleArn: "arn:r", cloudWatchLogsGroupArn: "arn:aws:logs:eu-west-1:1:log-group:/t" } },
    },
  },
  {
    id: "guardduty-detector",
    types: [T.detector],
    source: "https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateDetector.html",
    check: ({ inputs }) => {
      const f = inputs.findingPublishingFrequency;
      return f === undefined || ["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"].includes(f)
        ? undefined
        : `findingPublishingFrequency ${show(f)} is not FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS`;
    },
    examples: { ok: { inputs: { findingPublishingFrequency: "FIFTEEN_MINUTES" } }, bad: { inputs: { findingPublishingFrequency: "HOURLY" } } },
  },
  {
    id: "budget-settings",
    types: [T.budget],
    source: "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Notification.html; API_budgets_Budget.html",
    check: ({ inputs }) => {
      if (!/^\d+(\.\d+)?$/.test(String(inputs.limitAmount))) return `limitAmount ${show(inputs.limitAmount)} must be a decimal number`;
      for (const f of inputs.costFilters ?? []) {
        if (f.name === "TagKeyValue" && f.values.some((v: string) => !/^(user|aws):[^$]+\$/.test(v)))
          return `TagKeyValue values ${show(f.values)} must read user:<tag>$<value>`;
      }
      for (const n of inputs.notifications ?? []) {
        if (!(n.threshold > 0) || !["ACTUAL", "FORECASTED"].includes(n.notificationType))
          return `notification ${show(n)} needs a positive threshold and type ACTUAL or FORECASTED`;
        if ((n.subscriberEmailAddresses ?? []).length + (n.subscriberSnsTopicArns ?? []).length < 1) return "a budget notification needs a subscriber";
      }
      return undefined;
    },
    examples: {
      ok: { inputs: { limitAmount: "400.00", costFilters: [{ name: "TagKeyValue", values: ["user:Environment$dev"] }] } },
      bad: { inputs: { limitAmount: "400.00", costFilters: [{ name: "TagKeyValue", values: ["Environment=dev"] }] } },
    },
  },
  // VPC
  {
    id: "vpc-subnet-sizes",
    types: [T.vpc],
    source: "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html (subnets /16 to /28, inside the VPC)",
    check: ({ inputs }) => {
      const vpcPrefix = Number(String(inputs.cidrBlock ?? "").split("/")[1]);
      const azs = (inputs.availabilityZoneNames ?? []).length;
      const specs: any[] = inputs.subnetSpecs ?? [];
      if (!vpcPrefix || !azs || !specs.length) return undefined;
      if (specs.some((s) => s.cidrMask > 28 || s.cidrMask < 16)) return `subnet masks ${specs.map((s) => s.cidrMask).join(", ")} must be /16-/28`;
      const used = azs * specs.reduce((sum, s) => sum + 2 ** (32 - s.cidrMask), 0);
      return used <= 2 ** (32 - vpcPrefix) ? undefined : `subnets need ${used} addresses; the /${vpcPrefix} VPC has ${2 ** (32 - vpcPrefix)}`;
    },
    examples: {
      ok: { inputs: { cidrBlock: "10.0.0.0/16", availabilityZoneNames: ["a", "b"], subnetSpecs: [{ cidrMask: 18 }, { cidrMask: 20 }] } },
      bad: { inputs: { cidrBlock: "10.0.0.0/24", availabilityZoneNames: ["a", "b", "c"], subnetSpecs: [{ cidrMask: 25 }] } },
    },
  },
];
