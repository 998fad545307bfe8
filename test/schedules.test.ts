/**
 * Scheduled work through EventBridge Scheduler (`platform:schedules`): the delivery settings and
 * the trust each schedule gets (pure), the config rules, and for every shipped stack each
 * schedule's target, role, dead-letter queue and alarms. The IAM proof of each delivery is a
 * `scheduler:<name>` flow in test/flows.test.ts.
 */
import { expect } from "chai";
import { invokeStatements, schedulerTrustPolicy, scheduleTiming } from "../components/schedules";
import { ScheduleSettings } from "../stacks";
import { SynthResult } from "../tools/harness";
import { invocationsPerMonth } from "../tools/plan/pricers/messaging";
import { expectProblem } from "./config-helpers";
import { ofType, one, settingsOf, STACKS, synth, T } from "./helpers";

const base: ScheduleSettings = {
  name: "s",
  expression: "rate(1 hour)",
  timezone: "UTC",
  flexibleWindowMinutes: 0,
  retryAttempts: 3,
  maxEventAgeMinutes: 60,
  enabled: true,
  queue: "q",
};

describe("schedules: delivery settings and trust (pure)", () => {
  it("fires exactly on time without a window, within it with one; retries within the event's age", () => {
    expect(scheduleTiming(base)).to.deep.equal({
      flexibleTimeWindow: { mode: "OFF" },
      retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
    });
    expect(scheduleTiming({ ...base, flexibleWindowMinutes: 15 }).flexibleTimeWindow).to.deep.equal({ mode: "FLEXIBLE", maximumWindowInMinutes: 15 });
  });

  it("lets only this account's schedules of one group assume a schedule's role", () => {
    const group = "arn:aws:scheduler:eu-west-1:123456789012:schedule-group/platform-prod";
    expect(schedulerTrustPolicy("123456789012", group).Statement).to.deep.equal([
      {
        Effect: "Allow",
        Principal: { Service: "scheduler.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012", "aws:SourceArn": group } },
      },
    ]);
    expect(invokeStatements("arn:fn")[0].Resource).to.deep.equal(["arn:fn", "arn:fn:*"]);
  });

  it("counts a month's invocations: exact for rate() and at(), an estimate for cron()", () => {
    expect(invocationsPerMonth("rate(1 hour)")).to.equal(730);
    expect(invocationsPerMonth("rate(15 minutes)")).to.equal(2920);
    expect(invocationsPerMonth("rate(2 days)")).to.be.closeTo(15.2, 0.1);
    expect(invocationsPerMonth("at(2026-12-24T18:00:00)")).to.equal(1);
    expect(invocationsPerMonth("cron(0 9 ? * MON *)")).to.be.closeTo(4.35, 0.01);
    expect(invocationsPerMonth("cron(0/15 * * * ? *)")).to.be.closeTo(2920, 1);
    expect(invocationsPerMonth("cron(0 6 1 * ? *)")).to.equal(1);
    expect(invocationsPerMonth("cron(0 8,20 ? * MON-FRI *)")).to.be.closeTo(2 * 5 * (730 / 24 / 7), 0.01);
  });
});

describe("schedules: config", () => {
  const withSchedule = (schedule: Record<string, unknown>) => (config: Record<string, string>) => {
    const queue = JSON.parse(config["platform:queues"] ?? "[]")[0]?.name ?? "none";
    config["platform:schedules"] = JSON.stringify([{ name: "nightly", expression: "rate(1 day)", queue, ...schedule }]);
  };
  it("names the key, the value and what is allowed for a bad expression, timezone or window", () => {
    expect(expectProblem("dev", withSchedule({ expression: "rate(1 minutes)" }), "platform:schedules[0].expression", "rate(1 minutes)").allowed).to.match(
      /^must be rate/,
    );
    expect(expectProblem("dev", withSchedule({ expression: "cron(0 9 * * *)" }), "platform:schedules[0].expression", "cron(0 9 * * *)").allowed).to.match(
      /six fields/,
    );
    expect(expectProblem("dev", withSchedule({ timezone: "CET+1" }), "platform:schedules[0].timezone", "CET+1").allowed).to.match(/IANA/);
    expect(
      expectProblem(
        "dev",
        withSchedule({ expression: "at(2026-12-24T18:00:00)", flexibleWindowMinutes: 10 }),
        "platform:schedules[0].flexibleWindowMinutes",
        10,
      ).allowed,
    ).to.match(/one-time/);
  });
  it("needs exactly one target, and one the stack has", () => {
    expect(expectProblem("dev", withSchedule({ queue: "nowhere" }), "platform:schedules[0].queue", "nowhere").allowed).to.match(
      /^must name a queue of this stack/,
    );
    expect(expectProblem("dev", withSchedule({ queue: undefined }), "platform:schedules[0]", { queue: undefined, function: undefined }).allowed).to.equal(
      "must name exactly one target: queue or function",
    );
  });
});

for (const stack of STACKS) {
  const settings = settingsOf(stack);
  describe(`schedules (${stack})`, () => {
    let result: SynthResult;
    before(async () => {
      result = await synth(stack);
    });

    it("has one group and one dead-letter queue exactly when it has schedules, and a schedule per entry", () => {
      const any = settings.schedules.length > 0;
      expect(ofType(result, "aws:scheduler/scheduleGroup:ScheduleGroup")).to.have.length(any ? 1 : 0);
      expect(ofType(result, "aws:scheduler/schedule:Schedule").map((s) => s.inputs.name)).to.deep.equal(settings.schedules.map((s) => s.name));
      expect(ofType(result, T.queue).filter((q) => q.name === "schedules-dlq")).to.have.length(any ? 1 : 0);
    });

    for (const s of settings.schedules) {
      it(`${s.name}: delivers its message to its target as configured, failures to the encrypted dead-letter queue`, () => {
        const schedule = one(result, "aws:scheduler/schedule:Schedule", `schedules-${s.name}`).inputs;
        const dlq = one(result, T.queue, "schedules-dlq");
        const target = s.queue ? one(result, T.queue, `queue-${s.queue}`) : one(result, "aws:lambda/function:Function", `fn-${s.function}`);
        expect(schedule).to.include({
          groupName: settings.namePrefix,
          scheduleExpression: s.expression,
          scheduleExpressionTimezone: s.timezone,
          state: s.enabled ? "ENABLED" : "DISABLED",
        });
        expect(schedule.flexibleTimeWindow).to.deep.equal(scheduleTiming(s).flexibleTimeWindow);
        expect(schedule.target).to.deep.include({
          arn: target.state.arn,
          input: s.message,
          deadLetterConfig: { arn: dlq.state.arn },
          retryPolicy: scheduleTiming(s).retryPolicy,
        });
        expect(dlq.inputs.kmsMasterKeyId)
          .to.be.a("string")
          .and.match(/^arn:aws:kms:/);
      });

      it(`${s.name}: its role is trusted by this group's schedules only and may send to exactly its target and the dead-letter queue`, () => {
        const role = one(result, T.role, `schedules-${s.name}`);
        const group = one(result, "aws:scheduler/scheduleGroup:ScheduleGroup", "schedules-group").state.arn;
        expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Condition).to.deep.equal({
          StringEquals: { "aws:SourceAccount": "123456789012", "aws:SourceArn": group },
        });
        const statements = JSON.parse(one(result, T.rolePolicy, `schedules-${s.name}`).inputs.policy).Statement;
        const target = s.queue ? one(result, T.queue, `queue-${s.queue}`).state.arn : one(result, "aws:lambda/function:Function", `fn-${s.function}`).state.arn;
        const granted = statements.filter((st: any) => !String(st.Action).startsWith("kms:")).flatMap((st: any) => [st.Resource].flat());
        expect(granted.sort()).to.deep.equal([...(s.queue ? [target] : [target, `${target}:*`]), one(result, T.queue, "schedules-dlq").state.arn].sort());
        for (const st of statements.filter((x: any) => String(x.Action).startsWith("kms:")))
          expect(st.Condition).to.deep.equal({ StringEquals: { "kms:ViaService": `sqs.${settings.region}.amazonaws.com` } });
      });
    }

    if (settings.schedules.length > 0)
      it("alarms on dead letters, lost and dropped deliveries of its group, and on the dead-letter queue's depth", () => {
        const group = one(result, "aws:scheduler/scheduleGroup:ScheduleGroup", "schedules-group").state.name;
        const alarms = ofType(result, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.namespace === "AWS/Scheduler");
        expect(alarms.map((a) => a.inputs.metricName).sort()).to.deep.equal([
          "InvocationDroppedCount",
          "InvocationsFailedToBeSentToDeadLetterCount",
          "InvocationsSentToDeadLetterCount",
        ]);
        for (const a of alarms) expect(a.inputs.dimensions).to.deep.equal({ ScheduleGroup: group });
        expect(one(result, "aws:cloudwatch/metricAlarm:MetricAlarm", "observability-schedules-dlq-messages").inputs.dimensions).to.deep.equal({
          QueueName: one(result, T.queue, "schedules-dlq").state.name,
        });
      });
  });
}
