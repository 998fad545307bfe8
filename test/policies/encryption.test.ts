import { expect } from "chai";
import { Policy } from "@pulumi/policy";
import { encryptionPolicies } from "../../policies/rules/encryption";
import { Outcome, runResource, runStack, stackOf, UNKNOWN, policyNamed } from "../../tools/policy-runner";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const policy = (name: string): Policy => policyNamed(encryptionPolicies, name);

/** Runs one resource rule against `props` of `type`. */
function run(name: string, type: string, props: Record<string, any>, resourceName = "subject"): Promise<Outcome> {
  return runResource(policy(name), { type, name: resourceName, props });
}

function expectPass(outcome: Outcome) {
  expect(outcome.unknown, "unexpected unknown").to.equal(undefined);
  expect(outcome.violations).to.deep.equal([]);
}

/** Exactly one violation, naming what was found and carrying the fix. */
function expectViolation(outcome: Outcome, ...found: string[]): string {
  expect(outcome.violations).to.have.length(1);
  const [message] = outcome.violations;
  for (const text of found) expect(message).to.contain(text);
  expect(message).to.contain("Fix:");
  return message;
}

function expectUnknown(outcome: Outcome) {
  expect(outcome.violations).to.deep.equal([]);
  expect(outcome.unknown).to.contain("can't be known during preview");
}

describe("encryption policies", () => {
  it("have unique kebab-case names, a description, a remediation and an enforcement level", () => {
    const names = encryptionPolicies.map((p) => p.name);
    expect(new Set(names).size).to.equal(names.length);
    expect(names).to.have.length(33);
    for (const p of encryptionPolicies) {
      expect(p.name).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(p.description).to.be.a("string").and.not.be.empty;
      expect(p.enforcementLevel).to.be.oneOf(["mandatory", "advisory"]);
    }
    const advisory = encryptionPolicies.filter((p) => p.enforcementLevel === "advisory").map((p) => p.name);
    // Every encryption rule fails the deploy: Checkov fails a run on each of them (CKV_AWS_354, CKV_AWS_191 among them).
    expect(advisory).to.deep.equal([]);
  });
});

describe("policy backup-vault-cmk", () => {
  const type = "aws:backup/vault:Vault";
  it("passes with a customer key", async () => {
    expectPass(await run("backup-vault-cmk", type, { kmsKeyArn: KEY }));
  });
  it("reports the AWS-managed key, or none", async () => {
    expectViolation(await run("backup-vault-cmk", type, {}, "vault"), 'aws:backup/vault:Vault "vault": kmsKeyArn is not set', "Fix: set kmsKeyArn");
    expectViolation(await run("backup-vault-cmk", type, { kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:alias/aws/backup" }), "AWS-managed key");
  });
});

describe("policy dynamodb-replica-cmk", () => {
  const type = "aws:dynamodb/tableReplica:TableReplica";
  it("passes with a customer key", async () => {
    expectPass(await run("dynamodb-replica-cmk", type, { kmsKeyArn: KEY }));
  });
  it("reports a replica on the AWS-owned key", async () => {
    expectViolation(
      await run("dynamodb-replica-cmk", type, {}, "replica"),
      'aws:dynamodb/tableReplica:TableReplica "replica": kmsKeyArn is not set',
      "Fix: set kmsKeyArn",
    );
  });
});

describe("policy aurora-storage-encrypted", () => {
  const type = "aws:rds/cluster:Cluster";
  it("passes with storage encrypted by a customer key", async () => {
    expectPass(await run("aurora-storage-encrypted", type, { storageEncrypted: true, kmsKeyId: KEY }));
  });
  it("reports unencrypted storage", async () => {
    const outcome = await run("aurora-storage-encrypted", type, { storageEncrypted: false, kmsKeyId: KEY }, "db");
    expectViolation(outcome, 'aws:rds/cluster:Cluster "db": storageEncrypted is false', "Fix: set storageEncrypted: true");
  });
  it("reports encryption with the AWS-managed key", async () => {
    expectViolation(await run("aurora-storage-encrypted", type, { storageEncrypted: true }), "kmsKeyId is not set");
    expectViolation(
      await run("aurora-storage-encrypted", type, { storageEncrypted: true, kmsKeyId: "alias/aws/rds" }),
      "kmsKeyId is the AWS-managed key alias/aws/rds",
    );
  });
  it("reports both findings when neither is set", async () => {
    const outcome = await run("aurora-storage-encrypted", type, {});
    expect(outcome.violations).to.have.length(2);
    expect(outcome.violations[0]).to.contain("storageEncrypted is not set");
    expect(outcome.violations[1]).to.contain("kmsKeyId is not set");
  });
  it("does not report an unknown key", async () => {
    expectUnknown(await run("aurora-storage-encrypted", type, { storageEncrypted: true, kmsKeyId: UNKNOWN.string }));
  });
});

describe("policy rds-instance-encrypted", () => {
  const type = "aws:rds/instance:Instance";
  it("passes with encrypted storage", async () => {
    expectPass(await run("rds-instance-encrypted", type, { storageEncrypted: true }));
  });
  it("reports missing encryption", async () => {
    expectViolation(
      await run("rds-instance-encrypted", type, {}, "legacy"),
      'aws:rds/instance:Instance "legacy": storageEncrypted is not set',
      "Fix: set storageEncrypted: true",
    );
  });
  it("does not report an unknown flag", async () => {
    expectUnknown(await run("rds-instance-encrypted", type, { storageEncrypted: UNKNOWN.boolean }));
  });
});

describe("policy aurora-performance-insights-cmk", () => {
  const type = "aws:rds/clusterInstance:ClusterInstance";
  it("passes with a customer key, or without Performance Insights", async () => {
    expectPass(await run("aurora-performance-insights-cmk", type, { performanceInsightsEnabled: true, performanceInsightsKmsKeyId: KEY }));
    expectPass(await run("aurora-performance-insights-cmk", type, { performanceInsightsEnabled: false }));
  });
  it("reports Performance Insights without a customer key", async () => {
    expectViolation(
      await run("aurora-performance-insights-cmk", type, { performanceInsightsEnabled: true }),
      "performanceInsightsEnabled is true but performanceInsightsKmsKeyId is not set",
      "Fix: set performanceInsightsKmsKeyId",
    );
  });
  it("does not report an unknown key", async () => {
    expectUnknown(await run("aurora-performance-insights-cmk", type, { performanceInsightsEnabled: true, performanceInsightsKmsKeyId: UNKNOWN.string }));
  });
});

describe("policy rds-master-password-managed", () => {
  it("passes with an RDS-managed or write-only password", async () => {
    expectPass(await run("rds-master-password-managed", "aws:rds/cluster:Cluster", { masterUsername: "admin", manageMasterUserPassword: true }));
    expectPass(
      await run("rds-master-password-managed", "aws:rds/cluster:Cluster", { masterUsername: "admin", masterPasswordWo: "x", masterPasswordWoVersion: 1 }),
    );
    expectPass(await run("rds-master-password-managed", "aws:rds/instance:Instance", { username: "admin", manageMasterUserPassword: true }));
  });
  it("passes for replicas and restores that create no master user", async () => {
    expectPass(await run("rds-master-password-managed", "aws:rds/instance:Instance", { replicateSourceDb: "primary" }));
  });
  it("reports a plain master password on a cluster", async () => {
    expectViolation(
      await run("rds-master-password-managed", "aws:rds/cluster:Cluster", { masterUsername: "admin", masterPassword: "hunter2hunter2" }, "db"),
      'aws:rds/cluster:Cluster "db": masterPassword is set as a plain input',
      "Fix: remove the plain password and set manageMasterUserPassword: true",
    );
  });
  it("reports a plain password on an instance", async () => {
    expectViolation(
      await run("rds-master-password-managed", "aws:rds/instance:Instance", { username: "admin", password: "hunter2hunter2" }),
      "password is set as a plain input",
    );
  });
  it("reports a master user whose password is not managed", async () => {
    expectViolation(
      await run("rds-master-password-managed", "aws:rds/cluster:Cluster", { masterUsername: "admin", manageMasterUserPassword: false }),
      "masterUsername is set but manageMasterUserPassword is false and no masterPasswordWo is given",
    );
  });
  it("does not report an unknown password", async () => {
    expectUnknown(await run("rds-master-password-managed", "aws:rds/cluster:Cluster", { masterUsername: "admin", masterPassword: UNKNOWN.string }));
  });
});

describe("policy elasticache-encrypted-at-rest", () => {
  const type = "aws:elasticache/replicationGroup:ReplicationGroup";
  it("passes when enabled, or for Valkey whose default is encrypted", async () => {
    expectPass(await run("elasticache-encrypted-at-rest", type, { engine: "redis", atRestEncryptionEnabled: true }));
    expectPass(await run("elasticache-encrypted-at-rest", type, { engine: "valkey" }));
  });
  it("reports Redis without encryption at rest, and Valkey with it turned off", async () => {
    expectViolation(
      await run("elasticache-encrypted-at-rest", type, { engine: "redis" }, "cache"),
      '"cache": atRestEncryptionEnabled is not set',
      "Fix: set atRestEncryptionEnabled: true",
    );
    expectViolation(await run("elasticache-encrypted-at-rest", type, { engine: "valkey", atRestEncryptionEnabled: false }), "atRestEncryptionEnabled is false");
  });
  it("does not report an unknown flag", async () => {
    expectUnknown(await run("elasticache-encrypted-at-rest", type, { engine: "redis", atRestEncryptionEnabled: UNKNOWN.boolean }));
  });
});

describe("policy elasticache-at-rest-cmk", () => {
  const type = "aws:elasticache/replicationGroup:ReplicationGroup";
  it("passes with a customer key", async () => {
    expectPass(await run("elasticache-at-rest-cmk", type, { atRestEncryptionEnabled: true, kmsKeyId: KEY }));
  });
  it("reports the service-owned key", async () => {
    expectViolation(await run("elasticache-at-rest-cmk", type, { atRestEncryptionEnabled: true }), "kmsKeyId is not set", "Fix: set kmsKeyId");
  });
  it("does not report an unknown key", async () => {
    expectUnknown(await run("elasticache-at-rest-cmk", type, { kmsKeyId: UNKNOWN.string }));
  });
});

describe("policy elasticache-encrypted-in-transit", () => {
  const type = "aws:elasticache/replicationGroup:ReplicationGroup";
  it("passes with TLS required", async () => {
    expectPass(await run("elasticache-encrypted-in-transit", type, { transitEncryptionEnabled: true }));
    expectPass(await run("elasticache-encrypted-in-transit", type, { transitEncryptionEnabled: true, transitEncryptionMode: "required" }));
  });
  it("reports TLS off", async () => {
    expectViolation(
      await run("elasticache-encrypted-in-transit", type, { transitEncryptionEnabled: false }),
      "transitEncryptionEnabled is false",
      "Fix: set transitEncryptionEnabled: true",
    );
  });
  it("reports the preferred mode that still accepts plaintext", async () => {
    expectViolation(
      await run("elasticache-encrypted-in-transit", type, { transitEncryptionEnabled: true, transitEncryptionMode: "preferred" }),
      'transitEncryptionMode is "preferred"',
    );
  });
  it("does not report an unknown flag", async () => {
    expectUnknown(await run("elasticache-encrypted-in-transit", type, { transitEncryptionEnabled: UNKNOWN.boolean }));
  });
});

describe("policy elasticache-auth", () => {
  const type = "aws:elasticache/replicationGroup:ReplicationGroup";
  it("passes with an AUTH token, a write-only token or an RBAC user group", async () => {
    expectPass(await run("elasticache-auth", type, { authToken: "a-long-generated-token-value" }));
    expectPass(await run("elasticache-auth", type, { authTokenWo: "a-long-generated-token-value", authTokenWoVersion: 1 }));
    expectPass(await run("elasticache-auth", type, { userGroupIds: ["app-users"] }));
  });
  it("reports a group with no authentication", async () => {
    expectViolation(await run("elasticache-auth", type, { userGroupIds: [] }), "no authToken, authTokenWo or userGroupIds is set", "Fix: set authToken");
  });
  it("does not report an unknown token", async () => {
    expectUnknown(await run("elasticache-auth", type, { authToken: UNKNOWN.string }));
  });
});

describe("policy dynamodb-cmk", () => {
  const type = "aws:dynamodb/table:Table";
  it("passes with SSE under a customer key", async () => {
    expectPass(await run("dynamodb-cmk", type, { serverSideEncryption: { enabled: true, kmsKeyArn: KEY } }));
  });
  it("reports the AWS-owned key", async () => {
    expectViolation(
      await run("dynamodb-cmk", type, {}, "ledger"),
      '"ledger": serverSideEncryption.enabled is not set',
      "Fix: set serverSideEncryption: { enabled: true, kmsKeyArn",
    );
  });
  it("reports the AWS-managed key", async () => {
    expectViolation(await run("dynamodb-cmk", type, { serverSideEncryption: { enabled: true } }), "serverSideEncryption.kmsKeyArn is not set");
  });
  it("does not report an unknown key", async () => {
    expectUnknown(await run("dynamodb-cmk", type, { serverSideEncryption: { enabled: true, kmsKeyArn: UNKNOWN.string } }));
  });
});

describe("policy sqs-encrypted", () => {
  const type = "aws:sqs/queue:Queue";
  it("passes with SSE-KMS or SSE-SQS", async () => {
    expectPass(await run("sqs-encrypted", type, { kmsMasterKeyId: KEY }));
    expectPass(await run("sqs-encrypted", type, { sqsManagedSseEnabled: true }));
  });
  it("reports the AWS-managed key, whose policy admits no sending service", async () => {
    expectViolation(
      await run("sqs-encrypted", type, { kmsMasterKeyId: "alias/aws/sqs" }),
      "kmsMasterKeyId is the AWS-managed key alias/aws/sqs",
      "Fix: set kmsMasterKeyId",
    );
  });
  it("reports an unencrypted queue", async () => {
    expectViolation(
      await run("sqs-encrypted", type, { sqsManagedSseEnabled: false }),
      "neither kmsMasterKeyId is set nor sqsManagedSseEnabled is true (sqsManagedSseEnabled is false)",
      "Fix: set kmsMasterKeyId",
    );
  });
  it("does not report an unknown key", async () => {
    expectUnknown(await run("sqs-encrypted", type, { kmsMasterKeyId: UNKNOWN.string }));
  });
});

describe("policy sns-encrypted", () => {
  const type = "aws:sns/topic:Topic";
  it("passes with a KMS key", async () => {
    expectPass(await run("sns-encrypted", type, { kmsMasterKeyId: KEY }));
  });
  it("reports an unencrypted topic", async () => {
    expectViolation(await run("sns-encrypted", type, { name: "alerts" }, "alerts"), '"alerts": kmsMasterKeyId is not set', "Fix: set kmsMasterKeyId");
  });
  it("does not report an unknown key", async () => {
    expectUnknown(await run("sns-encrypted", type, { kmsMasterKeyId: UNKNOWN.string }));
  });
});

describe("policy s3-default-encryption", () => {
  const BUCKET = "aws:s3/bucket:Bucket";
  const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
  const sse = (sseAlgorithm: unknown) => ({ bucket: "assets-bucket", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm } }] });

  it("passes when each bucket has a configuration with a valid algorithm", async () => {
    const resources = stackOf([
      { type: BUCKET, name: "assets", props: {} },
      { type: SSE, name: "assets-sse", props: sse("aws:kms"), dependsOn: { bucket: ["assets"] } },
      { type: BUCKET, name: "logs", props: {} },
      { type: SSE, name: "logs-sse", props: sse("AES256"), dependsOn: { bucket: ["logs"] } },
    ]);
    expectPass(await runStack(policy("s3-default-encryption"), resources));
  });
  it("reports a bucket without a configuration, naming it", async () => {
    const resources = stackOf([
      { type: BUCKET, name: "assets", props: {} },
      { type: SSE, name: "assets-sse", props: sse("aws:kms"), dependsOn: { bucket: ["assets"] } },
      { type: BUCKET, name: "uploads", props: {} },
    ]);
    expectViolation(
      await runStack(policy("s3-default-encryption"), resources),
      'aws:s3/bucket:Bucket "uploads": no BucketServerSideEncryptionConfiguration',
      "Fix: add an aws.s3.BucketServerSideEncryptionConfiguration",
    );
  });
  it("does not count a configuration of another bucket", async () => {
    const resources = stackOf([
      { type: BUCKET, name: "assets", props: {} },
      { type: BUCKET, name: "uploads", props: {} },
      { type: SSE, name: "assets-sse", props: sse("aws:kms"), dependsOn: { bucket: ["assets"] } },
    ]);
    expectViolation(await runStack(policy("s3-default-encryption"), resources), '"uploads"');
  });
  it("reports a configuration with no valid algorithm", async () => {
    const resources = stackOf([
      { type: BUCKET, name: "assets", props: {} },
      { type: SSE, name: "assets-sse", props: sse("none"), dependsOn: { bucket: ["assets"] } },
    ]);
    expectViolation(
      await runStack(policy("s3-default-encryption"), resources),
      '"assets": its encryption configuration has no rule with sseAlgorithm',
      'found "none"',
    );
  });
  it("does not report an unknown algorithm", async () => {
    const resources = stackOf([
      { type: BUCKET, name: "assets", props: {} },
      { type: SSE, name: "assets-sse", props: sse(UNKNOWN.string), dependsOn: { bucket: ["assets"] } },
    ]);
    expectUnknown(await runStack(policy("s3-default-encryption"), resources));
  });
});

describe("policy s3-tls-only", () => {
  const BUCKET = "aws:s3/bucket:Bucket";
  const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
  const arn = "arn:aws:s3:::assets";
  const denyHttp = {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: { AWS: "*" },
    Action: "s3:*",
    Resource: [arn, `${arn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
  const allowRead = { Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: `${arn}/*` };
  const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

  it("passes when the bucket policy denies plain HTTP", async () => {
    const resources = stackOf([
      { type: BUCKET, name: "assets", props: {} },
      { type: POLICY, name: "assets-policy", props: { bucket: "assets", policy: doc(denyHttp, allowRead) }, dependsOn: { bucket: ["assets"] } },
    ]);
    expectPass(await runStack(policy("s3-tls-only"), resources));
  });
  it("reports a bucket without a policy", async () => {
    const resources = stackOf([{ type: BUCKET, name: "assets", props: {} }]);
    expectViolation(
      await runStack(policy("s3-tls-only"), resources),
      'aws:s3/bucket:Bucket "assets": no BucketPolicy depends on its bucket',
      "Fix: add an aws.s3.BucketPolicy",
    );
  });
  it("reports a policy without the TLS deny", async () => {
    const resources = stackOf([
      { type: BUCKET, name: "assets", props: {} },
      { type: POLICY, name: "assets-policy", props: { policy: doc(allowRead) }, dependsOn: { bucket: ["assets"] } },
    ]);
    expectViolation(await runStack(policy("s3-tls-only"), resources), '"assets": its bucket policy has no Deny');
  });
  it("reports a TLS deny limited to some actions", async () => {
    const resources = stackOf([
      { type: BUCKET, name: "assets", props: {} },
      { type: POLICY, name: "assets-policy", props: { policy: doc({ ...denyHttp, Action: "s3:GetObject" }) }, dependsOn: { bucket: ["assets"] } },
    ]);
    expectViolation(await runStack(policy("s3-tls-only"), resources), "its bucket policy has no Deny");
  });
  it("does not report an unknown policy document", async () => {
    const resources = stackOf([
      { type: BUCKET, name: "assets", props: {} },
      { type: POLICY, name: "assets-policy", props: { policy: UNKNOWN.string }, dependsOn: { bucket: ["assets"] } },
    ]);
    expectUnknown(await runStack(policy("s3-tls-only"), resources));
  });
});

describe("policy efs-encrypted", () => {
  const type = "aws:efs/fileSystem:FileSystem";
  it("passes with a customer key", async () => {
    expectPass(await run("efs-encrypted", type, { encrypted: true, kmsKeyId: KEY }));
  });
  it("reports an unencrypted file system", async () => {
    const outcome = await run("efs-encrypted", type, { encrypted: false }, "shared");
    expect(outcome.violations).to.have.length(2);
    expect(outcome.violations[0]).to.contain('"shared": encrypted is false').and.contain("Fix: set encrypted: true");
    expect(outcome.violations[1]).to.contain("kmsKeyId is not set");
  });
  it("reports encryption with the AWS-managed key", async () => {
    expectViolation(await run("efs-encrypted", type, { encrypted: true }), "kmsKeyId is not set");
  });
  it("does not report an unknown key", async () => {
    expectUnknown(await run("efs-encrypted", type, { encrypted: true, kmsKeyId: UNKNOWN.string }));
  });
});

describe("policy ecs-efs-transit-encryption", () => {
  const type = "aws:ecs/taskDefinition:TaskDefinition";
  const efs = (transitEncryption?: string) => ({ name: "shared", efsVolumeConfiguration: { fileSystemId: "fs-1", transitEncryption } });
  it("passes with TLS mounts, and ignores non-EFS volumes", async () => {
    expectPass(await run("ecs-efs-transit-encryption", type, { volumes: [efs("ENABLED"), { name: "scratch" }] }));
    expectPass(await run("ecs-efs-transit-encryption", type, {}));
  });
  it("reports an EFS mount without TLS", async () => {
    expectViolation(
      await run("ecs-efs-transit-encryption", type, { volumes: [efs()] }),
      'volume "shared" mounts EFS with transitEncryption not set',
      'Fix: set transitEncryption: "ENABLED"',
    );
    expectViolation(await run("ecs-efs-transit-encryption", type, { volumes: [efs("DISABLED")] }), 'transitEncryption "DISABLED"');
  });
  it("does not report an unknown setting", async () => {
    expectUnknown(
      await run("ecs-efs-transit-encryption", type, {
        volumes: [{ name: "shared", efsVolumeConfiguration: { fileSystemId: "fs-1", transitEncryption: UNKNOWN.string } }],
      }),
    );
  });
});

describe("policy log-group-kms", () => {
  const type = "aws:cloudwatch/logGroup:LogGroup";
  it("passes with a KMS key", async () => {
    expectPass(await run("log-group-kms", type, { kmsKeyId: KEY }));
  });
  it("reports an unencrypted log group", async () => {
    expectViolation(await run("log-group-kms", type, { retentionInDays: 30 }, "app-logs"), '"app-logs": kmsKeyId is not set', "Fix: set kmsKeyId");
  });
  it("does not report an unknown key", async () => {
    expectUnknown(await run("log-group-kms", type, { kmsKeyId: UNKNOWN.string }));
  });
});

describe("policy secret-cmk", () => {
  const type = "aws:secretsmanager/secret:Secret";
  it("passes with a customer key", async () => {
    expectPass(await run("secret-cmk", type, { kmsKeyId: KEY }));
  });
  it("reports the default AWS-managed key, implicit or explicit", async () => {
    expectViolation(await run("secret-cmk", type, {}), "kmsKeyId is not set", "Fix: set kmsKeyId");
    expectViolation(
      await run("secret-cmk", type, { kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:alias/aws/secretsmanager" }),
      "kmsKeyId is the AWS-managed key",
    );
  });
  it("does not report an unknown key", async () => {
    expectUnknown(await run("secret-cmk", type, { kmsKeyId: UNKNOWN.string }));
  });
});

describe("policy kms-key-rotation", () => {
  const type = "aws:kms/key:Key";
  it("passes with rotation on a symmetric key, and ignores asymmetric and HMAC keys", async () => {
    expectPass(await run("kms-key-rotation", type, { customerMasterKeySpec: "SYMMETRIC_DEFAULT", enableKeyRotation: true }));
    expectPass(await run("kms-key-rotation", type, { enableKeyRotation: true }));
    expectPass(await run("kms-key-rotation", type, { customerMasterKeySpec: "RSA_3072", keyUsage: "SIGN_VERIFY" }));
    expectPass(await run("kms-key-rotation", type, { customerMasterKeySpec: "HMAC_256", keyUsage: "GENERATE_VERIFY_MAC" }));
  });
  it("reports a symmetric key without rotation", async () => {
    expectViolation(
      await run("kms-key-rotation", type, { description: "data" }, "data"),
      '"data": enableKeyRotation is not set',
      "Fix: set enableKeyRotation: true",
    );
    expectViolation(
      await run("kms-key-rotation", type, { customerMasterKeySpec: "SYMMETRIC_DEFAULT", enableKeyRotation: false }),
      "enableKeyRotation is false",
    );
  });
  it("does not report an unknown flag", async () => {
    expectUnknown(await run("kms-key-rotation", type, { enableKeyRotation: UNKNOWN.boolean }));
  });
});

describe("policy cloudfront-https-only", () => {
  const type = "aws:cloudfront/distribution:Distribution";
  it("passes when every behavior redirects or requires HTTPS", async () => {
    expectPass(
      await run("cloudfront-https-only", type, {
        defaultCacheBehavior: { viewerProtocolPolicy: "redirect-to-https" },
        orderedCacheBehaviors: [{ pathPattern: "/api/*", viewerProtocolPolicy: "https-only" }],
      }),
    );
  });
  it("reports an ordered behavior that allows HTTP", async () => {
    const outcome = await run("cloudfront-https-only", type, {
      defaultCacheBehavior: { viewerProtocolPolicy: "redirect-to-https" },
      orderedCacheBehaviors: [{ pathPattern: "/api/*", viewerProtocolPolicy: "allow-all" }],
    });
    expectViolation(outcome, 'orderedCacheBehaviors "/api/*" viewerProtocolPolicy is "allow-all"', 'Fix: set viewerProtocolPolicy: "redirect-to-https"');
  });
  it("reports a default behavior that allows HTTP", async () => {
    expectViolation(
      await run("cloudfront-https-only", type, { defaultCacheBehavior: { viewerProtocolPolicy: "allow-all" } }),
      'defaultCacheBehavior.viewerProtocolPolicy is "allow-all"',
    );
  });
  it("does not report an unknown behavior list", async () => {
    expectUnknown(
      await run("cloudfront-https-only", type, { defaultCacheBehavior: { viewerProtocolPolicy: "https-only" }, orderedCacheBehaviors: UNKNOWN.array }),
    );
  });
});

describe("policy cloudfront-modern-tls", () => {
  const type = "aws:cloudfront/distribution:Distribution";
  const cert = (extra: object) => ({
    viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc", sslSupportMethod: "sni-only", ...extra },
  });
  it("passes with TLSv1.2_2021 or newer", async () => {
    for (const minimumProtocolVersion of ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"]) {
      expectPass(await run("cloudfront-modern-tls", type, cert({ minimumProtocolVersion })));
    }
  });
  it("reports an older policy", async () => {
    expectViolation(
      await run("cloudfront-modern-tls", type, cert({ minimumProtocolVersion: "TLSv1.2_2019" })),
      'viewerCertificate.minimumProtocolVersion is "TLSv1.2_2019"',
      "Fix: set viewerCertificate",
    );
    expectViolation(await run("cloudfront-modern-tls", type, cert({})), "minimumProtocolVersion is not set (TLSv1)");
  });
  it("reports the default CloudFront certificate", async () => {
    expectViolation(
      await run("cloudfront-modern-tls", type, { viewerCertificate: { cloudfrontDefaultCertificate: true } }),
      "viewerCertificate.cloudfrontDefaultCertificate is true",
    );
  });
  it("does not report an unknown version", async () => {
    expectUnknown(await run("cloudfront-modern-tls", type, cert({ minimumProtocolVersion: UNKNOWN.string })));
  });
});

describe("policy cloudfront-origin-https", () => {
  const type = "aws:cloudfront/distribution:Distribution";
  const custom = (config: object) => ({
    origins: [
      { originId: "s3", domainName: "b.s3.amazonaws.com", originAccessControlId: "oac" },
      { originId: "api", domainName: "origin.example.com", customOriginConfig: { httpPort: 80, httpsPort: 443, ...config } },
    ],
  });
  it("passes with HTTPS-only TLS 1.2 custom origins (S3 origins have no custom config)", async () => {
    expectPass(await run("cloudfront-origin-https", type, custom({ originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] })));
  });
  it("reports an origin reached over HTTP", async () => {
    expectViolation(
      await run("cloudfront-origin-https", type, custom({ originProtocolPolicy: "match-viewer", originSslProtocols: ["TLSv1.2"] })),
      'origin "api" originProtocolPolicy is "match-viewer"',
      'Fix: set customOriginConfig.originProtocolPolicy: "https-only"',
    );
  });
  it("reports an origin that allows old TLS versions", async () => {
    expectViolation(
      await run("cloudfront-origin-https", type, custom({ originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1", "TLSv1.1", "TLSv1.2"] })),
      'origin "api" originSslProtocols allows TLSv1, TLSv1.1',
    );
  });
  it("does not report unknown protocols", async () => {
    expectUnknown(await run("cloudfront-origin-https", type, custom({ originProtocolPolicy: "https-only", originSslProtocols: UNKNOWN.array })));
  });
});

describe("policy alb-listener-https", () => {
  const type = "aws:lb/listener:Listener";
  const redirect = (protocol?: string) => ({ type: "redirect", redirect: { protocol, port: "443", statusCode: "HTTP_301" } });
  it("passes an HTTPS listener with a modern policy and an HTTP listener that redirects", async () => {
    expectPass(await run("alb-listener-https", type, { protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }));
    expectPass(await run("alb-listener-https", type, { protocol: "HTTP", port: 80, defaultActions: [redirect("HTTPS")] }));
  });
  it("reports an old TLS policy", async () => {
    expectViolation(
      await run("alb-listener-https", type, { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" }, "https"),
      '"https": HTTPS listener sslPolicy is "ELBSecurityPolicy-2016-08"',
      "Fix: use protocol HTTPS with sslPolicy one of",
    );
    expectViolation(await run("alb-listener-https", type, { protocol: "HTTPS" }), "sslPolicy is not set");
  });
  it("reports an HTTP listener that forwards", async () => {
    expectViolation(
      await run("alb-listener-https", type, { protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: "tg" }] }),
      'HTTP listener has default action "forward"',
    );
  });
  it("reports an HTTP listener (the default protocol) whose redirect keeps the protocol", async () => {
    expectViolation(await run("alb-listener-https", type, { defaultActions: [redirect()] }), 'redirect to protocol "#{protocol}"');
  });
  it("does not report an unknown policy", async () => {
    expectUnknown(await run("alb-listener-https", type, { protocol: "HTTPS", sslPolicy: UNKNOWN.string }));
  });
});

describe("policy cloudtrail-encrypted-validated", () => {
  const type = "aws:cloudtrail/trail:Trail";
  it("passes with a KMS key and log-file validation", async () => {
    expectPass(await run("cloudtrail-encrypted-validated", type, { kmsKeyId: KEY, enableLogFileValidation: true }));
  });
  it("reports a trail without a key or validation", async () => {
    const outcome = await run("cloudtrail-encrypted-validated", type, { enableLogFileValidation: false }, "trail");
    expect(outcome.violations).to.have.length(2);
    expect(outcome.violations[0]).to.contain('"trail": kmsKeyId is not set').and.contain("Fix: set kmsKeyId");
    expect(outcome.violations[1]).to.contain("enableLogFileValidation is false");
  });
  it("does not report an unknown key", async () => {
    expectUnknown(await run("cloudtrail-encrypted-validated", type, { kmsKeyId: UNKNOWN.string, enableLogFileValidation: true }));
  });
});

describe("policy sqs-tls-only", () => {
  const QUEUE = "aws:sqs/queue:Queue";
  const POLICY = "aws:sqs/queuePolicy:QueuePolicy";
  const deny = {
    Effect: "Deny",
    Principal: { AWS: "*" },
    Action: "sqs:*",
    Resource: "arn:aws:sqs:eu-west-1:123456789012:orders",
    Condition: { Bool: { "aws:SecureTransport": false } },
  };
  const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

  it("passes when the queue policy denies plain HTTP", async () => {
    const resources = stackOf([
      { type: QUEUE, name: "orders", props: {} },
      { type: POLICY, name: "orders-policy", props: { policy: doc(deny) }, dependsOn: { queueUrl: ["orders"] } },
    ]);
    expectPass(await runStack(policy("sqs-tls-only"), resources));
  });
  it("reports a queue without a policy, naming it", async () => {
    const resources = stackOf([
      { type: QUEUE, name: "orders", props: {} },
      { type: POLICY, name: "orders-policy", props: { policy: doc(deny) }, dependsOn: { queueUrl: ["orders"] } },
      { type: QUEUE, name: "orders-dlq", props: {} },
    ]);
    expectViolation(
      await runStack(policy("sqs-tls-only"), resources),
      'aws:sqs/queue:Queue "orders-dlq": no QueuePolicy depends on its queueUrl',
      "Fix: add an aws.sqs.QueuePolicy",
    );
  });
  it("reports a policy that allows HTTP", async () => {
    const resources = stackOf([
      { type: QUEUE, name: "orders", props: {} },
      { type: POLICY, name: "orders-policy", props: { policy: doc({ ...deny, Effect: "Allow" }) }, dependsOn: { queueUrl: ["orders"] } },
    ]);
    expectViolation(await runStack(policy("sqs-tls-only"), resources), '"orders": its queue policy has no Deny');
  });
  it("does not report an unknown policy document", async () => {
    const resources = stackOf([
      { type: QUEUE, name: "orders", props: {} },
      { type: POLICY, name: "orders-policy", props: { policy: UNKNOWN.string }, dependsOn: { queueUrl: ["orders"] } },
    ]);
    expectUnknown(await runStack(policy("sqs-tls-only"), resources));
  });
});

describe("policy compute-env-no-secrets (one table of where each compute type keeps plain variables)", () => {
  const rule = "compute-env-no-secrets";
  const lambda = "aws:lambda/function:Function";
  const task = "aws:ecs/taskDefinition:TaskDefinition";
  const containers = (environment: { name: string; value: string }[]) =>
    JSON.stringify([
      {
        name: "app",
        image: "app:1",
        environment,
        secrets: [{ name: "REDIS_AUTH_TOKEN", valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x" }],
      },
      { name: "xray-daemon", image: "xray" },
    ]);

  it("passes resource names, URLs, secret ARNs and secrets passed by reference", async () => {
    expectPass(
      await run(rule, lambda, {
        environment: { variables: { QUEUE_ORDERS_URL: "https://sqs", TABLE_LEDGER: "ledger", DB_SECRET_ARN: "arn:aws:secretsmanager:..." } },
      }),
    );
    expectPass(await run(rule, lambda, {}));
    expectPass(await run(rule, task, { containerDefinitions: containers([{ name: "REDIS_HOST", value: "cache" }]) }));
    expectPass(
      await run(rule, "aws:codebuild/project:Project", {
        environment: { environmentVariables: [{ name: "GITHUB_TOKEN", type: "SECRETS_MANAGER", value: "arn:aws:secretsmanager:x" }] },
      }),
    );
  });

  it("reports secret-looking names in Lambda, whatever their case", async () => {
    expectViolation(
      await run(rule, lambda, { environment: { variables: { STRIPE_API_KEY: "sk_live", db_password: "x", TABLE: "t" } } }, "fn"),
      '"fn": environment.variables has plain environment variables STRIPE_API_KEY, db_password that look like a secret',
      "Fix: keep the value in Secrets Manager",
    );
  });

  it("reports a credential in an ECS container's plain environment", async () => {
    expectViolation(
      await run(
        rule,
        task,
        {
          containerDefinitions: containers([
            { name: "REDIS_HOST", value: "cache" },
            { name: "JWT_SECRET", value: "s3cr3t" },
          ]),
        },
        "task",
      ),
      '"task": container "app" has plain environment variable JWT_SECRET that looks like a secret',
    );
  });

  it("reports a CodeBuild PLAINTEXT variable (the default type) and a canary's variable", async () => {
    expectViolation(
      await run(rule, "aws:codebuild/project:Project", { environment: { environmentVariables: [{ name: "NPM_TOKEN", value: "npm_x" }] } }, "build"),
      '"build": environment.environmentVariables has plain environment variable NPM_TOKEN that looks like a secret',
    );
    expectViolation(
      await run(rule, "aws:synthetics/canary:Canary", { runConfig: { environmentVariables: { API_KEY: "k" } } }, "canary"),
      '"canary": runConfig.environmentVariables has plain environment variable API_KEY that looks like a secret',
    );
  });

  it("reports a value that is an AWS access key id or a private key, whatever its name", async () => {
    expectViolation(
      await run(rule, lambda, { environment: { variables: { UPSTREAM: "AKIAIOSFODNN7EXAMPLE", CERT: "-----BEGIN RSA PRIVATE KEY-----\nMII" } } }, "fn"),
      '"fn": environment.variables has plain environment variables UPSTREAM, CERT holding an AWS access key id or a private key',
    );
  });

  it("does not report unknown variables", async () => {
    expectUnknown(await run(rule, lambda, { environment: { variables: UNKNOWN.object } }));
    expectUnknown(await run(rule, task, { containerDefinitions: UNKNOWN.string }));
  });
});

describe("policy ecr-repository-hardened", () => {
  const ecr = policyNamed(encryptionPolicies, "ecr-repository-hardened");
  const good = {
    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-west-1:1:key/k" }],
    imageScanningConfiguration: { scanOnPush: true },
    imageTagMutability: "IMMUTABLE",
  };

  it("passes a KMS-encrypted, scanned, immutable repository", async () => {
    expect((await runResource(ecr, { type: "aws:ecr/repository:Repository", props: good })).violations).to.deep.equal([]);
  });

  it("reports each missing safeguard with the fix", async () => {
    const outcome = await runResource(ecr, { type: "aws:ecr/repository:Repository", props: { imageTagMutability: "MUTABLE" } });
    expect(outcome.violations.map((v) => v.split(": ")[1].split(". Fix")[0])).to.deep.equal([
      "images are not encrypted with a customer KMS key",
      "scanOnPush is not true",
      "imageTagMutability is MUTABLE",
    ]);
    for (const v of outcome.violations) expect(v).to.contain("Fix:");
  });

  it("does not report an unknown key as missing", async () => {
    const outcome = await runResource(ecr, { type: "aws:ecr/repository:Repository", props: { ...good, encryptionConfigurations: UNKNOWN.array } });
    expect(outcome.violations).to.deep.equal([]);
  });
});

describe("policy ssm-parameter-no-plain-secret", () => {
  const rule = "ssm-parameter-no-plain-secret";
  const parameter = "aws:ssm/parameter:Parameter";

  it("passes image references, ARN-holding names and SecureStrings", async () => {
    expectPass(await run(rule, parameter, { name: "/platform/user/image", type: "String", value: "123.dkr.ecr/user@sha256:ab" }));
    // The path names the value by its last segment: a service called token-broker keeps plain parameters.
    expectPass(await run(rule, parameter, { name: "/platform/token-broker/image", type: "String", value: "x" }));
    expectPass(await run(rule, parameter, { name: "/platform/db/secret-arn", type: "String", value: "arn:aws:secretsmanager:x" }));
    expectPass(await run(rule, parameter, { name: "/platform/cache/auth-token", type: "SecureString", value: "x" }));
  });

  it("reports a secret-looking name, or an access key id or private key as the value, in a String or StringList", async () => {
    expectViolation(
      await run(rule, parameter, { name: "/platform/cache/auth-token", type: "String", value: "x" }, "p"),
      '"p": String parameter /platform/cache/auth-token is named like a secret but keeps its value unencrypted',
      "Fix: make the parameter a SecureString",
    );
    expectViolation(
      await run(rule, parameter, { name: "/platform/upstream", type: "StringList", insecureValue: "AKIAIOSFODNN7EXAMPLE" }),
      "StringList parameter /platform/upstream holds an AWS access key id or a private key in plain text",
    );
  });
});

describe("policy codebuild-cmk", () => {
  const type = "aws:codebuild/project:Project";
  it("passes a project on the stack's key with encrypted artifacts", async () => {
    expectPass(await run("codebuild-cmk", type, { encryptionKey: KEY, artifacts: { type: "CODEPIPELINE" } }));
  });
  it("reports the AWS-managed S3 key, and artifacts with encryption turned off", async () => {
    expectViolation(
      await run("codebuild-cmk", type, { artifacts: { type: "CODEPIPELINE" } }),
      "encryptionKey is unset (alias/aws/s3)",
      "Fix: set encryptionKey",
    );
    expectViolation(
      await run("codebuild-cmk", type, { encryptionKey: KEY, artifacts: { type: "S3", encryptionDisabled: true } }),
      "artifacts.encryptionDisabled is true: the build output is stored unencrypted",
    );
    expectViolation(
      await run("codebuild-cmk", type, { encryptionKey: KEY, secondaryArtifacts: [{ type: "S3", encryptionDisabled: true }] }),
      "secondaryArtifacts[0].encryptionDisabled",
    );
  });
});
