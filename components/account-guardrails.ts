import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RetentionPolicy } from "../stacks/retention";
import { GuardrailSettings } from "../stacks/settings";
import { AccountContext, policyDocument, PolicyStatement, serviceTrustPolicy, RoleScope } from "./iam";
import { PrivateBucket } from "./private-bucket";

export interface AccountGuardrailsArgs {
  /** Where its IAM roles live and what caps them (the stack's path and boundary; see `roleScope`). */
  roles: RoleScope;
  /** Physical name prefix, `<project>-<stack>`. */
  namePrefix: string;
  /** Which guardrails to create and the budget amount. */
  settings: GuardrailSettings;
  /** Value of the `Environment` cost-allocation tag the budget filters on. */
  environment: string;
  /** Budget notification recipients. */
  alertEmails: string[];
  /** Regional alert topic that GuardDuty findings go to. */
  alertTopicArn: pulumi.Input<string>;
  /** KMS key for the trail's log files and log group. */
  kmsKeyArn: pulumi.Input<string>;
  /** Account context for ARNs in policies. */
  account: pulumi.Input<AccountContext>;
  /** Retention of the trail's CloudWatch log group. */
  logRetentionDays: number;
  /** The stack's retention policy, for the trail bucket. */
  retention: RetentionPolicy;
}

/** Trail bucket (besides TLS only): CloudTrail may check the ACL and write this account's logs, for this trail only. */
export function trailBucketStatements(bucketArn: string, trailArn: string, accountId: string): PolicyStatement[] {
  return [
    {
      Sid: "CloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: { StringEquals: { "aws:SourceArn": trailArn } },
    },
    {
      Sid: "CloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucketArn}/AWSLogs/${accountId}/*`,
      Condition: { StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
    },
  ];
}

/**
 * Trail logs move to Standard-IA after 30 days and Glacier Instant Retrieval after 90, then expire.
 * S3 rejects a rule whose expiration does not come after its last transition, so a transition is
 * kept only when the logs live longer than it.
 */
export function trailLifecycleRule(retentionDays: number) {
  const transitions = [
    { days: 30, storageClass: "STANDARD_IA" },
    { days: 90, storageClass: "GLACIER_IR" },
  ].filter((t) => t.days < retentionDays);
  return {
    id: "cheaper-storage-then-expire",
    status: "Enabled",
    filter: { prefix: "" },
    transitions,
    expiration: { days: retentionDays },
    noncurrentVersionExpiration: { noncurrentDays: 30 },
  };
}

/** Findings of medium severity (4) and above; low-severity noise stays in the GuardDuty console. */
export function guardDutyEventPattern(): object {
  return { source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"], detail: { severity: [{ numeric: [">=", 4] }] } };
}

/** The share of the budget (%) a month's forecast may reach before the forecast alert fires (the plan checks the estimate against it). */
export const BUDGET_FORECAST_ALERT_PERCENT = 80;

/** Budget alerts: 80 % of the month's budget forecast, and 100 % actually spent. */
export function budgetNotifications(emails: string[]) {
  if (emails.length === 0) return [];
  return [
    { notificationType: "FORECASTED", threshold: BUDGET_FORECAST_ALERT_PERCENT },
    { notificationType: "ACTUAL", threshold: 100 },
  ].map((n) => ({ ...n, comparisonOperator: "GREATER_THAN", thresholdType: "PERCENTAGE", subscriberEmailAddresses: emails }));
}

/**
 * Account-level guardrails, each behind a config switch because an account (or its organisation)
 * may already have them: a multi-region CloudTrail trail with log-file validation, KMS encryption,
 * a private bucket that moves logs to cheaper storage, and CloudWatch Logs delivery; a GuardDuty
 * detector whose findings EventBridge sends to the alert topic; a monthly AWS Budget for the stack
 * with e-mail alerts. One GuardDuty detector and (usually) one organisation trail exist per
 * account, so enable these in one stack per account.
 */
export class AccountGuardrails extends pulumi.ComponentResource {
  /** Trail ARN, when enabled. */
  public readonly trailArn?: pulumi.Output<string>;
  /** GuardDuty detector id, when enabled. */
  public readonly detectorId?: pulumi.Output<string>;
  /** Budget name, when enabled. */
  public readonly budgetName?: pulumi.Output<string>;

  constructor(name: string, args: AccountGuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:security:AccountGuardrails", name, {}, opts);
    const s = args.settings;
    const account = pulumi.output(args.account);

    if (s.cloudTrail) {
      const trailName = `${args.namePrefix}-trail`;
      const bucket = new PrivateBucket(
        `${name}-trail`,
        {
          objectOwnership: "BucketOwnerEnforced",
          kmsKeyArn: args.kmsKeyArn,
          retention: args.retention,
          lifecycleRules: [trailLifecycleRule(s.trailRetentionDays)],
        },
        { parent: this },
      );
      const trailArn = account.apply((a) => `arn:${a.partition}:cloudtrail:${a.region}:${a.accountId}:trail/${trailName}`);
      const bucketPolicy = bucket.attachPolicy((arn) => pulumi.all([trailArn, account]).apply(([t, a]) => trailBucketStatements(arn, t, a.accountId)));
      const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-trail`,
        { name: `/aws/cloudtrail/${args.namePrefix}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn },
        { parent: this },
      );
      const role = new aws.iam.Role(
        `${name}-trail-logs`,
        {
          description: `CloudTrail delivery to CloudWatch Logs (${args.namePrefix})`,
          ...args.roles,
          assumeRolePolicy: account.apply((a) => JSON.stringify(serviceTrustPolicy("cloudtrail.amazonaws.com", a.accountId))),
        },
        { parent: this },
      );
      const logsPolicy = new aws.iam.RolePolicy(
        `${name}-trail-logs`,
        {
          role: role.id,
          policy: logGroup.arn.apply((arn) =>
            JSON.stringify(policyDocument([{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${arn}:*` }])),
          ),
        },
        { parent: this },
      );
      const trail = new aws.cloudtrail.Trail(
        `${name}-trail`,
        {
          name: trailName,
          s3BucketName: bucket.bucket.id,
          isMultiRegionTrail: true,
          includeGlobalServiceEvents: true,
          enableLogFileValidation: true,
          kmsKeyId: args.kmsKeyArn,
          cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
          cloudWatchLogsRoleArn: role.arn,
        },
        // CreateTrail checks that it may write to the bucket and that the logs role can deliver.
        { parent: this, dependsOn: [bucketPolicy, logsPolicy] },
      );
      this.trailArn = trail.arn;
    }

    if (s.guardDuty) {
      const detector = new aws.guardduty.Detector(`${name}-guardduty`, { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES" }, { parent: this });
      const rule = new aws.cloudwatch.EventRule(
        `${name}-guardduty-findings`,
        { description: "GuardDuty findings of medium severity and above", eventPattern: JSON.stringify(guardDutyEventPattern()) },
        { parent: this },
      );
      new aws.cloudwatch.EventTarget(`${name}-guardduty-findings`, { rule: rule.name, arn: args.alertTopicArn }, { parent: this });
      this.detectorId = detector.id;
    }

    if (s.budget) {
      const budget = new aws.budgets.Budget(
        `${name}-budget`,
        {
          name: `${args.namePrefix}-monthly`,
          budgetType: "COST",
          timeUnit: "MONTHLY",
          limitAmount: s.monthlyBudgetUsd.toFixed(2),
          limitUnit: "USD",
          // Needs the Environment tag activated as a cost-allocation tag in Billing.
          costFilters: [{ name: "TagKeyValue", values: [`user:Environment$${args.environment}`] }],
          notifications: budgetNotifications(args.alertEmails),
        },
        { parent: this },
      );
      this.budgetName = budget.name;
    }

    this.registerOutputs({ trailArn: this.trailArn, detectorId: this.detectorId, budgetName: this.budgetName });
  }
}
