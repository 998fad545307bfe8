/** `npm run grafana-dashboard`: its guards, and the import against a local server that answers as Grafana's HTTP API does. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { grafanaDashboard } from "../components/grafana-dashboard";
import { EXIT, UsageError } from "../tools/exit";
import { importDashboard, parseImportArgs, RemoteError } from "../tools/grafana-dashboard";
import { localServer, rejectionOf, runTool } from "./helpers";

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body?: any;
}

async function grafana(answers: { sources?: unknown; importStatus?: number } = {}): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server = await localServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body: body ? JSON.parse(body) : undefined });
      if (req.url === "/api/datasources") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify(
            answers.sources ?? [
              { uid: "cw1", type: "cloudwatch", name: "CloudWatch" },
              { uid: "amp1", type: "prometheus", name: "AMP" },
            ],
          ),
        );
      } else if (req.url === "/api/dashboards/import" && req.method === "POST") {
        res.writeHead(answers.importStatus ?? 200, { "content-type": "application/json" });
        res.end(
          answers.importStatus
            ? '{"message":"Access denied"}'
            : JSON.stringify({ uid: "platform-prod", importedUrl: "/d/platform-prod/platform-prod", importedRevision: 1 }),
        );
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  return { url: server.base, seen, close: server.close };
}

function dashboardFile(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "grafana-")), "dashboard.json");
  const d = grafanaDashboard({
    namePrefix: "platform-prod",
    region: "eu-west-1",
    clusterName: "c",
    services: [{ name: "user", serviceName: "s", minTasks: 1 }],
    queues: [],
  });
  fs.writeFileSync(file, JSON.stringify(d));
  return file;
}

describe("grafana-dashboard: guards", () => {
  const file = dashboardFile();
  const usage = (argv: string[], env: NodeJS.ProcessEnv = { GRAFANA_TOKEN: "t" }) => {
    try {
      parseImportArgs(argv, env);
    } catch (err) {
      expect(err).to.be.instanceOf(UsageError);
      return (err as Error).message;
    }
    return expect.fail("accepted");
  };
  it("needs the workspace URL over HTTPS, the file and a token from the environment", () => {
    expect(usage(["--file", file])).to.match(/^missing --url/);
    expect(usage(["--url", "http://g.example.com", "--file", file])).to.equal(
      '--url is "http://g.example.com": must be https:// (the token would travel in clear)',
    );
    expect(usage(["--url", "https://g.example.com", "--file", file], {})).to.contain("GRAFANA_TOKEN is not set");
    expect(usage(["--url", "https://g.example.com", "--file", "/nope.json"])).to.contain('--file is "/nope.json": no such file');
    expect(usage(["--url", "https://g.example.com", "--file", file, "--token", "x"])).to.match(/^unknown argument "--token"/);
    expect(parseImportArgs(["--url", "https://g.example.com", "--file", file], { GRAFANA_TOKEN: "t" })).to.include({ token: "t", file });
  });
});

describe("grafana-dashboard: import", function () {
  this.timeout(20000);

  it("finds the data sources, imports with the inputs mapped to them, and sends the token as a bearer", async () => {
    const g = await grafana();
    try {
      const done = await importDashboard({
        ...parseImportArgs(["--url", g.url, "--file", dashboardFile(), "--folder", "ops"], { GRAFANA_TOKEN: "secret-token" }),
      });
      expect(done).to.deep.equal({ uid: "platform-prod", url: `${g.url}/d/platform-prod/platform-prod` });
      expect(g.seen.map((s) => `${s.method} ${s.url}`)).to.deep.equal(["GET /api/datasources", "POST /api/dashboards/import"]);
      expect(g.seen.every((s) => s.authorization === "Bearer secret-token")).to.equal(true);
      const body = g.seen[1].body;
      expect(body).to.include({ overwrite: true, folderUid: "ops" });
      expect(body.inputs).to.deep.equal([
        { name: "DS_PROMETHEUS", type: "datasource", pluginId: "prometheus", value: "amp1" },
        { name: "DS_CLOUDWATCH", type: "datasource", pluginId: "cloudwatch", value: "cw1" },
      ]);
      expect(body.dashboard.title).to.equal("platform-prod");
    } finally {
      await g.close();
    }
  });

  it("takes the Amazon Managed Prometheus plugin's data source too, and with both uids given lists nothing (an Editor token cannot)", async () => {
    const amp = await grafana({
      sources: [
        { uid: "cw1", type: "cloudwatch" },
        { uid: "amp2", type: "grafana-amazonprometheus-datasource" },
      ],
    });
    try {
      await importDashboard(parseImportArgs(["--url", amp.url, "--file", dashboardFile()], { GRAFANA_TOKEN: "t" }));
      expect(amp.seen[1].body.inputs[0]).to.deep.equal({
        name: "DS_PROMETHEUS",
        type: "datasource",
        pluginId: "grafana-amazonprometheus-datasource",
        value: "amp2",
      });
      amp.seen.length = 0;
      await importDashboard(parseImportArgs(["--url", amp.url, "--file", dashboardFile(), "--prometheus", "p9", "--cloudwatch", "c9"], { GRAFANA_TOKEN: "t" }));
      expect(amp.seen.map((s) => s.url)).to.deep.equal(["/api/dashboards/import"]);
      expect(amp.seen[0].body.inputs.map((i: any) => i.value)).to.deep.equal(["p9", "c9"]);
    } finally {
      await amp.close();
    }
  });

  it("says what is missing when the workspace has no Prometheus data source, and what Grafana answered when it refuses", async () => {
    const none = await grafana({ sources: [{ uid: "cw1", type: "cloudwatch" }] });
    try {
      const err = await rejectionOf(importDashboard(parseImportArgs(["--url", none.url, "--file", dashboardFile()], { GRAFANA_TOKEN: "t" })));
      expect(err).to.be.instanceOf(RemoteError);
      expect((err as Error).message).to.contain("the workspace has no prometheus or grafana-amazonprometheus-datasource data source");
    } finally {
      await none.close();
    }
    const denied = await grafana({ importStatus: 403 });
    try {
      const err = await rejectionOf(importDashboard(parseImportArgs(["--url", denied.url, "--file", dashboardFile()], { GRAFANA_TOKEN: "t" })));
      expect((err as Error).message).to.equal('POST /api/dashboards/import answered 403: {"message":"Access denied"}');
    } finally {
      await denied.close();
    }
  });

  it("runs from npm, ending a refusal with exit code 8 and a usage error with 2", async () => {
    const denied = await grafana({ importStatus: 401 });
    try {
      const env = { ...process.env };
      delete env.GRAFANA_TOKEN;
      const noToken = await runTool("grafana-dashboard", ["--url", denied.url, "--file", dashboardFile()], env);
      expect(noToken.code).to.equal(EXIT.usage);
      expect(noToken.stderr).to.contain("GRAFANA_TOKEN is not set");
      const refused = await runTool("grafana-dashboard", ["--url", denied.url, "--file", dashboardFile()], { ...env, GRAFANA_TOKEN: "expired" });
      expect(refused.code).to.equal(EXIT.remoteRefused);
      expect(refused.stderr).to.equal('grafana-dashboard: POST /api/dashboards/import answered 401: {"message":"Access denied"}\n');
    } finally {
      await denied.close();
    }
  });
});
