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

/** The target could not be tested (its certificate, its address): not a bug of this tool. */
export class TargetError extends Error {}

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
    req.on("error", (err) => reject(new TargetError(`--url ${url.href}: the TLS check failed: ${err.message}`)));
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

  // The last second, per phase: a new phase starts its own counts at zero.
  let last = { index: 0, counts: tally.counts(0) };
  let failingFor = 0;
  let ticks = 0;
  const ticker = setInterval(() => {
    const { index, started } = current;
    const now = tally.counts(index);
    const before = last.index === index ? last.counts : { attempts: 0, responses: 0, failed: 0, throttled: 0, hits: 0, withHeader: 0 };
    const window = {
      attempts: now.attempts - before.attempts,
      responses: now.responses - before.responses,
      failed: now.failed - before.failed,
      throttled: now.throttled - before.throttled,
      hits: now.hits - before.hits,
      withHeader: now.withHeader - before.withHeader,
    };
    last = { index, counts: now };
    // The safety stop: most requests of the last second failed, or nothing came back at all once a
    // request could have timed out, for abortAfterSeconds seconds running.
    const silent = window.attempts === 0 && (Date.now() - started) / 1000 > options.timeoutSeconds;
    failingFor = silent || (window.attempts > 0 && window.failed / window.attempts >= options.abortErrorShare) ? failingFor + 1 : 0;
    if (failingFor >= options.abortAfterSeconds && !stopped) {
      stopped = silent
        ? `no answer for ${options.abortAfterSeconds} s`
        : `${Math.round(options.abortErrorShare * 100)} % or more of requests failed for ${options.abortAfterSeconds} s`;
      current.stop();
    }
    ticks += 1;
    if (hooks.progress && ticks % every === 0) {
      // Every figure of the live line is the last second's; sorting only its latencies keeps the ticker cheap.
      const line = progressLine({
        elapsed: (Date.now() - runStarted) / 1000,
        total: options.durationSeconds,
        phase: phases[index].name,
        lastSecondResponses: window.responses,
        target: phases[index].rate,
        p99: tally.recentP99(index, before.responses),
        failedShare: window.attempts ? window.failed / window.attempts : 0,
        throttledShare: window.responses ? window.throttled / window.responses : 0,
        hitRatio: window.withHeader ? window.hits / window.withHeader : null,
      });
      hooks.progress.write(hooks.progress.tty ? `\r${line.padEnd(120)}` : `${line}\n`);
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
