/**
 * The wiring both region shapes share: the ECS cluster and the services on it, with their private
 * calls. A primary and a standby differ only in where a service's route and image come from.
 */
import type * as pulumi from "@pulumi/pulumi";
import { GrantTargets, grantsFor } from "../components/access";
import { ComputeCluster } from "../components/compute-cluster";
import { FargateService, MetricsCollection, ServiceRoute } from "../components/fargate-service";
import type { AccountContext, RoleScope } from "../components/iam";
import type { ImageRepositoryRef, NetworkRef } from "../components/references";
import type { MessageQueue } from "../components/message-queue";
import { Network } from "../components/network";
import { QueueFunction } from "../components/queue-function";
import { SharedFileSystem } from "../components/shared-file-system";
import { invokeStatements, queueTargetStatements, Schedules } from "../components/schedules";
import { callOrder, callPlans, ServiceCalls } from "../components/service-calls";
import { albPattern } from "../components/partner-api";
import type { ServiceSettings, Settings } from "../stacks";
import type { ObservedStack } from "../components/observability-config";

/** The stack's VPC, the same tiers in either region shape: public, private and isolated subnets, NAT, flow logs. */
export function network(settings: Settings, w: Pick<WorkloadWiring, "roles" | "account" | "kmsKeyArn">): Network {
  return new Network("network", {
    roles: w.roles,
    namePrefix: settings.namePrefix,
    region: settings.region,
    vpcCidr: settings.network.vpcCidr,
    availabilityZones: settings.availabilityZones,
    natGateways: settings.network.natGateways,
    flowLogAggregationSeconds: settings.network.flowLogAggregationSeconds,
    logRetentionDays: settings.logRetentionDays,
    kmsKeyArn: w.kmsKeyArn,
    account: w.account,
  });
}

/** The shared EFS file system, the same in either region shape: mount targets in the private subnets; none when off. */
export function sharedFileSystem(settings: Settings, net: Network, kmsKeyArn: pulumi.Input<string>): SharedFileSystem | undefined {
  if (!settings.fileSystem.enabled) return undefined;
  return new SharedFileSystem("files", {
    namePrefix: settings.namePrefix,
    settings: settings.fileSystem,
    vpcId: net.vpcId,
    subnetIds: net.privateSubnetIds,
    subnetCount: settings.availabilityZones.length,
    kmsKeyArn,
    retention: settings.retention,
  });
}

/** One QueueFunction per config entry: it consumes its queue and holds the grants it declares. */
export function queueFunctions(
  settings: Settings,
  w: Pick<WorkloadWiring, "roles" | "account" | "kmsKeyArn">,
  queues: Record<string, MessageQueue>,
  grantTargets: GrantTargets,
): QueueFunction[] {
  return settings.functions.map(
    (f) =>
      new QueueFunction(`fn-${f.name}`, {
        roles: w.roles,
        namePrefix: settings.namePrefix,
        settings: f,
        queueArn: queues[f.queue].arn,
        grants: [
          queues[f.queue].grantEventSource(f.name),
          ...grantsFor(f.name, { tables: f.access.tables, queues: f.access.queues, images: f.access.images }, grantTargets),
        ],
        account: w.account,
        kmsKeyArn: w.kmsKeyArn,
        logRetentionDays: settings.logRetentionDays,
      }),
  );
}

/** The ECS cluster, with a Service Connect namespace when some service calls another. */
export function computeCluster(settings: Settings): ComputeCluster {
  return new ComputeCluster("compute", {
    namePrefix: settings.namePrefix,
    containerInsights: settings.compute.containerInsights,
    spot: settings.compute.spot,
    serviceConnect: settings.services.some((s) => s.calls.length > 0),
  });
}

export interface WorkloadWiring {
  roles: RoleScope;
  cluster: ComputeCluster;
  network: Pick<NetworkRef, "vpcId" | "privateSubnetIds">;
  account: pulumi.Input<AccountContext>;
  kmsKeyArn: pulumi.Input<string>;
  grantTargets: GrantTargets;
  /** The load balancer's attachment, given to routed services (with sign-in where they require it). */
  route: ServiceRoute;
  /** The user pool's ALB authentication, for services that require sign-in. */
  authentication?: ServiceRoute["authentication"];
  /** Where a pipeline-managed service's image comes from; undefined: the image in config. */
  repositoryOf: (service: ServiceSettings) => Pick<ImageRepositoryRef, "deployedImage"> | undefined;
  /** The VPC's CIDR, where the partner API's VPC link sends from. Default: no partner rules. */
  partnerSourceCidr?: string;
  /** The Prometheus workspace every service's collector writes to. Default: none. */
  metrics?: Pick<MetricsCollection<pulumi.Input<string>>, "workspaceArn" | "remoteWriteUrl">;
}

/** Offset of the partner rules' listener priorities above their services' own (unique, below the catch-all). */
export const PARTNER_RULE_OFFSET = 20000;

/** The ALB path patterns of the partner routes below a service's prefix. */
export function partnerPatterns(settings: Settings, service: ServiceSettings): string[] {
  if (!settings.partnerApi.enabled || !service.pathPrefix) return [];
  return [...new Set(settings.partnerApi.routes.filter((r) => r.path.startsWith(`${service.pathPrefix}/`)).map((r) => albPattern(r.path)))];
}

/**
 * One FargateService per config entry, reaching only what it declares, in config order. Built
 * callees first (a Service Connect client resolves only the services that existed when it
 * started), then the network paths of the declared calls, and nothing else between services.
 */
export function services(settings: Settings, w: WorkloadWiring): FargateService[] {
  const plans = callPlans(settings.services);
  const built: Record<string, FargateService> = {};
  for (const service of callOrder(settings.services))
    built[service.name] = new FargateService(`${service.name}-svc`, {
      roles: w.roles,
      namePrefix: settings.namePrefix,
      service,
      scaling: settings.compute,
      cluster: w.cluster,
      network: w.network,
      account: w.account,
      kmsKeyArn: w.kmsKeyArn,
      logRetentionDays: settings.logRetentionDays,
      grants: grantsFor(service.name, service.access, w.grantTargets),
      route: service.pathPrefix ? { ...w.route, authentication: w.authentication } : undefined,
      tracing: settings.observability.tracing,
      calls: plans[service.name],
      startAfter: service.calls.map((callee) => built[callee]),
      repository: w.repositoryOf(service),
      metrics: w.metrics && {
        ...w.metrics,
        path: settings.prometheus.metricsPath,
        intervalSeconds: settings.prometheus.scrapeIntervalSeconds,
        image: settings.prometheus.collectorImage,
      },
      partner:
        w.partnerSourceCidr && service.listenerPriority !== undefined
          ? { patterns: partnerPatterns(settings, service), sourceCidr: w.partnerSourceCidr, priority: service.listenerPriority + PARTNER_RULE_OFFSET }
          : undefined,
    });
  const all = settings.services.map((s) => built[s.name]);
  if (settings.services.some((s) => s.calls.length > 0))
    new ServiceCalls("calls", {
      services: Object.fromEntries(settings.services.map((s, i) => [s.name, { name: s.name, port: s.port, securityGroupId: all[i].securityGroupId }])),
      calls: Object.fromEntries(settings.services.map((s) => [s.name, s.calls])),
    });
  return all;
}

/** The declared calls as the alarms and the dashboard watch them: each caller's ECS service name, the callee. */
export function observedCalls(settings: Settings, built: FargateService[]) {
  return settings.services.flatMap((s, i) => s.calls.map((callee) => ({ caller: s.name, callerServiceName: built[i].serviceName, callee })));
}

/** What both region shapes run, as the alarms and the dashboards watch it (a region adds its own edge and copies). */
export function observedWorkloads(
  settings: Settings,
  built: {
    cluster: ComputeCluster;
    loadBalancerArnSuffix: pulumi.Input<string>;
    services: FargateService[];
    database?: { clusterIdentifier: pulumi.Input<string>; instanceIdentifiers: pulumi.Input<string>[] };
    cache?: { nodeIds: pulumi.Input<string>[] };
    queues: Record<string, MessageQueue>;
    schedules?: Schedules;
    functions: QueueFunction[];
  },
): ObservedStack<pulumi.Input<string>> {
  const { services, queues } = built;
  return {
    namePrefix: settings.namePrefix,
    region: settings.region,
    clusterName: built.cluster.name,
    loadBalancerArnSuffix: built.loadBalancerArnSuffix,
    services: settings.services.map((s, i) => ({
      name: s.name,
      serviceName: services[i].serviceName,
      minTasks: s.minTasks,
      targetGroupArnSuffix: services[i].targetGroupArnSuffix,
    })),
    calls: observedCalls(settings, services),
    database: built.database && {
      clusterIdentifier: built.database.clusterIdentifier,
      instanceIdentifiers: built.database.instanceIdentifiers,
      readers: settings.database.readers,
      globalSecondary: settings.standby !== undefined,
    },
    cache: built.cache && { nodeIds: built.cache.nodeIds },
    queues: settings.queues.map((q) => ({ name: q.name, queueName: queues[q.name].queueName, dlqName: queues[q.name].dlqName })),
    schedules: built.schedules && { groupName: built.schedules.groupName, dlqName: built.schedules.dlqName },
    functions: observedFunctions(settings, built.functions),
  };
}

/** The stack's functions as the alarms and the dashboard watch them: name, function name, timeout. */
export function observedFunctions(settings: Settings, built: QueueFunction[]) {
  return settings.functions.map((f, i) => ({ name: f.name, functionName: built[i].functionName, timeoutSeconds: f.timeoutSeconds }));
}

/**
 * The stack's schedules (none without entries), each delivering to its queue, with the producer
 * grant every sender of that queue gets, or invoking its function.
 */
export function schedules(
  settings: Settings,
  w: Pick<WorkloadWiring, "roles" | "account" | "kmsKeyArn">,
  queues: Record<string, MessageQueue>,
  functions: QueueFunction[],
): Schedules | undefined {
  if (settings.schedules.length === 0) return undefined;
  const fn = (name: string) => functions[settings.functions.findIndex((f) => f.name === name)];
  const targets = Object.fromEntries(
    settings.schedules.map((s) => [
      s.name,
      s.queue !== undefined
        ? { arn: queues[s.queue].arn, statements: queueTargetStatements(queues[s.queue].grantAccess(`schedule-${s.name}`, "send")) }
        : { arn: fn(s.function!).arn, statements: [fn(s.function!).arn.apply((arn) => invokeStatements(arn)[0])] },
    ]),
  );
  return new Schedules("schedules", {
    roles: w.roles,
    namePrefix: settings.namePrefix,
    schedules: settings.schedules,
    targets,
    kmsKeyArn: w.kmsKeyArn,
    account: w.account,
  });
}
