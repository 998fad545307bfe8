import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccountContext } from "./iam";
import type { RecoveryRegionRef } from "./references";

export interface ImageReplicationArgs {
  /** Physical name prefix, `<project>-<stack>`: repositories `<prefix>/...` are replicated. */
  namePrefix: string;
  /** Account whose registry (in the DR region) receives the images. */
  account: pulumi.Input<AccountContext>;
  /** The DR region. */
  recovery: RecoveryRegionRef;
  /** The twin repositories in the DR region: replication starts once they exist. */
  replicas: aws.ecr.Repository[];
}

/** The registry's replication rule: the stack's repositories (`<prefix>/`, not a longer prefix) to the DR region of this account. */
export function replicationRule(
  namePrefix: string,
  accountId: string,
  region: string,
): aws.types.input.ecr.ReplicationConfigurationReplicationConfigurationRule {
  return {
    destinations: [{ region, registryId: accountId }],
    repositoryFilters: [{ filter: `${namePrefix}/`, filterType: "PREFIX_MATCH" }],
  };
}

/**
 * ECR replication of the stack's images to the DR region. The configuration belongs to the
 * registry (one per account and region: a second stack in this account and region that sets it
 * would overwrite this one, and deleting it removes every rule), so only a stack with a DR region
 * creates it. Only images pushed after it exists are replicated: the pipelines' pushes are.
 */
export class ImageReplication extends pulumi.ComponentResource {
  constructor(name: string, args: ImageReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:delivery:ImageReplication", name, {}, opts);
    new aws.ecr.ReplicationConfiguration(
      name,
      {
        replicationConfiguration: {
          rules: [pulumi.output(args.account).apply((a) => replicationRule(args.namePrefix, a.accountId, args.recovery.region))],
        },
      },
      { parent: this, dependsOn: args.replicas },
    );
    this.registerOutputs({});
  }
}
