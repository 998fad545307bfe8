import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountContext, policyDocument, PolicyDocument } from "./iam";

export interface EncryptionKeyArgs {
  /** Physical name prefix, `<project>-<stack>`; the alias is `alias/<prefix>-<purpose>`. */
  namePrefix: string;
  /** What the key protects, used in the alias and description, e.g. `data`. */
  purpose: string;
  /** Account, partition and region the key lives in. */
  account: pulumi.Input<AccountContext>;
  /** Days AWS waits before deleting the key once scheduled (7-30); prod uses 30. */
  deletionWindowDays: number;
  /** Pulumi `protect`: the key cannot be deleted by a `pulumi up` (prod). */
  protect: boolean;
}

/**
 * Key policy: the account root delegates to IAM (so roles need explicit kms: grants, as the default
 * policy intends); CloudWatch Logs in this region may use the key for this account's log groups;
 * CloudWatch alarms and EventBridge may publish to topics it encrypts; CloudTrail may encrypt this
 * account's trail logs. The default key policy allows none of these services. Key policies must
 * use Resource "*" (it means "this key").
 */
export function dataKeyPolicy(account: AccountContext): PolicyDocument {
  const { accountId, partition, region } = account;
  return policyDocument([
    {
      Sid: "AccountRootDelegatesToIam",
      Effect: "Allow",
      Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "CloudWatchLogsForThisAccount",
      Effect: "Allow",
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: {
        ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:*` },
      },
    },
    {
      Sid: "AlarmsAndEventsPublishToEncryptedTopics",
      Effect: "Allow",
      Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
    {
      Sid: "CloudTrailEncryptsThisAccountsTrails",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${partition}:cloudtrail:*:${accountId}:trail/*` },
      },
    },
    {
      Sid: "CloudTrailDescribesKey",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ]);
}

/**
 * A customer-managed, symmetric KMS key with yearly automatic rotation, shared by the data tier
 * (Aurora, Redis, Performance Insights), secrets and log groups of one stack. One key per stack
 * keeps the key policy and grants in one place; split per tier if compliance asks for it.
 */
export class EncryptionKey extends pulumi.ComponentResource {
  /** The key's ARN, for `kmsKeyId` arguments and IAM statements. */
  public readonly arn: pulumi.Output<string>;
  /** The key id. */
  public readonly keyId: pulumi.Output<string>;
  /** The alias name, `alias/<prefix>-<purpose>`. */
  public readonly aliasName: pulumi.Output<string>;

  constructor(name: string, args: EncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:security:EncryptionKey", name, {}, opts);

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `${args.namePrefix} ${args.purpose}: data tier, secrets and logs`,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: args.deletionWindowDays,
        policy: pulumi.output(args.account).apply((a) => JSON.stringify(dataKeyPolicy(a))),
      },
      { parent: this, protect: args.protect },
    );
    const alias = new aws.kms.Alias(`${name}-alias`, { name: `alias/${args.namePrefix}-${args.purpose}`, targetKeyId: key.keyId }, { parent: this });

    this.arn = key.arn;
    this.keyId = key.keyId;
    this.aliasName = alias.name;
    this.registerOutputs({ arn: this.arn, keyId: this.keyId, aliasName: this.aliasName });
  }
}
