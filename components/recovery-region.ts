import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RetentionPolicy } from "../stacks/retention";
import { EncryptionKey, KeyUsers } from "./encryption-key";
import type { AccountContext } from "./iam";
import type { RecoveryRegionRef } from "./references";

export interface RecoveryRegionArgs {
  /** Physical name prefix, `<project>-<stack>`; the key's alias is `alias/<prefix>-dr`. */
  namePrefix: string;
  /** The DR region (`platform:disasterRecovery.region`), never the stack's own. */
  region: string;
  /** Account and partition (its region is replaced by the DR region). */
  account: pulumi.Input<AccountContext>;
  /** The stack's retention policy: the key's deletion window and `protect`. */
  retention: RetentionPolicy;
  /** Tags the region's provider applies to every resource it creates (the stack's default tags). */
  tags: Record<string, string>;
}

/** A key no AWS service uses on its own there: its policy is the account's delegation to IAM only. */
const NO_KEY_USERS: KeyUsers = { logs: false, alarmTopics: false, eventTopics: false, cloudTrail: false };

/**
 * The DR region of a stack: a provider of that region, through which every DR-region resource is
 * created, and the customer key there that encrypts every copy of the stack's data (backup copies,
 * table replicas, replicated objects and secrets). KMS keys are regional, so nothing kept in the DR
 * region depends on a key of the primary region.
 */
export class RecoveryRegion extends pulumi.ComponentResource implements RecoveryRegionRef {
  public readonly region: string;
  public readonly provider: pulumi.ProviderResource;
  public readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: RecoveryRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:recovery:RecoveryRegion", name, {}, opts);
    this.region = args.region;
    this.provider = new aws.Provider(name, { region: args.region, defaultTags: { tags: args.tags } }, { parent: this });
    const key = new EncryptionKey(
      name,
      {
        namePrefix: args.namePrefix,
        purpose: "dr",
        protects: "copies of the data kept in the DR region (backup copies, replicas, replicated objects and secrets)",
        retention: args.retention,
        account: pulumi.output(args.account).apply((a) => ({ ...a, region: args.region })),
        usedBy: NO_KEY_USERS,
      },
      { parent: this, provider: this.provider },
    );
    this.kmsKeyArn = key.arn;
    this.registerOutputs({ region: this.region, kmsKeyArn: this.kmsKeyArn });
  }
}

/**
 * The `replicas` of a secret whose value the DR region needs: one in that region, encrypted with its
 * key (a replica's key must be a key of the replica's region). Secrets Manager keeps the replica's
 * value equal to the primary's, rotations included; removing the entry deletes the replica.
 */
export function secretReplicas(recovery: RecoveryRegionRef | undefined): aws.types.input.secretsmanager.SecretReplica[] | undefined {
  return recovery ? [{ region: recovery.region, kmsKeyId: recovery.kmsKeyArn }] : undefined;
}
