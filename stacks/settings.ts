/**
 * The one typed settings object the program is built from. Each section's type is inferred from its
 * schema in `stacks/sections/` (where each field is documented, with its profile defaults beside
 * it); `stacks/index.ts` builds the object from raw Pulumi config, complete and frozen. Components
 * receive slices of it and never read config themselves.
 */
import type { IamSettings } from "./iam-scope";
import type { RetentionPolicy } from "./retention";
import type { AuthSettings } from "./sections/auth";
import type { CacheSettings } from "./sections/cache";
import type { ComputeSettings } from "./sections/compute";
import type { QueueSettings, TableSettings } from "./sections/data";
import type { DatabaseSettings } from "./sections/database";
import type { DeliverySettings } from "./sections/delivery";
import type { DisasterRecoverySettings } from "./sections/disaster-recovery";
import type { EdgeSettings } from "./sections/edge";
import type { EmailSettings } from "./sections/email";
import type { ImagesSettings } from "./sections/images";
import type { SyntheticsSettings } from "./sections/synthetics";
import type { PrometheusSettings } from "./sections/prometheus";
import type { PartnerApiSettings } from "./sections/partner-api";
import type { Environment } from "./sections/environments";
import type { FileSystemSettings } from "./sections/file-system";
import type { FunctionSettings } from "./sections/functions";
import type { NetworkSettings } from "./sections/network";
import type { ObservabilitySettings } from "./sections/observability";
import type { ScheduleSettings } from "./sections/schedules";
import type { ServiceSettings } from "./sections/services";

export { ENVIRONMENTS } from "./sections/environments";
export type { Environment } from "./sections/environments";
export type { AuthSettings } from "./sections/auth";
export type { CacheEngine, CacheSettings } from "./sections/cache";
export type { ComputeSettings, ContainerInsights } from "./sections/compute";
export type { KeyAttribute, QueueAccessMode, QueueSettings, TableAccessMode, TableSettings } from "./sections/data";
export type { DatabaseSettings, ServerlessCapacity } from "./sections/database";
export type { DeliverySettings, ServicePipeline, SourceProvider } from "./sections/delivery";
export type { CacheKeySettings, EdgeSettings, PriceClass } from "./sections/edge";
export type { DisasterRecoverySettings } from "./sections/disaster-recovery";
export type { FileSystemSettings } from "./sections/file-system";
export type { EmailSettings } from "./sections/email";
export type { ImagesSettings } from "./sections/images";
export type { CanaryCheck, JourneyStep, SyntheticsSettings } from "./sections/synthetics";
export type { PrometheusSettings } from "./sections/prometheus";
export type { PartnerApiSettings, PartnerRoute } from "./sections/partner-api";
export type { FunctionSettings } from "./sections/functions";
export type { NatLayout, NetworkSettings } from "./sections/network";
export type { AlarmThresholds, GuardrailSettings, ObservabilitySettings } from "./sections/observability";
export type { LoadBalancingAlgorithm, ServiceAccess, ServiceSettings } from "./sections/services";
export type { ScheduleSettings } from "./sections/schedules";

/** What a standby stack knows of its primary, and the switch (`platform:standby`). */
export interface StandbySettings {
  /** The primary stack's name and physical prefix: its copies in this region are found by name. */
  readonly primaryStack: string;
  readonly primaryPrefix: string;
  /** The primary's region: the standby stack creates and reads nothing there. */
  readonly primaryRegion: string;
  /** false: pilot light; true: the primary's task counts, scaling limits, database and cache sizes. */
  readonly active: boolean;
}

export interface Settings {
  /** Pulumi project name. */
  readonly project: string;
  /** Pulumi stack name. */
  readonly stack: string;
  /** Environment profile in force. */
  readonly environment: Environment;
  /** AWS region (from `aws:region`). */
  readonly region: string;
  /** Explicit AZ names, all in `region`. */
  readonly availabilityZones: string[];
  /** Public domain of the site, e.g. `example.com`. */
  readonly domain: string;
  /** Prefix for physical names: `<project>-<stack>`. */
  readonly namePrefix: string;
  /** Retention of every log group, a CloudWatch-allowed number of days. */
  readonly logRetentionDays: number;
  /** What deleting, replacing or changing a resource that holds data does (`stacks/retention.ts`). */
  readonly retention: RetentionPolicy;
  /** Where the stack's IAM roles live and whether the bootstrap's boundary caps them. */
  readonly iam: IamSettings;
  readonly network: NetworkSettings;
  readonly compute: ComputeSettings;
  readonly database: DatabaseSettings;
  readonly cache: CacheSettings;
  readonly edge: EdgeSettings;
  readonly observability: ObservabilitySettings;
  readonly tables: TableSettings[];
  readonly queues: QueueSettings[];
  readonly functions: FunctionSettings[];
  /** EventBridge Scheduler schedules, each with its message (default `{"schedule":"<name>"}`). */
  readonly schedules: (ScheduleSettings & { message: string })[];
  readonly auth: AuthSettings;
  readonly fileSystem: FileSystemSettings;
  /** E-mail through SES from the site's domain. */
  readonly email: EmailSettings;
  /** The image pipeline: uploads bucket, its queue, thumbnails in the static bucket. */
  readonly images: ImagesSettings;
  /** Canaries probing the public site (none in a standby). */
  readonly synthetics: SyntheticsSettings;
  /** Prometheus (AMP) with a collector per task, and Grafana (AMG); off by default. */
  readonly prometheus: PrometheusSettings;
  /** The partner API (API Gateway), off by default. */
  readonly partnerApi: PartnerApiSettings;
  readonly delivery: DeliverySettings;
  /** The DR region and the backups copied there. */
  readonly disasterRecovery: DisasterRecoverySettings;
  /** Services in config order; every routed one has its listener priority. */
  readonly services: ServiceSettings[];
  /** Set in a standby stack: the DR region of `primaryStack` (absent in every other stack). */
  readonly standby?: StandbySettings;
  /** Tags every AWS resource gets (from `aws:defaultTags`), also applied to explicit providers. */
  readonly tags: Record<string, string>;
}
