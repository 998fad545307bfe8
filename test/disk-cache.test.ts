/** The tools' on-disk cache, the TypeScript runner built on it, and the cached SVG render. */
import { execFileSync } from "child_process";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CACHE_ROOT, cacheKey, readCache, writeCache } from "../tools/disk-cache";
import { renderSvg, renderSvgCached } from "../tools/plan/diagram";
import { PROJECT_DIR } from "../tools/harness";

describe("disk cache", () => {
  it("keys on every part, unambiguously", () => {
    expect(cacheKey(["ab", "c"])).to.not.equal(cacheKey(["a", "bc"]));
    expect(cacheKey(["a", "b"])).to.equal(cacheKey(["a", "b"]));
    expect(cacheKey(["a", "b"])).to.match(/^[0-9a-f]{64}$/);
  });

  it("reads back what it wrote, and nothing for an unknown key", () => {
    const key = cacheKey(["disk-cache test", String(process.pid), String(Date.now())]);
    expect(readCache("test", key)).to.equal(undefined);
    writeCache("test", key, "cached text");
    expect(readCache("test", key)).to.equal("cached text");
    fs.rmSync(path.join(CACHE_ROOT, "test", key));
  });
});

describe("tools/run.js", () => {
  it("runs TypeScript, and re-transpiles a file whose source changed", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "run-js-"));
    try {
      const file = path.join(dir, "entry.ts");
      const run = () => execFileSync(process.execPath, [path.join(PROJECT_DIR, "tools", "run.js"), file, "arg"], { encoding: "utf8" });
      fs.writeFileSync(file, 'const word: string = "first";\nconsole.log(word, process.argv[2], require.main === module);\n');
      expect(run()).to.equal("first arg true\n");
      expect(run()).to.equal("first arg true\n"); // from the cache
      fs.writeFileSync(file, 'const word: string = "second";\nconsole.log(word, process.argv[2], require.main === module);\n');
      expect(run()).to.equal("second arg true\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("cached SVG render", () => {
  it("gives exactly what Graphviz renders, and keeps it for the same DOT", async () => {
    const dot = `digraph cache_test_${process.pid}_${Date.now()} { a -> b }`;
    const fresh = await renderSvg(dot);
    expect(await renderSvgCached(dot)).to.equal(fresh);
    const entries = fs.readdirSync(path.join(CACHE_ROOT, "svg")).map((f) => fs.readFileSync(path.join(CACHE_ROOT, "svg", f), "utf8"));
    expect(entries).to.include(fresh);
    expect(await renderSvgCached(dot)).to.equal(fresh);
  });
});
