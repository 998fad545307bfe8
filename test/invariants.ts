/**
 * What must hold for any valid config, whatever its names and values: the checks tests run over the
 * shipped stack files (which adopters edit) and over edited copies of them. Each returns problems
 * as lines, empty when the stack is sound; nothing here names an example service or value.
 */
import { allPolicies } from "../policies/rules";
import type { Settings } from "../stacks";
import { evaluateFlows } from "../tools/fidelity/evaluate";
import { flowCatalogue } from "../tools/fidelity/flows";
import { iamWorld } from "../tools/fidelity/iam-world";
import { unusedGrants } from "../tools/fidelity/least-privilege";
import { expectedPaths, networkOf, Path } from "../tools/fidelity/reachability";
import { MOCK_ACCOUNT_ID, MOCK_CLOUDFRONT_PREFIX_LIST, SynthResult } from "../tools/harness";
import { fromSynth, runPack } from "../tools/policy-runner";
import { ofType, T } from "./helpers";

/** The network paths the settings imply: open for what each service declares, closed for the rest. */
export function pathsFor(settings: Settings): Path[] {
  return expectedPaths(
    settings.services.map((s) => ({
      name: s.name,
      port: s.port,
      routed: !!s.pathPrefix,
      database: s.access.database,
      cache: s.access.cache,
      fileSystem: s.access.fileSystem,
      calls: s.calls,
    })),
    { database: settings.database.enabled, cache: settings.cache.enabled, fileSystem: settings.fileSystem.enabled },
    settings.services.some((s) => s.requireSignIn),
    settings.functions.map((f) => f.name),
  );
}

/** Paths whose state (open or closed) differs from what they must be. */
export function reachabilityProblems(result: SynthResult, paths: Path[], namePrefix: string): string[] {
  const network = networkOf(result, namePrefix, MOCK_CLOUDFRONT_PREFIX_LIST);
  return paths.flatMap((p) => {
    const reason = network.blocked(network.endpoint(p.from), network.endpoint(p.to), p.port);
    if (p.open && reason) return [`${p.from} -> ${p.to}:${p.port} must be open (${p.why}): ${reason}`];
    if (!p.open && !reason) return [`${p.from} -> ${p.to}:${p.port} must be closed (${p.why}), but it is open`];
    return [];
  });
}

/** Mandatory policy violations of the synthesized stack. */
export async function mandatoryViolations(result: SynthResult, config: Record<string, string>): Promise<string[]> {
  const findings = await runPack(allPolicies, fromSynth(result, config));
  return findings.filter((f) => f.level === "mandatory").map((f) => `${f.policy}: ${f.message}`);
}

/** Prod survives an AZ: NAT, database, cache and every service span at least two AZs. */
export function multiAzProblems(result: SynthResult, settings: Settings): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => ok || problems.push(what);
  const vpc = ofType(result, T.vpc)[0];
  expect(vpc?.inputs.natGateways?.strategy === "OnePerAz", "a NAT gateway per AZ");
  expect(settings.availabilityZones.length >= 2, "at least two AZs");
  const instances = ofType(result, T.rdsInstance);
  if (settings.database.enabled) expect(new Set(instances.map((i) => i.inputs.availabilityZone)).size >= 2, "Aurora instances in two AZs or more");
  for (const group of ofType(result, T.redis)) {
    expect(group.inputs.numCacheClusters >= 2 && group.inputs.automaticFailoverEnabled === true && group.inputs.multiAzEnabled === true, "cache failover");
    expect(new Set(group.inputs.preferredCacheClusterAzs ?? []).size >= 2, "cache nodes in two AZs or more");
  }
  for (const service of ofType(result, T.ecsService)) expect(service.inputs.desiredCount >= 2, `${service.name}: at least two tasks`);
  for (const alb of ofType(result, T.loadBalancer)) expect((alb.inputs.subnets ?? []).length >= 2, `${alb.name}: subnets in two AZs or more`);
  return problems;
}

/**
 * Everything a stack must satisfy whatever its config says: no mandatory policy violation, every
 * runtime flow allowed and no grant beyond them, every network path as the settings imply, and in
 * prod Multi-AZ everywhere. (Synthesis itself already ran the provider rules.)
 */
export async function stackProblems(result: SynthResult, settings: Settings, config: Record<string, string>): Promise<string[]> {
  const world = iamWorld(result, MOCK_ACCOUNT_ID);
  const outcomes = await evaluateFlows(world, flowCatalogue(result, settings, MOCK_ACCOUNT_ID));
  return [
    ...(await mandatoryViolations(result, config)),
    ...outcomes.filter((o) => !o.allowed).map((o) => `${o.flow.id}: ${o.request.action} on ${o.request.resource}: ${o.detail}`),
    ...unusedGrants(world, outcomes),
    ...reachabilityProblems(result, pathsFor(settings), settings.namePrefix),
    ...(settings.environment === "prod" ? multiAzProblems(result, settings) : []),
  ];
}
