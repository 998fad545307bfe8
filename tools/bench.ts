/**
 * `npm run bench`: how long the offline plan of prod takes, against the floor of any offline run:
 * a fresh Node process that only loads @pulumi/pulumi and @pulumi/aws. Each is run several times in
 * fresh processes; the medians and their ratio are printed (target: plan <= 2x the floor).
 * A benchmark, not a test: numbers depend on the machine.
 */
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "./harness";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function timeRun(args: string[]): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: PROJECT_DIR, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
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
  const out = path.join(os.tmpdir(), "platform-bench");
  const floorArgs = ["-e", "require('@pulumi/pulumi'); require('@pulumi/aws')"];
  const planArgs = [path.join("tools", "run.js"), path.join("tools", "plan.ts"), "--stack", "prod", "--json", "--out", out];
  timeRun(floorArgs); // warm the file-system cache once for both
  timeRun(planArgs);
  const floor: number[] = [];
  const plan: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    floor.push(timeRun(floorArgs));
    plan.push(timeRun(planArgs));
  }
  const f = median(floor);
  const p = median(plan);
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${RUNS} runs each (medians)`);
  console.log(`floor (load @pulumi/pulumi + @pulumi/aws): ${fmt(f)}  [${floor.map(fmt).join(", ")}]`);
  console.log(`plan --stack prod:                       ${fmt(p)}  [${plan.map(fmt).join(", ")}]`);
  console.log(`ratio: ${(p / f).toFixed(2)}x (target <= 2x)`);
}

if (require.main === module) main();
