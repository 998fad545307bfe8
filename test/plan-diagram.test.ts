/**
 * The architecture diagram (`tools/plan/diagram.ts`) of the real dev and prod stacks: valid DOT
 * that Graphviz renders, a node for everything config declares, the request path in order, data
 * edges exactly where `access` grants them, real sizes in the labels, and deterministic output.
 */
import { expect } from "chai";
import { Settings } from "../stacks";
import { SynthResult } from "../tools/harness";
import { architectureDot, nodeId, parseDot, ParsedDot, quote, renderSvg, REQUEST_PATH, requestPathOrder } from "../tools/plan/diagram";
import { fixture, FIXTURES, fixtureSettings, T } from "./helpers";

interface Drawn {
  result: SynthResult;
  settings: Settings;
  dot: string;
  graph: ParsedDot;
}

/** Depth of `{`/`}` outside quoted strings never goes negative and ends at zero. */
function bracesBalanced(dot: string): boolean {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < dot.length; i++) {
    const c = dot[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth < 0) return false;
  }
  return depth === 0 && !quoted;
}

/** The node of `kind` whose label's first line is `name`. */
function nodeOf(d: Drawn, kind: string, name: string): string {
  const found = d.graph.nodes.filter((n) => n.attrs.class === kind && n.attrs.label.split("\n")[0] === name);
  expect(found, `${d.result.stack}: ${kind} node "${name}"`).to.have.length(1);
  return found[0].id;
}

function nodesOf(d: Drawn, kind: string): string[] {
  return d.graph.nodes.filter((n) => n.attrs.class === kind).map((n) => n.id);
}

function labelOf(d: Drawn, id: string): string {
  return d.graph.nodes.find((n) => n.id === id)?.attrs.label ?? "";
}

function edgesFrom(d: Drawn, from: string) {
  return d.graph.edges.filter((e) => e.from === from);
}

function edge(d: Drawn, from: string, to: string) {
  return d.graph.edges.find((e) => e.from === from && e.to === to);
}

describe("plan diagram (Graphviz DOT of the architecture)", () => {
  const drawn: Record<string, Drawn> = {};

  before(async function () {
    this.timeout(180_000);
    // One stack after the other: the Pulumi runtime is global.
    for (const stack of FIXTURES) {
      const result = await fixture(stack);
      const settings = fixtureSettings(stack);
      const dot = architectureDot(result, settings);
      drawn[stack] = { result, settings, dot, graph: parseDot(dot) };
    }
  });

  for (const stack of FIXTURES) {
    describe(stack, () => {
      it("is a left-to-right digraph with balanced braces that Graphviz renders to SVG", async function () {
        this.timeout(60_000);
        const { dot, graph } = drawn[stack];
        expect(dot.startsWith("digraph ")).to.be.true;
        expect(dot).to.match(/rankdir=LR/);
        expect(bracesBalanced(dot), "balanced braces").to.be.true;
        expect(graph.nodes.length).to.be.greaterThan(10);
        const svg = await renderSvg(dot);
        expect(svg).to.include("<svg");
        expect(svg.match(/<g id="node\d+" class="node /g), "SVG nodes").to.have.length(graph.nodes.length);
        expect(svg.match(/<g id="edge\d+" class="edge"/g), "SVG edges").to.have.length(graph.edges.length);
        expect(svg.match(/<g id="clust\d+" class="cluster"/g), "SVG clusters").to.have.length(new Set(graph.nodes.map((n) => n.cluster)).size);
      });

      it("has a node, in its tier's cluster, for every service, table, queue (and DLQ) and function in config", () => {
        const d = drawn[stack];
        const clusterOf = (id: string) => d.graph.nodes.find((n) => n.id === id)?.cluster;
        for (const s of d.settings.services) expect(clusterOf(nodeOf(d, "service", s.name))).to.equal("Services");
        for (const t of d.settings.tables) expect(clusterOf(nodeOf(d, "table", t.name))).to.equal("Tables");
        for (const q of d.settings.queues) {
          expect(clusterOf(nodeOf(d, "queue", q.name))).to.equal("Queues");
          expect(clusterOf(nodeOf(d, "dlq", `${q.name}-dlq`))).to.equal("Queues");
        }
        for (const f of d.settings.functions) expect(clusterOf(nodeOf(d, "function", f.name))).to.equal("Functions");
        expect(nodesOf(d, "service")).to.have.length(d.settings.services.length);
        expect(nodesOf(d, "table")).to.have.length(d.settings.tables.length);
        expect(nodesOf(d, "queue")).to.have.length(d.settings.queues.length);
        expect(nodesOf(d, "function")).to.have.length(d.settings.functions.length);
        for (const kind of ["route53", "cloudfront", "waf", "bucket", "alb", "cache", "database", "filesystem", "userpool"]) {
          expect(nodesOf(d, kind), kind).to.not.be.empty;
        }
        const ids = d.graph.nodes.map((n) => n.id);
        expect(new Set(ids).size, "unique node ids").to.equal(ids.length);
      });

      it("draws the request path in order: Route 53 -> CloudFront -> WAF -> ALB -> each routed service", () => {
        const d = drawn[stack];
        expect(requestPathOrder(d.dot)).to.deep.equal([...REQUEST_PATH]);
        const [cdn] = nodesOf(d, "cloudfront");
        const [waf] = nodesOf(d, "waf");
        const [alb] = nodesOf(d, "alb");
        for (const record of nodesOf(d, "route53")) expect(edge(d, record, cdn), `${record} -> CloudFront`).to.exist;
        expect(edge(d, cdn, waf), "CloudFront -> WAF").to.exist;
        expect(edge(d, waf, alb)?.attrs.label, "WAF -> ALB").to.include(`origin.${d.settings.domain}`);
        expect(edge(d, cdn, alb), "no path around the WAF").to.be.undefined;
        expect(edge(d, cdn, nodesOf(d, "bucket")[0])?.attrs.label).to.equal("static paths");
        for (const s of d.settings.services) {
          const routed = edge(d, alb, nodeOf(d, "service", s.name));
          if (!s.pathPrefix) {
            expect(routed, `${s.name} is a worker`).to.be.undefined;
            continue;
          }
          expect(routed?.attrs.label.split("\n")[0], `${s.name} route`).to.equal(s.pathPrefix);
          expect(routed?.attrs.label.includes("sign-in"), `${s.name} sign-in`).to.equal(s.requireSignIn);
        }
        expect(edge(d, alb, nodeOf(d, "service", "payment"))?.attrs.label).to.equal("/payments\nsign-in");
        expect(edge(d, alb, nodesOf(d, "userpool")[0]), "ALB -> Cognito").to.exist;
      });

      it("draws data edges exactly where access grants them: user reaches the database and cache, payment does not", () => {
        const d = drawn[stack];
        const [database] = nodesOf(d, "database");
        const [cache] = nodesOf(d, "cache");
        const [files] = nodesOf(d, "filesystem");
        const user = nodeOf(d, "service", "user");
        const payment = nodeOf(d, "service", "payment");
        expect(edge(d, user, database), "user -> database").to.exist;
        expect(edge(d, user, cache), "user -> cache").to.exist;
        expect(edge(d, payment, database), "payment -> database").to.be.undefined;
        expect(edge(d, payment, cache), "payment -> cache").to.be.undefined;
        for (const s of d.settings.services) {
          const from = nodeOf(d, "service", s.name);
          const expected = [
            ...(s.access.database ? [`${database}|IAM auth :5432`] : []),
            ...(s.access.cache ? [`${cache}|TLS + AUTH :6379`] : []),
            ...Object.entries(s.access.tables).map(([t, mode]) => `${nodeOf(d, "table", t)}|${mode}`),
            ...Object.entries(s.access.queues).map(([q, mode]) => `${nodeOf(d, "queue", q)}|${mode}`),
            ...(s.access.fileSystem ? [`${files}|NFS/TLS :2049`] : []),
          ];
          const actual = edgesFrom(d, from).map((e) => `${e.to}|${e.attrs.label}`);
          expect(actual.sort(), s.name).to.deep.equal(expected.sort());
        }
      });

      it("draws each queue -> its DLQ, each function's queue -> the function, and the function -> its tables", () => {
        const d = drawn[stack];
        for (const q of d.settings.queues) {
          const dlq = edge(d, nodeOf(d, "queue", q.name), nodeOf(d, "dlq", `${q.name}-dlq`));
          expect(dlq?.attrs.label, `${q.name} -> DLQ`).to.equal(`after ${q.maxReceiveCount} receives`);
        }
        expect(d.settings.functions).to.not.be.empty;
        for (const f of d.settings.functions) {
          const fn = nodeOf(d, "function", f.name);
          expect(edge(d, nodeOf(d, "queue", f.queue), fn)?.attrs.label, `${f.queue} -> ${f.name}`).to.match(/^consume/);
          const expected = [
            ...Object.entries(f.access.tables).map(([t, mode]) => `${nodeOf(d, "table", t)}|${mode}`),
            ...Object.entries(f.access.queues).map(([q, mode]) => `${nodeOf(d, "queue", q)}|${mode}`),
          ];
          expect(
            edgesFrom(d, fn)
              .map((e) => `${e.to}|${e.attrs.label}`)
              .sort(),
            f.name,
          ).to.deep.equal(expected.sort());
        }
      });

      it("is deterministic: byte-identical for the same input, whatever the resource order", () => {
        const d = drawn[stack];
        expect(architectureDot(d.result, d.settings)).to.equal(d.dot);
        const reversed = { ...d.result, resources: [...d.result.resources].reverse() };
        expect(architectureDot(reversed, d.settings)).to.equal(d.dot);
      });
    });
  }

  it("prod labels show 3 cache nodes and the Aurora writer and readers with their class", () => {
    const d = drawn.prod;
    const cache = labelOf(d, nodesOf(d, "cache")[0]);
    const database = labelOf(d, nodesOf(d, "database")[0]);
    expect(cache).to.include("3 nodes x cache.r7g.large");
    expect(cache).to.include("Multi-AZ failover");
    expect(database).to.include(`1 writer + ${d.settings.database.readers} readers`);
    expect(database).to.include("1 writer + 2 readers");
    expect(database).to.include("db.r6g.large");
    expect(labelOf(d, nodeOf(d, "service", "user"))).to.equal("user\nECS Fargate 3-20 tasks\n1 vCPU / 2 GiB");
  });

  it("prod shows both regions: each table's replica and the static replica in the DR region's cluster, backups copied there", () => {
    const d = drawn.prod;
    const region = d.settings.disasterRecovery.region;
    const inDr = d.graph.nodes.filter((n) => n.cluster === `DR region (${region})`);
    expect(inDr.map((n) => n.attrs.class)).to.satisfy((kinds: string[]) => kinds.every((k) => k === "replica"));
    for (const table of d.settings.tables) {
      const replica = inDr.find((n) => n.attrs.label.split("\n")[0] === table.name && n.attrs.label.includes("DynamoDB replica"));
      expect(replica, table.name).to.not.equal(undefined);
      const edge = d.graph.edges.find((e) => e.from === nodeOf(d, "table", table.name) && e.to === replica!.id);
      expect(edge?.attrs.label, table.name).to.equal("global table");
    }
    expect(inDr.some((n) => n.attrs.label.startsWith("static assets\nS3 replica"))).to.equal(true);
    const [home] = nodesOf(d, "vault");
    const copy = d.graph.edges.find((e) => e.from === home && inDr.some((n) => n.id === e.to));
    expect(copy?.attrs.label).to.equal(`copy, ${d.settings.disasterRecovery.backupRetentionDays} days`);
  });

  it("dev, with no DR region, has no DR cluster and no backups", () => {
    const d = drawn.dev;
    expect(d.graph.nodes.filter((n) => n.attrs.class === "replica" || n.attrs.class === "vault")).to.deep.equal([]);
  });

  it("counts readers by the role each instance was placed for (its PlacedAs tag), not by its name", () => {
    const d = drawn.prod;
    const renamed = structuredClone(d.result);
    for (const r of renamed.resources)
      if (r.type === T.rdsInstance) Object.assign(r, { name: `db-${r.name.length}`, inputs: { ...r.inputs, identifier: "x" } });
    const database = labelOf({ ...d, graph: parseDot(architectureDot(renamed, d.settings)) }, nodesOf(d, "database")[0]);
    expect(database).to.include(`1 writer + ${d.settings.database.readers} readers`);
  });

  it("dev labels show 1 cache node and one Serverless v2 writer", () => {
    const d = drawn.dev;
    const cache = labelOf(d, nodesOf(d, "cache")[0]);
    const database = labelOf(d, nodesOf(d, "database")[0]);
    expect(cache).to.include("1 node x cache.t4g.micro");
    expect(cache).to.not.include("nodes");
    expect(cache).to.not.include("Multi-AZ");
    expect(database).to.include("1 writer + 0 readers");
    expect(database).to.include("db.serverless (0.5-2 ACU)");
  });

  it("requestPathOrder stops where the chain breaks", () => {
    const d = drawn.prod;
    const [waf] = nodesOf(d, "waf");
    const [alb] = nodesOf(d, "alb");
    const broken = d.dot
      .split("\n")
      .filter((line) => !line.startsWith(`  ${quote(waf)} -> ${quote(alb)}`))
      .join("\n");
    expect(broken).to.not.equal(d.dot);
    expect(requestPathOrder(broken)).to.deep.equal(["route53", "cloudfront", "waf"]);
  });

  it("keeps ids and labels DOT-safe: quotes and backslashes are escaped, the graph still renders", async function () {
    this.timeout(60_000);
    expect(quote('a "b" \\ c\nd')).to.equal('"a \\"b\\" \\\\ c\\nd"');
    expect(nodeId("aws:sqs/queue:Queue", "queue-orders")).to.equal("aws_sqs_Queue__queue-orders");
    const d = drawn.dev;
    const odd = 'table-"odd\\name';
    const resources = d.result.resources.map((r) => (r.type === T.table && r.name === "table-orders" ? { ...r, name: odd } : r));
    const dot = architectureDot({ ...d.result, resources }, d.settings);
    expect(bracesBalanced(dot)).to.be.true;
    const ids = parseDot(dot).nodes.map((n) => n.id);
    expect(ids).to.include(nodeId("aws:dynamodb/table:Table", odd));
    expect(await renderSvg(dot)).to.include("<svg");
  });

  it("refuses to drop a grant: access to a table the stack lacks is an error", () => {
    const d = drawn.dev;
    const resources = d.result.resources.filter((r) => !(r.type === T.table && r.name === "table-orders"));
    expect(() => architectureDot({ ...d.result, resources }, d.settings)).to.throw(/function "orders" declares access to table "orders"/);
  });
});
