import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RetentionPolicy } from "../stacks/retention";
import type { EdgeSettings } from "../stacks/settings";
import { DnsValidatedCertificate } from "./dns-validated-certificate";
import type { WatchedCertificate } from "./observability-config";
import { logBucketStatements, logLifecycleRules, regionalOriginDomain } from "./edge-config";
import type { ServiceRoute } from "./fargate-service";
import type { AccountContext } from "./iam";
import { PrivateBucket } from "./private-bucket";
import { PublicLoadBalancer } from "./public-load-balancer";
import type { NetworkRef } from "./references";

export interface StandbyEdgeArgs {
  /** Physical name prefix of this (standby) stack. */
  namePrefix: string;
  /** The primary's physical prefix: its origin-verify secret, replicated here, is `<primaryPrefix>/edge/origin-verify`. */
  primaryPrefix: string;
  /** The site's domain, e.g. `shop.example.com`. */
  domain: string;
  /** This region (the DR region). */
  region: string;
  /** The primary's edge settings (zone, origin subdomain, ALB timeout). */
  settings: Pick<EdgeSettings, "hostedZone" | "originSubdomain" | "albIdleTimeoutSeconds">;
  /** Some route requires sign-in: the viewer's Host is forwarded, so the certificate covers the site name too. */
  signIn: boolean;
  /** The VPC of the ALB. */
  network: Pick<NetworkRef, "vpcId" | "vpcCidr" | "publicSubnetIds">;
  /** Account context (the log bucket's policy). */
  account: pulumi.Input<AccountContext>;
  /** This stack's key. */
  kmsKeyArn: pulumi.Input<string>;
  /** This stack's retention policy (deletion protection, the log bucket). */
  retention: RetentionPolicy;
  /** Days the ALB's access logs are kept. */
  logRetentionDays: number;
}

/**
 * The DR region's way in: a public ALB locked to CloudFront exactly like the primary's (its
 * security group admits only CloudFront, every rule requires the primary's origin-verify header,
 * read from the secret replica in this region), reached by CloudFront as
 * `<originSubdomain>-<region>.<domain>` (the read origin group's second member) and as the
 * SECONDARY answer of the failover name `<originSubdomain>.<domain>`, which takes every route once
 * the primary's origin health check fails. Its certificate covers both names (and the site name for
 * signed-in routes); the validation records of the names the primary's certificates also cover are
 * the primary's (ACM gives a name the same record in every region), so this stack only lists them.
 * Route 53 is global: nothing here calls the primary's region.
 */
export class StandbyEdge extends pulumi.ComponentResource {
  /** ALB DNS name. */
  public readonly albDnsName: pulumi.Output<string>;
  /** `<originSubdomain>-<region>.<domain>`: this region's origin name. */
  public readonly originDomain: string;
  /** What routed services attach to. */
  public readonly route: ServiceRoute;
  /** The hosted zone holding the domain, for other records of the site (e-mail). */
  public readonly zoneId: pulumi.Output<string>;
  /** The origin's certificate (this region's ALB), for its expiry alarm. */
  public readonly certificates: WatchedCertificate<pulumi.Output<string>>[];

  constructor(name: string, args: StandbyEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:edge:StandbyEdge", name, {}, opts);
    const s = args.settings;
    const failoverDomain = `${s.originSubdomain}.${args.domain}`;
    const regionalDomain = regionalOriginDomain(s.originSubdomain, args.region, args.domain);
    const zoneId = aws.route53.getZoneOutput({ name: s.hostedZone, privateZone: false }, { parent: this }).zoneId;
    const theirs = [failoverDomain, ...(args.signIn ? [args.domain] : [])];
    const certificate = new DnsValidatedCertificate(
      `${name}-origin`,
      { domainNames: [regionalDomain, ...theirs], recordsWrittenElsewhere: theirs, zoneId },
      { parent: this },
    );
    const logs = new PrivateBucket(
      `${name}-logs`,
      {
        objectOwnership: "BucketOwnerEnforced",
        retention: args.retention,
        lifecycleRules: logLifecycleRules(args.logRetentionDays),
      },
      { parent: this },
    );
    const logsReady = logs.attachPolicy((arn) => pulumi.output(args.account).apply((a) => logBucketStatements(arn, a)));
    const originToken = aws.secretsmanager.getSecretVersionOutput({ secretId: `${args.primaryPrefix}/edge/origin-verify` }, { parent: this }).secretString;
    const loadBalancer = new PublicLoadBalancer(
      `${name}-load-balancer`,
      {
        namePrefix: args.namePrefix,
        base: name,
        network: args.network,
        originDomain: failoverDomain,
        regionalDomain,
        failover: { role: "SECONDARY" },
        originToken,
        zoneId,
        certificateArn: certificate.certificateArn,
        signIn: args.signIn,
        idleTimeoutSeconds: s.albIdleTimeoutSeconds,
        accessLogs: { bucketId: logs.bucket.id, ready: logsReady },
        kmsKeyArn: args.kmsKeyArn,
        retention: args.retention,
      },
      { parent: this },
    );
    this.albDnsName = loadBalancer.dnsName;
    this.zoneId = zoneId;
    this.originDomain = regionalDomain;
    this.route = loadBalancer.route;
    this.certificates = [{ name: "origin", certificateArn: certificate.certificateArn, home: "stack" }];
    this.registerOutputs({ albDnsName: this.albDnsName, originDomain: this.originDomain, route: this.route });
  }
}
