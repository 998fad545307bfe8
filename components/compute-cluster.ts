import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ContainerInsights } from "../stacks/settings";
import type { ClusterRef } from "./references";

export interface ComputeClusterArgs {
  /** Physical name prefix, `<project>-<stack>`; the cluster is named after it. */
  namePrefix: string;
  /** Container Insights level (`enhanced` in prod, `enabled` in dev). */
  containerInsights: ContainerInsights;
  /** Allow FARGATE_SPOT (dev only; validated in stacks/). */
  spot: boolean;
  /** Some service calls another: the cluster gets a Cloud Map namespace, its Service Connect default. Default: false. */
  serviceConnect?: boolean;
}

export interface CapacityProviderStrategy {
  capacityProvider: "FARGATE" | "FARGATE_SPOT";
  weight: number;
  base?: number;
}

/**
 * Where tasks run. Without Spot: all on FARGATE. With Spot: one on-demand task as a floor, the
 * rest 3:1 on FARGATE_SPOT, so a Spot reclaim never takes every task at once.
 */
export function capacityStrategy(spot: boolean): CapacityProviderStrategy[] {
  if (!spot) return [{ capacityProvider: "FARGATE", weight: 1, base: 0 }];
  return [
    { capacityProvider: "FARGATE", weight: 1, base: 1 },
    { capacityProvider: "FARGATE_SPOT", weight: 3 },
  ];
}

/** The ECS cluster all services run in, with Container Insights and Fargate capacity providers. */
export class ComputeCluster extends pulumi.ComponentResource implements ClusterRef {
  /** Cluster ARN. */
  public readonly arn: pulumi.Output<string>;
  /** Cluster name (used in autoscaling resource ids and dashboards). */
  public readonly name: pulumi.Output<string>;
  /** The capacity-provider strategy every service uses. */
  public readonly capacityProviderStrategy: CapacityProviderStrategy[];
  /** ARN of the Cloud Map namespace services call each other in (Service Connect); none without calls. */
  public readonly serviceConnectNamespaceArn?: pulumi.Output<string>;

  constructor(name: string, args: ComputeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:ComputeCluster", name, {}, opts);

    // Service Connect's namespace: an HTTP (API-only) Cloud Map namespace; callers resolve callees
    // through their Service Connect proxy, not DNS, so no private hosted zone is needed.
    const namespace = args.serviceConnect
      ? new aws.servicediscovery.HttpNamespace(
          `${name}-namespace`,
          { name: args.namePrefix, description: `Service Connect namespace of ${args.namePrefix}` },
          { parent: this },
        )
      : undefined;
    const cluster = new aws.ecs.Cluster(
      `${name}-cluster`,
      {
        name: args.namePrefix,
        settings: [{ name: "containerInsights", value: args.containerInsights }],
        serviceConnectDefaults: namespace ? { namespace: namespace.arn } : undefined,
      },
      { parent: this },
    );
    this.serviceConnectNamespaceArn = namespace?.arn;
    this.capacityProviderStrategy = capacityStrategy(args.spot);
    const providers = new aws.ecs.ClusterCapacityProviders(
      `${name}-capacity`,
      {
        clusterName: cluster.name,
        capacityProviders: args.spot ? ["FARGATE", "FARGATE_SPOT"] : ["FARGATE"],
        defaultCapacityProviderStrategies: this.capacityProviderStrategy,
      },
      { parent: this },
    );

    // Services must wait for the capacity providers to be attached (CreateService fails before,
    // and destroy fails while they are in use), so hand out the cluster's ARN and name through them.
    this.arn = pulumi.all([cluster.arn, providers.id]).apply(([arn]) => arn);
    this.name = pulumi.all([cluster.name, providers.clusterName]).apply(([n]) => n);
    this.registerOutputs({ arn: this.arn, name: this.name });
  }
}
