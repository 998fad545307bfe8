/** The offline plan: tiers and counts, policy verdicts, diagram, cost, CLI errors and JSON. */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { loadPriceTable } from "../tools/plan/cost";
import { renderSvg, REQUEST_PATH, requestPathOrder } from "../tools/plan/diagram";
import { buildPlan, parseArgs, Plan, planExitCode, renderFindings } from "../tools/plan";
import { PROJECT_DIR } from "../tools/harness";
import { EXIT, failure, UsageError } from "../tools/cli";
import { DeployRuleError } from "../tools/provider/rules";
import { ProjectConfigError, UnknownStackError } from "../tools/harness";
import { ConfigError } from "../stacks";
import { budgetCheck, renderBudget, standbysOf } from "../tools/plan/budget";
import { FIXTURE_DIR, runTool, settingsOf } from "./helpers";

const count = (plan: Plan, type: string) => plan.result.resources.filter((r) => r.type === type).length;

describe("offline plan", function () {
  this.timeout(120000);
  const plans: Record<string, Plan> = {};

  before(async () => {
    // One after the other: the Pulumi runtime the harness drives is global.
    plans.dev = await buildPlan("dev");
    plans.prod = await buildPlan("prod");
  });

  it("has every tier with the counts config implies", () => {
    for (const [stack, plan] of Object.entries(plans)) {
      const components = new Set(plan.result.resources.filter((r) => !r.custom).map((r) => r.type));
      for (const tier of [
        "platform:network:Network",
        "platform:data:AuroraCluster",
        "platform:data:RedisCache",
        "platform:edge:EdgeLayer",
        "platform:compute:FargateService",
        "platform:messaging:MessageQueue",
        "platform:observability:Observability",
        "platform:delivery:DeliveryPipeline",
      ]) {
        expect(components, `${stack} has ${tier}`).to.include(tier);
      }
      expect(count(plan, "aws:ecs/service:Service")).to.equal(plan.settings.services.length);
      expect(count(plan, "aws:rds/clusterInstance:ClusterInstance")).to.equal(1 + plan.settings.database.readers);
      // Each queue and its DLQ, and the schedules' dead-letter queue when there are schedules.
      expect(count(plan, "aws:sqs/queue:Queue")).to.equal(2 * plan.settings.queues.length + (plan.settings.schedules.length > 0 ? 1 : 0));
    }
    expect(count(plans.prod, "aws:rds/clusterInstance:ClusterInstance")).to.be.greaterThan(count(plans.dev, "aws:rds/clusterInstance:ClusterInstance"));
  });

  it("finds no mandatory policy violation in either stack, and fails the plan on one", () => {
    for (const plan of Object.values(plans)) {
      expect(plan.findings.filter((f) => f.level === "mandatory")).to.deep.equal([]);
      expect(planExitCode(plan.findings)).to.equal(0);
    }
    const violation = { policy: "ecs-no-public-ip", level: "mandatory", message: "x. Fix: y" };
    expect(planExitCode([violation])).to.equal(1);
    expect(planExitCode([{ ...violation, level: "advisory" }])).to.equal(0);
    expect(renderFindings([violation], new Map([["ecs-no-public-ip", "high"]]))).to.contain("mandatory (1):\n    [high] ecs-no-public-ip: x. Fix: y");
  });

  it("draws the request path in order: DNS -> CDN -> WAF -> ALB -> services", () => {
    expect(requestPathOrder(plans.prod.dot)).to.deep.equal([...REQUEST_PATH]);
    expect(plans.prod.dot.startsWith("digraph")).to.equal(true);
  });

  it("estimates prod above dev, every line priced from a cited table row", () => {
    expect(plans.prod.cost.totalMonthlyUsd).to.be.greaterThan(plans.dev.cost.totalMonthlyUsd);
    const table = loadPriceTable("eu-west-1");
    for (const plan of Object.values(plans)) {
      for (const line of plan.cost.lines) {
        const row = table.prices.find((p) => p.id === line.priceId);
        expect(row, line.priceId).to.not.equal(undefined);
        expect(row!.source).to.match(/^https:\/\/aws\.amazon\.com\//);
        expect(line.unitPriceUsd).to.equal(row!.usd);
      }
    }
    expect(Object.keys(plans.prod.cost.tiers)).to.include.members(["network", "edge", "compute", "data"]);
  });

  it("keeps the committed prod diagram in sync with the code (regenerate: npm run plan -- --stack prod --out docs)", async () => {
    const dot = fs.readFileSync(path.join(PROJECT_DIR, "docs", "architecture-prod.dot"), "utf8");
    const regenerate = "regenerate it: npm run plan -- --stack prod --out docs";
    expect(dot, `docs/architecture-prod.dot is stale; ${regenerate}`).to.equal(plans.prod.dot);
    const svg = fs.readFileSync(path.join(PROJECT_DIR, "docs", "architecture-prod.svg"), "utf8");
    expect(svg, `docs/architecture-prod.svg is stale; ${regenerate}`).to.equal(await renderSvg(dot));
    expect(fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8")).to.contain("docs/architecture-prod.svg");
  });

  it("prices the standby's pilot light and what activating it adds, and keeps its committed diagram in sync", async () => {
    const standby = await buildPlan("prod-dr");
    expect(standby.findings.filter((f) => f.level === "mandatory")).to.deep.equal([]);
    const idle = standby.cost.totalMonthlyUsd;
    expect(idle)
      .to.be.greaterThan(100)
      .and.lessThan(plans.prod.cost.totalMonthlyUsd / 4);
    expect(standby.activation!.addsMonthlyUsd).to.be.greaterThan(idle);
    expect(standby.activation!.monthlyUsd).to.be.closeTo(idle + standby.activation!.addsMonthlyUsd, 0.01);
    // No eu-central-1 table: priced at eu-west-1's rates, and the report says so.
    expect(standby.cost.notes[0]).to.match(/^No price table for eu-central-1/);
    expect(plans.prod.activation).to.equal(undefined);
    const regenerate = "regenerate it: npm run plan -- --stack prod-dr --out docs";
    const dot = fs.readFileSync(path.join(PROJECT_DIR, "docs", "architecture-prod-dr.dot"), "utf8");
    expect(dot, `docs/architecture-prod-dr.dot is stale; ${regenerate}`).to.equal(standby.dot);
    const svg = fs.readFileSync(path.join(PROJECT_DIR, "docs", "architecture-prod-dr.svg"), "utf8");
    expect(svg, `docs/architecture-prod-dr.svg is stale; ${regenerate}`).to.equal(await renderSvg(dot));
    expect(fs.readFileSync(path.join(PROJECT_DIR, "docs", "disaster-recovery.md"), "utf8")).to.contain("architecture-prod-dr.svg");
    // Its capacity is the activated standby's, at the primary's load: whether the DR region carries prod.
    expect(standby.capacity.sustained * 60).to.equal(40_000);
    const ceilings = (plan: Plan) => plan.capacity.tiers.filter((t) => t.tier.startsWith("service ")).map((t) => [t.tier, t.capacityMax]);
    expect(ceilings(standby)).to.deep.equal(ceilings(plans.prod)).and.not.be.empty;
    expect(standby.capacity.absorbsBurst).to.equal(true);
    // The standby has no budget of its own: it counts against prod's, and prod's covers both at the design load.
    expect(standby.budget).to.equal(undefined);
    expect(plans.prod.budget!.sharedWith).to.deep.equal(["prod-dr"]);
    const both = budgetCheck(plans.prod.settings, plans.prod.cost.totalMonthlyUsd + idle)!;
    expect(both.firesAtEstimatedLoad, renderBudget(both)).to.equal(false);
  });

  it("models capacity for dev and prod: every routed service a tier, the burst absorbed at the defaults", () => {
    for (const plan of [plans.dev, plans.prod]) {
      const routed = plan.settings.services.filter((s) => s.pathPrefix).map((s) => `service ${s.name}`);
      expect(plan.capacity.tiers.map((t) => t.tier)).to.include.members(["edge (CloudFront)", "load balancer (ALB)", ...routed]);
      expect(plan.capacity.sustained).to.be.closeTo(plan.cost.assumptions.requestsPerMinute / 60, 1e-9);
      expect(plan.capacity.absorbsBurst, plan.stack).to.equal(true);
    }
  });

  it("checks each budget against the estimate, so the forecast alert does not fire every month at the estimated load", () => {
    for (const plan of [plans.dev, plans.prod]) expect(plan.budget!.firesAtEstimatedLoad, renderBudget(plan.budget!)).to.equal(false);
    expect(plans.dev.budget!.sharedWith).to.deep.equal([]);
    const settings = plans.prod.settings;
    const at = (usd: number) => budgetCheck(settings, usd)!;
    const budget = settings.observability.guardrails.monthlyBudgetUsd;
    expect(at(budget * 0.79).firesAtEstimatedLoad).to.equal(false);
    const loud = at(budget * 0.9);
    expect(loud).to.include({ firesAtEstimatedLoad: true, forecastAlertUsd: budget * 0.8 });
    expect(loud.smallestQuietBudgetUsd * 0.8).to.be.at.least(budget * 0.9);
    // The suggested budget is quiet at this estimate; the notification compares GREATER_THAN, so exactly 80 % is quiet too.
    const suggested = {
      ...settings,
      observability: { ...settings.observability, guardrails: { ...settings.observability.guardrails, monthlyBudgetUsd: loud.smallestQuietBudgetUsd } },
    } as typeof settings;
    expect(budgetCheck(suggested, loud.estimateUsd)!.firesAtEstimatedLoad).to.equal(false);
    expect(at(budget * 0.8).firesAtEstimatedLoad, "exactly at the threshold").to.equal(false);
    expect(loud.smallestQuietBudgetUsd % 100).to.equal(0);
    expect(renderBudget(loud)).to.contain(
      `WARNING: at this load the forecast alert fires every month. Raise platform:observability.guardrails.monthlyBudgetUsd to at least $${loud.smallestQuietBudgetUsd.toLocaleString("en-US")}`,
    );
    const none = {
      ...settings,
      observability: { ...settings.observability, guardrails: { ...settings.observability.guardrails, budget: false } },
    } as typeof settings;
    expect(budgetCheck(none, 1)).to.equal(undefined);
    expect(standbysOf("prod", FIXTURE_DIR)).to.deep.equal([]);
  });

  it("parses its arguments and rejects bad ones", () => {
    expect(parseArgs(["--stack", "prod", "--json"])).to.include({ stack: "prod", json: true });
    expect(parseArgs(["--stack=dev"]).stack).to.equal("dev");
    expect(() => parseArgs([])).to.throw("missing --stack <name>");
    expect(() => parseArgs(["--stack"])).to.throw("--stack needs a value");
    expect(() => parseArgs(["--stack", "dev", "--fast"])).to.throw(/unknown argument "--fast"/);
  });
});

describe("npm run plan", function () {
  this.timeout(120000);

  it("gives each kind of failure its own exit code and one line", () => {
    const cases: [unknown, number][] = [
      [new UsageError("missing --stack <name>"), EXIT.usage],
      [new UnknownStackError('unknown stack "qa"'), EXIT.usage],
      [new ConfigError("dev", [{ key: "platform:domain", value: '"x"', allowed: "a DNS name" }]), EXIT.config],
      [new ProjectConfigError("Pulumi.dev.yaml:3: bad indentation"), EXIT.config],
      [new DeployRuleError("dev", [{ rule: "r", resource: "t::n", message: "m", source: "s" }]), EXIT.wouldNotDeploy],
      [new Error("boom"), EXIT.unexpected],
    ];
    expect(new Set(cases.map(([, c]) => c)).size).to.equal(4);
    for (const [err, code] of cases) {
      const result = failure("plan", err, { oneLine: true });
      expect(result.code, String(err)).to.equal(code);
      // One line, or one line per problem after a head line (a stack AWS would refuse); a bug keeps its trace.
      if (code === EXIT.usage || code === EXIT.config) expect(result.message.split("\n"), String(err)).to.have.length(1);
      if (code === EXIT.wouldNotDeploy) expect(result.message).to.match(/^plan: stack "dev" would fail to deploy \(1 problem\):\n {2}- t::n: m \[r\]$/);
    }
    expect(EXIT.policyViolations).to.equal(planExitCode([{ policy: "p", level: "mandatory", message: "m" }]));
  });

  it("prints the tree with + for every resource, as pulumi preview does for creates, and the policy verdict last", async () => {
    const out = fs.mkdtempSync(path.join(require("os").tmpdir(), "plan-"));
    const { code, stdout } = await runTool("plan", ["--stack", "dev", "--out", out]);
    expect(code).to.equal(EXIT.ok);
    const lines = stdout.trim().split("\n");
    expect(lines[lines.length - 1]).to.match(/^Policies: \d+ rules, no violations\.$/);
    expect(stdout).to.contain("+ database-cluster  (aws:rds/cluster:Cluster)");
    expect(stdout).to.not.match(/^\s*- [a-z]/m);
  });

  it("applies a --policy-pack-config file, and refuses one that names no policy of the pack", async () => {
    const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "pack-config-"));
    const strict = path.join(dir, "strict.json");
    fs.writeFileSync(strict, JSON.stringify({ "required-tags": { requiredTags: ["CostCenter"] } }));
    const { code, stdout } = await runTool("plan", ["--stack", "dev", "--out", dir, "--policy-pack-config", strict]);
    expect(code).to.equal(EXIT.policyViolations);
    expect(stdout).to.contain("required-tags");
    const typo = path.join(dir, "typo.json");
    fs.writeFileSync(typo, JSON.stringify({ "required-tag": {} }));
    const bad = await runTool("plan", ["--stack", "dev", "--out", dir, "--policy-pack-config", typo]);
    expect(bad.code).to.equal(EXIT.usage);
    expect(bad.stderr.trim()).to.equal(`plan: --policy-pack-config ${typo}: no policy "required-tag" in the pack`);
  });

  it("refuses a bad --assumptions file with the usage exit code, naming the file", async () => {
    const file = path.join(fs.mkdtempSync(path.join(require("os").tmpdir(), "assume-")), "a.json");
    fs.writeFileSync(file, JSON.stringify({ requestsPerMinut: 5 }));
    const { code, stderr } = await runTool("plan", ["--stack", "dev", "--assumptions", file]);
    expect(code).to.equal(EXIT.usage);
    expect(stderr.trim()).to.equal(`plan: --assumptions ${file}: unknown usage assumption "requestsPerMinut"`);
  });

  it("prints JSON that parses, with resources, policies, cost and diagram files", async () => {
    const out = fs.mkdtempSync(path.join(require("os").tmpdir(), "plan-"));
    const { code, stdout } = await runTool("plan", ["--stack", "dev", "--json", "--out", out]);
    expect(code).to.equal(0);
    const report = JSON.parse(stdout);
    expect(report.stack).to.equal("dev");
    expect(report.counts["aws:ecs/service:Service"]).to.equal(settingsOf("dev").services.length);
    expect(report.policies.mandatory).to.deep.equal([]);
    expect(report.cost.totalMonthlyUsd).to.be.a("number").above(0);
    expect(fs.readFileSync(report.diagram.svg, "utf8")).to.contain("<svg");
  });

  it("prints all of its JSON into a shell pipe (larger than the pipe's 64 KiB buffer)", () => {
    const out = fs.mkdtempSync(path.join(require("os").tmpdir(), "plan-"));
    const command = `"${process.execPath}" tools/run.js tools/plan.ts --stack prod --json --out "${out}" | cat`;
    const stdout: string = require("child_process").execFileSync("sh", ["-c", command], {
      cwd: PROJECT_DIR,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "ignore"],
    });
    expect(stdout.length).to.be.above(64 * 1024);
    expect(JSON.parse(stdout).stack).to.equal("prod");
  });

  it("ends an unknown stack with one clear line and the usage exit code", async () => {
    const { code, stdout, stderr } = await runTool("plan", ["--stack", "qa"]);
    expect(code).to.equal(EXIT.usage);
    expect(stdout).to.equal("");
    expect(stderr.trim().split("\n")).to.deep.equal(['plan: unknown stack "qa": no Pulumi.qa.yaml (stacks: dev, prod-dr, prod, staging)']);
  });
});
