import { expect } from "chai";
import { SynthResult } from "../tools/harness";
import { asArray, fixture, FIXTURES, fixtureSettings, idOf, ofType, one, roleStatements, T } from "./helpers";
import { looksLikeSecret } from "../policies/rules/secret-names";

function taskDefinitionOf(result: SynthResult, service: string) {
  const td = one(result, T.taskDefinition, `${service}-svc-task`);
  return { td, container: JSON.parse(td.inputs.containerDefinitions)[0] };
}

for (const stack of FIXTURES) {
  const prod = stack === "prod";
  const settings = fixtureSettings(stack);
  const privateSubnets = settings.availabilityZones.map((az) => `subnet-private-${az}`);

  describe(`FargateService (${stack})`, () => {
    it("creates one service per config entry", async () => {
      const result = await fixture(stack);
      expect(ofType(result, T.fargateService).map((s) => s.name)).to.deep.equal(["user-svc", "payment-svc", "notification-svc"]);
      expect(ofType(result, T.ecsService)).to.have.length(settings.services.length);
    });

    for (const service of settings.services) {
      describe(service.name, () => {
        it("runs in the private subnets without a public IP, in its own security group", async () => {
          const result = await fixture(stack);
          const ecs = one(result, T.ecsService, `${service.name}-svc-service`);
          expect(ecs.inputs.networkConfiguration).to.deep.equal({
            assignPublicIp: false,
            subnets: privateSubnets,
            securityGroups: [idOf(one(result, T.sg, `${service.name}-svc-sg`))],
          });
        });

        it("deploys rolling with a circuit breaker that rolls back", async () => {
          const ecs = one(await fixture(stack), T.ecsService, `${service.name}-svc-service`);
          expect(ecs.inputs.deploymentCircuitBreaker).to.deep.equal({ enable: true, rollback: true });
          expect(ecs.inputs.deploymentMinimumHealthyPercent).to.equal(100);
          expect(ecs.inputs.deploymentMaximumPercent).to.equal(200);
          expect(ecs.ignoreChanges).to.include("desiredCount");
        });

        it(`autoscales between ${service.minTasks} and ${service.maxTasks} tasks`, async () => {
          const result = await fixture(stack);
          const target = one(result, T.scalingTarget, `${service.name}-svc-scaling`);
          expect(target.inputs).to.include({
            minCapacity: service.minTasks,
            maxCapacity: service.maxTasks,
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: `service/platform-${stack}/${service.name}-svc-service`,
          });
          if (prod) expect(service.minTasks).to.be.at.least(2);
          const policies = ofType(result, T.scalingPolicy).filter((p) => p.name.startsWith(`${service.name}-svc-`));
          const metrics = policies.map(
            (p) => p.inputs.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification?.predefinedMetricType ?? "QueueBacklogPerTask",
          );
          const expected = ["ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization"];
          if (service.pathPrefix) expected.push("ALBRequestCountPerTarget");
          if (Object.values(service.access.queues).includes("consume")) expected.push("QueueBacklogPerTask");
          expect(metrics).to.have.members(expected);
          const requests = policies.find((p) => p.name.endsWith("-requests"));
          if (requests) {
            const spec = requests.inputs.targetTrackingScalingPolicyConfiguration;
            expect(spec.predefinedMetricSpecification.resourceLabel).to.match(/^app\/edge-alb\/[0-9a-f]+\/targetgroup\/[\w-]+\/[0-9a-f]+$/);
            expect(spec.targetValue).to.equal(service.requestsPerTarget);
          }
        });

        it("has the Fargate size from config and separate task and execution roles", async () => {
          const { td } = taskDefinitionOf(await fixture(stack), service.name);
          expect(td.inputs).to.include({ cpu: String(service.cpu), memory: String(service.memory), networkMode: "awsvpc" });
          expect(td.inputs.requiresCompatibilities).to.deep.equal(["FARGATE"]);
          // Both under the stack's IAM path, where the bootstrap's deploy role may manage roles.
          const path = `role/platform-${stack}/`;
          expect(td.inputs.taskRoleArn)
            .to.include(path)
            .and.match(/-svc-task$/);
          expect(td.inputs.executionRoleArn)
            .to.include(path)
            .and.match(/-svc-execution$/);
          expect(td.inputs.taskRoleArn).to.not.equal(td.inputs.executionRoleArn);
        });

        it("keeps credentials out of plain environment variables", async () => {
          const result = await fixture(stack);
          const { container } = taskDefinitionOf(result, service.name);
          const token = one(result, T.randomPassword, "cache-auth-token").state.result;
          for (const env of container.environment) {
            expect(looksLikeSecret(env.name), `${env.name} looks like a secret`).to.equal(false);
            expect(env.value).to.not.equal(token);
          }
          expect(JSON.stringify(container)).to.not.contain(token);
          expect(container.environment).to.deep.include({ name: "LOG_LEVEL", value: prod ? "info" : "debug" });
          expect(container.logConfiguration.options["awslogs-group"]).to.equal(`/ecs/platform-${stack}/${service.name}`);
        });

        if (service.pathPrefix) {
          it(`is routed on ${service.pathPrefix} with health checks on ${service.healthCheckPath}`, async () => {
            const result = await fixture(stack);
            const rule = one(result, T.listenerRule, `${service.name}-svc-rule`);
            const tg = one(result, T.targetGroup, `${service.name}-svc-tg`);
            expect(rule.inputs.conditions[0].pathPattern.values).to.deep.equal([service.pathPrefix, `${service.pathPrefix}/*`]);
            const token = one(result, T.randomPassword, "edge-origin-verify").state.result;
            expect(rule.inputs.conditions[1]).to.deep.equal({ httpHeader: { httpHeaderName: "X-Origin-Verify", values: [token] } });
            expect(rule.inputs.listenerArn).to.equal(one(result, T.listener, "edge-https").state.arn);
            expect(tg.inputs.loadBalancingAlgorithmType).to.equal(service.loadBalancingAlgorithm);
            expect(rule.inputs.priority).to.equal(service.listenerPriority);
            const forward = rule.inputs.actions.find((a: { type: string }) => a.type === "forward");
            expect(forward.targetGroupArn).to.equal(tg.state.arn);
            const auth = rule.inputs.actions.find((a: { type: string }) => a.type === "authenticate-cognito");
            if (service.requireSignIn) {
              expect(auth.order).to.be.below(forward.order);
              expect(auth.authenticateCognito).to.include({
                userPoolArn: one(result, T.userPool, "users-pool").state.arn,
                onUnauthenticatedRequest: "authenticate",
              });
              expect(auth.authenticateCognito.userPoolClientId).to.equal("users-alb-id");
            } else {
              expect(auth).to.equal(undefined);
            }
            expect(tg.inputs).to.include({ targetType: "ip", port: service.port, protocol: "HTTP" });
            expect(tg.inputs.healthCheck.path).to.equal(service.healthCheckPath);
            const ingress = one(result, T.ingress, `${service.name}-svc-from-alb`);
            expect(ingress.inputs.referencedSecurityGroupId).to.equal(idOf(one(result, T.sg, "edge-alb-sg")));
            expect(ingress.inputs.fromPort).to.equal(service.port);
          });
        } else {
          it("is a worker: no target group, no listener rule, no ingress", async () => {
            const result = await fixture(stack);
            const prefix = `${service.name}-svc-`;
            expect(ofType(result, T.targetGroup).filter((r) => r.name.startsWith(prefix))).to.deep.equal([]);
            expect(ofType(result, T.listenerRule).filter((r) => r.name.startsWith(prefix))).to.deep.equal([]);
            const sg = idOf(one(result, T.sg, `${service.name}-svc-sg`));
            expect(ofType(result, T.ingress).filter((r) => r.inputs.securityGroupId === sg)).to.deep.equal([]);
            expect(one(result, T.ecsService, `${service.name}-svc-service`).inputs.loadBalancers).to.equal(undefined);
          });
        }

        it("has an execution role limited to its own log group, ECR and granted secrets", async () => {
          const result = await fixture(stack);
          const statements = roleStatements(result, `${service.name}-svc-execution`);
          const logGroupArn = one(result, T.logGroup, `${service.name}-svc-logs`).state.arn;
          for (const s of statements) {
            for (const action of asArray<string>(s.Action)) expect(action).to.not.contain("*");
            if (asArray(s.Resource).includes("*")) expect(s.Action).to.equal("ecr:GetAuthorizationToken");
          }
          expect(statements.find((s) => s.Sid === "WriteOwnLogGroup").Resource).to.equal(`${logGroupArn}:*`);
          const secretReads = statements.filter((s) => asArray(s.Action).includes("secretsmanager:GetSecretValue"));
          if (service.access.cache) {
            expect(secretReads.flatMap((s) => asArray(s.Resource))).to.deep.equal([one(result, T.secret, "cache-auth-token").state.arn]);
          } else {
            expect(secretReads).to.deep.equal([]);
          }
        });
      });
    }

    it("user: reaches Aurora with IAM auth as its own user, and Redis with the token injected as a secret", async () => {
      const result = await fixture(stack);
      const cluster = one(result, T.rdsCluster, "database-cluster");
      const statements = roleStatements(result, "user-svc-task").filter((s) => asArray<string>(s.Action).some((a) => a.startsWith("rds")));
      expect(statements).to.deep.equal([
        {
          Sid: "ConnectToAuroraAsOwnUser",
          Effect: "Allow",
          Action: "rds-db:connect",
          Resource: `arn:aws:rds-db:${settings.region}:123456789012:dbuser:${cluster.state.clusterResourceId}/user_app`,
        },
      ]);
      const { container } = taskDefinitionOf(result, "user");
      expect(container.secrets).to.deep.equal([{ name: "REDIS_AUTH_TOKEN", valueFrom: one(result, T.secret, "cache-auth-token").state.arn }]);
      const env = Object.fromEntries(container.environment.map((e: { name: string; value: string }) => [e.name, e.value]));
      expect(env).to.include({ DB_HOST: cluster.state.endpoint, DB_READER_HOST: cluster.state.readerEndpoint, DB_USER: "user_app", REDIS_TLS: "true" });
      expect(env.REDIS_HOST).to.equal(one(result, T.redis, "cache-group").state.primaryEndpointAddress);
    });

    it(`${prod ? "traces every service through an X-Ray sidecar" : "runs without the X-Ray sidecar (tracing off in dev)"}`, async () => {
      const result = await fixture(stack);
      for (const service of settings.services) {
        const td = one(result, T.taskDefinition, `${service.name}-svc-task`);
        const containers = JSON.parse(td.inputs.containerDefinitions);
        const sidecar = containers.find((c: { name: string }) => c.name === "xray-daemon");
        const traces = roleStatements(result, `${service.name}-svc-task`).filter((s) => s.Sid === "SendTraces");
        if (prod) {
          expect(sidecar, service.name).to.include({ essential: false });
          expect(sidecar.image).to.match(/^public\.ecr\.aws\/xray\/aws-xray-daemon:\d/);
          expect(containers[0].environment).to.deep.include({ name: "AWS_XRAY_DAEMON_ADDRESS", value: "localhost:2000" });
          expect(traces).to.have.length(1);
          for (const action of traces[0].Action) expect(action).to.match(/^xray:(Put|Get)/);
        } else {
          expect(containers.map((c: { name: string }) => c.name)).to.deep.equal([service.name]);
          expect(traces).to.deep.equal([]);
        }
      }
    });

    for (const service of ["payment", "notification"]) {
      it(`${service}: has no statement, rule, secret or variable touching Aurora or Redis`, async () => {
        const result = await fixture(stack);
        const taskStatements = roleStatements(result, `${service}-svc-task`);
        for (const s of taskStatements) {
          for (const action of asArray<string>(s.Action)) expect(action).to.not.match(/^(rds|rds-db|elasticache):/);
        }
        expect(JSON.stringify(roleStatements(result, `${service}-svc-execution`))).to.not.contain("cache-auth-token");
        const sg = idOf(one(result, T.sg, `${service}-svc-sg`));
        const dataSgs = [idOf(one(result, T.sg, "database-sg")), idOf(one(result, T.sg, "cache-sg"))];
        const rules = ofType(result, T.ingress).filter((r) => dataSgs.includes(r.inputs.securityGroupId));
        expect(rules.map((r) => r.inputs.referencedSecurityGroupId)).to.not.include(sg);
        const { container } = taskDefinitionOf(result, service);
        expect(container.secrets).to.deep.equal([]);
        expect(container.environment.map((e: { name: string }) => e.name).filter((n: string) => /^(DB|REDIS)_/.test(n))).to.deep.equal([]);
      });
    }
  });

  describe(`stack outputs (${stack})`, () => {
    it("exports what an operator needs", async () => {
      const { outputs } = await fixture(stack);
      expect(outputs).to.include({
        vpcId: "vpc-network-vpc",
        clusterName: `platform-${stack}`,
        auroraWriterEndpoint: `platform-${stack}-aurora.cluster-c0ffee.${settings.region}.rds.amazonaws.com`,
        auroraReaderEndpoint: `platform-${stack}-aurora.cluster-ro-c0ffee.${settings.region}.rds.amazonaws.com`,
        redisPrimaryEndpoint: `master.platform-${stack}-cache.abc123.euw1.cache.amazonaws.com`,
      });
      expect(outputs.albDnsName).to.match(/elb\.amazonaws\.com$/);
      expect(outputs.dbMasterSecretArn).to.match(/^arn:aws:secretsmanager:/);
      expect(Object.keys(outputs.serviceNames as object)).to.deep.equal(settings.services.map((s) => s.name));
    });

    it("never exports a secret value", async () => {
      const result = await fixture(stack);
      const token = one(result, T.randomPassword, "cache-auth-token").state.result;
      expect(JSON.stringify(result.outputs)).to.not.contain(token);
      for (const name of Object.keys(result.outputs)) expect(name).to.not.match(/password|token$/i);
    });
  });
}
