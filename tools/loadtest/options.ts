/**
 * `npm run loadtest` options: parsing and the guards that keep a load test from becoming an
 * accident (plain HTTP only to this machine, rate and duration capped unless raised on purpose).
 * Pure, so every rule is tested without a network.
 */
import { UsageError } from "../exit";

export interface LoadTestOptions {
  url: URL;
  /** Sustained rate, requests per second. */
  rate: number;
  /** Whole run, seconds. */
  durationSeconds: number;
  /** Burst: `factor` x rate for `seconds` in the middle of the run; none without `--burst`. */
  burst?: { factor: number; seconds: number };
  /** Open connections (each sends one request at a time). */
  connections: number;
  /** Seconds before a request counts as timed out. */
  timeoutSeconds: number;
  /** The safety stop: end the run when this share of requests fails for `abortAfterSeconds` seconds running. */
  abortErrorShare: number;
  abortAfterSeconds: number;
  json: boolean;
}

/** Default ceilings: above prod's 3x burst of the 667 req/s target, and ten minutes. `--max-rate`/`--max-duration` raise them. */
export const DEFAULT_MAX_RATE = 2500;
export const DEFAULT_MAX_DURATION_SECONDS = 600;
/** Hard limits no flag lifts (one process of this tool cannot drive more anyway). */
const HARD_MAX_RATE = 20000;
const HARD_MAX_DURATION_SECONDS = 3600;
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export const LOADTEST_USAGE =
  "npm run loadtest -- --url <https url> --rate <req/s> --duration <s> [--burst <N>x] [--burst-duration <s>] [--connections <n>] " +
  "[--timeout <s>] [--max-rate <req/s>] [--max-duration <s>] [--json]";

const FLAGS = ["--url", "--rate", "--duration", "--burst", "--burst-duration", "--connections", "--timeout", "--max-rate", "--max-duration"] as const;

function number(flag: string, raw: string, min: number, max: number, integer: boolean, what: string): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value)))
    throw new UsageError(`${flag} is "${raw}": must be ${integer ? "a whole number" : "a number"} from ${min} to ${max} (${what})`);
  return value;
}

/** Parses the command line; every mistake is a UsageError naming the flag, the value and what is allowed. */
export function parseLoadTestArgs(argv: string[]): LoadTestOptions {
  const values: Record<string, string> = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === "--json") {
      json = true;
      continue;
    }
    if (!(FLAGS as readonly string[]).includes(flag)) throw new UsageError(`unknown argument "${argv[i]}" (use ${LOADTEST_USAGE})`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    if (flag in values) throw new UsageError(`${flag} is given twice`);
    values[flag] = value;
  }
  for (const flag of ["--url", "--rate", "--duration"]) if (!(flag in values)) throw new UsageError(`missing ${flag} (use ${LOADTEST_USAGE})`);

  let url: URL;
  try {
    url = new URL(values["--url"]);
  } catch {
    throw new UsageError(`--url is "${values["--url"]}": must be an absolute https:// URL`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname)))
    throw new UsageError(`--url is "${values["--url"]}": must be https:// (plain http:// only to localhost, 127.0.0.1 or [::1])`);
  if (url.username || url.password) throw new UsageError(`--url has credentials in it: pass none (the URL is printed in the report)`);

  const maxRate = values["--max-rate"] ? number("--max-rate", values["--max-rate"], 1, HARD_MAX_RATE, true, "the rate ceiling") : DEFAULT_MAX_RATE;
  const maxDuration = values["--max-duration"]
    ? number("--max-duration", values["--max-duration"], 1, HARD_MAX_DURATION_SECONDS, true, "the duration ceiling, seconds")
    : DEFAULT_MAX_DURATION_SECONDS;
  const rate = number("--rate", values["--rate"], 1, maxRate, true, `requests per second; raise the ceiling with --max-rate`);
  const durationSeconds = number("--duration", values["--duration"], 1, maxDuration, true, `seconds; raise the ceiling with --max-duration`);

  let burst: LoadTestOptions["burst"];
  if (values["--burst"] !== undefined) {
    const m = /^(\d+(?:\.\d+)?)x$/.exec(values["--burst"]);
    const factor = m ? Number(m[1]) : NaN;
    if (!(factor > 1 && factor <= 10)) throw new UsageError(`--burst is "${values["--burst"]}": must be a factor such as 3x, above 1x and at most 10x`);
    if (rate * factor > maxRate)
      throw new UsageError(
        `--burst is "${values["--burst"]}": ${rate} req/s x ${factor} = ${rate * factor} req/s is above the ceiling of ${maxRate} (raise it with --max-rate)`,
      );
    if (durationSeconds < 3) throw new UsageError(`--duration is "${durationSeconds}": a run with --burst needs at least 3 seconds (before, during and after)`);
    const seconds = values["--burst-duration"]
      ? number("--burst-duration", values["--burst-duration"], 1, durationSeconds - 2, true, "seconds of the burst, leaving a second before and after it")
      : Math.max(1, Math.min(60, Math.floor(durationSeconds / 3)));
    burst = { factor, seconds };
  } else if (values["--burst-duration"] !== undefined) throw new UsageError("--burst-duration needs --burst");

  const peak = burst ? Math.ceil(rate * burst.factor) : rate;
  // Enough connections for the peak rate at up to 200 ms per request, and not more than the peak.
  const connections = values["--connections"]
    ? number("--connections", values["--connections"], 1, 10000, true, "open connections")
    : Math.min(peak, Math.max(1, Math.ceil(peak / 5)));
  const timeoutSeconds = values["--timeout"] ? number("--timeout", values["--timeout"], 1, 120, true, "seconds before a request times out") : 10;
  return { url, rate, durationSeconds, burst, connections, timeoutSeconds, abortErrorShare: 0.5, abortAfterSeconds: 10, json };
}

export interface Phase {
  name: "sustained" | "burst" | "after burst";
  /** Target rate, requests per second. */
  rate: number;
  seconds: number;
}

/** The run's phases: sustained, or sustained, burst in the middle, sustained again. */
export function phasesOf(options: Pick<LoadTestOptions, "rate" | "durationSeconds" | "burst">): Phase[] {
  const { rate, durationSeconds, burst } = options;
  if (!burst) return [{ name: "sustained", rate, seconds: durationSeconds }];
  const before = Math.floor((durationSeconds - burst.seconds) / 2);
  return [
    { name: "sustained", rate, seconds: before },
    { name: "burst", rate: Math.round(rate * burst.factor), seconds: burst.seconds },
    { name: "after burst", rate, seconds: durationSeconds - before - burst.seconds },
  ];
}
