/**
 * `npm run grafana-dashboard -- --url <grafanaUrl> --file <dashboard.json> [--folder <uid>]`: imports the
 * platform's dashboard (the stack output `grafanaDashboard`) into an Amazon Managed Grafana
 * workspace through Grafana's HTTP API, since the AWS provider cannot create dashboards. The
 * token (a workspace service-account token) comes from `GRAFANA_TOKEN`, never the command line.
 * The dashboard's two data-source inputs are matched to the workspace's Prometheus and CloudWatch
 * data sources (the first of each type; `--prometheus`/`--cloudwatch` name others by uid).
 */
import * as fs from "fs";
import { EXIT, UsageError } from "./exit";

export const GRAFANA_USAGE =
  "GRAFANA_TOKEN=<token> npm run grafana-dashboard -- --url <https://workspace> --file <dashboard.json> [--prometheus <uid>] [--cloudwatch <uid>] [--folder <uid>]";

export interface ImportOptions {
  url: URL;
  file: string;
  token: string;
  prometheus?: string;
  cloudwatch?: string;
  folder?: string;
}

const LOCAL = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** Data-source plugins that read Amazon Managed Service for Prometheus. */
const PROMETHEUS_TYPES = ["prometheus", "grafana-amazonprometheus-datasource"];

/** Grafana said no (or lacks what the import needs): not a bug of this tool. */
export class RemoteError extends Error {}

/** Parses the command line and the token; every mistake is one line naming the flag or variable. */
export function parseImportArgs(argv: string[], env: NodeJS.ProcessEnv): ImportOptions {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (!["--url", "--file", "--prometheus", "--cloudwatch", "--folder"].includes(flag))
      throw new UsageError(`unknown argument "${argv[i]}" (use ${GRAFANA_USAGE})`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    values[flag] = value;
  }
  for (const flag of ["--url", "--file"]) if (!values[flag]) throw new UsageError(`missing ${flag} (use ${GRAFANA_USAGE})`);
  let url: URL;
  try {
    url = new URL(values["--url"]);
  } catch {
    throw new UsageError(`--url is "${values["--url"]}": must be the workspace's https:// URL (the stack output grafanaUrl)`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOCAL.has(url.hostname)))
    throw new UsageError(`--url is "${values["--url"]}": must be https:// (the token would travel in clear)`);
  const token = env.GRAFANA_TOKEN ?? "";
  if (!token) throw new UsageError("GRAFANA_TOKEN is not set: create a workspace service-account token (Editor role) and export it");
  if (!fs.existsSync(values["--file"]))
    throw new UsageError(`--file is "${values["--file"]}": no such file (pulumi stack output grafanaDashboard > dashboard.json)`);
  return { url, file: values["--file"], token, prometheus: values["--prometheus"], cloudwatch: values["--cloudwatch"], folder: values["--folder"] };
}

async function call(options: ImportOptions, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(new URL(path, options.url), {
    method,
    headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new RemoteError(`${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Imports the dashboard; resolves to Grafana's answer (the dashboard's uid and URL). */
export async function importDashboard(options: ImportOptions): Promise<{ uid: string; url: string }> {
  const dashboard = JSON.parse(fs.readFileSync(options.file, "utf8"));
  if (!Array.isArray(dashboard.__inputs) || !Array.isArray(dashboard.panels))
    throw new Error(`${options.file} is not the platform's dashboard (no __inputs or panels)`);
  // Listing data sources needs datasources:read (Admin by default): with both uids given, an Editor token will do.
  const sources: { uid: string; type: string; name: string }[] = options.prometheus && options.cloudwatch ? [] : await call(options, "GET", "/api/datasources");
  const pick = (types: string[], uid: string | undefined): { uid: string; type: string } => {
    if (uid) return { uid, type: sources.find((s) => s.uid === uid)?.type ?? types[0] };
    const found = sources.find((s) => types.includes(s.type));
    if (!found) throw new RemoteError(`the workspace has no ${types.join(" or ")} data source: add it (Grafana > Connections > Data sources) first`);
    return found;
  };
  // Grafana 10+ offers Amazon Managed Prometheus as its own plugin; the core prometheus one works too.
  const chosen: Record<string, { uid: string; type: string }> = {
    prometheus: pick(PROMETHEUS_TYPES, options.prometheus),
    cloudwatch: pick(["cloudwatch"], options.cloudwatch),
  };
  const inputs = dashboard.__inputs.map((i: { name: string; pluginId: string }) => ({
    name: i.name,
    type: "datasource",
    pluginId: chosen[i.pluginId].type,
    value: chosen[i.pluginId].uid,
  }));
  const answer = await call(options, "POST", "/api/dashboards/import", {
    dashboard,
    overwrite: true,
    inputs,
    ...(options.folder ? { folderUid: options.folder } : {}),
  });
  return { uid: answer.uid, url: new URL(answer.importedUrl ?? answer.url ?? "/", options.url).href };
}

if (require.main === module) {
  (async () => {
    const options = parseImportArgs(process.argv.slice(2), process.env);
    const done = await importDashboard(options);
    process.stdout.write(`imported ${done.uid}: ${done.url}\n`);
    return EXIT.ok;
  })().then(
    (code) => process.exit(code),
    (err: unknown) => {
      const usage = err instanceof UsageError;
      process.stderr.write(`grafana-dashboard: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(usage ? EXIT.usage : err instanceof RemoteError ? EXIT.remoteRefused : EXIT.unexpected);
    },
  );
}
