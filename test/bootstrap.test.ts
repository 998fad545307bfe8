/**
 * The bootstrap program (bootstrap/): synthesized under mocks like the platform, its documents
 * evaluated with a real IAM policy simulator (@cloud-copilot/iam-simulate), and held against the
 * platform's stacks and workflows, so the roles it creates are exactly the ones the workflows
 * assume and exactly enough for a deploy of every shipped stack.
 */
import * as fs from "fs";
import * as path from "path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { expect } from "chai";
import * as YAML from "js-yaml";
import {
  DATA_READS,
  DEPLOY_SESSION_SECONDS,
  deployPolicy,
  deployServices,
  Document,
  GITHUB_OIDC_HOST,
  PASSED_TO_SERVICES,
  PASSED_TO_WITHOUT_TRUST,
  previewPolicy,
  serviceOf,
  workloadBoundary,
} from "../bootstrap/access";
import { ciSubjects, pulumiAudience } from "../bootstrap/pulumi-cloud";
import { resolveBootstrapSettings } from "../bootstrap/settings";
import { ConfigError } from "../stacks";
import { boundaryPolicyArn, iamPath } from "../stacks/iam-scope";
import { validateDocuments } from "../tools/fidelity/documents";
import type { SourcedDocument } from "../tools/fidelity/iam-world";
import { MOCK_ACCOUNT_ID, SynthResult } from "../tools/harness";
import { BOOTSTRAP_DIR, ofType, rejectionOf, settingsOf, STACKS, synth, synthBootstrap, synthWith, T } from "./helpers";

const ACCOUNT = MOCK_ACCOUNT_ID;
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${GITHUB_OIDC_HOST}`;
const NS = "platform-bootstrap";
const shipped = YAML.load(fs.readFileSync(path.join(BOOTSTRAP_DIR, "Pulumi.main.yaml"), "utf8")) as { config: Record<string, any> };
const REPO: string = shipped.config[`${NS}:repository`];
const ENVIRONMENTS: Record<string, string> = Object.fromEntries(
  (shipped.config[`${NS}:stacks`] as { stack: string; environment: string }[]).map((s) => [s.stack, s.environment]),
);

/**
 * The simulator knows no claim keys of an OIDC provider (`<host>:sub`), so a trust policy's are
 * renamed, on both sides, to a global key it evaluates with the same operators and values.
 */
const claimAlias = (key: string) => key.replace(`${GITHUB_OIDC_HOST}:`, "aws:PrincipalTag/github-");
function aliasClaims(doc: Document): Document {
  return {
    ...doc,
    Statement: doc.Statement.map((s) => ({
      ...s,
      Condition:
        s.Condition &&
        Object.fromEntries(
          Object.entries(s.Condition).map(([op, block]) => [op, Object.fromEntries(Object.entries(block).map(([k, v]) => [claimAlias(k), v]))]),
        ),
    })),
  };
}

interface Request {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
}

async function allowed(identity: Document, request: Request, boundary?: Document): Promise<boolean> {
  const response = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/platform_ci/caller`,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: request.context ?? {},
      },
      identityPolicies: [{ name: "identity", policy: identity as any }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(boundary ? { permissionBoundaryPolicies: [{ name: "boundary", policy: boundary as any }] } : {}),
    } as any,
    {},
  );
  if (response.resultType === "error") throw new Error(`simulator: ${JSON.stringify(response.errors)}`);
  return response.overallResult === "Allowed";
}

/** Whether a GitHub token with this subject (and audience) may assume a role with this trust policy. */
async function trusts(trust: Document, sub: string, aud = "sts.amazonaws.com"): Promise<boolean> {
  const response = await runSimulation(
    {
      request: {
        principal: PROVIDER,
        action: "sts:AssumeRoleWithWebIdentity",
        resource: { resource: `arn:aws:iam::${ACCOUNT}:role/platform_ci/role`, accountId: ACCOUNT },
        contextVariables: { [claimAlias(`${GITHUB_OIDC_HOST}:sub`)]: sub, [claimAlias(`${GITHUB_OIDC_HOST}:aud`)]: aud },
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: aliasClaims(trust) as any,
    },
    {},
  );
  if (response.resultType === "error") throw new Error(`simulator: ${JSON.stringify(response.errors)}`);
  return response.overallResult === "Allowed";
}

const parsed = (value: unknown): Document => (typeof value === "string" ? JSON.parse(value) : (value as Document));
const named = (result: SynthResult, type: string, name: string) => {
  const found = result.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} ${name}`);
  return found;
};
const inRegion = (region: string) => ({ "aws:RequestedRegion": region });

describe("bootstrap", function () {
  let result: SynthResult;
  before(async () => {
    result = await synthBootstrap("main");
  });

  describe("what it creates", () => {
    it("the GitHub OIDC provider for AWS STS, protected (every CI role depends on it)", () => {
      const provider = named(result, T.oidcProvider, "github");
      expect(provider.inputs).to.deep.include({ url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"] });
      expect(provider.protect).to.equal(true);
    });

    it("reuses an existing provider instead when one is configured (IAM allows one per URL)", async () => {
      const existing = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
      const reused = await synthBootstrap("main", { [`${NS}:existingOidcProviderArn`]: existing });
      expect(ofType(reused, T.oidcProvider)).to.have.length(0);
      expect(parsed(named(reused, T.role, "preview").inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({ Federated: existing });
    });

    it("a preview role, a boundary and a deploy role per listed stack, and their ARNs as the workflows' variable names", () => {
      for (const stack of Object.keys(ENVIRONMENTS)) {
        const boundary = named(result, T.policy, `${stack}-boundary`);
        expect(boundary.state.arn).to.equal(boundaryPolicyArn("aws", ACCOUNT, `platform-${stack}`));
        expect(named(result, T.role, `${stack}-deploy`).inputs.maxSessionDuration).to.equal(DEPLOY_SESSION_SECONDS);
      }
      const variables = result.outputs.githubVariables as Record<string, string>;
      expect(Object.keys(variables).sort()).to.deep.equal(
        ["AWS_PREVIEW_ROLE_ARN", ...Object.keys(ENVIRONMENTS).map((s) => `AWS_DEPLOY_ROLE_ARN_${s.toUpperCase().replace(/-/g, "_")}`)].sort(),
      );
      expect(variables.AWS_PREVIEW_ROLE_ARN).to.equal(named(result, T.role, "preview").state.arn);
    });

    it("reads each platform stack's regions from its stack file, DR region included", () => {
      for (const stack of Object.keys(ENVIRONMENTS)) {
        const settings = settingsOf(stack);
        const regions = [settings.region, ...(settings.disasterRecovery.enabled ? [settings.disasterRecovery.region] : [])];
        const statement = parsed(named(result, T.rolePolicy, `${stack}-deploy`).inputs.policy).Statement.find((x) => x.Sid === "ManagePlatformServices")!;
        expect(statement.Condition!.StringEquals["aws:RequestedRegion"], stack).to.have.members([...new Set([...regions, "us-east-1"])]);
      }
    });

    it("CI roles live outside every stack's path, so no deploy role can change them, not even a stack named ci's", async () => {
      for (const role of ofType(result, T.role)) {
        expect(role.inputs.path).to.equal("/platform_ci/");
        for (const stack of [...STACKS, "ci"]) expect(role.inputs.path).to.not.equal(iamPath(`platform-${stack}`));
      }
      const ciStack = deployPolicy("aws", ACCOUNT, { namePrefix: "platform-ci", regions: ["eu-west-1"] });
      const prodDeploy = named(result, T.role, "prod-deploy").state.arn;
      expect(await allowed(ciStack, { action: "iam:UpdateAssumeRolePolicy", resource: prodDeploy, context: inRegion("us-east-1") })).to.equal(false);
    });

    it("inline policies within IAM's 10,240 characters per role and the boundary within 6,144 (whitespace not counted)", () => {
      const size = (doc: unknown) => JSON.stringify(parsed(doc)).length;
      for (const policy of ofType(result, T.rolePolicy)) expect(size(policy.inputs.policy), policy.name).to.be.below(10_240);
      for (const policy of ofType(result, T.policy)) expect(size(policy.inputs.policy), policy.name).to.be.below(6_144);
    });

    it("registers GitHub in Pulumi Cloud for exactly the subjects the AWS roles trust, as member-level organization tokens", () => {
      const issuer = named(result, "pulumiservice:index:OidcIssuer", "github");
      const org = shipped.config[`${NS}:pulumiOrganization`];
      expect(issuer.inputs).to.include({ organization: org, url: "https://token.actions.githubusercontent.com" });
      const subjects = issuer.inputs.policies.map((p: any) => {
        expect(p).to.deep.include({ decision: "allow", tokenType: "organization", authorizedPermissions: ["standard"] });
        expect(p.rules.aud).to.equal(pulumiAudience(org));
        return p.rules.sub;
      });
      const trusted = ofType(result, T.role).flatMap((r) => parsed(r.inputs.assumeRolePolicy).Statement[0].Condition!.StringEquals[`${GITHUB_OIDC_HOST}:sub`]);
      expect([...subjects].sort()).to.deep.equal([...new Set(trusted)].sort());
    });

    it("registers nothing in Pulumi Cloud without an organization", async () => {
      const without = await synthBootstrap("main", { [`${NS}:pulumiOrganization`]: undefined });
      expect(ofType(without, "pulumiservice:index:OidcIssuer")).to.have.length(0);
    });
  });

  describe("trust: only this repository's jobs, each role only its own", () => {
    const pr = `repo:${REPO}:pull_request`;
    const main = `repo:${REPO}:ref:refs/heads/main`;
    const env = (e: string) => `repo:${REPO}:environment:${e}`;

    it("the preview role: pull requests and the main branch; no environment, no other repository, no other audience", async () => {
      const trust = parsed(named(result, T.role, "preview").inputs.assumeRolePolicy);
      expect(await trusts(trust, pr)).to.equal(true);
      expect(await trusts(trust, main)).to.equal(true);
      expect(await trusts(trust, env(ENVIRONMENTS.prod))).to.equal(false);
      expect(await trusts(trust, `repo:someone/else:pull_request`)).to.equal(false);
      expect(await trusts(trust, `repo:${REPO}:ref:refs/heads/feature`)).to.equal(false);
      expect(await trusts(trust, pr, "urn:pulumi:org:x")).to.equal(false);
    });

    for (const [stack, environment] of Object.entries(ENVIRONMENTS)) {
      it(`the ${stack} deploy role: only jobs in the ${environment} environment`, async () => {
        const trust = parsed(named(result, T.role, `${stack}-deploy`).inputs.assumeRolePolicy);
        expect(await trusts(trust, env(environment))).to.equal(true);
        expect(await trusts(trust, pr)).to.equal(false);
        expect(await trusts(trust, main)).to.equal(false);
        for (const other of Object.values(ENVIRONMENTS).filter((e) => e !== environment)) expect(await trusts(trust, env(other))).to.equal(false);
        // A wildcard would let a fork-named or look-alike environment in: subjects are exact.
        expect(await trusts(trust, env(`${environment}-x`))).to.equal(false);
      });
    }
  });

  describe("the deploy role of prod", () => {
    const prefix = "platform-prod";
    const policy = deployPolicy("aws", ACCOUNT, { namePrefix: prefix, regions: ["eu-west-1", "eu-central-1"] });
    const boundary = boundaryPolicyArn("aws", ACCOUNT, prefix);
    const role = (name: string, p = prefix) => `arn:aws:iam::${ACCOUNT}:role/${p}/${name}`;

    it("manages the platform's services in the stack's regions (its DR region too) and us-east-1, nowhere else", async () => {
      expect(await allowed(policy, { action: "ecs:CreateService", resource: "*", context: inRegion("eu-west-1") })).to.equal(true);
      expect(await allowed(policy, { action: "cloudfront:CreateDistribution", resource: "*", context: inRegion("us-east-1") })).to.equal(true);
      expect(await allowed(policy, { action: "backup:CreateBackupVault", resource: "*", context: inRegion("eu-central-1") })).to.equal(true);
      expect(await allowed(policy, { action: "ecs:CreateService", resource: "*", context: inRegion("us-west-2") })).to.equal(false);
      expect(await allowed(policy, { action: "redshift:CreateCluster", resource: "*", context: inRegion("eu-west-1") })).to.equal(false);
    });

    it("creates roles only under its path and only with its boundary", async () => {
      const create = (resource: string, ctx: Record<string, string>) =>
        allowed(policy, { action: "iam:CreateRole", resource, context: { ...inRegion("us-east-1"), ...ctx } });
      expect(await create(role("x"), { "iam:PermissionsBoundary": boundary })).to.equal(true);
      expect(await create(role("x"), {})).to.equal(false);
      expect(await create(role("x"), { "iam:PermissionsBoundary": `arn:aws:iam::aws:policy/AdministratorAccess` })).to.equal(false);
      expect(await create(role("x", "platform-dev"), { "iam:PermissionsBoundary": boundaryPolicyArn("aws", ACCOUNT, "platform-dev") })).to.equal(false);
      expect(await create(`arn:aws:iam::${ACCOUNT}:role/x`, { "iam:PermissionsBoundary": boundary })).to.equal(false);
    });

    it("cannot remove a boundary, change the boundary policy, or touch users and the CI roles", async () => {
      const ctx = inRegion("us-east-1");
      expect(await allowed(policy, { action: "iam:DeleteRolePermissionsBoundary", resource: role("x"), context: ctx })).to.equal(false);
      expect(await allowed(policy, { action: "iam:CreatePolicyVersion", resource: boundary, context: ctx })).to.equal(false);
      expect(await allowed(policy, { action: "iam:CreateUser", resource: `arn:aws:iam::${ACCOUNT}:user/x`, context: ctx })).to.equal(false);
      expect(await allowed(policy, { action: "iam:UpdateAssumeRolePolicy", resource: role("platform-prod-deploy", "platform_ci"), context: ctx })).to.equal(
        false,
      );
    });

    it("passes its roles only to the services that run them", async () => {
      const pass = (service: string, resource = role("x")) =>
        allowed(policy, { action: "iam:PassRole", resource, context: { ...inRegion("us-east-1"), "iam:PassedToService": service } });
      expect(await pass("ecs-tasks.amazonaws.com")).to.equal(true);
      expect(await pass("ec2.amazonaws.com")).to.equal(false);
      expect(await pass("ecs-tasks.amazonaws.com", role("x", "platform-dev"))).to.equal(false);
    });

    it("passes Application Auto Scaling's own service-linked role back on a target update, and no other AWS role", async () => {
      const pass = (resource: string) => allowed(policy, { action: "iam:PassRole", resource, context: inRegion("us-east-1") });
      expect(
        await pass(
          `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
        ),
      ).to.equal(true);
      expect(await pass(`arn:aws:iam::${ACCOUNT}:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS`)).to.equal(false);
    });

    it("passes the Git connection to CodePipeline but cannot use it itself", async () => {
      const connection = `arn:aws:codestar-connections:eu-west-1:${ACCOUNT}:connection/x`;
      expect(await allowed(policy, { action: "codestar-connections:PassConnection", resource: connection, context: inRegion("eu-west-1") })).to.equal(true);
      expect(await allowed(policy, { action: "codestar-connections:UseConnection", resource: connection, context: inRegion("eu-west-1") })).to.equal(false);
    });

    it("creates only the service-linked roles the platform's services need", async () => {
      const slr = (service: string) =>
        allowed(policy, {
          action: "iam:CreateServiceLinkedRole",
          resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${service}/x`,
          context: { ...inRegion("us-east-1"), "iam:AWSServiceName": service },
        });
      expect(await slr("rds.amazonaws.com")).to.equal(true);
      expect(await slr("redshift.amazonaws.com")).to.equal(false);
    });
  });

  describe("the preview role", () => {
    const policy = previewPolicy(["eu-west-1"]);

    it("reads configuration and roles", async () => {
      expect(await allowed(policy, { action: "ecs:DescribeServices", resource: "*", context: inRegion("eu-west-1") })).to.equal(true);
      expect(await allowed(policy, { action: "route53:ListHostedZonesByName", resource: "*", context: inRegion("us-east-1") })).to.equal(true);
      expect(
        await allowed(policy, { action: "ssm:GetParameter", resource: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/x`, context: inRegion("eu-west-1") }),
      ).to.equal(true);
    });

    it("writes nothing and reads no data", async () => {
      expect(await allowed(policy, { action: "ecs:UpdateService", resource: "*", context: inRegion("eu-west-1") })).to.equal(false);
      expect(await allowed(policy, { action: "iam:CreateRole", resource: `arn:aws:iam::${ACCOUNT}:role/x`, context: inRegion("us-east-1") })).to.equal(false);
      const reads: Request[] = [
        { action: "s3:GetObject", resource: "arn:aws:s3:::bucket/key" },
        { action: "secretsmanager:GetSecretValue", resource: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:x` },
        { action: "dynamodb:GetItem", resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/x` },
        { action: "logs:GetLogEvents", resource: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:x:log-stream:y` },
      ];
      for (const r of reads) expect(await allowed(policy, { ...r, context: inRegion("eu-west-1") }), r.action).to.equal(false);
      expect(DATA_READS).to.include.members(reads.map((r) => r.action.replace("s3:GetObject", "s3:GetObject*")));
    });
  });

  describe("fits the platform's shipped stacks", () => {
    it("prod with every optional feature on (Prometheus and Grafana): its types are the deploy role's, its roles passable", async () => {
      const result = await synthWith("prod", { "platform:prometheus": { enabled: true, grafana: true } });
      const services = deployServices();
      for (const type of new Set(result.resources.map((r) => r.type))) {
        const service = serviceOf(type);
        if (service !== undefined) expect(services, type).to.include(service);
      }
      for (const role of ofType(result, T.role))
        expect(PASSED_TO_SERVICES, role.name).to.include((parsed(role.inputs.assumeRolePolicy).Statement[0] as any).Principal.Service);
      expect(ofType(result, "aws:grafana/workspace:Workspace")).to.have.length(1);
    });

    for (const stack of STACKS) {
      it(`${stack}: every resource type is one of the deploy role's services`, async () => {
        const services = deployServices();
        for (const type of new Set((await synth(stack)).resources.map((r) => r.type))) {
          const service = serviceOf(type);
          if (service !== undefined) expect(services, type).to.include(service);
        }
      });

      it(`${stack}: every role is under the stack's path, carries the bootstrap's boundary, and trusts a service the deploy role may pass it to`, async () => {
        const result = await synth(stack);
        const prefix = settingsOf(stack).namePrefix;
        for (const role of ofType(result, T.role)) {
          expect(role.inputs.path, role.name).to.equal(iamPath(prefix));
          expect(role.inputs.permissionsBoundary, role.name).to.equal(boundaryPolicyArn("aws", ACCOUNT, prefix));
          expect(PASSED_TO_SERVICES, role.name).to.include(
            parsed(role.inputs.assumeRolePolicy).Statement[0].Principal!.Federated ??
              (parsed(role.inputs.assumeRolePolicy).Statement[0] as any).Principal.Service,
          );
        }
      });
    }

    it("the pass-role list is exactly the stacks' role principals, optional features included (nothing passed that no stack needs)", async () => {
      const principals = new Set<string>();
      const optional = await synthWith("prod", { "platform:prometheus": { enabled: true, grafana: true } });
      for (const result of [...(await Promise.all(STACKS.map((stack) => synth(stack)))), optional])
        for (const role of ofType(result, T.role)) principals.add((parsed(role.inputs.assumeRolePolicy).Statement[0] as any).Principal.Service);
      expect([...principals, ...Object.keys(PASSED_TO_WITHOUT_TRUST)].sort()).to.deep.equal([...PASSED_TO_SERVICES].sort());
    });

    it("an unknown AWS type is refused by name, so a new type cannot reach a deploy the role cannot make", () => {
      expect(() => serviceOf("aws:appmesh/mesh:Mesh")).to.throw("no IAM service for resource type aws:appmesh/mesh:Mesh");
    });

    it("the boundary leaves IAM administration out and passes only the stack's roles", async () => {
      const boundary = workloadBoundary("aws", ACCOUNT, "platform-prod", ["eu-west-1", "eu-central-1"]);
      const everything: Document = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
      expect(
        await allowed(everything, { action: "sqs:SendMessage", resource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:q`, context: inRegion("eu-west-1") }, boundary),
      ).to.equal(true);
      // The ceiling holds for whatever a role is granted: nothing outside the stack's regions and us-east-1.
      expect(
        await allowed(everything, { action: "sqs:SendMessage", resource: `arn:aws:sqs:us-west-2:${ACCOUNT}:q`, context: inRegion("us-west-2") }, boundary),
      ).to.equal(false);
      expect(await allowed(everything, { action: "iam:CreateRole", resource: `arn:aws:iam::${ACCOUNT}:role/x` }, boundary)).to.equal(false);
      expect(await allowed(everything, { action: "iam:PassRole", resource: `arn:aws:iam::${ACCOUNT}:role/platform-prod/x` }, boundary)).to.equal(true);
      expect(await allowed(everything, { action: "iam:PassRole", resource: `arn:aws:iam::${ACCOUNT}:role/platform-dev/x` }, boundary)).to.equal(false);
    });

    it("with platform:iamBoundary none, roles keep the path and carry no boundary", async () => {
      const result = await synthWith("dev", { "platform:iamBoundary": "none" });
      for (const role of ofType(result, T.role)) {
        expect(role.inputs.path).to.equal(iamPath("platform-dev"));
        expect(role.inputs.permissionsBoundary).to.equal(undefined);
      }
    });
  });

  describe("fits the workflows", () => {
    const deploy = YAML.load(fs.readFileSync(path.join(BOOTSTRAP_DIR, "..", ".github", "workflows", "deploy.yml"), "utf8")) as any;
    const upJobs = Object.values<any>(deploy.jobs).filter((j) => j.environment);

    it("each deploy job's environment is the one the bootstrap's deploy role of that stack trusts", () => {
      for (const job of upJobs) {
        const up = job.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions"));
        const stack = String(up.with["stack-name"]).split("/").pop()!;
        expect(job.environment, stack).to.equal(ENVIRONMENTS[stack]);
      }
    });

    it("no deploy job asks for a longer session than its role grants", () => {
      for (const job of upJobs) {
        const creds = job.steps.find((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials"));
        expect(Number(creds.with["role-duration-seconds"] ?? 3600)).to.be.at.most(DEPLOY_SESSION_SECONDS);
      }
    });

    it("the Pulumi Cloud subjects cover every job that logs in to Pulumi", () => {
      const settings = resolveBootstrapSettings("main", NS, { [`${NS}:repository`]: REPO, [`${NS}:stacks`]: JSON.stringify(shipped.config[`${NS}:stacks`]) });
      expect(ciSubjects(settings)).to.have.members([
        `repo:${REPO}:pull_request`,
        `repo:${REPO}:ref:refs/heads/main`,
        ...Object.values(ENVIRONMENTS).map((e) => `repo:${REPO}:environment:${e}`),
      ]);
    });
  });

  describe("bad config: one line per problem, naming the key, before any resource", () => {
    const problems = async (overrides: Record<string, unknown>) => {
      const err = await rejectionOf(synthBootstrap("main", overrides));
      expect(err).to.be.instanceOf(ConfigError);
      return (err as ConfigError).problems.map((p) => `${p.key}: ${p.allowed}`);
    };

    it("a repository that is not owner/name", async () => {
      expect(await problems({ [`${NS}:repository`]: "platform" })).to.deep.equal([`${NS}:repository: a GitHub repository as owner/name, e.g. acme/platform`]);
    });

    it("a stack without a platform stack file, and two stacks sharing an environment", async () => {
      const stacks = [
        { stack: "qa", environment: "qa" },
        { stack: "dev", environment: "dev" },
        { stack: "staging", environment: "dev" },
      ];
      expect(await problems({ [`${NS}:stacks`]: stacks })).to.deep.equal([
        `${NS}:stacks[0].stack: needs the platform stack file Pulumi.qa.yaml next to the platform's Pulumi.yaml`,
        `${NS}:stacks[2].environment: each stack needs its own GitHub environment (the deploy role trusts exactly one)`,
      ]);
    });

    it("an unknown key", async () => {
      const found = await problems({ [`${NS}:stacks`]: [{ stack: "dev", environment: "dev", region: "eu-west-1" }] });
      expect(found).to.have.length(1);
      expect(found[0]).to.match(new RegExp(`^${NS}:stacks\\[0\\]\\.region: `));
    });
  });
});

describe("bootstrap documents against AWS's Service Authorization Reference", () => {
  it("every action exists, fits its resources, and every condition key applies (trust, deploy, preview, boundary)", async () => {
    const result = await synthBootstrap("main");
    const docs: SourcedDocument[] = [
      ...ofType(result, T.role).map((r) => ({
        id: `${r.name}#trust`,
        kind: "trust" as const,
        appliesTo: r.state.arn,
        document: parsed(r.inputs.assumeRolePolicy) as any,
      })),
      ...ofType(result, T.rolePolicy).map((p) => ({ id: p.name, kind: "identity" as const, appliesTo: p.name, document: parsed(p.inputs.policy) as any })),
      ...ofType(result, T.policy).map((p) => ({
        id: p.name,
        kind: "identity" as const,
        appliesTo: p.name,
        document: parsed(p.inputs.policy) as any,
      })),
    ];
    expect(docs.length).to.be.above(5);
    // The OIDC provider's own claim keys (`<host>:aud`, `<host>:sub`) are valid for federated trust
    // (IAM user guide, "Available keys for AWS OIDC federation") but are not in the reference's data.
    const oidcClaim = new RegExp(`condition key ${GITHUB_OIDC_HOST.replace(/\./g, "\\.")}:(aud|sub) applies to none of sts:AssumeRoleWithWebIdentity$`);
    expect((await validateDocuments(docs)).filter((line) => !oidcClaim.test(line))).to.deep.equal([]);
  });
});
