import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { QueueAccessMode, QueueSettings } from "../stacks/settings";
import { AccessGrant, envName, Grantable } from "./access";
import { s3NotificationStatement } from "./image-pipeline";
import { policyDocument, PolicyDocument, PolicyStatement } from "./iam";

export interface MessageQueueArgs {
  /** Physical name prefix, `<project>-<stack>`; queues are `<prefix>-<name>` and `<prefix>-<name>-dlq`. */
  namePrefix: string;
  /** Validated queue settings (max receives, retention, visibility). */
  settings: QueueSettings;
  /** Customer-managed KMS key for SSE; its policy lets IAM grants decide who may use it. */
  kmsKeyArn: pulumi.Input<string>;
  /** Region of the stack (kms:ViaService condition). */
  region: string;
  /**
   * A bucket whose event notifications this queue receives (the image pipeline's uploads): the
   * queue's policy admits S3 for that bucket and account only. Default: none.
   */
  notifiedBy?: { bucketArn: pulumi.Input<string>; accountId: pulumi.Input<string> };
}

/** The DLQ keeps failed messages for the longest time SQS allows: 14 days. */
export const DLQ_RETENTION_SECONDS = 1209600;

/** Queue policy: refuse any request not made over TLS. */
export function tlsOnlyQueuePolicy(queueArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "sqs:*",
      Resource: queueArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
}

/** How a grantee uses a queue: an application sends or consumes; Lambda's event source mapping polls. */
export type QueueUse = QueueAccessMode | "lambda-poll";

/**
 * Exactly what a producer or consumer needs: SQS actions on this queue, KMS use through SQS only.
 * Lambda's poller needs the three actions its SQS event source documents (the function itself
 * reports failed messages back in its response, not through SQS).
 */
export function queueStatements(queueArn: string, keyArn: string, region: string, mode: QueueUse, sid: string): PolicyStatement[] {
  const sqs = {
    send: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
    consume: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
    "lambda-poll": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
  }[mode];
  const kms = mode === "send" ? ["kms:GenerateDataKey", "kms:Decrypt"] : ["kms:Decrypt"];
  return [
    { Sid: sid, Effect: "Allow", Action: sqs, Resource: queueArn },
    { Sid: `${sid}Key`, Effect: "Allow", Action: kms, Resource: keyArn, Condition: { StringEquals: { "kms:ViaService": `sqs.${region}.amazonaws.com` } } },
  ];
}

/**
 * An SQS queue with its dead-letter queue: SSE with the customer key, a redrive policy after
 * `maxReceiveCount` receives, a DLQ that only this queue may redrive into and that keeps messages
 * 14 days, and TLS-only policies on both.
 */
export class MessageQueue extends pulumi.ComponentResource implements Grantable<QueueAccessMode> {
  /** Queue ARN. */
  public readonly arn: pulumi.Output<string>;
  /** Queue URL (what SDKs send to). */
  public readonly url: pulumi.Output<string>;
  /** Queue name (metrics dimension). */
  public readonly queueName: pulumi.Output<string>;
  /** Dead-letter queue name (metrics dimension). */
  public readonly dlqName: pulumi.Output<string>;
  private readonly args: MessageQueueArgs;

  constructor(name: string, args: MessageQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:messaging:MessageQueue", name, {}, opts);
    const s = args.settings;
    const base = `${args.namePrefix}-${s.name}`;
    const encryption = { kmsMasterKeyId: args.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 };

    const dlq = new aws.sqs.Queue(`${name}-dlq`, { name: `${base}-dlq`, messageRetentionSeconds: DLQ_RETENTION_SECONDS, ...encryption }, { parent: this });
    const queue = new aws.sqs.Queue(
      name,
      {
        name: base,
        messageRetentionSeconds: s.retentionSeconds,
        visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
        receiveWaitTimeSeconds: 20,
        redrivePolicy: dlq.arn.apply((arn) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: s.maxReceiveCount })),
        ...encryption,
      },
      { parent: this },
    );
    new aws.sqs.RedriveAllowPolicy(
      `${name}-dlq`,
      { queueUrl: dlq.url, redriveAllowPolicy: queue.arn.apply((arn) => JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [arn] })) },
      { parent: this },
    );
    const notified = args.notifiedBy;
    for (const [suffix, q] of [
      ["", queue],
      ["-dlq", dlq],
    ] as const) {
      const policy =
        notified && suffix === ""
          ? pulumi.all([q.arn, notified.bucketArn, notified.accountId]).apply(([arn, bucket, account]) => {
              const doc = tlsOnlyQueuePolicy(arn);
              return JSON.stringify({ ...doc, Statement: [...doc.Statement, s3NotificationStatement(arn, bucket, account)] });
            })
          : q.arn.apply((arn) => JSON.stringify(tlsOnlyQueuePolicy(arn)));
      new aws.sqs.QueuePolicy(`${name}${suffix}`, { queueUrl: q.url, policy }, { parent: this });
    }

    this.args = args;
    this.arn = queue.arn;
    this.url = queue.url;
    this.queueName = queue.name;
    this.dlqName = dlq.name;
    this.registerOutputs({ arn: this.arn, url: this.url, dlqName: this.dlqName });
  }

  /** Send or consume rights on this queue only; its URL as `QUEUE_<NAME>_URL`. */
  grantAccess(_grantee: string, mode: QueueAccessMode): AccessGrant {
    return this.grant(mode);
  }

  /** What a Lambda event source mapping needs to poll this queue with the function's role. */
  grantEventSource(_functionName: string): AccessGrant {
    return { ...this.grant("lambda-poll"), environment: {}, consumesQueueName: undefined };
  }

  private grant(mode: QueueUse): AccessGrant {
    const sid = `Queue${envName(this.args.settings.name).replace(/_/g, "")}${{ send: "Send", consume: "Consume", "lambda-poll": "Poll" }[mode]}`;
    const statements = pulumi.all([this.arn, this.args.kmsKeyArn]).apply(([arn, key]) => queueStatements(arn, key, this.args.region, mode, sid));
    return {
      target: `queue-${this.args.settings.name}`,
      taskStatements: [statements.apply((s) => s[0]), statements.apply((s) => s[1])],
      secrets: {},
      secretArns: [],
      kmsKeyArns: [],
      environment: { [`QUEUE_${envName(this.args.settings.name)}_URL`]: this.url },
      consumesQueueName: mode === "consume" ? this.queueName : undefined,
    };
  }
}
