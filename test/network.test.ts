import { expect } from "chai";
import { fixture, FIXTURES, fixtureSettings, ofType, one, policyOf, T } from "./helpers";

for (const stack of FIXTURES) {
  describe(`network, security and compute cluster (${stack})`, () => {
    const settings = fixtureSettings(stack);
    const prod = stack === "prod";

    it("builds the VPC with awsx in the stack's explicit AZs and CIDR", async () => {
      const vpc = one(await fixture(stack), T.vpc, "network-vpc");
      expect(vpc.inputs.availabilityZoneNames).to.deep.equal(settings.availabilityZones);
      expect(vpc.inputs.availabilityZoneNames).to.have.length(prod ? 3 : 2);
      expect(vpc.inputs.cidrBlock).to.equal(settings.network.vpcCidr);
      expect(vpc.inputs.numberOfAvailabilityZones).to.equal(undefined);
    });

    it("has public, private and isolated subnets", async () => {
      const vpc = one(await fixture(stack), T.vpc, "network-vpc");
      const types = vpc.inputs.subnetSpecs.map((s: { type: string }) => s.type).sort();
      expect(types).to.deep.equal(["Isolated", "Private", "Public"]);
      for (const spec of vpc.inputs.subnetSpecs) expect(spec.cidrMask).to.be.within(17, 28);
    });

    it(`uses ${prod ? "one NAT gateway per AZ" : "a single NAT gateway"}`, async () => {
      const vpc = one(await fixture(stack), T.vpc, "network-vpc");
      expect(vpc.inputs.natGateways.strategy).to.equal(prod ? "OnePerAz" : "Single");
    });

    it("has S3 and DynamoDB gateway endpoints", async () => {
      const vpc = one(await fixture(stack), T.vpc, "network-vpc");
      const endpoints = vpc.inputs.vpcEndpointSpecs.map((e: { serviceName: string; vpcEndpointType: string }) => `${e.serviceName}:${e.vpcEndpointType}`);
      expect(endpoints).to.have.members([`com.amazonaws.${settings.region}.s3:Gateway`, `com.amazonaws.${settings.region}.dynamodb:Gateway`]);
    });

    it("sends all VPC flow logs to a KMS-encrypted log group through a role scoped to it", async () => {
      const result = await fixture(stack);
      const flowLog = one(result, T.flowLog, "network-flow-logs");
      const group = one(result, T.logGroup, "network-flow-logs");
      expect(flowLog.inputs.trafficType).to.equal("ALL");
      expect(flowLog.inputs.vpcId).to.equal("vpc-network-vpc");
      expect(flowLog.inputs.logDestination).to.equal(group.state.arn);
      expect(group.inputs.kmsKeyId).to.equal(one(result, T.kmsKey, "platform-key").state.arn);
      const policy = policyOf(one(result, T.rolePolicy, "network-flow-logs"));
      expect(policy.Statement.flatMap((s) => s.Resource)).to.deep.equal([group.state.arn, `${group.state.arn}:*`]);
      const trust = JSON.parse(one(result, T.role, "network-flow-logs").inputs.assumeRolePolicy);
      expect(trust.Statement[0].Principal.Service).to.equal("vpc-flow-logs.amazonaws.com");
    });

    it("encrypts every log group with a customer key of its region and the stack's retention", async () => {
      const result = await fixture(stack);
      const keys = ofType(result, T.kmsKey);
      const groups = ofType(result, T.logGroup);
      expect(groups.length).to.be.greaterThan(4);
      for (const group of groups) {
        const key = keys.find((k) => k.state.arn === group.inputs.kmsKeyId);
        expect(key, `${group.name} uses a customer-managed key`).to.not.equal(undefined);
        expect(key!.region, `${group.name} key is in the group's region`).to.equal(group.region);
        expect(group.inputs.retentionInDays, group.name).to.equal(prod ? 365 : 14);
      }
    });

    it(`has a rotating customer-managed key ${prod ? "that is protected" : "that dev may delete"}`, async () => {
      const result = await fixture(stack);
      const key = one(result, T.kmsKey, "platform-key");
      expect(key.inputs.enableKeyRotation).to.equal(true);
      expect(key.protect).to.equal(prod);
      expect(key.inputs.deletionWindowInDays).to.equal(prod ? 30 : 7);
      const policy = policyOf(key);
      const logs = policy.Statement.find((s) => s.Principal?.Service === `logs.${settings.region}.amazonaws.com`);
      expect(logs, "key policy lets CloudWatch Logs use the key").to.not.equal(undefined);
      expect(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).to.contain(":123456789012:log-group:");
    });

    it(`runs an ECS cluster with Container Insights ${prod ? "enhanced and no Spot" : "and Fargate Spot"}`, async () => {
      const result = await fixture(stack);
      const cluster = one(result, T.ecsCluster, "compute-cluster");
      expect(cluster.inputs.settings).to.deep.equal([{ name: "containerInsights", value: prod ? "enhanced" : "enabled" }]);
      const providers = one(result, T.capacityProviders, "compute-capacity");
      expect(providers.inputs.capacityProviders).to.deep.equal(prod ? ["FARGATE"] : ["FARGATE", "FARGATE_SPOT"]);
      for (const service of ofType(result, T.ecsService)) {
        const names = service.inputs.capacityProviderStrategies.map((s: { capacityProvider: string }) => s.capacityProvider);
        expect(names.includes("FARGATE_SPOT"), service.name).to.equal(!prod);
        expect(names).to.include("FARGATE");
      }
    });
  });
}
