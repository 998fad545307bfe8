/**
 * Backups that survive the region (`platform:disasterRecovery`): AWS Backup copies every backup of
 * the data tier to a vault in the DR region, each vault encrypted with a key of its own region.
 */
import { expect } from "chai";
import { BACKUP_ROLE_POLICIES, backupVaultName, dailyRule, jobFailurePattern } from "../components/cross-region-backup";
import { DISASTER_RECOVERY_DEFAULTS } from "../stacks/sections/disaster-recovery";
import { SynthResult } from "../tools/harness";
import { expectProblemAt } from "./config-helpers";
import { fixture, fixtureSettings, ofType, one, T } from "./helpers";

describe("cross-region backup", () => {
  describe("prod", () => {
    let prod: SynthResult;
    const settings = () => fixtureSettings("prod");
    before(async () => {
      prod = await fixture("prod");
    });

    it("has a vault in each region, both protected, each encrypted with a customer key of its own region", () => {
      const dr = settings().disasterRecovery;
      const vaults = ofType(prod, T.backupVault);
      expect(vaults.map((v) => v.region).sort()).to.deep.equal([dr.region, settings().region].sort());
      for (const vault of vaults) {
        expect(vault.protect, vault.name).to.equal(true);
        expect(vault.inputs.forceDestroy, vault.name).to.equal(false);
        expect(vault.inputs.name).to.equal(backupVaultName(settings().namePrefix));
        const key = ofType(prod, T.kmsKey).find((k) => k.state.arn === vault.inputs.kmsKeyArn);
        expect(key, `${vault.name}: its key is a key of this stack`).to.not.equal(undefined);
        expect(key!.region, `${vault.name}: key region`).to.equal(vault.region);
      }
    });

    it("copies the daily backup to the DR vault, kept 35 days in both", () => {
      const plan = one(prod, T.backupPlan, "backup-plan");
      const drVault = ofType(prod, T.backupVault).find((v) => v.region === settings().disasterRecovery.region)!;
      const [rule] = plan.inputs.rules;
      expect(rule).to.deep.include({ schedule: settings().disasterRecovery.backupSchedule, startWindow: 60, completionWindow: 720 });
      expect(rule.lifecycle.deleteAfter).to.be.at.least(35);
      expect(rule.copyActions).to.deep.equal([{ destinationVaultArn: drVault.state.arn, lifecycle: { deleteAfter: rule.lifecycle.deleteAfter } }]);
      expect(rule.targetVaultName).to.equal(ofType(prod, T.backupVault).find((v) => v.region === plan.region)!.inputs.name);
    });

    it("selects every data store: the Aurora cluster, every table and the file system", () => {
      const selection = one(prod, T.backupSelection, "backup-selection");
      const stores = [T.rdsCluster, "aws:dynamodb/table:Table", "aws:efs/fileSystem:FileSystem"].flatMap((t) => ofType(prod, t).map((r) => r.state.arn));
      expect(stores.length).to.equal(1 + settings().tables.length + 1);
      expect([...selection.inputs.resources].sort()).to.deep.equal(stores.sort());
    });

    it("runs as a role AWS Backup assumes, with AWS's backup and restore policies, under the stack's path", () => {
      const selection = one(prod, T.backupSelection, "backup-selection");
      const role = ofType(prod, T.role).find((r) => r.state.arn === selection.inputs.iamRoleArn)!;
      expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({ Service: "backup.amazonaws.com" });
      expect(role.inputs.path).to.equal(settings().iam.path);
      const attached = ofType(prod, T.rolePolicyAttachment).filter((a) => a.inputs.role === role.state.name);
      expect(attached.map((a) => a.inputs.policyArn).sort()).to.deep.equal(BACKUP_ROLE_POLICIES.map((p) => `arn:aws:iam::aws:policy/service-role/${p}`).sort());
    });

    it("keeps the DR key in the DR region, protected, with an alias naming its purpose", () => {
      const dr = settings().disasterRecovery.region;
      const key = ofType(prod, T.kmsKey).find((k) => k.region === dr)!;
      expect(key.protect).to.equal(true);
      expect(ofType(prod, T.kmsAlias).find((a) => a.region === dr)?.inputs.name).to.equal(`alias/${settings().namePrefix}-dr`);
    });
  });

  it("dev has no DR region and no backup plan", async () => {
    const dev = await fixture("dev");
    expect(fixtureSettings("dev").disasterRecovery.enabled).to.equal(false);
    expect(ofType(dev, T.backupVault)).to.deep.equal([]);
    expect(ofType(dev, T.backupPlan)).to.deep.equal([]);
  });

  it("the daily rule keeps the same retention in both vaults, with explicit windows", () => {
    const rule = dailyRule({ ...DISASTER_RECOVERY_DEFAULTS.prod, backupRetentionDays: 40 }, "v", "arn:dr");
    expect(rule).to.deep.equal({
      ruleName: "daily-copied-to-dr",
      targetVaultName: "v",
      schedule: "cron(0 3 * * ? *)",
      startWindow: 60,
      completionWindow: 720,
      lifecycle: { deleteAfter: 40 },
      copyActions: [{ destinationVaultArn: "arn:dr", lifecycle: { deleteAfter: 40 } }],
    });
  });

  describe("config", () => {
    it("prod must keep a DR region", () => {
      expectProblemAt("prod", { "platform:disasterRecovery": { enabled: false } }, "platform:disasterRecovery.enabled", false, "prod keeps a DR region");
    });
    it("dev may not have one", () => {
      expectProblemAt("dev", { "platform:disasterRecovery": { enabled: true } }, "platform:disasterRecovery.enabled", true, "dev has no DR region");
    });
    it("the DR region is another region", () => {
      expectProblemAt(
        "prod",
        { "platform:disasterRecovery": { region: "eu-west-1" } },
        "platform:disasterRecovery.region",
        "eu-west-1",
        "another region than aws:region",
      );
    });
    it("prod keeps 35 days in both vaults", () => {
      expectProblemAt(
        "prod",
        { "platform:disasterRecovery": { backupRetentionDays: 14 } },
        "platform:disasterRecovery.backupRetentionDays",
        14,
        "prod keeps 35 days",
      );
    });
    it("the schedule is AWS Backup's six-field cron", () => {
      expectProblemAt(
        "prod",
        { "platform:disasterRecovery": { backupSchedule: "cron(0 3 * * *)" } },
        "platform:disasterRecovery.backupSchedule",
        "cron(0 3 * * *)",
        "six fields",
      );
    });
  });
});

describe("cross-region backup alerts", () => {
  it("reports every backup or copy job that failed, aborted or expired to the regional alert topic", async () => {
    const prod = await fixture("prod");
    const rule = one(prod, T.eventRule, "backup-job-failures");
    expect(JSON.parse(rule.inputs.eventPattern)).to.deep.equal(jobFailurePattern("123456789012"));
    const target = ofType(prod, T.eventTarget).find((t) => t.inputs.rule === rule.state.name)!;
    expect(target.inputs.arn).to.equal(one(prod, T.topic, "observability-alerts").state.arn);
  });
});
