/**
 * What a load test counts and reports: latency percentiles, achieved rate, errors by status, the
 * share of 429s (the WAF's rate rule), and the edge cache hit ratio from CloudFront's `x-cache`
 * header. Pure: the runner feeds it responses, tests feed it made-up ones.
 */

/** How CloudFront answered, from `x-cache` ("Hit from cloudfront", "Miss from cloudfront", ...). */
export type CacheOutcome = "hit" | "miss" | "other" | "none";

/**
 * `Hit` and `RefreshHit` were answered by the edge (RefreshHit after revalidating with the
 * origin, which did not send the body again); `Miss` went to the origin; the rest (Error,
 * LimitExceeded, CapacityExceeded, Redirect, FunctionGeneratedResponse) are neither.
 */
export function cacheOutcome(xCache: string | undefined): CacheOutcome {
  if (xCache === undefined) return "none";
  const kind = xCache.trim().split(/\s+/)[0].toLowerCase();
  if (kind === "hit" || kind === "refreshhit") return "hit";
  if (kind === "miss") return "miss";
  return "other";
}

/** Nearest-rank percentile of sorted values (0 for none). Exact, since every latency is kept. */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface Figures {
  /** Target rate, requests per second. */
  targetRate: number;
  seconds: number;
  /** Responses received (any status). */
  responses: number;
  /** Responses per second over the phase's seconds. */
  achievedRate: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Count per HTTP status. */
  statuses: Record<string, number>;
  /** Responses with status >= 400, by status; connection errors and timeouts by name. */
  errors: Record<string, number>;
  /** Share of responses that were 429 (0-1). */
  throttledShare: number;
  /** Share of requests that failed: any status >= 400 but 429, connection errors, timeouts (0-1; 429s are counted apart). */
  failedShare: number;
  cache: {
    hit: number;
    miss: number;
    other: number;
    none: number;
    /** hit / (hit + miss + other), 0-1; null without any x-cache header. */ hitRatio: number | null;
  };
}

interface Bucket {
  latencies: number[];
  statuses: Map<number, number>;
  cache: Record<CacheOutcome, number>;
  connectionErrors: number;
  timeouts: number;
}

/** A failed request: any error status but 429 (the WAF's rate rule, counted apart). */
const isFailure = (status: number) => status >= 400 && status !== 429;

const emptyBucket = (): Bucket => ({ latencies: [], statuses: new Map(), cache: { hit: 0, miss: 0, other: 0, none: 0 }, connectionErrors: 0, timeouts: 0 });

/** Counts per phase; `summary()` gives each phase's figures and the whole run's. */
export class Tally {
  private readonly buckets: Bucket[];
  constructor(private readonly phases: { name: string; rate: number; seconds: number }[]) {
    this.buckets = phases.map(emptyBucket);
  }

  response(phase: number, status: number, latencyMs: number, xCache: string | undefined): void {
    const b = this.buckets[phase];
    b.latencies.push(latencyMs);
    b.statuses.set(status, (b.statuses.get(status) ?? 0) + 1);
    b.cache[cacheOutcome(xCache)] += 1;
  }

  connectionError(phase: number): void {
    this.buckets[phase].connectionErrors += 1;
  }

  timeout(phase: number): void {
    this.buckets[phase].timeouts += 1;
  }

  /** Requests and failures so far in a phase, for the progress line and the safety stop. */
  counts(phase: number): { attempts: number; responses: number; failed: number; throttled: number; hits: number; withHeader: number } {
    const b = this.buckets[phase];
    let failed = b.connectionErrors + b.timeouts;
    for (const [status, n] of b.statuses) if (isFailure(status)) failed += n;
    return {
      attempts: b.latencies.length + b.connectionErrors + b.timeouts,
      responses: b.latencies.length,
      failed,
      throttled: b.statuses.get(429) ?? 0,
      hits: b.cache.hit,
      withHeader: b.cache.hit + b.cache.miss + b.cache.other,
    };
  }

  /** p99 of a phase's responses from the `from`-th on (the last second's, for the live line): sorts only those. */
  recentP99(phase: number, from: number): number {
    return percentile(Float64Array.from(this.buckets[phase].latencies.slice(from)).sort(), 99);
  }

  summary(elapsedSeconds: number[] = this.phases.map((p) => p.seconds)): { phases: (Figures & { name: string })[]; total: Figures } {
    const phases = this.buckets.map((b, i) => ({ name: this.phases[i].name, ...figures([b], this.phases[i].rate, elapsedSeconds[i]) }));
    const seconds = elapsedSeconds.reduce((a, b) => a + b, 0);
    // The whole run's target: over the phases that ran (a safety stop leaves the rest at 0 s).
    const ran = this.phases.map((p, i) => ({ rate: p.rate, seconds: elapsedSeconds[i] ?? 0 })).filter((p) => p.seconds > 0);
    const target = ran.length ? ran.reduce((sum, p) => sum + p.rate * p.seconds, 0) / ran.reduce((s, p) => s + p.seconds, 0) : 0;
    return { phases, total: figures(this.buckets, Math.round(target), seconds) };
  }
}

function figures(buckets: Bucket[], targetRate: number, seconds: number): Figures {
  const all = Float64Array.from(buckets.flatMap((b) => b.latencies)).sort();
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const cache = { hit: 0, miss: 0, other: 0, none: 0 };
  let failed = 0;
  let attempts = all.length;
  for (const b of buckets) {
    for (const [status, n] of b.statuses) {
      statuses[status] = (statuses[status] ?? 0) + n;
      if (status >= 400) errors[status] = (errors[status] ?? 0) + n;
      if (isFailure(status)) failed += n;
    }
    for (const k of Object.keys(cache) as CacheOutcome[]) cache[k] += b.cache[k];
    if (b.connectionErrors) errors.connection = (errors.connection ?? 0) + b.connectionErrors;
    if (b.timeouts) errors.timeout = (errors.timeout ?? 0) + b.timeouts;
    failed += b.connectionErrors + b.timeouts;
    attempts += b.connectionErrors + b.timeouts;
  }
  const withHeader = cache.hit + cache.miss + cache.other;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    targetRate,
    seconds: round(seconds),
    responses: all.length,
    achievedRate: seconds > 0 ? round(all.length / seconds) : 0,
    latencyMs: {
      p50: round(percentile(all, 50)),
      p90: round(percentile(all, 90)),
      p99: round(percentile(all, 99)),
      max: round(all.length ? all[all.length - 1] : 0),
    },
    statuses,
    errors,
    throttledShare: all.length ? (statuses["429"] ?? 0) / all.length : 0,
    failedShare: attempts ? failed / attempts : 0,
    cache: { ...cache, hitRatio: withHeader ? cache.hit / withHeader : null },
  };
}

const pct = (share: number | null) => (share === null ? "n/a" : `${(share * 100).toFixed(1)} %`);

/** The live line: elapsed time, phase, rate in the last second, p99 so far, failures and 429s. */
export function progressLine(at: {
  elapsed: number;
  total: number;
  phase: string;
  lastSecondResponses: number;
  target: number;
  p99: number;
  failedShare: number;
  throttledShare: number;
  hitRatio: number | null;
}): string {
  return (
    `${String(Math.round(at.elapsed)).padStart(4)}/${at.total} s  ${at.phase.padEnd(11)}  ${String(at.lastSecondResponses).padStart(5)}/${at.target} req/s  ` +
    `p99 ${at.p99.toFixed(0)} ms  failed ${pct(at.failedShare)}  429 ${pct(at.throttledShare)}  edge hits ${pct(at.hitRatio)}`
  );
}

/** The text report: one block per phase (with a burst) and the whole run. */
export function renderReport(url: string, summary: ReturnType<Tally["summary"]>, stopped?: string): string {
  const out: string[] = [`Load test of ${url}${stopped ? ` (stopped: ${stopped})` : ""}`, ""];
  const block = (title: string, f: Figures) => {
    out.push(`${title}: ${f.responses} responses in ${f.seconds} s, ${f.achievedRate} req/s achieved of ${f.targetRate} targeted`);
    out.push(`  latency   p50 ${f.latencyMs.p50} ms, p90 ${f.latencyMs.p90} ms, p99 ${f.latencyMs.p99} ms, max ${f.latencyMs.max} ms`);
    const statuses = Object.entries(f.statuses)
      .map(([s, n]) => `${s}: ${n}`)
      .join(", ");
    out.push(`  statuses  ${statuses || "none"}`);
    const errors = Object.entries(f.errors)
      .map(([s, n]) => `${s}: ${n}`)
      .join(", ");
    out.push(`  errors    ${errors || "none"}  (failed ${pct(f.failedShare)}, 429 ${pct(f.throttledShare)})`);
    out.push(`  edge      hit ${f.cache.hit}, miss ${f.cache.miss}, other ${f.cache.other}, no x-cache ${f.cache.none}: hit ratio ${pct(f.cache.hitRatio)}`);
  };
  if (summary.phases.length > 1) for (const p of summary.phases) block(p.name, p);
  block("whole run", summary.total);
  return out.join("\n") + "\n";
}
