/**
 * `platform:partnerApi` (off by default): API Gateway in front of chosen routes, for partners that
 * need API management: per-route throttling, a Cognito JWT authorizer (client-credentials tokens of
 * one partner app client, with a scope per route), access logs to an encrypted log group, a custom
 * domain, and a private integration into the services through a VPC link (never the public edge).
 */
import { bool, int, nameList, section, str, v } from "../schema";
import type { Profiles } from "./environments";
import { DNS_LABEL } from "./names";

export const PARTNER_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

export const partnerRouteSchema = section({
  /** API Gateway path below a routed service's prefix, e.g. `/users/profiles/{id}` or `/users/{proxy+}`. */
  path: str(/^\/[a-z0-9_-]+(\/([a-z0-9_-]+|\{[a-z][A-Za-z0-9]*\+?\}))*$/, "must be a path such as /users/profiles/{id} or /users/{proxy+}"),
  /** HTTP methods of the route. */
  methods: v.pipe(v.array(v.picklist(PARTNER_METHODS, `must be a list of ${PARTNER_METHODS.join(", ")}`)), v.minLength(1, "must list at least one method")),
  /** Steady requests per second the route allows (API Gateway throttling, per stage and route; default 50). */
  rateLimit: v.optional(int(1, 10000), 50),
  /** Burst of requests the route allows above its rate (default 100). */
  burstLimit: v.optional(int(1, 5000), 100),
  /** OAuth scopes of the `partner-api` resource server a token must carry (default `read`). */
  scopes: v.optional(nameList(/^[a-z][a-z0-9._-]{0,63}$/, 5, "must be a list of up to 5 scope names such as read"), ["read"]),
});
export type PartnerRoute = v.InferOutput<typeof partnerRouteSchema>;

export const partnerApiSchema = section({
  /** Whether the stack has the partner API. */
  enabled: bool(),
  /** Its custom domain: `<subdomain>.<domain>`. */
  subdomain: str(DNS_LABEL, "must be one DNS label such as api"),
  /** The routes partners may call; each must lie below a routed service's pathPrefix. */
  routes: v.array(partnerRouteSchema, "must be a list of routes"),
});
export type PartnerApiSettings = v.InferOutput<typeof partnerApiSchema>;

const off: PartnerApiSettings = { enabled: false, subdomain: "api", routes: [] };
export const PARTNER_API_DEFAULTS: Profiles<PartnerApiSettings> = { dev: off, staging: off, prod: off };

/** The ALB path pattern a partner route reaches, e.g. `/users/profiles/{id}` -> `/users/profiles/*`. */
export function albPattern(path: string): string {
  const i = path.indexOf("{");
  return i < 0 ? path : `${path.slice(0, i)}*`;
}
