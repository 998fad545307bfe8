// The project's one TypeScript loader, for the tools (`node tools/run.js <file.ts>`) and the tests
// (mocha's `require` in .mocharc.json): requiring this file makes `require()` of a `.ts` file work.
//
// `.ts` files are transpiled by esbuild (no type-checking: `npm test` type-checks), and the output
// is cached (tools/disk-cache.js) by source, file name, options and esbuild version. A warm run so
// starts no transpiler at all, which was ~400 ms of the offline plan (see `npm run bench`). On a
// miss, every project source missing from the cache is transpiled in the same esbuild call, since
// starting esbuild costs more than transpiling the whole project.
// Written by hand because the registers on npm either transpile every file on every run
// (esbuild-register, ts-node) or switch on Node's source-map support for all modules, which makes
// Node read and parse the source map of every @pulumi/aws module loaded. PLATFORM_STACK_TRACES=1
// turns source maps on, for stack traces that point into the TypeScript.
"use strict";
const fs = require("fs");
const Module = require("module");
const path = require("path");
const { cacheKey, packageVersion, readCache, writeCache } = require("./disk-cache");

const PROJECT_DIR = path.resolve(__dirname, "..");
/** Folders left out of the batch a miss transpiles (tests are transpiled as mocha loads them). */
const NOT_SOURCES = new Set(["node_modules", "test", "bin", "docs", "plan-out"]);
/** Inline source maps (and Node's source-map support): on for the tests and PLATFORM_STACK_TRACES=1. */
let sourceMaps = process.env.PLATFORM_STACK_TRACES === "1";
// External maps, inlined by `withSourceMap` below: esbuild's own inline maps name sources relative to
// the virtual output folder, which Node would resolve to paths that do not exist.
const options = () => ({ format: "cjs", platform: "node", target: "node20", sourcemap: sourceMaps ? "external" : false });
/** esbuild's outputs, matched to sources by their path under this virtual folder (nothing is written). */
const FS_ROOT = path.parse(PROJECT_DIR).root;
const OUT_DIR = path.join(PROJECT_DIR, ".transpiled");
let esbuildVersion; // read from its package.json, without loading esbuild

function keyOf(file, source) {
  esbuildVersion ??= packageVersion("esbuild");
  return cacheKey([esbuildVersion, JSON.stringify(options()), file, source]);
}

/** The project's TypeScript sources (not declarations), outside the folders above. */
function projectSources(dir = PROJECT_DIR, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || NOT_SOURCES.has(entry.name)) continue;
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) projectSources(file, found);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) found.push(file);
  }
  return found;
}

/**
 * esbuild, set for one synchronous call per process: by default its sync API starts a worker
 * thread to talk to the esbuild binary, which costs more (~80 ms) than running the binary once.
 * The setting is read when esbuild loads, and only affects its sync API.
 */
function loadEsbuild() {
  const before = process.env.ESBUILD_WORKER_THREADS;
  process.env.ESBUILD_WORKER_THREADS = "0";
  try {
    return require("esbuild");
  } finally {
    if (before === undefined) delete process.env.ESBUILD_WORKER_THREADS;
    else process.env.ESBUILD_WORKER_THREADS = before;
  }
}

/** The output with its source map inlined, the map naming the source by its absolute path. */
function withSourceMap(js, map, file) {
  if (map === undefined) return js;
  const fixed = { ...JSON.parse(map), sources: [file], sourceRoot: "" };
  const body = js.replace(/\n\/\/# sourceMappingURL=.*\n?$/, "\n");
  return `${body}//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(fixed)).toString("base64")}\n`;
}

/**
 * Transpiles `files` (`{ file, key }`) in one esbuild call and caches each output; returns them by
 * file. esbuild reads the project's tsconfig.json, whose `strict` makes it emit "use strict" as tsc does.
 */
function transpileAll(files, logLevel = "warning") {
  const { outputFiles } = loadEsbuild().buildSync({
    ...options(),
    logLevel,
    entryPoints: files.map((f) => f.file),
    outbase: FS_ROOT,
    outdir: OUT_DIR,
    write: false,
  });
  const byPath = new Map(outputFiles.map((o) => [o.path, o.text]));
  const codes = new Map();
  for (const { file, key } of files) {
    const out = path.join(OUT_DIR, path.relative(FS_ROOT, file).replace(/\.ts$/, ".js"));
    const js = byPath.get(out);
    if (js === undefined) throw new Error(`tools/run.js: esbuild returned no output for ${file}`);
    const code = withSourceMap(js, byPath.get(`${out}.map`), file);
    writeCache("ts", key, code);
    codes.set(file, code);
  }
  return codes;
}

function transpile(filename) {
  const key = keyOf(filename, fs.readFileSync(filename, "utf8"));
  const cached = readCache("ts", key);
  if (cached !== undefined) return cached;
  const misses = [{ file: filename, key }];
  if (filename.startsWith(PROJECT_DIR + path.sep)) {
    for (const file of projectSources()) {
      if (file === filename) continue;
      const other = keyOf(file, fs.readFileSync(file, "utf8"));
      if (readCache("ts", other) === undefined) misses.push({ file, key: other });
    }
  }
  if (misses.length > 1) {
    try {
      return transpileAll(misses, "silent").get(filename);
    } catch {
      // Some other source does not compile (work in progress?): that must not stop this run, so
      // transpile only the file asked for, which reports its own errors if it has any.
    }
  }
  return transpileAll([misses[0]]).get(filename);
}

Module._extensions[".ts"] = function loadTypeScript(module, filename) {
  module._compile(transpile(filename), filename);
};
if (sourceMaps) process.setSourceMapsEnabled(true);

module.exports = {
  /**
   * Stack traces that point into the TypeScript: inline source maps from here on, and Node's
   * source-map support (which then also reads the maps of every SDK module it loads: slower, so
   * the tools leave it off unless PLATFORM_STACK_TRACES=1, and the tests turn it on).
   */
  enableSourceMaps() {
    sourceMaps = true;
    process.setSourceMapsEnabled(true);
  },
};
