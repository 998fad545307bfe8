/**
 * `platform:prometheus` (off by default): for teams that want Prometheus and Grafana, an Amazon
 * Managed Service for Prometheus workspace fed by an ADOT collector next to every service (scraping
 * its metrics endpoint), and an Amazon Managed Grafana workspace reading it and CloudWatch.
 */
import { bool, int, oneOf, section, str, v } from "../schema";
import type { Profiles } from "./environments";
import { HTTP_PATH } from "./names";

/** How people sign in to the Grafana workspace: IAM Identity Center (needs it enabled) or a SAML IdP. */
export const GRAFANA_AUTHENTICATION = ["AWS_SSO", "SAML"] as const;

export const prometheusSchema = section({
  /** Whether the stack has the workspace and the collectors. */
  enabled: bool(),
  /** Seconds between scrapes of each task's metrics endpoint (5-300). */
  scrapeIntervalSeconds: int(5, 300),
  /** Path of each service's Prometheus metrics endpoint, on its container port. */
  metricsPath: str(HTTP_PATH, "must be an absolute HTTP path starting with /, e.g. /metrics"),
  /** The AWS Distro for OpenTelemetry collector image, pinned to a version. */
  collectorImage: str(
    /^public\.ecr\.aws\/aws-observability\/aws-otel-collector:v\d+\.\d+\.\d+$/,
    "must be public.ecr.aws/aws-observability/aws-otel-collector:v<x.y.z>",
  ),
  /** An Amazon Managed Grafana workspace over the Prometheus workspace and CloudWatch. */
  grafana: bool(),
  /** How people sign in to Grafana (AWS_SSO needs IAM Identity Center in the account's organisation). */
  grafanaAuthentication: oneOf(GRAFANA_AUTHENTICATION),
});
export type PrometheusSettings = v.InferOutput<typeof prometheusSchema>;

const shared: PrometheusSettings = {
  enabled: false,
  scrapeIntervalSeconds: 15,
  metricsPath: "/metrics",
  collectorImage: "public.ecr.aws/aws-observability/aws-otel-collector:v0.50.0",
  grafana: true,
  grafanaAuthentication: "AWS_SSO",
};
export const PROMETHEUS_DEFAULTS: Profiles<PrometheusSettings> = { dev: shared, staging: shared, prod: shared };
