import { expect } from "chai";
import { taggingPolicies } from "../../policies/rules/tagging";
import { runResource, UNKNOWN } from "../../tools/policy-runner";

const [requiredTags] = taggingPolicies;
const ALL = { Project: "platform", Environment: "prod", Owner: "platform-team", ManagedBy: "pulumi" };

describe("policy required-tags", () => {
  it("passes when the provider's default tags carry every required tag", async () => {
    const outcome = await runResource(requiredTags, { type: "aws:sqs/queue:Queue", props: { name: "q" }, providerProps: { defaultTags: { tags: ALL } } });
    expect(outcome.violations).to.deep.equal([]);
  });

  it("passes when the resource's own tags complete the provider's", async () => {
    const { Owner, ...rest } = ALL;
    const outcome = await runResource(requiredTags, {
      type: "aws:sqs/queue:Queue",
      props: { tags: { Owner } },
      providerProps: { defaultTags: JSON.stringify({ tags: rest }) },
    });
    expect(outcome.violations).to.deep.equal([]);
  });

  it("names the missing tags and how to fix it", async () => {
    const outcome = await runResource(requiredTags, { type: "aws:dynamodb/table:Table", name: "ledger", props: { tags: { Project: "platform" } } });
    expect(outcome.violations).to.have.length(1);
    expect(outcome.violations[0]).to.contain('aws:dynamodb/table:Table "ledger": missing required tags Environment, Owner, ManagedBy');
    expect(outcome.violations[0]).to.contain("Fix: set them in the stack's aws:defaultTags");
  });

  it("uses the configured tag list", async () => {
    const outcome = await runResource(requiredTags, { type: "aws:sqs/queue:Queue", props: { tags: ALL } }, { config: { requiredTags: ["CostCenter"] } });
    expect(outcome.violations[0]).to.contain("missing required tag CostCenter");
  });

  it("ignores types that take no tags", async () => {
    const outcome = await runResource(requiredTags, { type: "aws:iam/rolePolicy:RolePolicy", props: {} });
    expect(outcome.violations).to.deep.equal([]);
  });

  it("does not report an unknown tag map as missing", async () => {
    const outcome = await runResource(requiredTags, { type: "aws:sqs/queue:Queue", props: { tags: UNKNOWN.object } });
    expect(outcome.violations).to.deep.equal([]);
    expect(outcome.unknown).to.contain("can't be known during preview");
  });
});
