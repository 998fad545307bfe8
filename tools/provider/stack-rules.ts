/**
 * Rules over several resources: what fails when one resource is created before another it needs
 * (ordering, read from the dependencies the engine records), or when two resources that work
 * together disagree (regions, names, sizes).
 */
import type { SynthResource } from "../harness";
import { exampleResource as res, Finding, StackRule, StackView } from "./rules";

const T = {
  globalCluster: "aws:rds/globalCluster:GlobalCluster",
  table: "aws:dynamodb/table:Table",
  tableReplica: "aws:dynamodb/tableReplica:TableReplica",
  bucketReplication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  ecrRepository: "aws:ecr/repository:Repository",
  ecrReplication: "aws:ecr/replicationConfiguration:ReplicationConfiguration",
  backupPlan: "aws:backup/plan:Plan",
  backupSelection: "aws:backup/selection:Selection",
  backupVault: "aws:backup/vault:Vault",
  certificate: "aws:acm/certificate:Certificate",
  validation: "aws:acm/certificateValidation:CertificateValidation",
  record: "aws:route53/record:Record",
  ecsCluster: "aws:ecs/cluster:Cluster",
  capacity: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  ecsService: "aws:ecs/service:Service",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  listener: "aws:lb/listener:Listener",
  listenerRule: "aws:lb/listenerRule:ListenerRule",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  lambda: "aws:lambda/function:Function",
  eventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
  project: "aws:codebuild/project:Project",
  pipeline: "aws:codepipeline/pipeline:Pipeline",
  trail: "aws:cloudtrail/trail:Trail",
  flowLog: "aws:ec2/flowLog:FlowLog",
  mountTarget: "aws:efs/mountTarget:MountTarget",
  bucket: "aws:s3/bucket:Bucket",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  distribution: "aws:cloudfront/distribution:Distribution",
  rdsCluster: "aws:rds/cluster:Cluster",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  key: "aws:kms/key:Key",
  topic: "aws:sns/topic:Topic",
  webAcl: "aws:wafv2/webAcl:WebAcl",
  wafLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  compositeAlarm: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  queue: "aws:sqs/queue:Queue",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  healthCheckR53: "aws:route53/healthCheck:HealthCheck",
  userPoolClient: "aws:cognito/userPoolClient:UserPoolClient",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
  rdsInstance: "aws:rds/clusterInstance:ClusterInstance",
  clusterParams: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
  instanceParams: "aws:rds/parameterGroup:ParameterGroup",
  replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
  cacheParams: "aws:elasticache/parameterGroup:ParameterGroup",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
  bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  bucketNotification: "aws:s3/bucketNotification:BucketNotification",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
} as const;

const keyOf = (r: SynthResource) => `${r.type}::${r.name}`;

/** The resources that write one bucket's configuration (S3 refuses two such writes at once). */
const BUCKET_CONFIGURATION = [
  T.publicAccessBlock,
  T.ownership,
  T.bucketEncryption,
  T.bucketVersioning,
  T.bucketLifecycle,
  T.bucketPolicy,
  T.bucketReplication,
  T.bucketNotification,
];
const json = (value: unknown): any => (typeof value === "string" ? JSON.parse(value) : value);
/** Region of an ARN (`arn:aws:sns:<region>:...`). */
const arnRegion = (arn: unknown): string | undefined => (typeof arn === "string" ? arn.split(":")[3] : undefined);

/** Findings for every `needed` resource that `resource` does not wait for. */
function mustWaitFor(stack: StackView, resource: SynthResource, needed: SynthResource[], why: string): Finding[] {
  return needed.filter((n) => !stack.dependsOn(resource, n)).map((n) => ({ resource: keyOf(resource), message: `does not depend on ${keyOf(n)}: ${why}` }));
}

/** The inline policies and attachments that give a role (by ARN) its permissions. */
function policiesOfRole(stack: StackView, roleArn: unknown): SynthResource[] {
  const role = stack.lookup(T.role, roleArn);
  if (!role) return [];
  return [...stack.ofType(T.rolePolicy), ...stack.ofType(T.rolePolicyAttachment)].filter((p) => p.inputs.role === role.id || p.inputs.role === role.state.name);
}

/**
 * The roles a resource hands to an AWS service that starts working with them as soon as the
 * resource exists: ECS launches tasks, Lambda validates and polls, CloudTrail checks its logs
 * role, a V2 pipeline starts a first execution (running its CodeBuild projects' roles too).
 */
function rolesStartedBy(stack: StackView, r: SynthResource): unknown[] {
  switch (r.type) {
    case T.taskDefinition:
      return [r.inputs.executionRoleArn, r.inputs.taskRoleArn];
    case T.lambda:
      return [r.inputs.role];
    case T.trail:
      return [r.inputs.cloudWatchLogsRoleArn];
    case T.flowLog:
      return [r.inputs.iamRoleArn];
    case T.backupSelection:
      return [r.inputs.iamRoleArn];
    case T.pipeline: {
      const projects = (r.inputs.stages ?? [])
        .flatMap((s: any) => s.actions ?? [])
        .filter((a: any) => a.provider === "CodeBuild")
        .map((a: any) => stack.ofType(T.project).find((p) => p.state.name === a.configuration?.ProjectName));
      return [r.inputs.roleArn, ...projects.map((p: SynthResource | undefined) => p?.inputs.serviceRole)];
    }
    default:
      return [];
  }
}

/** Inputs that name a customer key, by path. */
const KEY_INPUTS = [
  "kmsKeyId",
  "kmsKeyArn",
  "kmsMasterKeyId",
  "encryptionKey",
  "masterUserSecretKmsKeyId",
  "performanceInsightsKmsKeyId",
  "serverSideEncryption.kmsKeyArn",
  "encryptionConfigurations.0.kmsKey",
  "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId",
];
const deepGet = (value: any, path: string): unknown => path.split(".").reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), value);

/** What a managed prefix-list rule weighs against the rule quota: CloudFront's origin-facing list (the only one the platform uses) has 55 max entries. */
const PREFIX_LIST_WEIGHT = 55;

export const STACK_RULES: readonly StackRule[] = [
  {
    id: "acm-validation-records",
    types: [T.validation, T.certificate, T.record],
    source: "terraform-provider-aws internal/service/acm/certificate_validation.go (missing <name> DNS validation record)",
    description: "Every CertificateValidation that lists validation records lists the record of every name of its certificate (subject and SANs).",
    check: (stack) =>
      stack.ofType(T.validation).flatMap((v) => {
        const fqdns: string[] = v.inputs.validationRecordFqdns ?? [];
        if (fqdns.length === 0) return [];
        const certificate = stack.byOutput(v.inputs.certificateArn);
        const listed = new Set(fqdns.map((f) => f.replace(/\.$/, "")));
        return (certificate?.state.domainValidationOptions ?? [])
          .filter((o: any) => !listed.has(String(o.resourceRecordName).replace(/\.$/, "")))
          .map((o: any) => ({
            resource: keyOf(v),
            message: `missing ${o.domainName} DNS validation record: ${String(o.resourceRecordName).replace(/\.$/, "")}`,
          }));
      }),
    examples: {
      ok: [
        res(
          T.certificate,
          "c",
          { domainName: "a.x" },
          { state: { arn: "arn:c", domainValidationOptions: [{ domainName: "a.x", resourceRecordName: "_1.a.x." }] } },
        ),
        res(T.validation, "v", { certificateArn: "arn:c", validationRecordFqdns: ["_1.a.x"] }),
      ],
      bad: [
        res(
          T.certificate,
          "c",
          { domainName: "a.x", subjectAlternativeNames: ["x"] },
          {
            state: {
              arn: "arn:c",
              domainValidationOptions: [
                { domainName: "a.x", resourceRecordName: "_1.a.x." },
                { domainName: "x", resourceRecordName: "_2.x." },
              ],
            },
          },
        ),
        res(T.validation, "v", { certificateArn: "arn:c", validationRecordFqdns: ["_1.a.x"] }),
      ],
    },
  },
  {
    id: "ecs-service-after-capacity-providers",
    types: [T.ecsService, T.capacity, T.ecsCluster],
    source:
      "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_cluster_capacity_providers (services must depend on the association)",
    description:
      "A service that names capacity providers waits for the cluster's capacity-provider association (CreateService fails otherwise, and destroy fails with the provider still in use).",
    check: (stack) =>
      stack.ofType(T.ecsService).flatMap((service) => {
        if (!(service.inputs.capacityProviderStrategies ?? []).length) return [];
        const cluster = stack.lookup(T.ecsCluster, service.inputs.cluster);
        const associations = stack.ofType(T.capacity).filter((a) => cluster && a.inputs.clusterName === cluster.state.name);
        if (associations.length === 0)
          return [{ resource: keyOf(service), message: "names capacity providers, but its cluster has no ClusterCapacityProviders association" }];
        return mustWaitFor(stack, service, associations, "CreateService can run before FARGATE/FARGATE_SPOT are attached to the cluster");
      }),
    examples: {
      ok: [
        res(T.ecsCluster, "c", { name: "p" }, { state: { arn: "arn:c" } }),
        res(T.capacity, "cp", { clusterName: "p" }),
        res(T.ecsService, "s", { cluster: "arn:c", capacityProviderStrategies: [{ capacityProvider: "FARGATE" }] }, { dependencies: [`${T.capacity}::cp`] }),
      ],
      bad: [
        res(T.ecsCluster, "c", { name: "p" }, { state: { arn: "arn:c" } }),
        res(T.capacity, "cp", { clusterName: "p" }),
        res(T.ecsService, "s", { cluster: "arn:c", capacityProviderStrategies: [{ capacityProvider: "FARGATE" }] }, { dependencies: [`${T.ecsCluster}::c`] }),
      ],
    },
  },
  {
    id: "ecs-service-after-listener",
    types: [T.ecsService, T.listener, T.listenerRule, T.targetGroup],
    source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html (the target group must be associated with a load balancer)",
    description: "A service attached to a target group waits for the listener or rule that forwards to it.",
    check: (stack) =>
      stack.ofType(T.ecsService).flatMap((service) =>
        (service.inputs.loadBalancers ?? []).flatMap((lb: any) => {
          const forwarding = [...stack.ofType(T.listener), ...stack.ofType(T.listenerRule)].filter((l) =>
            [...(l.inputs.actions ?? []), ...(l.inputs.defaultActions ?? [])].some((a: any) => a.targetGroupArn === lb.targetGroupArn),
          );
          if (forwarding.length === 0)
            return [{ resource: keyOf(service), message: `target group ${lb.targetGroupArn} has no listener or rule forwarding to it` }];
          return forwarding.some((f) => stack.dependsOn(service, f))
            ? []
            : [{ resource: keyOf(service), message: `does not depend on ${keyOf(forwarding[0])}: the target group is not yet attached to the load balancer` }];
        }),
      ),
    examples: {
      ok: [
        res(T.listenerRule, "r", { actions: [{ type: "forward", targetGroupArn: "arn:tg" }] }),
        res(T.ecsService, "s", { loadBalancers: [{ targetGroupArn: "arn:tg" }] }, { dependencies: [`${T.listenerRule}::r`] }),
      ],
      bad: [
        res(T.listenerRule, "r", { actions: [{ type: "forward", targetGroupArn: "arn:tg" }] }),
        res(T.ecsService, "s", { loadBalancers: [{ targetGroupArn: "arn:tg" }] }),
      ],
    },
  },
  {
    id: "role-policies-before-use",
    types: [T.taskDefinition, T.lambda, T.trail, T.flowLog, T.pipeline, T.project, T.backupSelection, T.rolePolicy, T.rolePolicyAttachment, T.role],
    source:
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency; CreateTrail InvalidCloudWatchLogsRoleArnException; CreateEventSourceMapping role checks; CreateBackupSelection ("cannot be assumed by AWS Backup")',
    description:
      "A resource that hands a role to a service that starts working at once (task definitions, functions, trails, flow logs, pipelines and the builds they run, backup selections) waits for that role's policies.",
    check: (stack) =>
      stack.resources.flatMap((r) =>
        rolesStartedBy(stack, r).flatMap((arn) =>
          mustWaitFor(stack, r, policiesOfRole(stack, arn), "the service would start with a role that has no permissions yet"),
        ),
      ),
    examples: {
      ok: [
        res(T.role, "role", {}, { state: { arn: "arn:role" } }),
        res(T.rolePolicy, "p", { role: "role-id" }),
        res(T.lambda, "f", { role: "arn:role" }, { dependencies: [`${T.rolePolicy}::p`] }),
      ],
      bad: [res(T.role, "role", {}, { state: { arn: "arn:role" } }), res(T.rolePolicy, "p", { role: "role-id" }), res(T.lambda, "f", { role: "arn:role" })],
    },
  },
  {
    id: "lambda-sqs-after-role-policy",
    types: [T.eventSourceMapping, T.lambda, T.rolePolicy],
    source: "https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions (CreateEventSourceMapping checks the execution role)",
    description: "An SQS event source mapping waits for the policies of its function's role, which CreateEventSourceMapping checks for sqs:ReceiveMessage.",
    check: (stack) =>
      stack.ofType(T.eventSourceMapping).flatMap((m) => {
        const fn = stack.lookup(T.lambda, m.inputs.functionName);
        return fn ? mustWaitFor(stack, m, policiesOfRole(stack, fn.inputs.role), "CreateEventSourceMapping rejects a role without sqs:ReceiveMessage") : [];
      }),
    examples: {
      ok: [
        res(T.role, "role", {}, { state: { arn: "arn:role" } }),
        res(T.rolePolicy, "p", { role: "role-id" }),
        res(T.lambda, "f", { role: "arn:role" }, { state: { arn: "arn:f" }, dependencies: [`${T.rolePolicy}::p`] }),
        res(T.eventSourceMapping, "m", { functionName: "arn:f" }, { dependencies: [`${T.lambda}::f`] }),
      ],
      bad: [
        res(T.role, "role", {}, { state: { arn: "arn:role" } }),
        res(T.rolePolicy, "p", { role: "role-id" }),
        res(T.lambda, "f", { role: "arn:role" }, { state: { arn: "arn:f" } }),
        res(T.eventSourceMapping, "m", { functionName: "arn:f" }, { dependencies: [`${T.lambda}::f`] }),
      ],
    },
  },
  {
    id: "efs-mount-targets-before-tasks",
    types: [T.taskDefinition, T.mountTarget],
    source:
      "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html (a mount target in each task's AZ; ResourceInitializationError otherwise)",
    description: "A task definition that mounts an EFS file system waits for every mount target of that file system.",
    check: (stack) =>
      stack.ofType(T.taskDefinition).flatMap((td) =>
        (td.inputs.volumes ?? [])
          .filter((v: any) => v.efsVolumeConfiguration)
          .flatMap((v: any) => {
            const targets = stack.ofType(T.mountTarget).filter((m) => m.inputs.fileSystemId === v.efsVolumeConfiguration.fileSystemId);
            if (targets.length === 0)
              return [{ resource: keyOf(td), message: `volume ${v.name}: file system ${v.efsVolumeConfiguration.fileSystemId} has no mount target` }];
            return mustWaitFor(stack, td, targets, "tasks would start before the file system is mountable in their subnet");
          }),
      ),
    examples: {
      ok: [
        res(T.mountTarget, "m", { fileSystemId: "fs-1" }),
        res(T.taskDefinition, "td", { volumes: [{ name: "v", efsVolumeConfiguration: { fileSystemId: "fs-1" } }] }, { dependencies: [`${T.mountTarget}::m`] }),
      ],
      bad: [
        res(T.mountTarget, "m", { fileSystemId: "fs-1" }),
        res(T.taskDefinition, "td", { volumes: [{ name: "v", efsVolumeConfiguration: { fileSystemId: "fs-1" } }] }),
      ],
    },
  },
  {
    id: "log-delivery-after-bucket-policy",
    types: [T.loadBalancer, T.trail, T.bucketPolicy],
    source:
      "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html (Access Denied for bucket); https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html (InsufficientS3BucketPolicyException)",
    description: "A load balancer with access logs and a trail wait for the policy of the bucket they write to, which the service checks at creation.",
    check: (stack) =>
      [...stack.ofType(T.loadBalancer), ...stack.ofType(T.trail)].flatMap((r) => {
        const target = r.type === T.trail ? r.inputs.s3BucketName : r.inputs.accessLogs?.enabled ? r.inputs.accessLogs.bucket : undefined;
        if (target === undefined) return [];
        const bucket = stack.lookup(T.bucket, target);
        const policies = stack.ofType(T.bucketPolicy).filter((p) => bucket && (p.inputs.bucket === bucket.id || p.inputs.bucket === bucket.state.bucket));
        if (policies.length === 0) return [{ resource: keyOf(r), message: `writes to bucket ${target}, which has no bucket policy letting the service write` }];
        return mustWaitFor(stack, r, policies, "the service checks at creation that it may write to the bucket");
      }),
    examples: {
      ok: [
        res(T.bucket, "b", {}, { state: { bucket: "logs" } }),
        res(T.bucketPolicy, "bp", { bucket: "b-id" }),
        res(T.trail, "t", { s3BucketName: "b-id" }, { dependencies: [`${T.bucketPolicy}::bp`] }),
      ],
      bad: [res(T.bucket, "b", {}, { state: { bucket: "logs" } }), res(T.bucketPolicy, "bp", { bucket: "b-id" }), res(T.trail, "t", { s3BucketName: "b-id" })],
    },
  },
  {
    id: "cloudfront-logging-after-acls",
    types: [T.distribution, T.ownership, T.bucket],
    source: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html#AccessLogsBucketAndFileOwnership",
    description: "A distribution with standard logging writes to a bucket whose ACLs are enabled, and waits for its ownership controls.",
    check: (stack) =>
      stack.ofType(T.distribution).flatMap((d) => {
        const target = d.inputs.loggingConfig?.bucket;
        if (!target) return [];
        const bucket = stack.ofType(T.bucket).find((b) => b.state.bucketDomainName === target);
        const controls = stack.ofType(T.ownership).filter((o) => bucket && o.inputs.bucket === bucket.id);
        if (controls.some((c) => c.inputs.rule?.objectOwnership === "BucketOwnerEnforced") || controls.length === 0)
          return [
            { resource: keyOf(d), message: `logs to ${target}, whose ACLs are disabled (CloudFront standard logs need BucketOwnerPreferred or ObjectWriter)` },
          ];
        return mustWaitFor(stack, d, controls, "CloudFront grants its log delivery account an ACL on the bucket");
      }),
    examples: {
      ok: [
        res(T.bucket, "b", {}, { state: { bucketDomainName: "logs.s3.amazonaws.com" } }),
        res(T.ownership, "o", { bucket: "b-id", rule: { objectOwnership: "BucketOwnerPreferred" } }),
        res(T.distribution, "d", { loggingConfig: { bucket: "logs.s3.amazonaws.com" } }, { dependencies: [`${T.ownership}::o`] }),
      ],
      bad: [
        res(T.bucket, "b", {}, { state: { bucketDomainName: "logs.s3.amazonaws.com" } }),
        res(T.ownership, "o", { bucket: "b-id", rule: { objectOwnership: "BucketOwnerEnforced" } }),
        res(T.distribution, "d", { loggingConfig: { bucket: "logs.s3.amazonaws.com" } }, { dependencies: [`${T.ownership}::o`] }),
      ],
    },
  },
  {
    id: "certificates-issued-before-use",
    types: [T.listener, T.distribution, T.validation],
    source: "https://docs.aws.amazon.com/acm/latest/userguide/acm-services.html (only issued certificates attach); CloudFront: certificate in us-east-1",
    description: "Listeners and distributions use a certificate only once its validation has completed; CloudFront's certificate lives in us-east-1.",
    check: (stack) =>
      [...stack.ofType(T.listener), ...stack.ofType(T.distribution)].flatMap((r) => {
        const arn = r.type === T.listener ? r.inputs.certificateArn : r.inputs.viewerCertificate?.acmCertificateArn;
        if (!arn) return [];
        const findings: Finding[] = [];
        if (r.type === T.distribution && arnRegion(arn) !== "us-east-1")
          findings.push({ resource: keyOf(r), message: `viewer certificate ${arn} is not in us-east-1` });
        const validations = stack.ofType(T.validation).filter((v) => v.inputs.certificateArn === arn);
        if (validations.length === 0 || !validations.some((v) => stack.dependsOn(r, v)))
          findings.push({ resource: keyOf(r), message: `uses certificate ${arn} without waiting for its CertificateValidation (not yet issued)` });
        return findings;
      }),
    examples: {
      ok: [
        res(T.validation, "v", { certificateArn: "arn:aws:acm:us-east-1:1:certificate/c" }),
        res(
          T.distribution,
          "d",
          { viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:1:certificate/c" } },
          { dependencies: [`${T.validation}::v`] },
        ),
      ],
      bad: [
        res(T.validation, "v", { certificateArn: "arn:aws:acm:eu-west-1:1:certificate/c" }),
        res(
          T.distribution,
          "d",
          { viewerCertificate: { acmCertificateArn: "arn:aws:acm:eu-west-1:1:certificate/c" } },
          { dependencies: [`${T.validation}::v`] },
        ),
      ],
    },
  },
  {
    id: "rds-log-groups-first",
    types: [T.rdsCluster, T.logGroup],
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.CloudWatch.html (RDS creates /aws/rds/cluster/<id>/<log> itself)",
    description:
      "A cluster that exports logs waits for its pre-created, encrypted log groups; otherwise RDS creates them unencrypted, kept forever, and the program's own log group then fails as existing.",
    check: (stack) =>
      stack.ofType(T.rdsCluster).flatMap((c) =>
        (c.inputs.enabledCloudwatchLogsExports ?? []).flatMap((log: string) => {
          const name = `/aws/rds/cluster/${c.inputs.clusterIdentifier}/${log}`;
          const group = stack.ofType(T.logGroup).find((g) => g.inputs.name === name);
          if (!group) return [{ resource: keyOf(c), message: `exports ${log} logs but the stack has no log group ${name}` }];
          return mustWaitFor(stack, c, [group], "RDS would create the log group first");
        }),
      ),
    examples: {
      ok: [
        res(T.logGroup, "g", { name: "/aws/rds/cluster/db/postgresql" }),
        res(T.rdsCluster, "c", { clusterIdentifier: "db", enabledCloudwatchLogsExports: ["postgresql"] }, { dependencies: [`${T.logGroup}::g`] }),
      ],
      bad: [res(T.rdsCluster, "c", { clusterIdentifier: "db", enabledCloudwatchLogsExports: ["postgresql"] })],
    },
  },
  {
    id: "waf-logging-destination",
    types: [T.wafLogging, T.logGroup],
    source: "https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html",
    description: "A web ACL logs to CloudWatch Logs only into a group named aws-waf-logs-* in the web ACL's own region.",
    check: (stack) =>
      stack.ofType(T.wafLogging).flatMap((l) => {
        const acl = stack.byOutput(l.inputs.resourceArn);
        return (l.inputs.logDestinationConfigs ?? []).flatMap((arn: string) => {
          const group = stack.byOutput(arn);
          const name = group?.inputs.name ?? arn.split(":log-group:")[1];
          const findings: Finding[] = [];
          if (!String(name).startsWith("aws-waf-logs-")) findings.push({ resource: keyOf(l), message: `log group ${name} must be named aws-waf-logs-*` });
          if (acl && arnRegion(arn) !== acl.region)
            findings.push({ resource: keyOf(l), message: `log group ${arn} is not in the web ACL's region ${acl.region}` });
          return findings;
        });
      }),
    examples: {
      ok: [res(T.wafLogging, "l", { logDestinationConfigs: ["arn:aws:logs:us-east-1:1:log-group:aws-waf-logs-x"] })],
      bad: [res(T.wafLogging, "l", { logDestinationConfigs: ["arn:aws:logs:us-east-1:1:log-group:/waf/x"] })],
    },
  },
  {
    id: "notifications-same-region",
    types: [T.metricAlarm, T.compositeAlarm, T.eventTarget, T.topic],
    source:
      "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (actions in the alarm's Region); https://repost.aws/knowledge-center/sns-not-getting-eventbridge-notification",
    description: "Alarms notify, and EventBridge rules target, SNS topics of their own region.",
    check: (stack) =>
      [...stack.ofType(T.metricAlarm), ...stack.ofType(T.compositeAlarm), ...stack.ofType(T.eventTarget)].flatMap((r) =>
        [...(r.inputs.alarmActions ?? []), ...(r.inputs.okActions ?? []), ...(r.inputs.arn ? [r.inputs.arn] : [])]
          .filter((arn: string) => String(arn).includes(":sns:") && arnRegion(arn) !== r.region)
          .map((arn: string) => ({ resource: keyOf(r), message: `notifies ${arn}, outside its region ${r.region}` })),
      ),
    examples: {
      ok: [res(T.metricAlarm, "a", { alarmActions: ["arn:aws:sns:eu-west-1:1:t"] })],
      bad: [res(T.metricAlarm, "a", { alarmActions: ["arn:aws:sns:us-east-1:1:t"] })],
    },
  },
  {
    id: "lambda-queue-visibility",
    types: [T.eventSourceMapping, T.queue, T.lambda],
    source:
      "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html (visibility timeout at least 6x the function timeout; below the timeout CreateEventSourceMapping fails)",
    description: "A queue consumed by a function has a visibility timeout of at least six times the function's timeout.",
    check: (stack) =>
      stack.ofType(T.eventSourceMapping).flatMap((m) => {
        const queue = stack.byOutput(m.inputs.eventSourceArn);
        const fn = stack.lookup(T.lambda, m.inputs.functionName);
        if (!queue || queue.type !== T.queue || !fn) return [];
        const visibility = queue.inputs.visibilityTimeoutSeconds ?? 30;
        const timeout = fn.inputs.timeout ?? 3;
        return visibility >= 6 * timeout
          ? []
          : [{ resource: keyOf(queue), message: `visibilityTimeoutSeconds ${visibility} is below 6 x the timeout of ${keyOf(fn)} (${timeout} s)` }];
      }),
    examples: {
      ok: [
        res(T.queue, "q", { visibilityTimeoutSeconds: 180 }, { state: { arn: "arn:q" } }),
        res(T.lambda, "f", { timeout: 30 }, { state: { arn: "arn:f" } }),
        res(T.eventSourceMapping, "m", { eventSourceArn: "arn:q", functionName: "arn:f" }),
      ],
      bad: [
        res(T.queue, "q", { visibilityTimeoutSeconds: 30 }, { state: { arn: "arn:q" } }),
        res(T.lambda, "f", { timeout: 30 }, { state: { arn: "arn:f" } }),
        res(T.eventSourceMapping, "m", { eventSourceArn: "arn:q", functionName: "arn:f" }),
      ],
    },
  },
  {
    id: "sg-rules-not-mixed",
    types: [T.securityGroup, T.ingress, T.egress],
    source: "https://www.pulumi.com/registry/packages/aws/api-docs/ec2/securitygroup/ (do not mix inline rules with rule resources)",
    description: "A security group with separate rule resources has no inline ingress or egress rules (they would fight and be removed on every update).",
    check: (stack) =>
      stack.ofType(T.securityGroup).flatMap((sg) => {
        const inline = (sg.inputs.ingress ?? []).length + (sg.inputs.egress ?? []).length > 0;
        const separate = [...stack.ofType(T.ingress), ...stack.ofType(T.egress)].some((r) => r.inputs.securityGroupId === sg.id);
        return inline && separate ? [{ resource: keyOf(sg), message: "has inline rules and separate rule resources" }] : [];
      }),
    examples: {
      ok: [res(T.securityGroup, "sg", {}), res(T.ingress, "in", { securityGroupId: "sg-id" })],
      bad: [res(T.securityGroup, "sg", { ingress: [{ fromPort: 443 }] }), res(T.ingress, "in", { securityGroupId: "sg-id" })],
    },
  },
  {
    id: "aurora-global-primary",
    types: [T.globalCluster, T.rdsCluster],
    source:
      "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html (no RDS-managed master password in a global database); terraform-provider-aws website/docs/r/rds_global_cluster (source cluster: ignore_changes global_cluster_identifier, force_destroy required with the source)",
    description:
      "A global cluster made from an existing cluster sets forceDestroy and names a cluster of this stack that manages no master password through RDS and ignores its globalClusterIdentifier.",
    check: (stack) =>
      stack.ofType(T.globalCluster).flatMap((global): Finding[] => {
        if (global.inputs.sourceDbClusterIdentifier === undefined) return [];
        const source = stack.ofType(T.rdsCluster).find((c) => c.state.arn === global.inputs.sourceDbClusterIdentifier);
        if (!source)
          return [{ resource: keyOf(global), message: `sourceDbClusterIdentifier ${global.inputs.sourceDbClusterIdentifier} is no cluster of this stack` }];
        const problems: string[] = [];
        if (global.inputs.forceDestroy !== true) problems.push("forceDestroy must be true with sourceDbClusterIdentifier");
        if (source.inputs.manageMasterUserPassword === true)
          problems.push(`${keyOf(source)} manages its master password through RDS, which a global database does not support`);
        if (!source.ignoreChanges.includes("globalClusterIdentifier")) problems.push(`${keyOf(source)} must ignore changes to globalClusterIdentifier`);
        return problems.map((message) => ({ resource: keyOf(global), message }));
      }),
    examples: {
      ok: [
        { ...res(T.rdsCluster, "c", { masterPasswordWo: "x" }, { state: { arn: "arn:c" } }), ignoreChanges: ["globalClusterIdentifier"] },
        res(T.globalCluster, "g", { sourceDbClusterIdentifier: "arn:c", forceDestroy: true }),
      ],
      bad: [
        res(T.rdsCluster, "c", { manageMasterUserPassword: true }, { state: { arn: "arn:c" } }),
        res(T.globalCluster, "g", { sourceDbClusterIdentifier: "arn:c" }),
      ],
    },
  },
  {
    id: "dynamodb-global-table-source",
    types: [T.table, T.tableReplica],
    source:
      "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_reqs_bestpractices.html (streams with new and old images); terraform-provider-aws website/docs/r/dynamodb_table_replica (ignore_changes replica); CloudFormation GlobalTable ReplicaSSESpecification (a replica's key is in its region)",
    description:
      "A table with a replica has its stream on with NEW_AND_OLD_IMAGES, ignores its replicas attribute, and the replica is in another region, on a key of that region.",
    check: (stack) =>
      stack.ofType(T.tableReplica).flatMap((replica): Finding[] => {
        const table = stack.ofType(T.table).find((t) => t.state.arn === replica.inputs.globalTableArn);
        if (!table) return [{ resource: keyOf(replica), message: `globalTableArn ${replica.inputs.globalTableArn} is no table of this stack` }];
        const problems: string[] = [];
        if (table.inputs.streamEnabled !== true || table.inputs.streamViewType !== "NEW_AND_OLD_IMAGES")
          problems.push(`${keyOf(table)} needs streamEnabled with NEW_AND_OLD_IMAGES`);
        if (!table.ignoreChanges.includes("replicas")) problems.push(`${keyOf(table)} must ignore changes to replicas (the replica resource manages them)`);
        if (replica.region === table.region) problems.push(`the replica is in the table's own region ${table.region}`);
        if (!replica.inputs.kmsKeyArn) problems.push("a replica of a table on a customer key needs kmsKeyArn (a key of its own region)");
        return problems.map((message) => ({ resource: keyOf(replica), message }));
      }),
    examples: {
      ok: [
        { ...res(T.table, "t", { streamEnabled: true, streamViewType: "NEW_AND_OLD_IMAGES" }, { state: { arn: "arn:t" } }), ignoreChanges: ["replicas"] },
        res(T.tableReplica, "r", { globalTableArn: "arn:t", kmsKeyArn: "arn:k" }, { region: "eu-central-1" }),
      ],
      bad: [res(T.table, "t", {}, { state: { arn: "arn:t" } }), res(T.tableReplica, "r", { globalTableArn: "arn:t" }, { region: "eu-central-1" })],
    },
  },
  {
    id: "s3-replication-versioned",
    types: [T.bucketReplication, T.bucketVersioning, T.bucket],
    source:
      "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html (versioning on both buckets; a filtered rule names its priority and delete-marker replication); terraform-provider-aws s3_bucket_replication_configuration docs (depends_on versioning)",
    description:
      "A replication configuration waits for versioning on its source and every destination bucket, every rule with a filter sets deleteMarkerReplication, and destinations are in another region.",
    check: (stack) =>
      stack.ofType(T.bucketReplication).flatMap((config) => {
        const source = stack.ofType(T.bucket).find((b) => b.id === config.inputs.bucket);
        const findings: Finding[] = [];
        const needVersioning = (bucket: SynthResource | undefined, what: string) => {
          const versioning =
            bucket && stack.ofType(T.bucketVersioning).find((v) => v.inputs.bucket === bucket.id && v.inputs.versioningConfiguration?.status === "Enabled");
          if (!versioning) findings.push({ resource: keyOf(config), message: `the ${what} bucket has no enabled versioning` });
          else findings.push(...mustWaitFor(stack, config, [versioning], "S3 refuses replication before versioning is enabled"));
        };
        needVersioning(source, "source");
        for (const rule of config.inputs.rules ?? []) {
          const destination = stack.ofType(T.bucket).find((b) => b.state.arn === rule.destination?.bucket);
          needVersioning(destination, `destination (${rule.id})`);
          if (rule.filter !== undefined && !rule.deleteMarkerReplication)
            findings.push({ resource: keyOf(config), message: `rule ${rule.id} has a filter but no deleteMarkerReplication` });
          if (destination && source && destination.region === source.region)
            findings.push({ resource: keyOf(config), message: `rule ${rule.id} replicates within ${source.region}` });
        }
        return findings;
      }),
    examples: {
      ok: [
        res(T.bucket, "src", {}),
        res(T.bucketVersioning, "src", { bucket: "src-id", versioningConfiguration: { status: "Enabled" } }),
        res(T.bucket, "dst", {}, { state: { arn: "arn:dst" }, region: "eu-central-1" }),
        res(T.bucketVersioning, "dst", { bucket: "dst-id", versioningConfiguration: { status: "Enabled" } }, { region: "eu-central-1" }),
        res(
          T.bucketReplication,
          "r",
          { bucket: "src-id", rules: [{ id: "x", filter: {}, deleteMarkerReplication: { status: "Enabled" }, destination: { bucket: "arn:dst" } }] },
          { dependencies: [`${T.bucketVersioning}::src`, `${T.bucketVersioning}::dst`] },
        ),
      ],
      bad: [
        res(T.bucket, "src", {}),
        res(T.bucketVersioning, "src", { bucket: "src-id", versioningConfiguration: { status: "Enabled" } }),
        res(T.bucket, "dst", {}, { state: { arn: "arn:dst" }, region: "eu-central-1" }),
        res(T.bucketReplication, "r", { bucket: "src-id", rules: [{ id: "x", filter: {}, destination: { bucket: "arn:dst" } }] }),
      ],
    },
  },
  {
    id: "ecr-replication-destinations-exist",
    types: [T.ecrReplication, T.ecrRepository],
    source:
      "https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html (replication creates a missing repository with default settings; templates apply only at creation)",
    description:
      "For every repository a replication rule matches, a repository of the same name exists in each destination region before the configuration, so no replica is created with default settings (AES-256, mutable tags).",
    check: (stack) =>
      stack.ofType(T.ecrReplication).flatMap((config) =>
        (config.inputs.replicationConfiguration?.rules ?? []).flatMap((rule: any) => {
          const filters: string[] = (rule.repositoryFilters ?? []).map((f: any) => f.filter);
          const matched = stack.ofType(T.ecrRepository).filter((r) => r.region === config.region && filters.some((f) => String(r.inputs.name).startsWith(f)));
          return (rule.destinations ?? []).flatMap((d: any) =>
            matched.flatMap((repo): Finding[] => {
              const twin = stack.ofType(T.ecrRepository).find((r) => r.region === d.region && r.inputs.name === repo.inputs.name);
              if (!twin)
                return [
                  { resource: keyOf(config), message: `no repository ${repo.inputs.name} in ${d.region}: replication would create one with default settings` },
                ];
              return mustWaitFor(stack, config, [twin], "replication would create the repository first");
            }),
          );
        }),
      ),
    examples: {
      ok: [
        res(T.ecrRepository, "a", { name: "p/a" }),
        res(T.ecrRepository, "a-dr", { name: "p/a" }, { region: "eu-central-1" }),
        res(
          T.ecrReplication,
          "c",
          { replicationConfiguration: { rules: [{ destinations: [{ region: "eu-central-1" }], repositoryFilters: [{ filter: "p/" }] }] } },
          { dependencies: [`${T.ecrRepository}::a-dr`] },
        ),
      ],
      bad: [
        res(T.ecrRepository, "a", { name: "p/a" }),
        res(T.ecrReplication, "c", {
          replicationConfiguration: { rules: [{ destinations: [{ region: "eu-central-1" }], repositoryFilters: [{ filter: "p/" }] }] },
        }),
      ],
    },
  },
  {
    id: "backup-copy-target",
    types: [T.backupPlan, T.backupVault],
    source: "https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html (the copy goes to an existing vault in the destination region)",
    description: "Every copy action of a backup plan targets a vault of this stack in another region than the plan's, and the plan waits for it.",
    check: (stack) =>
      stack.ofType(T.backupPlan).flatMap((plan) =>
        (plan.inputs.rules ?? []).flatMap((rule: any) =>
          (rule.copyActions ?? []).flatMap((copy: any): Finding[] => {
            const vault = stack.ofType(T.backupVault).find((v) => v.state.arn === copy.destinationVaultArn);
            if (!vault) return [{ resource: keyOf(plan), message: `rule ${rule.ruleName} copies to ${copy.destinationVaultArn}, no vault of this stack` }];
            if (vault.region === plan.region)
              return [{ resource: keyOf(plan), message: `rule ${rule.ruleName} copies to a vault in its own region ${plan.region}` }];
            return mustWaitFor(stack, plan, [vault], "the copy action names the vault");
          }),
        ),
      ),
    examples: {
      ok: [
        res(T.backupVault, "dr", {}, { region: "eu-central-1", state: { arn: "arn:vault:dr" } }),
        res(
          T.backupPlan,
          "p",
          { rules: [{ ruleName: "r", copyActions: [{ destinationVaultArn: "arn:vault:dr" }] }] },
          { dependencies: [`${T.backupVault}::dr`] },
        ),
      ],
      bad: [
        res(T.backupVault, "same", {}, { state: { arn: "arn:vault:same" } }),
        res(
          T.backupPlan,
          "p",
          { rules: [{ ruleName: "r", copyActions: [{ destinationVaultArn: "arn:vault:same" }] }] },
          { dependencies: [`${T.backupVault}::same`] },
        ),
      ],
    },
  },
  {
    id: "iam-inline-policy-size",
    types: [T.role, T.rolePolicy],
    source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (inline policies of a role: 10,240 characters in all)",
    description: "The inline policies of each role add up to at most 10,240 characters (whitespace excluded).",
    check: (stack) =>
      stack.ofType(T.role).flatMap((role) => {
        const size = stack
          .ofType(T.rolePolicy)
          .filter((p) => p.inputs.role === role.id)
          .reduce((sum, p) => sum + JSON.stringify(json(p.inputs.policy)).replace(/\s/g, "").length, 0);
        return size > 10240 ? [{ resource: keyOf(role), message: `inline policies total ${size} characters (limit 10240)` }] : [];
      }),
    examples: {
      ok: [res(T.role, "r", {}), res(T.rolePolicy, "p", { role: "r-id", policy: JSON.stringify({ Statement: [] }) })],
      bad: [res(T.role, "r", {}), res(T.rolePolicy, "p", { role: "r-id", policy: JSON.stringify({ Statement: [{ Sid: "x".repeat(10300) }] }) })],
    },
  },
  {
    id: "route53-records-unique",
    types: [T.record],
    source: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html (CREATE of an existing record set fails)",
    description:
      "No two records of the stack write the same name and type in one zone, unless both may overwrite (ACM validation records shared by certificates).",
    check: (stack) => {
      const seen = new Map<string, SynthResource>();
      return stack.ofType(T.record).flatMap((r) => {
        const key = `${r.inputs.zoneId}|${String(r.inputs.name).replace(/\.$/, "").toLowerCase()}|${r.inputs.type}`;
        const first = seen.get(key);
        if (!first) return (seen.set(key, r), []);
        return first.inputs.allowOverwrite && r.inputs.allowOverwrite
          ? []
          : [{ resource: keyOf(r), message: `writes ${r.inputs.type} ${r.inputs.name} like ${keyOf(first)}` }];
      });
    },
    examples: {
      ok: [res(T.record, "a", { zoneId: "z", name: "x", type: "A" }), res(T.record, "b", { zoneId: "z", name: "x", type: "AAAA" })],
      bad: [res(T.record, "a", { zoneId: "z", name: "x", type: "A" }), res(T.record, "b", { zoneId: "z", name: "x.", type: "A" })],
    },
  },
  {
    id: "cloudfront-certificate-covers-aliases",
    types: [T.distribution, T.certificate],
    source:
      "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html (InvalidViewerCertificate: the certificate must cover every alternate domain name)",
    description: "The viewer certificate of a distribution covers each of its aliases.",
    check: (stack) =>
      stack.ofType(T.distribution).flatMap((d) => {
        const arn = d.inputs.viewerCertificate?.acmCertificateArn;
        const cert = stack.byOutput(arn);
        if (!cert || cert.type !== T.certificate) return [];
        const names: string[] = [cert.inputs.domainName, ...(cert.inputs.subjectAlternativeNames ?? [])];
        const covered = (alias: string) => names.some((n) => n === alias || (n.startsWith("*.") && alias.split(".").slice(1).join(".") === n.slice(2)));
        return (d.inputs.aliases ?? [])
          .filter((a: string) => !covered(a))
          .map((a: string) => ({ resource: keyOf(d), message: `alias ${a} is not covered by certificate ${keyOf(cert)}` }));
      }),
    examples: {
      ok: [
        res(T.certificate, "c", { domainName: "shop.example.com" }, { state: { arn: "arn:c" } }),
        res(T.distribution, "d", { aliases: ["shop.example.com"], viewerCertificate: { acmCertificateArn: "arn:c" } }),
      ],
      bad: [
        res(T.certificate, "c", { domainName: "shop.example.com" }, { state: { arn: "arn:c" } }),
        res(T.distribution, "d", { aliases: ["www.example.com"], viewerCertificate: { acmCertificateArn: "arn:c" } }),
      ],
    },
  },
  {
    id: "cloudfront-web-acl-scope",
    types: [T.distribution, T.webAcl],
    source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html (WebACLId: the ARN of a CLOUDFRONT-scope WAFv2 web ACL)",
    description: "A distribution's web ACL is a WAFv2 ACL of scope CLOUDFRONT, created in us-east-1, named by ARN.",
    check: (stack) =>
      stack.ofType(T.distribution).flatMap((d) => {
        const id = d.inputs.webAclId;
        if (!id) return [];
        const acl = stack.byOutput(id);
        if (!acl) return [{ resource: keyOf(d), message: `webAclId ${id} is no web ACL of the stack (WAFv2 needs the ARN, not the id)` }];
        return acl.inputs.scope === "CLOUDFRONT" && acl.region === "us-east-1"
          ? []
          : [{ resource: keyOf(d), message: `web ACL ${keyOf(acl)} is ${acl.inputs.scope} in ${acl.region}` }];
      }),
    examples: {
      ok: [res(T.webAcl, "w", { scope: "CLOUDFRONT" }, { state: { arn: "arn:w" }, region: "us-east-1" }), res(T.distribution, "d", { webAclId: "arn:w" })],
      bad: [res(T.webAcl, "w", { scope: "REGIONAL" }, { state: { arn: "arn:w" }, region: "eu-west-1" }), res(T.distribution, "d", { webAclId: "arn:w" })],
    },
  },
  {
    id: "lb-listener-priorities-unique",
    types: [T.listenerRule],
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html (PriorityInUse)",
    description: "Listener rules of one listener have distinct priorities.",
    check: (stack) => {
      const seen = new Map<string, SynthResource>();
      return stack.ofType(T.listenerRule).flatMap((r) => {
        const key = `${r.inputs.listenerArn}|${r.inputs.priority}`;
        const first = seen.get(key);
        if (!first) return (seen.set(key, r), []);
        return [{ resource: keyOf(r), message: `priority ${r.inputs.priority} is taken by ${keyOf(first)}` }];
      });
    },
    examples: {
      ok: [res(T.listenerRule, "a", { listenerArn: "l", priority: 100 }), res(T.listenerRule, "b", { listenerArn: "l", priority: 110 })],
      bad: [res(T.listenerRule, "a", { listenerArn: "l", priority: 50000 }), res(T.listenerRule, "b", { listenerArn: "l", priority: 50000 })],
    },
  },
  {
    id: "alb-cognito-authentication",
    types: [T.listenerRule, T.listener, T.userPoolClient, T.egress, T.loadBalancer],
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html",
    description:
      "A rule that signs users in with Cognito sits on an HTTPS listener, uses a client with a secret, the code flow, the openid scope and the /oauth2/idpresponse callback, and its ALB may call the IdP on 443.",
    check: (stack) =>
      stack.ofType(T.listenerRule).flatMap((rule) =>
        (rule.inputs.actions ?? [])
          .filter((a: any) => a.type === "authenticate-cognito")
          .flatMap((a: any) => {
            const findings: string[] = [];
            const listener = stack.byOutput(rule.inputs.listenerArn);
            if (listener && listener.inputs.protocol !== "HTTPS") findings.push("authenticate-cognito needs an HTTPS listener");
            const client = stack.byOutput(a.authenticateCognito?.userPoolClientId, "id");
            if (client) {
              if (client.inputs.generateSecret !== true) findings.push(`client ${keyOf(client)} has no secret`);
              if (!(client.inputs.allowedOauthFlows ?? []).includes("code")) findings.push(`client ${keyOf(client)} does not allow the code flow`);
              if (!(client.inputs.allowedOauthScopes ?? []).includes("openid")) findings.push(`client ${keyOf(client)} does not allow the openid scope`);
              if (!(client.inputs.callbackUrls ?? []).some((u: string) => u.endsWith("/oauth2/idpresponse")))
                findings.push(`client ${keyOf(client)} has no /oauth2/idpresponse callback`);
            }
            const lb = listener ? stack.byOutput(listener.inputs.loadBalancerArn) : undefined;
            const groups: string[] = lb?.inputs.securityGroups ?? [];
            const out = stack
              .ofType(T.egress)
              .some(
                (e) => groups.includes(e.inputs.securityGroupId) && e.inputs.cidrIpv4 === "0.0.0.0/0" && e.inputs.fromPort <= 443 && 443 <= e.inputs.toPort,
              );
            if (lb && !out) findings.push(`the security groups of ${keyOf(lb)} do not let it reach the IdP on 443 (sign-in answers HTTP 500)`);
            return findings.map((message) => ({ resource: keyOf(rule), message }));
          }),
      ),
    examples: {
      ok: [
        res(T.loadBalancer, "lb", { securityGroups: ["sg"] }, { state: { arn: "arn:lb" } }),
        res(T.listener, "l", { protocol: "HTTPS", loadBalancerArn: "arn:lb" }, { state: { arn: "arn:l" } }),
        res(T.egress, "out", { securityGroupId: "sg", cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443 }),
        res(
          T.userPoolClient,
          "c",
          { generateSecret: true, allowedOauthFlows: ["code"], allowedOauthScopes: ["openid"], callbackUrls: ["https://x/oauth2/idpresponse"] },
          { id: "client" },
        ),
        res(T.listenerRule, "r", { listenerArn: "arn:l", actions: [{ type: "authenticate-cognito", authenticateCognito: { userPoolClientId: "client" } }] }),
      ],
      bad: [
        res(T.loadBalancer, "lb", { securityGroups: ["sg"] }, { state: { arn: "arn:lb" } }),
        res(T.listener, "l", { protocol: "HTTPS", loadBalancerArn: "arn:lb" }, { state: { arn: "arn:l" } }),
        res(T.egress, "out", { securityGroupId: "sg", cidrIpv4: "10.0.0.0/16", fromPort: 1, toPort: 65535 }),
        res(T.listenerRule, "r", { listenerArn: "arn:l", actions: [{ type: "authenticate-cognito", authenticateCognito: { userPoolClientId: "client" } }] }),
      ],
    },
  },
  {
    id: "ecs-service-containers-and-capacity",
    types: [T.ecsService, T.taskDefinition, T.capacity],
    source:
      "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html (loadBalancers containerName/containerPort; capacity providers of the cluster)",
    description: "A service's load-balancer container and port exist in its task definition, and its capacity providers are attached to its cluster.",
    check: (stack) =>
      stack.ofType(T.ecsService).flatMap((service) => {
        const findings: Finding[] = [];
        const td = stack.byOutput(service.inputs.taskDefinition);
        const containers: any[] = td ? json(td.inputs.containerDefinitions) : [];
        for (const lb of service.inputs.loadBalancers ?? []) {
          const c = containers.find((x) => x.name === lb.containerName);
          if (td && !(c?.portMappings ?? []).some((p: any) => p.containerPort === lb.containerPort))
            findings.push({
              resource: keyOf(service),
              message: `load balancer targets ${lb.containerName}:${lb.containerPort}, which ${keyOf(td)} does not expose`,
            });
        }
        const cluster = stack.byOutput(service.inputs.cluster);
        const attached = new Set(
          stack
            .ofType(T.capacity)
            .filter((a) => cluster && a.inputs.clusterName === cluster.state.name)
            .flatMap((a) => a.inputs.capacityProviders ?? []),
        );
        for (const s of service.inputs.capacityProviderStrategies ?? []) {
          if (cluster && !attached.has(s.capacityProvider))
            findings.push({ resource: keyOf(service), message: `capacity provider ${s.capacityProvider} is not attached to ${keyOf(cluster)}` });
        }
        return findings;
      }),
    examples: {
      ok: [
        res(
          T.taskDefinition,
          "td",
          { containerDefinitions: JSON.stringify([{ name: "app", portMappings: [{ containerPort: 8080 }] }]) },
          { state: { arn: "arn:td" } },
        ),
        res(T.ecsService, "s", { taskDefinition: "arn:td", loadBalancers: [{ containerName: "app", containerPort: 8080 }] }),
      ],
      bad: [
        res(
          T.taskDefinition,
          "td",
          { containerDefinitions: JSON.stringify([{ name: "app", portMappings: [{ containerPort: 8080 }] }]) },
          { state: { arn: "arn:td" } },
        ),
        res(T.ecsService, "s", { taskDefinition: "arn:td", loadBalancers: [{ containerName: "app", containerPort: 80 }] }),
      ],
    },
  },
  {
    id: "ecs-service-connect",
    types: [T.ecsService, T.taskDefinition, T.ecsCluster],
    source:
      "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectService.html (portName must match a portMappings name; discoveryName and client aliases unique in the namespace); API_ServiceConnectConfiguration (namespace, or the cluster's serviceConnectDefaults)",
    description:
      "A Service Connect server's portName names a port mapping of its task definition (with an HTTP appProtocol when it sets a per-request timeout), it has exactly one client alias, its discovery name and client alias are unique in the namespace, and every Service Connect service has a namespace (its own or its cluster's default, an ARN).",
    check: (stack) => {
      const findings: Finding[] = [];
      const seen = new Map<string, string>();
      for (const service of stack.ofType(T.ecsService)) {
        const sc = service.inputs.serviceConnectConfiguration;
        if (!sc?.enabled) continue;
        const cluster = stack.byOutput(service.inputs.cluster);
        const defaults = cluster?.inputs.serviceConnectDefaults?.namespace;
        if (defaults !== undefined && !String(defaults).startsWith("arn:"))
          findings.push({ resource: keyOf(cluster!), message: `serviceConnectDefaults.namespace must be the namespace's ARN, not ${defaults}` });
        if (!sc.namespace && cluster && !cluster.inputs.serviceConnectDefaults?.namespace)
          findings.push({ resource: keyOf(service), message: "Service Connect is enabled without a namespace, and its cluster has no serviceConnectDefaults" });
        const td = stack.byOutput(service.inputs.taskDefinition);
        const mappings: any[] = td ? json(td.inputs.containerDefinitions).flatMap((c: any) => c.portMappings ?? []) : [];
        for (const server of sc.services ?? []) {
          const mapping = mappings.find((m) => m.name === server.portName);
          if (td && !mapping)
            findings.push({
              resource: keyOf(service),
              message: `Service Connect portName ${server.portName} is not the name of a port mapping of ${keyOf(td)}`,
            });
          if (mapping && server.timeout?.perRequestTimeoutSeconds !== undefined && !["http", "http2", "grpc"].includes(mapping.appProtocol))
            findings.push({
              resource: keyOf(service),
              message: `perRequestTimeoutSeconds needs the port mapping ${server.portName} to set appProtocol http, http2 or grpc (it has ${mapping.appProtocol ?? "none"})`,
            });
          if ((server.clientAlias ?? []).length !== 1)
            findings.push({ resource: keyOf(service), message: `Service Connect service ${server.portName} needs exactly one clientAlias` });
          for (const name of [server.discoveryName ?? server.portName, ...(server.clientAlias ?? []).map((a: any) => `${a.dnsName}:${a.port}`)]) {
            const other = seen.get(`${sc.namespace}|${name}`);
            if (other) findings.push({ resource: keyOf(service), message: `Service Connect name ${name} is already used by ${other} in the namespace` });
            seen.set(`${sc.namespace}|${name}`, keyOf(service));
          }
        }
      }
      return findings;
    },
    examples: {
      ok: [
        res(
          T.taskDefinition,
          "td",
          { containerDefinitions: JSON.stringify([{ name: "app", portMappings: [{ containerPort: 8080, name: "app-http", appProtocol: "http" }] }]) },
          { state: { arn: "arn:td" } },
        ),
        res(T.ecsService, "s", {
          taskDefinition: "arn:td",
          serviceConnectConfiguration: {
            enabled: true,
            namespace: "arn:ns",
            services: [
              { portName: "app-http", discoveryName: "app", clientAlias: [{ port: 8080, dnsName: "app" }], timeout: { perRequestTimeoutSeconds: 15 } },
            ],
          },
        }),
      ],
      bad: [
        res(
          T.taskDefinition,
          "td",
          { containerDefinitions: JSON.stringify([{ name: "app", portMappings: [{ containerPort: 8080 }] }]) },
          { state: { arn: "arn:td" } },
        ),
        res(T.ecsService, "s", {
          taskDefinition: "arn:td",
          serviceConnectConfiguration: { enabled: true, namespace: "arn:ns", services: [{ portName: "app-http", discoveryName: "app" }] },
        }),
      ],
    },
  },
  {
    id: "container-insights-for-its-metrics",
    types: [T.ecsCluster, T.metricAlarm, T.scalingPolicy],
    source:
      "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html (ECS/ContainerInsights exists only when the cluster enables it)",
    description:
      "Alarms and scaling policies that read ECS/ContainerInsights metrics watch a cluster with Container Insights on; otherwise an alarm that treats missing data as breaching never clears.",
    check: (stack) => {
      const off = new Set(
        stack
          .ofType(T.ecsCluster)
          .filter((c) => (c.inputs.settings ?? []).some((x: any) => x.name === "containerInsights" && x.value === "disabled"))
          .map((c) => c.state.name),
      );
      if (off.size === 0) return [];
      const reads = (r: SynthResource) =>
        JSON.stringify(r.inputs).includes("ECS/ContainerInsights") && [...off].some((name) => JSON.stringify(r.inputs).includes(`"${name}"`));
      return [...stack.ofType(T.metricAlarm), ...stack.ofType(T.scalingPolicy)]
        .filter(reads)
        .map((r) => ({ resource: keyOf(r), message: "reads ECS/ContainerInsights metrics of a cluster with Container Insights disabled" }));
    },
    examples: {
      ok: [
        res(T.ecsCluster, "c", { name: "p", settings: [{ name: "containerInsights", value: "enabled" }] }),
        res(T.metricAlarm, "a", { namespace: "ECS/ContainerInsights", dimensions: { ClusterName: "p" } }),
      ],
      bad: [
        res(T.ecsCluster, "c", { name: "p", settings: [{ name: "containerInsights", value: "disabled" }] }),
        res(T.metricAlarm, "a", { namespace: "ECS/ContainerInsights", dimensions: { ClusterName: "p" } }),
      ],
    },
  },
  {
    id: "ecs-log-groups-exist",
    types: [T.taskDefinition, T.logGroup],
    source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html (without awslogs-create-group the group must exist)",
    description: "Every awslogs group a container writes to is a log group of the stack, in the task's region.",
    check: (stack) =>
      stack.ofType(T.taskDefinition).flatMap((td) =>
        (json(td.inputs.containerDefinitions) as any[])
          .filter((c) => c.logConfiguration?.logDriver === "awslogs" && c.logConfiguration.options?.["awslogs-create-group"] !== "true")
          .filter(
            (c) =>
              !stack
                .ofType(T.logGroup)
                .some(
                  (g) =>
                    g.inputs.name === c.logConfiguration.options["awslogs-group"] && g.region === (c.logConfiguration.options["awslogs-region"] ?? td.region),
                ),
          )
          .map((c) => ({
            resource: keyOf(td),
            message: `container ${c.name} logs to ${c.logConfiguration.options["awslogs-group"]}, which the stack does not create there`,
          })),
      ),
    examples: {
      ok: [
        res(T.logGroup, "g", { name: "/ecs/x" }),
        res(T.taskDefinition, "td", {
          containerDefinitions: JSON.stringify([
            { name: "a", logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/x", "awslogs-region": "eu-west-1" } } },
          ]),
        }),
      ],
      bad: [
        res(T.taskDefinition, "td", {
          containerDefinitions: JSON.stringify([
            { name: "a", logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/x", "awslogs-region": "eu-west-1" } } },
          ]),
        }),
      ],
    },
  },
  {
    id: "sqs-dlq-keeps-messages",
    types: [T.queue],
    source:
      "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html (a message keeps its enqueue time: the DLQ's retention must be longer than the queue's)",
    description: "A dead-letter queue keeps messages at least as long as the queue that feeds it, in the same region.",
    check: (stack) =>
      stack.ofType(T.queue).flatMap((q) => {
        const redrive = q.inputs.redrivePolicy ? json(q.inputs.redrivePolicy) : undefined;
        if (!redrive) return [];
        const dlq = stack.byOutput(redrive.deadLetterTargetArn);
        if (!dlq) return [{ resource: keyOf(q), message: `dead-letter target ${redrive.deadLetterTargetArn} is no queue of the stack` }];
        const keep = (x: SynthResource) => x.inputs.messageRetentionSeconds ?? 345600;
        if (dlq.region !== q.region) return [{ resource: keyOf(q), message: `dead-letter queue ${keyOf(dlq)} is in ${dlq.region}` }];
        return keep(dlq) >= keep(q)
          ? []
          : [{ resource: keyOf(q), message: `dead-letter queue ${keyOf(dlq)} keeps messages ${keep(dlq)} s, less than this queue's ${keep(q)} s` }];
      }),
    examples: {
      ok: [
        res(T.queue, "dlq", { messageRetentionSeconds: 1209600 }, { state: { arn: "arn:dlq" } }),
        res(T.queue, "q", { messageRetentionSeconds: 345600, redrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:dlq" }) }),
      ],
      bad: [
        res(T.queue, "dlq", { messageRetentionSeconds: 60 }, { state: { arn: "arn:dlq" } }),
        res(T.queue, "q", { messageRetentionSeconds: 345600, redrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:dlq" }) }),
      ],
    },
  },
  {
    id: "lambda-sqs-concurrency",
    types: [T.eventSourceMapping, T.lambda],
    source: "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html (maximum concurrency above reserved concurrency throttles)",
    description: "An SQS event source's maximum concurrency stays within its function's reserved concurrency.",
    check: (stack) =>
      stack.ofType(T.eventSourceMapping).flatMap((m) => {
        const fn = stack.byOutput(m.inputs.functionName);
        const max = m.inputs.scalingConfig?.maximumConcurrency;
        const reserved = fn?.inputs.reservedConcurrentExecutions;
        return fn && max !== undefined && reserved !== undefined && reserved >= 0 && max > reserved
          ? [{ resource: keyOf(m), message: `maximumConcurrency ${max} exceeds ${keyOf(fn)}'s reserved concurrency ${reserved}: polls would be throttled` }]
          : [];
      }),
    examples: {
      ok: [
        res(T.lambda, "f", { reservedConcurrentExecutions: 20 }, { state: { arn: "arn:f" } }),
        res(T.eventSourceMapping, "m", { functionName: "arn:f", scalingConfig: { maximumConcurrency: 20 } }),
      ],
      bad: [
        res(T.lambda, "f", { reservedConcurrentExecutions: 2 }, { state: { arn: "arn:f" } }),
        res(T.eventSourceMapping, "m", { functionName: "arn:f", scalingConfig: { maximumConcurrency: 20 } }),
      ],
    },
  },
  {
    id: "kms-keys-in-region",
    types: [T.key],
    source: "https://docs.aws.amazon.com/kms/latest/developerguide/overview.html (KMS keys are regional: a resource encrypts with a key of its own region)",
    description: "Every customer key a resource encrypts with is a key of that resource's region.",
    check: (stack) =>
      stack.resources.flatMap((r) =>
        KEY_INPUTS.flatMap((field) => {
          const value = deepGet(r.inputs, field);
          return typeof value === "string" && value.startsWith("arn:") && value.includes(":kms:") && arnRegion(value) !== r.region
            ? [{ resource: keyOf(r), message: `${field} ${value} is not in ${r.region}` }]
            : [];
        }),
      ),
    examples: {
      ok: [res(T.logGroup, "g", { kmsKeyId: "arn:aws:kms:eu-west-1:1:key/k" })],
      bad: [res(T.logGroup, "g", { kmsKeyId: "arn:aws:kms:us-east-1:1:key/k" })],
    },
  },
  {
    id: "sg-rule-quota",
    types: [T.securityGroup, T.ingress, T.egress],
    source:
      "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups (60 rules per direction; a prefix-list rule weighs its max entries)",
    description:
      "No security group holds more than 60 rules in one direction, a managed prefix-list rule counting its maximum entries (55 for CloudFront's origin-facing list).",
    check: (stack) =>
      stack.ofType(T.securityGroup).flatMap((sg) =>
        [T.ingress, T.egress].flatMap((type) => {
          const weight = stack
            .ofType(type)
            .filter((r) => r.inputs.securityGroupId === sg.id)
            .reduce((sum, r) => sum + (r.inputs.prefixListId ? PREFIX_LIST_WEIGHT : 1), 0);
          return weight > 60 ? [{ resource: keyOf(sg), message: `${type.endsWith("IngressRule") ? "ingress" : "egress"} rules weigh ${weight} of 60` }] : [];
        }),
      ),
    examples: {
      ok: [
        res(T.securityGroup, "sg", {}),
        res(T.ingress, "cf", { securityGroupId: "sg-id", prefixListId: "pl-1" }),
        res(T.ingress, "x", { securityGroupId: "sg-id", cidrIpv4: "10.0.0.0/16" }),
      ],
      bad: [
        res(T.securityGroup, "sg", {}),
        res(T.ingress, "cf", { securityGroupId: "sg-id", prefixListId: "pl-1" }),
        res(T.ingress, "cf2", { securityGroupId: "sg-id", prefixListId: "pl-2" }),
      ],
    },
  },
  {
    id: "composite-alarm-references",
    types: [T.compositeAlarm, T.metricAlarm],
    source:
      "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html (referenced alarms must exist in the same account and Region)",
    description: "A composite alarm references alarms of its own region in the stack, and waits for them.",
    check: (stack) =>
      stack.ofType(T.compositeAlarm).flatMap((c) =>
        [...String(c.inputs.alarmRule).matchAll(/\b(?:ALARM|OK|INSUFFICIENT_DATA)\("([^"]+)"\)/g)].flatMap(([, name]) => {
          const alarm = [...stack.ofType(T.metricAlarm), ...stack.ofType(T.compositeAlarm)].find((a) => (a.inputs.name ?? a.inputs.alarmName) === name);
          if (!alarm || alarm.region !== c.region) return [{ resource: keyOf(c), message: `references ${name}, no alarm of the stack in ${c.region}` }];
          return mustWaitFor(stack, c, [alarm], "PutCompositeAlarm fails on an alarm that does not exist yet");
        }),
      ),
    examples: {
      ok: [res(T.metricAlarm, "a", { name: "p-cpu" }), res(T.compositeAlarm, "c", { alarmRule: 'ALARM("p-cpu")' }, { dependencies: [`${T.metricAlarm}::a`] })],
      bad: [res(T.metricAlarm, "a", { name: "p-cpu" }), res(T.compositeAlarm, "c", { alarmRule: 'ALARM("p-memory")' })],
    },
  },
  {
    id: "alb-log-bucket-sse-s3",
    types: [T.loadBalancer, T.bucketEncryption],
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html (the bucket must use SSE-S3)",
    description: "The bucket a load balancer writes access logs to is encrypted with SSE-S3, the only encryption ELB log delivery supports.",
    check: (stack) =>
      stack.ofType(T.loadBalancer).flatMap((lb) => {
        if (!lb.inputs.accessLogs?.enabled) return [];
        const bucket = stack.lookup(T.bucket, lb.inputs.accessLogs.bucket);
        const sse = stack.ofType(T.bucketEncryption).find((e) => bucket && e.inputs.bucket === bucket.id)?.inputs.rules?.[0]
          ?.applyServerSideEncryptionByDefault?.sseAlgorithm;
        return sse === "AES256"
          ? []
          : [{ resource: keyOf(lb), message: `access-log bucket ${lb.inputs.accessLogs.bucket} uses ${sse ?? "no default encryption"}, not SSE-S3` }];
      }),
    examples: {
      ok: [
        res(T.bucket, "b", {}),
        res(T.bucketEncryption, "e", { bucket: "b-id", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }),
        res(T.loadBalancer, "lb", { accessLogs: { enabled: true, bucket: "b-id" } }),
      ],
      bad: [
        res(T.bucket, "b", {}),
        res(T.bucketEncryption, "e", { bucket: "b-id", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }),
        res(T.loadBalancer, "lb", { accessLogs: { enabled: true, bucket: "b-id" } }),
      ],
    },
  },
  {
    id: "rds-minor-versions-drift",
    types: [T.rdsCluster, T.rdsInstance],
    source:
      "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_UpgradeDBInstance.Maintenance.html (automatic minor upgrades); terraform-aws-modules/terraform-aws-rds-aurora#228",
    description:
      "A cluster whose instances take automatic minor upgrades does not pin its engine version: the cluster and its instances ignore engineVersion changes, or the first upgrade makes every later update fail.",
    check: (stack) =>
      stack.ofType(T.rdsCluster).flatMap((cluster) => {
        const instances = stack.ofType(T.rdsInstance).filter((i) => i.inputs.clusterIdentifier === cluster.id);
        if (!instances.some((i) => i.inputs.autoMinorVersionUpgrade !== false) || !/^\d+\.\d+/.test(String(cluster.inputs.engineVersion ?? ""))) return [];
        return [cluster, ...instances]
          .filter((r) => !r.ignoreChanges.includes("engineVersion"))
          .map((r) => ({ resource: keyOf(r), message: "does not ignore engineVersion, which AWS's minor upgrades move past the pinned version" }));
      }),
    examples: {
      ok: [
        { ...res(T.rdsCluster, "c", { engineVersion: "16.6" }), ignoreChanges: ["engineVersion"] },
        { ...res(T.rdsInstance, "i", { clusterIdentifier: "c-id", autoMinorVersionUpgrade: true }), ignoreChanges: ["engineVersion"] },
      ],
      bad: [res(T.rdsCluster, "c", { engineVersion: "16.6" }), res(T.rdsInstance, "i", { clusterIdentifier: "c-id", autoMinorVersionUpgrade: true })],
    },
  },
  {
    id: "s3-bucket-configuration-serialized",
    types: [...BUCKET_CONFIGURATION, T.bucket],
    source: "https://github.com/hashicorp/terraform-provider-aws/issues/7628 (OperationAborted: a conflicting conditional operation is in progress)",
    description:
      "The configuration resources of one bucket (public access block, ownership, encryption, versioning, lifecycle, policy, replication, notification) are applied one after another.",
    check: (stack) =>
      stack.ofType(T.bucket).flatMap((bucket) => {
        const parts = BUCKET_CONFIGURATION.flatMap((type) => stack.ofType(type).filter((r) => r.inputs.bucket === bucket.id));
        return parts.flatMap((a, i) =>
          parts
            .slice(i + 1)
            .flatMap((b) =>
              stack.dependsOn(a, b) || stack.dependsOn(b, a)
                ? []
                : [{ resource: keyOf(b), message: `may be applied at the same time as ${keyOf(a)} on one bucket` }],
            ),
        );
      }),
    examples: {
      ok: [
        res(T.bucket, "b", {}),
        res(T.publicAccessBlock, "p", { bucket: "b-id" }),
        res(T.bucketPolicy, "bp", { bucket: "b-id" }, { dependencies: [`${T.publicAccessBlock}::p`] }),
      ],
      bad: [res(T.bucket, "b", {}), res(T.publicAccessBlock, "p", { bucket: "b-id" }), res(T.bucketPolicy, "bp", { bucket: "b-id" })],
    },
  },
  {
    id: "pipeline-after-artifact-store",
    types: [T.pipeline, T.bucketVersioning, T.bucketEncryption, T.bucketPolicy],
    source:
      "https://docs.aws.amazon.com/codepipeline/latest/userguide/welcome-introducing-artifacts.html (a V2 pipeline starts at creation; its artifact bucket must be versioned and writable)",
    description: "A pipeline waits for its artifact bucket's versioning, encryption and policy, since its first execution starts when it is created.",
    check: (stack) =>
      stack.ofType(T.pipeline).flatMap((p) =>
        (p.inputs.artifactStores ?? []).flatMap((store: any) => {
          const bucket = stack.lookup(T.bucket, store.location);
          if (!bucket) return [];
          const config = [T.bucketVersioning, T.bucketEncryption, T.bucketPolicy].flatMap((type) =>
            stack.ofType(type).filter((r) => r.inputs.bucket === bucket.id),
          );
          if (!config.some((c) => c.type === T.bucketVersioning && c.inputs.versioningConfiguration?.status === "Enabled"))
            return [{ resource: keyOf(p), message: `artifact bucket ${store.location} is not versioned` }];
          return mustWaitFor(stack, p, config, "the first execution would write to a bucket not yet configured");
        }),
      ),
    examples: {
      ok: [
        res(T.bucket, "b", {}, { state: { bucket: "art" } }),
        res(T.bucketVersioning, "v", { bucket: "b-id", versioningConfiguration: { status: "Enabled" } }),
        res(T.pipeline, "p", { artifactStores: [{ location: "art" }] }, { dependencies: [`${T.bucketVersioning}::v`] }),
      ],
      bad: [
        res(T.bucket, "b", {}, { state: { bucket: "art" } }),
        res(T.bucketVersioning, "v", { bucket: "b-id", versioningConfiguration: { status: "Enabled" } }),
        res(T.pipeline, "p", { artifactStores: [{ location: "art" }] }),
      ],
    },
  },
  {
    id: "parameter-group-family",
    types: [T.rdsCluster, T.rdsInstance, T.clusterParams, T.instanceParams, T.replicationGroup, T.cacheParams],
    source:
      "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_WorkingWithParamGroups.html; https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html (the family must match the engine's major version)",
    description: "The parameter groups of the Aurora cluster, its instances and the cache are of the family of their engine's major version.",
    check: (stack) => {
      const findings: Finding[] = [];
      const expect = (user: SynthResource, field: string, type: string, family: string) => {
        const group = stack.lookup(type, user.inputs[field]);
        if (group && group.inputs.family !== family)
          findings.push({ resource: keyOf(user), message: `${field} ${keyOf(group)} is of family ${group.inputs.family}, not ${family}` });
      };
      for (const c of stack.ofType(T.rdsCluster)) {
        const family = `${c.inputs.engine}${String(c.inputs.engineVersion).split(".")[0]}`;
        expect(c, "dbClusterParameterGroupName", T.clusterParams, family);
        for (const i of stack.ofType(T.rdsInstance).filter((x) => x.inputs.clusterIdentifier === c.id))
          expect(i, "dbParameterGroupName", T.instanceParams, family);
      }
      for (const g of stack.ofType(T.replicationGroup))
        expect(g, "parameterGroupName", T.cacheParams, `${g.inputs.engine}${String(g.inputs.engineVersion).split(".")[0]}`);
      return findings;
    },
    examples: {
      ok: [
        res(T.clusterParams, "p", { name: "db-16", family: "aurora-postgresql16" }),
        res(T.rdsCluster, "c", { engine: "aurora-postgresql", engineVersion: "16.6", dbClusterParameterGroupName: "db-16" }),
      ],
      bad: [
        res(T.clusterParams, "p", { name: "db-15", family: "aurora-postgresql15" }),
        res(T.rdsCluster, "c", { engine: "aurora-postgresql", engineVersion: "16.6", dbClusterParameterGroupName: "db-15" }),
      ],
    },
  },
];
