/** `platform:database`: the Aurora PostgreSQL cluster. */
import { AURORA_POSTGRES_MAJORS, AWS_RANGES, isValidPerformanceInsightsRetention } from "../aws-limits";
import { bool, int, num, section, str, v } from "../schema";
import type { Profiles } from "./environments";

const VERSION_ALLOWED = `must be an Aurora PostgreSQL version such as 16.6, major ${AURORA_POSTGRES_MAJORS.join(", ")}`;
const PI_ALLOWED = "must be 7, a multiple of 31 up to 713, or 731";

export const databaseSchema = section({
  /** Whether the stack has an Aurora cluster at all. */
  enabled: bool(),
  /** Aurora PostgreSQL engine version, e.g. `16.6`; its major picks the parameter-group family. */
  engineVersion: v.pipe(
    str(/^\d+\.\d+$/, VERSION_ALLOWED),
    v.check((version) => (AURORA_POSTGRES_MAJORS as readonly number[]).includes(Number(version.split(".")[0])), VERSION_ALLOWED),
  ),
  /** Instance class for every instance; `db.serverless` uses Serverless v2 capacity. */
  instanceClass: str(/^db\.(serverless|[a-z0-9]+\.[a-z0-9]+)$/, "must be db.serverless or an instance class such as db.r6g.large"),
  /** Serverless v2 capacity range in ACUs, used when instanceClass is `db.serverless`. */
  serverless: section({
    /** Minimum Aurora capacity units (0-256, step 0.5). */
    minCapacity: num(...AWS_RANGES.auroraMinAcu, 0.5),
    /** Maximum Aurora capacity units (1-256, step 0.5), at least minCapacity. */
    maxCapacity: num(...AWS_RANGES.auroraMaxAcu, 0.5),
  }),
  /** Number of reader instances, placed in AZs other than the writer's. */
  readers: int(...AWS_RANGES.auroraReaders),
  /** Name of the initial database. */
  databaseName: str(/^[a-z][a-z0-9_]{0,62}$/, "must be a PostgreSQL identifier: lower-case letter, then letters, digits or _ (max 63)"),
  /** Automated backup retention in days (1-35). */
  backupRetentionDays: int(...AWS_RANGES.auroraBackupRetentionDays),
  /** Rotation interval of the RDS-managed master password secret, in days (1-365); stacks without a DR region. */
  secretRotationDays: int(1, 365),
  /** Version of the program-managed master password (stacks with a DR region): raising it rotates the password. */
  masterPasswordVersion: int(1, 1000000),
  /** Performance Insights retention in days: 7, a multiple of 31 from 31 to 713, or 731. */
  performanceInsightsRetentionDays: v.pipe(int(7, 731, PI_ALLOWED), v.check(isValidPerformanceInsightsRetention, PI_ALLOWED)),
});
export type DatabaseSettings = v.InferOutput<typeof databaseSchema>;
export type ServerlessCapacity = DatabaseSettings["serverless"];

const shared = { enabled: true, engineVersion: "16.6", databaseName: "app", secretRotationDays: 30, masterPasswordVersion: 1 };
export const DATABASE_DEFAULTS: Profiles<DatabaseSettings> = {
  dev: {
    ...shared,
    instanceClass: "db.serverless",
    serverless: { minCapacity: 0.5, maxCapacity: 2 },
    readers: 0,
    backupRetentionDays: 1,
    performanceInsightsRetentionDays: 7,
  },
  // prod's shape (a reader in another AZ to fail over to) at Serverless v2 size.
  staging: {
    ...shared,
    instanceClass: "db.serverless",
    serverless: { minCapacity: 0.5, maxCapacity: 4 },
    readers: 1,
    backupRetentionDays: 7,
    performanceInsightsRetentionDays: 7,
  },
  prod: {
    ...shared,
    instanceClass: "db.r6g.large",
    serverless: { minCapacity: 2, maxCapacity: 16 },
    readers: 1,
    backupRetentionDays: 35,
    performanceInsightsRetentionDays: 31,
  },
};
