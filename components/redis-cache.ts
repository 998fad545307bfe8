import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RetentionPolicy } from "../stacks/retention";
import * as random from "@pulumi/random";
import { AUTH_TOKEN_SPECIALS, cacheParameterFamily } from "../stacks/aws-limits";
import { CacheSettings } from "../stacks/settings";
import { AccessGrant, Grantable } from "./access";
import { cacheNodeIds } from "./observability-config";
import { secretReplicas } from "./recovery-region";
import type { RecoveryRegionRef } from "./references";

export const REDIS_PORT = 6379;

export interface RedisCacheArgs {
  /** Physical name prefix, `<project>-<stack>`; the replication group is `<prefix>-cache`. */
  namePrefix: string;
  /** Validated cache settings (engine, node type, node count, snapshots). */
  settings: CacheSettings;
  /** The stack's retention policy: final snapshot, secret recovery window, Pulumi `protect`, changes at once or in the maintenance window. */
  retention: RetentionPolicy;
  /** VPC of the cache's security group. */
  vpcId: pulumi.Input<string>;
  /** Isolated subnets, one per AZ. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** AZ names; nodes are spread over them in order. */
  availabilityZones: string[];
  /** Customer-managed KMS key for data at rest, the AUTH token secret and the slow log. */
  kmsKeyArn: pulumi.Input<string>;
  /** Retention of the slow-log group. */
  logRetentionDays: number;
  /** The DR region: the AUTH token secret is replicated there. Default: none. */
  recovery?: RecoveryRegionRef;
}

export interface ReplicationLayout {
  numCacheClusters: number;
  automaticFailoverEnabled: boolean;
  multiAzEnabled: boolean;
  preferredCacheClusterAzs: string[];
}

/**
 * Node layout: one node per configured count, spread over the AZs so the primary and its replica
 * never share one. Failover and Multi-AZ need at least two nodes (an ElastiCache rule).
 */
export function replicationLayout(nodes: number, availabilityZones: string[]): ReplicationLayout {
  const failover = nodes >= 2;
  return {
    numCacheClusters: nodes,
    automaticFailoverEnabled: failover,
    multiAzEnabled: failover,
    preferredCacheClusterAzs: Array.from({ length: nodes }, (_, i) => availabilityZones[i % availabilityZones.length]),
  };
}

/** The cache is a cache: evict least-recently-used keys of any kind when memory is full. */
export function cacheParameters(): { name: string; value: string }[] {
  return [{ name: "maxmemory-policy", value: "allkeys-lru" }];
}

/**
 * ElastiCache (Valkey by default, Redis OSS by choice) replication group: encryption at rest with
 * the customer key and in transit (TLS), an AUTH token generated here and kept in Secrets Manager
 * (never in config or outputs), Multi-AZ automatic failover when there are two or more nodes
 * (prod), daily snapshots, slow log to an encrypted log group. The security group has no rules
 * of its own: each granted service adds its 6379 ingress.
 */
export class RedisCache extends pulumi.ComponentResource implements Grantable {
  /** Replication group id (stable: `<prefix>-cache`). */
  public readonly replicationGroupId: pulumi.Output<string>;
  /** Primary endpoint address (writes). */
  public readonly primaryEndpoint: pulumi.Output<string>;
  /** Reader endpoint address (reads, spread over replicas). */
  public readonly readerEndpoint: pulumi.Output<string>;
  /** ARN of the Secrets Manager secret holding the AUTH token. */
  public readonly authTokenSecretArn: pulumi.Output<string>;
  /** The cache's security group id. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** Member node ids (`<group>-001`, ...), the CacheClusterId of per-node metrics. */
  public readonly nodeIds: string[];

  private readonly kmsKeyArn: pulumi.Input<string>;

  constructor(name: string, args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:RedisCache", name, {}, opts);
    const s = args.settings;
    const id = `${args.namePrefix}-cache`;
    const family = cacheParameterFamily(s.engine, s.engineVersion);

    const sg = new aws.ec2.SecurityGroup(`${name}-sg`, { vpcId: args.vpcId, description: `Cache ${id}: ingress only from granted services` }, { parent: this });
    const subnetGroup = new aws.elasticache.SubnetGroup(
      `${name}-subnets`,
      { name: id, description: `Isolated subnets of ${id}`, subnetIds: args.subnetIds },
      { parent: this },
    );
    const parameterGroup = new aws.elasticache.ParameterGroup(
      `${name}-params`,
      { name: `${id}-${family}`, family, description: `${id}: LRU eviction`, parameters: cacheParameters() },
      { parent: this },
    );

    // AUTH token rules: 16-128 printable characters, none of @ " /. The random provider keeps it
    // stable across runs and marks it secret in state.
    const token = new random.RandomPassword(
      `${name}-auth-token`,
      { length: 64, special: true, overrideSpecial: AUTH_TOKEN_SPECIALS, minUpper: 1, minLower: 1, minNumeric: 1 },
      { parent: this },
    );
    const secret = new aws.secretsmanager.Secret(
      `${name}-auth-token`,
      {
        name: `${args.namePrefix}/cache/auth-token`,
        description: `AUTH token of ${id}`,
        kmsKeyId: args.kmsKeyArn,
        recoveryWindowInDays: args.retention.secretRecoveryDays,
        replicas: secretReplicas(args.recovery),
      },
      { parent: this, protect: args.retention.protect },
    );
    new aws.secretsmanager.SecretVersion(`${name}-auth-token`, { secretId: secret.id, secretString: token.result }, { parent: this });

    const slowLog = new aws.cloudwatch.LogGroup(
      `${name}-slow-log`,
      { name: `/elasticache/${id}/slow-log`, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn },
      { parent: this },
    );

    const layout = replicationLayout(s.nodes, args.availabilityZones);
    const group = new aws.elasticache.ReplicationGroup(
      `${name}-group`,
      {
        replicationGroupId: id,
        description: `${args.namePrefix} read cache`,
        engine: s.engine,
        engineVersion: s.engineVersion,
        nodeType: s.nodeType,
        port: REDIS_PORT,
        parameterGroupName: parameterGroup.name,
        subnetGroupName: subnetGroup.name,
        securityGroupIds: [sg.id],
        ...layout,
        atRestEncryptionEnabled: true,
        kmsKeyId: args.kmsKeyArn,
        transitEncryptionEnabled: true,
        authToken: token.result,
        snapshotRetentionLimit: s.snapshotRetentionDays,
        snapshotWindow: "03:00-04:00",
        maintenanceWindow: "sun:05:00-sun:06:00",
        finalSnapshotIdentifier: args.retention.finalSnapshot ? `${id}-final` : undefined,
        autoMinorVersionUpgrade: true,
        applyImmediately: args.retention.applyImmediately,
        logDeliveryConfigurations: [{ destinationType: "cloudwatch-logs", destination: slowLog.name, logFormat: "json", logType: "slow-log" }],
      },
      { parent: this, protect: args.retention.protect },
    );

    this.kmsKeyArn = args.kmsKeyArn;
    this.replicationGroupId = group.replicationGroupId;
    this.primaryEndpoint = group.primaryEndpointAddress;
    this.readerEndpoint = group.readerEndpointAddress;
    this.authTokenSecretArn = secret.arn;
    this.securityGroupId = sg.id;
    this.nodeIds = cacheNodeIds(id, s.nodes);
    this.registerOutputs({
      replicationGroupId: this.replicationGroupId,
      primaryEndpoint: this.primaryEndpoint,
      readerEndpoint: this.readerEndpoint,
      authTokenSecretArn: this.authTokenSecretArn,
      securityGroupId: this.securityGroupId,
    });
  }

  /** Port 6379 from the service, the AUTH token injected as a secret, endpoints as plain env. */
  grantAccess(_serviceName: string, _mode: true = true): AccessGrant {
    return {
      target: "cache",
      ingress: { securityGroupId: this.securityGroupId, port: REDIS_PORT },
      taskStatements: [],
      secrets: { REDIS_AUTH_TOKEN: this.authTokenSecretArn },
      secretArns: [this.authTokenSecretArn],
      kmsKeyArns: [this.kmsKeyArn],
      environment: {
        REDIS_HOST: this.primaryEndpoint,
        REDIS_READER_HOST: this.readerEndpoint,
        REDIS_PORT: String(REDIS_PORT),
        REDIS_TLS: "true",
      },
    };
  }
}
