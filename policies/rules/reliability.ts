/**
 * Reliability: prod keeps its data and survives an AZ (deletion protection, final snapshots,
 * backups, Multi-AZ, Pulumi protect), and every environment deploys safely (circuit breaker,
 * point-in-time recovery, dead-letter queues). Rules marked prodOnly apply when the stack is prod
 * (its Environment tag or `environment` stack tag is in `prodEnvironments`).
 */
import { Policy, PolicyResource } from "@pulumi/policy";
import { abortsIncompleteUploads } from "./bucket-lifecycle";
import {
  asArray,
  attachedTo,
  BUCKET_TYPES,
  dependsOn,
  describe,
  effectiveTags,
  isPilotLight,
  isSet,
  ofTypes,
  parseJson,
  resourceRule,
  stackRule,
  STANDBY_TAG,
} from "./common";

/** Types that hold data a deploy must never delete by accident. */
export const STATEFUL_TYPES = [
  "aws:rds/cluster:Cluster",
  "aws:dynamodb/table:Table",
  "aws:dynamodb/tableReplica:TableReplica",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:efs/fileSystem:FileSystem",
  "aws:kms/key:Key",
  "aws:cognito/userPool:UserPool",
  // With platform:prometheus: the metrics history, and the dashboards and users Grafana keeps.
  "aws:amp/workspace:Workspace",
  "aws:grafana/workspace:Workspace",
];

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const LIFECYCLE_TYPES = [
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
];

export const reliabilityPolicies: Policy[] = [
  resourceRule({
    name: "ecs-container-logging",
    concern: "reliability",
    description: "Every container of an ECS task definition sends its output to a log driver (awslogs or FireLens).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
      'give each container definition a logConfiguration, e.g. { logDriver: "awslogs", options: { awslogs-group, awslogs-region, awslogs-stream-prefix } }',
    types: ["aws:ecs/taskDefinition:TaskDefinition"],
    check: (props) =>
      asArray<any>(parseJson(props.containerDefinitions))
        .filter((c) => !c?.logConfiguration?.logDriver)
        .map((c) => `container "${c?.name}" has no logConfiguration`),
  }),
  resourceRule({
    name: "ecs-container-insights",
    concern: "reliability",
    description: "ECS clusters have Container Insights on (its task-count, storage and network metrics feed the alarms and the dashboard).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: 'add the cluster setting { name: "containerInsights", value: "enabled" } (or "enhanced")',
    configKey: "platform:compute.containerInsights",
    types: ["aws:ecs/cluster:Cluster"],
    check: (props) => {
      const value = asArray<any>(props.settings).find((s) => s?.name === "containerInsights")?.value;
      return value === "enabled" || value === "enhanced" ? [] : [`containerInsights is ${value ?? "not set (disabled)"}`];
    },
  }),
  resourceRule({
    name: "cloudfront-access-logs",
    concern: "reliability",
    description: "CloudFront distributions write standard access logs.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set loggingConfig { bucket: <log bucket>.s3.amazonaws.com, prefix } on the distribution",
    types: ["aws:cloudfront/distribution:Distribution"],
    check: (props) => (isSet(props.loggingConfig?.bucket) ? [] : ["loggingConfig is not set: no standard access logs"]),
  }),
  resourceRule({
    name: "aurora-deletion-protection",
    concern: "reliability",
    description: "Prod Aurora clusters have deletion protection.",
    severity: "high",
    enforcementLevel: "mandatory",
    prodOnly: true,
    remediation: "set deletionProtection: true on the cluster",
    configKey: "platform:retentionPolicy",
    types: ["aws:rds/cluster:Cluster", "aws:rds/instance:Instance"],
    check: (props) => (props.deletionProtection === true ? [] : ["deletionProtection is not true"]),
  }),
  resourceRule({
    name: "aurora-final-snapshot",
    concern: "reliability",
    description: "Deleting a prod database leaves a final snapshot.",
    severity: "high",
    enforcementLevel: "mandatory",
    prodOnly: true,
    remediation: "set skipFinalSnapshot: false and a finalSnapshotIdentifier",
    configKey: "platform:retentionPolicy",
    types: ["aws:rds/cluster:Cluster"],
    check: (props) => (props.skipFinalSnapshot === false && props.finalSnapshotIdentifier ? [] : ["no final snapshot is taken on deletion"]),
  }),
  resourceRule({
    name: "database-backup-retention",
    concern: "reliability",
    description: "Automated backups are kept at least minBackupDays (prodMinBackupDays in prod).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "raise backupRetentionPeriod (Aurora allows 1-35 days)",
    configKey: "platform:database.backupRetentionDays",
    types: ["aws:rds/cluster:Cluster"],
    check: (props, ctx) => {
      const minimum = ctx.prod ? ctx.config.prodMinBackupDays : ctx.config.minBackupDays;
      const days = props.backupRetentionPeriod ?? 1;
      return days >= minimum ? [] : [`backupRetentionPeriod is ${days} days, below the ${minimum} required${ctx.prod ? " in prod" : ""}`];
    },
  }),
  stackRule({
    name: "aurora-multi-az",
    concern: "reliability",
    description: "Every prod Aurora cluster has instances in at least two Availability Zones (writer + reader).",
    severity: "high",
    enforcementLevel: "mandatory",
    prodOnly: true,
    remediation: "add a reader instance (promotion tier 1) in another AZ than the writer",
    configKey: "platform:database.readers",
    check: (resources) =>
      ofTypes(resources, "aws:rds/cluster:Cluster").flatMap((cluster) => {
        if (isPilotLight(effectiveTags(cluster.props, cluster.provider?.props))) return [];
        const instances = ofTypes(resources, "aws:rds/clusterInstance:ClusterInstance").filter((i) => dependsOn(i, "clusterIdentifier").includes(cluster));
        const zones = new Set(instances.map((i) => i.props.availabilityZone).filter(Boolean));
        return instances.length >= 2 && zones.size >= 2 ? [] : [`${describe(cluster)} has ${instances.length} instance(s) in ${zones.size} AZ(s)`];
      }),
  }),
  resourceRule({
    name: "elasticache-multi-az",
    concern: "reliability",
    description: "Prod caches have a replica in another AZ with automatic failover.",
    severity: "high",
    enforcementLevel: "mandatory",
    prodOnly: true,
    remediation: "set numCacheClusters >= 2, automaticFailoverEnabled: true and multiAzEnabled: true",
    configKey: "platform:cache.nodes",
    types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check: (props, ctx) => {
      if (isPilotLight(ctx.tags)) return [];
      const nodes = props.numCacheClusters ?? (props.replicasPerNodeGroup !== undefined ? props.replicasPerNodeGroup + 1 : 1);
      const findings: string[] = [];
      if (nodes < 2) findings.push(`has ${nodes} node(s), so no replica`);
      if (props.automaticFailoverEnabled !== true) findings.push("automaticFailoverEnabled is not true");
      if (props.multiAzEnabled !== true) findings.push("multiAzEnabled is not true");
      return findings;
    },
  }),
  resourceRule({
    name: "elasticache-snapshots",
    concern: "reliability",
    description: "Prod caches keep daily snapshots.",
    severity: "medium",
    enforcementLevel: "mandatory",
    prodOnly: true,
    remediation: "set snapshotRetentionLimit to at least 1",
    configKey: "platform:cache.snapshotRetentionDays",
    types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check: (props) => ((props.snapshotRetentionLimit ?? 0) >= 1 ? [] : ["snapshotRetentionLimit is 0, so no snapshots are kept"]),
  }),
  resourceRule({
    name: "dynamodb-deletion-protection",
    concern: "reliability",
    description: "Prod DynamoDB tables have deletion protection.",
    severity: "high",
    enforcementLevel: "mandatory",
    prodOnly: true,
    remediation: "set deletionProtectionEnabled: true on the table",
    configKey: "platform:retentionPolicy",
    types: ["aws:dynamodb/table:Table"],
    check: (props) => (props.deletionProtectionEnabled === true ? [] : ["deletionProtectionEnabled is not true"]),
  }),
  resourceRule({
    name: "dynamodb-point-in-time-recovery",
    concern: "reliability",
    description: "DynamoDB tables can be restored to any second of the last 35 days.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "set pointInTimeRecovery: { enabled: true }",
    types: ["aws:dynamodb/table:Table"],
    check: (props) => (props.pointInTimeRecovery?.enabled === true ? [] : ["point-in-time recovery is off"]),
  }),
  resourceRule({
    name: "alb-deletion-protection",
    concern: "reliability",
    description: "Prod load balancers have deletion protection.",
    severity: "medium",
    enforcementLevel: "mandatory",
    prodOnly: true,
    remediation: "set enableDeletionProtection: true on the load balancer",
    configKey: "platform:retentionPolicy",
    types: ["aws:lb/loadBalancer:LoadBalancer"],
    check: (props) => (props.enableDeletionProtection === true ? [] : ["enableDeletionProtection is not true"]),
  }),
  resourceRule({
    name: "ecs-circuit-breaker",
    concern: "reliability",
    description: "ECS deployments stop and roll back on their own when new tasks do not become healthy.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "set deploymentCircuitBreaker: { enable: true, rollback: true }",
    types: ["aws:ecs/service:Service"],
    check: (props) => {
      const breaker = props.deploymentCircuitBreaker;
      return breaker?.enable === true && breaker?.rollback === true ? [] : ["the deployment circuit breaker with rollback is not enabled"];
    },
  }),
  resourceRule({
    name: "ecs-min-two-tasks",
    concern: "reliability",
    description: "Prod services run at least two tasks, so losing one task or one AZ keeps them up.",
    severity: "high",
    enforcementLevel: "mandatory",
    prodOnly: true,
    remediation: "set desiredCount (and the autoscaling minimum) to 2 or more",
    configKey: "platform:services[].minTasks",
    types: ["aws:ecs/service:Service"],
    check: (props, ctx) => (isPilotLight(ctx.tags) || (props.desiredCount ?? 1) >= 2 ? [] : [`desiredCount is ${props.desiredCount ?? 1}`]),
  }),
  stackRule({
    name: "backup-copied-to-dr-region",
    concern: "reliability",
    description:
      "In prod, every Aurora cluster, DynamoDB table and EFS file system is selected by an AWS Backup plan that copies each backup to a vault in another region, both kept for the prod minimum.",
    severity: "high",
    enforcementLevel: "mandatory",
    prodOnly: true,
    remediation:
      "add a backup plan with a copy action to a vault in the DR region, retention of at least prodMinBackupDays in both, and a selection of every data store",
    configKey: "platform:disasterRecovery",
    check: (resources, { config }) => {
      const days = config.prodMinBackupDays;
      // Regions come from each resource's provider; ARNs are unknown at preview, so links are the engine's property dependencies.
      const regionOf = (r: PolicyResource) => r.provider?.props?.region as string | undefined;
      const keeps = (lifecycle: any) => (lifecycle?.deleteAfter ?? Infinity) >= days;
      const good = new Set(
        ofTypes(resources, "aws:backup/plan:Plan").filter((plan) => {
          const elsewhere = dependsOn(plan, "rules").some(
            (v) => v.type === "aws:backup/vault:Vault" && regionOf(v) !== undefined && regionOf(v) !== regionOf(plan),
          );
          const rules = asArray<any>(plan.props.rules);
          return (
            elsewhere &&
            rules.some(
              (rule) => keeps(rule.lifecycle) && asArray<any>(rule.copyActions).length > 0 && asArray<any>(rule.copyActions).every((c) => keeps(c.lifecycle)),
            )
          );
        }),
      );
      const findings: string[] = [];
      if (good.size === 0) findings.push(`no backup plan keeps ${days} days and copies to a vault in another region for ${days} days`);
      const selected = new Set(
        ofTypes(resources, "aws:backup/selection:Selection")
          .filter((s) => dependsOn(s, "planId").some((p) => good.has(p)))
          .flatMap((s) => dependsOn(s, "resources")),
      );
      // A standby region's data stores hold the primary's data (backed up by the primary's plan).
      const stores = ofTypes(resources, "aws:rds/cluster:Cluster", "aws:dynamodb/table:Table", "aws:efs/fileSystem:FileSystem").filter(
        (store) => effectiveTags(store.props, store.provider?.props)[STANDBY_TAG] === undefined,
      );
      if (stores.length === 0) return [];
      for (const store of stores) if (!selected.has(store)) findings.push(`${describe(store)} is in no selection of such a plan`);
      return findings;
    },
  }),
  resourceRule({
    name: "scheduler-dead-letter-queue",
    concern: "reliability",
    description: "Every EventBridge Scheduler schedule has a dead-letter queue and a retry policy, so a failed delivery is kept rather than dropped.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set target.deadLetterConfig.arn to an SQS queue and target.retryPolicy",
    types: ["aws:scheduler/schedule:Schedule"],
    check: (props) => {
      const findings: string[] = [];
      if (!props.target?.deadLetterConfig?.arn) findings.push("target.deadLetterConfig is not set: failed deliveries are dropped");
      if (!props.target?.retryPolicy) findings.push("target.retryPolicy is not set: the provider's default retries for 24 hours, 185 times");
      return findings;
    },
  }),
  resourceRule({
    name: "synthetics-canary-cleanup",
    concern: "reliability",
    description: "A canary deletes the Lambda function and layers Synthetics created for it when it is deleted, instead of leaving them behind.",
    severity: "low",
    enforcementLevel: "advisory",
    remediation: "set deleteLambda: true on the canary",
    types: ["aws:synthetics/canary:Canary"],
    check: (props) => (props.deleteLambda === true ? [] : [`deleteLambda is ${props.deleteLambda ?? "unset (false)"}: its function and layers outlive it`]),
  }),
  resourceRule({
    name: "http-api-access-logs",
    concern: "reliability",
    description: "API Gateway HTTP API stages log every request (access logs) and throttle by default.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set accessLogSettings (destinationArn, format) and defaultRouteSettings with throttlingRateLimit and throttlingBurstLimit",
    types: ["aws:apigatewayv2/stage:Stage"],
    check: (props) => {
      const findings: string[] = [];
      if (!props.accessLogSettings?.destinationArn) findings.push("no access logs (accessLogSettings)");
      const d = props.defaultRouteSettings;
      if (!(d?.throttlingRateLimit > 0 && d?.throttlingBurstLimit > 0))
        findings.push("no default throttling (defaultRouteSettings throttlingRateLimit and throttlingBurstLimit)");
      return findings;
    },
  }),
  stackRule({
    name: "replicas-in-another-region",
    concern: "reliability",
    description:
      "Every copy of data meant to survive the region is in another region than its source: table replicas, secret replicas, S3 replication destinations and ECR replication destinations.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "set platform:disasterRecovery.region to a region other than aws:region",
    configKey: "platform:disasterRecovery.region",
    check: (resources) => {
      const regionOf = (r: PolicyResource) => r.provider?.props?.region as string | undefined;
      const findings: string[] = [];
      const same = (copy: PolicyResource, source: PolicyResource | undefined, what: string) => {
        if (source && regionOf(copy) !== undefined && regionOf(copy) === regionOf(source))
          findings.push(`${describe(copy)} ${what} is in its source's region ${regionOf(copy)}`);
      };
      for (const replica of ofTypes(resources, "aws:dynamodb/tableReplica:TableReplica"))
        same(replica, dependsOn(replica, "globalTableArn")[0], "(table replica)");
      for (const config of ofTypes(resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")) {
        const source = dependsOn(config, "bucket")[0];
        for (const destination of dependsOn(config, "rules").filter((d) => d.type === "aws:s3/bucket:Bucket"))
          same(destination, source, "(replication destination)");
      }
      for (const secret of ofTypes(resources, "aws:secretsmanager/secret:Secret"))
        for (const replica of asArray<any>(secret.props.replicas))
          if (replica.region && replica.region === regionOf(secret)) findings.push(`${describe(secret)} has a replica in its own region ${replica.region}`);
      for (const config of ofTypes(resources, "aws:ecr/replicationConfiguration:ReplicationConfiguration"))
        for (const rule of asArray<any>(config.props.replicationConfiguration?.rules))
          for (const d of asArray<any>(rule.destinations))
            if (d.region && d.region === regionOf(config)) findings.push(`${describe(config)} replicates to its own region ${d.region}`);
      return findings;
    },
  }),
  stackRule({
    name: "sqs-dead-letter-queue",
    concern: "reliability",
    description: "Every SQS queue has a dead-letter queue, or is one (of another queue, or of an EventBridge Scheduler schedule's failed deliveries).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "add a DLQ and a redrivePolicy with maxReceiveCount on the queue",
    check: (resources) => {
      const queues = ofTypes(resources, "aws:sqs/queue:Queue");
      const dlqs = new Set([
        ...queues.flatMap((q) => (q.props.redrivePolicy ? dependsOn(q, "redrivePolicy") : [])),
        ...ofTypes(resources, "aws:scheduler/schedule:Schedule")
          .filter((schedule) => schedule.props.target?.deadLetterConfig?.arn !== undefined)
          .flatMap((schedule) => dependsOn(schedule, "target").filter((d) => d.type === "aws:sqs/queue:Queue" && d.props.redrivePolicy === undefined)),
      ]);
      return queues.filter((q) => !q.props.redrivePolicy && !dlqs.has(q)).map((q) => `${describe(q)} has no redrivePolicy and is no queue's DLQ`);
    },
  }),
  stackRule({
    name: "efs-backups",
    concern: "reliability",
    description: "EFS file systems are backed up by AWS Backup.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediation: "add an aws.efs.BackupPolicy with status ENABLED for the file system",
    check: (resources) =>
      ofTypes(resources, "aws:efs/fileSystem:FileSystem")
        .filter(
          (fs) =>
            !ofTypes(resources, "aws:efs/backupPolicy:BackupPolicy").some(
              (b) => dependsOn(b, "fileSystemId").includes(fs) && b.props.backupPolicy?.status === "ENABLED",
            ),
        )
        .map((fs) => `${describe(fs)} has no enabled backup policy`),
  }),
  resourceRule({
    name: "cognito-deletion-protection",
    concern: "reliability",
    description: "Prod user pools (they hold the users) have deletion protection.",
    severity: "high",
    enforcementLevel: "mandatory",
    prodOnly: true,
    remediation: 'set deletionProtection: "ACTIVE" on the user pool',
    configKey: "platform:retentionPolicy",
    types: ["aws:cognito/userPool:UserPool"],
    check: (props) => (props.deletionProtection === "ACTIVE" ? [] : [`deletionProtection is ${props.deletionProtection ?? "INACTIVE"}`]),
  }),
  resourceRule({
    name: "stateful-resources-protected",
    concern: "reliability",
    description: "Prod stateful resources carry Pulumi's protect option, so no update or destroy can delete them by accident.",
    severity: "high",
    enforcementLevel: "advisory",
    prodOnly: true,
    remediation: "pass { protect: true } to the resource in prod",
    configKey: "platform:retentionPolicy",
    types: STATEFUL_TYPES,
    check: (_props, ctx) => (ctx.protect ? [] : ["is not protected"]),
  }),
  resourceRule({
    name: "log-group-retention",
    concern: "reliability",
    description: "Every log group expires its events after a set number of days: at least minLogRetentionDays, and prodMinLogRetentionDays in prod.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set retentionInDays to one of CloudWatch's allowed values, at least the minimum (never 0, which keeps events forever)",
    configKey: "platform:logRetentionDays",
    types: [LOG_GROUP],
    check: (props, ctx) => {
      const minimum = ctx.prod ? ctx.config.prodMinLogRetentionDays : ctx.config.minLogRetentionDays;
      // A DELIVERY-class group keeps events 2 days whatever retentionInDays says.
      const days = props.logGroupClass === "DELIVERY" ? 2 : props.retentionInDays;
      if (typeof days !== "number" || days <= 0) return [`retentionInDays is ${days ?? "not set"}: events are kept forever, at a cost that only grows`];
      const what = props.logGroupClass === "DELIVERY" ? "a DELIVERY-class group keeps 2 days" : `retentionInDays is ${days}`;
      return days >= minimum ? [] : [`${what}, below the ${minimum} days required${ctx.prod ? " in prod" : ""}`];
    },
  }),
  stackRule({
    name: "s3-lifecycle",
    concern: "reliability",
    description:
      "Every S3 bucket has a lifecycle configuration with an enabled whole-bucket rule that aborts incomplete multipart uploads (their parts are billed and invisible).",
    severity: "low",
    enforcementLevel: "mandatory",
    remediation:
      'add an aws.s3.BucketLifecycleConfiguration for the bucket with an Enabled rule, filter { prefix: "" }, and abortIncompleteMultipartUpload.daysAfterInitiation',
    check: (resources) => {
      const configs = ofTypes(resources, ...LIFECYCLE_TYPES);
      const findings: string[] = [];
      for (const bucket of ofTypes(resources, ...BUCKET_TYPES)) {
        const own = attachedTo(configs, "bucket", bucket);
        if (own.length === 0) {
          const inline =
            asArray(bucket.props.lifecycleRules).length > 0 ? " (its inline lifecycleRules are not read: use an aws.s3.BucketLifecycleConfiguration)" : "";
          findings.push(`${describe(bucket)} has no lifecycle configuration${inline}`);
          continue;
        }
        if (!own.some((c) => asArray<any>(c.props.rules).some(abortsIncompleteUploads)))
          findings.push(`no lifecycle rule of ${describe(bucket)} aborts incomplete multipart uploads for the whole bucket`);
      }
      return findings;
    },
  }),
];
