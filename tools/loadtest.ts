/**
 * `npm run loadtest -- --url <https url> --rate <req/s> --duration <s> [--burst 3x] [--json]`:
 * a steady load (and a burst) against the public site, reporting what proves the load target:
 * latency p50/p90/p99, the achieved rate, errors by status, the share of 429s and the edge cache
 * hit ratio. Options and guards: tools/loadtest/options.ts. It loads no Pulumi SDK.
 */
import { EXIT, UsageError } from "./exit";
import { LOADTEST_USAGE, parseLoadTestArgs } from "./loadtest/options";
import { runLoadTest } from "./loadtest/run";
import { renderReport } from "./loadtest/tally";

async function main(argv: string[]): Promise<number> {
  const options = parseLoadTestArgs(argv);
  const result = await runLoadTest(options, { progress: { write: (line) => process.stderr.write(line), tty: Boolean(process.stderr.isTTY) } });
  process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : renderReport(result.url, result.summary, result.stopped));
  return result.stopped ? EXIT.loadFailed : EXIT.ok;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.stdout.write("", () => process.exit(code)),
    (err: unknown) => {
      const usage = err instanceof UsageError;
      process.stderr.write(`loadtest: ${err instanceof Error ? (usage ? err.message : err.message) : String(err)}\n`);
      if (usage) process.stderr.write(`usage: ${LOADTEST_USAGE}\n`);
      process.stdout.write("", () => process.exit(usage ? EXIT.usage : EXIT.unexpected));
    },
  );
}
