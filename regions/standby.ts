/**
 * The standby region of a primary stack (`platform:standby`): the same platform, built from the
 * same components, idle at pilot-light size in the primary's DR region, read top to bottom like the
 * primary: security -> network -> data -> messaging -> sign-in -> compute -> way in -> services ->
 * observability -> exports. Its data is the primary's copies (the Aurora secondary joins the
 * global database, the tables are the global tables' replicas, images and secrets are
 * replicated), found by their names. Every resource and every lookup is in this region or global:
 * building or activating it never calls the primary's region (the test of the switch proves it).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountGuardrails } from "../components/account-guardrails";
import { AuroraCluster, globalClusterIdentifier } from "../components/aurora-cluster";
import { TableReplicaRef } from "../components/dynamo-table";
import { EncryptionKey } from "../components/encryption-key";
import { currentAccount, roleScope } from "../components/iam";
import { MessageQueue } from "../components/message-queue";
import { Observability } from "../components/observability";
import { MailSender } from "../components/mail-sender";
import { RedisCache } from "../components/redis-cache";
import { SmsSender } from "../components/sms-sender";
import { StandbyEdge } from "../components/standby-edge";
import { UserDirectory } from "../components/user-directory";
import { keyUsers, Settings, StandbySettings } from "../stacks";
import {
  computeCluster,
  network as stackNetwork,
  observedWorkloads,
  queueFunctions,
  schedules as scheduled,
  services as workloads,
  sharedFileSystem,
} from "./workloads";

/** Tags the policy pack reads (policies/rules/common.ts): the switch's resources, and the data stores holding the primary's data. */
export const PILOT_LIGHT_TAG = "PilotLight";
export const STANDBY_TAG = "Standby";
const SIZED_BY_THE_SWITCH = ["aws:rds/cluster:Cluster", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:ecs/service:Service"];
const DATA_STORES = ["aws:rds/cluster:Cluster", "aws:efs/fileSystem:FileSystem"];

/**
 * Tags the standby's data stores `Standby: <primary>` and, while idle, what the switch sizes
 * `PilotLight: true`, so the pack holds the standby to prod's rules except the pilot light's by-design
 * sizes. A stack transformation, because the tags mark the standby's role, not any component's.
 */
function tagStandbyResources(standby: StandbySettings): void {
  pulumi.runtime.registerStackTransformation((args) => {
    const tags = {
      ...(DATA_STORES.includes(args.type) ? { [STANDBY_TAG]: standby.primaryStack } : {}),
      ...(!standby.active && SIZED_BY_THE_SWITCH.includes(args.type) ? { [PILOT_LIGHT_TAG]: "true" } : {}),
    };
    if (Object.keys(tags).length === 0) return undefined;
    return { props: { ...args.props, tags: { ...(args.props.tags ?? {}), ...tags } }, opts: args.opts };
  });
}

export function standbyRegion(settings: Settings, standby: StandbySettings) {
  tagStandbyResources(standby);
  const account = currentAccount(settings.region);
  const { namePrefix, logRetentionDays, retention } = settings;
  const roles = roleScope(settings.iam, namePrefix, account);

  // Security: this stack's key (its logs, topics, secrets, the Aurora secondary, the cache).
  const keyUse = keyUsers(settings);
  const key = new EncryptionKey("platform", {
    namePrefix,
    retention,
    purpose: "data",
    protects: "the standby's data tier, secrets and logs",
    account,
    usedBy: keyUse.data,
  });
  // The primary's key in this region, which encrypts its copies here (the table replicas).
  const copiesKeyArn = aws.kms.getAliasOutput({ name: `alias/${standby.primaryPrefix}-dr` }).targetKeyArn;

  // Network: this region's VPC, the same tiers as the primary's.
  const network = stackNetwork(settings, { roles, account, kmsKeyArn: key.arn });

  // Data: the Aurora secondary (read-only until promoted), a small cache, the tables' replicas, an empty file system.
  const dataPlacement = {
    namePrefix,
    retention,
    vpcId: network.vpcId,
    subnetIds: network.isolatedSubnetIds,
    availabilityZones: settings.availabilityZones,
    kmsKeyArn: key.arn,
    logRetentionDays,
  };
  const database = settings.database.enabled
    ? new AuroraCluster("database", {
        ...dataPlacement,
        settings: settings.database,
        account,
        secondaryOf: { globalClusterIdentifier: globalClusterIdentifier(standby.primaryPrefix), primaryRegion: standby.primaryRegion },
      })
    : undefined;
  const cache = settings.cache.enabled ? new RedisCache("cache", { ...dataPlacement, settings: settings.cache }) : undefined;
  const tables = Object.fromEntries(
    settings.tables.map((t) => [
      t.name,
      new TableReplicaRef(t.name, {
        tableName: `${standby.primaryPrefix}-${t.name}`,
        region: settings.region,
        accountId: account.accountId,
        partition: account.partition,
        kmsKeyArn: copiesKeyArn,
      }),
    ]),
  );
  const fileSystem = sharedFileSystem(settings, network, key.arn);

  // Messaging: this region's own queues (messages in flight in the primary are not copied) and their functions.
  const queues = Object.fromEntries(
    settings.queues.map((q) => [q.name, new MessageQueue(`queue-${q.name}`, { namePrefix, settings: q, kmsKeyArn: key.arn, region: settings.region })]),
  );
  const grantTargets = { database, cache, tables, queues, fileSystem };
  const functions = queueFunctions(settings, { roles, account, kmsKeyArn: key.arn }, queues, grantTargets);

  // Time-triggered work: EventBridge Scheduler delivering to those queues and functions.
  const schedules = scheduled(settings, { roles, account, kmsKeyArn: key.arn }, queues, functions);

  // Sign-in: a user pool of this region (Cognito has no cross-region copy: docs/disaster-recovery.md).
  const users = settings.auth.enabled ? new UserDirectory("users", { namePrefix, settings: settings.auth, domain: settings.domain, retention }) : undefined;

  // Compute and the way in: the ECS cluster; the ALB CloudFront fails over to.
  const cluster = computeCluster(settings);
  const edge = new StandbyEdge("edge", {
    namePrefix,
    primaryPrefix: standby.primaryPrefix,
    domain: settings.domain,
    region: settings.region,
    settings: settings.edge,
    signIn: settings.services.some((s) => s.pathPrefix && s.requireSignIn),
    network,
    account,
    kmsKeyArn: key.arn,
    retention,
    logRetentionDays,
  });

  // Notifications that are sent: e-mail from the site's domain through SES (DKIM, MAIL FROM, configuration set).
  const mail = settings.email.enabled
    ? new MailSender("email", {
        namePrefix,
        domain: settings.domain,
        zoneId: edge.zoneId,
        settings: settings.email,
        account,
        // Its own MAIL FROM name: the MX record points at this region's SES endpoint.
        mailFromDomain: `${settings.email.mailFromSubdomain}-${settings.region}.${settings.domain}`,
      })
    : undefined;

  const sms = settings.email.sms.enabled ? new SmsSender("sms", { settings: settings.email.sms }) : undefined;

  // Services: the primary's, at the floors of the switch, running what the pipelines last deployed
  // (the twin parameter here names the DR registry's replicated copy of that image).
  const services = workloads(settings, {
    roles,
    cluster,
    network,
    account,
    kmsKeyArn: key.arn,
    grantTargets: { ...grantTargets, email: mail, sms },
    route: edge.route,
    authentication: users?.albAuthentication,
    repositoryOf: (s) => (s.pipeline ? { deployedImage: aws.ssm.getParameterOutput({ name: `/${standby.primaryPrefix}/${s.name}/image` }).value } : undefined),
  });

  // Observability: this region's dashboard, alarms and alert topic (the edge's are the primary's).
  const observability = new Observability("observability", {
    observed: {
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
      certificates: edge.certificates,
    },
    thresholds: settings.observability.thresholds,
    alertEmails: settings.observability.alertEmails,
    kmsKeyArn: key.arn,
    accountId: account.accountId,
    eventRulesNotify: keyUse.data.eventTopics,
    emailEventsNotify: mail !== undefined,
  });
  // Bounces, complaints and rejects reach the on-call topic.
  mail?.sendEventsTo(observability.alertTopicArn);
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

  return {
    environment: settings.environment,
    primaryStack: standby.primaryStack,
    active: standby.active,
    vpcId: network.vpcId,
    albDnsName: edge.albDnsName,
    originDomain: edge.originDomain,
    ...(database ? { auroraClusterArn: database.clusterArn, auroraReaderEndpoint: database.readerEndpoint } : {}),
    ...(cache ? { redisPrimaryEndpoint: cache.primaryEndpoint, redisAuthTokenSecretArn: cache.authTokenSecretArn } : {}),
    clusterName: cluster.name,
    serviceNames: Object.fromEntries(settings.services.map((s, i) => [s.name, services[i].serviceName])),
    kmsKeyAlias: key.aliasName,
    dashboardName: observability.dashboardName,
    alertTopicArn: observability.alertTopicArn,
    tableNames: Object.fromEntries(settings.tables.map((t) => [t.name, tables[t.name].tableName])),
    queueUrls: Object.fromEntries(settings.queues.map((q) => [q.name, queues[q.name].url])),
    functionNames: Object.fromEntries(settings.functions.map((f, i) => [f.name, functions[i].functionName])),
    ...(fileSystem ? { fileSystemId: fileSystem.fileSystemId } : {}),
    ...(users ? { userPoolId: users.userPoolId } : {}),
    ...(guardrails.detectorId ? { guardDutyDetectorId: guardrails.detectorId } : {}),
  };
}
