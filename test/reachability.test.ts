/**
 * Network reachability of the flows, from the synthesized security groups and rules (a pure
 * function: tools/fidelity/reachability.ts): every path the platform needs is open, every path it
 * must not have is closed, and a broken or over-open rule is reported with the path.
 */
import { expect } from "chai";
import { networkOf } from "../tools/fidelity/reachability";
import { MOCK_CLOUDFRONT_PREFIX_LIST, SynthResult } from "../tools/harness";
import { pathsFor, reachabilityProblems } from "./invariants";
import { ofType, settingsOf, STACKS, synth, T } from "./helpers";

for (const stack of STACKS) {
  describe(`network reachability (${stack})`, () => {
    const settings = settingsOf(stack);
    const paths = pathsFor(settings);

    it("opens every path the flows need and none they must not have", async () => {
      expect(paths.length).to.be.greaterThan(15);
      expect(reachabilityProblems(await synth(stack), paths, settings.namePrefix)).to.deep.equal([]);
    });

    it("admits no address range into any group: every ingress names a group or CloudFront's prefix list", async () => {
      expect(networkOf(await synth(stack), settings.namePrefix, MOCK_CLOUDFRONT_PREFIX_LIST).cidrIngress()).to.deep.equal([]);
    });

    it("names the path when a grant's rule is missing", async () => {
      const result: SynthResult = structuredClone(await synth(stack));
      const granted = settings.services.find((s) => s.access.database)!;
      result.resources = result.resources.filter((r) => !(r.type === T.ingress && r.name === `${granted.name}-svc-to-database`));
      expect(reachabilityProblems(result, paths, settings.namePrefix)).to.deep.equal([
        `service:${granted.name} -> database:5432 must be open (${granted.name} declares access.database): no ingress rule of database (database-sg-id) admits service:${granted.name} on TCP 5432`,
      ]);
    });

    it("names the path when a rule opens too much", async () => {
      const result: SynthResult = structuredClone(await synth(stack));
      const cacheGroup = ofType(result, T.sg).find((g) => g.name === "cache-sg")!;
      const open = structuredClone(ofType(result, T.ingress)[0]);
      Object.assign(open, {
        name: "cache-from-anywhere",
        inputs: { securityGroupId: cacheGroup.id, ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "0.0.0.0/0" },
      });
      result.resources.push(open);
      expect(reachabilityProblems(result, paths, settings.namePrefix)).to.include(
        "alb -> cache:6379 must be closed (only granted services reach the data tier), but it is open",
      );
    });
  });
}
