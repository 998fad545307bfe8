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

/** The keys along an issue's path: `["serverless", "minCapacity"]`, `[1, "cpu"]`. */
function pathOf(issue: v.BaseIssue<unknown>): (string | number)[] {
  return (issue.path ?? []).map((item) => item.key as string | number);
}

/** How `parseSection` stands in for bad keys, so the cross-field rules still run on the rest. */
export interface Repair {
  /**
   * Values for top-level keys that have no default (a service's name, image, port, pathPrefix):
   * used in place of a bad or missing one, so the entry still reaches the rules.
   */
  placeholders?: Raw;
  /** Filled with the paths (`cpu`, `partitionKey.type`) whose value was replaced: rules about them skip the entry (see `isReplaced`). */
  replaced?: Set<string>;
}

/**
 * Validates `raw` (one section as config holds it, possibly partial) merged over `defaults`.
 * Reports every problem, once per key, into `check`. Returns the parsed value; when there were
 * problems, the value the later rules read instead: the section as written with only its bad keys
 * back at their defaults (as the hand-written readers did), so one bad key neither hides the rules
 * on the others nor makes them report on values nobody wrote. Undefined when even that fails.
 */
export function parseSection<S extends v.GenericSchema<unknown, unknown>>(
  check: Checker,
  key: string,
  schema: S,
  raw: unknown,
  defaults: unknown,
  options: Repair = {},
): v.InferOutput<S> | undefined {
  const input = mergeOver(defaults, raw);
  const result = v.safeParse(schema, input, { abortEarly: false });
  if (result.success) return result.output;
  const seen = new Set<string>();
  const report = (at: string, value: unknown, allowed: string) => {
    if (seen.has(at)) return;
    seen.add(at);
    check.problem(at, value, allowed);
  };
  // The value is read from the merged input: an unknown key's value, not its name (valibot's input).
  for (const issue of result.issues) report(keyOfPath(key, pathOf(issue)), valueAt(input, pathOf(issue)), issue.message);
  // valibot's strict objects report only the first unknown key of each object: find them all.
  const unknown = unknownKeys(schema as unknown as Node, input, []);
  for (const path of unknown) report(keyOfPath(key, path), valueAt(input, path), unknownMessage(schema as unknown as Node, path));

  if (!isObject(input)) return undefined;
  let value: unknown = structuredClone(input);
  for (const path of unknown) removeAt(value, path);
  // First each bad key alone (its default, its placeholder, or left out for the schema's default),
  // then, for what still fails, the nearest enclosing key that has a default.
  for (const strategy of [repairLeaf, repairAncestor]) {
    const attempt = v.safeParse(schema, value, { abortEarly: false });
    if (attempt.success) return attempt.output;
    const next = structuredClone(value);
    for (const issue of attempt.issues) {
      const path = pathOf(issue);
      if (path.length === 0) return undefined;
      const replaced = strategy(next, path, defaults, options.placeholders ?? {});
      options.replaced?.add(replaced.join("."));
    }
    value = next;
  }
  const last = v.safeParse(schema, value, { abortEarly: false });
  return last.success ? last.output : undefined;
}

/** Sets the bad key to its default or placeholder, or leaves it out (the schema's default applies); returns its path. */
function repairLeaf(value: unknown, path: (string | number)[], defaults: unknown, placeholders: Raw): (string | number)[] {
  const fallback = path.length === 1 && path[0] in placeholders ? placeholders[path[0]] : valueAt(defaults, path);
  if (fallback !== undefined) setAt(value, path, structuredClone(fallback));
  else removeAt(value, path);
  return path;
}

/** Sets the nearest enclosing key that has a default or placeholder to it (else drops the top key); returns the path replaced. */
function repairAncestor(value: unknown, path: (string | number)[], defaults: unknown, placeholders: Raw): (string | number)[] {
  for (let depth = path.length; depth > 0; depth--) {
    const at = path.slice(0, depth);
    const fallback = depth === 1 && at[0] in placeholders ? placeholders[at[0]] : valueAt(defaults, at);
    if (fallback !== undefined) {
      setAt(value, at, structuredClone(fallback));
      return at;
    }
  }
  removeAt(value, path.slice(0, 1));
  return path.slice(0, 1);
}

/** Was `key` (`partitionKey.name`), or an object holding it, replaced while parsing? */
export function isReplaced(replaced: ReadonlySet<string>, key: string): boolean {
  const parts = key.split(".");
  return parts.some((_, i) => replaced.has(parts.slice(0, i + 1).join(".")));
}

function valueAt(value: unknown, keys: (string | number)[]): unknown {
  return keys.reduce<unknown>((v, k) => (isObject(v) || Array.isArray(v) ? (v as any)[k] : undefined), value);
}

function setAt(value: unknown, keys: (string | number)[], to: unknown): void {
  const parent = valueAt(value, keys.slice(0, -1));
  if (isObject(parent) || Array.isArray(parent)) (parent as any)[keys[keys.length - 1]] = to;
}

function removeAt(value: unknown, keys: (string | number)[]): void {
  const parent = valueAt(value, keys.slice(0, -1));
  if (isObject(parent)) delete parent[keys[keys.length - 1] as string];
  else if (Array.isArray(parent)) parent.splice(Number(keys[keys.length - 1]), 1);
}

/** A valibot schema as data, as far as this module reads it. */
export interface SchemaNode {
  type: string;
  kind?: string;
  pipe?: SchemaNode[];
  requirement?: unknown;
  entries?: Record<string, SchemaNode>;
  item?: SchemaNode;
  value?: SchemaNode;
  wrapped?: SchemaNode;
  options?: (string | number)[];
}
type Node = SchemaNode;

/** The schema an "is an object" pipe ends in (`section` and `mapOf` check that before their object or record). */
export function piped(node: Node): Node {
  const schemas = (node.pipe ?? []).filter((step) => step !== node && step.kind === "schema");
  return node.type === "custom" && schemas.length > 0 ? piped(schemas[schemas.length - 1]) : node;
}

/** The schema behind optional wrappers and "is an object" pipes. */
function inner(node: Node): Node {
  const schema = piped(node);
  return schema.type === "optional" ? inner(schema.wrapped as Node) : schema;
}

/** Paths of every key in `input` that the schema's strict objects do not know. */
function unknownKeys(schema: Node, input: unknown, path: (string | number)[]): (string | number)[][] {
  const node = inner(schema);
  if ((node.type === "strict_object" || node.type === "object") && isObject(input)) {
    return Object.keys(input).flatMap((k) =>
      node.entries && Object.hasOwn(node.entries, k)
        ? unknownKeys(node.entries[k], input[k], [...path, k])
        : node.type === "strict_object"
          ? [[...path, k]]
          : [],
    );
  }
  if (node.type === "array" && node.item && Array.isArray(input)) return input.flatMap((item, i) => unknownKeys(node.item as Node, item, [...path, i]));
  if (node.type === "record" && node.value && isObject(input))
    return Object.keys(input).flatMap((k) => unknownKeys(node.value as Node, input[k], [...path, k]));
  return [];
}

function unknownMessage(schema: Node, path: (string | number)[]): string {
  let node = inner(schema);
  for (const k of path.slice(0, -1)) {
    const next = node.entries?.[k as string] ?? (node.type === "array" ? node.item : node.value);
    if (!next) break;
    node = inner(next);
  }
  return `unknown key; allowed keys are ${Object.keys(node.entries ?? {}).join(", ")}`;
}

function keyOfPath(base: string, path: (string | number)[]): string {
  return path.reduce<string>((key, k) => (typeof k === "number" ? `${key}[${k}]` : `${key}${key.endsWith(":") ? "" : "."}${k}`), base);
}
