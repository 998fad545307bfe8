/** The security tier of the monthly cost estimate: KMS, Secrets Manager, WAF, Cognito. */
import type { Pricer } from "../pricing";
import { n, plural } from "../pricing";

export const priceSecurity: Pricer = ({ a, add, ofType, traffic }) => {
  const { edgeRequests, basis: trafficBasis } = traffic;
  const clusters = ofType("aws:rds/cluster:Cluster");
  const keys = ofType("aws:kms/key:Key");
  add(
    "KMS customer managed keys",
    "kms-key-month",
    keys.length,
    `${plural(keys.length, "key")} (${keys.map((k) => k.region).join(", ")}); rotations add up to $2/key later`,
  );
  const explicit = ofType("aws:secretsmanager/secret:Secret");
  const secrets = explicit.length;
  const managed = clusters.filter((c) => c.inputs.manageMasterUserPassword === true).length;
  // Each replica in another region is billed as a secret of its own (Secrets Manager pricing).
  const replicas = explicit.reduce((sum, s) => sum + (s.inputs.replicas ?? []).length, 0);
  add(
    "Secrets Manager secrets",
    "secrets-manager-secret-month",
    secrets + managed + replicas,
    `${plural(secrets, "secret")} + ${managed} RDS-managed master password secret(s) + ${plural(replicas, "replica")} in the DR region`,
  );
  const acls = ofType("aws:wafv2/webAcl:WebAcl");
  add("WAF web ACLs", "waf-web-acl-month", acls.length, plural(acls.length, "web ACL"));
  const wafRules = acls.flatMap((acl) => (acl.inputs.rules ?? []).map((r: { name: string }) => r.name));
  add("WAF rules", "waf-rule-month", wafRules.length, `${plural(wafRules.length, "rule")}: ${wafRules.join(", ")}`);
  const cloudFrontAcls = acls.filter((acl) => acl.inputs.scope === "CLOUDFRONT" || acl.region === "us-east-1").length;
  add("WAF requests", "waf-requests-million", cloudFrontAcls > 0 ? edgeRequests / 1e6 : 0, `every CloudFront request is inspected: ${trafficBasis}`);
  for (const pool of ofType("aws:cognito/userPool:UserPool")) {
    const tier = String(pool.inputs.userPoolTier ?? "ESSENTIALS").toUpperCase();
    if (tier !== "ESSENTIALS" && tier !== "LITE") throw new Error(`user pool ${pool.name} uses the ${tier} tier, which the price table does not cover`);
    const free = Math.min(a.monthlyActiveUsers, 10_000);
    add("Cognito MAU (free allowance)", "cognito-mau-free-tier", free, `${n(a.monthlyActiveUsers)} MAU assumed; the first 10,000 are free`);
    add(
      `Cognito MAU (${tier.toLowerCase()} tier)`,
      `cognito-${tier.toLowerCase()}-mau`,
      a.monthlyActiveUsers - free,
      `${n(a.monthlyActiveUsers)} MAU assumed - 10,000 free`,
    );
  }
};
