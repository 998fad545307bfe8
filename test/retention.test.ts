/**
 * The retention policy: one named policy per stack decides what deleting, replacing or changing a
 * resource that holds data does, and every such resource of every stack file follows it.
 */
import { expect } from "chai";
import { RETENTION_POLICIES } from "../stacks/retention";
import { expectProblemAt, resolveWith } from "./config-helpers";
import { ofType, settingsOf, STACKS, synth, T } from "./helpers";

describe("retention policies", () => {
  it("retain keeps every byte and destroy leaves nothing behind", () => {
    const { retain, destroy } = RETENTION_POLICIES;
    expect(retain).to.deep.include({ protect: true, retainOnDelete: true, deletionProtection: true, finalSnapshot: true, forceDestroy: false });
    expect(destroy).to.deep.include({ protect: false, retainOnDelete: false, deletionProtection: false, finalSnapshot: false, forceDestroy: true });
    // AWS's ranges: Secrets Manager recovery window 7-30 days or 0 (ForceDeleteWithoutRecovery), KMS 7-30.
    for (const policy of Object.values(RETENTION_POLICIES)) {
      expect(policy.secretRecoveryDays === 0 || (policy.secretRecoveryDays >= 7 && policy.secretRecoveryDays <= 30)).to.equal(true);
      expect(policy.keyDeletionDays).to.be.within(7, 30);
      expect(Object.isFrozen(policy)).to.equal(true);
    }
  });

  it("is picked by platform:retentionPolicy, and prod may only retain", () => {
    expect(resolveWith("dev", { "platform:retentionPolicy": "retain" }).retention).to.equal(RETENTION_POLICIES.retain);
    expectProblemAt("prod", { "platform:retentionPolicy": "destroy" }, "platform:retentionPolicy", "destroy", "prod keeps its data: retain");
    expectProblemAt("dev", { "platform:retentionPolicy": "keep" }, "platform:retentionPolicy", "keep", "must be one of retain, destroy");
  });
});

for (const stack of STACKS) {
  describe(`retention (${stack})`, () => {
    const policy = settingsOf(stack).retention;

    it(`follows the ${policy.name} policy on every resource that holds data`, async () => {
      const result = await synth(stack);
      const stores = [T.rdsCluster, T.rdsInstance, T.redis, T.table, T.fileSystem, T.kmsKey, T.userPool].flatMap((type) => ofType(result, type));
      expect(stores.length).to.be.greaterThan(5);
      for (const store of stores) expect(store.protect, `${store.type} ${store.name} protect`).to.equal(policy.protect);

      for (const cluster of ofType(result, T.rdsCluster)) {
        expect(cluster.inputs.deletionProtection).to.equal(policy.deletionProtection);
        expect(cluster.inputs.skipFinalSnapshot).to.equal(!policy.finalSnapshot);
        expect(cluster.inputs.deleteAutomatedBackups).to.equal(!policy.finalSnapshot);
        expect(cluster.inputs.applyImmediately).to.equal(policy.applyImmediately);
      }
      for (const group of ofType(result, T.redis)) {
        expect(group.inputs.finalSnapshotIdentifier !== undefined, group.name).to.equal(policy.finalSnapshot);
        expect(group.inputs.applyImmediately).to.equal(policy.applyImmediately);
      }
      for (const table of ofType(result, T.table)) expect(table.inputs.deletionProtectionEnabled, table.name).to.equal(policy.deletionProtection);
      for (const pool of ofType(result, T.userPool)) expect(pool.inputs.deletionProtection).to.equal(policy.deletionProtection ? "ACTIVE" : "INACTIVE");
      for (const alb of ofType(result, T.loadBalancer)) expect(alb.inputs.enableDeletionProtection).to.equal(policy.deletionProtection);
      for (const key of ofType(result, T.kmsKey)) expect(key.inputs.deletionWindowInDays, key.name).to.equal(policy.keyDeletionDays);
      for (const secret of ofType(result, T.secret)) expect(secret.inputs.recoveryWindowInDays, secret.name).to.equal(policy.secretRecoveryDays);
    });

    it(`${policy.retainOnDelete ? "leaves" : "empties and deletes"} buckets and image repositories on delete`, async () => {
      const result = await synth(stack);
      const holders = [...ofType(result, T.bucket), ...ofType(result, "aws:ecr/repository:Repository")];
      // A standby has one bucket (its ALB logs); its images are the primary's twin repositories.
      expect(holders.length).to.be.greaterThan(settingsOf(stack).standby ? 0 : 2);
      for (const holder of holders) {
        expect(holder.retainOnDelete, `${holder.name} retainOnDelete`).to.equal(policy.retainOnDelete);
        expect(holder.inputs.forceDestroy ?? holder.inputs.forceDelete, `${holder.name} force`).to.equal(policy.forceDestroy);
      }
    });
  });
}
