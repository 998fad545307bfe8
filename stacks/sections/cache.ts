/** `platform:cache`: the Valkey/Redis replication group. */
import { AWS_RANGES, CACHE_ENGINES } from "../aws-limits";
import { bool, int, oneOf, section, str, v } from "../schema";
import type { Profiles } from "./environments";

export type CacheEngine = (typeof CACHE_ENGINES)[number];

export const cacheSchema = section({
  /** Whether the stack has a cache at all. */
  enabled: bool(),
  /** `valkey` (default, cheaper) or `redis`. */
  engine: oneOf(CACHE_ENGINES),
  /** Engine version, e.g. `8.0` for Valkey or `7.1` for Redis OSS. */
  engineVersion: str(/^\d+\.\d+$/, "must be a version such as 8.0 (valkey) or 7.1 (redis)"),
  /** Node type, e.g. `cache.t4g.micro`. */
  nodeType: str(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "must be a node type such as cache.t4g.micro"),
  /** Number of nodes (primary + replicas), 1-6; at least 2 enables Multi-AZ failover. */
  nodes: int(...AWS_RANGES.cacheNodes),
  /** Days of daily snapshots to keep (0-35; 0 disables snapshots). */
  snapshotRetentionDays: int(...AWS_RANGES.cacheSnapshotRetentionDays),
});
export type CacheSettings = v.InferOutput<typeof cacheSchema>;

const shared = { enabled: true, engine: "valkey", engineVersion: "8.0" } as const;
export const CACHE_DEFAULTS: Profiles<CacheSettings> = {
  dev: { ...shared, nodeType: "cache.t4g.micro", nodes: 1, snapshotRetentionDays: 1 },
  staging: { ...shared, nodeType: "cache.t4g.micro", nodes: 2, snapshotRetentionDays: 1 },
  prod: { ...shared, nodeType: "cache.r7g.large", nodes: 2, snapshotRetentionDays: 7 },
};
