/** The whole pack: its shape, our own stacks against it, and misconfigurations it must catch. */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { allPolicies, POLICIES_BY_CONCERN, RULES } from "../../policies/rules";
import { loadStackConfig } from "../../tools/harness";
import { policyTable } from "../../tools/policy-table";
import { fixture, FIXTURE_DIR, STACKS, synth } from "../helpers";
import { Fixture, fromSynth, runPack } from "../../tools/policy-runner";

type StackFixture = Fixture & { name: string; dependsOn: Record<string, string[]> };

async function fixturesOf(stack: string): Promise<StackFixture[]> {
  return fromSynth(await fixture(stack), loadStackConfig(stack, FIXTURE_DIR).config);
}

describe("policy pack", () => {
  it("has at least 40 uniquely named rules, each with a description, severity, level and concern", () => {
    const names = allPolicies.map((p) => p.name);
    expect(names.length).to.be.at.least(40);
    expect(new Set(names).size, "names are unique").to.equal(names.length);
    for (const p of allPolicies) {
      expect(p.description, p.name).to.be.a("string").with.length.above(10);
      expect(p.enforcementLevel, p.name).to.be.oneOf(["mandatory", "advisory"]);
      expect(p.severity, p.name).to.be.oneOf(["low", "medium", "high", "critical"]);
      expect(p.configSchema?.properties, p.name).to.have.property("requiredTags");
    }
    expect(Object.keys(POLICIES_BY_CONCERN)).to.deep.equal(["encryption", "network", "iam", "reliability", "tagging"]);
    expect(RULES.map((r) => r.name).sort()).to.deep.equal([...names].sort());
  });

  for (const stack of ["dev", "prod"]) {
    it(`passes the synthesized ${stack} stack with no mandatory violation`, async () => {
      const findings = await runPack(allPolicies, await fixturesOf(stack));
      const mandatory = findings.filter((f) => f.level === "mandatory");
      expect(mandatory.map((f) => `${f.policy}: ${f.message}`)).to.deep.equal([]);
      const advisory = findings.filter((f) => f.level === "advisory");
      if (advisory.length)
        console.log(`      advisory findings on ${stack} (${advisory.length}):\n${advisory.map((f) => `        - ${f.policy}: ${f.message}`).join("\n")}`);
    });
  }

  it("hands each policy only its own block of the pack config, and its enforcement level", async () => {
    const fixtures = await fixturesOf("dev");
    const costCenter = { "required-tags": { requiredTags: ["CostCenter"] } };
    const strict = await runPack(allPolicies, fixtures, { packConfig: costCenter });
    const tagged = strict.filter((f) => f.level === "mandatory");
    expect(tagged.length).to.be.greaterThan(50);
    expect([...new Set(tagged.map((f) => f.policy))]).to.deep.equal(["required-tags"]);
    const advisory = await runPack(allPolicies, fixtures, {
      packConfig: { "required-tags": { ...costCenter["required-tags"], enforcementLevel: "advisory" } },
    });
    expect(advisory.filter((f) => f.policy === "required-tags").every((f) => f.level === "advisory")).to.equal(true);
    const off = await runPack(allPolicies, fixtures, { packConfig: { "required-tags": { ...costCenter["required-tags"], enforcementLevel: "disabled" } } });
    expect(off.filter((f) => f.policy === "required-tags")).to.deep.equal([]);
  });

  for (const stack of STACKS)
    it(`passes the shipped ${stack} stack with the example config (pulumi preview --policy-pack-config policies/config.example.json)`, async () => {
      const example = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policies", "config.example.json"), "utf8"));
      const findings = await runPack(allPolicies, fromSynth(await synth(stack), loadStackConfig(stack).config), { packConfig: example });
      expect(findings.filter((f) => f.level === "mandatory").map((f) => `${f.policy}: ${f.message}`)).to.deep.equal([]);
    });

  it("ships an example config whose keys are real policies and settings", () => {
    const example = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policies", "config.example.json"), "utf8"));
    for (const [name, settings] of Object.entries<Record<string, unknown>>(example)) {
      const policy = allPolicies.find((p) => p.name === name);
      expect(policy, name).to.not.equal(undefined);
      for (const key of Object.keys(settings)) {
        if (key !== "enforcementLevel") expect(policy!.configSchema!.properties, `${name}.${key}`).to.have.property(key);
      }
    }
  });

  it("documents every rule in the README table, in sync with the code", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    expect(readme).to.contain(policyTable());
  });
});

describe("policy pack: remediation", () => {
  it("gives every policy the SDK's remediationSteps, naming the config key where one sets the property", () => {
    for (const p of allPolicies) expect(p.remediationSteps, p.name).to.be.a("string").and.not.equal("");
    const backups = allPolicies.find((p) => p.name === "database-backup-retention")!;
    expect(backups.remediationSteps).to.contain("platform:database.backupRetentionDays");
  });
});

describe("the policy pack as a package of its own", () => {
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", file), "utf8"));

  it("has a lockfile for its own install, pinned to the SDKs the repository tests it with", () => {
    const pack = read("policies/package.json");
    const lock = read("policies/package-lock.json");
    const root = read("package.json");
    expect(lock.name).to.equal(pack.name);
    expect(lock.packages[""].dependencies).to.deep.equal(pack.dependencies);
    for (const dep of ["@pulumi/policy", "@pulumi/pulumi"]) {
      const tested = root.dependencies[dep] ?? root.devDependencies[dep];
      expect(pack.dependencies[dep], dep).to.equal(tested);
      expect(lock.packages[`node_modules/${dep}`].version, `${dep} in policies/package-lock.json`).to.equal(tested);
    }
  });
});
