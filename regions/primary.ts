/**
 * The primary region of a stack: the whole platform, read top to bottom like the request path in
 * README.md: security -> network -> data -> messaging -> sign-in -> compute -> edge -> services ->
 * observability -> disaster recovery -> delivery -> exports. With a DR region it also owns every
 * copy of its data kept there (see docs/disaster-recovery.md). Every decision lives in stacks/
 * (config) or components/ (resources); this file only wires.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountGuardrails } from "../components/account-guardrails";
import { AuroraCluster } from "../components/aurora-cluster";
import { CrossRegionBackup } from "../components/cross-region-backup";
import { EdgeLayer } from "../components/edge-layer";
import { EncryptionKey } from "../components/encryption-key";
import { currentAccount, roleScope } from "../components/iam";
import { grafanaDashboard } from "../components/grafana-dashboard";
import { Observability } from "../components/observability";
import type { ObservedStack } from "../components/observability-config";
import { ImagePipeline } from "../components/image-pipeline";
import { MailSender } from "../components/mail-sender";
import { PartnerApi } from "../components/partner-api";
import { RedisCache } from "../components/redis-cache";
import { SmsSender } from "../components/sms-sender";
import { DeliveryPipeline } from "../components/delivery-pipeline";
import { DynamoTable } from "../components/dynamo-table";
import { ImageReplication } from "../components/image-replication";
import { ImageRepository } from "../components/image-repository";
import { MessageQueue } from "../components/message-queue";
import { RecoveryRegion } from "../components/recovery-region";
import { MetricsWorkspace } from "../components/metrics-workspace";
import { SyntheticChecks } from "../components/synthetic-checks";
import { UserDirectory } from "../components/user-directory";
import { apiRoutes, keyUsers, Settings } from "../stacks";
import { canaryChecks } from "../stacks/sections/synthetics";
import {
  computeCluster,
  network as stackNetwork,
  observedWorkloads,
  queueFunctions,
  schedules as scheduled,
  services as workloads,
  sharedFileSystem,
} from "./workloads";

export function primaryRegion(settings: Settings) {
  const account = currentAccount(settings.region);
  const { namePrefix, logRetentionDays, retention } = settings;
  // Every IAM role goes under the stack's path, capped by the bootstrap's boundary (bootstrap/).
  const roles = roleScope(settings.iam, namePrefix, account);

  // Regions: CloudFront's certificate, the web ACL, edge metrics and their alarms live in us-east-1.
  const usEast1 = new aws.Provider("us-east-1", { region: "us-east-1", defaultTags: { tags: settings.tags } });

  // Security: customer-managed keys for the data tier, secrets, logs and topics (one per region used).
  const keyOptions = { namePrefix, retention };
  const keyUse = keyUsers(settings);
  const key = new EncryptionKey("platform", { ...keyOptions, purpose: "data", protects: "data tier, secrets and logs", account, usedBy: keyUse.data });
  const globalKey = new EncryptionKey(
    "global",
    {
      ...keyOptions,
      purpose: "edge",
      protects: "edge logs and the global alert topic in us-east-1",
      account: account.apply((a) => ({ ...a, region: "us-east-1" })),
      usedBy: keyUse.edge,
    },
    { providers: [usEast1] },
  );

  // Disaster recovery (1/2): the DR region, its provider and key, where copies of the data are kept.
  const dr = settings.disasterRecovery;
  const recovery = dr.enabled ? new RecoveryRegion("dr", { namePrefix, region: dr.region, account, retention, tags: settings.tags }) : undefined;

  // Network: VPC with public / private / isolated subnets, NAT, endpoints, flow logs.
  const network = stackNetwork(settings, { roles, account, kmsKeyArn: key.arn });

  // Edge: Route 53 -> CloudFront (+ WAF) -> the public ALB, locked to CloudFront.
  const edge = new EdgeLayer("edge", {
    roles,
    namePrefix,
    region: settings.region,
    recovery,
    domain: settings.domain,
    settings: settings.edge,
    apiRoutes: apiRoutes(settings.services),
    retention,
    globalProvider: usEast1,
    globalKmsKeyArn: globalKey.arn,
    network,
    kmsKeyArn: key.arn,
    account,
    logRetentionDays,
  });

  // Data: Aurora PostgreSQL and the Valkey/Redis cache in the isolated subnets.
  const dataPlacement = {
    namePrefix,
    retention,
    vpcId: network.vpcId,
    subnetIds: network.isolatedSubnetIds,
    availabilityZones: settings.availabilityZones,
    kmsKeyArn: key.arn,
    logRetentionDays,
  };
  const database = settings.database.enabled ? new AuroraCluster("database", { ...dataPlacement, settings: settings.database, account, recovery }) : undefined;
  const cache = settings.cache.enabled ? new RedisCache("cache", { ...dataPlacement, settings: settings.cache, recovery }) : undefined;
  const tables = Object.fromEntries(
    settings.tables.map((t) => [
      t.name,
      new DynamoTable(`table-${t.name}`, { namePrefix, settings: t, kmsKeyArn: key.arn, retention, region: settings.region, recovery }),
    ]),
  );
  const fileSystem = sharedFileSystem(settings, network, key.arn);

  // Uploads: a private bucket whose new objects are announced on a queue; thumbnails go where CloudFront serves them.
  const images = settings.images.enabled
    ? new ImagePipeline("images", { settings: settings.images, retention, thumbnailBucket: { name: edge.staticBucketName, arn: edge.staticBucketArn } })
    : undefined;

  // Messaging: queues with dead-letter queues, and the Lambda functions that consume some of them.
  const queues = Object.fromEntries(
    settings.queues.map((q) => [
      q.name,
      new MessageQueue(`queue-${q.name}`, {
        namePrefix,
        settings: q,
        kmsKeyArn: key.arn,
        region: settings.region,
        notifiedBy: images && q.name === settings.images.queue ? { bucketArn: images.uploadsBucketArn, accountId: account.accountId } : undefined,
      }),
    ]),
  );
  if (images) images.announceTo(queues[settings.images.queue]);
  const grantTargets = { database, cache, tables, queues, fileSystem, images };
  const functions = queueFunctions(settings, { roles, account, kmsKeyArn: key.arn }, queues, grantTargets);

  // Time-triggered work: EventBridge Scheduler delivering to those queues and functions.
  const schedules = scheduled(settings, { roles, account, kmsKeyArn: key.arn }, queues, functions);

  // Sign-in: the Cognito user pool behind the routes that require it.
  const partnerScopes = settings.partnerApi.enabled ? [...new Set(settings.partnerApi.routes.flatMap((r) => r.scopes))] : undefined;
  const users = settings.auth.enabled
    ? new UserDirectory("users", { namePrefix, settings: settings.auth, domain: settings.domain, retention, partnerScopes })
    : undefined;

  // Compute: the ECS cluster.
  const cluster = computeCluster(settings);

  // Notifications that are sent: e-mail from the site's domain through SES (DKIM, MAIL FROM, configuration set).
  const mail = settings.email.enabled
    ? new MailSender("email", {
        namePrefix,
        domain: settings.domain,
        zoneId: edge.zoneId,
        settings: settings.email,
        account,
      })
    : undefined;

  const sms = settings.email.sms.enabled ? new SmsSender("sms", { settings: settings.email.sms }) : undefined;

  // Delivery (1/2): image repositories of pipeline-managed services, and the image each last deployed.
  const repositories = Object.fromEntries(
    settings.services
      .filter((s) => s.pipeline)
      .map((s) => [
        s.name,
        new ImageRepository(`${s.name}-images`, {
          namePrefix,
          serviceName: s.name,
          initialImage: s.image,
          keepImages: settings.delivery.keepImages,
          kmsKeyArn: key.arn,
          retention,
          recovery,
        }),
      ]),
  );
  // ... and their images, replicated to the DR region.
  const replicaRepositories = Object.values(repositories).flatMap((r) => (r.replicaRepository ? [r.replicaRepository] : []));
  if (recovery && replicaRepositories.length > 0) new ImageReplication("images", { namePrefix, account, recovery, replicas: replicaRepositories });

  // Prometheus and Grafana (off by default): a workspace every service's collector writes to.
  const metrics = settings.prometheus.enabled
    ? new MetricsWorkspace("metrics", { roles, namePrefix, settings: settings.prometheus, kmsKeyArn: key.arn, retention, account })
    : undefined;

  // Services: one FargateService per config entry, reaching only what it declares.
  const services = workloads(settings, {
    roles,
    cluster,
    network,
    account,
    kmsKeyArn: key.arn,
    grantTargets: { ...grantTargets, email: mail, sms },
    route: edge.route,
    authentication: users?.albAuthentication,
    repositoryOf: (s) => repositories[s.name],
    partnerSourceCidr: settings.partnerApi.enabled ? settings.network.vpcCidr : undefined,
    metrics: metrics && { workspaceArn: metrics.workspaceArn, remoteWriteUrl: metrics.remoteWriteUrl },
  });

  // The partner API (off by default): API Gateway to chosen routes, privately through a VPC link.
  const partnerApi =
    settings.partnerApi.enabled && users?.partnerClientId
      ? new PartnerApi("partner", {
          namePrefix,
          settings: settings.partnerApi,
          domain: settings.domain,
          zoneId: edge.zoneId,
          network,
          alb: {
            listenerArn: edge.route.listenerArn,
            securityGroupId: edge.route.loadBalancerSecurityGroupId,
            serverName: `${settings.edge.originSubdomain}.${settings.domain}`,
          },
          issuer: users.issuerUrl,
          partnerClientId: users.partnerClientId,
          kmsKeyArn: key.arn,
          logRetentionDays,
        })
      : undefined;

  // Blackbox checks: canaries probing the public site from outside, each service's health and a journey.
  const checks = canaryChecks(namePrefix, settings.services, settings.synthetics);
  const synthetics =
    checks.length > 0
      ? new SyntheticChecks("synthetics", { roles, settings: settings.synthetics, checks, siteUrl: edge.siteUrl, kmsKeyArn: key.arn, retention, account })
      : undefined;

  // Observability: dashboard, alarms and alert topics over everything above.
  const observed: ObservedStack<pulumi.Input<string>> = {
    ...observedWorkloads(settings, {
      cluster,
      loadBalancerArnSuffix: edge.route.loadBalancerArnSuffix,
      services,
      database,
      cache,
      queues,
      schedules,
      functions,
    }),
    partnerApi: partnerApi && { apiId: partnerApi.apiId, stage: partnerApi.stageName },
    canaries: synthetics && { names: synthetics.canaryNames, rateMinutes: settings.synthetics.rateMinutes },
    certificates: [...edge.certificates, ...(partnerApi?.certificates ?? [])],
    staticReplication: edge.staticReplication,
    globalTables: recovery && { region: recovery.region, tables: settings.tables.map((t) => ({ name: t.name, tableName: tables[t.name].tableName })) },
    edge: {
      distributionId: edge.distributionId,
      webAclName: edge.webAclName,
      healthCheckId: edge.healthCheckId,
      originHealthChecks: edge.originHealthChecks,
    },
  };
  const observability = new Observability("observability", {
    observed,
    thresholds: settings.observability.thresholds,
    alertEmails: settings.observability.alertEmails,
    kmsKeyArn: key.arn,
    global: { provider: usEast1, kmsKeyArn: globalKey.arn },
    accountId: account.accountId,
    eventRulesNotify: keyUse.data.eventTopics,
    emailEventsNotify: mail !== undefined,
  });
  // Bounces, complaints and rejects reach the on-call topic.
  mail?.sendEventsTo(observability.alertTopicArn);

  // Disaster recovery (2/2): every backup of the data tier copied to a vault in the DR region, failures alerted.
  if (recovery) {
    new CrossRegionBackup("backup", {
      roles,
      namePrefix,
      settings: settings.disasterRecovery,
      retention,
      account,
      kmsKeyArn: key.arn,
      recovery,
      alertTopicArn: observability.alertTopicArn,
      resources: [...(database ? [database.clusterArn] : []), ...Object.values(tables).map((t) => t.arn), ...(fileSystem ? [fileSystem.fileSystemArn] : [])],
    });
  }

  const guardrails = new AccountGuardrails("guardrails", {
    roles,
    namePrefix,
    settings: settings.observability.guardrails,
    environment: settings.environment,
    alertEmails: settings.observability.alertEmails,
    alertTopicArn: observability.alertTopicArn,
    kmsKeyArn: key.arn,
    account,
    logRetentionDays,
    retention,
  });

  // Delivery (2/2): one pipeline per pipeline-managed service: source -> build -> deploy -> record.
  const pipelines = settings.services.flatMap((service, i) => {
    const repository = repositories[service.name];
    if (!service.pipeline || !repository) return [];
    return [
      new DeliveryPipeline(`${service.name}-delivery`, {
        roles,
        namePrefix,
        serviceName: service.name,
        pipeline: service.pipeline,
        delivery: settings.delivery,
        repository,
        cluster,
        service: services[i],
        kmsKeyArn: key.arn,
        account,
        logRetentionDays,
        alertTopicArn: observability.alertTopicArn,
        retention,
      }),
    ];
  });

  // Exports: what an operator needs. Never a password: secrets are exported by ARN only. A part the
  // stack switches off exports nothing (rather than an undefined value Pulumi warns about).
  return {
    environment: settings.environment,
    vpcId: network.vpcId,
    siteUrl: edge.siteUrl,
    distributionId: edge.distributionId,
    distributionDomainName: edge.distributionDomainName,
    albDnsName: edge.albDnsName,
    staticBucketName: edge.staticBucketName,
    webAclArn: edge.webAclArn,
    ...(database
      ? { auroraWriterEndpoint: database.writerEndpoint, auroraReaderEndpoint: database.readerEndpoint, dbMasterSecretArn: database.masterSecretArn }
      : {}),
    ...(cache ? { redisPrimaryEndpoint: cache.primaryEndpoint, redisAuthTokenSecretArn: cache.authTokenSecretArn } : {}),
    clusterName: cluster.name,
    serviceNames: Object.fromEntries(settings.services.map((s, i) => [s.name, services[i].serviceName])),
    kmsKeyAlias: key.aliasName,
    dashboardName: observability.dashboardName,
    alertTopicArn: observability.alertTopicArn,
    globalAlertTopicArn: observability.globalAlertTopicArn!,
    ...(guardrails.trailArn ? { cloudTrailArn: guardrails.trailArn } : {}),
    tableNames: Object.fromEntries(settings.tables.map((t) => [t.name, tables[t.name].tableName])),
    queueUrls: Object.fromEntries(settings.queues.map((q) => [q.name, queues[q.name].url])),
    functionNames: Object.fromEntries(settings.functions.map((f, i) => [f.name, functions[i].functionName])),
    ...(fileSystem ? { fileSystemId: fileSystem.fileSystemId } : {}),
    ...(users ? { userPoolId: users.userPoolId, webClientId: users.webClientId, hostedUiUrl: users.hostedUiUrl, authIssuerUrl: users.issuerUrl } : {}),
    ...(partnerApi ? { partnerApiUrl: partnerApi.url, partnerClientId: users!.partnerClientId! } : {}),
    imageRepositories: Object.fromEntries(Object.entries(repositories).map(([name, r]) => [name, r.repositoryUrl])),
    pipelineNames: pipelines.map((p) => p.pipelineName),
    ...(guardrails.detectorId ? { guardDutyDetectorId: guardrails.detectorId } : {}),
    ...(metrics
      ? {
          prometheusWorkspaceArn: metrics.workspaceArn,
          ...(metrics.grafanaUrl
            ? {
                grafanaUrl: metrics.grafanaUrl,
                // The platform's Grafana dashboard, for Dashboards > Import (README, "Prometheus and Grafana").
                grafanaDashboard: pulumi.output(observed).apply((o) => JSON.stringify(grafanaDashboard(o as ObservedStack<string>))),
              }
            : {}),
        }
      : {}),
  };
}
