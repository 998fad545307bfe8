/**
 * The architecture diagram of one synthesized stack, as Graphviz DOT (and, rendered offline, SVG).
 *
 * Why DOT: it is the format `pulumi stack graph` emits, so the same viewers, converters and
 * `dot -Tsvg` work on both; and it is plain text, so a committed copy can be diffed and compared
 * byte for byte with a fresh one (the output here is deterministic: same input, same text).
 *
 * What it shows, and what it leaves out: `pulumi stack graph` draws every resource and every
 * dependency (hundreds of nodes: roles, policies, rules, log groups). This draws the architecture
 * of README's "What gets built", one node per meaningful resource, in one cluster per tier, left
 * to right in the order a request meets them:
 *
 *   client -> Route 53 (site alias records) -> CloudFront (static assets from the private S3
 *   bucket) -> WAF web ACL -> ALB -> each routed ECS service (path prefix, "sign-in" where the
 *   listener rule authenticates with Cognito; dashed "Service Connect" edges to the services it
 *   calls) -> the cache, the Aurora cluster, DynamoDB tables,
 *   SQS queues (-> DLQ, -> Lambda consumer -> its tables) and EFS each service declares; then,
 *   where the stack has a DR region, the backups and the copies kept there (table replicas, the
 *   replicated static bucket, the DR backup vault), in a cluster named after that region.
 *
 * Nodes and labels come from the synthesized resources (what the program really registers, with
 * its real sizes: task counts, instance classes, node counts). Request-path edges follow the
 * resources' own references (alias records -> distribution -> web ACL and origins -> origin record
 * -> ALB <- listener <- listener rule -> target group <- ECS service), as do queue -> DLQ (redrive
 * policy) and queue -> function (event source mapping). Data-access edges follow each service's and
 * function's `access` declaration in the settings: the one declaration both the network path and
 * the permissions are built from (README, "How a service reaches data").
 */
import type { Settings } from "../../stacks";
import { cacheKey, packageVersion, readCache, writeCache } from "../disk-cache";
import type { SynthResource, SynthResult } from "../harness";

/** Resource types the diagram reads. */
const TYPE = {
  record: "aws:route53/record:Record",
  distribution: "aws:cloudfront/distribution:Distribution",
  webAcl: "aws:wafv2/webAcl:WebAcl",
  bucket: "aws:s3/bucket:Bucket",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  listener: "aws:lb/listener:Listener",
  listenerRule: "aws:lb/listenerRule:ListenerRule",
  ecsService: "aws:ecs/service:Service",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  scalingTarget: "aws:appautoscaling/target:Target",
  rdsCluster: "aws:rds/cluster:Cluster",
  rdsInstance: "aws:rds/clusterInstance:ClusterInstance",
  replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
  table: "aws:dynamodb/table:Table",
  queue: "aws:sqs/queue:Queue",
  lambda: "aws:lambda/function:Function",
  eventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
  fileSystem: "aws:efs/fileSystem:FileSystem",
  userPool: "aws:cognito/userPool:UserPool",
  tableReplica: "aws:dynamodb/tableReplica:TableReplica",
  bucketReplication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  backupVault: "aws:backup/vault:Vault",
  backupSelection: "aws:backup/selection:Selection",
  schedule: "aws:scheduler/schedule:Schedule",
} as const;

/** What a node stands for; written as the node's `class` attribute (also a CSS class in the SVG). */
export type NodeKind =
  | "route53"
  | "cloudfront"
  | "waf"
  | "bucket"
  | "alb"
  | "service"
  | "cache"
  | "database"
  | "table"
  | "queue"
  | "dlq"
  | "function"
  | "filesystem"
  | "userpool"
  | "vault"
  | "replica"
  | "schedule";

/** Title of the DR region's cluster (the region is added to it). */
export const DR_TIER = "DR region";

/** The clusters, in the order a request meets them, and the kinds of node each holds. */
export const TIERS: readonly { title: string; kinds: readonly NodeKind[] }[] = [
  { title: "DNS", kinds: ["route53"] },
  { title: "CDN", kinds: ["cloudfront", "waf", "bucket"] },
  { title: "Load balancing", kinds: ["alb"] },
  { title: "Services", kinds: ["service"] },
  { title: "Cache", kinds: ["cache"] },
  { title: "Database", kinds: ["database"] },
  { title: "Tables", kinds: ["table"] },
  { title: "Schedules", kinds: ["schedule"] },
  { title: "Queues", kinds: ["queue", "dlq"] },
  { title: "Functions", kinds: ["function"] },
  { title: "Files", kinds: ["filesystem"] },
  { title: "Sign-in", kinds: ["userpool"] },
  { title: "Backups", kinds: ["vault"] },
  { title: DR_TIER, kinds: ["replica"] },
];

/** The kinds of node a request to a service passes, in order. */
export const REQUEST_PATH: readonly NodeKind[] = ["route53", "cloudfront", "waf", "alb", "service"];

/** Shape and fill per kind: enough to tell tiers apart at a glance, nothing more. */
const STYLE: Record<NodeKind, { shape: string; fill: string }> = {
  route53: { shape: "box", fill: "#e8dff5" },
  cloudfront: { shape: "box", fill: "#e8dff5" },
  waf: { shape: "octagon", fill: "#fbe3e3" },
  bucket: { shape: "folder", fill: "#e3f2e1" },
  alb: { shape: "box", fill: "#e8dff5" },
  service: { shape: "box", fill: "#fdf0d5" },
  cache: { shape: "cylinder", fill: "#fbe3e3" },
  database: { shape: "cylinder", fill: "#dde8f7" },
  table: { shape: "cylinder", fill: "#dde8f7" },
  queue: { shape: "box", fill: "#fce8f3" },
  dlq: { shape: "box", fill: "#f3f3f3" },
  function: { shape: "box", fill: "#fdf0d5" },
  filesystem: { shape: "folder", fill: "#e3f2e1" },
  userpool: { shape: "box", fill: "#fbe3e3" },
  vault: { shape: "cylinder", fill: "#f3f3f3" },
  replica: { shape: "cylinder", fill: "#eef3fb" },
  schedule: { shape: "note", fill: "#fce8f3" },
};

export interface DiagramNode {
  /** Stable id from the resource's type and name, e.g. `aws_sqs_Queue__queue-orders`. */
  id: string;
  kind: NodeKind;
  /** Human-readable label; lines separated by `\n`. */
  label: string;
  /** Position among nodes of its kind: config order where config has one, else 0 (then by id). */
  rank: number;
}

export interface DiagramEdge {
  from: string;
  to: string;
  label?: string;
  /** Drawn dashed: a side path (sign-in, dead letters), not a request or data flow. */
  dashed?: boolean;
}

export interface ArchitectureModel {
  title: string;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

/** A stable, unique node id for a resource: its type (package, module, resource) and its name. */
export function nodeId(type: string, name: string): string {
  const [pkg, mod = "", resource = ""] = type.split(":");
  return `${pkg}_${mod.split("/")[0]}_${resource}__${name}`;
}

const keyOf = (r: SynthResource): string => `${r.type}::${r.name}`;
const idOf = (r: SynthResource): string => nodeId(r.type, r.name);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
/** The given parts that are set, joined by `separator`. */
const join = (separator: string, ...parts: unknown[]): string => parts.filter((p) => p !== undefined && p !== null && p !== false && p !== "").join(separator);
/** A multi-line label from the parts that are set. */
const lines = (...parts: unknown[]): string => join("\n", ...parts);

/** `1024` CPU units -> `1 vCPU`, `2048` MiB -> `2 GiB`. */
function taskSize(cpu: unknown, memory: unknown): string | undefined {
  if (cpu === undefined || memory === undefined) return undefined;
  const mib = Number(memory);
  return `${Number(cpu) / 1024} vCPU / ${mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`}`;
}

/**
 * The diagram as nodes and edges (what `architectureDot` writes), for callers that want to
 * inspect it rather than draw it. Throws when the settings declare access to something the
 * synthesized stack does not have: the diagram must not silently drop a grant.
 */
export function architectureModel(result: SynthResult, settings: Settings): ArchitectureModel {
  const custom = result.resources.filter((r) => r.custom);
  const byKey = new Map(custom.map((r) => [keyOf(r), r]));
  const ofType = (type: string) => custom.filter((r) => r.type === type);
  /** Resources of `type` that input `input` of `r` was computed from (any input when omitted). */
  const refs = (r: SynthResource, input: string | undefined, type: string): SynthResource[] => {
    const deps = input === undefined ? Object.values(r.propertyDependencies).flat() : (r.propertyDependencies[input] ?? []);
    return [...new Set(deps)].map((k) => byKey.get(k)).filter((d): d is SynthResource => !!d && d.type === type);
  };
  const refersTo = (r: SynthResource, input: string, target: SynthResource) => (r.propertyDependencies[input] ?? []).includes(keyOf(target));
  /** Config name of a physical `<prefix>-<name>` resource. */
  const shortName = (physical: string) => (physical.startsWith(`${settings.namePrefix}-`) ? physical.slice(settings.namePrefix.length + 1) : physical);

  const nodes = new Map<string, DiagramNode>();
  const edges: DiagramEdge[] = [];
  const addNode = (r: SynthResource, kind: NodeKind, label: string, rank = 0): string => {
    const id = idOf(r);
    nodes.set(id, { id, kind, label, rank });
    return id;
  };
  const addEdge = (from: string, to: string, label?: string, dashed?: boolean) => {
    if (!edges.some((e) => e.from === from && e.to === to && e.label === label)) edges.push({ from, to, label, dashed });
  };

  // Edge: alias records -> CloudFront -> WAF -> ALB (through the origin record), CloudFront -> static bucket.
  const albs = ofType(TYPE.loadBalancer).filter((lb) => (lb.inputs.loadBalancerType ?? "application") === "application");
  for (const lb of albs) {
    const https = ofType(TYPE.listener).filter((l) => refersTo(l, "loadBalancerArn", lb) && l.inputs.protocol === "HTTPS");
    addNode(
      lb,
      "alb",
      lines("ALB", lb.inputs.internal ? "internal" : "internet-facing", https.length > 0 && `HTTPS :${https.map((l) => l.inputs.port).join(", :")}`),
    );
  }
  for (const cdn of ofType(TYPE.distribution)) {
    const cdnId = addNode(cdn, "cloudfront", lines("CloudFront", (cdn.inputs.aliases ?? []).join(", "), cdn.inputs.priceClass));
    for (const record of ofType(TYPE.record).filter((r) => refersTo(r, "aliases", cdn))) {
      addEdge(addNode(record, "route53", lines(record.inputs.name, `Route 53 alias ${record.inputs.type}`)), cdnId, "alias");
    }
    let front = cdnId;
    for (const acl of refs(cdn, "webAclId", TYPE.webAcl)) {
      addEdge(cdnId, addNode(acl, "waf", lines("WAF web ACL", acl.inputs.name, plural((acl.inputs.rules ?? []).length, "rule"))), "every request");
      front = idOf(acl);
    }
    for (const bucket of refs(cdn, "origins", TYPE.bucket)) {
      addEdge(cdnId, addNode(bucket, "bucket", lines("static assets", "S3, private (OAC)")), "static paths");
    }
    for (const record of refs(cdn, "origins", TYPE.record)) {
      for (const lb of refs(record, "aliases", TYPE.loadBalancer)) addEdge(front, idOf(lb), `${record.inputs.name}\nHTTPS`);
    }
  }

  // Sign-in.
  for (const pool of ofType(TYPE.userPool)) {
    addNode(pool, "userpool", lines(pool.inputs.name, "Cognito user pool", pool.inputs.mfaConfiguration && `MFA ${pool.inputs.mfaConfiguration}`));
  }

  // Services, and the ALB rules that route to them.
  const serviceIds = new Map<string, string>();
  for (const svc of ofType(TYPE.ecsService)) {
    const task = refs(svc, "taskDefinition", TYPE.taskDefinition)[0];
    const name = task?.inputs.family ? shortName(task.inputs.family) : svc.name;
    const scaling = ofType(TYPE.scalingTarget).find((t) => refersTo(t, "resourceId", svc));
    const min = scaling?.inputs.minCapacity ?? svc.inputs.desiredCount;
    const max = scaling?.inputs.maxCapacity ?? min;
    const tasks = min === max ? plural(min, "task") : `${min}-${max} tasks`;
    const rank = settings.services.findIndex((s) => s.name === name);
    const id = addNode(svc, "service", lines(name, `ECS Fargate ${tasks}`, taskSize(task?.inputs.cpu, task?.inputs.memory)), rank);
    serviceIds.set(name, id);
    const targetGroups = svc.propertyDependencies.loadBalancers ?? [];
    const rules = ofType(TYPE.listenerRule).filter((rule) => (rule.propertyDependencies.actions ?? []).some((k) => targetGroups.includes(k)));
    for (const rule of rules) {
      const paths: string[] = (rule.inputs.conditions ?? []).flatMap((c: any) => c.pathPattern?.values ?? []);
      const prefix = [...paths].sort((a, b) => a.length - b.length || a.localeCompare(b))[0];
      const signIn = (rule.inputs.actions ?? []).some((a: any) => a.type === "authenticate-cognito");
      for (const listener of refs(rule, "listenerArn", TYPE.listener)) {
        for (const lb of refs(listener, "loadBalancerArn", TYPE.loadBalancer)) {
          addEdge(idOf(lb), id, lines(prefix, signIn && "sign-in"));
          for (const pool of refs(rule, "actions", TYPE.userPool)) addEdge(idOf(lb), idOf(pool), "authenticate", true);
        }
      }
    }
  }

  // Data: Aurora, the cache, tables, the shared file system.
  const databaseIds: string[] = [];
  for (const cluster of ofType(TYPE.rdsCluster)) {
    const instances = ofType(TYPE.rdsInstance).filter((i) => refersTo(i, "clusterIdentifier", cluster));
    const readers = instances.filter((i) => i.inputs.tags?.PlacedAs === "reader").length;
    const classes = [...new Set(instances.map((i) => String(i.inputs.instanceClass)))].sort().join(", ");
    const acu = cluster.inputs.serverlessv2ScalingConfiguration;
    const capacity = classes.includes("db.serverless") && acu ? ` (${acu.minCapacity}-${acu.maxCapacity} ACU)` : "";
    const engine =
      cluster.inputs.engine === "aurora-postgresql" ? "Aurora PostgreSQL" : cluster.inputs.engine === "aurora-mysql" ? "Aurora MySQL" : cluster.inputs.engine;
    const label = lines(
      `${engine} ${cluster.inputs.engineVersion ?? ""}`.trim(),
      cluster.inputs.clusterIdentifier,
      // A global secondary's instances only read until a failover promotes it.
      cluster.inputs.sourceRegion
        ? `global secondary of ${cluster.inputs.globalClusterIdentifier}, ${plural(instances.length, "instance")}, read-only`
        : `${plural(instances.length - readers, "writer")} + ${plural(readers, "reader")}`,
      `${classes}${capacity}`,
    );
    databaseIds.push(addNode(cluster, "database", label));
  }
  const cacheIds: string[] = [];
  for (const group of ofType(TYPE.replicationGroup)) {
    const engine = group.inputs.engine === "valkey" ? "Valkey" : group.inputs.engine === "redis" ? "Redis OSS" : group.inputs.engine;
    const count = Number(group.inputs.numCacheClusters ?? 1);
    const label = lines(
      `${engine} ${group.inputs.engineVersion ?? ""}`.trim(),
      group.inputs.replicationGroupId,
      `${plural(count, "node")} x ${group.inputs.nodeType}`,
      group.inputs.multiAzEnabled && "Multi-AZ failover",
    );
    cacheIds.push(addNode(group, "cache", label));
  }
  const tableIds = new Map<string, string>();
  for (const table of ofType(TYPE.table)) {
    const name = shortName(table.inputs.name ?? table.name);
    const keys = join(", ", `PK ${table.inputs.hashKey}`, table.inputs.rangeKey && `SK ${table.inputs.rangeKey}`);
    const mode = table.inputs.billingMode === "PAY_PER_REQUEST" ? "on-demand" : "provisioned";
    const rank = settings.tables.findIndex((t) => t.name === name);
    tableIds.set(name, addNode(table, "table", lines(name, `DynamoDB ${mode}`, keys), rank));
  }
  // A standby's tables are its primary's global-table replicas in this region, found by name.
  for (const [rank, t] of settings.standby ? settings.tables.entries() : []) {
    const id = `replica_${t.name.replace(/[^A-Za-z0-9_]/g, "_")}`;
    nodes.set(id, { id, kind: "table", label: lines(t.name, "DynamoDB replica", `of ${settings.standby!.primaryStack}'s global table`), rank });
    tableIds.set(t.name, id);
  }
  const fileSystemIds = ofType(TYPE.fileSystem).map((fs) =>
    addNode(fs, "filesystem", lines(fs.name, "EFS shared files", fs.inputs.throughputMode && `${fs.inputs.throughputMode} throughput`)),
  );

  // Messaging: queues, their DLQs, and the functions that consume them.
  const queues = ofType(TYPE.queue);
  // Dead-letter queues: of another queue (redrive), or of a schedule's failed deliveries.
  const scheduleDlqs = ofType(TYPE.schedule).flatMap((s) => queues.filter((q) => q.state.arn === s.inputs.target?.deadLetterConfig?.arn).map(keyOf));
  const deadLetterKeys = new Set([...queues.flatMap((q) => q.propertyDependencies.redrivePolicy ?? []), ...scheduleDlqs]);
  const queueIds = new Map<string, string>();
  for (const queue of queues) {
    const name = shortName(queue.inputs.name ?? queue.name);
    if (deadLetterKeys.has(keyOf(queue))) {
      const main = name.replace(/-dlq$/, "");
      addNode(
        queue,
        "dlq",
        lines(name, "SQS dead-letter queue"),
        settings.queues.findIndex((q) => q.name === main),
      );
      continue;
    }
    const visibility = queue.inputs.visibilityTimeoutSeconds;
    const rank = settings.queues.findIndex((q) => q.name === name);
    queueIds.set(name, addNode(queue, "queue", lines(name, "SQS queue", visibility !== undefined && `visibility ${visibility} s`), rank));
    for (const dlq of refs(queue, "redrivePolicy", TYPE.queue)) {
      const redrive = typeof queue.inputs.redrivePolicy === "string" ? JSON.parse(queue.inputs.redrivePolicy) : queue.inputs.redrivePolicy;
      addEdge(idOf(queue), idOf(dlq), redrive?.maxReceiveCount ? `after ${plural(redrive.maxReceiveCount, "receive")}` : "dead letters", true);
    }
  }
  const functionIds = new Map<string, string>();
  for (const fn of ofType(TYPE.lambda)) {
    const name = shortName(fn.inputs.name ?? fn.name);
    const sizing = join(
      ", ",
      fn.inputs.memorySize && `${fn.inputs.memorySize} MB`,
      fn.inputs.reservedConcurrentExecutions && `${fn.inputs.reservedConcurrentExecutions} concurrent`,
    );
    const rank = settings.functions.findIndex((f) => f.name === name);
    functionIds.set(name, addNode(fn, "function", lines(name, `Lambda ${fn.inputs.runtime ?? ""}`.trim(), sizing), rank));
  }
  // Schedules -> the queue or function each delivers to (its target's ARN).
  for (const schedule of ofType(TYPE.schedule)) {
    const s = schedule.inputs;
    const when =
      s.scheduleExpressionTimezone && s.scheduleExpressionTimezone !== "UTC" ? `${s.scheduleExpression} ${s.scheduleExpressionTimezone}` : s.scheduleExpression;
    const rank = settings.schedules.findIndex((x) => x.name === s.name);
    const id = addNode(schedule, "schedule", lines(s.name, "EventBridge Scheduler", when, s.state === "DISABLED" && "paused"), rank);
    const target = custom.find((r) => (r.type === TYPE.queue || r.type === TYPE.lambda) && r.state.arn === s.target?.arn);
    if (target) addEdge(id, idOf(target), "sends");
    const dlq = queues.find((q) => q.state.arn === s.target?.deadLetterConfig?.arn);
    if (dlq) addEdge(id, idOf(dlq), "failed deliveries", true);
  }
  for (const mapping of ofType(TYPE.eventSourceMapping)) {
    for (const queue of refs(mapping, "eventSourceArn", TYPE.queue)) {
      for (const fn of refs(mapping, "functionName", TYPE.lambda)) {
        addEdge(idOf(queue), idOf(fn), lines("consume", mapping.inputs.batchSize && `batch ${mapping.inputs.batchSize}`));
      }
    }
  }

  // The DR region: table replicas, the replicated static bucket, the backup vaults and the copy between them.
  for (const replica of ofType(TYPE.tableReplica)) {
    for (const table of refs(replica, "globalTableArn", TYPE.table)) {
      const name = shortName(table.inputs.name ?? table.name);
      addEdge(
        idOf(table),
        addNode(
          replica,
          "replica",
          lines(name, "DynamoDB replica", replica.region),
          settings.tables.findIndex((t) => t.name === name),
        ),
        "global table",
      );
    }
  }
  for (const config of ofType(TYPE.bucketReplication)) {
    for (const source of refs(config, "bucket", TYPE.bucket))
      for (const replica of refs(config, "rules", TYPE.bucket)) {
        if (!nodes.has(idOf(source))) continue;
        addEdge(idOf(source), addNode(replica, "replica", lines("static assets", "S3 replica", replica.region)), "replication");
      }
  }
  const vaults = ofType(TYPE.backupVault);
  for (const vault of vaults) {
    const dr = vault.region !== settings.region;
    addNode(vault, dr ? "replica" : "vault", lines(vault.inputs.name, dr ? "AWS Backup copies" : "AWS Backup", vault.region));
  }
  for (const selection of ofType(TYPE.backupSelection)) {
    const home = vaults.find((v) => v.region === settings.region);
    if (!home) continue;
    for (const key of selection.propertyDependencies.resources ?? []) {
      const store = byKey.get(key);
      if (store && nodes.has(idOf(store))) addEdge(idOf(store), idOf(home), "daily backup", true);
    }
    for (const dr of vaults.filter((v) => v.region !== settings.region))
      addEdge(idOf(home), idOf(dr), `copy, ${settings.disasterRecovery.backupRetentionDays} days`, true);
  }

  // Data access: exactly what each service and function declares.
  const target = (ids: Map<string, string> | string[], name: string, what: string, who: string): string[] => {
    const found = Array.isArray(ids) ? ids : ids.has(name) ? [ids.get(name) as string] : [];
    if (found.length === 0) throw new Error(`diagram: ${who} declares access to ${what} but the synthesized stack has none`);
    return found;
  };
  for (const service of settings.services) {
    const from = target(serviceIds, service.name, `its ECS service`, `service "${service.name}"`)[0];
    const who = `service "${service.name}"`;
    const { access } = service;
    if (access.database) for (const to of target(databaseIds, "", "the database", who)) addEdge(from, to, "IAM auth :5432");
    if (access.cache) for (const to of target(cacheIds, "", "the cache", who)) addEdge(from, to, "TLS + AUTH :6379");
    for (const [table, mode] of Object.entries(access.tables)) addEdge(from, target(tableIds, table, `table "${table}"`, who)[0], mode);
    for (const [queue, mode] of Object.entries(access.queues)) addEdge(from, target(queueIds, queue, `queue "${queue}"`, who)[0], mode);
    if (access.fileSystem) for (const to of target(fileSystemIds, "", "the file system", who)) addEdge(from, to, "NFS/TLS :2049");
    for (const callee of service.calls) {
      const port = settings.services.find((s) => s.name === callee)?.port;
      addEdge(from, target(serviceIds, callee, `service "${callee}"`, who)[0], `Service Connect :${port}`, true);
    }
  }
  for (const fn of settings.functions) {
    const who = `function "${fn.name}"`;
    const from = target(functionIds, fn.name, "its Lambda function", who)[0];
    for (const [table, mode] of Object.entries(fn.access.tables)) addEdge(from, target(tableIds, table, `table "${table}"`, who)[0], mode);
    for (const [queue, mode] of Object.entries(fn.access.queues)) addEdge(from, target(queueIds, queue, `queue "${queue}"`, who)[0], mode);
  }

  // One order, whatever order the resources were registered in: tier, kind, config order, id.
  const kinds = TIERS.flatMap((t) => t.kinds);
  const sorted = [...nodes.values()].sort((a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || a.rank - b.rank || compare(a.id, b.id));
  const position = new Map(sorted.map((n, i) => [n.id, i]));
  const at = (id: string) => position.get(id) ?? -1;
  const drawn = edges.filter((e) => position.has(e.from) && position.has(e.to));
  drawn.sort((a, b) => at(a.from) - at(b.from) || at(a.to) - at(b.to) || compare(a.label ?? "", b.label ?? ""));
  return { title: `${result.project} / ${result.stack}: request path and data access`, nodes: sorted, edges: drawn };
}

/** Locale-independent string order (`localeCompare` could differ between machines). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A DOT double-quoted string: backslashes and quotes escaped, newlines as DOT's centred `\n`. */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

/**
 * The diagram as a Graphviz `digraph`, laid out left to right. Deterministic: the same result and
 * settings give byte-identical text, so a committed copy can be compared with a fresh one.
 */
export function architectureDot(result: SynthResult, settings: Settings): string {
  const model = architectureModel(result, settings);
  const out: string[] = [];
  out.push(`digraph ${quote(`${result.project}-${result.stack}`)} {`);
  out.push(`  graph [rankdir=LR, label=${quote(model.title)}, labelloc=t, fontname="Helvetica", fontsize=16, nodesep=0.35, ranksep=0.9, newrank=true];`);
  out.push(`  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];`);
  out.push(`  edge [fontname="Helvetica", fontsize=9, color="#555555"];`);
  TIERS.forEach((tier, i) => {
    const members = model.nodes.filter((n) => tier.kinds.includes(n.kind));
    if (members.length === 0) return;
    out.push("");
    out.push(`  subgraph cluster_${i + 1} {`);
    const title = tier.title === DR_TIER && settings.disasterRecovery.enabled ? `${DR_TIER} (${settings.disasterRecovery.region})` : tier.title;
    out.push(`    label=${quote(title)};`);
    out.push(`    style="rounded,dashed"; color="#999999"; fontname="Helvetica"; fontsize=12;`);
    for (const n of members) {
      const style = STYLE[n.kind];
      const nodeStyle = style.shape === "box" ? "" : `, style="filled"`;
      out.push(`    ${quote(n.id)} [label=${quote(n.label)}, class=${quote(n.kind)}, shape=${style.shape}${nodeStyle}, fillcolor=${quote(style.fill)}];`);
    }
    out.push("  }");
  });
  out.push("");
  for (const e of model.edges) {
    const attrs = [e.label ? `label=${quote(e.label)}` : "", e.dashed ? `style="dashed"` : ""].filter(Boolean);
    out.push(`  ${quote(e.from)} -> ${quote(e.to)}${attrs.length ? ` [${attrs.join(", ")}]` : ""};`);
  }
  out.push("}");
  return out.join("\n") + "\n";
}

export interface ParsedDot {
  nodes: { id: string; cluster?: string; attrs: Record<string, string> }[];
  edges: { from: string; to: string; attrs: Record<string, string> }[];
}

const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
const NODE_LINE = new RegExp(String.raw`^\s*(${QUOTED})\s*\[(.*)\];\s*$`);
const EDGE_LINE = new RegExp(String.raw`^\s*(${QUOTED})\s*->\s*(${QUOTED})\s*(?:\[(.*)\])?;\s*$`);
const ATTR = new RegExp(String.raw`([A-Za-z_]+)=(${QUOTED}|[^,\s\]]+)`, "g");

/** The value of a DOT ID: unquoted, escapes resolved (`\n` becomes a newline). */
function unquote(text: string): string {
  if (!text.startsWith('"')) return text;
  return text.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === "n" || c === "l" || c === "r" ? "\n" : c));
}

function parseAttrs(text: string | undefined): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of (text ?? "").matchAll(ATTR)) attrs[m[1]] = unquote(m[2]);
  return attrs;
}

/**
 * Reads back the nodes (with their cluster's label) and edges of a DOT text written by
 * `architectureDot`: one statement per line. Not a general DOT parser.
 */
export function parseDot(dot: string): ParsedDot {
  const parsed: ParsedDot = { nodes: [], edges: [] };
  let cluster: string | undefined;
  let inCluster = false;
  for (const line of dot.split("\n")) {
    if (/^\s*subgraph\s+cluster/.test(line)) {
      inCluster = true;
      cluster = undefined;
      continue;
    }
    if (inCluster && /^\s*}\s*$/.test(line)) {
      inCluster = false;
      cluster = undefined;
      continue;
    }
    const label = inCluster ? new RegExp(String.raw`^\s*label=(${QUOTED});`).exec(line) : null;
    if (label) {
      cluster = unquote(label[1]);
      continue;
    }
    const edge = EDGE_LINE.exec(line);
    if (edge) {
      parsed.edges.push({ from: unquote(edge[1]), to: unquote(edge[2]), attrs: parseAttrs(edge[3]) });
      continue;
    }
    const node = NODE_LINE.exec(line);
    if (node) parsed.nodes.push({ id: unquote(node[1]), cluster, attrs: parseAttrs(node[2]) });
  }
  return parsed;
}

/**
 * How far the DOT text connects the request path: the longest prefix of `REQUEST_PATH` such that
 * some Route 53 node has an edge to a CloudFront node, that one to a WAF node, and so on. The
 * whole of `REQUEST_PATH` when a request can reach a service; shorter where the chain breaks.
 */
export function requestPathOrder(dot: string): NodeKind[] {
  const { nodes, edges } = parseDot(dot);
  const kindOf = new Map(nodes.map((n) => [n.id, n.attrs.class]));
  let frontier = nodes.filter((n) => n.attrs.class === REQUEST_PATH[0]).map((n) => n.id);
  const reached: NodeKind[] = frontier.length > 0 ? [REQUEST_PATH[0]] : [];
  for (const next of REQUEST_PATH.slice(1)) {
    const step = [...new Set(edges.filter((e) => frontier.includes(e.from) && kindOf.get(e.to) === next).map((e) => e.to))];
    if (step.length === 0) break;
    reached.push(next);
    frontier = step;
  }
  return reached;
}

/** Renders DOT text to an SVG document with Graphviz compiled to WebAssembly; throws if Graphviz fails. */
export async function renderSvg(dot: string): Promise<string> {
  // Required lazily: @viz-js/viz is Graphviz compiled to WebAssembly and bundled in the package, so
  // rendering needs neither a system Graphviz nor any download, but loading and instantiating the
  // WASM module is heavy; only callers that want SVG pay for it (building DOT stays instant).
  const { instance } = require("@viz-js/viz") as typeof import("@viz-js/viz");
  const viz = await instance();
  const rendered = viz.render(dot, { format: "svg" });
  if (rendered.status !== "success") {
    throw new Error(`Graphviz could not render the diagram: ${rendered.errors.map((e) => e.message.trim()).join("; ")}`);
  }
  return rendered.output;
}

/**
 * `renderSvg`, memoized on disk (tools/disk-cache.js) by the DOT text and the Graphviz version: the
 * diagram of an unchanged stack is not laid out again on every plan (~100 ms saved). Rendering is
 * deterministic, so a cached SVG is byte for byte the one Graphviz would produce.
 */
export async function renderSvgCached(dot: string): Promise<string> {
  const key = cacheKey([packageVersion("@viz-js/viz"), dot]);
  const cached = readCache("svg", key);
  if (cached !== undefined) return cached;
  const svg = await renderSvg(dot);
  writeCache("svg", key, svg);
  return svg;
}
