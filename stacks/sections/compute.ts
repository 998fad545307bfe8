/** `platform:compute`: the ECS cluster and the autoscaling targets every service starts from. */
import { bool, int, oneOf, section, v } from "../schema";
import type { Profiles } from "./environments";

/**
 * Container Insights levels the platform allows. Not `disabled`: the tasks-below-minimum alarms and
 * backlog scaling read `ECS/ContainerInsights` metrics, and without them those alarms would fire forever.
 */
export const CONTAINER_INSIGHTS = ["enabled", "enhanced"] as const;
export type ContainerInsights = (typeof CONTAINER_INSIGHTS)[number];

export const computeSchema = section({
  /** Allow FARGATE_SPOT capacity (dev only). */
  spot: bool(),
  /** Container Insights level for the ECS cluster. */
  containerInsights: oneOf(
    CONTAINER_INSIGHTS,
    `must be one of ${CONTAINER_INSIGHTS.join(", ")} (the tasks-below-minimum alarms and backlog scaling read Container Insights metrics)`,
  ),
  /** Target average CPU utilisation (%) for service autoscaling. */
  cpuTargetPercent: int(10, 90),
  /** Target average memory utilisation (%) for service autoscaling. */
  memoryTargetPercent: int(10, 90),
  /** Default ALB requests per target per minute before a routed service scales out. */
  requestsPerTarget: int(10, 100000),
});
export type ComputeSettings = v.InferOutput<typeof computeSchema>;

const shared = { cpuTargetPercent: 60, memoryTargetPercent: 75, requestsPerTarget: 1000 };
export const COMPUTE_DEFAULTS: Profiles<ComputeSettings> = {
  dev: { ...shared, spot: true, containerInsights: "enabled" },
  staging: { ...shared, spot: false, containerInsights: "enabled" },
  prod: { ...shared, spot: false, containerInsights: "enhanced" },
};
