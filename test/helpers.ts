/** Shared helpers for tests over synthesized stacks: one synthesis per stack per test run. */
import { execFile } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { expect } from "chai";
import { resolveSettings, Settings } from "../stacks";
import { loadStackConfig, PROJECT_DIR, SynthResource, SynthResult, synthesize } from "../tools/harness";

/** Every stack file there is (`Pulumi.<stack>.yaml`): tests of the shipped stacks cover each one. */
export const STACKS: readonly string[] = fs
  .readdirSync(PROJECT_DIR)
  .map((file) => /^Pulumi\.([^.]+)\.yaml$/.exec(file)?.[1])
  .filter((stack): stack is string => stack !== undefined)
  .sort();

/** Runs a command-line tool (`tools/<name>.ts`) in a fresh process, as `npm run <name>` does. */
export function runTool(name: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [path.join(PROJECT_DIR, "tools", "run.js"), path.join(PROJECT_DIR, "tools", `${name}.ts`), ...args],
      { cwd: PROJECT_DIR, maxBuffer: 64 * 1024 * 1024, env },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** An HTTP server on a free port of 127.0.0.1 for the tools' tests: its base URL (no trailing slash), and a close that ends open connections too. */
export function localServer(handler: http.RequestListener): Promise<{ base: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))),
      }),
    ),
  );
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  return expect.fail("expected the promise to reject");
}

/**
 * Fixture stacks (`test/fixtures/`): frozen example configs for tests that assert exact values
 * (names, sizes, grants of the example services). An adopter edits the shipped stack files, never
 * these, so such tests keep passing whatever the shipped files say.
 */
export const FIXTURE_DIR = path.join(PROJECT_DIR, "test", "fixtures");
export const FIXTURES = ["dev", "prod"] as const;

const cache = new Map<string, Promise<SynthResult>>();

/**
 * The real stack file synthesized once and shared. Stacks are synthesized one after another
 * (the Pulumi runtime is global), so calls are chained.
 */
let queue: Promise<unknown> = Promise.resolve();
export function synth(stack: string): Promise<SynthResult> {
  let result = cache.get(stack);
  if (!result) {
    result = queue.then(() => synthesize({ stack }));
    queue = result.catch(() => undefined);
    cache.set(stack, result);
  }
  return result;
}

/** A fixture stack synthesized once and shared (see FIXTURE_DIR). */
export function fixture(stack: string): Promise<SynthResult> {
  const key = `fixture:${stack}`;
  let result = cache.get(key);
  if (!result) {
    result = queue.then(() => synthesize({ stack, configDir: FIXTURE_DIR }));
    queue = result.catch(() => undefined);
    cache.set(key, result);
  }
  return result;
}

/** The bootstrap program (bootstrap/), one of its stacks, with config overrides (not cached). */
export const BOOTSTRAP_DIR = path.join(PROJECT_DIR, "bootstrap");
export function synthBootstrap(stack: string, overrides: Record<string, unknown> = {}): Promise<SynthResult> {
  const result = queue.then(() => synthesize({ stack, overrides, projectDir: BOOTSTRAP_DIR }));
  queue = result.catch(() => undefined);
  return result;
}

/** Synthesizes a stack with config overrides (not cached); `configDir` picks fixtures or a copy. */
export function synthWith(stack: string, overrides: Record<string, unknown>, configDir?: string): Promise<SynthResult> {
  const result = queue.then(() => synthesize({ stack, overrides, configDir }));
  queue = result.catch(() => undefined);
  return result;
}

export function ofType(result: SynthResult, type: string): SynthResource[] {
  return result.resources.filter((r) => r.type === type);
}

/** Exactly one resource of `type` named `name`. */
export function one(result: SynthResult, type: string, name: string): SynthResource {
  const found = result.resources.filter((r) => r.type === type && r.name === name);
  expect(found, `${type} ${name}`).to.have.length(1);
  return found[0];
}

/** Custom resources whose parent is the component `type::name`. */
export function childrenOf(result: SynthResult, componentType: string, componentName: string): SynthResource[] {
  return result.resources.filter((r) => r.parent === `${componentType}::${componentName}`);
}

/** The mock id of a resource (the harness returns `<name>-id`). */
export function idOf(resource: SynthResource): string {
  return `${resource.name}-id`;
}

/** Parses a JSON policy input (string or object). */
export function policyOf(resource: SynthResource, field = "policy"): { Statement: any[] } {
  const raw = resource.inputs[field];
  return typeof raw === "string" ? JSON.parse(raw) : raw;
}

/** Every statement of every inline policy attached to the role named `roleName`. */
export function roleStatements(result: SynthResult, roleName: string): any[] {
  const roleId = idOf(one(result, T.role, roleName));
  return ofType(result, T.rolePolicy)
    .filter((p) => p.inputs.role === roleId)
    .flatMap((p) => policyOf(p).Statement);
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export const T = {
  vpc: "awsx:ec2:Vpc",
  kmsKey: "aws:kms/key:Key",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  flowLog: "aws:ec2/flowLog:FlowLog",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  rdsCluster: "aws:rds/cluster:Cluster",
  rdsInstance: "aws:rds/clusterInstance:ClusterInstance",
  rdsSubnets: "aws:rds/subnetGroup:SubnetGroup",
  rdsClusterParams: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  secretRotation: "aws:secretsmanager/secretRotation:SecretRotation",
  redis: "aws:elasticache/replicationGroup:ReplicationGroup",
  redisSubnets: "aws:elasticache/subnetGroup:SubnetGroup",
  randomPassword: "random:index/randomPassword:RandomPassword",
  ecsCluster: "aws:ecs/cluster:Cluster",
  capacityProviders: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  ecsService: "aws:ecs/service:Service",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listenerRule: "aws:lb/listenerRule:ListenerRule",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  listener: "aws:lb/listener:Listener",
  provider: "pulumi:providers:aws",
  certificate: "aws:acm/certificate:Certificate",
  certificateValidation: "aws:acm/certificateValidation:CertificateValidation",
  record: "aws:route53/record:Record",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  bucket: "aws:s3/bucket:Bucket",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
  bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  bucketObject: "aws:s3/bucketObjectv2:BucketObjectv2",
  distribution: "aws:cloudfront/distribution:Distribution",
  cachePolicy: "aws:cloudfront/cachePolicy:CachePolicy",
  originRequestPolicy: "aws:cloudfront/originRequestPolicy:OriginRequestPolicy",
  responseHeadersPolicy: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
  oac: "aws:cloudfront/originAccessControl:OriginAccessControl",
  webAcl: "aws:wafv2/webAcl:WebAcl",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  compositeAlarm: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  trail: "aws:cloudtrail/trail:Trail",
  detector: "aws:guardduty/detector:Detector",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  budget: "aws:budgets/budget:Budget",
  userPool: "aws:cognito/userPool:UserPool",
  userPoolClient: "aws:cognito/userPoolClient:UserPoolClient",
  userPoolDomain: "aws:cognito/userPoolDomain:UserPoolDomain",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  redriveAllow: "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
  table: "aws:dynamodb/table:Table",
  lambda: "aws:lambda/function:Function",
  eventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
  fileSystem: "aws:efs/fileSystem:FileSystem",
  mountTarget: "aws:efs/mountTarget:MountTarget",
  accessPoint: "aws:efs/accessPoint:AccessPoint",
  fileSystemPolicy: "aws:efs/fileSystemPolicy:FileSystemPolicy",
  backupPolicy: "aws:efs/backupPolicy:BackupPolicy",
  webAclLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
  scalingTarget: "aws:appautoscaling/target:Target",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
  fargateService: "platform:compute:FargateService",
  tableReplica: "aws:dynamodb/tableReplica:TableReplica",
  globalCluster: "aws:rds/globalCluster:GlobalCluster",
  backupVault: "aws:backup/vault:Vault",
  backupPlan: "aws:backup/plan:Plan",
  backupSelection: "aws:backup/selection:Selection",
  ecrRepository: "aws:ecr/repository:Repository",
  ecrReplication: "aws:ecr/replicationConfiguration:ReplicationConfiguration",
  bucketReplication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  kmsAlias: "aws:kms/alias:Alias",
  policy: "aws:iam/policy:Policy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  oidcProvider: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
} as const;

/** The validated settings of a shipped stack file (or of one in `configDir`), for expectations that follow config. */
export function settingsOf(stack: string, configDir?: string): Settings {
  const { project, config } = loadStackConfig(stack, configDir);
  return resolveSettings({ project, stack, config });
}

/** The validated settings of a fixture stack. */
export function fixtureSettings(stack: string): Settings {
  return settingsOf(stack, FIXTURE_DIR);
}
