/**
 * The pilot-light DR region (prod-dr, the standby of prod) and the edge that fails over to it:
 * the standby's settings, what it runs idle and activated, the proof that activation touches only
 * DR-region resources, the data it reaches, and CloudFront's origin groups and health checks.
 */
import { expect } from "chai";
import { pinnedOriginFunctionCode } from "../components/edge-config";
import { ConfigError, resolveSettings, Settings } from "../stacks";
import { PILOT_LIGHT } from "../stacks/sections/standby";
import { loadStackConfig, SynthResource, SynthResult, synthesize } from "../tools/harness";
import { mandatoryViolations, multiAzProblems } from "./invariants";
import { expectMonitoringCovers } from "./monitoring-checks";
import { ofType, one, settingsOf, synth, T } from "./helpers";

const PRIMARY = "prod";
const STANDBY = "prod-dr";

/** The standby's raw config with `standby` (or other keys) replaced. */
function standbyConfig(changes: Record<string, unknown>): Record<string, string> {
  const { config } = loadStackConfig(STANDBY);
  const out = { ...config };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete out[key];
    else out[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}
const resolveStandby = (changes: Record<string, unknown>) => resolveSettings({ project: "platform", stack: STANDBY, config: standbyConfig(changes) });
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.key}: ${p.allowed}`);
    throw err;
  }
  return expect.fail("expected a ConfigError");
}
const key = (r: SynthResource) => `${r.type}::${r.name}`;

describe("standby region: settings (prod-dr)", () => {
  const primary = settingsOf(PRIMARY);
  const idle = settingsOf(STANDBY);
  const active = resolveStandby({ "platform:standby": { primaryStack: PRIMARY, active: true } });

  it("is the primary's platform in the primary's DR region, under its own name, with no DR region of its own", () => {
    expect(idle.region).to.equal(primary.disasterRecovery.region).and.not.equal(primary.region);
    expect(idle.namePrefix).to.equal(`${primary.project}-${STANDBY}`);
    expect(idle.standby).to.deep.equal({ primaryStack: PRIMARY, primaryPrefix: primary.namePrefix, primaryRegion: primary.region, active: false });
    expect(idle.disasterRecovery.enabled).to.equal(false);
    expect(idle.services.map((s) => s.name)).to.deep.equal(primary.services.map((s) => s.name));
    expect(idle.tables).to.deep.equal(primary.tables);
    expect(idle.domain).to.equal(primary.domain);
  });

  it("idles at the pilot light: one task per service (growing to the primary's floor), one Serverless v2 instance, one small cache node", () => {
    for (const [i, s] of idle.services.entries()) {
      expect(s.minTasks, s.name).to.equal(Math.min(PILOT_LIGHT.minTasks, primary.services[i].minTasks));
      expect(s.maxTasks, s.name).to.equal(Math.max(primary.services[i].minTasks, PILOT_LIGHT.minTasks));
    }
    expect(idle.database).to.include({ instanceClass: "db.serverless", readers: 0 });
    expect(idle.cache).to.include({ nodeType: PILOT_LIGHT.cache.nodeType, nodes: 1 });
  });

  it("the switch gives it exactly the primary's task counts, scaling limits, database and cache sizes", () => {
    expect(active.standby?.active).to.equal(true);
    expect(active.services.map((s) => [s.name, s.minTasks, s.maxTasks])).to.deep.equal(primary.services.map((s) => [s.name, s.minTasks, s.maxTasks]));
    expect(active.database).to.include({ instanceClass: primary.database.instanceClass, readers: primary.database.readers });
    expect(active.cache).to.include({ nodeType: primary.cache.nodeType, nodes: primary.cache.nodes });
  });

  it("refuses, naming the key, every value that belongs in the primary's file", () => {
    expect(problemsOf(() => resolveStandby({ "platform:database": { readers: 3 } }))).to.deep.equal([
      "platform:database: is read from the primary's stack file: a standby stack sets only aws:region and platform:standby, platform:availabilityZones, platform:vpcCidr, platform:environment, platform:domain",
    ]);
  });

  it("refuses a region that is not the primary's DR region, a primary without one, itself, an unknown stack and another standby", () => {
    expect(problemsOf(() => resolveStandby({ "aws:region": "eu-north-1" }))).to.deep.equal([
      `aws:region: must be the primary's platform:disasterRecovery.region (${primary.disasterRecovery.region})`,
    ]);
    expect(problemsOf(() => resolveStandby({ "platform:standby": { primaryStack: "dev" } }))[0]).to.match(
      /^platform:standby.primaryStack: must name a stack with a DR region/,
    );
    expect(problemsOf(() => resolveStandby({ "platform:standby": { primaryStack: STANDBY } }))).to.deep.equal([
      "platform:standby.primaryStack: must name another stack than this one",
    ]);
    expect(problemsOf(() => resolveStandby({ "platform:standby": { primaryStack: "qa" } }))[0]).to.match(
      /^platform:standby.primaryStack: must name a stack of this project: unknown stack "qa"/,
    );
    expect(
      problemsOf(() => resolveSettings({ project: "platform", stack: "other-dr", config: standbyConfig({ "platform:standby": { primaryStack: STANDBY } }) })),
    ).to.deep.equal(["platform:standby.primaryStack: must name a primary stack, not another standby"]);
    expect(problemsOf(() => resolveStandby({ "platform:domain": "other.example.com" }))).to.deep.equal([
      `platform:domain: must equal the primary's value (${primary.domain})`,
    ]);
  });
});

describe("standby region: what it builds and what activation changes (prod-dr)", function () {
  this.timeout(60_000);
  const primary = settingsOf(PRIMARY);
  const idleSettings = settingsOf(STANDBY);
  const drRegion = idleSettings.region;
  let idle: SynthResult;
  let active: SynthResult;
  let activeSettings: Settings;

  before(async () => {
    idle = await synth(STANDBY);
    // Not through the shared queue: a one-off synthesis with the switch on.
    active = await synthesize({ stack: STANDBY, overrides: { "platform:standby": { primaryStack: PRIMARY, active: true } } });
    activeSettings = resolveStandby({ "platform:standby": { primaryStack: PRIMARY, active: true } });
  });

  it("creates and looks up everything in the DR region: no provider, resource or lookup of any other region", () => {
    for (const r of [...idle.resources, ...active.resources].filter((x) => x.custom)) expect(r.region, key(r)).to.equal(drRegion);
    expect(ofType(idle, T.provider).filter((p) => p.inputs.region && p.inputs.region !== drRegion)).to.deep.equal([]);
    expect(idle.invokes.length).to.be.greaterThan(3);
    for (const i of [...idle.invokes, ...active.invokes]) expect(i.region, i.token).to.equal(drRegion);
  });

  it("watches its own origin certificate, functions and services, in its region", () => {
    expectMonitoringCovers(idle, idleSettings.observability.thresholds, Object.fromEntries(idleSettings.functions.map((f) => [f.name, f.timeoutSeconds])));
    expect(ofType(idle, T.certificate).map((c) => c.region)).to.deep.equal([drRegion]);
    // The canaries probe the public site, which the primary's edge serves: the standby has none.
    expect(ofType(idle, "aws:synthetics/canary:Canary")).to.deep.equal([]);
  });

  it("activation changes only the resources the switch sizes, all through the DR region's provider", () => {
    const before = new Map(idle.resources.filter((r) => r.custom).map((r) => [key(r), r]));
    const after = new Map(active.resources.filter((r) => r.custom).map((r) => [key(r), r]));
    const changed = [...after.values()].filter((r) => !before.has(key(r)) || JSON.stringify(before.get(key(r))!.inputs) !== JSON.stringify(r.inputs));
    const removed = [...before.keys()].filter((k) => !after.has(k));
    expect(removed, "activation deletes nothing").to.deep.equal([]);
    expect(changed.length).to.be.greaterThan(0);
    for (const r of changed) expect(r.region, key(r)).to.equal(drRegion);
    expect([...new Set(changed.map((r) => r.type))].sort()).to.deep.equal(
      [T.ecsService, "aws:appautoscaling/target:Target", T.rdsCluster, T.rdsInstance, T.redis, "aws:cloudwatch/metricAlarm:MetricAlarm", T.dashboard].sort(),
    );
    // The cluster itself only loses its PilotLight tag: its capacity range and everything else stay.
    const withoutTags = (r: SynthResource) => JSON.stringify({ ...r.inputs, tags: undefined });
    const cluster = (x: SynthResult) => one(x, T.rdsCluster, "database-cluster");
    expect(withoutTags(cluster(active))).to.equal(withoutTags(cluster(idle)));
  });

  it("activated, it runs the primary's task counts and scaling limits", () => {
    for (const s of primary.services) {
      expect(one(active, T.ecsService, `${s.name}-svc-service`).inputs.desiredCount, s.name).to.equal(s.minTasks);
      expect(one(active, "aws:appautoscaling/target:Target", `${s.name}-svc-scaling`).inputs, s.name).to.include({
        minCapacity: s.minTasks,
        maxCapacity: s.maxTasks,
      });
      expect(one(idle, T.ecsService, `${s.name}-svc-service`).inputs.desiredCount, s.name).to.equal(PILOT_LIGHT.minTasks);
    }
    const instances = ofType(active, T.rdsInstance);
    expect(instances).to.have.length(1 + primary.database.readers);
    for (const i of instances) expect(i.inputs).to.include({ instanceClass: primary.database.instanceClass, applyImmediately: true });
    expect(one(active, T.redis, "cache-group").inputs).to.include({ nodeType: primary.cache.nodeType, numCacheClusters: primary.cache.nodes });
  });

  it("passes the policy pack idle and activated, and activated it is Multi-AZ everywhere", async () => {
    const config = loadStackConfig(STANDBY).config;
    expect(await mandatoryViolations(idle, config)).to.deep.equal([]);
    expect(await mandatoryViolations(active, config)).to.deep.equal([]);
    expect(multiAzProblems(active, activeSettings)).to.deep.equal([]);
    // Idle, the tags the pack reads mark exactly what the switch sizes; activated, none is left.
    const pilot = (r: SynthResult) => r.resources.filter((x) => x.inputs.tags?.PilotLight === "true").map((x) => x.type);
    expect([...new Set(pilot(idle))].sort()).to.deep.equal([T.rdsCluster, T.ecsService, T.redis].sort());
    expect(pilot(active)).to.deep.equal([]);
  });

  it("joins prod's global database as a headless-free secondary: no master user, the primary's region as source, its own key", () => {
    const cluster = one(idle, T.rdsCluster, "database-cluster");
    expect(cluster.inputs).to.include({ globalClusterIdentifier: `${primary.namePrefix}-aurora-global`, sourceRegion: primary.region, storageEncrypted: true });
    expect(cluster.inputs.kmsKeyId).to.equal(one(idle, T.kmsKey, "platform-key").state.arn);
    for (const field of ["masterUsername", "databaseName", "manageMasterUserPassword", "masterPasswordWo"])
      expect(cluster.inputs, field).to.not.have.property(field);
    expect(cluster.ignoreChanges).to.include.members(["replicationSourceIdentifier", "engineVersion"]);
    expect(cluster.protect).to.equal(true);
    expect(cluster.inputs.serverlessv2ScalingConfiguration).to.deep.equal(
      one(active, T.rdsCluster, "database-cluster").inputs.serverlessv2ScalingConfiguration,
    );
  });

  it("watches its own region: the secondary's replication lag, its services and data, on its own topic; nothing in us-east-1", () => {
    const lag = one(idle, "aws:cloudwatch/metricAlarm:MetricAlarm", "observability-db-global-replication-lag").inputs;
    expect(lag).to.include({
      namespace: "AWS/RDS",
      metricName: "AuroraGlobalDBReplicationLag",
      threshold: primary.observability.thresholds.globalReplicationLatencyMs,
    });
    expect(lag.dimensions).to.deep.equal({ DBClusterIdentifier: one(idle, T.rdsCluster, "database-cluster").state.clusterIdentifier });
    const topic = one(idle, T.topic, "observability-alerts").state.arn;
    for (const alarm of ofType(idle, "aws:cloudwatch/metricAlarm:MetricAlarm")) expect(alarm.inputs.alarmActions, alarm.name).to.deep.equal([topic]);
    expect(ofType(idle, T.topic)).to.have.length(1);
  });

  it("reaches every data store's copy: the tables' replicas on the primary's DR key, the replicated origin secret, the DR registry's images", () => {
    const taskPolicies = ofType(idle, T.rolePolicy).map((p) => JSON.parse(p.inputs.policy));
    const resources = taskPolicies.flatMap((d) => d.Statement.flatMap((st: any) => [st.Resource].flat()));
    for (const t of primary.tables)
      if (primary.services.some((s) => s.access.tables[t.name]) || primary.functions.some((f) => f.access.tables[t.name]))
        expect(resources, t.name).to.include(`arn:aws:dynamodb:${drRegion}:123456789012:table/${primary.namePrefix}-${t.name}`);
    expect(idle.invokes.find((i) => i.token === "aws:kms/getAlias:getAlias")?.inputs.name).to.equal(`alias/${primary.namePrefix}-dr`);
    expect(idle.invokes.find((i) => i.token === "aws:secretsmanager/getSecretVersion:getSecretVersion")?.inputs.secretId).to.equal(
      `${primary.namePrefix}/edge/origin-verify`,
    );
    for (const s of primary.services.filter((x) => x.pipeline)) {
      expect(
        idle.invokes.some((i) => i.token === "aws:ssm/getParameter:getParameter" && i.inputs.name === `/${primary.namePrefix}/${s.name}/image`),
        s.name,
      ).to.equal(true);
      const image = JSON.parse(one(idle, T.taskDefinition, `${s.name}-svc-task`).inputs.containerDefinitions)[0].image;
      expect(image, s.name).to.match(new RegExp(`^123456789012\\.dkr\\.ecr\\.${drRegion}\\.amazonaws\\.com/${primary.namePrefix}/${s.name}:`));
    }
  });
});

describe("the edge fails over to the standby (prod and prod-dr together)", function () {
  this.timeout(60_000);
  const primary = settingsOf(PRIMARY);
  const standby = settingsOf(STANDBY);
  const domain = primary.domain;
  const regions = [primary.region, standby.region];
  let prod: SynthResult;
  let dr: SynthResult;
  before(async () => {
    prod = await synth(PRIMARY);
    dr = await synth(STANDBY);
  });
  const distribution = () => one(prod, T.distribution, "edge-cdn").inputs;

  it("serves static paths through an origin group: the primary bucket, then its replica in the DR region, which CloudFront may read", () => {
    const d = distribution();
    expect(d.defaultCacheBehavior.targetOriginId).to.equal("static-failover");
    const group = d.originGroups.find((g: any) => g.originId === "static-failover");
    expect(group.members.map((m: any) => m.originId)).to.deep.equal(["static", "static-dr"]);
    expect(group.failoverCriteria.statusCodes).to.deep.equal([500, 502, 503, 504]);
    const replica = ofType(prod, T.bucket).find((b) => b.name === "edge-static-dr")!;
    expect(replica.region).to.equal(standby.region);
    expect(d.origins.find((o: any) => o.originId === "static-dr").domainName).to.equal(replica.state.bucketRegionalDomainName);
    const policy = JSON.parse(ofType(prod, T.bucketPolicy).find((p) => p.name === "edge-static-dr")!.inputs.policy);
    expect(policy.Statement.find((st: any) => st.Sid === "CloudFrontOriginAccessControl").Condition).to.deep.equal({
      StringEquals: { "AWS:SourceArn": one(prod, T.distribution, "edge-cdn").state.arn },
    });
  });

  it("fails read-only API paths over between the two regions' ALBs, by names the standby writes", () => {
    const d = distribution();
    const group = d.originGroups.find((g: any) => g.originId === "api-failover");
    expect(group.members.map((m: any) => m.originId)).to.deep.equal(regions.map((r) => `api-${r}`));
    const readOnly = primary.services.flatMap((s) => s.readOnlyPaths);
    expect(readOnly.length).to.be.greaterThan(0);
    for (const path of readOnly) {
      const b = d.orderedCacheBehaviors.find((x: any) => x.pathPattern === path);
      expect(b, path).to.include({ targetOriginId: "api-failover" });
      expect(b.allowedMethods).to.deep.equal(["GET", "HEAD", "OPTIONS"]);
    }
    // Behaviors that allow writes never target a group (CloudFront refuses it).
    for (const b of d.orderedCacheBehaviors.filter((x: any) => x.allowedMethods.includes("POST"))) expect(b.targetOriginId).to.not.match(/failover/);
    // The DR member is the name the standby's ALB answers, with a certificate for it and the same origin header.
    const drOrigin = d.origins.find((o: any) => o.originId === `api-${standby.region}`);
    expect(drOrigin.domainName).to.equal(dr.outputs.originDomain);
    expect(
      ofType(dr, T.record).find((r) => r.inputs.name === drOrigin.domainName),
      "the standby's regional record",
    ).to.not.equal(undefined);
    const drCert = one(dr, T.certificate, "edge-origin-cert").inputs;
    expect([drCert.domainName, ...(drCert.subjectAlternativeNames ?? [])]).to.include.members([drOrigin.domainName, `origin.${domain}`]);
    expect(drOrigin.customHeaders).to.deep.equal(d.origins.find((o: any) => o.originId === "api").customHeaders);
  });

  it("answers every route from the standby once the primary's origin fails its health check: a failover record pair", () => {
    const primaryRecord = one(prod, T.record, "edge-origin").inputs;
    const secondary = one(dr, T.record, "edge-origin-secondary").inputs;
    expect(primaryRecord).to.include({ name: `origin.${domain}`, setIdentifier: "primary" });
    expect(primaryRecord.failoverRoutingPolicies).to.deep.equal([{ type: "PRIMARY" }]);
    const primaryCheck = one(prod, T.healthCheck, `edge-origin-health-${primary.region}`);
    expect(primaryRecord.healthCheckId).to.be.a("string").that.equals(primaryCheck.id);
    expect(primaryRecord.aliases[0].evaluateTargetHealth).to.equal(true);
    expect(secondary.aliases[0].evaluateTargetHealth).to.equal(true);
    expect(secondary).to.include({ name: `origin.${domain}`, setIdentifier: "secondary" });
    expect(secondary.failoverRoutingPolicies).to.deep.equal([{ type: "SECONDARY" }]);
    // The standby lists, never writes, the validation records of names the primary's certificates cover.
    const drValidation = ofType(dr, T.record).filter((r) => r.name.startsWith("edge-origin-validation"));
    expect(drValidation).to.have.length(1);
  });

  it("probes each region's origin from outside through a region-pinned path, alarmed in us-east-1", () => {
    const d = distribution();
    const fn = one(prod, "aws:cloudfront/function:Function", "edge-pinned-origin").inputs;
    expect(fn).to.include({ runtime: "cloudfront-js-2.0", publish: true });
    expect(Buffer.byteLength(fn.code)).to.be.lessThan(10 * 1024);
    for (const region of regions) {
      const check = one(prod, T.healthCheck, `edge-origin-health-${region}`).inputs;
      expect(check).to.include({ type: "HTTPS", fqdn: domain, resourcePath: `/_origin/${region}${primary.edge.healthCheckPath}`, enableSni: true });
      const b = d.orderedCacheBehaviors.find((x: any) => x.pathPattern === `/_origin/${region}/*`);
      expect(b).to.include({ targetOriginId: `api-${region}`, cachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" });
      expect(b.functionAssociations).to.have.length(1);
      const alarm = one(prod, "aws:cloudwatch/metricAlarm:MetricAlarm", `observability-origin-health-${region}`);
      expect(alarm.region).to.equal("us-east-1");
      expect(alarm.inputs).to.include({ metricName: "HealthCheckStatus", treatMissingData: "breaching" });
    }
  });

  it("claims no name the primary claims: physical names in the DR region and DNS records in the shared zone", () => {
    const FIELDS = ["name", "alarmName", "clusterIdentifier", "identifier", "replicationGroupId", "dashboardName", "bucket", "functionName", "topic"];
    const claims = (r: SynthResult, region: string) =>
      r.resources
        .filter((x) => x.custom && (x.region === region || x.type === T.record))
        .flatMap((x) => {
          if (x.type === T.record) return [`${x.type}|${x.inputs.zoneId}|${x.inputs.name}|${x.inputs.type}|${x.inputs.setIdentifier ?? ""}`];
          const field = FIELDS.find((f) => typeof x.inputs[f] === "string");
          return field ? [`${x.type}|${x.inputs[field]}`] : [];
        });
    const ours = new Set(claims(dr, standby.region));
    expect(ours.size).to.be.greaterThan(50);
    expect(claims(prod, standby.region).filter((c) => ours.has(c))).to.deep.equal([]);
  });

  it("the pinned-path function passes exactly the health paths through, rewritten, and answers 404 to anything else", () => {
    const code = pinnedOriginFunctionCode(regions, ["/users/health"]);
    const handler = new Function(`${code}; return handler;`)() as (e: any) => any;
    expect(handler({ request: { uri: `/_origin/${regions[1]}/users/health` } })).to.deep.equal({ uri: "/users/health" });
    expect(handler({ request: { uri: `/_origin/${regions[0]}/users/health` } })).to.deep.equal({ uri: "/users/health" });
    for (const uri of [`/_origin/${regions[1]}/payments/1`, `/_origin/${regions[1]}/users/health/../x`, "/_origin/us-west-2/users/health"])
      expect(handler({ request: { uri } }), uri).to.deep.equal({ statusCode: 404, statusDescription: "Not Found" });
  });
});
