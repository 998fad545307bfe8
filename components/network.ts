import * as aws from "@pulumi/aws";
// Only awsx's ec2 module: the package root also loads its ECS, ECR and load-balancer code.
import * as awsxEc2 from "@pulumi/awsx/ec2";
import type * as awsxTypes from "@pulumi/awsx/types";
import * as pulumi from "@pulumi/pulumi";
import { parseCidr, subnetMasks } from "../stacks/aws-limits";
import { NatLayout } from "../stacks/settings";
import { AccountContext, policyDocument, PolicyDocument, serviceTrustPolicy, RoleScope } from "./iam";
import type { NetworkRef } from "./references";

export interface NetworkArgs {
  /** Where its IAM roles live and what caps them (the stack's path and boundary; see `roleScope`). */
  roles: RoleScope;
  /** Physical name prefix, `<project>-<stack>`. */
  namePrefix: string;
  /** IPv4 CIDR of the VPC (validated in stacks/). */
  vpcCidr: string;
  /** Explicit AZ names, so preview needs no AZ lookup. */
  availabilityZones: string[];
  /** One NAT gateway per AZ (prod) or a single shared one (dev). */
  natGateways: NatLayout;
  /** Flow-log aggregation interval in seconds (60 or 600). */
  flowLogAggregationSeconds: 60 | 600;
  /** Retention of the flow-log group in days. */
  logRetentionDays: number;
  /** KMS key ARN that encrypts the flow-log group. */
  kmsKeyArn: pulumi.Input<string>;
  /** AWS region of the stack (gateway endpoint service names). */
  region: string;
  /** Account context for the flow-log role's trust policy. */
  account: pulumi.Input<AccountContext>;
}

/** The awsx subnet specs for this VPC: private (tasks), public (ALB, NAT), isolated (data). */
export function subnetSpecs(vpcCidr: string, azCount: number): awsxTypes.input.ec2.SubnetSpecArgs[] {
  const parsed = parseCidr(vpcCidr);
  if (!parsed) throw new Error(`vpcCidr ${vpcCidr} is not a valid IPv4 CIDR`);
  const masks = subnetMasks(parsed.prefix, azCount);
  return [
    { type: awsxEc2.SubnetType.Private, name: "private", cidrMask: masks.private },
    { type: awsxEc2.SubnetType.Public, name: "public", cidrMask: masks.public },
    { type: awsxEc2.SubnetType.Isolated, name: "isolated", cidrMask: masks.isolated },
  ];
}

/** Gateway endpoints (free) so S3 and DynamoDB traffic from private subnets skips the NAT. */
export function gatewayEndpointSpecs(region: string): awsxTypes.input.ec2.VpcEndpointSpecArgs[] {
  return ["s3", "dynamodb"].map((service) => ({
    serviceName: `com.amazonaws.${region}.${service}`,
    vpcEndpointType: "Gateway",
  }));
}

/** What the flow-log delivery role may do: write streams into exactly one log group. */
export function flowLogPolicy(logGroupArn: string): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: [logGroupArn, `${logGroupArn}:*`],
    },
  ]);
}

/**
 * The stack's VPC: awsx `ec2.Vpc` with public, private and isolated subnets in explicit AZs, NAT
 * per AZ (prod) or single (dev), S3 and DynamoDB gateway endpoints, and VPC flow logs (all
 * traffic) to a KMS-encrypted log group. awsx builds the subnets and routes; flow logs are the
 * only part awsx does not offer, so they are written here.
 */
export class Network extends pulumi.ComponentResource implements NetworkRef {
  /** The awsx VPC component. */
  public readonly vpc: awsxEc2.Vpc;
  /** VPC id. */
  public readonly vpcId: pulumi.Output<string>;
  /** The VPC's CIDR block. */
  public readonly vpcCidr: string;
  /** Public subnets (ALB, NAT gateways), one per AZ. */
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  /** Private subnets with NAT egress (Fargate tasks), one per AZ. */
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  /** Isolated subnets without internet route (Aurora, Redis), one per AZ. */
  public readonly isolatedSubnetIds: pulumi.Output<string[]>;
  /** AZ names in subnet order. */
  public readonly availabilityZones: string[];
  /** Flow-log group name. */
  public readonly flowLogGroupName: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:network:Network", name, {}, opts);

    this.vpc = new awsxEc2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.vpcCidr,
        availabilityZoneNames: args.availabilityZones,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        subnetStrategy: awsxEc2.SubnetAllocationStrategy.Auto,
        subnetSpecs: subnetSpecs(args.vpcCidr, args.availabilityZones.length),
        subnetNameTagStrategy: awsxEc2.SubnetNameTagStrategy.AvailabilityZone,
        natGateways: {
          strategy: args.natGateways === "onePerAz" ? awsxEc2.NatGatewayStrategy.OnePerAz : awsxEc2.NatGatewayStrategy.Single,
        },
        // Auto fills the gateway endpoints' route tables from the subnets awsx creates.
        vpcEndpointStrategy: awsxEc2.VpcEndpointStrategy.Auto,
        vpcEndpointSpecs: gatewayEndpointSpecs(args.region),
        tags: { Name: `${args.namePrefix}-vpc` },
      },
      { parent: this },
    );

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      {
        name: `/vpc/${args.namePrefix}/flow-logs`,
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.kmsKeyArn,
      },
      { parent: this },
    );
    const role = new aws.iam.Role(
      `${name}-flow-logs`,
      {
        description: `VPC flow-log delivery for ${args.namePrefix}`,
        ...args.roles,
        assumeRolePolicy: pulumi.output(args.account).apply((a) => JSON.stringify(serviceTrustPolicy("vpc-flow-logs.amazonaws.com", a.accountId))),
      },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-flow-logs`,
      { role: role.id, policy: logGroup.arn.apply((arn) => JSON.stringify(flowLogPolicy(arn))) },
      { parent: this },
    );
    new aws.ec2.FlowLog(
      `${name}-flow-logs`,
      {
        vpcId: this.vpc.vpcId,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: args.flowLogAggregationSeconds,
      },
      // Delivery starts at once, as the role.
      { parent: this, dependsOn: [policy] },
    );

    // Every VPC comes with a default security group that admits its own members and lets out
    // everything; nothing here uses it (each resource in the VPC has its own group), so it is
    // adopted and emptied: the provider removes all its rules when it adopts it (CIS AWS 5.4).
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: this.vpc.vpcId, ingress: [], egress: [], tags: { Name: `${args.namePrefix}-default-closed` } },
      { parent: this },
    );

    this.vpcId = this.vpc.vpcId;
    this.vpcCidr = args.vpcCidr;
    this.publicSubnetIds = this.vpc.publicSubnetIds;
    this.privateSubnetIds = this.vpc.privateSubnetIds;
    this.isolatedSubnetIds = this.vpc.isolatedSubnetIds;
    this.availabilityZones = args.availabilityZones;
    this.flowLogGroupName = logGroup.name;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
    });
  }
}
