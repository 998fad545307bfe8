/**
 * `npm run synth -- --stack <name> [--json]`: runs the real program for one stack under the mock
 * harness (no Pulumi CLI, no AWS credentials) and prints the resources as a tree of components
 * with their children, counts per type, and the stack outputs.
 */
import { parseStackArgs, runCli } from "./cli";
import { SynthResource, SynthResult, synthesize } from "./harness";

/** Renders the synthesized stack as text: a component tree, counts per type, outputs. */
export function renderText(result: SynthResult): string {
  const lines: string[] = [];
  const custom = result.resources.filter((r) => r.custom);
  lines.push(`Stack ${result.project}/${result.stack}: ${custom.length} resources in ${result.resources.length - custom.length} components`);
  lines.push("");
  const children = new Map<string | undefined, SynthResource[]>();
  for (const r of result.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const walk = (parent: string | undefined, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      const flags = [r.protect ? "protected" : "", r.custom ? "" : "component"].filter(Boolean);
      // `+` as in `pulumi preview`: every resource of an offline plan is one a first deploy creates.
      lines.push(`${"  ".repeat(depth)}+ ${r.name}  (${r.type})${flags.length ? `  [${flags.join(", ")}]` : ""}`);
      walk(`${r.type}::${r.name}`, depth + 1);
    }
  };
  walk(undefined, 0);
  lines.push("", "Resources per type:");
  const counts = new Map<string, number>();
  for (const r of custom) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  for (const [type, count] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    lines.push(`  ${String(count).padStart(3)}  ${type}`);
  }
  lines.push("", "Outputs:");
  for (const [name, value] of Object.entries(result.outputs)) {
    lines.push(`  ${name}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  return lines.join("\n");
}

async function main(): Promise<number> {
  const args = parseStackArgs(process.argv.slice(2), [], "--stack <name> [--json]");
  const result = await synthesize({ stack: args.stack });
  if (args.json) {
    const resources = result.resources.map(({ state: _state, ...r }) => r);
    process.stdout.write(JSON.stringify({ ...result, resources }, null, 2) + "\n");
  } else {
    process.stdout.write(renderText(result) + "\n");
  }
  return 0;
}

if (require.main === module) runCli("synth", main);
