import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RetentionPolicy } from "../stacks/retention";
import { DeliverySettings, ServicePipeline } from "../stacks/settings";
import { AccountContext, policyDocument, PolicyStatement, serviceTrustPolicy, RoleScope } from "./iam";
import { PrivateBucket } from "./private-bucket";
import type { ClusterRef, ImageRepositoryRef, ServiceRef } from "./references";

/** Buildspecs shipped in the repository (delivery/). */
export const BUILDSPEC = fs.readFileSync(path.join(__dirname, "..", "delivery", "buildspec.yml"), "utf8");
export const RECORD_BUILDSPEC = fs.readFileSync(path.join(__dirname, "..", "delivery", "record-image.buildspec.yml"), "utf8");

export interface DeliveryPipelineArgs {
  /** Where its IAM roles live and what caps them (the stack's path and boundary; see `roleScope`). */
  roles: RoleScope;
  /** Physical name prefix, `<project>-<stack>`. */
  namePrefix: string;
  /** The service this pipeline deploys. */
  serviceName: string;
  /** Repository and branch the service is built from. */
  pipeline: ServicePipeline;
  /** Source provider, connection and build settings. */
  delivery: DeliverySettings;
  /** The service's ECR repository, and the SSM parameter the last stage writes the deployed image to. */
  repository: ImageRepositoryRef;
  /** The cluster the deploy action updates the service in. */
  cluster: Pick<ClusterRef, "name">;
  /** The ECS service the deploy action updates: its task family (revisions of it are registered) and the roles it may pass. */
  service: ServiceRef;
  /** KMS key for the artifact bucket and build logs. */
  kmsKeyArn: pulumi.Input<string>;
  /** Account context for ARNs. */
  account: pulumi.Input<AccountContext>;
  /** Build log retention in days. */
  logRetentionDays: number;
  /** Topic failed executions are reported to, when the stack has one. */
  alertTopicArn?: pulumi.Input<string>;
  /** The stack's retention policy, for the artifact bucket. */
  retention: RetentionPolicy;
}

/** Resolved ARNs a pipeline's policies are built from. */
export interface PipelineArns {
  account: AccountContext;
  bucketArn: string;
  kmsKeyArn: string;
  buildProjectArn: string;
  recordProjectArn: string;
  connectionArn?: string;
  codeCommitRepository?: string;
  ecsServiceArn: string;
  /** Cluster of the service (ecs:cluster condition of task reads). */
  clusterArn: string;
  /** Task-definition family the deploy action registers new revisions of. */
  taskFamily: string;
  taskRoleArn: string;
  executionRoleArn: string;
  repositoryArn: string;
  imageParameterArn: string;
  /** The parameter's twin in the DR region, when the stack has one. */
  replicaImageParameterArn?: string;
  buildLogGroupArn: string;
  recordLogGroupArn: string;
}

/**
 * Artifact access. CodePipeline reads the bucket's location and versioning; CodeBuild its ACL and
 * location (each service's documented service-role policy). Objects are SSE-KMS, so reads decrypt
 * and writes generate data keys, through S3 only.
 */
const artifactAccess = (a: PipelineArns, write: boolean, reader: "codepipeline" | "codebuild"): PolicyStatement[] => [
  {
    Sid: "Artifacts",
    Effect: "Allow",
    Action: write ? ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"] : ["s3:GetObject", "s3:GetObjectVersion"],
    Resource: `${a.bucketArn}/*`,
  },
  {
    Sid: "ArtifactBucket",
    Effect: "Allow",
    Action: reader === "codepipeline" ? ["s3:GetBucketLocation", "s3:GetBucketVersioning"] : ["s3:GetBucketAcl", "s3:GetBucketLocation"],
    Resource: a.bucketArn,
  },
  {
    Sid: "ArtifactKey",
    Effect: "Allow",
    Action: write ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
    Resource: a.kmsKeyArn,
    Condition: { StringEquals: { "kms:ViaService": `s3.${a.account.region}.amazonaws.com` } },
  },
];

/** The permission a CodeConnections connection needs: the action's prefix follows the ARN's service. */
export function useConnectionAction(connectionArn: string): string {
  return `${connectionArn.split(":")[2]}:UseConnection`;
}

/**
 * The pipeline role: read and write this pipeline's artifacts, start its two builds, use its
 * source, and deploy to its one ECS service with what the ECS standard deploy action needs
 * (CodePipeline user guide): describe and update the service, register a revision of its task
 * family (tagged with the current revision's tags, hence TagResource on RegisterTaskDefinition
 * only), and watch its tasks in its cluster. DescribeTaskDefinition has no resource-level
 * permissions and ListTasks none that fits Fargate, so those two stay on "*" (ListTasks pinned to
 * the cluster); PassRole is limited to the service's two roles and to ECS.
 */
export function pipelineRoleStatements(a: PipelineArns): PolicyStatement[] {
  const { partition, region, accountId } = a.account;
  const source: PolicyStatement = a.connectionArn
    ? { Sid: "Source", Effect: "Allow", Action: useConnectionAction(a.connectionArn), Resource: a.connectionArn }
    : {
        Sid: "Source",
        Effect: "Allow",
        Action: [
          "codecommit:GetBranch",
          "codecommit:GetCommit",
          "codecommit:GetUploadArchiveStatus",
          "codecommit:UploadArchive",
          "codecommit:CancelUploadArchive",
        ],
        Resource: `arn:${partition}:codecommit:${region}:${accountId}:${a.codeCommitRepository}`,
      };
  const revisions = `arn:${partition}:ecs:${region}:${accountId}:task-definition/${a.taskFamily}:*`;
  return [
    ...artifactAccess(a, true, "codepipeline"),
    source,
    { Sid: "Builds", Effect: "Allow", Action: ["codebuild:StartBuild", "codebuild:BatchGetBuilds"], Resource: [a.buildProjectArn, a.recordProjectArn] },
    { Sid: "DeployService", Effect: "Allow", Action: ["ecs:DescribeServices", "ecs:UpdateService"], Resource: a.ecsServiceArn },
    { Sid: "ReadTaskDefinitions", Effect: "Allow", Action: "ecs:DescribeTaskDefinition", Resource: "*" },
    { Sid: "RegisterRevisions", Effect: "Allow", Action: "ecs:RegisterTaskDefinition", Resource: revisions },
    {
      Sid: "TagNewRevisions",
      Effect: "Allow",
      Action: "ecs:TagResource",
      Resource: revisions,
      Condition: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } },
    },
    {
      Sid: "WatchTasks",
      Effect: "Allow",
      Action: "ecs:DescribeTasks",
      Resource: `arn:${partition}:ecs:${region}:${accountId}:task/${a.clusterArn.split("/").pop()}/*`,
    },
    { Sid: "ListTasks", Effect: "Allow", Action: "ecs:ListTasks", Resource: "*", Condition: { ArnEquals: { "ecs:cluster": a.clusterArn } } },
    {
      Sid: "PassServiceRoles",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: [a.taskRoleArn, a.executionRoleArn],
      Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    },
  ];
}

/**
 * The build role: its logs, its artifacts, and pushing to its one repository (ECR's documented
 * push permissions, plus DescribeImages: the buildspec skips a commit whose image already exists).
 * ECR encrypts layers with the key through the grant it created with the repository, so pushing
 * needs no kms: permission.
 */
export function buildRoleStatements(a: PipelineArns): PolicyStatement[] {
  return [
    { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${a.buildLogGroupArn}:*` },
    ...artifactAccess(a, true, "codebuild"),
    { Sid: "EcrAuth", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: "PushImage",
      Effect: "Allow",
      Action: [
        "ecr:DescribeImages",
        "ecr:BatchCheckLayerAvailability",
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload",
        "ecr:PutImage",
      ],
      Resource: a.repositoryArn,
    },
  ];
}

/** The record role: its logs, reading the build's artifact, writing its one parameter. */
export function recordRoleStatements(a: PipelineArns): PolicyStatement[] {
  return [
    { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${a.recordLogGroupArn}:*` },
    ...artifactAccess(a, false, "codebuild"),
    {
      Sid: "RecordImage",
      Effect: "Allow",
      Action: "ssm:PutParameter",
      Resource: a.replicaImageParameterArn ? [a.imageParameterArn, a.replicaImageParameterArn] : a.imageParameterArn,
    },
  ];
}

/** EventBridge pattern for this pipeline's failed executions. */
export function failedExecutionPattern(pipelineName: string): object {
  return {
    source: ["aws.codepipeline"],
    "detail-type": ["CodePipeline Pipeline Execution State Change"],
    detail: { pipeline: [pipelineName], state: ["FAILED"] },
  };
}

/**
 * One service's delivery: source (CodeStar connection or CodeCommit) -> CodeBuild (tests, image
 * to ECR with a commit tag, imagedefinitions.json) -> ECS standard deploy of that service only ->
 * record the deployed image for Pulumi. KMS-encrypted private artifact bucket, encrypted build
 * logs, three roles each scoped to this service's resources, and failed executions reported to
 * the alert topic.
 */
export class DeliveryPipeline extends pulumi.ComponentResource {
  /** Pipeline name. */
  public readonly pipelineName: pulumi.Output<string>;
  /** Build project name. */
  public readonly buildProjectName: pulumi.Output<string>;

  constructor(name: string, args: DeliveryPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:delivery:DeliveryPipeline", name, {}, opts);
    const base = `${args.namePrefix}-${args.serviceName}`;
    const account = pulumi.output(args.account);
    const d = args.delivery;

    const artifacts = new PrivateBucket(
      `${name}-artifacts`,
      {
        objectOwnership: "BucketOwnerEnforced",
        kmsKeyArn: args.kmsKeyArn,
        retention: args.retention,
        lifecycleRules: [
          { id: "expire-artifacts", status: "Enabled", filter: { prefix: "" }, expiration: { days: 30 }, noncurrentVersionExpiration: { noncurrentDays: 1 } },
        ],
      },
      { parent: this },
    );
    // The last of the bucket's settings: the pipeline's first execution writes there.
    const artifactsReady = artifacts.attachPolicy(() => []);

    const role = (suffix: string, service: string) =>
      new aws.iam.Role(
        `${name}-${suffix}`,
        {
          description: `${suffix} role of the ${args.serviceName} pipeline (${args.namePrefix})`,
          ...args.roles,
          assumeRolePolicy: account.apply((a) => JSON.stringify(serviceTrustPolicy(service, a.accountId))),
        },
        { parent: this },
      );
    const logGroup = (suffix: string) =>
      new aws.cloudwatch.LogGroup(
        `${name}-${suffix}-logs`,
        { name: `/aws/codebuild/${base}${suffix === "build" ? "" : `-${suffix}`}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn },
        { parent: this },
      );
    const buildLogs = logGroup("build");
    const recordLogs = logGroup("record");
    const buildRole = role("build", "codebuild.amazonaws.com");
    const recordRole = role("record", "codebuild.amazonaws.com");
    const pipelineRole = role("pipeline", "codepipeline.amazonaws.com");

    const project = (
      suffix: "build" | "record",
      serviceRole: aws.iam.Role,
      logs: aws.cloudwatch.LogGroup,
      buildspec: string,
      privileged: boolean,
      variables: { name: string; value: pulumi.Input<string> }[],
    ) =>
      new aws.codebuild.Project(
        `${name}-${suffix}`,
        {
          name: suffix === "build" ? base : `${base}-${suffix}`,
          description: `${suffix} stage of the ${args.serviceName} pipeline`,
          serviceRole: serviceRole.arn,
          encryptionKey: args.kmsKeyArn,
          buildTimeout: 30,
          artifacts: { type: "CODEPIPELINE" },
          source: { type: "CODEPIPELINE", buildspec },
          environment: {
            type: "LINUX_CONTAINER",
            computeType: d.computeType,
            image: d.buildImage,
            imagePullCredentialsType: "CODEBUILD",
            // Docker builds need a privileged container; the record step does not.
            privilegedMode: privileged,
            environmentVariables: variables.map((v) => ({ ...v, type: "PLAINTEXT" })),
          },
          logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logs.name } },
        },
        { parent: this },
      );
    const build = project("build", buildRole, buildLogs, BUILDSPEC, true, [
      { name: "REPOSITORY_URI", value: args.repository.repositoryUrl },
      { name: "CONTAINER_NAME", value: args.serviceName },
    ]);
    const twin = args.repository.replicaImageParameter;
    const record = project("record", recordRole, recordLogs, RECORD_BUILDSPEC, false, [
      { name: "IMAGE_PARAMETER", value: args.repository.imageParameterName },
      ...(twin ? [{ name: "DR_REGION", value: twin.region }] : []),
    ]);

    const resolved = pulumi.output({
      bucketArn: artifacts.bucket.arn,
      kmsKeyArn: args.kmsKeyArn,
      buildProjectArn: build.arn,
      recordProjectArn: record.arn,
      cluster: args.cluster.name,
      service: args.service.serviceName,
      taskRoleArn: args.service.taskRoleArn,
      executionRoleArn: args.service.executionRoleArn,
      repositoryArn: args.repository.repositoryArn,
      imageParameterArn: args.repository.imageParameterArn,
      replicaImageParameterArn: twin?.arn,
      buildLogGroupArn: buildLogs.arn,
      recordLogGroupArn: recordLogs.arn,
    });
    const arns = pulumi.all([account, resolved]).apply(([a, r]): PipelineArns => ({
      account: a,
      bucketArn: r.bucketArn,
      kmsKeyArn: r.kmsKeyArn,
      buildProjectArn: r.buildProjectArn,
      recordProjectArn: r.recordProjectArn,
      taskRoleArn: r.taskRoleArn,
      executionRoleArn: r.executionRoleArn,
      repositoryArn: r.repositoryArn,
      imageParameterArn: r.imageParameterArn,
      replicaImageParameterArn: r.replicaImageParameterArn,
      buildLogGroupArn: r.buildLogGroupArn,
      recordLogGroupArn: r.recordLogGroupArn,
      connectionArn: d.sourceProvider === "CodeStarSourceConnection" ? d.connectionArn : undefined,
      codeCommitRepository: d.sourceProvider === "CodeCommit" ? args.pipeline.repository : undefined,
      ecsServiceArn: `arn:${a.partition}:ecs:${a.region}:${a.accountId}:service/${r.cluster}/${r.service}`,
      clusterArn: `arn:${a.partition}:ecs:${a.region}:${a.accountId}:cluster/${r.cluster}`,
      taskFamily: args.service.taskFamily,
    }));
    const attach = (suffix: string, r: aws.iam.Role, statements: (a: PipelineArns) => PolicyStatement[]) =>
      new aws.iam.RolePolicy(`${name}-${suffix}`, { role: r.id, policy: arns.apply((a) => JSON.stringify(policyDocument(statements(a)))) }, { parent: this });
    // A V2 pipeline starts its first execution when it is created: every role it runs as must be ready.
    const policies = [
      attach("build", buildRole, buildRoleStatements),
      attach("record", recordRole, recordRoleStatements),
      attach("pipeline", pipelineRole, pipelineRoleStatements),
    ];

    const sourceConfiguration: Record<string, pulumi.Input<string>> = d.sourceProvider === "CodeStarSourceConnection"
      ? {
          ConnectionArn: d.connectionArn!,
          FullRepositoryId: args.pipeline.repository,
          BranchName: args.pipeline.branch,
          OutputArtifactFormat: "CODE_ZIP",
          DetectChanges: "true",
        }
      : { RepositoryName: args.pipeline.repository, BranchName: args.pipeline.branch, PollForSourceChanges: "false" };
    const pipeline = new aws.codepipeline.Pipeline(
      `${name}-pipeline`,
      {
        name: base,
        pipelineType: "V2",
        executionMode: "QUEUED",
        roleArn: pipelineRole.arn,
        artifactStores: [{ location: artifacts.bucket.bucket, type: "S3", encryptionKey: { id: args.kmsKeyArn, type: "KMS" } }],
        stages: [
          {
            name: "Source",
            actions: [
              {
                name: "Source",
                category: "Source",
                owner: "AWS",
                provider: d.sourceProvider,
                version: "1",
                outputArtifacts: ["source"],
                configuration: sourceConfiguration,
              },
            ],
          },
          {
            name: "Build",
            actions: [
              {
                name: "TestAndBuild",
                category: "Build",
                owner: "AWS",
                provider: "CodeBuild",
                version: "1",
                inputArtifacts: ["source"],
                outputArtifacts: ["image"],
                configuration: { ProjectName: build.name },
              },
            ],
          },
          {
            name: "Deploy",
            actions: [
              {
                name: "DeployToEcs",
                category: "Deploy",
                owner: "AWS",
                provider: "ECS",
                version: "1",
                inputArtifacts: ["image"],
                configuration: {
                  ClusterName: args.cluster.name,
                  ServiceName: args.service.serviceName,
                  FileName: "imagedefinitions.json",
                  DeploymentTimeout: "30",
                },
              },
            ],
          },
          {
            name: "Record",
            actions: [
              {
                name: "RecordImage",
                category: "Build",
                owner: "AWS",
                provider: "CodeBuild",
                version: "1",
                inputArtifacts: ["image"],
                configuration: { ProjectName: record.name },
              },
            ],
          },
        ],
      },
      { parent: this, dependsOn: [...policies, artifactsReady] },
    );

    if (args.alertTopicArn) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-failed`,
        { description: `Failed executions of ${base}`, eventPattern: pipeline.name.apply((n) => JSON.stringify(failedExecutionPattern(n))) },
        { parent: this },
      );
      new aws.cloudwatch.EventTarget(`${name}-failed`, { rule: rule.name, arn: args.alertTopicArn }, { parent: this });
    }

    this.pipelineName = pipeline.name;
    this.buildProjectName = build.name;
    this.registerOutputs({ pipelineName: this.pipelineName, buildProjectName: this.buildProjectName });
  }
}
