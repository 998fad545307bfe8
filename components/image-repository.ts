import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RetentionPolicy } from "../stacks/retention";
import type { ImageRepositoryRef, RecoveryRegionRef } from "./references";

export interface ImageRepositoryArgs {
  /** Physical name prefix, `<project>-<stack>`; the repository is `<prefix>/<service>`. */
  namePrefix: string;
  /** Service the images belong to. */
  serviceName: string;
  /** Image the service runs until its pipeline has deployed once (from config). */
  initialImage: string;
  /** Tagged images to keep. */
  keepImages: number;
  /** Customer-managed KMS key for image layers. */
  kmsKeyArn: pulumi.Input<string>;
  /** The stack's retention policy: `forceDestroy` lets a delete remove the images; `retainOnDelete` leaves the repository. */
  retention: RetentionPolicy;
  /** The DR region: a twin repository there receives every image ECR replication copies. Default: none. */
  recovery?: RecoveryRegionRef;
}

/** Keep the newest `keep` tagged images; drop untagged layers after a week. */
export function lifecyclePolicy(keep: number): object {
  return {
    rules: [
      {
        rulePriority: 1,
        description: "Expire untagged images after 7 days",
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `Keep the newest ${keep} images`,
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
        action: { type: "expire" },
      },
    ],
  };
}

/**
 * A service's image repository and the record of what its pipeline last deployed. ECR: scan on
 * push, immutable tags, KMS encryption, lifecycle policy. The SSM parameter
 * `/<prefix>/<service>/image` starts at the image from config; after each successful deploy the
 * pipeline writes the image it deployed, and Pulumi reads the parameter's live value
 * (`deployedImage`) for the task definition. So `pulumi up` always registers the image the
 * pipeline last deployed and never rolls it back, while still owning every other setting of the
 * task definition. With a DR region, a twin repository of the same name and settings there (the
 * region's key) receives the images ECR replication copies (`ImageReplication`).
 */
export class ImageRepository extends pulumi.ComponentResource implements ImageRepositoryRef {
  /** Repository URL (`<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/<service>`). */
  public readonly repositoryUrl: pulumi.Output<string>;
  /** Repository ARN. */
  public readonly repositoryArn: pulumi.Output<string>;
  /** Name of the SSM parameter holding the deployed image. */
  public readonly imageParameterName: pulumi.Output<string>;
  /** ARN of that parameter. */
  public readonly imageParameterArn: pulumi.Output<string>;
  /** The image the service should run: the parameter's current value. */
  public readonly deployedImage: pulumi.Output<string>;
  /** The twin repository in the DR region, when the stack has one. */
  public readonly replicaRepository?: aws.ecr.Repository;
  /** The twin parameter in the DR region (same name), which the pipeline writes with the DR registry's image; none without a DR region. */
  public readonly replicaImageParameter?: { region: string; arn: pulumi.Output<string> };

  constructor(name: string, args: ImageRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:delivery:ImageRepository", name, {}, opts);
    const repositoryIn = (resourceName: string, kmsKey: pulumi.Input<string>, provider?: pulumi.ProviderResource) => {
      const options = { parent: this, ...(provider ? { provider } : {}) };
      const created = new aws.ecr.Repository(
        resourceName,
        {
          name: `${args.namePrefix}/${args.serviceName}`,
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfigurations: [{ encryptionType: "KMS", kmsKey }],
          forceDelete: args.retention.forceDestroy,
        },
        { ...options, retainOnDelete: args.retention.retainOnDelete },
      );
      new aws.ecr.LifecyclePolicy(resourceName, { repository: created.name, policy: JSON.stringify(lifecyclePolicy(args.keepImages)) }, options);
      return created;
    };
    const repository = repositoryIn(name, args.kmsKeyArn);
    // Replication creates a missing destination repository with default settings (AES-256, mutable
    // tags, no lifecycle) and never changes an existing one: so the twin exists first, as here.
    this.replicaRepository = args.recovery ? repositoryIn(`${name}-dr`, args.recovery.kmsKeyArn, args.recovery.provider) : undefined;
    const parameter = new aws.ssm.Parameter(
      `${name}-image`,
      {
        name: `/${args.namePrefix}/${args.serviceName}/image`,
        type: "String",
        description: `Image the ${args.serviceName} pipeline last deployed; Pulumi reads it so it never rolls the service back`,
        value: args.initialImage,
      },
      // The pipeline owns the value after the first deploy.
      { parent: this, ignoreChanges: ["value"] },
    );
    // Its twin in the DR region, where the standby stack reads which image to run without calling
    // this region: the pipeline writes it too, pointing at the DR registry's replicated copy.
    if (args.recovery) {
      const twin = new aws.ssm.Parameter(
        `${name}-image-dr`,
        {
          name: `/${args.namePrefix}/${args.serviceName}/image`,
          type: "String",
          description: `Image the ${args.serviceName} pipeline last deployed, in this region's registry (the DR region's standby runs it)`,
          value: args.initialImage,
        },
        { parent: this, provider: args.recovery.provider, ignoreChanges: ["value"] },
      );
      this.replicaImageParameter = { region: args.recovery.region, arn: twin.arn };
    }
    // Read the live value, not Pulumi's state: state still holds the initial image.
    const live = aws.ssm.getParameterOutput({ name: parameter.name }, { parent: this, dependsOn: [parameter] });

    this.repositoryUrl = repository.repositoryUrl;
    this.repositoryArn = repository.arn;
    this.imageParameterName = parameter.name;
    this.imageParameterArn = parameter.arn;
    this.deployedImage = live.value;
    this.registerOutputs({ repositoryUrl: this.repositoryUrl, imageParameterName: this.imageParameterName });
  }
}
