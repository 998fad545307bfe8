/** Stack-level `platform:` keys: which profile, where, under which name, and how long data stays. */
import { LOG_RETENTION_DAYS } from "../aws-limits";
import { IAM_BOUNDARY_MODES, IamBoundaryMode } from "../iam-scope";
import { RETENTION_POLICY_NAMES, RetentionPolicyName } from "../retention";
import { oneOf, str, v } from "../schema";
import { ENVIRONMENTS, Profiles } from "./environments";
import { DOMAIN } from "./names";

export const stackKeys = {
  /** Environment profile (no default): picks every default below and turns on the prod-only rules. */
  environment: oneOf(ENVIRONMENTS),
  /** Public domain of the site, e.g. `shop.example.com` (no default). */
  domain: v.pipe(
    str(DOMAIN, "a lower-case DNS name such as shop.example.com, at most 64 characters (ACM's limit for a certificate's first name)"),
    v.maxLength(64, "must be at most 64 characters: ACM limits a certificate's first domain name to 64"),
  ),
  /** IPv4 CIDR of the VPC (Pulumi.yaml's default applies when the stack does not set it). */
  vpcCidr: str(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "an IPv4 CIDR such as 10.20.0.0/16"),
  /** Explicit AZ names in `aws:region`, 2 to 6 distinct (no AZ lookup at preview; no default). */
  availabilityZones: v.array(v.string(), "a list of 2 to 6 distinct AZ names in aws:region"),
  /** Retention of every log group, a CloudWatch-allowed number of days. */
  logRetentionDays: oneOf(LOG_RETENTION_DAYS as readonly number[]),
  /** What deleting, replacing or changing a resource that holds data does (`stacks/retention.ts`). */
  retentionPolicy: oneOf(RETENTION_POLICY_NAMES),
  /** Whether every IAM role gets the bootstrap's permissions boundary (`stacks/iam-scope.ts`). */
  iamBoundary: oneOf(IAM_BOUNDARY_MODES),
};

/** Keys Pulumi hands over as plain strings; every other key arrives as JSON. */
export const STRING_KEYS: readonly string[] = ["environment", "domain", "vpcCidr", "retentionPolicy", "iamBoundary"];

export const STACK_DEFAULTS: Profiles<{ logRetentionDays: number; retentionPolicy: RetentionPolicyName; iamBoundary: IamBoundaryMode }> = {
  dev: { logRetentionDays: 14, retentionPolicy: "destroy", iamBoundary: "bootstrap" },
  staging: { logRetentionDays: 30, retentionPolicy: "destroy", iamBoundary: "bootstrap" },
  prod: { logRetentionDays: 365, retentionPolicy: "retain", iamBoundary: "bootstrap" },
};
