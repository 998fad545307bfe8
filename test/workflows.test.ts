/**
 * The GitHub Actions workflows, read as data: what runs on a pull request (tests, then a policy-checked
 * Pulumi preview of every stack, commented on the PR) and on main (tests, then `up` to dev, then to
 * prod behind the protected `production` environment), with least-privilege tokens, OIDC instead of
 * stored AWS keys, pinned actions, and stack names that match this repository's Pulumi project.
 * Offline: only the YAML files are parsed; nothing is run.
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import * as YAML from "js-yaml";
import { settingsOf, STACKS } from "./helpers";

const ROOT = path.resolve(__dirname, "..");
const WORKFLOW_DIR = path.join(ROOT, ".github", "workflows");
const WORKFLOW_FILES = ["pull-request.yml", "deploy.yml"] as const;
type WorkflowFile = (typeof WORKFLOW_FILES)[number];

const PULUMI_ACTION = "pulumi/actions";
const AWS_CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials";
const PULUMI_AUTH_ACTION = "pulumi/auth-actions";

interface Step {
  id?: string;
  if?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

interface Job {
  name?: string;
  concurrency?: unknown;
  "runs-on"?: unknown;
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string; url?: string };
  permissions?: unknown;
  strategy?: { "fail-fast"?: unknown; matrix?: Record<string, unknown> };
  env?: Record<string, unknown>;
  uses?: string;
  steps?: Step[];
}

interface Workflow {
  name?: string;
  on: Record<string, any>;
  permissions?: unknown;
  concurrency?: { group?: string; "cancel-in-progress"?: unknown } | string;
  jobs: Record<string, Job>;
}

function readText(file: WorkflowFile): string {
  return fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
}

const cache = new Map<WorkflowFile, Workflow>();

/** The parsed workflow (read once; parsed lazily so a broken file fails its tests, not the whole run). */
function workflow(file: WorkflowFile): Workflow {
  if (!cache.has(file)) cache.set(file, load(file));
  return cache.get(file)!;
}

function load(file: WorkflowFile): Workflow {
  let data: any;
  // js-yaml throws on invalid YAML and on duplicate keys, which GitHub would reject too.
  expect(() => (data = YAML.load(readText(file), { filename: file })), `${file} must be valid YAML`).to.not.throw();
  expect(data, `${file} must be a mapping`).to.be.an("object");
  // YAML 1.2 (the default here) reads `on` as a string key; a YAML 1.1 reader would make it `true`.
  const on = data.on ?? data[true as any];
  expect(on, `${file} must have triggers (on:)`).to.be.an("object");
  expect(data.jobs, `${file} must have jobs`).to.be.an("object").that.is.not.empty;
  return { ...data, on };
}

/** Pulumi project name, from `name:` in Pulumi.yaml. */
function projectName(): string {
  const project = YAML.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as any;
  expect(project.name, "Pulumi.yaml must name the project").to.be.a("string").that.is.not.empty;
  return project.name;
}

/** `aws:region` of a stack, from its Pulumi.<stack>.yaml. */
function stackRegion(stack: string): unknown {
  const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
  return (YAML.load(fs.readFileSync(file, "utf8")) as any)?.config?.["aws:region"];
}

function job(wf: Workflow, id: string): Job {
  const found = wf.jobs[id];
  expect(found, `job ${id}`).to.be.an("object");
  return found;
}

function needsOf(j: Job): string[] {
  return j.needs === undefined ? [] : Array.isArray(j.needs) ? j.needs : [j.needs];
}

function environmentName(j: Job): string | undefined {
  return typeof j.environment === "string" ? j.environment : j.environment?.name;
}

/** `owner/repo[/path]` of a `uses:` reference, without the ref. */
function actionName(uses: string | undefined): string | undefined {
  return uses?.split("@")[0];
}

function stepsUsing(j: Job, action: string): Step[] {
  return (j.steps ?? []).filter((s) => actionName(s.uses) === action);
}

/** The single step of `j` that uses `action`. */
function onlyStep(j: Job, action: string): Step {
  const steps = stepsUsing(j, action);
  expect(steps, `exactly one ${action} step`).to.have.length(1);
  return steps[0];
}

function stepIndex(j: Job, predicate: (s: Step) => boolean): number {
  return (j.steps ?? []).findIndex(predicate);
}

function runsCommand(s: Step, command: string): boolean {
  return typeof s.run === "string" && s.run.split("\n").some((line) => line.trim() === command);
}

/** Permissions as a scope -> level map; fails on the `read-all`/`write-all` shorthands or a missing block. */
function permissionMap(value: unknown, where: string): Record<string, string> {
  expect(value, `${where}: permissions must be set explicitly (never the repository default)`).to.not.equal(undefined);
  expect(value, `${where}: permissions must be a scope map, not a read-all/write-all shorthand`).to.be.an("object");
  const map = value as Record<string, unknown>;
  for (const [scope, level] of Object.entries(map)) {
    expect(["read", "write", "none"], `${where}: ${scope}: ${String(level)}`).to.include(level);
  }
  return map as Record<string, string>;
}

function writeScopes(value: unknown, where: string): string[] {
  return Object.entries(permissionMap(value, where))
    .filter(([, level]) => level === "write")
    .map(([scope]) => scope)
    .sort();
}

/** A file of the repository, as text. */
function readRoot(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), "utf8");
}

/** Every `uses:` of a workflow, at job level (reusable workflows) and step level. */
function allUses(wf: Workflow): string[] {
  return Object.values(wf.jobs).flatMap((j) => [
    ...(j.uses ? [j.uses] : []),
    ...(j.steps ?? []).filter((s) => s.uses !== undefined).map((s) => String(s.uses)),
  ]);
}

/** The order a commit is promoted in; a test keeps it equal to the stack files there are. */
const PROMOTION = ["dev", "staging", "prod", "prod-dr"];
/** The protected GitHub environment of each stack that has one. */
const PROTECTED: Record<string, string> = { prod: "production", "prod-dr": "production-dr" };
const upJob = (stack: string) => `up-${stack}`;

describe("GitHub workflows", () => {
  const pr = (): Workflow => workflow("pull-request.yml");
  const deploy = (): Workflow => workflow("deploy.yml");
  const both = (): Array<[WorkflowFile, Workflow]> => WORKFLOW_FILES.map((file) => [file, workflow(file)]);

  describe("triggers", () => {
    it("pull-request.yml runs on pull requests to main, and on nothing else", () => {
      expect(Object.keys(pr().on)).to.deep.equal(["pull_request"]);
      expect(pr().on.pull_request?.branches).to.deep.equal(["main"]);
    });

    it("deploy.yml runs on pushes to main and by hand, never on pull requests", () => {
      expect(Object.keys(deploy().on).sort()).to.deep.equal(["push", "workflow_dispatch"]);
      expect(deploy().on.push?.branches).to.deep.equal(["main"]);
      expect(deploy().on.push?.tags, "no tag pushes").to.equal(undefined);
    });

    it("no workflow uses pull_request_target (it would hand secrets to code from forks)", () => {
      for (const [file, wf] of both()) expect(Object.keys(wf.on), file).to.not.include("pull_request_target");
    });
  });

  describe("test job", () => {
    for (const file of WORKFLOW_FILES) {
      const wf = (): Workflow => workflow(file);
      it(`${file}: checks out, sets up the project's Node (.nvmrc) with the npm cache, then runs npm ci and npm test`, () => {
        const test = job(wf(), "test");
        expect(test["runs-on"]).to.equal("ubuntu-latest");
        expect(stepIndex(test, (s) => actionName(s.uses) === "actions/checkout")).to.equal(0);
        const node = onlyStep(test, "actions/setup-node");
        expect(node.with?.["node-version-file"]).to.equal(".nvmrc");
        expect(node.with?.cache).to.equal("npm");
        const ci = stepIndex(test, (s) => runsCommand(s, "npm ci"));
        const npmTest = stepIndex(test, (s) => runsCommand(s, "npm test"));
        expect(ci, "npm ci").to.be.greaterThan(stepIndex(test, (s) => s === node));
        expect(npmTest, "npm test after npm ci").to.be.greaterThan(ci);
        expect(needsOf(test), "tests run first").to.deep.equal([]);
      });
    }
  });

  describe("preview (pull requests)", () => {
    let preview: Job;
    beforeEach(() => {
      preview = job(pr(), "preview");
    });

    it("runs once per stack file, after the tests, without fail-fast", () => {
      expect(needsOf(preview)).to.deep.equal(["test"]);
      expect([...(preview.strategy?.matrix?.stack as string[])].sort()).to.deep.equal([...STACKS].sort());
      expect(preview.strategy?.["fail-fast"]).to.equal(false);
    });

    it("may request an OIDC token and comment on the PR, and nothing else beyond reading the code", () => {
      expect(permissionMap(preview.permissions, "preview")).to.deep.equal({
        contents: "read",
        "id-token": "write",
        "pull-requests": "write",
      });
    });

    it("installs dependencies, assumes the preview role by OIDC, then runs pulumi preview with the policy pack and a PR comment", () => {
      const install = stepIndex(preview, (s) => runsCommand(s, "npm ci"));
      const aws = onlyStep(preview, AWS_CREDENTIALS_ACTION);
      const pulumi = onlyStep(preview, PULUMI_ACTION);
      expect(install, "npm ci").to.be.at.least(0);
      expect(stepIndex(preview, (s) => s === aws)).to.be.greaterThan(install);
      expect(stepIndex(preview, (s) => s === pulumi)).to.be.greaterThan(stepIndex(preview, (s) => s === aws));
      expect(aws.with?.["role-to-assume"]).to.equal("${{ vars.AWS_PREVIEW_ROLE_ARN }}");
      expect(pulumi.with?.command).to.equal("preview");
      expect(pulumi.with?.policyPacks).to.equal("policies");
      expect(String(pulumi.with?.["comment-on-pr"])).to.equal("true");
      expect(pulumi.with?.["github-token"]).to.equal("${{ secrets.GITHUB_TOKEN }}");
      expect(String(pulumi.with?.diff)).to.equal("true");
    });

    it("cancels the previous run of the same PR", () => {
      const concurrency = pr().concurrency;
      expect(concurrency).to.be.an("object");
      const { group, "cancel-in-progress": cancel } = concurrency as { group?: string; "cancel-in-progress"?: unknown };
      expect(group).to.be.a("string").that.includes("github.event.pull_request.number");
      expect(cancel).to.equal(true);
    });
  });

  describe("deploy (main)", () => {
    const ups = (): Job[] => PROMOTION.map((stack) => job(deploy(), upJob(stack)));

    it("promotes every stack file, in order: dev after the tests, then staging, then prod after its preview", () => {
      expect([...PROMOTION].sort(), "PROMOTION names every Pulumi.<stack>.yaml").to.deep.equal([...STACKS].sort());
      expect(Object.keys(deploy().jobs).sort()).to.deep.equal(["test", ...PROMOTION.map(upJob), "preview-prod"].sort());
      PROMOTION.forEach((stack, i) => {
        const up = job(deploy(), upJob(stack));
        const before = i === 0 ? "test" : stack === "prod" ? "preview-prod" : upJob(PROMOTION[i - 1]);
        // (prod-dr follows up-prod: its secondary joins prod's global database.)
        expect(needsOf(up), upJob(stack)).to.deep.equal([before]);
        expect(onlyStep(up, PULUMI_ACTION).with?.command).to.equal("up");
      });
      expect(needsOf(job(deploy(), "preview-prod"))).to.deep.equal([upJob("staging")]);
    });

    it("previews prod for the deployed commit into the run summary before the approval gate, read-only", () => {
      const preview = job(deploy(), "preview-prod");
      expect(environmentName(preview), "no environment: nothing waits for approval before the preview").to.equal(undefined);
      expect(preview.if).to.equal("github.ref == 'refs/heads/main'");
      const step = onlyStep(preview, PULUMI_ACTION);
      expect(step.with).to.include({ command: "preview", "stack-name": "${{ vars.PULUMI_ORG }}/platform/prod", policyPacks: "policies" });
      expect(onlyStep(preview, AWS_CREDENTIALS_ACTION).with?.["role-to-assume"]).to.equal("${{ vars.AWS_PREVIEW_ROLE_ARN }}");
      const summary = (preview.steps ?? []).find((s) => typeof s.run === "string" && s.run.includes("GITHUB_STEP_SUMMARY"));
      expect(summary, "a step writes the preview to the summary").to.not.equal(undefined);
      // The output reaches the shell through the environment, never pasted into the script.
      expect(summary!.run).to.not.contain("${{");
      expect(summary!.env?.PREVIEW).to.equal(`\${{ steps.${step.id}.outputs.output }}`);
    });

    it("plans each stack with --strict before its up, so no example value reaches a deploy", () => {
      for (const stack of PROMOTION) {
        const j = job(deploy(), upJob(stack));
        const plan = stepIndex(j, (s) => runsCommand(s, `npm run plan -- --stack ${stack} --strict`));
        expect(plan, `${upJob(stack)}: plan --strict`).to.be.greaterThan(stepIndex(j, (s) => runsCommand(s, "npm ci")));
        expect(plan, "before pulumi").to.be.lessThan((j.steps ?? []).indexOf(onlyStep(j, PULUMI_ACTION)));
      }
    });

    it("enforces the policy pack on every up", () => {
      for (const j of ups()) expect(onlyStep(j, PULUMI_ACTION).with?.policyPacks).to.equal("policies");
    });

    it("deploys prod in the protected production environment and every other stack in its own", () => {
      for (const stack of PROMOTION) expect(environmentName(job(deploy(), upJob(stack))), stack).to.equal(PROTECTED[stack] ?? stack);
      // Reviewers are configured on the environment in GitHub, not here: keep the reason visible.
      expect(readText("deploy.yml")).to.match(/required reviewers/i);
    });

    it("assumes a separate deploy role per stack by OIDC", () => {
      for (const stack of PROMOTION) {
        const j = job(deploy(), upJob(stack));
        expect(onlyStep(j, AWS_CREDENTIALS_ACTION).with?.["role-to-assume"]).to.equal(
          `\${{ vars.AWS_DEPLOY_ROLE_ARN_${stack.toUpperCase().replace(/-/g, "_")} }}`,
        );
        const steps = j.steps ?? [];
        const aws = steps.indexOf(onlyStep(j, AWS_CREDENTIALS_ACTION));
        expect(steps.indexOf(onlyStep(j, PULUMI_ACTION)), "credentials before pulumi").to.be.greaterThan(aws);
        expect(
          stepIndex(j, (s) => runsCommand(s, "npm ci")),
          "npm ci before pulumi",
        ).to.be.within(0, aws);
      }
    });

    it("only deploys from main, even when dispatched by hand", () => {
      for (const j of ups()) expect(j.if).to.equal("github.ref == 'refs/heads/main'");
    });

    it("never runs two deploys of a stack at once and never cancels one half-way", () => {
      expect(deploy().concurrency, "no workflow-wide group: dev must not wait behind a prod approval").to.equal(undefined);
      for (const stack of PROMOTION) expect(job(deploy(), upJob(stack)).concurrency).to.deep.equal({ group: `deploy-${stack}`, "cancel-in-progress": false });
    });
  });

  describe("permissions", () => {
    /** Scopes each job may write; everything else is read or none. */
    const ALLOWED_WRITES: Record<WorkflowFile, Record<string, string[]>> = {
      "pull-request.yml": { test: [], "offline-plan": [], preview: ["id-token", "pull-requests"] },
      "deploy.yml": { test: [], "preview-prod": ["id-token"], ...Object.fromEntries(PROMOTION.map((stack) => [upJob(stack), ["id-token"]])) },
    };

    for (const file of WORKFLOW_FILES) {
      const wf = (): Workflow => workflow(file);
      it(`${file}: no write scope at workflow level, and no write-all/read-all anywhere`, () => {
        expect(writeScopes(wf().permissions, `${file} (workflow)`)).to.deep.equal([]);
        expect(readText(file)).to.not.match(/write-all|read-all/);
      });

      it(`${file}: every job declares its permissions and writes only what it is allowed to`, () => {
        expect(Object.keys(wf().jobs).sort()).to.deep.equal(Object.keys(ALLOWED_WRITES[file]).sort());
        for (const [id, j] of Object.entries(wf().jobs)) {
          expect(writeScopes(j.permissions, `${file} ${id}`), `${file} ${id}`).to.deep.equal(ALLOWED_WRITES[file][id]);
        }
      });

      it(`${file}: id-token: write exactly on the jobs that assume an AWS role`, () => {
        for (const [id, j] of Object.entries(wf().jobs)) {
          const assumesRole = stepsUsing(j, AWS_CREDENTIALS_ACTION).length > 0;
          const oidc = permissionMap(j.permissions, `${file} ${id}`)["id-token"] === "write";
          expect(oidc, `${file} ${id}: id-token: write ${assumesRole ? "needed" : "not allowed"}`).to.equal(assumesRole);
        }
      });
    }

    it("only the PR preview may write to pull requests", () => {
      const writers = both().flatMap(([file, wf]) =>
        Object.entries(wf.jobs)
          .filter(([, j]) => permissionMap(j.permissions, `${file}`)["pull-requests"] === "write")
          .map(([id]) => `${file}:${id}`),
      );
      expect(writers).to.deep.equal(["pull-request.yml:preview"]);
    });
  });

  describe("credentials", () => {
    for (const file of WORKFLOW_FILES) {
      it(`${file}: holds no static AWS access keys`, () => {
        const text = readText(file);
        for (const forbidden of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "aws-access-key-id"]) {
          expect(text, forbidden).to.not.include(forbidden);
        }
        expect(text.toLowerCase()).to.not.match(/aws[-_]secret[-_]access[-_]key|aws[-_]session[-_]token/);
      });
    }

    it("every AWS credentials step assumes a role from a repository/environment variable through STS in eu-west-1, the primary stacks' region", () => {
      const steps = both().flatMap(([, wf]) => Object.values(wf.jobs).flatMap((j) => stepsUsing(j, AWS_CREDENTIALS_ACTION)));
      expect(steps).to.have.length(2 + STACKS.length);
      // A standby runs in its primary's DR region; its credentials come from STS in eu-west-1 all the same.
      for (const stack of STACKS.filter((x) => !settingsOf(x).standby)) expect(stackRegion(stack), `aws:region of ${stack}`).to.equal("eu-west-1");
      for (const s of steps) {
        expect(s.with?.["role-to-assume"]).to.match(/^\$\{\{ vars\.[A-Z0-9_]+ \}\}$/);
        expect(s.with?.["aws-region"]).to.equal("eu-west-1");
      }
    });

    it("every Pulumi step logs in with a short-lived OIDC token of the PULUMI_ORG organization, never a stored token", () => {
      const jobs = both().flatMap(([, wf]) => Object.values(wf.jobs).filter((j) => stepsUsing(j, PULUMI_ACTION).length > 0));
      expect(jobs).to.have.length(2 + STACKS.length);
      for (const j of jobs) {
        const login = onlyStep(j, PULUMI_AUTH_ACTION);
        expect(login.with).to.deep.equal({
          organization: "${{ vars.PULUMI_ORG }}",
          "requested-token-type": "urn:pulumi:token-type:access_token:organization",
        });
        expect(
          stepIndex(j, (s) => s === login),
          "the login comes before the Pulumi step",
        ).to.be.below(stepIndex(j, (s) => actionName(s.uses) === PULUMI_ACTION));
      }
      for (const file of WORKFLOW_FILES) expect(readText(file), file).to.not.include("PULUMI_ACCESS_TOKEN");
    });
  });

  describe("actions", () => {
    for (const file of WORKFLOW_FILES) {
      const wf = (): Workflow => workflow(file);
      it(`${file}: every uses: is pinned to a major version tag or a full commit SHA`, () => {
        const uses = allUses(wf());
        expect(uses).to.not.be.empty;
        for (const u of uses) {
          if (u.startsWith("./")) continue; // local actions come from the checked-out commit itself
          expect(u, `${file}: ${u}`).to.match(/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
        }
      });
    }

    /**
     * The first major of each action that runs on Node 24: GitHub removed Node 20 from hosted runners
     * on 2026-09-16, so an older major no longer runs (actions/checkout v5+, setup-node v5+,
     * configure-aws-credentials v6, pulumi/actions v7, pulumi/auth-actions v2, per their release notes).
     */
    const NODE24_MAJOR: Record<string, number> = {
      "actions/checkout": 5,
      "actions/setup-node": 5,
      "aws-actions/configure-aws-credentials": 6,
      [PULUMI_ACTION]: 7,
      [PULUMI_AUTH_ACTION]: 2,
      "actions/upload-artifact": 7,
      "actions/download-artifact": 7,
    };

    it("uses only actions on a Node 24 major, and knows which that is for each", () => {
      const uses = both()
        .flatMap(([, wf]) => allUses(wf))
        .filter((u) => !u.startsWith("./"));
      for (const u of uses) {
        const name = actionName(u) ?? u;
        expect(NODE24_MAJOR, `${u}: add its first Node 24 major to the table`).to.have.property(name);
        const major = /@v(\d+)/.exec(u)?.[1];
        expect(Number(major), u).to.be.at.least(NODE24_MAJOR[name]);
      }
    });

    it("pins the Pulumi CLI of every Pulumi step to the SDK version in package.json", () => {
      const sdk = JSON.parse(readRoot("package.json")).dependencies["@pulumi/pulumi"];
      const steps = both().flatMap(([, wf]) => Object.values(wf.jobs).flatMap((j) => stepsUsing(j, PULUMI_ACTION)));
      expect(steps).to.have.length(2 + STACKS.length);
      for (const s of steps) expect(String(s.with?.["pulumi-version"])).to.equal(sdk);
    });

    it("lets Dependabot propose updates of both npm packages and of the actions", () => {
      const config = YAML.load(readRoot(".github/dependabot.yml")) as { updates: { "package-ecosystem": string; directory: string }[] };
      const targets = config.updates.map((u) => `${u["package-ecosystem"]} ${u.directory}`);
      expect(targets).to.have.members(["npm /", "npm /policies", "github-actions /"]);
    });
  });

  describe("stacks", () => {
    let project: string;
    beforeEach(() => {
      project = projectName();
    });
    const org = "${{ vars.PULUMI_ORG }}";

    it("the project in every stack name is the one in Pulumi.yaml", () => {
      expect(project).to.equal("platform");
      const names = both().flatMap(([, wf]) => Object.values(wf.jobs).flatMap((j) => stepsUsing(j, PULUMI_ACTION).map((s) => s.with?.["stack-name"])));
      expect(names).to.have.length(2 + STACKS.length);
      for (const name of names) {
        const parts = String(name).split("/");
        expect(parts, String(name)).to.have.length(3);
        expect(parts[0]).to.equal(org);
        expect(parts[1], String(name)).to.equal(project);
      }
    });

    it("the preview stack name is built from the matrix, and every matrix stack has a Pulumi.<stack>.yaml", () => {
      const preview = job(pr(), "preview");
      expect(onlyStep(preview, PULUMI_ACTION).with?.["stack-name"]).to.equal(`${org}/${project}/\${{ matrix.stack }}`);
      const stacks = preview.strategy?.matrix?.stack;
      expect(stacks).to.be.an("array").that.is.not.empty;
      for (const stack of stacks as string[]) {
        expect(fs.existsSync(path.join(ROOT, `Pulumi.${stack}.yaml`)), `Pulumi.${stack}.yaml`).to.equal(true);
      }
    });

    it("up-<stack> deploys that stack, for every Pulumi.<stack>.yaml", () => {
      for (const stack of STACKS) {
        expect(onlyStep(job(deploy(), upJob(stack)), PULUMI_ACTION).with?.["stack-name"]).to.equal(`${org}/${project}/${stack}`);
        expect(fs.existsSync(path.join(ROOT, `Pulumi.${stack}.yaml`)), `Pulumi.${stack}.yaml`).to.equal(true);
      }
    });
  });

  describe("offline plan on every pull request, forks included", () => {
    const comment = (): Workflow => YAML.load(readRoot(".github/workflows/pr-comment.yml")) as Workflow;

    it("plans every stack file with no credentials and no write scope, and keeps the result as an artifact", () => {
      const plan = job(pr(), "offline-plan");
      expect(needsOf(plan)).to.deep.equal(["test"]);
      expect([...(plan.strategy?.matrix?.stack as string[])].sort()).to.deep.equal([...STACKS].sort());
      expect(permissionMap(plan.permissions, "offline-plan")).to.deep.equal({ contents: "read" });
      expect(plan.env ?? {}, "no secrets in a job that runs the PR's code").to.deep.equal({});
      expect(JSON.stringify(plan)).to.not.contain("secrets.");
      expect(stepsUsing(plan, AWS_CREDENTIALS_ACTION)).to.have.length(0);
      const upload = onlyStep(plan, "actions/upload-artifact");
      expect(upload.if, "uploaded even when the plan finds violations").to.equal("always()");
    });

    it("reviews the change against the PR's base branch (full history), with values passed through the environment", () => {
      const plan = job(pr(), "offline-plan");
      const checkout = onlyStep(plan, "actions/checkout");
      expect(checkout.with?.["fetch-depth"], "the base branch must be in the clone").to.equal(0);
      const review = (plan.steps ?? []).find((s) => s.run?.includes("npm run --silent diff"));
      expect(review, "a change review step").to.not.equal(undefined);
      expect(review!.env).to.deep.equal({ BASE: "origin/${{ github.base_ref }}", STACK: "${{ matrix.stack }}" });
      expect(review!.run).to.not.include("${{");
      expect(review!.run).to.include('--against "$BASE"').and.include("> plan-out/diff.md");
      expect(readRoot(".github/workflows/pr-comment.yml")).to.include("diff.md");
    });

    it("runs the credentialed preview only where secrets exist (not for forks or Dependabot)", () => {
      const preview = job(pr(), "preview");
      expect(preview.if).to.equal("github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]'");
      expect(job(pr(), "offline-plan").if, "the offline plan runs for every PR").to.equal(undefined);
    });

    it("comments from a separate trusted workflow that never checks out or runs the PR's code", () => {
      const wf = comment();
      expect(Object.keys(wf.on)).to.deep.equal(["workflow_run"]);
      expect((wf.on as any).workflow_run.workflows).to.deep.equal([pr().name]);
      expect(writeScopes(wf.permissions, "pr-comment.yml (workflow)")).to.deep.equal([]);
      const j = job(wf, "comment");
      expect(permissionMap(j.permissions, "comment")).to.deep.equal({ actions: "read", "pull-requests": "write" });
      expect(stepsUsing(j, "actions/checkout"), "no checkout: nothing of the PR runs here").to.have.length(0);
      expect(allUses(wf).every((u) => /@v\d+$/.test(u))).to.equal(true);
      expect(onlyStep(j, "actions/download-artifact").with?.["run-id"]).to.equal("${{ github.event.workflow_run.id }}");
      const script = (j.steps ?? []).map((s) => s.run ?? "").join("\n");
      // The artifact is data: the PR number is checked to be a number and to be the PR whose head was planned.
      expect(script).to.contain("*[!0-9]*");
      expect(script).to.contain(".head.sha");
      expect(script).to.not.match(/\$\{\{[^}]*(workflow_run\.(head_branch|display_title)|pull_request\.title)/);
    });
  });
});
