/**
 * Notifications that are sent (`platform:email`, `access.email`): the SES identity of the site's
 * domain and its DNS (DKIM, MAIL FROM, SPF), the configuration set and where its events go, and
 * the one grant a sender gets. Every shipped stack, whatever its config says. The IAM proof of a
 * send and of the events reaching the encrypted topic is in test/flows.test.ts (`ecs-app:*`,
 * `ses-events:*`).
 */
import { expect } from "chai";
import { dkimRecord, mailFromRecords, sendStatements } from "../components/mail-sender";
import { smsStatements } from "../components/sms-sender";
import { evaluateFlows, evaluateRequest } from "../tools/fidelity/evaluate";
import { flowCatalogue } from "../tools/fidelity/flows";
import { iamWorld } from "../tools/fidelity/iam-world";
import { unusedGrants } from "../tools/fidelity/least-privilege";
import { loadStackConfig, MOCK_ACCOUNT_ID, synthesize } from "../tools/harness";
import { mandatoryViolations } from "./invariants";
import { SynthResult } from "../tools/harness";
import { editServices, expectProblem } from "./config-helpers";
import { ofType, one, settingsOf, STACKS, synth, T } from "./helpers";

describe("e-mail: records and grant (pure)", () => {
  it("writes Easy DKIM's CNAME per token and SES's MAIL FROM records", () => {
    expect(dkimRecord("abc", "shop.example.com")).to.deep.equal({ name: "abc._domainkey.shop.example.com", value: "abc.dkim.amazonses.com" });
    expect(mailFromRecords("eu-west-1")).to.deep.equal({ mx: "10 feedback-smtp.eu-west-1.amazonses.com", spf: '"v=spf1 include:amazonses.com ~all"' });
  });
  it("lets a sender send from its one address, through the stack's identity and configuration set only", () => {
    expect(sendStatements("arn:id", "arn:cs", "no-reply@shop.example.com")).to.deep.equal([
      {
        Sid: "SendFromTheSiteOnly",
        Effect: "Allow",
        Action: "ses:SendEmail",
        Resource: ["arn:id", "arn:cs"],
        Condition: { StringEquals: { "ses:FromAddress": "no-reply@shop.example.com" } },
      },
    ]);
  });
  it("refuses access.email in a stack that sends none, naming the key", () => {
    const problem = expectProblem(
      "dev",
      (config) => {
        config["platform:email"] = JSON.stringify({ enabled: false });
        editServices(config, (services) => {
          services[0].access = { ...(services[0].access ?? {}), email: true };
        });
      },
      "platform:services[0].access.email",
      true,
    );
    expect(problem.allowed).to.equal("the stack has no e-mail sending (platform:email.enabled is false)");
  });
});

for (const stack of STACKS) {
  const settings = settingsOf(stack);
  if (!settings.email.enabled) continue;
  describe(`e-mail (${stack})`, () => {
    let result: SynthResult;
    before(async () => {
      result = await synth(stack);
    });

    it("verifies the site's domain with 2048-bit Easy DKIM, its three CNAMEs in the zone", () => {
      const identity = one(result, "aws:sesv2/emailIdentity:EmailIdentity", "email-identity");
      expect(identity.inputs).to.include({ emailIdentity: settings.domain });
      expect(identity.inputs.dkimSigningAttributes).to.deep.equal({ nextSigningKeyLength: "RSA_2048_BIT" });
      const tokens: string[] = identity.state.dkimSigningAttributes.tokens;
      const records = ofType(result, T.record).filter((r) => r.name.startsWith("email-dkim-"));
      expect(records.map((r) => [r.inputs.name, r.inputs.type, r.inputs.records])).to.deep.equal(
        tokens.map((t) => [`${t}._domainkey.${settings.domain}`, "CNAME", [`${t}.dkim.amazonses.com`]]),
      );
    });

    it("sends from a custom MAIL FROM domain with its MX and SPF, falling back to SES's on MX failure", () => {
      const attrs = one(result, "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes", "email-mail-from").inputs;
      expect(attrs.mailFromDomain.endsWith(`.${settings.domain}`)).to.equal(true);
      expect(attrs.behaviorOnMxFailure).to.equal("USE_DEFAULT_VALUE");
      const mx = one(result, T.record, "email-mail-from-mx").inputs;
      expect(mx).to.include({ name: attrs.mailFromDomain, type: "MX" });
      expect(mx.records).to.deep.equal([`10 feedback-smtp.${settings.region}.amazonses.com`]);
      expect(one(result, T.record, "email-mail-from-spf").inputs).to.deep.include({
        name: attrs.mailFromDomain,
        type: "TXT",
        records: ['"v=spf1 include:amazonses.com ~all"'],
      });
    });

    it("requires TLS, tracks reputation, suppresses bounced and complaining addresses, and reports them to the alert topic", () => {
      const set = one(result, "aws:sesv2/configurationSet:ConfigurationSet", "email-configuration").inputs;
      expect(set).to.deep.include({
        configurationSetName: settings.namePrefix,
        deliveryOptions: { tlsPolicy: "REQUIRE" },
        reputationOptions: { reputationMetricsEnabled: true },
        suppressionOptions: { suppressedReasons: ["BOUNCE", "COMPLAINT"] },
      });
      const destination = one(result, "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination", "email-events").inputs;
      const topic = one(result, T.topic, "observability-alerts");
      expect(destination.eventDestination).to.deep.equal({
        enabled: true,
        matchingEventTypes: ["BOUNCE", "COMPLAINT", "REJECT"],
        snsDestination: { topicArn: topic.state.arn },
      });
      const statement = JSON.parse(one(result, T.topicPolicy, "observability-alerts").inputs.policy).Statement.find((s: any) => s.Sid === "EmailEventsPublish");
      expect(statement.Principal).to.deep.equal({ Service: "ses.amazonaws.com" });
      expect(statement.Condition.StringEquals).to.deep.equal({ "aws:SourceAccount": "123456789012" });
    });

    it("grants exactly the services that declare access.email the send, and tells them the sender and configuration set", () => {
      const from = `${settings.email.sender}@${settings.domain}`;
      for (const s of settings.services) {
        const policy = ofType(result, T.rolePolicy).find((p) => p.name === `${s.name}-svc-task`);
        const statements = policy ? JSON.parse(policy.inputs.policy).Statement : [];
        const send = statements.filter((st: any) => [st.Action].flat().some((a: string) => a.startsWith("ses:")));
        const env = Object.fromEntries(
          JSON.parse(one(result, T.taskDefinition, `${s.name}-svc-task`).inputs.containerDefinitions)[0].environment.map((e: any) => [e.name, e.value]),
        );
        if (!s.access.email) {
          expect(send, s.name).to.deep.equal([]);
          expect(env.EMAIL_FROM, s.name).to.equal(undefined);
          continue;
        }
        expect(send).to.have.length(1);
        expect(send[0].Condition).to.deep.equal({ StringEquals: { "ses:FromAddress": from } });
        expect(send[0].Resource).to.deep.equal([
          one(result, "aws:sesv2/emailIdentity:EmailIdentity", "email-identity").state.arn,
          one(result, "aws:sesv2/configurationSet:ConfigurationSet", "email-configuration").state.arn,
        ]);
        expect(env).to.include({ EMAIL_FROM: from, EMAIL_CONFIGURATION_SET: settings.namePrefix });
      }
    });
  });
}

describe("SMS (prod with SMS on for the notification worker, a test config)", function () {
  this.timeout(60_000);
  const settings = settingsOf("prod");
  const sender = settings.services.find((s) => s.access.email) ?? settings.services[0];
  const services = settings.services.map((s) => (s.name === sender.name ? { ...s, access: { ...s.access, sms: true } } : s));
  const overrides = {
    "platform:email": { ...settings.email, sms: { enabled: true, monthlySpendLimitUsd: 50 } },
    "platform:services": JSON.parse(loadStackConfig("prod").config["platform:services"]).map((raw: any) =>
      raw.name === sender.name ? { ...raw, access: { ...(raw.access ?? {}), sms: true } } : raw,
    ),
  };
  let result: SynthResult;
  before(async () => {
    result = await synthesize({ stack: "prod", overrides });
  });

  it("sets the account's SMS preferences: transactional, with the spending limit", () => {
    expect(one(result, "aws:sns/smsPreferences:SmsPreferences", "sms-preferences").inputs).to.include({
      defaultSmsType: "Transactional",
      monthlySpendLimit: 50,
    });
  });

  it("lets exactly the declaring service publish to phone numbers and to no topic, passing the pack", async () => {
    const statements = JSON.parse(one(result, T.rolePolicy, `${sender.name}-svc-task`).inputs.policy).Statement;
    expect(statements.filter((st: any) => String(st.Sid).includes("Sms") || String(st.Sid).includes("Topics"))).to.deep.equal(smsStatements());
    for (const s of services.filter((x) => x.name !== sender.name)) {
      const policy = ofType(result, T.rolePolicy).find((p) => p.name === `${s.name}-svc-task`);
      expect(policy ? policy.inputs.policy : "", s.name).to.not.contain("sns:Publish");
    }
    const config = { ...loadStackConfig("prod").config, ...Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, JSON.stringify(v)])) };
    expect(await mandatoryViolations(result, config)).to.deep.equal([]);
    const world = iamWorld(result, MOCK_ACCOUNT_ID);
    const mutatedSettings = { ...settings, email: { ...settings.email, sms: { enabled: true, monthlySpendLimitUsd: 50 } }, services } as typeof settings;
    const outcomes = await evaluateFlows(world, flowCatalogue(result, mutatedSettings, MOCK_ACCOUNT_ID));
    expect(outcomes.filter((o) => !o.allowed).map((o) => o.detail)).to.deep.equal([]);
    expect(unusedGrants(world, outcomes)).to.deep.equal([]);
    const role = one(result, T.role, `${sender.name}-svc-task`).state.arn;
    const topic = one(result, T.topic, "observability-alerts").state.arn;
    const flow = { id: "sms-to-topic", title: "publish to a topic with the SMS grant", source: "test", principal: role, requests: [] };
    expect((await evaluateRequest(world, flow, { action: "sns:Publish", resource: topic })).allowed, "the SMS grant reaches no topic").to.equal(false);
  });
});
