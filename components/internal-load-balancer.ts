import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface InternalLoadBalancerArgs {
  /** Physical name prefix, `<project>-<stack>`. */
  namePrefix: string;
  /** VPC of the load balancer. */
  vpcId: pulumi.Input<string>;
  /** CIDR allowed to reach the listener (the VPC's own range). */
  vpcCidr: string;
  /** Private subnets, one per AZ (at least two). */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Deletion protection (prod). */
  deletionProtection: boolean;
}

/**
 * PLACEHOLDER until the edge layer lands (issue #3): an internal ALB in the private subnets with
 * one HTTP listener whose default action is a fixed 404, so routed services have a listener to
 * attach their path rules to. It is reachable only from inside the VPC and has no certificate.
 * `EdgeLayer` replaces it with the public, CloudFront-only HTTPS ALB; services take the same
 * `ServiceRoute` from it, so nothing else changes.
 */
export class InternalLoadBalancer extends pulumi.ComponentResource {
  /** ARN of the listener services attach their path rules to. */
  public readonly listenerArn: pulumi.Output<string>;
  /** `app/<name>/<id>` suffix, for request-count scaling and metrics. */
  public readonly arnSuffix: pulumi.Output<string>;
  /** DNS name (resolvable inside the VPC only). */
  public readonly dnsName: pulumi.Output<string>;
  /** The load balancer's security group. */
  public readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: InternalLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:edge:InternalLoadBalancer", name, {}, opts);

    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpcId, description: `Internal ALB of ${args.namePrefix} (placeholder for the edge layer)` },
      { parent: this },
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-http-from-vpc`,
      { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: args.vpcCidr, description: "HTTP from inside the VPC" },
      { parent: this },
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-to-targets`,
      { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 1, toPort: 65535, cidrIpv4: args.vpcCidr, description: "to targets in the VPC" },
      { parent: this },
    );
    const alb = new aws.lb.LoadBalancer(
      `${name}-alb`,
      {
        loadBalancerType: "application",
        internal: true,
        subnets: args.subnetIds,
        securityGroups: [sg.id],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: args.deletionProtection,
        idleTimeout: 60,
      },
      { parent: this },
    );
    const listener = new aws.lb.Listener(
      `${name}-http`,
      {
        loadBalancerArn: alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "not found" } }],
      },
      { parent: this },
    );

    this.listenerArn = listener.arn;
    this.arnSuffix = alb.arnSuffix;
    this.dnsName = alb.dnsName;
    this.securityGroupId = sg.id;
    this.registerOutputs({ listenerArn: this.listenerArn, dnsName: this.dnsName, securityGroupId: this.securityGroupId });
  }
}
