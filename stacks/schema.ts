/**
 * The building blocks of the config schemas (`stacks/sections/`), on valibot. Each helper gives a
 * field one message that says what is allowed, so a problem reads `<key>: got <value>; <allowed>`
 * whatever check failed; `parseSection` merges a section's raw config over its profile defaults,
 * validates it and turns valibot's issues into problems naming the full config key.
 *
 * valibot rather than zod: it infers the same types and reports the same paths, and it loads in
 * about 6 ms where zod 4 takes about 50 ms, which matters for a plan held within 2x the SDK's load.
 */
import * as v from "valibot";
import type { Checker } from "./validate";

/**
 * valibot, for the section modules. They import it from here: the TypeScript loader (esbuild)
 * wraps every `import * as` of a CommonJS package in a copy of its ~700 exports, about 1 ms per
 * importing module, which the plan's load time notices.
 */
export { v };

/** `allowed`, prefixed with "is required; " when the key is missing. */
function message(allowed: string): (issue: v.BaseIssue<unknown>) => string {
  return (issue) => (issue.input === undefined ? `is required; ${allowed}` : allowed);
}

/** An integer in [min, max]. */
export function int(min: number, max: number, allowed = `must be an integer from ${min} to ${max}`) {
  const m = message(allowed);
  return v.pipe(v.number(m), v.integer(m), v.minValue(min, m), v.maxValue(max, m));
}

/** A number in [min, max], optionally a multiple of `step`. */
export function num(min: number, max: number, step?: number) {
  const m = message(`must be ${step ? `a multiple of ${step}` : "a number"} from ${min} to ${max}`);
  const base = v.pipe(v.number(m), v.finite(m), v.minValue(min, m), v.maxValue(max, m));
  return step === undefined ? base : v.pipe(base, v.multipleOf(step, m));
}

/** One of `options`, which are the type. */
export function oneOf<const T extends readonly (string | number)[]>(options: T, allowed = `must be one of ${options.join(", ")}`) {
  return v.picklist(options, message(allowed));
}

export function bool() {
  return v.boolean(message("must be true or false"));
}

/** A string matching `pattern`; `allowed` says what that means. */
export function str(pattern: RegExp, allowed: string) {
  const m = message(allowed);
  return v.pipe(v.string(m), v.regex(pattern, m));
}

/** A list of at most `max` distinct (case-insensitively) strings matching `pattern`. */
export function nameList(pattern: RegExp, max: number, allowed: string) {
  const m = message(allowed);
  return v.pipe(
    v.array(v.string(m), m),
    v.maxLength(max, m),
    v.check((list) => list.every((s) => pattern.test(s)) && new Set(list.map((s) => s.toLowerCase())).size === list.length, m),
  );
}

/**
 * A config object. An unknown key is an error naming the keys it allows; a missing key without a
 * default gets its field's own message ("is required; ..."), which valibot would otherwise report
 * with the object's.
 */
export function section<const E extends v.ObjectEntries>(entries: E) {
  const keys = Object.keys(entries).join(", ");
  // valibot's object schemas take a list for an object with no keys; config must write an object.
  const notObject = message(`must be an object with keys ${keys}`);
  return v.pipe(
    v.custom<Record<string, unknown>>(isObject, notObject),
    v.strictObject(entries, (issue) => {
      if (issue.expected === "never") return `unknown key; allowed keys are ${keys}`;
      const missing = issue.path?.[issue.path.length - 1]?.key;
      if (issue.input === undefined && typeof missing === "string" && Object.hasOwn(entries, missing))
        return v.safeParse(entries[missing], undefined).issues?.[0]?.message ?? "is required";
      return `must be an object with keys ${keys}`;
    }),
  );
}

/** A map of name -> value (e.g. table grants), every value checked by `value`. */
export function mapOf<S extends v.GenericSchema<unknown, unknown>>(value: S, allowed: string) {
  // valibot's record() takes a list for an empty map; config must write a map.
  const m = message(allowed);
  return v.pipe(v.custom<Record<string, unknown>>(isObject, m), v.record(v.string(), value, m));
}

export type Raw = Record<string, unknown>;

export function isObject(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `raw` over `defaults`, key by key, nested objects merged too (lists are replaced whole). */
export function mergeOver(defaults: unknown, raw: unknown): unknown {
  if (raw === undefined) return defaults;
  if (!isObject(raw) || !isObject(defaults)) return raw;
  const out: Raw = { ...defaults };
  for (const [key, value] of Object.entries(raw)) out[key] = mergeOver(defaults[key], value);
  return out;
}

/** The full config key of an issue: `platform:database` + `serverless.minCapacity`, `[1].cpu`. */
function keyOf(base: string, issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? []).reduce(
    (key, item) => (typeof item.key === "number" ? `${key}[${item.key}]` : `${key}${key.endsWith(":") ? "" : "."}${String(item.key)}`),
    base,
  );
}

/** The value at an issue's path, read from the merged input (an unknown key's value, not its name). */
function valueOf(input: unknown, issue: v.BaseIssue<unknown>): unknown {
  let value = input;
  for (const item of issue.path ?? []) value = isObject(value) || Array.isArray(value) ? (value as any)[item.key as any] : undefined;
  return value;
}

/**
 * Validates `raw` (one section as config holds it, possibly partial) merged over `defaults`.
 * Reports every problem, once per key, into `check`; returns the parsed value, or undefined when
 * there was a problem (callers fall back to the defaults so later rules still have something
 * well-formed to read).
 */
export function parseSection<S extends v.GenericSchema<unknown, unknown>>(
  check: Checker,
  key: string,
  schema: S,
  raw: unknown,
  defaults: unknown,
): v.InferOutput<S> | undefined {
  const input = mergeOver(defaults, raw);
  const result = v.safeParse(schema, input, { abortEarly: false });
  if (result.success) return result.output;
  const seen = new Set<string>();
  for (const issue of result.issues) {
    const at = keyOf(key, issue);
    if (seen.has(at)) continue;
    seen.add(at);
    check.problem(at, valueOf(input, issue), issue.message);
  }
  // What the later rules read: the section as written with only its bad keys back at their
  // defaults (as the hand-written readers did), so one bad key neither hides the rules on the
  // others nor makes them report on values nobody wrote. Undefined when even that does not parse.
  const repaired = repair(input, defaults, result.issues);
  const second = repaired === undefined ? undefined : v.safeParse(schema, repaired, { abortEarly: false });
  return second?.success ? second.output : undefined;
}

/** `input` with each issue's key set back to its default (or removed where there is none). */
function repair(input: unknown, defaults: unknown, issues: readonly v.BaseIssue<unknown>[]): unknown {
  if (!isObject(input)) return undefined;
  const out = structuredClone(input);
  for (const issue of issues) {
    const keys = (issue.path ?? []).map((item) => item.key as string | number);
    if (keys.length === 0) return undefined;
    // The deepest key on the path that has a default takes it; with none, the top key goes.
    let depth = keys.length;
    while (depth > 0 && valueAt(defaults, keys.slice(0, depth)) === undefined) depth--;
    const target = keys.slice(0, Math.max(depth, 1));
    const parent = valueAt(out, target.slice(0, -1)) as any;
    if (parent === undefined || parent === null || typeof parent !== "object") continue;
    const last = target[target.length - 1];
    if (depth > 0) parent[last] = structuredClone(valueAt(defaults, target));
    else if (Array.isArray(parent)) return undefined;
    else delete parent[last];
  }
  return out;
}

function valueAt(value: unknown, keys: (string | number)[]): unknown {
  return keys.reduce<unknown>((v, k) => (isObject(v) || Array.isArray(v) ? (v as any)[k] : undefined), value);
}
