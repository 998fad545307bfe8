/**
 * Stack files read the way the Pulumi CLI reads them before the program runs: Pulumi.yaml's typed
 * project config merged into the stack's (with the CLI's errors), YAML errors as one line, every
 * value handed over as a string (objects as JSON). Used by the offline tools and by the bootstrap,
 * which reads the platform's stack files to learn each stack's regions. No Pulumi runtime.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "js-yaml";

/** The platform project's folder (Pulumi.yaml and the stack files). */
export const PLATFORM_DIR = path.resolve(__dirname, "..");

/** Thrown when a stack name has no stack file; carries a one-line message. */
export class UnknownStackError extends Error {}

/**
 * Thrown when the stack file breaks a rule the Pulumi CLI applies to typed project config before
 * the program runs; the message is the CLI's own (see `applyProjectConfig`).
 */
export class ProjectConfigError extends Error {}

export function toConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Parses a project or stack file. js-yaml, because the Pulumi SDK loads it anyway (no extra load
 * time for the plan); the core schema, because Pulumi keeps `2025-01-01` a string, not a date.
 */
function parseYaml(file: string): any {
  try {
    return YAML.load(fs.readFileSync(file, "utf8"), { filename: file, schema: YAML.CORE_SCHEMA });
  } catch (err) {
    // One line, `file:line: what`, as the CLI's own YAML errors read; not js-yaml's snippet and trace.
    if (err instanceof YAML.YAMLException) throw new ProjectConfigError(`${path.relative(process.cwd(), file) || file}:${err.mark.line + 1}: ${err.reason}`);
    throw err;
  }
}

/** A `config:` entry of Pulumi.yaml: a plain value, or a declaration with type, items and default. */
interface ConfigDeclaration {
  type?: "string" | "integer" | "boolean" | "array";
  items?: ConfigDeclaration;
  default?: unknown;
  value?: unknown;
}

function declarationOf(entry: unknown): ConfigDeclaration {
  const typed = entry !== null && typeof entry === "object" && !Array.isArray(entry) && ("type" in entry || "default" in entry || "value" in entry);
  return typed ? (entry as ConfigDeclaration) : { value: entry };
}

/** Does `value` (as the stack file holds it) have the declared type? Mirrors the CLI's ValidateConfigValue. */
function hasConfigType(decl: ConfigDeclaration, value: unknown): boolean {
  const text = typeof value === "string" ? value : undefined;
  switch (decl.type) {
    case "string":
      return ["string", "number", "boolean"].includes(typeof value);
    case "integer":
      return Number.isInteger(value) || (text !== undefined && /^-?\d+$/.test(text));
    case "boolean":
      return typeof value === "boolean" || text === "true" || text === "false";
    case "array":
      return Array.isArray(value) && value.every((item) => !decl.items || hasConfigType(decl.items, item));
    default:
      return true;
  }
}

function typeName(decl: ConfigDeclaration): string {
  return decl.type === "array" && decl.items ? `array<${typeName(decl.items)}>` : (decl.type ?? "");
}

/**
 * Merges Pulumi.yaml's project config into a stack's, with the checks the Pulumi CLI makes before
 * the program runs (pulumi/pulumi `sdk/go/common/workspace/validation.go`, `mergeConfig` and
 * `validateStackConfigValues`): a key of the project's namespace declared with neither a default nor
 * a value must be set by the stack ("Stack 'dev' is missing configuration value 'x'"), and a set
 * value of a typed key must have that type ("... must be of type 'integer'"). Without this a stack
 * the CLI refuses would still synthesize here.
 */
export function applyProjectConfig(
  projectName: string,
  stack: string,
  declared: Record<string, unknown>,
  stackValues: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...stackValues };
  const missing: string[] = [];
  for (const key of Object.keys(declared).sort()) {
    const decl = declarationOf(declared[key]);
    const fullKey = key.includes(":") ? key : `${projectName}:${key}`;
    if (fullKey in merged) {
      if (decl.type && !hasConfigType(decl, merged[fullKey]))
        throw new ProjectConfigError(`Stack '${stack}' with configuration key '${key}' must be of type '${typeName(decl)}'`);
      continue;
    }
    const fallback = decl.default ?? decl.value;
    if (fallback !== undefined) merged[fullKey] = fallback;
    else if (fullKey.startsWith(`${projectName}:`)) missing.push(key);
  }
  if (missing.length > 0) {
    const names = missing.map((m) => `'${m}'`);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
    throw new ProjectConfigError(`Stack '${stack}' is missing configuration value${missing.length === 1 ? "" : "s"} ${list}`);
  }
  return merged;
}

/**
 * Reads the project name and the config Pulumi would hand the program for `stack`: Pulumi.yaml from
 * the project, the stack file from `stackDir` (the project too, unless tests point at fixtures).
 */
export function loadStackConfig(stack: string, stackDir = PLATFORM_DIR, projectDir = PLATFORM_DIR): { project: string; config: Record<string, string> } {
  const project = parseYaml(path.join(projectDir, "Pulumi.yaml"));
  const stackFile = path.join(stackDir, `Pulumi.${stack}.yaml`);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack) || !fs.existsSync(stackFile)) {
    const known = fs
      .readdirSync(stackDir)
      .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
      .filter((s): s is string => !!s);
    throw new UnknownStackError(`unknown stack "${stack}": no Pulumi.${stack}.yaml (stacks: ${known.join(", ")})`);
  }
  const stackDoc = parseYaml(stackFile) ?? {};
  const merged = applyProjectConfig(project.name, stack, project.config ?? {}, stackDoc.config ?? {});
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(merged)) config[key] = toConfigString(value);
  return { project: project.name, config };
}
