/**
 * Pure derivations for the edge: WAF rules, cache and origin-request policy parameters, error
 * responses, bucket policies and security headers. `EdgeLayer` turns them into resources; tests
 * call them directly.
 */
import type * as aws from "@pulumi/aws";
import { CacheKeySettings, EdgeSettings } from "../stacks/settings";
import { PolicyStatement } from "./iam";

type Input = aws.types.input.wafv2.WebAclRule;

/** Header CloudFront adds to every origin request; the ALB answers 403 without it. */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";

/** The hosted zone id CloudFront alias records point into (the same for every distribution). */
export const CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2";

/** AWS-managed prefix list of CloudFront's origin-facing addresses (weighs ~55 SG rule slots). */
export const CLOUDFRONT_ORIGIN_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";

/** TLS policy of the ALB's HTTPS listener: TLS 1.3 with TLS 1.2 fallback, modern ciphers only. */
export const ALB_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** Minimum viewer TLS at CloudFront. */
export const CLOUDFRONT_MIN_TLS = "TLSv1.2_2021";

/** AWS managed rule groups on the web ACL, in evaluation order after the rate limit. */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesSQLiRuleSet",
] as const;

function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

/**
 * Web ACL rules: known-bad IPs first (cheap), then the per-IP rate limit (blocks with 429),
 * then the common, known-bad-inputs and SQL-injection managed groups.
 */
export function wafRules(namePrefix: string, edge: Pick<EdgeSettings, "rateLimit" | "rateLimitWindowSeconds">): Input[] {
  const managed = (name: string, priority: number): Input => ({
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
    visibilityConfig: visibility(`${namePrefix}-${name}`),
  });
  return [
    managed(MANAGED_RULE_GROUPS[0], 0),
    {
      name: "rate-limit-per-ip",
      priority: 1,
      action: { block: { customResponse: { responseCode: 429 } } },
      statement: {
        rateBasedStatement: { limit: edge.rateLimit, aggregateKeyType: "IP", evaluationWindowSec: edge.rateLimitWindowSeconds },
      },
      visibilityConfig: visibility(`${namePrefix}-rate-limit`),
    },
    managed(MANAGED_RULE_GROUPS[1], 2),
    managed(MANAGED_RULE_GROUPS[2], 3),
    managed(MANAGED_RULE_GROUPS[3], 4),
  ];
}

type Whitelist<K extends string> = { [P in K]: string } & { [key: string]: unknown };

function whitelist<K extends string>(behaviorKey: K, names: string[], field: "headers" | "queryStrings" | "cookies"): Whitelist<K> {
  return (names.length === 0 ? { [behaviorKey]: "none" } : { [behaviorKey]: "whitelist", [field]: { items: [...names] } }) as Whitelist<K>;
}

/** Cache key of the API behaviors: exactly the configured headers, query strings and cookies. */
export function apiCacheKey(cacheKey: CacheKeySettings) {
  return {
    enableAcceptEncodingGzip: true,
    enableAcceptEncodingBrotli: true,
    headersConfig: whitelist("headerBehavior", cacheKey.headers, "headers"),
    queryStringsConfig: whitelist("queryStringBehavior", cacheKey.queryStrings, "queryStrings"),
    cookiesConfig: whitelist("cookieBehavior", cacheKey.cookies, "cookies"),
  };
}

/**
 * What reaches the ALB besides the cache key: the same names (CloudFront forwards cache-key values
 * anyway; Authorization may only live in the cache policy, so it is left out here).
 */
export function apiOriginRequest(cacheKey: CacheKeySettings) {
  const headers = cacheKey.headers.filter((h) => h.toLowerCase() !== "authorization");
  return {
    headersConfig: whitelist("headerBehavior", headers, "headers"),
    queryStringsConfig: whitelist("queryStringBehavior", cacheKey.queryStrings, "queryStrings"),
    cookiesConfig: whitelist("cookieBehavior", cacheKey.cookies, "cookies"),
  };
}

/** Error pages shipped in static/errors and uploaded under /errors/. */
export const ERROR_PAGES = ["502.html", "50x.html"] as const;

/** 500, 502, 503 and 504 answered with the shipped pages, cached briefly so recovery shows fast. */
export function errorResponses(errorCachingTtlSeconds: number) {
  return [500, 502, 503, 504].map((code) => ({
    errorCode: code,
    responseCode: code,
    responsePagePath: code === 502 ? "/errors/502.html" : "/errors/50x.html",
    errorCachingMinTtl: errorCachingTtlSeconds,
  }));
}

/** AWS-managed CloudFront policies for routes that must never be cached (signed-in traffic). */
export const MANAGED_CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
export const MANAGED_ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3";

/** A service route CloudFront sends to the ALB. */
export interface ApiRoute {
  pathPrefix: string;
  /** Requires Cognito sign-in at the ALB: never cached, Host and cookies forwarded. */
  signIn: boolean;
  /** Patterns below the prefix that only read: GET, HEAD and OPTIONS, failed over to the DR region. */
  readOnlyPaths?: string[];
}

export interface ApiBehavior {
  pathPattern: string;
  /** `api`: cached per the API cache policy; `personal`: uncached, everything forwarded. */
  kind: "api" | "personal";
  /** Only GET, HEAD and OPTIONS: the behavior may target an origin group. */
  readOnly: boolean;
}

/** The methods CloudFront fails over, and the only ones a behavior on an origin group may allow. */
export const READ_METHODS = ["GET", "HEAD", "OPTIONS"];
export const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];
/** Primary-origin answers that make CloudFront retry on the secondary (besides connection failures and timeouts). */
export const FAILOVER_STATUS_CODES = [500, 502, 503, 504];
/** What CloudFront accepts in an origin group's failover criteria. */
export const ALLOWED_FAILOVER_STATUS_CODES = [400, 403, 404, 416, 500, 502, 503, 504];

/**
 * The name one region's ALB is reached by, `<originSubdomain>-<region>.<domain>`: it never fails
 * over, so CloudFront's origin group and the region's health check reach exactly that region.
 * `<originSubdomain>.<domain>` is the failover name: the primary's ALB while it is healthy.
 */
export function regionalOriginDomain(originSubdomain: string, region: string, domain: string): string {
  return `${originSubdomain}-${region}.${domain}`;
}

/** Region-pinned path prefix: `/_origin/<region>/<path>` reaches `<path>` on that region's ALB only. */
export function pinnedPrefix(region: string): string {
  return `/_origin/${region}`;
}

/**
 * A CloudFront Function (viewer request) for the region-pinned behaviors: it strips the
 * `/_origin/<region>` prefix from exactly the allowed health paths and answers 404 to anything
 * else, so the pinned paths expose health checks and nothing of the API. Hand-written because it is
 * ten lines of the cloudfront-js-2.0 runtime (no library runs there).
 */
export function pinnedOriginFunctionCode(regions: string[], healthPaths: string[]): string {
  const allowed = regions.flatMap((r) => healthPaths.map((p) => [`${pinnedPrefix(r)}${p}`, p]));
  return [
    `var ALLOWED = ${JSON.stringify(Object.fromEntries(allowed))};`,
    "function handler(event) {",
    "  var request = event.request;",
    "  var target = ALLOWED[request.uri];",
    "  if (target === undefined) return { statusCode: 404, statusDescription: 'Not Found' };",
    "  request.uri = target;",
    "  return request;",
    "}",
    "",
  ].join("\n");
}

/**
 * CloudFront path patterns sent to the ALB: each routed service's prefix and everything below it.
 * Signed-in routes and the ALB's `/oauth2/*` callback are never cached and forward the viewer's
 * Host and cookies, which the ALB's authenticate-cognito action needs.
 */
export function apiBehaviors(routes: ApiRoute[]): ApiBehavior[] {
  const signIn = routes.some((r) => r.signIn);
  const kind = (r: ApiRoute) => (r.signIn ? ("personal" as const) : ("api" as const));
  return [
    ...(signIn ? [{ pathPattern: "/oauth2/*", kind: "personal" as const, readOnly: false }] : []),
    // Read-only patterns first: CloudFront takes the first behavior that matches.
    ...routes.flatMap((r) => (r.readOnlyPaths ?? []).map((pathPattern) => ({ pathPattern, kind: kind(r), readOnly: true }))),
    ...routes.flatMap((r) => [r.pathPrefix, `${r.pathPrefix}/*`].map((pathPattern) => ({ pathPattern, kind: kind(r), readOnly: false }))),
  ];
}

/** Log buckets: objects expire after the log retention; old versions and failed uploads after a week. */
export function logLifecycleRules(logRetentionDays: number) {
  return [
    {
      id: "expire-logs",
      status: "Enabled",
      filter: { prefix: "" },
      expiration: { days: logRetentionDays },
      noncurrentVersionExpiration: { noncurrentDays: 7 },
      abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
    },
  ];
}

/** Static bucket (besides TLS only): CloudFront may read objects, for this one distribution only (OAC). */
export function staticBucketStatements(bucketArn: string, distributionArn: string): PolicyStatement[] {
  return [
    {
      Sid: "CloudFrontOriginAccessControl",
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "s3:GetObject",
      Resource: `${bucketArn}/*`,
      Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
    },
  ];
}

/**
 * The regional Elastic Load Balancing accounts that deliver access logs in regions available
 * before August 2022 (ELB user guide, "Enable access logs: attach a policy to your S3 bucket").
 * Regions launched since deliver as the `logdelivery.elasticloadbalancing.amazonaws.com` service
 * principal. Kept as data here because the provider's `aws.elb.getServiceAccount` fails in the
 * newer regions.
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-southeast-3": "589379963580",
  "ap-south-1": "718504428378",
  "ap-northeast-3": "383597477331",
  "ap-northeast-2": "600734575887",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
};

/** Who delivers ALB access logs in a region: its ELB account, or the log-delivery service principal. */
export function elbLogWriter(region: string, partition: string): { AWS: string } | { Service: string } {
  const account = ELB_LOG_ACCOUNTS[region];
  return account ? { AWS: `arn:${partition}:iam::${account}:root` } : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
}

/**
 * Log bucket (besides TLS only): the region's ELB log delivery may write ALB access logs under
 * `alb/` for this account. CloudFront standard logs arrive through ACLs.
 */
export function logBucketStatements(bucketArn: string, account: { accountId: string; partition: string; region: string }): PolicyStatement[] {
  return [
    {
      Sid: "ElbWritesAlbLogs",
      Effect: "Allow",
      Principal: elbLogWriter(account.region, account.partition),
      Action: "s3:PutObject",
      Resource: `${bucketArn}/alb/AWSLogs/${account.accountId}/*`,
    },
  ];
}

/**
 * Log resource policy for vended logs (WAF): CloudWatch Logs' delivery service may create streams
 * and write events in one log group, for deliveries of this account only (CloudWatch Logs user
 * guide, "Logs sent to CloudWatch Logs").
 */
export function vendedLogsStatements(logGroupArn: string, account: { accountId: string; partition: string; region: string }): PolicyStatement[] {
  return [
    {
      Sid: "VendedLogDelivery",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${logGroupArn}:log-stream:*`,
      Condition: {
        StringEquals: { "aws:SourceAccount": account.accountId },
        ArnLike: { "aws:SourceArn": `arn:${account.partition}:logs:${account.region}:${account.accountId}:*` },
      },
    },
  ];
}

/** Security headers on every response: HSTS (2 years, preload), nosniff, DENY framing, strict referrer. */
export function securityHeaders() {
  return {
    strictTransportSecurity: { accessControlMaxAgeSec: 63072000, includeSubdomains: true, preload: true, override: true },
    contentTypeOptions: { override: true },
    frameOptions: { frameOption: "DENY", override: true },
    referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
    xssProtection: { protection: true, modeBlock: true, override: true },
  };
}
