/**
 * docs/deploy-review.md covers every resource type the stacks create (and the resources awsx
 * builds inside its VPC component), and names, in each type's section, every provider rule that
 * looks at that type: a new type or a new rule without its review fails here.
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { RESOURCE_RULES } from "../tools/provider/resource-rules";
import { STACK_RULES } from "../tools/provider/stack-rules";
import { PROJECT_DIR } from "../tools/harness";
import { STACKS, synth } from "./helpers";

/** What awsx's `ec2.Vpc` creates in a real deploy (a remote component: mocks build none of them). */
const AWSX_VPC_CHILDREN = [
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/routeTableAssociation:RouteTableAssociation",
  "aws:ec2/route:Route",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/eip:Eip",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
];

function sections(): Map<string, string> {
  const text = fs.readFileSync(path.join(PROJECT_DIR, "docs", "deploy-review.md"), "utf8");
  const found = new Map<string, string>();
  const parts = text.split(/^### `([^`]+)`\s*$/m);
  for (let i = 1; i < parts.length; i += 2) found.set(parts[i], parts[i + 1]);
  return found;
}

describe("docs/deploy-review.md", () => {
  it("has a section for every resource type of both stacks and for what awsx builds", async () => {
    const types = new Set<string>(AWSX_VPC_CHILDREN);
    for (const stack of STACKS) for (const r of (await synth(stack)).resources) if (r.custom || r.type.startsWith("awsx:")) types.add(r.type);
    const documented = sections();
    expect([...types].filter((t) => !documented.has(t)).sort(), "types without a section").to.deep.equal([]);
    for (const [type, body] of documented) {
      expect(body, type).to.match(/[*_]Checked against:[*_]/);
      expect(body, type).to.match(/\*\*Only a real deploy shows:\*\*/);
    }
  });

  it("names, in each type's section, every provider rule that looks at the type", () => {
    const documented = sections();
    const missing: string[] = [];
    for (const rule of [...RESOURCE_RULES, ...STACK_RULES]) {
      for (const type of rule.types) {
        const body = documented.get(type);
        if (body !== undefined && !body.includes(`\`${rule.id}\``)) missing.push(`${type}: ${rule.id}`);
      }
    }
    expect(missing).to.deep.equal([]);
  });
});
