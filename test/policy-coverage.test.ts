/**
 * docs/policy-coverage.md: in sync with policies/coverage/, every peer rule answered (no blank
 * row), every answer naming rules that exist at the level it claims, and the "by construction"
 * claims checked on the synthesized prod stack.
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { allPolicies } from "../policies/rules";
import { CDK_NAG } from "../policies/coverage/mapping";
import { cdkNag, COVERAGE_FILE, coverageCounts, coverageMarkdown, coveredTypes } from "../tools/policy-coverage";
import { PROJECT_DIR } from "../tools/harness";
import { fixture, ofType } from "./helpers";

const doc = () => fs.readFileSync(COVERAGE_FILE, "utf8");

describe("policy coverage against the peers (docs/policy-coverage.md)", () => {
  it("is what npm run policy-coverage writes for the types it lists", () => {
    expect(doc(), "stale: run npm run policy-coverage").to.equal(coverageMarkdown(coveredTypes()));
  });

  it("answers every applicable cdk-nag rule exactly once, with no blank answer", () => {
    const set = cdkNag();
    expect(set.rules.length).to.equal(50);
    expect(Object.keys(CDK_NAG).sort()).to.deep.equal(set.rules.map((r) => r.id).sort());
    for (const [id, answer] of Object.entries(CDK_NAG)) {
      const text = Object.values(answer).join(" ");
      expect(text.trim().length, id).to.be.above(10);
    }
    expect(set.rules.every((r) => r.pulumiTypes.length > 0)).to.equal(true);
    // A rule is either applicable (answered) or listed as not applicable with its reason, never both.
    expect(set.notApplicable.filter((n) => n.id in CDK_NAG)).to.deep.equal([]);
  });

  it("names only rules the pack has, and a peer error it enforces is mandatory here unless the answer says why", () => {
    const levels = new Map(allPolicies.map((p) => [p.name, p.enforcementLevel]));
    for (const r of cdkNag().rules) {
      const answer = CDK_NAG[r.id];
      if (!("rules" in answer)) continue;
      for (const name of answer.rules) expect(levels.has(name), `${r.id} names ${name}`).to.equal(true);
      if (r.level === "Error" && answer.rules.every((n) => levels.get(n) !== "mandatory"))
        expect(answer.note, `${r.id}: advisory here, why?`).to.be.a("string");
    }
  });

  it("states its counts, the ones the README gives", () => {
    const c = coverageCounts();
    expect(c.enforced + c.construction + c.declined + (c.notApplicable - cdkNag().notApplicable.length)).to.equal(c.peerRules);
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    expect(readme).to.contain("docs/policy-coverage.md");
    expect(readme).to.contain(`${c.packRules} rules`);
    expect(readme).to.contain(`${c.enforced} of the ${c.peerRules}`);
  });

  it("holds what it claims by construction, on the synthesized prod stack", async () => {
    const result = await fixture("prod");
    for (const sg of ofType(result, "aws:ec2/securityGroup:SecurityGroup"))
      expect(sg.inputs.description, sg.name).to.be.a("string").and.not.equal("Managed by Pulumi");
    for (const p of ofType(result, "aws:codebuild/project:Project")) expect(p.inputs.environment.image, p.name).to.match(/^aws\/codebuild\//);
    const distribution = ofType(result, "aws:cloudfront/distribution:Distribution")[0];
    const s3Origins = distribution.inputs.origins.filter((o: any) => !o.customOriginConfig);
    expect(s3Origins.length).to.be.above(0);
    for (const o of s3Origins) expect(o.originAccessControlId, o.originId).to.be.a("string");
  });
});
