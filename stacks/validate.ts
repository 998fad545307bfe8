import { RunError } from "@pulumi/pulumi";

/**
 * Config problems and the error that carries them. Every problem names the full config key (e.g.
 * `platform:services[1].cpu`), the value found and what is allowed; all problems are collected and
 * thrown together so one run shows everything to fix.
 */

export interface ConfigProblem {
  /** Full config key path, e.g. `platform:services[1].cpu`. */
  key: string;
  /** The offending value, rendered as JSON. */
  value: string;
  /** What is allowed instead. */
  allowed: string;
}

/**
 * Thrown before any resource is registered when stack config is invalid. A `RunError`, because
 * Pulumi's Node host prints only the message of one (`log.error(err.message)` in
 * `@pulumi/pulumi/cmd/run/run.js`): one line per problem, no stack trace, no object dump. The stack
 * name lives in `stackName`, which shadows nothing (`stack` would hide `Error#stack`).
 */
export class ConfigError extends RunError {
  constructor(
    public readonly stackName: string,
    public readonly problems: ConfigProblem[],
  ) {
    super(
      `invalid config for stack "${stackName}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.key}: got ${p.value}; ${p.allowed}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

export function render(value: unknown): string {
  if (value === undefined) return "nothing (key missing)";
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** Collects problems while resolving one stack's config, so one run reports all of them. */
export class Checker {
  readonly problems: ConfigProblem[] = [];

  problem(key: string, value: unknown, allowed: string): void {
    this.problems.push({ key, value: render(value), allowed });
  }

  /** Reports a problem unless `ok`; returns `ok`. */
  expect(ok: boolean, key: string, value: unknown, allowed: string): boolean {
    if (!ok) this.problem(key, value, allowed);
    return ok;
  }
}

/**
 * True for a ConfigError from any copy of this module (a program synthesized from another folder,
 * such as a copy of the project in a test, loads its own, so `instanceof` alone would miss it).
 */
export function isConfigError(err: unknown): err is ConfigError {
  return err instanceof Error && err.name === "ConfigError" && Array.isArray((err as ConfigError).problems);
}
