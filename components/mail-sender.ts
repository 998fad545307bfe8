import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EmailSettings } from "../stacks/settings";
import type { AccessGrant, Grantable } from "./access";
import type { AccountContext, PolicyStatement } from "./iam";

export interface MailSenderArgs {
  /** Physical name prefix, `<project>-<stack>`: the configuration set's name. */
  namePrefix: string;
  /** The site's domain: the verified identity mail is sent from. */
  domain: string;
  /** Route 53 zone holding the domain, for the DKIM, MAIL FROM and SPF records. */
  zoneId: pulumi.Input<string>;
  /** Validated e-mail settings (sender, MAIL FROM subdomain). */
  settings: EmailSettings;
  /** Account and region (ARNs of the identity and the configuration set). */
  account: pulumi.Input<AccountContext>;
  /**
   * The custom MAIL FROM domain. Default: `<mailFromSubdomain>.<domain>`. A standby region passes
   * its own (`<mailFromSubdomain>-<region>.<domain>`): the MX record points at its region's endpoint.
   */
  mailFromDomain?: string;
}

/** SES's Easy DKIM gives a domain three signing tokens; each is a CNAME in the domain's zone. */
export const DKIM_TOKENS = 3;

/** The DKIM CNAME of one token (SES developer guide, "Easy DKIM"). */
export function dkimRecord(token: string, domain: string): { name: string; value: string } {
  return { name: `${token}._domainkey.${domain}`, value: `${token}.dkim.amazonses.com` };
}

/** The custom MAIL FROM domain's records: SES's feedback endpoint as MX, and SPF allowing SES (SES developer guide, "Custom MAIL FROM domain"). */
export function mailFromRecords(region: string): { mx: string; spf: string } {
  return { mx: `10 feedback-smtp.${region}.amazonses.com`, spf: '"v=spf1 include:amazonses.com ~all"' };
}

/**
 * What a sender may do: `ses:SendEmail` (SES v2's simple and templated sends; raw MIME would need
 * `ses:SendRawEmail`) on the stack's identity and configuration set, both of which SES checks when
 * a send uses a configuration set, from its one sender address only.
 */
export function sendStatements(identityArn: string, configurationSetArn: string, fromAddress: string): PolicyStatement[] {
  return [
    {
      Sid: "SendFromTheSiteOnly",
      Effect: "Allow",
      Action: "ses:SendEmail",
      Resource: [identityArn, configurationSetArn],
      Condition: { StringEquals: { "ses:FromAddress": fromAddress } },
    },
  ];
}

/**
 * E-mail from the site's domain through Amazon SES (API v2): a domain identity with Easy DKIM
 * (2048-bit keys, its three CNAMEs written in the zone), a custom MAIL FROM subdomain (MX to SES's
 * feedback endpoint and SPF), and a configuration set that requires TLS to the receiving server,
 * tracks reputation, suppresses addresses that bounced or complained, and reports bounce, complaint
 * and reject events (`sendEventsTo`). A service granted `access.email` may send only from
 * `<sender>@<domain>`, only through this configuration set. New accounts are in the SES sandbox.
 */
export class MailSender extends pulumi.ComponentResource implements Grantable {
  /** The sender address, `<sender>@<domain>`. */
  public readonly fromAddress: string;
  /** Configuration set name (the `ses:ConfigurationSetName` of every send). */
  public readonly configurationSetName: pulumi.Output<string>;
  /** ARN of the domain identity. */
  public readonly identityArn: pulumi.Output<string>;
  /** ARN of the configuration set. */
  public readonly configurationSetArn: pulumi.Output<string>;
  private readonly name: string;

  constructor(name: string, args: MailSenderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:messaging:MailSender", name, {}, opts);
    this.name = name;
    const account = pulumi.output(args.account);
    this.fromAddress = `${args.settings.sender}@${args.domain}`;
    const configurationSet = new aws.sesv2.ConfigurationSet(
      `${name}-configuration`,
      {
        configurationSetName: args.namePrefix,
        deliveryOptions: { tlsPolicy: "REQUIRE" },
        reputationOptions: { reputationMetricsEnabled: true },
        sendingOptions: { sendingEnabled: true },
        suppressionOptions: { suppressedReasons: ["BOUNCE", "COMPLAINT"] },
      },
      { parent: this },
    );
    const identity = new aws.sesv2.EmailIdentity(
      `${name}-identity`,
      {
        emailIdentity: args.domain,
        configurationSetName: configurationSet.configurationSetName,
        dkimSigningAttributes: { nextSigningKeyLength: "RSA_2048_BIT" },
      },
      { parent: this },
    );
    for (let i = 0; i < DKIM_TOKENS; i++) {
      const record = identity.dkimSigningAttributes.apply((d) => dkimRecord(d?.tokens?.[i] ?? `missing-token-${i + 1}`, args.domain));
      new aws.route53.Record(
        `${name}-dkim-${i + 1}`,
        { zoneId: args.zoneId, name: record.name, type: "CNAME", ttl: 1800, records: [record.value] },
        { parent: this },
      );
    }
    const mailFrom = args.mailFromDomain ?? `${args.settings.mailFromSubdomain}.${args.domain}`;
    const records = account.apply((a) => mailFromRecords(a.region));
    new aws.route53.Record(`${name}-mail-from-mx`, { zoneId: args.zoneId, name: mailFrom, type: "MX", ttl: 1800, records: [records.mx] }, { parent: this });
    new aws.route53.Record(`${name}-mail-from-spf`, { zoneId: args.zoneId, name: mailFrom, type: "TXT", ttl: 1800, records: [records.spf] }, { parent: this });
    new aws.sesv2.EmailIdentityMailFromAttributes(
      `${name}-mail-from`,
      { emailIdentity: identity.emailIdentity, mailFromDomain: mailFrom, behaviorOnMxFailure: "USE_DEFAULT_VALUE" },
      { parent: this },
    );
    this.configurationSetName = configurationSet.configurationSetName;
    this.identityArn = identity.arn;
    this.configurationSetArn = configurationSet.arn;
    this.registerOutputs({ fromAddress: this.fromAddress, configurationSetName: this.configurationSetName, identityArn: this.identityArn });
  }

  /** Bounce, complaint and reject events of every send, to `topicArn` (whose policy and key must let SES publish). */
  sendEventsTo(topicArn: pulumi.Input<string>): aws.sesv2.ConfigurationSetEventDestination {
    return new aws.sesv2.ConfigurationSetEventDestination(
      `${this.name}-events`,
      {
        configurationSetName: this.configurationSetName,
        eventDestinationName: "bounces-and-complaints",
        eventDestination: { enabled: true, matchingEventTypes: ["BOUNCE", "COMPLAINT", "REJECT"], snsDestination: { topicArn } },
      },
      { parent: this },
    );
  }

  /** Send from the sender address, through the configuration set; both arrive as plain variables. */
  grantAccess(_grantee: string, _mode: true = true): AccessGrant {
    return {
      target: "email",
      taskStatements: [pulumi.all([this.identityArn, this.configurationSetArn]).apply(([i, c]) => sendStatements(i, c, this.fromAddress)[0])],
      secrets: {},
      secretArns: [],
      kmsKeyArns: [],
      environment: { EMAIL_FROM: this.fromAddress, EMAIL_CONFIGURATION_SET: this.configurationSetName },
    };
  }
}
