/**
 * The platform's dashboard for Amazon Managed Grafana, built from the same description of what the
 * stack runs as the CloudWatch dashboard (`ObservedStack`): Prometheus panels per service (targets
 * up, samples scraped), and CloudWatch panels for the load balancer and each service's CPU and
 * memory. Grafana's import format: `__inputs` ask for the two data sources on import. Pure.
 */
import type { ObservedStack } from "./observability-config";

const PROMETHEUS = "${DS_PROMETHEUS}";
const CLOUDWATCH = "${DS_CLOUDWATCH}";

type Panel = Record<string, unknown>;

function panel(id: number, title: string, datasource: string, targets: Record<string, unknown>[], y: number, x: number): Panel {
  return {
    id,
    title,
    type: "timeseries",
    datasource: { type: datasource === PROMETHEUS ? "prometheus" : "cloudwatch", uid: datasource },
    gridPos: { h: 8, w: 12, x, y },
    targets: targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), ...t })),
  };
}

/** A Grafana dashboard (JSON model, schema 39) of the stack, ready for Dashboards > Import. */
export function grafanaDashboard(stack: ObservedStack<string>): Record<string, unknown> {
  const panels: Panel[] = [];
  let id = 1;
  let y = 0;
  const cw = (namespace: string, metricName: string, dimensions: Record<string, string>, statistic: string) => ({
    namespace,
    metricName,
    dimensions,
    statistic,
    region: stack.region,
    matchExact: true,
    metricQueryType: 0,
    metricEditorMode: 0,
  });
  if (stack.loadBalancerArnSuffix) {
    const lb = { LoadBalancer: stack.loadBalancerArnSuffix };
    panels.push(
      panel(
        id++,
        "Load balancer: requests and 5xx",
        CLOUDWATCH,
        [cw("AWS/ApplicationELB", "RequestCount", lb, "Sum"), cw("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Sum")],
        y,
        0,
      ),
    );
    panels.push(panel(id++, "Load balancer: target response time p99", CLOUDWATCH, [cw("AWS/ApplicationELB", "TargetResponseTime", lb, "p99")], y, 12));
    y += 8;
  }
  for (const s of stack.services) {
    const job = JSON.stringify(s.name);
    panels.push(
      panel(
        id++,
        `${s.name}: targets up and samples scraped (Prometheus)`,
        PROMETHEUS,
        [
          { expr: `sum(up{job=${job}})`, legendFormat: "targets up" },
          { expr: `sum(scrape_samples_scraped{job=${job}})`, legendFormat: "samples per scrape" },
        ],
        y,
        0,
      ),
    );
    const ecs = { ClusterName: stack.clusterName, ServiceName: s.serviceName };
    panels.push(
      panel(
        id++,
        `${s.name}: CPU and memory (CloudWatch)`,
        CLOUDWATCH,
        [cw("AWS/ECS", "CPUUtilization", ecs, "Average"), cw("AWS/ECS", "MemoryUtilization", ecs, "Average")],
        y,
        12,
      ),
    );
    y += 8;
  }
  return {
    __inputs: [
      { name: "DS_PROMETHEUS", label: "Prometheus", type: "datasource", pluginId: "prometheus", pluginName: "Prometheus" },
      { name: "DS_CLOUDWATCH", label: "CloudWatch", type: "datasource", pluginId: "cloudwatch", pluginName: "CloudWatch" },
    ],
    title: stack.namePrefix,
    uid: stack.namePrefix.slice(0, 40),
    tags: ["platform"],
    timezone: "utc",
    schemaVersion: 39,
    time: { from: "now-6h", to: "now" },
    refresh: "1m",
    panels,
  };
}
