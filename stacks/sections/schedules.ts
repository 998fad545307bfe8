/**
 * `platform:schedules`: time-triggered work (abandoned carts, promotions, reports) through
 * EventBridge Scheduler: each entry sends a message to a queue (or invokes a function) on a rate,
 * a cron expression or once, in a timezone, optionally within a flexible window.
 */
import { bool, int, section, str, v } from "../schema";
import type { Profiles } from "./environments";
import { RESOURCE_NAME, RESOURCE_NAME_ALLOWED } from "./names";

/** `rate(<n> <unit>)`, `cron(<6 fields>)` or `at(<yyyy-mm-ddThh:mm:ss>)`, as Scheduler accepts them. */
export const SCHEDULE_EXPRESSION =
  /^(rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)|cron\((\S+ ){5}\S+\)|at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\))$/;
/** `UTC` or an IANA zone name such as `Europe/Paris`. */
export const TIMEZONE = /^(UTC|[A-Z][A-Za-z_]+(\/[A-Z][A-Za-z0-9_+-]+){1,2})$/;

export const scheduleSchema = section({
  /** Schedule name within the stack (its schedule group is `<prefix>`). */
  name: str(RESOURCE_NAME, RESOURCE_NAME_ALLOWED),
  /** When it fires: `rate(15 minutes)`, `cron(0 9 ? * MON *)` (six fields) or `at(2026-12-24T18:00:00)` (once). */
  expression: str(SCHEDULE_EXPRESSION, "must be rate(<n> <unit>) (1 minute|hour|day, or n minutes|hours|days), cron(<six fields>) or at(yyyy-mm-ddThh:mm:ss)"),
  /** Timezone the expression is read in (IANA name; default `UTC`). */
  timezone: str(TIMEZONE, "must be UTC or an IANA timezone such as Europe/Paris"),
  /** Minutes Scheduler may spread the invocation over (0 = exactly on time, up to 1440). */
  flexibleWindowMinutes: int(0, 1440),
  /** The queue it sends to (a name in `platform:queues`); exactly one of queue and function. */
  queue: v.optional(str(RESOURCE_NAME, "the name of a queue in platform:queues")),
  /** The function it invokes (a name in `platform:functions`); exactly one of queue and function. */
  function: v.optional(str(RESOURCE_NAME, "the name of a function in platform:functions")),
  /** The message body (or function input), up to 8,192 characters; default `{"schedule":"<name>"}`. */
  message: v.optional(v.pipe(v.string("must be a string"), v.maxLength(8192, "must be at most 8192 characters"))),
  /** Retries before a failed delivery goes to the schedules' dead-letter queue (0-185). */
  retryAttempts: int(0, 185),
  /** How long Scheduler keeps retrying one invocation, in minutes (1-1440). */
  maxEventAgeMinutes: int(1, 1440),
  /** Whether it fires (false keeps it, paused). */
  enabled: bool(),
});
export type ScheduleSettings = v.InferOutput<typeof scheduleSchema>;

const shared = { timezone: "UTC", flexibleWindowMinutes: 0, retryAttempts: 3, maxEventAgeMinutes: 60, enabled: true };
export const SCHEDULE_DEFAULTS: Profiles<Omit<ScheduleSettings, "name" | "expression" | "queue" | "function" | "message">> = {
  dev: shared,
  staging: shared,
  prod: shared,
};
