import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { SynthResult } from "../tools/harness";
import { fixture, FIXTURES, fixtureSettings, idOf, ofType, one, policyOf, T } from "./helpers";

const US_EAST_1_PROVIDER = "us-east-1";

function distribution(result: SynthResult) {
  return one(result, T.distribution, "edge-cdn").inputs;
}

for (const stack of FIXTURES) {
  const prod = stack === "prod";
  const settings = fixtureSettings(stack);
  const edge = settings.edge;

  describe(`EdgeLayer (${stack})`, () => {
    it("is split into a public load balancer and a web firewall whose resources keep the URNs they had in the edge layer", async () => {
      const result = await fixture(stack);
      const edge = "platform:edge:EdgeLayer::edge";
      for (const [type, name, count] of [
        ["platform:edge:PublicLoadBalancer", "edge-load-balancer", 10],
        ["platform:edge:WebFirewall", "edge-firewall", 4],
      ] as const) {
        const component = one(result, type, name);
        expect(component.parent).to.equal(edge);
        const children = result.resources.filter((r) => r.parent === `${type}::${name}`);
        expect(children.length, type).to.be.at.least(count);
        // Same name, and an alias to the former parent: Pulumi maps the old URN to the new one, so
        // moving them into the sub-component replaces nothing.
        for (const child of children) {
          expect(child.name, child.type).to.match(/^edge-/);
          expect(child.aliasParents, `${child.type} ${child.name}`).to.deep.equal([edge]);
        }
      }
      expect(ofType(result, T.webAcl)[0].provider).to.equal(US_EAST_1_PROVIDER);
      expect(ofType(result, T.loadBalancer)[0].parent).to.equal("platform:edge:PublicLoadBalancer::edge-load-balancer");
    });

    describe("certificates and DNS", () => {
      it("creates the CloudFront certificate through an explicit us-east-1 provider", async () => {
        const result = await fixture(stack);
        const provider = one(result, T.provider, US_EAST_1_PROVIDER);
        expect(provider.inputs.region).to.equal("us-east-1");
        // Providers receive nested values as JSON strings.
        expect(JSON.parse(provider.inputs.defaultTags)).to.deep.equal({ tags: settings.tags });
        const cert = one(result, T.certificate, "edge-site-cert");
        expect(cert.provider).to.equal(US_EAST_1_PROVIDER);
        expect(cert.inputs).to.include({ domainName: settings.domain, validationMethod: "DNS" });
        const validation = one(result, T.certificateValidation, "edge-site-validation");
        expect(validation.provider).to.equal(US_EAST_1_PROVIDER);
        expect(validation.inputs.certificateArn).to.equal(cert.state.arn);
        expect(distribution(result).viewerCertificate.acmCertificateArn).to.equal(cert.state.arn);
      });

      it("gives the ALB a stack-region certificate for origin.<domain> and validates both through Route 53", async () => {
        const result = await fixture(stack);
        const cert = one(result, T.certificate, "edge-origin-cert");
        expect(cert.provider).to.not.equal(US_EAST_1_PROVIDER);
        expect(cert.inputs.domainName).to.equal(`origin.${settings.domain}`);
        const zoneRecords = ofType(result, T.record).filter((r) => r.inputs.zoneId === "Z0MOCKZONE" && r.inputs.type === "CNAME");
        for (const name of ["edge-site", "edge-origin"]) {
          const certificate = one(result, T.certificate, `${name}-cert`);
          const validation = one(result, T.certificateValidation, `${name}-validation`);
          // ACM returns one validation option per name; the validation must list the record of each.
          const options: { domainName: string; resourceRecordName: string }[] = certificate.state.domainValidationOptions;
          expect(options.map((o) => o.domainName)).to.deep.equal([certificate.inputs.domainName, ...(certificate.inputs.subjectAlternativeNames ?? [])]);
          expect(validation.inputs.validationRecordFqdns, name).to.have.members(options.map((o) => o.resourceRecordName.replace(/\.$/, "")));
          for (const fqdn of validation.inputs.validationRecordFqdns)
            expect(
              zoneRecords.map((r) => r.state.fqdn),
              fqdn,
            ).to.include(fqdn);
        }
        expect(one(result, T.listener, "edge-https").inputs.certificateArn).to.equal(cert.state.arn);
      });

      it("aliases the site (A and AAAA) to CloudFront and the origin name to the ALB", async () => {
        const result = await fixture(stack);
        for (const type of ["a", "aaaa"]) {
          const record = one(result, T.record, `edge-site-${type}`);
          expect(record.inputs).to.include({ name: settings.domain, type: type.toUpperCase(), zoneId: "Z0MOCKZONE" });
          expect(record.inputs.aliases).to.deep.equal([{ name: "d111111abcdef8.cloudfront.net", zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }]);
        }
        const origin = one(result, T.record, "edge-origin");
        const alb = one(result, T.loadBalancer, "edge-alb");
        expect(origin.inputs.name).to.equal(`origin.${settings.domain}`);
        expect(origin.inputs.aliases[0]).to.include({ name: alb.state.dnsName, zoneId: alb.state.zoneId });
      });

      it("health-checks the site over HTTPS with an alarm in us-east-1", async () => {
        const result = await fixture(stack);
        const check = one(result, T.healthCheck, "edge-health");
        expect(check.inputs).to.include({ type: "HTTPS", fqdn: settings.domain, port: 443, resourcePath: edge.healthCheckPath, enableSni: true });
        const alarm = one(result, T.metricAlarm, "observability-site-health-check");
        expect(alarm.provider).to.equal(US_EAST_1_PROVIDER);
        expect(alarm.inputs).to.include({ namespace: "AWS/Route53", metricName: "HealthCheckStatus", comparisonOperator: "LessThanThreshold", threshold: 1 });
        expect(alarm.inputs.dimensions).to.deep.equal({ HealthCheckId: idOf(check) });
      });
    });

    describe("static assets and error pages", () => {
      it("keeps both buckets private, TLS-only, encrypted and versioned", async () => {
        const result = await fixture(stack);
        for (const name of ["edge-static", "edge-logs"]) {
          const bucket = one(result, T.bucket, name);
          const block = one(result, T.publicAccessBlock, name);
          expect(block.inputs, name).to.include({
            bucket: idOf(bucket),
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
          });
          const encryption = one(result, T.bucketEncryption, name).inputs.rules[0].applyServerSideEncryptionByDefault;
          expect(encryption.sseAlgorithm, name).to.equal("AES256");
          expect(one(result, T.bucketVersioning, name).inputs.versioningConfiguration.status).to.equal("Enabled");
          const deny = policyOf(one(result, T.bucketPolicy, name)).Statement.find((s) => s.Effect === "Deny");
          expect(deny.Condition, name).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
          expect(deny.Resource).to.deep.equal([bucket.state.arn, `${bucket.state.arn}/*`]);
          expect(bucket.inputs.forceDestroy).to.equal(!prod);
        }
        expect(one(result, T.ownership, "edge-static").inputs.rule.objectOwnership).to.equal("BucketOwnerEnforced");
      });

      it("lets only this distribution read the static bucket, through origin access control", async () => {
        const result = await fixture(stack);
        const dist = one(result, T.distribution, "edge-cdn");
        const allow = policyOf(one(result, T.bucketPolicy, "edge-static")).Statement.filter((s) => s.Effect === "Allow");
        expect(allow).to.have.length(1);
        expect(allow[0]).to.deep.include({ Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject" });
        expect(allow[0].Condition).to.deep.equal({ StringEquals: { "AWS:SourceArn": dist.state.arn } });
        const oac = one(result, T.oac, "edge-static-oac");
        expect(oac.inputs).to.include({ originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" });
        const origin = dist.inputs.origins.find((o: { originId: string }) => o.originId === "static");
        expect(origin.originAccessControlId).to.equal(idOf(oac));
        expect(origin.domainName).to.equal(one(result, T.bucket, "edge-static").state.bucketRegionalDomainName);
      });

      it("uploads the shipped error pages and maps 500, 502, 503 and 504 to them with a short TTL", async () => {
        const result = await fixture(stack);
        for (const page of ["502.html", "50x.html"]) {
          const object = one(result, T.bucketObject, `edge-error-${page.replace(".html", "")}`);
          expect(object.inputs.key).to.equal(`errors/${page}`);
          expect(object.inputs.contentType).to.match(/^text\/html/);
          expect(fs.readFileSync(path.join(__dirname, "..", "static", "errors", page), "utf8")).to.match(/<meta name="viewport"/);
        }
        const responses = distribution(result).customErrorResponses;
        expect(responses.map((r: { errorCode: number; responsePagePath: string }) => [r.errorCode, r.responsePagePath])).to.deep.equal([
          [500, "/errors/50x.html"],
          [502, "/errors/502.html"],
          [503, "/errors/50x.html"],
          [504, "/errors/50x.html"],
        ]);
        for (const r of responses) expect(r.errorCachingMinTtl).to.equal(edge.errorCachingTtlSeconds).and.be.at.most(60);
      });
    });

    describe("CloudFront", () => {
      it("serves HTTPS only with TLS 1.2_2021+, HTTP/2 and 3, IPv6 and the configured price class", async () => {
        const dist = distribution(await fixture(stack));
        expect(dist).to.include({ enabled: true, isIpv6Enabled: true, httpVersion: "http2and3", priceClass: prod ? "PriceClass_All" : "PriceClass_100" });
        expect(dist.aliases).to.deep.equal([settings.domain]);
        expect(dist.viewerCertificate).to.include({ sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" });
        for (const behavior of [dist.defaultCacheBehavior, ...dist.orderedCacheBehaviors]) {
          expect(behavior.viewerProtocolPolicy, behavior.pathPattern ?? "default").to.be.oneOf(["redirect-to-https", "https-only"]);
          expect(behavior.compress).to.equal(true);
          expect(behavior.responseHeadersPolicyId).to.equal("edge-security-headers-id");
        }
      });

      it("sends each routed service's paths to the ALB: cached ones by the API policies, signed-in ones uncached", async () => {
        const result = await fixture(stack);
        const dist = distribution(result);
        const routed = settings.services.filter((s) => s.pathPrefix);
        const signIn = routed.some((s) => s.requireSignIn);
        const dr = settings.disasterRecovery.enabled;
        const pinned = dr ? [settings.region, settings.disasterRecovery.region].map((r) => `/_origin/${r}/*`) : [];
        const readOnly = routed.flatMap((s) => s.readOnlyPaths);
        const expected = [...pinned, ...(signIn ? ["/oauth2/*"] : []), ...readOnly, ...routed.flatMap((s) => [s.pathPrefix!, `${s.pathPrefix}/*`])];
        expect(dist.orderedCacheBehaviors.map((b: { pathPattern: string }) => b.pathPattern)).to.deep.equal(expected);
        for (const b of dist.orderedCacheBehaviors.filter((x: { pathPattern: string }) => !pinned.includes(x.pathPattern))) {
          expect(b.allowedMethods, b.pathPattern).to.have.length(readOnly.includes(b.pathPattern) ? 3 : 7);
          const personal = b.pathPattern === "/oauth2/*" || routed.some((s) => s.requireSignIn && b.pathPattern.startsWith(s.pathPrefix!));
          expect(b.targetOriginId).to.equal(readOnly.includes(b.pathPattern) && dr ? "api-failover" : "api");
          expect(b.cachedMethods).to.deep.equal(["GET", "HEAD"]);
          if (personal) {
            expect(b, b.pathPattern).to.include({
              cachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
              originRequestPolicyId: "216adef6-5c7f-47e4-b989-5492eafa07d3",
            });
          } else {
            expect(b, b.pathPattern).to.include({ cachePolicyId: "edge-api-cache-id", originRequestPolicyId: "edge-api-origin-id" });
          }
        }
        expect(dist.defaultCacheBehavior).to.include({ targetOriginId: dr ? "static-failover" : "static", cachePolicyId: "edge-static-cache-id" });
      });

      it("covers the site name on the ALB certificate when signed-in routes forward the viewer's Host", async () => {
        const result = await fixture(stack);
        const cert = one(result, T.certificate, "edge-origin-cert");
        const signIn = settings.services.some((s) => s.requireSignIn);
        const regional = settings.disasterRecovery.enabled ? [`origin-${settings.region}.${settings.domain}`] : [];
        expect(cert.inputs.subjectAlternativeNames ?? []).to.deep.equal([...(signIn ? [settings.domain] : []), ...regional]);
        // The site name's validation record is written once, by the CloudFront certificate (ACM
        // gives a name the same record in every certificate of the account).
        const originOption = cert.state.domainValidationOptions.find((o: { domainName: string }) => o.domainName === `origin.${settings.domain}`);
        expect(
          ofType(result, T.record)
            .filter((r) => r.name.startsWith("edge-origin-validation"))
            .map((r) => r.inputs.name),
        ).to.deep.equal([
          originOption.resourceRecordName,
          ...regional.map((name) => cert.state.domainValidationOptions.find((o: { domainName: string }) => o.domainName === name).resourceRecordName),
        ]);
        const siteRecords = ofType(result, T.record).filter((r) => r.name.startsWith("edge-site-validation"));
        expect(siteRecords.map((r) => r.inputs.name)).to.have.length(1);
      });

      it(`caches API GET/HEAD for ${edge.apiCacheTtlSeconds}s by default, keyed only on what config names`, async () => {
        const result = await fixture(stack);
        const policy = one(result, T.cachePolicy, "edge-api-cache").inputs;
        expect(policy).to.include({ defaultTtl: edge.apiCacheTtlSeconds, minTtl: 0, maxTtl: 300 });
        const key = policy.parametersInCacheKeyAndForwardedToOrigin;
        expect(key.headersConfig).to.deep.equal({ headerBehavior: "whitelist", headers: { items: edge.cacheKey.headers } });
        expect(key.queryStringsConfig).to.deep.equal({ queryStringBehavior: "whitelist", queryStrings: { items: edge.cacheKey.queryStrings } });
        expect(key.cookiesConfig).to.deep.equal({ cookieBehavior: "none" });
        const origin = one(result, T.originRequestPolicy, "edge-api-origin").inputs;
        expect(origin.headersConfig).to.deep.equal(key.headersConfig);
        expect(origin.queryStringsConfig).to.deep.equal(key.queryStringsConfig);
        expect(origin.cookiesConfig).to.deep.equal({ cookieBehavior: "none" });
      });

      it("reaches the ALB over HTTPS by origin.<domain>, never the raw ELB name, with the secret header", async () => {
        const result = await fixture(stack);
        const origin = distribution(result).origins.find((o: { originId: string }) => o.originId === "api");
        expect(origin.domainName).to.equal(`origin.${settings.domain}`);
        expect(origin.domainName).to.not.contain("elb.amazonaws.com");
        expect(origin.customOriginConfig).to.include({ originProtocolPolicy: "https-only" });
        expect(origin.customOriginConfig.originSslProtocols).to.deep.equal(["TLSv1.2"]);
        const token = one(result, T.randomPassword, "edge-origin-verify").state.result;
        expect(origin.customHeaders).to.deep.equal([{ name: "X-Origin-Verify", value: token }]);
        expect(one(result, T.distribution, "edge-cdn").secretInputs).to.include("origins");
      });

      it("sends HSTS and the usual security headers", async () => {
        const headers = one(await fixture(stack), T.responseHeadersPolicy, "edge-security-headers").inputs.securityHeadersConfig;
        expect(headers.strictTransportSecurity).to.include({ accessControlMaxAgeSec: 63072000, includeSubdomains: true, override: true });
        expect(headers.frameOptions.frameOption).to.equal("DENY");
        expect(headers.contentTypeOptions.override).to.equal(true);
        expect(headers.referrerPolicy.referrerPolicy).to.equal("strict-origin-when-cross-origin");
      });

      it("writes standard logs to the log bucket", async () => {
        const result = await fixture(stack);
        const logging = distribution(result).loggingConfig;
        expect(logging).to.include({ bucket: one(result, T.bucket, "edge-logs").state.bucketDomainName, prefix: "cloudfront/" });
        expect(one(result, T.ownership, "edge-logs").inputs.rule.objectOwnership).to.equal("BucketOwnerPreferred");
      });
    });

    describe("WAF", () => {
      it("is a CLOUDFRONT web ACL in us-east-1, attached to the distribution", async () => {
        const result = await fixture(stack);
        const acl = one(result, T.webAcl, "edge-waf");
        expect(acl.inputs.scope).to.equal("CLOUDFRONT");
        expect(acl.provider).to.equal(US_EAST_1_PROVIDER);
        expect(acl.inputs.defaultAction).to.deep.equal({ allow: {} });
        expect(acl.inputs.visibilityConfig.cloudwatchMetricsEnabled).to.equal(true);
        expect(distribution(result).webAclId).to.equal(acl.state.arn);
      });

      it(`blocks a client IP above ${edge.rateLimit} requests per ${edge.rateLimitWindowSeconds}s and runs the managed groups`, async () => {
        const rules = one(await fixture(stack), T.webAcl, "edge-waf").inputs.rules;
        const rate = rules.find((r: { name: string }) => r.name === "rate-limit-per-ip");
        expect(rate.statement.rateBasedStatement).to.deep.equal({
          limit: edge.rateLimit,
          aggregateKeyType: "IP",
          evaluationWindowSec: edge.rateLimitWindowSeconds,
        });
        expect(rate.action.block.customResponse.responseCode).to.equal(429);
        const groups = rules.filter((r: any) => r.statement.managedRuleGroupStatement).map((r: any) => r.statement.managedRuleGroupStatement);
        expect(groups.map((g: { name: string }) => g.name)).to.have.members([
          "AWSManagedRulesCommonRuleSet",
          "AWSManagedRulesKnownBadInputsRuleSet",
          "AWSManagedRulesSQLiRuleSet",
          "AWSManagedRulesAmazonIpReputationList",
        ]);
        for (const g of groups) expect(g.vendorName).to.equal("AWS");
        expect(new Set(rules.map((r: { priority: number }) => r.priority)).size).to.equal(rules.length);
        for (const r of rules) expect(r.visibilityConfig.cloudwatchMetricsEnabled, r.name).to.equal(true);
      });

      it("logs to an encrypted aws-waf-logs-* group in us-east-1 with retention, redacting credentials", async () => {
        const result = await fixture(stack);
        const group = one(result, T.logGroup, "edge-waf-logs");
        expect(group.inputs.name).to.match(/^aws-waf-logs-/);
        expect(group.provider).to.equal(US_EAST_1_PROVIDER);
        expect(group.inputs.retentionInDays).to.equal(settings.logRetentionDays);
        expect(group.inputs.kmsKeyId).to.equal(one(result, T.kmsKey, "global-key").state.arn);
        const logging = one(result, T.webAclLogging, "edge-waf-logs");
        expect(logging.inputs.resourceArn).to.equal(one(result, T.webAcl, "edge-waf").state.arn);
        expect(logging.inputs.logDestinationConfigs).to.deep.equal([group.state.arn]);
        expect(logging.inputs.redactedFields).to.deep.include({ singleHeader: { name: "authorization" } });
      });
    });

    describe("ALB locked to CloudFront", () => {
      it("sits in the public subnets, drops invalid headers, logs access and protects itself in prod", async () => {
        const result = await fixture(stack);
        const alb = one(result, T.loadBalancer, "edge-alb");
        expect(alb.inputs).to.include({
          internal: false,
          dropInvalidHeaderFields: true,
          enableDeletionProtection: prod,
          idleTimeout: edge.albIdleTimeoutSeconds,
        });
        expect(alb.inputs.subnets).to.deep.equal(settings.availabilityZones.map((az) => `subnet-public-${az}`));
        expect(alb.inputs.accessLogs).to.deep.equal({ bucket: idOf(one(result, T.bucket, "edge-logs")), prefix: "alb", enabled: true });
        const logPolicy = policyOf(one(result, T.bucketPolicy, "edge-logs")).Statement;
        const writers = logPolicy.filter((s) => s.Action === "s3:PutObject");
        expect(writers.map((s) => s.Principal)).to.deep.include({ AWS: "arn:aws:iam::156460612806:root" });
        for (const w of writers) expect(w.Resource).to.match(/\/alb\/AWSLogs\/123456789012\/\*$/);
      });

      it("admits only CloudFront's origin-facing prefix list, on 443, and never 0.0.0.0/0", async () => {
        const result = await fixture(stack);
        const sg = idOf(one(result, T.sg, "edge-alb-sg"));
        const ingress = ofType(result, T.ingress).filter((r) => r.inputs.securityGroupId === sg);
        expect(ingress).to.have.length(1);
        expect(ingress[0].inputs).to.include({ prefixListId: "pl-4fa04526", fromPort: 443, toPort: 443 });
        for (const rule of ofType(result, T.ingress)) {
          expect(rule.inputs.cidrIpv4, rule.name).to.not.equal("0.0.0.0/0");
          expect(rule.inputs.cidrIpv6, rule.name).to.not.equal("::/0");
        }
      });

      it("answers 403 without the origin header, redirects HTTP to HTTPS and uses a TLS 1.3 policy", async () => {
        const result = await fixture(stack);
        const https = one(result, T.listener, "edge-https").inputs;
        expect(https).to.include({ port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
        expect(https.defaultActions[0]).to.deep.include({ type: "fixed-response" });
        expect(https.defaultActions[0].fixedResponse.statusCode).to.equal("403");
        const http = one(result, T.listener, "edge-http").inputs;
        expect(http.defaultActions[0].redirect).to.deep.equal({ protocol: "HTTPS", port: "443", statusCode: "HTTP_301" });
        const token = one(result, T.randomPassword, "edge-origin-verify").state.result;
        for (const rule of ofType(result, T.listenerRule)) {
          expect(rule.inputs.conditions, rule.name).to.deep.include({ httpHeader: { httpHeaderName: "X-Origin-Verify", values: [token] } });
          expect(rule.secretInputs, `${rule.name} keeps the header value secret in state`).to.include("conditions");
        }
      });

      it("keeps the origin header value in Secrets Manager and out of outputs", async () => {
        const result = await fixture(stack);
        const token = one(result, T.randomPassword, "edge-origin-verify");
        const secret = one(result, T.secret, "edge-origin-verify");
        expect(secret.inputs.kmsKeyId).to.equal(one(result, T.kmsKey, "platform-key").state.arn);
        const version = one(result, T.secretVersion, "edge-origin-verify");
        expect(version.inputs.secretString).to.equal(token.state.result);
        expect(version.secretInputs).to.include("secretString");
        expect(JSON.stringify(result.outputs)).to.not.contain(token.state.result);
      });
    });

    it("exports the site URL, distribution, ALB, bucket and web ACL", async () => {
      const { outputs } = await fixture(stack);
      expect(outputs).to.include({
        siteUrl: `https://${settings.domain}`,
        distributionId: "E2MOCKDIST",
        distributionDomainName: "d111111abcdef8.cloudfront.net",
      });
      expect(outputs.albDnsName).to.match(/^edge-alb-.*\.elb\.amazonaws\.com$/);
      expect(outputs.staticBucketName).to.match(/^edge-static-/);
      expect(outputs.webAclArn).to.match(/^arn:aws:wafv2:us-east-1:/);
    });
  });
}
