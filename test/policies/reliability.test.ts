import { expect } from "chai";
import { Policy } from "@pulumi/policy";
import { reliabilityPolicies } from "../../policies/rules/reliability";
import { Fixture, runResource, runStack, stackOf, UNKNOWN, policyNamed } from "../../tools/policy-runner";

const PROD = { defaultTags: { tags: { Environment: "prod" } } };
const DEV = { defaultTags: { tags: { Environment: "dev" } } };
const policy = (name: string): Policy => policyNamed(reliabilityPolicies, name);

async function violations(name: string, fixture: Fixture, options = {}): Promise<string[]> {
  return (await runResource(policy(name), fixture, options)).violations;
}

async function expectViolation(name: string, fixture: Fixture, finding: string): Promise<void> {
  const found = await violations(name, fixture);
  expect(found, name).to.have.length(1);
  expect(found[0]).to.contain(finding).and.contain("Fix:");
}

describe("reliability policies", () => {
  const cluster = (props: Record<string, unknown>, providerProps = PROD): Fixture => ({ type: "aws:rds/cluster:Cluster", props, providerProps });

  it("aurora-deletion-protection: required in prod only", async () => {
    expect(await violations("aurora-deletion-protection", cluster({ deletionProtection: true }))).to.deep.equal([]);
    await expectViolation("aurora-deletion-protection", cluster({ deletionProtection: false }), "deletionProtection is not true");
    expect(await violations("aurora-deletion-protection", cluster({ deletionProtection: false }, DEV))).to.deep.equal([]);
    expect(await violations("aurora-deletion-protection", cluster({ deletionProtection: false }, DEV), { stackTags: { environment: "prod" } })).to.have.length(
      1,
    );
  });

  it("aurora-final-snapshot: prod clusters keep a final snapshot", async () => {
    expect(await violations("aurora-final-snapshot", cluster({ skipFinalSnapshot: false, finalSnapshotIdentifier: "x-final" }))).to.deep.equal([]);
    await expectViolation("aurora-final-snapshot", cluster({ skipFinalSnapshot: true }), "no final snapshot");
  });

  it("database-backup-retention: minBackupDays outside prod, prodMinBackupDays in prod, configurable", async () => {
    expect(await violations("database-backup-retention", cluster({ backupRetentionPeriod: 35 }))).to.deep.equal([]);
    await expectViolation("database-backup-retention", cluster({ backupRetentionPeriod: 7 }), "backupRetentionPeriod is 7 days, below the 35 required in prod");
    // The fix names the config key the property comes from in this platform's stacks.
    expect((await violations("database-backup-retention", cluster({ backupRetentionPeriod: 7 })))[0]).to.contain("platform:database.backupRetentionDays");
    expect(await violations("database-backup-retention", cluster({ backupRetentionPeriod: 1 }, DEV))).to.deep.equal([]);
    expect(await violations("database-backup-retention", cluster({ backupRetentionPeriod: 1 }, DEV), { config: { minBackupDays: 7 } })).to.have.length(1);
    expect(await violations("database-backup-retention", cluster({ backupRetentionPeriod: UNKNOWN.number }))).to.deep.equal([]);
  });

  it("aurora-multi-az: a writer and a reader in two AZs", async () => {
    const stack = (zones: string[]) =>
      stackOf([
        { name: "db", type: "aws:rds/cluster:Cluster", props: {}, providerProps: PROD },
        ...zones.map((az, i) => ({
          name: `i${i}`,
          type: "aws:rds/clusterInstance:ClusterInstance",
          props: { availabilityZone: az },
          providerProps: PROD,
          dependsOn: { clusterIdentifier: ["db"] },
        })),
      ]);
    expect((await runStack(policy("aurora-multi-az"), stack(["eu-west-1a", "eu-west-1b"]))).violations).to.deep.equal([]);
    const single = await runStack(policy("aurora-multi-az"), stack(["eu-west-1a", "eu-west-1a"]));
    expect(single.violations[0]).to.contain('aws:rds/cluster:Cluster "db" has 2 instance(s) in 1 AZ(s)').and.contain("Fix:");
    expect((await runStack(policy("aurora-multi-az"), stack(["eu-west-1a"]))).violations).to.have.length(1);
  });

  describe("a standby region's pilot light (PilotLight: true, set only while its switch is off)", () => {
    const pilot = { tags: { PilotLight: "true" } };
    it("aurora-multi-az: exempts a pilot-light cluster, not one whose tag says otherwise", async () => {
      const stack = (props: Record<string, unknown>) =>
        stackOf([
          { name: "db", type: "aws:rds/cluster:Cluster", props, providerProps: PROD },
          {
            name: "i",
            type: "aws:rds/clusterInstance:ClusterInstance",
            props: { availabilityZone: "eu-central-1a" },
            providerProps: PROD,
            dependsOn: { clusterIdentifier: ["db"] },
          },
        ]);
      expect((await runStack(policy("aurora-multi-az"), stack(pilot))).violations).to.deep.equal([]);
      expect((await runStack(policy("aurora-multi-az"), stack({ tags: { PilotLight: "false" } }))).violations).to.have.length(1);
    });
    it("elasticache-multi-az and ecs-min-two-tasks: exempt pilot-light resources only", async () => {
      expect(await violations("elasticache-multi-az", cache({ numCacheClusters: 1, ...pilot }))).to.deep.equal([]);
      expect(await violations("elasticache-multi-az", cache({ numCacheClusters: 1 }))).to.have.length(3);
      expect(
        await violations("ecs-min-two-tasks", { type: "aws:ecs/service:Service", props: { desiredCount: 1, ...pilot }, providerProps: PROD }),
      ).to.deep.equal([]);
      expect(await violations("ecs-min-two-tasks", { type: "aws:ecs/service:Service", props: { desiredCount: 1 }, providerProps: PROD })).to.have.length(1);
    });
  });

  const cache = (props: Record<string, unknown>): Fixture => ({ type: "aws:elasticache/replicationGroup:ReplicationGroup", props, providerProps: PROD });

  it("elasticache-multi-az: replica, failover and Multi-AZ in prod", async () => {
    expect(await violations("elasticache-multi-az", cache({ numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true }))).to.deep.equal([]);
    const found = await violations("elasticache-multi-az", cache({ numCacheClusters: 1, automaticFailoverEnabled: false }));
    expect(found.map((f) => f.split(": ")[1].split(". Fix")[0])).to.deep.equal([
      "has 1 node(s), so no replica",
      "automaticFailoverEnabled is not true",
      "multiAzEnabled is not true",
    ]);
  });

  it("elasticache-snapshots: prod keeps snapshots", async () => {
    expect(await violations("elasticache-snapshots", cache({ snapshotRetentionLimit: 7 }))).to.deep.equal([]);
    await expectViolation("elasticache-snapshots", cache({ snapshotRetentionLimit: 0 }), "snapshotRetentionLimit is 0");
  });

  const table = (props: Record<string, unknown>, providerProps = PROD): Fixture => ({ type: "aws:dynamodb/table:Table", props, providerProps });

  it("dynamodb-deletion-protection: prod tables only", async () => {
    expect(await violations("dynamodb-deletion-protection", table({ deletionProtectionEnabled: true }))).to.deep.equal([]);
    await expectViolation("dynamodb-deletion-protection", table({ deletionProtectionEnabled: false }), "deletionProtectionEnabled is not true");
    expect(await violations("dynamodb-deletion-protection", table({}, DEV))).to.deep.equal([]);
  });

  it("dynamodb-point-in-time-recovery: every environment", async () => {
    expect(await violations("dynamodb-point-in-time-recovery", table({ pointInTimeRecovery: { enabled: true } }, DEV))).to.deep.equal([]);
    await expectViolation("dynamodb-point-in-time-recovery", table({}, DEV), "point-in-time recovery is off");
  });

  it("alb-deletion-protection: prod load balancers", async () => {
    const alb = (props: Record<string, unknown>): Fixture => ({ type: "aws:lb/loadBalancer:LoadBalancer", props, providerProps: PROD });
    expect(await violations("alb-deletion-protection", alb({ enableDeletionProtection: true }))).to.deep.equal([]);
    await expectViolation("alb-deletion-protection", alb({}), "enableDeletionProtection is not true");
  });

  const service = (props: Record<string, unknown>, providerProps = PROD): Fixture => ({ type: "aws:ecs/service:Service", props, providerProps });

  it("ecs-circuit-breaker: rollback on in every environment", async () => {
    expect(await violations("ecs-circuit-breaker", service({ deploymentCircuitBreaker: { enable: true, rollback: true } }, DEV))).to.deep.equal([]);
    await expectViolation(
      "ecs-circuit-breaker",
      service({ deploymentCircuitBreaker: { enable: true, rollback: false } }, DEV),
      "circuit breaker with rollback is not enabled",
    );
  });

  it("ecs-min-two-tasks: prod services run two or more tasks", async () => {
    expect(await violations("ecs-min-two-tasks", service({ desiredCount: 3 }))).to.deep.equal([]);
    await expectViolation("ecs-min-two-tasks", service({ desiredCount: 1 }), "desiredCount is 1");
    expect(await violations("ecs-min-two-tasks", service({ desiredCount: 1 }, DEV))).to.deep.equal([]);
  });

  it("sqs-dead-letter-queue: every queue has a DLQ or is one", async () => {
    const ok = stackOf([
      { name: "dlq", type: "aws:sqs/queue:Queue", props: {} },
      { name: "work", type: "aws:sqs/queue:Queue", props: { redrivePolicy: "{}" }, dependsOn: { redrivePolicy: ["dlq"] } },
    ]);
    expect((await runStack(policy("sqs-dead-letter-queue"), ok)).violations).to.deep.equal([]);
    // A schedule's dead-letter queue is a DLQ too; a schedule's target queue (with its own DLQ) stays what it is.
    const scheduled = stackOf([
      { name: "dlq", type: "aws:sqs/queue:Queue", props: {} },
      { name: "schedule-dlq", type: "aws:sqs/queue:Queue", props: {} },
      { name: "work", type: "aws:sqs/queue:Queue", props: { redrivePolicy: "{}" }, dependsOn: { redrivePolicy: ["dlq"] } },
      {
        name: "s",
        type: "aws:scheduler/schedule:Schedule",
        props: { target: { arn: "arn:work", deadLetterConfig: { arn: "arn:schedule-dlq" } } },
        dependsOn: { target: ["work", "schedule-dlq"] },
      },
    ]);
    expect((await runStack(policy("sqs-dead-letter-queue"), scheduled)).violations).to.deep.equal([]);
    const noDeadLetters = stackOf([
      { name: "schedule-dlq", type: "aws:sqs/queue:Queue", props: {} },
      { name: "s", type: "aws:scheduler/schedule:Schedule", props: { target: { arn: "arn:schedule-dlq" } }, dependsOn: { target: ["schedule-dlq"] } },
    ]);
    expect((await runStack(policy("sqs-dead-letter-queue"), noDeadLetters)).violations).to.have.length(1);
    const bad = stackOf([{ name: "lonely", type: "aws:sqs/queue:Queue", props: {} }]);
    const outcome = await runStack(policy("sqs-dead-letter-queue"), bad);
    expect(outcome.violations[0]).to.contain('aws:sqs/queue:Queue "lonely" has no redrivePolicy').and.contain("Fix:");
  });

  it("efs-backups: every file system has an enabled backup policy", async () => {
    const stack = (status: string) =>
      stackOf([
        { name: "fs", type: "aws:efs/fileSystem:FileSystem", props: {} },
        { name: "b", type: "aws:efs/backupPolicy:BackupPolicy", props: { backupPolicy: { status } }, dependsOn: { fileSystemId: ["fs"] } },
      ]);
    expect((await runStack(policy("efs-backups"), stack("ENABLED"))).violations).to.deep.equal([]);
    expect((await runStack(policy("efs-backups"), stack("DISABLED"))).violations[0]).to.contain("has no enabled backup policy");
  });

  describe("backup-copied-to-dr-region", () => {
    const here = { ...PROD, region: "eu-west-1" };
    const there = { ...PROD, region: "eu-central-1" };
    /** A prod stack with a table, a vault here and one in `drRegion`, a plan keeping `keep` days and copying for `copy` days. */
    const stack = (o: { drRegion?: string; keep?: number; copy?: number; selected?: boolean } = {}) =>
      stackOf([
        { name: "table", type: "aws:dynamodb/table:Table", props: {}, providerProps: here },
        { name: "vault", type: "aws:backup/vault:Vault", props: {}, providerProps: here },
        { name: "dr", type: "aws:backup/vault:Vault", props: {}, providerProps: { ...PROD, region: o.drRegion ?? there.region } },
        {
          name: "plan",
          type: "aws:backup/plan:Plan",
          props: {
            rules: [
              {
                ruleName: "daily",
                lifecycle: { deleteAfter: o.keep ?? 35 },
                copyActions: [{ destinationVaultArn: "arn", lifecycle: { deleteAfter: o.copy ?? 35 } }],
              },
            ],
          },
          providerProps: here,
          dependsOn: { rules: ["vault", "dr"] },
        },
        {
          name: "selection",
          type: "aws:backup/selection:Selection",
          props: {},
          providerProps: here,
          dependsOn: { planId: ["plan"], resources: o.selected === false ? [] : ["table"] },
        },
      ]);
    const found = async (resources: ReturnType<typeof stack>) => (await runStack(policy("backup-copied-to-dr-region"), resources)).violations;

    it("passes when every data store is copied to another region and kept 35 days in both", async () => {
      expect(await found(stack())).to.deep.equal([]);
    });
    it("reports a copy to the same region, a short retention on either side, and a store no selection covers", async () => {
      for (const bad of [stack({ drRegion: "eu-west-1" }), stack({ keep: 7 }), stack({ copy: 7 })]) {
        const v = await found(bad);
        expect(v[0]).to.contain("no backup plan keeps 35 days and copies to a vault in another region").and.contain("Fix:");
      }
      expect((await found(stack({ selected: false })))[0]).to.contain('"table" is in no selection of such a plan');
    });
    it("applies to prod only", async () => {
      const dev = stackOf([{ name: "table", type: "aws:dynamodb/table:Table", props: {}, providerProps: DEV }]);
      expect(await found(dev)).to.deep.equal([]);
    });
    it("leaves out a standby's data stores (Standby: <primary>), which hold the primary's data, but no other store", async () => {
      const standby = (tags: Record<string, string>) =>
        stackOf([
          { name: "db", type: "aws:rds/cluster:Cluster", props: { tags }, providerProps: there },
          { name: "files", type: "aws:efs/fileSystem:FileSystem", props: { tags: { Standby: "prod" } }, providerProps: there },
        ]);
      expect(await found(standby({ Standby: "prod" }))).to.deep.equal([]);
      const v = await found(standby({}));
      expect(v.some((x) => x.includes('"db" is in no selection'))).to.equal(true);
      expect(v.some((x) => x.includes('"files"'))).to.equal(false);
    });
  });

  describe("replicas-in-another-region", () => {
    const at = (region: string) => ({ ...PROD, region });
    const found = async (resources: ReturnType<typeof stackOf>) => (await runStack(policy("replicas-in-another-region"), resources)).violations;
    const tables = (replicaRegion: string) =>
      stackOf([
        { name: "t", type: "aws:dynamodb/table:Table", props: {}, providerProps: at("eu-west-1") },
        { name: "r", type: "aws:dynamodb/tableReplica:TableReplica", props: {}, providerProps: at(replicaRegion), dependsOn: { globalTableArn: ["t"] } },
      ]);
    const buckets = (replicaRegion: string) =>
      stackOf([
        { name: "src", type: "aws:s3/bucket:Bucket", props: {}, providerProps: at("eu-west-1") },
        { name: "dst", type: "aws:s3/bucket:Bucket", props: {}, providerProps: at(replicaRegion) },
        {
          name: "c",
          type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
          props: {},
          providerProps: at("eu-west-1"),
          dependsOn: { bucket: ["src"], rules: ["dst"] },
        },
      ]);
    const secret = (replicaRegion: string) =>
      stackOf([{ name: "s", type: "aws:secretsmanager/secret:Secret", props: { replicas: [{ region: replicaRegion }] }, providerProps: at("eu-west-1") }]);
    const images = (replicaRegion: string) =>
      stackOf([
        {
          name: "c",
          type: "aws:ecr/replicationConfiguration:ReplicationConfiguration",
          props: { replicationConfiguration: { rules: [{ destinations: [{ region: replicaRegion }] }] } },
          providerProps: at("eu-west-1"),
        },
      ]);

    it("passes when every copy is in another region", async () => {
      for (const stack of [tables("eu-central-1"), buckets("eu-central-1"), secret("eu-central-1"), images("eu-central-1")])
        expect(await found(stack)).to.deep.equal([]);
    });
    it("reports a table replica, a replicated bucket, a secret replica and an image destination in the source's own region", async () => {
      expect((await found(tables("eu-west-1")))[0])
        .to.contain('"r" (table replica) is in its source\'s region eu-west-1')
        .and.contain("Fix:");
      expect((await found(buckets("eu-west-1")))[0]).to.contain('"dst" (replication destination) is in its source\'s region');
      expect((await found(secret("eu-west-1")))[0]).to.contain('"s" has a replica in its own region eu-west-1');
      expect((await found(images("eu-west-1")))[0]).to.contain("replicates to its own region eu-west-1");
    });
  });

  it("cognito-deletion-protection: prod user pools", async () => {
    const pool = (props: Record<string, unknown>): Fixture => ({ type: "aws:cognito/userPool:UserPool", props, providerProps: PROD });
    expect(await violations("cognito-deletion-protection", pool({ deletionProtection: "ACTIVE" }))).to.deep.equal([]);
    await expectViolation("cognito-deletion-protection", pool({ deletionProtection: "INACTIVE" }), "deletionProtection is INACTIVE");
  });

  it("stateful-resources-protected: prod data carries Pulumi protect", async () => {
    expect(await violations("stateful-resources-protected", { ...table({}), protect: true })).to.deep.equal([]);
    await expectViolation("stateful-resources-protected", table({}), "is not protected");
    expect(await violations("stateful-resources-protected", table({}, DEV))).to.deep.equal([]);
  });

  it("log-group-retention: events expire, after at least a year in prod", async () => {
    const group = (props: Record<string, unknown>, providerProps = PROD): Fixture => ({ type: "aws:cloudwatch/logGroup:LogGroup", props, providerProps });
    expect(await violations("log-group-retention", group({ retentionInDays: 365 }))).to.deep.equal([]);
    expect(await violations("log-group-retention", group({ retentionInDays: 14 }, DEV))).to.deep.equal([]);
    await expectViolation("log-group-retention", group({ retentionInDays: 90 }), "retentionInDays is 90, below the 365 days required in prod");
    await expectViolation("log-group-retention", group({}, DEV), "retentionInDays is not set: events are kept forever");
    await expectViolation("log-group-retention", group({ retentionInDays: 0 }, DEV), "retentionInDays is 0");
    expect(await violations("log-group-retention", group({ retentionInDays: 14 }, DEV), { config: { minLogRetentionDays: 30 } })).to.have.length(1);
    // A DELIVERY-class group keeps 2 days whatever it says.
    await expectViolation(
      "log-group-retention",
      group({ retentionInDays: 365, logGroupClass: "DELIVERY" }),
      "a DELIVERY-class group keeps 2 days, below the 365 days required in prod",
    );
  });

  describe("s3-lifecycle", () => {
    const BUCKET = "aws:s3/bucket:Bucket";
    const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
    const abort = { id: "abort", status: "Enabled", filter: { prefix: "" }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } };
    const withRules = (rules: unknown[]) =>
      stackOf([
        { type: BUCKET, name: "assets", props: {} },
        { type: LIFECYCLE, name: "assets-lifecycle", props: { bucket: "assets-id", rules }, dependsOn: { bucket: ["assets"] } },
      ]);

    it("passes a bucket whose lifecycle aborts incomplete uploads everywhere in it", async () => {
      expect((await runStack(policy("s3-lifecycle"), withRules([abort]))).violations).to.deep.equal([]);
      expect((await runStack(policy("s3-lifecycle"), withRules([{ ...abort, filter: undefined }]))).violations).to.deep.equal([]);
    });

    it("reports a bucket without a lifecycle (another bucket's does not count)", async () => {
      const resources = stackOf([
        { type: BUCKET, name: "assets", props: {} },
        { type: BUCKET, name: "exports", props: {} },
        { type: LIFECYCLE, name: "assets-lifecycle", props: { rules: [abort] }, dependsOn: { bucket: ["assets"] } },
      ]);
      const found = (await runStack(policy("s3-lifecycle"), resources)).violations;
      expect(found).to.have.length(1);
      expect(found[0])
        .to.contain('aws:s3/bucket:Bucket "exports" has no lifecycle configuration')
        .and.contain("Fix: add an aws.s3.BucketLifecycleConfiguration");
    });

    it("says when a bucket's lifecycle is inline, which it does not read", async () => {
      const found = (await runStack(policy("s3-lifecycle"), stackOf([{ type: BUCKET, name: "old", props: { lifecycleRules: [{ enabled: true }] } }])))
        .violations;

      expect(found[0]).to.contain("its inline lifecycleRules are not read");
    });

    it("reports a lifecycle that aborts nothing, only under a prefix, or in a disabled rule", async () => {
      for (const rules of [
        [{ id: "expire", status: "Enabled", filter: { prefix: "" }, expiration: { days: 30 } }],
        [{ ...abort, filter: { prefix: "tmp/" } }],
        [{ ...abort, status: "Disabled" }],
      ]) {
        const found = (await runStack(policy("s3-lifecycle"), withRules(rules))).violations;
        expect(found, JSON.stringify(rules)).to.have.length(1);
        expect(found[0]).to.contain('no lifecycle rule of aws:s3/bucket:Bucket "assets" aborts incomplete multipart uploads');
      }
    });
  });

  it("names every rule with description, severity and enforcement level", () => {
    for (const p of reliabilityPolicies) {
      expect(p.description, p.name).to.be.a("string").and.not.empty;
      expect(p.enforcementLevel, p.name).to.be.oneOf(["mandatory", "advisory"]);
      expect(p.severity, p.name).to.be.oneOf(["low", "medium", "high", "critical"]);
    }
  });
});
