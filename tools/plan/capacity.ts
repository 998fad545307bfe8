/**
 * The capacity model: from the stack's settings (task counts and sizes, scaling targets and
 * limits, Aurora and cache sizes) and the usage assumptions (traffic, hit ratios, and the one
 * measured input, the requests per second one task sustains), each tier's utilisation at the
 * sustained load and at a burst, before and after scale-out, how long scale-out takes to absorb
 * it, and which tier saturates first. Pure: no resource is read, so it runs on any stack's settings.
 */
import type { Settings } from "../../stacks";
import type { UsageAssumptions } from "./cost";

/** CloudFront's default quota: requests per second per distribution (Service Quotas, adjustable). */
export const CLOUDFRONT_RPS_PER_DISTRIBUTION = 250_000;
/**
 * Application Auto Scaling's target-tracking scale-out alarm needs 3 one-minute datapoints above
 * the target, and a datapoint is visible about a minute after its period ends.
 */
export const SCALE_OUT_DETECTION_SECONDS = 3 * 60 + 60;
/** The target group's health check (components/fargate-service.ts): 2 healthy checks 15 s apart. */
export const HEALTHY_AFTER_SECONDS = 2 * 15;
/** About 2 GiB of memory and its share of CPU per ACU; an r6g-class vCPU comes with 8 GiB. */
const VCPU_PER_ACU = 0.25;

const SIZE_VCPU: Record<string, number> = { micro: 2, small: 2, medium: 2, large: 2, xlarge: 4 };

/** vCPUs of an Aurora instance class (`db.<family>.<size>`); Serverless v2 counts its maximum ACUs. */
export function databaseVcpus(instanceClass: string, serverlessMaxAcu: number): number {
  if (instanceClass === "db.serverless") return serverlessMaxAcu * VCPU_PER_ACU;
  const size = instanceClass.split(".")[2] ?? "";
  const multiple = /^(\d+)xlarge$/.exec(size);
  const vcpus = multiple ? 4 * Number(multiple[1]) : SIZE_VCPU[size];
  if (vcpus === undefined) throw new Error(`capacity model: no vCPU count for instance class "${instanceClass}" (size "${size}")`);
  return vcpus;
}

export interface TierLoad {
  tier: string;
  /** Requests (or queries, or operations) per second at the sustained load and at the burst. */
  sustained: number;
  burst: number;
  unit: string;
  /** What the tier can serve now (sustained) and at its ceiling; null where AWS scales it without a stated ceiling. */
  capacityNow: number | null;
  capacityMax: number | null;
  /** Utilisation (0-1): sustained; burst on what runs when it starts; burst once scaled out. Null without a stated capacity. */
  utilisation: { sustained: number | null; burstBeforeScaleOut: number | null; burstAfterScaleOut: number | null };
  /** Seconds until the burst is served without saturation: 0 when what runs absorbs it, null when it never does. */
  absorbSeconds: number | null;
  /** Seconds until scale-out to the burst's task count completes; 0 where nothing scales. */
  scaleOutSeconds: number;
  /** How the figures were derived. */
  basis: string;
}

export interface CapacityModel {
  /** Requests per second at the edge, sustained and at the burst. */
  sustained: number;
  burst: number;
  burstFactor: number;
  taskRequestsPerSecond: number;
  tiers: TierLoad[];
  /** The tier with the least headroom at its ceiling (burst load / capacity at maxTasks): the first to saturate as load grows. */
  saturatesFirst: string;
  /** Every tier serves the burst once scaled out (utilisation at most 100 %). */
  absorbsBurst: boolean;
  /** The longest time any tier needs to absorb the burst, seconds (0: all absorb it at once). */
  absorbSeconds: number | null;
  notes: string[];
}

const ratio = (load: number, capacity: number | null) => (capacity === null ? null : load === 0 ? 0 : capacity > 0 ? load / capacity : Infinity);

/** A tier that does not scale out: the burst lands on the capacity it has. */
function fixedTier(tier: string, sustained: number, burstFactor: number, unit: string, capacity: number, basis: string): TierLoad {
  const burst = sustained * burstFactor;
  const after = ratio(burst, capacity);
  return {
    tier,
    sustained,
    burst,
    unit,
    capacityNow: capacity,
    capacityMax: capacity,
    utilisation: { sustained: ratio(sustained, capacity), burstBeforeScaleOut: after, burstAfterScaleOut: after },
    absorbSeconds: after !== null && after <= 1 ? 0 : null,
    scaleOutSeconds: 0,
    basis,
  };
}

/** The model of `settings` under `a` (the resolved usage assumptions). */
export function capacityModel(settings: Settings, a: UsageAssumptions): CapacityModel {
  const sustained = a.requestsPerMinute / 60;
  const burst = sustained * a.burstFactor;
  const tiers: TierLoad[] = [];
  const notes: string[] = [];

  tiers.push(
    fixedTier(
      "edge (CloudFront)",
      sustained,
      a.burstFactor,
      "req/s",
      CLOUDFRONT_RPS_PER_DISTRIBUTION,
      `the distribution's default quota of ${CLOUDFRONT_RPS_PER_DISTRIBUTION.toLocaleString("en-US")} req/s`,
    ),
  );

  const origin = { sustained: sustained * (1 - a.edgeCacheHitRatio), burst: burst * (1 - a.edgeCacheHitRatio) };
  tiers.push({
    tier: "load balancer (ALB)",
    ...origin,
    unit: "req/s",
    capacityNow: null,
    capacityMax: null,
    utilisation: { sustained: null, burstBeforeScaleOut: null, burstAfterScaleOut: null },
    absorbSeconds: 0,
    scaleOutSeconds: 0,
    basis: `${Math.round((1 - a.edgeCacheHitRatio) * 100)} % of requests miss the edge cache (edgeCacheHitRatio ${a.edgeCacheHitRatio}); an ALB scales itself`,
  });

  // Routed services share the origin's requests in proportion to their floors (the config's own statement of expected load).
  const routed = settings.services.filter((s) => s.pathPrefix !== undefined);
  const floors = routed.reduce((sum, s) => sum + s.minTasks, 0);
  const perTask = a.taskRequestsPerSecond;
  let databaseLoad = 0;
  let cacheLoad = 0;
  for (const s of routed) {
    // With no floors at all (minTasks 0 outside prod), the services share evenly.
    const share = floors > 0 ? s.minTasks / floors : 1 / routed.length;
    const load = { sustained: origin.sustained * share, burst: origin.burst * share };
    // Target tracking keeps each task at requestsPerTarget a minute, between the floor and the ceiling.
    const tasksFor = (rps: number) => Math.min(s.maxTasks, Math.max(s.minTasks, Math.ceil((rps * 60) / s.requestsPerTarget)));
    const steady = tasksFor(load.sustained);
    const scaled = tasksFor(load.burst);
    const before = ratio(load.burst, steady * perTask)!;
    const after = ratio(load.burst, scaled * perTask)!;
    const scaleOutSeconds = scaled > steady ? SCALE_OUT_DETECTION_SECONDS + a.taskStartSeconds + HEALTHY_AFTER_SECONDS : 0;
    const absorbSeconds = before <= 1 ? 0 : after <= 1 ? scaleOutSeconds : null;
    tiers.push({
      tier: `service ${s.name}`,
      ...load,
      unit: "req/s",
      capacityNow: steady * perTask,
      capacityMax: s.maxTasks * perTask,
      utilisation: { sustained: ratio(load.sustained, steady * perTask), burstBeforeScaleOut: before, burstAfterScaleOut: after },
      absorbSeconds,
      scaleOutSeconds,
      basis: `${Math.round(share * 100)} % of the origin's requests (its ${s.minTasks} of ${floors} floor tasks); ${steady} task(s) sustained, ${scaled} at the burst (requestsPerTarget ${s.requestsPerTarget}/min, max ${s.maxTasks}) x ${perTask} req/s`,
    });
    if (s.requestsPerTarget / 60 > perTask)
      notes.push(
        `service ${s.name}: requestsPerTarget ${s.requestsPerTarget}/min (${Math.round(s.requestsPerTarget / 60)} req/s per task) is above what one task sustains (${perTask} req/s): it scales out only once its tasks are saturated.`,
      );
    const misses = s.access.cache ? 1 - a.appCacheHitRatio : 1;
    if (s.access.database) databaseLoad += load.sustained * misses * a.databaseQueriesPerRequest;
    if (s.access.cache) cacheLoad += load.sustained;
  }

  if (settings.database) {
    const db = settings.database;
    const instances = db.readers > 0 ? db.readers : 1;
    const vcpus = databaseVcpus(db.instanceClass, db.serverless.maxCapacity);
    const capacity = instances * vcpus * a.databaseQueriesPerSecondPerVcpu;
    tiers.push(
      fixedTier(
        "database (Aurora)",
        databaseLoad,
        a.burstFactor,
        "queries/s",
        capacity,
        `requests of services with database access that miss the cache (appCacheHitRatio ${a.appCacheHitRatio}) x ${a.databaseQueriesPerRequest} queries, on ${instances} ${db.readers > 0 ? "reader(s)" : "writer"} of ${vcpus} vCPU x ${a.databaseQueriesPerSecondPerVcpu} queries/s; readers do not scale out`,
      ),
    );
  }

  if (settings.cache)
    tiers.push(
      fixedTier(
        "cache (Valkey)",
        cacheLoad,
        a.burstFactor,
        "ops/s",
        a.cacheOpsPerSecondPerNode,
        `one operation per request of services with cache access, all on the primary node (${settings.cache.nodeType}) at ${a.cacheOpsPerSecondPerNode.toLocaleString("en-US")} ops/s`,
      ),
    );

  const rated = tiers.filter((t) => t.utilisation.burstAfterScaleOut !== null);
  // First to saturate as load grows: the least headroom at the tier's ceiling (a service at maxTasks).
  const atCeiling = (t: TierLoad) => (t.capacityMax ? t.burst / t.capacityMax : 0);
  const first = rated.reduce((top, t) => (atCeiling(t) > atCeiling(top) ? t : top), rated[0]);
  const absorbsBurst = rated.every((t) => t.utilisation.burstAfterScaleOut! <= 1);
  const absorbSeconds = absorbsBurst ? Math.max(0, ...tiers.map((t) => t.absorbSeconds ?? 0)) : null;
  if (tiers.some((t) => t.absorbSeconds !== null && t.absorbSeconds > 0))
    notes.push(
      `Until scale-out completes (${SCALE_OUT_DETECTION_SECONDS} s to detect, taskStartSeconds ${a.taskStartSeconds} s to start, ${HEALTHY_AFTER_SECONDS} s of health checks), a service above 100 % queues requests and answers some with 5xx; raise its minTasks to absorb the burst at once.`,
    );
  return {
    sustained,
    burst,
    burstFactor: a.burstFactor,
    taskRequestsPerSecond: perTask,
    tiers,
    saturatesFirst: first.tier,
    absorbsBurst,
    absorbSeconds,
    notes,
  };
}

const pct = (x: number | null) => (x === null ? "-" : x === Infinity ? "no capacity" : `${(x * 100).toFixed(x < 0.01 ? 2 : 0)} %`);
const num = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: x < 10 ? 1 : 0 });

/** The plan's capacity section. */
export function renderCapacity(m: CapacityModel): string {
  const out = [
    `Capacity at ${num(m.sustained)} req/s sustained and a ${m.burstFactor}x burst (${num(m.burst)} req/s); one task sustains ${num(m.taskRequestsPerSecond)} req/s (taskRequestsPerSecond: measure it, see README)`,
    "",
  ];
  const rows = [["tier", "load", "burst load", "used", "burst: before scale-out", "after", "burst absorbed", "scaled out"]];
  for (const t of m.tiers)
    rows.push([
      t.tier,
      `${num(t.sustained)} ${t.unit}`,
      `${num(t.burst)} ${t.unit}`,
      pct(t.utilisation.sustained),
      pct(t.utilisation.burstBeforeScaleOut),
      pct(t.utilisation.burstAfterScaleOut),
      t.absorbSeconds === null ? "never" : t.absorbSeconds === 0 ? "at once" : `after ${t.absorbSeconds} s`,
      t.scaleOutSeconds > 0 ? `after ${t.scaleOutSeconds} s` : "-",
    ]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) out.push(`  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")}`);
  out.push("");
  out.push(`Saturates first: ${m.saturatesFirst}.`);
  out.push(
    m.absorbsBurst
      ? `Absorbs the ${m.burstFactor}x burst: yes, ${m.absorbSeconds === 0 ? "at once" : `within ${m.absorbSeconds} s`}.`
      : `Absorbs the ${m.burstFactor}x burst: NO; ${m.tiers
          .filter((t) => t.utilisation.burstAfterScaleOut !== null && t.utilisation.burstAfterScaleOut > 1)
          .map((t) => `${t.tier} at ${pct(t.utilisation.burstAfterScaleOut)} at its ceiling`)
          .join(", ")}.`,
  );
  for (const t of m.tiers) out.push(`  ${t.tier}: ${t.basis}`);
  for (const n of m.notes) out.push(`  - ${n}`);
  return out.join("\n") + "\n";
}
