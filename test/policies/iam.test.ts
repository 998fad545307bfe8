import { expect } from "chai";
import { Policy } from "@pulumi/policy";
import { iamPolicies } from "../../policies/rules/iam";
import { runResource, runStack, stackOf, UNKNOWN, policyNamed } from "../../tools/policy-runner";

const rule = (name: string): Policy => policyNamed(iamPolicies, name);

/** Exactly one violation, naming what was found and how to fix it. */
function expectOne(violations: string[], found: string, fix: string): void {
  expect(violations).to.have.length(1);
  expect(violations[0]).to.contain(found);
  expect(violations[0]).to.contain(`Fix: ${fix}`);
}

async function expectUnknown(policy: Policy, type: string, props: Record<string, any>): Promise<void> {
  const outcome = await runResource(policy, { type, props });
  expect(outcome.violations).to.deep.equal([]);
  expect(outcome.unknown).to.contain("can't be known during preview");
}

/** An IAM policy document as the program renders it: JSON text. */
function doc(...statements: object[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const TABLE_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders";
const SCOPED = { Sid: "ReadOrders", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:Query"], Resource: TABLE_ARN };
const TLS_ONLY = {
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: { AWS: "*" },
  Action: "sqs:*",
  Resource: "*",
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const trust = (...statements: object[]) => ({ assumeRolePolicy: doc(...statements) });
const ECS_TRUST = {
  Effect: "Allow",
  Principal: { Service: "ecs-tasks.amazonaws.com" },
  Action: "sts:AssumeRole",
  Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
};

describe("iam policies", () => {
  it("declares the agreed rules with unique names and enforcement levels", () => {
    expect(Object.fromEntries(iamPolicies.map((p) => [p.name, p.enforcementLevel]))).to.deep.equal({
      "aurora-iam-auth": "mandatory",
      "cognito-password-policy": "mandatory",
      "cognito-mfa": "advisory",
      "iam-no-wildcard-actions": "mandatory",
      "iam-no-wildcard-resources": "mandatory",
      "iam-no-admin-policies": "mandatory",
      "iam-no-passrole-wildcard": "mandatory",
      "ecs-task-role-distinct": "mandatory",
      "http-api-routes-authorized": "mandatory",
      "iam-trust-service-principal": "mandatory",
      "iam-trust-confused-deputy": "advisory",
      "resource-policy-no-public-principal": "mandatory",
      "resource-policy-no-cross-account": "mandatory",
      "resource-policy-service-source": "mandatory",
      "iam-no-user-inline-policies": "advisory",
      "kms-key-explicit-policy": "mandatory",
    });
    expect(iamPolicies).to.have.length(16);
  });

  it("applies no identity-policy rule to a KMS key policy", async () => {
    const policy = doc({ Sid: "AccountRoot", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" });
    for (const name of ["iam-no-wildcard-actions", "iam-no-wildcard-resources", "iam-no-passrole-wildcard"]) {
      expect((await runResource(rule(name), { type: "aws:kms/key:Key", props: { policy } })).violations, name).to.deep.equal([]);
    }
  });
});

describe("policy iam-no-wildcard-actions", () => {
  const policy = rule("iam-no-wildcard-actions");
  const FIX = "list the exact actions the principal calls";

  it("passes exact actions, and wildcards in Deny statements", async () => {
    const props = { policy: doc(SCOPED, { Effect: "Deny", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }) };
    expect((await runResource(policy, { type: ROLE_POLICY, props })).violations).to.deep.equal([]);
  });

  it("reports a service wildcard in a role policy", async () => {
    const outcome = await runResource(policy, {
      type: ROLE_POLICY,
      name: "task",
      props: { policy: doc(SCOPED, { Sid: "AllS3", Effect: "Allow", Action: ["s3:GetObject", "s3:*"], Resource: "arn:aws:s3:::b/*" }) },
    });
    expectOne(outcome.violations, 'aws:iam/rolePolicy:RolePolicy "task": policy statement "AllS3" allows Action "s3:*"', FIX);
  });

  it('reports "*" in a role\'s inline policy', async () => {
    const outcome = await runResource(policy, {
      type: ROLE,
      props: { ...trust(ECS_TRUST), inlinePolicies: [{ name: "admin", policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) }] },
    });
    expectOne(outcome.violations, 'inlinePolicies[0] ("admin") statement #1 allows Action "*"', FIX);
  });

  it("reports NotAction in an Allow statement of a managed, user or group policy", async () => {
    for (const type of ["aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"]) {
      const outcome = await runResource(policy, { type, props: { policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) } });
      expectOne(outcome.violations, 'policy statement #1 allows every action except "iam:*" (NotAction)', FIX);
    }
  });

  it("does not report an unknown document", async () => {
    await expectUnknown(policy, ROLE_POLICY, { role: "r", policy: UNKNOWN.string });
  });
});

describe("policy iam-no-wildcard-resources", () => {
  const policy = rule("iam-no-wildcard-resources");
  const FIX = "scope Resource to the exact ARNs";

  it('passes exact ARNs, and Resource "*" for actions without resource-level permissions', async () => {
    const props = {
      policy: doc(
        SCOPED,
        { Sid: "EcrAuth", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        { Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
      ),
    };
    expect((await runResource(policy, { type: ROLE_POLICY, props })).violations).to.deep.equal([]);
  });

  it('lists the actions that are not allowed on Resource "*"', async () => {
    const props = { policy: doc({ Sid: "Mixed", Effect: "Allow", Action: ["ecr:GetAuthorizationToken", "s3:GetObject", "sqs:SendMessage"], Resource: ["*"] }) };
    const outcome = await runResource(policy, { type: ROLE_POLICY, name: "task", props });
    expectOne(outcome.violations, 'RolePolicy "task": policy statement "Mixed" allows s3:GetObject, sqs:SendMessage on Resource "*"', FIX);
  });

  it("uses the configured action list", async () => {
    const props = { policy: doc({ Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" }) };
    const outcome = await runResource(policy, { type: "aws:iam/policy:Policy", props }, { config: { wildcardResourceActions: ["cloudwatch:PutMetricData"] } });
    expectOne(outcome.violations, 'allows ecr:GetAuthorizationToken on Resource "*"', FIX);
  });

  it("treats NotResource in an Allow statement as every resource", async () => {
    const props = { policy: doc({ Effect: "Allow", Action: "s3:DeleteObject", NotResource: "arn:aws:s3:::keep/*" }) };
    const outcome = await runResource(policy, { type: "aws:iam/groupPolicy:GroupPolicy", props });
    expectOne(outcome.violations, 'allows s3:DeleteObject on every resource except "arn:aws:s3:::keep/*" (NotResource)', FIX);
  });

  it("does not report an unknown document", async () => {
    await expectUnknown(policy, "aws:iam/userPolicy:UserPolicy", { policy: UNKNOWN.string });
  });
});

describe("policy iam-no-admin-policies", () => {
  const policy = rule("iam-no-admin-policies");
  const FIX = "attach a policy granting only the actions the principal needs";

  it("passes narrow managed policies, and a customer policy that merely shares the name", async () => {
    for (const policyArn of ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::123456789012:policy/AdministratorAccess"]) {
      expect(
        (await runResource(policy, { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", props: { role: "r", policyArn } })).violations,
      ).to.deep.equal([]);
    }
    expect(
      (await runResource(policy, { type: ROLE, props: { ...trust(ECS_TRUST), managedPolicyArns: ["arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"] } }))
        .violations,
    ).to.deep.equal([]);
  });

  it("reports AdministratorAccess attached to a role", async () => {
    const outcome = await runResource(policy, {
      type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      name: "ops",
      props: { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
    });
    expectOne(outcome.violations, 'RolePolicyAttachment "ops": policyArn is arn:aws:iam::aws:policy/AdministratorAccess', FIX);
  });

  it("reports PowerUserAccess for users and groups in any partition", async () => {
    for (const type of ["aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"]) {
      const outcome = await runResource(policy, { type, props: { policyArn: "arn:aws-us-gov:iam::aws:policy/PowerUserAccess" } });
      expectOne(outcome.violations, "policyArn is arn:aws-us-gov:iam::aws:policy/PowerUserAccess", FIX);
    }
  });

  it("reports IAMFullAccess in a role's managedPolicyArns", async () => {
    const outcome = await runResource(policy, {
      type: ROLE,
      props: { ...trust(ECS_TRUST), managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/IAMFullAccess"] },
    });
    expectOne(outcome.violations, "managedPolicyArns includes arn:aws:iam::aws:policy/IAMFullAccess", FIX);
  });

  it("does not report an unknown policy ARN", async () => {
    await expectUnknown(policy, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: UNKNOWN.string });
  });
});

describe("policy iam-no-passrole-wildcard", () => {
  const policy = rule("iam-no-passrole-wildcard");
  const FIX = "grant iam:PassRole on the exact role ARNs";

  it("passes iam:PassRole on an exact role, and NotAction that excludes it", async () => {
    const props = {
      policy: doc(
        {
          Effect: "Allow",
          Action: "iam:PassRole",
          Resource: "arn:aws:iam::123456789012:role/app-task",
          Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
        },
        { Effect: "Allow", NotAction: ["iam:*"], Resource: "*" },
      ),
    };
    expect((await runResource(policy, { type: ROLE_POLICY, props })).violations).to.deep.equal([]);
  });

  it('reports iam:PassRole on Resource "*"', async () => {
    const outcome = await runResource(policy, {
      type: ROLE_POLICY,
      name: "deployer",
      props: { policy: doc({ Sid: "Pass", Effect: "Allow", Action: ["ecs:RunTask", "iam:PassRole"], Resource: "*" }) },
    });
    expectOne(outcome.violations, 'RolePolicy "deployer": policy statement "Pass" allows iam:PassRole (via "iam:PassRole") on Resource "*"', FIX);
  });

  it('reports iam:* and * on Resource "*"', async () => {
    const outcome = await runResource(policy, {
      type: "aws:iam/policy:Policy",
      props: { policy: doc({ Effect: "Allow", Action: ["iam:*", "*"], Resource: "*" }) },
    });
    expectOne(outcome.violations, 'allows iam:PassRole (via "iam:*", "*") on Resource "*"', FIX);
  });

  it("reports NotAction that leaves iam:PassRole allowed", async () => {
    const outcome = await runResource(policy, { type: ROLE_POLICY, props: { policy: doc({ Effect: "Allow", NotAction: "s3:*", Resource: "*" }) } });
    expectOne(outcome.violations, 'allows iam:PassRole (NotAction "s3:*" does not exclude it) on Resource "*"', FIX);
  });

  it("does not report an unknown document", async () => {
    await expectUnknown(policy, ROLE_POLICY, { policy: UNKNOWN.string });
  });
});

describe("policy ecs-task-role-distinct", () => {
  const policy = rule("ecs-task-role-distinct");
  const TASK = "aws:ecs/taskDefinition:TaskDefinition";
  const FIX = "set taskRoleArn to a role for the application's own calls";

  it("passes distinct task and execution roles", async () => {
    const props = { family: "api", taskRoleArn: "arn:aws:iam::123456789012:role/api-task", executionRoleArn: "arn:aws:iam::123456789012:role/api-execution" };
    expect((await runResource(policy, { type: TASK, props })).violations).to.deep.equal([]);
  });

  it("reports missing roles", async () => {
    const outcome = await runResource(policy, { type: TASK, name: "api", props: { family: "api" } });
    expect(outcome.violations).to.have.length(2);
    expect(outcome.violations[0]).to.contain('TaskDefinition "api": taskRoleArn is not set');
    expect(outcome.violations[1]).to.contain("executionRoleArn is not set");
    for (const v of outcome.violations) expect(v).to.contain(`Fix: ${FIX}`);
  });

  it("reports one role used for both", async () => {
    const role = "arn:aws:iam::123456789012:role/api";
    const outcome = await runResource(policy, { type: TASK, props: { taskRoleArn: role, executionRoleArn: role } });
    expectOne(outcome.violations, `taskRoleArn and executionRoleArn are the same role (${role})`, FIX);
  });

  it("does not report unknown role ARNs", async () => {
    await expectUnknown(policy, TASK, { taskRoleArn: UNKNOWN.string, executionRoleArn: UNKNOWN.string });
  });
});

describe("policy iam-trust-service-principal", () => {
  const policy = rule("iam-trust-service-principal");
  const FIX = "make each Allow statement of assumeRolePolicy name a Service principal";

  it("passes service principals (string or list), and other principals under a Condition", async () => {
    const props = trust(
      ECS_TRUST,
      { Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] }, Action: "sts:AssumeRole" },
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::210987654321:root" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": "x1" } },
      },
      {
        Effect: "Allow",
        Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
      },
      { Effect: "Deny", Principal: "*", Action: "sts:AssumeRole" },
    );
    expect((await runResource(policy, { type: ROLE, props })).violations).to.deep.equal([]);
  });

  it('reports Principal "*" even under a Condition', async () => {
    const outcome = await runResource(policy, {
      type: ROLE,
      name: "open",
      props: trust({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Condition: { Bool: { "aws:SecureTransport": "true" } } }),
    });
    expectOne(outcome.violations, 'aws:iam/role:Role "open": assumeRolePolicy statement #1 trusts Principal "*"', FIX);
  });

  it('reports AWS "*"', async () => {
    const outcome = await runResource(policy, {
      type: ROLE,
      props: trust({ Sid: "Anyone", Effect: "Allow", Principal: { AWS: ["*"] }, Action: "sts:AssumeRole" }),
    });
    expectOne(outcome.violations, 'assumeRolePolicy statement "Anyone" trusts AWS "*"', FIX);
  });

  it("reports an account principal without a Condition", async () => {
    const outcome = await runResource(policy, {
      type: ROLE,
      props: trust(ECS_TRUST, { Effect: "Allow", Principal: { AWS: "arn:aws:iam::210987654321:root" }, Action: "sts:AssumeRole" }),
    });
    expectOne(outcome.violations, 'assumeRolePolicy statement #2 trusts AWS "arn:aws:iam::210987654321:root" without a Condition', FIX);
  });

  it("does not report an unknown trust policy", async () => {
    await expectUnknown(policy, ROLE, { assumeRolePolicy: UNKNOWN.string });
  });
});

describe("policy iam-trust-confused-deputy", () => {
  const policy = rule("iam-trust-confused-deputy");

  it("passes service trust pinned by aws:SourceAccount or aws:SourceArn (any case, any operator)", async () => {
    const props = trust(ECS_TRUST, {
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { ArnLike: { "AWS:SourceArn": "arn:aws:events:eu-west-1:123456789012:rule/*" } },
    });
    expect((await runResource(policy, { type: ROLE, props })).violations).to.deep.equal([]);
  });

  it("reports service trust without a source condition", async () => {
    const props = trust({
      Effect: "Allow",
      Principal: { Service: "codebuild.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
    });
    const outcome = await runResource(policy, { type: ROLE, name: "build", props });
    expectOne(
      outcome.violations,
      'Role "build": assumeRolePolicy statement #1 lets codebuild.amazonaws.com assume the role without an aws:SourceAccount or aws:SourceArn condition',
      'add Condition { StringEquals: { "aws:SourceAccount"',
    );
  });

  it("does not ask it of a service that does not document sending it (Lambda), unless configured", async () => {
    const props = trust({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" });
    expect((await runResource(policy, { type: ROLE, name: "fn", props })).violations).to.deep.equal([]);
    const strict = await runResource(policy, { type: ROLE, name: "fn", props }, { config: { confusedDeputyServices: ["lambda.amazonaws.com"] } });
    expect(strict.violations).to.have.length(1);
  });

  it("does not report an unknown trust policy", async () => {
    await expectUnknown(policy, ROLE, { assumeRolePolicy: UNKNOWN.string });
  });
});

describe("policy resource-policy-no-public-principal", () => {
  const policy = rule("resource-policy-no-public-principal");
  const FIX = "name the exact principal";

  it('passes TLS-only Deny statements, service principals and conditioned "*"', async () => {
    const props = {
      policy: doc(
        TLS_ONLY,
        {
          Effect: "Allow",
          Principal: { Service: "sns.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: "arn:aws:sqs:eu-west-1:123456789012:q",
          Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-1:123456789012:t" } },
        },
        {
          Effect: "Allow",
          Principal: "*",
          Action: "sqs:SendMessage",
          Resource: "arn:aws:sqs:eu-west-1:123456789012:q",
          Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } },
        },
      ),
    };
    expect((await runResource(policy, { type: "aws:sqs/queuePolicy:QueuePolicy", props })).violations).to.deep.equal([]);
  });

  it('reports an unconditioned Allow to Principal "*" on a queue', async () => {
    const props = {
      policy: doc(TLS_ONLY, { Sid: "Public", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:eu-west-1:123456789012:q" }),
    };
    const outcome = await runResource(policy, { type: "aws:sqs/queuePolicy:QueuePolicy", name: "orders", props });
    expectOne(outcome.violations, 'QueuePolicy "orders": policy statement "Public" allows "sqs:SendMessage" to Principal "*" without a Condition', FIX);
  });

  it('reports AWS "*" on a bucket and a topic, including inline policies', async () => {
    const policyDoc = doc({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" });
    for (const type of ["aws:s3/bucketPolicy:BucketPolicy", "aws:sns/topicPolicy:TopicPolicy", "aws:s3/bucket:Bucket", "aws:sqs/queue:Queue"]) {
      const outcome = await runResource(policy, { type, props: { policy: policyDoc } });
      expectOne(outcome.violations, 'policy statement #1 allows "s3:GetObject" to AWS "*" without a Condition', FIX);
    }
  });

  it("reports an unconditioned Allow with NotPrincipal", async () => {
    const props = { policy: doc({ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sns:Publish", Resource: "*" }) };
    const outcome = await runResource(policy, { type: "aws:sns/topicPolicy:TopicPolicy", props });
    expectOne(outcome.violations, 'allows "sns:Publish" to everyone but its NotPrincipal, without a Condition', FIX);
  });

  it("does not report an unknown policy", async () => {
    await expectUnknown(policy, "aws:s3/bucketPolicy:BucketPolicy", { bucket: "b", policy: UNKNOWN.string });
  });
});

describe("policy iam-no-user-inline-policies", () => {
  const policy = rule("iam-no-user-inline-policies");

  it("passes role policies", async () => {
    expect((await runResource(policy, { type: ROLE_POLICY, props: { role: "r", policy: doc(SCOPED) } })).violations).to.deep.equal([]);
  });

  it("reports a user policy, even while its inputs are unknown (existing is enough)", async () => {
    const outcome = await runResource(policy, { type: "aws:iam/userPolicy:UserPolicy", name: "ci", props: { user: UNKNOWN.string, policy: UNKNOWN.string } });
    expectOne(
      outcome.violations,
      'aws:iam/userPolicy:UserPolicy "ci": inline policy attached directly to an IAM user',
      "grant the permissions to a role the user assumes",
    );
    expect(outcome.unknown).to.equal(undefined);
  });
});

describe("policy kms-key-explicit-policy", () => {
  const policy = rule("kms-key-explicit-policy");
  const KEY = "aws:kms/key:Key";
  const ROOT = { Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" };
  const SERVICE = {
    Sid: "Logs",
    Effect: "Allow",
    Principal: { Service: "logs.eu-west-1.amazonaws.com" },
    Action: ["kms:Encrypt*", "kms:Decrypt*"],
    Resource: "*",
  };
  const run = (fixtures: Parameters<typeof stackOf>[0]) => runStack(policy, stackOf(fixtures));

  it("passes an enabled key with its own policy, on the key or as a KeyPolicy", async () => {
    expect((await run([{ type: KEY, name: "data", props: { policy: doc(ROOT, SERVICE) } }])).violations).to.deep.equal([]);
    // A policy that only delegates to IAM is a choice written in code.
    expect((await run([{ type: KEY, name: "data", props: { policy: doc(ROOT) } }])).violations).to.deep.equal([]);
    const split = [
      { type: KEY, name: "data", props: {} },
      { type: "aws:kms/keyPolicy:KeyPolicy", name: "data-policy", props: { keyId: "data-id", policy: doc(ROOT, SERVICE) }, dependsOn: { keyId: ["data"] } },
    ];
    expect((await run(split)).violations).to.deep.equal([]);
  });

  it("reports a key on KMS's default policy, a replica key without one, and a disabled key", async () => {
    expectOne(
      (await run([{ type: KEY, name: "data", props: {} }])).violations,
      'aws:kms/key:Key "data" has no key policy',
      "set policy (or add an aws.kms.KeyPolicy)",
    );
    expectOne(
      (await run([{ type: "aws:kms/replicaKey:ReplicaKey", name: "dr", props: {} }])).violations,
      'aws:kms/replicaKey:ReplicaKey "dr" has no key policy',
      "set policy",
    );
    expectOne((await run([{ type: KEY, name: "data", props: { policy: doc(ROOT, SERVICE), isEnabled: false } }])).violations, "is disabled", "set policy");
  });
});
