/**
 * The bootstrap: what GitHub Actions needs before the platform's first deploy, once per AWS account
 * (the way `cdk bootstrap` prepares an account for CDK). Reads top to bottom:
 * settings -> GitHub as an identity provider -> preview role -> per stack: boundary + deploy role
 * -> (optional) GitHub as an OIDC issuer of Pulumi Cloud -> the values the workflows need.
 * Every document comes from the pure functions in access.ts; this file only wires.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as pulumiservice from "@pulumi/pulumiservice";
import {
  boundaryLocation,
  ciPath,
  DEPLOY_SESSION_SECONDS,
  deployPolicy,
  GITHUB_OIDC_URL,
  githubTrustPolicy,
  previewPolicy,
  STS_AUDIENCE,
  subject,
  workloadBoundary,
} from "./access";
import { pulumiIssuerPolicies } from "./pulumi-cloud";
import { resolveBootstrapSettings } from "./settings";

// Settings: validated before any resource is registered.
const settings = resolveBootstrapSettings(pulumi.getStack(), pulumi.getProject(), ciConfig());
const { repository, project } = settings;
const identity = aws.getCallerIdentityOutput();
const partition = aws.getPartitionOutput().partition;
// The CI roles live under their own path, outside every stack's path: a deploy role can never change them.
const rolesPath = ciPath(project);
const json = (value: unknown) => JSON.stringify(value);

// GitHub as an identity provider of the account (one per URL: reuse an existing one if configured).
const oidcProviderArn = settings.existingOidcProviderArn
  ? pulumi.output(settings.existingOidcProviderArn)
  : new aws.iam.OpenIdConnectProvider("github", { url: GITHUB_OIDC_URL, clientIdLists: [STS_AUDIENCE] }, { protect: true }).arn;

// Preview: pull requests of this repository and the pre-approval preview of the preview branch; reads only.
const previewRole = new aws.iam.Role("preview", {
  name: `${project}-ci-preview`,
  path: rolesPath,
  description: `pulumi preview from GitHub Actions of ${repository} (read-only)`,
  assumeRolePolicy: oidcProviderArn.apply((arn) =>
    json(githubTrustPolicy(arn, [subject.pullRequest(repository), subject.branch(repository, settings.previewBranch)])),
  ),
  maxSessionDuration: 3600,
});
new aws.iam.RolePolicy("preview", { role: previewRole.id, policy: json(previewPolicy(settings.stacks.flatMap((s) => s.regions))) });

// Per platform stack: the boundary its roles must carry, and the deploy role of its GitHub environment.
const deployRoles: Record<string, pulumi.Output<string>> = {};
for (const stack of settings.stacks) {
  new aws.iam.Policy(`${stack.stack}-boundary`, {
    ...boundaryLocation(stack.namePrefix),
    description: `Permissions boundary of every IAM role of the ${stack.namePrefix} stack`,
    policy: pulumi.all([partition, identity.accountId]).apply(([p, a]) => json(workloadBoundary(p, a, stack.namePrefix, stack.regions))),
  });
  const role = new aws.iam.Role(`${stack.stack}-deploy`, {
    name: `${stack.namePrefix}-deploy`,
    path: rolesPath,
    description: `pulumi up of ${stack.namePrefix} from the ${stack.environment} environment of ${repository}`,
    assumeRolePolicy: oidcProviderArn.apply((arn) => json(githubTrustPolicy(arn, [subject.environment(repository, stack.environment)]))),
    maxSessionDuration: DEPLOY_SESSION_SECONDS,
  });
  new aws.iam.RolePolicy(`${stack.stack}-deploy`, {
    role: role.id,
    policy: pulumi.all([partition, identity.accountId]).apply(([p, a]) => json(deployPolicy(p, a, stack))),
  });
  deployRoles[stack.stack] = role.arn;
}

// Pulumi Cloud: the same jobs exchange their GitHub token for a short-lived Pulumi token (no stored PULUMI_ACCESS_TOKEN).
if (settings.pulumiOrganization) {
  new pulumiservice.OidcIssuer("github", {
    name: `github-${repository.replace("/", "-")}`,
    organization: settings.pulumiOrganization,
    url: GITHUB_OIDC_URL,
    maxExpirationSeconds: DEPLOY_SESSION_SECONDS,
    policies: pulumiIssuerPolicies(settings),
  });
}

/** Every `platform-bootstrap:` value as a string (objects as JSON), the way the harness and the CLI hand them over. */
function ciConfig(): Record<string, string> {
  const config = new pulumi.Config();
  const ns = pulumi.getProject();
  const out: Record<string, string> = {};
  for (const key of ["repository", "previewBranch", "existingOidcProviderArn", "pulumiOrganization"]) {
    const value = config.get(key);
    if (value !== undefined) out[`${ns}:${key}`] = value;
  }
  const stacks = config.getObject<unknown>("stacks");
  if (stacks !== undefined) out[`${ns}:stacks`] = JSON.stringify(stacks);
  return out;
}

// The repository variables the workflows read (Settings > Secrets and variables > Actions > Variables).
export const githubVariables = pulumi.output({
  AWS_PREVIEW_ROLE_ARN: previewRole.arn,
  ...Object.fromEntries(Object.entries(deployRoles).map(([stack, arn]) => [`AWS_DEPLOY_ROLE_ARN_${stack.toUpperCase().replace(/-/g, "_")}`, arn])),
});
export const oidcProvider = oidcProviderArn;
