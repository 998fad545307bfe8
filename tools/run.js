// Runs a TypeScript entry point: `node tools/run.js <file.ts> [args...]`, with the project's
// TypeScript loader (tools/register.js).
"use strict";
const Module = require("module");
const path = require("path");
// First, so the modules loaded below (the SDK's included) come from the compile cache.
require("./disk-cache").enableCompileCache();
require("./register");

// Run the entry as the main module, so its `require.main === module` check holds.
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node tools/run.js <file.ts> [args...]");
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...args];
Module.runMain();
