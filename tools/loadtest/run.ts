/**
 * Drives the load: one autocannon run per phase at the phase's rate (autocannon keeps an overall
 * rate per run, not a changing one), feeding every response into the Tally. autocannon does the
 * HTTP work (connections, rate, timeouts); this file only adds what it does not report: `x-cache`
 * per response, exact percentiles over a whole run with a burst, the live line and the safety stop.
 */
import autocannon from "autocannon";
import * as https from "https";
import { LoadTestOptions, phasesOf } from "./options";
import { progressLine, Tally } from "./tally";

export interface RunResult {
  url: string;
  options: { rate: number; durationSeconds: number; burst?: { factor: number; seconds: number }; connections: number };
  summary: ReturnType<Tally["summary"]>;
  /** Why the safety stop ended the run early; absent when it ran to the end. */
  stopped?: string;
}

export interface RunHooks {
  /** Where the live line goes (stderr); none: no progress. */
  progress?: { write(line: string): void; tty: boolean };
  /** Seconds between progress lines when not on a terminal (on one, the line is redrawn every second). */
  progressEverySeconds?: number;
}

/**
 * autocannon accepts any certificate (it sets rejectUnauthorized: false), so before the run one
 * request through Node's own https, which verifies the chain and the name, proves the target is
 * the site it claims to be.
 */
export function verifyTls(url: URL, timeoutSeconds: number): Promise<void> {
  if (url.protocol !== "https:") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: "HEAD", timeout: timeoutSeconds * 1000 }, (res) => {
      res.resume();
      resolve();
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutSeconds} s`)));
    req.on("error", (err) => reject(new Error(`--url ${url.href}: the TLS check failed: ${err.message}`)));
    req.end();
  });
}

function header(raw: string[] | undefined, name: string): string | undefined {
  if (!raw) return undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i].toLowerCase() === name) return raw[i + 1];
  return undefined;
}

export async function runLoadTest(options: LoadTestOptions, hooks: RunHooks = {}): Promise<RunResult> {
  await verifyTls(options.url, options.timeoutSeconds);
  const phases = phasesOf(options);
  const tally = new Tally(phases);
  const elapsed: number[] = phases.map(() => 0);
  const runStarted = Date.now();
  const every = hooks.progress?.tty ? 1 : (hooks.progressEverySeconds ?? 10);
  // What the ticker looks at: the phase running now.
  let current = { index: 0, started: runStarted, stop: () => {} };
  let stopped: string | undefined;

  let last = tally.counts(0);
  let failingFor = 0;
  let ticks = 0;
  const ticker = setInterval(() => {
    const { index, started } = current;
    const now = tally.counts(index);
    // A new phase starts its counts at zero.
    const window =
      now.attempts >= last.attempts
        ? { attempts: now.attempts - last.attempts, responses: now.responses - last.responses, failed: now.failed - last.failed }
        : now;
    last = now;
    // The safety stop: most requests of the last second failed, for abortAfterSeconds seconds running.
    failingFor = window.attempts > 0 && window.failed / window.attempts >= options.abortErrorShare ? failingFor + 1 : 0;
    if (failingFor >= options.abortAfterSeconds && !stopped) {
      stopped = `${Math.round(options.abortErrorShare * 100)} % or more of requests failed for ${options.abortAfterSeconds} s`;
      current.stop();
    }
    ticks += 1;
    if (hooks.progress && ticks % every === 0) {
      const figures = tally.summary(phases.map((_, k) => (k === index ? (Date.now() - started) / 1000 : elapsed[k]))).phases[index];
      const line = progressLine({
        elapsed: (Date.now() - runStarted) / 1000,
        total: options.durationSeconds,
        phase: phases[index].name,
        lastSecondResponses: window.responses,
        target: phases[index].rate,
        p99: figures.latencyMs.p99,
        failedShare: figures.failedShare,
        throttledShare: figures.throttledShare,
        hitRatio: figures.cache.hitRatio,
      });
      hooks.progress.write(hooks.progress.tty ? `\r${line}` : `${line}\n`);
    }
  }, 1000);

  try {
    for (let i = 0; i < phases.length && !stopped; i++) {
      const phase = phases[i];
      const started = Date.now();
      const xCache = new WeakMap<object, string | undefined>();
      let finished!: (err: Error | null) => void;
      const ended = new Promise<void>((resolve, reject) => (finished = (err) => (err ? reject(err) : resolve())));
      const instance = autocannon(
        {
          url: options.url.href,
          method: "GET",
          connections: Math.min(options.connections, phase.rate),
          overallRate: phase.rate,
          duration: phase.seconds,
          timeout: options.timeoutSeconds,
          // Each connection has one request in flight, so the headers a client saw last are its
          // response's. (The runtime passes the parser's { headers: [name, value, ...] }, not the typed object.)
          setupClient: (client) =>
            (client as NodeJS.EventEmitter).on("headers", (h: { headers?: string[] }) => xCache.set(client, header(h.headers, "x-cache"))),
        },
        (err) => finished(err ?? null),
      );
      instance.on("response", (client, statusCode, _bytes, responseTime) => {
        tally.response(i, statusCode, responseTime, xCache.get(client));
        xCache.delete(client);
      });
      instance.on("reqError", (err: Error) => (/timed out/.test(err.message) ? tally.timeout(i) : tally.connectionError(i)));
      current = { index: i, started, stop: () => instance.stop() };
      await ended;
      elapsed[i] = (Date.now() - started) / 1000;
    }
  } finally {
    clearInterval(ticker);
  }
  if (hooks.progress?.tty) hooks.progress.write("\n");
  return {
    url: options.url.href,
    options: { rate: options.rate, durationSeconds: options.durationSeconds, burst: options.burst, connections: options.connections },
    // A phase the safety stop never reached ran for 0 s.
    summary: tally.summary(elapsed),
    stopped,
  };
}
