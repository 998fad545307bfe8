import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RetentionPolicy } from "../stacks/retention";
import type { CanaryCheck, SyntheticsSettings } from "../stacks/settings";
import { CANARY_NAME_SIGNIFICANT } from "../stacks/sections/synthetics";
import { logLifecycleRules } from "./edge-config";
import { transpileFolder } from "./function-package";
import { AccountContext, policyDocument, PolicyStatement, RoleScope, serviceTrustPolicy } from "./iam";
import { PrivateBucket } from "./private-bucket";

/** The canary script's folder (`functions/canary/check.ts`, handler `check.handler`). */
export const CANARY_SOURCE = path.join(__dirname, "..", "functions", "canary");
/** Where the Node.js runtimes load a canary's script from: `nodejs/node_modules/<file>.js` in its zip. */
export const CANARY_SCRIPT_PATH = "nodejs/node_modules/check.js";
/** Built canary zips, relative to the project (the directory `pulumi` runs in): the same path on every machine. */
export const CANARY_BUILD_DIR = path.join(".build", "canaries");
const PROJECT_DIR = path.join(__dirname, "..");
// A fixed timestamp: the same script gives the same bytes.
const ZIP_TIME = new Date("2020-01-01T00:00:00Z");
/** Bumped when the zip's layout changes, so the name changes with it. */
const ZIP_FORMAT = "canary-zip-1";
/** What else the zip's bytes depend on: the transpiler's and the zip library's versions. */
const TOOL_VERSIONS = `esbuild ${require("esbuild/package.json").version}, fflate ${require("fflate/package.json").version}`;

export interface SyntheticChecksArgs {
  /** Where its IAM role lives and what caps it (the stack's path and boundary). */
  roles: RoleScope;
  /** The synthetics settings (runtime, rate, timeout, retention). */
  settings: SyntheticsSettings;
  /** The canaries: names and steps (`canaryChecks` in stacks/sections/synthetics.ts). */
  checks: CanaryCheck[];
  /** The public site every step is requested on, e.g. `https://shop.example.com`. */
  siteUrl: string;
  /** The stack's key: artifacts are SSE-KMS with it. */
  kmsKeyArn: pulumi.Input<string>;
  /** The stack's retention policy (the artifacts bucket). */
  retention: RetentionPolicy;
  /** Account context for ARNs. */
  account: pulumi.Input<AccountContext>;
}

/**
 * The canary zip: the transpiled script at `nodejs/node_modules/check.js`, deterministic. Written
 * under `CANARY_BUILD_DIR` with a hash in the name, because the provider compares only the
 * `zipFile` path, not its bytes (pulumi/pulumi-aws#2022): a changed script must be a new path. The
 * runtime is in the name too: the provider sends the code only when the path changes, and
 * Synthetics refuses a runtime change without code (terraform-provider-aws#46792). The hash is of
 * what the zip is made from (the sources, the transpiler's version), so an unchanged script is
 * not rebuilt on every run. Resolves to the project-relative path.
 */
export async function buildCanaryZip(runtimeVersion: string, projectDir = PROJECT_DIR): Promise<string> {
  const sources = fs
    .readdirSync(CANARY_SOURCE)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => `${f}\n${fs.readFileSync(path.join(CANARY_SOURCE, f), "utf8")}`);
  const recipe = [ZIP_FORMAT, TOOL_VERSIONS, ...sources].join("\n\0");
  const hash = crypto.createHash("sha256").update(recipe).digest("hex").slice(0, 16);
  const relative = path.join(CANARY_BUILD_DIR, `check-${runtimeVersion}-${hash}.zip`);
  const file = path.join(projectDir, relative);
  if (!fs.existsSync(file)) {
    const files = await transpileFolder(CANARY_SOURCE);
    // Loaded here: most runs find the zip built.
    const { zipSync } = await import("fflate");
    const zip = zipSync({ [CANARY_SCRIPT_PATH]: [new TextEncoder().encode(files["check.js"]), { mtime: ZIP_TIME }] });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written aside, then renamed: a concurrent run never reads half a zip.
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, zip);
    fs.renameSync(partial, file);
  }
  return relative.split(path.sep).join("/");
}

/**
 * What the canaries' role may do, after AWS's "Required roles and permissions for canaries": write
 * (and read back) its artifacts under the canaries' prefixes, find the bucket's region, write the
 * logs of the Lambda functions Synthetics creates (named after the canary's first 21 characters),
 * publish metrics to the CloudWatchSynthetics namespace only, and use the key for the artifacts
 * through S3. `s3:ListAllMyBuckets` and `cloudwatch:PutMetricData` have no resource-level
 * permissions. No X-Ray: the canaries do not trace.
 */
export function canaryStatements(bucketArn: string, keyArn: string, canaryNames: string[], account: AccountContext): PolicyStatement[] {
  const logs = canaryNames.map(
    (n) => `arn:${account.partition}:logs:${account.region}:${account.accountId}:log-group:/aws/lambda/cwsyn-${n.slice(0, CANARY_NAME_SIGNIFICANT)}-*`,
  );
  return [
    { Sid: "WriteArtifacts", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: canaryNames.map((n) => `${bucketArn}/${n}/*`) },
    { Sid: "FindArtifactsBucket", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: bucketArn },
    { Sid: "ListBuckets", Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" },
    { Sid: "WriteCanaryLogs", Effect: "Allow", Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource: logs },
    {
      Sid: "PublishCanaryMetrics",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": "CloudWatchSynthetics" } },
    },
    {
      Sid: "EncryptArtifacts",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: keyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${account.region}.amazonaws.com` } },
    },
  ];
}

/** `rate(1 minute)` or `rate(<n> minutes)`, as Synthetics writes a schedule. */
export function canarySchedule(rateMinutes: number): string {
  return rateMinutes === 1 ? "rate(1 minute)" : `rate(${rateMinutes} minutes)`;
}

/**
 * CloudWatch Synthetics canaries probing the public site from outside (the design's blackbox
 * checks): one per routed service on its health path, and a journey of steps in one run. Their
 * artifacts go to a private bucket, SSE-KMS with the stack's key and expired after the longer
 * retention; one role holds exactly what AWS documents a canary needs. `deleteLambda` removes the
 * function and layers Synthetics creates when a canary is deleted (they leak otherwise).
 */
export class SyntheticChecks extends pulumi.ComponentResource {
  /** Canary names, for the alarms and the dashboard. */
  public readonly canaryNames: string[];
  /** The artifacts bucket's name. */
  public readonly artifactsBucketName: pulumi.Output<string>;

  constructor(name: string, args: SyntheticChecksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:SyntheticChecks", name, {}, opts);
    const s = args.settings;
    const account = pulumi.output(args.account);
    const names = args.checks.map((c) => c.name);

    const artifacts = new PrivateBucket(
      `${name}-artifacts`,
      {
        objectOwnership: "BucketOwnerEnforced",
        kmsKeyArn: args.kmsKeyArn,
        retention: args.retention,
        lifecycleRules: logLifecycleRules(Math.max(s.successRetentionDays, s.failureRetentionDays)),
      },
      { parent: this },
    );
    // TLS only; the role's own policy grants the writes.
    const artifactsReady = artifacts.attachPolicy(() => []);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `CloudWatch Synthetics canaries of ${args.siteUrl}`,
        ...args.roles,
        assumeRolePolicy: account.apply((a) => JSON.stringify(serviceTrustPolicy("lambda.amazonaws.com", a.accountId))),
      },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-role`,
      {
        role: role.id,
        policy: pulumi
          .all([artifacts.bucket.arn, args.kmsKeyArn, account])
          .apply(([bucketArn, keyArn, a]) => JSON.stringify(policyDocument(canaryStatements(bucketArn, keyArn, names, a)))),
      },
      { parent: this },
    );

    const zipFile = pulumi.output(buildCanaryZip(s.runtimeVersion));
    for (const check of args.checks) {
      new aws.synthetics.Canary(
        `${name}-${check.subject}`,
        {
          name: check.name,
          artifactS3Location: pulumi.interpolate`s3://${artifacts.bucket.bucket}/${check.name}/`,
          artifactConfig: { s3Encryption: { encryptionMode: "SSE_KMS", kmsKeyArn: args.kmsKeyArn } },
          executionRoleArn: role.arn,
          runtimeVersion: s.runtimeVersion,
          handler: "check.handler",
          zipFile,
          schedule: { expression: canarySchedule(s.rateMinutes) },
          runConfig: {
            timeoutInSeconds: s.timeoutSeconds,
            activeTracing: false,
            // Not encrypted by Synthetics: URLs only, never a credential.
            environmentVariables: {
              CANARY_STEPS: JSON.stringify(
                check.steps.map((step) => ({ name: step.name, url: `${args.siteUrl}${step.path}`, ...(step.only2xx ? { only2xx: true } : {}) })),
              ),
              // 80 % of the run's timeout, shared by the steps: a slow step fails with its own message before the run times out.
              CANARY_STEP_TIMEOUT_MS: String(Math.floor((s.timeoutSeconds * 800) / Math.max(1, check.steps.length))),
              CANARY_USER_AGENT: `platform-canary/${check.subject}`,
            },
          },
          successRetentionPeriod: s.successRetentionDays,
          failureRetentionPeriod: s.failureRetentionDays,
          startCanary: true,
          deleteLambda: true,
        },
        { parent: this, dependsOn: [policy, artifactsReady] },
      );
    }

    this.canaryNames = names;
    this.artifactsBucketName = artifacts.bucket.bucket;
    this.registerOutputs({ artifactsBucketName: this.artifactsBucketName });
  }
}
