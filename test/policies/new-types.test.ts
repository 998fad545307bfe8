/**
 * Pack rules for the types the private calls, schedules, e-mail and partner API brought: each
 * passes a compliant resource and reports a non-compliant one, naming what it found.
 */
import { expect } from "chai";
import { encryptionPolicies } from "../../policies/rules/encryption";
import { iamPolicies } from "../../policies/rules/iam";
import { reliabilityPolicies } from "../../policies/rules/reliability";
import { policyNamed, runResource } from "../../tools/policy-runner";

const PROD = { defaultTags: { tags: { Environment: "prod" } } };
const run = async (policies: any[], name: string, type: string, props: Record<string, unknown>) =>
  (await runResource(policyNamed(policies, name), { type, props, providerProps: PROD })).violations;

describe("policies for the new types", () => {
  it("synthetics-artifacts-cmk: only a canary whose artifacts are SSE-KMS with a given key", async () => {
    const canary = "aws:synthetics/canary:Canary";
    const kms = { artifactConfig: { s3Encryption: { encryptionMode: "SSE_KMS", kmsKeyArn: "arn:aws:kms:eu-west-1:1:key/k" } } };
    expect(await run(encryptionPolicies, "synthetics-artifacts-cmk", canary, kms)).to.deep.equal([]);
    expect((await run(encryptionPolicies, "synthetics-artifacts-cmk", canary, {}))[0]).to.contain("artifactConfig.s3Encryption is unset (an AWS-managed key)");
    const s3 = { artifactConfig: { s3Encryption: { encryptionMode: "SSE_S3" } } };
    expect((await run(encryptionPolicies, "synthetics-artifacts-cmk", canary, s3))[0]).to.contain("is SSE_S3 without a kmsKeyArn");
  });

  it("prometheus-workspace-cmk: only a workspace with a customer-managed key", async () => {
    const workspace = "aws:amp/workspace:Workspace";
    expect(await run(encryptionPolicies, "prometheus-workspace-cmk", workspace, { kmsKeyArn: "arn:aws:kms:eu-west-1:1:key/k" })).to.deep.equal([]);
    expect((await run(encryptionPolicies, "prometheus-workspace-cmk", workspace, { alias: "x" }))[0]).to.contain("kmsKeyArn is unset");
  });

  it("synthetics-canary-cleanup: a canary takes its Lambda function and layers with it", async () => {
    const canary = "aws:synthetics/canary:Canary";
    expect(await run(reliabilityPolicies, "synthetics-canary-cleanup", canary, { deleteLambda: true })).to.deep.equal([]);
    expect((await run(reliabilityPolicies, "synthetics-canary-cleanup", canary, {}))[0]).to.contain("deleteLambda is unset (false)");
  });

  it("resource policies of every kind go through one table: a public principal is caught on a key, a secret and a function permission alike", async () => {
    const open = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }] });
    for (const type of [
      "aws:kms/key:Key",
      "aws:secretsmanager/secretPolicy:SecretPolicy",
      "aws:ecr/repositoryPolicy:RepositoryPolicy",
      "aws:efs/fileSystemPolicy:FileSystemPolicy",
    ])
      expect((await run(iamPolicies, "resource-policy-no-public-principal", type, { policy: open }))[0], type).to.contain(
        'allows "kms:Decrypt" to Principal "*" without a Condition',
      );
    const permission = "aws:lambda/permission:Permission";
    expect(
      (await run(iamPolicies, "resource-policy-no-public-principal", permission, { action: "lambda:InvokeFunction", function: "f", principal: "*" }))[0],
    ).to.contain('permission statement #1 allows "lambda:InvokeFunction" to Principal "*"');
    const scoped = {
      action: "lambda:InvokeFunction",
      function: "f",
      principal: "s3.amazonaws.com",
      sourceArn: "arn:aws:s3:::b",
      sourceAccount: "111122223333",
    };
    expect(await run(iamPolicies, "resource-policy-service-source", permission, scoped)).to.deep.equal([]);
    expect((await run(iamPolicies, "resource-policy-service-source", permission, { ...scoped, sourceArn: undefined, sourceAccount: undefined }))[0]).to.contain(
      'allows "s3.amazonaws.com" without aws:SourceArn or aws:SourceAccount',
    );
  });

  it("resource-policy-no-cross-account: another account on a resource of this one, unless trusted", async () => {
    const queue = "aws:sqs/queuePolicy:QueuePolicy";
    const doc = (account: string) =>
      JSON.stringify({
        Statement: [
          { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sqs:SendMessage", Resource: "arn:aws:sqs:eu-west-1:111122223333:q" },
        ],
      });
    expect(await run(iamPolicies, "resource-policy-no-cross-account", queue, { policy: doc("111122223333") })).to.deep.equal([]);
    expect((await run(iamPolicies, "resource-policy-no-cross-account", queue, { policy: doc("999999999999") }))[0]).to.contain(
      "allows account 999999999999 on a resource of account 111122223333",
    );
    const trusted = await runResource(
      policyNamed(iamPolicies, "resource-policy-no-cross-account"),
      { type: queue, props: { policy: doc("999999999999") }, providerProps: PROD },
      { config: { trustedAccounts: ["999999999999"] } },
    );
    expect(trusted.violations).to.deep.equal([]);
  });

  it("resource-policy-service-source: a service needs a source condition, or the key policy's documented exemptions", async () => {
    const topic = "aws:sns/topicPolicy:TopicPolicy";
    const statement = (condition?: object) =>
      JSON.stringify({
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: "arn:t",
            ...(condition ? { Condition: condition } : {}),
          },
        ],
      });
    expect(
      await run(iamPolicies, "resource-policy-service-source", topic, { policy: statement({ StringEquals: { "aws:SourceAccount": "1" } }) }),
    ).to.deep.equal([]);
    expect((await run(iamPolicies, "resource-policy-service-source", topic, { policy: statement() }))[0]).to.contain(
      'allows "cloudwatch.amazonaws.com" without',
    );
    const key = "aws:kms/key:Key";
    const logs = JSON.stringify({
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "logs.eu-west-1.amazonaws.com" },
          Action: "kms:Encrypt*",
          Resource: "*",
          Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:1:*" } },
        },
      ],
    });
    expect(await run(iamPolicies, "resource-policy-service-source", key, { policy: logs })).to.deep.equal([]);
    const events = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*" }] });
    expect(await run(iamPolicies, "resource-policy-service-source", key, { policy: events })).to.deep.equal([]);
    expect((await run(iamPolicies, "resource-policy-service-source", topic, { policy: events.replace("kms:Decrypt", "sns:Publish") }))[0]).to.contain(
      '"events.amazonaws.com"',
    );
  });

  it("rules from the peers' packs: each passes the compliant shape and reports the other", async () => {
    const pairs: [any[], string, string, Record<string, unknown>, Record<string, unknown>, string][] = [
      [
        encryptionPolicies,
        "codebuild-cmk",
        "aws:codebuild/project:Project",
        { encryptionKey: "arn:aws:kms:eu-west-1:1:key/k" },
        { encryptionKey: "alias/aws/s3" },
        "encryptionKey is alias/aws/s3",
      ],
      [
        iamPolicies,
        "aurora-iam-auth",
        "aws:rds/cluster:Cluster",
        { iamDatabaseAuthenticationEnabled: true },
        {},
        "iamDatabaseAuthenticationEnabled is not set",
      ],
      [
        iamPolicies,
        "cognito-password-policy",
        "aws:cognito/userPool:UserPool",
        { passwordPolicy: { minimumLength: 12, requireUppercase: true, requireLowercase: true, requireNumbers: true, requireSymbols: true } },
        { passwordPolicy: { minimumLength: 10, requireUppercase: true, requireLowercase: true, requireNumbers: true } },
        "passwordPolicy does not set requireSymbols",
      ],
      [
        iamPolicies,
        "cognito-mfa",
        "aws:cognito/userPool:UserPool",
        { mfaConfiguration: "ON" },
        { mfaConfiguration: "OPTIONAL" },
        "mfaConfiguration is OPTIONAL",
      ],
      [
        reliabilityPolicies,
        "ecs-container-logging",
        "aws:ecs/taskDefinition:TaskDefinition",
        { containerDefinitions: JSON.stringify([{ name: "app", logConfiguration: { logDriver: "awslogs" } }]) },
        { containerDefinitions: JSON.stringify([{ name: "app", logConfiguration: { logDriver: "awslogs" } }, { name: "sidecar" }]) },
        'container "sidecar" has no logConfiguration',
      ],
      [
        reliabilityPolicies,
        "ecs-container-insights",
        "aws:ecs/cluster:Cluster",
        { settings: [{ name: "containerInsights", value: "enhanced" }] },
        { settings: [] },
        "containerInsights is not set (disabled)",
      ],
      [
        reliabilityPolicies,
        "cloudfront-access-logs",
        "aws:cloudfront/distribution:Distribution",
        { loggingConfig: { bucket: "logs.s3.amazonaws.com" } },
        {},
        "loggingConfig is not set",
      ],
    ];
    for (const [policies, name, type, ok, bad, message] of pairs) {
      expect(await run(policies, name, type, ok), name).to.deep.equal([]);
      const found = await run(policies, name, type, bad);
      expect(found, name).to.have.length(1);
      expect(found[0], name).to.contain(message);
    }
    const short = await run(iamPolicies, "cognito-password-policy", "aws:cognito/userPool:UserPool", {
      passwordPolicy: { minimumLength: 6, requireUppercase: true, requireLowercase: true, requireNumbers: true, requireSymbols: true },
    });
    expect(short[0]).to.contain("passwordPolicy.minimumLength is 6, below 8");
  });

  it("ses-tls-required: only a configuration set that requires TLS", async () => {
    const set = "aws:sesv2/configurationSet:ConfigurationSet";
    expect(await run(encryptionPolicies, "ses-tls-required", set, { deliveryOptions: { tlsPolicy: "REQUIRE" } })).to.deep.equal([]);
    const found = await run(encryptionPolicies, "ses-tls-required", set, {});
    expect(found).to.have.length(1);
    expect(found[0]).to.contain("deliveryOptions.tlsPolicy is unset (OPTIONAL)").and.contain("Fix:");
  });

  it("http-api-routes-authorized: a JWT route with scopes passes; no authorizer, or JWT without scopes, does not", async () => {
    const route = "aws:apigatewayv2/route:Route";
    expect(
      await run(iamPolicies, "http-api-routes-authorized", route, { routeKey: "GET /x", authorizationType: "JWT", authorizationScopes: ["api/read"] }),
    ).to.deep.equal([]);
    expect(await run(iamPolicies, "http-api-routes-authorized", route, { routeKey: "GET /x", authorizationType: "AWS_IAM" })).to.deep.equal([]);
    expect((await run(iamPolicies, "http-api-routes-authorized", route, { routeKey: "GET /x" }))[0]).to.contain("route GET /x has no authorizer");
    expect((await run(iamPolicies, "http-api-routes-authorized", route, { routeKey: "GET /x", authorizationType: "JWT" }))[0]).to.contain(
      "no authorizationScopes",
    );
  });

  it("iam-no-wildcard-resources: sns:Publish on * passes only with every topic denied (SMS to phone numbers)", async () => {
    const policy = (...statements: object[]) => ({ role: "r", policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });
    const allow = { Effect: "Allow", Action: "sns:Publish", Resource: "*" };
    const deny = { Effect: "Deny", Action: "sns:Publish", Resource: "arn:aws:sns:*:*:*" };
    expect(await run(iamPolicies, "iam-no-wildcard-resources", "aws:iam/rolePolicy:RolePolicy", policy(allow, deny))).to.deep.equal([]);
    expect((await run(iamPolicies, "iam-no-wildcard-resources", "aws:iam/rolePolicy:RolePolicy", policy(allow)))[0]).to.contain(
      'allows sns:Publish on Resource "*"',
    );
    const wider = { Effect: "Allow", Action: ["sns:Publish", "sqs:SendMessage"], Resource: "*" };
    expect((await run(iamPolicies, "iam-no-wildcard-resources", "aws:iam/rolePolicy:RolePolicy", policy(wider, deny)))[0])
      .to.contain("allows sqs:SendMessage")
      .and.not.contain("sns:Publish,");
  });

  it("scheduler-dead-letter-queue: a schedule keeps its failed deliveries", async () => {
    const schedule = "aws:scheduler/schedule:Schedule";
    const ok = {
      target: {
        arn: "arn:q",
        roleArn: "arn:r",
        deadLetterConfig: { arn: "arn:dlq" },
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    };
    expect(await run(reliabilityPolicies, "scheduler-dead-letter-queue", schedule, ok)).to.deep.equal([]);
    const found = await run(reliabilityPolicies, "scheduler-dead-letter-queue", schedule, { target: { arn: "arn:q", roleArn: "arn:r" } });
    expect(found.map((f) => f.split(": ").slice(1).join(": ").split(". Fix")[0])).to.deep.equal([
      "target.deadLetterConfig is not set: failed deliveries are dropped",
      "target.retryPolicy is not set: the provider's default retries for 24 hours, 185 times",
    ]);
  });

  it("http-api-access-logs: a stage logs and throttles by default", async () => {
    const stage = "aws:apigatewayv2/stage:Stage";
    const ok = { accessLogSettings: { destinationArn: "arn:logs", format: "{}" }, defaultRouteSettings: { throttlingRateLimit: 10, throttlingBurstLimit: 20 } };
    expect(await run(reliabilityPolicies, "http-api-access-logs", stage, ok)).to.deep.equal([]);
    expect(await run(reliabilityPolicies, "http-api-access-logs", stage, { defaultRouteSettings: { throttlingRateLimit: 10 } })).to.have.length(2);
  });
});
