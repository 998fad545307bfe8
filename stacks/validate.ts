import { RunError } from "@pulumi/pulumi";

/**
 * Small helpers for reading untyped config with precise error messages. Every problem names the
 * full config key (e.g. `platform:services[1].cpu`), the value found and what is allowed; all
 * problems are collected and thrown together so one run shows everything to fix.
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

export type Raw = Record<string, unknown>;

/** Collects problems while reading one stack's config. */
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

  isObject(value: unknown): value is Raw {
    return typeof value === "object" && value !== null && !Array.isArray(value);
  }

  /** Reads an optional nested object, reporting keys outside `known`. */
  object(key: string, value: unknown, known: readonly string[]): Raw {
    if (value === undefined) return {};
    if (!this.isObject(value)) {
      this.problem(key, value, `must be an object with keys ${known.join(", ")}`);
      return {};
    }
    for (const k of Object.keys(value)) {
      if (!known.includes(k)) this.problem(`${key}.${k}`, value[k], `unknown key; allowed keys are ${known.join(", ")}`);
    }
    return value;
  }

  string(key: string, value: unknown, fallback: string, pattern?: RegExp, allowed?: string): string {
    if (value === undefined) return fallback;
    if (typeof value !== "string" || (pattern && !pattern.test(value))) {
      this.problem(key, value, allowed ?? (pattern ? `must be a string matching ${pattern}` : "must be a string"));
      return fallback;
    }
    return value;
  }

  requiredString(key: string, value: unknown, pattern?: RegExp, allowed?: string): string {
    if (value === undefined || value === "") {
      this.problem(key, value, `is required; ${allowed ?? "a non-empty string"}`);
      return "";
    }
    return this.string(key, value, "", pattern, allowed);
  }

  oneOf<T extends string | number>(key: string, value: unknown, fallback: T, options: readonly T[]): T {
    if (value === undefined) return fallback;
    if (!options.includes(value as T)) {
      this.problem(key, value, `must be one of ${options.join(", ")}`);
      return fallback;
    }
    return value as T;
  }

  boolean(key: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") {
      this.problem(key, value, "must be true or false");
      return fallback;
    }
    return value;
  }

  /** A number in [min, max]; `step` (e.g. 1 for integers, 0.5 for ACUs) is enforced when given. */
  number(key: string, value: unknown, fallback: number, min: number, max: number, step?: number): number {
    if (value === undefined) return fallback;
    const ok =
      typeof value === "number" &&
      Number.isFinite(value) &&
      value >= min &&
      value <= max &&
      (step === undefined || Math.abs(value / step - Math.round(value / step)) < 1e-9);
    if (!ok) {
      const kind = step === 1 ? "an integer" : step ? `a multiple of ${step}` : "a number";
      this.problem(key, value, `must be ${kind} from ${min} to ${max}`);
      return fallback;
    }
    return value as number;
  }

  integer(key: string, value: unknown, fallback: number, min: number, max: number): number {
    return this.number(key, value, fallback, min, max, 1);
  }
}

/**
 * True for a ConfigError from any copy of this module (the test harness reloads the program's
 * modules per stack, so `instanceof` alone would miss errors thrown by a fresh copy).
 */
export function isConfigError(err: unknown): err is ConfigError {
  return err instanceof Error && err.name === "ConfigError" && Array.isArray((err as ConfigError).problems);
}
