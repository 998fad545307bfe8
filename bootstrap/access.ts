/**
 * What the CI identities may do, as plain policy documents built by pure functions (tested without
 * mocks, and evaluated with a real IAM policy simulator in test/bootstrap.test.ts).
 *
 * - The GitHub OIDC trust: a role is assumed only with a token GitHub minted for this repository,
 *   for exactly the listed subjects (`repo:<owner>/<repo>:pull_request`, `...:environment:<env>`),
 *   and for AWS STS as the audience.
 * - The preview role reads the configuration of the platform's services (Describe/Get/List), never
 *   their data (objects, items, secret values, log events, decryption), and writes nothing.
 * - A deploy role per stack manages the services the platform's resource types belong to (the
 *   table below, which a test keeps complete), only in the stack's regions; in IAM it may create and
 *   change roles only under the stack's path and only with the stack's permissions boundary, pass
 *   them only to the services that run them, and create only the service-linked roles those
 *   services need. It gets no AdministratorAccess and no IAM user, group or policy rights.
 * - The permissions boundary caps every role the platform creates: everything but IAM,
 *   Organizations and account administration, plus passing the stack's own roles (the delivery
 *   pipelines hand task roles to ECS and CodeBuild).
 */
import { BOUNDARY_POLICY_NAME, boundaryPolicyArn, iamPath, stackRoleArnPattern } from "../stacks/iam-scope";

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: { Federated?: string };
  /** Exactly one of Action and NotAction. */
  Action?: string | string[];
  NotAction?: string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface Document {
  Version: "2012-10-17";
  Statement: Statement[];
}

const doc = (statements: Statement[]): Document => ({ Version: "2012-10-17", Statement: statements });

/** GitHub's OIDC issuer, the audience AWS STS expects, and the claim keys IAM exposes for it. */
export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const STS_AUDIENCE = "sts.amazonaws.com";

/** Region of the global services' endpoints (IAM, CloudFront, Route 53, Budgets) and of the edge's resources. */
export const GLOBAL_REGION = "us-east-1";

/**
 * IAM path of the CI roles. The underscore keeps it out of reach of every stack: a stack's path is
 * `/<project>-<stack>/`, and name prefixes allow no underscore (stacks/rules.ts), so no deploy role
 * (scoped to its stack's path) can change a CI role, not even one of a stack named `ci`.
 */
export const ciPath = (project: string) => `/${project}_ci/`;

/** Longest session a deploy role grants: a first `pulumi up` of prod (Aurora, CloudFront) can pass one hour. */
export const DEPLOY_SESSION_SECONDS = 7200;

/**
 * The IAM service prefix of each Pulumi resource module the platform's stacks create, with the
 * source of the mapping: the service's "Actions, resources, and condition keys" page of the AWS
 * Service Authorization Reference (its prefix), and for awsx's VPC the EC2 resources it builds.
 * A module with more than one service lists them by resource type. `iam` is absent on purpose:
 * its rights are the scoped statements below, never `iam:*`.
 */
export const SERVICE_OF_MODULE: Readonly<Record<string, string | Readonly<Record<string, string>>>> = {
  acm: "acm",
  amp: "aps",
  apigatewayv2: "apigateway",
  appautoscaling: "application-autoscaling",
  backup: "backup",
  budgets: "budgets",
  cloudfront: "cloudfront",
  cloudtrail: "cloudtrail",
  cloudwatch: {
    logGroup: "logs",
    logResourcePolicy: "logs",
    logStream: "logs",
    logSubscriptionFilter: "logs",
    eventRule: "events",
    eventTarget: "events",
    "*": "cloudwatch",
  },
  codebuild: "codebuild",
  codepipeline: "codepipeline",
  cognito: "cognito-idp",
  dynamodb: "dynamodb",
  ec2: "ec2",
  ecr: "ecr",
  ecs: "ecs",
  efs: "elasticfilesystem",
  elasticache: "elasticache",
  grafana: "grafana",
  guardduty: "guardduty",
  kms: "kms",
  lambda: "lambda",
  lb: "elasticloadbalancing",
  rds: "rds",
  route53: "route53",
  s3: "s3",
  scheduler: "scheduler",
  secretsmanager: "secretsmanager",
  // Service Connect's namespace; ECS also creates a Cloud Map service per server as the deployer.
  servicediscovery: "servicediscovery",
  sesv2: "ses",
  sns: "sns",
  sqs: "sqs",
  ssm: "ssm",
  // CloudWatch Synthetics; CreateCanary also creates the canary's Lambda function and layer as the caller.
  synthetics: "synthetics",
  vpc: "ec2",
  wafv2: "wafv2",
};

/** Types that are no AWS API call of the deploy role: components, providers, random values, IAM (scoped apart). */
const NOT_A_SERVICE = /^(pulumi:|random:|platform:)|^aws:iam\//;

/**
 * The IAM service prefix a resource type is managed through; `undefined` for types that need none.
 * Throws, naming the type, for an AWS type the table does not know: a new type must be added here
 * (with its service) before the deploy role can create it.
 */
export function serviceOf(type: string): string | undefined {
  if (NOT_A_SERVICE.test(type)) return undefined;
  if (type === "awsx:ec2:Vpc") return "ec2";
  const match = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):/.exec(type);
  const entry = match ? SERVICE_OF_MODULE[match[1]] : undefined;
  if (entry === undefined) throw new Error(`bootstrap/access.ts: no IAM service for resource type ${type}; add its module to SERVICE_OF_MODULE`);
  if (typeof entry === "string") return entry;
  return entry[match![2]] ?? entry["*"];
}

/** Every service the deploy role manages (the table's values), sorted. */
export function deployServices(): string[] {
  const values = Object.values(SERVICE_OF_MODULE).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e)));
  return [...new Set(values)].sort();
}

/**
 * Calls the deploy role makes beyond the services' own prefixes: AWS Backup needs
 * backup-storage:MountCapsule to create a vault, and a pipeline with a CodeStar source needs the
 * caller to pass the connection to CodePipeline (the CodeConnections reference: PassConnection is
 * for "an AWS service that accepts a Connection ARN as input, such as codepipeline:CreatePipeline"),
 * under both the old and the new prefix.
 */
export const EXTRA_DEPLOY_ACTIONS: readonly string[] = [
  // Creating a backup vault (AWS Backup developer guide, "Create a backup vault").
  "backup-storage:MountCapsule",
  // Passing, not using: UseConnection is the pipeline role's, and would reach the repository itself.
  "codestar-connections:GetConnection",
  "codestar-connections:PassConnection",
  "codeconnections:GetConnection",
  "codeconnections:PassConnection",
];

/**
 * A Grafana workspace signing in through IAM Identity Center registers itself as an application
 * there (AWSGrafanaAccountAdministrator's Identity Center and Organizations calls). They go to the
 * region of the organisation's Identity Center, which need not be one of the stack's, so they are
 * granted without the region condition.
 */
export const IDENTITY_CENTER_ACTIONS: readonly string[] = [
  "sso:DescribeRegisteredRegions",
  "sso:GetSharedSsoConfiguration",
  "sso:CreateManagedApplicationInstance",
  "sso:DeleteManagedApplicationInstance",
  "organizations:DescribeOrganization",
];

/**
 * Services a role is passed to without trusting them: CreateCanary passes the canary's role (which
 * Lambda assumes) as passed to Synthetics, as AWS's CloudWatchSyntheticsFullAccess grants it.
 */
export const PASSED_TO_WITHOUT_TRUST: Readonly<Record<string, string>> = {
  "synthetics.amazonaws.com": "CreateCanary passes the canary's Lambda role to Synthetics",
};

/** Services the platform's roles are passed to (each role's trust principal); a test keeps it equal to the stacks' roles. */
export const PASSED_TO_SERVICES: readonly string[] = [
  ...Object.keys(PASSED_TO_WITHOUT_TRUST),
  "backup.amazonaws.com",
  "cloudtrail.amazonaws.com",
  "codebuild.amazonaws.com",
  "codepipeline.amazonaws.com",
  "ecs-tasks.amazonaws.com",
  // Only with platform:prometheus.grafana.
  "grafana.amazonaws.com",
  "lambda.amazonaws.com",
  "s3.amazonaws.com",
  "scheduler.amazonaws.com",
  "vpc-flow-logs.amazonaws.com",
];

/**
 * Service-linked roles the platform's services create on first use in an account (each service's
 * "Using service-linked roles" page): AWS Backup, ECS, its autoscaling, ELB, RDS, ElastiCache, EFS,
 * GuardDuty and GuardDuty's malware protection, and the replication of DynamoDB global tables and
 * of ECR images.
 */
export const SERVICE_LINKED_ROLES: readonly string[] = [
  "backup.amazonaws.com",
  "ecs.amazonaws.com",
  "ecs.application-autoscaling.amazonaws.com",
  "elasticache.amazonaws.com",
  "elasticfilesystem.amazonaws.com",
  "elasticloadbalancing.amazonaws.com",
  "guardduty.amazonaws.com",
  "malware-protection.guardduty.amazonaws.com",
  "rds.amazonaws.com",
  "replication.dynamodb.amazonaws.com",
  "replication.ecr.amazonaws.com",
];

/**
 * Reads that return data rather than configuration; the preview role is denied them even where a
 * `Get*` would match (object bodies, table items, secret values, log events, user lists, image
 * layers, decryption).
 */
export const DATA_READS: readonly string[] = [
  "dynamodb:BatchGetItem",
  "dynamodb:GetItem",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
  "dynamodb:Query",
  "dynamodb:Scan",
  "s3:GetObject*",
  "secretsmanager:GetSecretValue",
  "kms:Decrypt",
  "logs:GetLogEvents",
  "logs:GetLogRecord",
  "logs:GetQueryResults",
  "logs:FilterLogEvents",
  "logs:StartQuery",
  "sqs:ReceiveMessage",
  "cognito-idp:ListUsers",
  "cognito-idp:ListUsersInGroup",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchGetImage",
];

/** Trust policy for GitHub Actions jobs of `repository` whose token subject is one of `subjects`. */
export function githubTrustPolicy(providerArn: string, subjects: readonly string[]): Document {
  return doc([
    {
      Sid: "GitHubActions",
      Effect: "Allow",
      Principal: { Federated: providerArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: [...subjects] },
      },
    },
  ]);
}

/** GitHub's `sub` claim of a job (GitHub's "Example subject claims"). */
export const subject = {
  pullRequest: (repository: string) => `repo:${repository}:pull_request`,
  branch: (repository: string, branch: string) => `repo:${repository}:ref:refs/heads/${branch}`,
  environment: (repository: string, environment: string) => `repo:${repository}:environment:${environment}`,
};

const inRegions = (regions: readonly string[]) => ({ StringEquals: { "aws:RequestedRegion": [...new Set([...regions, GLOBAL_REGION])].sort() } });

/**
 * The read verbs of each service: `Describe*`, `Get*` and `List*`, except where a service has no
 * action of one of them (the Service Authorization Reference; a test checks every pattern matches
 * an action) or names its reads otherwise (Budgets' `View*`).
 */
const READ_VERBS: Readonly<Record<string, readonly string[]>> = {
  apigateway: ["GET"],
  // aps:Get* reads metric data (series, labels): not configuration.
  aps: ["Describe*", "List*"],
  budgets: ["Describe*", "View*"],
  codepipeline: ["Get*", "List*"],
  elasticache: ["Describe*", "List*"],
  elasticfilesystem: ["Describe*", "List*"],
  elasticloadbalancing: ["Describe*"],
  grafana: ["Describe*", "List*"],
  lambda: ["Get*", "List*"],
  rds: ["Describe*", "List*"],
  route53: ["Get*", "List*"],
  scheduler: ["Get*", "List*"],
  servicediscovery: ["Get*", "List*"],
  ses: ["Get*", "List*"],
  sns: ["Get*", "List*"],
  sqs: ["Get*", "List*"],
};

/** The preview role: configuration reads on the platform's services, IAM role reads, no data, no writes. */
export function previewPolicy(regions: readonly string[]): Document {
  const services = deployServices();
  return doc([
    {
      Sid: "ReadConfiguration",
      Effect: "Allow",
      Action: services.flatMap((s) => (READ_VERBS[s] ?? ["Describe*", "Get*", "List*"]).map((verb) => `${s}:${verb}`)),
      Resource: "*",
      Condition: inRegions(regions),
    },
    { Sid: "ReadRoles", Effect: "Allow", Action: ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"], Resource: "*" },
    { Sid: "NoDataReads", Effect: "Deny", Action: [...DATA_READS], Resource: "*" },
  ]);
}

export interface StackScope {
  /** `<project>-<stack>` of the platform stack. */
  namePrefix: string;
  /** The regions the platform stack deploys to (`aws:region`, then its DR region). */
  regions: readonly string[];
}

/** The deploy role of one stack. */
export function deployPolicy(partition: string, accountId: string, scope: StackScope): Document {
  const roles = stackRoleArnPattern(partition, accountId, scope.namePrefix);
  const boundary = boundaryPolicyArn(partition, accountId, scope.namePrefix);
  return doc([
    {
      Sid: "ManagePlatformServices",
      Effect: "Allow",
      Action: [...deployServices().map((s) => `${s}:*`), ...EXTRA_DEPLOY_ACTIONS],
      Resource: "*",
      Condition: inRegions(scope.regions),
    },
    { Sid: "RegisterGrafanaInIdentityCenter", Effect: "Allow", Action: [...IDENTITY_CENTER_ACTIONS], Resource: "*" },
    {
      Sid: "CreateBoundedRoles",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary"],
      Resource: roles,
      Condition: { StringEquals: { "iam:PermissionsBoundary": boundary } },
    },
    {
      Sid: "ChangeStackRoles",
      Effect: "Allow",
      Action: [
        "iam:DeleteRole",
        "iam:DeleteRolePolicy",
        "iam:GetRole",
        "iam:GetRolePolicy",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
        "iam:ListRolePolicies",
        "iam:ListRoleTags",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
      ],
      Resource: roles,
    },
    {
      Sid: "PassStackRoles",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: roles,
      Condition: { StringEquals: { "iam:PassedToService": [...PASSED_TO_SERVICES] } },
    },
    {
      // Application Auto Scaling reads back its service-linked role as the target's role, and an
      // update of the target sends it again, which needs PassRole on exactly that role.
      Sid: "PassAutoScalingRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: `arn:${partition}:iam::${accountId}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
    },
    {
      Sid: "CreateServiceLinkedRoles",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: `arn:${partition}:iam::${accountId}:role/aws-service-role/*`,
      Condition: { StringEquals: { "iam:AWSServiceName": [...SERVICE_LINKED_ROLES] } },
    },
    {
      Sid: "KeepTheBoundary",
      Effect: "Deny",
      Action: ["iam:DeleteRolePermissionsBoundary", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
      Resource: "*",
    },
  ]);
}

/**
 * The permissions boundary of every role of one stack: whatever a role is granted, it acts only in
 * the stack's regions (and us-east-1, where global services' requests go), never on IAM,
 * Organizations or the account, and passes only the stack's own roles. This is the ceiling of the
 * deploy role too: anything it could run through a role it created stays inside it.
 */
export function workloadBoundary(partition: string, accountId: string, namePrefix: string, regions: readonly string[]): Document {
  return doc([
    {
      Sid: "EverythingButAdministration",
      Effect: "Allow",
      NotAction: ["iam:*", "organizations:*", "account:*"],
      Resource: "*",
      Condition: inRegions(regions),
    },
    { Sid: "PassStackRoles", Effect: "Allow", Action: "iam:PassRole", Resource: stackRoleArnPattern(partition, accountId, namePrefix) },
  ]);
}

/** Where the bootstrap puts a stack's boundary policy (the platform computes the same ARN). */
export const boundaryLocation = (namePrefix: string) => ({ path: iamPath(namePrefix), name: BOUNDARY_POLICY_NAME });
