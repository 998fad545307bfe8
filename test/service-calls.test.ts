/**
 * Private service-to-service calls (ECS Service Connect over a Cloud Map namespace), from the one
 * declaration `services[].calls`: the client side (the callee's URL, the caller's client config),
 * the server side (the callee registered under its own name and port), and the network path that
 * exists for exactly the declared calls. Every shipped stack, whatever its config declares.
 */
import { expect } from "chai";
import { portName, serviceConnectConfiguration } from "../components/fargate-service";
import { callOrder, callPlans, calleeVariable } from "../components/service-calls";
import { SynthResult } from "../tools/harness";
import { editServices, expectProblem } from "./config-helpers";
import { pathsFor, reachabilityProblems } from "./invariants";
import { ofType, one, settingsOf, STACKS, synth, T } from "./helpers";

describe("service calls: the plan each declaration implies (pure)", () => {
  const services = [
    { name: "user", port: 8080, calls: [] },
    { name: "payment", port: 8081, calls: ["user"] },
    { name: "notification", port: 8082, calls: ["user", "payment"] },
  ];
  const plans = callPlans(services);

  it("gives each service its callees with their ports and the services that call it", () => {
    expect(plans.user).to.deep.equal({ callees: [], callers: ["payment", "notification"] });
    expect(plans.payment).to.deep.equal({ callees: [{ name: "user", port: 8080 }], callers: ["notification"] });
    expect(plans.notification.callers).to.deep.equal([]);
    expect(calleeVariable({ name: "user-api", port: 8080 })).to.deep.equal(["SERVICE_USER_API_URL", "http://user-api:8080"]);
  });

  it("builds callees before their callers, else in config order, and refuses a cycle", () => {
    expect(callOrder(services).map((s) => s.name)).to.deep.equal(["user", "payment", "notification"]);
    const reversed = [...services].reverse();
    expect(callOrder(reversed).map((s) => s.name)).to.deep.equal(["user", "payment", "notification"]);
    expect(() =>
      callOrder([
        { name: "a", calls: ["b"] },
        { name: "b", calls: ["a"] },
      ]),
    ).to.throw("services call each other in a cycle: a -> b -> a");
  });

  it("makes a callee a server under its own name and port, a pure caller a client, and others nothing", () => {
    const logs = { group: "g", region: "eu-west-1" };
    const server = serviceConnectConfiguration({ name: "user", port: 8080 }, plans.user, "arn:ns", logs)!;
    expect(server).to.deep.include({ enabled: true, namespace: "arn:ns" });
    expect(server.services).to.deep.equal([
      { portName: portName("user"), discoveryName: "user", clientAlias: [{ port: 8080, dnsName: "user" }], timeout: { perRequestTimeoutSeconds: 15 } },
    ]);
    const client = serviceConnectConfiguration({ name: "notification", port: 8082 }, plans.notification, "arn:ns", logs)!;
    expect(client.services).to.equal(undefined);
    expect(serviceConnectConfiguration({ name: "x", port: 1 }, { callees: [], callers: [] }, "arn:ns", logs)).to.equal(undefined);
    expect(() => serviceConnectConfiguration({ name: "user", port: 8080 }, plans.user, undefined, logs)).to.throw(/no Service Connect namespace/);
  });
});

describe("service calls: config", () => {
  it("refuses a call to an unknown service or to itself, naming the key and the value", () => {
    const withCalls = (calls: string[]) => (config: Record<string, string>) =>
      editServices(config, (services) => {
        services[0].calls = calls;
      });
    const self = settingsOf("dev").services[0].name;
    expect(expectProblem("dev", withCalls(["nobody"]), "platform:services[0].calls", "nobody").allowed).to.match(/^must name a service of this stack/);
    expect(expectProblem("dev", withCalls([self]), "platform:services[0].calls", self).allowed).to.match(/^must name another service/);
  });

  it("refuses calls that form a cycle, once, naming it", () => {
    const [a, b] = settingsOf("dev").services.map((s) => s.name);
    const cycle = (config: Record<string, string>) =>
      editServices(config, (services) => {
        services[0].calls = [b];
        services[1].calls = [a];
      });
    const problem = expectProblem("dev", cycle, `platform:services[${[a, b].sort()[0] === a ? 0 : 1}].calls`, [[a, b].sort()[0] === a ? b : a]);
    expect(problem.allowed).to.match(/^must not form a cycle \(.+ -> .+ -> .+\): callees deploy before their callers/);
  });
});

for (const stack of STACKS) {
  const settings = settingsOf(stack);
  const plans = callPlans(settings.services);
  const anyCalls = settings.services.some((s) => s.calls.length > 0);

  describe(`service calls (${stack})`, () => {
    let result: SynthResult;
    before(async () => {
      result = await synth(stack);
    });
    const service = (name: string) => one(result, T.ecsService, `${name}-svc-service`).inputs;
    const containers = (name: string) => JSON.parse(one(result, T.taskDefinition, `${name}-svc-task`).inputs.containerDefinitions);

    it("has a Service Connect namespace exactly when some service calls another, as the cluster's default", () => {
      const namespaces = ofType(result, "aws:servicediscovery/httpNamespace:HttpNamespace");
      expect(namespaces).to.have.length(anyCalls ? 1 : 0);
      const cluster = one(result, "aws:ecs/cluster:Cluster", "compute-cluster").inputs;
      if (anyCalls) expect(cluster.serviceConnectDefaults).to.deep.equal({ namespace: namespaces[0].state.arn });
      else expect(cluster.serviceConnectDefaults).to.equal(undefined);
    });

    it("registers each callee under its name and port, and gives each caller the callee's URL and nothing more", () => {
      for (const s of settings.services) {
        const plan = plans[s.name];
        const sc = service(s.name).serviceConnectConfiguration;
        const env = Object.fromEntries(containers(s.name)[0].environment.map((e: any) => [e.name, e.value]));
        const urls = Object.keys(env).filter((k) => k.startsWith("SERVICE_"));
        expect(urls.sort(), s.name).to.deep.equal(plan.callees.map((c) => calleeVariable(c)[0]).sort());
        for (const c of plan.callees) expect(env[calleeVariable(c)[0]]).to.equal(`http://${c.name}:${c.port}`);
        if (plan.callers.length === 0 && plan.callees.length === 0) {
          expect(sc, s.name).to.equal(undefined);
          continue;
        }
        expect(sc.enabled).to.equal(true);
        const mapping = containers(s.name)[0].portMappings[0];
        if (plan.callers.length > 0) {
          expect(sc.services).to.have.length(1);
          expect(sc.services[0]).to.deep.include({ portName: mapping.name, discoveryName: s.name });
          expect(sc.services[0].clientAlias).to.deep.equal([{ port: s.port, dnsName: s.name }]);
          expect(mapping.appProtocol, `${s.name} speaks HTTP to its callers' proxies`).to.equal("http");
        } else expect(sc.services, `${s.name} is a client only`).to.equal(undefined);
        expect(sc.logConfiguration.options["awslogs-stream-prefix"]).to.equal("service-connect");
      }
    });

    it("alarms on each call's p99 response time as its caller sees it, at the stack's threshold", () => {
      const alarms = ofType(result, "aws:cloudwatch/metricAlarm:MetricAlarm").filter(
        (a) => a.inputs.namespace === "AWS/ECS" && a.inputs.metricName === "TargetResponseTime",
      );
      expect(alarms.length).to.equal(settings.services.reduce((n, s) => n + s.calls.length, 0));
      for (const s of settings.services)
        for (const callee of s.calls) {
          const alarm = one(result, "aws:cloudwatch/metricAlarm:MetricAlarm", `observability-${s.name}-calls-${callee}-p99-latency`).inputs;
          expect(alarm).to.include({
            extendedStatistic: "p99",
            threshold: settings.observability.thresholds.callP99LatencyMs,
            comparisonOperator: "GreaterThanThreshold",
          });
          expect(alarm.dimensions).to.deep.equal({
            ClusterName: one(result, "aws:ecs/cluster:Cluster", "compute-cluster").state.name,
            ServiceName: one(result, T.ecsService, `${s.name}-svc-service`).state.name,
            TargetDiscoveryName: callee,
          });
        }
    });

    it("starts each caller's ECS service after the services it calls", () => {
      for (const s of settings.services)
        for (const callee of s.calls)
          expect(one(result, T.ecsService, `${s.name}-svc-service`).dependencies, `${s.name} after ${callee}`).to.include(
            `${T.ecsService}::${callee}-svc-service`,
          );
    });

    it("opens a path from each caller to each callee on the callee's port, and between no other two services", () => {
      const paths = pathsFor(settings).filter((p) => p.from.startsWith("service:") && p.to.startsWith("service:"));
      expect(paths.length).to.equal(settings.services.length * (settings.services.length - 1));
      expect(paths.filter((p) => p.open).length).to.equal(settings.services.reduce((n, s) => n + s.calls.length, 0));
      expect(reachabilityProblems(result, paths, settings.namePrefix)).to.deep.equal([]);
    });

    it("a service that did not declare a call has no path to the other service, and a rule that opens one is reported", () => {
      const pair = settings.services.flatMap((a) => settings.services.filter((b) => b.name !== a.name && !a.calls.includes(b.name)).map((b) => [a, b]))[0];
      expect(pair, "two services, one of which does not call the other").to.not.equal(undefined);
      const [stranger, target] = pair;
      const group = (name: string) => one(result, T.sg, `${name}-svc-sg`).id;
      const opened = structuredClone(result);
      const rule = { ipProtocol: "tcp", fromPort: target.port, toPort: target.port };
      opened.resources.push(
        {
          ...structuredClone(ofType(result, T.ingress)[0]),
          name: "undeclared-in",
          inputs: { ...rule, securityGroupId: group(target.name), referencedSecurityGroupId: group(stranger.name) },
        },
        {
          ...structuredClone(ofType(result, T.egress)[0]),
          name: "undeclared-out",
          inputs: { ...rule, securityGroupId: group(stranger.name), referencedSecurityGroupId: group(target.name) },
        },
      );
      expect(reachabilityProblems(result, pathsFor(settings), settings.namePrefix)).to.deep.equal([]);
      expect(reachabilityProblems(opened, pathsFor(settings), settings.namePrefix)).to.deep.equal([
        `service:${stranger.name} -> service:${target.name}:${target.port} must be closed (${stranger.name} does not declare a call to ${target.name}), but it is open`,
      ]);
    });

    if (anyCalls) {
      const caller = settings.services.find((s) => s.calls.length > 0)!;
      const callee = caller.calls[0];

      it("names the path when a declared call's rule is missing", () => {
        const broken = structuredClone(result);
        broken.resources = broken.resources.filter((r) => !(r.type === T.ingress && r.name === `${caller.name}-calls-${callee}`));
        expect(reachabilityProblems(broken, pathsFor(settings), settings.namePrefix).join("\n")).to.contain(
          `service:${caller.name} -> service:${callee}:${settings.services.find((s) => s.name === callee)!.port} must be open (${caller.name} declares calls: ${callee})`,
        );
      });
    }
  });
}
