/**
 * GitHub as an OIDC issuer of Pulumi Cloud: which jobs may exchange their GitHub token for a
 * short-lived organization token (Pulumi's "Configuring OpenID Connect for GitHub"). One allow
 * policy per job subject, the same subjects the AWS roles trust, so a workflow gets a Pulumi token
 * exactly where it gets AWS credentials. Pure.
 */
import type * as pulumiservice from "@pulumi/pulumiservice";
import { subject } from "./access";
import type { BootstrapSettings } from "./settings";

/** The `aud` claim Pulumi Cloud requires of a GitHub token exchanged for `organization`. */
export const pulumiAudience = (organization: string) => `urn:pulumi:org:${organization}`;

/** The GitHub token subjects that may exchange tokens: pull requests, the preview branch, each deploy environment. */
export function ciSubjects(settings: Pick<BootstrapSettings, "repository" | "previewBranch" | "stacks">): string[] {
  const { repository } = settings;
  return [
    subject.pullRequest(repository),
    subject.branch(repository, settings.previewBranch),
    ...settings.stacks.map((s) => subject.environment(repository, s.environment)),
  ];
}

export function pulumiIssuerPolicies(settings: BootstrapSettings): pulumiservice.types.input.AuthPolicyDefinitionArgs[] {
  const aud = pulumiAudience(settings.pulumiOrganization ?? "");
  return ciSubjects(settings).map((sub) => ({
    decision: "allow",
    tokenType: "organization",
    // Organization tokens need a permission level; `standard` is a member's, never an admin's.
    authorizedPermissions: ["standard"],
    rules: { aud, sub },
  }));
}
