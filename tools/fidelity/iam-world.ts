/**
 * Every IAM policy document a synthesized stack would create, indexed the way AWS evaluates them:
 * identity policies by role ARN, trust policies by role ARN, and resource policies (KMS key
 * policies, bucket, topic, queue, secret, repository and file-system policies, CloudWatch Logs
 * resource policies) by the ARN of the resource they govern. Flows (`flows.ts`) are evaluated over
 * it, and `documents.ts` validates each document against AWS's Service Authorization Reference.
 */
import { workloadBoundary } from "../../bootstrap/access";
import { BOUNDARY_POLICY_NAME } from "../../stacks/iam-scope";
import type { SynthResource, SynthResult } from "../harness";
import { stackView } from "../provider/rules";

export interface PolicyDoc {
  Version?: string;
  Statement: any[];
}

/** One policy document and where it comes from. */
export interface SourcedDocument {
  /** `type::name` of the resource that carries it, plus `#trust` for a role's trust policy. */
  id: string;
  kind: "identity" | "trust" | "resource" | "boundary";
  /** ARN of the role (identity, trust) or resource (resource) it applies to. */
  appliesTo: string;
  document: PolicyDoc;
  /** For a merged document (several account-level log policies), the documents it merges. */
  parts?: SourcedDocument[];
}

export interface IamWorld {
  accountId: string;
  partition: string;
  /** The stack's own region (what a request to a regionless ARN or "*" is sent to). */
  region: string;
  documents: SourcedDocument[];
  /** Identity policies of a role, by role ARN. */
  identity(roleArn: string): SourcedDocument[];
  /** The permissions boundary of a role, by role ARN (none when the role has none). */
  boundary(roleArn: string): SourcedDocument | undefined;
  /** The resource policy AWS evaluates for a request on `arn` (merged when several apply). */
  resourcePolicy(arn: string): SourcedDocument | undefined;
  /** Role ARN of a role resource. */
  roleArn(role: SynthResource): string;
  /** The synthesized resources. */
  resources: SynthResource[];
}

const T = {
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  key: "aws:kms/key:Key",
  bucket: "aws:s3/bucket:Bucket",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  fileSystem: "aws:efs/fileSystem:FileSystem",
  fileSystemPolicy: "aws:efs/fileSystemPolicy:FileSystemPolicy",
  secretPolicy: "aws:secretsmanager/secretPolicy:SecretPolicy",
  secret: "aws:secretsmanager/secret:Secret",
  repositoryPolicy: "aws:ecr/repositoryPolicy:RepositoryPolicy",
  repository: "aws:ecr/repository:Repository",
  logResourcePolicy: "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
} as const;

const parse = (value: unknown): PolicyDoc => (typeof value === "string" ? JSON.parse(value) : (value as PolicyDoc));
const keyOf = (r: SynthResource) => `${r.type}::${r.name}`;

/** Collects the stack's policy documents. */
export function iamWorld(result: SynthResult, accountId: string, partition = "aws"): IamWorld {
  const resources = result.resources.filter((r) => r.custom);
  const byId = stackView(resources).lookup;
  const documents: SourcedDocument[] = [];
  const add = (r: SynthResource | undefined, id: string, kind: SourcedDocument["kind"], appliesTo: unknown, raw: unknown) => {
    if (!r || typeof appliesTo !== "string" || raw === undefined) return;
    documents.push({ id, kind, appliesTo, document: parse(raw) });
  };

  for (const r of resources) {
    switch (r.type) {
      case T.role:
        add(r, `${keyOf(r)}#trust`, "trust", r.state.arn, r.inputs.assumeRolePolicy);
        break;
      case T.rolePolicy:
        add(r, keyOf(r), "identity", byId(T.role, r.inputs.role)?.state.arn, r.inputs.policy);
        break;
      case T.key:
        add(r, keyOf(r), "resource", r.state.arn, r.inputs.policy);
        break;
      case T.bucketPolicy:
        add(r, keyOf(r), "resource", byId(T.bucket, r.inputs.bucket)?.state.arn, r.inputs.policy);
        break;
      case T.topicPolicy:
        add(r, keyOf(r), "resource", r.inputs.arn, r.inputs.policy);
        break;
      case T.queuePolicy:
        add(r, keyOf(r), "resource", resources.find((q) => q.type === T.queue && q.state.url === r.inputs.queueUrl)?.state.arn, r.inputs.policy);
        break;
      case T.fileSystemPolicy:
        add(r, keyOf(r), "resource", byId(T.fileSystem, r.inputs.fileSystemId)?.state.arn, r.inputs.policy);
        break;
      case T.secretPolicy:
        add(r, keyOf(r), "resource", r.inputs.secretArn, r.inputs.policy);
        break;
      case T.repositoryPolicy:
        add(r, keyOf(r), "resource", byId(T.repository, r.inputs.repository)?.state.arn, r.inputs.policy);
        break;
      case T.logResourcePolicy:
        // Account-level: it applies to every log group of its region.
        add(r, keyOf(r), "resource", `arn:${partition}:logs:${r.region}:${accountId}:*`, r.inputs.policyDocument);
        break;
    }
  }

  // The regions the stack deploys to, as the bootstrap reads them (its region, its DR region; us-east-1 is always added).
  const regions = [...new Set(resources.map((r) => r.region))].sort();
  // The stack's own region: where most of its resources are.
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.region, (counts.get(r.region) ?? 0) + 1);
  const region = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "us-east-1";
  // A role's permissions boundary is a managed policy the bootstrap creates (bootstrap/access.ts);
  // any other boundary ARN is unknown here and allows nothing, so flows through it fail loudly.
  for (const r of resources) {
    const arn = r.type === T.role ? r.inputs.permissionsBoundary : undefined;
    if (typeof arn !== "string") continue;
    const bootstrap = new RegExp(`^arn:([^:]+):iam::(\\d{12}):policy/([^/]+)/${BOUNDARY_POLICY_NAME}$`).exec(arn);
    const document = bootstrap ? workloadBoundary(bootstrap[1], bootstrap[2], bootstrap[3], regions) : { Version: "2012-10-17", Statement: [] };
    documents.push({ id: `${bootstrap ? "bootstrap boundary" : "unknown boundary"} ${arn}`, kind: "boundary", appliesTo: r.state.arn, document });
  }

  const resourceDocs = documents.filter((d) => d.kind === "resource");
  return {
    accountId,
    partition,
    region,
    documents,
    resources,
    identity: (roleArn) => documents.filter((d) => d.kind === "identity" && d.appliesTo === roleArn),
    boundary: (roleArn) => documents.find((d) => d.kind === "boundary" && d.appliesTo === roleArn),
    resourcePolicy: (arn) => {
      if (arn.startsWith("arn:") && arn.split(":")[5]?.startsWith("role/")) return documents.find((d) => d.kind === "trust" && d.appliesTo === arn);
      const logs = arn.split(":")[2] === "logs";
      const applicable = resourceDocs.filter((d) =>
        logs && d.appliesTo.endsWith(":*") ? arn.startsWith(d.appliesTo.slice(0, -1)) : d.appliesTo === arn || ownerOf(arn) === d.appliesTo,
      );
      if (applicable.length <= 1) return applicable[0];
      return {
        id: applicable.map((d) => d.id).join(" + "),
        kind: "resource",
        appliesTo: arn,
        document: { Version: "2012-10-17", Statement: applicable.flatMap((d) => d.document.Statement) },
        parts: applicable,
      };
    },
    roleArn: (role) => role.state.arn,
  };
}

/** The ARN whose policy governs `arn`: an S3 object's bucket; anything else itself. */
function ownerOf(arn: string): string {
  const s3 = /^arn:([^:]+):s3:::([^/]+)\//.exec(arn);
  return s3 ? `arn:${s3[1]}:s3:::${s3[2]}` : arn;
}
