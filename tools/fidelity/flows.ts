/**
 * The catalogue of runtime flows: every interaction the running platform depends on, as the AWS
 * principal that makes the call, the actions AWS documents as the minimum for that operation, the
 * resource ARNs and the request context the calling service really sends (with the document it
 * comes from). Flows are derived from what config declares (`Settings`) and from the wiring of the
 * synthesized resources, never from the policies under test, so a missing grant, a wrong ARN or a
 * condition the caller cannot satisfy shows up as a denied request.
 *
 * Context keys are only what AWS documents the caller sends. Where a service is documented NOT to
 * send a key (EventBridge's KMS requests for an encrypted topic carry no aws:SourceAccount) or
 * does not document it (Lambda and CloudTrail assuming their roles), the flow leaves it out, so a
 * policy that requires it fails here instead of silently in production.
 */
import { elbLogWriter } from "../../components/edge-config";
import type { Settings } from "../../stacks/settings";
import { mockAliasTargetKeyArn, type SynthResource, type SynthResult } from "../harness";
import { StackView, stackView } from "../provider/rules";

export interface FlowRequest {
  /** Who makes this request when it is not the flow's principal (a service assuming the role). */
  principal?: string;
  action: string;
  /** ARN the request is about (`*` for actions without resource-level permissions). */
  resource: string;
  /** Account that owns the resource, when not the stack's. */
  resourceAccount?: string;
  /** Request context beyond `aws:SecureTransport` (always true: AWS SDKs and services use TLS). */
  context?: Record<string, string | string[]>;
}

export interface Flow {
  /** Unique id, e.g. `ecs-task-start:user`. */
  id: string;
  /** What the platform needs this for, in a few words. */
  title: string;
  /** Where the documented minimum comes from. */
  source: string;
  /** A role ARN, a service principal or an account principal. */
  principal: string;
  /**
   * The principal's own permissions when they live outside this stack (the deploy role, another
   * account's log-delivery principal): a stated assumption, not something the stack proves.
   */
  externalIdentity?: { name: string; assumption: string };
  requests: FlowRequest[];
}

/** A flow that no IAM evaluator can decide (bucket ACLs, KMS grants), with the check that covers it. */
export interface CheckedElsewhere {
  id: string;
  title: string;
  mechanism: string;
  /** The rule or test that proves it. */
  provenBy: string;
}

const T = {
  backupSelection: "aws:backup/selection:Selection",
  bucketReplication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  ecsService: "aws:ecs/service:Service",
  ecsCluster: "aws:ecs/cluster:Cluster",
  secret: "aws:secretsmanager/secret:Secret",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  table: "aws:dynamodb/table:Table",
  queue: "aws:sqs/queue:Queue",
  rdsCluster: "aws:rds/cluster:Cluster",
  fileSystem: "aws:efs/fileSystem:FileSystem",
  accessPoint: "aws:efs/accessPoint:AccessPoint",
  lambda: "aws:lambda/function:Function",
  eventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
  project: "aws:codebuild/project:Project",
  pipeline: "aws:codepipeline/pipeline:Pipeline",
  bucket: "aws:s3/bucket:Bucket",
  bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  repository: "aws:ecr/repository:Repository",
  parameter: "aws:ssm/parameter:Parameter",
  role: "aws:iam/role:Role",
  topic: "aws:sns/topic:Topic",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  compositeAlarm: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  trail: "aws:cloudtrail/trail:Trail",
  flowLog: "aws:ec2/flowLog:FlowLog",
  wafLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
  distribution: "aws:cloudfront/distribution:Distribution",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  key: "aws:kms/key:Key",
  schedule: "aws:scheduler/schedule:Schedule",
  emailIdentity: "aws:sesv2/emailIdentity:EmailIdentity",
  bucketNotification: "aws:s3/bucketNotification:BucketNotification",
  configurationSet: "aws:sesv2/configurationSet:ConfigurationSet",
  eventDestination: "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination",
  scheduleGroup: "aws:scheduler/scheduleGroup:ScheduleGroup",
  canary: "aws:synthetics/canary:Canary",
  promWorkspace: "aws:amp/workspace:Workspace",
  grafanaWorkspace: "aws:grafana/workspace:Workspace",
} as const;

const json = (value: unknown): any => (typeof value === "string" ? JSON.parse(value) : value);

/** What a table mode, a queue mode, the file system and tracing let an application call (README, "How a service reaches data"). */
export const APPLICATION_CALLS = {
  read: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable"],
  write: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable"],
  send: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
  consume: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
  traces: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"],
} as const;

const SOURCES = {
  ecsExecution: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html",
  ecsSecrets: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html",
  ecsTaskRole: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
  dynamodbKms: "https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html",
  sqsKms: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html",
  efsIam: "https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html",
  rdsIam: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html",
  xray: "https://docs.aws.amazon.com/xray/latest/devguide/security_iam_id-based-policy-examples.html",
  lambdaSqs: "https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions",
  lambdaLogs: "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html",
  lambdaXray: "https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html#services-xray-permissions",
  codebuild: "https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html",
  ecrPush: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html",
  codepipeline: "https://docs.aws.amazon.com/codepipeline/latest/userguide/security-iam.html#how-to-custom-role",
  ecsDeploy: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html#edit-role-ECS",
  connections: "https://docs.aws.amazon.com/dtconsole/latest/userguide/security-iam.html#permissions-reference-connections",
  alarmsTopic: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services",
  scheduler: "https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role",
  sesSend: "https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html",
  s3Notifications: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html",
  sesEvents: "https://docs.aws.amazon.com/ses/latest/dg/configure-sns-notifications.html",
  schedulerDlq: "https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html",
  eventsTopic:
    "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions; SNS: aws:SourceAccount/aws:SourceArn are not supported in a KMS policy for EventBridge-to-encrypted topics",
  trailBucket: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
  trailKey:
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html (kms:Decrypt for a bucket with an S3 Bucket Key)",
  trailLogs: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html",
  backupRole: "https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html",
  s3Replication: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
  logsKms: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
  vendedLogs: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html#AWS-logs-infrastructure-V2-CWL",
  flowLogs: "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html",
  oac: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html",
  albLogs: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html",
  grafanaRole: "https://docs.aws.amazon.com/grafana/latest/userguide/AMG-manage-permissions.html",
  grafanaPrometheus: "https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-and-IAM.html",
  canaryRole: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_CanaryPermissions.html",
  canaryKms: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_artifact_encryption.html",
  kmsGrants: "https://docs.aws.amazon.com/kms/latest/developerguide/grants.html (services create grants as the creating principal, through kms:ViaService)",
} as const;

/** Builds the catalogue for one synthesized stack. */
export function flowCatalogue(result: SynthResult, settings: Settings, accountId: string): Flow[] {
  const r = stackView(result.resources);
  const region = settings.region;
  const partition = "aws";
  const arn = (service: string, resource: string, where = region) => `arn:${partition}:${service}:${where}:${accountId}:${resource}`;
  const via = (service: string, where = region) => ({ "kms:ViaService": `${service}.${where}.amazonaws.com`, "kms:CallerAccount": accountId });
  const flows: Flow[] = [];
  const assume = (service: string, context: Record<string, string>, roleArn: string): FlowRequest => ({
    principal: service,
    action: "sts:AssumeRole",
    resource: roleArn,
    context,
  });
  const logStream = (groupName: string, stream: string, where = region) => arn("logs", `log-group:${groupName}:log-stream:${stream}`, where);
  const keyOfSecret = (secretArn: string) => r.byOutput(secretArn)?.inputs.kmsKeyId;
  const bucketKey = (bucket: SynthResource) =>
    r.ofType(T.bucketEncryption).find((e) => e.inputs.bucket === bucket.id)?.inputs.rules?.[0]?.applyServerSideEncryptionByDefault?.kmsMasterKeyId;

  // ECS: the agent starting each task (execution role) and the application (task role).
  for (const td of r.ofType(T.taskDefinition)) {
    const serviceName = String(td.inputs.family).slice(settings.namePrefix.length + 1);
    const service = settings.services.find((s) => s.name === serviceName);
    const ecsService = r.ofType(T.ecsService).find((s) => s.inputs.taskDefinition === td.state.arn);
    const clusterName = r.byOutput(ecsService?.inputs.cluster)?.state.name ?? settings.namePrefix;
    const taskArn = arn("ecs", `task/${clusterName}/0f1e2d3c4b5a69788796a5b4c3d2e1f0`);
    const trustContext = { "aws:SourceAccount": accountId, "aws:SourceArn": taskArn };
    const containers: any[] = json(td.inputs.containerDefinitions);
    const start: FlowRequest[] = [assume("ecs-tasks.amazonaws.com", trustContext, td.inputs.executionRoleArn)];
    for (const c of containers) {
      const ecr = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)/.exec(c.image);
      if (ecr) {
        const repository = `arn:${partition}:ecr:${ecr[2]}:${ecr[1]}:repository/${ecr[3]}`;
        start.push({ action: "ecr:GetAuthorizationToken", resource: "*" });
        for (const action of ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"])
          start.push({ action, resource: repository });
      }
      const logs = c.logConfiguration?.options;
      if (c.logConfiguration?.logDriver === "awslogs") {
        const stream = logStream(logs["awslogs-group"], `${logs["awslogs-stream-prefix"]}/${c.name}/0f1e2d3c`);
        start.push({ action: "logs:CreateLogStream", resource: stream }, { action: "logs:PutLogEvents", resource: stream });
      }
      for (const secret of c.secrets ?? []) {
        start.push({ action: "secretsmanager:GetSecretValue", resource: secret.valueFrom });
        const key = keyOfSecret(secret.valueFrom);
        if (key) start.push({ action: "kms:Decrypt", resource: key, context: via("secretsmanager") });
      }
    }
    flows.push({
      id: `ecs-task-start:${serviceName}`,
      title: `ECS starts ${serviceName}'s tasks`,
      source: `${SOURCES.ecsExecution}; ${SOURCES.ecsSecrets}`,
      principal: td.inputs.executionRoleArn,
      requests: start,
    });

    if (!service) continue;
    const app: FlowRequest[] = [assume("ecs-tasks.amazonaws.com", trustContext, td.inputs.taskRoleArn)];
    app.push(...applicationRequests(r, settings, service.name, service.access, via, arn));
    if (service.access.fileSystem) {
      const volume = (td.inputs.volumes ?? []).find((v: any) => v.efsVolumeConfiguration);
      const fs = r.lookup(T.fileSystem, volume?.efsVolumeConfiguration.fileSystemId);
      const ap = r.lookup(T.accessPoint, volume?.efsVolumeConfiguration.authorizationConfig?.accessPointId);
      for (const action of ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]) {
        app.push({
          action,
          resource: fs?.state.arn ?? "missing-file-system",
          context: { "elasticfilesystem:AccessPointArn": ap?.state.arn ?? "missing-access-point" },
        });
      }
    }
    if (settings.observability.tracing) for (const action of APPLICATION_CALLS.traces) app.push({ action, resource: "*" });
    // The metrics collector remote-writes with the task role (SigV4, service aps).
    const prometheus = r.ofType(T.promWorkspace)[0];
    if (settings.prometheus.enabled) app.push({ action: "aps:RemoteWrite", resource: prometheus?.state.arn ?? "missing-workspace" });
    // ECS assumes the task role for every task, whether or not the code then calls AWS with it.
    flows.push({
      id: `ecs-app:${serviceName}`,
      title: `${serviceName} uses what it declares`,
      source: `${SOURCES.ecsTaskRole}; ${SOURCES.dynamodbKms}; ${SOURCES.sqsKms}; ${SOURCES.efsIam}; ${SOURCES.rdsIam}; ${SOURCES.xray}`,
      principal: td.inputs.taskRoleArn,
      requests: app,
    });
  }

  // Lambda consumers: Lambda assumes the role, polls the queue, writes logs and traces, and the code uses its grants.
  for (const fn of settings.functions) {
    const resource = r.lookup(T.lambda, `${settings.namePrefix}-${fn.name}`);
    if (!resource) continue;
    const queue = r.lookup(T.queue, `${settings.namePrefix}-${fn.queue}`);
    const group = resource.inputs.loggingConfig?.logGroup ?? `/aws/lambda/${resource.state.name}`;
    const requests: FlowRequest[] = [assume("lambda.amazonaws.com", {}, resource.inputs.role)];
    for (const action of ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]) requests.push({ action, resource: queue?.state.arn });
    requests.push({ action: "kms:Decrypt", resource: queue?.inputs.kmsMasterKeyId, context: via("sqs") });
    const stream = logStream(group, "2026/12/01/[$LATEST]0f1e2d3c");
    requests.push({ action: "logs:CreateLogStream", resource: stream }, { action: "logs:PutLogEvents", resource: stream });
    if (resource.inputs.tracingConfig?.mode === "Active")
      for (const action of ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]) requests.push({ action, resource: "*" });
    requests.push(
      ...applicationRequests(r, settings, fn.name, { database: false, tables: fn.access.tables, queues: fn.access.queues, images: fn.access.images }, via, arn),
    );
    flows.push({
      id: `lambda:${fn.name}`,
      title: `the ${fn.name} function consumes ${fn.queue}`,
      source: `${SOURCES.lambdaSqs}; ${SOURCES.lambdaLogs}; ${SOURCES.lambdaXray}`,
      principal: resource.inputs.role,
      requests: requests.map((q) => ({ ...q, resource: q.resource ?? "missing" })),
    });
  }

  // Canaries: Lambda assumes the role for the function Synthetics creates; a run writes its
  // artifacts (SSE-KMS, through S3), the function's logs (group named after the canary's first 21
  // characters) and its metrics (CloudWatchSynthetics only).
  for (const canary of r.ofType(T.canary)) {
    const name = String(canary.inputs.name);
    const [bucketName, ...prefix] = String(canary.inputs.artifactS3Location ?? "")
      .replace(/^s3:\/\//, "")
      .split("/");
    const bucketArn = r.lookup(T.bucket, bucketName)?.state.arn ?? "missing-artifacts-bucket";
    const object = `${bucketArn}/${prefix.filter(Boolean).join("/")}/canary/eu-west-1/${name}/2026/12/01/00/00-00-000/SyntheticsReport.json`;
    const key = canary.inputs.artifactConfig?.s3Encryption?.kmsKeyArn ?? "missing-key";
    const group = `/aws/lambda/cwsyn-${name.slice(0, 21)}-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`;
    const stream = logStream(group, "2026/12/01/[$LATEST]0f1e2d3c");
    flows.push({
      id: `synthetics:${name}`,
      title: `the ${name} canary runs and records its result`,
      source: `${SOURCES.canaryRole}; ${SOURCES.canaryKms}`,
      principal: canary.inputs.executionRoleArn,
      requests: [
        assume("lambda.amazonaws.com", {}, canary.inputs.executionRoleArn),
        { action: "s3:PutObject", resource: object },
        { action: "s3:GetObject", resource: object },
        { action: "s3:GetBucketLocation", resource: bucketArn },
        { action: "s3:ListAllMyBuckets", resource: "*" },
        { action: "kms:GenerateDataKey", resource: key, context: via("s3") },
        { action: "kms:Decrypt", resource: key, context: via("s3") },
        { action: "logs:CreateLogGroup", resource: arn("logs", `log-group:${group}`) },
        { action: "logs:CreateLogStream", resource: stream },
        { action: "logs:PutLogEvents", resource: stream },
        { action: "cloudwatch:PutMetricData", resource: "*", context: { "cloudwatch:namespace": "CloudWatchSynthetics" } },
      ],
    });
  }

  // Grafana: the workspace assumes its role (with its own ARN and account) and reads the Prometheus
  // workspace and CloudWatch metrics.
  for (const grafana of r.ofType(T.grafanaWorkspace)) {
    const prometheus = r.ofType(T.promWorkspace)[0]?.state.arn ?? "missing-workspace";
    const grafanaArn = arn("grafana", `/workspaces/${grafana.id}`);
    flows.push({
      id: `grafana:${grafana.inputs.name}`,
      title: "Grafana reads Prometheus and CloudWatch",
      source: `${SOURCES.grafanaRole}; ${SOURCES.grafanaPrometheus}`,
      principal: grafana.inputs.roleArn,
      requests: [
        assume("grafana.amazonaws.com", { "aws:SourceAccount": accountId, "aws:SourceArn": grafanaArn }, grafana.inputs.roleArn),
        ...["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata", "aps:DescribeWorkspace"].map((action) => ({
          action,
          resource: prometheus,
        })),
        { action: "aps:ListWorkspaces", resource: "*" },
        { action: "cloudwatch:GetMetricData", resource: "*" },
        { action: "cloudwatch:ListMetrics", resource: "*" },
      ],
    });
  }

  // Delivery: CodeBuild builds and records, CodePipeline runs the stages and deploys to ECS.
  for (const pipeline of r.ofType(T.pipeline)) {
    const store = pipeline.inputs.artifactStores?.[0];
    const bucket = r.lookup(T.bucket, store?.location);
    const bucketArn = bucket?.state.arn ?? "missing-bucket";
    const artifactKey = store?.encryptionKey?.id ?? (bucket ? bucketKey(bucket) : undefined);
    const objects = `${bucketArn}/${pipeline.state.name}/source/0f1e2d3c`;
    const artifactRead: FlowRequest[] = [
      { action: "s3:GetObject", resource: objects },
      { action: "s3:GetObjectVersion", resource: objects },
      { action: "s3:GetBucketAcl", resource: bucketArn },
      { action: "s3:GetBucketLocation", resource: bucketArn },
      { action: "kms:Decrypt", resource: artifactKey, context: via("s3") },
    ];
    const artifactWrite: FlowRequest[] = [
      { action: "s3:PutObject", resource: objects },
      { action: "kms:GenerateDataKey", resource: artifactKey, context: via("s3") },
    ];
    const actions = (pipeline.inputs.stages ?? []).flatMap((s: any) => s.actions ?? []);
    const pipelineArn = arn("codepipeline", pipeline.state.name);
    const projects = actions.filter((a: any) => a.provider === "CodeBuild").map((a: any) => r.lookup(T.project, a.configuration?.ProjectName));
    for (const project of projects.filter(Boolean) as SynthResource[]) {
      const group = project.inputs.logsConfig?.cloudwatchLogs?.groupName;
      const stream = logStream(group, "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
      const variables: Record<string, string> = Object.fromEntries((project.inputs.environment?.environmentVariables ?? []).map((v: any) => [v.name, v.value]));
      const requests: FlowRequest[] = [
        assume("codebuild.amazonaws.com", { "aws:SourceAccount": accountId, "aws:SourceArn": project.state.arn }, project.inputs.serviceRole),
        { action: "logs:CreateLogStream", resource: stream },
        { action: "logs:PutLogEvents", resource: stream },
        ...artifactRead,
      ];
      let source: string = SOURCES.codebuild;
      if (variables.REPOSITORY_URI) {
        const repo = r.ofType(T.repository).find((x) => x.state.repositoryUrl === variables.REPOSITORY_URI);
        source += `; ${SOURCES.ecrPush}`;
        requests.push(...artifactWrite, { action: "ecr:GetAuthorizationToken", resource: "*" });
        // delivery/buildspec.yml: skip a commit whose image exists (immutable tags), else push it.
        for (const action of [
          "ecr:DescribeImages",
          "ecr:BatchCheckLayerAvailability",
          "ecr:InitiateLayerUpload",
          "ecr:UploadLayerPart",
          "ecr:CompleteLayerUpload",
          "ecr:PutImage",
        ]) {
          requests.push({ action, resource: repo?.state.arn ?? "missing-repository" });
        }
      }
      if (variables.IMAGE_PARAMETER) {
        const parameter = r.lookup(T.parameter, variables.IMAGE_PARAMETER);
        requests.push({ action: "ssm:PutParameter", resource: parameter?.state.arn ?? "missing-parameter" });
      }
      flows.push({
        id: `codebuild:${project.state.name}`,
        title: `CodeBuild runs ${project.state.name}`,
        source,
        principal: project.inputs.serviceRole,
        requests: requests.map((q) => ({ ...q, resource: q.resource ?? "missing" })),
      });
    }

    const requests: FlowRequest[] = [
      assume("codepipeline.amazonaws.com", { "aws:SourceAccount": accountId, "aws:SourceArn": pipelineArn }, pipeline.inputs.roleArn),
    ];
    requests.push(...artifactRead.filter((q) => q.action !== "s3:GetBucketAcl"), ...artifactWrite, { action: "s3:GetBucketVersioning", resource: bucketArn });
    for (const action of actions) {
      if (action.provider === "CodeStarSourceConnection") {
        const connection: string = action.configuration.ConnectionArn;
        requests.push({ action: `${connection.split(":")[2]}:UseConnection`, resource: connection });
      } else if (action.provider === "CodeCommit") {
        for (const a of [
          "codecommit:GetBranch",
          "codecommit:GetCommit",
          "codecommit:UploadArchive",
          "codecommit:GetUploadArchiveStatus",
          "codecommit:CancelUploadArchive",
        ]) {
          requests.push({ action: a, resource: arn("codecommit", action.configuration.RepositoryName) });
        }
      } else if (action.provider === "CodeBuild") {
        const project = r.lookup(T.project, action.configuration.ProjectName);
        for (const a of ["codebuild:StartBuild", "codebuild:BatchGetBuilds"]) requests.push({ action: a, resource: project?.state.arn ?? "missing-project" });
      } else if (action.provider === "ECS") {
        const cluster = r.lookup(T.ecsCluster, action.configuration.ClusterName);
        const ecsService = r.ofType(T.ecsService).find((s) => s.state.name === action.configuration.ServiceName);
        const td = r.ofType(T.taskDefinition).find((t) => t.state.arn === ecsService?.inputs.taskDefinition);
        const clusterArn = cluster?.state.arn ?? "missing-cluster";
        const family = td?.inputs.family ?? "missing-family";
        const revision = arn("ecs", `task-definition/${family}:2`);
        requests.push(
          {
            action: "ecs:DescribeServices",
            resource: arn("ecs", `service/${action.configuration.ClusterName}/${action.configuration.ServiceName}`),
            context: { "ecs:cluster": clusterArn },
          },
          {
            action: "ecs:UpdateService",
            resource: arn("ecs", `service/${action.configuration.ClusterName}/${action.configuration.ServiceName}`),
            context: { "ecs:cluster": clusterArn },
          },
          { action: "ecs:DescribeTaskDefinition", resource: "*" },
          { action: "ecs:RegisterTaskDefinition", resource: revision },
          // The new revision carries the current one's tags (the stack's default tags).
          { action: "ecs:TagResource", resource: revision, context: { "ecs:CreateAction": "RegisterTaskDefinition" } },
          {
            action: "ecs:DescribeTasks",
            resource: arn("ecs", `task/${action.configuration.ClusterName}/0f1e2d3c4b5a69788796a5b4c3d2e1f0`),
            context: { "ecs:cluster": clusterArn },
          },
          { action: "ecs:ListTasks", resource: "*", context: { "ecs:cluster": clusterArn } },
        );
        for (const role of [td?.inputs.taskRoleArn, td?.inputs.executionRoleArn]) {
          requests.push({ action: "iam:PassRole", resource: role ?? "missing-role", context: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
        }
      }
    }
    flows.push({
      id: `codepipeline:${pipeline.state.name}`,
      title: `CodePipeline runs ${pipeline.state.name}`,
      source: `${SOURCES.codepipeline}; ${SOURCES.ecsDeploy}; ${SOURCES.connections}`,
      principal: pipeline.inputs.roleArn,
      requests: requests.map((q) => ({ ...q, resource: q.resource ?? "missing" })),
    });
  }

  // Notifications: CloudWatch alarms and EventBridge rules publish to encrypted topics.
  const topicByArn = (a: string) => r.ofType(T.topic).find((t) => t.state.arn === a);
  for (const alarm of [...r.ofType(T.metricAlarm), ...r.ofType(T.compositeAlarm)]) {
    const name = alarm.inputs.name ?? alarm.inputs.alarmName;
    const context = { "aws:SourceAccount": accountId, "aws:SourceArn": arn("cloudwatch", `alarm:${name}`, alarm.region) };
    const topics = [...new Set<string>([...(alarm.inputs.alarmActions ?? []), ...(alarm.inputs.okActions ?? [])])];
    const requests = topics.flatMap((t) => {
      const key = topicByArn(t)?.inputs.kmsMasterKeyId;
      return [
        { action: "sns:Publish", resource: t, context },
        ...(key ? ["kms:GenerateDataKey", "kms:Decrypt"].map((action) => ({ action, resource: key, context })) : []),
      ];
    });
    flows.push({
      id: `alarm:${name}`,
      title: `alarm ${name} notifies its topic`,
      source: SOURCES.alarmsTopic,
      principal: "cloudwatch.amazonaws.com",
      requests,
    });
  }
  for (const target of r.ofType(T.eventTarget)) {
    if (!String(target.inputs.arn).includes(":sns:")) continue;
    const rule = r.lookup(T.eventRule, target.inputs.rule);
    const ruleArn = arn("events", `rule/${target.inputs.rule}`, target.region);
    const key = topicByArn(target.inputs.arn)?.inputs.kmsMasterKeyId;
    flows.push({
      id: `events:${rule?.name ?? target.inputs.rule}`,
      title: `EventBridge rule ${rule?.name ?? target.inputs.rule} delivers to its topic`,
      source: SOURCES.eventsTopic,
      principal: "events.amazonaws.com",
      requests: [
        { action: "sns:Publish", resource: target.inputs.arn, context: { "aws:SourceArn": ruleArn } },
        ...(key ? ["kms:GenerateDataKey", "kms:Decrypt"].map((action) => ({ action, resource: key })) : []),
      ],
    });
  }

  // EventBridge Scheduler: each schedule's role delivers to its target (the queue, through its key,
  // or the function), and failed deliveries to the dead-letter queue.
  for (const schedule of r.ofType(T.schedule)) {
    const group = r.ofType(T.scheduleGroup).find((g) => g.state.name === schedule.inputs.groupName);
    const groupArn = arn("scheduler", `schedule-group/${schedule.inputs.groupName}`);
    const target = schedule.inputs.target ?? {};
    const sqsDelivery = (queueArn: string): FlowRequest[] => {
      const queue = r.ofType(T.queue).find((q) => q.state.arn === queueArn);
      return [
        { action: "sqs:SendMessage", resource: queueArn },
        ...["kms:GenerateDataKey", "kms:Decrypt"].map((action) => ({ action, resource: queue?.inputs.kmsMasterKeyId ?? "missing-key", context: via("sqs") })),
      ];
    };
    const requests: FlowRequest[] = [
      assume("scheduler.amazonaws.com", { "aws:SourceAccount": accountId, "aws:SourceArn": group?.state.arn ?? groupArn }, target.roleArn),
      ...(String(target.arn).includes(":lambda:") ? [{ action: "lambda:InvokeFunction", resource: target.arn }] : sqsDelivery(target.arn)),
      ...(target.deadLetterConfig?.arn ? sqsDelivery(target.deadLetterConfig.arn) : []),
    ];
    flows.push({
      id: `scheduler:${schedule.inputs.name}`,
      title: `schedule ${schedule.inputs.name} delivers to its target, and failures to the dead-letter queue`,
      source: `${SOURCES.scheduler}; ${SOURCES.schedulerDlq}; ${SOURCES.sqsKms}`,
      principal: target.roleArn,
      requests,
    });
  }

  // S3: a bucket's event notifications reach their (encrypted) queue.
  for (const notification of r.ofType(T.bucketNotification)) {
    const bucket = r.lookup(T.bucket, notification.inputs.bucket);
    for (const target of notification.inputs.queues ?? []) {
      const queue = r.ofType(T.queue).find((q) => q.state.arn === target.queueArn);
      const context = { "aws:SourceArn": bucket?.state.arn ?? "missing-bucket", "aws:SourceAccount": accountId };
      flows.push({
        id: `s3-notifications:${bucket?.name ?? notification.name}`,
        title: `S3 announces new objects of ${bucket?.name ?? notification.name} on its queue`,
        source: SOURCES.s3Notifications,
        principal: "s3.amazonaws.com",
        requests: [
          { action: "sqs:SendMessage", resource: target.queueArn, context },
          ...["kms:GenerateDataKey", "kms:Decrypt"].map((action) => ({ action, resource: queue?.inputs.kmsMasterKeyId ?? "missing-key", context })),
        ],
      });
    }
  }

  // SES: each configuration set's event destination publishes to its (encrypted) topic.
  for (const destination of r.ofType(T.eventDestination)) {
    const topicArn = destination.inputs.eventDestination?.snsDestination?.topicArn;
    const set = r
      .ofType(T.configurationSet)
      .find(
        (c) =>
          c.state.configurationSetName === destination.inputs.configurationSetName || c.inputs.configurationSetName === destination.inputs.configurationSetName,
      );
    const key = topicByArn(topicArn)?.inputs.kmsMasterKeyId;
    const context = { "aws:SourceAccount": accountId, "aws:SourceArn": set?.state.arn ?? "missing-configuration-set" };
    flows.push({
      id: `ses-events:${destination.inputs.eventDestinationName}`,
      title: `SES reports ${destination.inputs.configurationSetName}'s bounces and complaints to its topic`,
      source: SOURCES.sesEvents,
      principal: "ses.amazonaws.com",
      requests: [
        { action: "sns:Publish", resource: topicArn, context },
        ...(key ? ["kms:GenerateDataKey", "kms:Decrypt"].map((action) => ({ action, resource: key, context })) : []),
      ],
    });
  }

  // CloudTrail: the bucket, the key and the CloudWatch Logs delivery role.
  for (const trail of r.ofType(T.trail)) {
    const bucket = r.lookup(T.bucket, trail.inputs.s3BucketName);
    const trailArn = trail.state.arn;
    const context = { "aws:SourceArn": trailArn, "aws:SourceAccount": accountId };
    const requests: FlowRequest[] = [
      { action: "s3:GetBucketAcl", resource: bucket?.state.arn ?? "missing-bucket", context },
      {
        action: "s3:PutObject",
        resource: `${bucket?.state.arn}/AWSLogs/${accountId}/CloudTrail/${region}/2026/12/01/log.json.gz`,
        context: { ...context, "s3:x-amz-acl": "bucket-owner-full-control" },
      },
      { action: "kms:GenerateDataKey", resource: trail.inputs.kmsKeyId, context: { ...context, "kms:EncryptionContext:aws:cloudtrail:arn": trailArn } },
      { action: "kms:DescribeKey", resource: trail.inputs.kmsKeyId, context },
      { action: "kms:Decrypt", resource: trail.inputs.kmsKeyId, context },
    ];
    flows.push({
      id: `cloudtrail:${trail.state.name}`,
      title: "CloudTrail writes log files",
      source: `${SOURCES.trailBucket}; ${SOURCES.trailKey}`,
      principal: "cloudtrail.amazonaws.com",
      requests,
    });
    if (trail.inputs.cloudWatchLogsRoleArn) {
      const group = String(trail.inputs.cloudWatchLogsGroupArn).replace(/:\*$/, "").split(":log-group:")[1];
      const stream = logStream(group, `${accountId}_CloudTrail_${region}`);
      flows.push({
        id: `cloudtrail-logs:${trail.state.name}`,
        title: "CloudTrail delivers to CloudWatch Logs",
        source: SOURCES.trailLogs,
        principal: trail.inputs.cloudWatchLogsRoleArn,
        requests: [
          assume("cloudtrail.amazonaws.com", {}, trail.inputs.cloudWatchLogsRoleArn),
          { action: "logs:CreateLogStream", resource: stream },
          { action: "logs:PutLogEvents", resource: stream },
        ],
      });
    }
  }

  // S3 replicates each new object version (and delete marker) as the configuration's role.
  for (const replication of r.ofType(T.bucketReplication)) {
    const source = r.ofType(T.bucket).find((b) => b.id === replication.inputs.bucket);
    const sourceArn = source?.state.arn ?? "missing-bucket";
    for (const rule of replication.inputs.rules ?? []) {
      const replicaArn = rule.destination?.bucket ?? "missing-bucket";
      const object = "assets/site.css";
      flows.push({
        id: `s3-replication:${source?.name ?? replication.name}:${rule.id}`,
        title: "S3 replicates objects to the DR region",
        source: SOURCES.s3Replication,
        principal: replication.inputs.role,
        requests: [
          assume("s3.amazonaws.com", { "aws:SourceAccount": accountId, "aws:SourceArn": sourceArn }, replication.inputs.role),
          { action: "s3:GetReplicationConfiguration", resource: sourceArn },
          { action: "s3:ListBucket", resource: sourceArn },
          { action: "s3:GetObjectVersionForReplication", resource: `${sourceArn}/${object}` },
          { action: "s3:GetObjectVersionAcl", resource: `${sourceArn}/${object}` },
          { action: "s3:GetObjectVersionTagging", resource: `${sourceArn}/${object}` },
          { action: "s3:ReplicateObject", resource: `${replicaArn}/${object}` },
          { action: "s3:ReplicateDelete", resource: `${replicaArn}/${object}` },
          { action: "s3:ReplicateTags", resource: `${replicaArn}/${object}` },
        ],
      });
    }
  }

  // AWS Backup runs each selection's backups and copies as the selection's role.
  for (const selection of r.ofType(T.backupSelection)) {
    flows.push({
      id: `backup:${selection.inputs.name}`,
      title: "AWS Backup assumes the selection's role",
      source: SOURCES.backupRole,
      principal: selection.inputs.iamRoleArn,
      requests: [assume("backup.amazonaws.com", {}, selection.inputs.iamRoleArn)],
    });
  }

  // Log groups encrypted with a customer key: CloudWatch Logs uses it for each group.
  for (const group of r.ofType(T.logGroup)) {
    if (!group.inputs.kmsKeyId) continue;
    const context = { "kms:EncryptionContext:aws:logs:arn": arn("logs", `log-group:${group.inputs.name}`, group.region) };
    flows.push({
      id: `logs-key:${group.inputs.name}`,
      title: `CloudWatch Logs encrypts ${group.inputs.name}`,
      source: SOURCES.logsKms,
      principal: `logs.${group.region}.amazonaws.com`,
      // The documented key statement also lists kms:Describe*, under the same encryption-context
      // condition, which a DescribeKey request (it carries no context) can never meet: CloudWatch
      // Logs does not depend on it, so the flow leaves it out.
      requests: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey"].map((action) => ({
        action,
        resource: group.inputs.kmsKeyId,
        context,
      })),
    });
  }

  // WAF logs (vended logs delivered by CloudWatch Logs' delivery service).
  for (const logging of r.ofType(T.wafLogging)) {
    for (const groupArn of logging.inputs.logDestinationConfigs ?? []) {
      const where = String(groupArn).split(":")[3];
      const stream = `${groupArn}:log-stream:${where}_${accountId}_0f1e2d3c`;
      const context = { "aws:SourceAccount": accountId, "aws:SourceArn": arn("logs", "delivery-source:waf", where) };
      flows.push({
        id: `waf-logs:${logging.name}`,
        title: "WAF delivers its logs",
        source: SOURCES.vendedLogs,
        principal: "delivery.logs.amazonaws.com",
        requests: ["logs:CreateLogStream", "logs:PutLogEvents"].map((action) => ({ action, resource: stream, context })),
      });
    }
  }

  // VPC flow logs.
  for (const flowLog of r.ofType(T.flowLog)) {
    const group = String(flowLog.inputs.logDestination).split(":log-group:")[1];
    const context = { "aws:SourceAccount": accountId, "aws:SourceArn": arn("ec2", `vpc-flow-log/${flowLog.id}`) };
    const stream = logStream(group, "eni-0f1e2d3c4b5a69788-all");
    flows.push({
      id: `flow-logs:${flowLog.name}`,
      title: "VPC flow logs are delivered",
      source: SOURCES.flowLogs,
      principal: flowLog.inputs.iamRoleArn,
      requests: [
        assume("vpc-flow-logs.amazonaws.com", context, flowLog.inputs.iamRoleArn),
        { action: "logs:CreateLogStream", resource: stream },
        { action: "logs:PutLogEvents", resource: stream },
        { action: "logs:DescribeLogStreams", resource: arn("logs", `log-group:${group}`) },
      ],
    });
  }

  // CloudFront reads the static bucket through origin access control.
  for (const distribution of r.ofType(T.distribution)) {
    for (const origin of distribution.inputs.origins ?? []) {
      if (!origin.originAccessControlId) continue;
      const bucket = r.ofType(T.bucket).find((b) => b.state.bucketRegionalDomainName === origin.domainName);
      flows.push({
        id: `cloudfront-oac:${origin.originId}`,
        title: `CloudFront reads the ${origin.originId} bucket`,
        source: SOURCES.oac,
        principal: "cloudfront.amazonaws.com",
        requests: [
          {
            action: "s3:GetObject",
            resource: `${bucket?.state.arn}/index.html`,
            context: { "aws:SourceArn": distribution.state.arn, "aws:SourceAccount": accountId },
          },
        ],
      });
    }
  }

  // ELB writes access logs (regions older than August 2022 deliver as the regional ELB account).
  for (const lb of r.ofType(T.loadBalancer)) {
    const logs = lb.inputs.accessLogs;
    if (!logs?.enabled) continue;
    const bucket = r.lookup(T.bucket, logs.bucket);
    const writer = elbLogWriter(region, partition);
    flows.push({
      id: `alb-logs:${lb.name}`,
      title: "the ALB writes access logs",
      source: SOURCES.albLogs,
      principal: "AWS" in writer ? writer.AWS : writer.Service,
      externalIdentity: "AWS" in writer ? { name: "elb-log-delivery", assumption: "AWS's log-delivery account may write in its own account" } : undefined,
      requests: [
        { action: "s3:PutObject", resource: `${bucket?.state.arn}/${logs.prefix}/AWSLogs/${accountId}/elasticloadbalancing/${region}/2026/12/01/log.gz` },
      ],
    });
  }

  // The deploying principal: services that encrypt with a customer key create KMS grants (or
  // data keys) as the caller at creation; the key policy must delegate to IAM for that to work.
  const deployer = `arn:${partition}:iam::${accountId}:role/${settings.namePrefix}-deploy`;
  const keyUses: [string, string, string[]][] = [];
  const record = (service: string, key: unknown, actions: string[], where = region) => {
    if (typeof key === "string" && key) keyUses.push([`${service}.${where}`, key, actions]);
  };
  for (const c of r.ofType(T.rdsCluster)) record("rds", c.inputs.kmsKeyId, ["kms:CreateGrant", "kms:DescribeKey"]);
  for (const s of r.ofType(T.secret)) record("secretsmanager", s.inputs.kmsKeyId, ["kms:GenerateDataKey", "kms:Decrypt"], s.region);
  for (const t of r.ofType(T.table)) record("dynamodb", t.inputs.serverSideEncryption?.kmsKeyArn, ["kms:CreateGrant", "kms:DescribeKey"]);
  for (const f of r.ofType(T.fileSystem)) record("elasticfilesystem", f.inputs.kmsKeyId, ["kms:CreateGrant", "kms:DescribeKey"]);
  for (const e of r.ofType(T.repository))
    record("ecr", e.inputs.encryptionConfigurations?.[0]?.kmsKey, ["kms:CreateGrant", "kms:DescribeKey", "kms:RetireGrant"]);
  for (const g of r.ofType("aws:elasticache/replicationGroup:ReplicationGroup"))
    record("elasticache", g.inputs.kmsKeyId, ["kms:CreateGrant", "kms:DescribeKey"]);
  // Amazon Managed Service for Prometheus uses a customer key through grants it creates as the caller.
  for (const w of r.ofType(T.promWorkspace)) record("aps", w.inputs.kmsKeyArn, ["kms:CreateGrant", "kms:DescribeKey"]);
  // Managing each key, as pulumi up does: KMS refuses a key policy that would lock this out.
  for (const k of r.ofType(T.key)) {
    for (const action of ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:EnableKeyRotation"]) keyUses.push(["", k.state.arn, [action]]);
  }
  const seen = new Set<string>();
  const deployRequests = keyUses.flatMap(([service, key, actions]) =>
    actions
      .filter((a) => !seen.has(`${service}|${key}|${a}`) && seen.add(`${service}|${key}|${a}`))
      .map((action): FlowRequest => ({
        action,
        resource: key,
        context: service ? { "kms:ViaService": `${service}.amazonaws.com`, "kms:CallerAccount": accountId } : {},
      })),
  );
  if (deployRequests.length) {
    flows.push({
      id: "deployer-keys",
      title: "the deploy role manages the stack's keys and lets services encrypt with them",
      source: SOURCES.kmsGrants,
      principal: deployer,
      externalIdentity: { name: "deploy-role", assumption: "the deploy role's own policy allows what pulumi up does" },
      requests: deployRequests,
    });
  }
  return flows;
}

/** Requests an application makes for what it declares (tables, queues, database). */
function applicationRequests(
  r: StackView,
  settings: Settings,
  grantee: string,
  access: { database: boolean; tables: Record<string, string>; queues: Record<string, string>; email?: boolean; sms?: boolean; images?: boolean },
  via: (service: string) => Record<string, string>,
  arn: (service: string, resource: string) => string,
): FlowRequest[] {
  const requests: FlowRequest[] = [];
  for (const [name, mode] of Object.entries(access.tables)) {
    // A standby's tables are its primary's global-table replicas here, on the primary's DR key.
    const tableName = `${settings.standby?.primaryPrefix ?? settings.namePrefix}-${name}`;
    const table = r.lookup(T.table, tableName);
    const tableArn = table?.state.arn ?? (settings.standby ? arn("dynamodb", `table/${tableName}`) : `missing-table-${name}`);
    const tableKey =
      table?.inputs.serverSideEncryption?.kmsKeyArn ??
      (settings.standby ? mockAliasTargetKeyArn(settings.region, `alias/${settings.standby.primaryPrefix}-dr`) : "missing-key");
    const calls =
      mode === "read"
        ? APPLICATION_CALLS.read
        : mode === "write"
          ? APPLICATION_CALLS.write
          : [...new Set([...APPLICATION_CALLS.read, ...APPLICATION_CALLS.write])];
    for (const action of calls) requests.push({ action, resource: tableArn });
    // DynamoDB decrypts the table key with the caller's permission (cached for minutes).
    requests.push({ action: "kms:Decrypt", resource: tableKey, context: via("dynamodb") });
  }
  for (const [name, mode] of Object.entries(access.queues)) {
    const queue = r.lookup(T.queue, `${settings.namePrefix}-${name}`);
    for (const action of mode === "send" ? APPLICATION_CALLS.send : APPLICATION_CALLS.consume)
      requests.push({ action, resource: queue?.state.arn ?? `missing-queue-${name}` });
    const key = queue?.inputs.kmsMasterKeyId ?? "missing-key";
    for (const action of mode === "send" ? ["kms:GenerateDataKey", "kms:Decrypt"] : ["kms:Decrypt"])
      requests.push({ action, resource: key, context: via("sqs") });
  }
  if (access.images) {
    // Read an upload, write its thumbnails under the prefix of the bucket CloudFront serves.
    const notification = r.ofType(T.bucketNotification)[0];
    const uploads = r.lookup(T.bucket, notification?.inputs.bucket);
    const staticBucket = r.ofType(T.bucket).find((b) => b.name === "edge-static");
    requests.push({ action: "s3:GetObject", resource: `${uploads?.state.arn ?? "missing-uploads"}/products/photo.jpg` });
    requests.push({
      action: "s3:PutObject",
      resource: `${staticBucket?.state.arn ?? "missing-static"}/${settings.images.thumbnailPrefix}products/photo-320.webp`,
    });
  }
  // SMS: a phone number is no ARN; the request's resource is "*" (the grant denies every topic).
  if (access.sms) requests.push({ action: "sns:Publish", resource: "*" });
  if (access.email) {
    // SES checks the identity and, when the send names one, the configuration set.
    const identity = r.ofType(T.emailIdentity)[0];
    const configurationSet = r.ofType(T.configurationSet)[0];
    const from = { "ses:FromAddress": `${settings.email.sender}@${settings.domain}` };
    for (const resource of [identity?.state.arn ?? "missing-identity", configurationSet?.state.arn ?? "missing-configuration-set"])
      requests.push({ action: "ses:SendEmail", resource, context: from });
  }
  if (access.database) {
    const cluster = r.ofType(T.rdsCluster)[0];
    const user = `${grantee.replace(/-/g, "_")}_app`;
    requests.push({ action: "rds-db:connect", resource: arn("rds-db", `dbuser:${cluster?.state.clusterResourceId}/${user}`) });
  }
  return requests;
}

/** Flows that IAM evaluation cannot decide, and the check that covers each. */
export const CHECKED_ELSEWHERE: CheckedElsewhere[] = [
  {
    id: "cloudfront-standard-logs",
    title: "CloudFront standard logs to the log bucket",
    mechanism: "bucket ACL granted to the awslogsdelivery account (legacy standard logging)",
    provenBy: "stack rule cloudfront-logging-after-acls (ACLs enabled, distribution waits for them)",
  },
  {
    id: "rds-managed-secret-rotation",
    title: "RDS rotates the managed master secret",
    mechanism: "KMS grant RDS creates, as the deploying principal, when it creates the secret",
    provenBy: "flow deployer-keys (the key policy delegates to IAM, so the deploy role can create the grant)",
  },
  {
    id: "backup-managed-policies",
    title: "AWS Backup backs up Aurora, DynamoDB and EFS, and copies to the DR vault",
    mechanism:
      "AWS's managed policies AWSBackupServiceRolePolicyForBackup and ForRestores on the backup role (not inline documents this evaluator holds); both vault keys delegate to IAM, so the role's KMS rights apply",
    provenBy: "test/backup.test.ts (the attachments, the keys' delegation, the copy action) and README, Deploy fidelity",
  },
  {
    id: "service-linked-roles",
    title: "ECS, Application Auto Scaling, ElastiCache and RDS act through their service-linked roles",
    mechanism: "AWS-managed roles created on first use (the deploy role needs iam:CreateServiceLinkedRole)",
    provenBy: "README, Deploying for real (what only a real deploy shows)",
  },
];
