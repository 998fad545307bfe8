/**
 * Prometheus and Grafana (`platform:prometheus`, off by default), turned on for dev and prod:
 * the workspace, a collector beside every service scraping its endpoint every 15 s, the grants,
 * Grafana with its own role, the dashboard output, the flows, the pack and the plan's prices.
 */
import * as yaml from "js-yaml";
import { expect } from "chai";
import { collectorConfig, remoteWriteUrl } from "../components/metrics-workspace";
import { grafanaDashboard } from "../components/grafana-dashboard";
import { evaluateFlows } from "../tools/fidelity/evaluate";
import { flowCatalogue } from "../tools/fidelity/flows";
import { iamWorld } from "../tools/fidelity/iam-world";
import { unusedGrants } from "../tools/fidelity/least-privilege";
import { loadStackConfig, MOCK_ACCOUNT_ID, SynthResult } from "../tools/harness";
import { estimateCost } from "../tools/plan/cost";
import { coveredTypes, resourceTypes } from "../tools/policy-coverage";
import { resolveSettings, Settings } from "../stacks";
import { expectProblemAt } from "./config-helpers";
import { fixture, FIXTURE_DIR, FIXTURES, ofType, one, synthWith, T } from "./helpers";
import { mandatoryViolations } from "./invariants";

const AMP = "aws:amp/workspace:Workspace";
const GRAFANA = "aws:grafana/workspace:Workspace";
const ON = { "platform:prometheus": { enabled: true } };

describe("Prometheus and Grafana: pure parts", () => {
  it("builds the remote-write URL from the region and the workspace id", () => {
    expect(remoteWriteUrl("eu-west-1", "ws-0f1e")).to.equal("https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0f1e/api/v1/remote_write");
  });

  it("configures the collector to scrape the task itself and remote-write with SigV4 (service aps)", () => {
    const config = yaml.load(
      collectorConfig({ service: "user", port: 8080, path: "/metrics", intervalSeconds: 15, remoteWriteUrl: "https://w/rw", region: "eu-west-1" }),
    ) as any;
    expect(config.receivers.prometheus.config.global).to.deep.equal({ scrape_interval: "15s", scrape_timeout: "10s" });
    expect(config.receivers.prometheus.config.scrape_configs).to.deep.equal([
      { job_name: "user", metrics_path: "/metrics", static_configs: [{ targets: ["localhost:8080"] }] },
    ]);
    expect(config.exporters.prometheusremotewrite).to.deep.equal({
      endpoint: "https://w/rw",
      auth: { authenticator: "sigv4auth" },
      // Every task scrapes localhost: the task's ARN (ECS resource detector) as a label keeps their series apart.
      resource_to_telemetry_conversion: { enabled: true },
    });
    expect(config.processors.resourcedetection.detectors).to.include("ecs");
    expect(config.extensions.sigv4auth).to.deep.equal({ region: "eu-west-1", service: "aps" });
    expect(config.service.pipelines.metrics).to.deep.equal({
      receivers: ["prometheus"],
      processors: ["resourcedetection", "batch"],
      exporters: ["prometheusremotewrite"],
    });
    const fast = yaml.load(collectorConfig({ service: "u", port: 1, path: "/m", intervalSeconds: 5, remoteWriteUrl: "x", region: "r" })) as any;
    expect(fast.receivers.prometheus.config.global.scrape_timeout).to.equal("4s");
  });

  it("refuses an unpinned collector image and an out-of-range interval", () => {
    expectProblemAt(
      "dev",
      { "platform:prometheus": { enabled: true, collectorImage: "public.ecr.aws/aws-observability/aws-otel-collector:latest" } },
      "platform:prometheus.collectorImage",
      "public.ecr.aws/aws-observability/aws-otel-collector:latest",
      "v<x.y.z>",
    );
    expectProblemAt(
      "dev",
      { "platform:prometheus": { enabled: true, scrapeIntervalSeconds: 1 } },
      "platform:prometheus.scrapeIntervalSeconds",
      1,
      "from 5 to 300",
    );
    expectProblemAt("dev", { "platform:prometheus": { grafanaAuthentication: "IAM" } }, "platform:prometheus.grafanaAuthentication", "IAM", "AWS_SSO, SAML");
  });
});

describe("Prometheus and Grafana: off by default", () => {
  for (const stack of FIXTURES)
    it(`${stack} creates neither workspace nor collector`, async () => {
      const result = await fixture(stack);
      expect([...ofType(result, AMP), ...ofType(result, GRAFANA)]).to.deep.equal([]);
      for (const td of ofType(result, T.taskDefinition))
        expect(JSON.parse(td.inputs.containerDefinitions).map((c: any) => c.name)).to.not.include("metrics-collector");
    });
});

for (const stack of FIXTURES) {
  describe(`Prometheus and Grafana, turned on (${stack})`, function () {
    this.timeout(60000);
    let result: SynthResult;
    let settings: Settings;
    before(async () => {
      result = await synthWith(stack, ON, FIXTURE_DIR);
      const { project, config } = loadStackConfig(stack, FIXTURE_DIR);
      settings = resolveSettings({ project, stack, config: { ...config, "platform:prometheus": JSON.stringify(ON["platform:prometheus"]) } });
    });

    it("encrypts the workspace with the stack's key, protects both workspaces in prod, and gives Grafana its own role", () => {
      const workspace = one(result, AMP, "metrics-prometheus");
      expect(workspace.inputs).to.include({ alias: settings.namePrefix, kmsKeyArn: one(result, T.kmsKey, "platform-key").state.arn });
      const grafana = one(result, GRAFANA, "metrics-grafana");
      expect(grafana.inputs).to.deep.include({
        accountAccessType: "CURRENT_ACCOUNT",
        permissionType: "CUSTOMER_MANAGED",
        authenticationProviders: ["AWS_SSO"],
        dataSources: ["PROMETHEUS", "CLOUDWATCH"],
        roleArn: one(result, T.role, "metrics-grafana").state.arn,
      });
      expect([workspace.protect, grafana.protect]).to.deep.equal(stack === "prod" ? [true, true] : [false, false]);
      const trust = JSON.parse(one(result, T.role, "metrics-grafana").inputs.assumeRolePolicy).Statement[0];
      expect(trust.Condition).to.deep.equal({
        StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
        StringLike: { "aws:SourceArn": `arn:aws:grafana:${settings.region}:${MOCK_ACCOUNT_ID}:/workspaces/*` },
      });
    });

    it("runs a collector beside every service, scraping its own port every 15 s, and lets its task role write to this workspace only", () => {
      const workspace = one(result, AMP, "metrics-prometheus");
      for (const s of settings.services) {
        const td = one(result, T.taskDefinition, `${s.name}-svc-task`);
        const collector = JSON.parse(td.inputs.containerDefinitions).find((c: any) => c.name === "metrics-collector");
        expect(collector, s.name).to.include({ image: settings.prometheus.collectorImage, essential: false });
        const config = yaml.load(collector.environment.find((e: any) => e.name === "AOT_CONFIG_CONTENT").value) as any;
        expect(config.receivers.prometheus.config.scrape_configs[0]).to.deep.equal({
          job_name: s.name,
          metrics_path: "/metrics",
          static_configs: [{ targets: [`localhost:${s.port}`] }],
        });
        expect(config.exporters.prometheusremotewrite.endpoint).to.equal(remoteWriteUrl(settings.region, workspace.id!));
        const statements = JSON.parse(one(result, T.rolePolicy, `${s.name}-svc-task`).inputs.policy).Statement;
        expect(statements.filter((st: any) => [st.Action].flat().some((a: string) => a.startsWith("aps:")))).to.deep.equal([
          { Sid: "WriteMetrics", Effect: "Allow", Action: "aps:RemoteWrite", Resource: workspace.state.arn },
        ]);
      }
    });

    it("passes the pack, and every flow (remote write, Grafana's reads) is allowed with nothing granted that no flow needs", async () => {
      const { config } = loadStackConfig(stack, FIXTURE_DIR);
      expect(await mandatoryViolations(result, { ...config, "platform:prometheus": JSON.stringify(ON["platform:prometheus"]) })).to.deep.equal([]);
      const world = iamWorld(result, MOCK_ACCOUNT_ID);
      const flows = flowCatalogue(result, settings, MOCK_ACCOUNT_ID);
      expect(flows.map((f) => f.id)).to.include(`grafana:${settings.namePrefix}`);
      expect(flows.filter((f) => f.id.startsWith("ecs-app:")).every((f) => f.requests.some((r) => r.action === "aps:RemoteWrite"))).to.equal(true);
      const outcomes = await evaluateFlows(world, flows);
      expect(outcomes.filter((o) => !o.allowed).map((o) => o.detail)).to.deep.equal([]);
      expect(unusedGrants(world, outcomes).filter((u) => /metrics-grafana|WriteMetrics/.test(u))).to.deep.equal([]);
    });

    it("creates only types the policy coverage table covers", () => {
      const covered = new Set(coveredTypes());
      expect(resourceTypes(result).filter((t) => !covered.has(t))).to.deep.equal([]);
    });

    it("exports the platform's Grafana dashboard, and the plan prices samples and users", () => {
      const dashboard = JSON.parse(String(result.outputs.grafanaDashboard));
      expect(dashboard.__inputs.map((i: any) => i.pluginId)).to.deep.equal(["prometheus", "cloudwatch"]);
      const titles = dashboard.panels.map((p: any) => p.title);
      for (const s of settings.services) expect(titles).to.include(`${s.name}: targets up and samples scraped (Prometheus)`);
      expect(dashboard.panels.find((p: any) => p.title.startsWith(`${settings.services[0].name}: targets up`)).targets[0].expr).to.equal(
        `sum(up{job="${settings.services[0].name}"})`,
      );
      const cost = estimateCost(result, settings);
      const samples = cost.lines.find((l) => l.priceId === "amp-ingestion-10m-samples")!;
      const tasks = settings.services.reduce((sum, s) => sum + s.minTasks + cost.assumptions.averageTasksFactor * (s.maxTasks - s.minTasks), 0);
      expect(samples.quantity).to.be.closeTo((tasks * cost.assumptions.prometheusSeriesPerTask * 4 * 60 * 730) / 1e7, 1e-6);
      expect(cost.lines.find((l) => l.priceId === "grafana-editor-month")!.quantity).to.equal(cost.assumptions.grafanaEditors);
    });
  });
}

describe("Prometheus and Grafana: the dashboard builder", () => {
  it("has a load-balancer row and a row per service, each panel on its data source", () => {
    const d = grafanaDashboard({
      namePrefix: "p",
      region: "eu-west-1",
      clusterName: "c",
      loadBalancerArnSuffix: "app/lb/1",
      services: [{ name: "api", serviceName: "api-s", minTasks: 1 }],
      queues: [],
    }) as any;
    expect(d.panels.map((p: any) => [p.title, p.datasource.type])).to.deep.equal([
      ["Load balancer: requests and 5xx", "cloudwatch"],
      ["Load balancer: target response time p99", "cloudwatch"],
      ["api: targets up and samples scraped (Prometheus)", "prometheus"],
      ["api: CPU and memory (CloudWatch)", "cloudwatch"],
    ]);
    expect(d.panels[3].targets[0].dimensions).to.deep.equal({ ClusterName: "c", ServiceName: "api-s" });
    expect(new Set(d.panels.map((p: any) => p.id)).size).to.equal(4);
  });
});
