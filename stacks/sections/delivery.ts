/** `platform:delivery`: how per-service pipelines get code and build images. */
import { CODEBUILD_COMPUTE_TYPES } from "../aws-limits";
import { int, oneOf, section, str, v } from "../schema";
import type { Profiles } from "./environments";

/** Where service code lives: a CodeStar (CodeConnections) connection to a Git host, or CodeCommit. */
export const SOURCE_PROVIDERS = ["CodeStarSourceConnection", "CodeCommit"] as const;
export type SourceProvider = (typeof SOURCE_PROVIDERS)[number];

const CONNECTION_ARN = /^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/;

export const deliverySchema = section({
  /** Where service code lives. */
  sourceProvider: oneOf(SOURCE_PROVIDERS),
  /** ARN of the connection, for CodeStarSourceConnection (created and authorised once in the console). */
  connectionArn: v.optional(str(CONNECTION_ARN, "must be a CodeStar/CodeConnections connection ARN")),
  /** CodeBuild managed image. */
  buildImage: str(/^aws\/codebuild\/[a-z0-9._/-]+:[\w.-]+$/, "must be a CodeBuild managed image such as aws/codebuild/amazonlinux-x86_64-standard:5.0"),
  /** CodeBuild compute type. */
  computeType: oneOf(CODEBUILD_COMPUTE_TYPES),
  /** Tagged images each ECR repository keeps (older ones expire). */
  keepImages: int(1, 1000),
});
export type DeliverySettings = v.InferOutput<typeof deliverySchema>;

const shared: Omit<DeliverySettings, "connectionArn"> = {
  sourceProvider: "CodeStarSourceConnection",
  buildImage: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
  computeType: "BUILD_GENERAL1_SMALL",
  keepImages: 30,
};
export const DELIVERY_DEFAULTS: Profiles<Omit<DeliverySettings, "connectionArn">> = { dev: shared, staging: shared, prod: shared };

/** A service's `pipeline:` entry: the repository it builds from and the branch that deploys. */
export const pipelineSchema = section({
  /** `owner/name` on the Git host (CodeStar connection) or the CodeCommit repository name. */
  repository: str(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)?$/, "owner/name on the Git host, or a CodeCommit repository name"),
  /** Branch that deploys (default main). */
  branch: v.optional(str(/^[A-Za-z0-9._/-]{1,255}$/, "a branch name"), "main"),
});
export type ServicePipeline = v.InferOutput<typeof pipelineSchema>;
