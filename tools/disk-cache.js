// A content-addressed cache of text under node_modules/.cache/platform/<namespace>/, for work the
// tools repeat with the same input on every run: transpiling the project's TypeScript (run.js) and
// rendering an unchanged diagram to SVG (tools/plan/diagram.ts). Entries are keyed by a SHA-256 of
// everything the output depends on, so a stale entry is never read; nothing is ever invalidated, and
// deleting the folder is always safe. Plain CommonJS, because run.js needs it before it can load
// TypeScript.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

// PLATFORM_CACHE_DIR moves it (`npm run bench` points it at an empty folder to time cold runs).
const ROOT = process.env.PLATFORM_CACHE_DIR || path.join(__dirname, "..", "node_modules", ".cache", "platform");

/**
 * Switches on Node's compile cache (the V8 bytecode of every module loaded, @pulumi/* included) in
 * this cache's `v8/` folder: a warm run then skips compiling the SDK's few hundred modules, about
 * 15 % of the plan. Node keys entries by file content and Node version and discards stale ones;
 * a Node without the API (before 22.1) simply runs without it.
 */
function enableCompileCache() {
  const Module = require("module");
  if (typeof Module.enableCompileCache === "function") Module.enableCompileCache(path.join(ROOT, "v8"));
}

/** The key for a list of strings (each length-prefixed, so ["ab", "c"] and ["a", "bc"] differ). */
function cacheKey(parts) {
  const hash = crypto.createHash("sha256");
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:`).update(part);
  return hash.digest("hex");
}

function entryPath(namespace, key) {
  return path.join(ROOT, namespace, key);
}

/** The cached text, or undefined. */
function readCache(namespace, key) {
  try {
    return fs.readFileSync(entryPath(namespace, key), "utf8");
  } catch {
    return undefined;
  }
}

/** Stores text; never throws (a read-only checkout just runs without the cache). */
function writeCache(namespace, key, text) {
  const file = entryPath(namespace, key);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Write-then-rename: concurrent runs (the tests spawn several) never read half a file.
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  } catch {
    // ignored: the cache is an optimization only
  }
}

/**
 * The installed version of package `name`, for cache keys. Found by walking up from the package's
 * entry point, since packages may not export their package.json (@viz-js/viz does not).
 */
function packageVersion(name) {
  for (let dir = path.dirname(require.resolve(name)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
      if (pkg.name === name) return pkg.version;
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json of ${name} above ${require.resolve(name)}`);
  }
}

module.exports = { cacheKey, readCache, writeCache, packageVersion, CACHE_ROOT: ROOT, enableCompileCache };
