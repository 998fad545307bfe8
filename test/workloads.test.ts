/** Queues, tables, the Lambda consumer, Cognito and EFS, for both stacks. */
import { expect } from "chai";
import { asArray, fixture, FIXTURES, fixtureSettings, idOf, ofType, one, policyOf, roleStatements, T } from "./helpers";

/** Statements as comparable `action resource` lines (conditions checked separately). */
function grantLines(statements: any[]): string[] {
  return statements.flatMap((s) => asArray<string>(s.Action).flatMap((a) => asArray<string>(s.Resource).map((r) => `${a} ${r}`))).sort();
}

const READ = ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"];
const WRITE = [
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DeleteItem",
  "dynamodb:DescribeTable",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
];
/** A table's actions on the table and its indexes, plus kms:Decrypt of its key (DynamoDB decrypts the table key as the caller). */
const tableLines = (arn: string, actions: string[], key: string) => [
  ...[...new Set(actions)].flatMap((a) => [`${a} ${arn}`, `${a} ${arn}/index/*`]),
  `kms:Decrypt ${key}`,
];
const sendLines = (arn: string, key: string) => [
  ...["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"].map((a) => `${a} ${arn}`),
  ...["kms:GenerateDataKey", "kms:Decrypt"].map((a) => `${a} ${key}`),
];
/** What Lambda's event source mapping needs to poll a queue (Lambda developer guide). */
const pollLines = (arn: string, key: string) => [
  ...["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"].map((a) => `${a} ${arn}`),
  `kms:Decrypt ${key}`,
];
const consumeLines = (arn: string, key: string) => [
  ...["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"].map((a) => `${a} ${arn}`),
  `kms:Decrypt ${key}`,
];

for (const stack of FIXTURES) {
  const prod = stack === "prod";
  const settings = fixtureSettings(stack);
  const prefix = `platform-${stack}`;

  describe(`queues and tables (${stack})`, () => {
    it("gives every queue an encrypted DLQ with a redrive policy, 14-day retention and TLS-only policies", async () => {
      const result = await fixture(stack);
      const keyArn = one(result, T.kmsKey, "platform-key").state.arn;
      expect(settings.queues.map((q) => q.name)).to.deep.equal(["notifications", "orders"]);
      for (const q of settings.queues) {
        const queue = one(result, T.queue, `queue-${q.name}`);
        const dlq = one(result, T.queue, `queue-${q.name}-dlq`);
        expect(queue.inputs).to.include({ name: `${prefix}-${q.name}`, kmsMasterKeyId: keyArn, messageRetentionSeconds: q.retentionSeconds });
        expect(dlq.inputs).to.include({ name: `${prefix}-${q.name}-dlq`, kmsMasterKeyId: keyArn, messageRetentionSeconds: 1209600 });
        expect(JSON.parse(queue.inputs.redrivePolicy)).to.deep.equal({ deadLetterTargetArn: dlq.state.arn, maxReceiveCount: q.maxReceiveCount });
        const allow = JSON.parse(one(result, T.redriveAllow, `queue-${q.name}-dlq`).inputs.redriveAllowPolicy);
        expect(allow).to.deep.equal({ redrivePermission: "byQueue", sourceQueueArns: [queue.state.arn] });
        for (const name of [`queue-${q.name}`, `queue-${q.name}-dlq`]) {
          const deny = policyOf(one(result, T.queuePolicy, name)).Statement[0];
          expect(deny).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
        }
      }
    });

    it("sets each queue's visibility timeout from its consumer: 6x a Lambda's timeout", async () => {
      const result = await fixture(stack);
      const fn = settings.functions.find((f) => f.queue === "orders")!;
      expect(one(result, T.queue, "queue-orders").inputs.visibilityTimeoutSeconds).to.equal(6 * fn.timeoutSeconds);
      expect(one(result, T.queue, "queue-notifications").inputs.visibilityTimeoutSeconds).to.equal(30);
    });

    it("makes every table on-demand, with PITR, the customer key and TTL where declared", async () => {
      const result = await fixture(stack);
      const keyArn = one(result, T.kmsKey, "platform-key").state.arn;
      expect(ofType(result, T.table)).to.have.length(settings.tables.length);
      for (const t of settings.tables) {
        const table = one(result, T.table, `table-${t.name}`);
        expect(table.inputs).to.include({
          name: `${prefix}-${t.name}`,
          billingMode: "PAY_PER_REQUEST",
          hashKey: t.partitionKey.name,
          deletionProtectionEnabled: prod,
        });
        expect(table.inputs.pointInTimeRecovery).to.deep.equal({ enabled: true });
        expect(table.inputs.serverSideEncryption).to.deep.equal({ enabled: true, kmsKeyArn: keyArn });
        expect(table.inputs.ttl).to.deep.equal(t.ttlAttribute ? { attributeName: t.ttlAttribute, enabled: true } : undefined);
        expect(table.protect, t.name).to.equal(prod);
      }
    });
  });

  describe(`grants (${stack})`, () => {
    it("payment: reads and writes its table and sends to notifications and orders, nothing else", async () => {
      const result = await fixture(stack);
      const key = one(result, T.kmsKey, "platform-key").state.arn;
      const expected = [
        ...tableLines(one(result, T.table, "table-payment").state.arn, [...READ, ...WRITE], key),
        ...sendLines(one(result, T.queue, "queue-notifications").state.arn, key),
        ...sendLines(one(result, T.queue, "queue-orders").state.arn, key),
        ...(prod
          ? ["xray:GetSamplingRules", "xray:GetSamplingStatisticSummaries", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"].map(
              (a) => `${a} *`,
            )
          : []),
      ].sort();
      expect(grantLines(roleStatements(result, "payment-svc-task"))).to.deep.equal(expected);
      const kms = roleStatements(result, "payment-svc-task").filter((s) => asArray<string>(s.Action).some((a) => a.startsWith("kms:")));
      // KMS only through the service that uses the key for the caller: SQS for the queues, DynamoDB for the table.
      const via = (s: any) => s.Condition.StringEquals["kms:ViaService"];
      expect(kms.map(via).sort()).to.deep.equal([
        `dynamodb.${settings.region}.amazonaws.com`,
        `sqs.${settings.region}.amazonaws.com`,
        `sqs.${settings.region}.amazonaws.com`,
      ]);
    });

    it("notification: consumes notifications, writes its table and mounts the shared files, nothing else", async () => {
      const result = await fixture(stack);
      const key = one(result, T.kmsKey, "platform-key").state.arn;
      const fs = one(result, T.fileSystem, "files");
      const expected = [
        ...tableLines(one(result, T.table, "table-notification").state.arn, WRITE, key),
        ...consumeLines(one(result, T.queue, "queue-notifications").state.arn, key),
        `elasticfilesystem:ClientMount ${fs.state.arn}`,
        `elasticfilesystem:ClientWrite ${fs.state.arn}`,
        ...(prod
          ? ["xray:GetSamplingRules", "xray:GetSamplingStatisticSummaries", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"].map(
              (a) => `${a} *`,
            )
          : []),
      ].sort();
      expect(grantLines(roleStatements(result, "notification-svc-task"))).to.deep.equal(expected);
    });

    it("the orders function: consumes its queue, writes its table, its logs and traces, nothing else", async () => {
      const result = await fixture(stack);
      const key = one(result, T.kmsKey, "platform-key").state.arn;
      const logs = one(result, T.logGroup, "fn-orders-logs").state.arn;
      const expected = [
        `logs:CreateLogStream ${logs}:*`,
        `logs:PutLogEvents ${logs}:*`,
        "xray:PutTelemetryRecords *",
        "xray:PutTraceSegments *",
        ...pollLines(one(result, T.queue, "queue-orders").state.arn, key),
        ...tableLines(one(result, T.table, "table-orders").state.arn, WRITE, key),
      ].sort();
      expect(grantLines(roleStatements(result, "fn-orders-role"))).to.deep.equal(expected);
      const trust = JSON.parse(one(result, T.role, "fn-orders-role").inputs.assumeRolePolicy);
      expect(trust.Statement[0].Principal).to.deep.equal({ Service: "lambda.amazonaws.com" });
    });

    it("user: gets no table or queue rights", async () => {
      const result = await fixture(stack);
      for (const line of grantLines(roleStatements(result, "user-svc-task"))) expect(line).to.not.match(/^(dynamodb|sqs):/);
    });

    it("injects resource names and queue URLs as plain variables", async () => {
      const result = await fixture(stack);
      const env = (service: string) => {
        const [container] = JSON.parse(one(result, T.taskDefinition, `${service}-svc-task`).inputs.containerDefinitions);
        return Object.fromEntries(container.environment.map((e: { name: string; value: string }) => [e.name, e.value]));
      };
      expect(env("payment")).to.include({
        TABLE_PAYMENT: `${prefix}-payment`,
        QUEUE_NOTIFICATIONS_URL: one(result, T.queue, "queue-notifications").state.url,
        QUEUE_ORDERS_URL: one(result, T.queue, "queue-orders").state.url,
      });
      expect(env("notification")).to.include({ TABLE_NOTIFICATION: `${prefix}-notification`, SHARED_FILES_PATH: "/mnt/shared" });
      // The function does not call SQS (Lambda polls for it), so it gets no queue URL.
      expect(one(result, T.lambda, "fn-orders").inputs.environment.variables).to.deep.equal({ TABLE_ORDERS: `${prefix}-orders` });
    });
  });

  describe(`the orders function (${stack})`, () => {
    it("consumes its queue with partial batch responses", async () => {
      const result = await fixture(stack);
      const fn = settings.functions[0];
      const mapping = one(result, T.eventSourceMapping, "fn-orders").inputs;
      expect(mapping).to.include({
        eventSourceArn: one(result, T.queue, "queue-orders").state.arn,
        functionName: one(result, T.lambda, "fn-orders").state.arn,
        batchSize: fn.batchSize,
      });
      expect(mapping.functionResponseTypes).to.deep.equal(["ReportBatchItemFailures"]);
      expect(mapping.scalingConfig).to.deep.equal({ maximumConcurrency: fn.reservedConcurrency });
    });

    it("runs the repo's handler with reserved concurrency, a timeout, X-Ray and an encrypted log group", async () => {
      const result = await fixture(stack);
      const fn = settings.functions[0];
      const lambda = one(result, T.lambda, "fn-orders").inputs;
      expect(lambda).to.include({
        name: `${prefix}-orders`,
        runtime: "nodejs22.x",
        handler: "handler.handler",
        timeout: fn.timeoutSeconds,
        memorySize: fn.memoryMb,
        reservedConcurrentExecutions: fn.reservedConcurrency,
      });
      expect(lambda.tracingConfig).to.deep.equal({ mode: "Active" });
      const logs = one(result, T.logGroup, "fn-orders-logs");
      expect(logs.inputs).to.include({
        name: `/aws/lambda/${prefix}-orders`,
        kmsKeyId: one(result, T.kmsKey, "platform-key").state.arn,
        retentionInDays: settings.logRetentionDays,
      });
      expect(lambda.loggingConfig).to.deep.include({ logGroup: logs.inputs.name, logFormat: "JSON" });
      // The archive's contents (functions/orders transpiled) are tested in function-package.test.ts.
      expect(lambda.code).to.have.property("__pulumiArchive", true);
    });

    it("scales the notification worker on backlog per task", async () => {
      const result = await fixture(stack);
      const worker = settings.services.find((s) => s.name === "notification")!;
      const policy = one(result, T.scalingPolicy, "notification-svc-scale-backlog").inputs.targetTrackingScalingPolicyConfiguration;
      expect(policy.targetValue).to.equal(worker.queueBacklogPerTask);
      const metrics = policy.customizedMetricSpecification.metrics;
      expect(metrics.find((m: { id: string }) => m.id === "visible").metricStat.metric.dimensions).to.deep.equal([
        { name: "QueueName", value: `${prefix}-notifications` },
      ]);
      expect(metrics.find((m: { returnData: boolean }) => m.returnData).expression).to.equal("visible / tasks");
    });
  });

  describe(`Cognito (${stack})`, () => {
    it(`has a strong password policy, ${prod ? "required" : "optional"} MFA and e-mail recovery`, async () => {
      const result = await fixture(stack);
      const pool = one(result, T.userPool, "users-pool");
      expect(pool.inputs.passwordPolicy).to.include({
        minimumLength: settings.auth.passwordMinLength,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
      });
      expect(pool.inputs.passwordPolicy.minimumLength).to.be.at.least(12);
      expect(pool.inputs.mfaConfiguration).to.equal(prod ? "ON" : "OPTIONAL");
      expect(pool.inputs.softwareTokenMfaConfiguration).to.deep.equal({ enabled: true });
      expect(pool.inputs.accountRecoverySetting.recoveryMechanisms).to.deep.equal([{ name: "verified_email", priority: 1 }]);
      expect(pool.inputs.deletionProtection).to.equal(prod ? "ACTIVE" : "INACTIVE");
      expect(pool.protect).to.equal(prod);
    });

    it("has a hosted domain, a public web client and a confidential ALB client calling back to the site", async () => {
      const result = await fixture(stack);
      expect(one(result, T.userPoolDomain, "users-domain").inputs.domain).to.equal(settings.auth.domainPrefix);
      const web = one(result, T.userPoolClient, "users-web").inputs;
      expect(web.generateSecret).to.equal(false);
      expect(web.allowedOauthFlows).to.deep.equal(["code"]);
      const alb = one(result, T.userPoolClient, "users-alb").inputs;
      expect(alb.generateSecret).to.equal(true);
      expect(alb.callbackUrls).to.deep.equal([`https://${settings.domain}/oauth2/idpresponse`]);
      const { outputs } = result;
      expect(outputs).to.include({ userPoolId: `${settings.region}_MoCkPoOl`, webClientId: "users-web-id" });
      expect(outputs.hostedUiUrl).to.equal(`https://${settings.auth.domainPrefix}.auth.${settings.region}.amazoncognito.com`);
    });
  });

  describe(`EFS (${stack})`, () => {
    it("is encrypted, backed up, mounted in every private subnet, behind one access point", async () => {
      const result = await fixture(stack);
      const fs = one(result, T.fileSystem, "files");
      expect(fs.inputs).to.include({ encrypted: true, kmsKeyId: one(result, T.kmsKey, "platform-key").state.arn });
      expect(fs.protect).to.equal(prod);
      expect(one(result, T.backupPolicy, "files").inputs.backupPolicy).to.deep.equal({ status: "ENABLED" });
      const mounts = ofType(result, T.mountTarget);
      expect(mounts.map((m) => m.inputs.subnetId)).to.deep.equal(settings.availabilityZones.map((az) => `subnet-private-${az}`));
      const ap = one(result, T.accessPoint, "files-ap").inputs;
      expect(ap.posixUser).to.deep.equal({ uid: 1000, gid: 1000 });
      expect(ap.rootDirectory.path).to.equal("/shared");
      const policy = policyOf(one(result, T.fileSystemPolicy, "files"));
      expect(policy.Statement[0].Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
    });

    it("is reachable and mounted only by the services that declare it", async () => {
      const result = await fixture(stack);
      const sg = idOf(one(result, T.sg, "files-sg"));
      const granted = settings.services.filter((s) => s.access.fileSystem).map((s) => s.name);
      expect(granted).to.deep.equal(["user", "notification"]);
      const rules = ofType(result, T.ingress).filter((r) => r.inputs.securityGroupId === sg);
      expect(rules.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort])).to.have.deep.members(
        granted.map((n) => [idOf(one(result, T.sg, `${n}-svc-sg`)), 2049]),
      );
      for (const service of settings.services) {
        const td = one(result, T.taskDefinition, `${service.name}-svc-task`).inputs;
        const [container] = JSON.parse(td.containerDefinitions);
        if (service.access.fileSystem) {
          expect(td.volumes).to.deep.equal([
            {
              name: "shared",
              efsVolumeConfiguration: {
                fileSystemId: "fs-0mockfiles",
                transitEncryption: "ENABLED",
                authorizationConfig: { accessPointId: "fsap-0mockfiles-ap", iam: "ENABLED" },
              },
            },
          ]);
          expect(container.mountPoints).to.deep.equal([{ sourceVolume: "shared", containerPath: "/mnt/shared", readOnly: false }]);
        } else {
          expect(td.volumes ?? []).to.deep.equal([]);
          expect(container.mountPoints).to.deep.equal([]);
        }
      }
    });
  });
}
