import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ImagesSettings } from "../stacks/settings";
import type { RetentionPolicy } from "../stacks/retention";
import type { AccessGrant, Grantable } from "./access";
import type { PolicyStatement } from "./iam";
import type { MessageQueue } from "./message-queue";
import { PrivateBucket } from "./private-bucket";

export interface ImagePipelineArgs {
  /** Validated image settings (widths, thumbnail prefix). */
  settings: ImagesSettings;
  /** The stack's retention policy, for the uploads bucket. */
  retention: RetentionPolicy;
  /** The bucket CloudFront serves static assets from: thumbnails are written there, under the prefix. */
  thumbnailBucket: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
}

/** What the thumbnail function may do: read an upload, write a thumbnail under the prefix, nothing else. */
export function imageStatements(uploadsArn: string, thumbnailsArn: string, prefix: string): PolicyStatement[] {
  return [
    { Sid: "ReadUploads", Effect: "Allow", Action: "s3:GetObject", Resource: `${uploadsArn}/*` },
    { Sid: "WriteThumbnails", Effect: "Allow", Action: "s3:PutObject", Resource: `${thumbnailsArn}/${prefix}*` },
  ];
}

/** The uploads queue's policy statement for S3: this bucket's event notifications only, from this account. */
export function s3NotificationStatement(queueArn: string, bucketArn: string, accountId: string): PolicyStatement {
  return {
    Sid: "UploadsBucketNotifies",
    Effect: "Allow",
    Principal: { Service: "s3.amazonaws.com" },
    Action: "sqs:SendMessage",
    Resource: queueArn,
    Condition: { ArnLike: { "aws:SourceArn": bucketArn }, StringEquals: { "aws:SourceAccount": accountId } },
  };
}

/**
 * The image pipeline's storage: a private uploads bucket (versioned, SSE-S3, TLS only, old
 * versions expire) whose every created object is announced on a queue (`announceTo`), so bursts
 * queue up and failures are retried and then dead-lettered; and the grant of the function that
 * consumes it, which may read uploads and write thumbnails under one prefix of the bucket
 * CloudFront serves (so `https://<domain>/<prefix><name>-<width>.webp` works at once).
 */
export class ImagePipeline extends pulumi.ComponentResource implements Grantable {
  public readonly uploadsBucketName: pulumi.Output<string>;
  public readonly uploadsBucketArn: pulumi.Output<string>;
  private readonly args: ImagePipelineArgs;
  private readonly name: string;
  private readonly uploads: PrivateBucket;
  /** The uploads bucket's policy, its last setting: the notification is written after it. */
  private readonly uploadsPolicy: aws.s3.BucketPolicy;

  constructor(name: string, args: ImagePipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:storage:ImagePipeline", name, {}, opts);
    this.name = name;
    this.args = args;
    this.uploads = new PrivateBucket(
      `${name}-uploads`,
      {
        objectOwnership: "BucketOwnerEnforced",
        retention: args.retention,
        lifecycleRules: [
          {
            id: "expire-old-versions",
            status: "Enabled",
            filter: { prefix: "" },
            noncurrentVersionExpiration: { noncurrentDays: 30 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      { parent: this },
    );
    this.uploadsPolicy = this.uploads.attachPolicy(() => []);
    this.uploadsBucketName = this.uploads.bucket.bucket;
    this.uploadsBucketArn = this.uploads.bucket.arn;
    this.registerOutputs({ uploadsBucketName: this.uploadsBucketName });
  }

  /** Every object created in the uploads bucket is announced on `queue` (whose policy admits this bucket). */
  announceTo(queue: MessageQueue): aws.s3.BucketNotification {
    // S3 checks at creation that it may send to the queue: its policy (in the queue component) comes first.
    return new aws.s3.BucketNotification(
      `${this.name}-uploads`,
      { bucket: this.uploads.bucket.id, queues: [{ queueArn: queue.arn, events: ["s3:ObjectCreated:*"] }] },
      // After the bucket's own settings and policy too: S3 refuses concurrent configuration writes on one bucket.
      { parent: this, dependsOn: [queue, this.uploadsPolicy] },
    );
  }

  /** Read uploads, write thumbnails; where and how many, as plain variables. */
  grantAccess(_grantee: string, _mode: true = true): AccessGrant {
    const s = this.args.settings;
    return {
      target: "images",
      taskStatements: [
        pulumi
          .all([this.uploadsBucketArn, this.args.thumbnailBucket.arn])
          .apply(([uploads, thumbs]) => imageStatements(uploads, thumbs, s.thumbnailPrefix))
          .apply((st) => st[0]),
        pulumi
          .all([this.uploadsBucketArn, this.args.thumbnailBucket.arn])
          .apply(([uploads, thumbs]) => imageStatements(uploads, thumbs, s.thumbnailPrefix))
          .apply((st) => st[1]),
      ],
      secrets: {},
      secretArns: [],
      kmsKeyArns: [],
      environment: {
        UPLOADS_BUCKET: this.uploadsBucketName,
        THUMBNAIL_BUCKET: this.args.thumbnailBucket.name,
        THUMBNAIL_PREFIX: s.thumbnailPrefix,
        THUMBNAIL_WIDTHS: s.widths.join(","),
      },
    };
  }
}
