/** The messaging tier of the monthly cost estimate: SQS, and EventBridge Scheduler's invocations. */
import type { Pricer } from "../pricing";
import { n, plural } from "../pricing";

const HOURS_PER_MONTH = 730;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/** Day-of-week names as cron writes them (Scheduler: 1-7 = SUN-SAT). */
const DAY_NAMES: Record<string, number> = { SUN: 1, MON: 2, TUE: 3, WED: 4, THU: 5, FRI: 6, SAT: 7 };
const value = (v: string) => DAY_NAMES[v.toUpperCase()] ?? Number(v.replace(/[LW#].*$/, ""));

/** How many values one cron field takes (`*`, `?`, `a/b`, `a-b`, lists, day names), out of `size`. */
function fieldCount(field: string, size: number): number {
  if (field === "*" || field === "?") return size;
  return field.split(",").reduce((sum, part) => {
    const [range, step] = part.split("/");
    const [from, to] = range.split("-");
    const span = range === "*" ? size : to !== undefined ? value(to) - value(from) + 1 : 1;
    return sum + (step ? Math.ceil((to !== undefined || range === "*" ? span : size - value(from)) / Number(step)) : span);
  }, 0);
}

/**
 * Invocations a schedule makes in a month: exact for `rate()`, one for `at()`, and for `cron()` an
 * estimate from its minute, hour, day-of-month and day-of-week fields (a month of 30.4 days).
 */
export function invocationsPerMonth(expression: string): number {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (rate) return (HOURS_PER_MONTH * 60) / (Number(rate[1]) * { minute: 1, hour: 60, day: 1440 }[rate[2] as "minute" | "hour" | "day"]);
  if (expression.startsWith("at(")) return 1;
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (!cron) return 0;
  const [minutes, hours, dayOfMonth, , dayOfWeek] = cron[1].split(/\s+/);
  const days =
    dayOfMonth !== "?" && dayOfMonth !== "*"
      ? fieldCount(dayOfMonth, 31)
      : dayOfWeek !== "?" && dayOfWeek !== "*"
        ? (fieldCount(dayOfWeek, 7) * DAYS_PER_MONTH) / 7
        : DAYS_PER_MONTH;
  return fieldCount(minutes, 60) * fieldCount(hours, 24) * days;
}

export const priceMessaging: Pricer = ({ a, add, ofType }) => {
  const queues = ofType("aws:sqs/queue:Queue");
  const fifo = queues.filter((q) => q.inputs.fifoQueue === true).length;
  if (queues.length > 0) {
    const standard = queues.length - fifo;
    const basis = `${n(a.sqsRequestsMillions)} million requests/month assumed over ${plural(queues.length, "queue")} (incl. DLQs)`;
    add("SQS requests", "sqs-standard-requests-million", (a.sqsRequestsMillions * standard) / queues.length, basis + (fifo ? ", standard queues' share" : ""));
    add("SQS FIFO requests", "sqs-fifo-requests-million", (a.sqsRequestsMillions * fifo) / queues.length, basis + ", FIFO queues' share");
  }
  // Scheduler bills every invocation (the monthly free tier of 14 million is not deducted).
  const schedules = ofType("aws:scheduler/schedule:Schedule").filter((s) => s.inputs.state !== "DISABLED");
  if (schedules.length > 0) {
    const count = schedules.reduce((sum, s) => sum + invocationsPerMonth(String(s.inputs.scheduleExpression)), 0);
    add(
      "EventBridge Scheduler invocations",
      "scheduler-invocations-million",
      count / 1e6,
      `${n(Math.round(count))} invocations/month from ${plural(schedules.length, "enabled schedule")}`,
    );
  }
};
