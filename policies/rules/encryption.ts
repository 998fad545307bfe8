/**
 * Encryption: data at rest under KMS (customer keys where a team must control access and audit),
 * TLS everywhere data moves (viewers, origins, load balancers, caches, file systems, S3 and SQS
 * APIs), credentials kept out of plain inputs and environment variables.
 */
import { looksLikeSecret } from "./secret-names";
import { Policy, PolicyResource } from "@pulumi/policy";
import { asArray, BUCKET_TYPES, dependsOn, describe, isSet, ofTypes, parseJson, resourceRule, stackRule, statementsOf } from "./common";

// ---------------------------------------------------------------------------------------------
// Local helpers (common.ts has no equivalents).

/** `alias/aws/<service>` (or its ARN): an AWS-managed key, which no key policy of ours controls. */
function isAwsManagedKey(value: unknown): boolean {
  return typeof value === "string" && /(^|:)alias\/aws\//.test(value);
}

/** A finding when `prop` does not name a customer-managed key, else undefined. */
function customerKeyFinding(prop: string, value: unknown): string | undefined {
  if (!isSet(value)) return `${prop} is not set (the AWS-managed key is used)`;
  if (isAwsManagedKey(value)) return `${prop} is the AWS-managed key ${value}`;
  return undefined;
}

/** A finding as a list (none when undefined). */
const asFindings = (finding: string | undefined): string[] => (finding ? [finding] : []);

/** `prop is false` / `prop is not set` / `prop is "x"`, for a boolean that must be true. */
function notTrue(prop: string, value: unknown): string {
  return value === undefined || value === null ? `${prop} is not set` : `${prop} is ${JSON.stringify(value)}`;
}

/**
 * The document has a Deny, for every principal, on all of `service`'s actions (or all actions),
 * when `aws:SecureTransport` is false.
 */
export function deniesInsecureTransport(document: unknown, service: string): boolean {
  return statementsOf(document).some((s) => {
    if (s.Effect !== "Deny") return false;
    const principal = s.Principal;
    const everyone = principal === "*" || asArray<string>(principal?.AWS).includes("*");
    const allActions = s.Action.some((a) => a === "*" || a.toLowerCase() === `${service}:*`);
    const condition = Object.entries(s.Condition ?? {}).some(
      ([operator, entries]) =>
        /^Bool(IfExists)?$/.test(operator) &&
        Object.entries(entries ?? {}).some(
          ([key, value]) => key.toLowerCase() === "aws:securetransport" && asArray<unknown>(value as any).some((v) => String(v).toLowerCase() === "false"),
        ),
    );
    return everyone && allActions && condition;
  });
}

/** Resources of `types` whose `property` input was computed from `target`. */
function dependents(resources: PolicyResource[], target: PolicyResource, property: string, ...types: string[]): PolicyResource[] {
  return ofTypes(resources, ...types).filter((r) => dependsOn(r, property).some((d) => d === target || d.urn === target.urn));
}

// ---------------------------------------------------------------------------------------------
// Allow-lists.

/** CloudFront viewer policies that allow TLS 1.2+ only with modern ciphers. */
export const CLOUDFRONT_MODERN_TLS = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

/** ELB security policies that allow TLS 1.2+ with forward-secret ciphers only. */
export const ELB_MODERN_SSL_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
];

const S3_SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];
const SSE_CONFIG_TYPES = [
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];

// ---------------------------------------------------------------------------------------------

/** One plain environment variable of a compute resource: where it is, its name and (when known) its value. */
interface PlainVariable {
  where: string;
  name: unknown;
  value: unknown;
}

const keyed = (where: string, variables: unknown): PlainVariable[] =>
  Object.entries((variables ?? {}) as Record<string, unknown>).map(([name, value]) => ({ where, name, value }));

/**
 * Where each compute type keeps plain environment variables, the one table the rule reads: a new
 * compute type is a new row, not a new rule. Secrets passed by reference (ECS `secrets`, CodeBuild
 * `SECRETS_MANAGER`/`PARAMETER_STORE` variables) are not plain and are not listed.
 */
export const PLAIN_ENVIRONMENTS: Record<string, (props: any) => PlainVariable[]> = {
  "aws:lambda/function:Function": (props) => keyed("environment.variables", props.environment?.variables),
  "aws:ecs/taskDefinition:TaskDefinition": (props) =>
    asArray<any>(parseJson(props.containerDefinitions)).flatMap((c) =>
      asArray<any>(c?.environment).map((e) => ({ where: `container "${c?.name}"`, name: e?.name, value: e?.value })),
    ),
  "aws:codebuild/project:Project": (props) =>
    asArray<any>(props.environment?.environmentVariables)
      .filter((v) => (v?.type ?? "PLAINTEXT") === "PLAINTEXT")
      .map((v) => ({ where: "environment.environmentVariables", name: v?.name, value: v?.value })),
  "aws:synthetics/canary:Canary": (props) => keyed("runConfig.environmentVariables", props.runConfig?.environmentVariables),
};

/** Values that are credentials whatever their name: AWS access key ids, PEM private keys. */
const SECRET_LOOKING_VALUE = /^(AKIA|ASIA)[0-9A-Z]{16}$|-----BEGIN [A-Z ]*PRIVATE KEY-----/;

export const encryptionPolicies: Policy[] = [
  resourceRule({
    name: "codebuild-cmk",
    concern: "encryption",
    description:
      "CodeBuild projects encrypt their build output with a customer-managed KMS key, not the AWS-managed S3 key, and never turn artifact encryption off.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set encryptionKey on the project to the stack's key ARN, and leave encryptionDisabled unset on its artifacts",
    types: ["aws:codebuild/project:Project"],
    check: (props) => {
      const findings =
        isSet(props.encryptionKey) && !/alias\/aws\/s3$/.test(String(props.encryptionKey))
          ? []
          : [`encryptionKey is ${props.encryptionKey ?? "unset (alias/aws/s3)"}`];
      for (const [where, artifacts] of [
        ["artifacts", props.artifacts],
        ...asArray<any>(props.secondaryArtifacts).map((a, i) => [`secondaryArtifacts[${i}]`, a]),
      ])
        if (artifacts?.encryptionDisabled === true) findings.push(`${where}.encryptionDisabled is true: the build output is stored unencrypted`);
      return findings;
    },
  }),
  // --- RDS / Aurora -----------------------------------------------------------------------------
  resourceRule({
    name: "aurora-storage-encrypted",
    concern: "encryption",
    description: "Aurora/RDS cluster storage, snapshots and backups are encrypted with a customer-managed KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
      "set storageEncrypted: true and kmsKeyId to the ARN of a customer-managed KMS key (encryption can only be chosen at creation: restore a snapshot copy to change it)",
    types: ["aws:rds/cluster:Cluster"],
    check: (props) => {
      const findings: string[] = [];
      if (props.storageEncrypted !== true) findings.push(notTrue("storageEncrypted", props.storageEncrypted));
      const key = customerKeyFinding("kmsKeyId", props.kmsKeyId);
      if (key) findings.push(key);
      return findings;
    },
  }),
  resourceRule({
    name: "backup-vault-cmk",
    concern: "encryption",
    description: "AWS Backup vaults are encrypted with a customer-managed KMS key (a copy to another region is encrypted with that vault's key).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "set kmsKeyArn to a customer-managed key of the vault's own region (the key cannot change later: it replaces the vault)",
    types: ["aws:backup/vault:Vault"],
    check: (props) => asFindings(customerKeyFinding("kmsKeyArn", props.kmsKeyArn)),
  }),
  resourceRule({
    name: "dynamodb-replica-cmk",
    concern: "encryption",
    description: "Every DynamoDB global-table replica is encrypted with a customer-managed KMS key (of the replica's own region).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "set kmsKeyArn to the full ARN of a customer-managed key in the replica's region (changing it replaces the replica and deletes its items)",
    types: ["aws:dynamodb/tableReplica:TableReplica"],
    check: (props) => asFindings(customerKeyFinding("kmsKeyArn", props.kmsKeyArn)),
  }),
  resourceRule({
    name: "ses-tls-required",
    concern: "encryption",
    description: "SES configuration sets deliver mail only over TLS to the receiving server (tlsPolicy REQUIRE).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set deliveryOptions.tlsPolicy: REQUIRE on the configuration set",
    types: ["aws:sesv2/configurationSet:ConfigurationSet"],
    check: (props) =>
      props.deliveryOptions?.tlsPolicy === "REQUIRE" ? [] : [`deliveryOptions.tlsPolicy is ${props.deliveryOptions?.tlsPolicy ?? "unset (OPTIONAL)"}`],
  }),
  resourceRule({
    name: "prometheus-workspace-cmk",
    concern: "encryption",
    description: "Amazon Managed Service for Prometheus workspaces encrypt their samples with a customer-managed key.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set kmsKeyArn on the workspace to the stack's key (a single-region key: AMP refuses multi-Region keys); changing it replaces the workspace",
    types: ["aws:amp/workspace:Workspace"],
    check: (props) => (props.kmsKeyArn ? [] : ["kmsKeyArn is unset (an AWS-owned key)"]),
  }),
  resourceRule({
    name: "synthetics-artifacts-cmk",
    concern: "encryption",
    description: "CloudWatch Synthetics canaries write their artifacts (screenshots, HAR files, logs, reports) SSE-KMS with a customer-managed key.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
      "set artifactConfig.s3Encryption: { encryptionMode: SSE_KMS, kmsKeyArn: <the stack's key> } (and grant the canary role kms:GenerateDataKey and kms:Decrypt through S3)",
    types: ["aws:synthetics/canary:Canary"],
    check: (props) => {
      const enc = props.artifactConfig?.s3Encryption;
      return enc?.encryptionMode === "SSE_KMS" && enc.kmsKeyArn
        ? []
        : [`artifactConfig.s3Encryption is ${enc ? `${enc.encryptionMode}${enc.kmsKeyArn ? "" : " without a kmsKeyArn"}` : "unset (an AWS-managed key)"}`];
    },
  }),
  resourceRule({
    name: "rds-instance-encrypted",
    concern: "encryption",
    description: "RDS DB instance storage, snapshots and backups are encrypted at rest.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "set storageEncrypted: true (and kmsKeyId to a customer-managed key); an existing instance must be restored from an encrypted snapshot copy",
    types: ["aws:rds/instance:Instance"],
    check: (props) => (props.storageEncrypted === true ? [] : [notTrue("storageEncrypted", props.storageEncrypted)]),
  }),
  resourceRule({
    name: "aurora-performance-insights-cmk",
    concern: "encryption",
    description: "Performance Insights data (which includes SQL text) is encrypted with a customer-managed KMS key.",
    severity: "low",
    enforcementLevel: "mandatory",
    remediation: "set performanceInsightsKmsKeyId to the ARN of a customer-managed KMS key (the cluster's key)",
    types: ["aws:rds/clusterInstance:ClusterInstance"],
    check: (props) => {
      if (props.performanceInsightsEnabled !== true) return [];
      const key = customerKeyFinding("performanceInsightsKmsKeyId", props.performanceInsightsKmsKeyId);
      return key ? [`performanceInsightsEnabled is true but ${key}`] : [];
    },
  }),
  resourceRule({
    name: "rds-master-password-managed",
    concern: "encryption",
    description: "The database master password is generated and kept by RDS in Secrets Manager (or write-only), never a plain input stored in Pulumi state.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
      "remove the plain password and set manageMasterUserPassword: true (with masterUserSecretKmsKeyId), or pass it write-only (masterPasswordWo / passwordWo with its version)",
    types: ["aws:rds/cluster:Cluster", "aws:rds/instance:Instance"],
    check: (props, ctx) => {
      const cluster = ctx.type === "aws:rds/cluster:Cluster";
      const [passwordProp, writeOnlyProp, userProp] = cluster
        ? ["masterPassword", "masterPasswordWo", "masterUsername"]
        : ["password", "passwordWo", "username"];
      if (isSet(props[passwordProp])) return [`${passwordProp} is set as a plain input (kept in Pulumi state)`];
      if (props.manageMasterUserPassword === true || isSet(props[writeOnlyProp])) return [];
      // Replicas and restores inherit their master user; only a resource that creates one must manage it.
      if (!isSet(props[userProp])) return [];
      return [
        `${userProp} is set but manageMasterUserPassword is ${props.manageMasterUserPassword === false ? "false" : "not set"} and no ${writeOnlyProp} is given`,
      ];
    },
  }),

  // --- ElastiCache ------------------------------------------------------------------------------
  resourceRule({
    name: "elasticache-encrypted-at-rest",
    concern: "encryption",
    description: "ElastiCache replication groups encrypt data at rest (disk, swap and backups).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "set atRestEncryptionEnabled: true (and kmsKeyId to a customer-managed key); it can only be chosen at creation",
    types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check: (props) => {
      if (props.atRestEncryptionEnabled === true) return [];
      // Valkey encrypts at rest unless told not to.
      if (props.atRestEncryptionEnabled === undefined && props.engine === "valkey") return [];
      return [notTrue("atRestEncryptionEnabled", props.atRestEncryptionEnabled)];
    },
  }),
  resourceRule({
    name: "elasticache-at-rest-cmk",
    concern: "encryption",
    description: "ElastiCache data at rest is encrypted with a customer-managed KMS key rather than the service-owned key.",
    severity: "low",
    enforcementLevel: "mandatory",
    remediation: "set kmsKeyId to the ARN of a customer-managed KMS key (requires atRestEncryptionEnabled: true; only at creation)",
    types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check: (props) => {
      const key = customerKeyFinding("kmsKeyId", props.kmsKeyId);
      return key ? [key] : [];
    },
  }),
  resourceRule({
    name: "elasticache-encrypted-in-transit",
    concern: "encryption",
    description: "ElastiCache replication groups accept TLS connections only.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: 'set transitEncryptionEnabled: true and leave transitEncryptionMode unset or "required"',
    types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check: (props) => {
      if (props.transitEncryptionEnabled !== true) return [notTrue("transitEncryptionEnabled", props.transitEncryptionEnabled)];
      if (props.transitEncryptionMode === "preferred") return ['transitEncryptionMode is "preferred" (plaintext connections are still accepted)'];
      return [];
    },
  }),
  resourceRule({
    name: "elasticache-auth",
    concern: "encryption",
    description: "ElastiCache replication groups require clients to authenticate (AUTH token or RBAC user group).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
      "set authToken (from Secrets Manager or a generated secret), authTokenWo with authTokenWoVersion, or userGroupIds (RBAC); all need transitEncryptionEnabled: true",
    types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check: (props) => {
      if (isSet(props.authToken) || isSet(props.authTokenWo) || asArray<string>(props.userGroupIds).length > 0) return [];
      return ["no authToken, authTokenWo or userGroupIds is set (any client that reaches the port can read and write)"];
    },
  }),

  // --- DynamoDB, SQS, SNS -----------------------------------------------------------------------
  resourceRule({
    name: "dynamodb-cmk",
    concern: "encryption",
    description: "DynamoDB tables are encrypted with a customer-managed KMS key.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set serverSideEncryption: { enabled: true, kmsKeyArn: <customer-managed key ARN> }",
    types: ["aws:dynamodb/table:Table"],
    check: (props) => {
      const sse = props.serverSideEncryption;
      if (sse?.enabled !== true) return [`serverSideEncryption.enabled is ${sse?.enabled === false ? "false" : "not set"} (the AWS-owned key is used)`];
      const key = customerKeyFinding("serverSideEncryption.kmsKeyArn", sse.kmsKeyArn);
      return key ? [key] : [];
    },
  }),
  resourceRule({
    name: "sqs-encrypted",
    concern: "encryption",
    description: "SQS queues encrypt messages at rest: SSE-KMS with a customer-managed key, or SSE-SQS (not the AWS-managed alias/aws/sqs key).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set kmsMasterKeyId to a customer-managed KMS key ARN (preferred), or sqsManagedSseEnabled: true",
    types: ["aws:sqs/queue:Queue"],
    check: (props) => {
      // The AWS-managed key's policy cannot admit the services (S3, SNS, Scheduler) that send to a queue.
      if (isAwsManagedKey(props.kmsMasterKeyId)) return [`kmsMasterKeyId is the AWS-managed key ${props.kmsMasterKeyId}`];
      if (isSet(props.kmsMasterKeyId) || props.sqsManagedSseEnabled === true) return [];
      return [
        `neither kmsMasterKeyId is set nor sqsManagedSseEnabled is true (sqsManagedSseEnabled is ${props.sqsManagedSseEnabled === false ? "false" : "not set"})`,
      ];
    },
  }),
  resourceRule({
    name: "sns-encrypted",
    concern: "encryption",
    description: "SNS topics encrypt messages at rest with KMS.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set kmsMasterKeyId to a customer-managed KMS key whose policy lets the publishing services (CloudWatch, EventBridge) use it",
    types: ["aws:sns/topic:Topic"],
    check: (props) => (isSet(props.kmsMasterKeyId) ? [] : ["kmsMasterKeyId is not set (messages are stored unencrypted)"]),
  }),

  // --- S3 (stack rules: the bucket's settings are separate resources) -----------------------------
  stackRule({
    name: "s3-default-encryption",
    concern: "encryption",
    description: "Every S3 bucket has a default server-side encryption configuration (SSE-S3, SSE-KMS or DSSE-KMS).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
      'add an aws.s3.BucketServerSideEncryptionConfiguration with bucket: <bucket>.id and a rule applyServerSideEncryptionByDefault.sseAlgorithm "aws:kms" (with kmsMasterKeyId) or "AES256"',
    check: (resources) => {
      const findings: string[] = [];
      for (const bucket of ofTypes(resources, ...BUCKET_TYPES)) {
        const inline = bucket.props.serverSideEncryptionConfiguration?.rule?.applyServerSideEncryptionByDefault?.sseAlgorithm;
        if (S3_SSE_ALGORITHMS.includes(inline)) continue;
        const configs = dependents(resources, bucket, "bucket", ...SSE_CONFIG_TYPES);
        if (configs.length === 0) {
          findings.push(`${describe(bucket)}: no BucketServerSideEncryptionConfiguration depends on its bucket`);
          continue;
        }
        const algorithms = configs.flatMap((c) => asArray<any>(c.props.rules).map((r) => r?.applyServerSideEncryptionByDefault?.sseAlgorithm));
        if (!algorithms.some((a) => S3_SSE_ALGORITHMS.includes(a))) {
          findings.push(
            `${describe(bucket)}: its encryption configuration has no rule with sseAlgorithm AES256, aws:kms or aws:kms:dsse (found ${algorithms.map((a) => JSON.stringify(a ?? null)).join(", ") || "no rules"})`,
          );
        }
      }
      return findings;
    },
  }),
  stackRule({
    name: "s3-tls-only",
    concern: "encryption",
    description: "Every S3 bucket's policy denies requests not made over TLS.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
      'add an aws.s3.BucketPolicy with bucket: <bucket>.id whose policy has { Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Resource: [arn, arn/*], Condition: { Bool: { "aws:SecureTransport": "false" } } }',
    check: (resources) => {
      const findings: string[] = [];
      for (const bucket of ofTypes(resources, ...BUCKET_TYPES)) {
        const policies = dependents(resources, bucket, "bucket", "aws:s3/bucketPolicy:BucketPolicy");
        if (policies.length === 0) findings.push(`${describe(bucket)}: no BucketPolicy depends on its bucket`);
        else if (!policies.some((p) => deniesInsecureTransport(p.props.policy, "s3"))) {
          findings.push(`${describe(bucket)}: its bucket policy has no Deny for everyone on s3:* when aws:SecureTransport is false`);
        }
      }
      return findings;
    },
  }),

  // --- EFS, ECS ---------------------------------------------------------------------------------
  resourceRule({
    name: "efs-encrypted",
    concern: "encryption",
    description: "EFS file systems are encrypted at rest with a customer-managed KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "set encrypted: true and kmsKeyId to the ARN of a customer-managed KMS key (only at creation)",
    types: ["aws:efs/fileSystem:FileSystem"],
    check: (props) => {
      const findings: string[] = [];
      if (props.encrypted !== true) findings.push(notTrue("encrypted", props.encrypted));
      const key = customerKeyFinding("kmsKeyId", props.kmsKeyId);
      if (key) findings.push(key);
      return findings;
    },
  }),
  resourceRule({
    name: "ecs-efs-transit-encryption",
    concern: "encryption",
    description: "ECS tasks mount EFS volumes over TLS.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: 'set transitEncryption: "ENABLED" in every volume\'s efsVolumeConfiguration',
    types: ["aws:ecs/taskDefinition:TaskDefinition"],
    check: (props) =>
      asArray<any>(props.volumes)
        .filter((v) => v?.efsVolumeConfiguration)
        .filter((v) => v.efsVolumeConfiguration.transitEncryption !== "ENABLED")
        .map(
          (v) =>
            `volume "${v.name}" mounts EFS with transitEncryption ${isSet(v.efsVolumeConfiguration.transitEncryption) ? JSON.stringify(v.efsVolumeConfiguration.transitEncryption) : "not set (DISABLED)"}`,
        ),
  }),

  // --- Logs, secrets, keys ----------------------------------------------------------------------
  resourceRule({
    name: "log-group-kms",
    concern: "encryption",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set kmsKeyId to the ARN of a customer-managed KMS key whose policy allows logs.<region>.amazonaws.com for this account's log groups",
    types: ["aws:cloudwatch/logGroup:LogGroup"],
    check: (props) => (isSet(props.kmsKeyId) ? [] : ["kmsKeyId is not set"]),
  }),
  resourceRule({
    name: "secret-cmk",
    concern: "encryption",
    description: "Secrets Manager secrets are encrypted with a customer-managed KMS key, so key policy and grants control who can decrypt them.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set kmsKeyId to the ARN of a customer-managed KMS key and grant kms:Decrypt on it to the readers",
    types: ["aws:secretsmanager/secret:Secret"],
    check: (props) => {
      const key = customerKeyFinding("kmsKeyId", props.kmsKeyId);
      return key ? [key] : [];
    },
  }),
  resourceRule({
    name: "kms-key-rotation",
    concern: "encryption",
    description: "Symmetric customer-managed KMS keys rotate their key material automatically.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set enableKeyRotation: true (rotationPeriodInDays defaults to 365)",
    types: ["aws:kms/key:Key"],
    check: (props) => {
      const spec = props.customerMasterKeySpec ?? props.keySpec;
      if (isSet(spec) && spec !== "SYMMETRIC_DEFAULT") return [];
      // KMS cannot rotate keys in a custom key store (CloudHSM / external).
      if (isSet(props.customKeyStoreId)) return [];
      return props.enableKeyRotation === true ? [] : [notTrue("enableKeyRotation", props.enableKeyRotation)];
    },
  }),

  // --- CloudFront -------------------------------------------------------------------------------
  resourceRule({
    name: "cloudfront-https-only",
    concern: "encryption",
    description: "CloudFront serves every path to viewers over HTTPS only.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: 'set viewerProtocolPolicy: "redirect-to-https" (or "https-only") on defaultCacheBehavior and every orderedCacheBehaviors entry',
    types: ["aws:cloudfront/distribution:Distribution"],
    check: (props) => {
      const ok = (policy: unknown) => policy === "redirect-to-https" || policy === "https-only";
      const found = (policy: unknown) => (isSet(policy) ? JSON.stringify(policy) : "not set");
      const findings: string[] = [];
      const d = props.defaultCacheBehavior;
      if (!ok(d?.viewerProtocolPolicy)) findings.push(`defaultCacheBehavior.viewerProtocolPolicy is ${found(d?.viewerProtocolPolicy)}`);
      for (const b of asArray<any>(props.orderedCacheBehaviors)) {
        if (!ok(b?.viewerProtocolPolicy)) findings.push(`orderedCacheBehaviors "${b?.pathPattern}" viewerProtocolPolicy is ${found(b?.viewerProtocolPolicy)}`);
      }
      return findings;
    },
  }),
  resourceRule({
    name: "cloudfront-modern-tls",
    concern: "encryption",
    description: "CloudFront uses its own certificate with a TLSv1.2_2021-or-newer viewer security policy.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: `set viewerCertificate to an ACM certificate (acmCertificateArn, sslSupportMethod "sni-only") with minimumProtocolVersion one of ${CLOUDFRONT_MODERN_TLS.join(", ")}`,
    types: ["aws:cloudfront/distribution:Distribution"],
    check: (props) => {
      const cert = props.viewerCertificate;
      if (cert?.cloudfrontDefaultCertificate === true)
        return ["viewerCertificate.cloudfrontDefaultCertificate is true (the *.cloudfront.net certificate allows TLSv1)"];
      const version = cert?.minimumProtocolVersion;
      if (CLOUDFRONT_MODERN_TLS.includes(version)) return [];
      return [`viewerCertificate.minimumProtocolVersion is ${isSet(version) ? JSON.stringify(version) : "not set (TLSv1)"}`];
    },
  }),
  resourceRule({
    name: "cloudfront-origin-https",
    concern: "encryption",
    description: "CloudFront reaches every custom origin over HTTPS with TLS 1.2 or newer only.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: 'set customOriginConfig.originProtocolPolicy: "https-only" and originSslProtocols: ["TLSv1.2"] on every custom origin',
    types: ["aws:cloudfront/distribution:Distribution"],
    check: (props) => {
      const findings: string[] = [];
      for (const origin of asArray<any>(props.origins)) {
        const config = origin?.customOriginConfig;
        if (!config) continue;
        const id = `origin "${origin.originId}"`;
        if (config.originProtocolPolicy !== "https-only")
          findings.push(`${id} originProtocolPolicy is ${isSet(config.originProtocolPolicy) ? JSON.stringify(config.originProtocolPolicy) : "not set"}`);
        const protocols = asArray<string>(config.originSslProtocols);
        const old = protocols.filter((p) => !/^TLSv1\.[2-9]$/.test(p));
        if (protocols.length === 0) findings.push(`${id} originSslProtocols is empty`);
        else if (old.length > 0) findings.push(`${id} originSslProtocols allows ${old.join(", ")}`);
      }
      return findings;
    },
  }),

  // --- Load balancers ---------------------------------------------------------------------------
  resourceRule({
    name: "alb-listener-https",
    concern: "encryption",
    description: "Load balancer listeners terminate TLS with a modern ELB security policy; plain HTTP listeners only redirect to HTTPS.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: `use protocol HTTPS with sslPolicy one of ${ELB_MODERN_SSL_POLICIES.join(", ")}; an HTTP listener may only have redirect default actions with redirect.protocol "HTTPS"`,
    types: ["aws:lb/listener:Listener"],
    check: (props) => {
      // ALBs default to HTTP; NLB/GWLB pass-through protocols (TCP, UDP, TCP_UDP, GENEVE) carry no TLS of the listener's own.
      const protocol = props.protocol ?? "HTTP";
      if (protocol === "HTTPS" || protocol === "TLS") {
        if (ELB_MODERN_SSL_POLICIES.includes(props.sslPolicy)) return [];
        return [
          `${protocol} listener sslPolicy is ${isSet(props.sslPolicy) ? JSON.stringify(props.sslPolicy) : "not set (ELBSecurityPolicy-2016-08, which allows TLS 1.0)"}`,
        ];
      }
      if (protocol !== "HTTP") return [];
      const actions = asArray<any>(props.defaultActions);
      if (actions.length === 0) return ["HTTP listener has no default actions"];
      const plain = actions.filter((a) => !(a?.type === "redirect" && a.redirect?.protocol === "HTTPS"));
      return plain.length === 0
        ? []
        : [
            `HTTP listener has default action${plain.length > 1 ? "s" : ""} ${plain.map((a) => (a?.type === "redirect" ? `redirect to protocol ${JSON.stringify(a.redirect?.protocol ?? "#{protocol}")}` : JSON.stringify(a?.type))).join(", ")} (not a redirect to HTTPS)`,
          ];
    },
  }),

  // --- CloudTrail -------------------------------------------------------------------------------
  resourceRule({
    name: "cloudtrail-encrypted-validated",
    concern: "encryption",
    description: "CloudTrail log files are encrypted with a customer-managed KMS key and carry integrity digests.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "set kmsKeyId to a customer-managed KMS key whose policy allows cloudtrail.amazonaws.com, and enableLogFileValidation: true",
    types: ["aws:cloudtrail/trail:Trail"],
    check: (props) => {
      const findings: string[] = [];
      if (!isSet(props.kmsKeyId)) findings.push("kmsKeyId is not set (SSE-S3 only)");
      if (props.enableLogFileValidation !== true) findings.push(notTrue("enableLogFileValidation", props.enableLogFileValidation));
      return findings;
    },
  }),

  // --- SQS transport (stack rule) ---------------------------------------------------------------
  stackRule({
    name: "sqs-tls-only",
    concern: "encryption",
    description: "Every SQS queue's policy denies requests not made over TLS.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
      'add an aws.sqs.QueuePolicy with queueUrl: <queue>.url whose policy has { Effect: "Deny", Principal: { AWS: "*" }, Action: "sqs:*", Resource: <queue arn>, Condition: { Bool: { "aws:SecureTransport": "false" } } }',
    check: (resources) => {
      const findings: string[] = [];
      for (const queue of ofTypes(resources, "aws:sqs/queue:Queue")) {
        const policies = dependents(resources, queue, "queueUrl", "aws:sqs/queuePolicy:QueuePolicy");
        if (policies.length === 0) findings.push(`${describe(queue)}: no QueuePolicy depends on its queueUrl`);
        else if (!policies.some((p) => deniesInsecureTransport(p.props.policy, "sqs"))) {
          findings.push(`${describe(queue)}: its queue policy has no Deny for everyone on sqs:* when aws:SecureTransport is false`);
        }
      }
      return findings;
    },
  }),

  // --- Credentials in environment variables -----------------------------------------------------
  resourceRule({
    name: "compute-env-no-secrets",
    concern: "encryption",
    description:
      "No compute resource holds a credential in a plain environment variable (Lambda, ECS container definitions, CodeBuild PLAINTEXT variables, Synthetics canaries): anyone who can read the resource's configuration can read them.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
      "keep the value in Secrets Manager: for ECS reference it in the container's secrets ({ name, valueFrom: <secret ARN> }), for CodeBuild use a SECRETS_MANAGER variable, for Lambda and canaries pass the secret's ARN (e.g. DB_SECRET_ARN) and read it at runtime with a grant on that secret",
    configKey: "platform:services[].environment",
    types: Object.keys(PLAIN_ENVIRONMENTS),
    check: (props, ctx) => {
      const variables = PLAIN_ENVIRONMENTS[ctx.type](props);
      const findings: string[] = [];
      for (const where of [...new Set(variables.map((v) => v.where))]) {
        const mine = variables.filter((v) => v.where === where);
        const noun = (count: number) => `plain environment variable${count > 1 ? "s" : ""}`;
        const names = mine.filter((v) => typeof v.name === "string" && looksLikeSecret(v.name)).map((v) => v.name);
        if (names.length) findings.push(`${where} has ${noun(names.length)} ${names.join(", ")} that look${names.length > 1 ? "" : "s"} like a secret`);
        const values = mine.filter((v) => typeof v.value === "string" && SECRET_LOOKING_VALUE.test(v.value) && !names.includes(v.name)).map((v) => v.name);
        if (values.length) findings.push(`${where} has ${noun(values.length)} ${values.join(", ")} holding an AWS access key id or a private key`);
      }
      return findings;
    },
  }),
  resourceRule({
    name: "ssm-parameter-no-plain-secret",
    concern: "encryption",
    description:
      "No SSM String or StringList parameter holds a credential: one named like a secret (its last path segment), or whose value is an AWS access key id or a private key, is a SecureString.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "make the parameter a SecureString (with keyId set to a customer-managed key), or keep the credential in Secrets Manager",
    types: ["aws:ssm/parameter:Parameter"],
    check: (props) => {
      if (props.type === "SecureString") return [];
      const name = String(props.name ?? "");
      // A path names its value by its last segment; an ARN-holding one (secret-arn) names a secret, it does not hold one.
      const leaf = (name.split("/").pop() ?? "").replace(/[-.]/g, "_");
      const value = props.value ?? props.insecureValue;
      const what = `${props.type ?? "String"} parameter ${name}`;
      if (leaf && looksLikeSecret(leaf)) return [`${what} is named like a secret but keeps its value unencrypted`];
      if (typeof value === "string" && SECRET_LOOKING_VALUE.test(value)) return [`${what} holds an AWS access key id or a private key in plain text`];
      return [];
    },
  }),
  resourceRule({
    name: "ecr-repository-hardened",
    concern: "encryption",
    description: "ECR repositories encrypt images with a customer key, scan on push and keep tags immutable.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
      'set encryptionConfigurations [{ encryptionType: "KMS", kmsKey }], imageScanningConfiguration.scanOnPush: true and imageTagMutability: "IMMUTABLE"',
    types: ["aws:ecr/repository:Repository"],
    check: (props) => {
      const findings: string[] = [];
      const encryption = asArray<any>(props.encryptionConfigurations)[0];
      if (encryption?.encryptionType !== "KMS" || !isSet(encryption?.kmsKey)) findings.push("images are not encrypted with a customer KMS key");
      if (props.imageScanningConfiguration?.scanOnPush !== true) findings.push("scanOnPush is not true");
      if (props.imageTagMutability !== "IMMUTABLE") findings.push(`imageTagMutability is ${props.imageTagMutability ?? "MUTABLE"}`);
      return findings;
    },
  }),
];
