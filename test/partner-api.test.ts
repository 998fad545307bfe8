/**
 * The partner API (`platform:partnerApi`, off in every shipped stack), on a test config: the prod
 * stack with two partner routes. Its routes, scopes and throttling, the JWT authorizer on the
 * partner client, the private path into the services (VPC link -> ALB, no secret in the API), the
 * custom domain, the encrypted access logs and the alarms; and the config rules.
 */
import { expect } from "chai";
import { ACCESS_LOG_FORMAT, albPattern, routeKeys, routeSettings } from "../components/partner-api";
import { PARTNER_RULE_OFFSET } from "../regions/workloads";
import { PartnerApiSettings } from "../stacks";
import { loadStackConfig, SynthResult, synthesize } from "../tools/harness";
import { coveredTypes, resourceTypes } from "../tools/policy-coverage";
import { expectProblem } from "./config-helpers";
import { mandatoryViolations, reachabilityProblems, pathsFor } from "./invariants";
import { ofType, one, settingsOf, STACKS, T } from "./helpers";

const PARTNER: PartnerApiSettings = {
  enabled: true,
  subdomain: "api",
  routes: [
    { path: "/users/profiles/{id}", methods: ["GET"], rateLimit: 20, burstLimit: 40, scopes: ["read"] },
    { path: "/payments/{proxy+}", methods: ["GET", "POST"], rateLimit: 50, burstLimit: 100, scopes: ["read", "write"] },
  ],
};

describe("partner API: routes, throttling, logs (pure)", () => {
  it("makes a route key per method, the ALB pattern of each path, and both throttling limits for every route", () => {
    expect(routeKeys(PARTNER.routes[1])).to.deep.equal(["GET /payments/{proxy+}", "POST /payments/{proxy+}"]);
    expect([albPattern("/users/profiles/{id}"), albPattern("/payments/{proxy+}"), albPattern("/users/me")]).to.deep.equal([
      "/users/profiles/*",
      "/payments/*",
      "/users/me",
    ]);
    expect(routeSettings(PARTNER)).to.deep.equal([
      { routeKey: "GET /users/profiles/{id}", throttlingRateLimit: 20, throttlingBurstLimit: 40 },
      { routeKey: "GET /payments/{proxy+}", throttlingRateLimit: 50, throttlingBurstLimit: 100 },
      { routeKey: "POST /payments/{proxy+}", throttlingRateLimit: 50, throttlingBurstLimit: 100 },
    ]);
    expect(JSON.parse(ACCESS_LOG_FORMAT).requestId).to.equal("$context.requestId");
    expect(Buffer.byteLength(ACCESS_LOG_FORMAT)).to.be.lessThan(3072);
  });

  it("is off in every shipped stack", () => {
    for (const stack of STACKS) expect(settingsOf(stack).partnerApi.enabled, stack).to.equal(false);
  });
});

describe("partner API: config", () => {
  const withPartner = (partner: unknown, auth?: unknown) => (config: Record<string, string>) => {
    config["platform:partnerApi"] = JSON.stringify(partner);
    if (auth !== undefined) config["platform:auth"] = JSON.stringify(auth);
  };
  it("refuses a route outside every routed prefix, and a stack without a user pool, naming the key", () => {
    const outside = { ...PARTNER, routes: [{ path: "/admin/{proxy+}", methods: ["GET"] }] };
    expect(expectProblem("prod", withPartner(outside), "platform:partnerApi.routes[0].path", "/admin/{proxy+}").allowed).to.match(
      /^must lie below a routed service's pathPrefix/,
    );
    expect(
      expectProblem(
        "dev",
        withPartner({ ...PARTNER, routes: [{ path: "/users/{proxy+}", methods: ["GET"] }] }, { enabled: false }),
        "platform:partnerApi.enabled",
        true,
      ).allowed,
    ).to.match(/needs the Cognito user pool/);
  });
  it("refuses more ALB patterns below one prefix than one listener rule can hold", () => {
    const many = { ...PARTNER, routes: ["a", "b", "c", "d", "e"].map((x) => ({ path: `/users/${x}/{id}`, methods: ["GET"] })) };
    const problem = expectProblem("prod", withPartner(many), "platform:partnerApi.routes", [
      "/users/a/*",
      "/users/b/*",
      "/users/c/*",
      "/users/d/*",
      "/users/e/*",
    ]);
    expect(problem.allowed).to.match(/at most 4 distinct ALB path patterns below \/users/);
  });
});

describe("partner API (prod with the partner API on, a test config)", function () {
  this.timeout(60_000);
  const settings = settingsOf("prod");
  let result: SynthResult;
  before(async () => {
    result = await synthesize({ stack: "prod", overrides: { "platform:partnerApi": PARTNER } });
  });

  it("creates only types the policy coverage table covers", () => {
    const covered = new Set(coveredTypes());
    expect(resourceTypes(result).filter((t) => !covered.has(t))).to.deep.equal([]);
  });

  it("passes the policy pack and keeps every network path as it must be", async () => {
    expect(await mandatoryViolations(result, { ...loadStackConfig("prod").config, "platform:partnerApi": JSON.stringify(PARTNER) })).to.deep.equal([]);
    expect(reachabilityProblems(result, pathsFor(settings), settings.namePrefix)).to.deep.equal([]);
  });

  it("requires a partner access token with each route's scopes on every route", () => {
    const authorizer = one(result, "aws:apigatewayv2/authorizer:Authorizer", "partner-jwt").inputs;
    const pool = one(result, "aws:cognito/userPool:UserPool", "users-pool");
    const client = one(result, "aws:cognito/userPoolClient:UserPoolClient", "users-partner");
    expect(authorizer).to.deep.include({ authorizerType: "JWT", identitySources: ["$request.header.Authorization"] });
    expect(authorizer.jwtConfiguration).to.deep.equal({ issuer: `https://${pool.state.endpoint}`, audiences: [client.id] });
    expect(client.inputs).to.deep.include({
      generateSecret: true,
      allowedOauthFlows: ["client_credentials"],
      allowedOauthScopes: ["partner-api/read", "partner-api/write"],
    });
    const routes = ofType(result, "aws:apigatewayv2/route:Route");
    expect(routes.map((r) => r.inputs.routeKey).sort()).to.deep.equal(PARTNER.routes.flatMap(routeKeys).sort());
    for (const route of routes) {
      const declared = PARTNER.routes.find((r) => routeKeys(r).includes(route.inputs.routeKey))!;
      expect(route.inputs).to.deep.include({ authorizationType: "JWT", authorizerId: one(result, "aws:apigatewayv2/authorizer:Authorizer", "partner-jwt").id });
      expect(route.inputs.authorizationScopes).to.deep.equal(declared.scopes.map((s) => `partner-api/${s}`));
    }
  });

  it("throttles every route with both limits and logs every request to an encrypted vended-logs group", () => {
    const stage = one(result, "aws:apigatewayv2/stage:Stage", "partner-stage");
    expect(
      stage.inputs.routeSettings.map(({ routeKey, throttlingRateLimit, throttlingBurstLimit }: any) => ({
        routeKey,
        throttlingRateLimit,
        throttlingBurstLimit,
      })),
    ).to.deep.equal(routeSettings(PARTNER));
    expect(stage.dependencies).to.include.members(ofType(result, "aws:apigatewayv2/route:Route").map((r) => `${r.type}::${r.name}`));
    const logs = one(result, T.logGroup, "partner-access-logs");
    expect(logs.inputs.name).to.match(/^\/aws\/vendedlogs\//);
    expect(logs.inputs.kmsKeyId).to.equal(one(result, T.kmsKey, "platform-key").state.arn);
    expect(stage.inputs.accessLogSettings).to.deep.equal({ destinationArn: logs.state.arn, format: ACCESS_LOG_FORMAT });
  });

  it("reaches the services privately: a VPC link the ALB admits, rules by path and source address, no secret in the API", () => {
    const integration = one(result, "aws:apigatewayv2/integration:Integration", "partner-alb").inputs;
    const listener = one(result, T.listener, "edge-https");
    expect(integration).to.deep.include({
      connectionType: "VPC_LINK",
      integrationType: "HTTP_PROXY",
      integrationUri: listener.state.arn,
      payloadFormatVersion: "1.0",
    });
    expect(integration.tlsConfig).to.deep.equal({ serverNameToVerify: `origin.${settings.domain}` });
    expect(integration.requestParameters, "no header (so no secret) in the API").to.equal(undefined);
    const link = one(result, "aws:apigatewayv2/vpcLink:VpcLink", "partner-link").inputs;
    const linkSg = one(result, T.sg, "partner-link-sg").id;
    expect(link.securityGroupIds).to.deep.equal([linkSg]);
    const ingress = one(result, T.ingress, "partner-alb-from-link").inputs;
    expect(ingress).to.include({ securityGroupId: one(result, T.sg, "edge-alb-sg").id, referencedSecurityGroupId: linkSg, fromPort: 443, toPort: 443 });
    for (const s of settings.services.filter((x) => x.pathPrefix)) {
      const patterns = [...new Set(PARTNER.routes.filter((r) => r.path.startsWith(`${s.pathPrefix}/`)).map((r) => albPattern(r.path)))];
      const rule = ofType(result, T.listenerRule).find((r) => r.name === `${s.name}-svc-partner-rule`);
      if (patterns.length === 0) {
        expect(rule, s.name).to.equal(undefined);
        continue;
      }
      expect(rule!.inputs.conditions).to.deep.equal([{ pathPattern: { values: patterns } }, { sourceIp: { values: [settings.network.vpcCidr] } }]);
      expect(rule!.inputs.priority).to.equal(s.listenerPriority! + PARTNER_RULE_OFFSET);
      expect(rule!.inputs.actions).to.deep.equal([{ type: "forward", targetGroupArn: one(result, T.targetGroup, `${s.name}-svc-tg`).state.arn }]);
    }
  });

  it("answers at its custom domain only, with alarms on its 5xx share and p99 latency", () => {
    expect(one(result, "aws:apigatewayv2/api:Api", "partner-api").inputs).to.include({ protocolType: "HTTP", disableExecuteApiEndpoint: true });
    const domain = one(result, "aws:apigatewayv2/domainName:DomainName", "partner-domain");
    expect(domain.inputs.domainName).to.equal(`api.${settings.domain}`);
    expect(domain.inputs.domainNameConfiguration).to.include({ endpointType: "REGIONAL", securityPolicy: "TLS_1_2" });
    expect(one(result, T.record, "partner-alias").inputs).to.include({ name: `api.${settings.domain}`, type: "A" });
    const alarms = ofType(result, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.startsWith("observability-partner-api-"));
    expect(alarms.map((a) => a.name).sort()).to.deep.equal(["observability-partner-api-5xx-rate", "observability-partner-api-p99-latency"]);
    expect(result.outputs.partnerApiUrl).to.equal(`https://api.${settings.domain}`);
  });
});
