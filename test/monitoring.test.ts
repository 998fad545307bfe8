/**
 * The monitoring the design promises, on every synthesized stack: each service's storage (alarmed)
 * and network, the edge cache's hit rate (judged only with traffic), every certificate's expiry in
 * its own region, and errors, throttles and duration for every function.
 */
import { expect } from "chai";
import { alarmSpecs, ObservedStack } from "../components/observability-config";
import { OBSERVABILITY_DEFAULTS } from "../stacks/sections/observability";
import { SynthResult, synthesize } from "../tools/harness";
import { fixture, FIXTURES, fixtureSettings, ofType, one, T } from "./helpers";

const alarmsOf = (result: SynthResult) => ofType(result, T.metricAlarm);
const widgetsOf = (result: SynthResult, name = "observability-dashboard"): any[] => JSON.parse(one(result, T.dashboard, name).inputs.dashboardBody).widgets;
const topicArn = (result: SynthResult, region: string) =>
  ofType(result, T.topic).find((t) => t.name.startsWith("observability-") && t.region === region)!.state.arn;

function covers(result: SynthResult, thresholds: typeof OBSERVABILITY_DEFAULTS.prod.thresholds, timeouts: Record<string, number>) {
  const alarms = alarmsOf(result);
  const dimensioned = (metric: string, key: string, value: string) =>
    alarms.filter(
      (a) =>
        (a.inputs.metricName === metric && a.inputs.dimensions?.[key] === value) ||
        (a.inputs.metricQueries ?? []).some((q: any) => q.metric?.metricName === metric && q.metric.dimensions?.[key] === value),
    );

  // Every certificate: an expiry alarm in the certificate's own region, notifying that region's topic.
  const certificates = ofType(result, T.certificate);
  expect(certificates.length).to.be.above(0);
  for (const c of certificates) {
    const [alarm, ...more] = dimensioned("DaysToExpiry", "CertificateArn", c.state.arn);
    expect(more, c.name).to.deep.equal([]);
    expect(alarm, `no expiry alarm for ${c.name}`).to.not.equal(undefined);
    expect(alarm.region, c.name).to.equal(c.region);
    expect(alarm.inputs).to.include({
      namespace: "AWS/CertificateManager",
      threshold: thresholds.certificateExpiryDays,
      comparisonOperator: "LessThanOrEqualToThreshold",
      statistic: "Minimum",
      period: 86400,
    });
    expect(alarm.inputs.alarmActions).to.deep.equal([topicArn(result, c.region)]);
  }

  // Every function: errors as a share of invocations, throttles, and p90 duration near its timeout.
  const functions = ofType(result, T.lambda);
  for (const f of functions) {
    const name = f.inputs.name ?? f.state.name;
    const mine = [
      ...new Set([
        ...dimensioned("Errors", "FunctionName", name),
        ...dimensioned("Throttles", "FunctionName", name),
        ...dimensioned("Duration", "FunctionName", name),
      ]),
    ];
    expect(mine.map((a) => a.name.replace(/^.*-(errors|throttles|duration-near-timeout)$/, "$1")).sort(), name).to.deep.equal([
      "duration-near-timeout",
      "errors",
      "throttles",
    ]);
    const duration = mine.find((a) => a.name.endsWith("duration-near-timeout"))!.inputs;
    expect(duration).to.include({ extendedStatistic: "p90", threshold: (f.inputs.timeout * 1000 * thresholds.functionDurationPercentOfTimeout) / 100 });
    const configured = Object.keys(timeouts).find((n) => name.endsWith(`-${n}`));
    expect(configured, `${name} is not a configured function`).to.be.a("string");
    expect(f.inputs.timeout, name).to.equal(timeouts[configured!]);
    const errors = mine.find((a) => a.name.endsWith("-errors"))!.inputs;
    expect(errors.threshold).to.equal(thresholds.functionErrorPercent);
    expect(errors.metricQueries.map((q: any) => q.metric?.metricName ?? q.expression)).to.deep.equal(["Errors", "Invocations", "IF(m1 > 0, 100 * m0 / m1, 0)"]);
    for (const a of mine) expect(a.region).to.equal(f.region);
  }

  // Every ECS service: ephemeral storage as a share of what its tasks reserve, alarmed; storage and network graphed.
  const widgets = widgetsOf(result);
  for (const svc of ofType(result, T.ecsService)) {
    const serviceName = svc.state.name;
    const storage = dimensioned("EphemeralStorageUtilized", "ServiceName", serviceName);
    expect(storage, serviceName).to.have.length(1);
    expect(storage[0].inputs.threshold).to.equal(thresholds.serviceStoragePercent);
    expect(storage[0].inputs.metricQueries.map((q: any) => q.metric?.metricName ?? q.expression)).to.deep.equal([
      "EphemeralStorageUtilized",
      "EphemeralStorageReserved",
      "IF(m1 > 0, 100 * m0 / m1, 0)",
    ]);
    const graphed = widgets.filter((w) => w.type === "metric" && JSON.stringify(w.properties.metrics).includes(`"${serviceName}"`));
    const metrics = graphed.flatMap((w) => w.properties.metrics.map((m: unknown[]) => m[1]));
    expect(metrics, serviceName).to.include.members(["EphemeralStorageUtilized", "EphemeralStorageReserved", "NetworkRxBytes", "NetworkTxBytes"]);
  }
  return { certificates, functions };
}

for (const stack of FIXTURES) {
  const settings = fixtureSettings(stack);
  const t = settings.observability.thresholds;
  const timeouts = Object.fromEntries(settings.functions.map((f) => [f.name, f.timeoutSeconds]));

  describe(`Monitoring the design asks for (${stack})`, () => {
    it("alarms on every certificate's expiry in its region, every function's errors, throttles and duration, and every service's storage", async () => {
      const result = await fixture(stack);
      const { certificates, functions } = covers(result, t, timeouts);
      expect(certificates.map((c) => c.region).sort()).to.include.members(["us-east-1", settings.region]);
      expect(functions.length).to.equal(settings.functions.length).and.be.above(0);
    });

    it("judges CloudFront's hit rate against the target only with enough traffic, and has the metric subscription it needs", async () => {
      const result = await fixture(stack);
      const alarm = one(result, T.metricAlarm, "observability-cdn-cache-hit-rate-low");
      expect(alarm.region).to.equal("us-east-1");
      expect(alarm.inputs).to.include({
        threshold: t.cdnCacheHitRatePercent,
        comparisonOperator: "LessThanThreshold",
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
      });
      const [hit, requests, expression] = alarm.inputs.metricQueries;
      const distribution = one(result, "aws:cloudfront/distribution:Distribution", "edge-cdn").id;
      expect(hit.metric).to.deep.include({
        metricName: "CacheHitRate",
        stat: "Average",
        period: 300,
        dimensions: { DistributionId: distribution, Region: "Global" },
      });
      expect(requests.metric).to.deep.include({ metricName: "Requests", stat: "Sum", period: 300 });
      expect(expression.expression).to.equal(`IF(m1 >= ${t.cdnCacheHitMinRequests}, m0, 100)`);
      // CacheHitRate is one of the additional metrics: without the subscription it is never published.
      expect(ofType(result, "aws:cloudfront/monitoringSubscription:MonitoringSubscription").map((m) => m.inputs.distributionId)).to.deep.equal([distribution]);
    });
  });
}

describe("Monitoring the design asks for (prod-dr, the standby)", function () {
  this.timeout(60000);
  it("alarms on its own origin certificate, functions and services, in its region", async () => {
    const result = await synthesize({ stack: "prod-dr" });
    const settings = fixtureSettings("prod");
    const { certificates } = covers(
      result,
      OBSERVABILITY_DEFAULTS.prod.thresholds,
      Object.fromEntries(settings.functions.map((f) => [f.name, f.timeoutSeconds])),
    );
    expect(certificates.map((c) => c.region)).to.deep.equal(["eu-central-1"]);
  });
});

describe("Monitoring builders (pure)", () => {
  const t = OBSERVABILITY_DEFAULTS.prod.thresholds;
  const stack: ObservedStack<string> = {
    namePrefix: "p",
    region: "eu-west-1",
    clusterName: "c",
    services: [],
    queues: [],
    functions: [{ name: "orders", functionName: "p-orders", timeoutSeconds: 30 }],
    certificates: [
      { name: "site", certificateArn: "arn:cert/site", home: "us-east-1" },
      { name: "origin", certificateArn: "arn:cert/origin", home: "stack" },
    ],
  };

  it("sets the duration alarm at the configured share of each function's own timeout", () => {
    const duration = alarmSpecs(stack, t).find((a) => a.key === "fn-orders-duration-near-timeout")!;
    expect(duration.threshold).to.equal(24000);
    expect(alarmSpecs({ ...stack, functions: [{ ...stack.functions![0], timeoutSeconds: 60 }] }, t).find((a) => a.key === duration.key)!.threshold).to.equal(
      48000,
    );
  });

  it("puts each certificate's alarm where its metric is", () => {
    const homes = alarmSpecs(stack, t)
      .filter((a) => a.key.startsWith("certificate-"))
      .map((a) => [a.key, a.home]);
    expect(homes).to.deep.equal([
      ["certificate-site-expiry", "us-east-1"],
      ["certificate-origin-expiry", "stack"],
    ]);
  });

  it("states every new threshold in each environment's profile", () => {
    for (const env of ["dev", "staging", "prod"] as const) {
      const th = OBSERVABILITY_DEFAULTS[env].thresholds;
      for (const key of [
        "cdnCacheHitRatePercent",
        "cdnCacheHitMinRequests",
        "serviceStoragePercent",
        "certificateExpiryDays",
        "functionErrorPercent",
        "functionDurationPercentOfTimeout",
      ] as const)
        expect(th[key], `${env}.${key}`).to.be.a("number");
    }
    expect(OBSERVABILITY_DEFAULTS.prod.thresholds.cdnCacheHitRatePercent).to.equal(70);
  });
});
