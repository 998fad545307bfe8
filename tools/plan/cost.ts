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
import { Settings } from "../../stacks";
import { SynthResource, SynthResult } from "../harness";

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
  /** Runs per month of each delivery pipeline. */
  deploysPerPipelinePerMonth: number;
  /** Action execution minutes of one pipeline run (all stages). */
  pipelineActionMinutesPerRun: number;
  /** CodeBuild minutes of one pipeline run (all its build projects). */
  buildMinutesPerRun: number;
}

/** Per-environment usage defaults: prod at ARCHITECTURE's ~667 req/s, dev a small fraction. */
export const DEFAULT_ASSUMPTIONS: Record<"dev" | "prod", UsageAssumptions> = {
  dev: {
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
    deploysPerPipelinePerMonth: 60,
    pipelineActionMinutesPerRun: 15,
    buildMinutesPerRun: 10,
  },
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
    deploysPerPipelinePerMonth: 20,
    pipelineActionMinutesPerRun: 15,
    buildMinutesPerRun: 10,
  },
};

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
  note: string;
  prices: PriceRow[];
}

export const TIERS = ["network", "edge", "compute", "data", "messaging", "observability", "security", "delivery"] as const;
export type Tier = (typeof TIERS)[number];

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

/** Defaults of the stack's environment with `overrides` on top, checked. */
function resolveAssumptions(environment: string, overrides: Partial<UsageAssumptions>): UsageAssumptions {
  const base = DEFAULT_ASSUMPTIONS[environment === "prod" ? "prod" : "dev"];
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
  for (const key of ["edgeCacheHitRatio", "averageTasksFactor"] as const) {
    if (merged[key] > 1) throw new Error(`usage assumption "${key}" must be between 0 and 1, got ${merged[key]}`);
  }
  return merged;
}

// Formatters are built once: `toLocaleString` with options builds a new one on every call.
const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const CENTS = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const PUBLISHED = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 10 });

/** A number for a basis text: grouped, at most 2 decimals. */
function n(value: number): string {
  return NUMBER.format(value);
}

function plural(count: number, word: string, many = `${word}s`): string {
  return `${n(count)} ${count === 1 ? word : many}`;
}

const KB_PER_GB = 1024 * 1024;
const TB = 1024;

/** CloudFront's Europe transfer tiers (GB from, GB to, price id). */
const CLOUDFRONT_TIERS: [number, number, string][] = [
  [0, 10 * TB, "cloudfront-data-transfer-europe-first-10tb-gb"],
  [10 * TB, 50 * TB, "cloudfront-data-transfer-europe-next-40tb-gb"],
  [50 * TB, 150 * TB, "cloudfront-data-transfer-europe-next-100tb-gb"],
];

interface CapacityShare {
  capacityProvider: string;
  weight: number;
  base?: number;
}

/** Splits an average task count over capacity providers as ECS does: bases first, then by weight. */
export function splitTasks(tasks: number, strategy: CapacityShare[]): Record<string, number> {
  const shares: Record<string, number> = {};
  let left = tasks;
  for (const s of strategy) {
    const onBase = Math.min(left, s.base ?? 0);
    shares[s.capacityProvider] = (shares[s.capacityProvider] ?? 0) + onBase;
    left -= onBase;
  }
  const weights = strategy.reduce((sum, s) => sum + s.weight, 0);
  for (const s of strategy) {
    if (weights > 0) shares[s.capacityProvider] += (left * s.weight) / weights;
  }
  return shares;
}

/**
 * Monthly cost of a synthesized stack. Quantities come from `result` (what the program creates)
 * and `settings`; usage the resources cannot tell comes from the environment's
 * `DEFAULT_ASSUMPTIONS` with `assumptions` on top. Prices come from the table of the stack's
 * region (`prices`, loaded when not given); a line whose price is missing is an error.
 */
export function estimateCost(
  result: SynthResult,
  settings: Settings,
  assumptions: Partial<UsageAssumptions> = {},
  prices: PriceTable = loadPriceTable(settings.region),
): CostEstimate {
  const a = resolveAssumptions(settings.environment, assumptions);
  const h = a.hoursPerMonth;
  const byId = new Map(prices.prices.map((p) => [p.id, p]));
  const lines: CostLine[] = [];
  const notes: string[] = [];
  const ofType = (type: string): SynthResource[] => result.resources.filter((r) => r.type === type);

  const add = (tier: Tier, item: string, priceId: string, quantity: number, basis: string): void => {
    const price = byId.get(priceId);
    if (!price) throw new Error(`price "${priceId}" (for ${item}) is not in the ${prices.region} price table recorded ${prices.recorded}`);
    if (!Number.isFinite(quantity) || quantity < 0) throw new Error(`quantity of ${item} is ${quantity}: ${basis}`);
    if (quantity === 0) return;
    lines.push({ tier, item, quantity, unit: price.unit, priceId, unitPriceUsd: price.usd, monthlyUsd: quantity * price.usd, basis });
  };

  // --- network: NAT gateways (from the awsx VPC's strategy and AZs) and their Elastic IPs.
  for (const vpc of ofType("awsx:ec2:Vpc")) {
    const strategy: string = vpc.inputs.natGateways?.strategy ?? "OnePerAz";
    const azs: number = (vpc.inputs.availabilityZoneNames ?? []).length || vpc.inputs.numberOfAvailabilityZones || 0;
    const gateways = strategy === "None" ? 0 : strategy === "Single" ? 1 : azs;
    const how = `${plural(gateways, "NAT gateway")} (${strategy} over ${plural(azs, "AZ")})`;
    add("network", "NAT gateway hours", "nat-gateway-hour", gateways * h, `${how} x ${n(h)} h`);
    add(
      "network",
      "NAT gateway data processed",
      "nat-gateway-data-gb",
      gateways > 0 ? a.natDataGbPerMonth : 0,
      `${n(a.natDataGbPerMonth)} GB/month assumed through ${how}`,
    );
    add("network", "NAT gateway Elastic IPs", "public-ipv4-address-hour", gateways * h, `1 public IPv4 per NAT gateway: ${gateways} x ${n(h)} h`);
  }

  // --- edge: CloudFront, the ALB behind it, Route 53.
  const edgeRequests = a.requestsPerMinute * 60 * h;
  const backendRequests = edgeRequests * (1 - a.edgeCacheHitRatio);
  const trafficBasis = `${n(a.requestsPerMinute)} req/min x 60 x ${n(h)} h`;
  const distributions = ofType("aws:cloudfront/distribution:Distribution").filter((d) => d.inputs.enabled !== false);
  if (distributions.length > 0) {
    add(
      "edge",
      "CloudFront HTTPS requests",
      "cloudfront-https-requests-europe-10k",
      edgeRequests / 10_000,
      `${trafficBasis} = ${n(edgeRequests)} requests, all HTTPS, priced as Europe`,
    );
    const gb = (edgeRequests * a.averageResponseKb) / KB_PER_GB;
    for (const [from, to, priceId] of CLOUDFRONT_TIERS) {
      const inTier = Math.max(0, Math.min(gb, to) - from);
      add(
        "edge",
        `CloudFront transfer out (${n(from / TB)}-${n(to / TB)} TB)`,
        priceId,
        inTier,
        `${n(edgeRequests)} requests x ${n(a.averageResponseKb)} KB = ${n(gb)} GB; this tier's share`,
      );
    }
    if (gb > CLOUDFRONT_TIERS[CLOUDFRONT_TIERS.length - 1][1]) notes.push(`CloudFront transfer above 150 TB/month is not priced (${n(gb)} GB estimated).`);
    const priceClasses = [...new Set(distributions.map((d) => d.inputs.priceClass))].join(", ");
    notes.push(`CloudFront is priced at Europe rates for all viewers; ${priceClasses} also serves other continents at their (mostly higher) rates.`);
  }

  const albs = ofType("aws:lb/loadBalancer:LoadBalancer").filter((lb) => (lb.inputs.loadBalancerType ?? "application") === "application");
  if (albs.length > 0) {
    add("edge", "Application Load Balancer hours", "alb-hour", albs.length * h, `${plural(albs.length, "ALB")} x ${n(h)} h`);
    // LCU: the highest of processed bytes (1 GB/h), rule evaluations (1,000/s beyond 10 free rules),
    // new connections (25/s) and active connections (3,000/min). CloudFront reuses its origin
    // connections, so the connection dimensions stay small; bytes decide.
    const backendPerSecond = backendRequests / (h * 3600);
    const gbPerHour = (backendPerSecond * 3600 * a.averageResponseKb) / KB_PER_GB;
    const rules = ofType("aws:lb/listenerRule:ListenerRule").length;
    const ruleEvaluationLcu = (backendPerSecond * Math.max(0, rules - 10)) / 1000;
    const lcu = Math.max(gbPerHour, ruleEvaluationLcu);
    add(
      "edge",
      "ALB capacity units",
      "alb-lcu-hour",
      lcu * h,
      `${n(1 - a.edgeCacheHitRatio)} of edge requests reach the ALB: ${n(backendPerSecond)} req/s x ${n(a.averageResponseKb)} KB = ${n(gbPerHour)} GB/h ` +
        `(bytes dimension; ${plural(rules, "listener rule")}, within the 10 free) = ${n(lcu)} LCU x ${n(h)} h`,
    );
    const publicIps = albs.filter((lb) => lb.inputs.internal !== true).reduce((sum, lb) => sum + (lb.inputs.subnets ?? []).length, 0);
    add(
      "edge",
      "ALB public IPv4 addresses",
      "public-ipv4-address-hour",
      publicIps * h,
      `internet-facing ALB: at least 1 public IPv4 per subnet, ${publicIps} x ${n(h)} h`,
    );
  }

  const zones = ofType("aws:route53/zone:Zone");
  add("edge", "Route 53 hosted zones", "route53-hosted-zone-month", zones.length, `${plural(zones.length, "hosted zone")} created by the stack`);
  if (zones.length === 0 && settings.edge.hostedZone) {
    notes.push(`Hosted zone ${settings.edge.hostedZone} is looked up, not created: its $0.50/month belongs to whoever owns it.`);
  }
  const checks = ofType("aws:route53/healthCheck:HealthCheck");
  add(
    "edge",
    "Route 53 health checks",
    "route53-health-check-non-aws-month",
    checks.length,
    `${plural(checks.length, "health check")}, non-AWS endpoint rate (upper bound)`,
  );
  const features = checks.map((c) => {
    const type = String(c.inputs.type ?? "");
    return [
      type.startsWith("HTTPS") && "HTTPS",
      type.endsWith("STR_MATCH") && "string matching",
      c.inputs.requestInterval === 10 && "fast interval",
      c.inputs.measureLatency === true && "latency",
    ].filter((f): f is string => !!f);
  });
  const featureCount = features.reduce((sum, f) => sum + f.length, 0);
  add(
    "edge",
    "Route 53 health-check features",
    "route53-health-check-feature-non-aws-month",
    featureCount,
    `optional features: ${[...new Set(features.flat())].join(", ")}`,
  );

  // --- compute: Fargate services (sizes and task counts from settings, capacity split from the
  // services' capacity-provider strategy) and Lambda functions.
  const ecsServices = ofType("aws:ecs/service:Service");
  for (const svc of settings.services) {
    const resource = ecsServices.find((s) => s.inputs.tags?.Service === svc.name);
    if (!resource) throw new Error(`service "${svc.name}" from settings has no ECS service among the synthesized resources`);
    const strategy: CapacityShare[] = resource.inputs.capacityProviderStrategies ?? [{ capacityProvider: "FARGATE", weight: 1 }];
    const tasks = svc.minTasks + a.averageTasksFactor * (svc.maxTasks - svc.minTasks);
    const split = splitTasks(tasks, strategy);
    const vcpu = svc.cpu / 1024;
    const gb = svc.memory / 1024;
    const taskBasis = `${n(tasks)} avg tasks (${svc.minTasks} min + ${n(a.averageTasksFactor)} x (${svc.maxTasks} max - ${svc.minTasks}))`;
    for (const [provider, count] of Object.entries(split)) {
      const spot = provider === "FARGATE_SPOT";
      if (provider !== "FARGATE" && !spot) throw new Error(`service "${svc.name}" uses capacity provider ${provider}, which has no price`);
      const label = spot ? "Fargate Spot" : "Fargate";
      const share = tasks > 0 && Object.keys(split).length > 1 ? `, ${n(count)} of them on ${provider}` : "";
      add(
        "compute",
        `${svc.name}: ${label} vCPU`,
        spot ? "fargate-spot-linux-x86-vcpu-hour" : "fargate-linux-x86-vcpu-hour",
        count * vcpu * h,
        `${taskBasis}${share} x ${n(vcpu)} vCPU x ${n(h)} h`,
      );
      add(
        "compute",
        `${svc.name}: ${label} memory`,
        spot ? "fargate-spot-linux-x86-gb-hour" : "fargate-linux-x86-gb-hour",
        count * gb * h,
        `${taskBasis}${share} x ${n(gb)} GB x ${n(h)} h`,
      );
    }
  }

  for (const fn of ofType("aws:lambda/function:Function")) {
    const name = fn.inputs.name ?? fn.name;
    const memoryGb = (fn.inputs.memorySize ?? 128) / 1024;
    const arm = (fn.inputs.architectures ?? []).includes("arm64");
    add(
      "compute",
      `Lambda ${name}: requests`,
      "lambda-requests-million",
      a.lambdaInvocationsMillions,
      `${n(a.lambdaInvocationsMillions)} million invocations/month assumed`,
    );
    const gbSeconds = a.lambdaInvocationsMillions * 1e6 * (a.lambdaAverageDurationMs / 1000) * memoryGb;
    add(
      "compute",
      `Lambda ${name}: duration`,
      arm ? "lambda-arm-gb-second" : "lambda-x86-gb-second",
      gbSeconds,
      `${n(a.lambdaInvocationsMillions)} million x ${n(a.lambdaAverageDurationMs)} ms x ${n(memoryGb)} GB (${arm ? "arm64" : "x86_64"})`,
    );
  }

  // --- data: Aurora, ElastiCache, DynamoDB, EFS.
  const clusters = ofType("aws:rds/cluster:Cluster");
  const instances = ofType("aws:rds/clusterInstance:ClusterInstance");
  const serverless = instances.filter((i) => i.inputs.instanceClass === "db.serverless");
  const provisioned = instances.filter((i) => i.inputs.instanceClass !== "db.serverless");
  for (const cls of [...new Set(provisioned.map((i) => String(i.inputs.instanceClass)))]) {
    const count = provisioned.filter((i) => i.inputs.instanceClass === cls).length;
    const engine = String(provisioned.find((i) => i.inputs.instanceClass === cls)?.inputs.engine ?? "aurora-postgresql");
    add("data", `Aurora ${cls} instances`, `${engine}-${cls.replace(/\./g, "-")}-hour`, count * h, `${plural(count, "instance")} (${engine}) x ${n(h)} h`);
  }
  if (serverless.length > 0) {
    const scaling = clusters[0]?.inputs.serverlessv2ScalingConfiguration ?? {};
    const min = scaling.minCapacity ?? 0;
    const max = scaling.maxCapacity ?? Infinity;
    const acu = Math.min(Math.max(a.serverlessAverageAcu, min), max);
    add(
      "data",
      "Aurora Serverless v2 capacity",
      "aurora-serverless-v2-acu-hour",
      serverless.length * acu * h,
      `${plural(serverless.length, "db.serverless instance")} x ${n(acu)} ACU average (range ${n(min)}-${n(max)}) x ${n(h)} h`,
    );
  }
  for (const cluster of clusters) {
    if (cluster.inputs.storageType === "aurora-iopt1")
      throw new Error(`cluster ${cluster.name} uses Aurora I/O-Optimized, which the price table does not cover`);
    add("data", "Aurora storage", "aurora-storage-gb-month", a.auroraStorageGb, `${n(a.auroraStorageGb)} GB cluster volume assumed (Aurora Standard)`);
    add("data", "Aurora I/O", "aurora-io-million", a.auroraIoMillionsPerMonth, `${n(a.auroraIoMillionsPerMonth)} million I/O requests/month assumed`);
    if (settings.database.performanceInsightsRetentionDays > 7) {
      notes.push(`Performance Insights keeps ${settings.database.performanceInsightsRetentionDays} days: retention beyond the free 7 days is not priced.`);
    }
  }

  for (const group of ofType("aws:elasticache/replicationGroup:ReplicationGroup")) {
    const nodes: number = group.inputs.numCacheClusters ?? 1;
    const nodeType = String(group.inputs.nodeType);
    const engine = String(group.inputs.engine ?? "redis");
    add(
      "data",
      `ElastiCache ${engine} ${nodeType} nodes`,
      `elasticache-${engine}-${nodeType.replace(/\./g, "-")}-hour`,
      nodes * h,
      `${plural(nodes, "node")} (numCacheClusters) x ${n(h)} h`,
    );
  }

  const tables = ofType("aws:dynamodb/table:Table");
  const onDemand = tables.filter((t) => t.inputs.billingMode === "PAY_PER_REQUEST");
  if (onDemand.length < tables.length) notes.push(`${tables.length - onDemand.length} DynamoDB table(s) use provisioned capacity, which is not priced.`);
  if (onDemand.length > 0) {
    const over = `over ${plural(onDemand.length, "on-demand table")}`;
    add("data", "DynamoDB reads", "dynamodb-on-demand-read-million", a.dynamoReadMillions, `${n(a.dynamoReadMillions)} million RRU/month assumed ${over}`);
    add("data", "DynamoDB writes", "dynamodb-on-demand-write-million", a.dynamoWriteMillions, `${n(a.dynamoWriteMillions)} million WRU/month assumed ${over}`);
  }
  if (tables.length > 0) {
    add(
      "data",
      "DynamoDB storage",
      "dynamodb-storage-gb-month",
      a.dynamoStorageGb,
      `${n(a.dynamoStorageGb)} GB assumed over ${plural(tables.length, "table")}`,
    );
    const pitr = tables.filter((t) => t.inputs.pointInTimeRecovery?.enabled === true).length;
    add(
      "data",
      "DynamoDB point-in-time recovery",
      "dynamodb-pitr-gb-month",
      (a.dynamoStorageGb * pitr) / tables.length,
      `${pitr} of ${plural(tables.length, "table")} with PITR, billed on their share of ${n(a.dynamoStorageGb)} GB`,
    );
  }

  const fileSystems = ofType("aws:efs/fileSystem:FileSystem");
  add(
    "data",
    "EFS storage",
    "efs-standard-storage-gb-month",
    fileSystems.length * a.efsStorageGb,
    `${plural(fileSystems.length, "file system")} x ${n(a.efsStorageGb)} GB, all in Standard storage (upper bound; IA is cheaper)`,
  );
  if (fileSystems.some((f) => f.inputs.throughputMode === "elastic")) notes.push("EFS elastic throughput is charged per GB read and written; not priced.");

  // --- messaging: SQS.
  const queues = ofType("aws:sqs/queue:Queue");
  const fifo = queues.filter((q) => q.inputs.fifoQueue === true).length;
  if (queues.length > 0) {
    const standard = queues.length - fifo;
    const basis = `${n(a.sqsRequestsMillions)} million requests/month assumed over ${plural(queues.length, "queue")} (incl. DLQs)`;
    add(
      "messaging",
      "SQS requests",
      "sqs-standard-requests-million",
      (a.sqsRequestsMillions * standard) / queues.length,
      basis + (fifo ? ", standard queues' share" : ""),
    );
    add("messaging", "SQS FIFO requests", "sqs-fifo-requests-million", (a.sqsRequestsMillions * fifo) / queues.length, basis + ", FIFO queues' share");
  }

  // --- observability: alarms, dashboards, logs.
  const alarms = ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
  const metricsOf = (alarm: SynthResource): number => {
    const queries: any[] = alarm.inputs.metricQueries ?? [];
    return queries.length > 0 ? queries.filter((q) => q.metric).length : 1;
  };
  const highRes = (alarm: SynthResource): boolean => {
    const periods: number[] = [alarm.inputs.period, ...(alarm.inputs.metricQueries ?? []).map((q: any) => q.metric?.period)].filter(
      (p) => typeof p === "number",
    );
    return periods.some((p) => p < 60);
  };
  const standardAlarms = alarms.filter((al) => !highRes(al));
  const standardMetrics = standardAlarms.reduce((sum, al) => sum + metricsOf(al), 0);
  const mathAlarms = standardAlarms.filter((al) => (al.inputs.metricQueries ?? []).length > 0).length;
  add(
    "observability",
    "CloudWatch metric alarms",
    "cloudwatch-alarm-standard-metric-month",
    standardMetrics,
    `${plural(standardAlarms.length, "standard alarm")} reading ${plural(standardMetrics, "metric")} (${mathAlarms} metric-math alarm(s) count each metric)`,
  );
  const highResAlarms = alarms.filter(highRes);
  const highResMetrics = highResAlarms.reduce((sum, al) => sum + metricsOf(al), 0);
  add(
    "observability",
    "CloudWatch high-resolution alarms",
    "cloudwatch-alarm-high-resolution-metric-month",
    highResMetrics,
    `${plural(highResAlarms.length, "alarm")} with a period under 60 s`,
  );
  const composites = ofType("aws:cloudwatch/compositeAlarm:CompositeAlarm").length;
  add("observability", "CloudWatch composite alarms", "cloudwatch-composite-alarm-month", composites, plural(composites, "composite alarm"));
  const dashboards = ofType("aws:cloudwatch/dashboard:Dashboard").length;
  add("observability", "CloudWatch dashboards", "cloudwatch-dashboard-month", dashboards, plural(dashboards, "dashboard"));
  const logGroups = ofType("aws:cloudwatch/logGroup:LogGroup").length;
  if (logGroups > 0) {
    add(
      "observability",
      "CloudWatch Logs ingestion",
      "cloudwatch-logs-ingestion-gb",
      a.logsIngestedGbPerMonth,
      `${n(a.logsIngestedGbPerMonth)} GB/month assumed over ${plural(logGroups, "log group")}`,
    );
    const months = settings.logRetentionDays / (365 / 12);
    add(
      "observability",
      "CloudWatch Logs storage",
      "cloudwatch-logs-storage-gb-month",
      a.logsIngestedGbPerMonth * months,
      `steady state: ${n(a.logsIngestedGbPerMonth)} GB/month x ${settings.logRetentionDays} days retention (${n(months)} months), uncompressed (upper bound)`,
    );
  }

  // --- security: KMS, Secrets Manager, WAF, Cognito.
  const keys = ofType("aws:kms/key:Key");
  add(
    "security",
    "KMS customer managed keys",
    "kms-key-month",
    keys.length,
    `${plural(keys.length, "key")} (${keys.map((k) => k.region).join(", ")}); rotations add up to $2/key later`,
  );
  const secrets = ofType("aws:secretsmanager/secret:Secret").length;
  const managed = clusters.filter((c) => c.inputs.manageMasterUserPassword === true).length;
  add(
    "security",
    "Secrets Manager secrets",
    "secrets-manager-secret-month",
    secrets + managed,
    `${plural(secrets, "secret")} + ${managed} RDS-managed master password secret(s)`,
  );
  const acls = ofType("aws:wafv2/webAcl:WebAcl");
  add("security", "WAF web ACLs", "waf-web-acl-month", acls.length, plural(acls.length, "web ACL"));
  const wafRules = acls.flatMap((acl) => (acl.inputs.rules ?? []).map((r: { name: string }) => r.name));
  add("security", "WAF rules", "waf-rule-month", wafRules.length, `${plural(wafRules.length, "rule")}: ${wafRules.join(", ")}`);
  const cloudFrontAcls = acls.filter((acl) => acl.inputs.scope === "CLOUDFRONT" || acl.region === "us-east-1").length;
  add(
    "security",
    "WAF requests",
    "waf-requests-million",
    cloudFrontAcls > 0 ? edgeRequests / 1e6 : 0,
    `every CloudFront request is inspected: ${trafficBasis}`,
  );
  for (const pool of ofType("aws:cognito/userPool:UserPool")) {
    const tier = String(pool.inputs.userPoolTier ?? "ESSENTIALS").toUpperCase();
    if (tier !== "ESSENTIALS" && tier !== "LITE") throw new Error(`user pool ${pool.name} uses the ${tier} tier, which the price table does not cover`);
    const free = Math.min(a.monthlyActiveUsers, 10_000);
    add("security", "Cognito MAU (free allowance)", "cognito-mau-free-tier", free, `${n(a.monthlyActiveUsers)} MAU assumed; the first 10,000 are free`);
    add(
      "security",
      `Cognito MAU (${tier.toLowerCase()} tier)`,
      `cognito-${tier.toLowerCase()}-mau`,
      a.monthlyActiveUsers - free,
      `${n(a.monthlyActiveUsers)} MAU assumed - 10,000 free`,
    );
  }

  // --- delivery: ECR, CodePipeline, CodeBuild.
  const repos = ofType("aws:ecr/repository:Repository").length;
  add(
    "delivery",
    "ECR image storage",
    "ecr-storage-gb-month",
    repos * settings.delivery.keepImages * a.ecrImageGb,
    `${plural(repos, "repository", "repositories")} x ${settings.delivery.keepImages} images kept x ${n(a.ecrImageGb)} GB`,
  );
  const pipelines = ofType("aws:codepipeline/pipeline:Pipeline");
  const v2 = pipelines.filter((p) => (p.inputs.pipelineType ?? "V1") === "V2").length;
  const runs = v2 * a.deploysPerPipelinePerMonth;
  add(
    "delivery",
    "CodePipeline V2 action minutes",
    "codepipeline-v2-action-minute",
    runs * a.pipelineActionMinutesPerRun,
    `${plural(v2, "V2 pipeline")} x ${n(a.deploysPerPipelinePerMonth)} runs x ${n(a.pipelineActionMinutesPerRun)} action-minutes`,
  );
  add("delivery", "CodePipeline V1 pipelines", "codepipeline-v1-pipeline-month", pipelines.length - v2, plural(pipelines.length - v2, "V1 pipeline"));
  const projects = ofType("aws:codebuild/project:Project");
  const computeTypes = [...new Set(projects.map((p) => String(p.inputs.environment?.computeType ?? settings.delivery.computeType)))];
  if (computeTypes.length > 0) {
    const computeType = computeTypes.length === 1 ? computeTypes[0] : settings.delivery.computeType;
    const size = computeType.replace(/^BUILD_GENERAL1_/, "").toLowerCase();
    const builds = pipelines.length * a.deploysPerPipelinePerMonth;
    add(
      "delivery",
      `CodeBuild ${size} Linux minutes`,
      `codebuild-linux-${size}-minute`,
      builds * a.buildMinutesPerRun,
      `${plural(pipelines.length, "pipeline")} x ${n(a.deploysPerPipelinePerMonth)} runs x ${n(a.buildMinutesPerRun)} build minutes (${projects.length} projects, ${computeType})`,
    );
  }

  // --- what exists but is not priced.
  const count = (type: string): number => ofType(type).length;
  const unpriced: [string, string][] = [
    ["aws:s3/bucket:Bucket", "S3 buckets (storage and requests)"],
    ["aws:sns/topic:Topic", "SNS topics (notifications)"],
    ["aws:cloudtrail/trail:Trail", "CloudTrail trails (management events are free for the first trail; S3 and Logs delivery)"],
    ["aws:guardduty/detector:Detector", "GuardDuty detectors (priced on events and data analysed)"],
    ["aws:budgets/budget:Budget", "AWS Budgets (the first two are free)"],
  ];
  for (const [type, what] of unpriced) if (count(type) > 0) notes.push(`${count(type)} ${what}: not priced.`);
  if (settings.observability.tracing) notes.push("X-Ray traces from the daemon sidecars: not priced.");
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
