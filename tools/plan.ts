/**
 * `npm run plan -- --stack <name> [--json] [--out <dir>] [--assumptions <file.json>] [--policy-pack-config <file.json>]`: the offline
 * main job. Runs the real program for one stack under the mock harness (no Pulumi CLI, no AWS
 * credentials) and reports what `pulumi preview --policy-pack policies` would: the resource tree
 * with counts and outputs, the policy pack's verdicts by level and severity, an architecture
 * diagram (Graphviz DOT and SVG) and a monthly cost estimate. Exits 1 on any mandatory violation.
 */
import * as fs from "fs";
import * as path from "path";
import { allPolicies } from "../policies/rules";
import { resolveSettings, Settings } from "../stacks";
import { EXIT, parseStackArgs, runCli, UsageError } from "./cli";
import { loadStackConfig, PROJECT_DIR, SynthResult, synthesize } from "./harness";
import { BudgetCheck, budgetCheck, renderBudget, standbysOf } from "./plan/budget";
import { capacityModel, CapacityModel, renderCapacity } from "./plan/capacity";
import { CostEstimate, estimateCost, renderCost, resolveAssumptions, UsageAssumptions } from "./plan/cost";
import { architectureDot, renderSvgCached } from "./plan/diagram";
import { Placeholder, placeholders, renderPlaceholders } from "./plan/placeholders";
import { Finding, fromSynth, PackConfigFile, runPack } from "./policy-runner";
import { renderText } from "./synth";

export interface PlanArgs {
  stack: string;
  json: boolean;
  /** Where the diagram files go. */
  out: string;
  /** JSON file overriding usage assumptions of the cost estimate. */
  assumptions?: string;
  /** Policy pack config, as `pulumi preview --policy-pack-config` takes it. */
  policyPackConfig?: string;
  /** Example values left in the stack are errors (exit EXIT.placeholders), not warnings. */
  strict: boolean;
}

export function parseArgs(argv: string[]): PlanArgs {
  const strict = argv.includes("--strict");
  const { stack, json, values } = parseStackArgs(
    argv.filter((a) => a !== "--strict"),
    ["--out", "--assumptions", "--policy-pack-config"],
    "--stack <name> [--json] [--strict] [--out <dir>] [--assumptions <file.json>] [--policy-pack-config <file.json>]",
  );
  return {
    stack,
    json,
    strict,
    out: path.resolve(values["--out"] ?? path.join(PROJECT_DIR, "plan-out")),
    assumptions: values["--assumptions"] && path.resolve(values["--assumptions"]),
    policyPackConfig: values["--policy-pack-config"] && path.resolve(values["--policy-pack-config"]),
  };
}

export interface Plan {
  stack: string;
  result: SynthResult;
  settings: Settings;
  findings: Finding[];
  cost: CostEstimate;
  dot: string;
  /** Example values a real deploy would fail on. */
  placeholders: Placeholder[];
  /** An idle standby's price once activated (`platform:standby.active: true`), at the primary's load. */
  activation?: { monthlyUsd: number; addsMonthlyUsd: number };
  /** The budget against the estimate; none without a budget. */
  budget?: BudgetCheck;
  /** Utilisation per tier at the sustained load and a burst (an idle standby's: once activated, at the primary's load). */
  capacity: CapacityModel;
}

/** The settings of an idle standby with the switch on. */
function activeSettings(stack: string, config: Record<string, string>, project: string): { settings: Settings; overrides: Record<string, unknown> } {
  const key = `${project}:standby`;
  const active = { ...JSON.parse(config[key]), active: true };
  return { settings: resolveSettings({ project, stack, config: { ...config, [key]: JSON.stringify(active) } }), overrides: { [key]: active } };
}

/** What activating an idle standby costs: the same stack synthesized with the switch on, priced at its environment's load. */
async function activationCost(stack: string, active: ReturnType<typeof activeSettings>, idle: CostEstimate): Promise<Plan["activation"]> {
  const result = await synthesize({ stack, overrides: active.overrides });
  const monthlyUsd = estimateCost(result, active.settings).totalMonthlyUsd;
  return { monthlyUsd, addsMonthlyUsd: monthlyUsd - idle.totalMonthlyUsd };
}

/** The activation line of an idle standby's report. */
export function renderActivation(activation: NonNullable<Plan["activation"]>): string {
  const usd = (n: number) => `$${n.toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
  return `Activation (platform:standby.active: true): about ${usd(activation.monthlyUsd)} a month at the primary's load, ${usd(activation.addsMonthlyUsd)} more than the pilot light.`;
}

/** Everything the plan reports, without printing or writing files. */
export async function buildPlan(stack: string, assumptions: Partial<UsageAssumptions> = {}, packConfig?: PackConfigFile): Promise<Plan> {
  const { project, config } = loadStackConfig(stack);
  // Validate first: bad config must end in one clear line before anything is synthesized.
  const settings = resolveSettings({ project, stack, config });
  const result = await synthesize({ stack });
  const findings = await runPack(allPolicies, fromSynth(result, config), { packConfig });
  const cost = estimateCost(result, settings, assumptions);
  const dot = architectureDot(result, settings);
  const idleStandby = settings.standby && !settings.standby.active ? activeSettings(stack, config, project) : undefined;
  const activation = idleStandby ? await activationCost(stack, idleStandby, cost) : undefined;
  // An idle standby carries no load; what matters is whether, once activated, it carries the primary's.
  const capacity = idleStandby
    ? capacityModel(idleStandby.settings, resolveAssumptions(settings.environment, assumptions))
    : capacityModel(settings, cost.assumptions);
  const budget = budgetCheck(settings, cost.totalMonthlyUsd, standbysOf(stack, PROJECT_DIR));
  return {
    stack,
    result,
    settings,
    findings,
    cost,
    dot,
    placeholders: placeholders(settings),
    capacity,
    ...(budget ? { budget } : {}),
    ...(activation ? { activation } : {}),
  };
}

const SEVERITY_ORDER = ["critical", "high", "medium", "low"];

/** Policy verdicts grouped by level, then severity. */
export function renderFindings(findings: Finding[], severities: Map<string, string>): string {
  if (findings.length === 0) return `Policies: ${allPolicies.length} rules, no violations.`;
  const lines = [`Policies: ${allPolicies.length} rules, ${findings.length} violation(s)`];
  for (const level of ["mandatory", "advisory"]) {
    const mine = findings.filter((f) => f.level === level);
    if (mine.length === 0) continue;
    lines.push(`  ${level} (${mine.length}):`);
    const sorted = [...mine].sort(
      (a, b) => SEVERITY_ORDER.indexOf(severities.get(a.policy) ?? "low") - SEVERITY_ORDER.indexOf(severities.get(b.policy) ?? "low"),
    );
    for (const f of sorted) lines.push(`    [${severities.get(f.policy) ?? "?"}] ${f.policy}: ${f.message}`);
  }
  return lines.join("\n");
}

/** The plan fails (EXIT.policyViolations) when any mandatory policy is violated, like `pulumi preview` with the pack. */
export function planExitCode(findings: Finding[]): number {
  return findings.some((f) => f.level === "mandatory") ? EXIT.policyViolations : EXIT.ok;
}

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

/** The `--policy-pack-config` file, read and checked like the CLI would: known policies, objects, levels. */
export function readPackConfig(file: string | undefined): PackConfigFile | undefined {
  if (!file) return undefined;
  const fail = (what: string) => new UsageError(`--policy-pack-config ${file}: ${what}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw fail(err instanceof Error ? err.message : String(err));
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw fail("must be a JSON object of policy name to settings");
  for (const [name, block] of Object.entries(parsed)) {
    if (!allPolicies.some((p) => p.name === name)) throw fail(`no policy "${name}" in the pack`);
    if (typeof block !== "object" || block === null || Array.isArray(block)) throw fail(`"${name}" must be an object of settings`);
    const level = (block as Record<string, unknown>).enforcementLevel;
    if (level !== undefined && !LEVELS.includes(String(level))) throw fail(`"${name}".enforcementLevel must be one of ${LEVELS.join(", ")}`);
  }
  return parsed as PackConfigFile;
}

/** The `--assumptions` file, read and checked; a bad one is a usage error naming the file. */
function readAssumptions(file: string | undefined): Partial<UsageAssumptions> {
  if (!file) return {};
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<UsageAssumptions>;
    resolveAssumptions("prod", parsed);
    return parsed;
  } catch (err) {
    throw new UsageError(`--assumptions ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function severityMap(): Map<string, string> {
  return new Map(allPolicies.map((p) => [p.name, p.severity ?? "low"]));
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const assumptions = readAssumptions(args.assumptions);
  const plan = await buildPlan(args.stack, assumptions, readPackConfig(args.policyPackConfig));
  fs.mkdirSync(args.out, { recursive: true });
  const dotFile = path.join(args.out, `architecture-${args.stack}.dot`);
  const svgFile = path.join(args.out, `architecture-${args.stack}.svg`);
  fs.writeFileSync(dotFile, plan.dot);
  fs.writeFileSync(svgFile, await renderSvgCached(plan.dot));
  const mandatory = plan.findings.filter((f) => f.level === "mandatory");

  if (args.json) {
    const counts: Record<string, number> = {};
    for (const r of plan.result.resources.filter((x) => x.custom)) counts[r.type] = (counts[r.type] ?? 0) + 1;
    const report = {
      stack: plan.stack,
      project: plan.result.project,
      resources: plan.result.resources.map(({ type, name, parent, custom, protect }) => ({ type, name, parent, custom, protect })),
      counts,
      outputs: plan.result.outputs,
      policies: { rules: allPolicies.length, mandatory, advisory: plan.findings.filter((f) => f.level === "advisory") },
      placeholders: plan.placeholders,
      cost: plan.cost,
      capacity: plan.capacity,
      ...(plan.budget ? { budget: plan.budget } : {}),
      ...(plan.activation ? { activation: plan.activation } : {}),
      diagram: { dot: dotFile, svg: svgFile },
    };
    process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  } else {
    process.stdout.write(
      // The verdict last, where a reader of a long report looks.
      [
        renderText(plan.result),
        "",
        renderCost(plan.cost),
        ...(plan.budget ? [renderBudget(plan.budget), ""] : []),
        ...(plan.activation ? [renderActivation(plan.activation), ""] : []),
        ...(plan.activation ? ["Once activated, at the primary's load:"] : []),
        renderCapacity(plan.capacity),
        `Diagram: ${dotFile}`,
        `         ${svgFile}`,
        "",
        renderPlaceholders(plan.placeholders, args.strict),
        "",
        renderFindings(plan.findings, severityMap()),
        "",
      ].join("\n"),
    );
  }
  const code = planExitCode(plan.findings);
  return code === EXIT.ok && args.strict && plan.placeholders.length > 0 ? EXIT.placeholders : code;
}

if (require.main === module) runCli("plan", main, { oneLine: true });
