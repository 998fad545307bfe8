/**
 * `npm run diff -- --stack <name> [--against <git-ref>] [--markdown | --json]`: what a commit does to
 * a stack, offline. Synthesizes the stack at the ref (a temporary git worktree that uses this
 * checkout's node_modules) and in the working tree, in one run, and reports replacements of
 * stateful resources first, then deletes, creates and updates property by property, likely renames
 * with the alias that keeps them, the policy verdicts the change adds or removes, and the monthly
 * cost delta per tier. Exits EXIT.dataLoss (6) when a resource that holds data, or is protected, would
 * be deleted or replaced. The ref defaults to the merge base with origin/main.
 * `--against-dir <dir>` compares with another checkout instead of a ref.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { allPolicies } from "../policies/rules";
import type { Settings } from "../stacks";
import { EXIT, parseStackArgs, runCli, UsageError } from "./cli";
import { diffStacks, StackChanges } from "./diff/changes";
import { renderDiff } from "./diff/render";
import { loadStackConfig, PROJECT_DIR, SynthResult, synthesize } from "./harness";
import { estimateCost, TIERS } from "./plan/cost";
import { fromSynth, runPack } from "./policy-runner";

export interface Side {
  /** The ref or directory this side was synthesized from. */
  label: string;
  /** Absent when the stack has no stack file there (the change adds it). */
  result?: SynthResult;
  violations: string[];
  /** The base only: what the provider rules of this checkout say would stop it deploying (a rule newer than the base). */
  deployProblems: string[];
  costByTier: Record<string, number>;
  costTotal: number;
}

export interface StackDiff extends StackChanges {
  stack: string;
  before: Side;
  after: Side;
  /** Mandatory and advisory findings, as `policy: message`, that only one side has. */
  policies: { added: string[]; removed: string[] };
  /** Monthly USD, after minus before, per tier and in total. */
  cost: { byTier: Record<string, number>; total: number };
}

interface DiffArgs {
  stack: string;
  format: "text" | "markdown" | "json";
  against?: string;
  againstDir?: string;
}

export function parseArgs(argv: string[]): DiffArgs {
  const markdown = argv.includes("--markdown");
  const { stack, json, values } = parseStackArgs(
    argv.filter((a) => a !== "--markdown"),
    ["--against", "--against-dir"],
    "--stack <name> [--against <git-ref> | --against-dir <dir>] [--markdown | --json]",
  );
  if (markdown && json) throw new UsageError("--markdown and --json exclude each other");
  if (values["--against"] && values["--against-dir"]) throw new UsageError("--against and --against-dir exclude each other");
  return {
    stack,
    format: json ? "json" : markdown ? "markdown" : "text",
    against: values["--against"],
    againstDir: values["--against-dir"] && path.resolve(values["--against-dir"]),
  };
}

const git = (args: string[], cwd = PROJECT_DIR) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

/** The default ref: where this branch left origin/main (HEAD itself when there is no origin/main). */
function defaultRef(): string {
  try {
    return git(["merge-base", "HEAD", "origin/main"]);
  } catch {
    return "HEAD";
  }
}

/** A checkout of `ref` in a temporary worktree, using this checkout's installed packages; removed by `done`. */
function worktreeOf(ref: string): { dir: string; done: () => void } {
  let sha: string;
  try {
    sha = git(["rev-parse", "--verify", `${ref}^{commit}`]);
  } catch {
    throw new UsageError(`--against ${ref}: not a commit in this repository`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-diff-"));
  git(["worktree", "add", "--detach", "--quiet", dir, sha]);
  fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"), "dir");
  return {
    dir,
    done: () => {
      try {
        git(["worktree", "remove", "--force", dir]);
      } catch {
        fs.rmSync(dir, { recursive: true, force: true });
        git(["worktree", "prune"]);
      }
    },
  };
}

/** One side: synthesized with that side's program and config, judged by this checkout's pack and prices. */
async function sideOf(stack: string, dir: string, label: string, base: boolean): Promise<Side> {
  if (!fs.existsSync(path.join(dir, `Pulumi.${stack}.yaml`))) return { label, violations: [], deployProblems: [], costByTier: {}, costTotal: 0 };
  const { project, config } = loadStackConfig(stack, dir, dir);
  // That side's own validator: its config is read by its own schema.
  const settings = (require(path.join(dir, "stacks")) as typeof import("../stacks")).resolveSettings({ project, stack, config }) as Settings;
  // The base may predate a provider rule of this checkout: it is reviewed all the same, its problems listed.
  const result = await synthesize({ stack, projectDir: dir, deployProblems: base ? "report" : "throw" });
  const findings = await runPack(allPolicies, fromSynth(result, config));
  const cost = estimateCost(result, settings, {});
  return {
    label,
    result,
    violations: findings.map((f) => `${f.level} ${f.policy}: ${f.message}`),
    deployProblems: (result.deployProblems ?? []).map((v) => `${v.resource}: ${v.message} [${v.rule}]`),
    costByTier: cost.tiers,
    costTotal: cost.totalMonthlyUsd,
  };
}

const EMPTY = (stack: string, project: string): SynthResult => ({ project, stack, resources: [], invokes: [], outputs: {} });

export async function buildDiff(stack: string, beforeDir: string, beforeLabel: string, afterDir = PROJECT_DIR): Promise<StackDiff> {
  const before = await sideOf(stack, beforeDir, beforeLabel, true);
  const after = await sideOf(stack, afterDir, "working tree", false);
  const project = (after.result ?? before.result)?.project ?? "platform";
  if (!before.result && !after.result) throw new UsageError(`unknown stack "${stack}": no Pulumi.${stack}.yaml on either side`);
  const changes = diffStacks(before.result ?? EMPTY(stack, project), after.result ?? EMPTY(stack, project));
  const byTier = Object.fromEntries(TIERS.map((t) => [t, (after.costByTier[t] ?? 0) - (before.costByTier[t] ?? 0)]));
  return {
    stack,
    ...changes,
    before,
    after,
    policies: {
      added: after.violations.filter((v) => !before.violations.includes(v)),
      removed: before.violations.filter((v) => !after.violations.includes(v)),
    },
    cost: { byTier, total: after.costTotal - before.costTotal },
  };
}

export function diffExitCode(diff: StackDiff): number {
  if (diff.dataLoss.length > 0) return EXIT.dataLoss;
  if (diff.after.violations.some((v) => v.startsWith("mandatory "))) return EXIT.policyViolations;
  return EXIT.ok;
}

/** JSON output: the diff without the synthesized graphs. */
export function diffJson(diff: StackDiff): unknown {
  const side = (s: Side) => ({
    label: s.label,
    exists: !!s.result,
    violations: s.violations,
    deployProblems: s.deployProblems,
    costByTier: s.costByTier,
    costTotal: s.costTotal,
  });
  return { ...diff, before: side(diff.before), after: side(diff.after) };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  let diff: StackDiff;
  if (args.againstDir) {
    diff = await buildDiff(args.stack, args.againstDir, args.againstDir);
  } else {
    const ref = args.against ?? defaultRef();
    const tree = worktreeOf(ref);
    try {
      diff = await buildDiff(args.stack, tree.dir, ref);
    } finally {
      tree.done();
    }
  }
  process.stdout.write(args.format === "json" ? `${JSON.stringify(diffJson(diff), null, 2)}\n` : `${renderDiff(diff, args.format)}\n`);
  return diffExitCode(diff);
}

if (require.main === module) runCli("diff", main);
