/**
 * `platform:disasterRecovery`: a second region that survives the first. Today it holds the stack's
 * backups: AWS Backup copies every backup of the data tier (Aurora, DynamoDB tables, the file
 * system) to a vault there, encrypted with a key of that region.
 */
import { bool, int, section, str, v } from "../schema";
import type { Profiles } from "./environments";

/** AWS Backup's schedule: a six-field cron expression in UTC, e.g. `cron(0 3 * * ? *)`. */
const BACKUP_SCHEDULE = /^cron\((\S+ ){5}\S+\)$/;

export const disasterRecoverySchema = section({
  /** Keep a DR region for this stack (prod: required; dev: not allowed). */
  enabled: bool(),
  /** The DR region: another region than `aws:region`. */
  region: str(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, "an AWS region such as eu-central-1"),
  /** When AWS Backup takes the daily backup (UTC), a six-field cron expression. */
  backupSchedule: str(BACKUP_SCHEDULE, "an AWS Backup schedule: cron( with six fields ), e.g. cron(0 3 * * ? *)"),
  /** How long backups stay, in both regions (AWS Backup lifecycle). */
  backupRetentionDays: int(1, 3650),
});
export type DisasterRecoverySettings = v.InferOutput<typeof disasterRecoverySchema>;

const common = { region: "eu-central-1", backupSchedule: "cron(0 3 * * ? *)" };
export const DISASTER_RECOVERY_DEFAULTS: Profiles<DisasterRecoverySettings> = {
  dev: { ...common, enabled: false, backupRetentionDays: 7 },
  staging: { ...common, enabled: false, backupRetentionDays: 14 },
  prod: { ...common, enabled: true, backupRetentionDays: 35 },
};
