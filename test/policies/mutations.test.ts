/**
 * Proof per rule: every rule of the pack, mandatory or advisory, fires on the synthesized prod stack. Each
 * mutation changes the frozen prod fixture in one place (or adds one resource of a type prod does
 * not create) and runs the whole pack: the violated rules must be exactly the one it targets
 * (plus any it names in `also`, with the reason in the mutation), so a rule is shown to fire on a
 * real resource graph and no other rule to fire by accident.
 */
import { expect } from "chai";
import { allPolicies } from "../../policies/rules";
import { loadStackConfig } from "../../tools/harness";
import { Fixture, fromSynth, runPack } from "../../tools/policy-runner";
import { fixture, FIXTURE_DIR } from "../helpers";

type StackFixture = Fixture & { name: string; dependsOn: Record<string, string[]> };

interface Mutation {
  what: string;
  /** The rule it must violate. */
  policy: string;
  /** Rules it violates as well, by design (a wildcard PassRole is also a wildcard resource). */
  also?: string[];
  change: (fixtures: StackFixture[]) => void;
}

/** A fresh deep copy of the prod fixtures with one change applied. */
function mutate(base: StackFixture[], change: (fixtures: StackFixture[]) => void): StackFixture[] {
  const copy: StackFixture[] = JSON.parse(JSON.stringify(base));
  change(copy);
  return copy;
}

function find(fixtures: StackFixture[], type: string, name?: string): StackFixture {
  const found = fixtures.find((f) => f.type === type && (name === undefined || f.name === `${type}::${name}`));
  if (!found) throw new Error(`no ${type} ${name ?? ""} in the stack`);
  return found;
}

function drop(fixtures: StackFixture[], type: string, name: string): void {
  fixtures.splice(fixtures.indexOf(find(fixtures, type, name)), 1);
}

/** Adds one resource of `type` beside prod's own, on the stack's default provider. */
function add(fixtures: StackFixture[], type: string, props: Record<string, unknown>): void {
  const provider = fixtures.find((x) => x.type.startsWith("aws:") && x.providerProps?.region === "eu-west-1")?.providerProps;
  fixtures.push({ type, name: `${type}::mutant`, props, providerProps: provider, protect: true, dependsOn: {} } as StackFixture);
}

/** Edits the JSON policy document of a policy resource in place. */
function editPolicy(props: Record<string, any>, edit: (doc: { Statement: unknown[] }) => void): void {
  const doc = JSON.parse(props.policy);
  edit(doc);
  props.policy = JSON.stringify(doc);
}

const MUTATIONS: Mutation[] = [
  {
    what: "an ECS service with a public IP",
    policy: "ecs-no-public-ip",
    change: (f) => (find(f, "aws:ecs/service:Service", "payment-svc-service").props.networkConfiguration.assignPublicIp = true),
  },
  {
    what: "Redis without TLS",
    policy: "elasticache-encrypted-in-transit",
    change: (f) => (find(f, "aws:elasticache/replicationGroup:ReplicationGroup").props.transitEncryptionEnabled = false),
  },
  {
    what: "Redis unencrypted at rest",
    policy: "elasticache-encrypted-at-rest",
    change: (f) => (find(f, "aws:elasticache/replicationGroup:ReplicationGroup").props.atRestEncryptionEnabled = false),
  },
  {
    what: "a task role allowed s3:* on *",
    policy: "iam-no-wildcard-actions",
    // Resource "*" too: one statement, two rules.
    also: ["iam-no-wildcard-resources"],
    change: (f) =>
      (find(f, "aws:iam/rolePolicy:RolePolicy", "payment-svc-task").props.policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
      })),
  },
  {
    what: "a task role allowed dynamodb:GetItem on every table",
    policy: "iam-no-wildcard-resources",
    change: (f) =>
      (find(f, "aws:iam/rolePolicy:RolePolicy", "payment-svc-task").props.policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" }],
      })),
  },
  {
    what: "a queue without its DLQ",
    policy: "sqs-dead-letter-queue",
    change: (f) => delete find(f, "aws:sqs/queue:Queue", "queue-orders").props.redrivePolicy,
  },
  {
    what: "an unencrypted Aurora cluster",
    policy: "aurora-storage-encrypted",
    change: (f) => (find(f, "aws:rds/cluster:Cluster").props.storageEncrypted = false),
  },
  {
    what: "prod Aurora without deletion protection",
    policy: "aurora-deletion-protection",
    change: (f) => (find(f, "aws:rds/cluster:Cluster").props.deletionProtection = false),
  },
  {
    what: "prod backups kept 7 days",
    policy: "database-backup-retention",
    change: (f) => (find(f, "aws:rds/cluster:Cluster").props.backupRetentionPeriod = 7),
  },
  {
    what: "a table without point-in-time recovery",
    policy: "dynamodb-point-in-time-recovery",
    change: (f) => (find(f, "aws:dynamodb/table:Table", "table-payment").props.pointInTimeRecovery = { enabled: false }),
  },
  {
    what: "a table on the AWS-owned key",
    policy: "dynamodb-cmk",
    change: (f) => (find(f, "aws:dynamodb/table:Table", "table-orders").props.serverSideEncryption = { enabled: false }),
  },
  { what: "an unencrypted queue", policy: "sqs-encrypted", change: (f) => delete find(f, "aws:sqs/queue:Queue", "queue-notifications").props.kmsMasterKeyId },
  {
    what: "an unencrypted alert topic",
    policy: "sns-encrypted",
    change: (f) => delete find(f, "aws:sns/topic:Topic", "observability-alerts").props.kmsMasterKeyId,
  },
  {
    what: "a log group without KMS",
    policy: "log-group-kms",
    change: (f) => delete find(f, "aws:cloudwatch/logGroup:LogGroup", "user-svc-logs").props.kmsKeyId,
  },
  {
    what: "a secret on the default key",
    policy: "secret-cmk",
    change: (f) => delete find(f, "aws:secretsmanager/secret:Secret", "cache-auth-token").props.kmsKeyId,
  },
  {
    what: "a KMS key without rotation",
    policy: "kms-key-rotation",
    change: (f) => (find(f, "aws:kms/key:Key", "platform-key").props.enableKeyRotation = false),
  },
  {
    what: "a CloudFront behavior allowing HTTP",
    policy: "cloudfront-https-only",
    change: (f) => (find(f, "aws:cloudfront/distribution:Distribution").props.orderedCacheBehaviors[1].viewerProtocolPolicy = "allow-all"),
  },
  {
    what: "CloudFront accepting TLS 1.0",
    policy: "cloudfront-modern-tls",
    change: (f) => (find(f, "aws:cloudfront/distribution:Distribution").props.viewerCertificate.minimumProtocolVersion = "TLSv1"),
  },
  {
    what: "an HTTP listener that forwards instead of redirecting",
    policy: "alb-listener-https",
    change: (f) => (find(f, "aws:lb/listener:Listener", "edge-http").props.defaultActions = [{ type: "forward", targetGroupArn: "arn:tg" }]),
  },
  {
    what: "a security group open to the world",
    policy: "sg-no-world-ingress",
    change: (f) =>
      (find(f, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "edge-alb-https-from-cloudfront").props = {
        securityGroupId: "sg",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
      }),
  },
  {
    what: "a publicly accessible database instance",
    policy: "rds-not-public",
    change: (f) => (find(f, "aws:rds/clusterInstance:ClusterInstance", "database-writer").props.publiclyAccessible = true),
  },
  { what: "a VPC without flow logs", policy: "vpc-flow-logs", change: (f) => drop(f, "aws:ec2/flowLog:FlowLog", "network-flow-logs") },
  {
    what: "a bucket without its public access block",
    policy: "s3-public-access-blocked",
    change: (f) => drop(f, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "edge-static"),
  },
  {
    what: "an ALB passing invalid headers",
    policy: "alb-drop-invalid-headers",
    change: (f) => (find(f, "aws:lb/loadBalancer:LoadBalancer").props.dropInvalidHeaderFields = false),
  },
  {
    what: "a task definition reusing the execution role as task role",
    policy: "ecs-task-role-distinct",
    change: (f) => {
      const td = find(f, "aws:ecs/taskDefinition:TaskDefinition", "user-svc-task").props;
      td.taskRoleArn = td.executionRoleArn;
    },
  },
  {
    what: "a role anyone may assume",
    policy: "iam-trust-service-principal",
    change: (f) =>
      (find(f, "aws:iam/role:Role", "user-svc-task").props.assumeRolePolicy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }],
      })),
  },
  {
    what: "AdministratorAccess attached to a task role",
    policy: "iam-no-admin-policies",
    change: (f) =>
      f.push({
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        name: "aws:iam/rolePolicyAttachment:RolePolicyAttachment::admin",
        props: { role: "user-svc-task", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
        dependsOn: {},
      }),
  },
  {
    what: "a service deploying without rollback",
    policy: "ecs-circuit-breaker",
    change: (f) => (find(f, "aws:ecs/service:Service", "user-svc-service").props.deploymentCircuitBreaker = { enable: true, rollback: false }),
  },
  {
    what: "a prod service with one task",
    policy: "ecs-min-two-tasks",
    change: (f) => (find(f, "aws:ecs/service:Service", "notification-svc-service").props.desiredCount = 1),
  },
  {
    what: "a single-node prod cache",
    policy: "elasticache-multi-az",
    change: (f) =>
      Object.assign(find(f, "aws:elasticache/replicationGroup:ReplicationGroup").props, {
        numCacheClusters: 1,
        automaticFailoverEnabled: false,
        multiAzEnabled: false,
      }),
  },
  {
    what: "resources without the Owner tag",
    policy: "required-tags",
    change: (f) => {
      for (const fixture of f) {
        if (!fixture.providerProps?.defaultTags) continue;
        const tags = JSON.parse(fixture.providerProps.defaultTags).tags;
        delete tags.Owner;
        fixture.providerProps = { ...fixture.providerProps, defaultTags: JSON.stringify({ tags }) };
      }
    },
  },
  { what: "a distribution without WAF", policy: "cloudfront-waf", change: (f) => delete find(f, "aws:cloudfront/distribution:Distribution").props.webAclId },
  { what: "an unencrypted file system", policy: "efs-encrypted", change: (f) => (find(f, "aws:efs/fileSystem:FileSystem").props.encrypted = false) },
  {
    what: "a password in a task's plain environment",
    policy: "compute-env-no-secrets",
    change: (f) => {
      const td = find(f, "aws:ecs/taskDefinition:TaskDefinition", "payment-svc-task").props;
      const containers = JSON.parse(td.containerDefinitions);
      containers[0].environment.push({ name: "DB_PASSWORD", value: "hunter2" });
      td.containerDefinitions = JSON.stringify(containers);
    },
  },
  {
    what: "an image repository with mutable tags",
    policy: "ecr-repository-hardened",
    change: (f) => (find(f, "aws:ecr/repository:Repository", "user-images").props.imageTagMutability = "MUTABLE"),
  },
  {
    what: "a pipeline role allowed to deploy every ECS service",
    policy: "iam-no-wildcard-resources",
    change: (f) => {
      const policy = find(f, "aws:iam/rolePolicy:RolePolicy", "payment-delivery-pipeline").props;
      const doc = JSON.parse(policy.policy);
      doc.Statement.find((s: { Sid: string }) => s.Sid === "DeployService").Resource = "*";
      policy.policy = JSON.stringify(doc);
    },
  },
  {
    what: "a trail without log-file validation",
    policy: "cloudtrail-encrypted-validated",
    change: (f) => (find(f, "aws:cloudtrail/trail:Trail").props.enableLogFileValidation = false),
  },

  // Every other mandatory rule, each on a real resource of the prod stack (or one added beside them
  // where prod has none of the rule's type), so each is shown to fire on the synthesized graph.
  {
    what: "a backup vault on an AWS-managed key",
    policy: "backup-vault-cmk",
    change: (f) => delete find(f, "aws:backup/vault:Vault", "backup-vault").props.kmsKeyArn,
  },
  {
    what: "a table replica on an AWS-owned key",
    policy: "dynamodb-replica-cmk",
    change: (f) => delete find(f, "aws:dynamodb/tableReplica:TableReplica", "table-orders-replica").props.kmsKeyArn,
  },
  {
    what: "a configuration set that sends mail without TLS",
    policy: "ses-tls-required",
    change: (f) => (find(f, "aws:sesv2/configurationSet:ConfigurationSet", "email-configuration").props.deliveryOptions = { tlsPolicy: "OPTIONAL" }),
  },
  {
    what: "an Aurora cluster with its master password in plain config",
    policy: "rds-master-password-managed",
    change: (f) => (find(f, "aws:rds/cluster:Cluster", "database-cluster").props.masterPassword = "plain-in-state"),
  },
  {
    what: "a cache without an AUTH token",
    policy: "elasticache-auth",
    change: (f) => {
      const group = find(f, "aws:elasticache/replicationGroup:ReplicationGroup", "cache-group");
      delete group.props.authToken;
      delete group.props.authTokenWo;
    },
  },
  {
    what: "a bucket whose default encryption was removed",
    policy: "s3-default-encryption",
    change: (f) => drop(f, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "synthetics-artifacts"),
  },
  {
    what: "a bucket whose TLS-only policy was removed",
    policy: "s3-tls-only",
    change: (f) => drop(f, "aws:s3/bucketPolicy:BucketPolicy", "synthetics-artifacts"),
  },
  {
    what: "an EFS volume mounted without TLS",
    policy: "ecs-efs-transit-encryption",
    change: (f) => {
      const td = find(f, "aws:ecs/taskDefinition:TaskDefinition", "user-svc-task").props;
      td.volumes[0].efsVolumeConfiguration.transitEncryption = "DISABLED";
    },
  },
  {
    what: "CloudFront reaching the ALB over plain HTTP",
    policy: "cloudfront-origin-https",
    change: (f) => {
      const api = find(f, "aws:cloudfront/distribution:Distribution", "edge-cdn").props.origins.find((o: any) => o.originId === "api");
      api.customOriginConfig.originProtocolPolicy = "http-only";
    },
  },
  {
    what: "a function with a secret in its environment",
    policy: "compute-env-no-secrets",
    change: (f) => (find(f, "aws:lambda/function:Function", "fn-orders").props.environment.variables.DB_PASSWORD = "hunter2"),
  },
  {
    what: "a task role that may pass any role",
    policy: "iam-no-passrole-wildcard",
    also: ["iam-no-wildcard-resources"],
    change: (f) =>
      editPolicy(find(f, "aws:iam/rolePolicy:RolePolicy", "user-svc-task").props, (doc) =>
        doc.Statement.push({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }),
      ),
  },
  {
    what: "a queue policy open to everyone",
    policy: "resource-policy-no-public-principal",
    change: (f) =>
      editPolicy(find(f, "aws:sqs/queuePolicy:QueuePolicy", "queue-orders").props, (doc) =>
        doc.Statement.push({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" }),
      ),
  },
  {
    what: "a queue policy that lets another account send",
    policy: "resource-policy-no-cross-account",
    change: (f) =>
      editPolicy(find(f, "aws:sqs/queuePolicy:QueuePolicy", "queue-orders").props, (doc: any) =>
        doc.Statement.push({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::999999999999:root" },
          Action: "sqs:SendMessage",
          Resource: doc.Statement[0].Resource,
        }),
      ),
  },
  {
    what: "the alert topic's policy letting CloudWatch publish for any account",
    policy: "resource-policy-service-source",
    change: (f) => editPolicy(find(f, "aws:sns/topicPolicy:TopicPolicy", "observability-alerts").props, (doc: any) => delete doc.Statement[0].Condition),
  },
  {
    what: "the cache's subnets are public ones",
    policy: "data-stores-in-private-subnets",
    change: (f) => {
      f.push({
        type: "aws:ec2/subnet:Subnet",
        name: "aws:ec2/subnet:Subnet::mutant-public",
        props: { mapPublicIpOnLaunch: true },
        dependsOn: {},
      } as StackFixture);
      find(f, "aws:elasticache/subnetGroup:SubnetGroup").dependsOn.subnetIds = ["aws:ec2/subnet:Subnet::mutant-public"];
    },
  },
  {
    what: "a cache outside its subnet group",
    policy: "elasticache-in-vpc",
    change: (f) => delete find(f, "aws:elasticache/replicationGroup:ReplicationGroup", "cache-group").props.subnetGroupName,
  },
  {
    what: "an Aurora cluster that skips its final snapshot",
    policy: "aurora-final-snapshot",
    change: (f) => (find(f, "aws:rds/cluster:Cluster", "database-cluster").props.skipFinalSnapshot = true),
  },
  {
    what: "every Aurora instance in one AZ",
    policy: "aurora-multi-az",
    change: (f) => {
      for (const i of f.filter((x) => x.type === "aws:rds/clusterInstance:ClusterInstance")) i.props.availabilityZone = "eu-west-1a";
    },
  },
  {
    what: "a cache that keeps no snapshots",
    policy: "elasticache-snapshots",
    change: (f) => (find(f, "aws:elasticache/replicationGroup:ReplicationGroup", "cache-group").props.snapshotRetentionLimit = 0),
  },
  {
    what: "a table without deletion protection",
    policy: "dynamodb-deletion-protection",
    change: (f) => (find(f, "aws:dynamodb/table:Table", "table-orders").props.deletionProtectionEnabled = false),
  },
  {
    what: "the ALB without deletion protection",
    policy: "alb-deletion-protection",
    change: (f) => (find(f, "aws:lb/loadBalancer:LoadBalancer", "edge-alb").props.enableDeletionProtection = false),
  },
  {
    what: "a backup plan that copies nothing to the DR region",
    policy: "backup-copied-to-dr-region",
    change: (f) => {
      const plan = find(f, "aws:backup/plan:Plan", "backup-plan");
      for (const rule of plan.props.rules) delete rule.copyActions;
      plan.dependsOn.rules = (plan.dependsOn.rules ?? []).filter((n: string) => !n.endsWith("::backup-dr-vault"));
    },
  },
  {
    what: "a table replica in its table's own region",
    policy: "replicas-in-another-region",
    change: (f) => {
      const replica = find(f, "aws:dynamodb/tableReplica:TableReplica", "table-orders-replica");
      replica.providerProps = { ...(replica.providerProps ?? {}), region: "eu-west-1" };
    },
  },
  {
    what: "the user pool without deletion protection",
    policy: "cognito-deletion-protection",
    change: (f) => (find(f, "aws:cognito/userPool:UserPool", "users-pool").props.deletionProtection = "INACTIVE"),
  },
  {
    what: "a canary with a token in its environment",
    policy: "compute-env-no-secrets",
    change: (f) => (find(f, "aws:synthetics/canary:Canary", "synthetics-user").props.runConfig.environmentVariables.API_TOKEN = "t0k3n"),
  },
  {
    what: "canary artifacts on an AWS-managed key",
    policy: "synthetics-artifacts-cmk",
    change: (f) => delete find(f, "aws:synthetics/canary:Canary", "synthetics-journey").props.artifactConfig,
  },
  // Rules that came from the peers' packs (docs/policy-coverage.md).
  {
    what: "a build project on the AWS-managed S3 key",
    policy: "codebuild-cmk",
    change: (f) => delete find(f, "aws:codebuild/project:Project", "user-delivery-build").props.encryptionKey,
  },
  {
    what: "Aurora without IAM database authentication",
    policy: "aurora-iam-auth",
    change: (f) => (find(f, "aws:rds/cluster:Cluster", "database-cluster").props.iamDatabaseAuthenticationEnabled = false),
  },
  {
    what: "a user pool accepting passwords without symbols",
    policy: "cognito-password-policy",
    change: (f) => (find(f, "aws:cognito/userPool:UserPool", "users-pool").props.passwordPolicy.requireSymbols = false),
  },
  {
    what: "a sidecar that logs nowhere",
    policy: "ecs-container-logging",
    change: (f) => {
      const td = find(f, "aws:ecs/taskDefinition:TaskDefinition", "user-svc-task").props;
      const containers = JSON.parse(td.containerDefinitions);
      delete containers[containers.length - 1].logConfiguration;
      td.containerDefinitions = JSON.stringify(containers);
    },
  },
  {
    what: "a cluster without Container Insights",
    policy: "ecs-container-insights",
    change: (f) => (find(f, "aws:ecs/cluster:Cluster").props.settings = []),
  },
  {
    what: "CloudFront without access logs",
    policy: "cloudfront-access-logs",
    change: (f) => delete find(f, "aws:cloudfront/distribution:Distribution", "edge-cdn").props.loggingConfig,
  },
  {
    what: "the ALB without access logs",
    policy: "alb-access-logs",
    change: (f) => (find(f, "aws:lb/loadBalancer:LoadBalancer", "edge-alb").props.accessLogs.enabled = false),
  },
  {
    what: "a queue whose policy accepts plain HTTP",
    policy: "sqs-tls-only",
    change: (f) => drop(f, "aws:sqs/queuePolicy:QueuePolicy", "queue-orders-dlq"),
  },
  {
    what: "a log group kept forever",
    policy: "log-group-retention",
    change: (f) => delete find(f, "aws:cloudwatch/logGroup:LogGroup", "payment-svc-logs").props.retentionInDays,
  },
  {
    what: "a bucket whose lifecycle no longer aborts incomplete uploads",
    policy: "s3-lifecycle",
    change: (f) => {
      const lifecycle = find(f, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "guardrails-trail").props;
      lifecycle.rules = lifecycle.rules.filter((r: any) => !r.abortIncompleteMultipartUpload);
    },
  },
  {
    what: "a bucket with ACLs turned back on",
    policy: "s3-acls-disabled",
    change: (f) => (find(f, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "edge-static").props.rule.objectOwnership = "BucketOwnerPreferred"),
  },
  {
    what: "a web ACL nobody logs",
    policy: "waf-logging",
    change: (f) => drop(f, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "edge-waf-logs"),
  },
  {
    what: "a web ACL running known bad inputs in count mode",
    policy: "waf-managed-rules",
    change: (f) => {
      const rule = find(f, "aws:wafv2/webAcl:WebAcl", "edge-waf").props.rules.find((r: any) => r.name === "AWSManagedRulesKnownBadInputsRuleSet");
      rule.overrideAction = { count: {} };
    },
  },
  {
    what: "a KMS key left on the default key policy",
    policy: "kms-key-explicit-policy",
    change: (f) => delete find(f, "aws:kms/key:Key", "dr-key").props.policy,
  },
  {
    what: "Performance Insights on the AWS-managed key",
    policy: "aurora-performance-insights-cmk",
    change: (f) => delete find(f, "aws:rds/clusterInstance:ClusterInstance", "database-reader-1").props.performanceInsightsKmsKeyId,
  },
  {
    what: "a cache on the service-owned key",
    policy: "elasticache-at-rest-cmk",
    change: (f) => delete find(f, "aws:elasticache/replicationGroup:ReplicationGroup", "cache-group").props.kmsKeyId,
  },
  {
    what: "a token kept in a String parameter",
    policy: "ssm-parameter-no-plain-secret",
    change: (f) => (find(f, "aws:ssm/parameter:Parameter", "user-images-image").props.name = "/platform-prod/user/api-token"),
  },
  {
    what: "a default security group given back an allow rule",
    policy: "vpc-default-sg-closed",
    change: (f) =>
      (find(f, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").props.egress = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }]),
  },
  // Advisory rules: reported, not blocking, and shown to fire all the same.
  {
    what: "an inline rule on a group that has rule resources",
    policy: "sg-separate-rule-resources",
    change: (f) =>
      (find(f, "aws:ec2/securityGroup:SecurityGroup", "user-svc-sg").props.ingress = [
        { protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: ["sg-other"], description: "inline" },
      ]),
  },
  {
    what: "a service that names no security group",
    policy: "ecs-awsvpc-private",
    change: (f) => (find(f, "aws:ecs/service:Service", "payment-svc-service").props.networkConfiguration.securityGroups = []),
  },
  {
    what: "a prod user pool with MFA off",
    policy: "cognito-mfa",
    change: (f) => (find(f, "aws:cognito/userPool:UserPool", "users-pool").props.mfaConfiguration = "OFF"),
  },
  {
    what: "a task role trusting ECS without the source account",
    policy: "iam-trust-confused-deputy",
    change: (f) => {
      const role = find(f, "aws:iam/role:Role", "payment-svc-task").props;
      const trust = JSON.parse(role.assumeRolePolicy);
      for (const statement of trust.Statement) delete statement.Condition;
      role.assumeRolePolicy = JSON.stringify(trust);
    },
  },
  {
    what: "an added inline policy on an IAM user",
    policy: "iam-no-user-inline-policies",
    change: (f) =>
      add(f, "aws:iam/userPolicy:UserPolicy", {
        user: "ci",
        policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] }),
      }),
  },
  {
    what: "a canary that leaves its function behind",
    policy: "synthetics-canary-cleanup",
    change: (f) => (find(f, "aws:synthetics/canary:Canary", "synthetics-journey").props.deleteLambda = false),
  },
  {
    what: "a file system whose backup policy is off",
    policy: "efs-backups",
    change: (f) => (find(f, "aws:efs/backupPolicy:BackupPolicy", "files").props.backupPolicy.status = "DISABLED"),
  },
  {
    what: "a prod table without Pulumi's protect",
    policy: "stateful-resources-protected",
    change: (f) => (find(f, "aws:dynamodb/table:Table", "table-orders").protect = false),
  },
  // Types prod does not create (they come with options or other designs): one added beside the rest.
  {
    what: "an added schedule that drops its failed deliveries",
    policy: "scheduler-dead-letter-queue",
    change: (f) => add(f, "aws:scheduler/schedule:Schedule", { name: "mutant", scheduleExpression: "rate(1 day)", target: { arn: "arn:q", roleArn: "arn:r" } }),
  },
  {
    what: "an added Prometheus workspace without a customer key",
    policy: "prometheus-workspace-cmk",
    change: (f) => add(f, "aws:amp/workspace:Workspace", { alias: "mutant" }),
  },
  {
    what: "an added RDS instance with unencrypted storage",
    policy: "rds-instance-encrypted",
    change: (f) =>
      add(f, "aws:rds/instance:Instance", {
        storageEncrypted: false,
        manageMasterUserPassword: true,
        username: "admin",
        publiclyAccessible: false,
        deletionProtection: true,
      }),
  },
  {
    what: "an added API route without an authorizer",
    policy: "http-api-routes-authorized",
    change: (f) => add(f, "aws:apigatewayv2/route:Route", { apiId: "api", routeKey: "GET /users/profiles/{id}" }),
  },
  {
    what: "an added API stage without access logs",
    policy: "http-api-access-logs",
    change: (f) =>
      add(f, "aws:apigatewayv2/stage:Stage", { apiId: "api", name: "$default", defaultRouteSettings: { throttlingRateLimit: 10, throttlingBurstLimit: 20 } }),
  },
  {
    what: "an added function permission anyone may invoke",
    policy: "resource-policy-no-public-principal",
    change: (f) => add(f, "aws:lambda/permission:Permission", { action: "lambda:InvokeFunction", function: "fn-orders", principal: "*" }),
  },
];

describe("every rule fires on the synthesized prod stack (one mutation each, exactly that rule)", () => {
  let base: StackFixture[];
  const violated = async (fixtures: StackFixture[]) => [...new Set((await runPack(allPolicies, fixtures)).map((f) => f.policy))].sort();
  before(async () => {
    base = fromSynth(await fixture("prod"), loadStackConfig("prod", FIXTURE_DIR).config);
  });

  it("has a mutation for every rule, mandatory or advisory, and every mutation names a rule of the pack", () => {
    const covered = new Set(MUTATIONS.map((m) => m.policy));
    expect(
      allPolicies.map((p) => p.name).filter((name) => !covered.has(name)),
      "rules without a mutation",
    ).to.deep.equal([]);
    for (const m of MUTATIONS)
      expect(
        allPolicies.map((p) => p.name),
        m.what,
      ).to.include.members([m.policy, ...(m.also ?? [])]);
  });

  it("starts from a prod stack no rule objects to", async () => {
    expect(await violated(base)).to.deep.equal([]);
  });

  for (const m of MUTATIONS)
    it(`${m.what} -> ${[m.policy, ...(m.also ?? [])].join(", ")}`, async () => {
      const findings = await runPack(allPolicies, mutate(base, m.change));
      expect([...new Set(findings.map((f) => f.policy))].sort()).to.deep.equal([m.policy, ...(m.also ?? [])].sort());
      const policy = allPolicies.find((p) => p.name === m.policy)!;
      // The pack reports the finding alone; the fix is the policy's remediationSteps, added once.
      for (const f of findings) expect(f.message.split("Fix:"), f.message).to.have.length(2);
      expect(findings.find((f) => f.policy === m.policy)!.message).to.contain(`Fix: ${policy.remediationSteps}`);
    });
});
