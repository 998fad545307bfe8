import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { boundaryPolicyArn, IamSettings } from "../stacks/iam-scope";

/**
 * IAM policy documents as plain data. Components build statements with the pure functions in their
 * own files and render them here; tests parse the rendered JSON and assert on exact actions and ARNs.
 */

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: { AWS?: string | string[]; Service?: string | string[] };
  Action: string | string[];
  /** Absent only in trust (assume-role) policies. */
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * Services that AWS documents to send `aws:SourceAccount` when they assume a role (each service's
 * "cross-service confused deputy prevention" page). A trust policy may require the key only for
 * these: a service that does not send it could never assume the role. Lambda and CloudTrail do not
 * document it for their execution and delivery roles, and only principals of this account can pass
 * those roles to them (iam:PassRole does not cross accounts), so their trust is left unconditioned.
 */
export const SERVICES_SENDING_SOURCE_ACCOUNT: readonly string[] = [
  "s3.amazonaws.com",
  "ecs-tasks.amazonaws.com",
  "codebuild.amazonaws.com",
  "codepipeline.amazonaws.com",
  "vpc-flow-logs.amazonaws.com",
];

/** Trust policy letting one AWS service assume a role, pinned to this account where the service allows it (confused-deputy guard). */
export function serviceTrustPolicy(service: string, accountId: string): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      ...(SERVICES_SENDING_SOURCE_ACCOUNT.includes(service) ? { Condition: { StringEquals: { "aws:SourceAccount": accountId } } } : {}),
    },
  ]);
}

/** Account context every ARN is built from. */
export interface AccountContext {
  accountId: string;
  partition: string;
  region: string;
}

/** The deploying account, partition and region, resolved once per stack and shared by components. */
export function currentAccount(region: string): pulumi.Output<AccountContext> {
  const identity = aws.getCallerIdentityOutput();
  const partition = aws.getPartitionOutput();
  return pulumi.all([identity.accountId, partition.partition]).apply(([accountId, part]) => ({ accountId, partition: part, region }));
}

/**
 * Where a component puts its roles: the stack's IAM path and, where the stack uses the bootstrap,
 * its permissions boundary (`stacks/iam-scope.ts`). Spread into every `aws.iam.Role`'s args.
 */
export interface RoleScope {
  readonly path: string;
  readonly permissionsBoundary?: pulumi.Input<string>;
}

/** The stack's role scope: the path always, the bootstrap's boundary unless `platform:iamBoundary` is `none`. */
export function roleScope(iam: IamSettings, namePrefix: string, account: pulumi.Input<AccountContext>): RoleScope {
  return {
    path: iam.path,
    ...(iam.boundary === "bootstrap"
      ? { permissionsBoundary: pulumi.output(account).apply((a) => boundaryPolicyArn(a.partition, a.accountId, namePrefix)) }
      : {}),
  };
}
