/**
 * What one component hands to another: small typed references instead of loose fields, so a
 * component says in one argument what it needs from its neighbour (and the compiler checks the
 * wiring in index.ts). Each is implemented by the component that owns the resources.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CapacityProviderStrategy } from "./compute-cluster";

/** The VPC and its subnet tiers (implemented by `Network`). */
export interface NetworkRef {
  readonly vpcId: pulumi.Output<string>;
  /** The VPC's IPv4 CIDR, known before deploy. */
  readonly vpcCidr: string;
  /** Public subnets (ALB, NAT), one per AZ. */
  readonly publicSubnetIds: pulumi.Output<string[]>;
  /** Private subnets (tasks, functions), one per AZ. */
  readonly privateSubnetIds: pulumi.Output<string[]>;
  /** Isolated subnets (data stores), one per AZ. */
  readonly isolatedSubnetIds: pulumi.Output<string[]>;
}

/** The ECS cluster services run on (implemented by `ComputeCluster`). */
export interface ClusterRef {
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;
  /** Capacity providers every service of the cluster runs on. */
  readonly capacityProviderStrategy: CapacityProviderStrategy[];
  /** The Service Connect namespace (Cloud Map), when services call each other. */
  readonly serviceConnectNamespaceArn?: pulumi.Output<string>;
}

/** A service's image repository and the record of what its pipeline last deployed (implemented by `ImageRepository`). */
export interface ImageRepositoryRef {
  readonly repositoryUrl: pulumi.Output<string>;
  readonly repositoryArn: pulumi.Output<string>;
  /** SSM parameter holding the image the pipeline last deployed. */
  readonly imageParameterName: pulumi.Output<string>;
  readonly imageParameterArn: pulumi.Output<string>;
  /** The image the service should run: the parameter's current value. */
  readonly deployedImage: pulumi.Output<string>;
  /** The parameter's twin in the DR region (same name), written with the DR registry's image. */
  readonly replicaImageParameter?: { region: string; arn: pulumi.Output<string> };
}

/** A running ECS service, for the pipeline that deploys it and the alarms that watch it (implemented by `FargateService`). */
export interface ServiceRef {
  /** ECS service name. */
  readonly serviceName: pulumi.Output<string>;
  /** Task-definition family; a deploy registers revisions of it. */
  readonly taskFamily: string;
  /** Roles a new task definition of the service uses. */
  readonly taskRoleArn: pulumi.Output<string>;
  readonly executionRoleArn: pulumi.Output<string>;
  /** Target group `targetgroup/<name>/<id>` suffix of a routed service (for its alarms). */
  readonly targetGroupArnSuffix?: pulumi.Output<string>;
}

/** The DR region: where copies of the stack's data live (implemented by `RecoveryRegion`). */
export interface RecoveryRegionRef {
  /** The region's name, e.g. `eu-central-1`. */
  readonly region: string;
  /** A provider of that region: every resource of the DR region is created through it. */
  readonly provider: pulumi.ProviderResource;
  /** The customer key of that region that encrypts every copy of data kept there. */
  readonly kmsKeyArn: pulumi.Output<string>;
}
