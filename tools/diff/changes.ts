/**
 * What a change does to one stack, from two synthesized graphs: resources matched by URN, then
 * creates, deletes, updates (property by property, JSON documents diffed structurally) and
 * replacements (a change to a property the provider marks ForceNew, tools/diff/replacements.ts).
 * A delete plus a create of the same type with the same inputs is reported as a likely rename,
 * with the `aliases` entry that keeps the resource. Pure: no Pulumi runtime, no git.
 */
import type { SynthResource, SynthResult } from "../harness";
import { isComponent, REPLACEMENTS } from "./replacements";

export const SECRET = "[secret]";

export interface PropertyChange {
  /** Input path, e.g. `policy.Statement[2].Action` (a JSON document's inside after the input name). */
  path: string;
  before?: unknown;
  after?: unknown;
  /** The top-level input is one the provider replaces the resource on. */
  replaces: boolean;
  /** The provider replaces the resource on this input in some cases: when. */
  mayReplace?: string;
}

export type ChangeKind = "create" | "delete" | "update" | "replace";

export interface ResourceChange {
  kind: ChangeKind;
  urn: string;
  type: string;
  name: string;
  /** Changed inputs (updates and replacements), secrets masked. */
  properties: PropertyChange[];
  /** Holds data (REPLACEMENTS' stateful) or is `protect`ed: a delete or replacement is flagged. */
  stateful: boolean;
  protect: boolean;
}

export interface Rename {
  type: string;
  from: string;
  to: string;
  /** The resource option that makes Pulumi treat it as the same resource. */
  alias: string;
}

export interface StackChanges {
  changes: ResourceChange[];
  renames: Rename[];
  /** Deletes and replacements of stateful or protected resources: what must stop a review. */
  dataLoss: ResourceChange[];
}

/** The resource's URN: `urn:pulumi:<stack>::<project>::<parent types $-joined>$<type>::<name>`. */
export function urnOf(result: SynthResult, resource: SynthResource, byKey: Map<string, SynthResource>): string {
  const types: string[] = [resource.type];
  for (let p = resource.parent && byKey.get(resource.parent); p; p = p.parent ? byKey.get(p.parent) : undefined) types.unshift(p.type);
  return `urn:pulumi:${result.stack}::${result.project}::${types.join("$")}::${resource.name}`;
}

function indexed(result: SynthResult): Map<string, SynthResource> {
  const byKey = new Map(result.resources.map((r) => [`${r.type}::${r.name}`, r]));
  return new Map(result.resources.map((r) => [urnOf(result, r, byKey), r]));
}

/** A JSON document held in a string input (policies, container definitions), parsed; else the value. */
function expand(value: unknown): unknown {
  if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Leaves of a value by path; JSON strings are expanded so a policy diffs statement by statement. */
function leaves(value: unknown, path: string, out: Map<string, unknown>): Map<string, unknown> {
  const v = expand(value);
  if (Array.isArray(v)) {
    if (v.length === 0) out.set(path, []);
    v.forEach((item, i) => leaves(item, `${path}[${i}]`, out));
  } else if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) out.set(path, {});
    for (const [k, child] of entries) leaves(child, path ? `${path}.${k}` : k, out);
  } else out.set(path, v);
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Property-level differences of two resources' inputs; secret inputs are compared but never shown. */
export function propertyChanges(before: SynthResource, after: SynthResource): PropertyChange[] {
  const rule = REPLACEMENTS[after.type];
  const keys = [...new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)])].sort();
  const changes: PropertyChange[] = [];
  for (const key of keys) {
    // An ignored property keeps its deployed value: Pulumi sends no change for it.
    if (key === "__defaults" || after.ignoreChanges.includes(key) || same(before.inputs[key], after.inputs[key])) continue;
    // @pulumi/aws v7 gives every resource a `region` input: another region is another resource.
    const movesRegion = key === "region" && after.type.startsWith("aws:");
    const replaces = movesRegion || (!!rule && (rule.replaceOn.includes("*") || rule.replaceOn.includes(key)));
    const when = rule?.mayReplaceOn?.[key];
    const maybe = when && !replaces ? { mayReplace: when } : {};
    if (before.secretInputs.includes(key) || after.secretInputs.includes(key)) {
      changes.push({ path: key, before: key in before.inputs ? SECRET : undefined, after: key in after.inputs ? SECRET : undefined, replaces, ...maybe });
      continue;
    }
    const a = leaves(before.inputs[key], key, new Map());
    const b = leaves(after.inputs[key], key, new Map());
    for (const path of [...new Set([...a.keys(), ...b.keys()])]) {
      if (same(a.get(path), b.get(path))) continue;
      changes.push({ path, before: a.get(path), after: b.get(path), replaces, ...maybe });
    }
  }
  return changes;
}

/** Whether two resources of one type are the same thing under two names: equal inputs once the old name reads as the new. */
function sameButRenamed(before: SynthResource, after: SynthResource): boolean {
  if (before.type !== after.type || isComponent(before.type) !== isComponent(after.type)) return false;
  const renamed = JSON.stringify(before.inputs).split(before.name).join(after.name);
  return renamed === JSON.stringify(after.inputs);
}

const parentName = (r: SynthResource) => r.parent?.split("::").pop();

/** The `aliases` entry that carries `before` over to `after`. */
function aliasFor(before: SynthResource, after: SynthResource): string {
  if (before.name !== after.name) return `aliases: [{ name: "${before.name}" }] on ${after.name}`;
  return `aliases: [{ parent: <the ${parentName(before) ?? "stack"} resource> }] on ${after.name} (it moved from ${parentName(before) ?? "the stack"} to ${parentName(after) ?? "the stack"})`;
}

export function diffStacks(before: SynthResult, after: SynthResult): StackChanges {
  const a = indexed(before);
  const b = indexed(after);
  const changes: ResourceChange[] = [];
  const base = (kind: ChangeKind, urn: string, r: SynthResource, properties: PropertyChange[] = []): ResourceChange => ({
    kind,
    urn,
    type: r.type,
    name: r.name,
    properties,
    stateful: !!REPLACEMENTS[r.type]?.stateful,
    protect: r.protect,
  });
  for (const [urn, r] of a) if (!b.has(urn)) changes.push(base("delete", urn, r));
  for (const [urn, r] of b) {
    const old = a.get(urn);
    if (!old) {
      changes.push(base("create", urn, r));
      continue;
    }
    const properties = propertyChanges(old, r);
    if (properties.length === 0) continue;
    changes.push(base(properties.some((p) => p.replaces) ? "replace" : "update", urn, r, properties));
  }

  // Likely renames: a deleted and a created resource of the same type, equal but for the name.
  const renames: Rename[] = [];
  const created = changes.filter((c) => c.kind === "create").map((c) => ({ change: c, resource: b.get(c.urn)! }));
  for (const deleted of changes.filter((c) => c.kind === "delete")) {
    const old = a.get(deleted.urn)!;
    const match = created.find((c) => sameButRenamed(old, c.resource));
    if (!match) continue;
    created.splice(created.indexOf(match), 1);
    renames.push({ type: old.type, from: deleted.urn, to: match.change.urn, alias: aliasFor(old, match.resource) });
  }

  const order: ChangeKind[] = ["replace", "delete", "create", "update"];
  changes.sort((x, y) => order.indexOf(x.kind) - order.indexOf(y.kind) || x.urn.localeCompare(y.urn));
  // A change that may replace (the provider decides on the values) counts too: the reviewer must look.
  const risky = (c: ResourceChange) => c.kind === "delete" || c.kind === "replace" || c.properties.some((p) => p.mayReplace);
  const dataLoss = changes.filter((c) => risky(c) && (c.stateful || c.protect));
  return { changes, renames, dataLoss };
}
