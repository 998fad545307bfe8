import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Message, transform, TransformOptions } from "esbuild";
import { LambdaArchitecture, NODE_MODULES, packageClosure } from "./package-closure";

export { NODE_MODULES, NPM_CPU, packageClosure } from "./package-closure";
export type { LambdaArchitecture } from "./package-closure";

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

/** Every file under `dir` (no nested node_modules), as paths relative to it, sorted. */
function filesUnder(dir: string, prefix = ""): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .filter((e) => !(e.isDirectory() && e.name === "node_modules"))
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, path.join(prefix, e.name)) : e.isFile() ? [path.join(prefix, e.name)] : []))
    .sort();
}

/** The archive paths of a function's packages (`node_modules/<name>/<file>`) and the files they come from. */
export function packageFiles(packages: string[], architecture: LambdaArchitecture, root = NODE_MODULES): Record<string, string> {
  const files: Record<string, string> = {};
  for (const { name, dir } of packageClosure(packages, architecture, root))
    for (const file of filesUnder(dir)) files[path.posix.join("node_modules", name, file.split(path.sep).join("/"))] = path.join(dir, file);
  return files;
}

/**
 * The function folder `dir` as a Lambda code archive: its transpiled JavaScript files at the
 * archive root, so `handler.ts` is deployed as `handler.js` (handler string `handler.handler`),
 * and the npm `packages` it imports under `node_modules/`, built for `architecture`.
 */
export function packageFunction(dir: string, packages: string[] = [], architecture: LambdaArchitecture = "arm64"): pulumi.asset.AssetArchive {
  // Checked now, so a missing native build fails the deploy with one line.
  const dependencies = packageFiles(packages, architecture);
  // An archive's assets may be a promise: the engine awaits it when it serializes the function.
  const assets = transpileFolder(dir).then((files) => {
    const map: pulumi.asset.AssetMap = {};
    for (const [name, javascript] of Object.entries(files)) map[name] = new pulumi.asset.StringAsset(javascript);
    for (const [name, file] of Object.entries(dependencies)) map[name] = new pulumi.asset.FileAsset(file);
    return map;
  });
  return new pulumi.asset.AssetArchive(assets);
}
