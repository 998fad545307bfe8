/** The documentation lives in the repository: every relative link of a committed Markdown file resolves inside it. */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { PROJECT_DIR } from "../tools/harness";

function markdownFiles(dir: string, found: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (["node_modules", ".git", "plan-out"].includes(entry.name)) continue;
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) markdownFiles(file, found);
    else if (entry.name.endsWith(".md")) found.push(file);
  }
  return found;
}

describe("documentation", () => {
  it("links only to files inside the repository, and every one exists", () => {
    const broken: string[] = [];
    const files = markdownFiles(PROJECT_DIR);
    expect(files.map((f) => path.relative(PROJECT_DIR, f))).to.include.members(["README.md", "docs/architecture.md"]);
    for (const file of files) {
      // Code (fenced or inline) is not prose: a regex like `[a-z](...)` there is no link.
      const text = fs
        .readFileSync(file, "utf8")
        .replace(/```[\s\S]*?```/g, "")
        .replace(/`[^`\n]*`/g, "");
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:|#)/.test(target)) continue;
        const resolved = path.resolve(path.dirname(file), target.split("#")[0]);
        const where = `${path.relative(PROJECT_DIR, file)} -> ${target}`;
        if (!resolved.startsWith(PROJECT_DIR + path.sep)) broken.push(`${where}: outside the repository`);
        else if (!fs.existsSync(resolved)) broken.push(`${where}: no such file`);
      }
    }
    expect(broken).to.deep.equal([]);
  });
});
