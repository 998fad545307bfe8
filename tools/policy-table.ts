/**
 * The README's policy table, generated from the rules themselves (`npm run policy-table` prints
 * it); a test fails when the README's copy is stale.
 */
import { allPolicies, RULES } from "../policies/rules";

export function policyTable(): string {
  const byName = new Map(RULES.map((r) => [r.name, r]));
  const rows = allPolicies.map((p) => {
    const rule = byName.get(p.name);
    const scope = rule?.prodOnly ? "prod" : "all";
    return `| \`${p.name}\` | ${rule?.concern ?? ""} | ${p.enforcementLevel} | ${p.severity} | ${scope} | ${p.description} |`;
  });
  return ["| policy | concern | level | severity | stacks | what it enforces |", "|---|---|---|---|---|---|", ...rows].join("\n");
}

if (require.main === module) process.stdout.write(policyTable() + "\n");
