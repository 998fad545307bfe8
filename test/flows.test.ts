/**
 * The platform's runtime flows, evaluated with a real IAM policy evaluator over the identity,
 * trust, resource and key policies each stack synthesizes; every policy document validated against
 * AWS's Service Authorization Reference; least privilege as a proof. See tools/fidelity/.
 */
import { expect } from "chai";
import { evaluateFlows, evaluateRequest, RequestOutcome } from "../tools/fidelity/evaluate";
import { validateDocument, validateDocuments } from "../tools/fidelity/documents";
import { CHECKED_ELSEWHERE, Flow, flowCatalogue } from "../tools/fidelity/flows";
import { iamWorld, IamWorld } from "../tools/fidelity/iam-world";
import { unusedGrants } from "../tools/fidelity/least-privilege";
import { MOCK_ACCOUNT_ID, mockAliasTargetKeyArn, SynthResult } from "../tools/harness";
import { ofType, one, settingsOf, STACKS, synth, T } from "./helpers";

const denials = (outcomes: RequestOutcome[]) =>
  outcomes.filter((o) => !o.allowed).map((o) => `${o.flow.id}: ${o.request.action} on ${o.request.resource}: ${o.detail}`);

/** A copy of a synthesized stack with one resource's input changed. */
function mutated(result: SynthResult, type: string, name: string, change: (inputs: Record<string, any>) => void): SynthResult {
  const copy: SynthResult = structuredClone(result);
  const target = copy.resources.find((r) => r.type === type && r.name === name);
  if (!target) throw new Error(`no ${type} ${name}`);
  change(target.inputs);
  return copy;
}

/** Edits the JSON policy held in `field` of a resource. */
const editPolicy = (field: string, edit: (statements: any[]) => any[]) => (inputs: Record<string, any>) => {
  const doc = JSON.parse(inputs[field]);
  inputs[field] = JSON.stringify({ ...doc, Statement: edit(doc.Statement) });
};

/**
 * A standby's stack with its primary's keys in the standby's region added: their key policies are
 * the primary stack's, and the standby finds the key by alias (the ARN its lookup resolves to).
 */
async function withPrimaryKeys(result: SynthResult, primaryStack: string, region: string): Promise<SynthResult> {
  const primary = await synth(primaryStack);
  const prefix = settingsOf(primaryStack).namePrefix;
  const keys = ofType(primary, T.kmsKey)
    .filter((k) => k.region === region)
    .map((k) => ({ ...k, name: `${primaryStack}:${k.name}`, state: { ...k.state, arn: mockAliasTargetKeyArn(region, `alias/${prefix}-dr`) } }));
  return { ...result, resources: [...result.resources, ...keys] };
}

for (const stack of STACKS) {
  describe(`runtime flows (${stack})`, function () {
    const settings = settingsOf(stack);
    let result: SynthResult;
    let world: IamWorld;
    let flows: Flow[];
    let outcomes: RequestOutcome[];
    const flow = (id: string) => {
      const found = flows.find((f) => f.id === id);
      if (!found) throw new Error(`no flow ${id} (have ${flows.map((f) => f.id).join(", ")})`);
      return found;
    };

    before(async () => {
      result = await synth(stack);
      world = iamWorld(settings.standby ? await withPrimaryKeys(result, settings.standby.primaryStack, settings.region) : result, MOCK_ACCOUNT_ID);
      flows = flowCatalogue(result, settings, MOCK_ACCOUNT_ID);
      outcomes = await evaluateFlows(world, flows);
    });

    it("allows every request of every flow, through identity, trust, resource and key policies together", () => {
      // A standby has no edge, pipelines or trail of its own: fewer flows, the same proof.
      expect(outcomes.length).to.be.greaterThan(settings.standby ? 200 : 300);
      expect(denials(outcomes)).to.deep.equal([]);
    });

    it("catalogues every flow the platform depends on, and lets a service assume each role", () => {
      const ids = flows.map((f) => f.id);
      for (const s of settings.services) expect(ids, s.name).to.include(`ecs-task-start:${s.name}`);
      for (const s of settings.services.filter(
        (x) => x.access.database || Object.keys(x.access.tables).length || Object.keys(x.access.queues).length || x.access.fileSystem,
      )) {
        expect(ids, s.name).to.include(`ecs-app:${s.name}`);
      }
      for (const f of settings.functions) expect(ids).to.include(`lambda:${f.name}`);
      const count = (prefix: string) => ids.filter((i) => i.startsWith(prefix)).length;
      expect(count("codebuild:")).to.equal(ofType(result, "aws:codebuild/project:Project").length);
      expect(count("codepipeline:")).to.equal(ofType(result, "aws:codepipeline/pipeline:Pipeline").length);
      expect(count("alarm:")).to.equal(ofType(result, T.metricAlarm).length + ofType(result, T.compositeAlarm).length);
      expect(count("events:")).to.equal(ofType(result, T.eventTarget).length);
      expect(count("logs-key:")).to.equal(ofType(result, T.logGroup).length);
      expect(count("cloudtrail:")).to.equal(settings.observability.guardrails.cloudTrail ? 1 : 0);
      const edgeFlows = settings.standby ? ["alb-logs:edge-alb"] : ["waf-logs:edge-waf-logs", "cloudfront-oac:static", "alb-logs:edge-alb"];
      for (const id of ["flow-logs:network-flow-logs", "deployer-keys", ...edgeFlows]) expect(ids).to.include(id);
      // Every role of the stack is assumed by the service it is for, under its trust policy.
      const assumed = new Set(flows.flatMap((f) => f.requests.filter((r) => r.action === "sts:AssumeRole").map((r) => r.resource)));
      for (const role of ofType(result, T.role)) expect(assumed.has(role.state.arn), role.name).to.equal(true);
      expect(CHECKED_ELSEWHERE.map((c) => c.id)).to.include("cloudfront-standard-logs");
    });

    it("grants nothing that no flow needs, statement by statement and action by action", () => {
      expect(unusedGrants(world, outcomes)).to.deep.equal([]);
    });

    it("validates every policy document against the service reference", async () => {
      expect(world.documents.length).to.be.greaterThan(settings.standby ? 25 : 40);
      expect(await validateDocuments(world.documents)).to.deep.equal([]);
    });

    // The evaluator's own proof, on the primary stacks' pipelines and edge (a standby has neither).
    if (!settings.standby)
      describe("fails with the statement that decides it", () => {
        const firstPipeline = () => ofType(result, "aws:codepipeline/pipeline:Pipeline")[0];

        it("an identity policy without the ECS deploy action's tagging permission", async () => {
          const pipeline = firstPipeline();
          const service = pipeline.name.replace(/-delivery-pipeline$/, "");
          const broken = mutated(
            result,
            T.rolePolicy,
            `${service}-delivery-pipeline`,
            editPolicy("policy", (s) => s.filter((x) => x.Sid !== "TagNewRevisions")),
          );
          const f = flow(`codepipeline:${pipeline.state.name}`);
          const tag = f.requests.find((r) => r.action === "ecs:TagResource")!;
          const outcome = await evaluateRequest(iamWorld(broken, MOCK_ACCOUNT_ID), f, tag);
          expect(outcome.allowed).to.equal(false);
          expect(outcome.detail).to.equal(`implicitly denied: no statement of aws:iam/rolePolicy:RolePolicy::${service}-delivery-pipeline allows it`);
        });

        it("a role whose permissions boundary is not the bootstrap's", async () => {
          const pipeline = firstPipeline();
          const service = pipeline.name.replace(/-delivery-pipeline$/, "");
          const other = `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/someone-else`;
          const broken = mutated(result, T.role, `${service}-delivery-pipeline`, (inputs) => (inputs.permissionsBoundary = other));
          const f = flow(`codepipeline:${pipeline.state.name}`);
          const outcome = await evaluateRequest(
            iamWorld(broken, MOCK_ACCOUNT_ID),
            f,
            f.requests.find((r) => r.action === "ecs:TagResource")!,
          );
          expect(outcome.allowed).to.equal(false);
          expect(outcome.detail).to.include(`the permissions boundary (unknown boundary ${other}) does not allow it`);
        });

        it("a key policy that requires aws:SourceAccount of EventBridge", async () => {
          const target = ofType(result, T.eventTarget)[0];
          const broken = mutated(
            result,
            T.kmsKey,
            "platform-key",
            editPolicy("policy", (s) =>
              s.map((x) =>
                x.Sid === "EventBridgePublishesToEncryptedTopics" ? { ...x, Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } } } : x,
              ),
            ),
          );
          const f = flow(`events:${target.name}`);
          const outcome = await evaluateRequest(
            iamWorld(broken, MOCK_ACCOUNT_ID),
            f,
            f.requests.find((r) => r.action === "kms:GenerateDataKey")!,
          );
          expect(outcome.allowed).to.equal(false);
          expect(outcome.detail).to.match(
            /^implicitly denied: no statement of aws:kms\/key:Key::platform-key allows events\.amazonaws\.com; closest: .*"EventBridgePublishesToEncryptedTopics" \(condition NoMatch\)/,
          );
        });

        it("an explicit deny in a resource policy", async () => {
          const broken = mutated(
            result,
            T.bucketPolicy,
            "edge-static",
            editPolicy("policy", (s) => [
              ...s,
              { Sid: "DenyEveryone", Effect: "Deny", Principal: "*", Action: "s3:GetObject", Resource: `${one(result, T.bucket, "edge-static").state.arn}/*` },
            ]),
          );
          const f = flow("cloudfront-oac:static");
          const outcome = await evaluateRequest(iamWorld(broken, MOCK_ACCOUNT_ID), f, f.requests[0]);
          expect(outcome.allowed).to.equal(false);
          expect(outcome.detail).to.equal('denied by aws:s3/bucketPolicy:BucketPolicy::edge-static#2 "DenyEveryone"');
        });

        it("a statement no flow needs", async () => {
          const broken = mutated(
            result,
            T.rolePolicy,
            `${settings.services[0].name}-svc-execution`,
            editPolicy("policy", (s) => [
              ...s,
              { Sid: "Extra", Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:eu-west-1:123456789012:other" },
            ]),
          );
          const brokenWorld = iamWorld(broken, MOCK_ACCOUNT_ID);
          const unused = unusedGrants(brokenWorld, await evaluateFlows(brokenWorld, flows));
          expect(unused).to.deep.equal([
            `aws:iam/rolePolicy:RolePolicy::${settings.services[0].name}-svc-execution statement #${JSON.parse(one(broken, T.rolePolicy, `${settings.services[0].name}-svc-execution`).inputs.policy).Statement.length} (Extra) is needed by no flow`,
          ]);
        });
      });
  });
}

describe("policy documents against the service reference", () => {
  const check = async (statement: object) =>
    (
      await validateDocument({
        id: "doc",
        kind: "identity",
        appliesTo: "arn:aws:iam::123456789012:role/r",
        document: { Version: "2012-10-17", Statement: [statement] },
      })
    ).map((p) => p.message);

  it("rejects an action that does not exist", async () => {
    expect(await check({ Effect: "Allow", Action: "ecs:RegisterTaskDefinitions", Resource: "*" })).to.deep.equal([
      "action ecs:RegisterTaskDefinitions does not exist",
    ]);
  });

  it("rejects a resource of a type the action does not support, and an ARN for an action without resource-level permissions", async () => {
    expect(await check({ Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sns:eu-west-1:123456789012:topic" })).to.have.length(2);
    expect((await check({ Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "arn:aws:ecr:eu-west-1:123456789012:repository/x" }))[0]).to.contain(
      'it has no resource-level permissions: use "*"',
    );
  });

  it("rejects a condition key that applies to none of the statement's actions", async () => {
    expect(
      await check({
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::b/*",
        Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
      }),
    ).to.deep.equal(["condition key kms:ViaService applies to none of s3:GetObject"]);
  });

  it("accepts what the platform writes: scoped ARNs, ECS conditions, wildcards that match actions", async () => {
    expect(
      await check({
        Effect: "Allow",
        Action: "ecs:TagResource",
        Resource: "arn:aws:ecs:eu-west-1:1:task-definition/f:*",
        Condition: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } },
      }),
    ).to.deep.equal([]);
    expect(await check({ Effect: "Allow", Action: ["kms:Encrypt*", "kms:GenerateDataKey*"], Resource: "arn:aws:kms:eu-west-1:1:key/k" })).to.deep.equal([]);
    expect(await check({ Effect: "Allow", Action: "kms:Encryptt*", Resource: "arn:aws:kms:eu-west-1:1:key/k" })).to.deep.equal([
      "action kms:Encryptt* does not exist",
    ]);
  });
});
