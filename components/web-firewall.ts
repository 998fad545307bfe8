import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EdgeSettings } from "../stacks/settings";
import { vendedLogsStatements, wafRules } from "./edge-config";
import { AccountContext, policyDocument } from "./iam";

export interface WebFirewallArgs {
  /** Physical name prefix, `<project>-<stack>`. */
  namePrefix: string;
  /** Prefix of the children's logical names (the edge layer's name, so their URNs stay as they were). */
  base: string;
  /** The rate limit and its window. */
  settings: Pick<EdgeSettings, "rateLimit" | "rateLimitWindowSeconds">;
  /** KMS key in us-east-1 for the log group. */
  globalKmsKeyArn: pulumi.Input<string>;
  /** Account context (the log resource policy). */
  account: pulumi.Input<AccountContext>;
  /** Retention of the log group, in days. */
  logRetentionDays: number;
  /** Where these resources were registered before this component existed: their URNs are kept. */
  formerParent?: pulumi.Resource;
}

/**
 * The CloudFront web ACL (scope CLOUDFRONT, so in us-east-1: pass that provider), with IP
 * reputation, a per-IP rate limit and the common, known-bad-inputs and SQLi managed rule groups,
 * logging to an encrypted `aws-waf-logs-*` group through an explicit log resource policy.
 */
export class WebFirewall extends pulumi.ComponentResource {
  /** Web ACL ARN (the distribution's `webAclId`). */
  public readonly webAclArn: pulumi.Output<string>;
  /** Web ACL name (the WAF metrics dimension). */
  public readonly webAclName: string;
  /** Log group of the web ACL. */
  public readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: WebFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:edge:WebFirewall", name, {}, opts);
    const base = args.base;
    const child: pulumi.CustomResourceOptions = { parent: this, aliases: args.formerParent ? [{ parent: args.formerParent }] : [] };

    const webAclName = `${args.namePrefix}-edge`;
    const webAcl = new aws.wafv2.WebAcl(
      `${base}-waf`,
      {
        name: webAclName,
        description: `CloudFront web ACL of ${args.namePrefix}`,
        scope: "CLOUDFRONT",
        defaultAction: { allow: {} },
        rules: wafRules(args.namePrefix, args.settings),
        visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: `${args.namePrefix}-edge`, sampledRequestsEnabled: true },
      },
      child,
    );
    const wafLogs = new aws.cloudwatch.LogGroup(
      `${base}-waf-logs`,
      { name: `aws-waf-logs-${args.namePrefix}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.globalKmsKeyArn },
      child,
    );
    // WAF's logs are vended logs: CloudWatch Logs' delivery service writes them, allowed by a log
    // resource policy. Written here rather than left to WAF, which would need the deployer to hold
    // logs:PutResourcePolicy and fails with WAFLogDestinationPermissionIssueException otherwise.
    const wafLogsPolicy = new aws.cloudwatch.LogResourcePolicy(
      `${base}-waf-logs`,
      {
        policyName: `${args.namePrefix}-waf-logs`,
        policyDocument: pulumi
          .all([wafLogs.arn, args.account])
          .apply(([arn, a]) => JSON.stringify(policyDocument(vendedLogsStatements(arn, { ...a, region: "us-east-1" })))),
      },
      child,
    );
    new aws.wafv2.WebAclLoggingConfiguration(
      `${base}-waf-logs`,
      {
        resourceArn: webAcl.arn,
        logDestinationConfigs: [wafLogs.arn],
        redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
      },
      // One logging configuration per web ACL: a replacement must delete the old one first, or its
      // deletion (by the web ACL's ARN) would remove the new one.
      { ...child, dependsOn: [wafLogsPolicy], deleteBeforeReplace: true },
    );

    this.webAclArn = webAcl.arn;
    this.webAclName = webAclName;
    this.logGroupName = wafLogs.name;
    this.registerOutputs({ webAclArn: this.webAclArn, webAclName: this.webAclName, logGroupName: this.logGroupName });
  }
}
