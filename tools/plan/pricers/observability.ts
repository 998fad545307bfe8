/** The observability tier of the monthly cost estimate: alarms, dashboards, logs. */
import type { SynthResource } from "../../harness";
import type { Pricer } from "../pricing";
import { averageTasks, n, plural } from "../pricing";

export const priceObservability: Pricer = ({ a, add, ofType, settings }) => {
  const alarms = ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
  const metricsOf = (alarm: SynthResource): number => {
    const queries: any[] = alarm.inputs.metricQueries ?? [];
    return queries.length > 0 ? queries.filter((q) => q.metric).length : 1;
  };
  const highRes = (alarm: SynthResource): boolean => {
    const periods: number[] = [alarm.inputs.period, ...(alarm.inputs.metricQueries ?? []).map((q: any) => q.metric?.period)].filter(
      (p) => typeof p === "number",
    );
    return periods.some((p) => p < 60);
  };
  const standardAlarms = alarms.filter((al) => !highRes(al));
  const standardMetrics = standardAlarms.reduce((sum, al) => sum + metricsOf(al), 0);
  const mathAlarms = standardAlarms.filter((al) => (al.inputs.metricQueries ?? []).length > 0).length;
  add(
    "CloudWatch metric alarms",
    "cloudwatch-alarm-standard-metric-month",
    standardMetrics,
    `${plural(standardAlarms.length, "standard alarm")} reading ${plural(standardMetrics, "metric")} (${mathAlarms} metric-math alarm(s) count each metric)`,
  );
  const highResAlarms = alarms.filter(highRes);
  const highResMetrics = highResAlarms.reduce((sum, al) => sum + metricsOf(al), 0);
  add(
    "CloudWatch high-resolution alarms",
    "cloudwatch-alarm-high-resolution-metric-month",
    highResMetrics,
    `${plural(highResAlarms.length, "alarm")} with a period under 60 s`,
  );
  // Each canary runs every rate minutes, every hour of the month (read from the resources: the
  // change review prices older commits' settings too, which may predate a section).
  const canaries = ofType("aws:synthetics/canary:Canary");
  const minutes = canaries.map((c) => Number(/^rate\((\d+) minutes?\)$/.exec(String(c.inputs.schedule?.expression ?? ""))?.[1] ?? 0));
  const runs = minutes.reduce((sum, m) => sum + (m > 0 ? (60 / m) * a.hoursPerMonth : 0), 0);
  add(
    "CloudWatch Synthetics canary runs",
    "synthetics-canary-run",
    runs,
    `${plural(canaries.length, "canary", "canaries")} every ${[...new Set(minutes)].join("/")} min x ${n(a.hoursPerMonth)} h`,
  );
  // Prometheus: every task's series, sampled every scrape interval, all month.
  if (ofType("aws:amp/workspace:Workspace").length > 0) {
    const tasks = settings.services.reduce((sum, s) => sum + averageTasks(s, a), 0);
    const interval = settings.prometheus?.scrapeIntervalSeconds ?? 15;
    const perMonth = tasks * a.prometheusSeriesPerTask * (60 / interval) * 60 * a.hoursPerMonth;
    add(
      "Managed Prometheus samples ingested",
      "amp-ingestion-10m-samples",
      perMonth / 1e7,
      `${n(tasks)} avg tasks x ${n(a.prometheusSeriesPerTask)} series every ${interval} s x ${n(a.hoursPerMonth)} h`,
    );
  }
  if (ofType("aws:grafana/workspace:Workspace").length > 0) {
    add("Managed Grafana editors", "grafana-editor-month", a.grafanaEditors, `${n(a.grafanaEditors)} active editor(s) assumed`);
    add("Managed Grafana viewers", "grafana-viewer-month", a.grafanaViewers, `${n(a.grafanaViewers)} active viewer(s) assumed`);
  }
  const composites = ofType("aws:cloudwatch/compositeAlarm:CompositeAlarm").length;
  add("CloudWatch composite alarms", "cloudwatch-composite-alarm-month", composites, plural(composites, "composite alarm"));
  const dashboards = ofType("aws:cloudwatch/dashboard:Dashboard").length;
  add("CloudWatch dashboards", "cloudwatch-dashboard-month", dashboards, plural(dashboards, "dashboard"));
  const logGroups = ofType("aws:cloudwatch/logGroup:LogGroup").length;
  if (logGroups > 0) {
    add(
      "CloudWatch Logs ingestion",
      "cloudwatch-logs-ingestion-gb",
      a.logsIngestedGbPerMonth,
      `${n(a.logsIngestedGbPerMonth)} GB/month assumed over ${plural(logGroups, "log group")}`,
    );
    const months = settings.logRetentionDays / (365 / 12);
    add(
      "CloudWatch Logs storage",
      "cloudwatch-logs-storage-gb-month",
      a.logsIngestedGbPerMonth * months,
      `steady state: ${n(a.logsIngestedGbPerMonth)} GB/month x ${settings.logRetentionDays} days retention (${n(months)} months), uncompressed (upper bound)`,
    );
  }
};
