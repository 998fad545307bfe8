/** The mock harness and the synth command: several stacks per process, clear errors. */
import { expect } from "chai";
import { isConfigError } from "../stacks/validate";
import { synthesize } from "../tools/harness";
import { renderText } from "../tools/synth";
import { runTool, synth, synthWith } from "./helpers";

describe("mock harness", () => {
  it("synthesizes dev and prod in one process without leaking one into the other", async () => {
    const dev = await synth("dev");
    const prod = await synth("prod");
    const again = await synthWith("dev", {});
    expect(again.resources.map((r) => `${r.type}::${r.name}`)).to.deep.equal(dev.resources.map((r) => `${r.type}::${r.name}`));
    expect(dev.outputs.environment).to.equal("dev");
    expect(prod.outputs.environment).to.equal("prod");
    expect(prod.resources.filter((r) => r.type === "aws:rds/clusterInstance:ClusterInstance").length).to.be.greaterThan(
      dev.resources.filter((r) => r.type === "aws:rds/clusterInstance:ClusterInstance").length,
    );
  });

  it("registers exactly the same with the SDK's debugging bookkeeping on (PLATFORM_STACK_TRACES=1)", async function () {
    this.timeout(60_000);
    const fast = await synth("prod"); // also drains the shared queue: nothing else synthesizes meanwhile
    const before = process.env.PLATFORM_STACK_TRACES;
    process.env.PLATFORM_STACK_TRACES = "1";
    let traced;
    try {
      traced = await synthesize({ stack: "prod" });
    } finally {
      if (before === undefined) delete process.env.PLATFORM_STACK_TRACES;
      else process.env.PLATFORM_STACK_TRACES = before;
    }
    expect(traced.resources.length).to.be.greaterThan(200);
    expect(traced).to.deep.equal(fast);
    // The bookkeeping is back once synthesis ends.
    expect(Error.stackTraceLimit).to.be.greaterThan(0);
    expect(require("@pulumi/pulumi/runtime/debuggable").debuggablePromise.toString()).to.contain("leakCandidates");
  });

  it("records parents, so every resource belongs to a component", async () => {
    const prod = await synth("prod");
    const orphans = prod.resources.filter((r) => r.custom && r.parent === undefined && !r.type.startsWith("pulumi:providers:"));
    expect(orphans.map((r) => r.name)).to.deep.equal([]);
  });

  it("fails with a ConfigError before registering anything when config is bad", async () => {
    let error: unknown;
    try {
      await synthWith("prod", { "platform:logRetentionDays": 10 });
    } catch (err) {
      error = err;
    }
    expect(isConfigError(error), String(error)).to.equal(true);
    expect((error as Error).message).to.contain("platform:logRetentionDays: got 10");
  });

  it("renders the stack as a component tree with counts and outputs", async () => {
    const text = renderText(await synth("prod"));
    expect(text).to.match(/^Stack platform\/prod: \d+ resources in \d+ components/);
    expect(text).to.contain("+ database  (platform:data:AuroraCluster)");
    expect(text).to.contain("  - database-cluster  (aws:rds/cluster:Cluster)  [protected]");
    expect(text).to.match(/\n\s+3 {2}aws:ecs\/service:Service\n/);
    expect(text).to.contain("auroraWriterEndpoint: platform-prod-aurora.cluster-");
  });
});

describe("npm run synth", function () {
  this.timeout(120000);

  it("prints the prod resource list", async () => {
    const { code, stdout } = await runTool("synth", ["--stack", "prod"]);
    expect(code).to.equal(0);
    expect(stdout).to.contain("Stack platform/prod:");
    expect(stdout).to.contain("aws:elasticache/replicationGroup:ReplicationGroup");
  });

  it("ends an unknown stack with one clear line and a non-zero exit", async () => {
    const { code, stdout, stderr } = await runTool("synth", ["--stack", "staging"]);
    expect(code).to.equal(1);
    expect(stdout).to.equal("");
    expect(stderr.trim().split("\n")).to.deep.equal(['synth: unknown stack "staging": no Pulumi.staging.yaml (stacks: dev, prod)']);
  });

  it("rejects a missing --stack", async () => {
    const { code, stderr } = await runTool("synth", []);
    expect(code).to.equal(1);
    expect(stderr.trim()).to.equal("synth: missing --stack <name>");
  });
});
