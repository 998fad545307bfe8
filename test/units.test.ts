/** Pure functions that derive sizes, layouts and policies: no mocks needed. */
import { expect } from "chai";
import { ecrRepositoryArn, executionRoleStatements, grantsFor } from "../components/access";
import { databaseUserFor, instancePlacement, clusterParameters } from "../components/aurora-cluster";
import { bucketLifecycleRules } from "../components/private-bucket";
import { abortsIncompleteUploads } from "../policies/rules/bucket-lifecycle";
import { trailLifecycleRule } from "../components/account-guardrails";
import { capacityStrategy } from "../components/compute-cluster";
import { dataKeyPolicy } from "../components/encryption-key";
import { containerDefinitions, pathPatterns, scalingPolicies } from "../components/fargate-service";
import { apiCacheKey, apiOriginRequest, apiBehaviors, errorResponses, logBucketStatements, wafRules } from "../components/edge-config";
import { flowLogPolicy, subnetSpecs } from "../components/network";
import { replicationLayout } from "../components/redis-cache";
import {
  auroraParameterFamily,
  cacheParameterFamily,
  fargateMemoryOptions,
  isPrivateCidr,
  isValidPerformanceInsightsRetention,
  LOG_RETENTION_DAYS,
  maxVpcPrefix,
  parseCidr,
  subnetMasks,
} from "../stacks/aws-limits";
import { ServiceSettings } from "../stacks/settings";

const account = { accountId: "111122223333", partition: "aws", region: "eu-west-1" };

describe("AWS limits", () => {
  it("knows every Fargate cpu/memory pair and nothing else", () => {
    expect(fargateMemoryOptions(256)).to.deep.equal([512, 1024, 2048]);
    expect(fargateMemoryOptions(512)).to.deep.equal([1024, 2048, 3072, 4096]);
    expect(fargateMemoryOptions(1024)).to.include.members([2048, 8192]).and.not.include(1024);
    expect(fargateMemoryOptions(4096)).to.include(30720).and.not.include(31744);
    expect(fargateMemoryOptions(8192)).to.include.members([16384, 20480, 61440]).and.not.include(17408);
    expect(fargateMemoryOptions(16384)).to.include.members([32768, 122880]).and.not.include(36864);
    expect(fargateMemoryOptions(300)).to.deep.equal([]);
  });

  it("lists exactly the CloudWatch Logs retention values", () => {
    expect(LOG_RETENTION_DAYS).to.include.members([1, 14, 365, 3653]).and.not.include.members([0, 10, 366]);
    expect(LOG_RETENTION_DAYS).to.have.length(22);
  });

  it("parses CIDRs strictly and recognises private ranges", () => {
    expect(parseCidr("10.20.0.0/16")).to.deep.equal({ address: 0x0a140000, prefix: 16 });
    for (const bad of ["10.20.0.1/16", "10.20.0/16", "256.0.0.0/8", "10.0.0.0/33", "10.0.0.0"]) expect(parseCidr(bad), bad).to.equal(undefined);
    expect(isPrivateCidr(parseCidr("172.20.0.0/16")!)).to.equal(true);
    expect(isPrivateCidr(parseCidr("172.32.0.0/16")!)).to.equal(false);
    expect(isPrivateCidr(parseCidr("10.0.0.0/7")!)).to.equal(false);
  });

  it("sizes subnets so every tier fits and the smallest is at least /28", () => {
    expect(subnetMasks(16, 3)).to.deep.equal({ private: 19, public: 21, isolated: 21 });
    expect(subnetMasks(16, 2)).to.deep.equal({ private: 18, public: 20, isolated: 20 });
    expect(maxVpcPrefix(2)).to.equal(24);
    expect(maxVpcPrefix(3)).to.equal(23);
    const specs = subnetSpecs("10.20.0.0/16", 3);
    expect(specs.map((s) => [s.type, s.cidrMask])).to.deep.equal([
      ["Private", 19],
      ["Public", 21],
      ["Isolated", 21],
    ]);
  });

  it("maps engine versions to parameter-group families", () => {
    expect(auroraParameterFamily("16.6")).to.equal("aurora-postgresql16");
    expect(cacheParameterFamily("valkey", "8.0")).to.equal("valkey8");
    expect(cacheParameterFamily("redis", "7.1")).to.equal("redis7");
  });

  it("accepts only the Performance Insights retention periods AWS allows", () => {
    for (const ok of [7, 31, 62, 713, 731]) expect(isValidPerformanceInsightsRetention(ok), String(ok)).to.equal(true);
    for (const bad of [0, 8, 30, 32, 744]) expect(isValidPerformanceInsightsRetention(bad), String(bad)).to.equal(false);
  });
});

describe("trail log lifecycle", () => {
  it("moves logs to cheaper storage only when they live past the transition (S3 rejects expiry at or before it)", () => {
    expect(trailLifecycleRule(2557).transitions.map((t) => t.days)).to.deep.equal([30, 90]);
    expect(trailLifecycleRule(90).transitions.map((t) => t.storageClass)).to.deep.equal(["STANDARD_IA"]);
    expect(trailLifecycleRule(30).transitions).to.deep.equal([]);
    expect(trailLifecycleRule(90).expiration).to.deep.equal({ days: 90 });
  });
});

describe("placement and layout", () => {
  it("puts the Aurora writer in the first AZ and readers only in the others", () => {
    const placement = instancePlacement(["a", "b", "c"], 3);
    expect(placement.map((p) => [p.suffix, p.availabilityZone])).to.deep.equal([
      ["writer", "a"],
      ["reader-1", "b"],
      ["reader-2", "c"],
      ["reader-3", "b"],
    ]);
    expect(() => instancePlacement(["a"], 1)).to.throw(/two AZs/);
  });

  it("enables cache failover and Multi-AZ only with two or more nodes, spread over AZs", () => {
    expect(replicationLayout(1, ["a", "b"])).to.deep.equal({
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      multiAzEnabled: false,
      preferredCacheClusterAzs: ["a"],
    });
    expect(replicationLayout(3, ["a", "b"]).preferredCacheClusterAzs).to.deep.equal(["a", "b", "a"]);
    expect(replicationLayout(2, ["a", "b"]).multiAzEnabled).to.equal(true);
  });

  it("keeps an on-demand floor when Spot is allowed", () => {
    expect(capacityStrategy(false)).to.deep.equal([{ capacityProvider: "FARGATE", weight: 1, base: 0 }]);
    expect(capacityStrategy(true)[0]).to.deep.equal({ capacityProvider: "FARGATE", weight: 1, base: 1 });
    expect(capacityStrategy(true)[1].capacityProvider).to.equal("FARGATE_SPOT");
  });
});

describe("policies and task definitions", () => {
  it("scopes the flow-log role to one log group", () => {
    const arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/vpc/x";
    expect(flowLogPolicy(arn).Statement[0].Resource).to.deep.equal([arn, `${arn}:*`]);
  });

  it("lets the account (via IAM) and only this account's log groups use the data key", () => {
    const policy = dataKeyPolicy(account, { logs: true, alarmTopics: true, eventTopics: true, cloudTrail: false });
    expect(policy.Statement[0].Principal).to.deep.equal({ AWS: "arn:aws:iam::111122223333:root" });
    expect(policy.Statement[1].Principal).to.deep.equal({ Service: "logs.eu-west-1.amazonaws.com" });
    expect(policy.Statement[1].Condition!.ArnLike["kms:EncryptionContext:aws:logs:arn"]).to.equal("arn:aws:logs:eu-west-1:111122223333:log-group:*");
  });

  it("gives the execution role * only for ecr:GetAuthorizationToken, pulls from the image's repository only and scopes secrets exactly", () => {
    const statements = executionRoleStatements({
      account,
      logGroupArn: "arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/x",
      secretArns: ["arn:s2", "arn:s1", "arn:s1"],
      kmsKeyArns: ["arn:k"],
      image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/platform-prod/user:0123456789ab",
    });
    const wildcard = statements.filter((s) => s.Resource === "*");
    expect(wildcard.map((s) => s.Action)).to.deep.equal(["ecr:GetAuthorizationToken"]);
    expect(statements.find((s) => s.Sid === "PullServiceImage")!.Resource).to.equal("arn:aws:ecr:eu-west-1:111122223333:repository/platform-prod/user");
    expect(statements.find((s) => s.Sid === "ReadGrantedSecrets")!.Resource).to.deep.equal(["arn:s1", "arn:s2"]);
    expect(statements.find((s) => s.Sid === "DecryptGrantedSecrets")!.Condition).to.deep.equal({
      StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" },
    });
    // A public image needs no ECR permission at all.
    const none = executionRoleStatements({ account, logGroupArn: "arn:l", secretArns: [], kmsKeyArns: [], image: "public.ecr.aws/example/user-service:1.4.2" });
    expect(none.map((s) => s.Sid)).to.deep.equal(["WriteOwnLogGroup"]);
  });

  it("reads the ECR repository of private image references only", () => {
    expect(ecrRepositoryArn("111122223333.dkr.ecr.us-east-2.amazonaws.com/team/app@sha256:" + "a".repeat(64), "aws")).to.equal(
      "arn:aws:ecr:us-east-2:111122223333:repository/team/app",
    );
    expect(ecrRepositoryArn("111122223333.dkr.ecr.eu-west-1.amazonaws.com/app", "aws")).to.equal("arn:aws:ecr:eu-west-1:111122223333:repository/app");
    for (const image of ["nginx:1.27", "public.ecr.aws/xray/aws-xray-daemon:3.3.14", "ghcr.io/org/app:1"])
      expect(ecrRepositoryArn(image, "aws"), image).to.equal(undefined);
  });

  it("resolves grants only for declared access and refuses what the stack lacks", () => {
    const grant = (target: string) => ({ target, taskStatements: [], secrets: {}, secretArns: [], kmsKeyArns: [], environment: {} });
    const database = { grantAccess: (svc: string) => grant(`db-for-${svc}`) };
    const table = { grantAccess: (svc: string, mode: string) => grant(`table-${mode}-for-${svc}`) };
    expect(grantsFor("user", { database: true, cache: false }, { database }).map((g) => g.target)).to.deep.equal(["db-for-user"]);
    expect(grantsFor("payment", { database: false, cache: false }, { database })).to.deep.equal([]);
    expect(grantsFor("payment", { tables: { ledger: "readwrite" } }, { tables: { ledger: table } }).map((g) => g.target)).to.deep.equal([
      "table-readwrite-for-payment",
    ]);
    expect(() => grantsFor("user", { database: false, cache: true }, { database })).to.throw(/granted cache, but the stack has no cache/);
    expect(() => grantsFor("payment", { queues: { orders: "send" } }, {})).to.throw(/granted queue orders, but the stack has no queue orders/);
  });

  it("names database users after services and forces TLS", () => {
    expect(databaseUserFor("user")).to.equal("user_app");
    expect(databaseUserFor("order-api")).to.equal("order_api_app");
    expect(clusterParameters()).to.deep.include({ name: "rds.force_ssl", value: "1" });
  });

  it("puts credentials in secrets and sorts variables for stable diffs", () => {
    const [container] = containerDefinitions({
      name: "user",
      image: "img:1",
      port: 8080,
      region: "eu-west-1",
      logGroupName: "/ecs/x/user",
      environment: { B: "2", A: "1" },
      secrets: { REDIS_AUTH_TOKEN: "arn:secret" },
      tracing: false,
    }) as any[];
    expect(container.environment).to.deep.equal([
      { name: "A", value: "1" },
      { name: "B", value: "2" },
    ]);
    expect(container.secrets).to.deep.equal([{ name: "REDIS_AUTH_TOKEN", valueFrom: "arn:secret" }]);
    expect(container.logConfiguration.logDriver).to.equal("awslogs");
  });

  it("scales routed services on requests too, workers on CPU and memory only", () => {
    const base = { requestsPerTarget: 900 } as ServiceSettings;
    const scaling = { cpuTargetPercent: 60, memoryTargetPercent: 75 };
    expect(scalingPolicies({ ...base, pathPrefix: "/users" }, scaling).map((p) => [p.name, p.target])).to.deep.equal([
      ["cpu", 60],
      ["memory", 75],
      ["requests", 900],
    ]);
    expect(scalingPolicies(base, scaling).map((p) => p.name)).to.deep.equal(["cpu", "memory"]);
    expect(pathPatterns("/users")).to.deep.equal(["/users", "/users/*"]);
  });
});

describe("edge derivations", () => {
  it("orders WAF rules: IP reputation, rate limit, then the managed groups", () => {
    const rules = wafRules("p-dev", { rateLimit: 500, rateLimitWindowSeconds: 60 });
    expect(rules.map((r) => [r.priority, r.name])).to.deep.equal([
      [0, "AWSManagedRulesAmazonIpReputationList"],
      [1, "rate-limit-per-ip"],
      [2, "AWSManagedRulesCommonRuleSet"],
      [3, "AWSManagedRulesKnownBadInputsRuleSet"],
      [4, "AWSManagedRulesSQLiRuleSet"],
    ]);
    expect((rules[1].statement as any).rateBasedStatement).to.deep.equal({ limit: 500, aggregateKeyType: "IP", evaluationWindowSec: 60 });
  });

  it("keys the API cache on exactly the configured names, or on none", () => {
    const key = apiCacheKey({ headers: ["Authorization", "Accept-Language"], queryStrings: [], cookies: ["session"] });
    expect(key.headersConfig).to.deep.equal({ headerBehavior: "whitelist", headers: { items: ["Authorization", "Accept-Language"] } });
    expect(key.queryStringsConfig).to.deep.equal({ queryStringBehavior: "none" });
    expect(key.cookiesConfig).to.deep.equal({ cookieBehavior: "whitelist", cookies: { items: ["session"] } });
  });

  it("leaves Authorization out of the origin-request policy (CloudFront allows it only in the cache key)", () => {
    const origin = apiOriginRequest({ headers: ["Authorization"], queryStrings: ["page"], cookies: [] });
    expect(origin.headersConfig).to.deep.equal({ headerBehavior: "none" });
    expect(origin.queryStringsConfig).to.deep.equal({ queryStringBehavior: "whitelist", queryStrings: { items: ["page"] } });
  });

  it("maps the four 5xx codes to the shipped pages", () => {
    expect(errorResponses(5).map((r) => [r.errorCode, r.responsePagePath, r.errorCachingMinTtl])).to.deep.equal([
      [500, "/errors/50x.html", 5],
      [502, "/errors/502.html", 5],
      [503, "/errors/50x.html", 5],
      [504, "/errors/50x.html", 5],
    ]);
    expect(apiBehaviors([{ pathPrefix: "/users", signIn: false }]).map((b) => [b.pathPattern, b.kind])).to.deep.equal([
      ["/users", "api"],
      ["/users/*", "api"],
    ]);
    expect(
      apiBehaviors([
        { pathPrefix: "/users", signIn: false },
        { pathPrefix: "/payments", signIn: true },
      ]).map((b) => [b.pathPattern, b.kind]),
    ).to.deep.equal([
      ["/oauth2/*", "personal"],
      ["/users", "api"],
      ["/users/*", "api"],
      ["/payments", "personal"],
      ["/payments/*", "personal"],
    ]);
  });

  it("lets the region's ELB log delivery write ALB logs only under this account's prefix", () => {
    const statements = logBucketStatements("arn:aws:s3:::logs", { accountId: "111122223333", partition: "aws", region: "eu-west-1" });
    expect(statements.map((s) => [s.Principal, s.Action, s.Resource])).to.deep.equal([
      [{ AWS: "arn:aws:iam::156460612806:root" }, "s3:PutObject", "arn:aws:s3:::logs/alb/AWSLogs/111122223333/*"],
    ]);
    // Regions launched since August 2022 deliver as the service principal.
    expect(logBucketStatements("arn:aws:s3:::logs", { accountId: "111122223333", partition: "aws", region: "ap-southeast-4" })[0].Principal).to.deep.equal({
      Service: "logdelivery.elasticloadbalancing.amazonaws.com",
    });
  });
});

describe("bucket lifecycle rules (PrivateBucket)", () => {
  const abort = { id: "a", status: "Enabled", filter: { prefix: "" }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } };
  it("keeps the caller's rules when one aborts incomplete uploads in the whole bucket", () => {
    expect(bucketLifecycleRules([abort])).to.deep.equal([abort]);
  });
  it("adds a whole-bucket abort rule otherwise: no rules, an abort under a prefix only, or a disabled one", () => {
    for (const rules of [[], [{ ...abort, filter: { prefix: "tmp/" } }], [{ ...abort, status: "Disabled" }]]) {
      const result = bucketLifecycleRules(rules);
      expect(result.slice(0, rules.length)).to.deep.equal(rules);
      expect(result[rules.length]).to.deep.include({ id: "abort-incomplete-uploads", status: "Enabled", filter: { prefix: "" } });
      expect(result.filter(abortsIncompleteUploads)).to.have.length(1);
    }
  });
});
