/**
 * Which input changes make Pulumi replace a resource, per type: the top-level attributes the
 * upstream provider marks ForceNew (SDKv2) or RequiresReplace (Plugin Framework), in
 * terraform-provider-aws (bridged by @pulumi/aws) and terraform-provider-random, read from each
 * resource's source file (`source`), with attribute names as @pulumi/aws spells them. Where the
 * provider forces a replacement only in some cases (its CustomizeDiff), `mayReplaceOn` says when.
 * One entry per type the stacks and the bootstrap create; a test keeps it complete. Every resource
 * of @pulumi/aws v7 also has a `region` input, and moving a resource to another region replaces it
 * (see `propertyChanges`). Data, not logic.
 */

export interface ReplacementRule {
  /** Top-level input names whose change forces a replacement; `*` is any input (random values). */
  readonly replaceOn: readonly string[];
  /** Inputs whose change forces a replacement only in some cases (the provider's CustomizeDiff), with when. */
  readonly mayReplaceOn?: Readonly<Record<string, string>>;
  /** Holds data, or identity others depend on: a delete or replacement loses it. */
  readonly stateful?: boolean;
  /** The upstream source file the entry was read from. */
  readonly source: string;
}

const TF = (path: string) => `hashicorp/terraform-provider-aws internal/service/${path}`;
const bucketChild = (file: string): ReplacementRule => ({ replaceOn: ["bucket", "expectedBucketOwner"], source: TF(`s3/${file}.go`) });
const SOURCE_SWITCH = "the rule's source changes kind (cidrIpv4, cidrIpv6, prefixListId, referencedSecurityGroupId; the provider's ModifyPlan)";
const securityGroupRule = (file: string): ReplacementRule => ({
  replaceOn: ["securityGroupId"],
  mayReplaceOn: { cidrIpv4: SOURCE_SWITCH, cidrIpv6: SOURCE_SWITCH, prefixListId: SOURCE_SWITCH, referencedSecurityGroupId: SOURCE_SWITCH },
  source: TF(`ec2/${file}.go`),
});

export const REPLACEMENTS: Readonly<Record<string, ReplacementRule>> = {
  "aws:acm/certificate:Certificate": {
    replaceOn: ["certificateAuthorityArn", "domainName", "keyAlgorithm", "subjectAlternativeNames", "validationMethod", "validationOptions"],
    source: TF("acm/certificate.go"),
  },
  "aws:acm/certificateValidation:CertificateValidation": {
    replaceOn: ["certificateArn", "validationRecordFqdns"],
    source: TF("acm/certificate_validation.go"),
  },
  "aws:apigatewayv2/api:Api": { replaceOn: ["protocolType"], source: TF("apigatewayv2/api.go") },
  "aws:apigatewayv2/apiMapping:ApiMapping": { replaceOn: ["domainName"], source: TF("apigatewayv2/api_mapping.go") },
  "aws:apigatewayv2/authorizer:Authorizer": { replaceOn: ["apiId"], source: TF("apigatewayv2/authorizer.go") },
  "aws:apigatewayv2/domainName:DomainName": { replaceOn: ["domainName"], source: TF("apigatewayv2/domain_name.go") },
  "aws:apigatewayv2/integration:Integration": { replaceOn: ["apiId", "integrationSubtype", "integrationType"], source: TF("apigatewayv2/integration.go") },
  "aws:apigatewayv2/route:Route": { replaceOn: ["apiId"], source: TF("apigatewayv2/route.go") },
  "aws:apigatewayv2/stage:Stage": { replaceOn: ["apiId", "name"], source: TF("apigatewayv2/stage.go") },
  "aws:apigatewayv2/vpcLink:VpcLink": { replaceOn: ["securityGroupIds", "subnetIds"], source: TF("apigatewayv2/vpc_link.go") },
  "aws:appautoscaling/policy:Policy": { replaceOn: ["name", "resourceId", "scalableDimension", "serviceNamespace"], source: TF("appautoscaling/policy.go") },
  "aws:appautoscaling/target:Target": { replaceOn: ["resourceId", "scalableDimension", "serviceNamespace"], source: TF("appautoscaling/target.go") },
  "aws:backup/plan:Plan": { replaceOn: ["name"], source: TF("backup/plan.go") },
  // No Update function: every argument replaces the selection.
  "aws:backup/selection:Selection": { replaceOn: ["*"], source: TF("backup/selection.go") },
  "aws:backup/vault:Vault": { replaceOn: ["kmsKeyArn", "name"], stateful: true, source: TF("backup/vault.go") },
  "aws:budgets/budget:Budget": { replaceOn: ["accountId", "name", "namePrefix"], source: TF("budgets/budget.go") },
  "aws:cloudfront/cachePolicy:CachePolicy": { replaceOn: [], source: TF("cloudfront/cache_policy.go") },
  "aws:cloudfront/distribution:Distribution": { replaceOn: ["staging"], source: TF("cloudfront/distribution.go") },
  "aws:cloudfront/function:Function": { replaceOn: ["name"], source: TF("cloudfront/function.go") },
  "aws:cloudfront/monitoringSubscription:MonitoringSubscription": { replaceOn: ["distributionId"], source: TF("cloudfront/monitoring_subscription.go") },
  "aws:cloudfront/originAccessControl:OriginAccessControl": { replaceOn: [], source: TF("cloudfront/origin_access_control.go") },
  "aws:cloudfront/originRequestPolicy:OriginRequestPolicy": { replaceOn: [], source: TF("cloudfront/origin_request_policy.go") },
  "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": { replaceOn: [], source: TF("cloudfront/response_headers_policy.go") },
  "aws:s3/bucketNotification:BucketNotification": { replaceOn: ["bucket"], source: TF("s3/bucket_notification.go") },
  "aws:scheduler/schedule:Schedule": { replaceOn: ["groupName", "name", "namePrefix"], source: TF("scheduler/schedule.go") },
  // Only the name: code, runtime, schedule, run config, artifacts and role update in place (UpdateCanary, after a stop).
  // Removing a set alias also replaces (the provider's CustomizeDiff); the workspace holds the metrics history.
  "aws:amp/workspace:Workspace": {
    replaceOn: ["kmsKeyArn"],
    mayReplaceOn: { alias: "an alias that was set is removed" },
    stateful: true,
    source: TF("amp/workspace.go"),
  },
  // Dashboards, users and data sources live in the workspace.
  "aws:grafana/workspace:Workspace": { replaceOn: ["authenticationProviders", "kmsKeyId"], stateful: true, source: TF("grafana/workspace.go") },
  "aws:synthetics/canary:Canary": { replaceOn: ["name"], source: TF("synthetics/canary.go") },
  "aws:scheduler/scheduleGroup:ScheduleGroup": { replaceOn: ["name", "namePrefix"], source: TF("scheduler/schedule_group.go") },
  "aws:sesv2/configurationSet:ConfigurationSet": { replaceOn: ["configurationSetName"], source: TF("sesv2/configuration_set.go") },
  "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination": {
    replaceOn: ["configurationSetName", "eventDestinationName"],
    source: TF("sesv2/configuration_set_event_destination.go"),
  },
  "aws:sesv2/emailIdentity:EmailIdentity": { replaceOn: ["emailIdentity"], source: TF("sesv2/email_identity.go") },
  "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes": {
    replaceOn: ["emailIdentity"],
    source: TF("sesv2/email_identity_mail_from_attributes.go"),
  },
  "aws:servicediscovery/httpNamespace:HttpNamespace": { replaceOn: ["description", "name"], source: TF("servicediscovery/http_namespace.go") },
  "aws:cloudtrail/trail:Trail": { replaceOn: ["name"], source: TF("cloudtrail/trail.go") },
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": { replaceOn: ["actionsEnabled", "alarmName"], source: TF("cloudwatch/composite_alarm.go") },
  "aws:cloudwatch/dashboard:Dashboard": { replaceOn: ["dashboardName"], source: TF("cloudwatch/dashboard.go") },
  "aws:cloudwatch/eventRule:EventRule": { replaceOn: ["eventBusName", "name", "namePrefix"], source: TF("events/rule.go") },
  "aws:cloudwatch/eventTarget:EventTarget": { replaceOn: ["eventBusName", "rule", "targetId"], source: TF("events/target.go") },
  "aws:cloudwatch/logGroup:LogGroup": { replaceOn: ["logGroupClass", "name", "namePrefix"], source: TF("logs/group.go") },
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": { replaceOn: ["policyName", "resourceArn"], source: TF("logs/resource_policy.go") },
  // alarm_name is `name` in @pulumi/aws.
  "aws:cloudwatch/metricAlarm:MetricAlarm": { replaceOn: ["name"], source: TF("cloudwatch/metric_alarm.go") },
  "aws:codebuild/project:Project": { replaceOn: ["name"], source: TF("codebuild/project.go") },
  "aws:codepipeline/pipeline:Pipeline": { replaceOn: ["name"], source: TF("codepipeline/codepipeline.go") },
  "aws:cognito/resourceServer:ResourceServer": { replaceOn: ["identifier", "userPoolId"], source: TF("cognitoidp/resource_server.go") },
  "aws:cognito/userPool:UserPool": { replaceOn: ["aliasAttributes", "name", "usernameAttributes"], stateful: true, source: TF("cognitoidp/user_pool.go") },
  "aws:cognito/userPoolClient:UserPoolClient": { replaceOn: ["generateSecret", "userPoolId"], source: TF("cognitoidp/user_pool_client.go") },
  "aws:cognito/userPoolDomain:UserPoolDomain": {
    replaceOn: ["domain", "userPoolId"],
    mayReplaceOn: { certificateArn: "unless it changes from one certificate to another (added or removed replaces)" },
    source: TF("cognitoidp/user_pool_domain.go"),
  },
  "aws:dynamodb/table:Table": {
    replaceOn: ["hashKey", "localSecondaryIndexes", "name", "rangeKey", "restoreDateTime", "restoreToLatestTime"],
    mayReplaceOn: {
      restoreSourceName: "when it changes to another non-empty value",
      restoreSourceTableArn: "when it changes to another non-empty value",
      warmThroughput: "when read or write units are lowered to a non-zero value",
    },
    stateful: true,
    source: TF("dynamodb/table.go"),
  },
  // Removing or replacing a replica deletes its items in the replica's region.
  "aws:dynamodb/tableReplica:TableReplica": {
    replaceOn: ["globalTableArn", "kmsKeyArn", "tableClassOverride"],
    stateful: true,
    source: TF("dynamodb/table_replica.go"),
  },
  "aws:ec2/flowLog:FlowLog": {
    replaceOn: [
      "deliverCrossAccountRole",
      "destinationOptions",
      "eniId",
      "iamRoleArn",
      "logDestination",
      "logDestinationType",
      "logFormat",
      "maxAggregationInterval",
      "regionalNatGatewayId",
      "subnetId",
      "trafficType",
      "transitGatewayAttachmentId",
      "transitGatewayId",
      "vpcId",
    ],
    source: TF("ec2/vpc_flow_log.go"),
  },
  // Adopted, not created: a replacement re-adopts the same group.
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": { replaceOn: ["vpcId"], source: TF("ec2/vpc_default_security_group.go") },
  "aws:ec2/securityGroup:SecurityGroup": { replaceOn: ["description", "name", "namePrefix", "vpcId"], source: TF("ec2/vpc_security_group.go") },
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": { replaceOn: ["policy", "repository"], source: TF("ecr/lifecycle_policy.go") },
  "aws:ecr/repository:Repository": { replaceOn: ["encryptionConfigurations", "name"], stateful: true, source: TF("ecr/repository.go") },
  // One per registry; every change is a Put.
  "aws:ecr/replicationConfiguration:ReplicationConfiguration": { replaceOn: [], source: TF("ecr/replication_configuration.go") },
  "aws:ecs/cluster:Cluster": { replaceOn: ["name"], source: TF("ecs/cluster.go") },
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": { replaceOn: ["clusterName"], source: TF("ecs/cluster_capacity_providers.go") },
  "aws:ecs/service:Service": {
    replaceOn: ["cluster", "iamRole", "launchType", "name", "schedulingStrategy"],
    mayReplaceOn: { capacityProviderStrategy: "in older provider versions, unless forceNewDeployment is set" },
    source: TF("ecs/service.go"),
  },
  "aws:ecs/taskDefinition:TaskDefinition": {
    replaceOn: [
      "containerDefinitions",
      "cpu",
      "enableFaultInjection",
      "ephemeralStorage",
      "executionRoleArn",
      "family",
      "inferenceAccelerators",
      "ipcMode",
      "memory",
      "networkMode",
      "pidMode",
      "placementConstraints",
      "proxyConfiguration",
      "requiresCompatibilities",
      "runtimePlatform",
      "taskRoleArn",
      "volumes",
    ],
    source: TF("ecs/task_definition.go"),
  },
  "aws:efs/accessPoint:AccessPoint": { replaceOn: ["fileSystemId", "posixUser", "rootDirectory"], source: TF("efs/access_point.go") },
  "aws:efs/backupPolicy:BackupPolicy": { replaceOn: ["fileSystemId"], source: TF("efs/backup_policy.go") },
  "aws:efs/fileSystem:FileSystem": {
    replaceOn: ["availabilityZoneName", "creationToken", "encrypted", "kmsKeyId", "performanceMode"],
    stateful: true,
    source: TF("efs/file_system.go"),
  },
  "aws:efs/fileSystemPolicy:FileSystemPolicy": { replaceOn: ["fileSystemId"], source: TF("efs/file_system_policy.go") },
  "aws:efs/mountTarget:MountTarget": {
    replaceOn: ["fileSystemId", "ipAddress", "ipAddressType", "ipv6Address", "subnetId"],
    source: TF("efs/mount_target.go"),
  },
  "aws:elasticache/parameterGroup:ParameterGroup": { replaceOn: ["description", "family", "name"], source: TF("elasticache/parameter_group.go") },
  "aws:elasticache/replicationGroup:ReplicationGroup": {
    replaceOn: [
      "atRestEncryptionEnabled",
      "dataTieringEnabled",
      "globalReplicationGroupId",
      "kmsKeyId",
      "networkType",
      "port",
      "replicationGroupId",
      "securityGroupNames",
      "snapshotArns",
      "snapshotName",
      "subnetGroupName",
    ],
    mayReplaceOn: {
      engine: "on any change except redis to valkey (and never for a global group)",
      engineVersion: "on a downgrade",
      nodeGroupConfigurations: "on a change to a node group's layout",
      transitEncryptionEnabled: "when the engine version is below 7.0.5",
    },
    stateful: true,
    source: TF("elasticache/replication_group.go"),
  },
  "aws:elasticache/subnetGroup:SubnetGroup": { replaceOn: ["name"], source: TF("elasticache/subnet_group.go") },
  "aws:guardduty/detector:Detector": { replaceOn: [], source: TF("guardduty/detector.go") },
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": { replaceOn: ["url"], source: TF("iam/openid_connect_provider.go") },
  "aws:iam/policy:Policy": { replaceOn: ["description", "name", "namePrefix", "path"], source: TF("iam/policy.go") },
  "aws:iam/role:Role": { replaceOn: ["name", "namePrefix", "path"], source: TF("iam/role.go") },
  // No Update function: both arguments replace the attachment.
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { replaceOn: ["policyArn", "role"], source: TF("iam/role_policy_attachment.go") },
  "aws:iam/rolePolicy:RolePolicy": { replaceOn: ["name", "namePrefix", "role"], source: TF("iam/role_policy.go") },
  "aws:kms/alias:Alias": { replaceOn: ["name", "namePrefix"], source: TF("kms/alias.go") },
  "aws:kms/key:Key": {
    replaceOn: ["customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId"],
    stateful: true,
    source: TF("kms/key.go"),
  },
  "aws:lambda/eventSourceMapping:EventSourceMapping": {
    replaceOn: [
      "amazonManagedKafkaEventSourceConfig",
      "eventSourceArn",
      "queues",
      "selfManagedEventSource",
      "selfManagedKafkaEventSourceConfig",
      "startingPosition",
      "startingPositionTimestamp",
      "topics",
    ],
    source: TF("lambda/event_source_mapping.go"),
  },
  // function_name is `name` in @pulumi/aws.
  "aws:lambda/function:Function": { replaceOn: ["name", "packageType"], source: TF("lambda/function.go") },
  "aws:lb/listener:Listener": { replaceOn: ["loadBalancerArn"], source: TF("elbv2/listener.go") },
  "aws:lb/listenerRule:ListenerRule": { replaceOn: ["listenerArn"], source: TF("elbv2/listener_rule.go") },
  "aws:lb/loadBalancer:LoadBalancer": {
    replaceOn: ["customerOwnedIpv4Pool", "internal", "loadBalancerType", "name", "namePrefix"],
    mayReplaceOn: { subnetMappings: "when an existing mapping changes (ALB); subnets and security groups also for NLBs" },
    source: TF("elbv2/load_balancer.go"),
  },
  "aws:lb/targetGroup:TargetGroup": {
    replaceOn: ["ipAddressType", "name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId"],
    source: TF("elbv2/target_group.go"),
  },
  "aws:rds/cluster:Cluster": {
    replaceOn: [
      "availabilityZones",
      "clusterIdentifier",
      "clusterIdentifierPrefix",
      "clusterScalabilityType",
      "databaseName",
      "dbSubnetGroupName",
      "dbSystemId",
      "engine",
      "engineMode",
      "kmsKeyId",
      "masterUsername",
      "restoreToPointInTime",
      "snapshotIdentifier",
      "sourceRegion",
      "storageEncrypted",
    ],
    stateful: true,
    source: TF("rds/cluster.go"),
  },
  // Deleting it detaches its members (forceDestroy); the data stays in the member clusters.
  "aws:rds/globalCluster:GlobalCluster": {
    replaceOn: ["databaseName", "engine", "globalClusterIdentifier", "sourceDbClusterIdentifier", "storageEncrypted"],
    stateful: true,
    source: TF("rds/global_cluster.go"),
  },
  "aws:rds/clusterInstance:ClusterInstance": {
    replaceOn: ["availabilityZone", "clusterIdentifier", "customIamInstanceProfile", "dbSubnetGroupName", "engine", "identifier", "identifierPrefix"],
    stateful: true,
    source: TF("rds/cluster_instance.go"),
  },
  "aws:rds/clusterParameterGroup:ClusterParameterGroup": {
    replaceOn: ["description", "family", "name", "namePrefix"],
    source: TF("rds/cluster_parameter_group.go"),
  },
  "aws:rds/parameterGroup:ParameterGroup": { replaceOn: ["description", "family", "name", "namePrefix"], source: TF("rds/parameter_group.go") },
  "aws:rds/subnetGroup:SubnetGroup": { replaceOn: ["name", "namePrefix"], source: TF("rds/subnet_group.go") },
  "aws:route53/healthCheck:HealthCheck": {
    replaceOn: ["measureLatency", "referenceName", "requestInterval", "routingControlArn", "type"],
    source: TF("route53/health_check.go"),
  },
  // type and setIdentifier are not ForceNew: the provider swaps the record set in one change batch.
  "aws:route53/record:Record": { replaceOn: ["name", "zoneId"], source: TF("route53/record.go") },
  "aws:s3/bucket:Bucket": { replaceOn: ["bucket", "bucketPrefix", "objectLockEnabled"], stateful: true, source: TF("s3/bucket.go") },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": bucketChild("bucket_lifecycle_configuration"),
  "aws:s3/bucketObjectv2:BucketObjectv2": { replaceOn: ["bucket", "key"], source: TF("s3/object.go") },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { replaceOn: ["bucket"], source: TF("s3/bucket_ownership_controls.go") },
  "aws:s3/bucketPolicy:BucketPolicy": { replaceOn: ["bucket"], source: TF("s3/bucket_policy.go") },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { replaceOn: ["bucket"], source: TF("s3/bucket_public_access_block.go") },
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": { replaceOn: ["bucket"], source: TF("s3/bucket_replication_configuration.go") },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": bucketChild("bucket_server_side_encryption_configuration"),
  "aws:s3/bucketVersioning:BucketVersioning": bucketChild("bucket_versioning"),
  "aws:secretsmanager/secret:Secret": { replaceOn: ["name", "namePrefix"], stateful: true, source: TF("secretsmanager/secret.go") },
  "aws:secretsmanager/secretRotation:SecretRotation": { replaceOn: ["secretId"], source: TF("secretsmanager/secret_rotation.go") },
  "aws:secretsmanager/secretVersion:SecretVersion": {
    replaceOn: ["secretBinary", "secretId", "secretString", "secretStringWoVersion"],
    source: TF("secretsmanager/secret_version.go"),
  },
  "aws:sns/smsPreferences:SmsPreferences": { replaceOn: [], source: TF("sns/sms_preferences.go") },
  "aws:sns/topic:Topic": { replaceOn: ["fifoTopic", "name", "namePrefix"], source: TF("sns/topic.go") },
  "aws:sns/topicPolicy:TopicPolicy": { replaceOn: ["arn"], source: TF("sns/topic_policy.go") },
  // topic_arn is `topic` in @pulumi/aws.
  "aws:sns/topicSubscription:TopicSubscription": { replaceOn: ["endpoint", "protocol", "topic"], source: TF("sns/topic_subscription.go") },
  "aws:sqs/queue:Queue": { replaceOn: ["fifoQueue", "name", "namePrefix"], stateful: true, source: TF("sqs/queue.go") },
  "aws:sqs/queuePolicy:QueuePolicy": { replaceOn: ["queueUrl"], source: TF("sqs/queue_policy.go") },
  "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": { replaceOn: ["queueUrl"], source: TF("sqs/queue_redrive_allow_policy.go") },
  "aws:ssm/parameter:Parameter": {
    replaceOn: ["dataType", "name"],
    mayReplaceOn: { tier: "when it changes from Advanced to Standard" },
    source: TF("ssm/parameter.go"),
  },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": securityGroupRule("vpc_security_group_egress_rule"),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": securityGroupRule("vpc_security_group_ingress_rule"),
  "aws:wafv2/webAcl:WebAcl": { replaceOn: ["name", "namePrefix", "scope"], source: TF("wafv2/web_acl.go") },
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": {
    replaceOn: ["logDestinationConfigs", "resourceArn"],
    source: TF("wafv2/web_acl_logging_configuration.go"),
  },
  // awsx's VPC is a remote component: these inputs reach the VPC and its subnets, whose CIDR
  // blocks and AZs are ForceNew (aws_vpc cidr_block, aws_subnet cidr_block and availability_zone).
  "awsx:ec2:Vpc": {
    replaceOn: ["availabilityZoneNames", "cidrBlock", "subnetSpecs", "subnetStrategy"],
    source: `${TF("ec2/vpc_.go")}, ${TF("ec2/vpc_subnet.go")}`,
  },
  // Every argument of random_password is RequiresReplace.
  "random:index/randomPassword:RandomPassword": { replaceOn: ["*"], source: "hashicorp/terraform-provider-random internal/provider/resource_password.go" },
  // A provider whose region changes replaces every resource it manages.
  "pulumi:providers:aws": { replaceOn: ["region"], source: "https://www.pulumi.com/docs/iac/concepts/resources/providers/" },
};

/** Components (`platform:*`) register no inputs of their own: they are never replaced themselves. */
export const isComponent = (type: string) => type.startsWith("platform:");
