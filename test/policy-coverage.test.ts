/**
 * docs/policy-coverage.md: in sync with policies/coverage/, every peer rule answered (no blank
 * row), every answer naming rules that exist at the level it claims, and the "by construction"
 * claims checked on every shipped stack.
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { allPolicies } from "../policies/rules";
import { COVERAGE_FILE, coverageCounts, coverageMarkdown, coveredTypes, OPTIONAL_FEATURES, peers } from "../tools/policy-coverage";
import { PROJECT_DIR } from "../tools/harness";
import { asArray, ofType, STACKS, synth, synthWith } from "./helpers";
import type { SynthResult } from "../tools/harness";

const doc = () => fs.readFileSync(COVERAGE_FILE, "utf8");

describe("policy coverage against the peers (docs/policy-coverage.md)", () => {
  it("is what npm run policy-coverage writes for the types it lists", () => {
    expect(doc(), "stale: run npm run policy-coverage").to.equal(coverageMarkdown(coveredTypes()));
  });

  for (const { set, answers } of peers()) {
    describe(set.peer, () => {
      it("answers every applicable rule exactly once, with no blank answer", () => {
        expect(Object.keys(answers).sort()).to.deep.equal(set.rules.map((r) => r.id).sort());
        for (const [id, answer] of Object.entries(answers))
          for (const value of Object.values(answer)) expect(asArray<string>(value).join(" ").trim(), id).to.not.equal("");
        expect(set.rules.filter((r) => r.pulumiTypes.length === 0)).to.deep.equal([]);
        // A rule is either applicable (answered) or listed as not applicable with its reason, never both.
        expect(set.notApplicable.filter((n) => n.id in answers)).to.deep.equal([]);
      });

      it("names only rules the pack has, and a peer error it enforces is mandatory here unless the answer says why", () => {
        const levels = new Map(allPolicies.map((p) => [p.name, p.enforcementLevel]));
        for (const r of set.rules) {
          const answer = answers[r.id];
          if (!("rules" in answer)) continue;
          for (const name of answer.rules) expect(levels.has(name), `${r.id} names ${name}`).to.equal(true);
          if (r.level === set.errorLevel && answer.rules.every((n) => levels.get(n) !== "mandatory"))
            expect(answer.note, `${r.id}: advisory here, why?`).to.be.a("string");
        }
      });

      it("lists only resource types the stacks create", () => {
        const covered = new Set(coveredTypes());
        expect(set.rules.flatMap((r) => r.pulumiTypes).filter((t) => !covered.has(t))).to.deep.equal([]);
      });
    });
  }

  it("holds what its not-applicable list says of the providers: no stack file sets AWS credentials (Checkov's CKV_AWS_41)", () => {
    for (const file of fs.readdirSync(PROJECT_DIR).filter((f) => /^Pulumi\..+\.yaml$/.test(f)))
      expect(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8"), file).to.not.match(/aws:(accessKey|secretKey|token)\b/);
  });

  it("states its counts, the ones the README gives", () => {
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    expect(readme).to.contain("docs/policy-coverage.md");
    expect(readme).to.contain(`${allPolicies.length} rules`);
    for (const peer of peers()) {
      const c = coverageCounts(peer);
      expect(c.enforced + c.construction + c.declined + (c.notApplicable - peer.set.notApplicable.length)).to.equal(c.peerRules);
      expect(readme, peer.set.peer).to.contain(`${c.enforced} of the ${c.peerRules}`);
      expect(readme, peer.set.peer).to.contain(`${c.notApplicable} more`);
    }
  });
});

const statements = (document: string): any[] => asArray(JSON.parse(document).Statement);
const containers = (r: SynthResult): any[] => ofType(r, "aws:ecs/taskDefinition:TaskDefinition").flatMap((t) => JSON.parse(t.inputs.containerDefinitions));

/**
 * The claims the coverage table makes "by construction", each checked on every shipped stack (a
 * stack without the resource passes). Keyed by peer rule; a construction answer proven here must
 * have its entry.
 */
const CONSTRUCTION: Record<string, (r: SynthResult, stack: string) => void> = {
  "AwsSolutions-EC27": (r) => {
    for (const sg of ofType(r, "aws:ec2/securityGroup:SecurityGroup"))
      expect(sg.inputs.description, sg.name).to.be.a("string").and.not.equal("Managed by Pulumi");
  },
  "AwsSolutions-CB5": (r) => {
    for (const p of ofType(r, "aws:codebuild/project:Project")) expect(p.inputs.environment.image, p.name).to.match(/^aws\/codebuild\//);
  },
  "AwsSolutions-CFR7": (r) => {
    for (const d of ofType(r, "aws:cloudfront/distribution:Distribution"))
      for (const o of d.inputs.origins.filter((o: any) => !o.customOriginConfig)) expect(o.originAccessControlId, o.originId).to.be.a("string");
  },
  CKV_AWS_23: (r) => {
    for (const type of [
      "aws:ec2/securityGroup:SecurityGroup",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    ])
      for (const x of ofType(r, type)) expect(x.inputs.description, x.name).to.be.a("string").and.not.be.empty;
    for (const sg of ofType(r, "aws:ec2/securityGroup:SecurityGroup"))
      expect([...asArray(sg.inputs.ingress), ...asArray(sg.inputs.egress)], sg.name).to.deep.equal([]);
  },
  CKV_AWS_382: (r) => {
    for (const rule of ofType(r, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")) {
      expect(rule.inputs.ipProtocol, rule.name).to.equal("tcp");
      if (rule.inputs.cidrIpv4 === "0.0.0.0/0") expect([rule.inputs.fromPort, rule.inputs.toPort], rule.name).to.deep.equal([443, 443]);
    }
  },
  CKV2_AWS_5: (r) => {
    for (const sg of ofType(r, "aws:ec2/securityGroup:SecurityGroup")) {
      const attached = r.resources.some((x) =>
        ["securityGroups", "securityGroupIds", "vpcSecurityGroupIds"].some((k) => asArray(x.inputs[k] ?? x.inputs.networkConfiguration?.[k]).includes(sg.id)),
      );
      expect(attached, `${sg.name} attached`).to.equal(true);
    }
  },
  CKV_AWS_21: (r) => {
    const versioned = new Set(
      ofType(r, "aws:s3/bucketVersioning:BucketVersioning")
        .filter((v) => v.inputs.versioningConfiguration.status === "Enabled")
        .map((v) => v.inputs.bucket),
    );
    for (const b of ofType(r, "aws:s3/bucket:Bucket")) expect(versioned.has(b.id), b.name).to.equal(true);
  },
  CKV_AWS_93: (r) => {
    for (const p of ofType(r, "aws:s3/bucketPolicy:BucketPolicy"))
      for (const s of statements(p.inputs.policy).filter((s) => s.Effect === "Deny"))
        expect(s.Condition, p.name).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
  },
  CKV_AWS_216: (r) => {
    for (const d of ofType(r, "aws:cloudfront/distribution:Distribution")) expect(d.inputs.enabled, d.name).to.equal(true);
  },
  CKV_AWS_305: (r) => {
    for (const d of ofType(r, "aws:cloudfront/distribution:Distribution")) expect(d.inputs.defaultRootObject, d.name).to.equal("index.html");
  },
  CKV_AWS_310: (r) => {
    // With a DR region (its static origin beside the primary's), the default behaviour fails over.
    for (const d of ofType(r, "aws:cloudfront/distribution:Distribution")) {
      if (!d.inputs.origins.some((o: any) => o.originId === "static-dr")) continue;
      const groups = asArray<any>(d.inputs.originGroups).map((g) => g.originId);
      expect(groups, d.name).to.include(d.inputs.defaultCacheBehavior.targetOriginId);
    }
  },
  CKV2_AWS_32: (r) => {
    for (const d of ofType(r, "aws:cloudfront/distribution:Distribution"))
      for (const b of [d.inputs.defaultCacheBehavior, ...asArray<any>(d.inputs.orderedCacheBehaviors)])
        expect(b.responseHeadersPolicyId, `${d.name} ${b.pathPattern ?? "default"}`).to.be.a("string");
  },
  CKV_AWS_259: (r) => {
    for (const p of ofType(r, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"))
      expect(p.inputs.securityHeadersConfig.strictTransportSecurity, p.name).to.include({
        accessControlMaxAgeSec: 63072000,
        includeSubdomains: true,
        preload: true,
        override: true,
      });
  },
  CKV2_AWS_46: (r) => CONSTRUCTION["AwsSolutions-CFR7"](r, ""),
  CKV_AWS_328: (r) => {
    for (const lb of ofType(r, "aws:lb/loadBalancer:LoadBalancer")) expect(lb.inputs.desyncMitigationMode, lb.name).to.equal("strictest");
  },
  CKV_AWS_261: (r) => {
    for (const tg of ofType(r, "aws:lb/targetGroup:TargetGroup")) expect(tg.inputs.healthCheck?.path, tg.name).to.be.a("string").and.match(/^\//);
  },
  CKV_AWS_332: (r) => {
    for (const s of ofType(r, "aws:ecs/service:Service")) expect(s.inputs.platformVersion, s.name).to.equal("LATEST");
  },
  CKV_AWS_334: (r) => {
    for (const s of ofType(r, "aws:ecs/service:Service"))
      for (const c of asArray<any>(s.inputs.capacityProviderStrategies)) expect(c.capacityProvider, s.name).to.match(/^FARGATE(_SPOT)?$/);
    for (const t of ofType(r, "aws:ecs/taskDefinition:TaskDefinition")) expect(t.inputs.requiresCompatibilities, t.name).to.deep.equal(["FARGATE"]);
    for (const c of containers(r)) expect(c.privileged, c.name).to.not.equal(true);
  },
  CKV_AWS_335: (r) => {
    CONSTRUCTION.CKV_AWS_334(r, "");
    for (const t of ofType(r, "aws:ecs/taskDefinition:TaskDefinition")) expect(t.inputs.pidMode, t.name).to.equal(undefined);
  },
  CKV_AWS_50: (r) => {
    for (const f of ofType(r, "aws:lambda/function:Function")) expect(f.inputs.tracingConfig?.mode, f.name).to.equal("Active");
  },
  CKV_AWS_115: (r) => {
    for (const f of ofType(r, "aws:lambda/function:Function")) expect(f.inputs.reservedConcurrentExecutions, f.name).to.be.a("number").and.above(0);
  },
  CKV_AWS_363: (r) => {
    for (const f of ofType(r, "aws:lambda/function:Function")) expect(f.inputs.runtime, f.name).to.equal("nodejs22.x");
  },
  CKV_AWS_226: (r) => {
    for (const i of ofType(r, "aws:rds/clusterInstance:ClusterInstance")) expect(i.inputs.autoMinorVersionUpgrade, i.name).to.equal(true);
  },
  CKV_AWS_353: (r) => {
    for (const i of ofType(r, "aws:rds/clusterInstance:ClusterInstance")) expect(i.inputs.performanceInsightsEnabled, i.name).to.equal(true);
  },
  CKV_AWS_250: (r) => {
    for (const c of ofType(r, "aws:rds/cluster:Cluster")) {
      expect(c.inputs.engine, c.name).to.equal("aurora-postgresql");
      expect(Number(String(c.inputs.engineVersion).split(".")[0]), c.name).to.be.at.least(16);
    }
  },
  CKV_AWS_313: (r) => {
    for (const c of ofType(r, "aws:rds/cluster:Cluster")) expect(c.inputs.copyTagsToSnapshot, c.name).to.equal(true);
  },
  CKV_AWS_324: (r) => {
    for (const c of ofType(r, "aws:rds/cluster:Cluster")) expect(c.inputs.enabledCloudwatchLogsExports, c.name).to.deep.equal(["postgresql"]);
  },
  CKV2_AWS_27: (r) => {
    for (const g of ofType(r, "aws:rds/clusterParameterGroup:ClusterParameterGroup")) {
      const params = Object.fromEntries(asArray<any>(g.inputs.parameters).map((p) => [p.name, p.value]));
      expect(params, g.name).to.include({ log_min_duration_statement: "1000", log_statement: "ddl", log_connections: "1" });
    }
  },
  CKV_AWS_140: (r) => {
    for (const g of ofType(r, "aws:rds/globalCluster:GlobalCluster")) {
      const [source] = g.propertyDependencies.sourceDbClusterIdentifier ?? [];
      const cluster = r.resources.find((x) => `${x.type}::${x.name}` === source);
      expect(cluster?.type, g.name).to.equal("aws:rds/cluster:Cluster");
      expect(cluster!.inputs.storageEncrypted, g.name).to.equal(true);
    }
  },
  CKV_AWS_329: (r) => {
    for (const a of ofType(r, "aws:efs/accessPoint:AccessPoint")) expect(a.inputs.rootDirectory.path, a.name).to.match(/^\/.+/);
  },
  CKV_AWS_330: (r) => {
    for (const a of ofType(r, "aws:efs/accessPoint:AccessPoint")) expect(a.inputs.posixUser, a.name).to.have.keys("uid", "gid");
  },
  CKV_AWS_319: (r) => {
    for (const type of ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/compositeAlarm:CompositeAlarm"])
      for (const a of ofType(r, type)) expect(a.inputs.actionsEnabled, a.name).to.not.equal(false);
  },
  CKV_AWS_67: (r) => {
    for (const t of ofType(r, "aws:cloudtrail/trail:Trail")) expect(t.inputs.isMultiRegionTrail, t.name).to.equal(true);
  },
  CKV_AWS_251: (r) => {
    for (const t of ofType(r, "aws:cloudtrail/trail:Trail")) expect(t.inputs.enableLogging, t.name).to.not.equal(false);
  },
  CKV2_AWS_10: (r) => {
    for (const t of ofType(r, "aws:cloudtrail/trail:Trail")) expect(t.inputs.cloudWatchLogsGroupArn, t.name).to.be.a("string");
  },
  CKV_AWS_314: (r) => {
    for (const p of ofType(r, "aws:codebuild/project:Project")) expect(p.inputs.logsConfig.cloudwatchLogs.status, p.name).to.equal("ENABLED");
  },
  CKV_AWS_219: (r) => {
    for (const p of ofType(r, "aws:codepipeline/pipeline:Pipeline"))
      for (const store of p.inputs.artifactStores) expect(store.encryptionKey, p.name).to.include({ type: "KMS" });
  },
  CKV_AWS_304: (r) => {
    for (const rot of ofType(r, "aws:secretsmanager/secretRotation:SecretRotation"))
      expect(rot.inputs.rotationRules.automaticallyAfterDays, rot.name).to.be.at.most(90);
  },
  CKV_AWS_72: (r) => {
    for (const p of ofType(r, "aws:sqs/queuePolicy:QueuePolicy"))
      for (const s of statements(p.inputs.policy)) {
        if (s.Effect === "Deny") expect(s.Condition, p.name).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
        else
          expect(
            asArray<string>(s.Action).filter((a) => a.includes("*")),
            p.name,
          ).to.deep.equal([]);
      }
  },
  CKV_AWS_238: (r) => {
    for (const d of ofType(r, "aws:guardduty/detector:Detector")) expect(d.inputs.enable, d.name).to.equal(true);
  },
  CKV_AWS_233: () => {
    // The one component that creates certificates; the harness does not record deleteBeforeReplace.
    const source = fs.readFileSync(path.join(PROJECT_DIR, "components", "dns-validated-certificate.ts"), "utf8");
    expect(source).to.contain("new aws.acm.Certificate").and.not.contain("deleteBeforeReplace");
  },
  CKV_AWS_234: (r) => {
    for (const c of ofType(r, "aws:acm/certificate:Certificate"))
      expect(c.inputs.options?.certificateTransparencyLoggingPreference ?? "ENABLED", c.name).to.equal("ENABLED");
  },
  CKV2_AWS_71: (r) => {
    for (const c of ofType(r, "aws:acm/certificate:Certificate"))
      for (const name of [c.inputs.domainName, ...asArray<string>(c.inputs.subjectAlternativeNames)]) expect(name, c.name).to.not.contain("*");
  },
  CKV2_AWS_23: (r) => {
    const targets = ["aws:cloudfront/distribution:Distribution", "aws:lb/loadBalancer:LoadBalancer", "aws:apigatewayv2/domainName:DomainName"];
    for (const rec of ofType(r, "aws:route53/record:Record").filter((x) => ["A", "AAAA"].includes(x.inputs.type))) {
      expect(asArray(rec.inputs.aliases).length, rec.name).to.equal(1);
      const of = (rec.propertyDependencies.aliases ?? []).map((dep) => dep.split("::")[0]);
      expect(
        of.some((t) => targets.includes(t)),
        `${rec.name} aliases ${of.join(", ")}`,
      ).to.equal(true);
    }
  },
  CKV2_AWS_80: (r) => {
    for (const d of ofType(r, "aws:guardduty/detector:Detector"))
      expect(d.inputs.findingPublishingFrequency, d.name).to.be.oneOf(["FIFTEEN_MINUTES", "ONE_HOUR"]);
  },
};

describe("policy coverage: what the table holds by construction", () => {
  it("has a check for every construction answer it says this test proves", () => {
    const claimed = peers().flatMap(({ answers }) =>
      Object.entries(answers)
        .filter(([, a]) => "construction" in a && a.provenBy.includes("test/policy-coverage.test.ts"))
        .map(([id]) => id),
    );
    expect(claimed.filter((id) => !(id in CONSTRUCTION))).to.deep.equal([]);
  });

  const holds = (result: SynthResult, label: string) => {
    for (const [id, check] of Object.entries(CONSTRUCTION)) {
      try {
        check(result, label);
      } catch (err) {
        throw new Error(`${id} on ${label}: ${(err as Error).message}`);
      }
    }
  };
  for (const stack of STACKS) it(`holds on ${stack}`, async () => holds(await synth(stack), stack));
  // The table covers the optional features' types too, so their resources are held to the same claims.
  for (const overrides of OPTIONAL_FEATURES)
    it(`holds on prod with ${Object.keys(overrides).join(", ")} on`, async () => holds(await synthWith("prod", overrides), "prod"));
});
