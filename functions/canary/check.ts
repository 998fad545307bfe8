/**
 * The canaries' script (CloudWatch Synthetics, a browserless Node.js runtime): GET each step's URL
 * in order and fail the run at the first answer that is not 2xx or 3xx, or that does not come in
 * time. Synthetics publishes the run's SuccessPercent and Duration; a thrown error is a failed run.
 * It uses Node's own HTTPS client, which verifies the certificate, and no Synthetics library, so
 * the same file runs under the tests and on any of the runtime's versions.
 */
import * as http from "http";
import * as https from "https";

export interface Step {
  name: string;
  url: string;
  /** Accept 2xx only (a health check: a redirect there is a sign-in page or an error page, not health). */
  only2xx?: boolean;
}

export interface StepResult {
  name: string;
  url: string;
  status: number;
  ms: number;
}

/** One GET; resolves with the status (the body is drained, not kept), rejects on error or after `timeoutMs`. */
export function get(url: string, timeoutMs: number, userAgent: string): Promise<number> {
  const client = new URL(url).protocol === "http:" ? http : https;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { timeout: timeoutMs, headers: { "user-agent": userAgent } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}

/** Runs the steps in order; throws naming the step, the URL and what went wrong at the first failure. */
export async function runSteps(steps: Step[], timeoutMs: number, userAgent: string, log: (line: string) => void = console.log): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of steps) {
    const started = Date.now();
    let status: number;
    try {
      status = await get(step.url, timeoutMs, userAgent);
    } catch (err) {
      throw new Error(`step ${step.name}: GET ${step.url} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const result = { name: step.name, url: step.url, status, ms: Date.now() - started };
    log(JSON.stringify(result));
    const ceiling = step.only2xx ? 300 : 400;
    if (status < 200 || status >= ceiling) throw new Error(`step ${step.name}: GET ${step.url} answered ${status}, not ${step.only2xx ? "2xx" : "2xx or 3xx"}`);
    results.push(result);
  }
  return results;
}

/** The steps and the per-step timeout, from the canary's environment (set by components/synthetic-checks.ts). */
export function stepsFromEnvironment(env: NodeJS.ProcessEnv): { steps: Step[]; timeoutMs: number; userAgent: string } {
  const steps = JSON.parse(env.CANARY_STEPS ?? "[]") as Step[];
  if (!Array.isArray(steps) || steps.length === 0 || !steps.every((s) => typeof s.name === "string" && /^https?:\/\//.test(s.url)))
    throw new Error(`CANARY_STEPS must be a JSON list of {name, url}, got ${env.CANARY_STEPS}`);
  return { steps, timeoutMs: Number(env.CANARY_STEP_TIMEOUT_MS ?? 10000), userAgent: env.CANARY_USER_AGENT ?? "platform-canary" };
}

export async function handler(): Promise<StepResult[]> {
  const { steps, timeoutMs, userAgent } = stepsFromEnvironment(process.env);
  return runSteps(steps, timeoutMs, userAgent);
}
