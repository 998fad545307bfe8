/** The change review as text for a terminal or Markdown for a PR comment: what stops a review first. */
import type { StackDiff } from "../diff";
import type { PropertyChange, ResourceChange } from "./changes";

const SIGN: Record<ResourceChange["kind"], string> = { replace: "+-", delete: "-", create: "+", update: "~" };
const show = (v: unknown) => (v === undefined ? "(none)" : JSON.stringify(v));
const usd = (n: number) => `${n >= 0 ? "+" : "-"}$${Math.abs(Math.round(n)).toLocaleString("en-US")}`;
const short = (urn: string) => urn.split("::").slice(-1)[0];
const typeOf = (c: ResourceChange) => c.type;

function property(p: PropertyChange): string {
  const note = p.replaces ? "  (forces replacement)" : p.mayReplace ? `  (may force replacement: ${p.mayReplace})` : "";
  return `${p.path}: ${show(p.before)} => ${show(p.after)}${note}`;
}

export function renderDiff(diff: StackDiff, format: "text" | "markdown"): string {
  const md = format === "markdown";
  const lines: string[] = [];
  const heading = (text: string) => lines.push(md ? `### ${text}` : `${text}`);
  const item = (text: string, depth = 0) => lines.push(md ? `${"  ".repeat(depth)}- ${text}` : `${"    ".repeat(depth + 1)}${text}`);
  const code = (text: string) => (md ? `\`${text}\`` : text);

  const counts = (["replace", "delete", "create", "update"] as const).map((k) => `${diff.changes.filter((c) => c.kind === k).length} to ${k}`);
  lines.push(md ? `## ${diff.stack}: ${diff.before.label} -> ${diff.after.label}` : `Stack ${diff.stack}: ${diff.before.label} -> ${diff.after.label}`);
  lines.push(`${counts.join(", ")}${diff.renames.length ? `; ${diff.renames.length} likely rename(s)` : ""}.`);
  if (!diff.before.result) lines.push(`The stack is new: it has no stack file at ${diff.before.label}.`);
  if (!diff.after.result) lines.push("The stack is removed: it has no stack file in the working tree.");
  if (diff.before.deployProblems.length > 0) {
    lines.push("");
    heading(
      `${diff.before.label} would not deploy under this checkout's provider rules (${diff.before.deployProblems.length}); the change is reviewed from it all the same`,
    );
    for (const p of diff.before.deployProblems) item(p);
  }

  if (diff.dataLoss.length > 0) {
    lines.push("");
    heading(`${md ? "⛔ " : ""}Data at risk (${diff.dataLoss.length}): resources that hold data or are protected would be deleted or replaced`);
    for (const c of diff.dataLoss) {
      item(`${c.kind === "update" ? "MAY REPLACE" : c.kind.toUpperCase()} ${code(short(c.urn))} (${typeOf(c)})${c.protect ? ", protected" : ""}`);
      for (const p of c.properties.filter((x) => x.replaces || x.mayReplace)) item(property(p), 1);
    }
  }

  if (diff.renames.length > 0) {
    lines.push("");
    heading("Likely renames (a delete plus a create under Pulumi)");
    for (const r of diff.renames) item(`${code(short(r.from))} -> ${code(short(r.to))} (${r.type}): keep it with ${code(r.alias)}`);
  }

  if (diff.changes.length > 0) {
    lines.push("");
    heading("Changes");
    if (md) lines.push("```diff");
    for (const c of diff.changes) {
      lines.push(`${SIGN[c.kind].padEnd(2)} ${short(c.urn)}  (${c.type})${c.kind === "replace" ? "  [replace]" : ""}`);
      for (const p of c.properties) lines.push(`       ${property(p)}`);
    }
    if (md) lines.push("```");
  }

  lines.push("");
  heading("Policies");
  if (diff.policies.added.length + diff.policies.removed.length === 0) item(`no change (${diff.after.violations.length} violation(s) on both sides)`);
  for (const v of diff.policies.added) item(`added: ${v}`);
  for (const v of diff.policies.removed) item(`removed: ${v}`);

  lines.push("");
  heading("Monthly cost");
  const moved = Object.entries(diff.cost.byTier).filter(([, d]) => Math.abs(d) >= 0.5);
  item(
    `total ${usd(diff.cost.total)} (from $${Math.round(diff.before.costTotal).toLocaleString("en-US")} to $${Math.round(diff.after.costTotal).toLocaleString("en-US")})`,
  );
  for (const [tier, d] of moved) item(`${tier} ${usd(d)}`, 1);
  return lines.join("\n");
}
