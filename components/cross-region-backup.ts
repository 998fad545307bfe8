import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DisasterRecoverySettings } from "../stacks/sections/disaster-recovery";
import type { RetentionPolicy } from "../stacks/retention";
import { AccountContext, RoleScope, serviceTrustPolicy } from "./iam";
import type { RecoveryRegionRef } from "./references";

export interface CrossRegionBackupArgs {
  /** Where its IAM role lives and what caps it (the stack's path and boundary). */
  roles: RoleScope;
  /** Physical name prefix, `<project>-<stack>`; both vaults are `<prefix>-backups`. */
  namePrefix: string;
  /** Schedule, retention and the DR region (`platform:disasterRecovery`). */
  settings: DisasterRecoverySettings;
  /** The stack's retention policy: `protect` and `forceDestroy` (recovery points deleted first) of the vaults. */
  retention: RetentionPolicy;
  /** Account and primary region. */
  account: pulumi.Input<AccountContext>;
  /** Customer key of the primary region: encrypts the primary vault. */
  kmsKeyArn: pulumi.Input<string>;
  /** The DR region: its provider creates the DR vault, its key encrypts it (and so every copy). */
  recovery: RecoveryRegionRef;
  /** ARNs of what to back up: the Aurora cluster, the DynamoDB tables, the file system. */
  resources: pulumi.Input<string>[];
  /** Regional alert topic: a backup or copy job that fails, aborts or expires is reported there. */
  alertTopicArn: pulumi.Input<string>;
}

/** AWS Backup's managed policies for the role it runs as (backup and restore). */
export const BACKUP_ROLE_POLICIES = ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"] as const;

/**
 * Backup and copy jobs that did not complete (AWS Backup developer guide, "Monitoring AWS Backup
 * events using Amazon EventBridge": `Backup Job State Change` and `Copy Job State Change`, whose
 * `state` ends COMPLETED, or FAILED, ABORTED or EXPIRED), of this account. A copy that fails to
 * reach the DR region is otherwise silent: its source backup still completes.
 */
export function jobFailurePattern(accountId: string): object {
  return {
    source: ["aws.backup"],
    account: [accountId],
    "detail-type": ["Backup Job State Change", "Copy Job State Change"],
    detail: { state: ["FAILED", "ABORTED", "EXPIRED"] },
  };
}

/** Vault name: AWS allows 2-50 letters, digits, hyphens and underscores. */
export const backupVaultName = (namePrefix: string) => `${namePrefix}-backups`;

/**
 * The daily rule: a backup kept `backupRetentionDays` in the primary vault and copied to the DR
 * vault, kept as long there. Windows are set explicitly (the provider's defaults, 60 and 180
 * minutes, are not AWS's): an hour to start, twelve hours to finish, which covers an Aurora snapshot
 * and its cross-region copy.
 */
export function dailyRule(settings: DisasterRecoverySettings, vaultName: string, drVaultArn: string): aws.types.input.backup.PlanRule {
  const lifecycle = { deleteAfter: settings.backupRetentionDays };
  return {
    ruleName: "daily-copied-to-dr",
    targetVaultName: vaultName,
    schedule: settings.backupSchedule,
    startWindow: 60,
    completionWindow: 720,
    lifecycle,
    copyActions: [{ destinationVaultArn: drVaultArn, lifecycle }],
  };
}

/**
 * Backups that survive the region: AWS Backup takes a daily backup of the data tier into a vault
 * here and copies it to a vault in the DR region, each encrypted with a customer key of its own
 * region (a cross-region copy is encrypted with the destination vault's key). The backup role has
 * AWS's managed backup and restore policies; both keys delegate to IAM, so that role's KMS rights
 * are what applies. Vaults are protected in a retained stack and emptied on destroy otherwise.
 */
export class CrossRegionBackup extends pulumi.ComponentResource {
  /** ARN of the vault in the primary region. */
  public readonly vaultArn: pulumi.Output<string>;
  /** ARN of the vault in the DR region, where every backup is copied. */
  public readonly drVaultArn: pulumi.Output<string>;
  /** The backup plan's id. */
  public readonly planId: pulumi.Output<string>;

  constructor(name: string, args: CrossRegionBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:CrossRegionBackup", name, {}, opts);
    const vaultName = backupVaultName(args.namePrefix);
    const { protect, forceDestroy } = args.retention;
    const vaultOptions = { parent: this, protect };
    const vault = new aws.backup.Vault(`${name}-vault`, { name: vaultName, kmsKeyArn: args.kmsKeyArn, forceDestroy }, vaultOptions);
    const drVault = new aws.backup.Vault(
      `${name}-dr-vault`,
      { name: vaultName, kmsKeyArn: args.recovery.kmsKeyArn, forceDestroy },
      { ...vaultOptions, provider: args.recovery.provider },
    );

    const account = pulumi.output(args.account);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `AWS Backup of ${args.namePrefix}`,
        ...args.roles,
        assumeRolePolicy: account.apply((a) => JSON.stringify(serviceTrustPolicy("backup.amazonaws.com", a.accountId))),
      },
      { parent: this },
    );
    const attachments = BACKUP_ROLE_POLICIES.map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-${policy}`,
          { role: role.name, policyArn: account.apply((a) => `arn:${a.partition}:iam::aws:policy/service-role/${policy}`) },
          { parent: this },
        ),
    );

    const plan = new aws.backup.Plan(
      `${name}-plan`,
      { name: `${args.namePrefix}-daily`, rules: [drVault.arn.apply((drArn) => dailyRule(args.settings, vaultName, drArn))] },
      { parent: this, dependsOn: [vault] },
    );
    new aws.backup.Selection(
      `${name}-selection`,
      { name: `${args.namePrefix}-data`, planId: plan.id, iamRoleArn: role.arn, resources: args.resources },
      // AWS Backup must be able to assume the role with its policies when the selection is created.
      { parent: this, dependsOn: attachments },
    );

    const failures = new aws.cloudwatch.EventRule(
      `${name}-job-failures`,
      {
        description: `AWS Backup jobs of ${args.namePrefix} that failed, aborted or expired, copies to the DR region included`,
        eventPattern: account.apply((a) => JSON.stringify(jobFailurePattern(a.accountId))),
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(`${name}-job-failures`, { rule: failures.name, arn: args.alertTopicArn }, { parent: this });

    this.vaultArn = vault.arn;
    this.drVaultArn = drVault.arn;
    this.planId = plan.id;
    this.registerOutputs({ vaultArn: this.vaultArn, drVaultArn: this.drVaultArn, planId: this.planId });
  }
}
