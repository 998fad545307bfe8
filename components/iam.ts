import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

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

/** Trust policy letting one AWS service assume a role, pinned to this account (confused-deputy guard). */
export function serviceTrustPolicy(service: string, accountId: string): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
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
