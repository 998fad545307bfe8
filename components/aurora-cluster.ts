import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { RetentionPolicy } from "../stacks/retention";
import { auroraParameterFamily } from "../stacks/aws-limits";
import { DatabaseSettings } from "../stacks/settings";
import { AccessGrant, Grantable } from "./access";
import { AccountContext, PolicyStatement } from "./iam";
import { secretReplicas } from "./recovery-region";
import type { RecoveryRegionRef } from "./references";

export const POSTGRES_PORT = 5432;
const MASTER_USERNAME = "platform_admin";
/** Special characters of a generated master password: RDS refuses `/`, `"`, `@` and spaces. */
const MASTER_PASSWORD_SPECIALS = "!#$%&*()-_=+[]{}<>:?";

/** The Aurora Global Database of a stack: its secondary in the DR region joins by this identifier. */
export const globalClusterIdentifier = (namePrefix: string) => `${namePrefix}-aurora-global`;

export interface AuroraClusterArgs {
  /** Physical name prefix, `<project>-<stack>`; the cluster is `<prefix>-aurora`. */
  namePrefix: string;
  /** Validated database settings (engine, sizes, retention). */
  settings: DatabaseSettings;
  /** The stack's retention policy: deletion protection, final snapshot and kept backups, Pulumi `protect`, changes at once or in the maintenance window. */
  retention: RetentionPolicy;
  /** VPC of the cluster's security group. */
  vpcId: pulumi.Input<string>;
  /** Isolated subnets, one per AZ, for the subnet group. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** AZ names; the writer goes to the first, readers to the others. */
  availabilityZones: string[];
  /** Customer-managed KMS key for storage, Performance Insights, the master secret and logs. */
  kmsKeyArn: pulumi.Input<string>;
  /** Account context for IAM database-auth ARNs. */
  account: pulumi.Input<AccountContext>;
  /** Retention of the exported PostgreSQL log group. */
  logRetentionDays: number;
  /**
   * The DR region: the cluster becomes the primary of an Aurora Global Database, whose secondary
   * cluster in that region joins it by its identifier. Default: none (a regional cluster).
   */
  recovery?: RecoveryRegionRef;
  /**
   * Join this Aurora Global Database as its secondary cluster (a standby stack's database): no
   * master user, password or database name of its own (the global database's), storage replicated
   * from the primary, read-only until a switchover or failover promotes it. Default: none.
   */
  secondaryOf?: { globalClusterIdentifier: string; primaryRegion: string };
}

export interface InstancePlacement {
  role: "writer" | "reader";
  /** Resource-name suffix and identifier suffix, e.g. `writer`, `reader-1`. */
  suffix: string;
  availabilityZone: string;
  /** Failover priority: readers in tier 1 are promoted first. */
  promotionTier: number;
}

/** Writer in the first AZ; readers round-robin over the other AZs, never in the writer's AZ. */
export function instancePlacement(availabilityZones: string[], readers: number): InstancePlacement[] {
  const others = availabilityZones.slice(1);
  if (readers > 0 && others.length === 0) throw new Error("Aurora readers need at least two AZs");
  return [
    { role: "writer", suffix: "writer", availabilityZone: availabilityZones[0], promotionTier: 0 },
    ...Array.from({ length: readers }, (_, i) => ({
      role: "reader" as const,
      suffix: `reader-${i + 1}`,
      availabilityZone: others[i % others.length],
      promotionTier: 1,
    })),
  ];
}

/** PostgreSQL role a service logs in as with IAM auth, e.g. `user-api` -> `user_api_app`. */
export function databaseUserFor(serviceName: string): string {
  return `${serviceName.replace(/-/g, "_")}_app`;
}

/** The one statement a service needs to connect with IAM auth as its own database user. */
export function iamConnectStatement(account: AccountContext, clusterResourceId: string, dbUser: string): PolicyStatement {
  const { partition, region, accountId } = account;
  return {
    Sid: "ConnectToAuroraAsOwnUser",
    Effect: "Allow",
    Action: "rds-db:connect",
    Resource: `arn:${partition}:rds-db:${region}:${accountId}:dbuser:${clusterResourceId}/${dbUser}`,
  };
}

/** Cluster parameters: TLS forced for every connection, slow statements, schema changes and connections logged. */
export function clusterParameters(): { name: string; value: string; applyMethod?: string }[] {
  return [
    { name: "rds.force_ssl", value: "1" },
    { name: "log_min_duration_statement", value: "1000" },
    // Every CREATE, ALTER and DROP: who changed the schema, and when (a dynamic parameter).
    { name: "log_statement", value: "ddl" },
    { name: "log_connections", value: "1" },
    { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
  ];
}

/**
 * Aurora PostgreSQL: encrypted storage with the customer key, master password generated and kept
 * by RDS in Secrets Manager (KMS-encrypted, rotated on a schedule), TLS forced, IAM database
 * authentication, Performance Insights, PostgreSQL log export to an encrypted log group, backups,
 * and what the retention policy keeps (deletion protection, a final snapshot, Pulumi `protect`). Instances: a writer
 * plus readers in other AZs (prod), or one Serverless v2 writer at minimum capacity (dev). The
 * security group has no rules of its own: each granted service adds its 5432 ingress.
 */
export class AuroraCluster extends pulumi.ComponentResource implements Grantable {
  /** Cluster identifier (stable: `<prefix>-aurora`). */
  public readonly clusterIdentifier: pulumi.Output<string>;
  /** Cluster ARN. */
  public readonly clusterArn: pulumi.Output<string>;
  /** Writer endpoint (writes). */
  public readonly writerEndpoint: pulumi.Output<string>;
  /** Reader endpoint (reads, load-balanced over readers). */
  public readonly readerEndpoint: pulumi.Output<string>;
  /** Immutable resource id used in IAM database-auth ARNs. */
  public readonly clusterResourceId: pulumi.Output<string>;
  /** ARN of the master secret (the password itself is never an output); a secondary has none of its own. */
  public readonly masterSecretArn?: pulumi.Output<string>;
  /** The cluster's security group id. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** Instance identifiers, writer first. */
  public readonly instanceIdentifiers: pulumi.Output<string>[];

  private readonly account: pulumi.Output<AccountContext>;
  private readonly databaseName: string;

  constructor(name: string, args: AuroraClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:AuroraCluster", name, {}, opts);
    const s = args.settings;
    const identifier = `${args.namePrefix}-aurora`;
    const family = auroraParameterFamily(s.engineVersion);
    const serverless = s.instanceClass === "db.serverless";
    const stateful = { parent: this, protect: args.retention.protect };

    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpcId, description: `Aurora ${identifier}: ingress only from granted services` },
      { parent: this },
    );
    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { name: identifier, description: `Isolated subnets of ${identifier}`, subnetIds: args.subnetIds },
      { parent: this },
    );
    const clusterParams = new aws.rds.ClusterParameterGroup(
      `${name}-cluster-params`,
      { name: `${identifier}-${family}`, family, description: `${identifier}: TLS forced, slow queries logged`, parameters: clusterParameters() },
      { parent: this },
    );
    const instanceParams = new aws.rds.ParameterGroup(
      `${name}-instance-params`,
      {
        name: `${identifier}-instance-${family}`,
        family,
        description: `${identifier} instances`,
        parameters: [{ name: "log_lock_waits", value: "1" }],
      },
      { parent: this },
    );
    // Pre-created so the exported logs are encrypted and expire; RDS would create it unencrypted and kept forever.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-postgresql-logs`,
      { name: `/aws/rds/cluster/${identifier}/postgresql`, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn },
      { parent: this },
    );

    // The master password: RDS-managed (and rotated by RDS) for a regional cluster; a global
    // database cannot use that (Aurora user guide, "Limitations for Secrets Manager integration"),
    // so there the program generates it, hands it to RDS write-only, and keeps it in its own secret,
    // replicated to the DR region like the data. Raising masterPasswordVersion rotates it.
    const global = args.recovery;
    const secondary = args.secondaryOf;
    const password =
      global && !secondary
        ? new random.RandomPassword(
            `${name}-master-password`,
            { length: 32, special: true, overrideSpecial: MASTER_PASSWORD_SPECIALS, keepers: { version: String(s.masterPasswordVersion) } },
            { parent: this },
          )
        : undefined;
    const cluster = new aws.rds.Cluster(
      `${name}-cluster`,
      {
        clusterIdentifier: identifier,
        engine: "aurora-postgresql",
        engineMode: "provisioned",
        engineVersion: s.engineVersion,
        // A secondary takes the database, the master user and its password from the global database.
        ...(secondary
          ? // sourceRegion: RDS needs a pre-signed URL of the encrypted source's region (signed locally, no call there).
            { globalClusterIdentifier: secondary.globalClusterIdentifier, sourceRegion: secondary.primaryRegion }
          : {
              databaseName: s.databaseName,
              masterUsername: MASTER_USERNAME,
              ...(password
                ? { masterPasswordWo: password.result, masterPasswordWoVersion: s.masterPasswordVersion }
                : { manageMasterUserPassword: true, masterUserSecretKmsKeyId: args.kmsKeyArn }),
            }),
        iamDatabaseAuthenticationEnabled: true,
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [sg.id],
        dbClusterParameterGroupName: clusterParams.name,
        // A secondary keeps its range when activation swaps its instance class: the cluster itself does not change.
        serverlessv2ScalingConfiguration:
          serverless || secondary ? { minCapacity: s.serverless.minCapacity, maxCapacity: s.serverless.maxCapacity } : undefined,
        backupRetentionPeriod: s.backupRetentionDays,
        preferredBackupWindow: "02:00-03:00",
        preferredMaintenanceWindow: "sun:04:00-sun:05:00",
        copyTagsToSnapshot: true,
        deletionProtection: args.retention.deletionProtection,
        skipFinalSnapshot: !args.retention.finalSnapshot,
        finalSnapshotIdentifier: args.retention.finalSnapshot ? `${identifier}-final` : undefined,
        enabledCloudwatchLogsExports: ["postgresql"],
        allowMajorVersionUpgrade: false,
        applyImmediately: args.retention.applyImmediately,
        // A retained cluster keeps its automated backups when deleted (the default drops them).
        deleteAutomatedBackups: !args.retention.finalSnapshot,
      },
      // engineVersion is where a new cluster starts: AWS then upgrades minor versions itself
      // (autoMinorVersionUpgrade), and asking for the older version again would fail every update.
      // A global database's member shows the global identifier once it joins: set by the
      // GlobalCluster below, never here (the provider's documented pairing).
      // A secondary reports its replication source and, once promoted, a master user; neither is
      // the program's to change (the provider's documented ignore_changes for global members).
      {
        ...stateful,
        dependsOn: [logGroup],
        ignoreChanges: [
          "engineVersion",
          ...(global ? ["globalClusterIdentifier"] : []),
          // Either member can be the secondary after a switchover; a replication source that
          // seems to vanish would make the provider promote the cluster out of the global database.
          ...(global || secondary ? ["replicationSourceIdentifier"] : []),
          ...(secondary ? ["masterUsername", "databaseName"] : []),
        ],
      },
    );

    const instances = instancePlacement(args.availabilityZones, s.readers).map(
      (p) =>
        new aws.rds.ClusterInstance(
          `${name}-${p.suffix}`,
          {
            identifier: `${identifier}-${p.suffix}`,
            clusterIdentifier: cluster.id,
            engine: "aurora-postgresql",
            engineVersion: cluster.engineVersion,
            instanceClass: s.instanceClass,
            availabilityZone: p.availabilityZone,
            promotionTier: p.promotionTier,
            dbParameterGroupName: instanceParams.name,
            publiclyAccessible: false,
            autoMinorVersionUpgrade: true,
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: args.kmsKeyArn,
            performanceInsightsRetentionPeriod: s.performanceInsightsRetentionDays,
            caCertIdentifier: "rds-ca-rsa2048-g1",
            // A standby's instances change on activation, which cannot wait for the maintenance window.
            applyImmediately: secondary ? true : args.retention.applyImmediately,
            // The role the instance was placed for (a failover can swap roles later; RDS knows the live one).
            tags: { PlacedAs: p.role },
          },
          { ...stateful, ignoreChanges: ["engineVersion"] },
        ),
    );

    let masterSecretArn: pulumi.Output<string> | undefined;
    if (secondary) {
      // The global database's master secret is the primary's, replicated here by its stack.
    } else if (password && global) {
      const secret = new aws.secretsmanager.Secret(
        `${name}-master`,
        {
          name: `${args.namePrefix}/database/master`,
          description: `Master user of ${identifier} (the Aurora Global Database's primary)`,
          kmsKeyId: args.kmsKeyArn,
          recoveryWindowInDays: args.retention.secretRecoveryDays,
          replicas: secretReplicas(global),
        },
        stateful,
      );
      new aws.secretsmanager.SecretVersion(
        `${name}-master`,
        {
          secretId: secret.id,
          secretString: pulumi
            .all([password.result, cluster.endpoint])
            .apply(([pw, host]) =>
              JSON.stringify({ engine: "postgres", username: MASTER_USERNAME, password: pw, host, port: POSTGRES_PORT, dbname: s.databaseName }),
            ),
        },
        { parent: this },
      );
      masterSecretArn = secret.arn;
      // The global database, adopting this cluster as its primary (the writer must exist first).
      new aws.rds.GlobalCluster(
        `${name}-global`,
        {
          globalClusterIdentifier: globalClusterIdentifier(args.namePrefix),
          sourceDbClusterIdentifier: cluster.arn,
          // Required with a source cluster: on delete the members leave the global database first.
          forceDestroy: true,
          deletionProtection: args.retention.deletionProtection,
        },
        { ...stateful, dependsOn: instances.slice(0, 1) },
      );
    } else {
      // RDS rotates its managed master secret itself; this sets the schedule.
      masterSecretArn = cluster.masterUserSecrets.apply((secrets) => secrets[0].secretArn);
      new aws.secretsmanager.SecretRotation(
        `${name}-master-rotation`,
        { secretId: masterSecretArn, rotateImmediately: false, rotationRules: { automaticallyAfterDays: s.secretRotationDays } },
        // Deleting it would cancel the rotation of the prod master password.
        stateful,
      );
    }

    this.account = pulumi.output(args.account);
    this.databaseName = s.databaseName;
    this.clusterIdentifier = cluster.clusterIdentifier;
    this.clusterArn = cluster.arn;
    this.writerEndpoint = cluster.endpoint;
    this.readerEndpoint = cluster.readerEndpoint;
    this.clusterResourceId = cluster.clusterResourceId;
    this.masterSecretArn = masterSecretArn;
    this.securityGroupId = sg.id;
    this.instanceIdentifiers = instances.map((i) => i.identifier);
    this.registerOutputs({
      clusterIdentifier: this.clusterIdentifier,
      writerEndpoint: this.writerEndpoint,
      readerEndpoint: this.readerEndpoint,
      masterSecretArn: this.masterSecretArn,
      securityGroupId: this.securityGroupId,
    });
  }

  /** Port 5432 from the service, `rds-db:connect` as its own database user, endpoints as plain env. */
  grantAccess(serviceName: string, _mode: true = true): AccessGrant {
    const dbUser = databaseUserFor(serviceName);
    return {
      target: "database",
      ingress: { securityGroupId: this.securityGroupId, port: POSTGRES_PORT },
      taskStatements: [pulumi.all([this.account, this.clusterResourceId]).apply(([a, id]) => iamConnectStatement(a, id, dbUser))],
      secrets: {},
      secretArns: [],
      kmsKeyArns: [],
      environment: {
        DB_HOST: this.writerEndpoint,
        DB_READER_HOST: this.readerEndpoint,
        DB_PORT: String(POSTGRES_PORT),
        DB_NAME: this.databaseName,
        DB_USER: dbUser,
        DB_IAM_AUTH: "true",
        DB_SSLMODE: "verify-full",
      },
    };
  }
}
