/**
 * Where a stack's IAM roles live and what caps them: the one convention the platform program and
 * the bootstrap program (`bootstrap/`) share. The bootstrap's deploy role may create and change
 * roles only under the stack's path, and only with the stack's permissions boundary attached; the
 * platform puts every role it creates there. Both import these functions, so the two can never
 * disagree on a name. Pure: no Pulumi runtime.
 */

/** `platform:iamBoundary`: attach the bootstrap's boundary to every role, or none (deploys without the bootstrap). */
export const IAM_BOUNDARY_MODES = ["bootstrap", "none"] as const;
export type IamBoundaryMode = (typeof IAM_BOUNDARY_MODES)[number];

/** Name of the permissions-boundary policy the bootstrap creates for each stack. */
export const BOUNDARY_POLICY_NAME = "workload-boundary";

/** IAM path of every role (and of the boundary policy) of the stack `namePrefix` (`<project>-<stack>`). */
export function iamPath(namePrefix: string): string {
  return `/${namePrefix}/`;
}

/** ARN of the stack's permissions-boundary policy (managed-policy ARNs include the path). */
export function boundaryPolicyArn(partition: string, accountId: string, namePrefix: string): string {
  return `arn:${partition}:iam::${accountId}:policy${iamPath(namePrefix)}${BOUNDARY_POLICY_NAME}`;
}

/** ARN pattern matching every role of the stack. */
export function stackRoleArnPattern(partition: string, accountId: string, namePrefix: string): string {
  return `arn:${partition}:iam::${accountId}:role${iamPath(namePrefix)}*`;
}

/** What a stack's settings say about its roles. */
export interface IamSettings {
  /** IAM path of every role: `/<project>-<stack>/`. */
  readonly path: string;
  /** Whether every role gets the bootstrap's permissions boundary. */
  readonly boundary: IamBoundaryMode;
}
