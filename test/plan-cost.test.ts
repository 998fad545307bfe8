import { expect } from "chai";
import { Settings } from "../stacks";
import { SynthResult } from "../tools/harness";
import { CostEstimate, CostLine, DEFAULT_ASSUMPTIONS, estimateCost, loadPriceTable, renderCost, TIERS } from "../tools/plan/cost";
import { fixture, fixtureSettings, ofType, T } from "./helpers";

interface Stack {
  result: SynthResult;
  settings: Settings;
  estimate: CostEstimate;
}

const HOURS = 730;

function linesOf(estimate: CostEstimate, priceId: string): CostLine[] {
  return estimate.lines.filter((l) => l.priceId === priceId);
}

function quantityOf(estimate: CostEstimate, priceId: string): number {
  return linesOf(estimate, priceId).reduce((sum, l) => sum + l.quantity, 0);
}

describe("plan: monthly cost estimate", () => {
  const table = loadPriceTable("eu-west-1");
  const stacks: Record<"dev" | "prod", Stack> = {} as Record<"dev" | "prod", Stack>;

  before(async () => {
    // One after the other: synthesis uses the global Pulumi runtime.
    for (const stack of ["dev", "prod"] as const) {
      const result = await fixture(stack);
      const settings = fixtureSettings(stack);
      stacks[stack] = { result, settings, estimate: estimateCost(result, settings) };
    }
  });

  it("costs more in prod than in dev, and both cost something", () => {
    expect(stacks.dev.estimate.totalMonthlyUsd).to.be.greaterThan(0);
    expect(stacks.prod.estimate.totalMonthlyUsd).to.be.greaterThan(stacks.dev.estimate.totalMonthlyUsd);
  });

  it("counts 3 NAT gateways (and their IPv4 addresses) in prod and 1 in dev", () => {
    for (const [stack, gateways] of [
      ["prod", 3],
      ["dev", 1],
    ] as const) {
      const { estimate } = stacks[stack];
      expect(linesOf(estimate, "nat-gateway-hour"), stack).to.have.length(1);
      expect(quantityOf(estimate, "nat-gateway-hour"), stack).to.equal(gateways * HOURS);
      const eips = estimate.lines.find((l) => l.item === "NAT gateway Elastic IPs");
      expect(eips?.quantity, stack).to.equal(gateways * HOURS);
      expect(linesOf(estimate, "nat-gateway-data-gb")[0].quantity, stack).to.equal(DEFAULT_ASSUMPTIONS[stack].natDataGbPerMonth);
    }
  });

  for (const stack of ["dev", "prod"] as const) {
    describe(stack, () => {
      it("prices every line from a row of the table that cites an AWS pricing page", () => {
        const { estimate } = stacks[stack];
        expect(estimate.lines.length).to.be.greaterThan(20);
        for (const line of estimate.lines) {
          const row = table.prices.find((p) => p.id === line.priceId);
          expect(row, `${line.item}: price ${line.priceId}`).to.not.equal(undefined);
          expect(row!.source, line.priceId).to.match(/^https:\/\/aws\.amazon\.com\/\S+/);
          expect(line.unitPriceUsd, line.priceId).to.equal(row!.usd);
          expect(line.unit, line.priceId).to.equal(row!.unit);
          expect(line.basis, line.item).to.not.equal("");
        }
      });

      it("has non-negative quantities and monthly cost = quantity x unit price", () => {
        for (const line of stacks[stack].estimate.lines) {
          expect(line.quantity, line.item).to.be.at.least(0);
          expect(Number.isFinite(line.quantity), line.item).to.equal(true);
          expect(line.monthlyUsd, line.item).to.be.closeTo(line.quantity * line.unitPriceUsd, 1e-9 * Math.max(1, line.monthlyUsd));
        }
      });

      it("sums the lines by tier and the tiers to the total", () => {
        const { estimate } = stacks[stack];
        expect(Object.keys(estimate.tiers)).to.have.members([...TIERS]);
        for (const tier of TIERS) {
          const sum = estimate.lines.filter((l) => l.tier === tier).reduce((s, l) => s + l.monthlyUsd, 0);
          expect(estimate.tiers[tier], tier).to.be.closeTo(sum, 1e-6);
        }
        const tiers = Object.values(estimate.tiers).reduce((s, v) => s + v, 0);
        expect(tiers).to.be.closeTo(estimate.totalMonthlyUsd, 1e-6);
        const lines = estimate.lines.reduce((s, l) => s + l.monthlyUsd, 0);
        expect(estimate.totalMonthlyUsd).to.be.closeTo(lines, 1e-6);
        for (const tier of ["network", "edge", "compute", "data", "observability", "security", "delivery"])
          expect(estimate.tiers[tier], tier).to.be.greaterThan(0);
      });

      it("prices the Aurora instances the program creates", () => {
        const { result, estimate, settings } = stacks[stack];
        const instances = ofType(result, T.rdsInstance);
        if (stack === "prod") {
          expect(instances.map((i) => i.inputs.instanceClass)).to.deep.equal(["db.r6g.large", "db.r6g.large", "db.r6g.large"]);
          expect(quantityOf(estimate, "aurora-postgresql-db-r6g-large-hour")).to.equal(3 * HOURS);
          expect(linesOf(estimate, "aurora-serverless-v2-acu-hour")).to.have.length(0);
        } else {
          expect(instances.map((i) => i.inputs.instanceClass)).to.deep.equal(["db.serverless"]);
          expect(quantityOf(estimate, "aurora-serverless-v2-acu-hour")).to.equal(0.75 * HOURS);
          // The assumed average is clamped to the cluster's capacity range.
          const high = estimateCost(result, settings, { serverlessAverageAcu: 10 });
          expect(quantityOf(high, "aurora-serverless-v2-acu-hour")).to.equal(settings.database.serverless.maxCapacity * HOURS);
        }
      });

      it("prices the cache nodes of the replication group", () => {
        const { estimate } = stacks[stack];
        const [priceId, nodes] = stack === "prod" ? ["elasticache-valkey-cache-r7g-large-hour", 3] : ["elasticache-valkey-cache-t4g-micro-hour", 1];
        expect(estimate.lines.filter((l) => l.priceId.startsWith("elasticache-")).map((l) => l.priceId)).to.deep.equal([priceId]);
        expect(quantityOf(estimate, priceId)).to.equal(nodes * HOURS);
      });

      it("counts alarms, composite alarms, secrets, keys and WAF rules from the resources", () => {
        const { result, estimate } = stacks[stack];
        const alarms = ofType(result, T.metricAlarm);
        const metrics = alarms.reduce((sum, a) => sum + ((a.inputs.metricQueries ?? []).filter((q: any) => q.metric).length || 1), 0);
        expect(metrics).to.be.greaterThan(alarms.length - 1);
        expect(quantityOf(estimate, "cloudwatch-alarm-standard-metric-month")).to.equal(metrics);
        expect(quantityOf(estimate, "cloudwatch-composite-alarm-month")).to.equal(ofType(result, T.compositeAlarm).length).and.to.equal(3);
        // The explicit secrets, the RDS-managed master password where RDS manages it, and every replica.
        const secrets = ofType(result, T.secret);
        const managed = ofType(result, T.rdsCluster).filter((c) => c.inputs.manageMasterUserPassword === true).length;
        const replicas = secrets.reduce((sum, s) => sum + (s.inputs.replicas ?? []).length, 0);
        expect(quantityOf(estimate, "secrets-manager-secret-month")).to.equal(secrets.length + managed + replicas);
        expect(managed + replicas).to.equal(stacks[stack].settings.disasterRecovery.enabled ? 3 : 1);
        // The data key and the edge key, plus the DR region's backup key where the stack has a DR region.
        expect(quantityOf(estimate, "kms-key-month"))
          .to.equal(ofType(result, T.kmsKey).length)
          .and.to.equal(stacks[stack].settings.disasterRecovery.enabled ? 3 : 2);
        const rules = ofType(result, T.webAcl)[0].inputs.rules;
        expect(quantityOf(estimate, "waf-rule-month")).to.equal(rules.length).and.to.equal(5);
      });
    });
  }

  it("prices the DR region's table replicas: every write again (rWRU priced as WRU), their storage and PITR", () => {
    const { result, estimate } = stacks.prod;
    const replicas = ofType(result, T.tableReplica).length;
    const tables = ofType(result, T.table).length;
    expect(replicas).to.equal(tables).and.be.above(0);
    const line = (item: string) => estimate.lines.find((l) => l.item === item)!;
    const a = estimate.assumptions;
    expect(line("DynamoDB replicated writes (DR replicas)")).to.include({ priceId: "dynamodb-on-demand-write-million", quantity: a.dynamoWriteMillions });
    expect(line("DynamoDB storage (DR replicas)")).to.include({ priceId: "dynamodb-storage-gb-month", quantity: a.dynamoStorageGb });
    expect(line("DynamoDB point-in-time recovery (DR replicas)").quantity).to.equal(a.dynamoStorageGb);
    expect(stacks.dev.estimate.lines.some((l) => l.item.includes("DR replicas"))).to.equal(false);
  });

  it("names the SMS spending limit where SMS is on, since per-country message prices are not priced", () => {
    const sms = (stack: Stack) => stack.estimate.notes.filter((note) => note.startsWith("SMS through SNS"));
    for (const stack of [stacks.dev, stacks.prod]) {
      const limit = stack.settings.email.sms;
      expect(sms(stack)).to.deep.equal(limit.enabled ? [sms(stack)[0]] : []);
      if (limit.enabled) expect(sms(stack)[0]).to.contain(`limit of $${limit.monthlySpendLimitUsd} a month`);
    }
    const on = { ...stacks.dev.settings, email: { ...stacks.dev.settings.email, sms: { enabled: true, monthlySpendLimitUsd: 7 } } } as Settings;
    expect(estimateCost(stacks.dev.result, on).notes.find((note) => note.startsWith("SMS through SNS"))).to.contain("limit of $7 a month");
  });

  it("prices an older commit's settings, which predate the newer sections (the change review prices both sides)", () => {
    const { result, settings, estimate } = stacks.prod;
    const older = { ...settings } as Record<string, unknown>;
    for (const section of ["email", "synthetics", "prometheus"]) delete older[section];
    expect(estimateCost(result, older as unknown as Settings).totalMonthlyUsd).to.be.closeTo(estimate.totalMonthlyUsd, 1e-6);
  });

  it("finds each service by its Service tag, not by resource names", () => {
    const { result, settings, estimate } = stacks.prod;
    const renamed = structuredClone(result);
    for (const r of renamed.resources) if (r.type === T.ecsService) Object.assign(r, { name: `renamed-${r.name}`, parent: undefined });
    expect(estimateCost(renamed, settings).lines).to.deep.equal(estimate.lines);
    const untagged = structuredClone(result);
    for (const r of untagged.resources) if (r.type === T.ecsService) delete r.inputs.tags;
    expect(() => estimateCost(untagged, settings)).to.throw(/has no ECS service/);
  });

  it("sizes Fargate from min + factor x (max - min) tasks per service", () => {
    const { estimate, settings } = stacks.prod;
    const user = settings.services.find((s) => s.name === "user")!;
    const tasks = user.minTasks + 0.25 * (user.maxTasks - user.minTasks);
    expect(estimate.lines.find((l) => l.item === "user: Fargate vCPU")?.quantity).to.equal(tasks * (user.cpu / 1024) * HOURS);
    expect(estimate.lines.find((l) => l.item === "user: Fargate memory")?.quantity).to.equal(tasks * (user.memory / 1024) * HOURS);
    expect(linesOf(estimate, "fargate-spot-linux-x86-vcpu-hour")).to.have.length(0);
  });

  it("puts dev tasks above the one on-demand floor 3:1 on Fargate Spot", () => {
    const { result, settings, estimate } = stacks.dev;
    // At the default (min tasks) every dev service runs its single on-demand floor task.
    expect(linesOf(estimate, "fargate-spot-linux-x86-vcpu-hour")).to.have.length(0);
    const busy = estimateCost(result, settings, { averageTasksFactor: 1 });
    const user = settings.services.find((s) => s.name === "user")!;
    const aboveFloor = user.maxTasks - 1;
    expect(busy.lines.find((l) => l.item === "user: Fargate Spot vCPU")?.quantity).to.equal(aboveFloor * 0.75 * (user.cpu / 1024) * HOURS);
    expect(busy.lines.find((l) => l.item === "user: Fargate vCPU")?.quantity).to.equal((1 + aboveFloor * 0.25) * (user.cpu / 1024) * HOURS);
  });

  it("follows requestsPerMinute in the CloudFront and WAF request lines", () => {
    const { result, settings, estimate } = stacks.prod;
    const doubled = estimateCost(result, settings, { requestsPerMinute: 2 * DEFAULT_ASSUMPTIONS.prod.requestsPerMinute });
    expect(doubled.assumptions.requestsPerMinute).to.equal(80_000);
    const requests = (e: CostEstimate): number => quantityOf(e, "cloudfront-https-requests-10k");
    expect(requests(estimate)).to.equal((40_000 * 60 * HOURS) / 10_000);
    expect(requests(doubled)).to.be.closeTo(2 * requests(estimate), 1e-6);
    const transfer = (e: CostEstimate): number => e.lines.filter((l) => l.priceId.startsWith("cloudfront-data-transfer")).reduce((s, l) => s + l.quantity, 0);
    expect(transfer(doubled)).to.be.closeTo(2 * transfer(estimate), 1e-6);
    const cloudFrontUsd = (e: CostEstimate): number => e.lines.filter((l) => l.item.startsWith("CloudFront")).reduce((s, l) => s + l.monthlyUsd, 0);
    expect(cloudFrontUsd(doubled)).to.be.greaterThan(cloudFrontUsd(estimate));
    expect(quantityOf(doubled, "waf-requests-million")).to.be.closeTo(2 * quantityOf(estimate, "waf-requests-million"), 1e-6);
    expect(quantityOf(doubled, "aurora-postgresql-db-r6g-large-hour")).to.equal(quantityOf(estimate, "aurora-postgresql-db-r6g-large-hour"));
  });

  it("rejects a price the table does not have and assumptions out of range", () => {
    const { result, settings } = stacks.prod;
    const withoutNat = { ...table, prices: table.prices.filter((p) => p.id !== "nat-gateway-hour") };
    expect(() => estimateCost(result, settings, {}, withoutNat)).to.throw(/"nat-gateway-hour"/);
    expect(() => estimateCost(result, settings, { edgeCacheHitRatio: 1.5 })).to.throw(/edgeCacheHitRatio/);
    expect(() => estimateCost(result, settings, { requestsPerMinute: -1 })).to.throw(/requestsPerMinute/);
  });

  it("has no price table for an unknown region and says which region", () => {
    expect(() => loadPriceTable("mars-north-1")).to.throw(/"mars-north-1"/);
  });

  it("has a dated eu-west-1 table whose rows cite AWS pricing pages", () => {
    expect(table.region).to.equal("eu-west-1");
    expect(table.currency).to.equal("USD");
    expect(table.recorded).to.match(/^\d{4}-\d{2}-\d{2}$/);
    const recorded = new Date(`${table.recorded}T00:00:00Z`);
    expect(Number.isNaN(recorded.getTime())).to.equal(false);
    expect(recorded.getTime()).to.be.at.most(Date.now());
    expect(stacks.prod.estimate.pricesRecorded).to.equal(table.recorded);
    const ids = table.prices.map((p) => p.id);
    expect(new Set(ids).size).to.equal(ids.length);
    for (const row of table.prices) {
      expect(row.source, row.id).to.match(/^https:\/\/aws\.amazon\.com\//);
      expect(row.usd, row.id).to.be.at.least(0);
      expect(row.description, row.id).to.not.equal("");
    }
    expect(table.prices.find((p) => p.id === "cognito-mau-free-tier")?.description).to.match(/10,000/);
  });

  it("renders tiers with their lines, the total, the price date and the assumptions", () => {
    const { estimate } = stacks.prod;
    const text = renderCost(estimate);
    const total = estimate.totalMonthlyUsd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(text).to.contain(`TOTAL per month`);
    expect(text).to.contain(`$${total}`);
    expect(text).to.contain(estimate.pricesRecorded);
    for (const tier of TIERS.filter((t) => estimate.tiers[t] > 0)) expect(text).to.match(new RegExp(`^${tier} `, "m"));
    for (const line of estimate.lines) expect(text).to.contain(line.item);
    expect(text).to.contain("requestsPerMinute: 40,000");
    expect(text).to.contain("3 NAT gateways (OnePerAz over 3 AZs) x 730 h");
  });
});
