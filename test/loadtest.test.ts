/** `npm run loadtest`: its guards, its arithmetic, and every figure it reports against a local server that knows what it sent. */
import { expect } from "chai";
import { EXIT, UsageError } from "../tools/exit";
import { DEFAULT_MAX_DURATION_SECONDS, DEFAULT_MAX_RATE, parseLoadTestArgs, phasesOf } from "../tools/loadtest/options";
import { runLoadTest, verifyTls } from "../tools/loadtest/run";
import { cacheOutcome, percentile, progressLine, renderReport, Tally } from "../tools/loadtest/tally";
import { localServer, rejectionOf, runTool } from "./helpers";

/** Ten answers in turn: 5 edge hits, a refresh hit, 2 misses, one without x-cache, one 429 (as CloudFront sends the WAF's). */
const PATTERN: { status: number; xCache?: string }[] = [
  ...Array.from({ length: 5 }, () => ({ status: 200, xCache: "Hit from cloudfront" })),
  { status: 200, xCache: "RefreshHit from cloudfront" },
  { status: 200, xCache: "Miss from cloudfront" },
  { status: 200, xCache: "Miss from cloudfront" },
  { status: 200 },
  { status: 429, xCache: "Error from cloudfront" },
];
const DELAY_MS = 15;

interface Sent {
  total: number;
  byStatus: Record<string, number>;
  hit: number;
  miss: number;
  other: number;
  none: number;
}

async function startServer(
  answer: (n: number) => { status: number; xCache?: string } = (n) => PATTERN[n % PATTERN.length],
): Promise<{ url: string; sent: Sent; close: () => Promise<void> }> {
  const sent: Sent = { total: 0, byStatus: {}, hit: 0, miss: 0, other: 0, none: 0 };
  let n = 0;
  const server = await localServer((_req, res) => {
    const a = answer(n++);
    setTimeout(() => {
      res.writeHead(a.status, a.xCache ? { "x-cache": a.xCache, "content-type": "text/plain" } : { "content-type": "text/plain" });
      res.end("ok");
      sent.total += 1;
      sent.byStatus[a.status] = (sent.byStatus[a.status] ?? 0) + 1;
      sent[cacheOutcome(a.xCache)] += 1;
    }, DELAY_MS);
  });
  return { url: `${server.base}/`, sent, close: server.close };
}

const usage = (argv: string[]) => {
  try {
    parseLoadTestArgs(argv);
  } catch (err) {
    expect(err).to.be.instanceOf(UsageError);
    return (err as Error).message;
  }
  return expect.fail(`accepted ${argv.join(" ")}`);
};

describe("load test: options and guards", () => {
  const base = ["--url", "https://shop.example.com/", "--rate", "667", "--duration", "60"];

  it("reads the target, rate, duration and burst, and sizes connections for the peak", () => {
    const o = parseLoadTestArgs([...base, "--burst", "3x", "--json"]);
    expect(o.url.href).to.equal("https://shop.example.com/");
    expect(o).to.include({ rate: 667, durationSeconds: 60, json: true, connections: Math.ceil(2001 / 5), timeoutSeconds: 10 });
    expect(o.burst).to.deep.equal({ factor: 3, seconds: 20 });
    expect(phasesOf(o)).to.deep.equal([
      { name: "sustained", rate: 667, seconds: 20 },
      { name: "burst", rate: 2001, seconds: 20 },
      { name: "after burst", rate: 667, seconds: 20 },
    ]);
    expect(phasesOf(parseLoadTestArgs(base))).to.deep.equal([{ name: "sustained", rate: 667, seconds: 60 }]);
    const short = parseLoadTestArgs(["--url=http://localhost:8080/health", "--rate=10", "--duration=3", "--burst=2.5x", "--burst-duration=1"]);
    expect(phasesOf(short).map((p) => [p.rate, p.seconds])).to.deep.equal([
      [10, 1],
      [25, 1],
      [10, 1],
    ]);
  });

  it("refuses plain HTTP except to this machine, and URLs with credentials", () => {
    expect(usage(["--url", "http://shop.example.com/", "--rate", "1", "--duration", "1"])).to.match(
      /^--url is "http:\/\/shop.example.com\/": must be https:\/\//,
    );
    for (const local of ["http://localhost:3000/", "http://127.0.0.1/", "http://[::1]:8080/x"])
      expect(parseLoadTestArgs(["--url", local, "--rate", "1", "--duration", "1"]).url.protocol).to.equal("http:");
    expect(usage(["--url", "ftp://x/", "--rate", "1", "--duration", "1"])).to.contain("must be https://");
    expect(usage(["--url", "shop", "--rate", "1", "--duration", "1"])).to.equal('--url is "shop": must be an absolute https:// URL');
    expect(usage(["--url", "https://u:p@shop.example.com/", "--rate", "1", "--duration", "1"])).to.contain("credentials");
  });

  it("caps rate and duration unless raised on purpose, burst included", () => {
    expect(usage([...base.slice(0, 2), "--rate", String(DEFAULT_MAX_RATE + 1), "--duration", "1"])).to.equal(
      `--rate is "${DEFAULT_MAX_RATE + 1}": must be a whole number from 1 to ${DEFAULT_MAX_RATE} (requests per second; raise the ceiling with --max-rate)`,
    );
    expect(usage([...base.slice(0, 4), "--duration", String(DEFAULT_MAX_DURATION_SECONDS + 1)])).to.contain("raise the ceiling with --max-duration");
    expect(parseLoadTestArgs([...base.slice(0, 2), "--rate", "3000", "--duration", "900", "--max-rate", "3000", "--max-duration", "900"]).rate).to.equal(3000);
    expect(usage([...base, "--burst", "4x"])).to.equal(
      `--burst is "4x": 667 req/s x 4 = 2668 req/s is above the ceiling of ${DEFAULT_MAX_RATE} (raise it with --max-rate)`,
    );
    expect(usage([...base.slice(0, 2), "--rate", "1", "--duration", "1", "--max-rate", "100000"])).to.contain('--max-rate is "100000"');
  });

  it("names the flag, the value and what is allowed for every other mistake", () => {
    expect(usage(["--rate", "1", "--duration", "1"])).to.match(/^missing --url/);
    expect(usage([...base, "--rate", "2"])).to.equal("--rate is given twice");
    expect(usage([...base, "--burst", "3"])).to.contain('--burst is "3": must be a factor such as 3x');
    expect(usage([...base, "--burst", "1x"])).to.contain("above 1x");
    expect(usage([...base, "--burst-duration", "5"])).to.equal("--burst-duration needs --burst");
    expect(usage([...base, "--burst", "2x", "--burst-duration", "59"])).to.contain('--burst-duration is "59": must be a whole number from 1 to 58');
    expect(usage([...base.slice(0, 4), "--duration", "2.5"])).to.contain("a whole number");
    expect(usage([...base, "--connections"])).to.equal("--connections needs a value");
    expect(usage([...base, "--verbose"])).to.match(/^unknown argument "--verbose"/);
  });
});

describe("load test: figures", () => {
  it("classifies x-cache values as CloudFront writes them", () => {
    expect(
      ["Hit from cloudfront", "RefreshHit from cloudfront", "Miss from cloudfront", "Error from cloudfront", "LimitExceeded from cloudfront", undefined].map(
        cacheOutcome,
      ),
    ).to.deep.equal(["hit", "hit", "miss", "other", "other", "none"]);
  });

  it("takes nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([50, 90, 99, 100].map((p) => percentile(values, p))).to.deep.equal([50, 90, 99, 100]);
    expect(percentile([], 99)).to.equal(0);
    expect(percentile([7], 50)).to.equal(7);
  });

  it("sums phases into the whole run, counting 429s apart from failures", () => {
    const t = new Tally([
      { name: "sustained", rate: 10, seconds: 2 },
      { name: "burst", rate: 30, seconds: 1 },
    ]);
    for (let i = 1; i <= 20; i++) t.response(0, 200, i, i <= 15 ? "Hit from cloudfront" : "Miss from cloudfront");
    for (let i = 1; i <= 27; i++) t.response(1, i <= 24 ? 200 : i <= 26 ? 429 : 503, 100 + i, undefined);
    t.timeout(1);
    t.connectionError(1);
    const s = t.summary([2, 1]);
    expect(s.phases[0]).to.deep.include({ name: "sustained", responses: 20, achievedRate: 10, throttledShare: 0, failedShare: 0 });
    expect(s.phases[0].cache).to.deep.equal({ hit: 15, miss: 5, other: 0, none: 0, hitRatio: 0.75 });
    expect(s.phases[1]).to.deep.include({
      responses: 27,
      achievedRate: 27,
      statuses: { 200: 24, 429: 2, 503: 1 },
      errors: { 429: 2, 503: 1, timeout: 1, connection: 1 },
    });
    expect(s.phases[1].failedShare).to.equal(3 / 29);
    expect(s.phases[1].cache.hitRatio).to.equal(null);
    expect(s.total).to.deep.include({ targetRate: 17, seconds: 3, responses: 47, achievedRate: 15.7 });
    expect(s.total.latencyMs).to.deep.equal({ p50: 104, p90: 123, p99: 127, max: 127 });
    expect(s.total.throttledShare).to.equal(2 / 47);
    const report = renderReport("https://x/", s);
    expect(report).to.contain("burst: 27 responses in 1 s, 27 req/s achieved of 30 targeted");
    expect(report).to.contain("errors    429: 2, 503: 1, connection: 1, timeout: 1  (failed 10.3 %, 429 7.4 %)");
    expect(report).to.contain("edge      hit 15, miss 5, other 0, no x-cache 27: hit ratio 75.0 %");
    expect(
      progressLine({
        elapsed: 12,
        total: 60,
        phase: "burst",
        lastSecondResponses: 1990,
        target: 2001,
        p99: 84.4,
        failedShare: 0,
        throttledShare: 0.012,
        hitRatio: 0.78,
      }),
    ).to.equal("  12/60 s  burst         1990/2001 req/s  p99 84 ms  failed 0.0 %  429 1.2 %  edge hits 78.0 %");
  });
});

describe("load test: against a local server", function () {
  this.timeout(30000);

  it("reports what the server sent: rates per phase, latency, statuses, 429 share and edge hit ratio", async () => {
    const server = await startServer();
    const lines: string[] = [];
    try {
      const options = parseLoadTestArgs(["--url", server.url, "--rate", "40", "--duration", "3", "--burst", "3x", "--burst-duration", "1"]);
      const result = await runLoadTest(options, { progress: { write: (l) => lines.push(l), tty: false }, progressEverySeconds: 1 });
      const { total, phases } = result.summary;
      expect(result.stopped).to.equal(undefined);
      expect(phases.map((p) => [p.name, p.targetRate])).to.deep.equal([
        ["sustained", 40],
        ["burst", 120],
        ["after burst", 40],
      ]);
      // Every response the tool counted, the server sent; in flight when a phase ended: at most one per connection.
      const inFlight = phases.length * options.connections;
      expect(total.responses)
        .to.be.at.most(server.sent.total)
        .and.at.least(server.sent.total - inFlight);
      for (const k of ["hit", "miss", "other", "none"] as const) expect(total.cache[k], k).to.be.within(server.sent[k] - inFlight, server.sent[k]);
      expect(total.statuses["429"]).to.be.within(server.sent.byStatus["429"] - inFlight, server.sent.byStatus["429"]);
      expect(total.errors).to.deep.equal({ 429: total.statuses["429"] });
      expect(total.throttledShare)
        .to.equal(total.statuses["429"] / total.responses)
        .and.be.within(0.05, 0.15);
      expect(total.cache.hitRatio).to.equal(total.cache.hit / (total.cache.hit + total.cache.miss + total.cache.other));
      expect(total.cache.hitRatio).to.be.within(0.55, 0.75); // 6 of 9 with the header
      expect(total.failedShare).to.equal(0);
      // Rates: autocannon holds each phase's overall rate (it may fall short, never far over).
      for (const p of phases) expect(p.achievedRate, p.name).to.be.within(p.targetRate * 0.6, p.targetRate * 1.15);
      expect(phases[1].responses).to.be.greaterThan(phases[0].responses * 2);
      expect(total.latencyMs.p50).to.be.at.least(DELAY_MS).and.at.most(total.latencyMs.p90);
      expect(total.latencyMs.p90).to.be.at.most(total.latencyMs.p99);
      expect(total.latencyMs.p99).to.be.at.most(total.latencyMs.max);
      expect(lines.length).to.be.at.least(2);
      expect(lines[0]).to.match(/^ +\d\/3 s {2}sustained/);
    } finally {
      await server.close();
    }
  });

  it("stops on its own when most requests fail, and says why", async () => {
    const server = await startServer(() => ({ status: 503 }));
    try {
      const options = { ...parseLoadTestArgs(["--url", server.url, "--rate", "20", "--duration", "20"]), abortAfterSeconds: 1 };
      const started = Date.now();
      const result = await runLoadTest(options);
      expect(Date.now() - started).to.be.below(6000);
      expect(result.stopped).to.equal("50 % or more of requests failed for 1 s");
      expect(result.summary.total.failedShare).to.equal(1);
      expect(result.summary.total.errors).to.have.keys("503");
    } finally {
      await server.close();
    }
  });

  it("stops on its own when nothing comes back at all (a target that accepts and never answers)", async () => {
    const silent = await localServer(() => undefined);
    try {
      const url = `${silent.base}/`;
      const options = { ...parseLoadTestArgs(["--url", url, "--rate", "5", "--duration", "30", "--timeout", "1"]), abortAfterSeconds: 1 };
      const started = Date.now();
      const result = await runLoadTest(options);
      expect(Date.now() - started).to.be.below(8000);
      expect(result.stopped).to.match(/^no answer for 1 s$|^50 % or more of requests failed for 1 s$/);
    } finally {
      await silent.close();
    }
  });

  it("counts any error status but 429 as a failure, and ends a run that mostly failed with exit code 7", async () => {
    const t = new Tally([{ name: "sustained", rate: 1, seconds: 1 }]);
    t.response(0, 403, 1, undefined);
    t.response(0, 429, 1, undefined);
    t.response(0, 200, 1, undefined);
    expect(t.summary([1]).total).to.deep.include({ failedShare: 1 / 3, throttledShare: 1 / 3 });
    const server = await startServer(() => ({ status: 403 }));
    try {
      const run = await runTool("loadtest", ["--url", server.url, "--rate", "10", "--duration", "1", "--json"]);
      expect(run.code).to.equal(EXIT.loadFailed);
      expect(JSON.parse(run.stdout).summary.total.failedShare).to.equal(1);
    } finally {
      await server.close();
    }
  });

  it("checks the certificate before sending load (autocannon itself accepts any)", async () => {
    const server = await startServer();
    try {
      const err = await rejectionOf(verifyTls(new URL(server.url.replace("http:", "https:")), 2));
      expect((err as Error).message).to.match(/^--url https:\/\/127\.0\.0\.1:\d+\/: the TLS check failed: /);
    } finally {
      await server.close();
    }
  });

  it("runs from npm: JSON on stdout for CI, one-line usage errors with exit code 2", async () => {
    const server = await startServer();
    try {
      const ok = await runTool("loadtest", ["--url", server.url, "--rate", "20", "--duration", "1", "--json"]);
      expect(ok.code, ok.stderr).to.equal(EXIT.ok);
      const json = JSON.parse(ok.stdout);
      expect(json.url).to.equal(server.url);
      expect(json.summary.total.responses).to.be.above(5);
      const bad = await runTool("loadtest", ["--url", "http://shop.example.com/", "--rate", "1", "--duration", "1"]);
      expect(bad.code).to.equal(EXIT.usage);
      expect(bad.stderr.split("\n")[0]).to.equal(
        'loadtest: --url is "http://shop.example.com/": must be https:// (plain http:// only to localhost, 127.0.0.1 or [::1])',
      );
    } finally {
      await server.close();
    }
  });
});
