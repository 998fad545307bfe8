/**
 * Which installed npm packages a function's archive carries (pure but for reading
 * `node_modules`): also used by the config validator, so a function whose native build is missing
 * is refused as config, naming the key, before anything is synthesized.
 */
import * as fs from "fs";
import * as path from "path";

/** Where the project's npm packages are installed. */
export const NODE_MODULES = path.join(__dirname, "..", "node_modules");

/** The CPU name npm uses for a Lambda architecture. */
export const NPM_CPU = { arm64: "arm64", x86_64: "x64" } as const;
export type LambdaArchitecture = keyof typeof NPM_CPU;

interface PackageJson {
  name: string;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** Does a package run on Lambda (Linux, glibc) with this CPU? Packages that declare nothing run anywhere. */
function runsOn(pkg: PackageJson, cpu: string): boolean {
  return (!pkg.os || pkg.os.includes("linux")) && (!pkg.cpu || pkg.cpu.includes(cpu)) && (!pkg.libc || pkg.libc.includes("glibc"));
}

/**
 * The installed packages a function's archive needs: `packages` and their dependencies, with the
 * optional (native) ones built for Lambda's Linux on `architecture`. Hand-written because npm
 * resolves for the machine it runs on, not for Lambda's: a native package whose build for the
 * function's CPU is not installed fails here, at deploy time, naming the command that installs it,
 * rather than in Lambda at the first invocation.
 */
export function packageClosure(packages: string[], architecture: LambdaArchitecture, root = NODE_MODULES): { name: string; dir: string }[] {
  const cpu = NPM_CPU[architecture];
  const found = new Map<string, string>();
  const read = (name: string): PackageJson | undefined => {
    const file = path.join(root, name, "package.json");
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson) : undefined;
  };
  const visit = (name: string, optional: boolean) => {
    if (found.has(name)) return;
    const pkg = read(name);
    if (!pkg) {
      if (optional) return;
      throw new Error(`function package: ${name} is not installed (npm install --save-exact ${name})`);
    }
    if (!runsOn(pkg, cpu)) {
      if (optional) return;
      throw new Error(`function package: ${name} does not run on Lambda's linux-${cpu}`);
    }
    found.set(name, path.join(root, name));
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, false);
    const natives = Object.keys(pkg.optionalDependencies ?? {}).filter((dep) => dep.includes(`linux-${cpu}`) && !dep.includes("musl"));
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) visit(dep, true);
    const missing = natives.filter((dep) => !found.has(dep));
    if (missing.length > 0)
      throw new Error(
        `function package: ${name} needs its native build for Lambda's linux-${cpu}, which is not installed: npm install --no-save --os=linux --cpu=${cpu} ${missing.join(" ")}`,
      );
  };
  for (const name of packages) visit(name, false);
  return [...found].map(([name, dir]) => ({ name, dir })).sort((a, b) => (a.name < b.name ? -1 : 1));
}
