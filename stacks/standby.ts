/**
 * A standby stack's settings: the primary's, validated for the DR region, then sized by the switch.
 * Pure, tested without mocks. The pilot light keeps every service, the database and the cache
 * running small (`PILOT_LIGHT`); `platform:standby.active` gives them the primary's sizes, which is
 * all that activation changes.
 */
import { PILOT_LIGHT, StandbyConfig } from "./sections/standby";
import type { Settings } from "./settings";

export function standbyFrom(regional: Settings, primary: Settings, config: StandbyConfig): Settings {
  const active = config.active;
  return {
    ...regional,
    standby: { primaryStack: primary.stack, primaryPrefix: primary.namePrefix, primaryRegion: primary.region, active },
    services: regional.services.map((s) =>
      active ? s : { ...s, minTasks: Math.min(PILOT_LIGHT.minTasks, s.minTasks), maxTasks: Math.max(s.minTasks, PILOT_LIGHT.minTasks) },
    ),
    // The cluster keeps the pilot's capacity range either way: activation changes only its instances.
    database: active ? { ...regional.database, serverless: PILOT_LIGHT.database.serverless } : { ...regional.database, ...PILOT_LIGHT.database },
    cache: active ? regional.cache : { ...regional.cache, ...PILOT_LIGHT.cache },
    // The image pipeline stays the primary's: its uploads bucket and thumbnails have no copy here.
    images: { ...regional.images, enabled: false },
    // Prometheus stays the primary's: a pilot light is watched through CloudWatch (README, "Prometheus and Grafana").
    prometheus: { ...regional.prometheus, enabled: false },
    // The canaries probe the public site, which the primary's edge serves: they are the primary's.
    synthetics: { ...regional.synthetics, enabled: false },
    // The partner API stays the primary's too (partners reach one region; a failover moves them by DNS later).
    partnerApi: { ...regional.partnerApi, enabled: false },
    functions: regional.functions.filter((f) => !f.access.images),
    // The trail and the budget are the account's, kept by the primary; GuardDuty is per region.
    observability: { ...regional.observability, guardrails: { ...regional.observability.guardrails, cloudTrail: false, budget: false } },
  };
}
