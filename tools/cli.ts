/** What the command-line tools (synth, plan) share: `--stack` argument parsing and error endings. */
import { isConfigError } from "../stacks/validate";
import { ProjectConfigError, UnknownStackError } from "./harness";
import { isDeployRuleError } from "./provider/rules";
import { EXIT, UsageError } from "./exit";

export { EXIT, UsageError };

export interface StackArgs {
  stack: string;
  json: boolean;
  /** Values of the tool's own `--flag <value>` options, by flag. */
  values: Record<string, string>;
}

/** Parses `--stack <name>` (or `--stack=<name>`, `-s`), `--json` and the tool's value flags. */
export function parseStackArgs(argv: string[], valueFlags: string[], usage: string): StackArgs {
  const args: StackArgs = { stack: "", json: false, values: {} };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--json") args.json = true;
    else if (flag === "--stack" || flag === "-s") args.stack = value();
    else if (valueFlags.includes(flag)) args.values[flag] = value();
    else throw new UsageError(`unknown argument "${argv[i]}" (use ${usage})`);
  }
  if (!args.stack) throw new UsageError("missing --stack <name>");
  return args;
}

/** The exit code and the message a failure ends with. */
export function failure(tool: string, err: unknown, options: { oneLine?: boolean } = {}): { code: number; message: string } {
  if (isConfigError(err))
    return { code: EXIT.config, message: `${tool}: ${options.oneLine ? err.message.split("\n").join(" ").replace(/\s+/g, " ") : err.message}` };
  if (err instanceof ProjectConfigError) return { code: EXIT.config, message: `${tool}: ${err.message}` };
  if (err instanceof UnknownStackError || err instanceof UsageError) return { code: EXIT.usage, message: `${tool}: ${err.message}` };
  if (isDeployRuleError(err)) return { code: EXIT.wouldNotDeploy, message: `${tool}: ${err.message}` };
  return { code: EXIT.unexpected, message: `${tool}: unexpected failure: ${err instanceof Error ? err.stack : String(err)}` };
}

/**
 * Runs a tool's main and exits with its code. Known failures (bad arguments, unknown stack, bad
 * config, a stack AWS would refuse) end with a clear message and their own exit code (EXIT); anything
 * else is a bug and keeps its trace. `oneLine` folds a multi-problem config error onto one line.
 */
export function runCli(tool: string, main: () => Promise<number>, options: { oneLine?: boolean } = {}): void {
  main().then(
    (code) => exitAfterOutput(code),
    (err: unknown) => {
      const { code, message } = failure(tool, err, options);
      process.stderr.write(`${message}\n`);
      exitAfterOutput(code);
    },
  );
}

/**
 * Exits with `code` once everything written to stdout and stderr has been handed to the OS. Writes
 * to a pipe are asynchronous, so exiting at once would cut `plan --json | jq` at the pipe's buffer
 * size (64 KiB). Exiting explicitly (not just setting the code) still matters: the SDK and esbuild
 * may hold handles open.
 */
function exitAfterOutput(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}
