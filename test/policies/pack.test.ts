/** The whole pack: its shape, our own stacks against it, and misconfigurations it must catch. */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { allPolicies, POLICIES_BY_CONCERN, RULES } from "../../policies/rules";
import { loadStackConfig } from "../../tools/harness";
import { policyTable } from "../../tools/policy-table";
import { fixture, FIXTURE_DIR, STACKS, synth } from "../helpers";
import { Fixture, fromSynth, runPack } from "../../tools/policy-runner";

type StackFixture = Fixture & { name: string; dependsOn: Record<string, string[]> };

async function fixturesOf(stack: string): Promise<StackFixture[]> {
  return fromSynth(await fixture(stack), loadStackConfig(stack, FIXTURE_DIR).config);
}

describe("policy pack", () => {
  it("has at least 40 uniquely named rules, each with a description, severity, level and concern", () => {
    const names = allPolicies.map((p) => p.name);
    expect(names.length).to.be.at.least(40);
    expect(new Set(names).size, "names are unique").to.equal(names.length);
    for (const p of allPolicies) {
      expect(p.description, p.name).to.be.a("string").with.length.above(10);
      expect(p.enforcementLevel, p.name).to.be.oneOf(["mandatory", "advisory"]);
      expect(p.severity, p.name).to.be.oneOf(["low", "medium", "high", "critical"]);
      expect(p.configSchema?.properties, p.name).to.have.property("requiredTags");
    }
    expect(Object.keys(POLICIES_BY_CONCERN)).to.deep.equal(["encryption", "network", "iam", "reliability", "tagging"]);
    expect(RULES.map((r) => r.name).sort()).to.deep.equal([...names].sort());
  });

  for (const stack of ["dev", "prod"]) {
    it(`passes the synthesized ${stack} stack with no mandatory violation`, async () => {
      const findings = await runPack(allPolicies, await fixturesOf(stack));
      const mandatory = findings.filter((f) => f.level === "mandatory");
      expect(mandatory.map((f) => `${f.policy}: ${f.message}`)).to.deep.equal([]);
      const advisory = findings.filter((f) => f.level === "advisory");
      if (advisory.length)
        console.log(`      advisory findings on ${stack} (${advisory.length}):\n${advisory.map((f) => `        - ${f.policy}: ${f.message}`).join("\n")}`);
    });
  }

  it("hands each policy only its own block of the pack config, and its enforcement level", async () => {
    const fixtures = await fixturesOf("dev");
    const costCenter = { "required-tags": { requiredTags: ["CostCenter"] } };
    const strict = await runPack(allPolicies, fixtures, { packConfig: costCenter });
    const tagged = strict.filter((f) => f.level === "mandatory");
    expect(tagged.length).to.be.greaterThan(50);
    expect([...new Set(tagged.map((f) => f.policy))]).to.deep.equal(["required-tags"]);
    const advisory = await runPack(allPolicies, fixtures, {
      packConfig: { "required-tags": { ...costCenter["required-tags"], enforcementLevel: "advisory" } },
    });
    expect(advisory.filter((f) => f.policy === "required-tags").every((f) => f.level === "advisory")).to.equal(true);
    const off = await runPack(allPolicies, fixtures, { packConfig: { "required-tags": { ...costCenter["required-tags"], enforcementLevel: "disabled" } } });
    expect(off.filter((f) => f.policy === "required-tags")).to.deep.equal([]);
  });

  for (const stack of STACKS)
    it(`passes the shipped ${stack} stack with the example config (pulumi preview --policy-pack-config policies/config.example.json)`, async () => {
      const example = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policies", "config.example.json"), "utf8"));
      const findings = await runPack(allPolicies, fromSynth(await synth(stack), loadStackConfig(stack).config), { packConfig: example });
      expect(findings.filter((f) => f.level === "mandatory").map((f) => `${f.policy}: ${f.message}`)).to.deep.equal([]);
    });

  it("ships an example config whose keys are real policies and settings", () => {
    const example = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policies", "config.example.json"), "utf8"));
    for (const [name, settings] of Object.entries<Record<string, unknown>>(example)) {
      const policy = allPolicies.find((p) => p.name === name);
      expect(policy, name).to.not.equal(undefined);
      for (const key of Object.keys(settings)) {
        if (key !== "enforcementLevel") expect(policy!.configSchema!.properties, `${name}.${key}`).to.have.property(key);
      }
    }
  });

  it("documents every rule in the README table, in sync with the code", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    expect(readme).to.contain(policyTable());
  });
});

/** A fresh deep copy of the prod fixtures with one change applied. */
function mutate(base: StackFixture[], change: (fixtures: StackFixture[]) => void): StackFixture[] {
  const copy: StackFixture[] = JSON.parse(JSON.stringify(base));
  change(copy);
  return copy;
}

function find(fixtures: StackFixture[], type: string, name?: string): StackFixture {
  const found = fixtures.find((f) => f.type === type && (name === undefined || f.name === `${type}::${name}`));
  if (!found) throw new Error(`no ${type} ${name ?? ""} in the stack`);
  return found;
}

function drop(fixtures: StackFixture[], type: string, name: string): void {
  fixtures.splice(fixtures.indexOf(find(fixtures, type, name)), 1);
}

const MUTATIONS: { what: string; policy: string; change: (f: StackFixture[]) => void }[] = [
  {
    what: "an ECS service with a public IP",
    policy: "ecs-no-public-ip",
    change: (f) => (find(f, "aws:ecs/service:Service", "payment-svc-service").props.networkConfiguration.assignPublicIp = true),
  },
  {
    what: "Redis without TLS",
    policy: "elasticache-encrypted-in-transit",
    change: (f) => (find(f, "aws:elasticache/replicationGroup:ReplicationGroup").props.transitEncryptionEnabled = false),
  },
  {
    what: "Redis unencrypted at rest",
    policy: "elasticache-encrypted-at-rest",
    change: (f) => (find(f, "aws:elasticache/replicationGroup:ReplicationGroup").props.atRestEncryptionEnabled = false),
  },
  {
    what: "a task role allowed s3:* on *",
    policy: "iam-no-wildcard-actions",
    change: (f) =>
      (find(f, "aws:iam/rolePolicy:RolePolicy", "payment-svc-task").props.policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
      })),
  },
  {
    what: "a task role allowed dynamodb:GetItem on every table",
    policy: "iam-no-wildcard-resources",
    change: (f) =>
      (find(f, "aws:iam/rolePolicy:RolePolicy", "payment-svc-task").props.policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" }],
      })),
  },
  {
    what: "a queue without its DLQ",
    policy: "sqs-dead-letter-queue",
    change: (f) => delete find(f, "aws:sqs/queue:Queue", "queue-orders").props.redrivePolicy,
  },
  {
    what: "an unencrypted Aurora cluster",
    policy: "aurora-storage-encrypted",
    change: (f) => (find(f, "aws:rds/cluster:Cluster").props.storageEncrypted = false),
  },
  {
    what: "prod Aurora without deletion protection",
    policy: "aurora-deletion-protection",
    change: (f) => (find(f, "aws:rds/cluster:Cluster").props.deletionProtection = false),
  },
  {
    what: "prod backups kept 7 days",
    policy: "database-backup-retention",
    change: (f) => (find(f, "aws:rds/cluster:Cluster").props.backupRetentionPeriod = 7),
  },
  {
    what: "a table without point-in-time recovery",
    policy: "dynamodb-point-in-time-recovery",
    change: (f) => (find(f, "aws:dynamodb/table:Table", "table-payment").props.pointInTimeRecovery = { enabled: false }),
  },
  {
    what: "a table on the AWS-owned key",
    policy: "dynamodb-cmk",
    change: (f) => (find(f, "aws:dynamodb/table:Table", "table-orders").props.serverSideEncryption = { enabled: false }),
  },
  { what: "an unencrypted queue", policy: "sqs-encrypted", change: (f) => delete find(f, "aws:sqs/queue:Queue", "queue-notifications").props.kmsMasterKeyId },
  {
    what: "an unencrypted alert topic",
    policy: "sns-encrypted",
    change: (f) => delete find(f, "aws:sns/topic:Topic", "observability-alerts").props.kmsMasterKeyId,
  },
  {
    what: "a log group without KMS",
    policy: "log-group-kms",
    change: (f) => delete find(f, "aws:cloudwatch/logGroup:LogGroup", "user-svc-logs").props.kmsKeyId,
  },
  {
    what: "a secret on the default key",
    policy: "secret-cmk",
    change: (f) => delete find(f, "aws:secretsmanager/secret:Secret", "cache-auth-token").props.kmsKeyId,
  },
  {
    what: "a KMS key without rotation",
    policy: "kms-key-rotation",
    change: (f) => (find(f, "aws:kms/key:Key", "platform-key").props.enableKeyRotation = false),
  },
  {
    what: "a CloudFront behavior allowing HTTP",
    policy: "cloudfront-https-only",
    change: (f) => (find(f, "aws:cloudfront/distribution:Distribution").props.orderedCacheBehaviors[1].viewerProtocolPolicy = "allow-all"),
  },
  {
    what: "CloudFront accepting TLS 1.0",
    policy: "cloudfront-modern-tls",
    change: (f) => (find(f, "aws:cloudfront/distribution:Distribution").props.viewerCertificate.minimumProtocolVersion = "TLSv1"),
  },
  {
    what: "an HTTP listener that forwards instead of redirecting",
    policy: "alb-listener-https",
    change: (f) => (find(f, "aws:lb/listener:Listener", "edge-http").props.defaultActions = [{ type: "forward", targetGroupArn: "arn:tg" }]),
  },
  {
    what: "a security group open to the world",
    policy: "sg-no-world-ingress",
    change: (f) =>
      (find(f, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "edge-alb-https-from-cloudfront").props = {
        securityGroupId: "sg",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
      }),
  },
  {
    what: "a publicly accessible database instance",
    policy: "rds-not-public",
    change: (f) => (find(f, "aws:rds/clusterInstance:ClusterInstance", "database-writer").props.publiclyAccessible = true),
  },
  { what: "a VPC without flow logs", policy: "vpc-flow-logs", change: (f) => drop(f, "aws:ec2/flowLog:FlowLog", "network-flow-logs") },
  {
    what: "a bucket without its public access block",
    policy: "s3-public-access-blocked",
    change: (f) => drop(f, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "edge-static"),
  },
  {
    what: "an ALB passing invalid headers",
    policy: "alb-drop-invalid-headers",
    change: (f) => (find(f, "aws:lb/loadBalancer:LoadBalancer").props.dropInvalidHeaderFields = false),
  },
  {
    what: "a task definition reusing the execution role as task role",
    policy: "ecs-task-role-distinct",
    change: (f) => {
      const td = find(f, "aws:ecs/taskDefinition:TaskDefinition", "user-svc-task").props;
      td.taskRoleArn = td.executionRoleArn;
    },
  },
  {
    what: "a role anyone may assume",
    policy: "iam-trust-service-principal",
    change: (f) =>
      (find(f, "aws:iam/role:Role", "user-svc-task").props.assumeRolePolicy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }],
      })),
  },
  {
    what: "AdministratorAccess attached to a task role",
    policy: "iam-no-admin-policies",
    change: (f) =>
      f.push({
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        name: "aws:iam/rolePolicyAttachment:RolePolicyAttachment::admin",
        props: { role: "user-svc-task", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
        dependsOn: {},
      }),
  },
  {
    what: "a service deploying without rollback",
    policy: "ecs-circuit-breaker",
    change: (f) => (find(f, "aws:ecs/service:Service", "user-svc-service").props.deploymentCircuitBreaker = { enable: true, rollback: false }),
  },
  {
    what: "a prod service with one task",
    policy: "ecs-min-two-tasks",
    change: (f) => (find(f, "aws:ecs/service:Service", "notification-svc-service").props.desiredCount = 1),
  },
  {
    what: "a single-node prod cache",
    policy: "elasticache-multi-az",
    change: (f) =>
      Object.assign(find(f, "aws:elasticache/replicationGroup:ReplicationGroup").props, {
        numCacheClusters: 1,
        automaticFailoverEnabled: false,
        multiAzEnabled: false,
      }),
  },
  {
    what: "resources without the Owner tag",
    policy: "required-tags",
    change: (f) => {
      for (const fixture of f) {
        if (!fixture.providerProps?.defaultTags) continue;
        const tags = JSON.parse(fixture.providerProps.defaultTags).tags;
        delete tags.Owner;
        fixture.providerProps = { ...fixture.providerProps, defaultTags: JSON.stringify({ tags }) };
      }
    },
  },
  { what: "a distribution without WAF", policy: "cloudfront-waf", change: (f) => delete find(f, "aws:cloudfront/distribution:Distribution").props.webAclId },
  { what: "an unencrypted file system", policy: "efs-encrypted", change: (f) => (find(f, "aws:efs/fileSystem:FileSystem").props.encrypted = false) },
  {
    what: "a password in a task's plain environment",
    policy: "ecs-no-plain-secrets",
    change: (f) => {
      const td = find(f, "aws:ecs/taskDefinition:TaskDefinition", "payment-svc-task").props;
      const containers = JSON.parse(td.containerDefinitions);
      containers[0].environment.push({ name: "DB_PASSWORD", value: "hunter2" });
      td.containerDefinitions = JSON.stringify(containers);
    },
  },
  {
    what: "an image repository with mutable tags",
    policy: "ecr-repository-hardened",
    change: (f) => (find(f, "aws:ecr/repository:Repository", "user-images").props.imageTagMutability = "MUTABLE"),
  },
  {
    what: "a pipeline role allowed to deploy every ECS service",
    policy: "iam-no-wildcard-resources",
    change: (f) => {
      const policy = find(f, "aws:iam/rolePolicy:RolePolicy", "payment-delivery-pipeline").props;
      const doc = JSON.parse(policy.policy);
      doc.Statement.find((s: { Sid: string }) => s.Sid === "DeployService").Resource = "*";
      policy.policy = JSON.stringify(doc);
    },
  },
  {
    what: "a trail without log-file validation",
    policy: "cloudtrail-encrypted-validated",
    change: (f) => (find(f, "aws:cloudtrail/trail:Trail").props.enableLogFileValidation = false),
  },
];

describe("policy pack catches misconfigurations injected into the prod stack", () => {
  let base: StackFixture[];
  before(async () => {
    base = await fixturesOf("prod");
  });

  it(`covers at least 20 distinct misconfigurations (${MUTATIONS.length})`, () => {
    expect(new Set(MUTATIONS.map((m) => m.policy)).size).to.be.at.least(20);
  });

  for (const m of MUTATIONS) {
    it(`${m.what} -> ${m.policy}`, async () => {
      const policy = allPolicies.find((p) => p.name === m.policy);
      expect(policy, `policy ${m.policy} exists`).to.not.equal(undefined);
      expect(await runPack([policy!], base), "clean before the change").to.deep.equal([]);
      const findings = await runPack([policy!], mutate(base, m.change));
      expect(findings.length, `${m.policy} reports the change`).to.be.greaterThan(0);
      // The pack reports the finding alone; the fix is the policy's remediationSteps, added once.
      for (const f of findings) expect(f.message.split("Fix:"), f.message).to.have.length(2);
      expect(findings[0].message).to.contain(`Fix: ${policy!.remediationSteps}`);
    });
  }

  it("gives every policy the SDK's remediationSteps, naming the config key where one sets the property", () => {
    for (const p of allPolicies) expect(p.remediationSteps, p.name).to.be.a("string").and.not.equal("");
    const backups = allPolicies.find((p) => p.name === "database-backup-retention")!;
    expect(backups.remediationSteps).to.contain("platform:database.backupRetentionDays");
  });
});

describe("the policy pack as a package of its own", () => {
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", file), "utf8"));

  it("has a lockfile for its own install, pinned to the SDKs the repository tests it with", () => {
    const pack = read("policies/package.json");
    const lock = read("policies/package-lock.json");
    const root = read("package.json");
    expect(lock.name).to.equal(pack.name);
    expect(lock.packages[""].dependencies).to.deep.equal(pack.dependencies);
    for (const dep of ["@pulumi/policy", "@pulumi/pulumi"]) {
      const tested = root.dependencies[dep] ?? root.devDependencies[dep];
      expect(pack.dependencies[dep], dep).to.equal(tested);
      expect(lock.packages[`node_modules/${dep}`].version, `${dep} in policies/package-lock.json`).to.equal(tested);
    }
  });
});
