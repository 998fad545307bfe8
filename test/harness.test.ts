/** The mock harness and the synth command: several stacks per process, clear errors. */
import * as fs from "fs";
import * as path from "path";
import { RunError } from "@pulumi/pulumi";
import { expect } from "chai";
import * as YAML from "js-yaml";
import { resolveSettings } from "../stacks";
import { isConfigError } from "../stacks/validate";
import { applyProjectConfig, loadStackConfig, PROJECT_DIR, ProjectConfigError, synthesize } from "../tools/harness";
import { renderText } from "../tools/synth";
import { fixture, runTool, synth, synthWith, T } from "./helpers";

describe("mock harness", () => {
  it("synthesizes dev and prod in one process without leaking one into the other", async () => {
    const dev = await synth("dev");
    const prod = await synth("prod");
    const again = await synthWith("dev", {});
    expect(again.resources.map((r) => `${r.type}::${r.name}`)).to.deep.equal(dev.resources.map((r) => `${r.type}::${r.name}`));
    expect(dev.outputs.environment).to.equal("dev");
    expect(prod.outputs.environment).to.equal("prod");
    expect(prod.resources.filter((r) => r.type === T.rdsInstance).length).to.be.greaterThan(dev.resources.filter((r) => r.type === T.rdsInstance).length);
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

  it("throws config errors the Pulumi CLI prints as their message alone, with the stack name in a field of its own", async () => {
    const error = (await synthWith("dev", { "platform:logRetentionDays": 10, "platform:compute": { spot: "yes" } }).catch((err) => err)) as Error;
    // The Node host prints `err.message` alone for a RunError (cmd/run/run.js), else the stack trace.
    expect(RunError.isInstance(error), String(error)).to.equal(true);
    expect((error as any).stackName).to.equal("dev");
    expect(error.stack, "Error#stack is a trace, not the stack name").to.match(/^ConfigError: invalid config/);
    const [head, ...problems] = error.message.split("\n");
    expect(head).to.equal('invalid config for stack "dev" (2 problems):');
    expect(problems).to.deep.equal([
      "  - platform:logRetentionDays: got 10; must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
      '  - platform:compute.spot: got "yes"; must be true or false',
    ]);
  });

  it("renders the stack as a component tree with counts and outputs", async () => {
    const text = renderText(await fixture("prod"));
    expect(text).to.match(/^Stack platform\/prod: \d+ resources in \d+ components/);
    expect(text).to.contain("+ database  (platform:data:AuroraCluster)");
    expect(text).to.contain("  + database-cluster  (aws:rds/cluster:Cluster)  [protected]");
    expect(text).to.not.match(/^\s*- /m);
    expect(text).to.match(/\n\s+3 {2}aws:ecs\/service:Service\n/);
    expect(text).to.contain("auroraWriterEndpoint: platform-prod-aurora.cluster-");
  });
});

describe("project config as the Pulumi CLI applies it", () => {
  const project = YAML.load(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8"), { schema: YAML.CORE_SCHEMA }) as any;
  const stackFiles = fs.readdirSync(PROJECT_DIR).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));

  it("refuses a stack that leaves a key without a default unset, with the CLI's message", () => {
    const declared = { environment: { type: "string" }, zones: { type: "array", items: { type: "string" } }, cidr: { type: "string", default: "10.0.0.0/16" } };
    expect(() => applyProjectConfig("platform", "dev", declared, {})).to.throw(
      ProjectConfigError,
      "Stack 'dev' is missing configuration values 'environment' and 'zones'",
    );
    expect(() => applyProjectConfig("platform", "dev", declared, { "platform:zones": ["a"] })).to.throw(
      "Stack 'dev' is missing configuration value 'environment'",
    );
    expect(applyProjectConfig("platform", "dev", declared, { "platform:environment": "dev", "platform:zones": ["a"] })["platform:cidr"]).to.equal(
      "10.0.0.0/16",
    );
  });

  it("refuses a value of the wrong type for a typed key, with the CLI's message", () => {
    const declared = { retention: { type: "integer" }, zones: { type: "array", items: { type: "string" } } };
    expect(() => applyProjectConfig("platform", "prod", declared, { "platform:retention": "a week", "platform:zones": [] })).to.throw(
      "Stack 'prod' with configuration key 'retention' must be of type 'integer'",
    );
    expect(() => applyProjectConfig("platform", "prod", declared, { "platform:retention": 7, "platform:zones": [{ name: "a" }] })).to.throw(
      "Stack 'prod' with configuration key 'zones' must be of type 'array<string>'",
    );
    expect(applyProjectConfig("platform", "prod", declared, { "platform:retention": "7", "platform:zones": ["a"] })).to.include({ "platform:retention": "7" });
  });

  it("declares only keys the validator knows, and no default the profiles would have to override", () => {
    const { config } = loadStackConfig(stackFiles[0].split(".")[1]);
    for (const [key, decl] of Object.entries<any>(project.config)) {
      const without = { ...config };
      delete without[`platform:${key}`];
      if (decl.default === undefined) {
        // No default: every stack must set it, so the validator must require it too (not fall back to a profile).
        const err = (() => {
          try {
            resolveSettings({ project: "platform", stack: "dev", config: without });
          } catch (e) {
            return e as any;
          }
        })();
        expect(
          err?.problems?.map((p: any) => p.key),
          `platform:${key} has no default in Pulumi.yaml`,
        ).to.include(`platform:${key}`);
      } else {
        expect(() => resolveSettings({ project: "platform", stack: "dev", config: { ...without, [`platform:${key}`]: String(decl.default) } })).to.not.throw();
      }
    }
  });

  it("gives the CLI's Node host a current ts-node and TypeScript to run index.ts with", () => {
    // The host (@pulumi/pulumi tsutils.js) uses the project's ts-node and typescript when it can
    // resolve them, else a vendored ts-node 7.0.1 and TypeScript 3.8; the tests and tools use
    // tools/register.js instead, so nothing else would notice if ts-node went missing.
    expect(require(require.resolve("ts-node/package.json", { paths: [PROJECT_DIR] })).version).to.match(/^10\./);
    expect(require(require.resolve("typescript/package.json", { paths: [PROJECT_DIR] })).version).to.match(/^5\./);
  });

  it("ends a YAML syntax error in a stack file in one line naming the file and the line", () => {
    const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "stack-yaml-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), "config:\n  platform:environment: dev\n  platform:domain: [unclosed\n");
      let err: Error | undefined;
      try {
        loadStackConfig("bad", dir);
      } catch (e) {
        err = e as Error;
      }
      expect(err).to.be.instanceOf(ProjectConfigError);
      expect(err!.message.split("\n")).to.have.length(1);
      expect(err!.message).to.match(/Pulumi\.bad\.yaml:\d+: .+/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts every stack file there is", () => {
    expect(stackFiles.length).to.be.greaterThan(0);
    for (const file of stackFiles) expect(() => loadStackConfig(file.split(".")[1]), file).to.not.throw();
  });
});

describe("npm run synth", function () {
  this.timeout(120000);

  it("exports nothing for a part the stack switches off, so Pulumi warns about no undefined output", async () => {
    const { code, stdout, stderr } = await runTool("synth", ["--stack", "dev"]);
    expect(code).to.equal(0);
    expect(stderr).to.not.contain("Undefined value");
    const dev = await fixture("dev");
    expect(dev.outputs).to.not.have.any.keys("cloudTrailArn", "guardDutyDetectorId");
    expect(Object.values(dev.outputs).filter((v) => v === undefined)).to.deep.equal([]);
    expect(stdout).to.contain("auroraWriterEndpoint:");
  });

  it("prints the prod resource list", async () => {
    const { code, stdout } = await runTool("synth", ["--stack", "prod"]);
    expect(code).to.equal(0);
    expect(stdout).to.contain("Stack platform/prod:");
    expect(stdout).to.contain("aws:elasticache/replicationGroup:ReplicationGroup");
  });

  it("ends an unknown stack with one clear line and the usage exit code", async () => {
    const { code, stdout, stderr } = await runTool("synth", ["--stack", "qa"]);
    expect(code).to.equal(2);
    expect(stdout).to.equal("");
    expect(stderr.trim().split("\n")).to.deep.equal(['synth: unknown stack "qa": no Pulumi.qa.yaml (stacks: dev, prod-dr, prod, staging)']);
  });

  it("rejects a missing --stack", async () => {
    const { code, stderr } = await runTool("synth", []);
    expect(code).to.equal(2);
    expect(stderr.trim()).to.equal("synth: missing --stack <name>");
  });
});

describe("README stack outputs table", () => {
  /** Output names of the README's "Stack outputs" table (a row may name several). */
  function documented(): string[] {
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Stack outputs"), readme.indexOf("## Deploy fidelity"));
    return section
      .split("\n")
      .filter((l) => l.startsWith("| `"))
      .flatMap((l) => [...l.split("|")[1].matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]));
  }

  it("names every output the program exports, and nothing else", async () => {
    // The prod fixture has every part switched on, so it exports every output there is.
    const exported = Object.keys((await fixture("prod")).outputs).sort();
    expect(documented().sort()).to.deep.equal(exported);
    for (const key of Object.keys((await fixture("dev")).outputs)) expect(documented(), key).to.include(key);
  });
});
