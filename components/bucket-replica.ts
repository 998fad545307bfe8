import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RetentionPolicy } from "../stacks/retention";
import { AccountContext, policyDocument, PolicyStatement, RoleScope, serviceTrustPolicy } from "./iam";
import { PrivateBucket } from "./private-bucket";
import type { RecoveryRegionRef } from "./references";

export interface BucketReplicaArgs {
  /** Where its IAM role lives and what caps it (the stack's path and boundary). */
  roles: RoleScope;
  /** Physical name prefix, `<project>-<stack>`, for descriptions. */
  namePrefix: string;
  /** The bucket to replicate (versioned, SSE-S3: every PrivateBucket without a key). */
  source: PrivateBucket;
  /** The DR region, through whose provider the replica bucket is created. */
  recovery: RecoveryRegionRef;
  /** The stack's retention policy, for the replica bucket like its source. */
  retention: RetentionPolicy;
  /** Account (the role's trust is pinned to it). */
  account: pulumi.Input<AccountContext>;
  /**
   * The caller attaches the replica's policy itself (`replica.attachPolicy`), e.g. to let a
   * CloudFront distribution created after this component read it. Default: a policy that only
   * denies plain HTTP.
   */
  callerAttachesPolicy?: boolean;
}

/**
 * The replication role's permissions, AWS's documented minimum (S3 user guide, "Setting up
 * permissions for live replication"): read the replication configuration and list the source, read
 * each object version for replication with its ACL and tags, and replicate objects, deletes and
 * tags into the replica. No KMS: both buckets use SSE-S3, and replicas of SSE-S3 objects are SSE-S3.
 */
export function replicationStatements(sourceArn: string, replicaArn: string): PolicyStatement[] {
  return [
    { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: sourceArn },
    {
      Sid: "ReadSourceVersions",
      Effect: "Allow",
      Action: ["s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging"],
      Resource: `${sourceArn}/*`,
    },
    { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"], Resource: `${replicaArn}/*` },
  ];
}

/**
 * The one replication rule: every object (an empty filter makes it a V2 rule, which must then say
 * whether delete markers replicate: they do, so a deleted asset disappears in the DR region too),
 * into the replica bucket in the Standard class, with replication metrics on (S3 publishes
 * OperationsFailedReplication and the pending counts for the rule; an alarm watches the failures).
 */
export function replicationRule(replicaArn: string): aws.types.input.s3.BucketReplicationConfigRule {
  return {
    id: REPLICATION_RULE_ID,
    status: "Enabled",
    priority: 0,
    filter: {},
    deleteMarkerReplication: { status: "Enabled" },
    // Replication metrics (without Replication Time Control): pending and failed operations, per rule.
    destination: { bucket: replicaArn, storageClass: "STANDARD", metrics: { status: "Enabled" } },
  };
}

/** The id of the one replication rule (its metrics are published under it). */
export const REPLICATION_RULE_ID = "to-dr-region";

/**
 * A live replica of a bucket in the DR region: a PrivateBucket there (the same secure defaults,
 * versioning included, which replication requires on both sides), a role S3 assumes for this
 * source only (aws:SourceAccount and aws:SourceArn, which S3 sends), and the replication
 * configuration, created after both buckets are versioned (S3 refuses it before). Objects written
 * before the configuration existed are not replicated: in a new stack the program's own objects wait
 * for it, but adding a DR region to a deployed stack needs one S3 Batch Replication job for what is
 * already in the bucket (CHANGELOG). Later uploads replicate.
 */
export class BucketReplica extends pulumi.ComponentResource {
  /** The replica bucket in the DR region. */
  public readonly replica: PrivateBucket;
  /** The replication configuration: objects written after it are replicated. */
  public readonly configuration: aws.s3.BucketReplicationConfig;
  /** What the replication metrics are published under: source and replica bucket names and the rule. */
  public readonly metrics: { sourceBucket: pulumi.Output<string>; destinationBucket: pulumi.Output<string>; ruleId: string };

  constructor(name: string, args: BucketReplicaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:storage:BucketReplica", name, {}, opts);
    const replica = new PrivateBucket(
      name,
      { objectOwnership: "BucketOwnerEnforced", retention: args.retention },
      { parent: this, provider: args.recovery.provider },
    );
    if (!args.callerAttachesPolicy) replica.attachPolicy(() => []);
    const source = args.source.bucket;
    const role = new aws.iam.Role(
      `${name}-replication`,
      {
        description: `S3 replication of a bucket of ${args.namePrefix} to ${args.recovery.region}`,
        ...args.roles,
        assumeRolePolicy: pulumi.all([args.account, source.arn]).apply(([a, sourceArn]) => {
          const trust = serviceTrustPolicy("s3.amazonaws.com", a.accountId);
          trust.Statement[0].Condition = { ...trust.Statement[0].Condition, ArnLike: { "aws:SourceArn": sourceArn } };
          return JSON.stringify(trust);
        }),
      },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-replication`,
      { role: role.id, policy: pulumi.all([source.arn, replica.bucket.arn]).apply(([s, r]) => JSON.stringify(policyDocument(replicationStatements(s, r)))) },
      { parent: this },
    );
    this.configuration = new aws.s3.BucketReplicationConfig(
      name,
      { bucket: source.id, role: role.arn, rules: [replica.bucket.arn.apply(replicationRule)] },
      // After both buckets' settings (versioning first): S3 refuses concurrent configuration writes.
      { parent: this, dependsOn: [args.source.configured, replica.configured, policy] },
    );
    this.replica = replica;
    this.metrics = { sourceBucket: source.bucket, destinationBucket: replica.bucket.bucket, ruleId: REPLICATION_RULE_ID };
    this.registerOutputs({ replicaBucket: replica.bucket.bucket });
  }
}
