import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PartnerApiSettings, PartnerRoute } from "../stacks/settings";
import { DnsValidatedCertificate } from "./dns-validated-certificate";
import type { WatchedCertificate } from "./observability-config";
import type { NetworkRef } from "./references";
import { PARTNER_RESOURCE_SERVER } from "./user-directory";

export interface PartnerApiArgs {
  /** Physical name prefix, `<project>-<stack>`. */
  namePrefix: string;
  /** Validated partner API settings (subdomain, routes with their throttling and scopes). */
  settings: PartnerApiSettings;
  /** The site's domain: the API answers at `<subdomain>.<domain>`. */
  domain: string;
  /** Route 53 zone of the domain (certificate validation, the alias). */
  zoneId: pulumi.Input<string>;
  /** Where the VPC link's interfaces live: the private subnets. */
  network: Pick<NetworkRef, "vpcId" | "vpcCidr" | "privateSubnetIds">;
  /** The ALB it reaches privately: its HTTPS listener, its security group, and the name its certificate covers. */
  alb: { listenerArn: pulumi.Input<string>; securityGroupId: pulumi.Input<string>; serverName: string };
  /** The user pool that issues partner tokens, and the partner app client (the JWT audience). */
  issuer: pulumi.Input<string>;
  partnerClientId: pulumi.Input<string>;
  /** The stack's key (the access-log group). */
  kmsKeyArn: pulumi.Input<string>;
  /** Days the access logs are kept. */
  logRetentionDays: number;
}

/** An API Gateway route key per method of a route, e.g. `GET /users/profiles/{id}`. */
export function routeKeys(route: PartnerRoute): string[] {
  return route.methods.map((m) => `${m} ${route.path}`);
}

export { albPattern } from "../stacks/sections/partner-api";

/** Per-route throttling, always both limits (a missing one reaches API Gateway as 0: every request 429). */
export function routeSettings(settings: PartnerApiSettings) {
  return settings.routes.flatMap((r) => routeKeys(r).map((routeKey) => ({ routeKey, throttlingRateLimit: r.rateLimit, throttlingBurstLimit: r.burstLimit })));
}

/** The access-log line: one JSON object per request, with API Gateway's request id. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  time: "$context.requestTime",
  routeKey: "$context.routeKey",
  status: "$context.status",
  latency: "$context.responseLatency",
  integrationStatus: "$context.integrationStatus",
  integrationError: "$context.integration.error",
  client: "$context.authorizer.claims.client_id",
  throttled: "$context.error.messageString",
});

/**
 * The partner API: an API Gateway HTTP API at `<subdomain>.<domain>` (the default endpoint
 * disabled), whose routes require a Cognito JWT (client-credentials access tokens of the partner
 * client, with the route's scopes), are throttled per route, log every request to an encrypted log
 * group, and reach the services privately: a VPC link from the private subnets to the ALB's HTTPS
 * listener, admitted by the ALB's security group. The ALB forwards them by path and source
 * address (the VPC), since only CloudFront sends the origin header; so no secret is in the API.
 * API Gateway cannot run AWS WAF on an HTTP API: the partner routes rely on throttling and tokens.
 */
export class PartnerApi extends pulumi.ComponentResource {
  /** `https://<subdomain>.<domain>`. */
  public readonly url: string;
  /** API id (the `ApiId` dimension of its metrics). */
  public readonly apiId: pulumi.Output<string>;
  /** Stage name (`$default`). */
  public readonly stageName: pulumi.Output<string>;
  /** The custom domain's certificate, for its expiry alarm. */
  public readonly certificates: WatchedCertificate<pulumi.Output<string>>[];

  constructor(name: string, args: PartnerApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:edge:PartnerApi", name, {}, opts);
    const hostname = `${args.settings.subdomain}.${args.domain}`;

    // The VPC link's interfaces, and the one path they have: HTTPS to the ALB.
    const sg = new aws.ec2.SecurityGroup(
      `${name}-link-sg`,
      { vpcId: args.network.vpcId, description: `API Gateway VPC link of ${args.namePrefix}: HTTPS to the ALB only` },
      { parent: this },
    );
    const https = { ipProtocol: "tcp", fromPort: 443, toPort: 443 };
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-link-to-alb`,
      { ...https, securityGroupId: sg.id, referencedSecurityGroupId: args.alb.securityGroupId, description: "to the ALB" },
      { parent: this },
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-alb-from-link`,
      { ...https, securityGroupId: args.alb.securityGroupId, referencedSecurityGroupId: sg.id, description: "from the partner API VPC link" },
      { parent: this },
    );
    // Immutable (subnets, groups): a change replaces it, new first, so the integration moves over before the old one goes.
    const link = new aws.apigatewayv2.VpcLink(
      `${name}-link`,
      { name: `${args.namePrefix}-partner`, subnetIds: args.network.privateSubnetIds, securityGroupIds: [sg.id] },
      { parent: this },
    );

    const api = new aws.apigatewayv2.Api(
      `${name}-api`,
      { name: `${args.namePrefix}-partner`, protocolType: "HTTP", description: `Partner API of ${args.namePrefix}`, disableExecuteApiEndpoint: true },
      { parent: this },
    );
    const integration = new aws.apigatewayv2.Integration(
      `${name}-alb`,
      {
        apiId: api.id,
        integrationType: "HTTP_PROXY",
        integrationMethod: "ANY",
        connectionType: "VPC_LINK",
        connectionId: link.id,
        integrationUri: args.alb.listenerArn,
        payloadFormatVersion: "1.0",
        // HTTPS to the ALB, its certificate checked against the name it covers.
        tlsConfig: { serverNameToVerify: args.alb.serverName },
        timeoutMilliseconds: 29000,
      },
      { parent: this },
    );
    const authorizer = new aws.apigatewayv2.Authorizer(
      `${name}-jwt`,
      {
        apiId: api.id,
        name: "cognito-partner",
        authorizerType: "JWT",
        identitySources: ["$request.header.Authorization"],
        // Client-credentials access tokens carry client_id, which API Gateway checks against the audiences.
        jwtConfiguration: { issuer: args.issuer, audiences: [args.partnerClientId] },
      },
      { parent: this },
    );
    const routes = args.settings.routes.flatMap((r) =>
      routeKeys(r).map(
        (routeKey) =>
          new aws.apigatewayv2.Route(
            `${name}-${routeKey
              .replace(/[^A-Za-z0-9]+/g, "-")
              .replace(/-+$/, "")
              .toLowerCase()}`,
            {
              apiId: api.id,
              routeKey,
              target: pulumi.interpolate`integrations/${integration.id}`,
              authorizationType: "JWT",
              authorizerId: authorizer.id,
              // Scopes also keep ID tokens out: they carry none.
              authorizationScopes: r.scopes.map((scope) => `${PARTNER_RESOURCE_SERVER}/${scope}`),
            },
            { parent: this },
          ),
      ),
    );
    // The vended-logs prefix keeps API Gateway's log delivery off CloudWatch Logs' size-capped resource policy.
    const logs = new aws.cloudwatch.LogGroup(
      `${name}-access-logs`,
      { name: `/aws/vendedlogs/apigateway/${args.namePrefix}-partner`, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn },
      { parent: this },
    );
    const first = args.settings.routes[0];
    const stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: api.id,
        name: "$default",
        autoDeploy: true,
        accessLogSettings: { destinationArn: logs.arn, format: ACCESS_LOG_FORMAT },
        defaultRouteSettings: { throttlingRateLimit: first?.rateLimit ?? 10, throttlingBurstLimit: first?.burstLimit ?? 20, detailedMetricsEnabled: true },
        routeSettings: routeSettings(args.settings).map((r) => ({ ...r, detailedMetricsEnabled: true })),
      },
      // Route settings name existing routes: API Gateway refuses a key it does not know.
      { parent: this, dependsOn: routes },
    );

    const certificate = new DnsValidatedCertificate(`${name}-domain`, { domainNames: [hostname], zoneId: args.zoneId }, { parent: this });
    const domainName = new aws.apigatewayv2.DomainName(
      `${name}-domain`,
      { domainName: hostname, domainNameConfiguration: { certificateArn: certificate.certificateArn, endpointType: "REGIONAL", securityPolicy: "TLS_1_2" } },
      { parent: this },
    );
    new aws.apigatewayv2.ApiMapping(`${name}-mapping`, { apiId: api.id, domainName: domainName.id, stage: stage.id }, { parent: this });
    new aws.route53.Record(
      `${name}-alias`,
      {
        zoneId: args.zoneId,
        name: hostname,
        type: "A",
        aliases: [
          {
            name: domainName.domainNameConfiguration.targetDomainName,
            zoneId: domainName.domainNameConfiguration.hostedZoneId,
            evaluateTargetHealth: false,
          },
        ],
      },
      { parent: this },
    );
    this.url = `https://${hostname}`;
    this.apiId = api.id;
    this.stageName = stage.name;
    this.certificates = [{ name: "partner-api", certificateArn: certificate.certificateArn, home: "stack" }];
    this.registerOutputs({ url: this.url, apiId: this.apiId });
  }
}
