/**
 * The offline change review (`npm run diff`): resources matched by URN, replacements from the
 * provider's ForceNew properties, likely renames with their alias, data at risk flagged, secrets
 * masked; and the command itself against a copy of the project.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { buildDiff, diffExitCode, parseArgs, StackDiff } from "../tools/diff";
import { diffStacks, SECRET, StackChanges } from "../tools/diff/changes";
import { renderDiff } from "../tools/diff/render";
import { isComponent, REPLACEMENTS } from "../tools/diff/replacements";
import { EXIT, UsageError } from "../tools/cli";
import { PROJECT_DIR, SynthResult } from "../tools/harness";
import { stackConfig } from "./config-helpers";
import { fixture, ofType, runTool, STACKS, synth, synthBootstrap, synthWith, T } from "./helpers";

/** A copy of `result` with one resource's inputs changed. */
function edited(result: SynthResult, type: string, pick: (name: string) => boolean, edit: (inputs: Record<string, any>) => void): SynthResult {
  const copy: SynthResult = structuredClone(result);
  const targets = copy.resources.filter((r) => r.type === type && pick(r.name));
  expect(targets, `${type}`).to.not.be.empty;
  for (const t of targets) edit(t.inputs);
  return copy;
}

/** A StackDiff around plain changes (no sides), for the exit code and the rendering. */
const wrapped = (stack: string, changes: StackChanges): StackDiff => {
  const side = { label: "x", violations: [], deployProblems: [], costByTier: {}, costTotal: 0 };
  return { stack, ...changes, before: side, after: side, policies: { added: [], removed: [] }, cost: { byTier: {}, total: 0 } };
};

describe("change review (npm run diff)", function () {
  let dev: SynthResult;
  before(async () => {
    dev = await fixture("dev");
  });

  it("reviews from a base that would not deploy under today's rules, listing its problems first", () => {
    const diff = wrapped("dev", diffStacks(dev, dev));
    diff.before = {
      ...diff.before,
      label: "abc123",
      deployProblems: ["aws:s3/bucketPolicy:BucketPolicy::b: may be applied at the same time as x [s3-bucket-configuration-serialized]"],
    };
    const text = renderDiff(diff, "text");
    expect(text).to.contain("abc123 would not deploy under this checkout's provider rules (1)");
    expect(text).to.contain("[s3-bucket-configuration-serialized]");
    expect(diffExitCode(diff)).to.equal(0);
  });

  it("an unchanged tree: no changes, exit 0", () => {
    const changes = diffStacks(dev, structuredClone(dev));
    expect(changes.changes).to.deep.equal([]);
    expect(diffExitCode(wrapped("dev", changes))).to.equal(EXIT.ok);
  });

  it("a tag-only change (aws:defaultTags): updates in place, exit 0", async () => {
    const fixtures = path.join(PROJECT_DIR, "test", "fixtures");
    const after = await synthWith(
      "dev",
      { "aws:defaultTags": { tags: { Project: "platform", Environment: "dev", Owner: "payments", ManagedBy: "pulumi" } } },
      fixtures,
    );
    const changes = diffStacks(dev, after);
    expect(changes.changes).to.not.be.empty;
    expect(changes.changes.every((c) => c.kind === "update")).to.equal(true);
    expect(changes.changes.flatMap((c) => c.properties.map((p) => p.path))).to.include("defaultTags.tags.Owner");
    expect(diffExitCode(wrapped("dev", changes))).to.equal(EXIT.ok);
  });

  it("replacing the Aurora cluster, a DynamoDB table and the KMS key: flagged with the property and values, exit 6", async () => {
    const prod = await fixture("prod");
    let after = edited(
      prod,
      T.rdsCluster,
      () => true,
      (i) => (i.storageEncrypted = false),
    );
    after = edited(
      after,
      T.kmsKey,
      (n) => n === "platform-key",
      (i) => (i.multiRegion = true),
    );
    const before = prod;
    after = edited(
      after,
      T.table,
      (n) => n === "table-payment",
      (i) => (i.hashKey = "paymentRef"),
    );
    const changes = diffStacks(before, after);
    const lost = changes.dataLoss.map((c) => `${c.kind} ${c.type}`);
    expect(lost).to.include.members([`replace ${T.rdsCluster}`, `replace ${T.kmsKey}`, `replace ${T.table}`]);
    const table = changes.dataLoss.find((c) => c.type === T.table)!;
    expect(table.properties).to.deep.include({ path: "hashKey", before: "paymentId", after: "paymentRef", replaces: true });
    expect(diffExitCode(wrapped("prod", changes))).to.equal(EXIT.dataLoss);
    const text = renderDiff(wrapped("prod", changes), "text");
    expect(text.indexOf("Data at risk")).to.be.below(text.indexOf("Changes"));
    expect(text).to.include('hashKey: "paymentId" => "paymentRef"  (forces replacement)');
    expect(renderDiff(wrapped("prod", changes), "markdown"))
      .to.match(/^## prod: /)
      .and.include("### ⛔ Data at risk (");
  });

  it("a table's partition key changed in config replaces the table", async () => {
    const config = JSON.parse(stackConfig("dev").config["platform:tables"]);
    config[0].partitionKey.name = "paymentRef";
    const after = await synthWith("dev", { "platform:tables": config }, path.join(PROJECT_DIR, "test", "fixtures"));
    const changes = diffStacks(dev, after);
    expect(changes.dataLoss.map((c) => c.type)).to.include(T.table);
  });

  it("a renamed component: delete plus create of each resource, with the alias that keeps it", () => {
    const after: SynthResult = structuredClone(dev);
    const rename = (s: string) => s.replace(/^user-svc/, "user-service");
    for (const r of after.resources) {
      r.name = rename(r.name);
      if (r.parent) r.parent = r.parent.replace(/::user-svc/, "::user-service");
    }
    const changes = diffStacks(dev, after);
    expect(changes.changes.filter((c) => c.kind === "delete").length)
      .to.equal(changes.changes.filter((c) => c.kind === "create").length)
      .and.be.above(0);
    const role = changes.renames.find((r) => r.type === T.role && r.from.endsWith("::user-svc-task"));
    expect(role?.alias).to.equal('aliases: [{ name: "user-svc-task" }] on user-service-task');
    expect(changes.renames.map((r) => r.type)).to.include("platform:compute:FargateService");
    expect(renderDiff(wrapped("dev", changes), "markdown")).to.include("Likely renames");
  });

  it("a deleted service: its resources are listed as deletes, its image repository flagged", async () => {
    const services = JSON.parse(stackConfig("dev").config["platform:services"]);
    const dropped = services.pop();
    const after = await synthWith("dev", { "platform:services": services }, path.join(PROJECT_DIR, "test", "fixtures"));
    const changes = diffStacks(dev, after);
    const deleted = changes.changes.filter((c) => c.kind === "delete").map((c) => c.name);
    expect(deleted).to.include(`${dropped.name}-svc`).and.include(`${dropped.name}-svc-task`);
    expect(changes.dataLoss.map((c) => c.type)).to.include("aws:ecr/repository:Repository");
  });

  it("secret inputs are compared but never shown", () => {
    const secretful = dev.resources.find((r) => r.secretInputs.length > 0)!;
    expect(secretful, "the stack has a resource with a secret input").to.not.equal(undefined);
    const key = secretful.secretInputs[0];
    const after = edited(
      dev,
      secretful.type,
      (n) => n === secretful.name,
      (i) => (i[key] = "a-new-secret-value"),
    );
    const changes = diffStacks(dev, after);
    const change = changes.changes.find((c) => c.name === secretful.name)!;
    expect(change.properties).to.deep.equal([{ path: key, before: SECRET, after: SECRET, replaces: change.properties[0].replaces }]);
    expect(JSON.stringify(changes)).to.not.include("a-new-secret-value");
    expect(renderDiff(wrapped("dev", changes), "text")).to.not.include("a-new-secret-value");
  });

  it("diffs a JSON document statement by statement, not as one string", () => {
    const role = ofType(dev, T.rolePolicy)[0];
    const after = edited(
      dev,
      T.rolePolicy,
      (n) => n === role.name,
      (i) => {
        const doc = JSON.parse(i.policy);
        doc.Statement[0].Sid = "Renamed";
        i.policy = JSON.stringify(doc);
      },
    );
    const change = diffStacks(dev, after).changes.find((c) => c.name === role.name)!;
    expect(change.kind).to.equal("update");
    expect(change.properties.map((p) => p.path)).to.deep.equal(["policy.Statement[0].Sid"]);
  });

  it("a change the provider replaces on only in some cases is flagged for a stateful resource, with when", () => {
    const after = edited(
      dev,
      "aws:elasticache/replicationGroup:ReplicationGroup",
      () => true,
      (i) => (i.engine = "redis"),
    );
    const changes = diffStacks(dev, after);
    const cache = changes.dataLoss.find((c) => c.type === T.redis)!;
    expect(cache.kind).to.equal("update");
    expect(cache.properties[0]).to.include({ path: "engine", replaces: false });
    expect(cache.properties[0].mayReplace).to.match(/except redis to valkey/);
    expect(renderDiff(wrapped("dev", changes), "text"))
      .to.include("MAY REPLACE")
      .and.include("(may force replacement: on any change except redis to valkey");
  });

  it("moving a resource to another region replaces it", () => {
    const queue = ofType(dev, T.queue)[0];
    const after = edited(
      dev,
      queue.type,
      (n) => n === queue.name,
      (i) => (i.region = "eu-central-1"),
    );
    const change = diffStacks(dev, after).changes.find((c) => c.name === queue.name)!;
    expect(change.kind).to.equal("replace");
  });

  describe("the replacement table", () => {
    for (const stack of STACKS) {
      it(`covers every type ${stack} creates`, async () => {
        const missing = [...new Set((await synth(stack)).resources.map((r) => r.type))].filter((t) => !isComponent(t) && !REPLACEMENTS[t]);
        expect(missing).to.deep.equal([]);
      });
    }

    it("covers every AWS type the bootstrap creates", async () => {
      const missing = [...new Set((await synthBootstrap("main")).resources.map((r) => r.type))].filter((t) => t.startsWith("aws:") && !REPLACEMENTS[t]);
      expect(missing).to.deep.equal([]);
    });

    it("names the provider source file of every entry", () => {
      for (const [type, rule] of Object.entries(REPLACEMENTS)) expect(rule.source, type).to.match(/^hashicorp\/terraform-provider-(aws|random) |^https:\/\//);
    });

    it("marks the data tier, keys, user pool, tables, buckets, file systems and repositories stateful", () => {
      for (const type of [
        T.rdsCluster,
        T.table,
        T.kmsKey,
        "aws:cognito/userPool:UserPool",
        "aws:s3/bucket:Bucket",
        "aws:efs/fileSystem:FileSystem",
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "aws:ecr/repository:Repository",
      ])
        expect(REPLACEMENTS[type]?.stateful, type).to.equal(true);
    });
  });

  describe("the command", function () {
    let copy: string;
    before(() => {
      // A copy of the program (as another checkout would be), with a change to one stack file.
      copy = fs.mkdtempSync(path.join(os.tmpdir(), "diff-test-"));
      for (const entry of fs.readdirSync(PROJECT_DIR)) {
        if (["node_modules", ".git", "plan-out"].includes(entry)) continue;
        fs.cpSync(path.join(PROJECT_DIR, entry), path.join(copy, entry), { recursive: true });
      }
      fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(copy, "node_modules"), "dir");
    });
    after(() => fs.rmSync(copy, { recursive: true, force: true }));

    it("compares with another checkout: the same tree has no changes and exit 0", async () => {
      const diff = await buildDiff("dev", copy, "copy");
      expect(diff.changes).to.deep.equal([]);
      expect(diffExitCode(diff)).to.equal(EXIT.ok);
      expect(renderDiff(diff, "text")).to.include("Stack dev: copy -> working tree").and.include("0 to replace, 0 to delete, 0 to create, 0 to update.");
    });

    it("a stack file whose table key changed: exit 6, and the JSON says which resource and why", async () => {
      const file = path.join(copy, "Pulumi.dev.yaml");
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/partitionKey: \{ name: (\w+)/, "partitionKey: { name: $1Old"));
      const json = await runTool("diff", ["--stack", "dev", "--against-dir", copy, "--json"]);
      expect(json.code, json.stderr).to.equal(EXIT.dataLoss);
      const lost = JSON.parse(json.stdout).dataLoss;
      expect(lost.map((c: any) => c.type)).to.include(T.table);
      expect(lost.find((c: any) => c.type === T.table).properties.find((p: any) => p.path === "hashKey").replaces).to.equal(true);
    });

    it("refuses a ref that is no commit with the usage exit code", async () => {
      const { code, stderr } = await runTool("diff", ["--stack", "dev", "--against", "no-such-ref-anywhere"]);
      expect(code).to.equal(EXIT.usage);
      expect(stderr.trim()).to.equal("diff: --against no-such-ref-anywhere: not a commit in this repository");
    });

    it("refuses --markdown with --json, and --against with --against-dir", () => {
      expect(() => parseArgs(["--stack", "dev", "--markdown", "--json"])).to.throw(UsageError, "--markdown and --json exclude each other");
      expect(() => parseArgs(["--stack", "dev", "--against", "HEAD", "--against-dir", "."])).to.throw(UsageError, "exclude each other");
      expect(parseArgs(["--stack", "dev", "--markdown"]).format).to.equal("markdown");
    });
  });
});
