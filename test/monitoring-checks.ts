/**
 * What every synthesized stack's monitoring must cover, whatever its config: an expiry alarm for
 * every certificate in its own region, errors, throttles and duration for every function, storage
 * for every service. Shared by the fixture stacks' tests and the standby's.
 */
import { expect } from "chai";
import type { AlarmThresholds } from "../stacks/settings";
import { SynthResult } from "../tools/harness";
import { ofType, one, T } from "./helpers";

const alarmsOf = (result: SynthResult) => ofType(result, T.metricAlarm);
const widgetsOf = (result: SynthResult, name = "observability-dashboard"): any[] => JSON.parse(one(result, T.dashboard, name).inputs.dashboardBody).widgets;
const topicArn = (result: SynthResult, region: string) =>
  ofType(result, T.topic).find((t) => t.name.startsWith("observability-") && t.region === region)!.state.arn;

export function expectMonitoringCovers(result: SynthResult, thresholds: AlarmThresholds, timeouts: Record<string, number>) {
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
