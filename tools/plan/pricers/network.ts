/** The network tier of the monthly cost estimate: NAT gateways (from the awsx VPC's strategy and AZs) and their Elastic IPs. */
import type { Pricer } from "../pricing";
import { n, plural } from "../pricing";

export const priceNetwork: Pricer = ({ a, h, add, ofType }) => {
  for (const vpc of ofType("awsx:ec2:Vpc")) {
    const strategy: string = vpc.inputs.natGateways?.strategy ?? "OnePerAz";
    const azs: number = (vpc.inputs.availabilityZoneNames ?? []).length || vpc.inputs.numberOfAvailabilityZones || 0;
    const gateways = strategy === "None" ? 0 : strategy === "Single" ? 1 : azs;
    const how = `${plural(gateways, "NAT gateway")} (${strategy} over ${plural(azs, "AZ")})`;
    add("NAT gateway hours", "nat-gateway-hour", gateways * h, `${how} x ${n(h)} h`);
    add(
      "NAT gateway data processed",
      "nat-gateway-data-gb",
      gateways > 0 ? a.natDataGbPerMonth : 0,
      `${n(a.natDataGbPerMonth)} GB/month assumed through ${how}`,
    );
    add("NAT gateway Elastic IPs", "public-ipv4-address-hour", gateways * h, `1 public IPv4 per NAT gateway: ${gateways} x ${n(h)} h`);
  }
};
