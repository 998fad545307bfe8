import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CATCH_ALL_RULE_PRIORITY } from "../stacks/aws-limits";
import type { RetentionPolicy } from "../stacks/retention";
import { ALB_TLS_POLICY, CLOUDFRONT_ORIGIN_PREFIX_LIST, ORIGIN_VERIFY_HEADER } from "./edge-config";
import { ServiceRoute } from "./fargate-service";
import type { NetworkRef, RecoveryRegionRef } from "./references";
import { secretReplicas } from "./recovery-region";

export interface PublicLoadBalancerArgs {
  /** Physical name prefix, `<project>-<stack>`. */
  namePrefix: string;
  /** Prefix of the children's logical names (the edge layer's name, so their URNs stay as they were). */
  base: string;
  /** The VPC: the ALB sits in its public subnets and reaches targets inside its CIDR only. */
  network: Pick<NetworkRef, "vpcId" | "vpcCidr" | "publicSubnetIds">;
  /** `origin.<domain>`, the name CloudFront reaches the ALB by (an alias record in `zoneId`). */
  originDomain: string;
  /** Route 53 zone of the origin name. */
  zoneId: pulumi.Input<string>;
  /** Certificate of the HTTPS listener (covers the origin name, and the site name when sign-in forwards Host). */
  certificateArn: pulumi.Input<string>;
  /** Open egress to the identity provider's HTTPS endpoints (authenticate-cognito). */
  signIn: boolean;
  /** Idle timeout in seconds. */
  idleTimeoutSeconds: number;
  /** Where access logs go, and what must exist before ELB checks it may write there. */
  accessLogs: { bucketId: pulumi.Input<string>; ready: pulumi.Resource };
  /** The stack's KMS key (the origin secret). */
  kmsKeyArn: pulumi.Input<string>;
  /** The DR region: the origin-verify secret is replicated there (a DR load balancer checks the same header). Default: none. */
  recovery?: RecoveryRegionRef;
  /** With a DR region: this region's own name for the ALB (`<originSubdomain>-<region>.<domain>`), which never fails over. Default: none. */
  regionalDomain?: string;
  /**
   * With a DR region: `originDomain` is a failover record pair, this region's ALB the PRIMARY
   * answer (while its health check passes) or the SECONDARY one. Default: a simple record.
   */
  failover?: { role?: "PRIMARY" | "SECONDARY"; healthCheckId?: pulumi.Input<string> };
  /**
   * The origin-verify value to require, kept elsewhere (a standby stack reads its primary's
   * replicated secret, so CloudFront's one header opens both regions). Default: generated here and
   * kept in a secret of this stack.
   */
  originToken?: pulumi.Input<string>;
  /** The stack's retention policy: deletion protection, the origin secret's recovery window. */
  retention: RetentionPolicy;
  /** Where these resources were registered before this component existed: their URNs are kept. */
  formerParent?: pulumi.Resource;
}

/**
 * The public ALB, locked to CloudFront: its security group admits only CloudFront's origin-facing
 * prefix list on 443, every listener rule requires a generated header (kept in Secrets Manager)
 * that only CloudFront sends, HTTPS with a TLS 1.3 policy, HTTP redirected, access logs, invalid
 * headers dropped; an alias record `origin.<domain>` for CloudFront to reach it by.
 */
export class PublicLoadBalancer extends pulumi.ComponentResource {
  /** ALB DNS name (reachable only from CloudFront). */
  public readonly dnsName: pulumi.Output<string>;
  /** The origin name CloudFront uses (`origin.<domain>`). */
  public readonly originDomainName: pulumi.Output<string>;
  /** The header value CloudFront must send (a secret). */
  public readonly originToken: pulumi.Output<string>;
  /** ARN of the secret holding that value (never the value); none when the value was given. */
  public readonly originSecretArn?: pulumi.Output<string>;
  /** What routed services attach to: the HTTPS listener, the ALB, its security group, the header rule. */
  public readonly route: ServiceRoute;

  constructor(name: string, args: PublicLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:edge:PublicLoadBalancer", name, {}, opts);
    const base = args.base;
    const child: pulumi.CustomResourceOptions = { parent: this, aliases: args.formerParent ? [{ parent: args.formerParent }] : [] };

    // Origin lock: a generated header value, kept in Secrets Manager, sent by CloudFront, required by the ALB.
    let token: pulumi.Output<string>;
    let originSecret: aws.secretsmanager.Secret | undefined;
    if (args.originToken !== undefined) token = pulumi.secret(args.originToken);
    else {
      const generated = new random.RandomPassword(`${base}-origin-verify`, { length: 48, special: false }, child);
      originSecret = new aws.secretsmanager.Secret(
        `${base}-origin-verify`,
        {
          name: `${args.namePrefix}/edge/origin-verify`,
          description: `Value of the ${ORIGIN_VERIFY_HEADER} header CloudFront sends to the ALB of ${args.namePrefix}`,
          kmsKeyId: args.kmsKeyArn,
          recoveryWindowInDays: args.retention.secretRecoveryDays,
          replicas: secretReplicas(args.recovery),
        },
        child,
      );
      new aws.secretsmanager.SecretVersion(`${base}-origin-verify`, { secretId: originSecret.id, secretString: generated.result }, child);
      token = generated.result;
    }

    // The ALB: public subnets, reachable on 443 only from CloudFront's origin-facing addresses.
    // One prefix-list rule costs ~55 of the default 60 rule slots, so port 80 is not opened.
    const prefixList = aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_ORIGIN_PREFIX_LIST }, { parent: this });
    const albSg = new aws.ec2.SecurityGroup(
      `${base}-alb-sg`,
      { vpcId: args.network.vpcId, description: `ALB of ${args.namePrefix}: HTTPS from CloudFront only` },
      child,
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${base}-alb-https-from-cloudfront`,
      {
        securityGroupId: albSg.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        prefixListId: prefixList.id,
        description: "HTTPS from CloudFront origin-facing",
      },
      child,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${base}-alb-to-targets`,
      { securityGroupId: albSg.id, ipProtocol: "tcp", fromPort: 1, toPort: 65535, cidrIpv4: args.network.vpcCidr, description: "to targets in the VPC" },
      child,
    );
    if (args.signIn) {
      // authenticate-cognito: the ALB itself calls the user pool's token and user-info endpoints,
      // public HTTPS endpoints without a prefix list (ALB user guide, "Authenticate users").
      new aws.vpc.SecurityGroupEgressRule(
        `${base}-alb-to-idp`,
        {
          securityGroupId: albSg.id,
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrIpv4: "0.0.0.0/0",
          description: "HTTPS to the identity provider endpoints",
        },
        child,
      );
    }
    const alb = new aws.lb.LoadBalancer(
      `${base}-alb`,
      {
        loadBalancerType: "application",
        internal: false,
        subnets: args.network.publicSubnetIds,
        securityGroups: [albSg.id],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: args.retention.deletionProtection,
        idleTimeout: args.idleTimeoutSeconds,
        enableHttp2: true,
        desyncMitigationMode: "strictest",
        accessLogs: { bucket: args.accessLogs.bucketId, prefix: "alb", enabled: true },
      },
      // ELB checks at creation that it may write the access logs.
      { ...child, dependsOn: [args.accessLogs.ready] },
    );
    const httpsListener = new aws.lb.Listener(
      `${base}-https`,
      {
        loadBalancerArn: alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: ALB_TLS_POLICY,
        certificateArn: args.certificateArn,
        defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "403", messageBody: "forbidden" } }],
      },
      child,
    );
    new aws.lb.Listener(
      `${base}-http`,
      {
        loadBalancerArn: alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      },
      child,
    );
    const originHeaderCondition = { httpHeader: { httpHeaderName: ORIGIN_VERIFY_HEADER, values: [token] } };
    // CloudFront traffic to a path no service owns gets a 404 rather than the 403 strangers get.
    new aws.lb.ListenerRule(
      `${base}-unknown-path`,
      {
        listenerArn: httpsListener.arn,
        priority: CATCH_ALL_RULE_PRIORITY,
        conditions: [originHeaderCondition],
        actions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "not found" } }],
      },
      child,
    );
    const alias = [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }];
    const role = args.failover?.role ?? "PRIMARY";
    const originRecord = new aws.route53.Record(
      role === "PRIMARY" ? `${base}-origin` : `${base}-origin-secondary`,
      {
        zoneId: args.zoneId,
        name: args.originDomain,
        type: "A",
        aliases: alias,
        ...(args.failover ? { setIdentifier: role.toLowerCase(), failoverRoutingPolicies: [{ type: role }], healthCheckId: args.failover.healthCheckId } : {}),
      },
      // A simple record and a failover pair cannot share a name: turning one into the other must
      // delete before it creates (a few seconds without the name; CloudFront retries).
      { ...child, deleteBeforeReplace: args.failover !== undefined },
    );
    if (args.regionalDomain)
      new aws.route53.Record(`${base}-origin-regional`, { zoneId: args.zoneId, name: args.regionalDomain, type: "A", aliases: alias }, child);

    this.dnsName = alb.dnsName;
    this.originDomainName = originRecord.fqdn;
    this.originToken = pulumi.secret(token);
    this.originSecretArn = originSecret?.arn;
    this.route = {
      listenerArn: httpsListener.arn,
      loadBalancerArnSuffix: alb.arnSuffix,
      loadBalancerSecurityGroupId: albSg.id,
      extraConditions: [originHeaderCondition],
    };
    this.registerOutputs({ dnsName: this.dnsName, originDomainName: this.originDomainName, originSecretArn: this.originSecretArn, route: this.route });
  }
}
