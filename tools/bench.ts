/**
 * `npm run bench`: how long the offline plan of prod takes, against the floor of any offline run:
 * a fresh Node process that only loads @pulumi/pulumi and @pulumi/aws. Each is run several times in
 * fresh processes, interleaved so that a busy moment of the machine hits all of them; the medians
 * and their ratio are printed (target: plan <= 2x the floor).
 *
 * The plan is timed warm (the tools' disk cache holds the transpiled TypeScript, the rendered
 * diagram and Node's compile cache of every module, as on every run after the first on a machine)
 * and cold (an empty cache each run, as on the first run after a fresh clone). The floor is also
 * timed with the warm compile cache, for comparison. A benchmark, not a test: numbers depend on the machine.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "./harness";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function timeRun(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: PROJECT_DIR, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0 && !(run.status === 1 && run.stdout.includes('"mandatory"'))) {
    throw new Error(`${args.join(" ")} failed (${run.status}): ${run.stderr.slice(0, 500)}`);
  }
  return ms;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): void {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "platform-bench-"));
  const floorArgs = ["-e", "require('@pulumi/pulumi'); require('@pulumi/aws')"];
  // The same floor with the plan's V8 compile cache (warm), printed for comparison: the target is
  // against the plain floor, and this line shows how much of the warm plan's gain is that cache.
  const cachedFloorArgs = ["-e", "require('./tools/disk-cache').enableCompileCache(); require('@pulumi/pulumi'); require('@pulumi/aws')"];
  const planArgs = [path.join("tools", "run.js"), path.join("tools", "plan.ts"), "--stack", "prod", "--json", "--out", out];
  const coldEnv = (i: number) => ({ ...process.env, PLATFORM_CACHE_DIR: path.join(out, `cold-cache-${i}`) });
  timeRun(floorArgs); // warm the file-system cache once for all, and the tools' cache for warm runs
  timeRun(planArgs);
  timeRun(cachedFloorArgs);
  const floor: number[] = [];
  const cachedFloor: number[] = [];
  const warm: number[] = [];
  const cold: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      floor.push(timeRun(floorArgs));
      cachedFloor.push(timeRun(cachedFloorArgs));
      warm.push(timeRun(planArgs));
      cold.push(timeRun(planArgs, coldEnv(i)));
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
  const f = median(floor);
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const row = (label: string, runs: number[]) => `${label.padEnd(46)}${fmt(median(runs))}  [${runs.map(fmt).join(", ")}]`;
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${RUNS} runs each (medians)`);
  console.log(row("floor (load @pulumi/pulumi + @pulumi/aws):", floor));
  console.log(row("floor with the V8 compile cache:", cachedFloor));
  console.log(row("plan --stack prod, warm cache:", warm));
  console.log(row("plan --stack prod, cold cache (fresh clone):", cold));
  // Rounds are paired (floor, warm and cold back to back), so the median of per-round ratios is the
  // steadier figure on a machine whose speed drifts; the ratio of medians is printed next to it.
  const paired = (runs: number[]) => median(runs.map((ms, i) => ms / floor[i])).toFixed(2);
  console.log(`ratio, median of rounds: ${paired(warm)}x warm, ${paired(cold)}x cold (target <= 2x)`);
  console.log(`ratio of medians:        ${(median(warm) / f).toFixed(2)}x warm, ${(median(cold) / f).toFixed(2)}x cold`);
}

if (require.main === module) main();
