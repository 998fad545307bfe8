import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RetentionPolicy } from "../stacks/retention";
import { EdgeSettings } from "../stacks/settings";
import { DnsValidatedCertificate } from "./dns-validated-certificate";
import type { WatchedCertificate } from "./observability-config";
import { PublicLoadBalancer } from "./public-load-balancer";
import { WebFirewall } from "./web-firewall";
import {
  apiCacheKey,
  apiOriginRequest,
  ALL_METHODS,
  apiBehaviors,
  ApiRoute,
  FAILOVER_STATUS_CODES,
  pinnedOriginFunctionCode,
  pinnedPrefix,
  READ_METHODS,
  regionalOriginDomain,
  CLOUDFRONT_HOSTED_ZONE_ID,
  CLOUDFRONT_MIN_TLS,
  ERROR_PAGES,
  errorResponses,
  logBucketStatements,
  logLifecycleRules,
  MANAGED_ALL_VIEWER,
  MANAGED_CACHING_DISABLED,
  ORIGIN_VERIFY_HEADER,
  securityHeaders,
  staticBucketStatements,
} from "./edge-config";
import { ServiceRoute } from "./fargate-service";
import { PrivateBucket } from "./private-bucket";
import { BucketReplica } from "./bucket-replica";
import { AccountContext, RoleScope } from "./iam";
import type { NetworkRef, RecoveryRegionRef } from "./references";

export interface EdgeLayerArgs {
  /** Physical name prefix, `<project>-<stack>`. */
  namePrefix: string;
  /** The stack's region (where the ALB is). */
  region: string;
  /**
   * The DR region: the origin secret and the static assets are replicated there, and CloudFront
   * fails over to it: static paths to the replica bucket, read-only paths to its ALB (origin
   * groups), and every path through the failover name `<originSubdomain>.<domain>`, whose
   * secondary record the DR region's standby stack writes. Default: none.
   */
  recovery?: RecoveryRegionRef;
  /** Where the replication role lives and what caps it (the stack's path and boundary). */
  roles: RoleScope;
  /** The site's domain, e.g. `shop.example.com`. */
  domain: string;
  /** Validated edge settings (zone, TTLs, cache key, WAF limit, price class, ALB timeout). */
  settings: EdgeSettings;
  /** Routed services' path prefixes (and whether they require sign-in); CloudFront sends these to the ALB. */
  apiRoutes: ApiRoute[];
  /** The stack's retention policy: ALB deletion protection, a created hosted zone's `protect`, the buckets, the origin secret's recovery window. */
  retention: RetentionPolicy;
  /** Explicit us-east-1 provider: CloudFront's certificate, the web ACL and its logs live there. */
  globalProvider: aws.Provider;
  /** KMS key in us-east-1 for the WAF log group. */
  globalKmsKeyArn: pulumi.Input<string>;
  /** The VPC of the ALB: it sits in the public subnets and reaches targets inside the VPC's CIDR only. */
  network: Pick<NetworkRef, "vpcId" | "vpcCidr" | "publicSubnetIds">;
  /** The stack's KMS key (origin secret). */
  kmsKeyArn: pulumi.Input<string>;
  /** Account context (log bucket policy). */
  account: pulumi.Input<AccountContext>;
  /** Retention of the WAF log group, in days; log-bucket objects expire after the same time. */
  logRetentionDays: number;
}

/** Where the error pages live in the repository. */
export const STATIC_ERRORS_DIR = path.join(__dirname, "..", "static", "errors");

/**
 * The request path from DNS to the load balancer. Route 53 (alias A/AAAA to CloudFront, an HTTPS
 * health check whose alarm `Observability` owns), ACM (CloudFront certificate in us-east-1, ALB certificate in the stack region),
 * CloudFront (HTTPS only, TLS 1.2_2021+, HTTP/2 and 3, IPv6, compression, static assets from a
 * private S3 bucket via origin access control, service paths to the ALB with an API cache policy,
 * security headers, custom 5xx pages, standard logs), WAFv2 (IP reputation, per-IP rate limit,
 * common / known-bad-inputs / SQLi managed rules, logging), and the public ALB (HTTPS with a TLS
 * 1.3 policy, HTTP redirect, access logs) locked to CloudFront: its security group admits only
 * CloudFront's origin-facing prefix list, and every listener rule requires a secret header that
 * CloudFront adds and that lives in Secrets Manager.
 */
export class EdgeLayer extends pulumi.ComponentResource {
  /** `https://<domain>`. */
  public readonly siteUrl: string;
  /** CloudFront distribution id. */
  public readonly distributionId: pulumi.Output<string>;
  /** CloudFront domain name (`dxxxx.cloudfront.net`). */
  public readonly distributionDomainName: pulumi.Output<string>;
  /** ALB DNS name (reachable only from CloudFront). */
  public readonly albDnsName: pulumi.Output<string>;
  /** Static-asset bucket name (deploy assets here). */
  public readonly staticBucketName: pulumi.Output<string>;
  /** Static-asset bucket ARN (the image pipeline writes thumbnails there). */
  public readonly staticBucketArn: pulumi.Output<string>;
  /** The static bucket's replication to the DR region, for its failure alarm (none without a DR region). */
  public readonly staticReplication?: BucketReplica["metrics"];
  /** Web ACL ARN. */
  public readonly webAclArn: pulumi.Output<string>;
  /** Web ACL name (WAF metrics dimension). */
  public readonly webAclName: string;
  /** Route 53 health-check id of the site. */
  public readonly healthCheckId: pulumi.Output<string>;
  /** The site's certificate (us-east-1, CloudFront's) and the origin's (the ALB's), for their expiry alarms. */
  public readonly certificates: WatchedCertificate<pulumi.Output<string>>[];
  /** The hosted zone holding the domain (looked up or created), for other records of the site (e-mail). */
  public readonly zoneId: pulumi.Output<string>;
  /** Route 53 health checks of each region's origin through CloudFront (with a DR region; else none). */
  public readonly originHealthChecks: { region: string; healthCheckId: pulumi.Output<string> }[];
  /** ARN of the secret holding the origin-verify header value (never the value). */
  public readonly originSecretArn: pulumi.Output<string>;
  /** What routed services attach to: the HTTPS listener, its ALB, its security group, the header rule. */
  public readonly route: ServiceRoute;

  constructor(name: string, args: EdgeLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:edge:EdgeLayer", name, {}, opts);
    const s = args.settings;
    const account = pulumi.output(args.account);
    const originDomain = `${s.originSubdomain}.${args.domain}`;
    // With a DR region each region's ALB also has a name of its own that never fails over.
    const regions = args.recovery ? [args.region, args.recovery.region] : [];
    const regionalDomain = args.recovery ? regionalOriginDomain(s.originSubdomain, args.region, args.domain) : undefined;

    // CloudFront's certificate, web ACL and their logs must live in us-east-1.
    const usEast1 = args.globalProvider;

    // DNS: the zone holding the domain, looked up or (when config says so) created.
    const zoneId = s.createHostedZone
      ? new aws.route53.Zone(
          `${name}-zone`,
          { name: s.hostedZone, comment: `${args.namePrefix} public zone` },
          { parent: this, protect: args.retention.protect },
        ).zoneId
      : aws.route53.getZoneOutput({ name: s.hostedZone, privateZone: false }, { parent: this }).zoneId;

    const siteCertificate = new DnsValidatedCertificate(`${name}-site`, { domainNames: [args.domain], zoneId }, { parent: this, providers: [usEast1] });
    // Signed-in routes forward the viewer's Host, so CloudFront then expects the ALB's certificate to cover the site name too.
    const signIn = args.apiRoutes.some((r) => r.signIn);
    const originCertificate = new DnsValidatedCertificate(
      `${name}-origin`,
      {
        domainNames: [originDomain, ...(signIn ? [args.domain] : []), ...(regionalDomain ? [regionalDomain] : [])],
        sharesRecordsWith: siteCertificate,
        zoneId,
      },
      { parent: this },
    );

    // Buckets: private static assets; logs (SSE-S3 as ALB log delivery requires, ACLs for CloudFront's standard logs).
    const staticBucket = new PrivateBucket(`${name}-static`, { objectOwnership: "BucketOwnerEnforced", retention: args.retention }, { parent: this });
    const logBucket = new PrivateBucket(
      `${name}-logs`,
      {
        objectOwnership: "BucketOwnerPreferred",
        retention: args.retention,
        lifecycleRules: logLifecycleRules(args.logRetentionDays),
      },
      { parent: this },
    );
    const logBucketAccess = logBucket.attachPolicy((arn) => account.apply((a) => logBucketStatements(arn, a)));
    // The static assets, replicated live to the DR region; in a new stack the shipped pages are
    // written after the replication rule exists, since S3 replicates only objects written after it.
    const staticReplica = args.recovery
      ? new BucketReplica(
          `${name}-static-dr`,
          {
            roles: args.roles,
            namePrefix: args.namePrefix,
            source: staticBucket,
            recovery: args.recovery,
            retention: args.retention,
            account,
            callerAttachesPolicy: true,
          },
          { parent: this },
        )
      : undefined;

    // Each region's origin, probed from outside through CloudFront's region-pinned path (the ALBs
    // admit only CloudFront); the primary's check decides the failover name's answer.
    const originHealthChecks = regions.map((region) => ({
      region,
      check: new aws.route53.HealthCheck(
        `${name}-origin-health-${region}`,
        {
          type: "HTTPS",
          fqdn: args.domain,
          port: 443,
          resourcePath: `${pinnedPrefix(region)}${s.healthCheckPath}`,
          enableSni: true,
          requestInterval: 30,
          failureThreshold: 3,
          measureLatency: true,
          tags: { Name: `${args.namePrefix} origin in ${region}` },
        },
        { parent: this },
      ),
    }));
    for (const page of ERROR_PAGES) {
      new aws.s3.BucketObjectv2(
        `${name}-error-${page.replace(".html", "")}`,
        {
          bucket: staticBucket.bucket.id,
          key: `errors/${page}`,
          source: new pulumi.asset.FileAsset(path.join(STATIC_ERRORS_DIR, page)),
          contentType: "text/html; charset=utf-8",
          cacheControl: "public, max-age=60",
        },
        { parent: this, dependsOn: staticReplica ? [staticReplica.configuration] : [] },
      );
    }

    // The public ALB, locked to CloudFront (its own component; its resources keep the URNs they had here).
    const loadBalancer = new PublicLoadBalancer(
      `${name}-load-balancer`,
      {
        namePrefix: args.namePrefix,
        base: name,
        network: args.network,
        originDomain,
        zoneId,
        certificateArn: originCertificate.certificateArn,
        signIn,
        idleTimeoutSeconds: s.albIdleTimeoutSeconds,
        accessLogs: { bucketId: logBucket.bucket.id, ready: logBucketAccess },
        kmsKeyArn: args.kmsKeyArn,
        retention: args.retention,
        recovery: args.recovery,
        regionalDomain,
        failover: originHealthChecks.length > 0 ? { healthCheckId: originHealthChecks[0].check.id } : undefined,
        formerParent: this,
      },
      { parent: this },
    );

    // WAF (us-east-1, scope CLOUDFRONT) with logs to an encrypted aws-waf-logs-* group there.
    const firewall = new WebFirewall(
      `${name}-firewall`,
      {
        namePrefix: args.namePrefix,
        base: name,
        settings: s,
        globalKmsKeyArn: args.globalKmsKeyArn,
        account,
        logRetentionDays: args.logRetentionDays,
        formerParent: this,
      },
      { parent: this, providers: [usEast1] },
    );

    // CloudFront: policies, origin access control, distribution.
    const apiCachePolicy = new aws.cloudfront.CachePolicy(
      `${name}-api-cache`,
      {
        name: `${args.namePrefix}-api`,
        comment: `API GET/HEAD cached ${s.apiCacheTtlSeconds}s by default`,
        minTtl: 0,
        defaultTtl: s.apiCacheTtlSeconds,
        maxTtl: 300,
        parametersInCacheKeyAndForwardedToOrigin: apiCacheKey(s.cacheKey),
      },
      { parent: this },
    );
    const staticCachePolicy = new aws.cloudfront.CachePolicy(
      `${name}-static-cache`,
      {
        name: `${args.namePrefix}-static`,
        comment: "Static assets",
        minTtl: 0,
        defaultTtl: s.staticCacheTtlSeconds,
        maxTtl: 31536000,
        parametersInCacheKeyAndForwardedToOrigin: apiCacheKey({ headers: [], queryStrings: [], cookies: [] }),
      },
      { parent: this },
    );
    const apiOriginRequestPolicy = new aws.cloudfront.OriginRequestPolicy(
      `${name}-api-origin`,
      { name: `${args.namePrefix}-api`, comment: "Forwards only what the cache key names", ...apiOriginRequest(s.cacheKey) },
      { parent: this },
    );
    const headersPolicy = new aws.cloudfront.ResponseHeadersPolicy(
      `${name}-security-headers`,
      { name: `${args.namePrefix}-security`, comment: "HSTS and security headers", securityHeadersConfig: securityHeaders() },
      { parent: this },
    );
    const oac = new aws.cloudfront.OriginAccessControl(
      `${name}-static-oac`,
      {
        name: `${args.namePrefix}-static`,
        description: "CloudFront to the static bucket",
        originAccessControlOriginType: "s3",
        signingBehavior: "always",
        signingProtocol: "sigv4",
      },
      { parent: this },
    );
    const toAlb = {
      viewerProtocolPolicy: "redirect-to-https",
      cachedMethods: ["GET", "HEAD"],
      compress: true,
      responseHeadersPolicyId: headersPolicy.id,
    };
    // The ALB origins: the failover name, and with a DR region each region's own name.
    const albOrigin = (originId: string, domainName: pulumi.Input<string>) => ({
      originId,
      domainName,
      customOriginConfig: {
        httpPort: 80,
        httpsPort: 443,
        originProtocolPolicy: "https-only",
        originSslProtocols: ["TLSv1.2"],
        originReadTimeout: 30,
        originKeepaliveTimeout: 5,
      },
      customHeaders: [{ name: ORIGIN_VERIFY_HEADER, value: loadBalancer.originToken }],
    });
    const regionalOrigin = (region: string) => `api-${region}`;
    const failover = staticReplica !== undefined;
    // Origin groups fail over GET, HEAD and OPTIONS only: CloudFront refuses them on a behavior allowing writes.
    const originGroups = failover
      ? [
          {
            originId: "static-failover",
            failoverCriteria: { statusCodes: FAILOVER_STATUS_CODES },
            members: [{ originId: "static" }, { originId: "static-dr" }],
          },
          {
            originId: "api-failover",
            failoverCriteria: { statusCodes: FAILOVER_STATUS_CODES },
            members: regions.map((r) => ({ originId: regionalOrigin(r) })),
          },
        ]
      : [];
    const pinned = failover
      ? new aws.cloudfront.Function(
          `${name}-pinned-origin`,
          {
            name: `${args.namePrefix}-pinned-origin`,
            runtime: "cloudfront-js-2.0",
            comment: "Region-pinned health paths: /_origin/<region>/<health path> only",
            code: pinnedOriginFunctionCode(regions, [s.healthCheckPath]),
            publish: true,
          },
          { parent: this },
        )
      : undefined;
    const policies = {
      api: { cachePolicyId: apiCachePolicy.id, originRequestPolicyId: apiOriginRequestPolicy.id },
      personal: { cachePolicyId: MANAGED_CACHING_DISABLED, originRequestPolicyId: MANAGED_ALL_VIEWER },
    };
    const distribution = new aws.cloudfront.Distribution(
      `${name}-cdn`,
      {
        enabled: true,
        comment: `${args.namePrefix} edge`,
        aliases: [args.domain],
        isIpv6Enabled: true,
        httpVersion: "http2and3",
        priceClass: s.priceClass,
        defaultRootObject: "index.html",
        webAclId: firewall.webAclArn,
        viewerCertificate: { acmCertificateArn: siteCertificate.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: CLOUDFRONT_MIN_TLS },
        origins: [
          { originId: "static", domainName: staticBucket.bucket.bucketRegionalDomainName, originAccessControlId: oac.id },
          albOrigin("api", loadBalancer.originDomainName),
          ...(staticReplica
            ? [{ originId: "static-dr", domainName: staticReplica.replica.bucket.bucketRegionalDomainName, originAccessControlId: oac.id }]
            : []),
          ...regions.map((r) => albOrigin(regionalOrigin(r), regionalOriginDomain(s.originSubdomain, r, args.domain))),
        ],
        originGroups,
        defaultCacheBehavior: {
          targetOriginId: failover ? "static-failover" : "static",
          viewerProtocolPolicy: "redirect-to-https",
          allowedMethods: ["GET", "HEAD", "OPTIONS"],
          cachedMethods: ["GET", "HEAD"],
          compress: true,
          cachePolicyId: staticCachePolicy.id,
          responseHeadersPolicyId: headersPolicy.id,
        },
        orderedCacheBehaviors: [
          // Region-pinned health paths: uncached, one region's ALB each, nothing but the health path.
          ...regions.map((r) => ({
            pathPattern: `${pinnedPrefix(r)}/*`,
            targetOriginId: regionalOrigin(r),
            ...toAlb,
            allowedMethods: ["GET", "HEAD"],
            cachePolicyId: MANAGED_CACHING_DISABLED,
            functionAssociations: pinned ? [{ eventType: "viewer-request", functionArn: pinned.arn }] : [],
          })),
          ...apiBehaviors(args.apiRoutes).map((b) => ({
            pathPattern: b.pathPattern,
            targetOriginId: b.readOnly && failover ? "api-failover" : "api",
            ...toAlb,
            allowedMethods: b.readOnly ? READ_METHODS : ALL_METHODS,
            ...policies[b.kind],
          })),
        ],
        customErrorResponses: errorResponses(s.errorCachingTtlSeconds),
        loggingConfig: { bucket: logBucket.bucket.bucketDomainName, prefix: "cloudfront/", includeCookies: false },
        restrictions: { geoRestriction: { restrictionType: "none" } },
      },
      // Standard logging needs the log bucket's ACLs enabled first.
      // After the log bucket's last setting: CloudFront's standard logging writes the bucket's ACL.
      { parent: this, dependsOn: [logBucketAccess] },
    );
    staticBucket.attachPolicy((arn) => distribution.arn.apply((d) => staticBucketStatements(arn, d)), staticReplica ? [staticReplica.configuration] : []);
    staticReplica?.replica.attachPolicy((arn) => distribution.arn.apply((d) => staticBucketStatements(arn, d)));

    // Site records and health check (its alarm lives with the others in Observability).
    for (const type of ["A", "AAAA"]) {
      new aws.route53.Record(
        `${name}-site-${type.toLowerCase()}`,
        { zoneId, name: args.domain, type, aliases: [{ name: distribution.domainName, zoneId: CLOUDFRONT_HOSTED_ZONE_ID, evaluateTargetHealth: false }] },
        { parent: this },
      );
    }
    const healthCheck = new aws.route53.HealthCheck(
      `${name}-health`,
      {
        type: "HTTPS",
        fqdn: args.domain,
        port: 443,
        resourcePath: s.healthCheckPath,
        enableSni: true,
        requestInterval: 30,
        failureThreshold: 3,
        measureLatency: true,
        tags: { Name: `${args.namePrefix} ${args.domain}${s.healthCheckPath}` },
      },
      { parent: this, dependsOn: [distribution] },
    );
    this.siteUrl = `https://${args.domain}`;
    this.distributionId = distribution.id;
    this.distributionDomainName = distribution.domainName;
    this.albDnsName = loadBalancer.dnsName;
    this.staticBucketName = staticBucket.bucket.bucket;
    this.staticBucketArn = staticBucket.bucket.arn;
    this.staticReplication = staticReplica?.metrics;
    this.webAclArn = firewall.webAclArn;
    this.webAclName = firewall.webAclName;
    this.healthCheckId = healthCheck.id;
    this.certificates = [
      { name: "site", certificateArn: siteCertificate.certificateArn, home: "us-east-1" },
      { name: "origin", certificateArn: originCertificate.certificateArn, home: "stack" },
    ];
    this.zoneId = pulumi.output(zoneId);
    this.originHealthChecks = originHealthChecks.map((o) => ({ region: o.region, healthCheckId: o.check.id }));
    // The edge layer never passes a token in: its load balancer always keeps the generated one in a secret.
    this.originSecretArn = loadBalancer.originSecretArn!;
    this.route = loadBalancer.route;
    this.registerOutputs({
      siteUrl: this.siteUrl,
      distributionId: this.distributionId,
      distributionDomainName: this.distributionDomainName,
      albDnsName: this.albDnsName,
      staticBucketName: this.staticBucketName,
      webAclArn: this.webAclArn,
      webAclName: this.webAclName,
      healthCheckId: this.healthCheckId,
      originSecretArn: this.originSecretArn,
      route: this.route,
    });
  }
}
