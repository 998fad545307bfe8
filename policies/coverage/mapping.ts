/**
 * How the pack answers each peer rule (docs/policy-coverage.md is generated from this and the peer
 * lists beside it). Every applicable peer rule has exactly one answer:
 * - `rules`: the pack rules that enforce it;
 * - `construction`: the platform cannot build the misconfiguration, and which test proves it;
 * - `declined`: a deliberate choice not to enforce it, with the reason (a peer error declined here
 *   says why the design differs);
 * - `notApplicable`: the rule concerns something this design does not have.
 */
export type Answer = { rules: string[]; note?: string } | { construction: string; provenBy: string } | { declined: string } | { notApplicable: string };

export const CDK_NAG: Record<string, Answer> = {
  "AwsSolutions-EC23": { rules: ["sg-no-world-ingress"] },
  "AwsSolutions-EC27": {
    construction: "every security group the components create names what it guards in its description (the provider would fill one in when none is given)",
    provenBy: "test/policy-coverage.test.ts (every shipped stack's groups)",
  },
  "AwsSolutions-ECR1": { rules: ["resource-policy-no-public-principal"] },
  "AwsSolutions-ECS2": { rules: ["compute-env-no-secrets"] },
  "AwsSolutions-ECS4": { rules: ["ecs-container-insights"] },
  "AwsSolutions-ECS7": { rules: ["ecs-container-logging"] },
  "AwsSolutions-ECS8": {
    declined:
      "containers log in awslogs' blocking mode, so no line is dropped; non-blocking trades lost lines for never stalling on CloudWatch throttling, a per-service choice the platform does not make for every service",
  },
  "AwsSolutions-ELB2": { rules: ["alb-access-logs"] },
  "AwsSolutions-S1": {
    declined:
      "buckets are private and read through CloudFront, whose standard logs record every viewer request, or written by AWS services; server access logs would need a further log bucket of their own, and CloudTrail records configuration changes",
  },
  "AwsSolutions-S2": { rules: ["s3-public-access-blocked"] },
  "AwsSolutions-S5": {
    construction: "the static bucket is readable only by this distribution through origin access control, and no bucket policy admits a public principal",
    provenBy: "flow cloudfront-oac:<origin> (tools/fidelity/flows.ts) and resource-policy-no-public-principal",
  },
  "AwsSolutions-S10": { rules: ["s3-tls-only"] },
  "AwsSolutions-EFS1": { rules: ["efs-encrypted"] },
  "AwsSolutions-RDS2": { rules: ["aurora-storage-encrypted", "rds-instance-encrypted"] },
  "AwsSolutions-RDS3": { notApplicable: "Multi-AZ of non-Aurora instances; the platform runs Aurora, whose AZ spread aurora-multi-az checks" },
  "AwsSolutions-RDS6": { rules: ["aurora-iam-auth"] },
  "AwsSolutions-RDS10": { rules: ["aurora-deletion-protection"], note: "prod only: dev and staging are rebuilt freely" },
  "AwsSolutions-RDS11": {
    declined:
      "Aurora listens on PostgreSQL's 5432: its security group admits only the services that declare access, so another port would add obscurity, not a control, and break every client's default",
  },
  "AwsSolutions-RDS13": { rules: ["database-backup-retention"] },
  "AwsSolutions-RDS14": { notApplicable: "Backtrack exists only for Aurora MySQL; the platform runs Aurora PostgreSQL" },
  "AwsSolutions-RDS16": { notApplicable: "log exports of Aurora MySQL Serverless v1; the platform runs Aurora PostgreSQL, which exports its postgresql log" },
  "AwsSolutions-DDB3": { rules: ["dynamodb-point-in-time-recovery"], note: "mandatory here, a warning in cdk-nag" },
  "AwsSolutions-AEC1": { rules: ["elasticache-in-vpc"] },
  "AwsSolutions-AEC3": { rules: ["elasticache-encrypted-at-rest", "elasticache-encrypted-in-transit"] },
  "AwsSolutions-AEC4": { rules: ["elasticache-multi-az"], note: "prod only: dev runs one node to stay cheap" },
  "AwsSolutions-AEC5": { declined: "the cache listens on 6379 for the same reason Aurora keeps 5432 (RDS11): only granted services reach it" },
  "AwsSolutions-AEC6": { rules: ["elasticache-auth"] },
  "AwsSolutions-VPC7": { rules: ["vpc-flow-logs"] },
  "AwsSolutions-CFR1": {
    declined: "geographic restriction is a business decision (where the shop sells), not a security default; a web ACL rule adds it where needed",
  },
  "AwsSolutions-CFR2": { rules: ["cloudfront-waf"], note: "mandatory here, a warning in cdk-nag" },
  "AwsSolutions-CFR3": { rules: ["cloudfront-access-logs"] },
  "AwsSolutions-CFR4": { rules: ["cloudfront-modern-tls"] },
  "AwsSolutions-CFR5": { rules: ["cloudfront-origin-https"] },
  "AwsSolutions-CFR7": {
    construction: "every S3 origin of the distribution has an origin access control, and the bucket policy admits only that distribution",
    provenBy: "flow cloudfront-oac:<origin> (tools/fidelity/flows.ts) and test/policy-coverage.test.ts",
  },
  "AwsSolutions-APIG1": { rules: ["http-api-access-logs"] },
  "AwsSolutions-APIG4": { rules: ["http-api-routes-authorized"] },
  "AwsSolutions-IAM4": {
    declined:
      "AWS managed policies are attached only where AWS documents them as the service role's policy (AWS Backup's AWSBackupServiceRolePolicyForBackup and ForRestores); iam-no-admin-policies refuses the broad ones, and every other grant is an inline policy on exact ARNs",
  },
  "AwsSolutions-IAM5": { rules: ["iam-no-wildcard-actions", "iam-no-wildcard-resources", "iam-no-passrole-wildcard"] },
  "AwsSolutions-COG1": { rules: ["cognito-password-policy"] },
  "AwsSolutions-COG2": { rules: ["cognito-mfa"], note: "advisory and prod only, as a warning in cdk-nag" },
  "AwsSolutions-COG3": {
    declined:
      "advanced security (now the Plus tier's threat protection) is priced per monthly active user; the pool runs the Essentials tier with MFA on in prod and the WAF in front of sign-in",
  },
  "AwsSolutions-KMS5": { rules: ["kms-key-rotation"] },
  "AwsSolutions-SMG4": {
    declined:
      "the platform's secrets rotate by a config value (the database's masterPasswordVersion; the cache token and origin secret are regenerated by replacing their random value) rather than by a rotation function; a global database cannot use RDS's managed rotation",
  },
  "AwsSolutions-SNS3": { rules: ["sns-encrypted"], note: "every topic is KMS-encrypted, the case in which cdk-nag asks for no TLS-only policy" },
  "AwsSolutions-SQS2": { rules: ["sqs-encrypted"], note: "the pack also accepts SSE-SQS; the platform's queues use the stack's key" },
  "AwsSolutions-SQS3": { rules: ["sqs-dead-letter-queue"] },
  "AwsSolutions-SQS4": { rules: ["sqs-tls-only"] },
  "AwsSolutions-CB4": { rules: ["codebuild-cmk"] },
  "AwsSolutions-CB5": {
    construction: "build projects use AWS CodeBuild's managed images only: platform:delivery.buildImage accepts nothing else",
    provenBy: "config validation (stacks/sections/delivery.ts) and test/policy-coverage.test.ts",
  },
  "AwsSolutions-L1": {
    declined:
      "functions run nodejs22.x, the project's own Node floor, so the handlers' tests run on the runtime they deploy to; the runtime moves with the project's floor, not with each new Lambda runtime",
  },
};

/** The coverage test's proofs of the Checkov answers that hold by construction. */
const PROVEN = "test/policy-coverage.test.ts (every shipped stack)";

/** Where iam-no-wildcard-resources admits Resource "*" and Checkov's restrictable-action checks do not. */
const STAR_RESOURCE_NOTE =
  'the pack admits Resource "*" for the actions without resource-level permissions (wildcardResourceActions) and for sns:Publish to phone numbers, which have no ARN, when a Deny covers every topic; Checkov fails the notification task role in the stacks that send SMS';
/** Where resource-policy-no-public-principal is looser than Checkov's public-principal checks. */
const PUBLIC_UNDER_CONDITION_NOTE =
  'the pack admits a public principal under a Condition (aws:SourceArn, aws:PrincipalOrgID and the like); Checkov admits fewer conditions, none in a key policy; no shipped policy allows "*" at all (their "*" statements are TLS-only Denies)';

export const CHECKOV: Record<string, Answer> = {
  // Security groups and the VPC.
  CKV_AWS_23: {
    construction: "every security group and every rule resource carries a description naming what it admits (the components write one; no rule is inline)",
    provenBy: PROVEN,
  },
  CKV_AWS_24: { rules: ["sg-no-world-ingress"] },
  CKV_AWS_25: { rules: ["sg-no-world-ingress"] },
  CKV_AWS_260: { rules: ["sg-no-world-ingress"] },
  CKV_AWS_277: { rules: ["sg-no-world-ingress"] },
  CKV_AWS_382: {
    construction:
      "every egress rule names TCP and one port (443 to the internet through NAT, the data stores' ports to their groups); no rule opens all protocols",
    provenBy: PROVEN,
  },
  CKV2_AWS_5: {
    construction:
      "each security group is created by the component that attaches it (ALB, service, database, cache, mount targets, VPC link); Checkov's list of attaching types has no API Gateway VPC link, so it reports the partner API's group",
    provenBy: PROVEN,
  },
  CKV2_AWS_11: { rules: ["vpc-flow-logs"] },
  CKV2_AWS_12: { rules: ["vpc-default-sg-closed"] },
  CKV_AWS_130: {
    declined:
      "awsx's public subnets map public IPs on launch (awsx/ec2/vpc.ts); nothing launches there but the NAT gateways (Elastic IPs of their own) and the ALB's nodes: ecs-no-public-ip keeps tasks out, and the data stores are placed in the isolated subnets by construction (test/data.test.ts)",
  },
  CKV2_AWS_35: {
    construction:
      "awsx routes each private subnet's default route to a NAT gateway (platform:network.natGateways: single or onePerAz) and the public ones to the internet gateway; the program adds no route to an instance",
    provenBy:
      "awsx's source (awsx/ec2/vpc.ts: a private subnet's 0.0.0.0/0 route goes to a NAT gateway, a public one's to the internet gateway); the routes are awsx's children, which the mocks do not build",
  },
  CKV2_AWS_19: {
    construction: "the only Elastic IPs are the NAT gateways', which awsx allocates for and attaches to them",
    provenBy: "awsx's source (awsx/ec2/vpc.ts creates each Elastic IP for the NAT gateway it allocates)",
  },
  // IAM.
  CKV_AWS_60: { rules: ["iam-trust-service-principal"] },
  CKV_AWS_61: { rules: ["iam-trust-service-principal"] },
  CKV_AWS_274: { rules: ["iam-no-admin-policies"] },
  CKV2_AWS_56: { rules: ["iam-no-admin-policies"] },
  CKV_AWS_62: { rules: ["iam-no-wildcard-actions"] },
  CKV_AWS_63: { rules: ["iam-no-wildcard-actions"] },
  CKV2_AWS_40: { rules: ["iam-no-wildcard-actions"] },
  CKV_AWS_286: {
    rules: ["iam-no-wildcard-resources", "iam-no-passrole-wildcard"],
    note: "the pack does not repeat Cloudsplaining's combination analysis; it pins every action to exact resources and PassRole to named roles, which is what turns a combination into an escalation",
  },
  CKV_AWS_287: {
    declined:
      'Cloudsplaining flags credential-returning actions allowed on Resource "*"; here that is only ecr:GetAuthorizationToken, which has no resource-level permission and which every image pull needs (task execution and build roles, wildcardResourceActions); every other such action (rds-db:connect, sts:AssumeRole) is pinned to exact ARNs by iam-no-wildcard-resources',
  },
  CKV_AWS_288: { rules: ["iam-no-wildcard-resources"] },
  CKV_AWS_289: { rules: ["iam-no-wildcard-resources"] },
  CKV_AWS_290: {
    rules: ["iam-no-wildcard-resources"],
    note: STAR_RESOURCE_NOTE,
  },
  CKV_AWS_355: {
    rules: ["iam-no-wildcard-resources"],
    note: STAR_RESOURCE_NOTE,
  },
  // KMS.
  CKV_AWS_7: { rules: ["kms-key-rotation"] },
  CKV_AWS_33: {
    rules: ["resource-policy-no-public-principal"],
    note: PUBLIC_UNDER_CONDITION_NOTE,
  },
  CKV_AWS_227: { rules: ["kms-key-explicit-policy"] },
  CKV2_AWS_64: { rules: ["kms-key-explicit-policy"] },
  // S3.
  CKV_AWS_18: {
    declined:
      "buckets are private and read through CloudFront, whose standard logs record every viewer request, or written by AWS services; server access logs would need a further log bucket of their own, and CloudTrail records configuration changes (cdk-nag's S1, declined the same way)",
  },
  CKV_AWS_19: { rules: ["s3-default-encryption"] },
  CKV_AWS_20: { rules: ["s3-public-access-blocked", "s3-acls-disabled"] },
  CKV_AWS_57: { rules: ["s3-public-access-blocked", "s3-acls-disabled"] },
  CKV_AWS_21: { construction: "every bucket is a PrivateBucket, which always enables versioning", provenBy: PROVEN },
  CKV_AWS_70: {
    rules: ["resource-policy-no-public-principal"],
    note: PUBLIC_UNDER_CONDITION_NOTE,
  },
  CKV_AWS_93: {
    construction:
      "a bucket policy's only Deny is PrivateBucket's TLS-only statement, conditioned on aws:SecureTransport false, which locks out no caller using TLS",
    provenBy: PROVEN,
  },
  CKV_AWS_143: {
    declined:
      "Object Lock cannot be turned off and blocks deleting objects before their retention ends, against the stacks' retention policy (dev and staging delete their buckets); the trail's integrity comes from CloudTrail's log file validation (cloudtrail-encrypted-validated)",
  },
  CKV_AWS_144: {
    declined:
      "only the static site is replicated, to the DR region, where the standby's origin serves it; logs, canary artifacts and build artifacts are regenerated or expire; the uploads bucket (users' originals) and the trail bucket stay in their region, so a regional loss loses the originals uploaded there (thumbnails live on in the replicated static bucket) and the trail's files (CloudTrail keeps 90 days of events in each region); the data that must survive a region is in Aurora, DynamoDB and AWS Backup (replicas-in-another-region, backup-copied-to-dr-region)",
  },
  CKV_AWS_145: {
    rules: ["s3-default-encryption"],
    note: "SSE-S3 or SSE-KMS: the log bucket must be SSE-S3 (ALB access logs accept nothing else), the static site holds what CloudFront serves to everyone, and the uploads bucket is SSE-S3 so that the services writing it need no grant on the stack's key; trail, build and canary artifacts use the stack's key",
  },
  CKV2_AWS_6: { rules: ["s3-public-access-blocked"] },
  CKV_AWS_53: { rules: ["s3-public-access-blocked"] },
  CKV_AWS_54: { rules: ["s3-public-access-blocked"] },
  CKV_AWS_55: { rules: ["s3-public-access-blocked"] },
  CKV_AWS_56: { rules: ["s3-public-access-blocked"] },
  CKV2_AWS_61: { rules: ["s3-lifecycle"] },
  CKV_AWS_300: { rules: ["s3-lifecycle"] },
  CKV2_AWS_62: {
    declined:
      "notifications exist where an object starts work (uploads, on their queue); the other buckets' objects start nothing, so a notification would have no consumer",
  },
  CKV2_AWS_65: {
    rules: ["s3-acls-disabled"],
    note: "the CloudFront standard-log bucket keeps BucketOwnerPreferred, because that log delivery writes through an ACL; Checkov fails it",
  },
  // CloudFront.
  CKV_AWS_34: { rules: ["cloudfront-https-only"] },
  CKV_AWS_68: { rules: ["cloudfront-waf"] },
  CKV_AWS_86: { rules: ["cloudfront-access-logs"] },
  CKV_AWS_174: { rules: ["cloudfront-modern-tls"] },
  CKV2_AWS_42: { rules: ["cloudfront-modern-tls"] },
  CKV_AWS_216: { construction: "the edge creates its distribution enabled", provenBy: PROVEN },
  CKV_AWS_305: { construction: "the distribution serves index.html at the root", provenBy: PROVEN },
  CKV_AWS_310: {
    declined:
      "origin failover needs a second region: with platform:disasterRecovery on (prod) the default behaviour goes to an origin group failing over to the DR region's origin (checked by test/policy-coverage.test.ts); dev and staging have no DR region, so Checkov fails them",
  },
  CKV_AWS_374: {
    declined:
      "geographic restriction is a business decision (where the shop sells), not a security default; a web ACL rule adds it where needed (cdk-nag's CFR1, declined the same way)",
  },
  CKV2_AWS_32: { construction: "every cache behaviour carries the security-headers policy", provenBy: PROVEN },
  CKV_AWS_259: { construction: "the security-headers policy sets Strict-Transport-Security (two years, subdomains, preload)", provenBy: PROVEN },
  CKV2_AWS_46: {
    construction: "every S3 origin of the distribution has an origin access control, and the bucket policy admits only that distribution",
    provenBy: "flow cloudfront-oac:<origin> (tools/fidelity/flows.ts) and test/policy-coverage.test.ts",
  },
  CKV2_AWS_47: {
    rules: ["cloudfront-waf", "waf-managed-rules"],
    note: "the pack requires known bad inputs (Log4j's JNDI lookups) and the core rule set; Checkov also asks for the anonymous IP list, which would refuse the shop's VPN and Tor customers: add AWSManagedRulesAnonymousIpList to requiredManagedRuleGroups to require it",
  },
  CKV2_AWS_54: { rules: ["cloudfront-origin-https"] },
  CKV2_AWS_72: { rules: ["cloudfront-origin-https"] },
  // WAF.
  CKV_AWS_175: { rules: ["waf-managed-rules"] },
  CKV_AWS_192: {
    rules: ["waf-managed-rules"],
    note: "the rule also refuses the group's rules turned to count one by one (ruleActionOverrides), Log4JRCE among them",
  },
  CKV_AWS_342: { rules: ["waf-managed-rules"] },
  CKV2_AWS_31: { rules: ["waf-logging"] },
  // Load balancing.
  CKV_AWS_2: { rules: ["alb-listener-https"] },
  CKV_AWS_103: { rules: ["alb-listener-https"] },
  CKV2_AWS_74: {
    rules: ["alb-listener-https"],
    note: "Checkov also fails the port-80 listener, which has no TLS policy because it only redirects to HTTPS",
  },
  CKV2_AWS_20: { rules: ["alb-listener-https"] },
  CKV2_AWS_28: {
    declined:
      "the web ACL runs at CloudFront, in front of the ALB; the ALB admits only CloudFront's origin-facing prefix list, with the origin-verify header, so no request from the internet reaches it without the web ACL; with platform:partnerApi, partner routes also reach it through API Gateway's VPC link, which no WAF can front (HTTP APIs take none): they rely on JWT scopes and per-route throttling",
  },
  CKV_AWS_91: { rules: ["alb-access-logs"] },
  CKV_AWS_131: { rules: ["alb-drop-invalid-headers"] },
  CKV_AWS_150: { rules: ["alb-deletion-protection"], note: "prod only: dev and staging are rebuilt freely" },
  CKV_AWS_152: { notApplicable: "cross-zone balancing of network and gateway load balancers; the platform's is an ALB, which always balances across zones" },
  CKV_AWS_328: { construction: "the ALB runs desync mitigation in its strictest mode", provenBy: PROVEN },
  CKV_AWS_261: { construction: "every target group checks its service's health path", provenBy: PROVEN },
  CKV_AWS_378: {
    declined: "TLS ends at the ALB; targets are tasks in private subnets reached over the VPC, and HTTPS to them would need a certificate in every container",
  },
  // ECS.
  CKV_AWS_65: {
    rules: ["ecs-container-insights"],
    note: 'prod runs Container Insights with enhanced observability ("enhanced"); a Checkov release that accepts only "enabled" would fail it',
  },
  CKV_AWS_223: { notApplicable: "logging of ECS Exec sessions; no service enables ECS Exec (enableExecuteCommand is false), so there is no session to log" },
  CKV_AWS_224: { notApplicable: "the key of ECS Exec session logs; no service enables ECS Exec" },
  CKV_AWS_332: { construction: "services run on Fargate's LATEST platform version", provenBy: PROVEN },
  CKV_AWS_333: { rules: ["ecs-no-public-ip"] },
  CKV_AWS_97: { rules: ["ecs-efs-transit-encryption"] },
  CKV_AWS_249: { rules: ["ecs-task-role-distinct"] },
  CKV_AWS_334: {
    construction: "services run on Fargate only, which refuses privileged containers at registration, and no container definition asks for it",
    provenBy: PROVEN,
  },
  CKV_AWS_335: {
    construction: "services run on Fargate only, which accepts no pidMode but task, and no task definition sets one",
    provenBy: PROVEN,
  },
  CKV_AWS_336: {
    declined:
      "the images are the service teams'; most runtimes write to their root file system (temporary files, caches), so a read-only root breaks them at start; the platform has no per-service setting for it yet, nor sets it on its own sidecars (X-Ray daemon, metrics collector)",
  },
  // Lambda.
  CKV_AWS_45: { rules: ["compute-env-no-secrets"] },
  CKV_AWS_50: { construction: "every function traces with X-Ray (tracingConfig Active)", provenBy: PROVEN },
  CKV_AWS_115: { construction: "every function has reserved concurrency, so a burst cannot take the account's whole concurrency", provenBy: PROVEN },
  CKV_AWS_116: {
    declined:
      "a function's dead-letter queue catches failed asynchronous invocations; the functions consume their queue through an event source mapping, whose failed messages go to the queue's dead-letter queue (sqs-dead-letter-queue); a schedule may invoke a function directly (platform:schedules[].function, asynchronous), and a failure there is retried twice by Lambda, then seen only in the function's error alarm; no shipped stack schedules a function",
  },
  CKV_AWS_117: {
    declined:
      "the functions call only AWS APIs (S3, SQS, DynamoDB) and reach no resource in the VPC; in the VPC they would pay NAT traffic and ENI start-up for nothing",
  },
  CKV_AWS_173: {
    declined:
      "function environments hold no secrets (compute-env-no-secrets): names of queues, tables and buckets, which the AWS-managed key encrypts at rest like any other",
  },
  CKV_AWS_272: {
    declined:
      "code is built from this repository by the deploy itself and named by its content's hash; code signing needs a signing profile and signed artifacts in S3, a release flow the platform does not have",
  },
  CKV_AWS_363: {
    construction:
      "every function runs nodejs22.x, the project's own Node floor (one constant), and the offline deploy check refuses a runtime past its published deprecation date",
    provenBy: `${PROVEN} and the deploy rule lambda-runtime-supported (tools/provider/resource-rules.ts)`,
  },
  // Aurora.
  CKV_AWS_17: { rules: ["rds-not-public"] },
  CKV_AWS_118: {
    declined:
      "Performance Insights and CloudWatch's per-instance metrics watch the database; enhanced monitoring's OS metrics need a monitoring role and are billed as CloudWatch Logs ingestion for every instance",
  },
  CKV_AWS_226: { construction: "every instance takes minor version upgrades in the maintenance window", provenBy: PROVEN },
  CKV_AWS_353: { construction: "every instance runs Performance Insights", provenBy: PROVEN },
  CKV_AWS_354: { rules: ["aurora-performance-insights-cmk"] },
  CKV_AWS_96: { rules: ["aurora-storage-encrypted"] },
  CKV_AWS_327: { rules: ["aurora-storage-encrypted"] },
  CKV_AWS_128: { rules: ["aurora-iam-auth"] },
  CKV_AWS_162: { rules: ["aurora-iam-auth"] },
  CKV_AWS_133: { rules: ["database-backup-retention"] },
  CKV_AWS_139: { rules: ["aurora-deletion-protection"], note: "prod only: dev and staging are rebuilt freely" },
  CKV_AWS_250: {
    construction: "the engine is Aurora PostgreSQL 16, far past the versions with the log_fdw flaw (10 to 13 minors)",
    provenBy: PROVEN,
  },
  CKV_AWS_313: { construction: "the cluster copies its tags to snapshots", provenBy: PROVEN },
  CKV_AWS_324: { construction: "the cluster exports its postgresql log to CloudWatch Logs", provenBy: PROVEN },
  CKV2_AWS_8: {
    rules: ["backup-copied-to-dr-region"],
    note: "prod only: dev keeps RDS's own automated backups, and a standby's cluster holds the primary's data",
  },
  CKV2_AWS_27: {
    construction:
      "the cluster parameter group logs schema changes (log_statement ddl), every statement slower than a second (log_min_duration_statement) and every connection",
    provenBy: PROVEN,
  },
  CKV_AWS_140: {
    construction: "the global database is created from the encrypted primary cluster (sourceDbClusterIdentifier), whose encryption it takes",
    provenBy: `${PROVEN} and aurora-storage-encrypted on its clusters`,
  },
  // ElastiCache.
  CKV_AWS_29: { rules: ["elasticache-encrypted-at-rest"] },
  CKV_AWS_30: { rules: ["elasticache-encrypted-in-transit"] },
  CKV_AWS_31: { rules: ["elasticache-encrypted-in-transit", "elasticache-auth"] },
  CKV_AWS_191: { rules: ["elasticache-at-rest-cmk"] },
  CKV2_AWS_50: {
    rules: ["elasticache-multi-az"],
    note: "prod only: dev runs one node to stay cheap, and an idle standby's cache (PilotLight) grows at failover",
  },
  // DynamoDB.
  CKV_AWS_28: { rules: ["dynamodb-point-in-time-recovery"] },
  CKV_AWS_119: { rules: ["dynamodb-cmk"] },
  CKV2_AWS_16: { notApplicable: "auto scaling of provisioned capacity; the tables are on demand (PAY_PER_REQUEST), which scales by itself" },
  CKV_AWS_271: { rules: ["dynamodb-replica-cmk"] },
  // EFS and AWS Backup.
  CKV_AWS_42: { rules: ["efs-encrypted"] },
  CKV_AWS_184: { rules: ["efs-encrypted"] },
  CKV2_AWS_18: {
    rules: ["backup-copied-to-dr-region"],
    note: "prod only (and not a standby's file system, which holds the primary's data): dev and staging keep EFS's own backups, which efs-backups (advisory) asks for",
  },
  CKV_AWS_329: { construction: "the access point roots clients at /shared", provenBy: PROVEN },
  CKV_AWS_330: { construction: "the access point enforces one POSIX user and group", provenBy: PROVEN },
  CKV_AWS_166: { rules: ["backup-vault-cmk"] },
  // Logs, alarms, the trail.
  CKV_AWS_66: {
    rules: ["log-group-retention"],
    note: "the log groups Synthetics creates for the canaries' functions (/aws/lambda/cwsyn-*) are not the stack's resources and keep no retention (deploy review)",
  },
  CKV_AWS_338: {
    rules: ["log-group-retention"],
    note: "a year in prod (prodMinLogRetentionDays); dev and staging keep 14 and 30 days to stay cheap; the canaries' own log groups are outside the stack (CKV_AWS_66)",
  },
  CKV_AWS_158: { rules: ["log-group-kms"] },
  CKV_AWS_319: { construction: "no alarm turns its actions off", provenBy: PROVEN },
  CKV_AWS_35: { rules: ["cloudtrail-encrypted-validated"] },
  CKV_AWS_36: { rules: ["cloudtrail-encrypted-validated"] },
  CKV_AWS_67: { construction: "the trail is multi-region", provenBy: PROVEN },
  CKV_AWS_251: { construction: "the trail is created logging and nothing turns it off", provenBy: PROVEN },
  CKV_AWS_252: {
    declined:
      "a topic would announce every log file delivered, minutes apart: noise nobody reads; GuardDuty and the trail's CloudWatch Logs group are where findings and queries go",
  },
  CKV2_AWS_10: { construction: "the trail delivers to a CloudWatch Logs group under the stack's key", provenBy: PROVEN },
  // Delivery.
  CKV_AWS_78: { rules: ["codebuild-cmk"] },
  CKV_AWS_147: { rules: ["codebuild-cmk"] },
  CKV_AWS_311: { notApplicable: "encryption of S3 build logs; builds log to CloudWatch Logs only (log-group-kms), with S3 logs off" },
  CKV_AWS_314: { construction: "every project logs to its own CloudWatch Logs group", provenBy: PROVEN },
  CKV_AWS_316: {
    declined:
      "the build projects build container images with Docker, which CodeBuild runs only in privileged mode; the project that records the image runs unprivileged",
  },
  CKV_AWS_219: { construction: "every pipeline's artifact store is encrypted with the stack's key", provenBy: PROVEN },
  // Secrets and parameters.
  CKV_AWS_149: { rules: ["secret-cmk"] },
  CKV2_AWS_57: {
    declined:
      "the platform's secrets rotate by a config value (the cache token and origin secret are regenerated by replacing their random value) or by RDS itself (the master password's schedule, outside a global database) rather than by a rotation function (cdk-nag's SMG4, declined the same way)",
  },
  CKV_AWS_304: {
    construction: "the one rotation schedule (RDS's managed master password, outside a global database) rotates within 90 days",
    provenBy: PROVEN,
  },
  CKV2_AWS_34: {
    declined:
      "the parameters hold container image references, no secret (ssm-parameter-no-plain-secret reads them); a SecureString would need a key grant for every reader and hides nothing",
  },
  CKV_AWS_337: { declined: "the parameters are String parameters holding image references (CKV2_AWS_34): there is nothing for a key to protect" },
  // Messaging.
  CKV_AWS_26: { rules: ["sns-encrypted"] },
  CKV_AWS_169: {
    rules: ["resource-policy-no-public-principal"],
    note: PUBLIC_UNDER_CONDITION_NOTE,
  },
  CKV_AWS_385: { rules: ["resource-policy-no-cross-account"] },
  CKV_AWS_27: { rules: ["sqs-encrypted"] },
  CKV2_AWS_73: {
    rules: ["sqs-encrypted"],
    note: "the rule refuses the AWS-managed key, as Checkov does, and also accepts SSE-SQS; the platform's queues use the stack's key",
  },
  CKV_AWS_72: {
    construction: "queue policies allow exact actions (sqs:SendMessage) only; their one sqs:* statement is the TLS-only Deny",
    provenBy: PROVEN,
  },
  CKV_AWS_168: {
    rules: ["resource-policy-no-public-principal"],
    note: PUBLIC_UNDER_CONDITION_NOTE,
  },
  CKV_AWS_387: { rules: ["resource-policy-no-public-principal"] },
  // Account guardrails.
  CKV_AWS_238: { construction: "the account guardrails create their GuardDuty detector enabled", provenBy: PROVEN },
  CKV2_AWS_3: {
    declined:
      "Checkov asks for an aws_guardduty_organization_configuration, which belongs to the organisation's GuardDuty delegated administrator, not to a workload account's stack; where the stack creates the detector (platform:observability.guardrails.guardDuty, on in prod) it is enabled (CKV_AWS_238)",
  },
  // Certificates and DNS.
  CKV_AWS_233: {
    construction:
      "Pulumi replaces a resource by creating the new one before deleting the old unless deleteBeforeReplace is set, and the certificate component does not set it",
    provenBy: PROVEN,
  },
  CKV_AWS_234: { construction: "certificates keep certificate transparency logging (no options set, so ENABLED)", provenBy: PROVEN },
  CKV2_AWS_71: { construction: "certificates name exact hosts, no wildcard", provenBy: PROVEN },
  CKV2_AWS_23: {
    construction: "every A and AAAA record is an alias of the distribution, the ALB or (with the partner API) its API Gateway domain",
    provenBy: PROVEN,
  },
  // The partner API and schedules.
  CKV_AWS_76: { rules: ["http-api-access-logs"] },
  CKV_AWS_309: { rules: ["http-api-routes-authorized"] },
  CKV_AWS_396: {
    construction: "the partner API's VPC link integration verifies the ALB's certificate name (tlsConfig.serverNameToVerify)",
    provenBy: "test/partner-api.test.ts (the VPC link integration's tlsConfig)",
  },
  CKV_AWS_297: {
    declined:
      "a schedule's input names the job to run, no data; the queue it delivers to is encrypted with the stack's key (sqs-encrypted), and Scheduler encrypts the schedule itself with an AWS-owned key",
  },
  CKV2_AWS_80: { construction: "the GuardDuty detector publishes findings every 15 minutes", provenBy: PROVEN },
  // ECR.
  CKV_AWS_51: { rules: ["ecr-repository-hardened"] },
  CKV_AWS_136: { rules: ["ecr-repository-hardened"] },
  CKV_AWS_163: { rules: ["ecr-repository-hardened"] },
};
