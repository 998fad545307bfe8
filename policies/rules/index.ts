/** Every rule of the pack, grouped by concern. Tests import this; only ../index.ts builds the pack. */
import { Policy } from "@pulumi/policy";
import { encryptionPolicies } from "./encryption";
import { iamPolicies } from "./iam";
import { networkPolicies } from "./network";
import { reliabilityPolicies } from "./reliability";
import { taggingPolicies } from "./tagging";

export { DEFAULT_CONFIG, RULES } from "./common";

export const POLICIES_BY_CONCERN: Record<string, Policy[]> = {
  encryption: encryptionPolicies,
  network: networkPolicies,
  iam: iamPolicies,
  reliability: reliabilityPolicies,
  tagging: taggingPolicies,
};

export const allPolicies: Policy[] = Object.values(POLICIES_BY_CONCERN).flat();
