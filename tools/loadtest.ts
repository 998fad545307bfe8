/**
 * `npm run loadtest -- --url <https url> --rate <req/s> --duration <s> [--burst 3x] [--json]`:
 * a steady load (and a burst) against the public site, reporting what proves the load target:
 * latency p50/p90/p99, the achieved rate, errors by status, the share of 429s and the edge cache
 * hit ratio. Options and guards: tools/loadtest/options.ts. It loads no Pulumi SDK.
 */
import { EXIT, UsageError } from "./exit";
import { LOADTEST_USAGE, parseLoadTestArgs } from "./loadtest/options";
import { runLoadTest, TargetError } from "./loadtest/run";
import { renderReport } from "./loadtest/tally";

async function main(argv: string[]): Promise<number> {
  const options = parseLoadTestArgs(argv);
  const result = await runLoadTest(options, { progress: { write: (line) => process.stderr.write(line), tty: Boolean(process.stderr.isTTY) } });
  process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : renderReport(result.url, result.summary, result.stopped));
  // A run that was stopped, got no answer, or mostly failed did not test the target: not a success.
  const t = result.summary.total;
  return result.stopped || t.responses === 0 || t.failedShare >= 0.5 ? EXIT.loadFailed : EXIT.ok;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.stdout.write("", () => process.exit(code)),
    (err: unknown) => {
      const usage = err instanceof UsageError;
      const known = usage || err instanceof TargetError;
      process.stderr.write(`loadtest: ${err instanceof Error ? (known ? err.message : err.stack) : String(err)}\n`);
      if (usage) process.stderr.write(`usage: ${LOADTEST_USAGE}\n`);
      process.stdout.write("", () => process.exit(usage ? EXIT.usage : err instanceof TargetError ? EXIT.loadFailed : EXIT.unexpected));
    },
  );
}
