import * as pulumi from "@pulumi/pulumi";
import { QueueAccessMode, ServiceAccess, TableAccessMode } from "../stacks/settings";
import { AccountContext, PolicyStatement } from "./iam";

/**
 * The one grant mechanism of the platform. A service declares in config what it may reach; each
 * reachable resource (a `Grantable` component) answers with an `AccessGrant`, and `FargateService`
 * turns that single answer into both the network path (an ingress rule on the target's security
 * group, from the service's own group) and the permissions (task-role statements on exact ARNs,
 * secrets injected through the execution role). Nothing else opens a port or writes a policy.
 */
export interface AccessGrant {
  /** Short name of what is granted, used in child resource names, e.g. `database`. */
  target: string;
  /** Network path to open: this port on the target's security group, from the service's group. */
  ingress?: { securityGroupId: pulumi.Input<string>; port: number };
  /** Statements for the task role: what the application may call, on exact ARNs. */
  taskStatements: pulumi.Input<PolicyStatement>[];
  /** Secrets to inject: container variable name -> Secrets Manager `valueFrom` (ARN). */
  secrets: Record<string, pulumi.Input<string>>;
  /** Secret ARNs the execution role must read to inject `secrets`. */
  secretArns: pulumi.Input<string>[];
  /** KMS key ARNs that encrypt those secrets (execution role gets kms:Decrypt via Secrets Manager). */
  kmsKeyArns: pulumi.Input<string>[];
  /** Plain connection details (hosts, ports, names, URLs, flags): never credentials. */
  environment: Record<string, pulumi.Input<string>>;
  /** File-system volumes to add to the task definition and mount in the container. */
  volumes?: GrantedVolume[];
  /** A queue this grant consumes: the service scales on its backlog per task. */
  consumesQueueName?: pulumi.Input<string>;
  /** Resources that must exist before a grantee first uses the grant (e.g. EFS mount targets). */
  dependencies?: pulumi.Resource[];
}

export interface GrantedVolume {
  name: string;
  fileSystemId: pulumi.Input<string>;
  accessPointId: pulumi.Input<string>;
  containerPath: string;
}

/** A component a service can be granted access to, in one of its modes. */
export interface Grantable<Mode = true> {
  /** The grant for one service or function, by name. */
  grantAccess(grantee: string, mode: Mode): AccessGrant;
}

/** The resources of a stack that services may be granted; absent ones are not in this stack. */
export interface GrantTargets {
  database?: Grantable;
  cache?: Grantable;
  tables?: Record<string, Grantable<TableAccessMode>>;
  queues?: Record<string, Grantable<QueueAccessMode>>;
  fileSystem?: Grantable;
  email?: Grantable;
  sms?: Grantable;
  images?: Grantable;
}

/**
 * Resolves a service's (or function's) declared access into grants. Config validation already
 * rejects access to a resource the stack does not have; this guards programmatic callers too.
 */
export function grantsFor(grantee: string, access: Partial<ServiceAccess> & { images?: boolean }, targets: GrantTargets): AccessGrant[] {
  const missing = (what: string) => new Error(`"${grantee}" is granted ${what}, but the stack has no ${what}`);
  const grants: AccessGrant[] = [];
  for (const key of ["database", "cache", "fileSystem", "email", "sms", "images"] as const) {
    if (!access[key]) continue;
    const target = targets[key];
    if (!target) throw missing(key);
    grants.push(target.grantAccess(grantee, true));
  }
  for (const [name, mode] of Object.entries(access.tables ?? {})) {
    const table = targets.tables?.[name];
    if (!table) throw missing(`table ${name}`);
    grants.push(table.grantAccess(grantee, mode));
  }
  for (const [name, mode] of Object.entries(access.queues ?? {})) {
    const queue = targets.queues?.[name];
    if (!queue) throw missing(`queue ${name}`);
    grants.push(queue.grantAccess(grantee, mode));
  }
  return grants;
}

/** Upper-snake form of a resource name for environment variables: `order-events` -> `ORDER_EVENTS`. */
export function envName(name: string): string {
  return name.toUpperCase().replace(/-/g, "_");
}

/** The ECR repository ARN of a private-registry image reference, or undefined (public or other registries). */
export function ecrRepositoryArn(image: string, partition: string): string | undefined {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([a-z0-9._/-]+?)(?:[:@].*)?$/.exec(image);
  return match ? `arn:${partition}:ecr:${match[2]}:${match[1]}:repository/${match[3]}` : undefined;
}

/**
 * Execution-role statements: what ECS itself needs to start the task. Pulling from a private ECR
 * repository needs ecr:GetAuthorizationToken (no resource-level permissions: the one `*` AWS
 * requires) and the pull actions on exactly the repository the image lives in; public images need
 * neither. Logs go to the service's own group; secrets are limited to the granted ARNs.
 */
export function executionRoleStatements(input: {
  account: AccountContext;
  logGroupArn: string;
  secretArns: string[];
  kmsKeyArns: string[];
  /** The image the task runs: its repository is the only one the role may pull from. */
  image: string;
}): PolicyStatement[] {
  const { partition, region } = input.account;
  const repository = ecrRepositoryArn(input.image, partition);
  const statements: PolicyStatement[] = [
    ...(repository
      ? [
          { Sid: "EcrAuth", Effect: "Allow" as const, Action: "ecr:GetAuthorizationToken", Resource: "*" },
          {
            Sid: "PullServiceImage",
            Effect: "Allow" as const,
            Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
            Resource: repository,
          },
        ]
      : []),
    {
      Sid: "WriteOwnLogGroup",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${input.logGroupArn}:*`,
    },
  ];
  const secretArns = [...new Set(input.secretArns)].sort();
  const kmsKeyArns = [...new Set(input.kmsKeyArns)].sort();
  if (secretArns.length > 0) {
    statements.push({ Sid: "ReadGrantedSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArns });
  }
  if (kmsKeyArns.length > 0) {
    statements.push({
      Sid: "DecryptGrantedSecrets",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: kmsKeyArns,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
    });
  }
  return statements;
}
