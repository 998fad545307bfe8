import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FunctionSettings } from "../stacks/settings";
import { AccessGrant } from "./access";
import { packageFunction } from "./function-package";
import { AccountContext, policyDocument, PolicyStatement, serviceTrustPolicy, RoleScope } from "./iam";

/**
 * Node.js 22: the project's own floor, so the handler's tests run on the runtime it deploys to.
 * nodejs20.x reached end of support on 2026-04-30, after which Lambda blocks creating functions.
 */
export const LAMBDA_RUNTIME = "nodejs22.x";

/** Where function folders live. */
export const FUNCTIONS_ROOT = path.join(__dirname, "..", "functions");

export interface QueueFunctionArgs {
  /** Where its IAM roles live and what caps them (the stack's path and boundary; see `roleScope`). */
  roles: RoleScope;
  /** Physical name prefix, `<project>-<stack>`; the function is `<prefix>-<name>`. */
  namePrefix: string;
  /** Validated function settings (queue, timeout, memory, concurrency, batching). */
  settings: FunctionSettings;
  /** ARN of the queue it consumes. */
  queueArn: pulumi.Input<string>;
  /** Grants from its declared access, including consume on its queue (from the shared mechanism). */
  grants: AccessGrant[];
  /** Account context for the trust policy. */
  account: pulumi.Input<AccountContext>;
  /** KMS key for the log group. */
  kmsKeyArn: pulumi.Input<string>;
  /** Log retention in days. */
  logRetentionDays: number;
}

/** What every function needs besides its grants: write its own log group, send traces. */
export function functionBaseStatements(logGroupArn: string): PolicyStatement[] {
  return [
    { Sid: "WriteOwnLogGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` },
    // X-Ray's write actions have no resource-level permissions.
    { Sid: "SendTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
  ];
}

/**
 * A Lambda function consuming one SQS queue: code transpiled from `functions/<name>/handler.ts`,
 * Node.js 22, reserved concurrency (so a burst cannot starve the account), a timeout whose 6x the
 * queue's visibility timeout respects, partial batch responses (only failed messages are retried,
 * then moved to the DLQ), active X-Ray tracing in every environment, a KMS-encrypted log group with retention, and a
 * role holding only its grants.
 */
export class QueueFunction extends pulumi.ComponentResource {
  /** Function name. */
  public readonly functionName: pulumi.Output<string>;
  /** Function ARN. */
  public readonly arn: pulumi.Output<string>;
  /** Execution role ARN. */
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: QueueFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:messaging:QueueFunction", name, {}, opts);
    const s = args.settings;
    const functionName = `${args.namePrefix}-${s.name}`;
    const account = pulumi.output(args.account);

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn },
      { parent: this },
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Lambda ${functionName}`,
        ...args.roles,
        assumeRolePolicy: account.apply((a) => JSON.stringify(serviceTrustPolicy("lambda.amazonaws.com", a.accountId))),
      },
      { parent: this },
    );
    const statements = [logGroup.arn.apply((arn) => functionBaseStatements(arn)), ...args.grants.map((g) => pulumi.all(g.taskStatements))];
    const policy = new aws.iam.RolePolicy(
      `${name}-role`,
      { role: role.id, policy: pulumi.all(statements).apply((lists) => JSON.stringify(policyDocument(lists.flat() as PolicyStatement[]))) },
      { parent: this },
    );

    const environment = pulumi.all(args.grants.map((g) => pulumi.all(g.environment))).apply((envs) => Object.assign({}, ...envs) as Record<string, string>);
    const fn = new aws.lambda.Function(
      name,
      {
        name: functionName,
        description: `Consumes ${s.queue} (${args.namePrefix})`,
        runtime: LAMBDA_RUNTIME,
        architectures: [s.architecture],
        handler: "handler.handler",
        code: packageFunction(path.join(FUNCTIONS_ROOT, s.name), s.packages, s.architecture),
        role: role.arn,
        timeout: s.timeoutSeconds,
        memorySize: s.memoryMb,
        reservedConcurrentExecutions: s.reservedConcurrency,
        // Functions always trace actively (sampled): a queue consumer is where async flows go dark.
        tracingConfig: { mode: "Active" },
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
        // Only resource names and URLs live here; credentials never do.
        environment: { variables: environment },
      },
      { parent: this, dependsOn: [policy] },
    );
    new aws.lambda.EventSourceMapping(
      name,
      {
        eventSourceArn: args.queueArn,
        functionName: fn.arn,
        batchSize: s.batchSize,
        maximumBatchingWindowInSeconds: s.maxBatchingWindowSeconds,
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: { maximumConcurrency: s.reservedConcurrency },
      },
      { parent: this },
    );

    this.functionName = fn.name;
    this.arn = fn.arn;
    this.roleArn = role.arn;
    this.registerOutputs({ functionName: this.functionName, arn: this.arn });
  }
}
