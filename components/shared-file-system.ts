import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RetentionPolicy } from "../stacks/retention";
import { FileSystemSettings } from "../stacks/settings";
import { AccessGrant, Grantable } from "./access";
import { policyDocument, PolicyDocument, PolicyStatement } from "./iam";

export const NFS_PORT = 2049;

export interface SharedFileSystemArgs {
  /** Physical name prefix, `<project>-<stack>`. */
  namePrefix: string;
  /** Validated settings: POSIX identity, root directory, mount path, IA transition. */
  settings: FileSystemSettings;
  /** VPC of the mount targets' security group. */
  vpcId: pulumi.Input<string>;
  /** Private subnets (one mount target each), as the VPC returns them. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Number of private subnets (one per AZ), known before the VPC exists. */
  subnetCount: number;
  /** Customer-managed KMS key for encryption at rest. */
  kmsKeyArn: pulumi.Input<string>;
  /** The stack's retention policy: Pulumi `protect` on the file system. */
  retention: RetentionPolicy;
}

/** File-system policy: TLS only, and only through the access point (which pins the POSIX user). */
export function fileSystemPolicy(fileSystemArn: string, accessPointArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "*",
      Resource: fileSystemArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyMountsOutsideTheAccessPoint",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"],
      Resource: fileSystemArn,
      Condition: { StringNotEquals: { "elasticfilesystem:AccessPointArn": accessPointArn } },
    },
  ]);
}

/** What a task role needs to mount and write through the access point: nothing else, no root access. */
export function mountStatement(fileSystemArn: string, accessPointArn: string): PolicyStatement {
  return {
    Sid: "MountSharedFileSystem",
    Effect: "Allow",
    Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
    Resource: fileSystemArn,
    Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": accessPointArn } },
  };
}

/**
 * Shared files for Fargate tasks: an EFS file system encrypted with the customer key (elastic
 * throughput, IA after N days, AWS Backup on), a mount target in every private subnet, a security
 * group with no rules of its own (each granted service adds its 2049 ingress), and one access point
 * that pins a POSIX uid/gid and a root directory. Services that declare `access.fileSystem` mount it
 * with IAM authorisation and TLS.
 */
export class SharedFileSystem extends pulumi.ComponentResource implements Grantable {
  /** File system id. */
  public readonly fileSystemId: pulumi.Output<string>;
  /** Access point id. */
  public readonly accessPointId: pulumi.Output<string>;
  /** The mount targets' security group. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** File system ARN (what AWS Backup selects). */
  public readonly fileSystemArn: pulumi.Output<string>;
  private readonly accessPointArn: pulumi.Output<string>;
  private readonly mountPath: string;
  private readonly mountTargets: aws.efs.MountTarget[];

  constructor(name: string, args: SharedFileSystemArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:storage:SharedFileSystem", name, {}, opts);
    const s = args.settings;
    const fileSystem = new aws.efs.FileSystem(
      name,
      {
        encrypted: true,
        kmsKeyId: args.kmsKeyArn,
        performanceMode: "generalPurpose",
        throughputMode: "elastic",
        lifecyclePolicies: [
          { transitionToIa: `AFTER_${s.transitionToIaDays}_DAY${s.transitionToIaDays === 1 ? "" : "S"}` },
          { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
        ],
        tags: { Name: `${args.namePrefix}-shared` },
      },
      { parent: this, protect: args.retention.protect },
    );
    new aws.efs.BackupPolicy(name, { fileSystemId: fileSystem.id, backupPolicy: { status: "ENABLED" } }, { parent: this });
    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpcId, description: `EFS ${args.namePrefix}: NFS only from granted services` },
      { parent: this },
    );
    const subnets = pulumi.output(args.subnetIds);
    this.mountTargets = Array.from(
      { length: args.subnetCount },
      (_, i) =>
        new aws.efs.MountTarget(
          `${name}-mount-${i + 1}`,
          { fileSystemId: fileSystem.id, subnetId: subnets.apply((ids) => ids[i]), securityGroups: [sg.id] },
          { parent: this },
        ),
    );
    const accessPoint = new aws.efs.AccessPoint(
      `${name}-ap`,
      {
        fileSystemId: fileSystem.id,
        posixUser: { uid: s.posixUid, gid: s.posixGid },
        rootDirectory: { path: s.rootPath, creationInfo: { ownerUid: s.posixUid, ownerGid: s.posixGid, permissions: "750" } },
        tags: { Name: `${args.namePrefix}-shared` },
      },
      { parent: this },
    );
    new aws.efs.FileSystemPolicy(
      name,
      { fileSystemId: fileSystem.id, policy: pulumi.all([fileSystem.arn, accessPoint.arn]).apply(([fs, ap]) => JSON.stringify(fileSystemPolicy(fs, ap))) },
      { parent: this },
    );

    this.fileSystemId = fileSystem.id;
    this.accessPointId = accessPoint.id;
    this.securityGroupId = sg.id;
    this.fileSystemArn = fileSystem.arn;
    this.accessPointArn = accessPoint.arn;
    this.mountPath = s.mountPath;
    this.registerOutputs({ fileSystemId: this.fileSystemId, accessPointId: this.accessPointId });
  }

  /** NFS from the service, mount/write through the access point, the volume at the mount path. */
  grantAccess(_grantee: string, _mode: true = true): AccessGrant {
    return {
      target: "file-system",
      ingress: { securityGroupId: this.securityGroupId, port: NFS_PORT },
      taskStatements: [pulumi.all([this.fileSystemArn, this.accessPointArn]).apply(([fs, ap]) => mountStatement(fs, ap))],
      secrets: {},
      secretArns: [],
      kmsKeyArns: [],
      environment: { SHARED_FILES_PATH: this.mountPath },
      volumes: [{ name: "shared", fileSystemId: this.fileSystemId, accessPointId: this.accessPointId, containerPath: this.mountPath }],
      // A task mounts through the mount target in its own AZ, so all of them must exist first.
      dependencies: this.mountTargets,
    };
  }
}
