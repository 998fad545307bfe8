/**
 * Reads the config schema (`CONFIG_SCHEMA`, valibot) as data: every leaf key with what it allows.
 * Tests use it to generate configs at the boundaries of what the validator accepts and to check the
 * README's configuration reference against the schema, so neither restates an allowed value.
 */
import { CONFIG_SCHEMA } from "../stacks";
import { piped, SchemaNode } from "../stacks/schema";

export interface Leaf {
  /** Path under `platform:`, lists as `[]`: `database.serverless.minCapacity`, `services[].cpu`. */
  path: string;
  kind: "picklist" | "boolean" | "number" | "string" | "map" | "list" | "unknown";
  /** Allowed values of a picklist. */
  options?: readonly (string | number)[];
  min?: number;
  max?: number;
  /** A number that must be a multiple of this (1 for integers). */
  step?: number;
  /** The key may be left out (it then has its default, or is absent). */
  optional: boolean;
}

type Node = SchemaNode;

/** Every validation action of a (possibly nested) pipe. */
function actions(node: Node): Node[] {
  return (node.pipe ?? []).flatMap((step) => (step === node ? [] : step.pipe ? actions(step) : [step]));
}

function walk(start: Node, path: string, optional: boolean, out: Leaf[]): void {
  const node = piped(start);
  if (node.type === "optional") return walk(node.wrapped as Node, path, true, out);
  if (node.type === "strict_object" || node.type === "object") {
    for (const [key, child] of Object.entries(node.entries ?? {})) walk(child, path ? `${path}.${key}` : key, false, out);
    return;
  }
  const item = node.item && piped(node.item);
  if (node.type === "array" && item && (item.type === "strict_object" || item.type === "object")) return walk(item, `${path}[]`, optional, out);
  const leaf: Leaf = { path, kind: "unknown", optional };
  const checks = actions(start).concat(start === node ? [] : actions(node));
  const requirement = (type: string) => checks.find((a) => a.type === type)?.requirement as number | undefined;
  switch (node.type) {
    case "picklist":
      Object.assign(leaf, { kind: "picklist", options: node.options });
      break;
    case "boolean":
      leaf.kind = "boolean";
      break;
    case "number":
      Object.assign(leaf, {
        kind: "number",
        min: requirement("min_value"),
        max: requirement("max_value"),
        step: checks.some((a) => a.type === "integer") ? 1 : requirement("multiple_of"),
      });
      break;
    case "string":
      leaf.kind = "string";
      break;
    case "record":
      leaf.kind = "map";
      break;
    case "array":
      leaf.kind = "list";
      break;
  }
  out.push(leaf);
}

/** Every leaf key of the config schema, in schema order. */
export function configLeaves(): Leaf[] {
  const out: Leaf[] = [];
  for (const [key, schema] of Object.entries(CONFIG_SCHEMA)) walk(schema as unknown as Node, key, false, out);
  return out;
}
