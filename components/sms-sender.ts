import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EmailSettings } from "../stacks/settings";
import type { AccessGrant, Grantable } from "./access";
import type { PolicyStatement } from "./iam";

export interface SmsSenderArgs {
  /** The SMS settings (spending limit). */
  settings: EmailSettings["sms"];
}

/**
 * What an SMS sender may do. A phone number has no ARN, so sending to one is `sns:Publish` on "*";
 * the explicit deny of every topic keeps it to phone numbers (the pack's wildcard rule knows this
 * pairing). There is no condition key that narrows which numbers.
 */
export function smsStatements(): PolicyStatement[] {
  return [
    { Sid: "SendSmsToPhoneNumbers", Effect: "Allow", Action: "sns:Publish", Resource: "*" },
    { Sid: "NoTopicsThroughTheSmsGrant", Effect: "Deny", Action: "sns:Publish", Resource: "arn:aws:sns:*:*:*" },
  ];
}

/**
 * SMS through SNS, behind `platform:email.sms.enabled`: the account's SMS preferences in this
 * region (transactional messages, a monthly spending limit SNS enforces), and the grant of a
 * service declaring `access.sms`. The preferences are the account's: one stack per account and
 * region may set them. A new account's SMS is in the SNS sandbox (verified destination numbers).
 */
export class SmsSender extends pulumi.ComponentResource implements Grantable {
  constructor(name: string, args: SmsSenderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:messaging:SmsSender", name, {}, opts);
    new aws.sns.SmsPreferences(
      `${name}-preferences`,
      { defaultSmsType: "Transactional", monthlySpendLimit: args.settings.monthlySpendLimitUsd },
      { parent: this },
    );
    this.registerOutputs({});
  }

  /** Publish to phone numbers only. */
  grantAccess(_grantee: string, _mode: true = true): AccessGrant {
    return { target: "sms", taskStatements: smsStatements(), secrets: {}, secretArns: [], kmsKeyArns: [], environment: { SMS_ENABLED: "true" } };
  }
}
