import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RetentionPolicy } from "../stacks/retention";
import { TableAccessMode, TableSettings } from "../stacks/settings";
import { AccessGrant, envName, Grantable } from "./access";
import { PolicyStatement } from "./iam";
import type { RecoveryRegionRef } from "./references";

export interface DynamoTableArgs {
  /** Physical name prefix, `<project>-<stack>`; the table is `<prefix>-<name>`. */
  namePrefix: string;
  /** Validated table settings (keys, TTL attribute). */
  settings: TableSettings;
  /** Customer-managed KMS key for server-side encryption. */
  kmsKeyArn: pulumi.Input<string>;
  /** The stack's retention policy: deletion protection and Pulumi `protect`. */
  retention: RetentionPolicy;
  /** Region of the stack (kms:ViaService condition of the grants). */
  region: string;
  /** The DR region: when set, the table becomes a global table with a replica there. Default: none. */
  recovery?: RecoveryRegionRef;
}

const READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable"];
const WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
];

/**
 * Exactly the DynamoDB actions a mode needs, on the table and its indexes only, and the use of the
 * table's customer key that DynamoDB makes with the caller's permission: it decrypts the table key
 * as the caller (KMS developer guide, "How Amazon DynamoDB uses AWS KMS"), through DynamoDB only.
 */
export function tableStatements(tableArn: string, keyArn: string, region: string, mode: TableAccessMode, sid: string): PolicyStatement[] {
  const actions = mode === "read" ? READ_ACTIONS : mode === "write" ? WRITE_ACTIONS : [...READ_ACTIONS, ...WRITE_ACTIONS];
  return [
    { Sid: sid, Effect: "Allow", Action: [...new Set(actions)].sort(), Resource: [tableArn, `${tableArn}/index/*`] },
    {
      Sid: `${sid}Key`,
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: keyArn,
      Condition: { StringEquals: { "kms:ViaService": `dynamodb.${region}.amazonaws.com` } },
    },
  ];
}

/**
 * A per-service DynamoDB table: on-demand capacity, point-in-time recovery, SSE with the stack's
 * customer key, TTL where declared, and deletion protection and Pulumi `protect` as the retention policy says.
 * Grantees get kms:Decrypt on the key through DynamoDB, which uses the key on their behalf.
 *
 * With a DR region it is a global table (version 2019.11.21): a `TableReplica` there, encrypted with
 * that region's key (a replica's key must be in its own region; with a customer key on the source
 * every replica needs one), with its own point-in-time recovery and deletion protection (both are
 * per replica). Global tables need the stream with new and old images, set explicitly (DynamoDB
 * refuses to disable it while replicas exist), and the table ignores its `replicas` attribute, which
 * the separate replica resource manages (the provider's documented pairing). Removing the replica
 * deletes its items in the DR region; so does replacing the table, whose delete removes replicas first.
 */
export class DynamoTable extends pulumi.ComponentResource implements Grantable<TableAccessMode> {
  /** Physical table name. */
  public readonly tableName: pulumi.Output<string>;
  /** Table ARN. */
  public readonly arn: pulumi.Output<string>;
  private readonly logicalName: string;
  private readonly kmsKeyArn: pulumi.Input<string>;
  private readonly region: string;

  constructor(name: string, args: DynamoTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:DynamoTable", name, {}, opts);
    const s = args.settings;
    const keys = [s.partitionKey, ...(s.sortKey ? [s.sortKey] : [])];
    const table = new aws.dynamodb.Table(
      name,
      {
        name: `${args.namePrefix}-${s.name}`,
        billingMode: "PAY_PER_REQUEST",
        hashKey: s.partitionKey.name,
        rangeKey: s.sortKey?.name,
        attributes: keys.map((k) => ({ name: k.name, type: k.type })),
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: args.kmsKeyArn },
        ttl: s.ttlAttribute ? { attributeName: s.ttlAttribute, enabled: true } : undefined,
        deletionProtectionEnabled: args.retention.deletionProtection,
        ...(args.recovery ? { streamEnabled: true, streamViewType: "NEW_AND_OLD_IMAGES" } : {}),
      },
      { parent: this, protect: args.retention.protect, ...(args.recovery ? { ignoreChanges: ["replicas"] } : {}) },
    );
    if (args.recovery) {
      new aws.dynamodb.TableReplica(
        `${name}-replica`,
        {
          globalTableArn: table.arn,
          kmsKeyArn: args.recovery.kmsKeyArn,
          pointInTimeRecovery: true,
          deletionProtectionEnabled: args.retention.deletionProtection,
        },
        // A replica of a large table can take hours to fill; the provider's default is 30 minutes.
        { parent: this, provider: args.recovery.provider, protect: args.retention.protect, customTimeouts: { create: "4h", delete: "1h" } },
      );
    }
    this.logicalName = s.name;
    this.kmsKeyArn = args.kmsKeyArn;
    this.region = args.region;
    this.tableName = table.name;
    this.arn = table.arn;
    this.registerOutputs({ tableName: this.tableName, arn: this.arn });
  }

  /** The mode's actions on this table; its name as `TABLE_<NAME>`. */
  grantAccess(_grantee: string, mode: TableAccessMode): AccessGrant {
    return tableGrant(this.logicalName, this.arn, this.kmsKeyArn, this.region, mode, this.tableName);
  }
}

/** The grant of one table in one mode: its statements, and its name as `TABLE_<NAME>`. */
function tableGrant(
  logicalName: string,
  tableArn: pulumi.Input<string>,
  kmsKeyArn: pulumi.Input<string>,
  region: string,
  mode: TableAccessMode,
  tableName: pulumi.Input<string>,
): AccessGrant {
  const sid = `Table${envName(logicalName).replace(/_/g, "")}${mode[0].toUpperCase()}${mode.slice(1)}`;
  const statements = pulumi.all([tableArn, kmsKeyArn]).apply(([arn, key]) => tableStatements(arn, key, region, mode, sid));
  return {
    target: `table-${logicalName}`,
    taskStatements: [statements.apply((s) => s[0]), statements.apply((s) => s[1])],
    secrets: {},
    secretArns: [],
    kmsKeyArns: [],
    environment: { [`TABLE_${envName(logicalName)}`]: tableName },
  };
}

/**
 * A table of another stack in this region, granted by reference: a standby stack's view of its
 * primary's global-table replicas (`<primaryPrefix>-<name>`, encrypted with the primary's DR key).
 * Every replica of a global table is writable, so the grants are the table's own.
 */
export class TableReplicaRef implements Grantable<TableAccessMode> {
  /** Physical table name (the same in every region of a global table). */
  public readonly tableName: string;
  /** ARN of the replica in this region. */
  public readonly arn: pulumi.Output<string>;

  constructor(
    private readonly logicalName: string,
    args: { tableName: string; region: string; accountId: pulumi.Input<string>; partition: pulumi.Input<string>; kmsKeyArn: pulumi.Input<string> },
  ) {
    this.tableName = args.tableName;
    this.region = args.region;
    this.kmsKeyArn = args.kmsKeyArn;
    this.arn = pulumi.interpolate`arn:${args.partition}:dynamodb:${args.region}:${args.accountId}:table/${args.tableName}`;
  }

  private readonly region: string;
  private readonly kmsKeyArn: pulumi.Input<string>;

  grantAccess(_grantee: string, mode: TableAccessMode): AccessGrant {
    return tableGrant(this.logicalName, this.arn, this.kmsKeyArn, this.region, mode, this.tableName);
  }
}
