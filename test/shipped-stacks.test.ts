/**
 * The shipped stack files are the adopter's to edit: tests over them assert only what holds for any
 * valid config (see test/invariants.ts). Tests that need exact values use test/fixtures/. The last
 * test makes the edits every adopter makes first (domain, hosted zone, e-mails, images, a renamed
 * service, an added one) to a copy of the prod stack and checks the same invariants still hold.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { coveredTypes, resourceTypes } from "../tools/policy-coverage";
import * as YAML from "js-yaml";
import { resolveSettings } from "../stacks";
import { loadStackConfig, PROJECT_DIR } from "../tools/harness";
import { mandatoryViolations, multiAzProblems, stackProblems } from "./invariants";
import { fixture, fixtureSettings, settingsOf, STACKS, synth, synthWith } from "./helpers";

describe("shipped stack files", () => {
  it("include dev, staging and prod", () => {
    expect(STACKS).to.include.members(["dev", "staging", "prod"]);
  });

  for (const stack of STACKS) {
    const settings = settingsOf(stack);
    it(`${stack}: synthesizes with no mandatory policy violation, and every type it creates is in the policy coverage table`, async () => {
      const result = await synth(stack);
      expect(await mandatoryViolations(result, loadStackConfig(stack).config)).to.deep.equal([]);
      const covered = new Set(coveredTypes());
      expect(
        resourceTypes(result).filter((t) => !covered.has(t)),
        "types missing from docs/policy-coverage.md: npm run policy-coverage",
      ).to.deep.equal([]);
    });
    // An idle standby is Multi-AZ but for what its switch sizes (test/standby.test.ts activates it).
    if (settings.environment === "prod" && !(settings.standby && !settings.standby.active))
      it(`${stack}: is Multi-AZ everywhere`, async () => {
        expect(multiAzProblems(await synth(stack), settings)).to.deep.equal([]);
      });
  }

  it("the Multi-AZ check finds a stack that is not (the dev fixture: one NAT gateway, one task, one cache node)", async () => {
    expect(multiAzProblems(await fixture("dev"), fixtureSettings("dev"))).to.include.members(["a NAT gateway per AZ", "cache failover"]);
  });

  it("staging has prod's shape (Multi-AZ, a reader, failover) but is destroyable", async () => {
    const staging = settingsOf("staging");
    expect(multiAzProblems(await synth("staging"), staging)).to.deep.equal([]);
    expect(staging.retention.name).to.equal("destroy");
    expect(staging.domain).to.not.equal(settingsOf("prod").domain);
    expect(staging.auth.domainPrefix).to.not.equal(settingsOf("prod").auth.domainPrefix);
  });
});

describe("an adopter's first edits to the prod stack file", function () {
  this.timeout(120_000);
  let dir: string;
  let names: string[];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-adopter-"));
    const doc = YAML.load(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8"), { schema: YAML.CORE_SCHEMA }) as any;
    const c = doc.config;
    c["platform:domain"] = "www.acme-retail.io";
    c["platform:edge"] = { ...c["platform:edge"], hostedZone: "acme-retail.io" };
    c["platform:observability"] = { ...c["platform:observability"], alertEmails: ["oncall@acme-retail.io"] };
    c["platform:auth"] = { ...c["platform:auth"], domainPrefix: "acme-retail-prod" };
    const services: any[] = c["platform:services"];
    for (const s of services) s.image = s.image.replace(/^public\.ecr\.aws\/example\//, "registry.acme-retail.io/team/");
    // A renamed service and an added one, under names and paths no shipped service uses; the added
    // one reads the cache when the stack has one.
    const taken = (name: string) => services.some((s) => s.name === name || s.pathPrefix === `/${name}`);
    const fresh = (base: string) => [base, ...Array.from({ length: 9 }, (_, i) => `${base}${i + 2}`)].find((n) => !taken(n))!;
    const renamed = fresh("accounts");
    // Renaming a service renames the calls to it too (the validator names any it would miss).
    for (const s of services) s.calls = (s.calls ?? []).map((callee: string) => (callee === services[0].name ? renamed : callee));
    services[0].name = renamed;
    const added = fresh("search");
    const cache = c["platform:cache"]?.enabled !== false;
    services.push({ name: added, image: `registry.acme-retail.io/team/${added}:3.2.0`, port: 9000, pathPrefix: `/${added}`, minTasks: 2, access: { cache } });
    names = [renamed, added];
    fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), YAML.dump(doc));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("keep every invariant of the shipped stack", async () => {
    const { project, config } = loadStackConfig("prod", dir);
    const settings = resolveSettings({ project, stack: "prod", config });
    expect(settings.services.map((s) => s.name)).to.include.members(names);
    const result = await synthWith("prod", {}, dir);
    expect(await stackProblems(result, settings, config)).to.deep.equal([]);
  });
});
