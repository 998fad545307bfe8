import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RetentionPolicy } from "../stacks/retention";
import { AccountContext, policyDocument, PolicyDocument, PolicyStatement } from "./iam";

export interface EncryptionKeyArgs {
  /** Physical name prefix, `<project>-<stack>`; the alias is `alias/<prefix>-<purpose>`. */
  namePrefix: string;
  /** What the key is for, in the alias, e.g. `data`. */
  purpose: string;
  /** What it encrypts, in the key's description, e.g. `data tier, secrets and logs`. */
  protects: string;
  /** Account, partition and region the key lives in. */
  account: pulumi.Input<AccountContext>;
  /** The stack's retention policy: the deletion waiting period and Pulumi `protect`. */
  retention: RetentionPolicy;
  /** The services that use the key on their own; the key policy admits exactly these. */
  usedBy: KeyUsers;
}

/** The AWS services that use a key on their own (not through a caller's IAM permission). */
export interface KeyUsers {
  /** CloudWatch Logs encrypts log groups with it. */
  readonly logs: boolean;
  /** CloudWatch alarms publish to topics it encrypts. */
  readonly alarmTopics: boolean;
  /** EventBridge rules deliver to topics it encrypts. */
  readonly eventTopics: boolean;
  /** CloudTrail encrypts the trail's log files with it. */
  readonly cloudTrail: boolean;
  /** SES publishes a configuration set's events (bounces, complaints) to a topic it encrypts. Default: false. */
  readonly emailEvents?: boolean;
  /** S3 sends a bucket's event notifications to a queue it encrypts. Default: false. */
  readonly bucketNotifications?: boolean;
}

/**
 * Key policy: the account root delegates to IAM (so roles need explicit kms: grants, as the default
 * policy intends), plus a statement for each service in `users`, and none for the others: the
 * default key policy allows none of these services, and a statement for a service that does not use
 * the key would be a grant nobody needs. Key policies must use Resource "*" (it means "this key").
 * - CloudWatch Logs in this region, for this account's log groups (encryption context);
 * - CloudWatch alarms publishing to topics it encrypts: their requests carry aws:SourceAccount and
 *   aws:SourceArn (the alarm);
 * - EventBridge delivering to topics it encrypts: its KMS requests carry neither (SNS developer
 *   guide, "Key management": those keys are not supported for EventBridge-to-encrypted topics), so
 *   a condition on them would drop every event silently;
 * - CloudTrail encrypting this account's trails (encryption context), describing the key, and
 *   decrypting because the trail bucket uses an S3 Bucket Key (CloudTrail user guide: such a trail
 *   needs kms:Decrypt to be created or updated).
 */
export function dataKeyPolicy(account: AccountContext, users: KeyUsers): PolicyDocument {
  const { accountId, partition, region } = account;
  const thisAccount = { "aws:SourceAccount": accountId };
  const statements: PolicyStatement[] = [
    {
      Sid: "AccountRootDelegatesToIam",
      Effect: "Allow",
      Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ];
  if (users.logs) {
    statements.push({
      Sid: "CloudWatchLogsForThisAccount",
      Effect: "Allow",
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:*` } },
    });
  }
  if (users.alarmTopics) {
    statements.push({
      Sid: "AlarmsPublishToEncryptedTopics",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: thisAccount, ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*` } },
    });
  }
  if (users.eventTopics) {
    statements.push({
      Sid: "EventBridgePublishesToEncryptedTopics",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
    });
  }
  if (users.emailEvents) {
    // SES publishes as itself, for this account's configuration sets (SES developer guide, "Event
    // destinations: Amazon SNS", encrypted topics). Like EventBridge's, its KMS requests are not
    // documented to carry aws:SourceAccount, so a condition could drop every event silently; the
    // topic's own policy pins the account and the configuration sets.
    statements.push({
      Sid: "SesPublishesToEncryptedTopics",
      Effect: "Allow",
      Principal: { Service: "ses.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
    });
  }
  if (users.bucketNotifications) {
    // S3 encrypts the notifications it sends to a queue this key encrypts (S3 user guide, "Event
    // notifications: encrypted destinations"), as itself, for this account's buckets.
    statements.push({
      Sid: "S3NotifiesEncryptedQueues",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: thisAccount },
    });
  }
  if (users.cloudTrail) {
    const trails = `arn:${partition}:cloudtrail:*:${accountId}:trail/*`;
    statements.push(
      {
        Sid: "CloudTrailEncryptsThisAccountsTrails",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "kms:GenerateDataKey*",
        Resource: "*",
        Condition: { StringEquals: thisAccount, StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": trails } },
      },
      {
        Sid: "CloudTrailDescribesKeyAndUsesBucketKey",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: ["kms:DescribeKey", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: thisAccount, ArnLike: { "aws:SourceArn": trails } },
      },
    );
  }
  return policyDocument(statements);
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
        description: `${args.namePrefix} ${args.purpose}: ${args.protects}`,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: args.retention.keyDeletionDays,
        policy: pulumi.output(args.account).apply((a) => JSON.stringify(dataKeyPolicy(a, args.usedBy))),
      },
      { parent: this, protect: args.retention.protect },
    );
    const alias = new aws.kms.Alias(`${name}-alias`, { name: `alias/${args.namePrefix}-${args.purpose}`, targetKeyId: key.keyId }, { parent: this });

    this.arn = key.arn;
    this.keyId = key.keyId;
    this.aliasName = alias.name;
    this.registerOutputs({ arn: this.arn, keyId: this.keyId, aliasName: this.aliasName });
  }
}
