/**
 * The one mock engine of the project, used by every test and by `npm run synth`. It loads the
 * real `Pulumi.<stack>.yaml` (plus Pulumi.yaml defaults), runs the real `index.ts` under
 * `pulumi.runtime.setMocks` with realistic ids, ARNs and endpoints (including the outputs of the
 * awsx VPC, a remote component that builds no children under mocks), and returns every registered
 * resource with its type, name, parent, effective `protect` and resolved inputs, plus the stack
 * outputs. Several stacks can be synthesized in one process, one after the other.
 *
 * Written by hand because no library runs a Pulumi program offline and returns its resource
 * graph; Pulumi's own mocks (used here) only hand each resource to a callback.
 */
import { createHash } from "crypto";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig, toConfigString } from "../stacks/stack-file";
import { acmValidationOptions } from "./provider/behaviour";
import { RESOURCE_RULES } from "./provider/resource-rules";
import { checkStackRules, DeployRuleError, ResourceRule, resourceChecker, StackRule, Violation } from "./provider/rules";
import { STACK_RULES } from "./provider/stack-rules";

export const PROJECT_DIR = path.resolve(__dirname, "..");
export const MOCK_ACCOUNT_ID = "123456789012";
/** The id the mocks give CloudFront's origin-facing managed prefix list. */
export const MOCK_CLOUDFRONT_PREFIX_LIST = "pl-4fa04526";
/**
 * Folders holding the program's modules that are reloaded for each synthesized stack, with index.ts.
 * Not stacks/: its modules are pure (config is read only when index.ts calls loadSettings), so the
 * copy the tools already loaded to validate config serves the program too.
 */
const PROGRAM_DIRS = ["components", "regions"];

export interface SynthResource {
  /** Pulumi type token, e.g. `aws:rds/cluster:Cluster`. */
  type: string;
  /** Logical name. */
  name: string;
  /** `type::name` of the parent component, or undefined at the stack root. */
  parent?: string;
  /** Custom resource (true) or component (false). */
  custom: boolean;
  /** The id the mock provider returned (custom resources). */
  id?: string;
  /** Effective `protect` option, including what a parent passes down. */
  protect: boolean;
  /** `retainOnDelete` option as given (the SDK does not pass it from parent to child). */
  retainOnDelete: boolean;
  /** Parents (`type::name`) given in `aliases`: where the resource was registered before a refactor. */
  aliasParents: string[];
  /** Logical name of the provider that manages it (`default_<version>` for the default provider). */
  provider?: string;
  /** Region it is created in: its provider's region, else the stack's. */
  region: string;
  /** `ignoreChanges` option as given. */
  ignoreChanges: string[];
  /** For each input that was computed from other resources, those resources as `type::name`. */
  propertyDependencies: Record<string, string[]>;
  /** Every resource the engine makes this one wait for (`dependsOn` and inputs), as `type::name`. */
  dependencies: string[];
  /** Inputs as the engine would receive them, fully resolved, secrets unwrapped. */
  inputs: Record<string, any>;
  /** Top-level input names whose value is (or contains) a Pulumi secret. */
  secretInputs: string[];
  /** State the mock returned (inputs plus computed outputs). */
  state: Record<string, any>;
}

export interface SynthResult {
  project: string;
  stack: string;
  resources: SynthResource[];
  /** Every data-source lookup the program made (`aws.*.get*`), with the region it was made in. */
  invokes: { token: string; region: string; inputs: Record<string, any> }[];
  outputs: Record<string, unknown>;
  /** With `deployProblems: "report"`: what the provider rules found (empty when it would deploy). */
  deployProblems?: Violation[];
}

export interface SynthOptions {
  stack: string;
  /** Config values to set on top of the stack file, by full key; `undefined` removes the key. */
  overrides?: Record<string, unknown>;
  /** Where the program (index.ts, components/, stacks/) lives. */
  projectDir?: string;
  /** Where Pulumi.yaml and the stack files are read from (default: projectDir), e.g. test fixtures. */
  configDir?: string;
  /** Provider rules to run instead of the project's (tests of the harness itself). */
  rules?: { resource?: readonly ResourceRule[]; stack?: readonly StackRule[] };
  /**
   * `throw` (default): a stack the provider rules say would not deploy is an error (DeployRuleError).
   * `report`: it is synthesized all the same and the problems are returned (the change review's
   * base, which may predate a rule).
   */
  deployProblems?: "throw" | "report";
}

// Reading stack files the way the CLI does lives in stacks/stack-file.ts (the bootstrap reads them too).
export { applyProjectConfig, loadStackConfig, ProjectConfigError, UnknownStackError } from "../stacks/stack-file";

/** The key ARN the mocks give an alias lookup (`aws.kms.getAlias`) in `region`. */
export function mockAliasTargetKeyArn(region: string, alias: string): string {
  return `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/${alias.replace(/^alias\//, "")}-key`;
}

function arn(service: string, region: string, resource: string, global = false): string {
  return `arn:aws:${service}:${global ? "" : region}:${MOCK_ACCOUNT_ID}:${resource}`;
}

/** Realistic computed outputs per resource type, so wiring between resources can be asserted. */
function mockState(type: string, name: string, inputs: Record<string, any>, region: string): { id: string; state: Record<string, any> } {
  const id = `${name}-id`;
  const physical: string = inputs.name ?? name;
  const state: Record<string, any> = { ...inputs, name: physical };
  const azs: string[] = inputs.availabilityZoneNames ?? [];
  switch (type) {
    case "awsx:ec2:Vpc":
      Object.assign(state, {
        vpcId: `vpc-${name}`,
        publicSubnetIds: azs.map((az) => `subnet-public-${az}`),
        privateSubnetIds: azs.map((az) => `subnet-private-${az}`),
        isolatedSubnetIds: azs.map((az) => `subnet-isolated-${az}`),
      });
      break;
    case "pulumi:providers:aws":
      break;
    case "aws:acm/certificate:Certificate":
      Object.assign(state, {
        arn: arn("acm", region, `certificate/${name}-0f1e2d3c`),
        // As ACM does: one option per name (subject and every SAN), the same record for a name
        // in every certificate of the account.
        domainValidationOptions: acmValidationOptions([inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])]),
      });
      break;
    case "aws:acm/certificateValidation:CertificateValidation":
      state.certificateArn = inputs.certificateArn;
      break;
    case "aws:sesv2/emailIdentity:EmailIdentity":
      Object.assign(state, {
        arn: arn("ses", region, `identity/${inputs.emailIdentity}`),
        // Easy DKIM's three tokens, different per identity and region (as SES's are).
        dkimSigningAttributes: {
          ...(inputs.dkimSigningAttributes ?? {}),
          tokens: [1, 2, 3].map((i) => createHash("sha256").update(`${region}/${inputs.emailIdentity}/${i}`).digest("hex").slice(0, 32)),
        },
      });
      break;
    case "aws:sesv2/configurationSet:ConfigurationSet":
      state.arn = arn("ses", region, `configuration-set/${inputs.configurationSetName}`);
      break;
    case "aws:scheduler/scheduleGroup:ScheduleGroup":
      state.arn = arn("scheduler", region, `schedule-group/${inputs.name}`);
      break;
    case "aws:scheduler/schedule:Schedule":
      state.arn = arn("scheduler", region, `schedule/${inputs.groupName ?? "default"}/${inputs.name}`);
      break;
    case "aws:amp/workspace:Workspace":
      Object.assign(state, {
        arn: arn("aps", region, `workspace/${id}`),
        prometheusEndpoint: `https://aps-workspaces.${region}.amazonaws.com/workspaces/${id}/`,
      });
      break;
    case "aws:grafana/workspace:Workspace":
      Object.assign(state, { arn: arn("grafana", region, `/workspaces/${id}`), endpoint: `${id}.grafana-workspace.${region}.amazonaws.com` });
      break;
    case "aws:route53/zone:Zone":
      state.zoneId = "Z0CREATEDZONE";
      break;
    case "aws:route53/record:Record":
      state.fqdn = String(inputs.name).replace(/\.$/, "");
      break;
    case "aws:s3/bucket:Bucket": {
      const bucket = inputs.bucket ?? `${name}-4c3b2a1`;
      Object.assign(state, {
        bucket,
        arn: `arn:aws:s3:::${bucket}`,
        bucketDomainName: `${bucket}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
      });
      break;
    }
    case "aws:cloudfront/distribution:Distribution":
      Object.assign(state, {
        arn: arn("cloudfront", region, `distribution/E2MOCKDIST`, true),
        domainName: "d111111abcdef8.cloudfront.net",
        hostedZoneId: "Z2FDTNDATAQYW2",
      });
      return { id: "E2MOCKDIST", state };
    case "aws:sqs/queue:Queue":
      Object.assign(state, { arn: arn("sqs", region, physical), url: `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${physical}` });
      break;
    case "aws:cognito/userPool:UserPool":
      Object.assign(state, {
        arn: arn("cognito-idp", region, `userpool/${region}_MoCkPoOl`),
        endpoint: `cognito-idp.${region}.amazonaws.com/${region}_MoCkPoOl`,
      });
      return { id: `${region}_MoCkPoOl`, state };
    case "aws:lambda/function:Function":
      state.arn = arn("lambda", region, `function:${physical}`);
      break;
    case "aws:efs/fileSystem:FileSystem":
      state.arn = arn("elasticfilesystem", region, `file-system/fs-0mock${name}`);
      return { id: `fs-0mock${name}`, state };
    case "aws:efs/accessPoint:AccessPoint":
      state.arn = arn("elasticfilesystem", region, `access-point/fsap-0mock${name}`);
      return { id: `fsap-0mock${name}`, state };
    case "aws:ecr/repository:Repository":
      Object.assign(state, {
        arn: arn("ecr", region, `repository/${physical}`),
        repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${physical}`,
      });
      break;
    case "aws:ssm/parameter:Parameter":
      state.arn = arn("ssm", region, `parameter${physical}`);
      break;
    case "aws:codebuild/project:Project":
      state.arn = arn("codebuild", region, `project/${physical}`);
      break;
    case "aws:sns/topic:Topic":
      state.arn = arn("sns", region, physical);
      break;
    case "aws:wafv2/webAcl:WebAcl":
      state.arn = arn("wafv2", region, `global/webacl/${physical}/a1b2c3d4`);
      break;
    case "aws:kms/key:Key":
      Object.assign(state, { arn: arn("kms", region, `key/${id}`), keyId: id });
      break;
    case "aws:cloudwatch/logGroup:LogGroup":
      state.arn = arn("logs", region, `log-group:${physical}`);
      break;
    case "aws:backup/vault:Vault":
      state.arn = arn("backup", region, `backup-vault:${physical}`);
      break;
    case "aws:backup/plan:Plan":
      Object.assign(state, { arn: arn("backup", region, `backup-plan:${name}-id`), version: "1" });
      break;
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      state.arn = arn("iam", region, `oidc-provider/${String(inputs.url).replace(/^https:\/\//, "")}`, true);
      break;
    case "aws:iam/policy:Policy":
      state.arn = arn("iam", region, `policy${typeof inputs.path === "string" ? inputs.path : "/"}${physical}`, true);
      break;
    case "aws:iam/role:Role":
      // A role's ARN includes its path (`role/<path>/<name>`), as IAM returns it.
      state.arn = arn("iam", region, `role${typeof inputs.path === "string" ? inputs.path : "/"}${physical}`, true);
      break;
    case "aws:secretsmanager/secret:Secret":
      state.arn = arn("secretsmanager", region, `secret:${physical}-AbCdEf`);
      break;
    case "aws:rds/cluster:Cluster":
      Object.assign(state, {
        arn: arn("rds", region, `cluster:${inputs.clusterIdentifier}`),
        endpoint: `${inputs.clusterIdentifier}.cluster-c0ffee.${region}.rds.amazonaws.com`,
        readerEndpoint: `${inputs.clusterIdentifier}.cluster-ro-c0ffee.${region}.rds.amazonaws.com`,
        clusterResourceId: `cluster-MOCK${inputs.clusterIdentifier.length}ABCDEF`,
        port: 5432,
        masterUserSecrets: [
          {
            secretArn: arn("secretsmanager", region, `secret:rds!cluster-${inputs.clusterIdentifier}-XyZ123`),
            kmsKeyId: inputs.masterUserSecretKmsKeyId,
            secretStatus: "active",
          },
        ],
      });
      break;
    case "aws:elasticache/replicationGroup:ReplicationGroup":
      Object.assign(state, {
        arn: arn("elasticache", region, `replicationgroup:${inputs.replicationGroupId}`),
        primaryEndpointAddress: `master.${inputs.replicationGroupId}.abc123.euw1.cache.amazonaws.com`,
        readerEndpointAddress: `replica.${inputs.replicationGroupId}.abc123.euw1.cache.amazonaws.com`,
      });
      break;
    case "random:index/randomPassword:RandomPassword":
      state.result = `mock-${"x".repeat(Math.max(0, (inputs.length ?? 16) - 5))}`;
      break;
    case "aws:lb/loadBalancer:LoadBalancer":
      Object.assign(state, {
        arn: arn("elasticloadbalancing", region, `loadbalancer/app/${name}/50dc6c495c0c9188`),
        arnSuffix: `app/${name}/50dc6c495c0c9188`,
        dnsName: `${inputs.internal ? "internal-" : ""}${name}-1234567890.${region}.elb.amazonaws.com`,
        zoneId: "Z32O12XQLNTSW2",
      });
      break;
    case "aws:lb/listener:Listener":
      // ELB's listener ARN format (the partner API's integration must name a listener, not the load balancer).
      state.arn = arn("elasticloadbalancing", region, `listener/app/${name}/50dc6c495c0c9188/f2f7dc8efc522ab2`);
      break;
    case "aws:lb/targetGroup:TargetGroup":
      Object.assign(state, {
        arn: arn("elasticloadbalancing", region, `targetgroup/${name}/73e2d6bc24d8a067`),
        arnSuffix: `targetgroup/${name}/73e2d6bc24d8a067`,
      });
      break;
    default:
      state.arn = inputs.arn ?? arn(type.split(":")[1].split("/")[0], region, `${type.split(":")[2].toLowerCase()}/${physical}`);
  }
  return { id, state };
}

/** The marker Pulumi's wire format puts on secret values. */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Outputs providers declare secret, by resource type. */
const SECRET_OUTPUTS: Record<string, string[]> = {
  "random:index/randomPassword:RandomPassword": ["result", "bcryptHash"],
};

function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Replaces secret wrappers by their values; reports whether any were found. */
function unwrapSecrets(value: unknown): { value: unknown; secret: boolean } {
  if (isSecret(value)) return { value: unwrapSecrets(value.value).value, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(unwrapSecrets);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)] as const);
    return { value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])), secret: entries.some(([, v]) => v.secret) };
  }
  return { value, secret: false };
}

interface Captured {
  resource: pulumi.Resource;
  type: string;
  name: string;
  parent?: pulumi.Resource;
  ignoreChanges: string[];
  retainOnDelete: boolean;
  aliasParents: pulumi.Resource[];
}

/** `type::name` of a URN (`urn:pulumi:stack::project::parent$type::name`). */
function urnKey(urn: string): string {
  const parts = urn.split("::");
  const name = parts[parts.length - 1];
  const type = parts[parts.length - 2].split("$").pop();
  return `${type}::${name}`;
}

async function resolve(value: unknown): Promise<unknown> {
  if (value === undefined) return undefined;
  return new Promise((done) => pulumi.output(value).apply((v) => (done(v), v)));
}

/**
 * Runs `fn` with the SDK's debugging bookkeeping switched off, and puts it back afterwards. For
 * the benefit of diagnostics, the SDK (pinned: @pulumi/pulumi 3.276) records
 * - a stack trace for every promise it makes, and chains two more promises onto each to report
 *   the ones never settled when the process exits (`runtime/debuggable`);
 * - a stack trace of unlimited depth for every resource, the source position the engine shows.
 * Nothing here reads them, and they were about half of the plan's time beyond loading the SDK
 * (README, "Performance"). PLATFORM_STACK_TRACES=1 keeps them, to debug the program itself. Both
 * are SDK internals: should an SDK upgrade move them, the guards below leave them on (slower, not
 * broken), and a test checks that synthesis registers the same resources either way.
 */
async function withoutSdkBookkeeping(fn: () => Promise<void>): Promise<void> {
  if (process.env.PLATFORM_STACK_TRACES === "1") return fn();
  const debuggable: { debuggablePromise?: unknown } = require("@pulumi/pulumi/runtime/debuggable");
  const resourceClass = pulumi.Resource as unknown as { stackTrace?: unknown };
  const saved = {
    limit: Error.stackTraceLimit,
    prepare: Error.prepareStackTrace,
    promise: debuggable.debuggablePromise,
    resource: resourceClass.stackTrace,
  };
  Error.stackTraceLimit = 0;
  (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
  if (typeof saved.promise === "function") debuggable.debuggablePromise = <T>(promise: Promise<T>) => promise;
  if (typeof saved.resource === "function") resourceClass.stackTrace = () => [];
  try {
    await fn();
  } finally {
    Error.stackTraceLimit = saved.limit;
    Error.prepareStackTrace = saved.prepare;
    debuggable.debuggablePromise = saved.promise;
    resourceClass.stackTrace = saved.resource;
  }
}

/** Runs index.ts for one stack under mocks and returns what it registered. */
export async function synthesize(options: SynthOptions): Promise<SynthResult> {
  const projectDir = options.projectDir ?? PROJECT_DIR;
  const { project, config } = loadStackConfig(options.stack, options.configDir ?? projectDir, projectDir);
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value === undefined) delete config[key];
    else config[key] = toConfigString(value);
  }
  const region = config["aws:region"] ?? "eu-west-1";

  const registered = new Map<
    string,
    { id: string; inputs: Record<string, any>; secretInputs: string[]; state: Record<string, any>; custom: boolean; provider?: string; region: string }
  >();
  // What the provider would reject at create time, collected over the whole run (see provider/rules.ts).
  const violations: Violation[] = [];
  const checkResource = resourceChecker(options.rules?.resource ?? RESOURCE_RULES);
  const providerRegions = new Map<string, string>();
  const invokes: SynthResult["invokes"] = [];
  const runtime = pulumi.runtime as any;
  runtime._reset();
  await pulumi.runtime.setMocks(
    {
      newResource: (args: pulumi.runtime.MockResourceArgs) => {
        const provider = args.provider ? args.provider.split("::")[3] : undefined;
        const resourceRegion = (provider && providerRegions.get(provider)) || region;
        const inputs: Record<string, any> = {};
        const secretInputs: string[] = [];
        for (const [key, raw] of Object.entries<unknown>(args.inputs ?? {})) {
          const unwrapped = unwrapSecrets(raw);
          inputs[key] = unwrapped.value;
          if (unwrapped.secret) secretInputs.push(key);
        }
        if (args.type === "pulumi:providers:aws" && inputs.region) providerRegions.set(args.name, inputs.region);
        const result = mockState(args.type, args.name, inputs, resourceRegion);
        // The engine marks provider-declared secret outputs (e.g. a random password's result) as
        // secrets; mocks do not, so do it here or secrecy would not flow into dependent inputs.
        const returned = { ...result.state };
        for (const key of SECRET_OUTPUTS[args.type] ?? []) {
          if (key in returned) returned[key] = { [SIG_KEY]: SECRET_SIG, value: returned[key] };
        }
        violations.push(...checkResource({ type: args.type, name: args.name, inputs, region: resourceRegion }));
        registered.set(`${args.type}::${args.name}`, {
          id: result.id,
          inputs,
          secretInputs,
          state: result.state,
          custom: args.custom ?? true,
          provider,
          region: resourceRegion,
        });
        return { id: result.id, state: returned };
      },
      call: (args: pulumi.runtime.MockCallArgs) => {
        const callProvider = args.provider ? args.provider.split("::")[3] : undefined;
        invokes.push({ token: args.token, region: (callProvider && providerRegions.get(callProvider)) || region, inputs: args.inputs });
        switch (args.token) {
          case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/ci`, userId: "AIDAMOCK", id: MOCK_ACCOUNT_ID };
          case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
          case "aws:index/getRegion:getRegion":
            return { name: region, region, id: region };
          case "aws:route53/getZone:getZone":
            return { zoneId: "Z0MOCKZONE", id: "Z0MOCKZONE", name: args.inputs.name, privateZone: false };
          case "aws:ec2/getManagedPrefixList:getManagedPrefixList":
            return { id: MOCK_CLOUDFRONT_PREFIX_LIST, name: args.inputs.name, addressFamily: "IPv4", maxEntries: 55 };
          case "aws:kms/getAlias:getAlias":
            return {
              name: args.inputs.name,
              arn: `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:${args.inputs.name}`,
              targetKeyArn: mockAliasTargetKeyArn(region, String(args.inputs.name)),
              targetKeyId: `${String(args.inputs.name).replace(/^alias\//, "")}-key`,
              id: args.inputs.name,
            };
          case "aws:secretsmanager/getSecretVersion:getSecretVersion":
            // A replicated secret's value as the standby reads it in its own region.
            return {
              secretId: args.inputs.secretId,
              arn: `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:${args.inputs.secretId}-AbCdEf`,
              secretString: "mock-secret-value",
              versionId: "mock-version",
              id: args.inputs.secretId,
            };
          case "aws:ssm/getParameter:getParameter":
            // What a pipeline would have written after its last deploy: an image of the service's
            // own repository (`/<prefix>/<service>/image` -> `<prefix>/<service>`).
            return {
              name: args.inputs.name,
              type: "String",
              value: `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${String(args.inputs.name)
                .replace(/^\//, "")
                .replace(/\/image$/, "")}:0123456789ab`,
              id: args.inputs.name,
            };
          default:
            return {};
        }
      },
    },
    project,
    options.stack,
    false,
  );
  pulumi.runtime.setAllConfig(config);

  // Mocks hand newResource no dependency information; read it off the registration request, as
  // the engine would, so policies that follow property dependencies and ordering rules can be tested.
  const propertyDeps = new Map<string, Record<string, string[]>>();
  const allDeps = new Map<string, string[]>();
  const monitor = runtime.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: unknown) => {
    const deps: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((value: any, key: string) => {
      const urns: string[] = value.getUrnsList();
      if (urns.length > 0) deps[key] = urns.map(urnKey);
    });
    propertyDeps.set(`${req.getType()}::${req.getName()}`, deps);
    allDeps.set(`${req.getType()}::${req.getName()}`, [...new Set((req.getDependenciesList() as string[]).map(urnKey))]);
    return register(req, callback);
  };

  // Fresh copies of the program's modules for every stack: index.ts builds the stack as it loads.
  const programFiles = [path.join(projectDir, "index.ts"), ...PROGRAM_DIRS.map((d) => path.join(projectDir, d) + path.sep)];
  for (const file of Object.keys(require.cache)) {
    if (programFiles.some((p) => file === p || (p.endsWith(path.sep) && file.startsWith(p)))) delete require.cache[file];
  }

  const captured: Captured[] = [];
  const entry = path.join(projectDir, "index.ts");
  let exported: Record<string, unknown> | undefined;
  await withoutSdkBookkeeping(async () => {
    exported = await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((args) => {
        captured.push({
          resource: args.resource,
          type: args.type,
          name: args.name,
          parent: args.opts.parent,
          ignoreChanges: args.opts.ignoreChanges ?? [],
          retainOnDelete: args.opts.retainOnDelete === true,
          aliasParents: (args.opts.aliases ?? []).flatMap((a: any) => (a && typeof a === "object" && a.parent instanceof pulumi.Resource ? [a.parent] : [])),
        });
        return undefined;
      });
      return require(entry);
    });
    await runtime.waitForRPCs();
  });

  const keyOf = new Map<pulumi.Resource, string>(captured.map((c) => [c.resource, `${c.type}::${c.name}`]));
  const resources: SynthResource[] = captured.map((c) => {
    const key = `${c.type}::${c.name}`;
    const reg = registered.get(key);
    return {
      type: c.type,
      name: c.name,
      parent: c.parent ? keyOf.get(c.parent) : undefined,
      custom: reg?.custom ?? false,
      protect: (c.resource as any).__protect === true,
      retainOnDelete: c.retainOnDelete,
      aliasParents: c.aliasParents.flatMap((p) => (keyOf.has(p) ? [keyOf.get(p)!] : [])),
      ignoreChanges: c.ignoreChanges,
      id: reg?.id,
      propertyDependencies: propertyDeps.get(key) ?? {},
      dependencies: allDeps.get(key) ?? [],
      inputs: reg?.inputs ?? {},
      secretInputs: reg?.secretInputs ?? [],
      provider: reg?.provider,
      region: reg?.region ?? region,
      state: reg?.state ?? {},
    };
  });

  violations.push(...checkStackRules(options.rules?.stack ?? STACK_RULES, resources));
  if (violations.length > 0 && options.deployProblems !== "report") throw new DeployRuleError(options.stack, violations);

  const outputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(exported ?? {})) {
    if (name === "__esModule") continue;
    outputs[name] = await resolve(value);
  }
  return { project, stack: options.stack, resources, invokes, outputs, ...(options.deployProblems === "report" ? { deployProblems: violations } : {}) };
}
