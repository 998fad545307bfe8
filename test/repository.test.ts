/** Repository files an adopter relies on: the licence and the code owners. */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { PROJECT_DIR } from "../tools/harness";

describe("repository", () => {
  it("is licensed: LICENSE holds the Apache License 2.0 that package.json names", () => {
    const text = fs.readFileSync(path.join(PROJECT_DIR, "LICENSE"), "utf8");
    expect(text).to.include("Apache License").and.include("Version 2.0, January 2004").and.include("END OF TERMS AND CONDITIONS");
    expect(JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")).license).to.equal("Apache-2.0");
  });

  it("CODEOWNERS: every path exists and every rule names an owner", () => {
    const lines = fs
      .readFileSync(path.join(PROJECT_DIR, ".github", "CODEOWNERS"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    expect(lines[0], "the catch-all rule comes first (later rules override it)").to.match(/^\*\s/);
    for (const line of lines) {
      const [pattern, ...owners] = line.split(/\s+/);
      expect(owners, line).to.not.be.empty;
      for (const owner of owners) expect(owner, line).to.match(/^@[\w-]+(\/[\w-]+)?$|^[^@\s]+@[^@\s]+$/);
      if (pattern === "*") continue;
      expect(fs.existsSync(path.join(PROJECT_DIR, pattern)), `${pattern} does not exist`).to.equal(true);
    }
  });
});
