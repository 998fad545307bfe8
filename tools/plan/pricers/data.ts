/** The data tier of the monthly cost estimate: Aurora, ElastiCache, DynamoDB, EFS. */
import type { Pricer } from "../pricing";
import { n, plural } from "../pricing";

export const priceData: Pricer = ({ a, h, add, notes, ofType, settings }) => {
  const clusters = ofType("aws:rds/cluster:Cluster");
  const instances = ofType("aws:rds/clusterInstance:ClusterInstance");
  const serverless = instances.filter((i) => i.inputs.instanceClass === "db.serverless");
  const provisioned = instances.filter((i) => i.inputs.instanceClass !== "db.serverless");
  for (const cls of [...new Set(provisioned.map((i) => String(i.inputs.instanceClass)))]) {
    const count = provisioned.filter((i) => i.inputs.instanceClass === cls).length;
    const engine = String(provisioned.find((i) => i.inputs.instanceClass === cls)?.inputs.engine ?? "aurora-postgresql");
    add(`Aurora ${cls} instances`, `${engine}-${cls.replace(/\./g, "-")}-hour`, count * h, `${plural(count, "instance")} (${engine}) x ${n(h)} h`);
  }
  if (serverless.length > 0) {
    const scaling = clusters[0]?.inputs.serverlessv2ScalingConfiguration ?? {};
    const min = scaling.minCapacity ?? 0;
    const max = scaling.maxCapacity ?? Infinity;
    const acu = Math.min(Math.max(a.serverlessAverageAcu, min), max);
    add(
      "Aurora Serverless v2 capacity",
      "aurora-serverless-v2-acu-hour",
      serverless.length * acu * h,
      `${plural(serverless.length, "db.serverless instance")} x ${n(acu)} ACU average (range ${n(min)}-${n(max)}) x ${n(h)} h`,
    );
  }
  for (const cluster of clusters) {
    if (cluster.inputs.storageType === "aurora-iopt1")
      throw new Error(`cluster ${cluster.name} uses Aurora I/O-Optimized, which the price table does not cover`);
    add("Aurora storage", "aurora-storage-gb-month", a.auroraStorageGb, `${n(a.auroraStorageGb)} GB cluster volume assumed (Aurora Standard)`);
    add("Aurora I/O", "aurora-io-million", a.auroraIoMillionsPerMonth, `${n(a.auroraIoMillionsPerMonth)} million I/O requests/month assumed`);
    if (settings.database.performanceInsightsRetentionDays > 7) {
      notes.push(`Performance Insights keeps ${settings.database.performanceInsightsRetentionDays} days: retention beyond the free 7 days is not priced.`);
    }
  }

  for (const group of ofType("aws:elasticache/replicationGroup:ReplicationGroup")) {
    const nodes: number = group.inputs.numCacheClusters ?? 1;
    const nodeType = String(group.inputs.nodeType);
    const engine = String(group.inputs.engine ?? "redis");
    add(
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
    add("DynamoDB reads", "dynamodb-on-demand-read-million", a.dynamoReadMillions, `${n(a.dynamoReadMillions)} million RRU/month assumed ${over}`);
    add("DynamoDB writes", "dynamodb-on-demand-write-million", a.dynamoWriteMillions, `${n(a.dynamoWriteMillions)} million WRU/month assumed ${over}`);
  }
  if (tables.length > 0) {
    add("DynamoDB storage", "dynamodb-storage-gb-month", a.dynamoStorageGb, `${n(a.dynamoStorageGb)} GB assumed over ${plural(tables.length, "table")}`);
    const pitr = tables.filter((t) => t.inputs.pointInTimeRecovery?.enabled === true).length;
    add(
      "DynamoDB point-in-time recovery",
      "dynamodb-pitr-gb-month",
      (a.dynamoStorageGb * pitr) / tables.length,
      `${pitr} of ${plural(tables.length, "table")} with PITR, billed on their share of ${n(a.dynamoStorageGb)} GB`,
    );
  }

  // Global tables: each replica in the DR region is billed for every write again, as a replicated
  // write unit priced like a write unit (DynamoDB developer guide, "Understanding billing for global
  // tables"), and for its own storage and point-in-time recovery. Priced at the stack region's rates.
  const replicas = ofType("aws:dynamodb/tableReplica:TableReplica");
  if (replicas.length > 0 && tables.length > 0) {
    const share = replicas.length / tables.length;
    const of = `${plural(replicas.length, "replica")} of ${plural(tables.length, "table")}`;
    add(
      "DynamoDB replicated writes (DR replicas)",
      "dynamodb-on-demand-write-million",
      a.dynamoWriteMillions * share,
      `${of}: every write again, as rWRU (priced as WRU)`,
    );
    add("DynamoDB storage (DR replicas)", "dynamodb-storage-gb-month", a.dynamoStorageGb * share, `${of}: a full copy of the ${n(a.dynamoStorageGb)} GB`);
    const pitrReplicas = replicas.filter((r) => r.inputs.pointInTimeRecovery === true).length;
    add(
      "DynamoDB point-in-time recovery (DR replicas)",
      "dynamodb-pitr-gb-month",
      (a.dynamoStorageGb * pitrReplicas) / tables.length,
      `${pitrReplicas} of ${of} with PITR`,
    );
  }

  const fileSystems = ofType("aws:efs/fileSystem:FileSystem");
  add(
    "EFS storage",
    "efs-standard-storage-gb-month",
    fileSystems.length * a.efsStorageGb,
    `${plural(fileSystems.length, "file system")} x ${n(a.efsStorageGb)} GB, all in Standard storage (upper bound; IA is cheaper)`,
  );
  if (fileSystems.some((f) => f.inputs.throughputMode === "elastic")) notes.push("EFS elastic throughput is charged per GB read and written; not priced.");
  if (replicas.length > 0)
    notes.push(
      "The DR region: cross-region transfer of replicated writes, objects and images, the storage of the S3 and ECR copies, and S3 replication metrics (billed as CloudWatch custom metrics) are not priced; its replicas are priced at the stack region's rates.",
    );
  const plans = ofType("aws:backup/plan:Plan");
  if (plans.length > 0)
    notes.push(
      `AWS Backup (${plural(plans.length, "plan")}): backup storage in both vaults and the cross-region copy transfer are charged per GB; not priced.`,
    );
};
