import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import type { RetentionPolicy } from "../stacks/retention";
import type { PrometheusSettings } from "../stacks/settings";
import { AccountContext, policyDocument, PolicyDocument, PolicyStatement, RoleScope } from "./iam";

export interface MetricsWorkspaceArgs {
  /** Where its IAM role lives and what caps it (the stack's path and boundary). */
  roles: RoleScope;
  /** Physical name prefix, `<project>-<stack>`. */
  namePrefix: string;
  /** The Prometheus settings (Grafana and how people sign in to it). */
  settings: PrometheusSettings;
  /** The stack's key: the workspace's samples are encrypted with it. */
  kmsKeyArn: pulumi.Input<string>;
  /** The stack's retention policy (`protect` in prod: the workspace holds the metrics history). */
  retention: RetentionPolicy;
  /** Account context for the Grafana role's trust. */
  account: pulumi.Input<AccountContext>;
}

/** What every task's collector sends with: remote write to the stack's workspace only. */
export function remoteWriteStatement(workspaceArn: string): PolicyStatement {
  return { Sid: "WriteMetrics", Effect: "Allow", Action: "aps:RemoteWrite", Resource: workspaceArn };
}

/**
 * The remote-write URL of a workspace, built from its region and id rather than from
 * `prometheusEndpoint`, whose trailing `api/v1/` AWS's examples and real outputs disagree on.
 */
export function remoteWriteUrl(region: string, workspaceId: string): string {
  return `https://aps-workspaces.${region}.amazonaws.com/workspaces/${workspaceId}/api/v1/remote_write`;
}

/**
 * The collector's configuration (AWS Distro for OpenTelemetry): scrape the task's own metrics
 * endpoint on localhost every `intervalSeconds`, and remote-write the samples to the workspace,
 * signed with the task role (SigV4, service `aps`). `job` is the service's name. Every task's
 * collector scrapes `localhost`, so the series would be identical across a service's tasks (and
 * collide in the workspace): the ECS resource detector adds the task's ARN, which the exporter turns
 * into a label (`aws_ecs_task_arn`), so each task writes its own series. Batched, as AMP advises.
 */
export function collectorConfig(input: {
  service: string;
  port: number;
  path: string;
  intervalSeconds: number;
  remoteWriteUrl: string;
  region: string;
}): string {
  return yaml.dump(
    {
      extensions: { sigv4auth: { region: input.region, service: "aps" } },
      receivers: {
        prometheus: {
          config: {
            global: { scrape_interval: `${input.intervalSeconds}s`, scrape_timeout: `${Math.max(1, Math.min(10, input.intervalSeconds - 1))}s` },
            scrape_configs: [{ job_name: input.service, metrics_path: input.path, static_configs: [{ targets: [`localhost:${input.port}`] }] }],
          },
        },
      },
      processors: { resourcedetection: { detectors: ["env", "ecs"], timeout: "5s", override: false }, batch: { timeout: "10s" } },
      exporters: {
        prometheusremotewrite: {
          endpoint: input.remoteWriteUrl,
          auth: { authenticator: "sigv4auth" },
          resource_to_telemetry_conversion: { enabled: true },
        },
      },
      service: {
        extensions: ["sigv4auth"],
        pipelines: { metrics: { receivers: ["prometheus"], processors: ["resourcedetection", "batch"], exporters: ["prometheusremotewrite"] } },
      },
    },
    { lineWidth: -1, sortKeys: false },
  );
}

/** Grafana's role may be assumed by Grafana for this account's workspaces only (a wildcard ARN: the exact one would be a cycle). */
export function grafanaTrustPolicy(account: AccountContext): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: "grafana.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": account.accountId },
        StringLike: { "aws:SourceArn": `arn:${account.partition}:grafana:${account.region}:${account.accountId}:/workspaces/*` },
      },
    },
  ]);
}

/** What Grafana reads: the stack's Prometheus workspace (queries, series, labels) and CloudWatch metrics. */
export function grafanaStatements(workspaceArn: string): PolicyStatement[] {
  return [
    {
      Sid: "QueryPrometheus",
      Effect: "Allow",
      Action: ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata", "aps:DescribeWorkspace"],
      Resource: workspaceArn,
    },
    // These reads have no resource-level permissions.
    { Sid: "FindWorkspaces", Effect: "Allow", Action: "aps:ListWorkspaces", Resource: "*" },
    { Sid: "ReadCloudWatchMetrics", Effect: "Allow", Action: ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"], Resource: "*" },
  ];
}

/**
 * Amazon Managed Service for Prometheus (a workspace encrypted with the stack's key; services
 * remote-write to it through their collectors) and, with `grafana`, an Amazon Managed Grafana
 * workspace over it and CloudWatch, with its own role (customer-managed permissions).
 */
export class MetricsWorkspace extends pulumi.ComponentResource {
  /** The Prometheus workspace's ARN (the collectors' remote-write grant). */
  public readonly workspaceArn: pulumi.Output<string>;
  /** Where the collectors send samples. */
  public readonly remoteWriteUrl: pulumi.Output<string>;
  /** The Grafana workspace's URL (`https://<id>.grafana-workspace.<region>.amazonaws.com`); none without Grafana. */
  public readonly grafanaUrl?: pulumi.Output<string>;

  constructor(name: string, args: MetricsWorkspaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:MetricsWorkspace", name, {}, opts);
    const account = pulumi.output(args.account);
    const workspace = new aws.amp.Workspace(
      `${name}-prometheus`,
      { alias: args.namePrefix, kmsKeyArn: args.kmsKeyArn },
      { parent: this, protect: args.retention.protect },
    );
    this.workspaceArn = workspace.arn;
    this.remoteWriteUrl = pulumi.all([account, workspace.id]).apply(([a, id]) => remoteWriteUrl(a.region, id));

    if (args.settings.grafana) {
      const role = new aws.iam.Role(
        `${name}-grafana`,
        {
          description: `Amazon Managed Grafana of ${args.namePrefix}`,
          ...args.roles,
          assumeRolePolicy: account.apply((a) => JSON.stringify(grafanaTrustPolicy(a))),
        },
        { parent: this },
      );
      const policy = new aws.iam.RolePolicy(
        `${name}-grafana`,
        { role: role.id, policy: workspace.arn.apply((arn) => JSON.stringify(policyDocument(grafanaStatements(arn)))) },
        { parent: this },
      );
      const grafana = new aws.grafana.Workspace(
        `${name}-grafana`,
        {
          name: args.namePrefix,
          description: `Dashboards of ${args.namePrefix} (Prometheus and CloudWatch)`,
          accountAccessType: "CURRENT_ACCOUNT",
          authenticationProviders: [args.settings.grafanaAuthentication],
          permissionType: "CUSTOMER_MANAGED",
          roleArn: role.arn,
          dataSources: ["PROMETHEUS", "CLOUDWATCH"],
        },
        { parent: this, dependsOn: [policy], protect: args.retention.protect },
      );
      this.grafanaUrl = pulumi.interpolate`https://${grafana.endpoint}`;
    }
    this.registerOutputs({ workspaceArn: this.workspaceArn, remoteWriteUrl: this.remoteWriteUrl, grafanaUrl: this.grafanaUrl });
  }
}
