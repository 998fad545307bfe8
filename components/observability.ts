import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmThresholds } from "../stacks/settings";
import { policyDocument, PolicyDocument } from "./iam";
import { AlarmSpec, alarmSpecs, dashboardBody, degradedRules, ObservedStack } from "./observability-config";

export interface ObservabilityArgs {
  /** What the stack runs, as typed references to its resources. */
  observed: ObservedStack<pulumi.Input<string>>;
  /** Alarm thresholds for this environment (from stacks/ profiles). */
  thresholds: AlarmThresholds;
  /** Addresses subscribed to both alert topics (each must confirm the subscription e-mail). */
  alertEmails: string[];
  /** KMS key in the stack's region that encrypts the regional topic. */
  kmsKeyArn: pulumi.Input<string>;
  /**
   * us-east-1, where CloudFront, WAF and Route 53 health metrics live: its provider and the key of
   * the global topic. Default: none, for a stack that watches no edge (a standby region), which
   * then has no global topic and nothing in us-east-1.
   */
  global?: { provider: aws.Provider; kmsKeyArn: pulumi.Input<string> };
  /** The deploying account, for topic policies. */
  accountId: pulumi.Input<string>;
  /** EventBridge rules (GuardDuty findings, failed pipelines) deliver to the regional topic. */
  eventRulesNotify: boolean;
  /** SES publishes the configuration set's bounce and complaint events to the regional topic. Default: false. */
  emailEventsNotify?: boolean;
}

/**
 * Topic policy: this account's CloudWatch alarms (the alarm's ARN and account come with every
 * publish) and EventBridge rules (the rule's ARN) may publish. Principals of the account itself
 * need no statement here: their identity policies decide.
 */
export function alertTopicPolicy(topicArn: string, accountId: string, eventRules: boolean, emailEvents = false): PolicyDocument {
  const [, partition, , region] = topicArn.split(":");
  return policyDocument([
    {
      Sid: "AlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*` },
      },
    },
    ...(eventRules
      ? [
          {
            Sid: "EventRulesPublish",
            Effect: "Allow" as const,
            Principal: { Service: "events.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { ArnLike: { "aws:SourceArn": `arn:${partition}:events:${region}:${accountId}:rule/*` } },
          },
        ]
      : []),
    ...(emailEvents
      ? [
          {
            Sid: "EmailEventsPublish",
            Effect: "Allow" as const,
            Principal: { Service: "ses.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: {
              StringEquals: { "aws:SourceAccount": accountId },
              ArnLike: { "aws:SourceArn": `arn:${partition}:ses:${region}:${accountId}:configuration-set/*` },
            },
          },
        ]
      : []),
  ]);
}

/**
 * One CloudWatch dashboard per stack, the alarm catalogue of `alarmSpecs` with a composite
 * "degraded" alarm per service, and two KMS-encrypted SNS alert topics with e-mail subscriptions:
 * one in the stack's region and one in us-east-1, because an alarm can only notify a topic in its
 * own region and CloudFront / Route 53 health metrics exist only in us-east-1.
 */
export class Observability extends pulumi.ComponentResource {
  /** Alert topic in the stack's region (GuardDuty findings, budgets link here too). */
  public readonly alertTopicArn: pulumi.Output<string>;
  /** Alert topic in us-east-1 (edge alarms); none without `global`. */
  public readonly globalAlertTopicArn?: pulumi.Output<string>;
  /** Dashboard name. */
  public readonly dashboardName: pulumi.Output<string>;
  /** Physical names of every alarm, composite ones included. */
  public readonly alarmNames: pulumi.Output<string>[];

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:Observability", name, {}, opts);
    const prefix = args.observed.namePrefix;
    const global = { parent: this, provider: args.global?.provider };

    const topic = (suffix: string, keyArn: pulumi.Input<string>, eventRules: boolean, resourceOpts: pulumi.CustomResourceOptions, emailEvents = false) => {
      const t = new aws.sns.Topic(`${name}-${suffix}`, { name: `${prefix}-alerts`, kmsMasterKeyId: keyArn }, resourceOpts);
      new aws.sns.TopicPolicy(
        `${name}-${suffix}`,
        {
          arn: t.arn,
          policy: pulumi.all([t.arn, args.accountId]).apply(([arn, account]) => JSON.stringify(alertTopicPolicy(arn, account, eventRules, emailEvents))),
        },
        resourceOpts,
      );
      args.alertEmails.forEach(
        (email, i) => new aws.sns.TopicSubscription(`${name}-${suffix}-email-${i + 1}`, { topic: t.arn, protocol: "email", endpoint: email }, resourceOpts),
      );
      return t;
    };
    const regional = topic("alerts", args.kmsKeyArn, args.eventRulesNotify, { parent: this }, args.emailEventsNotify ?? false);
    const globalTopic = args.global ? topic("global-alerts", args.global.kmsKeyArn, false, global) : undefined;

    const specs = alarmSpecs(args.observed, args.thresholds);
    const alarms = specs.map((spec) => {
      if (spec.home !== "us-east-1") return this.alarm(name, prefix, spec, regional.arn, { parent: this });
      if (!globalTopic) throw new Error(`alarm ${spec.key} watches a us-east-1 metric, but Observability was given no global provider`);
      return this.alarm(name, prefix, spec, globalTopic.arn, global);
    });
    const composites = degradedRules(prefix, specs).map(
      ({ service, rule }) =>
        new aws.cloudwatch.CompositeAlarm(
          `${name}-${service}-degraded`,
          {
            alarmName: `${prefix}-${service}-degraded`,
            alarmDescription: `${service} is degraded: one of its CPU, memory, task-count or target-health alarms fires`,
            alarmRule: rule,
            alarmActions: [regional.arn],
            okActions: [regional.arn],
          },
          { parent: this, dependsOn: alarms },
        ),
    );

    if (args.observed.edge) {
      // CacheHitRate and other additional CloudFront metrics exist only with a monitoring subscription.
      new aws.cloudfront.MonitoringSubscription(
        `${name}-cdn-metrics`,
        {
          distributionId: args.observed.edge.distributionId,
          monitoringSubscription: { realtimeMetricsSubscriptionConfig: { realtimeMetricsSubscriptionStatus: "Enabled" } },
        },
        global,
      );
    }

    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: prefix,
        dashboardBody: pulumi.output(args.observed).apply((observed) => JSON.stringify(dashboardBody(observed as ObservedStack<string>))),
      },
      { parent: this },
    );

    this.alertTopicArn = regional.arn;
    this.globalAlertTopicArn = globalTopic?.arn;
    this.dashboardName = dashboard.dashboardName;
    this.alarmNames = [...alarms.map((a) => a.name), ...composites.map((c) => c.alarmName)];
    this.registerOutputs({ alertTopicArn: this.alertTopicArn, globalAlertTopicArn: this.globalAlertTopicArn, dashboardName: this.dashboardName });
  }

  private alarm(
    name: string,
    prefix: string,
    spec: AlarmSpec<pulumi.Input<string>>,
    topicArn: pulumi.Output<string>,
    opts: pulumi.CustomResourceOptions,
  ): aws.cloudwatch.MetricAlarm {
    const percentile = spec.metric && /^p\d+(\.\d+)?$/.test(spec.metric.statistic);
    return new aws.cloudwatch.MetricAlarm(
      `${name}-${spec.key}`,
      {
        name: `${prefix}-${spec.key}`,
        alarmDescription: spec.description,
        comparisonOperator: spec.comparison,
        threshold: spec.threshold,
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.datapointsToAlarm,
        treatMissingData: spec.treatMissingData,
        alarmActions: [topicArn],
        okActions: [topicArn],
        ...(spec.metric
          ? {
              namespace: spec.metric.namespace,
              metricName: spec.metric.metricName,
              dimensions: spec.metric.dimensions,
              period: spec.period,
              statistic: percentile ? undefined : spec.metric.statistic,
              extendedStatistic: percentile ? spec.metric.statistic : undefined,
            }
          : {
              metricQueries: [
                ...spec.math!.inputs.map((m, i) => ({
                  id: `m${i}`,
                  returnData: false,
                  metric: { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, period: spec.period, stat: m.stat },
                })),
                { id: "e1", expression: spec.math!.expression, label: spec.math!.label, returnData: true },
              ],
            }),
      },
      opts,
    );
  }
}
