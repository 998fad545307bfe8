import { expect } from "chai";
import { Policy } from "@pulumi/policy";
import { networkPolicies } from "../../policies/rules/network";
import { runResource, runStack, stackOf, UNKNOWN, policyNamed } from "../../tools/policy-runner";

const rule = (name: string): Policy => policyNamed(networkPolicies, name);

/** Exactly one violation, naming what was found and how to fix it. */
function expectOne(violations: string[], found: string, fix: string): void {
  expect(violations).to.have.length(1);
  expect(violations[0]).to.contain(found);
  expect(violations[0]).to.contain(`Fix: ${fix}`);
}

const SERVICE = "aws:ecs/service:Service";
const PRIVATE_NETWORK = { assignPublicIp: false, subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-1"] };

describe("network policies", () => {
  it("declares the agreed rules with unique names and enforcement levels", () => {
    expect(Object.fromEntries(networkPolicies.map((p) => [p.name, p.enforcementLevel]))).to.deep.equal({
      "ecs-no-public-ip": "mandatory",
      "rds-not-public": "mandatory",
      "sg-no-world-ingress": "mandatory",
      "sg-separate-rule-resources": "advisory",
      "data-stores-in-private-subnets": "mandatory",
      "vpc-flow-logs": "mandatory",
      "alb-drop-invalid-headers": "mandatory",
      "alb-access-logs": "mandatory",
      "s3-public-access-blocked": "mandatory",
      "cloudfront-waf": "mandatory",
      "elasticache-in-vpc": "mandatory",
      "ecs-awsvpc-private": "advisory",
      "s3-acls-disabled": "mandatory",
      "waf-logging": "mandatory",
      "waf-managed-rules": "mandatory",
      "vpc-default-sg-closed": "mandatory",
    });
    expect(networkPolicies).to.have.length(16);
  });
});

describe("policy ecs-no-public-ip", () => {
  const policy = rule("ecs-no-public-ip");

  it("passes a service without a public IP", async () => {
    expect((await runResource(policy, { type: SERVICE, props: { networkConfiguration: PRIVATE_NETWORK } })).violations).to.deep.equal([]);
  });

  it("reports assignPublicIp true", async () => {
    const outcome = await runResource(policy, { type: SERVICE, name: "api", props: { networkConfiguration: { ...PRIVATE_NETWORK, assignPublicIp: true } } });
    expectOne(
      outcome.violations,
      'aws:ecs/service:Service "api": networkConfiguration.assignPublicIp is true',
      "set networkConfiguration.assignPublicIp to false",
    );
  });

  it("does not report an unknown assignPublicIp", async () => {
    const outcome = await runResource(policy, { type: SERVICE, props: { networkConfiguration: { ...PRIVATE_NETWORK, assignPublicIp: UNKNOWN.boolean } } });
    expect(outcome.violations).to.deep.equal([]);
    expect(outcome.unknown).to.contain("can't be known during preview");
  });
});

describe("policy rds-not-public", () => {
  const policy = rule("rds-not-public");

  it("passes a private cluster instance", async () => {
    expect((await runResource(policy, { type: "aws:rds/clusterInstance:ClusterInstance", props: { publiclyAccessible: false } })).violations).to.deep.equal([]);
  });

  it("reports a publicly accessible instance", async () => {
    const outcome = await runResource(policy, { type: "aws:rds/instance:Instance", name: "legacy", props: { publiclyAccessible: true } });
    expectOne(outcome.violations, 'aws:rds/instance:Instance "legacy": publiclyAccessible is true', "set publiclyAccessible to false");
  });

  it("reports a publicly accessible cluster instance", async () => {
    const outcome = await runResource(policy, { type: "aws:rds/clusterInstance:ClusterInstance", props: { publiclyAccessible: true } });
    expect(outcome.violations[0]).to.contain("publiclyAccessible is true");
  });

  it("does not report an unknown publiclyAccessible", async () => {
    const outcome = await runResource(policy, { type: "aws:rds/clusterInstance:ClusterInstance", props: { publiclyAccessible: UNKNOWN.boolean } });
    expect(outcome.violations).to.deep.equal([]);
    expect(outcome.unknown).to.contain("can't be known during preview");
  });
});

describe("policy sg-no-world-ingress", () => {
  const policy = rule("sg-no-world-ingress");
  const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
  const FIX = "admit a narrower source instead";

  it("passes rules from a security group, a prefix list or a private CIDR", async () => {
    for (const source of [{ referencedSecurityGroupId: "sg-alb" }, { prefixListId: "pl-4fa04526" }, { cidrIpv4: "10.0.0.0/16" }]) {
      const outcome = await runResource(policy, {
        type: INGRESS,
        props: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, ...source },
      });
      expect(outcome.violations).to.deep.equal([]);
    }
  });

  it("reports a port open to 0.0.0.0/0, naming port and CIDR", async () => {
    const outcome = await runResource(policy, { type: INGRESS, name: "ssh", props: { cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 22, toPort: 22 } });
    expectOne(outcome.violations, 'SecurityGroupIngressRule "ssh": ingress from 0.0.0.0/0 on tcp port 22', FIX);
  });

  it("reports all traffic from ::/0", async () => {
    const outcome = await runResource(policy, { type: INGRESS, props: { cidrIpv6: "::/0", ipProtocol: "-1" } });
    expectOne(outcome.violations, "ingress from ::/0 on all protocols and ports", FIX);
  });

  it("allows world ingress only when the whole range is in worldIngressPorts", async () => {
    const config = { worldIngressPorts: [80, 443] };
    const https = await runResource(policy, { type: INGRESS, props: { cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 } }, { config });
    expect(https.violations).to.deep.equal([]);
    const range = await runResource(policy, { type: INGRESS, props: { cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 80, toPort: 443 } }, { config });
    expectOne(range.violations, "ingress from 0.0.0.0/0 on tcp ports 80-443", FIX);
  });

  it("never allows world ICMP through the port list", async () => {
    const outcome = await runResource(
      policy,
      { type: INGRESS, props: { cidrIpv4: "0.0.0.0/0", ipProtocol: "icmp", fromPort: 8, toPort: 0 } },
      { config: { worldIngressPorts: [0, 8] } },
    );
    expectOne(outcome.violations, "ingress from 0.0.0.0/0 on icmp (type 8, code 0)", FIX);
  });

  it("reports inline security-group ingress from the world", async () => {
    const outcome = await runResource(policy, {
      type: "aws:ec2/securityGroup:SecurityGroup",
      name: "web",
      props: {
        ingress: [
          { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"] },
          { protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["10.0.0.0/16", "0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
        ],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
      },
    });
    expectOne(outcome.violations, 'SecurityGroup "web": inline ingress[1] from 0.0.0.0/0 and ::/0 on tcp ports 0-65535', FIX);
  });

  it("reports ingress security-group rules from the world, not egress ones", async () => {
    const type = "aws:ec2/securityGroupRule:SecurityGroupRule";
    const egress = await runResource(policy, { type, props: { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] } });
    expect(egress.violations).to.deep.equal([]);
    const ingress = await runResource(policy, { type, props: { type: "ingress", protocol: "udp", fromPort: 53, toPort: 53, ipv6CidrBlocks: ["::/0"] } });
    expectOne(ingress.violations, "ingress from ::/0 on udp port 53", FIX);
  });

  it("does not report an unknown CIDR or port", async () => {
    for (const props of [
      { cidrIpv4: UNKNOWN.string, ipProtocol: "tcp", fromPort: 22, toPort: 22 },
      { cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: UNKNOWN.number, toPort: 22 },
    ]) {
      const outcome = await runResource(policy, { type: INGRESS, props });
      expect(outcome.violations).to.deep.equal([]);
      expect(outcome.unknown).to.contain("can't be known during preview");
    }
  });
});

describe("policy sg-separate-rule-resources", () => {
  const policy = rule("sg-separate-rule-resources");
  const SG = "aws:ec2/securityGroup:SecurityGroup";

  it("passes a group without inline rules (absent or emptied)", async () => {
    expect((await runResource(policy, { type: SG, props: { vpcId: "vpc-1", description: "api" } })).violations).to.deep.equal([]);
    expect((await runResource(policy, { type: SG, props: { ingress: [], egress: [] } })).violations).to.deep.equal([]);
  });

  it("reports inline ingress and egress rules", async () => {
    const outcome = await runResource(policy, {
      type: SG,
      name: "api",
      props: {
        ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: ["sg-alb"] }],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
      },
    });
    expectOne(outcome.violations, 'SecurityGroup "api": 1 inline ingress and 1 inline egress rule(s)', "remove the inline ingress/egress blocks");
  });

  it("does not report unknown inline rules", async () => {
    const outcome = await runResource(policy, { type: SG, props: { ingress: UNKNOWN.array } });
    expect(outcome.violations).to.deep.equal([]);
    expect(outcome.unknown).to.contain("can't be known during preview");
  });
});

describe("policy data-stores-in-private-subnets", () => {
  const policy = rule("data-stores-in-private-subnets");
  const FIX = "place the data store in private or isolated subnets";
  const VPC = { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { cidrBlock: "10.0.0.0/16" } };
  const IGW = { type: "aws:ec2/internetGateway:InternetGateway", name: "igw", props: {}, dependsOn: { vpcId: ["vpc"] } };
  const NAT = { type: "aws:ec2/natGateway:NatGateway", name: "nat", props: {} };
  const subnet = (name: string, mapPublicIpOnLaunch: unknown = false) => ({
    type: "aws:ec2/subnet:Subnet",
    name,
    props: { cidrBlock: "10.0.1.0/24", mapPublicIpOnLaunch },
    dependsOn: { vpcId: ["vpc"] },
  });
  const table = (name: string, routesVia?: string) => ({
    type: "aws:ec2/routeTable:RouteTable",
    name,
    props: { routes: routesVia ? [{ cidrBlock: "0.0.0.0/0" }] : [] },
    dependsOn: (routesVia ? { routes: [routesVia] } : {}) as Record<string, string[]>,
  });
  const association = (name: string, subnetName: string, tableName: string) => ({
    type: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    name,
    props: {},
    dependsOn: { subnetId: [subnetName], routeTableId: [tableName] },
  });
  const route = (name: string, tableName: string, via: string, prop: string) => ({
    type: "aws:ec2/route:Route",
    name,
    props: { destinationCidrBlock: "0.0.0.0/0" },
    dependsOn: { routeTableId: [tableName], [prop]: [via] },
  });

  it("passes subnets routed through a NAT gateway only", async () => {
    const resources = stackOf([
      VPC,
      IGW,
      NAT,
      subnet("private-a"),
      table("private-rt"),
      route("private-default", "private-rt", "nat", "natGatewayId"),
      association("private-a-rt", "private-a", "private-rt"),
      { type: "aws:rds/subnetGroup:SubnetGroup", name: "db", props: { subnetIds: ["subnet-a"] }, dependsOn: { subnetIds: ["private-a"] } },
    ]);
    expect((await runStack(policy, resources)).violations).to.deep.equal([]);
  });

  it("passes subnets from an opaque awsx VPC (it cannot see them)", async () => {
    const resources = stackOf([
      { type: "awsx:ec2:Vpc", name: "network", props: { cidrBlock: "10.0.0.0/16" } },
      { type: "aws:elasticache/subnetGroup:SubnetGroup", name: "cache", props: { subnetIds: ["subnet-public-a"] }, dependsOn: { subnetIds: ["network"] } },
    ]);
    expect((await runStack(policy, resources)).violations).to.deep.equal([]);
  });

  it("reports a subnet group with a subnet that maps public IPs", async () => {
    const resources = stackOf([
      VPC,
      subnet("public-a", true),
      { type: "aws:rds/subnetGroup:SubnetGroup", name: "db", props: {}, dependsOn: { subnetIds: ["public-a"] } },
    ]);
    expectOne(
      (await runStack(policy, resources)).violations,
      'aws:rds/subnetGroup:SubnetGroup "db" takes subnetIds from public subnet aws:ec2/subnet:Subnet "public-a" (mapPublicIpOnLaunch is true)',
      FIX,
    );
  });

  it("reports a mount target in a subnet whose route table has a Route to an internet gateway", async () => {
    const resources = stackOf([
      VPC,
      IGW,
      subnet("edge-a"),
      table("public-rt"),
      route("public-default", "public-rt", "igw", "gatewayId"),
      association("edge-a-rt", "edge-a", "public-rt"),
      { type: "aws:efs/mountTarget:MountTarget", name: "files-a", props: {}, dependsOn: { subnetId: ["edge-a"] } },
    ]);
    expectOne(
      (await runStack(policy, resources)).violations,
      'aws:efs/mountTarget:MountTarget "files-a" takes subnetId from public subnet aws:ec2/subnet:Subnet "edge-a" (its route table aws:ec2/routeTable:RouteTable "public-rt" routes to aws:ec2/internetGateway:InternetGateway "igw")',
      FIX,
    );
  });

  it("reports a cache subnet group whose subnet's route table has an inline route to an internet gateway", async () => {
    const resources = stackOf([
      VPC,
      IGW,
      subnet("edge-b"),
      table("inline-rt", "igw"),
      association("edge-b-rt", "edge-b", "inline-rt"),
      { type: "aws:elasticache/subnetGroup:SubnetGroup", name: "cache", props: {}, dependsOn: { subnetIds: ["edge-b"] } },
    ]);
    expectOne(
      (await runStack(policy, resources)).violations,
      'aws:elasticache/subnetGroup:SubnetGroup "cache" takes subnetIds from public subnet aws:ec2/subnet:Subnet "edge-b"',
      FIX,
    );
  });

  it("does not report a subnet whose mapPublicIpOnLaunch is unknown", async () => {
    const resources = stackOf([
      VPC,
      subnet("maybe", UNKNOWN.boolean),
      { type: "aws:rds/subnetGroup:SubnetGroup", name: "db", props: {}, dependsOn: { subnetIds: ["maybe"] } },
    ]);
    const outcome = await runStack(policy, resources);
    expect(outcome.violations).to.deep.equal([]);
    expect(outcome.unknown).to.contain("can't be known during preview");
  });
});

describe("policy vpc-flow-logs", () => {
  const policy = rule("vpc-flow-logs");
  const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

  it("passes VPCs (plain and awsx) that each have a flow log, even with the vpcId unknown at preview", async () => {
    const resources = stackOf([
      { type: "aws:ec2/vpc:Vpc", name: "plain", props: {} },
      { type: "awsx:ec2:Vpc", name: "network", props: {} },
      { type: FLOW_LOG, name: "plain-logs", props: { vpcId: UNKNOWN.string, trafficType: "ALL" }, dependsOn: { vpcId: ["plain"] } },
      { type: FLOW_LOG, name: "network-logs", props: { vpcId: "vpc-network", trafficType: "ALL" }, dependsOn: { vpcId: ["network"] } },
    ]);
    const outcome = await runStack(policy, resources);
    expect(outcome.violations).to.deep.equal([]);
    expect(outcome.unknown).to.equal(undefined);
  });

  it("reports a VPC without a flow log of its own", async () => {
    const resources = stackOf([
      { type: "aws:ec2/vpc:Vpc", name: "logged", props: {} },
      { type: "aws:ec2/vpc:Vpc", name: "dark", props: {} },
      { type: FLOW_LOG, name: "logged-logs", props: {}, dependsOn: { vpcId: ["logged"] } },
    ]);
    expectOne(
      (await runStack(policy, resources)).violations,
      'aws:ec2/vpc:Vpc "dark" has no aws:ec2/flowLog:FlowLog whose vpcId comes from it',
      "add an aws.ec2.FlowLog with vpcId",
    );
  });

  it("reports an awsx VPC without a flow log", async () => {
    const outcome = await runStack(policy, stackOf([{ type: "awsx:ec2:Vpc", name: "network", props: {} }]));
    expect(outcome.violations[0]).to.contain('awsx:ec2:Vpc "network" has no aws:ec2/flowLog:FlowLog');
  });
});

describe("policy alb-drop-invalid-headers", () => {
  const policy = rule("alb-drop-invalid-headers");
  const LB = "aws:lb/loadBalancer:LoadBalancer";

  it("passes an ALB that drops invalid headers, and ignores network load balancers", async () => {
    expect((await runResource(policy, { type: LB, props: { loadBalancerType: "application", dropInvalidHeaderFields: true } })).violations).to.deep.equal([]);
    expect((await runResource(policy, { type: LB, props: { loadBalancerType: "network" } })).violations).to.deep.equal([]);
  });

  it("reports an ALB (the default type) that does not set it", async () => {
    const outcome = await runResource(policy, { type: LB, name: "edge", props: { internal: false } });
    expectOne(outcome.violations, 'aws:lb/loadBalancer:LoadBalancer "edge": dropInvalidHeaderFields is not set', "set dropInvalidHeaderFields to true");
  });

  it("reports dropInvalidHeaderFields false on the aws.alb token too", async () => {
    const outcome = await runResource(policy, { type: "aws:alb/loadBalancer:LoadBalancer", props: { dropInvalidHeaderFields: false } });
    expectOne(outcome.violations, "dropInvalidHeaderFields is false", "set dropInvalidHeaderFields to true");
  });

  it("does not report an unknown dropInvalidHeaderFields", async () => {
    const outcome = await runResource(policy, { type: LB, props: { dropInvalidHeaderFields: UNKNOWN.boolean } });
    expect(outcome.violations).to.deep.equal([]);
    expect(outcome.unknown).to.contain("can't be known during preview");
  });
});

describe("policy alb-access-logs", () => {
  const policy = rule("alb-access-logs");
  const LB = "aws:lb/loadBalancer:LoadBalancer";
  const FIX = "set accessLogs to { enabled: true, bucket:";

  it("passes an ALB logging to a bucket", async () => {
    expect((await runResource(policy, { type: LB, props: { accessLogs: { enabled: true, bucket: "logs", prefix: "alb" } } })).violations).to.deep.equal([]);
  });

  it("reports an ALB without access logs", async () => {
    expectOne((await runResource(policy, { type: LB, name: "edge", props: {} })).violations, 'LoadBalancer "edge": accessLogs is not set', FIX);
  });

  it("reports disabled access logs", async () => {
    expectOne(
      (await runResource(policy, { type: LB, props: { accessLogs: { bucket: "logs", enabled: false } } })).violations,
      "accessLogs.enabled is false",
      FIX,
    );
  });

  it("does not report an unknown log bucket", async () => {
    const outcome = await runResource(policy, { type: LB, props: { accessLogs: { enabled: true, bucket: UNKNOWN.string } } });
    expect(outcome.violations).to.deep.equal([]);
    expect(outcome.unknown).to.contain("can't be known during preview");
  });
});

describe("policy s3-public-access-blocked", () => {
  const policy = rule("s3-public-access-blocked");
  const BUCKET = "aws:s3/bucket:Bucket";
  const BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
  const ALL_ON = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };

  it("passes a bucket with a complete public access block", async () => {
    const resources = stackOf([
      { type: BUCKET, name: "assets", props: {} },
      { type: BLOCK, name: "assets-pab", props: { bucket: "assets-id", ...ALL_ON }, dependsOn: { bucket: ["assets"] } },
    ]);
    expect((await runStack(policy, resources)).violations).to.deep.equal([]);
  });

  it("reports a bucket without a public access block (another bucket's does not count)", async () => {
    const resources = stackOf([
      { type: BUCKET, name: "assets", props: {} },
      { type: BUCKET, name: "exports", props: {} },
      { type: BLOCK, name: "assets-pab", props: ALL_ON, dependsOn: { bucket: ["assets"] } },
    ]);
    expectOne(
      (await runStack(policy, resources)).violations,
      'aws:s3/bucket:Bucket "exports" has no aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
      "add an aws.s3.BucketPublicAccessBlock",
    );
  });

  it("reports the flags a public access block leaves off", async () => {
    const resources = stackOf([
      { type: BUCKET, name: "assets", props: {} },
      {
        type: BLOCK,
        name: "assets-pab",
        props: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: false },
        dependsOn: { bucket: ["assets"] },
      },
    ]);
    expectOne(
      (await runStack(policy, resources)).violations,
      'BucketPublicAccessBlock "assets-pab" of aws:s3/bucket:Bucket "assets" leaves ignorePublicAcls, restrictPublicBuckets not true',
      "add an aws.s3.BucketPublicAccessBlock",
    );
  });

  it("does not report an unknown flag", async () => {
    const resources = stackOf([
      { type: BUCKET, name: "assets", props: {} },
      { type: BLOCK, name: "assets-pab", props: { ...ALL_ON, restrictPublicBuckets: UNKNOWN.boolean }, dependsOn: { bucket: ["assets"] } },
    ]);
    const outcome = await runStack(policy, resources);
    expect(outcome.violations).to.deep.equal([]);
    expect(outcome.unknown).to.contain("can't be known during preview");
  });
});

describe("policy cloudfront-waf", () => {
  const policy = rule("cloudfront-waf");
  const DIST = "aws:cloudfront/distribution:Distribution";

  it("passes a distribution with a web ACL", async () => {
    expect(
      (await runResource(policy, { type: DIST, props: { webAclId: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1" } })).violations,
    ).to.deep.equal([]);
  });

  it("reports a distribution without a web ACL", async () => {
    expectOne(
      (await runResource(policy, { type: DIST, name: "cdn", props: { enabled: true } })).violations,
      'Distribution "cdn": webAclId is not set',
      "set webAclId to the ARN of a CLOUDFRONT-scope",
    );
  });

  it("does not report an unknown web ACL", async () => {
    const outcome = await runResource(policy, { type: DIST, props: { webAclId: UNKNOWN.string } });
    expect(outcome.violations).to.deep.equal([]);
    expect(outcome.unknown).to.contain("can't be known during preview");
  });
});

describe("policy elasticache-in-vpc", () => {
  const policy = rule("elasticache-in-vpc");
  const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

  it("passes a group in a subnet group with a security group", async () => {
    expect((await runResource(policy, { type: GROUP, props: { subnetGroupName: "cache", securityGroupIds: ["sg-cache"] } })).violations).to.deep.equal([]);
  });

  it("reports a group without subnet group or security groups", async () => {
    const outcome = await runResource(policy, { type: GROUP, name: "cache", props: { securityGroupIds: [] } });
    expect(outcome.violations).to.have.length(2);
    expect(outcome.violations[0]).to.contain('ReplicationGroup "cache": subnetGroupName is not set');
    expect(outcome.violations[1]).to.contain("securityGroupIds is empty");
    for (const v of outcome.violations) expect(v).to.contain("Fix: set subnetGroupName to a subnet group of private subnets");
  });

  it("does not report unknown security groups", async () => {
    const outcome = await runResource(policy, { type: GROUP, props: { subnetGroupName: "cache", securityGroupIds: UNKNOWN.array } });
    expect(outcome.violations).to.deep.equal([]);
    expect(outcome.unknown).to.contain("can't be known during preview");
  });
});

describe("policy ecs-awsvpc-private", () => {
  const policy = rule("ecs-awsvpc-private");
  const FIX = "set networkConfiguration with subnets";

  it("passes a service with subnets and a security group", async () => {
    expect((await runResource(policy, { type: SERVICE, props: { networkConfiguration: PRIVATE_NETWORK } })).violations).to.deep.equal([]);
  });

  it("reports a service without networkConfiguration", async () => {
    expectOne((await runResource(policy, { type: SERVICE, name: "worker", props: {} })).violations, 'Service "worker": networkConfiguration is not set', FIX);
  });

  it("reports a service without security groups", async () => {
    const outcome = await runResource(policy, { type: SERVICE, props: { networkConfiguration: { subnets: ["subnet-a"] } } });
    expectOne(outcome.violations, "networkConfiguration.securityGroups is empty", FIX);
  });

  it("does not report unknown subnets", async () => {
    const outcome = await runResource(policy, { type: SERVICE, props: { networkConfiguration: { subnets: UNKNOWN.array, securityGroups: ["sg-1"] } } });
    expect(outcome.violations).to.deep.equal([]);
    expect(outcome.unknown).to.contain("can't be known during preview");
  });
});

describe("policy s3-acls-disabled", () => {
  const policy = rule("s3-acls-disabled");
  const BUCKET = "aws:s3/bucket:Bucket";
  const OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
  const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
  const owned = (objectOwnership: string, extra: any[] = []) =>
    stackOf([
      { type: BUCKET, name: "logs", props: {} },
      { type: OWNERSHIP, name: "logs-ownership", props: { rule: { objectOwnership } }, dependsOn: { bucket: ["logs"] } },
      ...extra,
    ]);

  it("passes a bucket with ACLs disabled, and a CloudFront standard-log bucket that keeps BucketOwnerPreferred", async () => {
    expect((await runStack(policy, owned("BucketOwnerEnforced"))).violations).to.deep.equal([]);
    const cdn = { type: DISTRIBUTION, name: "cdn", props: { loggingConfig: { bucket: "logs.s3.amazonaws.com" } }, dependsOn: { loggingConfig: ["logs"] } };
    expect((await runStack(policy, owned("BucketOwnerPreferred", [cdn]))).violations).to.deep.equal([]);
  });

  it("reports ACLs left on, and a bucket without ownership controls", async () => {
    expectOne(
      (await runStack(policy, owned("BucketOwnerPreferred"))).violations,
      'aws:s3/bucket:Bucket "logs" has object ownership BucketOwnerPreferred, so ACLs can grant access (only a CloudFront standard-log bucket may keep BucketOwnerPreferred)',
      'add an aws.s3.BucketOwnershipControls for the bucket with rule.objectOwnership "BucketOwnerEnforced"',
    );
    expectOne(
      (await runStack(policy, stackOf([{ type: BUCKET, name: "data", props: {} }]))).violations,
      'aws:s3/bucket:Bucket "data" has no aws:s3/bucketOwnershipControls:BucketOwnershipControls, so its object ownership is not managed here',
      "add an aws.s3.BucketOwnershipControls",
    );
  });
});

describe("policy waf-logging", () => {
  const policy = rule("waf-logging");
  const ACL = "aws:wafv2/webAcl:WebAcl";
  const LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";

  it("passes a web ACL that a logging configuration names", async () => {
    const resources = stackOf([
      { type: ACL, name: "edge", props: {} },
      { type: LOGGING, name: "edge-logging", props: { resourceArn: "arn:acl" }, dependsOn: { resourceArn: ["edge"] } },
    ]);
    expect((await runStack(policy, resources)).violations).to.deep.equal([]);
  });

  it("reports a web ACL no logging configuration names (another ACL's does not count)", async () => {
    const resources = stackOf([
      { type: ACL, name: "edge", props: {} },
      { type: ACL, name: "api", props: {} },
      { type: LOGGING, name: "edge-logging", props: {}, dependsOn: { resourceArn: ["edge"] } },
    ]);
    expectOne(
      (await runStack(policy, resources)).violations,
      'aws:wafv2/webAcl:WebAcl "api" has no aws:wafv2/webAclLoggingConfiguration',
      "add an aws.wafv2.WebAclLoggingConfiguration",
    );
  });
});

describe("policy waf-managed-rules", () => {
  const policy = rule("waf-managed-rules");
  const ACL = "aws:wafv2/webAcl:WebAcl";
  const group = (name: string, overrideAction: unknown = { none: {} }) => ({
    name,
    priority: 1,
    overrideAction,
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
  });
  const rate = { name: "rate", priority: 0, action: { block: {} }, statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } } };
  const acl = (rules: unknown[]) => runResource(policy, { type: ACL, name: "edge", props: { rules } });

  it("passes a web ACL running the required groups in blocking mode, every rule with an action", async () => {
    expect((await acl([rate, group("AWSManagedRulesCommonRuleSet"), group("AWSManagedRulesKnownBadInputsRuleSet")])).violations).to.deep.equal([]);
  });

  it("reports a missing group, a group in count mode, a rule without an action, and an ACL without rules", async () => {
    expectOne(
      (await acl([group("AWSManagedRulesCommonRuleSet")])).violations,
      "does not run the managed rule group AWSManagedRulesKnownBadInputsRuleSet",
      "add a rule with",
    );
    expectOne(
      (await acl([group("AWSManagedRulesCommonRuleSet"), group("AWSManagedRulesKnownBadInputsRuleSet", { count: {} })])).violations,
      "runs AWSManagedRulesKnownBadInputsRuleSet in count mode only",
      "add a rule with",
    );
    expectOne(
      (await acl([{ ...rate, action: undefined }, group("AWSManagedRulesCommonRuleSet"), group("AWSManagedRulesKnownBadInputsRuleSet")])).violations,
      'rule "rate" has no action',
      "add a rule with",
    );
    expectOne((await acl([])).violations, "has no rules: every request gets the default action", "add a rule with");
  });

  it("takes the required groups from config", async () => {
    const outcome = await runResource(
      policy,
      { type: ACL, props: { rules: [group("AWSManagedRulesCommonRuleSet")] } },
      { config: { requiredManagedRuleGroups: ["AWSManagedRulesCommonRuleSet"] } },
    );
    expect(outcome.violations).to.deep.equal([]);
  });
});

describe("policy vpc-default-sg-closed", () => {
  const policy = rule("vpc-default-sg-closed");
  const VPC = "awsx:ec2:Vpc";
  const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";

  it("passes a VPC whose default group is managed with no rules", async () => {
    const resources = stackOf([
      { type: VPC, name: "net", props: {} },
      { type: DEFAULT_SG, name: "net-default", props: { vpcId: "vpc-1", ingress: [], egress: [] }, dependsOn: { vpcId: ["net"] } },
    ]);
    expect((await runStack(policy, resources)).violations).to.deep.equal([]);
  });

  it("reports an unmanaged default group, and one that keeps a rule", async () => {
    expectOne(
      (await runStack(policy, stackOf([{ type: VPC, name: "net", props: {} }]))).violations,
      'awsx:ec2:Vpc "net" has no aws:ec2/defaultSecurityGroup:DefaultSecurityGroup',
      "add an aws.ec2.DefaultSecurityGroup",
    );
    const resources = stackOf([
      { type: VPC, name: "net", props: {} },
      {
        type: DEFAULT_SG,
        name: "net-default",
        props: { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] },
        dependsOn: { vpcId: ["net"] },
      },
    ]);
    expectOne(
      (await runStack(policy, resources)).violations,
      'DefaultSecurityGroup "net-default" of awsx:ec2:Vpc "net" has egress rules',
      "add an aws.ec2.DefaultSecurityGroup",
    );
  });
});
