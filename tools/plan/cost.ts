/**
 * Monthly cost estimate of a synthesized stack, part of the offline `plan`.
 *
 * This is an estimate at on-demand list prices, from a dated price table per region
 * (`prices/<region>.json`, each row citing its AWS pricing page) and explicit usage assumptions
 * (`DEFAULT_ASSUMPTIONS`, overridable). Quantities come from what the program really creates
 * (the resources returned by `synthesize`) and from the validated `Settings`; every line says how
 * its quantity was derived.
 *
 * Left out: taxes; data transfer between AZs and to the internet other than CloudFront's; free
 * tiers (except Cognito's permanent 10,000 free MAU, which is part of its price); Savings Plans,
 * reserved capacity and private pricing; request-priced extras such as KMS and Secrets Manager API
 * calls, S3 storage and requests, SNS, X-Ray, CloudTrail, GuardDuty, Container Insights metrics and
 * Performance Insights beyond its free retention. `CostEstimate.notes` lists what a stack has of
 * these.
 */
import * as fs from "fs";
import * as path from "path";
import { Environment, Settings } from "../../stacks";
import { SynthResource, SynthResult } from "../harness";
import { n, Pricer, trafficOf } from "./pricing";
import { priceCompute } from "./pricers/compute";
import { priceData } from "./pricers/data";
import { priceDelivery } from "./pricers/delivery";
import { priceEdge } from "./pricers/edge";
import { priceMessaging } from "./pricers/messaging";
import { priceNetwork } from "./pricers/network";
import { priceObservability } from "./pricers/observability";
import { priceSecurity } from "./pricers/security";

export { splitTasks } from "./pricing";

/** Usage the resources alone do not tell; one set of defaults per environment. */
export interface UsageAssumptions {
  /** Average requests per minute reaching CloudFront (every one is inspected by WAF). */
  requestsPerMinute: number;
  /** Share of CloudFront requests answered from the edge cache (0-1); the rest reach the ALB. */
  edgeCacheHitRatio: number;
  /** Average response size in KB (1 KB = 1024 bytes), for CloudFront transfer and ALB bytes. */
  averageResponseKb: number;
  /** Hours in a billing month (AWS uses 730). */
  hoursPerMonth: number;
  /** Where between minTasks (0) and maxTasks (1) each service runs on average. */
  averageTasksFactor: number;
  /** GB per month processed by the NAT gateways (image pulls, logs, SQS, external APIs). */
  natDataGbPerMonth: number;
  /** GB per month ingested into CloudWatch Logs over all log groups (services, flow logs, WAF, ...). */
  logsIngestedGbPerMonth: number;
  /** Aurora cluster volume in GB. */
  auroraStorageGb: number;
  /** Aurora storage I/O requests per month, in millions (Aurora Standard). */
  auroraIoMillionsPerMonth: number;
  /** Average Serverless v2 capacity in ACUs, clamped to the cluster's min-max (db.serverless only). */
  serverlessAverageAcu: number;
  /** DynamoDB read request units per month over all tables, in millions. */
  dynamoReadMillions: number;
  /** DynamoDB write request units per month over all tables, in millions. */
  dynamoWriteMillions: number;
  /** DynamoDB data over all tables in GB (also the size point-in-time recovery is billed on). */
  dynamoStorageGb: number;
  /** SQS requests per month over all queues (send, receive incl. empty polls, delete), in millions. */
  sqsRequestsMillions: number;
  /** Invocations per month of each Lambda function, in millions. */
  lambdaInvocationsMillions: number;
  /** Average Lambda duration in milliseconds (memory comes from each function's settings). */
  lambdaAverageDurationMs: number;
  /** Data on each EFS file system in GB, all counted in Standard storage. */
  efsStorageGb: number;
  /** Cognito monthly active users. */
  monthlyActiveUsers: number;
  /** Average size of one image in GB; each ECR repository holds `delivery.keepImages` of them. */
  ecrImageGb: number;
  // --- Prometheus and Grafana (platform:prometheus).
  /** Active time series each task's metrics endpoint exports (what the collector scrapes). */
  prometheusSeriesPerTask: number;
  /** Grafana users who edit or administer (billed per active user per month). */
  grafanaEditors: number;
  /** Grafana users who only view. */
  grafanaViewers: number;
  // --- the capacity model (tools/plan/capacity.ts); taskRequestsPerSecond is the one to measure.
  /** Requests per second one task of a routed service sustains within its targets (measure it: README, "The capacity model"). */
  taskRequestsPerSecond: number;
  /** Burst size as a multiple of the sustained load (the design: 3x without a deploy). */
  burstFactor: number;
  /** Share of the origin's requests a service with cache access answers from the cache (0-1). */
  appCacheHitRatio: number;
  /** Database queries per request that misses the cache. */
  databaseQueriesPerRequest: number;
  /** Queries per second one Aurora vCPU serves (indexed reads). */
  databaseQueriesPerSecondPerVcpu: number;
  /** Operations per second one cache node serves. */
  cacheOpsPerSecondPerNode: number;
  /** Seconds from a scale-out decision to a Fargate task running (placement, image pull, start). */
  taskStartSeconds: number;
  /** Runs per month of each delivery pipeline. */
  deploysPerPipelinePerMonth: number;
  /** Action execution minutes of one pipeline run (all stages). */
  pipelineActionMinutesPerRun: number;
  /** CodeBuild minutes of one pipeline run (all its build projects). */
  buildMinutesPerRun: number;
}

/**
 * Defaults the same in every environment: what Prometheus scrapes and who uses Grafana, and the
 * capacity model's (what a task, the database and the cache serve).
 */
const SHARED_ASSUMPTIONS = {
  prometheusSeriesPerTask: 1000,
  grafanaEditors: 2,
  grafanaViewers: 10,
  taskRequestsPerSecond: 100,
  burstFactor: 3,
  appCacheHitRatio: 0.8,
  databaseQueriesPerRequest: 2,
  databaseQueriesPerSecondPerVcpu: 1000,
  cacheOpsPerSecondPerNode: 100_000,
  taskStartSeconds: 90,
} as const;

/** dev's usage: a test environment's traffic, a few deploys a day. */
const DEV_ASSUMPTIONS: UsageAssumptions = {
  requestsPerMinute: 400,
  edgeCacheHitRatio: 0.75,
  averageResponseKb: 20,
  hoursPerMonth: 730,
  averageTasksFactor: 0,
  natDataGbPerMonth: 30,
  logsIngestedGbPerMonth: 10,
  auroraStorageGb: 10,
  auroraIoMillionsPerMonth: 5,
  serverlessAverageAcu: 0.75,
  dynamoReadMillions: 1,
  dynamoWriteMillions: 0.2,
  dynamoStorageGb: 1,
  sqsRequestsMillions: 1,
  lambdaInvocationsMillions: 0.05,
  lambdaAverageDurationMs: 150,
  efsStorageGb: 2,
  monthlyActiveUsers: 50,
  ecrImageGb: 0.3,
  ...SHARED_ASSUMPTIONS,
  deploysPerPipelinePerMonth: 60,
  pipelineActionMinutesPerRun: 15,
  buildMinutesPerRun: 10,
};

/** Per-environment usage defaults: prod at the design's ~667 req/s; dev and staging see test traffic. */
export const DEFAULT_ASSUMPTIONS: Record<Environment, UsageAssumptions> = {
  dev: DEV_ASSUMPTIONS,
  staging: DEV_ASSUMPTIONS,
  prod: {
    requestsPerMinute: 40_000,
    edgeCacheHitRatio: 0.75,
    averageResponseKb: 20,
    hoursPerMonth: 730,
    averageTasksFactor: 0.25,
    natDataGbPerMonth: 500,
    logsIngestedGbPerMonth: 200,
    auroraStorageGb: 200,
    auroraIoMillionsPerMonth: 500,
    serverlessAverageAcu: 4,
    dynamoReadMillions: 300,
    dynamoWriteMillions: 30,
    dynamoStorageGb: 50,
    sqsRequestsMillions: 30,
    lambdaInvocationsMillions: 3,
    lambdaAverageDurationMs: 150,
    efsStorageGb: 50,
    monthlyActiveUsers: 20_000,
    ecrImageGb: 0.3,
    ...SHARED_ASSUMPTIONS,
    deploysPerPipelinePerMonth: 20,
    pipelineActionMinutesPerRun: 15,
    buildMinutesPerRun: 10,
  },
};

/**
 * An idle standby region (pilot light): the primary's traffic is elsewhere, so only what runs
 * regardless is billed: its floors, a little NAT and log traffic, the secondary's ACUs at rest.
 * Its data copies (table replicas, vault copies, replica bucket) are priced in the primary's plan.
 */
export const STANDBY_IDLE_ASSUMPTIONS: UsageAssumptions = {
  ...DEFAULT_ASSUMPTIONS.prod,
  requestsPerMinute: 0,
  averageTasksFactor: 0,
  natDataGbPerMonth: 20,
  logsIngestedGbPerMonth: 10,
  serverlessAverageAcu: 2,
  auroraIoMillionsPerMonth: 5,
  dynamoReadMillions: 0,
  dynamoWriteMillions: 0,
  dynamoStorageGb: 0,
  sqsRequestsMillions: 0,
  lambdaInvocationsMillions: 0,
  efsStorageGb: 0,
  monthlyActiveUsers: 0,
  deploysPerPipelinePerMonth: 0,
};

/** The usage defaults of a stack: its environment's, or an idle standby's. */
export function defaultAssumptions(settings: Pick<Settings, "environment" | "standby">): UsageAssumptions {
  return settings.standby && !settings.standby.active ? STANDBY_IDLE_ASSUMPTIONS : DEFAULT_ASSUMPTIONS[settings.environment];
}

/** One row of a price table. */
export interface PriceRow {
  id: string;
  description: string;
  unit: string;
  usd: number;
  /** The AWS pricing page the price is published on. */
  source: string;
}

/** A dated price table of one region (`tools/plan/prices/<region>.json`). */
export interface PriceTable {
  region: string;
  currency: "USD";
  /** Date (YYYY-MM-DD) the prices were recorded. */
  recorded: string;
  /**
   * Where the stack's viewers are assumed to be: CloudFront bills requests and transfer by the edge
   * location's geography, not by the stack's region, so the table states which geography its
   * CloudFront rows are for (e.g. "Europe"). Price ids themselves name no region.
   */
  viewerGeography: string;
  note: string;
  prices: PriceRow[];
}

export const TIERS = ["network", "edge", "compute", "data", "messaging", "observability", "security", "delivery"] as const;
export type Tier = (typeof TIERS)[number];

/** One pricer per tier, in the order the report lists them. */
const PRICERS: Record<Tier, Pricer> = {
  network: priceNetwork,
  edge: priceEdge,
  compute: priceCompute,
  data: priceData,
  messaging: priceMessaging,
  observability: priceObservability,
  security: priceSecurity,
  delivery: priceDelivery,
};

export interface CostLine {
  tier: Tier;
  item: string;
  quantity: number;
  /** Unit of the quantity, the price row's unit. */
  unit: string;
  priceId: string;
  unitPriceUsd: number;
  /** quantity x unitPriceUsd, unrounded. */
  monthlyUsd: number;
  /** How the quantity was derived, e.g. "3 NAT gateways x 730 h". */
  basis: string;
}

export interface CostEstimate {
  stack: string;
  region: string;
  currency: "USD";
  /** The price table's `recorded` date. */
  pricesRecorded: string;
  /** The assumptions in force (defaults merged with overrides). */
  assumptions: UsageAssumptions;
  lines: CostLine[];
  /** Monthly USD per tier (every tier present, 0 when it has no lines). */
  tiers: Record<string, number>;
  totalMonthlyUsd: number;
  /** What the stack has that this estimate does not price. */
  notes: string[];
}

const PRICES_DIR = path.join(__dirname, "prices");

/** Reads and checks the price table of `region`; throws naming the region when there is none. */
export function loadPriceTable(region = "eu-west-1"): PriceTable {
  const file = path.join(PRICES_DIR, `${region}.json`);
  if (!/^[a-z0-9-]+$/.test(region) || !fs.existsSync(file)) {
    const known = fs.existsSync(PRICES_DIR) ? fs.readdirSync(PRICES_DIR).filter((f) => f.endsWith(".json")) : [];
    const regions = known.map((f) => f.replace(/\.json$/, "")).join(", ") || "none";
    throw new Error(`no price table for region "${region}": tools/plan/prices/${region}.json does not exist (tables: ${regions})`);
  }
  const table = JSON.parse(fs.readFileSync(file, "utf8")) as PriceTable;
  const problems: string[] = [];
  if (table.region !== region) problems.push(`its region is "${table.region}"`);
  if (table.currency !== "USD") problems.push(`its currency is "${table.currency}", not USD`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(table.recorded ?? "")) problems.push(`"recorded" is not a YYYY-MM-DD date`);
  if (typeof table.viewerGeography !== "string" || table.viewerGeography === "") problems.push(`"viewerGeography" (the CloudFront rows' geography) is missing`);
  const seen = new Set<string>();
  for (const row of table.prices ?? []) {
    if (seen.has(row.id)) problems.push(`price "${row.id}" appears twice`);
    seen.add(row.id);
    if (typeof row.usd !== "number" || !Number.isFinite(row.usd) || row.usd < 0) problems.push(`price "${row.id}" has no valid usd`);
    if (!/^https:\/\/aws\.amazon\.com\//.test(row.source ?? "")) problems.push(`price "${row.id}" does not cite an https://aws.amazon.com/ page`);
  }
  if (problems.length > 0) throw new Error(`price table for region "${region}" (${file}) is invalid: ${problems.join("; ")}`);
  return table;
}

/**
 * The price table of `region`, or, when there is none, the nearest one there is (eu-west-1), with
 * a note saying so: a region priced at another's rates is still a useful order of magnitude.
 */
export function priceTableFor(region: string): { table: PriceTable; note?: string } {
  if (fs.existsSync(path.join(PRICES_DIR, `${region}.json`))) return { table: loadPriceTable(region) };
  const table = loadPriceTable("eu-west-1");
  return {
    table,
    note: `No price table for ${region} (tools/plan/prices/${region}.json): priced at ${table.region}'s rates; list prices differ by region by a few percent.`,
  };
}

/** Defaults of the stack's environment (or `base`) with `overrides` on top, checked. */
export function resolveAssumptions(environment: Environment, overrides: Partial<UsageAssumptions>, base = DEFAULT_ASSUMPTIONS[environment]): UsageAssumptions {
  const merged: UsageAssumptions = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!(key in base)) throw new Error(`unknown usage assumption "${key}"`);
    (merged as unknown as Record<string, number>)[key] = value;
  }
  for (const [key, value] of Object.entries(merged)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
      throw new Error(`usage assumption "${key}" must be a non-negative number, got ${value}`);
  }
  for (const key of ["edgeCacheHitRatio", "averageTasksFactor", "appCacheHitRatio"] as const) {
    if (merged[key] > 1) throw new Error(`usage assumption "${key}" must be between 0 and 1, got ${merged[key]}`);
  }
  if (merged.burstFactor < 1) throw new Error(`usage assumption "burstFactor" must be at least 1, got ${merged.burstFactor}`);
  for (const key of ["taskRequestsPerSecond", "databaseQueriesPerSecondPerVcpu", "cacheOpsPerSecondPerNode"] as const)
    if (merged[key] <= 0) throw new Error(`usage assumption "${key}" must be above 0, got ${merged[key]}`);
  return merged;
}

// Formatters are built once: `toLocaleString` with options builds a new one on every call.
const CENTS = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const PUBLISHED = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 10 });

/**
 * Monthly cost of a synthesized stack. Quantities come from `result` (what the program creates)
 * and `settings`; usage the resources cannot tell comes from the environment's
 * `DEFAULT_ASSUMPTIONS` with `assumptions` on top. Prices come from the table of the stack's
 * region (`prices`, loaded when not given); a line whose price is missing is an error.
 */
export function estimateCost(result: SynthResult, settings: Settings, assumptions: Partial<UsageAssumptions> = {}, given?: PriceTable): CostEstimate {
  const a = resolveAssumptions(settings.environment, assumptions, defaultAssumptions(settings));
  const h = a.hoursPerMonth;
  const found = given ? { table: given } : priceTableFor(settings.region);
  const prices = found.table;
  const byId = new Map(prices.prices.map((p) => [p.id, p]));
  const lines: CostLine[] = [];
  const notes: string[] = found.note ? [found.note] : [];
  const ofType = (type: string): SynthResource[] => result.resources.filter((r) => r.type === type);

  const add = (tier: Tier, item: string, priceId: string, quantity: number, basis: string): void => {
    const price = byId.get(priceId);
    if (!price) throw new Error(`price "${priceId}" (for ${item}) is not in the ${prices.region} price table recorded ${prices.recorded}`);
    if (!Number.isFinite(quantity) || quantity < 0) throw new Error(`quantity of ${item} is ${quantity}: ${basis}`);
    if (quantity === 0) return;
    lines.push({ tier, item, quantity, unit: price.unit, priceId, unitPriceUsd: price.usd, monthlyUsd: quantity * price.usd, basis });
  };

  // One pricer per tier (tools/plan/pricers/), each adding its lines.
  const ctx = { result, settings, a, h, notes, ofType, prices, traffic: trafficOf(a) };
  for (const tier of TIERS) PRICERS[tier]({ ...ctx, add: (item, priceId, quantity, basis) => add(tier, item, priceId, quantity, basis) });

  // --- what exists but is not priced.
  const count = (type: string): number => ofType(type).length;
  const unpriced: [string, string][] = [
    ["aws:s3/bucket:Bucket", "S3 buckets (storage and requests)"],
    ["aws:sns/topic:Topic", "SNS topics (notifications)"],
    ["aws:cloudtrail/trail:Trail", "CloudTrail trails (management events are free for the first trail; S3 and Logs delivery)"],
    ["aws:guardduty/detector:Detector", "GuardDuty detectors (priced on events and data analysed)"],
    ["aws:budgets/budget:Budget", "AWS Budgets (the first two are free)"],
    [
      "aws:servicediscovery/httpNamespace:HttpNamespace",
      "Cloud Map namespaces for Service Connect (each task registers as an instance; Service Connect itself is free)",
    ],
  ];
  for (const [type, what] of unpriced) if (count(type) > 0) notes.push(`${count(type)} ${what}: not priced.`);
  if (settings.observability.tracing) notes.push("X-Ray traces from the daemon sidecars: not priced.");
  // (Optional: the change review prices an older commit's settings, which may not have the section.)
  if (settings.email?.enabled)
    notes.push(
      `E-mail through SES ($0.10 per 1,000 messages) is not priced. A new account sends from the SES sandbox (verified recipients, 200 a day) until production access is requested for ${settings.region}.`,
    );
  if (settings.email?.sms?.enabled)
    notes.push(
      `SMS through SNS (priced per message and destination country) is not priced: SNS stops sending at the account's limit of $${settings.email.sms.monthlySpendLimitUsd} a month in ${settings.region}.`,
    );
  notes.push(`Container Insights (${settings.compute.containerInsights}) metrics and performance logs: not priced beyond the logs assumption.`);
  const elsewhere = result.resources.filter((r) => r.custom && r.region !== prices.region && r.type !== "pulumi:providers:aws");
  if (elsewhere.length > 0) {
    const regions = [...new Set(elsewhere.map((r) => r.region))].join(", ");
    notes.push(`${elsewhere.length} resources in ${regions} (WAF, edge certificates, alarms, keys, logs) are priced from the ${prices.region} table.`);
  }
  notes.push(
    "Not included: taxes, data transfer between AZs and to the internet (except CloudFront), free tiers, Savings Plans and reservations, API request charges.",
  );

  const tiers: Record<string, number> = Object.fromEntries(TIERS.map((t) => [t, 0]));
  for (const l of lines) tiers[l.tier] += l.monthlyUsd;
  const totalMonthlyUsd = lines.reduce((sum, l) => sum + l.monthlyUsd, 0);
  return {
    stack: result.stack,
    region: prices.region,
    currency: "USD",
    pricesRecorded: prices.recorded,
    assumptions: a,
    lines,
    tiers,
    totalMonthlyUsd,
    notes,
  };
}

/** Money rounded to cents, for printing only. */
function usd(value: number): string {
  return `$${CENTS.format(value)}`;
}

/** A unit price as published (no rounding). */
function unitPrice(value: number): string {
  return `$${PUBLISHED.format(value)}`;
}

/** A readable text report: per-tier subtotals with their lines, the total, the price date and the assumptions. */
export function renderCost(estimate: CostEstimate): string {
  const out: string[] = [];
  out.push(
    `Monthly cost estimate: stack ${estimate.stack}, ${estimate.region}, ${estimate.currency} at on-demand list prices recorded ${estimate.pricesRecorded}`,
  );
  out.push("");
  const width = Math.max(30, ...estimate.lines.map((l) => l.item.length));
  const qtyWidth = Math.max(...estimate.lines.map((l) => `${n(l.quantity)} ${l.unit}`.length), 10);
  const priceWidth = Math.max(...estimate.lines.map((l) => unitPrice(l.unitPriceUsd).length), 6);
  const costWidth = Math.max(...estimate.lines.map((l) => usd(l.monthlyUsd).length), usd(estimate.totalMonthlyUsd).length);
  for (const tier of TIERS) {
    const lines = estimate.lines.filter((l) => l.tier === tier);
    if (lines.length === 0) continue;
    out.push(`${tier.padEnd(width + 2)}${" ".repeat(qtyWidth + priceWidth + 6)}${usd(estimate.tiers[tier]).padStart(costWidth)}`);
    for (const l of lines) {
      const qty = `${n(l.quantity)} ${l.unit}`.padStart(qtyWidth);
      out.push(`  ${l.item.padEnd(width)}${qty} x ${unitPrice(l.unitPriceUsd).padStart(priceWidth)} = ${usd(l.monthlyUsd).padStart(costWidth)}   ${l.basis}`);
    }
    out.push("");
  }
  out.push(`${"TOTAL per month".padEnd(width + 2)}${" ".repeat(qtyWidth + priceWidth + 6)}${usd(estimate.totalMonthlyUsd).padStart(costWidth)}`);
  out.push("");
  out.push(`Prices: tools/plan/prices/${estimate.region}.json, recorded ${estimate.pricesRecorded}; verify before budgeting.`);
  out.push("Assumptions:");
  for (const [key, value] of Object.entries(estimate.assumptions)) out.push(`  ${key}: ${n(value)}`);
  if (estimate.notes.length > 0) {
    out.push("Notes (not priced or priced approximately):");
    for (const note of estimate.notes) out.push(`  - ${note}`);
  }
  return out.join("\n") + "\n";
}
