import { expect } from "chai";
import { alarmSpecs, cacheNodeIds, dashboardBody, degradedRules, ObservedStack } from "../components/observability-config";
import { loadStackConfig, SynthResult } from "../tools/harness";
import { fixture, FIXTURE_DIR, FIXTURES, fixtureSettings, ofType, one, policyOf, synthWith, T } from "./helpers";

function alarmsOf(result: SynthResult) {
  return ofType(result, T.metricAlarm);
}

function dashboardOf(result: SynthResult): { widgets: any[] } {
  return JSON.parse(one(result, T.dashboard, "observability-dashboard").inputs.dashboardBody);
}

for (const stack of FIXTURES) {
  const prod = stack === "prod";
  const settings = fixtureSettings(stack);
  const t = settings.observability.thresholds;
  const prefix = `platform-${stack}`;

  describe(`Observability (${stack})`, () => {
    it("has one dashboard with widgets for every service, data store and the edge", async () => {
      const result = await fixture(stack);
      expect(one(result, T.dashboard, "observability-dashboard").inputs.dashboardName).to.equal(prefix);
      const titles = dashboardOf(result)
        .widgets.filter((w) => w.type === "metric")
        .map((w) => w.properties.title as string);
      for (const service of settings.services) {
        expect(titles).to.include(`${service.name}: CPU and memory`);
        expect(titles).to.include(`${service.name}: running vs desired tasks`);
      }
      expect(titles).to.include.members([
        "Requests and error rates",
        "Target response time",
        "Healthy / unhealthy hosts",
        "CPU and connections",
        "Freeable memory and replica lag",
        "Read / write latency",
        "CPU and engine CPU",
        "Memory and evictions",
        "Cache hit rate",
        "CloudFront requests, cache hit rate and 5xx rate",
        "WAF allowed vs blocked",
      ]);
    });

    it("sends every alarm to the alert topic of its region, with OK notifications too", async () => {
      const result = await fixture(stack);
      const regional = one(result, T.topic, "observability-alerts");
      const global = one(result, T.topic, "observability-global-alerts");
      expect(global.region).to.equal("us-east-1");
      const alarms = alarmsOf(result);
      expect(alarms.length).to.be.greaterThan(15);
      for (const alarm of alarms) {
        const topic = alarm.region === "us-east-1" ? global : regional;
        expect(alarm.inputs.alarmActions, alarm.name).to.deep.equal([topic.state.arn]);
        expect(alarm.inputs.okActions, alarm.name).to.deep.equal([topic.state.arn]);
        expect(alarm.inputs.treatMissingData, alarm.name).to.be.oneOf(["breaching", "notBreaching", "missing", "ignore"]);
        expect(alarm.inputs.name, alarm.name).to.match(new RegExp(`^${prefix}-`));
      }
      const edgeAlarms = alarms.filter((a) => /cdn-5xx-rate|site-health-check/.test(a.name));
      expect(edgeAlarms).to.have.length(2);
      for (const a of edgeAlarms) expect(a.provider, a.name).to.equal("us-east-1");
    });

    it("encrypts both alert topics, subscribes the alert e-mails and lets alarms and EventBridge publish (EventBridge without source conditions on the key)", async () => {
      const result = await fixture(stack);
      const keys = { "observability-alerts": "platform-key", "observability-global-alerts": "global-key" } as const;
      for (const [topicName, keyName] of Object.entries(keys)) {
        const topic = one(result, T.topic, topicName);
        expect(topic.inputs.kmsMasterKeyId).to.equal(one(result, T.kmsKey, keyName).state.arn);
        const subs = ofType(result, T.subscription).filter((s) => s.inputs.topic === topic.state.arn);
        expect(subs.map((s) => [s.inputs.protocol, s.inputs.endpoint])).to.deep.equal(settings.observability.alertEmails.map((e) => ["email", e]));
        const region = topic.state.arn.split(":")[3];
        const statements = policyOf(one(result, T.topicPolicy, topicName)).Statement;
        const alarms = statements.find((s) => s.Principal?.Service === "cloudwatch.amazonaws.com");
        expect(alarms.Condition).to.deep.equal({
          StringEquals: { "aws:SourceAccount": "123456789012" },
          ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:123456789012:alarm:*` },
        });
        // EventBridge rules (failed pipelines, GuardDuty) deliver to the regional topic only.
        const events = statements.find((s) => s.Principal?.Service === "events.amazonaws.com");
        const keyStatements = policyOf(one(result, T.kmsKey, keyName)).Statement;
        const eventsKey = keyStatements.find((s) => s.Principal?.Service === "events.amazonaws.com");
        if (topicName === "observability-global-alerts") {
          expect(events, "no event rule in us-east-1").to.equal(undefined);
          expect(eventsKey).to.equal(undefined);
          continue;
        }
        expect(events.Condition).to.deep.equal({ ArnLike: { "aws:SourceArn": `arn:aws:events:${region}:123456789012:rule/*` } });
        // EventBridge's KMS requests carry no aws:SourceAccount/aws:SourceArn: its key statement has no condition.
        expect(eventsKey.Action).to.deep.equal(["kms:Decrypt", "kms:GenerateDataKey*"]);
        expect(eventsKey.Condition).to.equal(undefined);
      }
    });

    it("takes every threshold from the environment profile", async () => {
      const result = await fixture(stack);
      const byKey = (key: string) => one(result, T.metricAlarm, `observability-${key}`).inputs;
      expect(byKey("alb-5xx-rate").threshold)
        .to.equal(t.alb5xxPercent)
        .and.equal(prod ? 1 : 10);
      expect(byKey("alb-p99-latency")).to.include({ threshold: t.p99LatencySeconds, extendedStatistic: "p99" });
      expect(byKey("user-cpu-high").threshold).to.equal(t.serviceCpuPercent);
      expect(byKey("user-memory-high").threshold).to.equal(t.serviceMemoryPercent);
      expect(byKey("db-cpu-high").threshold).to.equal(t.databaseCpuPercent);
      expect(byKey("db-writer-low-memory").threshold).to.equal(t.freeableMemoryMiB * 1024 * 1024);
      expect(byKey("cache-evictions").threshold).to.equal(t.cacheEvictions);
      expect(byKey("cache-hit-rate-low")).to.include({ threshold: t.cacheHitRatePercent, comparisonOperator: "LessThanThreshold" });
      expect(byKey("cdn-5xx-rate").threshold).to.equal(t.cdn5xxPercent);
    });

    it("watches each service's CPU, memory, running tasks and (routed) target health, plus a composite", async () => {
      const result = await fixture(stack);
      for (const service of settings.services) {
        const tasks = one(result, T.metricAlarm, `observability-${service.name}-tasks-below-min`).inputs;
        expect(tasks).to.include({
          threshold: service.minTasks,
          comparisonOperator: "LessThanThreshold",
          treatMissingData: "breaching",
          namespace: "ECS/ContainerInsights",
        });
        expect(tasks.dimensions).to.deep.equal({ ClusterName: prefix, ServiceName: `${service.name}-svc-service` });
        const unhealthy = alarmsOf(result).filter((a) => a.name === `observability-${service.name}-unhealthy-hosts`);
        expect(unhealthy).to.have.length(service.pathPrefix ? 1 : 0);
        const composite = one(result, T.compositeAlarm, `observability-${service.name}-degraded`).inputs;
        expect(composite.alarmRule).to.contain(`ALARM("${prefix}-${service.name}-cpu-high")`);
        expect(composite.alarmRule).to.contain(`ALARM("${prefix}-${service.name}-tasks-below-min")`);
        expect(composite.alarmActions).to.deep.equal([one(result, T.topic, "observability-alerts").state.arn]);
      }
    });

    it(prod ? "watches replica lag and every instance's memory" : "has no replica-lag alarm without readers", async () => {
      const result = await fixture(stack);
      const lag = alarmsOf(result).filter((a) => a.name === "observability-db-replica-lag");
      expect(lag).to.have.length(prod ? 1 : 0);
      const memory = alarmsOf(result).filter((a) => /db-.*-low-memory$/.test(a.name));
      expect(memory).to.have.length(1 + settings.database.readers);
      const nodes = alarmsOf(result).filter((a) => /cache-node-\d+-cpu-high$/.test(a.name));
      expect(nodes.map((a) => a.inputs.dimensions.CacheClusterId)).to.deep.equal(cacheNodeIds(`${prefix}-cache`, settings.cache.nodes));
    });

    it("alarms on every dead-letter queue and every queue's oldest message", async () => {
      const result = await fixture(stack);
      expect(settings.queues.length).to.be.greaterThan(0);
      for (const q of settings.queues) {
        const dlq = one(result, T.metricAlarm, `observability-${q.name}-dlq-not-empty`).inputs;
        expect(dlq.dimensions).to.deep.equal({ QueueName: `${prefix}-${q.name}-dlq` });
        expect(dlq).to.include({ threshold: 0, comparisonOperator: "GreaterThanThreshold" });
        expect(one(result, T.metricAlarm, `observability-${q.name}-oldest-message`).inputs.threshold).to.equal(t.queueAgeSeconds);
      }
      const titles = dashboardOf(result).widgets.map((w) => w.properties.title);
      for (const q of settings.queues) expect(titles).to.include(`${q.name}: backlog, age and DLQ`);
    });

    it("moves the site health-check alarm here, in us-east-1, treating missing data as failing", async () => {
      const result = await fixture(stack);
      const alarm = one(result, T.metricAlarm, "observability-site-health-check");
      expect(alarm.inputs.dimensions).to.deep.equal({ HealthCheckId: "edge-health-id" });
      expect(alarm.inputs.treatMissingData).to.equal("breaching");
    });
  });

  describe(`AccountGuardrails (${stack})`, () => {
    if (prod) {
      it("runs a multi-region, validated, KMS-encrypted trail into a private bucket and CloudWatch Logs", async () => {
        const result = await fixture(stack);
        const trail = one(result, T.trail, "guardrails-trail").inputs;
        expect(trail).to.include({ isMultiRegionTrail: true, enableLogFileValidation: true, includeGlobalServiceEvents: true, name: "platform-prod-trail" });
        expect(trail.kmsKeyId).to.equal(one(result, T.kmsKey, "platform-key").state.arn);
        const group = one(result, T.logGroup, "guardrails-trail");
        expect(trail.cloudWatchLogsGroupArn).to.equal(`${group.state.arn}:*`);
        const bucket = one(result, T.bucket, "guardrails-trail");
        expect(trail.s3BucketName).to.equal(`${bucket.name}-id`);
        expect(one(result, T.publicAccessBlock, "guardrails-trail").inputs).to.include({ blockPublicAcls: true, restrictPublicBuckets: true });
        const sse = one(result, T.bucketEncryption, "guardrails-trail").inputs.rules[0].applyServerSideEncryptionByDefault;
        expect(sse).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: trail.kmsKeyId });
        const lifecycle = one(result, T.bucketLifecycle, "guardrails-trail").inputs.rules[0];
        expect(lifecycle.transitions.map((x: { storageClass: string }) => x.storageClass)).to.deep.equal(["STANDARD_IA", "GLACIER_IR"]);
        const write = policyOf(one(result, T.bucketPolicy, "guardrails-trail")).Statement.find((s) => s.Sid === "CloudTrailWrite");
        expect(write.Condition.StringEquals["aws:SourceArn"]).to.equal("arn:aws:cloudtrail:eu-west-1:123456789012:trail/platform-prod-trail");
      });

      it("routes GuardDuty findings through EventBridge to the alert topic", async () => {
        const result = await fixture(stack);
        expect(one(result, T.detector, "guardrails-guardduty").inputs.enable).to.equal(true);
        const pattern = JSON.parse(one(result, T.eventRule, "guardrails-guardduty-findings").inputs.eventPattern);
        expect(pattern.source).to.deep.equal(["aws.guardduty"]);
        expect(one(result, T.eventTarget, "guardrails-guardduty-findings").inputs.arn).to.equal(one(result, T.topic, "observability-alerts").state.arn);
      });
    } else {
      it("follows dev config: no trail and no GuardDuty detector", async () => {
        const result = await fixture(stack);
        expect(ofType(result, T.trail)).to.deep.equal([]);
        expect(ofType(result, T.detector)).to.deep.equal([]);
      });
    }

    it("alerts the e-mails at 80 % forecast and 100 % actual of the monthly budget", async () => {
      const result = await fixture(stack);
      const budget = one(result, T.budget, "guardrails-budget").inputs;
      expect(budget).to.include({
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitUnit: "USD",
        limitAmount: settings.observability.guardrails.monthlyBudgetUsd.toFixed(2),
      });
      expect(budget.costFilters).to.deep.equal([{ name: "TagKeyValue", values: [`user:Environment$${stack}`] }]);
      expect(budget.notifications.map((n: any) => [n.notificationType, n.threshold, n.subscriberEmailAddresses])).to.deep.equal([
        ["FORECASTED", 80, settings.observability.alertEmails],
        ["ACTUAL", 100, settings.observability.alertEmails],
      ]);
    });
  });
}

describe("observability follows config", () => {
  it("adds a service's widgets and alarms when config adds the service", async () => {
    const services = JSON.parse(loadStackConfig("prod", FIXTURE_DIR).config["platform:services"]);
    services.push({ name: "search", image: "public.ecr.aws/example/search:1.0.0", port: 8080, pathPrefix: "/search", minTasks: 2, maxTasks: 4 });
    const result = await synthWith("prod", { "platform:services": services }, FIXTURE_DIR);
    const titles = dashboardOf(result).widgets.map((w) => w.properties.title);
    expect(titles).to.include.members(["search: CPU and memory", "search: running vs desired tasks"]);
    for (const key of ["cpu-high", "memory-high", "tasks-below-min", "unhealthy-hosts"]) one(result, T.metricAlarm, `observability-search-${key}`);
    one(result, T.compositeAlarm, "observability-search-degraded");
  });

  it("creates the trail in dev when dev config turns it on", async () => {
    const observability = JSON.parse(loadStackConfig("dev", FIXTURE_DIR).config["platform:observability"]);
    observability.guardrails.cloudTrail = true;
    const result = await synthWith("dev", { "platform:observability": observability }, FIXTURE_DIR);
    expect(ofType(result, T.trail)).to.have.length(1);
  });
});

describe("dashboard and alarm builders (pure)", () => {
  const stack: ObservedStack<string> = {
    namePrefix: "p-test",
    region: "eu-west-1",
    clusterName: "p-test",
    loadBalancerArnSuffix: "app/alb/1",
    services: [
      { name: "api", serviceName: "api-1", minTasks: 2, targetGroupArnSuffix: "targetgroup/api/1" },
      { name: "worker", serviceName: "worker-1", minTasks: 1 },
    ],
    database: { clusterIdentifier: "db", instanceIdentifiers: ["db-writer", "db-reader-1"], readers: 1 },
    cache: { nodeIds: ["c-001", "c-002"] },
    queues: [{ name: "orders", queueName: "orders-q", dlqName: "orders-dlq" }],
    edge: { distributionId: "E1", webAclName: "acl", healthCheckId: "hc" },
  };
  const thresholds = fixtureSettings("prod").observability.thresholds;

  it("gives every queue a backlog widget, a DLQ alarm and an age alarm", () => {
    const body = dashboardBody(stack);
    const widget = body.widgets.find((w: any) => w.properties.title === "orders: backlog, age and DLQ") as any;
    expect(JSON.stringify(widget.properties.metrics)).to.contain("orders-dlq");
    const specs = alarmSpecs(stack, thresholds);
    const dlq = specs.find((a) => a.key === "orders-dlq-not-empty")!;
    expect(dlq.metric).to.deep.include({ metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: "orders-dlq" } });
    expect(dlq).to.include({ threshold: 0, comparison: "GreaterThanThreshold", evaluationPeriods: 1 });
    expect(specs.find((a) => a.key === "orders-oldest-message")!.threshold).to.equal(thresholds.queueAgeSeconds);
  });

  it("builds the 5xx rate with metric math over target and ELB errors", () => {
    const spec = alarmSpecs(stack, thresholds).find((a) => a.key === "alb-5xx-rate")!;
    expect(spec.math!.expression).to.equal("IF(m2 > 0, 100 * (m0 + m1) / m2, 0)");
    expect(spec.math!.inputs.map((m) => m.metricName)).to.deep.equal(["HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "RequestCount"]);
  });

  it("puts CloudFront and WAF widgets in us-east-1 and keeps the body valid JSON", () => {
    const body = JSON.parse(JSON.stringify(dashboardBody(stack)));
    const edgeWidgets = body.widgets.filter((w: any) => /CloudFront|WAF/.test(w.properties.title ?? ""));
    expect(edgeWidgets).to.have.length(2);
    for (const w of edgeWidgets) expect(w.properties.region).to.equal("us-east-1");
    for (const w of body.widgets) expect(w.width).to.be.within(1, 24);
  });

  it("leaves out what the stack does not run", () => {
    const bare: ObservedStack<string> = { namePrefix: "p", region: "eu-west-1", clusterName: "c", services: [], queues: [] };
    expect(dashboardBody(bare).widgets).to.deep.equal([]);
    expect(alarmSpecs(bare, thresholds)).to.deep.equal([]);
  });

  it("builds one degraded rule per service from its own alarms only", () => {
    const rules = degradedRules("p-test", alarmSpecs(stack, thresholds));
    expect(rules.map((r) => r.service)).to.deep.equal(["api", "worker"]);
    expect(rules[1].rule).to.equal(
      'ALARM("p-test-worker-cpu-high") OR ALARM("p-test-worker-memory-high") OR ALARM("p-test-worker-storage-high") OR ALARM("p-test-worker-tasks-below-min")',
    );
  });
});
