import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Message, transform, TransformOptions } from "esbuild";

/**
 * Lambda's Node.js runtime runs JavaScript, while function sources live in this repository as
 * TypeScript. Transpiling at deploy time keeps one TypeScript source and no build artifacts to
 * commit or forget to rebuild; the output is deterministic, so unchanged sources give an unchanged
 * archive and no spurious Lambda update. esbuild does it natively, without loading the TypeScript
 * compiler, and its asynchronous API does it in esbuild's own process, so the program goes on
 * registering resources meanwhile (the synchronous API would block it for ~100 ms on every run).
 */
// The banner keeps strict mode, which ES modules have and CommonJS output would otherwise lose.
const TRANSFORM: TransformOptions = { loader: "ts", format: "cjs", target: "node22", charset: "utf8", banner: '"use strict";' };

/** Function sources: `*.ts` directly in the folder, without declarations and tests. */
function isFunctionSource(name: string): boolean {
  return name.endsWith(".ts") && !name.endsWith(".d.ts") && !/\.(test|spec)\.ts$/.test(name);
}

/** Function sources directly in `dir`, sorted by name; throws when there are none. */
function functionSources(dir: string): string[] {
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && isFunctionSource(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) throw new Error(`transpileFolder: no TypeScript sources (*.ts) in ${dir}`);
  return names;
}

async function transpileFile(file: string): Promise<string> {
  try {
    return (await transform(fs.readFileSync(file, "utf8"), { ...TRANSFORM, sourcefile: path.basename(file) })).code;
  } catch (err) {
    const errors: Message[] = (err as { errors?: Message[] }).errors ?? [];
    if (errors.length === 0) throw err;
    throw new Error(`transpileFolder: cannot transpile ${file}:\n${errors.map((e) => formatMessage(file, e)).join("\n")}`);
  }
}

/**
 * Transpiles every function source directly in `dir` (not sub-folders, tests or `.d.ts` files)
 * to CommonJS/ES2022, resolving to `{ "<basename>.js": javascript }`, sorted by file name.
 *
 * This is transpilation only (esbuild, file by file): it catches syntax errors but
 * not type errors, which the project's `tsc` run checks. Relative imports between files in the
 * folder keep working; imports from sub-folders or npm packages would not be packaged.
 *
 * Throws at once when the folder has no sources; rejects naming the file, line and message of any
 * diagnostic.
 */
export function transpileFolder(dir: string): Promise<Record<string, string>> {
  const names = functionSources(dir);
  return Promise.all(names.map((name) => transpileFile(path.join(dir, name)))).then((outputs) =>
    Object.fromEntries(names.map((name, i) => [`${path.basename(name, ".ts")}.js`, outputs[i]])),
  );
}

function formatMessage(file: string, message: Message): string {
  const at = message.location ? `:${message.location.line}:${message.location.column + 1}` : "";
  return `  ${file}${at}: ${message.text}`;
}

/**
 * The function folder `dir` as a Lambda code archive: its transpiled JavaScript files at the
 * archive root, so `handler.ts` is deployed as `handler.js` (handler string `handler.handler`).
 */
export function packageFunction(dir: string): pulumi.asset.AssetArchive {
  // An archive's assets may be a promise: the engine awaits it when it serializes the function.
  const assets = transpileFolder(dir).then((files) => {
    const map: pulumi.asset.AssetMap = {};
    for (const [name, javascript] of Object.entries(files)) map[name] = new pulumi.asset.StringAsset(javascript);
    return map;
  });
  return new pulumi.asset.AssetArchive(assets);
}
