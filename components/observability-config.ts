/**
 * Pure builders for the observability tier: the alarm catalogue and the dashboard body, both
 * derived from one description of what the stack runs (`ObservedStack`). Generic over the value
 * type so the component passes Pulumi inputs and tests pass plain strings.
 */
import { AlarmThresholds } from "../stacks/settings";

export interface ObservedService<T> {
  /** Service name from config. */
  name: string;
  /** ECS service name. */
  serviceName: T;
  /** Autoscaling floor; fewer running tasks raise an alarm. */
  minTasks: number;
  /** Target-group ARN suffix, for routed services. */
  targetGroupArnSuffix?: T;
}

export interface ObservedQueue<T> {
  /** Queue name from config. */
  name: string;
  /** SQS queue name. */
  queueName: T;
  /** SQS dead-letter queue name. */
  dlqName: T;
}

/** An ACM certificate to watch for expiry: what it is for, its ARN, and its region (the stack's or us-east-1). */
export interface WatchedCertificate<T> {
  name: string;
  certificateArn: T;
  home: "stack" | "us-east-1";
}

/** Everything the stack runs that is worth watching. */
export interface ObservedStack<T> {
  namePrefix: string;
  /** The stack's region (us-east-1 holds CloudFront, WAF and Route 53 health metrics). */
  region: string;
  clusterName: T;
  loadBalancerArnSuffix?: T;
  services: ObservedService<T>[];
  /** The partner API (API Gateway HTTP API), for its error-rate and latency alarms. */
  partnerApi?: { apiId: T; stage: T };
  /** The stack's schedules (EventBridge Scheduler): their group and the dead-letter queue of failed deliveries. */
  schedules?: { groupName: T; dlqName: T };
  /** Private calls (Service Connect): who calls whom, with the caller's ECS service name (its client-side metrics carry it). */
  calls?: { caller: string; callerServiceName: T; callee: string }[];
  /** The Aurora cluster; `globalSecondary` when it is a global database's secondary (a standby region's). */
  database?: { clusterIdentifier: T; instanceIdentifiers: T[]; readers: number; globalSecondary?: boolean };
  cache?: { nodeIds: T[] };
  queues: ObservedQueue<T>[];
  edge?: {
    distributionId: T;
    webAclName: string;
    healthCheckId: T;
    /** With a DR region: each region's origin, probed through CloudFront's region-pinned path. */
    originHealthChecks?: { region: string; healthCheckId: T }[];
  };
  /** Lambda functions: their name in config, function name and timeout. */
  functions?: { name: string; functionName: T; timeoutSeconds: number }[];
  /** Synthetics canaries: their names and minutes between runs. */
  canaries?: { names: string[]; rateMinutes: number };
  /** ACM certificates and where each lives (a CloudFront certificate is in us-east-1). */
  certificates?: WatchedCertificate<T>[];
  /** Global tables and the DR region their replicas are in. */
  globalTables?: { region: string; tables: { name: string; tableName: T }[] };
  /** The static bucket's live replication to the DR region. */
  staticReplication?: { sourceBucket: T; destinationBucket: T; ruleId: string };
}

export type TreatMissingData = "breaching" | "notBreaching" | "missing" | "ignore";
export type Comparison = "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";

export interface MetricRef<T> {
  namespace: string;
  metricName: string;
  /** Dimension values: the stack's resources (T) or fixed strings such as CloudFront's `Global`. */
  dimensions: Record<string, T | string>;
}

export interface AlarmSpec<T> {
  /** Unique suffix of the alarm's name: `<prefix>-<key>`. */
  key: string;
  /** Where the metric lives: the stack's region or us-east-1 (global services). */
  home: "stack" | "us-east-1";
  description: string;
  /** A single metric with a statistic (`p99` style values go to extendedStatistic). */
  metric?: MetricRef<T> & { statistic: string };
  /** Metric math: `expression` over `inputs` (ids m0, m1, ...). */
  math?: { expression: string; label: string; inputs: (MetricRef<T> & { stat: string })[] };
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparison: Comparison;
  treatMissingData: TreatMissingData;
  /** Service the alarm belongs to, for its composite "degraded" alarm. */
  service?: string;
}

const MIB = 1024 * 1024;

/** Node ids ElastiCache gives the members of a non-cluster-mode replication group. */
export function cacheNodeIds(replicationGroupId: string, nodes: number): string[] {
  return Array.from({ length: nodes }, (_, i) => `${replicationGroupId}-${String(i + 1).padStart(3, "0")}`);
}

/**
 * The alarm catalogue. Missing data is chosen per alarm: error rates, latency and queue metrics
 * are absent when nothing happens, so missing is healthy (notBreaching); task counts and the site
 * health check are absent when things are broken, so missing is an alarm (breaching).
 */
export function alarmSpecs<T>(stack: ObservedStack<T>, t: AlarmThresholds): AlarmSpec<T>[] {
  const alarms: AlarmSpec<T>[] = [];
  const sustained = { period: 60, evaluationPeriods: 5, datapointsToAlarm: 3 };
  // Anything at all in five minutes is an alarm (failed deliveries, dead letters, failed replication); quiet is healthy.
  const anyInFiveMinutes = {
    period: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 0,
    comparison: "GreaterThanThreshold" as const,
    treatMissingData: "notBreaching" as const,
  };

  if (stack.loadBalancerArnSuffix !== undefined) {
    const lb = { LoadBalancer: stack.loadBalancerArnSuffix };
    const elb = (metricName: string) => ({ namespace: "AWS/ApplicationELB", metricName, dimensions: lb, stat: "Sum" });
    alarms.push({
      key: "alb-5xx-rate",
      home: "stack",
      description: `ALB 5xx responses above ${t.alb5xxPercent} % of requests`,
      math: {
        // IF, not MAX([m2, 1]): a scalar inside a metric-math array is not a documented form.
        expression: "IF(m2 > 0, 100 * (m0 + m1) / m2, 0)",
        label: "5xx %",
        inputs: [elb("HTTPCode_Target_5XX_Count"), elb("HTTPCode_ELB_5XX_Count"), elb("RequestCount")],
      },
      ...sustained,
      threshold: t.alb5xxPercent,
      comparison: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    alarms.push({
      key: "alb-p99-latency",
      home: "stack",
      description: `ALB target response time p99 above ${t.p99LatencySeconds} s`,
      metric: { namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", dimensions: lb, statistic: "p99" },
      ...sustained,
      threshold: t.p99LatencySeconds,
      comparison: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
  }

  // The partner API: its own 5xx share and p99 latency (HTTP APIs publish `5xx`, not 5XXError).
  if (stack.partnerApi) {
    const api = { ApiId: stack.partnerApi.apiId, Stage: stack.partnerApi.stage };
    alarms.push(
      {
        key: "partner-api-5xx-rate",
        home: "stack",
        description: `Partner API 5xx responses above ${t.alb5xxPercent} % of requests`,
        math: {
          expression: "IF(m1 > 0, 100 * m0 / m1, 0)",
          label: "partner API 5xx %",
          inputs: [
            { namespace: "AWS/ApiGateway", metricName: "5xx", dimensions: api, stat: "Sum" },
            { namespace: "AWS/ApiGateway", metricName: "Count", dimensions: api, stat: "Sum" },
          ],
        },
        ...sustained,
        threshold: t.alb5xxPercent,
        comparison: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      },
      {
        key: "partner-api-p99-latency",
        home: "stack",
        description: `Partner API latency p99 above ${t.p99LatencySeconds} s`,
        metric: { namespace: "AWS/ApiGateway", metricName: "Latency", dimensions: api, statistic: "p99" },
        ...sustained,
        threshold: t.p99LatencySeconds * 1000,
        comparison: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      },
    );
  }

  // Schedules: Scheduler's metrics exist per group only; a delivery that failed its retries is in
  // the dead-letter queue, one that could not even reach it (or had none) is lost.
  if (stack.schedules) {
    const group = { ScheduleGroup: stack.schedules.groupName };
    const scheduler = (key: string, metricName: string, description: string): AlarmSpec<T> => ({
      key,
      home: "stack",
      description,
      metric: { namespace: "AWS/Scheduler", metricName, dimensions: group, statistic: "Sum" },
      ...anyInFiveMinutes,
    });
    alarms.push(
      scheduler("schedules-dead-letters", "InvocationsSentToDeadLetterCount", "Scheduled deliveries failed their retries and went to the dead-letter queue"),
      scheduler(
        "schedules-lost-deliveries",
        "InvocationsFailedToBeSentToDeadLetterCount",
        "Scheduled deliveries failed and could not be sent to the dead-letter queue either: they are lost",
      ),
      scheduler("schedules-dropped", "InvocationDroppedCount", "Scheduled invocations were dropped"),
      {
        key: "schedules-dlq-messages",
        home: "stack",
        description: "The schedules' dead-letter queue holds deliveries to replay",
        metric: {
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: stack.schedules.dlqName },
          statistic: "Maximum",
        },
        ...anyInFiveMinutes,
      },
    );
  }

  // Each declared call, as its caller's Service Connect proxy sees it (client side: TargetDiscoveryName).
  for (const call of stack.calls ?? [])
    alarms.push({
      key: `${call.caller}-calls-${call.callee}-p99-latency`,
      home: "stack",
      description: `${call.caller} -> ${call.callee} (Service Connect): response time p99 above ${t.callP99LatencyMs} ms`,
      metric: {
        namespace: "AWS/ECS",
        metricName: "TargetResponseTime",
        dimensions: { ClusterName: stack.clusterName, ServiceName: call.callerServiceName, TargetDiscoveryName: call.callee },
        statistic: "p99",
      },
      ...sustained,
      threshold: t.callP99LatencyMs,
      comparison: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });

  for (const svc of stack.services) {
    const ecs = { ClusterName: stack.clusterName, ServiceName: svc.serviceName };
    const base = { home: "stack" as const, service: svc.name, ...sustained };
    for (const [what, metricName, threshold] of [
      ["cpu", "CPUUtilization", t.serviceCpuPercent],
      ["memory", "MemoryUtilization", t.serviceMemoryPercent],
    ] as const) {
      alarms.push({
        ...base,
        key: `${svc.name}-${what}-high`,
        description: `${svc.name}: average ${what === "cpu" ? "CPU" : what} above ${threshold} %`,
        metric: { namespace: "AWS/ECS", metricName, dimensions: ecs, statistic: "Average" },
        threshold,
        comparison: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
    }
    // Container Insights publishes storage in GB, used and reserved, per service: their ratio is the share in use.
    const insights = (metricName: string) => ({ namespace: "ECS/ContainerInsights", metricName, dimensions: ecs, stat: "Average" });
    alarms.push({
      ...base,
      key: `${svc.name}-storage-high`,
      description: `${svc.name}: ephemeral storage above ${t.serviceStoragePercent} % of what its tasks reserve`,
      math: {
        expression: "IF(m1 > 0, 100 * m0 / m1, 0)",
        label: "storage used %",
        inputs: [insights("EphemeralStorageUtilized"), insights("EphemeralStorageReserved")],
      },
      threshold: t.serviceStoragePercent,
      comparison: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    alarms.push({
      ...base,
      key: `${svc.name}-tasks-below-min`,
      description: `${svc.name}: fewer than ${svc.minTasks} running tasks`,
      metric: { namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount", dimensions: ecs, statistic: "Minimum" },
      threshold: svc.minTasks,
      comparison: "LessThanThreshold",
      treatMissingData: "breaching",
    });
    if (svc.targetGroupArnSuffix !== undefined && stack.loadBalancerArnSuffix !== undefined) {
      alarms.push({
        ...base,
        key: `${svc.name}-unhealthy-hosts`,
        description: `${svc.name}: unhealthy targets behind the ALB`,
        metric: {
          namespace: "AWS/ApplicationELB",
          metricName: "UnHealthyHostCount",
          dimensions: { TargetGroup: svc.targetGroupArnSuffix, LoadBalancer: stack.loadBalancerArnSuffix },
          statistic: "Maximum",
        },
        threshold: 0,
        comparison: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
    }
  }

  if (stack.database) {
    const cluster = { DBClusterIdentifier: stack.database.clusterIdentifier };
    alarms.push({
      key: "db-cpu-high",
      home: "stack",
      description: `Aurora CPU above ${t.databaseCpuPercent} %`,
      metric: { namespace: "AWS/RDS", metricName: "CPUUtilization", dimensions: cluster, statistic: "Maximum" },
      ...sustained,
      threshold: t.databaseCpuPercent,
      comparison: "GreaterThanThreshold",
      treatMissingData: "missing",
    });
    if (stack.database.readers > 0) {
      alarms.push({
        key: "db-replica-lag",
        home: "stack",
        description: `Aurora replica lag above ${t.replicaLagMs} ms`,
        metric: { namespace: "AWS/RDS", metricName: "AuroraReplicaLagMaximum", dimensions: cluster, statistic: "Maximum" },
        ...sustained,
        threshold: t.replicaLagMs,
        comparison: "GreaterThanThreshold",
        treatMissingData: "missing",
      });
    }
    // A secondary's storage lags the primary's by this much: its reads are that stale, and a failover loses it.
    if (stack.database.globalSecondary)
      alarms.push({
        key: "db-global-replication-lag",
        home: "stack",
        description: `Aurora global database: this secondary lags the primary by more than ${t.globalReplicationLatencyMs} ms`,
        metric: { namespace: "AWS/RDS", metricName: "AuroraGlobalDBReplicationLag", dimensions: cluster, statistic: "Maximum" },
        ...sustained,
        threshold: t.globalReplicationLatencyMs,
        comparison: "GreaterThanThreshold",
        treatMissingData: "missing",
      });
    stack.database.instanceIdentifiers.forEach((id, i) =>
      alarms.push({
        key: `db-${i === 0 ? "writer" : `reader-${i}`}-low-memory`,
        home: "stack",
        description: `Aurora instance freeable memory below ${t.freeableMemoryMiB} MiB`,
        metric: { namespace: "AWS/RDS", metricName: "FreeableMemory", dimensions: { DBInstanceIdentifier: id }, statistic: "Minimum" },
        ...sustained,
        threshold: t.freeableMemoryMiB * MIB,
        comparison: "LessThanThreshold",
        treatMissingData: "missing",
      }),
    );
  }

  // S3 replication of the static assets: any failed operation is an object the DR region lacks.
  if (stack.staticReplication) {
    const r = stack.staticReplication;
    alarms.push({
      key: "static-replication-failures",
      home: "stack",
      description: "S3: objects of the static bucket that failed to replicate to the DR region",
      metric: {
        namespace: "AWS/S3",
        metricName: "OperationsFailedReplication",
        dimensions: { SourceBucket: r.sourceBucket, DestinationBucket: r.destinationBucket, RuleId: r.ruleId },
        statistic: "Sum",
      },
      ...anyInFiveMinutes,
    });
  }

  // Global tables: the source region publishes each replica's latency (AWS/DynamoDB ReplicationLatency,
  // per receiving region); a replica falling behind is data the DR region would not have.
  for (const table of stack.globalTables?.tables ?? []) {
    alarms.push({
      key: `${table.name}-replication-latency`,
      home: "stack",
      description: `DynamoDB ${table.name}: replication to ${stack.globalTables!.region} above ${t.globalReplicationLatencyMs} ms`,
      metric: {
        namespace: "AWS/DynamoDB",
        metricName: "ReplicationLatency",
        dimensions: { TableName: table.tableName, ReceivingRegion: stack.globalTables!.region },
        statistic: "Average",
      },
      ...sustained,
      threshold: t.globalReplicationLatencyMs,
      comparison: "GreaterThanThreshold",
      // No writes, no data point: quiet is healthy.
      treatMissingData: "notBreaching",
    });
  }

  if (stack.cache) {
    stack.cache.nodeIds.forEach((id, i) => {
      const node = { CacheClusterId: id };
      alarms.push({
        key: `cache-node-${i + 1}-cpu-high`,
        home: "stack",
        description: `Cache node ${i + 1}: engine CPU above ${t.cacheCpuPercent} %`,
        metric: { namespace: "AWS/ElastiCache", metricName: "EngineCPUUtilization", dimensions: node, statistic: "Average" },
        ...sustained,
        threshold: t.cacheCpuPercent,
        comparison: "GreaterThanThreshold",
        treatMissingData: "missing",
      });
    });
    const primary = { CacheClusterId: stack.cache.nodeIds[0] };
    alarms.push({
      key: "cache-evictions",
      home: "stack",
      description: `Cache evicting more than ${t.cacheEvictions} keys per 5 minutes`,
      metric: { namespace: "AWS/ElastiCache", metricName: "Evictions", dimensions: primary, statistic: "Sum" },
      period: 300,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      threshold: t.cacheEvictions,
      comparison: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    alarms.push({
      key: "cache-hit-rate-low",
      home: "stack",
      description: `Cache hit rate below ${t.cacheHitRatePercent} % (target 70-80 %)`,
      metric: { namespace: "AWS/ElastiCache", metricName: "CacheHitRate", dimensions: primary, statistic: "Average" },
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: t.cacheHitRatePercent,
      comparison: "LessThanThreshold",
      treatMissingData: "notBreaching",
    });
  }

  for (const queue of stack.queues) {
    alarms.push({
      key: `${queue.name}-dlq-not-empty`,
      home: "stack",
      description: `${queue.name}: messages in the dead-letter queue`,
      metric: { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: queue.dlqName }, statistic: "Maximum" },
      period: 60,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: 0,
      comparison: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    alarms.push({
      key: `${queue.name}-oldest-message`,
      home: "stack",
      description: `${queue.name}: oldest message older than ${t.queueAgeSeconds} s`,
      metric: { namespace: "AWS/SQS", metricName: "ApproximateAgeOfOldestMessage", dimensions: { QueueName: queue.queueName }, statistic: "Maximum" },
      ...sustained,
      threshold: t.queueAgeSeconds,
      comparison: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
  }

  // Every function: its error share, throttles (reserved concurrency too low for the queue) and a slow tail near its timeout.
  for (const f of stack.functions ?? []) {
    const fn = { FunctionName: f.functionName };
    const lambda = (metricName: string, stat: string) => ({ namespace: "AWS/Lambda", metricName, dimensions: fn, stat });
    alarms.push(
      {
        key: `fn-${f.name}-errors`,
        home: "stack",
        description: `Function ${f.name}: errors above ${t.functionErrorPercent} % of invocations`,
        math: { expression: "IF(m1 > 0, 100 * m0 / m1, 0)", label: "errors %", inputs: [lambda("Errors", "Sum"), lambda("Invocations", "Sum")] },
        ...sustained,
        threshold: t.functionErrorPercent,
        comparison: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      },
      {
        key: `fn-${f.name}-throttles`,
        home: "stack",
        description: `Function ${f.name}: invocations throttled (its reserved concurrency is too low for its queue)`,
        metric: { namespace: "AWS/Lambda", metricName: "Throttles", dimensions: fn, statistic: "Sum" },
        ...sustained,
        threshold: 0,
        comparison: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      },
      {
        key: `fn-${f.name}-duration-near-timeout`,
        home: "stack",
        description: `Function ${f.name}: duration p90 above ${t.functionDurationPercentOfTimeout} % of its ${f.timeoutSeconds} s timeout`,
        metric: { namespace: "AWS/Lambda", metricName: "Duration", dimensions: fn, statistic: "p90" },
        // AWS's recommended Duration alarm: p90 over 15 minutes.
        period: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        threshold: (f.timeoutSeconds * 1000 * t.functionDurationPercentOfTimeout) / 100,
        comparison: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      },
    );
  }

  // Canaries: a failed run is a SuccessPercent of 0 for its period; 3 of 5 keeps one flaky run from paging.
  // Missing data is not a failure: a new canary has no run yet, and the provider stops and restarts
  // a canary around every update (a stopped canary shows as a gap on the dashboard).
  if (stack.canaries) {
    const period = Math.max(60, stack.canaries.rateMinutes * 60);
    for (const canary of stack.canaries.names) {
      const dims = { CanaryName: canary };
      alarms.push(
        {
          key: `canary-${canary}-success`,
          home: "stack",
          description: `Canary ${canary}: successful runs below ${t.canarySuccessPercent} % (the site fails from outside)`,
          metric: { namespace: "CloudWatchSynthetics", metricName: "SuccessPercent", dimensions: dims, statistic: "Average" },
          period,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          threshold: t.canarySuccessPercent,
          comparison: "LessThanThreshold",
          treatMissingData: "notBreaching",
        },
        {
          key: `canary-${canary}-duration`,
          home: "stack",
          description: `Canary ${canary}: a run takes more than ${t.canaryDurationMs} ms`,
          metric: { namespace: "CloudWatchSynthetics", metricName: "Duration", dimensions: dims, statistic: "Average" },
          period,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          threshold: t.canaryDurationMs,
          comparison: "GreaterThanThreshold",
          treatMissingData: "notBreaching",
        },
      );
    }
  }

  // Certificates: ACM publishes DaysToExpiry in the certificate's region (how often is not documented,
  // so a day without a point leaves the state as it was rather than alarming).
  for (const c of stack.certificates ?? [])
    alarms.push({
      key: `certificate-${c.name}-expiry`,
      home: c.home,
      description: `ACM certificate ${c.name}: ${t.certificateExpiryDays} days or fewer to expiry, so its managed renewal has failed`,
      metric: { namespace: "AWS/CertificateManager", metricName: "DaysToExpiry", dimensions: { CertificateArn: c.certificateArn }, statistic: "Minimum" },
      period: 86400,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: t.certificateExpiryDays,
      comparison: "LessThanOrEqualToThreshold",
      treatMissingData: "missing",
    });

  if (stack.edge) {
    const distribution = { DistributionId: stack.edge.distributionId, Region: "Global" };
    alarms.push({
      key: "cdn-cache-hit-rate-low",
      home: "us-east-1",
      description: `CloudFront cache hit rate below ${t.cdnCacheHitRatePercent} % with at least ${t.cdnCacheHitMinRequests} requests in 5 minutes`,
      math: {
        // Below the traffic floor the rate is not judged: 100 stands for "no verdict".
        expression: `IF(m1 >= ${t.cdnCacheHitMinRequests}, m0, 100)`,
        label: "cache hit % (judged)",
        inputs: [
          { namespace: "AWS/CloudFront", metricName: "CacheHitRate", dimensions: distribution, stat: "Average" },
          { namespace: "AWS/CloudFront", metricName: "Requests", dimensions: distribution, stat: "Sum" },
        ],
      },
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: t.cdnCacheHitRatePercent,
      comparison: "LessThanThreshold",
      treatMissingData: "notBreaching",
    });
    alarms.push({
      key: "cdn-5xx-rate",
      home: "us-east-1",
      description: `CloudFront 5xx error rate above ${t.cdn5xxPercent} %`,
      metric: {
        namespace: "AWS/CloudFront",
        metricName: "5xxErrorRate",
        dimensions: { DistributionId: stack.edge.distributionId, Region: "Global" },
        statistic: "Average",
      },
      ...sustained,
      threshold: t.cdn5xxPercent,
      comparison: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    // A Route 53 health check failing two of three minutes (its metric exists only in us-east-1).
    const healthCheckAlarm = (key: string, description: string, healthCheckId: T): AlarmSpec<T> => ({
      key,
      home: "us-east-1",
      description,
      metric: { namespace: "AWS/Route53", metricName: "HealthCheckStatus", dimensions: { HealthCheckId: healthCheckId }, statistic: "Minimum" },
      period: 60,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      threshold: 1,
      comparison: "LessThanThreshold",
      treatMissingData: "breaching",
    });
    alarms.push(healthCheckAlarm("site-health-check", "Route 53 health check of the site failing", stack.edge.healthCheckId));
    for (const origin of stack.edge.originHealthChecks ?? [])
      alarms.push(
        healthCheckAlarm(
          `origin-health-${origin.region}`,
          `Route 53 health check of the origin in ${origin.region} failing: CloudFront's failover target there is not serving`,
          origin.healthCheckId,
        ),
      );
  }
  return alarms;
}

/** Composite alarm rule per service: degraded when any of its own alarms fires. */
export function degradedRules(namePrefix: string, alarms: AlarmSpec<unknown>[]): { service: string; rule: string }[] {
  const byService = new Map<string, string[]>();
  for (const a of alarms) if (a.service) byService.set(a.service, [...(byService.get(a.service) ?? []), `ALARM("${namePrefix}-${a.key}")`]);
  return [...byService].map(([service, parts]) => ({ service, rule: parts.join(" OR ") }));
}

type Widget = Record<string, unknown>;

function metricWidget(title: string, region: string, metrics: unknown[][], extra: Record<string, unknown> = {}): Widget {
  return { type: "metric", width: 12, height: 6, properties: { title, region, view: "timeSeries", period: 60, metrics, ...extra } };
}

function header(text: string): Widget {
  return { type: "text", width: 24, height: 1, properties: { markdown: `## ${text}` } };
}

/**
 * The stack's dashboard: one row group per tier, every service, data store, queue and edge
 * resource in `stack` gets its widgets. Returns the CloudWatch dashboard body.
 */
export function dashboardBody(stack: ObservedStack<string>): { widgets: Widget[] } {
  const r = stack.region;
  const widgets: Widget[] = [];
  const lb = stack.loadBalancerArnSuffix;

  if (lb) {
    widgets.push(header("Load balancer"));
    widgets.push(
      metricWidget("Requests and error rates", r, [
        ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", lb, { id: "req", stat: "Sum", label: "requests" }],
        ["AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", "LoadBalancer", lb, { id: "e4", stat: "Sum", visible: false }],
        ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", lb, { id: "e5", stat: "Sum", visible: false }],
        ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", lb, { id: "elb5", stat: "Sum", visible: false }],
        [{ expression: "IF(req > 0, 100 * e4 / req, 0)", label: "4xx %", id: "r4", yAxis: "right" }],
        [{ expression: "IF(req > 0, 100 * (e5 + elb5) / req, 0)", label: "5xx %", id: "r5", yAxis: "right" }],
      ]),
    );
    widgets.push(
      metricWidget(
        "Target response time",
        r,
        ["p50", "p90", "p99"].map((stat) => ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", lb, { stat, label: stat }]),
      ),
    );
    const routed = stack.services.filter((s) => s.targetGroupArnSuffix);
    widgets.push(
      metricWidget(
        "Healthy / unhealthy hosts",
        r,
        routed.flatMap((s) => [
          [
            "AWS/ApplicationELB",
            "HealthyHostCount",
            "TargetGroup",
            s.targetGroupArnSuffix,
            "LoadBalancer",
            lb,
            { stat: "Minimum", label: `${s.name} healthy` },
          ],
          [
            "AWS/ApplicationELB",
            "UnHealthyHostCount",
            "TargetGroup",
            s.targetGroupArnSuffix,
            "LoadBalancer",
            lb,
            { stat: "Maximum", label: `${s.name} unhealthy` },
          ],
        ]),
      ),
    );
  }

  if (stack.services.length > 0) widgets.push(header("Services"));
  for (const s of stack.services) {
    const dims = ["ClusterName", stack.clusterName, "ServiceName", s.serviceName];
    widgets.push(
      metricWidget(`${s.name}: CPU and memory`, r, [
        ["AWS/ECS", "CPUUtilization", ...dims, { stat: "Average", label: "CPU %" }],
        ["AWS/ECS", "MemoryUtilization", ...dims, { stat: "Average", label: "memory %" }],
      ]),
    );
    widgets.push(
      metricWidget(`${s.name}: ephemeral storage (GB) and network (bytes/s)`, r, [
        ["ECS/ContainerInsights", "EphemeralStorageUtilized", ...dims, { stat: "Average", label: "storage used GB" }],
        ["ECS/ContainerInsights", "EphemeralStorageReserved", ...dims, { stat: "Average", label: "storage reserved GB" }],
        ["ECS/ContainerInsights", "NetworkRxBytes", ...dims, { stat: "Average", label: "network in B/s", yAxis: "right" }],
        ["ECS/ContainerInsights", "NetworkTxBytes", ...dims, { stat: "Average", label: "network out B/s", yAxis: "right" }],
      ]),
    );
    widgets.push(
      metricWidget(`${s.name}: running vs desired tasks`, r, [
        ["ECS/ContainerInsights", "RunningTaskCount", ...dims, { stat: "Average", label: "running" }],
        ["ECS/ContainerInsights", "DesiredTaskCount", ...dims, { stat: "Average", label: "desired" }],
      ]),
    );
  }

  if (stack.partnerApi) {
    const a = ["ApiId", stack.partnerApi.apiId, "Stage", stack.partnerApi.stage];
    widgets.push(header("Partner API"));
    widgets.push(
      metricWidget("Partner API requests, 4xx, 5xx and p99 latency", r, [
        ["AWS/ApiGateway", "Count", ...a, { stat: "Sum", label: "requests" }],
        ["AWS/ApiGateway", "4xx", ...a, { stat: "Sum", label: "4xx (incl. throttled and unauthorized)" }],
        ["AWS/ApiGateway", "5xx", ...a, { stat: "Sum", label: "5xx" }],
        ["AWS/ApiGateway", "Latency", ...a, { stat: "p99", label: "p99 ms", yAxis: "right" }],
      ]),
    );
  }

  if (stack.schedules) {
    const g = ["ScheduleGroup", stack.schedules.groupName];
    widgets.push(header("Schedules (EventBridge Scheduler)"));
    widgets.push(
      metricWidget("Scheduled invocations, target errors, dead letters", r, [
        ["AWS/Scheduler", "InvocationAttemptCount", ...g, { stat: "Sum", label: "attempts" }],
        ["AWS/Scheduler", "TargetErrorCount", ...g, { stat: "Sum", label: "target errors" }],
        ["AWS/Scheduler", "InvocationsSentToDeadLetterCount", ...g, { stat: "Sum", label: "to the DLQ" }],
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", stack.schedules.dlqName, { stat: "Maximum", label: "in the DLQ", yAxis: "right" }],
      ]),
    );
  }

  const calls = stack.calls ?? [];
  if (calls.length > 0) {
    widgets.push(header("Service calls (Service Connect)"));
    widgets.push(
      metricWidget(
        "Call response time p99 (ms), per caller -> callee",
        r,
        calls.map((c) => [
          "AWS/ECS",
          "TargetResponseTime",
          "ClusterName",
          stack.clusterName,
          "ServiceName",
          c.callerServiceName,
          "TargetDiscoveryName",
          c.callee,
          { stat: "p99", label: `${c.caller} -> ${c.callee}` },
        ]),
      ),
    );
    const callees = [...new Set(calls.map((c) => c.callee))];
    widgets.push(
      metricWidget(
        "Requests and 5xx per callee",
        r,
        callees.flatMap((callee) => {
          const svc = stack.services.find((s) => s.name === callee);
          return [
            [
              "AWS/ECS",
              "RequestCount",
              "ClusterName",
              stack.clusterName,
              "ServiceName",
              svc?.serviceName ?? callee,
              "DiscoveryName",
              callee,
              { stat: "Sum", label: `${callee} requests` },
            ],
            ["AWS/ECS", "HTTPCode_Target_5XX_Count", "TargetDiscoveryName", callee, { stat: "Sum", label: `${callee} 5xx (callers' view)` }],
          ];
        }),
      ),
    );
  }

  if (stack.database) {
    const c = ["DBClusterIdentifier", stack.database.clusterIdentifier];
    widgets.push(header("Aurora PostgreSQL"));
    widgets.push(
      metricWidget("CPU and connections", r, [
        ["AWS/RDS", "CPUUtilization", ...c, { stat: "Maximum", label: "CPU %" }],
        ["AWS/RDS", "DatabaseConnections", ...c, { stat: "Sum", label: "connections", yAxis: "right" }],
      ]),
    );
    widgets.push(
      metricWidget("Freeable memory and replica lag", r, [
        ...stack.database.instanceIdentifiers.map((id) => ["AWS/RDS", "FreeableMemory", "DBInstanceIdentifier", id, { stat: "Minimum", label: `${id} free` }]),
        ["AWS/RDS", "AuroraReplicaLagMaximum", ...c, { stat: "Maximum", label: "replica lag ms", yAxis: "right" }],
      ]),
    );
    widgets.push(
      metricWidget("Read / write latency", r, [
        ["AWS/RDS", "ReadLatency", ...c, { stat: "Average", label: "read s" }],
        ["AWS/RDS", "WriteLatency", ...c, { stat: "Average", label: "write s" }],
      ]),
    );
  }

  if (stack.cache) {
    widgets.push(header("Cache"));
    const nodes = stack.cache.nodeIds;
    const perNode = (metric: string, stat: string) => nodes.map((id) => ["AWS/ElastiCache", metric, "CacheClusterId", id, { stat, label: `${id} ${metric}` }]);
    widgets.push(metricWidget("CPU and engine CPU", r, [...perNode("CPUUtilization", "Average"), ...perNode("EngineCPUUtilization", "Average")]));
    widgets.push(metricWidget("Memory and evictions", r, [...perNode("DatabaseMemoryUsagePercentage", "Average"), ...perNode("Evictions", "Sum")]));
    widgets.push(metricWidget("Cache hit rate", r, perNode("CacheHitRate", "Average"), { yAxis: { left: { min: 0, max: 100 } } }));
  }

  if (stack.queues.length > 0) widgets.push(header("Queues"));
  for (const q of stack.queues) {
    widgets.push(
      metricWidget(`${q.name}: backlog, age and DLQ`, r, [
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q.queueName, { stat: "Maximum", label: "visible" }],
        ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", q.queueName, { stat: "Maximum", label: "oldest s", yAxis: "right" }],
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q.dlqName, { stat: "Maximum", label: "DLQ depth" }],
      ]),
    );
  }

  const functions = stack.functions ?? [];
  if (functions.length > 0) widgets.push(header("Functions"));
  for (const f of functions) {
    const fn = ["FunctionName", f.functionName];
    widgets.push(
      metricWidget(`${f.name}: invocations, errors, throttles and duration`, r, [
        ["AWS/Lambda", "Invocations", ...fn, { stat: "Sum", label: "invocations" }],
        ["AWS/Lambda", "Errors", ...fn, { stat: "Sum", label: "errors" }],
        ["AWS/Lambda", "Throttles", ...fn, { stat: "Sum", label: "throttles" }],
        ["AWS/Lambda", "Duration", ...fn, { stat: "p90", label: `p90 ms (timeout ${f.timeoutSeconds * 1000})`, yAxis: "right" }],
      ]),
    );
  }

  if (stack.canaries) {
    const names = stack.canaries.names;
    widgets.push(header("Synthetic checks (canaries, from outside)"));
    widgets.push(
      metricWidget(
        "Canary success %",
        r,
        names.map((n) => ["CloudWatchSynthetics", "SuccessPercent", "CanaryName", n, { stat: "Average", label: n }]),
        {
          period: Math.max(60, stack.canaries.rateMinutes * 60),
          yAxis: { left: { min: 0, max: 100 } },
        },
      ),
    );
    widgets.push(
      metricWidget(
        "Canary run duration (ms)",
        r,
        names.map((n) => ["CloudWatchSynthetics", "Duration", "CanaryName", n, { stat: "Average", label: n }]),
        {
          period: Math.max(60, stack.canaries.rateMinutes * 60),
        },
      ),
    );
  }

  const certificates = stack.certificates ?? [];
  if (certificates.length > 0) {
    widgets.push(header("Certificates"));
    for (const home of ["stack", "us-east-1"] as const) {
      const mine = certificates.filter((c) => c.home === home);
      if (mine.length > 0)
        widgets.push(
          metricWidget(
            `Days to expiry (${home === "stack" ? r : "us-east-1"})`,
            home === "stack" ? r : "us-east-1",
            mine.map((c) => ["AWS/CertificateManager", "DaysToExpiry", "CertificateArn", c.certificateArn, { stat: "Minimum", label: c.name }]),
            { period: 86400 },
          ),
        );
    }
  }

  if (stack.edge) {
    const d = ["DistributionId", stack.edge.distributionId, "Region", "Global"];
    widgets.push(header("Edge"));
    widgets.push(
      metricWidget("CloudFront requests, cache hit rate and 5xx rate", "us-east-1", [
        ["AWS/CloudFront", "Requests", ...d, { stat: "Sum", label: "requests" }],
        ["AWS/CloudFront", "CacheHitRate", ...d, { stat: "Average", label: "cache hit %", yAxis: "right" }],
        ["AWS/CloudFront", "5xxErrorRate", ...d, { stat: "Average", label: "5xx %", yAxis: "right" }],
      ]),
    );
    widgets.push(
      metricWidget("WAF allowed vs blocked", "us-east-1", [
        ["AWS/WAFV2", "AllowedRequests", "WebACL", stack.edge.webAclName, "Rule", "ALL", { stat: "Sum", label: "allowed" }],
        ["AWS/WAFV2", "BlockedRequests", "WebACL", stack.edge.webAclName, "Rule", "ALL", { stat: "Sum", label: "blocked" }],
      ]),
    );
    const origins = stack.edge.originHealthChecks ?? [];
    if (origins.length > 0)
      widgets.push(
        metricWidget(
          "Origin health per region (1 = healthy)",
          "us-east-1",
          origins.map((o) => ["AWS/Route53", "HealthCheckStatus", "HealthCheckId", o.healthCheckId, { stat: "Minimum", label: o.region }]),
        ),
      );
  }
  return { widgets };
}
