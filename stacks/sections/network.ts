/** `platform:network`: NAT layout and flow logs (the VPC CIDR and AZs are stack-level keys). */
import { FLOW_LOG_AGGREGATION_SECONDS } from "../aws-limits";
import { oneOf, section, v } from "../schema";
import type { Profiles } from "./environments";

/** NAT gateway layout: one shared gateway (cheap) or one per AZ (no single point of failure). */
export const NAT_LAYOUTS = ["single", "onePerAz"] as const;
export type NatLayout = (typeof NAT_LAYOUTS)[number];

export const networkSchema = section({
  /** NAT layout: `onePerAz` in prod and staging, `single` in dev. */
  natGateways: oneOf(NAT_LAYOUTS),
  /** Aggregation interval of VPC flow logs in seconds (60 or 600). */
  flowLogAggregationSeconds: oneOf(FLOW_LOG_AGGREGATION_SECONDS),
});

export type NetworkSettings = v.InferOutput<typeof networkSchema> & {
  /** IPv4 CIDR of the VPC, e.g. `10.20.0.0/16` (`platform:vpcCidr`). */
  vpcCidr: string;
};

export const NETWORK_DEFAULTS: Profiles<v.InferOutput<typeof networkSchema>> = {
  dev: { natGateways: "single", flowLogAggregationSeconds: 600 },
  staging: { natGateways: "onePerAz", flowLogAggregationSeconds: 600 },
  prod: { natGateways: "onePerAz", flowLogAggregationSeconds: 60 },
};
