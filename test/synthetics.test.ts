/**
 * Synthetic checks (CloudWatch Synthetics canaries): config and its validation, the canary script
 * run against a local server (from source and from the built zip), and the synthesized canaries,
 * role, bucket, alarms and dashboard of dev and prod, passing the pack and the flow proofs.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { unzipSync } from "fflate";
import { buildCanaryZip, CANARY_BUILD_DIR, CANARY_SCRIPT_PATH, canarySchedule, canaryStatements } from "../components/synthetic-checks";
import { canaryChecks } from "../stacks/sections/synthetics";
import { runSteps, stepsFromEnvironment } from "../functions/canary/check";
import { evaluateFlows } from "../tools/fidelity/evaluate";
import { flowCatalogue } from "../tools/fidelity/flows";
import { iamWorld } from "../tools/fidelity/iam-world";
import { unusedGrants } from "../tools/fidelity/least-privilege";
import { MOCK_ACCOUNT_ID, PROJECT_DIR, SynthResult } from "../tools/harness";
import { editServices, expectProblem, expectProblemAt } from "./config-helpers";
import { fixture, FIXTURES, fixtureSettings, localServer, ofType, one, rejectionOf, T } from "./helpers";

const CANARY = "aws:synthetics/canary:Canary";

async function serve(answer: (url: string) => number): Promise<{ base: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const server = await localServer((req, res) => {
    hits.push(`${req.url} ${req.headers["user-agent"]}`);
    res.writeHead(answer(req.url ?? "/"));
    res.end("ok");
  });
  return { ...server, hits };
}

describe("synthetic checks: config", () => {
  it("runs every minute in prod and every 10 in dev, on a browserless runtime, with the site's journey", () => {
    const prod = fixtureSettings("prod");
    const dev = fixtureSettings("dev");
    expect(prod.synthetics).to.include({ enabled: true, rateMinutes: 1, runtimeVersion: "syn-nodejs-4.1", timeoutSeconds: 30 });
    expect(dev.synthetics.rateMinutes).to.equal(10);
    expect(prod.synthetics.journey).to.deep.equal([
      { name: "static-page", path: "/" },
      { name: "api-read", path: prod.edge.healthCheckPath },
    ]);
  });

  it("names one canary per routed service (its health path through the site) and the journey, telling them apart within 21 characters", () => {
    const prod = fixtureSettings("prod");
    const checks = canaryChecks(prod.namePrefix, prod.services, prod.synthetics);
    // Sign-in services get none: the ALB would answer their health path with a redirect to the sign-in page.
    const routed = prod.services.filter((s) => s.pathPrefix && !s.requireSignIn);
    expect(
      prod.services.some((s) => s.pathPrefix && s.requireSignIn),
      "the fixture has a sign-in service",
    ).to.equal(true);
    expect(checks.map((c) => c.name)).to.deep.equal([...routed.map((s) => `${s.name}-${prod.namePrefix}`), `journey-${prod.namePrefix}`]);
    expect(checks[0].steps).to.deep.equal([{ name: `${routed[0].name}-health`, path: `${routed[0].pathPrefix}${routed[0].healthCheckPath}`, only2xx: true }]);
    expect(new Set(checks.map((c) => c.name.slice(0, 21))).size).to.equal(checks.length);
    expect(canaryChecks(prod.namePrefix, prod.services, { ...prod.synthetics, enabled: false })).to.deep.equal([]);
  });

  it("refuses a run timeout longer than the time between runs", () => {
    const p = expectProblemAt(
      "dev",
      { "platform:synthetics": { rateMinutes: 1, timeoutSeconds: 90 } },
      "platform:synthetics.timeoutSeconds",
      90,
      "at most the time between runs",
    );
    expect(p.allowed).to.contain("rateMinutes 1 = 60 s");
  });

  it("refuses a browser runtime, a deprecated one and a repeated journey step", () => {
    expectProblemAt(
      "dev",
      { "platform:synthetics": { runtimeVersion: "syn-nodejs-puppeteer-9.1" } },
      "platform:synthetics.runtimeVersion",
      "syn-nodejs-puppeteer-9.1",
      "browserless",
    );
    expectProblemAt(
      "dev",
      { "platform:synthetics": { runtimeVersion: "syn-nodejs-2.2" } },
      "platform:synthetics.runtimeVersion",
      "syn-nodejs-2.2",
      "deprecated",
    );
    const twice = [
      { name: "a", path: "/" },
      { name: "a", path: "/x" },
    ];
    expectProblemAt("dev", { "platform:synthetics": { journey: twice } }, "platform:synthetics.journey", twice, "must not repeat a step name");
  });

  it("refuses a service whose canary would share its log-group name with the journey's", () => {
    const problem = expectProblem(
      "dev",
      (config) =>
        editServices(config, (services) => {
          services[0].name = "journey";
        }),
      "platform:services",
      "journey",
    );
    expect(problem.allowed).to.contain('share their first 21 characters ("journey-platform-dev"').and.contain("rename the service");
  });
});

describe("synthetic checks: the canary script", function () {
  this.timeout(20000);

  it("requests each step in order, with its user agent, and passes on 2xx and 3xx", async () => {
    const server = await serve((url) => (url === "/moved" ? 301 : 200));
    try {
      const lines: string[] = [];
      const steps = [
        { name: "home", url: `${server.base}/` },
        { name: "moved", url: `${server.base}/moved` },
      ];
      const results = await runSteps(steps, 2000, "platform-canary/journey", (l) => lines.push(l));
      expect(results.map((r) => [r.name, r.status])).to.deep.equal([
        ["home", 200],
        ["moved", 301],
      ]);
      expect(server.hits).to.deep.equal(["/ platform-canary/journey", "/moved platform-canary/journey"]);
      expect(JSON.parse(lines[0])).to.include({ name: "home", status: 200 });
    } finally {
      await server.close();
    }
  });

  it("accepts only 2xx on a health step: a redirect there is a sign-in page, not health", async () => {
    const server = await serve(() => 302);
    try {
      const err = await rejectionOf(runSteps([{ name: "health", url: `${server.base}/users/health`, only2xx: true }], 2000, "ua", () => undefined));
      expect((err as Error).message).to.equal(`step health: GET ${server.base}/users/health answered 302, not 2xx`);
    } finally {
      await server.close();
    }
  });

  it("fails the run at the first step that is not 2xx/3xx, naming it, and requests nothing after it", async () => {
    const server = await serve((url) => (url === "/api" ? 503 : 200));
    try {
      const steps = ["/", "/api", "/after"].map((p, i) => ({ name: `s${i}`, url: `${server.base}${p}` }));
      const err = await rejectionOf(runSteps(steps, 2000, "ua", () => undefined));
      expect((err as Error).message).to.equal(`step s1: GET ${server.base}/api answered 503, not 2xx or 3xx`);
      expect(server.hits.map((h) => h.split(" ")[0])).to.deep.equal(["/", "/api"]);
    } finally {
      await server.close();
    }
  });

  it("fails a step that does not answer in time, or whose certificate is not valid", async () => {
    const silent = await localServer(() => undefined);
    const port = new URL(silent.base).port;
    try {
      const slow = await rejectionOf(runSteps([{ name: "slow", url: `http://127.0.0.1:${port}/` }], 200, "ua", () => undefined));
      expect((slow as Error).message).to.equal(`step slow: GET http://127.0.0.1:${port}/ failed: no answer within 200 ms`);
      const tls = await rejectionOf(runSteps([{ name: "tls", url: `https://127.0.0.1:${port}/` }], 500, "ua", () => undefined));
      expect((tls as Error).message).to.match(new RegExp(`^step tls: GET https://127.0.0.1:${port}/ failed: `));
    } finally {
      await silent.close();
    }
  });

  it("reads its steps from the environment the component sets, and refuses a malformed list", () => {
    expect(stepsFromEnvironment({ CANARY_STEPS: '[{"name":"a","url":"https://x/"}]', CANARY_STEP_TIMEOUT_MS: "1500", CANARY_USER_AGENT: "u" })).to.deep.equal({
      steps: [{ name: "a", url: "https://x/" }],
      timeoutMs: 1500,
      userAgent: "u",
    });
    expect(() => stepsFromEnvironment({ CANARY_STEPS: "[]" })).to.throw("CANARY_STEPS must be a JSON list of {name, url}");
  });

  it("ships as nodejs/node_modules/check.js in a deterministic zip named after the runtime and a hash of its sources, and the zipped script runs", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "canary-"));
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "canary-"));
    const first = await buildCanaryZip("syn-nodejs-4.1", dir);
    const second = await buildCanaryZip("syn-nodejs-4.1", other);
    expect(first)
      .to.equal(second)
      .and.match(/^\.build\/canaries\/check-syn-nodejs-4\.1-[0-9a-f]{16}\.zip$/);
    // Built twice from scratch: the same bytes, so one name always means one zip.
    expect(fs.readFileSync(path.join(dir, first)).equals(fs.readFileSync(path.join(other, second)))).to.equal(true);
    // A zip already built is reused, not rewritten.
    const built = fs.statSync(path.join(dir, first)).mtimeMs;
    expect(await buildCanaryZip("syn-nodejs-4.1", dir)).to.equal(first);
    expect(fs.statSync(path.join(dir, first)).mtimeMs).to.equal(built);
    expect(path.dirname(first)).to.equal(CANARY_BUILD_DIR);
    expect(await buildCanaryZip("syn-nodejs-4.0", dir)).to.not.equal(first);
    const files = unzipSync(fs.readFileSync(path.join(dir, first)));
    expect(Object.keys(files)).to.deep.equal([CANARY_SCRIPT_PATH]);
    // The packaged script, as the runtime loads it (CommonJS, no TypeScript), against a local server.
    const script = path.join(dir, "check.js");
    fs.writeFileSync(script, files[CANARY_SCRIPT_PATH]);
    const server = await serve(() => 204);
    const before = { ...process.env };
    try {
      process.env.CANARY_STEPS = JSON.stringify([{ name: "health", url: `${server.base}/users/health` }]);
      process.env.CANARY_USER_AGENT = "platform-canary/user";
      const log = console.log;
      const lines: string[] = [];
      console.log = (line: string) => lines.push(line);
      const results = await require(script)
        .handler()
        .finally(() => (console.log = log));
      expect(JSON.parse(lines[0])).to.include({ name: "health", status: 204 });
      expect(results.map((r: any) => r.status)).to.deep.equal([204]);
      expect(server.hits).to.deep.equal(["/users/health platform-canary/user"]);
    } finally {
      process.env = before;
      await server.close();
    }
  });
});

describe("synthetic checks: the role's statements", () => {
  const account = { partition: "aws", region: "eu-west-1", accountId: "111122223333" };
  it("scopes artifacts to each canary's prefix, logs to each canary's 21-character name, metrics to the Synthetics namespace, the key to S3", () => {
    const s = canaryStatements("arn:aws:s3:::art", "arn:aws:kms:eu-west-1:111122223333:key/k", ["user-platform-prod", "notification-platform-prod"], account);
    const bySid = Object.fromEntries(s.map((x) => [x.Sid, x]));
    expect(bySid.WriteArtifacts.Resource).to.deep.equal(["arn:aws:s3:::art/user-platform-prod/*", "arn:aws:s3:::art/notification-platform-prod/*"]);
    expect(bySid.WriteCanaryLogs.Resource).to.deep.equal([
      "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/cwsyn-user-platform-prod-*",
      // Synthetics names the group after the first 21 characters only.
      "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/cwsyn-notification-platform-*",
    ]);
    expect(bySid.PublishCanaryMetrics.Condition).to.deep.equal({ StringEquals: { "cloudwatch:namespace": "CloudWatchSynthetics" } });
    expect(bySid.EncryptArtifacts.Condition).to.deep.equal({ StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } });
    expect(s.flatMap((x) => [x.Action].flat())).to.not.include.members(["xray:PutTraceSegments"]);
    expect([canarySchedule(1), canarySchedule(10)]).to.deep.equal(["rate(1 minute)", "rate(10 minutes)"]);
  });
});

for (const stack of FIXTURES) {
  const settings = fixtureSettings(stack);
  describe(`synthetic checks (${stack})`, () => {
    let result: SynthResult;
    before(async () => {
      result = await fixture(stack);
    });

    it("has a canary per routed service and the journey, on the public site, encrypted, cleaned up and started", () => {
      const canaries = ofType(result, CANARY);
      const checks = canaryChecks(settings.namePrefix, settings.services, settings.synthetics);
      expect(canaries.map((c) => c.inputs.name)).to.deep.equal(checks.map((c) => c.name));
      const bucket = one(result, T.bucket, "synthetics-artifacts");
      const key = one(result, T.kmsKey, "platform-key");
      const role = one(result, T.role, "synthetics-role");
      for (const [i, c] of canaries.entries()) {
        expect(c.region).to.equal(settings.region);
        expect(c.inputs).to.include({
          handler: "check.handler",
          runtimeVersion: settings.synthetics.runtimeVersion,
          executionRoleArn: role.state.arn,
          startCanary: true,
          deleteLambda: true,
          artifactS3Location: `s3://${bucket.state.bucket}/${c.inputs.name}/`,
          successRetentionPeriod: settings.synthetics.successRetentionDays,
          failureRetentionPeriod: settings.synthetics.failureRetentionDays,
        });
        expect(c.inputs.schedule.expression).to.equal(canarySchedule(settings.synthetics.rateMinutes));
        expect(c.inputs.artifactConfig).to.deep.equal({ s3Encryption: { encryptionMode: "SSE_KMS", kmsKeyArn: key.state.arn } });
        expect(c.inputs.zipFile).to.match(
          new RegExp(`^\\.build/canaries/check-${settings.synthetics.runtimeVersion.replace(/\./g, "\\.")}-[0-9a-f]{16}\\.zip$`),
        );
        expect(fs.existsSync(path.join(PROJECT_DIR, c.inputs.zipFile)), "the zip the provider reads exists").to.equal(true);
        const env = c.inputs.runConfig.environmentVariables;
        expect(JSON.parse(env.CANARY_STEPS)).to.deep.equal(
          checks[i].steps.map((s) => ({ name: s.name, url: `https://${settings.domain}${s.path}`, ...(s.only2xx ? { only2xx: true } : {}) })),
        );
        expect(c.inputs.runConfig).to.include({ timeoutInSeconds: settings.synthetics.timeoutSeconds, activeTracing: false });
      }
      const encryption = ofType(result, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find(
        (e) => e.inputs.bucket === bucket.id,
      )!;
      expect(encryption.inputs.rules[0].applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: key.state.arn });
    });

    it("alarms on each canary's success and duration, with the stack's thresholds, and graphs both", () => {
      const t = settings.observability.thresholds;
      const period = Math.max(60, settings.synthetics.rateMinutes * 60);
      for (const c of ofType(result, CANARY)) {
        const success = one(result, T.metricAlarm, `observability-canary-${c.inputs.name}-success`).inputs;
        expect(success).to.include({
          namespace: "CloudWatchSynthetics",
          metricName: "SuccessPercent",
          statistic: "Average",
          threshold: t.canarySuccessPercent,
          period,
          treatMissingData: "notBreaching",
        });
        expect(success.dimensions).to.deep.equal({ CanaryName: c.inputs.name });
        const duration = one(result, T.metricAlarm, `observability-canary-${c.inputs.name}-duration`).inputs;
        expect(duration).to.include({ metricName: "Duration", threshold: t.canaryDurationMs, comparisonOperator: "GreaterThanThreshold" });
      }
      const widgets = JSON.parse(one(result, T.dashboard, "observability-dashboard").inputs.dashboardBody).widgets;
      const titles = widgets.filter((w: any) => w.type === "metric").map((w: any) => w.properties.title);
      expect(titles).to.include.members(["Canary success %", "Canary run duration (ms)"]);
    });

    it("lets the canaries do exactly what a run needs (identity, key and bucket policies together), nothing unused", async () => {
      const world = iamWorld(result, MOCK_ACCOUNT_ID);
      const flows = flowCatalogue(result, settings, MOCK_ACCOUNT_ID).filter((f) => f.id.startsWith("synthetics:"));
      expect(flows.map((f) => f.id)).to.deep.equal(ofType(result, CANARY).map((c) => `synthetics:${c.inputs.name}`));
      const outcomes = await evaluateFlows(world, flows);
      expect(outcomes.filter((o) => !o.allowed).map((o) => o.detail)).to.deep.equal([]);
      // Per statement: a statement of the canaries' role or bucket that no request of theirs needs.
      const unused = unusedGrants(world, outcomes).filter((u) => /::synthetics-(role|artifacts) /.test(u));
      expect(unused).to.deep.equal([]);
    });
  });
}
