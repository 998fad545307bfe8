/** `platform:edge`: DNS, CloudFront, the WAF and the public ALB. */
import { AWS_RANGES, CLOUDFRONT_CACHE_KEY_NAMES, CLOUDFRONT_PRICE_CLASSES, WAF_RATE_WINDOWS_SECONDS } from "../aws-limits";
import { bool, int, nameList, oneOf, section, str, v } from "../schema";
import type { Profiles } from "./environments";
import { DNS_LABEL, DOMAIN, HTTP_PATH } from "./names";

export type PriceClass = (typeof CLOUDFRONT_PRICE_CLASSES)[number];

const cacheKeyNames = (pattern: RegExp, what: string) =>
  nameList(pattern, CLOUDFRONT_CACHE_KEY_NAMES, `must be a list of at most ${CLOUDFRONT_CACHE_KEY_NAMES} distinct ${what} (CloudFront's cache-policy limit)`);

export const edgeSchema = section({
  /** Route 53 public hosted zone that holds `domain`, e.g. `shop.example.com` (no default). */
  hostedZone: str(DOMAIN, "the public hosted zone that holds platform:domain, e.g. example.com"),
  /** Create the hosted zone (true) or look up an existing one (false). */
  createHostedZone: bool(),
  /** Label of the ALB's origin name under `domain`, e.g. `origin` -> `origin.<domain>`. */
  originSubdomain: str(DNS_LABEL, "must be one DNS label such as origin"),
  /** Path Route 53 health-checks through CloudFront: `https://<domain><path>` (default: the first routed service's health check). */
  healthCheckPath: str(HTTP_PATH, "must be an absolute HTTP path starting with /, e.g. /users/health"),
  /** CloudFront price class. */
  priceClass: oneOf(CLOUDFRONT_PRICE_CLASSES),
  /** Default TTL of cached API GET/HEAD responses in seconds (60-300). */
  apiCacheTtlSeconds: int(60, 300),
  /** Default TTL of static assets in seconds. */
  staticCacheTtlSeconds: int(0, 31536000),
  /** Seconds CloudFront caches a 5xx error page before asking the origin again. */
  errorCachingTtlSeconds: int(0, 300),
  /** What the API cache key (and origin request) carries; the same names are forwarded, nothing else. */
  cacheKey: section({
    /** Request headers in the cache key, e.g. `Accept-Language`. */
    headers: cacheKeyNames(/^[A-Za-z0-9-]{1,64}$/, "header names"),
    /** Query-string parameters in the cache key, e.g. `page`. */
    queryStrings: cacheKeyNames(/^[A-Za-z0-9_.~[\]-]{1,64}$/, "query-string names"),
    /** Cookies in the cache key. */
    cookies: cacheKeyNames(/^[A-Za-z0-9_.~[\]-]{1,64}$/, "cookie names"),
  }),
  /** WAF rate limit: requests per client IP per evaluation window before blocking. */
  rateLimit: int(...AWS_RANGES.wafRateLimit),
  /** WAF rate-limit evaluation window in seconds (60, 120, 300 or 600). */
  rateLimitWindowSeconds: oneOf(WAF_RATE_WINDOWS_SECONDS),
  /** ALB idle timeout in seconds (1-4000). */
  albIdleTimeoutSeconds: int(...AWS_RANGES.albIdleTimeoutSeconds),
});
export type EdgeSettings = v.InferOutput<typeof edgeSchema>;
export type CacheKeySettings = EdgeSettings["cacheKey"];

/** Edge defaults; `hostedZone` has none and `healthCheckPath` follows the services. */
export type EdgeDefaults = Omit<EdgeSettings, "hostedZone" | "healthCheckPath">;

const shared = {
  createHostedZone: false,
  originSubdomain: "origin",
  apiCacheTtlSeconds: 60,
  staticCacheTtlSeconds: 86400,
  errorCachingTtlSeconds: 10,
  rateLimitWindowSeconds: 300,
  albIdleTimeoutSeconds: 60,
} as const;
export const EDGE_DEFAULTS: Profiles<EdgeDefaults> = {
  dev: { ...shared, cacheKey: { headers: [], queryStrings: [], cookies: [] }, priceClass: "PriceClass_100", rateLimit: 1000 },
  staging: { ...shared, cacheKey: { headers: [], queryStrings: [], cookies: [] }, priceClass: "PriceClass_100", rateLimit: 1000 },
  prod: { ...shared, cacheKey: { headers: [], queryStrings: [], cookies: [] }, priceClass: "PriceClass_All", rateLimit: 2000 },
};
