/**
 * Data replicated continuously to the DR region (`platform:disasterRecovery`): every DynamoDB table
 * as a global table, the static assets, the images, and the secrets the DR region needs, each copy
 * encrypted with a key of the DR region; and Aurora as the primary of a Global Database (its secondary
 * comes with the DR platform).
 */
import { expect } from "chai";
import { replicationRule as imageRule } from "../components/image-replication";
import { replicationRule as bucketRule, replicationStatements } from "../components/bucket-replica";
import { SynthResult } from "../tools/harness";
import { fixture, fixtureSettings, ofType, one, T } from "./helpers";

describe("replication to the DR region", () => {
  describe("prod", () => {
    let prod: SynthResult;
    const settings = () => fixtureSettings("prod");
    const dr = () => settings().disasterRecovery.region;
    const drKey = () => ofType(prod, T.kmsKey).find((k) => k.region === dr())!.state.arn;
    before(async () => {
      prod = await fixture("prod");
    });

    it("makes every table a global table: a replica in the DR region on its key, with PITR and deletion protection", () => {
      const tables = ofType(prod, T.table);
      expect(tables).to.have.length(settings().tables.length);
      for (const table of tables) {
        expect(table.inputs, table.name).to.include({ streamEnabled: true, streamViewType: "NEW_AND_OLD_IMAGES" });
        expect(table.ignoreChanges, table.name).to.include("replicas");
        const replicas = ofType(prod, T.tableReplica).filter((r) => r.inputs.globalTableArn === table.state.arn);
        expect(replicas, table.name).to.have.length(1);
        expect(replicas[0].region).to.equal(dr());
        expect(replicas[0].inputs).to.include({ kmsKeyArn: drKey(), pointInTimeRecovery: true, deletionProtectionEnabled: true });
        expect(replicas[0].protect).to.equal(true);
      }
    });

    it("replicates the static assets live to a versioned bucket in the DR region, delete markers included", () => {
      const staticBucket = one(prod, T.bucket, "edge-static");
      const config = ofType(prod, T.bucketReplication).find((c) => c.inputs.bucket === staticBucket.id)!;
      expect(config, "a replication configuration on the static bucket").to.not.equal(undefined);
      const replica = ofType(prod, T.bucket).find((b) => b.state.arn === config.inputs.rules[0].destination.bucket)!;
      expect(replica.region).to.equal(dr());
      expect(config.inputs.rules).to.deep.equal([bucketRule(replica.state.arn)]);
      const versioned = (bucket: typeof replica) => ofType(prod, T.bucketVersioning).some((v) => v.inputs.bucket === bucket.id);
      expect(versioned(staticBucket) && versioned(replica)).to.equal(true);
      // The shipped error pages are written after the rule, so they replicate.
      for (const page of ofType(prod, T.bucketObject).filter((o) => o.inputs.bucket === staticBucket.id))
        expect(page.dependencies, page.name).to.include(`${T.bucketReplication}::${config.name}`);
    });

    it("replicates the images: a twin repository in the DR region on its key, and the registry rule for the stack's prefix", () => {
      const primary = ofType(prod, T.ecrRepository).filter((r) => r.region === settings().region);
      expect(primary.length).to.be.above(0);
      for (const repo of primary) {
        const twin = ofType(prod, T.ecrRepository).find((r) => r.region === dr() && r.inputs.name === repo.inputs.name);
        expect(twin, repo.inputs.name).to.not.equal(undefined);
        expect(twin!.inputs).to.deep.include({ imageTagMutability: "IMMUTABLE", encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: drKey() }] });
      }
      const [config] = ofType(prod, T.ecrReplication);
      expect(config.region).to.equal(settings().region);
      expect(config.inputs.replicationConfiguration.rules).to.deep.equal([imageRule(settings().namePrefix, "123456789012", dr())]);
    });

    it("replicates the secrets the DR region needs (cache token, origin header) with its key", () => {
      for (const name of ["cache-auth-token", "edge-origin-verify"]) {
        const secret = one(prod, T.secret, name);
        expect(secret.inputs.replicas, name).to.deep.equal([{ region: dr(), kmsKeyId: drKey() }]);
      }
    });

    it("lets S3 replicate as a role pinned to this account and this source bucket", () => {
      const config = ofType(prod, T.bucketReplication)[0];
      const role = ofType(prod, T.role).find((r) => r.state.arn === config.inputs.role)!;
      const trust = JSON.parse(role.inputs.assumeRolePolicy).Statement[0];
      const source = ofType(prod, T.bucket).find((b) => b.id === config.inputs.bucket)!;
      expect(trust.Principal).to.deep.equal({ Service: "s3.amazonaws.com" });
      expect(trust.Condition).to.deep.equal({ StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": source.state.arn } });
    });
  });

  it("dev replicates nothing", async () => {
    const dev = await fixture("dev");
    expect(ofType(dev, T.tableReplica)).to.deep.equal([]);
    expect(ofType(dev, T.bucketReplication)).to.deep.equal([]);
    expect(ofType(dev, T.ecrReplication)).to.deep.equal([]);
    expect(ofType(dev, T.secret).every((s) => s.inputs.replicas === undefined)).to.equal(true);
    expect(ofType(dev, T.table).every((t) => t.inputs.streamEnabled === undefined)).to.equal(true);
  });

  it("the image rule matches the stack's repositories only, not a longer prefix", () => {
    expect(imageRule("platform-prod", "111122223333", "eu-central-1")).to.deep.equal({
      destinations: [{ region: "eu-central-1", registryId: "111122223333" }],
      repositoryFilters: [{ filter: "platform-prod/", filterType: "PREFIX_MATCH" }],
    });
  });

  it("the S3 replication role reads only the source and writes only replicas", () => {
    const statements = replicationStatements("arn:aws:s3:::src", "arn:aws:s3:::dst");
    expect(statements.map((s) => s.Resource)).to.deep.equal(["arn:aws:s3:::src", "arn:aws:s3:::src/*", "arn:aws:s3:::dst/*"]);
    expect(statements.flatMap((s) => [s.Action].flat()).every((a) => !a.includes("*"))).to.equal(true);
  });
});

describe("Aurora Global Database (prod)", () => {
  it("adopts the cluster as the primary of a global database, protected, after its writer", async () => {
    const prod = await fixture("prod");
    const cluster = one(prod, T.rdsCluster, "database-cluster");
    const [global] = ofType(prod, T.globalCluster);
    expect(global.inputs).to.include({
      globalClusterIdentifier: "platform-prod-aurora-global",
      sourceDbClusterIdentifier: cluster.state.arn,
      forceDestroy: true,
      deletionProtection: true,
    });
    expect(global.protect).to.equal(true);
    expect(global.dependencies).to.include(`${T.rdsInstance}::database-writer`);
    expect(cluster.ignoreChanges).to.include("globalClusterIdentifier");
  });

  it("dev keeps a regional cluster with the RDS-managed, rotated password", async () => {
    const dev = await fixture("dev");
    expect(ofType(dev, T.globalCluster)).to.deep.equal([]);
    expect(one(dev, T.rdsCluster, "database-cluster").inputs.manageMasterUserPassword).to.equal(true);
  });
});

describe("replication alarms (prod)", () => {
  it("alarm when a table's replica falls behind: ReplicationLatency to the DR region, per table", async () => {
    const prod = await fixture("prod");
    const settings = fixtureSettings("prod");
    for (const table of settings.tables) {
      const alarm = one(prod, T.metricAlarm, `observability-${table.name}-replication-latency`);
      expect(alarm.inputs).to.include({
        namespace: "AWS/DynamoDB",
        metricName: "ReplicationLatency",
        threshold: settings.observability.thresholds.globalReplicationLatencyMs,
      });
      expect(alarm.inputs.dimensions).to.deep.equal({ TableName: `${settings.namePrefix}-${table.name}`, ReceivingRegion: settings.disasterRecovery.region });
    }
    const staticAlarm = one(prod, T.metricAlarm, "observability-static-replication-failures");
    const config = ofType(prod, T.bucketReplication)[0];
    const source = ofType(prod, T.bucket).find((b) => b.id === config.inputs.bucket)!;
    const replica = ofType(prod, T.bucket).find((b) => b.state.arn === config.inputs.rules[0].destination.bucket)!;
    expect(config.inputs.rules[0].destination.metrics).to.deep.equal({ status: "Enabled" });
    expect(staticAlarm.inputs).to.include({ namespace: "AWS/S3", metricName: "OperationsFailedReplication", threshold: 0 });
    expect(staticAlarm.inputs.dimensions).to.deep.equal({
      SourceBucket: source.state.bucket,
      DestinationBucket: replica.state.bucket,
      RuleId: config.inputs.rules[0].id,
    });
    const dev = await fixture("dev");
    expect(ofType(dev, T.metricAlarm).filter((a) => a.name.endsWith("-replication-latency") || a.name.endsWith("replication-failures"))).to.deep.equal([]);
  });
});
