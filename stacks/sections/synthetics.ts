/**
 * `platform:synthetics`: the design's blackbox checks, CloudWatch Synthetics canaries probing the
 * public site from outside: one per routed service on its health path, and one journey of steps
 * (a static page, then an API read) in one run. Artifacts go to an encrypted private bucket.
 */
import { bool, int, section, str, v } from "../schema";
import type { Profiles } from "./environments";
import { HTTP_PATH, RESOURCE_NAME, RESOURCE_NAME_ALLOWED } from "./names";

/**
 * The Node.js runtimes without a browser (`syn-nodejs-<major>.<minor>`): the checks are HTTPS
 * requests, and the browser layers of the Puppeteer and Playwright runtimes would only add start time.
 */
export const SYNTHETICS_RUNTIME = /^syn-nodejs-(\d+)\.(\d+)$/;

export const journeyStepSchema = section({
  /** Step name, as the canary's log and failure message name it. */
  name: str(RESOURCE_NAME, RESOURCE_NAME_ALLOWED),
  /** Path on the site, e.g. `/` (the static page) or `/users/health`. */
  path: str(HTTP_PATH, "must be an absolute HTTP path starting with /, e.g. /users/health"),
});
export type JourneyStep = v.InferOutput<typeof journeyStepSchema>;

export const syntheticsSchema = section({
  /** Whether the stack runs canaries (a standby runs none: they probe the primary's public site). */
  enabled: bool(),
  /** Synthetics runtime, `syn-nodejs-<major>.<minor>` (no browser); check `aws synthetics describe-runtime-versions`. */
  runtimeVersion: str(SYNTHETICS_RUNTIME, "must be a browserless Node.js Synthetics runtime, syn-nodejs-<major>.<minor> such as syn-nodejs-4.1"),
  /** Minutes between runs of each canary (1-60). */
  rateMinutes: int(1, 60),
  /** Seconds a run may take, 3-840 and at most the time between runs. */
  timeoutSeconds: int(3, 840),
  /** The journey canary's steps, in order (1-10): each must answer 2xx or 3xx. */
  journey: v.pipe(
    v.array(journeyStepSchema, "must be a list of {name, path} steps"),
    v.minLength(1, "must list at least one step"),
    v.maxLength(10, "must list at most 10 steps"),
    v.check((steps) => new Set(steps.map((s) => s.name)).size === steps.length, "must not repeat a step name"),
  ),
  /** Days Synthetics keeps the data of successful and failed runs (1-455); the bucket expires artifacts after the longer. */
  successRetentionDays: int(1, 455),
  failureRetentionDays: int(1, 455),
});
export type SyntheticsSettings = v.InferOutput<typeof syntheticsSchema>;

/** Defaults; `journey` follows the site (the static page, then the site health check's API read). */
export type SyntheticsDefaults = Omit<SyntheticsSettings, "journey">;

const shared = { enabled: true, runtimeVersion: "syn-nodejs-4.1", timeoutSeconds: 30, successRetentionDays: 7, failureRetentionDays: 31 };
export const SYNTHETICS_DEFAULTS: Profiles<SyntheticsDefaults> = {
  // Every 10 minutes: dev is watched, not paged, and a run costs the same in every environment.
  dev: { ...shared, rateMinutes: 10 },
  staging: { ...shared, rateMinutes: 5 },
  // Every minute, as the design's blackbox checks ask.
  prod: { ...shared, rateMinutes: 1 },
};

/** Synthetics names the canary's Lambda log group and role after the name's first 21 characters only. */
export const CANARY_NAME_SIGNIFICANT = 21;

export interface CanaryCheck {
  /**
   * The canary's name, `<service>-<prefix>` or `journey-<prefix>`: what tells canaries apart comes
   * first, as Synthetics names their log groups after the first 21 characters (a service name is
   * at most 16), and lower case, as it requires.
   */
  name: string;
  /** The service it probes (its health check), or `journey`. */
  subject: string;
  /** Paths requested in order, each expected to answer 2xx or 3xx (a health step: 2xx only). */
  steps: (JourneyStep & { only2xx?: boolean })[];
}

/**
 * The stack's canaries: one per routed service on its health path through the site, and the
 * journey. A service that requires sign-in gets none: the ALB answers its paths with a redirect to
 * the sign-in page before the service sees them, so a canary would see the redirect, not the
 * service (its target-health alarm watches it from inside). A health step must answer 2xx.
 */
export function canaryChecks(
  namePrefix: string,
  services: readonly { name: string; pathPrefix?: string; healthCheckPath: string; requireSignIn?: boolean }[],
  synthetics: Pick<SyntheticsSettings, "enabled" | "journey">,
): CanaryCheck[] {
  if (!synthetics.enabled) return [];
  const health = services
    .filter((s) => s.pathPrefix !== undefined && !s.requireSignIn)
    .map((s) => ({
      name: `${s.name}-${namePrefix}`,
      subject: s.name,
      steps: [{ name: `${s.name}-health`, path: `${s.pathPrefix}${s.healthCheckPath}`, only2xx: true }],
    }));
  return [...health, { name: `journey-${namePrefix}`, subject: "journey", steps: synthetics.journey }];
}
