import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ScheduleSettings } from "../stacks/settings";
import type { AccessGrant } from "./access";
import { AccountContext, policyDocument, PolicyStatement, RoleScope } from "./iam";
import { queueStatements, tlsOnlyQueuePolicy } from "./message-queue";

/** A schedule's target: what it reaches, and the grant its role needs for it. */
export interface ScheduleTarget {
  arn: pulumi.Input<string>;
  /** The role's statements for the target (a queue's send grant, or invoking the function). */
  statements: pulumi.Input<PolicyStatement>[];
}

export interface SchedulesArgs {
  /** Where the roles live and what caps them (the stack's path and boundary). */
  roles: RoleScope;
  /** Physical name prefix, `<project>-<stack>`: the schedule group's name. */
  namePrefix: string;
  /** The schedules from config, each with its message. */
  schedules: (ScheduleSettings & { message: string })[];
  /** Each schedule's target, by schedule name. */
  targets: Record<string, ScheduleTarget>;
  /** The stack's key: the dead-letter queue's encryption. */
  kmsKeyArn: pulumi.Input<string>;
  /** Account and region (trust conditions, ARNs). */
  account: pulumi.Input<AccountContext>;
}

/** Scheduler's trust: only this account's schedules of this one group may assume the role (Scheduler user guide, "Execution role"). */
export function schedulerTrustPolicy(accountId: string, groupArn: string) {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: "scheduler.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": accountId, "aws:SourceArn": groupArn } },
    },
  ]);
}

/** The target grant of a function schedule: invoke that one function (and its versions). */
export function invokeStatements(functionArn: string): PolicyStatement[] {
  return [{ Sid: "InvokeTarget", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [functionArn, `${functionArn}:*`] }];
}

/** Scheduler's delivery settings of one schedule: exactly on time or within a window, retries, the DLQ. */
export function scheduleTiming(s: ScheduleSettings) {
  return {
    flexibleTimeWindow: s.flexibleWindowMinutes > 0 ? { mode: "FLEXIBLE", maximumWindowInMinutes: s.flexibleWindowMinutes } : { mode: "OFF" },
    retryPolicy: { maximumRetryAttempts: s.retryAttempts, maximumEventAgeInSeconds: s.maxEventAgeMinutes * 60 },
  };
}

/**
 * Time-triggered work: one EventBridge Scheduler group per stack, one schedule per config entry,
 * each with a role of its own that may deliver to exactly its target (and the dead-letter queue),
 * trusted only by this group's schedules; failed deliveries go after their retries to one
 * KMS-encrypted dead-letter queue (14 days), which the alarms watch.
 */
export class Schedules extends pulumi.ComponentResource {
  /** Schedule group name (the `ScheduleGroup` dimension of Scheduler's metrics). */
  public readonly groupName: pulumi.Output<string>;
  /** Name of the dead-letter queue of failed deliveries. */
  public readonly dlqName: pulumi.Output<string>;
  /** Schedule names. */
  public readonly scheduleNames: pulumi.Output<string>[];

  constructor(name: string, args: SchedulesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:messaging:Schedules", name, {}, opts);
    const account = pulumi.output(args.account);
    const group = new aws.scheduler.ScheduleGroup(`${name}-group`, { name: args.namePrefix }, { parent: this });
    const dlq = new aws.sqs.Queue(
      `${name}-dlq`,
      { name: `${args.namePrefix}-schedules-dlq`, kmsMasterKeyId: args.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300, messageRetentionSeconds: 1209600 },
      { parent: this },
    );
    new aws.sqs.QueuePolicy(`${name}-dlq`, { queueUrl: dlq.url, policy: dlq.arn.apply((arn) => JSON.stringify(tlsOnlyQueuePolicy(arn))) }, { parent: this });

    this.scheduleNames = args.schedules.map((s) => {
      const target = args.targets[s.name];
      if (!target) throw new Error(`schedule "${s.name}" has no target`);
      const role = new aws.iam.Role(
        `${name}-${s.name}`,
        {
          description: `EventBridge Scheduler delivers schedule ${s.name} of ${args.namePrefix}`,
          ...args.roles,
          assumeRolePolicy: pulumi.all([account, group.arn]).apply(([a, arn]) => JSON.stringify(schedulerTrustPolicy(a.accountId, arn))),
        },
        { parent: this },
      );
      const dlqStatements = pulumi
        .all([dlq.arn, args.kmsKeyArn, account])
        .apply(([arn, key, a]) => queueStatements(arn, key, a.region, "send", "DeadLetters").map((st) => ({ ...st, Action: narrowToSend(st.Action) })));
      const policy = new aws.iam.RolePolicy(
        `${name}-${s.name}`,
        {
          role: role.id,
          policy: pulumi.all([pulumi.all(target.statements), dlqStatements]).apply(([t, d]) => JSON.stringify(policyDocument([...t, ...d]))),
        },
        { parent: this },
      );
      const schedule = new aws.scheduler.Schedule(
        `${name}-${s.name}`,
        {
          name: s.name,
          groupName: group.name,
          description: `${args.namePrefix}: ${s.expression}${s.timezone === "UTC" ? "" : ` (${s.timezone})`}`,
          scheduleExpression: s.expression,
          scheduleExpressionTimezone: s.timezone,
          state: s.enabled ? "ENABLED" : "DISABLED",
          flexibleTimeWindow: scheduleTiming(s).flexibleTimeWindow,
          target: { arn: target.arn, roleArn: role.arn, input: s.message, deadLetterConfig: { arn: dlq.arn }, retryPolicy: scheduleTiming(s).retryPolicy },
        },
        // Scheduler checks at creation that it may assume the role and deliver with it.
        { parent: this, dependsOn: [policy] },
      );
      return schedule.name;
    });
    this.groupName = group.name;
    this.dlqName = dlq.name;
    this.registerOutputs({ groupName: this.groupName, dlqName: this.dlqName });
  }
}

/** Scheduler only sends to a queue: of the producer's SQS actions, just SendMessage (KMS statements unchanged). */
function narrowToSend(actions: string | string[]): string | string[] {
  const list = Array.isArray(actions) ? actions : [actions];
  return list.some((a) => a.startsWith("sqs:")) ? ["sqs:SendMessage"] : actions;
}

/** A queue target's statements: the same producer grant every sender gets, narrowed to what Scheduler calls. */
export function queueTargetStatements(grant: AccessGrant): pulumi.Input<PolicyStatement>[] {
  return grant.taskStatements.map((st) => pulumi.output(st).apply((x) => ({ ...x, Action: narrowToSend(x.Action) })));
}
