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
