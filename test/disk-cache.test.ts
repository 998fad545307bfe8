/** The tools' on-disk cache, the TypeScript runner built on it, and the cached SVG render. */
import { execFileSync } from "child_process";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CACHE_ROOT, cacheKey, packageVersion, readCache, writeCache } from "../tools/disk-cache";
import { renderSvg, renderSvgCached } from "../tools/plan/diagram";
import { PROJECT_DIR } from "../tools/harness";

describe("disk cache", () => {
  it("keys on every part, unambiguously", () => {
    expect(cacheKey(["ab", "c"])).to.not.equal(cacheKey(["a", "bc"]));
    expect(cacheKey(["a", "b"])).to.equal(cacheKey(["a", "b"]));
    expect(cacheKey(["a", "b"])).to.match(/^[0-9a-f]{64}$/);
  });

  it("reads installed package versions, also of packages that do not export their package.json", () => {
    expect(packageVersion("esbuild")).to.equal(require("../package.json").dependencies.esbuild);
    expect(packageVersion("@viz-js/viz")).to.equal(require("../package.json").devDependencies["@viz-js/viz"]);
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

describe("tools/run.js in a fresh clone (empty cache)", () => {
  /** A scratch project holding a copy of the runner, so the runner treats it as the project. */
  function scratchProject(files: Record<string, string>): { dir: string; run: (entry: string) => string; cached: () => string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "run-js-project-"));
    const cache = path.join(dir, "cache");
    fs.mkdirSync(path.join(dir, "tools"));
    for (const name of ["run.js", "register.js", "disk-cache.js"]) fs.copyFileSync(path.join(PROJECT_DIR, "tools", name), path.join(dir, "tools", name));
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const env = { ...process.env, PLATFORM_CACHE_DIR: cache, NODE_PATH: path.join(PROJECT_DIR, "node_modules") };
    return {
      dir,
      run: (entry) =>
        execFileSync(process.execPath, [path.join(dir, "tools", "run.js"), path.join(dir, entry)], {
          encoding: "utf8",
          env,
          stdio: ["ignore", "pipe", "pipe"],
        }),
      cached: () => (fs.existsSync(path.join(cache, "ts")) ? fs.readdirSync(path.join(cache, "ts")) : []),
    };
  }

  it("transpiles every project source on the first miss, in strict mode, skipping tests and declarations", () => {
    const project = scratchProject({
      "tsconfig.json": '{ "compilerOptions": { "strict": true } }\n',
      "main.ts": 'import { n } from "./lib/n";\nconsole.log(n, (function (this: unknown) { return this; })() === undefined);\n',
      "lib/n.ts": "export const n: number = 42;\n",
      "lib/unused.ts": "export const unused = 1;\n",
      "lib/types.d.ts": "export type T = string;\n",
      "test/x.test.ts": "export {};\n",
    });
    try {
      expect(project.run("main.ts")).to.equal("42 true\n");
      expect(project.cached()).to.have.length(3); // main, n and unused; not the declaration or the test
    } finally {
      fs.rmSync(project.dir, { recursive: true, force: true });
    }
  });

  it("keeps Node's compile cache of the modules it loads in the same cache (v8/)", () => {
    const project = scratchProject({ "main.ts": 'import * as yaml from "js-yaml";\nconsole.log(typeof yaml.load);\n' });
    try {
      expect(project.run("main.ts")).to.equal("function\n");
      const v8 = path.join(project.dir, "cache", "v8");
      expect(fs.existsSync(v8) && fs.readdirSync(v8, { recursive: true }).length > 0, "compile cache entries").to.equal(true);
    } finally {
      fs.rmSync(project.dir, { recursive: true, force: true });
    }
  });

  it("is not stopped by a syntax error in a source it does not need, and reports one it does need", () => {
    const project = scratchProject({
      "main.ts": 'console.log("runs");\n',
      "wip.ts": "export const broken = ;\n",
      "uses-wip.ts": 'import "./wip";\n',
    });
    try {
      expect(project.run("main.ts")).to.equal("runs\n");
      expect(() => execFileSyncQuiet(() => project.run("uses-wip.ts"))).to.throw(/wip\.ts:1:\d+[\s\S]*Unexpected ";"/);
    } finally {
      fs.rmSync(project.dir, { recursive: true, force: true });
    }
  });
});

/** Runs `fn`, rethrowing a failed child process as an error carrying its stderr. */
function execFileSyncQuiet(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    throw new Error(String((err as { stderr?: unknown }).stderr ?? err));
  }
}

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
