/**
 * The bootstrap's config (`platform-bootstrap:*` in bootstrap/Pulumi.<stack>.yaml), validated before
 * any resource registers, with the platform's own error shape (key, value, what is allowed). A
 * stack's region is not repeated here: it is read from the platform's stack file
 * (`../Pulumi.<stack>.yaml`), so the two programs cannot disagree on where a stack lives.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "js-yaml";
import { parseSection, section, str, v } from "../stacks/schema";
import { resolveSettings } from "../stacks";
import { loadStackConfig } from "../stacks/stack-file";
import { Checker, ConfigError } from "../stacks/validate";

/** The platform project this bootstrap serves (its Pulumi.yaml and stack files). */
export const PLATFORM_DIR = path.resolve(__dirname, "..");

const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const ENVIRONMENT_NAME = /^[^\s,'"`;*\\]{1,255}$/;
const BRANCH = /^[A-Za-z0-9._/-]{1,255}$/;
const OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;
const PULUMI_ORG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

export const bootstrapSchema = section({
  /** `<owner>/<repo>` on GitHub whose workflows get the roles (required). */
  repository: str(GITHUB_REPOSITORY, "a GitHub repository as owner/name, e.g. acme/platform"),
  /** The platform stacks in this account: each with the GitHub environment its deploy job runs in (required). */
  stacks: v.pipe(
    v.array(
      section({
        stack: str(/^[a-z][a-z0-9-]{0,30}$/, "a platform stack name with a stack file ../Pulumi.<stack>.yaml"),
        environment: str(ENVIRONMENT_NAME, "a GitHub environment name (1-255 characters, no spaces or quotes)"),
      }),
      "a list of {stack, environment} entries",
    ),
    v.minLength(1, "must list at least one platform stack"),
  ),
  /** Branch whose pushes run the prod preview before approval (deploy.yml); default `main`. */
  previewBranch: v.optional(str(BRANCH, "a branch name such as main"), "main"),
  /** The account's GitHub OIDC provider when one exists already (IAM allows one per URL); default: create it. */
  existingOidcProviderArn: v.optional(str(OIDC_PROVIDER_ARN, "the ARN of the account's token.actions.githubusercontent.com OIDC provider")),
  /** Pulumi Cloud organization: when set, GitHub is registered there as an OIDC issuer for the same jobs. */
  pulumiOrganization: v.optional(str(PULUMI_ORG, "a Pulumi Cloud organization name")),
});

export type BootstrapConfig = v.InferOutput<typeof bootstrapSchema>;

export interface PlatformStack {
  stack: string;
  /** GitHub environment of the stack's deploy job. */
  environment: string;
  /** `<project>-<stack>`, the platform's name prefix. */
  namePrefix: string;
  /** The regions the platform stack deploys to: `aws:region` first, then its DR region if it has one. */
  regions: string[];
}

export interface BootstrapSettings extends Omit<BootstrapConfig, "stacks"> {
  /** The platform's Pulumi project name (its Pulumi.yaml `name:`). */
  project: string;
  stacks: PlatformStack[];
}

const readYaml = (file: string): any => YAML.load(fs.readFileSync(file, "utf8"));

/**
 * Validates the bootstrap config (`config`: every value by full key, objects as JSON, as Pulumi
 * hands them over). Throws ConfigError naming every bad key.
 */
export function resolveBootstrapSettings(stackName: string, ns: string, config: Record<string, string>, platformDir = PLATFORM_DIR): BootstrapSettings {
  const check = new Checker();
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!key.startsWith(`${ns}:`)) continue;
    const name = key.slice(ns.length + 1);
    if (name === "stacks") {
      try {
        raw[name] = JSON.parse(value);
      } catch {
        check.problem(key, value, "must be a YAML list of {stack, environment} entries");
      }
    } else raw[name] = value;
  }
  const parsed = parseSection(check, `${ns}:`, bootstrapSchema, raw, {});
  const project = String(readYaml(path.join(platformDir, "Pulumi.yaml"))?.name ?? "");
  const stacks: PlatformStack[] = [];
  const seen = new Set<string>();
  (parsed?.stacks ?? []).forEach((entry, i) => {
    const at = `${ns}:stacks[${i}].stack`;
    if (seen.has(entry.stack)) check.problem(at, entry.stack, "each platform stack may be listed once");
    seen.add(entry.stack);
    if (!fs.existsSync(path.join(platformDir, `Pulumi.${entry.stack}.yaml`)))
      return check.problem(at, entry.stack, `needs the platform stack file Pulumi.${entry.stack}.yaml next to the platform's Pulumi.yaml`);
    // The platform's own reading of its stack file: the regions it deploys to, DR region included.
    let settings;
    try {
      settings = resolveSettings({ ...loadStackConfig(entry.stack, platformDir, platformDir), stack: entry.stack });
    } catch (err) {
      return check.problem(
        at,
        entry.stack,
        `the platform stack's config must be valid first: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
      );
    }
    const dr = settings.disasterRecovery;
    stacks.push({ ...entry, namePrefix: settings.namePrefix, regions: [settings.region, ...(dr.enabled ? [dr.region] : [])] });
  });
  const environments = (parsed?.stacks ?? []).map((s) => s.environment);
  environments.forEach((e, i) => {
    if (environments.indexOf(e) !== i)
      check.problem(`${ns}:stacks[${i}].environment`, e, "each stack needs its own GitHub environment (the deploy role trusts exactly one)");
  });
  if (check.problems.length > 0 || !parsed) throw new ConfigError(stackName, check.problems);
  return { ...parsed, project, stacks };
}
