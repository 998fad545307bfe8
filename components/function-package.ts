import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";

/**
 * Lambda's Node.js runtime runs JavaScript, while function sources live in this repository as
 * TypeScript. Transpiling at deploy time keeps one TypeScript source and no build artifacts to
 * commit or forget to rebuild; the output is deterministic, so unchanged sources give an unchanged
 * archive and no spurious Lambda update.
 */
const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  strict: true,
  esModuleInterop: true,
};

/** Function sources: `*.ts` directly in the folder, without declarations and tests. */
function isFunctionSource(name: string): boolean {
  return name.endsWith(".ts") && !name.endsWith(".d.ts") && !/\.(test|spec)\.ts$/.test(name);
}

/**
 * Transpiles every function source directly in `dir` (not sub-folders, tests or `.d.ts` files)
 * to CommonJS/ES2022 and returns `{ "<basename>.js": javascript }`, sorted by file name.
 *
 * This is transpilation only (`ts.transpileModule`, file by file): it catches syntax errors but
 * not type errors, which the project's `tsc` run checks. Relative imports between files in the
 * folder keep working; imports from sub-folders or npm packages would not be packaged.
 *
 * Throws when the folder has no sources, or naming the file, line and message of any diagnostic.
 */
export function transpileFolder(dir: string): Record<string, string> {
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && isFunctionSource(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) throw new Error(`transpileFolder: no TypeScript sources (*.ts) in ${dir}`);

  const output: Record<string, string> = {};
  for (const name of names) {
    const file = path.join(dir, name);
    const result = ts.transpileModule(fs.readFileSync(file, "utf8"), {
      compilerOptions: COMPILER_OPTIONS,
      fileName: name,
      reportDiagnostics: true,
    });
    const diagnostics = result.diagnostics ?? [];
    if (diagnostics.length > 0) {
      throw new Error(`transpileFolder: cannot transpile ${file}:\n${diagnostics.map((d) => formatDiagnostic(file, d)).join("\n")}`);
    }
    output[`${path.basename(name, ".ts")}.js`] = result.outputText;
  }
  return output;
}

function formatDiagnostic(file: string, diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (diagnostic.file && diagnostic.start !== undefined) {
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `  ${file}:${line + 1}:${character + 1}: TS${diagnostic.code}: ${message}`;
  }
  return `  ${file}: TS${diagnostic.code}: ${message}`;
}

/**
 * The function folder `dir` as a Lambda code archive: its transpiled JavaScript files at the
 * archive root, so `handler.ts` is deployed as `handler.js` (handler string `handler.handler`).
 */
export function packageFunction(dir: string): pulumi.asset.AssetArchive {
  const assets: pulumi.asset.AssetMap = {};
  for (const [name, javascript] of Object.entries(transpileFolder(dir))) {
    assets[name] = new pulumi.asset.StringAsset(javascript);
  }
  return new pulumi.asset.AssetArchive(assets);
}
