/**
 * Which input changes make Pulumi replace a resource, per type: the properties the upstream
 * provider marks ForceNew (terraform-provider-aws, bridged by @pulumi/aws; each property's registry
 * page says "Changing this forces a new resource"). One entry per type the stacks create; a test
 * keeps it complete. `*` means any input change replaces (random values). Data, not logic.
 *
 * Source of every entry: its Pulumi registry page, `registryPage(type)` (built from the type token),
 * which carries the provider's ForceNew notes property by property.
 */

export interface ReplacementRule {
  /** Top-level input names whose change forces a replacement. */
  readonly replaceOn: readonly string[];
  /** Holds data, or identity others depend on: a delete or replacement loses it. */
  readonly stateful?: boolean;
}

/** The registry page a rule was taken from. */
export function registryPage(type: string): string {
  const m = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):/.exec(type);
  if (m) return `https://www.pulumi.com/registry/packages/aws/api-docs/${m[1]}/${m[2].toLowerCase()}/`;
  if (type.startsWith("random:")) return `https://www.pulumi.com/registry/packages/random/api-docs/${type.split(":")[2].toLowerCase()}/`;
  if (type.startsWith("awsx:")) return "https://www.pulumi.com/registry/packages/awsx/api-docs/ec2/vpc/";
  return "https://www.pulumi.com/docs/iac/concepts/resources/providers/";
}

const bucketChild: ReplacementRule = { replaceOn: ["bucket", "expectedBucketOwner"] };

export const REPLACEMENTS: Readonly<Record<string, ReplacementRule>> = {
  "aws:acm/certificate:Certificate": { replaceOn: ["domainName", "subjectAlternativeNames", "keyAlgorithm", "certificateAuthorityArn"] },
  "aws:acm/certificateValidation:CertificateValidation": { replaceOn: ["certificateArn", "validationRecordFqdns"] },
  "aws:appautoscaling/policy:Policy": { replaceOn: ["name", "resourceId", "scalableDimension", "serviceNamespace"] },
  "aws:appautoscaling/target:Target": { replaceOn: ["resourceId", "scalableDimension", "serviceNamespace"] },
  "aws:budgets/budget:Budget": { replaceOn: ["name", "namePrefix", "accountId"] },
  "aws:cloudfront/cachePolicy:CachePolicy": { replaceOn: [] },
  "aws:cloudfront/distribution:Distribution": { replaceOn: [] },
  "aws:cloudfront/monitoringSubscription:MonitoringSubscription": { replaceOn: ["distributionId"] },
  "aws:cloudfront/originAccessControl:OriginAccessControl": { replaceOn: [] },
  "aws:cloudfront/originRequestPolicy:OriginRequestPolicy": { replaceOn: [] },
  "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": { replaceOn: [] },
  "aws:cloudtrail/trail:Trail": { replaceOn: ["name"] },
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": { replaceOn: ["alarmName"] },
  "aws:cloudwatch/dashboard:Dashboard": { replaceOn: ["dashboardName"] },
  "aws:cloudwatch/eventRule:EventRule": { replaceOn: ["name", "namePrefix", "eventBusName"] },
  "aws:cloudwatch/eventTarget:EventTarget": { replaceOn: ["rule", "targetId", "eventBusName"] },
  "aws:cloudwatch/logGroup:LogGroup": { replaceOn: ["name", "namePrefix", "logGroupClass"] },
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": { replaceOn: ["policyName"] },
  "aws:cloudwatch/metricAlarm:MetricAlarm": { replaceOn: ["name"] },
  "aws:codebuild/project:Project": { replaceOn: ["name"] },
  "aws:codepipeline/pipeline:Pipeline": { replaceOn: ["name"] },
  "aws:cognito/userPool:UserPool": { replaceOn: ["name", "aliasAttributes", "usernameAttributes", "schemas"], stateful: true },
  "aws:cognito/userPoolClient:UserPoolClient": { replaceOn: ["userPoolId", "generateSecret"] },
  "aws:cognito/userPoolDomain:UserPoolDomain": { replaceOn: ["domain", "userPoolId"] },
  "aws:dynamodb/table:Table": { replaceOn: ["name", "hashKey", "rangeKey", "localSecondaryIndexes"], stateful: true },
  "aws:ec2/flowLog:FlowLog": {
    replaceOn: [
      "vpcId",
      "subnetId",
      "logDestination",
      "logDestinationType",
      "trafficType",
      "iamRoleArn",
      "logFormat",
      "maxAggregationInterval",
      "destinationOptions",
    ],
  },
  "aws:ec2/securityGroup:SecurityGroup": { replaceOn: ["name", "namePrefix", "vpcId", "description"] },
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": { replaceOn: ["repository"] },
  "aws:ecr/repository:Repository": { replaceOn: ["name", "encryptionConfigurations"], stateful: true },
  "aws:ecs/cluster:Cluster": { replaceOn: ["name"] },
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": { replaceOn: ["clusterName"] },
  "aws:ecs/service:Service": { replaceOn: ["name", "cluster", "launchType", "schedulingStrategy", "iamRole"] },
  "aws:ecs/taskDefinition:TaskDefinition": {
    replaceOn: [
      "family",
      "containerDefinitions",
      "cpu",
      "memory",
      "executionRoleArn",
      "taskRoleArn",
      "networkMode",
      "requiresCompatibilities",
      "volumes",
      "runtimePlatform",
      "ephemeralStorage",
      "pidMode",
      "ipcMode",
      "placementConstraints",
      "proxyConfiguration",
    ],
  },
  "aws:efs/accessPoint:AccessPoint": { replaceOn: ["fileSystemId", "posixUser", "rootDirectory"] },
  "aws:efs/backupPolicy:BackupPolicy": { replaceOn: ["fileSystemId"] },
  "aws:efs/fileSystem:FileSystem": { replaceOn: ["creationToken", "encrypted", "kmsKeyId", "performanceMode", "availabilityZoneName"], stateful: true },
  "aws:efs/fileSystemPolicy:FileSystemPolicy": { replaceOn: ["fileSystemId"] },
  "aws:efs/mountTarget:MountTarget": { replaceOn: ["fileSystemId", "subnetId", "ipAddress"] },
  "aws:elasticache/parameterGroup:ParameterGroup": { replaceOn: ["name", "family", "description"] },
  "aws:elasticache/replicationGroup:ReplicationGroup": {
    replaceOn: ["replicationGroupId", "atRestEncryptionEnabled", "kmsKeyId", "subnetGroupName", "port", "dataTieringEnabled", "snapshotArns", "snapshotName"],
    stateful: true,
  },
  "aws:elasticache/subnetGroup:SubnetGroup": { replaceOn: ["name"] },
  "aws:guardduty/detector:Detector": { replaceOn: [] },
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": { replaceOn: ["url"] },
  "aws:iam/policy:Policy": { replaceOn: ["name", "namePrefix", "path", "description"] },
  "aws:iam/role:Role": { replaceOn: ["name", "namePrefix", "path"] },
  "aws:iam/rolePolicy:RolePolicy": { replaceOn: ["name", "namePrefix", "role"] },
  "aws:kms/alias:Alias": { replaceOn: ["name", "namePrefix"] },
  "aws:kms/key:Key": { replaceOn: ["customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"], stateful: true },
  "aws:lambda/eventSourceMapping:EventSourceMapping": {
    replaceOn: ["eventSourceArn", "startingPosition", "startingPositionTimestamp", "selfManagedEventSource"],
  },
  "aws:lambda/function:Function": { replaceOn: ["name", "packageType"] },
  "aws:lb/listener:Listener": { replaceOn: ["loadBalancerArn"] },
  "aws:lb/listenerRule:ListenerRule": { replaceOn: ["listenerArn"] },
  "aws:lb/loadBalancer:LoadBalancer": { replaceOn: ["name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool"] },
  "aws:lb/targetGroup:TargetGroup": { replaceOn: ["name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId"] },
  "aws:rds/cluster:Cluster": {
    replaceOn: [
      "clusterIdentifier",
      "clusterIdentifierPrefix",
      "engine",
      "engineMode",
      "databaseName",
      "masterUsername",
      "storageEncrypted",
      "kmsKeyId",
      "availabilityZones",
      "dbSubnetGroupName",
      "snapshotIdentifier",
      "restoreToPointInTime",
      "s3Import",
    ],
    stateful: true,
  },
  "aws:rds/clusterInstance:ClusterInstance": {
    replaceOn: ["identifier", "identifierPrefix", "clusterIdentifier", "engine", "availabilityZone", "dbSubnetGroupName"],
    stateful: true,
  },
  "aws:rds/clusterParameterGroup:ClusterParameterGroup": { replaceOn: ["name", "namePrefix", "family", "description"] },
  "aws:rds/parameterGroup:ParameterGroup": { replaceOn: ["name", "namePrefix", "family", "description"] },
  "aws:rds/subnetGroup:SubnetGroup": { replaceOn: ["name", "namePrefix"] },
  "aws:route53/healthCheck:HealthCheck": { replaceOn: ["type", "referenceName", "routingControlArn"] },
  "aws:route53/record:Record": { replaceOn: ["name", "type", "zoneId", "setIdentifier"] },
  "aws:s3/bucket:Bucket": { replaceOn: ["bucket", "bucketPrefix", "objectLockEnabled"], stateful: true },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": bucketChild,
  "aws:s3/bucketObjectv2:BucketObjectv2": { replaceOn: ["bucket", "key"] },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { replaceOn: ["bucket"] },
  "aws:s3/bucketPolicy:BucketPolicy": { replaceOn: ["bucket"] },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { replaceOn: ["bucket"] },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": bucketChild,
  "aws:s3/bucketVersioning:BucketVersioning": bucketChild,
  "aws:secretsmanager/secret:Secret": { replaceOn: ["name", "namePrefix"], stateful: true },
  "aws:secretsmanager/secretRotation:SecretRotation": { replaceOn: ["secretId"] },
  "aws:secretsmanager/secretVersion:SecretVersion": { replaceOn: ["secretId", "secretString", "secretBinary"] },
  "aws:sns/topic:Topic": { replaceOn: ["name", "namePrefix", "fifoTopic"] },
  "aws:sns/topicPolicy:TopicPolicy": { replaceOn: ["arn"] },
  "aws:sns/topicSubscription:TopicSubscription": { replaceOn: ["topic", "protocol", "endpoint"] },
  "aws:sqs/queue:Queue": { replaceOn: ["name", "namePrefix", "fifoQueue"], stateful: true },
  "aws:sqs/queuePolicy:QueuePolicy": { replaceOn: ["queueUrl"] },
  "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": { replaceOn: ["queueUrl"] },
  "aws:ssm/parameter:Parameter": { replaceOn: ["name"] },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { replaceOn: ["securityGroupId"] },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { replaceOn: ["securityGroupId"] },
  "aws:wafv2/webAcl:WebAcl": { replaceOn: ["name", "namePrefix", "scope"] },
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": { replaceOn: ["resourceArn"] },
  // awsx's VPC is a remote component: these inputs reach the VPC and subnets, whose CIDRs and AZs are ForceNew.
  "awsx:ec2:Vpc": { replaceOn: ["cidrBlock", "availabilityZoneNames", "subnetSpecs", "subnetStrategy"] },
  "random:index/randomPassword:RandomPassword": { replaceOn: ["*"] },
  // A provider whose region changes replaces every resource it manages.
  "pulumi:providers:aws": { replaceOn: ["region"] },
};

/** Components (`platform:*`) register no inputs of their own: they are never replaced themselves. */
export const isComponent = (type: string) => type.startsWith("platform:");
