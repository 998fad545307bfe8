/**
 * The `template:` block of Pulumi.yaml: what `pulumi new` from this repository prompts for, and
 * that the values it writes (flat keys, strings, as the CLI writes them) reach the settings.
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import * as YAML from "js-yaml";
import { PROJECT_DIR } from "../tools/harness";
import { expectProblem, resolve } from "./config-helpers";

const project = YAML.load(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as any;
const prompts: Record<string, { description?: string; default?: string }> = project.template?.config ?? {};

/** What a user might answer to each prompt, as the string `pulumi new` writes into the stack file. */
const ANSWERS: Record<string, string> = {
  "aws:region": "eu-west-1",
  "platform:environment": "dev",
  "platform:domain": "www.acme.test",
  "platform:edge.hostedZone": "acme.test",
  "platform:observability.alertEmails": '["oncall@acme.test"]',
};

describe("pulumi new template (Pulumi.yaml template:)", () => {
  it("prompts for the domain, the hosted zone and the alert e-mails, each with a description", () => {
    expect(prompts).to.include.keys("platform:domain", "platform:edge.hostedZone", "platform:observability.alertEmails");
    for (const [key, prompt] of Object.entries(prompts)) expect(prompt.description, key).to.be.a("string").that.is.not.empty;
  });

  it("every prompt is answered in this test (a new prompt needs an answer here)", () => {
    expect(Object.keys(ANSWERS).sort()).to.deep.equal(Object.keys(prompts).sort());
  });

  it("the values pulumi new writes reach the settings, over the example stack file's", () => {
    const settings = resolve("dev", (config) => Object.assign(config, ANSWERS));
    expect(settings.domain).to.equal("www.acme.test");
    expect(settings.edge.hostedZone).to.equal("acme.test");
    expect(settings.observability.alertEmails).to.deep.equal(["oncall@acme.test"]);
    expect(settings.region).to.equal("eu-west-1");
  });

  it("a bad answer is named by the key the user typed it for", () => {
    expectProblem("dev", (config) => (config["platform:edge.hostedZone"] = "Not A Zone"), "platform:edge.hostedZone", "Not A Zone");
  });

  it("a dotted key needs its section to be an object", () => {
    expectProblem(
      "dev",
      (config) => {
        config["platform:edge"] = JSON.stringify("oops");
        config["platform:edge.hostedZone"] = "acme.test";
      },
      "platform:edge.hostedZone",
      "acme.test",
    );
  });

  it("defaults, where given, are values the validator accepts", () => {
    const defaults = Object.fromEntries(Object.entries(prompts).flatMap(([k, p]) => (p.default === undefined ? [] : [[k, p.default]])));
    expect(() => resolve("dev", (config) => Object.assign(config, defaults))).to.not.throw();
  });
});
