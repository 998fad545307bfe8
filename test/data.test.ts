import { expect } from "chai";
import { fixture, FIXTURES, fixtureSettings, idOf, ofType, one, T } from "./helpers";

for (const stack of FIXTURES) {
  const prod = stack === "prod";
  const settings = fixtureSettings(stack);
  const isolated = settings.availabilityZones.map((az) => `subnet-isolated-${az}`);

  describe(`AuroraCluster (${stack})`, () => {
    it("encrypts storage and Performance Insights with the customer key", async () => {
      const result = await fixture(stack);
      const keyArn = one(result, T.kmsKey, "platform-key").state.arn;
      const cluster = one(result, T.rdsCluster, "database-cluster");
      expect(cluster.inputs.storageEncrypted).to.equal(true);
      expect(cluster.inputs.kmsKeyId).to.equal(keyArn);
      for (const instance of ofType(result, T.rdsInstance)) {
        expect(instance.inputs.performanceInsightsEnabled, instance.name).to.equal(true);
        expect(instance.inputs.performanceInsightsKmsKeyId, instance.name).to.equal(keyArn);
        expect(instance.inputs.publiclyAccessible, instance.name).to.equal(false);
      }
    });

    it("keeps the master password in a KMS-encrypted secret: RDS-managed and rotated, or, for a global database, the program's, replicated", async () => {
      const result = await fixture(stack);
      const cluster = one(result, T.rdsCluster, "database-cluster");
      if (settings.disasterRecovery.enabled) {
        // A member of a global database cannot have an RDS-managed password.
        expect(cluster.inputs.manageMasterUserPassword).to.equal(undefined);
        expect(cluster.inputs.masterPassword).to.equal(undefined);
        expect(cluster.secretInputs).to.include("masterPasswordWo");
        expect(cluster.inputs.masterPasswordWoVersion).to.equal(settings.database.masterPasswordVersion);
        const secret = one(result, T.secret, "database-master");
        expect(secret.inputs.kmsKeyId).to.equal(one(result, T.kmsKey, "platform-key").state.arn);
        expect(secret.inputs.replicas).to.have.length(1);
        expect(one(result, T.secretVersion, "database-master").secretInputs).to.include("secretString");
        expect(result.outputs.dbMasterSecretArn).to.equal(secret.state.arn);
        return;
      }
      expect(cluster.inputs.manageMasterUserPassword).to.equal(true);
      expect(cluster.inputs.masterPassword).to.equal(undefined);
      expect(cluster.inputs.masterUserSecretKmsKeyId).to.equal(one(result, T.kmsKey, "platform-key").state.arn);
      const rotation = one(result, T.secretRotation, "database-master-rotation");
      expect(rotation.inputs.secretId).to.equal(cluster.state.masterUserSecrets[0].secretArn);
      expect(rotation.inputs.rotationRules.automaticallyAfterDays).to.equal(30);
      expect(rotation.inputs.rotateImmediately).to.equal(false);
    });

    it("leaves minor versions to AWS: the cluster and its instances ignore engineVersion after creation", async () => {
      const result = await fixture(stack);
      for (const r of [one(result, T.rdsCluster, "database-cluster"), ...ofType(result, T.rdsInstance)]) {
        expect(r.ignoreChanges, r.name).to.include("engineVersion");
        if (r.type === T.rdsInstance) expect(r.inputs.autoMinorVersionUpgrade, r.name).to.equal(true);
      }
    });

    it("forces TLS, enables IAM auth and exports PostgreSQL logs", async () => {
      const result = await fixture(stack);
      const cluster = one(result, T.rdsCluster, "database-cluster");
      const params = one(result, T.rdsClusterParams, "database-cluster-params");
      expect(params.inputs.family).to.equal(`aurora-postgresql${cluster.inputs.engineVersion.split(".")[0]}`);
      expect(params.inputs.parameters).to.deep.include({ name: "rds.force_ssl", value: "1" });
      expect(cluster.inputs.dbClusterParameterGroupName).to.equal(params.inputs.name);
      expect(cluster.inputs.iamDatabaseAuthenticationEnabled).to.equal(true);
      expect(cluster.inputs.enabledCloudwatchLogsExports).to.deep.equal(["postgresql"]);
      expect(one(result, T.logGroup, "database-postgresql-logs").inputs.name).to.equal(`/aws/rds/cluster/${cluster.inputs.clusterIdentifier}/postgresql`);
    });

    it("lives in the isolated subnets with a stable identifier", async () => {
      const result = await fixture(stack);
      expect(one(result, T.rdsSubnets, "database-subnets").inputs.subnetIds).to.deep.equal(isolated);
      expect(one(result, T.rdsCluster, "database-cluster").inputs.clusterIdentifier).to.equal(`platform-${stack}-aurora`);
    });

    if (prod) {
      it("has deletion protection, a final snapshot, 35-day backups and Pulumi protect", async () => {
        const result = await fixture(stack);
        const cluster = one(result, T.rdsCluster, "database-cluster");
        expect(cluster.inputs.deletionProtection).to.equal(true);
        expect(cluster.inputs.backupRetentionPeriod).to.equal(35);
        expect(cluster.inputs.skipFinalSnapshot).to.equal(false);
        expect(cluster.inputs.finalSnapshotIdentifier).to.equal("platform-prod-aurora-final");
        expect(cluster.protect).to.equal(true);
        for (const instance of ofType(result, T.rdsInstance)) expect(instance.protect, instance.name).to.equal(true);
        // Deleting the cluster keeps its automated backups; the master secret is protected too.
        expect(cluster.inputs.deleteAutomatedBackups).to.equal(false);
        const master = settings.disasterRecovery.enabled ? one(result, T.secret, "database-master") : one(result, T.secretRotation, "database-master-rotation");
        expect(master.protect).to.equal(true);
      });

      it("runs a writer and readers, every reader in another AZ than the writer", async () => {
        const result = await fixture(stack);
        const instances = ofType(result, T.rdsInstance);
        const writer = one(result, T.rdsInstance, "database-writer");
        const readers = instances.filter((i) => i !== writer);
        expect(readers).to.have.length(settings.database.readers).and.length.greaterThan(0);
        for (const reader of readers) {
          expect(reader.inputs.availabilityZone, reader.name).to.not.equal(writer.inputs.availabilityZone);
          expect(settings.availabilityZones).to.include(reader.inputs.availabilityZone);
        }
        for (const instance of instances) expect(instance.inputs.instanceClass).to.equal("db.r6g.large");
      });
    } else {
      it("is destroyable: no deletion protection, no final snapshot, short backups, not protected", async () => {
        const result = await fixture(stack);
        const cluster = one(result, T.rdsCluster, "database-cluster");
        expect(cluster.inputs.deletionProtection).to.equal(false);
        expect(cluster.inputs.skipFinalSnapshot).to.equal(true);
        expect(cluster.inputs.backupRetentionPeriod).to.equal(1);
        expect(cluster.protect).to.equal(false);
      });

      it("runs one Serverless v2 writer at minimum capacity", async () => {
        const result = await fixture(stack);
        const cluster = one(result, T.rdsCluster, "database-cluster");
        expect(cluster.inputs.serverlessv2ScalingConfiguration).to.deep.equal({ minCapacity: 0.5, maxCapacity: 2 });
        const instances = ofType(result, T.rdsInstance);
        expect(instances.map((i) => i.name)).to.deep.equal(["database-writer"]);
        expect(instances[0].inputs.instanceClass).to.equal("db.serverless");
      });
    }

    it("opens 5432 only to the user service's security group", async () => {
      const result = await fixture(stack);
      const dbSg = idOf(one(result, T.sg, "database-sg"));
      const rules = ofType(result, T.ingress).filter((r) => r.inputs.securityGroupId === dbSg);
      expect(rules).to.have.length(1);
      expect(rules[0].inputs.referencedSecurityGroupId).to.equal(idOf(one(result, T.sg, "user-svc-sg")));
      expect(rules[0].inputs).to.include({ fromPort: 5432, toPort: 5432, ipProtocol: "tcp" });
      expect(rules[0].inputs.cidrIpv4).to.equal(undefined);
      expect(one(result, T.sg, "database-sg").inputs.ingress ?? []).to.deep.equal([]);
    });
  });

  describe(`RedisCache (${stack})`, () => {
    it("encrypts at rest with the customer key and in transit", async () => {
      const result = await fixture(stack);
      const group = one(result, T.redis, "cache-group");
      expect(group.inputs.atRestEncryptionEnabled).to.equal(true);
      expect(group.inputs.transitEncryptionEnabled).to.equal(true);
      expect(group.inputs.kmsKeyId).to.equal(one(result, T.kmsKey, "platform-key").state.arn);
    });

    it("takes its AUTH token from a generated value stored in a KMS-encrypted secret", async () => {
      const result = await fixture(stack);
      const group = one(result, T.redis, "cache-group");
      const token = one(result, T.randomPassword, "cache-auth-token");
      const secret = one(result, T.secret, "cache-auth-token");
      const version = one(result, T.secretVersion, "cache-auth-token");
      expect(token.inputs.length).to.be.within(16, 128);
      for (const forbidden of ["@", '"', "/"]) expect(token.inputs.overrideSpecial).to.not.contain(forbidden);
      expect(group.inputs.authToken).to.equal(token.state.result);
      expect(version.inputs.secretString).to.equal(token.state.result);
      expect(group.secretInputs).to.include("authToken");
      expect(version.secretInputs).to.include("secretString");
      expect(version.inputs.secretId).to.equal(idOf(secret));
      expect(secret.inputs.kmsKeyId).to.equal(one(result, T.kmsKey, "platform-key").state.arn);
    });

    it(prod ? "has Multi-AZ automatic failover over distinct AZs and is protected" : "runs one node without failover", async () => {
      const result = await fixture(stack);
      const group = one(result, T.redis, "cache-group");
      expect(group.inputs.automaticFailoverEnabled).to.equal(prod);
      expect(group.inputs.multiAzEnabled).to.equal(prod);
      expect(group.inputs.numCacheClusters).to.equal(settings.cache.nodes);
      const azs: string[] = group.inputs.preferredCacheClusterAzs;
      if (prod) {
        expect(group.inputs.numCacheClusters).to.be.at.least(2);
        expect(new Set(azs.slice(0, 2)).size, "primary and first replica in different AZs").to.equal(2);
        expect(group.protect).to.equal(true);
        expect(group.inputs.finalSnapshotIdentifier).to.equal("platform-prod-cache-final");
      } else {
        expect(group.inputs.numCacheClusters).to.equal(1);
        expect(group.protect).to.equal(false);
      }
    });

    it("lives in the isolated subnets with a stable id within the 40-character limit", async () => {
      const result = await fixture(stack);
      const group = one(result, T.redis, "cache-group");
      expect(one(result, T.redisSubnets, "cache-subnets").inputs.subnetIds).to.deep.equal(isolated);
      expect(group.inputs.replicationGroupId).to.equal(`platform-${stack}-cache`);
      expect(group.inputs.replicationGroupId.length).to.be.at.most(40);
      expect(group.inputs.snapshotRetentionLimit).to.equal(prod ? 7 : 1);
    });

    it("opens 6379 only to the user service's security group", async () => {
      const result = await fixture(stack);
      const cacheSg = idOf(one(result, T.sg, "cache-sg"));
      const rules = ofType(result, T.ingress).filter((r) => r.inputs.securityGroupId === cacheSg);
      expect(rules.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort])).to.deep.equal([[idOf(one(result, T.sg, "user-svc-sg")), 6379]]);
    });
  });
}
