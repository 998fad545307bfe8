/**
 * Stack config validation: the real stack files resolve, profiles fill in what config leaves out,
 * and every bad value fails with a ConfigError naming the exact key, the value and what is allowed.
 * Pure: resolveSettings needs no Pulumi runtime, so no synthesis happens here.
 */
import { expect } from "chai";
import { DEFAULT_CONFIG } from "../policies/rules/common";
import { ConfigError, resolveSettings, Settings } from "../stacks";
import { PROD_MIN_BACKUP_DAYS, PROD_MIN_LOG_RETENTION_DAYS } from "../stacks/rules";
import { Config, editJson, editServices, expectConfigError, expectProblem, resolve, Stack, stackConfig } from "./config-helpers";

describe("stack config", () => {
  describe("fixture stack files", () => {
    let dev: Settings;
    let prod: Settings;
    before(() => {
      dev = resolve("dev");
      prod = resolve("prod");
    });

    it("resolves dev and prod without error", () => {
      expect(dev.environment).to.equal("dev");
      expect(prod.environment).to.equal("prod");
      expect(dev.namePrefix).to.equal("platform-dev");
      expect(prod.namePrefix).to.equal("platform-prod");
      expect(prod.availabilityZones).to.deep.equal(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    });

    it("prod is protected, Multi-AZ and keeps data long", () => {
      expect(prod.retention.name).to.equal("retain");
      expect(prod.network.natGateways).to.equal("onePerAz");
      expect(prod.database.backupRetentionDays).to.equal(35);
      expect(prod.cache.nodes).to.be.at.least(2);
      expect(prod.compute.spot).to.equal(false);
    });

    it("dev is small and destroyable", () => {
      expect(dev.network.natGateways).to.equal("single");
      expect(dev.compute.spot).to.equal(true);
      expect(dev.retention.name).to.equal("destroy");
      expect(dev.database.backupRetentionDays).to.equal(1);
    });

    it("falls back to the environment profile for keys the stack does not set", () => {
      // Neither stack file sets platform:network, so flow-log aggregation comes from the profile.
      expect(stackConfig("dev").config).to.not.have.property("platform:network");
      expect(stackConfig("prod").config).to.not.have.property("platform:network");
      expect(dev.network.flowLogAggregationSeconds).to.equal(600);
      expect(prod.network.flowLogAggregationSeconds).to.equal(60);
      // Same for a nested key inside an object the stacks do set.
      expect(JSON.parse(stackConfig("dev").config["platform:database"])).to.not.have.property("performanceInsightsRetentionDays");
      expect(JSON.parse(stackConfig("prod").config["platform:database"])).to.not.have.property("performanceInsightsRetentionDays");
      expect(dev.database.performanceInsightsRetentionDays).to.equal(7);
      expect(prod.database.performanceInsightsRetentionDays).to.equal(31);
    });

    it("derives unique listener priorities for routed services, none for the worker", () => {
      for (const settings of [dev, prod]) {
        const routed = settings.services.filter((s) => s.pathPrefix !== undefined);
        expect(routed.map((s) => s.name)).to.deep.equal(["user", "payment"]);
        const priorities = routed.map((s) => s.listenerPriority);
        for (const p of priorities) expect(p).to.be.a("number").within(1, 49999);
        expect(new Set(priorities).size).to.equal(priorities.length);

        const worker = settings.services.find((s) => s.name === "notification");
        expect(worker).to.not.be.undefined;
        expect(worker!.pathPrefix).to.be.undefined;
        expect(worker!.listenerPriority).to.be.undefined;
      }
    });
  });

  describe("bad config", () => {
    it("rejects a malformed VPC CIDR", () => {
      expectProblem("dev", (c) => (c["platform:vpcCidr"] = "10.0.0/16"), "platform:vpcCidr", "10.0.0/16");
    });

    it("rejects a VPC CIDR with host bits set", () => {
      expectProblem("dev", (c) => (c["platform:vpcCidr"] = "10.0.0.1/16"), "platform:vpcCidr", "10.0.0.1/16");
    });

    it("rejects a public (non RFC 1918) VPC CIDR", () => {
      expectProblem("prod", (c) => (c["platform:vpcCidr"] = "8.8.0.0/16"), "platform:vpcCidr", "8.8.0.0/16");
    });

    it("rejects fewer than 2 AZs in prod", () => {
      const zones = ["eu-west-1a"];
      expectProblem("prod", (c) => (c["platform:availabilityZones"] = JSON.stringify(zones)), "platform:availabilityZones", zones);
    });

    it("rejects an AZ outside aws:region", () => {
      const zones = ["eu-west-1a", "us-east-1b"];
      expectProblem("dev", (c) => (c["platform:availabilityZones"] = JSON.stringify(zones)), "platform:availabilityZones[1]", "us-east-1b");
    });

    it("rejects minTasks greater than maxTasks", () => {
      expectProblem("prod", (c) => editServices(c, (s) => Object.assign(s[1], { minTasks: 8, maxTasks: 4 })), "platform:services[1].minTasks", 8);
    });

    it("rejects a cpu/memory pair Fargate does not offer (256 cpu with 4096 MiB)", () => {
      const problem = expectProblem("dev", (c) => editServices(c, (s) => Object.assign(s[1], { cpu: 256, memory: 4096 })), "platform:services[1].memory", 4096);
      expect(problem.allowed).to.include("512, 1024, 2048");
    });

    it("rejects duplicate service names", () => {
      expectProblem("dev", (c) => editServices(c, (s) => (s[2].name = "user")), "platform:services[2].name", "user");
    });

    it("rejects listener priority 50000, which the catch-all 404 rule holds", () => {
      const problem = expectProblem("dev", (c) => editServices(c, (s) => (s[0].listenerPriority = 50000)), "platform:services[0].listenerPriority", 50000);
      expect(problem.allowed).to.include("49999");
    });

    it("rejects duplicate path prefixes", () => {
      expectProblem("dev", (c) => editServices(c, (s) => (s[1].pathPrefix = "/users")), "platform:services[1].pathPrefix", "/users");
    });

    it("rejects a pathPrefix not starting with /", () => {
      expectProblem("dev", (c) => editServices(c, (s) => (s[0].pathPrefix = "users")), "platform:services[0].pathPrefix", "users");
    });

    it("rejects a service name that is not DNS-safe", () => {
      expectProblem("dev", (c) => editServices(c, (s) => (s[0].name = "User_Svc")), "platform:services[0].name", "User_Svc");
    });

    it("rejects an unknown key in a service entry", () => {
      const problem = expectProblem("dev", (c) => editServices(c, (s) => (s[0].replicas = 3)), "platform:services[0].replicas", 3);
      expect(problem.allowed).to.include("unknown key");
    });

    it("rejects a log retention CloudWatch does not accept", () => {
      expectProblem("dev", (c) => (c["platform:logRetentionDays"] = "10"), "platform:logRetentionDays", 10);
    });

    it("rejects access to a cache the stack does not have", () => {
      // The user service keeps its real grant; only the cache goes away.
      expect(JSON.parse(stackConfig("dev").config["platform:services"])[0].access.cache).to.equal(true);
      expectProblem("dev", (c) => (c["platform:cache"] = JSON.stringify({ enabled: false })), "platform:services[0].access.cache", true);
    });

    it("rejects an environment it has no profile for, and a stack named after another environment", () => {
      expectProblem("dev", (c) => (c["platform:environment"] = "qa"), "platform:environment", "qa");
      expectProblem("dev", (c) => (c["platform:environment"] = "staging"), "platform:environment", "staging");
    });

    // Regression (issue #13): the validator accepted these, then the plan failed on a mandatory rule
    // or an alarm could never clear.
    it("rejects prod backups below the policy pack's 35 days, naming the config key", () => {
      const problem = expectProblem(
        "prod",
        (c) => editJson(c, "platform:database", (d) => (d.backupRetentionDays = 14)),
        "platform:database.backupRetentionDays",
        14,
      );
      expect(problem.allowed).to.contain("35").and.contain("database-backup-retention");
      expect(PROD_MIN_BACKUP_DAYS).to.equal(DEFAULT_CONFIG.prodMinBackupDays);
    });

    it("rejects prod logs kept less than the policy pack's year, naming the config key", () => {
      const problem = expectProblem("prod", (c) => (c["platform:logRetentionDays"] = "90"), "platform:logRetentionDays", 90);
      expect(problem.allowed).to.contain("365").and.contain("log-group-retention");
      expect(PROD_MIN_LOG_RETENTION_DAYS).to.equal(DEFAULT_CONFIG.prodMinLogRetentionDays);
    });

    it("rejects Container Insights disabled: the tasks-below-minimum alarms and backlog scaling read its metrics", () => {
      const problem = expectProblem(
        "dev",
        (c) => editJson(c, "platform:compute", (x) => (x.containerInsights = "disabled")),
        "platform:compute.containerInsights",
        "disabled",
      );
      expect(problem.allowed).to.contain("enabled, enhanced");
    });

    it("rejects spot capacity in prod", () => {
      expectProblem("prod", (c) => editJson(c, "platform:compute", (compute) => (compute.spot = true)), "platform:compute.spot", true);
    });

    it("rejects a single task in prod", () => {
      expectProblem("prod", (c) => editServices(c, (s) => (s[0].minTasks = 1)), "platform:services[0].minTasks", 1);
    });

    it("rejects a secret-looking environment variable (DB_PASSWORD)", () => {
      const problem = expectProblem(
        "dev",
        (c) => editServices(c, (s) => (s[0].environment.DB_PASSWORD = "hunter2")),
        "platform:services[0].environment.DB_PASSWORD",
        "<redacted>",
      );
      expect(problem.allowed).to.include("Secrets Manager");
    });

    it("rejects a secret-looking environment variable (STRIPE_API_KEY)", () => {
      expectProblem(
        "prod",
        (c) => editServices(c, (s) => (s[1].environment.STRIPE_API_KEY = "sk_live_123")),
        "platform:services[1].environment.STRIPE_API_KEY",
        "<redacted>",
      );
    });

    it("does not echo the value of a secret-looking environment variable", () => {
      const err = expectConfigError("dev", (c) => editServices(c, (s) => (s[0].environment.DB_PASSWORD = "hunter2")));
      expect(err.problems.map((p) => p.key)).to.include("platform:services[0].environment.DB_PASSWORD");
      expect(err.message).to.not.include("hunter2");
    });

    it("rejects an unknown top-level key (platform:servces)", () => {
      // Unknown keys are not parsed, so the problem shows the raw string Pulumi handed over.
      const raw = stackConfig("dev").config["platform:services"];
      expectProblem(
        "dev",
        (c) => {
          c["platform:servces"] = c["platform:services"];
          delete c["platform:services"];
        },
        "platform:servces",
        raw,
      );
    });

    it("rejects a stack named after an environment that uses the other profile", () => {
      expectProblem("prod", (c) => (c["platform:environment"] = "dev"), "platform:environment", "dev");
    });

    it("rejects PORT in a service's environment (the platform sets it)", () => {
      expectProblem("dev", (c) => editServices(c, (s) => (s[2].environment.PORT = "9090")), "platform:services[2].environment.PORT", "9090");
    });

    it("rejects a stack name that cannot prefix RDS and ElastiCache identifiers", () => {
      const { project, config } = stackConfig("dev");
      let thrown: unknown;
      try {
        resolveSettings({ project, stack: "Dev_Blue", config: { ...config } });
      } catch (err) {
        thrown = err;
      }
      expect(thrown).to.be.instanceOf(ConfigError);
      expect((thrown as ConfigError).problems.map((p) => [p.key, p.value])).to.deep.include(["stack name", '"platform-Dev_Blue"']);
    });

    it("rejects a missing aws:region", () => {
      expectProblem("dev", (c) => delete c["aws:region"], "aws:region", undefined);
    });

    it("reports several problems together in one error", () => {
      const err = expectConfigError("prod", (c) => {
        c["platform:vpcCidr"] = "8.8.0.0/16";
        c["platform:logRetentionDays"] = "10";
        editJson(c, "platform:compute", (compute) => (compute.spot = true));
        editServices(c, (s) => (s[2].cpu = 300));
      });
      const keys = err.problems.map((p) => p.key);
      expect(keys).to.include.members(["platform:vpcCidr", "platform:logRetentionDays", "platform:compute.spot", "platform:services[2].cpu"]);
      expect(err.message).to.include(`(${err.problems.length} problems)`);
      for (const key of keys) expect(err.message).to.include(`  - ${key}: got `);
    });

    it("derives listener priorities around explicit ones instead of colliding", () => {
      const settings = resolve("dev", (c) => editServices(c, (s) => (s[0].listenerPriority = 110)));
      const priorities = settings.services.filter((s) => s.pathPrefix).map((s) => s.listenerPriority);
      expect(priorities[0]).to.equal(110);
      expect(new Set(priorities).size).to.equal(priorities.length);
    });

    it("names the right entry for a duplicate after a malformed entry", () => {
      const err = expectConfigError("dev", (c) =>
        editServices(c, (s) => {
          s.unshift("oops");
          s[2].name = "user";
        }),
      );
      const keys = err.problems.map((p) => p.key);
      expect(keys).to.include("platform:services[0]");
      expect(keys).to.include("platform:services[2].name");
      expect(keys).to.not.include("platform:services[1].name");
    });
  });

  describe("edge config", () => {
    const editEdge = (config: Config, edit: (edge: any) => void) => editJson(config, "platform:edge", edit);

    it("derives the health-check path and keeps profile defaults", () => {
      const prod = resolve("prod");
      expect(prod.edge).to.include({
        hostedZone: "shop.example.com",
        healthCheckPath: "/users/health",
        priceClass: "PriceClass_All",
        originSubdomain: "origin",
      });
      const dev = resolve("dev", (c) => editEdge(c, (e) => delete e.healthCheckPath));
      expect(dev.edge.healthCheckPath).to.equal("/users/health");
      expect(dev.edge.priceClass).to.equal("PriceClass_100");
    });

    it("rejects a domain outside the hosted zone", () => {
      expectProblem("prod", (c) => (c["platform:domain"] = "shop.example.org"), "platform:edge.hostedZone", "shop.example.com");
    });

    it("rejects a domain ACM cannot certify (over 64 characters)", () => {
      const long = `${"a".repeat(50)}.shop.example.com`;
      expectProblem("dev", (c) => (c["platform:domain"] = long), "platform:domain", long);
    });

    it("rejects an API cache TTL outside 60-300 seconds", () => {
      expectProblem("dev", (c) => editEdge(c, (e) => (e.apiCacheTtlSeconds = 30)), "platform:edge.apiCacheTtlSeconds", 30);
      expectProblem("prod", (c) => editEdge(c, (e) => (e.apiCacheTtlSeconds = 600)), "platform:edge.apiCacheTtlSeconds", 600);
    });

    it("rejects a WAF rate limit outside WAF's range", () => {
      expectProblem("prod", (c) => editEdge(c, (e) => (e.rateLimit = 5)), "platform:edge.rateLimit", 5);
      expectProblem("prod", (c) => editEdge(c, (e) => (e.rateLimit = 3_000_000_000)), "platform:edge.rateLimit", 3_000_000_000);
    });

    it("rejects a WAF evaluation window WAF does not offer", () => {
      expectProblem("dev", (c) => editEdge(c, (e) => (e.rateLimitWindowSeconds = 180)), "platform:edge.rateLimitWindowSeconds", 180);
    });

    it("rejects an unknown price class", () => {
      const problem = expectProblem("dev", (c) => editEdge(c, (e) => (e.priceClass = "PriceClass_50")), "platform:edge.priceClass", "PriceClass_50");
      expect(problem.allowed).to.contain("PriceClass_100");
    });

    it("rejects a cache key with invalid or too many names", () => {
      expectProblem("dev", (c) => editEdge(c, (e) => (e.cacheKey.headers = ["Bad Header"])), "platform:edge.cacheKey.headers", ["Bad Header"]);
      const many = Array.from({ length: 11 }, (_, i) => `p${i}`);
      expectProblem("dev", (c) => editEdge(c, (e) => (e.cacheKey.queryStrings = many)), "platform:edge.cacheKey.queryStrings", many);
    });

    it("rejects a missing hosted zone and an unknown edge key", () => {
      expectProblem("dev", (c) => editEdge(c, (e) => delete e.hostedZone), "platform:edge.hostedZone", undefined);
      expectProblem("dev", (c) => editEdge(c, (e) => (e.ttl = 60)), "platform:edge.ttl", 60);
    });

    it("rejects a load-balancing algorithm on a worker and an unknown one", () => {
      expectProblem(
        "prod",
        (c) => editServices(c, (s) => (s[2].loadBalancingAlgorithm = "round_robin")),
        "platform:services[2].loadBalancingAlgorithm",
        "round_robin",
      );
      expectProblem("prod", (c) => editServices(c, (s) => (s[0].loadBalancingAlgorithm = "random")), "platform:services[0].loadBalancingAlgorithm", "random");
    });
  });

  describe("observability config", () => {
    const editObs = (config: Config, edit: (o: any) => void) => editJson(config, "platform:observability", edit);

    it("turns tracing and account guardrails on in prod and follows dev's switches", () => {
      const prod = resolve("prod").observability;
      expect(prod.tracing).to.equal(true);
      expect(prod.guardrails).to.include({ cloudTrail: true, guardDuty: true, budget: true });
      expect(prod.thresholds.alb5xxPercent).to.equal(1);
      const dev = resolve("dev").observability;
      expect(dev).to.include({ tracing: false });
      expect(dev.guardrails).to.include({ cloudTrail: false, guardDuty: false });
      expect(dev.thresholds.alb5xxPercent).to.equal(10);
    });

    it("requires an alert e-mail in prod", () => {
      expectProblem("prod", (c) => editObs(c, (o) => delete o.alertEmails), "platform:observability.alertEmails", undefined);
    });

    it("rejects a malformed alert e-mail", () => {
      expectProblem("dev", (c) => editObs(c, (o) => (o.alertEmails = ["ops-at-example.com"])), "platform:observability.alertEmails", ["ops-at-example.com"]);
    });

    it("rejects a threshold outside its range and an unknown threshold", () => {
      expectProblem("prod", (c) => editObs(c, (o) => (o.thresholds = { alb5xxPercent: 150 })), "platform:observability.thresholds.alb5xxPercent", 150);
      expectProblem("prod", (c) => editObs(c, (o) => (o.thresholds = { errorRate: 1 })), "platform:observability.thresholds.errorRate", 1);
    });

    it("rejects a budget that is not a positive amount", () => {
      expectProblem("dev", (c) => editObs(c, (o) => (o.guardrails.monthlyBudgetUsd = 0)), "platform:observability.guardrails.monthlyBudgetUsd", 0);
    });
  });

  describe("queues, tables, functions, sign-in and shared files", () => {
    it("derives a Lambda-consumed queue's visibility timeout (6x the function timeout)", () => {
      const settings = resolve("prod");
      expect(settings.queues.find((q) => q.name === "orders")!.visibilityTimeoutSeconds).to.equal(180);
      expect(settings.queues.find((q) => q.name === "notifications")!.visibilityTimeoutSeconds).to.equal(30);
    });

    it("rejects a queue a service references but the stack does not declare", () => {
      expectProblem(
        "dev",
        (c) => editServices(c, (s) => (s[1].access.queues.notifcations = "send")),
        "platform:services[1].access.queues.notifcations",
        "send",
      );
    });

    it("rejects a table a service references but the stack does not declare", () => {
      expectProblem("prod", (c) => editServices(c, (s) => (s[1].access.tables.ledger = "readwrite")), "platform:services[1].access.tables.ledger", "readwrite");
    });

    it("rejects an unknown access mode", () => {
      expectProblem("prod", (c) => editServices(c, (s) => (s[1].access.queues.orders = "publish")), "platform:services[1].access.queues.orders", "publish");
    });

    it("rejects maxReceiveCount outside 1-1000", () => {
      expectProblem("dev", (c) => editJson(c, "platform:queues", (q) => (q[0].maxReceiveCount = 0)), "platform:queues[0].maxReceiveCount", 0);
      expectProblem("dev", (c) => editJson(c, "platform:queues", (q) => (q[1].maxReceiveCount = 1001)), "platform:queues[1].maxReceiveCount", 1001);
    });

    it("rejects a visibility timeout shorter than 6x its Lambda consumer's timeout", () => {
      expectProblem(
        "prod",
        (c) => editJson(c, "platform:queues", (q) => (q[1].visibilityTimeoutSeconds = 60)),
        "platform:queues[1].visibilityTimeoutSeconds",
        60,
      );
    });

    it("rejects a queue with two consumers", () => {
      expectProblem("dev", (c) => editServices(c, (s) => (s[1].access.queues.orders = "consume")), "platform:queues[1].name", "orders");
    });

    it("rejects a function whose queue is not declared or whose code is missing", () => {
      expectProblem("dev", (c) => editJson(c, "platform:functions", (f) => (f[0].queue = "payments")), "platform:functions[0].queue", "payments");
      expectProblem("dev", (c) => editJson(c, "platform:functions", (f) => (f[0].name = "refunds")), "platform:functions[0].name", "refunds");
    });

    it("rejects a function's batch above 10 without a batching window", () => {
      expectProblem("dev", (c) => editJson(c, "platform:functions", (f) => (f[0].batchSize = 100)), "platform:functions[0].batchSize", 100);
    });

    it("rejects a table without a partition key and a TTL on a key attribute", () => {
      expectProblem("dev", (c) => editJson(c, "platform:tables", (t) => delete t[0].partitionKey), "platform:tables[0].partitionKey", undefined);
      expectProblem("dev", (c) => editJson(c, "platform:tables", (t) => (t[2].ttlAttribute = "orderId")), "platform:tables[2].ttlAttribute", "orderId");
    });

    it("rejects sign-in on a worker, or without a user pool", () => {
      expectProblem("dev", (c) => editServices(c, (s) => (s[2].requireSignIn = true)), "platform:services[2].requireSignIn", true);
      expectProblem("dev", (c) => editJson(c, "platform:auth", (a) => (a.enabled = false)), "platform:services[1].requireSignIn", true);
    });

    it("rejects a Cognito domain prefix with a reserved word, and optional MFA in prod", () => {
      expectProblem("dev", (c) => editJson(c, "platform:auth", (a) => (a.domainPrefix = "shop-aws-login")), "platform:auth.domainPrefix", "shop-aws-login");
      expectProblem("prod", (c) => editJson(c, "platform:auth", (a) => (a.mfa = "OPTIONAL")), "platform:auth.mfa", "OPTIONAL");
    });

    it("rejects file-system access when the stack has none", () => {
      expectProblem("dev", (c) => editJson(c, "platform:fileSystem", (f) => (f.enabled = false)), "platform:services[0].access.fileSystem", true);
    });
  });

  describe("delivery config", () => {
    it("reads each service's pipeline and the shared delivery settings", () => {
      const prod = resolve("prod");
      expect(prod.services.map((s) => s.pipeline?.branch)).to.deep.equal(["main", "main", "main"]);
      expect(prod.delivery).to.include({ sourceProvider: "CodeStarSourceConnection", computeType: "BUILD_GENERAL1_SMALL" });
    });

    it("requires a connection ARN when services have pipelines on a CodeStar connection", () => {
      expectProblem("dev", (c) => editJson(c, "platform:delivery", (d) => delete d.connectionArn), "platform:delivery.connectionArn", undefined);
    });

    it("rejects a malformed connection ARN and repository", () => {
      expectProblem(
        "dev",
        (c) => editJson(c, "platform:delivery", (d) => (d.connectionArn = "arn:aws:iam::123456789012:role/x")),
        "platform:delivery.connectionArn",
        "arn:aws:iam::123456789012:role/x",
      );
      expectProblem("dev", (c) => editServices(c, (s) => (s[0].pipeline.repository = "not a repo")), "platform:services[0].pipeline.repository", "not a repo");
    });

    it("needs no connection for CodeCommit sources", () => {
      const settings = resolve("dev", (c) =>
        editJson(c, "platform:delivery", (d) => Object.assign(d, { sourceProvider: "CodeCommit", connectionArn: undefined })),
      );
      expect(settings.delivery.sourceProvider).to.equal("CodeCommit");
    });
  });

  // Found by comparing the hand-written readers with the schemas over ~25,000 configs: one bad key
  // must neither hide the rules on the others nor make rules report on values nobody wrote.
  describe("one problem neither hides nor invents another", () => {
    const keysOf = (stack: Stack, mutate: (c: Config) => void) => expectConfigError(stack, mutate).problems.map((p) => p.key);

    it("refuses a credential-looking name even when it ends in _ARN, and never shows its value", () => {
      const err = expectConfigError("dev", (c) =>
        editServices(c, (s) => Object.assign(s[0].environment, { MY_TOKEN_ARN: "hunter2", DB_PASSWORD_ARN: "hunter2" })),
      );
      expect(err.problems.map((p) => p.key)).to.include.members([
        "platform:services[0].environment.MY_TOKEN_ARN",
        "platform:services[0].environment.DB_PASSWORD_ARN",
      ]);
      expect(err.message).to.not.contain("hunter2");
    });

    it("still checks a service's environment when another of its keys is bad", () => {
      const err = expectConfigError("dev", (c) => editServices(c, (s) => Object.assign(s[0], { cpu: 300, environment: { DB_PASSWORD: "hunter2" } })));
      expect(err.problems.map((p) => p.key)).to.include.members(["platform:services[0].cpu", "platform:services[0].environment.DB_PASSWORD"]);
      expect(err.message).to.not.contain("hunter2");
    });

    it("still counts a table or queue with a bad key as declared", () => {
      expect(keysOf("dev", (c) => editJson(c, "platform:tables", (t) => (t[0].ttlAttribute = "a b")))).to.deep.equal(["platform:tables[0].ttlAttribute"]);
      expect(keysOf("dev", (c) => editJson(c, "platform:queues", (q) => (q[1].maxReceiveCount = 0)))).to.deep.equal(["platform:queues[1].maxReceiveCount"]);
    });

    it("keeps a section's good keys for the rules when one of its keys is bad", () => {
      expect(keysOf("prod", (c) => (c["platform:network"] = JSON.stringify({ natGateways: "single", flowLogAggregationSeconds: 1 })))).to.include.members([
        "platform:network.natGateways",
        "platform:network.flowLogAggregationSeconds",
      ]);
      expect(keysOf("prod", (c) => editJson(c, "platform:observability", (o) => (o.thresholds = { alb5xxPercent: 0 })))).to.deep.equal([
        "platform:observability.thresholds.alb5xxPercent",
      ]);
      expect(keysOf("dev", (c) => editJson(c, "platform:delivery", (d) => (d.keepImages = 0)))).to.deep.equal(["platform:delivery.keepImages"]);
    });

    it("reports what was written: no minTasks echo at maxTasks, one problem for a bad environment, services once", () => {
      expect(keysOf("dev", (c) => editServices(c, (s) => Object.assign(s[0], { minTasks: 1001, maxTasks: undefined })))).to.deep.equal([
        "platform:services[0].minTasks",
      ]);
      expect(keysOf("prod", (c) => (c["platform:environment"] = "test"))).to.deep.equal(["platform:environment"]);
      expect(keysOf("dev", (c) => (c["platform:services"] = "{}"))).to.deep.equal(["platform:services"]);
    });

    it("still runs the rules on an entry whose name, image, port or queue is bad", () => {
      expect(keysOf("prod", (c) => editServices(c, (s) => Object.assign(s[0], { port: "8080", image: "nginx:latest" })))).to.have.members([
        "platform:services[0].port",
        "platform:services[0].image",
      ]);
      expect(keysOf("prod", (c) => editServices(c, (s) => Object.assign(s[0], { name: "BAD", minTasks: 1 })))).to.have.members([
        "platform:services[0].name",
        "platform:services[0].minTasks",
      ]);
      expect(keysOf("dev", (c) => editJson(c, "platform:functions", (f) => Object.assign(f[0], { name: "Orders", batchSize: 11 })))).to.have.members([
        "platform:functions[0].name",
        "platform:functions[0].batchSize",
      ]);
      expect(
        keysOf("dev", (c) =>
          editJson(c, "platform:tables", (t) => Object.assign(t[0], { partitionKey: { name: "paymentId", type: "X" }, ttlAttribute: "paymentId" })),
        ),
      ).to.have.members(["platform:tables[0].partitionKey.type", "platform:tables[0].ttlAttribute"]);
    });

    it("keeps the rest of access and pipeline when one of their keys is bad", () => {
      expect(
        keysOf("dev", (c) => {
          editJson(c, "platform:database", (d) => (d.enabled = false));
          editServices(c, (s) => (s[0].access.fileSystem = "yes"));
        }),
      ).to.have.members(["platform:services[0].access.fileSystem", "platform:services[0].access.database"]);
      expect(keysOf("dev", (c) => editServices(c, (s) => (s[1].access = { zz: 1, tables: { nope: "read" } })))).to.have.members([
        "platform:services[1].access.zz",
        "platform:services[1].access.tables.nope",
      ]);
    });

    it("keeps a service with a bad pathPrefix routed, so route-only keys raise nothing more", () => {
      expect(keysOf("dev", (c) => editServices(c, (s) => (s[1].pathPrefix = "payments")))).to.deep.equal(["platform:services[1].pathPrefix"]);
    });

    it("reports every unknown key of an object, not the first", () => {
      expect(keysOf("dev", (c) => (c["platform:network"] = JSON.stringify({ zz: 1, zz2: 2 })))).to.have.members([
        "platform:network.zz",
        "platform:network.zz2",
      ]);
      expect(keysOf("dev", (c) => Object.assign(c, { "platform:zz": "1", "platform:zz2": "2" }))).to.have.members(["platform:zz", "platform:zz2"]);
    });

    it("checks the origin name's length even when the hosted zone is bad", () => {
      expect(
        keysOf("dev", (c) => editJson(c, "platform:edge", (e) => Object.assign(e, { hostedZone: "BAD", originSubdomain: "x".repeat(50) }))),
      ).to.have.members(["platform:edge.hostedZone", "platform:edge.originSubdomain"]);
    });

    it("refuses a list where a map belongs, a null retention and names valibot would drop", () => {
      expect(keysOf("dev", (c) => editServices(c, (s) => (s[0].access = [])))).to.deep.equal(["platform:services[0].access"]);
      expect(keysOf("dev", (c) => editServices(c, (s) => (s[0].environment = [])))).to.deep.equal(["platform:services[0].environment"]);
      expect(keysOf("dev", (c) => (c["platform:logRetentionDays"] = "null"))).to.deep.equal(["platform:logRetentionDays"]);
      expect(keysOf("dev", (c) => editServices(c, (s) => (s[0].environment = { constructor: "x" })))).to.deep.equal([
        "platform:services[0].environment.constructor",
      ]);
    });
  });

  describe("error message", () => {
    it("names the key, the value and what is allowed", () => {
      const err = expectConfigError("dev", (c) => (c["platform:vpcCidr"] = "10.0.0.1/16"));
      expect(err.problems).to.have.length(1);
      expect(err.message).to.equal(
        'invalid config for stack "dev" (1 problem):\n' +
          '  - platform:vpcCidr: got "10.0.0.1/16"; must be an IPv4 network address in an RFC 1918 range ' +
          "with a prefix from /16 to /24 for 2 AZs, e.g. 10.20.0.0/16",
      );
    });
  });
});
