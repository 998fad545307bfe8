/**
 * The platform's CrossGuard policy pack: `pulumi preview --policy-pack policies`.
 * Rules live in rules/<concern>.ts; tests exercise them without starting this pack's server.
 */
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./rules";

new PolicyPack("platform-aws", {
  description: "Encryption, private networking, least-privilege IAM, prod reliability and required tags for the platform stacks.",
  enforcementLevel: "advisory",
  policies: allPolicies,
});
