/**
 * `platform:standby`: this stack is the DR region of another stack (its "primary"), at pilot-light
 * size until `active` is set. Every other setting is read from the primary's stack file, so each
 * value lives in one place; the standby's own file holds only what differs by region.
 */
import { bool, section, str, v } from "../schema";

export const standbySchema = section({
  /** The stack whose DR region this is, e.g. `prod` (no default); its `disasterRecovery.region` is this stack's `aws:region`. */
  primaryStack: str(/^[A-Za-z0-9_.-]+$/, "the name of the primary stack, e.g. prod"),
  /** The switch. false: pilot light (the floors below); true: the primary's task counts, scaling limits, database and cache sizes. */
  active: bool(),
});
export type StandbyConfig = v.InferOutput<typeof standbySchema>;
export const STANDBY_DEFAULTS: Pick<StandbyConfig, "active"> = { active: false };

/** Keys a standby stack sets itself (besides `aws:region`); every other `platform:` key comes from the primary. */
export const STANDBY_OWN_KEYS: readonly string[] = ["standby", "availabilityZones", "vpcCidr", "environment", "domain"];

/**
 * The pilot light: what the DR region runs while the primary serves. Small enough to cost little,
 * big enough to answer the reads CloudFront fails over to it and to keep the data warm.
 */
export const PILOT_LIGHT = {
  /** Every service runs one task (failover reads, health checks); autoscaling may grow it to the primary's floor. */
  minTasks: 1,
  /**
   * One Serverless v2 instance in the secondary cluster: it serves reads before promotion and
   * scales with them. 2 ACUs at rest keep up with a read-heavy primary's writes (watch
   * `AuroraGlobalDBReplicationLag`); AWS's guidance for write-heavy primaries is nearer 8.
   */
  database: { instanceClass: "db.serverless", serverless: { minCapacity: 2, maxCapacity: 16 }, readers: 0 },
  /** One small cache node: no replica, no Multi-AZ until activation. */
  cache: { nodeType: "cache.t4g.small", nodes: 1 },
} as const;
