/**
 * The monitoring the design promises, on every synthesized stack: each service's storage (alarmed)
 * and network, the edge cache's hit rate (judged only with traffic), every certificate's expiry in
 * its own region, and errors, throttles and duration for every function.
 */
import { expect } from "chai";
import { alarmSpecs, ObservedStack } from "../components/observability-config";
import { OBSERVABILITY_DEFAULTS } from "../stacks/sections/observability";
import { fixture, FIXTURES, fixtureSettings, ofType, one, T } from "./helpers";
import { expectMonitoringCovers } from "./monitoring-checks";

for (const stack of FIXTURES) {
  const settings = fixtureSettings(stack);
  const t = settings.observability.thresholds;
  const timeouts = Object.fromEntries(settings.functions.map((f) => [f.name, f.timeoutSeconds]));

  describe(`Monitoring the design asks for (${stack})`, () => {
    it("alarms on every certificate's expiry in its region, every function's errors, throttles and duration, and every service's storage", async () => {
      const result = await fixture(stack);
      const { certificates, functions } = expectMonitoringCovers(result, t, timeouts);
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
