/** Tagging: every taggable resource carries the required tags (its own or its provider's defaults). */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceRule } from "./common";

/**
 * AWS resource types this program creates that accept tags. Listed explicitly: the analyzer sees
 * inputs, not schemas, and an untagged resource simply has no `tags` input.
 */
export const TAGGABLE_TYPES = [
  "aws:kms/key:Key",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/flowLog:FlowLog",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:cloudwatch/compositeAlarm:CompositeAlarm",
  "aws:cloudwatch/eventRule:EventRule",
  "aws:iam/role:Role",
  "aws:rds/cluster:Cluster",
  "aws:rds/clusterInstance:ClusterInstance",
  "aws:rds/subnetGroup:SubnetGroup",
  "aws:rds/clusterParameterGroup:ClusterParameterGroup",
  "aws:rds/parameterGroup:ParameterGroup",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:elasticache/subnetGroup:SubnetGroup",
  "aws:elasticache/parameterGroup:ParameterGroup",
  "aws:secretsmanager/secret:Secret",
  "aws:ecs/cluster:Cluster",
  "aws:ecs/service:Service",
  "aws:ecs/taskDefinition:TaskDefinition",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:lb/targetGroup:TargetGroup",
  "aws:lb/listener:Listener",
  "aws:lb/listenerRule:ListenerRule",
  "aws:s3/bucket:Bucket",
  "aws:cloudfront/distribution:Distribution",
  "aws:wafv2/webAcl:WebAcl",
  "aws:acm/certificate:Certificate",
  "aws:route53/healthCheck:HealthCheck",
  "aws:route53/zone:Zone",
  "aws:sns/topic:Topic",
  "aws:sqs/queue:Queue",
  "aws:dynamodb/table:Table",
  "aws:lambda/function:Function",
  "aws:efs/fileSystem:FileSystem",
  "aws:efs/accessPoint:AccessPoint",
  "aws:cognito/userPool:UserPool",
  "aws:cloudtrail/trail:Trail",
  "aws:guardduty/detector:Detector",
  "aws:budgets/budget:Budget",
  "aws:appautoscaling/target:Target",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:ecr/repository:Repository",
  "aws:ssm/parameter:Parameter",
  "aws:codebuild/project:Project",
  "aws:codepipeline/pipeline:Pipeline",
];

export const taggingPolicies: ResourceValidationPolicy[] = [
  resourceRule({
    name: "required-tags",
    concern: "tagging",
    description: "Every taggable resource carries the required tags (cost allocation, ownership, environment).",
    severity: "low",
    enforcementLevel: "mandatory",
    remediation: "set them in the stack's aws:defaultTags (applies to every resource) or on the resource's tags",
    configKey: "aws:defaultTags",
    types: TAGGABLE_TYPES,
    check: (_props, ctx) => {
      const missing = ctx.config.requiredTags.filter((tag) => !ctx.tags[tag]);
      return missing.length ? [`missing required tag${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`] : [];
    },
  }),
];
