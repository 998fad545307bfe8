import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComputeSettings, ServiceSettings } from "../stacks/settings";
import { AccessGrant, executionRoleStatements } from "./access";
import { AccountContext, policyDocument, PolicyStatement, serviceTrustPolicy, RoleScope } from "./iam";
import { collectorConfig, remoteWriteStatement } from "./metrics-workspace";
import type { ClusterRef, ImageRepositoryRef, NetworkRef, ServiceRef } from "./references";
import { calleeVariable, CallPlan } from "./service-calls";

/** Where a routed service attaches on the load balancer. */
export interface ServiceRoute {
  /** ARN of the listener the path rule is added to. */
  listenerArn: pulumi.Input<string>;
  /** `app/<name>/<id>` suffix of the load balancer, for request-count scaling. */
  loadBalancerArnSuffix: pulumi.Input<string>;
  /** Security group of the load balancer; only it may reach the container port. */
  loadBalancerSecurityGroupId: pulumi.Input<string>;
  /** Extra conditions every rule of this listener needs (e.g. an origin-secret header). */
  extraConditions?: pulumi.Input<aws.types.input.lb.ListenerRuleCondition>[];
  /** Cognito settings for services that require sign-in (ALB authenticate-cognito action). */
  authentication?: aws.types.input.lb.ListenerRuleActionAuthenticateCognito;
}

export interface FargateServiceArgs {
  /** Where its IAM roles live and what caps them (the stack's path and boundary; see `roleScope`). */
  roles: RoleScope;
  /** Physical name prefix, `<project>-<stack>`. */
  namePrefix: string;
  /** The service's validated settings from config. */
  service: ServiceSettings;
  /** Autoscaling targets shared by all services. */
  scaling: Pick<ComputeSettings, "cpuTargetPercent" | "memoryTargetPercent">;
  /** The cluster the service runs on, with its capacity providers. */
  cluster: ClusterRef;
  /** The VPC of the tasks and target group; tasks run in its private subnets, never with a public IP. */
  network: Pick<NetworkRef, "vpcId" | "privateSubnetIds">;
  /** Account context for ARNs in the execution role policy. */
  account: pulumi.Input<AccountContext>;
  /** KMS key that encrypts the service's log group. */
  kmsKeyArn: pulumi.Input<string>;
  /** Log retention in days. */
  logRetentionDays: number;
  /** What the service was granted (from its `access` declaration). */
  grants: AccessGrant[];
  /** The ALB attachment; required when the service has a pathPrefix, absent for workers. */
  route?: ServiceRoute;
  /** Run the AWS X-Ray daemon as a sidecar and let the task send traces. */
  tracing: boolean;
  /** The service's image repository, for pipeline-managed services: it runs what the pipeline last deployed, not the image in config. */
  repository?: Pick<ImageRepositoryRef, "deployedImage">;
  /**
   * Its private calls (ECS Service Connect, from `calls`): the services it calls, reached at
   * `SERVICE_<NAME>_URL`, and those that call it, for which it registers as a server. The network
   * rules are `ServiceCalls`'. Default: none.
   */
  calls?: CallPlan;
  /**
   * What its ECS service starts after: the services it calls (Service Connect clients resolve only
   * the endpoints that existed when their tasks started). Default: none.
   */
  startAfter?: pulumi.Resource[];
  /**
   * Partner API routes below its prefix (ALB path patterns), forwarded when they come from inside
   * the VPC (the API's VPC link) rather than with CloudFront's header. Default: none.
   */
  partner?: { patterns: string[]; sourceCidr: string; priority: number };
  /**
   * Prometheus metrics: an ADOT collector next to the app scrapes its metrics endpoint and
   * remote-writes to this workspace, with the task role. Default: none.
   */
  metrics?: MetricsCollection<pulumi.Input<string>>;
}

/** Where a service's Prometheus metrics go and how they are collected. */
export interface MetricsCollection<T> {
  workspaceArn: T;
  remoteWriteUrl: T;
  /** Metrics path on the container port. */
  path: string;
  intervalSeconds: number;
  /** The collector image, pinned. */
  image: string;
}

/** X-Ray daemon image (AWS public ECR), pinned. */
export const XRAY_DAEMON_IMAGE = "public.ecr.aws/xray/aws-xray-daemon:3.3.14";

/**
 * X-Ray's write actions have no resource-level permissions, so they are the documented case of
 * Resource "*"; they only let the task send segments and read sampling rules.
 */
export function tracingStatement(): PolicyStatement {
  return {
    Sid: "SendTraces",
    Effect: "Allow",
    Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"],
    Resource: "*",
  };
}

export interface ContainerDefinitionInput {
  name: string;
  image: string;
  port: number;
  region: string;
  logGroupName: string;
  environment: Record<string, string>;
  secrets: Record<string, string>;
  /** Add the X-Ray daemon sidecar and point the SDK at it. */
  tracing: boolean;
  /** Task volumes to mount in the app container. */
  mounts?: { sourceVolume: string; containerPath: string }[];
  /** Add the ADOT collector sidecar scraping the app's metrics endpoint. */
  metrics?: Omit<MetricsCollection<string>, "workspaceArn">;
}

/** The name of a service's port mapping, which Service Connect refers to. */
export const portName = (service: string) => `${service}-http`;

/** Service Connect's per-request timeout for calls to a service, in seconds (Envoy's default is 15). */
export const CALL_TIMEOUT_SECONDS = 15;

/**
 * The ECS service's Service Connect configuration: none without calls; a client (only the
 * namespace) for a caller; a server (its port under its own name, `http://<name>:<port>`) for a
 * callee; the proxy's logs in the service's log group.
 */
export function serviceConnectConfiguration(
  svc: { name: string; port: number },
  calls: CallPlan | undefined,
  namespaceArn: pulumi.Input<string> | undefined,
  logs: { group: pulumi.Input<string>; region: pulumi.Input<string> },
): aws.types.input.ecs.ServiceServiceConnectConfiguration | undefined {
  if (!calls || (calls.callees.length === 0 && calls.callers.length === 0)) return undefined;
  if (!namespaceArn) throw new Error(`service "${svc.name}" takes part in calls, but its cluster has no Service Connect namespace`);
  return {
    enabled: true,
    namespace: namespaceArn,
    services:
      calls.callers.length > 0
        ? [
            {
              portName: portName(svc.name),
              discoveryName: svc.name,
              clientAlias: [{ port: svc.port, dnsName: svc.name }],
              timeout: { perRequestTimeoutSeconds: CALL_TIMEOUT_SECONDS },
            },
          ]
        : undefined,
    logConfiguration: {
      logDriver: "awslogs",
      options: pulumi.output(logs).apply((l) => ({ "awslogs-group": l.group, "awslogs-region": l.region, "awslogs-stream-prefix": "service-connect" })),
    },
  };
}

/** The task's single container: plain variables in `environment`, credentials only in `secrets`. */
export function containerDefinitions(input: ContainerDefinitionInput): object[] {
  const sorted = (record: Record<string, string>) => Object.keys(record).sort();
  const logs = (prefix: string) => ({
    logDriver: "awslogs",
    options: { "awslogs-group": input.logGroupName, "awslogs-region": input.region, "awslogs-stream-prefix": prefix },
  });
  const environment = input.tracing ? { ...input.environment, AWS_XRAY_DAEMON_ADDRESS: "localhost:2000" } : input.environment;
  const app = {
    name: input.name,
    image: input.image,
    essential: true,
    // appProtocol: Service Connect's HTTP metrics and per-request timeouts need it, and it cannot
    // change once a service serves through Service Connect, so every service declares it from the start.
    portMappings: [{ containerPort: input.port, protocol: "tcp", name: portName(input.name), appProtocol: "http" }],
    environment: sorted(environment).map((name) => ({ name, value: environment[name] })),
    secrets: sorted(input.secrets).map((name) => ({ name, valueFrom: input.secrets[name] })),
    logConfiguration: logs(input.name),
    mountPoints: (input.mounts ?? []).map((m) => ({ ...m, readOnly: false })),
    linuxParameters: { initProcessEnabled: true },
    stopTimeout: 30,
  };
  const xray = {
    name: "xray-daemon",
    image: XRAY_DAEMON_IMAGE,
    essential: false,
    cpu: 32,
    memoryReservation: 64,
    portMappings: [{ containerPort: 2000, protocol: "udp" }],
    logConfiguration: logs("xray"),
  };
  const m = input.metrics;
  // Not essential: a collector that stops loses metrics, never requests.
  const collector = m && {
    name: "metrics-collector",
    image: m.image,
    essential: false,
    cpu: 64,
    memoryReservation: 128,
    environment: [
      {
        name: "AOT_CONFIG_CONTENT",
        value: collectorConfig({
          service: input.name,
          port: input.port,
          path: m.path,
          intervalSeconds: m.intervalSeconds,
          remoteWriteUrl: m.remoteWriteUrl,
          region: input.region,
        }),
      },
    ],
    logConfiguration: logs("metrics"),
  };
  return [app, ...(input.tracing ? [xray] : []), ...(collector ? [collector] : [])];
}

export interface ScalingPolicySpec {
  /** Suffix of the policy's resource name. */
  name: "cpu" | "memory" | "requests" | "backlog";
  /** A predefined metric, or `QueueBacklogPerTask` (visible messages / running tasks, metric math). */
  metric: "ECSServiceAverageCPUUtilization" | "ECSServiceAverageMemoryUtilization" | "ALBRequestCountPerTarget" | "QueueBacklogPerTask";
  target: number;
}

/**
 * Target-tracking policies for a service: CPU and memory always; requests per target for routed
 * services (the earliest signal of a read burst); backlog per task for queue consumers.
 */
export function scalingPolicies(service: ServiceSettings, scaling: FargateServiceArgs["scaling"], consumesQueue = false): ScalingPolicySpec[] {
  const policies: ScalingPolicySpec[] = [
    { name: "cpu", metric: "ECSServiceAverageCPUUtilization", target: scaling.cpuTargetPercent },
    { name: "memory", metric: "ECSServiceAverageMemoryUtilization", target: scaling.memoryTargetPercent },
  ];
  if (service.pathPrefix) policies.push({ name: "requests", metric: "ALBRequestCountPerTarget", target: service.requestsPerTarget });
  if (consumesQueue) policies.push({ name: "backlog", metric: "QueueBacklogPerTask", target: service.queueBacklogPerTask });
  return policies;
}

/**
 * Backlog per task as a metric-math target: visible messages divided by running tasks. Target
 * tracking on this keeps each task's share of the queue near the target, scaling out on a burst
 * and back in as the queue drains (AWS's recommended pattern for queue workers).
 */
export function backlogPerTaskMetric(queueName: pulumi.Input<string>, clusterName: pulumi.Input<string>, serviceName: pulumi.Input<string>) {
  return {
    metrics: [
      {
        id: "visible",
        returnData: false,
        metricStat: {
          stat: "Sum",
          metric: { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: [{ name: "QueueName", value: queueName }] },
        },
      },
      {
        id: "tasks",
        returnData: false,
        metricStat: {
          stat: "Average",
          metric: {
            namespace: "ECS/ContainerInsights",
            metricName: "RunningTaskCount",
            dimensions: [
              { name: "ClusterName", value: clusterName },
              { name: "ServiceName", value: serviceName },
            ],
          },
        },
      },
      { id: "backlogPerTask", label: "visible messages per running task", expression: "visible / tasks", returnData: true },
    ],
  };
}

/** ALB path patterns for a prefix: the prefix itself and everything below it. */
export function pathPatterns(prefix: string): string[] {
  return [prefix, `${prefix}/*`];
}

/**
 * One microservice on ECS Fargate: its own security group, task and execution roles, encrypted
 * log group, task definition, service (private subnets, no public IP, circuit breaker with
 * rollback, rolling deploys that never drop below the desired count), optional ALB target group
 * and path rule, and target-tracking autoscaling between minTasks and maxTasks. Network access and
 * permissions come only from `grants`.
 */
export class FargateService extends pulumi.ComponentResource implements ServiceRef {
  /** ECS service name. */
  public readonly serviceName: pulumi.Output<string>;
  /** The service's security group id. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** Task role ARN (application permissions). */
  public readonly taskRoleArn: pulumi.Output<string>;
  /** Execution role ARN (image pull, logs, secret injection). */
  public readonly executionRoleArn: pulumi.Output<string>;
  /** Log group name. */
  public readonly logGroupName: pulumi.Output<string>;
  /** Target group ARN suffix (routed services), for alarms and dashboards. */
  public readonly targetGroupArnSuffix?: pulumi.Output<string>;
  /** Task-definition family (`<prefix>-<name>`): a pipeline registers new revisions of it. */
  public readonly taskFamily: string;

  constructor(name: string, args: FargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:FargateService", name, {}, opts);
    const svc = args.service;
    const account = pulumi.output(args.account);
    if (svc.pathPrefix && !args.route) throw new Error(`service "${svc.name}" has pathPrefix ${svc.pathPrefix} but no route was passed`);
    if (!svc.pathPrefix && args.route) throw new Error(`service "${svc.name}" is a worker (no pathPrefix) but a route was passed`);
    if (svc.requireSignIn && !args.route?.authentication) throw new Error(`service "${svc.name}" requires sign-in but its route has no Cognito authentication`);

    // Network: a group of its own; ingress from the load balancer only; egress to HTTPS (AWS
    // APIs, image registries) and to exactly the granted targets.
    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.network.vpcId, description: `ECS service ${svc.name} (${args.namePrefix})` },
      { parent: this },
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-egress-https`,
      { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS to AWS APIs and registries" },
      { parent: this },
    );
    if (args.route) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-from-alb`,
        {
          securityGroupId: sg.id,
          referencedSecurityGroupId: args.route.loadBalancerSecurityGroupId,
          ipProtocol: "tcp",
          fromPort: svc.port,
          toPort: svc.port,
          description: `load balancer to ${svc.name}`,
        },
        { parent: this },
      );
    }
    for (const grant of args.grants) {
      if (!grant.ingress) continue;
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-to-${grant.target}`,
        {
          securityGroupId: grant.ingress.securityGroupId,
          referencedSecurityGroupId: sg.id,
          ipProtocol: "tcp",
          fromPort: grant.ingress.port,
          toPort: grant.ingress.port,
          description: `${svc.name} to ${grant.target}`,
        },
        { parent: this },
      );
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-egress-${grant.target}`,
        {
          securityGroupId: sg.id,
          referencedSecurityGroupId: grant.ingress.securityGroupId,
          ipProtocol: "tcp",
          fromPort: grant.ingress.port,
          toPort: grant.ingress.port,
          description: `${svc.name} to ${grant.target}`,
        },
        { parent: this },
      );
    }

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/ecs/${args.namePrefix}/${svc.name}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn },
      { parent: this },
    );

    // Roles: execution role for ECS (pull, logs, secrets), task role for the app (grants only).
    const image = pulumi.output(args.repository?.deployedImage ?? svc.image);
    const trust = account.apply((a) => JSON.stringify(serviceTrustPolicy("ecs-tasks.amazonaws.com", a.accountId)));
    const executionRole = new aws.iam.Role(
      `${name}-execution`,
      { description: `ECS execution role of ${svc.name} (${args.namePrefix})`, assumeRolePolicy: trust, ...args.roles },
      { parent: this },
    );
    const executionPolicy = new aws.iam.RolePolicy(
      `${name}-execution`,
      {
        role: executionRole.id,
        policy: pulumi
          .all([account, logGroup.arn, args.grants.flatMap((g) => g.secretArns), args.grants.flatMap((g) => g.kmsKeyArns), image])
          .apply(([a, logGroupArn, secretArns, kmsKeyArns, img]) =>
            JSON.stringify(policyDocument(executionRoleStatements({ account: a, logGroupArn, secretArns, kmsKeyArns, image: img }))),
          ),
      },
      { parent: this },
    );
    const taskRole = new aws.iam.Role(
      `${name}-task`,
      { description: `ECS task role of ${svc.name} (${args.namePrefix})`, assumeRolePolicy: trust, ...args.roles },
      { parent: this },
    );
    const taskStatements = [
      ...args.grants.flatMap((g) => g.taskStatements),
      ...(args.tracing ? [tracingStatement()] : []),
      ...(args.metrics ? [pulumi.output(args.metrics.workspaceArn).apply(remoteWriteStatement)] : []),
    ];
    const taskPolicy =
      taskStatements.length > 0
        ? new aws.iam.RolePolicy(
            `${name}-task`,
            { role: taskRole.id, policy: pulumi.all(taskStatements).apply((statements) => JSON.stringify(policyDocument(statements))) },
            { parent: this },
          )
        : undefined;

    const volumes = args.grants.flatMap((g) => g.volumes ?? []);
    const taskFamily = `${args.namePrefix}-${svc.name}`;
    const environment = pulumi.all(args.grants.map((g) => pulumi.all(g.environment)));
    const secrets = pulumi.all(args.grants.map((g) => pulumi.all(g.secrets)));
    const taskDefinition = new aws.ecs.TaskDefinition(
      `${name}-task`,
      {
        family: taskFamily,
        cpu: String(svc.cpu),
        memory: String(svc.memory),
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
        executionRoleArn: executionRole.arn,
        taskRoleArn: taskRole.arn,
        volumes: volumes.map((v) => ({
          name: v.name,
          efsVolumeConfiguration: {
            fileSystemId: v.fileSystemId,
            transitEncryption: "ENABLED",
            authorizationConfig: { accessPointId: v.accessPointId, iam: "ENABLED" },
          },
        })),
        containerDefinitions: pulumi
          .all([account, logGroup.name, environment, secrets, image, args.metrics?.remoteWriteUrl])
          .apply(([a, logGroupName, envs, secs, image, writeUrl]) =>
            JSON.stringify(
              containerDefinitions({
                name: svc.name,
                image,
                port: svc.port,
                region: a.region,
                logGroupName,
                environment: Object.assign(
                  { PORT: String(svc.port) },
                  Object.fromEntries((args.calls?.callees ?? []).map(calleeVariable)),
                  svc.environment,
                  ...envs,
                ),
                secrets: Object.assign({}, ...secs),
                tracing: args.tracing,
                mounts: volumes.map((v) => ({ sourceVolume: v.name, containerPath: v.containerPath })),
                metrics: args.metrics && {
                  remoteWriteUrl: writeUrl!,
                  path: args.metrics.path,
                  intervalSeconds: args.metrics.intervalSeconds,
                  image: args.metrics.image,
                },
              }),
            ),
          ),
      },
      // Tasks start as soon as the service exists: their roles must hold their permissions by then,
      // and what a grant needs in place (EFS mount targets) must exist.
      { parent: this, dependsOn: [executionPolicy, ...(taskPolicy ? [taskPolicy] : []), ...args.grants.flatMap((g) => g.dependencies ?? [])] },
    );

    let loadBalancers: aws.types.input.ecs.ServiceLoadBalancer[] | undefined;
    let dependsOn: pulumi.Resource[] = [];
    let resourceLabel: pulumi.Output<string> | undefined;
    if (args.route && svc.pathPrefix) {
      const targetGroup = new aws.lb.TargetGroup(
        `${name}-tg`,
        {
          vpcId: args.network.vpcId,
          targetType: "ip",
          protocol: "HTTP",
          port: svc.port,
          deregistrationDelay: 30,
          loadBalancingAlgorithmType: svc.loadBalancingAlgorithm,
          healthCheck: {
            path: svc.healthCheckPath,
            matcher: "200-399",
            interval: 15,
            timeout: 5,
            healthyThreshold: 2,
            unhealthyThreshold: 3,
          },
        },
        { parent: this },
      );
      const rule = new aws.lb.ListenerRule(
        `${name}-rule`,
        {
          listenerArn: args.route.listenerArn,
          priority: svc.listenerPriority,
          actions: [
            ...(svc.requireSignIn ? [{ type: "authenticate-cognito", order: 1, authenticateCognito: args.route.authentication }] : []),
            { type: "forward", order: svc.requireSignIn ? 2 : 1, targetGroupArn: targetGroup.arn },
          ],
          conditions: [{ pathPattern: { values: pathPatterns(svc.pathPrefix) } }, ...(args.route.extraConditions ?? [])],
        },
        { parent: this },
      );
      const partner = args.partner && args.partner.patterns.length > 0 ? args.partner : undefined;
      const partnerRule = partner
        ? new aws.lb.ListenerRule(
            `${name}-partner-rule`,
            {
              listenerArn: args.route.listenerArn,
              priority: partner.priority,
              // The partner API's JWT authorizer has checked the caller; only the VPC (its VPC link) sends from inside.
              actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
              conditions: [{ pathPattern: { values: partner.patterns } }, { sourceIp: { values: [partner.sourceCidr] } }],
            },
            { parent: this },
          )
        : undefined;
      loadBalancers = [{ targetGroupArn: targetGroup.arn, containerName: svc.name, containerPort: svc.port }];
      dependsOn = [rule, ...(partnerRule ? [partnerRule] : [])];
      resourceLabel = pulumi.interpolate`${args.route.loadBalancerArnSuffix}/${targetGroup.arnSuffix}`;
      this.targetGroupArnSuffix = targetGroup.arnSuffix;
    }

    const service = new aws.ecs.Service(
      `${name}-service`,
      {
        cluster: args.cluster.arn,
        taskDefinition: taskDefinition.arn,
        desiredCount: svc.minTasks,
        capacityProviderStrategies: args.cluster.capacityProviderStrategy,
        platformVersion: "LATEST",
        networkConfiguration: { subnets: args.network.privateSubnetIds, securityGroups: [sg.id], assignPublicIp: false },
        loadBalancers,
        serviceConnectConfiguration: serviceConnectConfiguration(svc, args.calls, args.cluster.serviceConnectNamespaceArn, {
          group: logGroup.name,
          region: account.apply((a) => a.region),
        }),
        healthCheckGracePeriodSeconds: loadBalancers ? 60 : undefined,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        availabilityZoneRebalancing: "ENABLED",
        enableEcsManagedTags: true,
        propagateTags: "SERVICE",
        enableExecuteCommand: false,
        // Which service this is, on the service and (propagated) on every task: for cost allocation,
        // and the tools' way to find a service's resources without relying on names.
        tags: { Service: svc.name },
      },
      // Autoscaling owns the running count after creation.
      { parent: this, dependsOn: [...dependsOn, ...(args.startAfter ?? [])], ignoreChanges: ["desiredCount"] },
    );

    const target = new aws.appautoscaling.Target(
      `${name}-scaling`,
      {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${args.cluster.name}/${service.name}`,
        minCapacity: svc.minTasks,
        maxCapacity: svc.maxTasks,
      },
      { parent: this },
    );
    const consumed = args.grants.find((g) => g.consumesQueueName !== undefined)?.consumesQueueName;
    for (const policy of scalingPolicies(svc, args.scaling, consumed !== undefined)) {
      new aws.appautoscaling.Policy(
        `${name}-scale-${policy.name}`,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          targetTrackingScalingPolicyConfiguration: {
            targetValue: policy.target,
            scaleOutCooldown: 60,
            scaleInCooldown: 300,
            ...(policy.metric === "QueueBacklogPerTask"
              ? { customizedMetricSpecification: backlogPerTaskMetric(consumed!, args.cluster.name, service.name) }
              : {
                  predefinedMetricSpecification: {
                    predefinedMetricType: policy.metric,
                    resourceLabel: policy.metric === "ALBRequestCountPerTarget" ? resourceLabel : undefined,
                  },
                }),
          },
        },
        { parent: this },
      );
    }

    this.serviceName = service.name;
    this.taskFamily = taskFamily;
    this.securityGroupId = sg.id;
    this.taskRoleArn = taskRole.arn;
    this.executionRoleArn = executionRole.arn;
    this.logGroupName = logGroup.name;
    this.registerOutputs({
      serviceName: this.serviceName,
      securityGroupId: this.securityGroupId,
      taskRoleArn: this.taskRoleArn,
      executionRoleArn: this.executionRoleArn,
      logGroupName: this.logGroupName,
      targetGroupArnSuffix: this.targetGroupArnSuffix,
    });
  }
}
