import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RetentionPolicy } from "../stacks/retention";
import { abortsIncompleteUploads } from "../policies/rules/bucket-lifecycle";
import { policyDocument, PolicyStatement } from "./iam";

export interface PrivateBucketArgs {
  /** `BucketOwnerEnforced` (ACLs off) unless a log-delivery service still writes through ACLs. */
  objectOwnership: "BucketOwnerEnforced" | "BucketOwnerPreferred";
  /** SSE-KMS with this key; SSE-S3 when absent (ALB access logs accept only SSE-S3). */
  kmsKeyArn?: pulumi.Input<string>;
  /** The stack's retention policy: `forceDestroy` lets a delete empty the bucket; `retainOnDelete` leaves it and its objects in the account. */
  retention: RetentionPolicy;
  /**
   * Lifecycle rules (expiry, cheaper storage classes). Default none; a rule aborting incomplete
   * multipart uploads after `ABORT_INCOMPLETE_UPLOAD_DAYS` is added unless one of them does so.
   */
  lifecycleRules?: aws.types.input.s3.BucketLifecycleConfigurationRule[];
}

/** Days after which an unfinished multipart upload is aborted: its parts are billed but no object shows them. */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

/**
 * The bucket's lifecycle rules: `rules`, plus a whole-bucket rule aborting incomplete multipart
 * uploads unless one of `rules` already does (the policy pack's s3-lifecycle rule).
 */
export function bucketLifecycleRules(rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = []): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  if (rules.some(abortsIncompleteUploads)) return rules;
  return [
    ...rules,
    {
      id: "abort-incomplete-uploads",
      status: "Enabled",
      filter: { prefix: "" },
      abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS },
    },
  ];
}

/** The statement every bucket policy starts with: refuse any request not made over TLS. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: { AWS: "*" },
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * An S3 bucket with the secure defaults every bucket here shares: all public access blocked,
 * ownership controls, default encryption, versioning, a lifecycle (at least aborting incomplete
 * uploads), and (via `attachPolicy`) a bucket policy that always denies plain HTTP. Written once so no bucket can miss one of them.
 */
export class PrivateBucket extends pulumi.ComponentResource {
  /** The bucket resource (id, arn, domain names). */
  public readonly bucket: aws.s3.Bucket;
  /**
   * The last of the bucket's configuration resources (its lifecycle, after versioning): anything
   * else that configures the bucket (its policy, replication) waits for it, as S3 refuses
   * concurrent configuration writes on one bucket.
   */
  public readonly configured: pulumi.Resource;
  private readonly resourceName: string;

  constructor(name: string, args: PrivateBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:storage:PrivateBucket", name, {}, opts);
    this.resourceName = name;
    const bucket = new aws.s3.Bucket(name, { forceDestroy: args.retention.forceDestroy }, { parent: this, retainOnDelete: args.retention.retainOnDelete });
    // S3 answers OperationAborted (409) to concurrent configuration writes on one new bucket, so
    // each setting waits for the one before it (the policy, last, waits for all of them).
    const after = (previous: pulumi.Resource) => ({ parent: this, dependsOn: [previous] });
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      name,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      { parent: this },
    );
    const ownershipControls = new aws.s3.BucketOwnershipControls(
      name,
      { bucket: bucket.id, rule: { objectOwnership: args.objectOwnership } },
      after(publicAccess),
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
      name,
      {
        bucket: bucket.id,
        rules: [
          args.kmsKeyArn
            ? // A bucket key cuts KMS calls; it applies to SSE-KMS only.
              { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }
            : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ],
      },
      after(ownershipControls),
    );
    const versioning = new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, after(encryption));
    this.configured = new aws.s3.BucketLifecycleConfiguration(name, { bucket: bucket.id, rules: bucketLifecycleRules(args.lifecycleRules) }, after(versioning));

    this.bucket = bucket;
    this.registerOutputs({ bucketName: bucket.bucket, arn: bucket.arn });
  }

  /**
   * Attaches the bucket policy: deny plain HTTP, then `statements` (built from the bucket's ARN).
   * It waits for the bucket's settings and for `after` (other writes to the bucket's configuration,
   * such as its replication), since S3 refuses concurrent configuration writes on one bucket.
   */
  attachPolicy(statements: (bucketArn: string) => pulumi.Input<PolicyStatement[]>, after: pulumi.Resource[] = []): aws.s3.BucketPolicy {
    return new aws.s3.BucketPolicy(
      this.resourceName,
      {
        bucket: this.bucket.id,
        policy: this.bucket.arn.apply((arn) =>
          pulumi.output(statements(arn)).apply((extra) => JSON.stringify(policyDocument([denyInsecureTransport(arn), ...(extra as PolicyStatement[])]))),
        ),
      },
      { parent: this, dependsOn: [this.configured, ...after] },
    );
  }
}
