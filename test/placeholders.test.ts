/** Example values a real deploy would fail on: warnings in the plan, errors with --strict. */
import { expect } from "chai";
import { placeholders } from "../tools/plan/placeholders";
import { EXIT } from "../tools/cli";
import { resolveWith } from "./config-helpers";
import { fixtureSettings, runTool } from "./helpers";

describe("placeholders", () => {
  it("finds every kind of example value the shipped stacks carry", () => {
    const keys = placeholders(fixtureSettings("prod")).map((p) => p.key);
    for (const key of [
      "platform:domain",
      "platform:edge.hostedZone",
      "platform:observability.alertEmails[0]",
      "platform:delivery.connectionArn",
      "platform:services[0].image",
      "platform:services[0].pipeline.repository",
    ])
      expect(keys, key).to.include(key);
  });

  it("finds nothing once an adopter has put in their own values", () => {
    const settings = resolveWith("prod", {
      "platform:domain": "shop.acme-retail.io",
      "platform:edge": { hostedZone: "acme-retail.io", healthCheckPath: "/users/health" },
      "platform:observability": { alertEmails: ["oncall@acme-retail.io"] },
      "platform:delivery": {
        sourceProvider: "CodeStarSourceConnection",
        connectionArn: "arn:aws:codeconnections:eu-west-1:210987654321:connection/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
      },
      "platform:services": [
        {
          name: "user",
          image: "210987654321.dkr.ecr.eu-west-1.amazonaws.com/user:1.4.2",
          port: 8080,
          pathPrefix: "/users",
          minTasks: 2,
          pipeline: { repository: "acme/user" },
        },
      ],
    });
    expect(placeholders(settings)).to.deep.equal([]);
  });

  it("warns in the plan and fails it with --strict", async function () {
    this.timeout(60_000);
    const warned = await runTool("plan", ["--stack", "dev"]);
    expect(warned.code).to.equal(EXIT.ok);
    expect(warned.stdout).to.match(/Placeholders \(\d+\): replace before a real deploy/);
    const strict = await runTool("plan", ["--stack", "dev", "--strict"]);
    expect(strict.code).to.equal(EXIT.placeholders);
  });
});
