// Runs a TypeScript entry point: `node tools/run.js <file.ts> [args...]`.
//
// `.ts` files are transpiled (no type-checking: `npm test` type-checks) by esbuild, and the output is
// cached on disk under node_modules/.cache, keyed by a hash of the source, the file name, the
// options and the esbuild version. A warm run therefore starts no transpiler at all, which is most
// of the gap between the offline plan and the floor of loading the Pulumi SDK (see `npm run bench`).
// Written by hand because the registers on npm either re-transpile on every run (esbuild-register,
// ts-node) or switch on Node's source-map support for every module loaded, which makes Node read
// and parse the source maps of all of @pulumi/aws (PLATFORM_STACK_TRACES=1 turns source maps on).
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

const SOURCE_MAPS = process.env.PLATFORM_STACK_TRACES === "1";
const OPTIONS = { loader: "ts", format: "cjs", target: "node20", sourcemap: SOURCE_MAPS ? "inline" : false };
const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "platform-ts");
let esbuild; // loaded on the first cache miss only
let esbuildVersion; // read from its package.json, without loading esbuild

function cacheKey(filename, source) {
  esbuildVersion ??= JSON.parse(fs.readFileSync(require.resolve("esbuild/package.json"), "utf8")).version;
  return crypto
    .createHash("sha256")
    .update(JSON.stringify([esbuildVersion, OPTIONS, filename]))
    .update(source)
    .digest("hex");
}

function transpile(filename) {
  const source = fs.readFileSync(filename, "utf8");
  const cached = path.join(CACHE_DIR, `${cacheKey(filename, source)}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    esbuild ??= require("esbuild");
    const { code } = esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename });
    try {
      // Write-then-rename: concurrent runs (the test suite spawns several) never see half a file.
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      const temp = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(temp, code);
      fs.renameSync(temp, cached);
    } catch {
      // A read-only checkout still runs, just without the cache.
    }
    return code;
  }
}

Module._extensions[".ts"] = function loadTypeScript(module, filename) {
  module._compile(transpile(filename), filename);
};
if (SOURCE_MAPS) process.setSourceMapsEnabled(true);

// Run the entry as the main module, so its `require.main === module` check holds.
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node tools/run.js <file.ts> [args...]");
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...args];
Module.runMain();
