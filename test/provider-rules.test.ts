/**
 * The provider rules the harness runs on every synthesis (tools/provider/): each rule passes its
 * good example and rejects its bad one, and a violation stops synthesis with every problem listed.
 */
import { expect } from "chai";
import { acmValidationOptions } from "../tools/provider/behaviour";
import { RESOURCE_RULES } from "../tools/provider/resource-rules";
import { checkStackRules, isDeployRuleError, resourceChecker, RuleSubject } from "../tools/provider/rules";
import { STACK_RULES } from "../tools/provider/stack-rules";
import { synthesize } from "../tools/harness";
import { rejectionOf, STACKS, synth } from "./helpers";

const subject = (type: string, example: Partial<RuleSubject> & { inputs: Record<string, any> }): RuleSubject => ({
  type,
  name: example.name ?? "example",
  region: example.region ?? "eu-west-1",
  inputs: example.inputs,
});

describe("provider rules", () => {
  it("have unique ids and name their source", () => {
    const ids = [...RESOURCE_RULES, ...STACK_RULES].map((r) => r.id);
    expect(new Set(ids).size).to.equal(ids.length);
    for (const rule of [...RESOURCE_RULES, ...STACK_RULES]) expect(rule.source, rule.id).to.match(/^(https:\/\/|terraform-provider-aws )/);
  });

  for (const rule of RESOURCE_RULES) {
    it(`${rule.id}: passes its good example and rejects its bad one`, () => {
      const check = resourceChecker([rule]);
      for (const type of rule.types) {
        expect(check(subject(type, rule.examples.ok)), `${type} ok`).to.deep.equal([]);
        expect(
          check(subject(type, rule.examples.bad)).map((v) => v.rule),
          `${type} bad`,
        ).to.deep.equal([rule.id]);
      }
    });
  }

  for (const rule of STACK_RULES) {
    it(`${rule.id}: passes its good example and rejects its bad one`, () => {
      expect(checkStackRules([rule], rule.examples.ok)).to.deep.equal([]);
      const found = checkStackRules([rule], rule.examples.bad);
      expect(found.length, rule.id).to.be.greaterThan(0);
      expect(found.every((v) => v.rule === rule.id)).to.equal(true);
    });
  }

  it("lambda-runtime-supported: judges a runtime by the day it is deployed", () => {
    const rule = RESOURCE_RULES.find((r) => r.id === "lambda-runtime-supported")!;
    const subject = { type: "aws:lambda/function:Function", name: "f", region: "eu-west-1", inputs: { runtime: "nodejs22.x" } };
    expect(rule.check(subject, new Date("2027-04-29T12:00:00Z"))).to.equal(undefined);
    expect(rule.check(subject, new Date("2027-04-30T12:00:00Z"))).to.match(/^runtime nodejs22\.x was deprecated on 2027-04-30/);
    expect(rule.check({ ...subject, inputs: { runtime: "nodejs21.x" } })).to.equal("runtime nodejs21.x is not a Lambda Node.js runtime");
  });

  for (const stack of STACKS) {
    it(`finds nothing in the ${stack} stack`, async () => {
      // synth() throws a DeployRuleError listing every violation.
      expect((await synth(stack)).resources.length).to.be.greaterThan(100);
    });
  }

  it("stop synthesis with one error that lists every violation, with its rule and resource", async () => {
    const everyLogGroup = { ...RESOURCE_RULES[0], id: "test-no-log-groups", types: ["aws:cloudwatch/logGroup:LogGroup"], check: () => "rejected by the test" };
    const err = await rejectionOf(synthesize({ stack: "dev", rules: { resource: [everyLogGroup], stack: [] } }));
    expect(isDeployRuleError(err), String(err)).to.equal(true);
    const lines = (err as Error).message.split("\n");
    expect(lines[0]).to.match(/^stack "dev" would fail to deploy \(\d+ problems\):$/);
    expect(lines.slice(1).length).to.be.greaterThan(5);
    expect(lines).to.include("  - aws:cloudwatch/logGroup:LogGroup::network-flow-logs: rejected by the test [test-no-log-groups]");
  });

  it("are returned instead when asked to report (the change review's base, which may predate a rule)", async () => {
    const everyLogGroup = { ...RESOURCE_RULES[0], id: "test-no-log-groups", types: ["aws:cloudwatch/logGroup:LogGroup"], check: () => "rejected by the test" };
    const result = await synthesize({ stack: "dev", rules: { resource: [everyLogGroup], stack: [] }, deployProblems: "report" });
    expect(result.resources.length).to.be.greaterThan(100);
    expect(result.deployProblems!.map((v) => v.resource)).to.include("aws:cloudwatch/logGroup:LogGroup::network-flow-logs");
  });
});

describe("ACM as the mocks return it", () => {
  it("has one validation option per name, the same record for a name in every certificate", () => {
    const site = acmValidationOptions(["shop.example.com"]);
    const origin = acmValidationOptions(["origin.shop.example.com", "shop.example.com"]);
    expect(origin.map((o) => o.domainName)).to.deep.equal(["origin.shop.example.com", "shop.example.com"]);
    expect(origin[1]).to.deep.equal(site[0]);
    expect(origin[0].resourceRecordName).to.not.equal(origin[1].resourceRecordName);
    expect(origin[0].resourceRecordName).to.match(/^_[0-9a-f]{32}\.origin\.shop\.example\.com\.$/);
    expect(acmValidationOptions(["*.shop.example.com"])[0].resourceRecordName).to.equal(site[0].resourceRecordName);
  });
});
