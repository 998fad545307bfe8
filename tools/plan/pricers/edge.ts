/** The edge tier of the monthly cost estimate: CloudFront, the ALB behind it, Route 53. */
import type { Pricer } from "../pricing";
import { KB_PER_GB, n, plural, TB } from "../pricing";

/** CloudFront's transfer tiers (GB from, GB to, price id); the table gives their prices for its viewer geography. */
const CLOUDFRONT_TIERS: [number, number, string][] = [
  [0, 10 * TB, "cloudfront-data-transfer-first-10tb-gb"],
  [10 * TB, 50 * TB, "cloudfront-data-transfer-next-40tb-gb"],
  [50 * TB, 150 * TB, "cloudfront-data-transfer-next-100tb-gb"],
];

export const priceEdge: Pricer = ({ a, h, add, notes, ofType, settings, traffic, prices }) => {
  const { edgeRequests, backendRequests, basis: trafficBasis } = traffic;
  const geography = prices.viewerGeography;
  const distributions = ofType("aws:cloudfront/distribution:Distribution").filter((d) => d.inputs.enabled !== false);
  if (distributions.length > 0) {
    add(
      "CloudFront HTTPS requests",
      "cloudfront-https-requests-10k",
      edgeRequests / 10_000,
      `${trafficBasis} = ${n(edgeRequests)} requests, all HTTPS, priced as ${geography}`,
    );
    const gb = (edgeRequests * a.averageResponseKb) / KB_PER_GB;
    for (const [from, to, priceId] of CLOUDFRONT_TIERS) {
      const inTier = Math.max(0, Math.min(gb, to) - from);
      add(
        `CloudFront transfer out (${n(from / TB)}-${n(to / TB)} TB)`,
        priceId,
        inTier,
        `${n(edgeRequests)} requests x ${n(a.averageResponseKb)} KB = ${n(gb)} GB; this tier's share`,
      );
    }
    if (gb > CLOUDFRONT_TIERS[CLOUDFRONT_TIERS.length - 1][1]) notes.push(`CloudFront transfer above 150 TB/month is not priced (${n(gb)} GB estimated).`);
    const priceClasses = [...new Set(distributions.map((d) => d.inputs.priceClass))].join(", ");
    notes.push(`CloudFront is priced at ${geography} rates for all viewers; ${priceClasses} also serves other continents at their (mostly higher) rates.`);
  }

  const albs = ofType("aws:lb/loadBalancer:LoadBalancer").filter((lb) => (lb.inputs.loadBalancerType ?? "application") === "application");
  if (albs.length > 0) {
    add("Application Load Balancer hours", "alb-hour", albs.length * h, `${plural(albs.length, "ALB")} x ${n(h)} h`);
    // LCU: the highest of processed bytes (1 GB/h), rule evaluations (1,000/s beyond 10 free rules),
    // new connections (25/s) and active connections (3,000/min). CloudFront reuses its origin
    // connections, so the connection dimensions stay small; bytes decide.
    const backendPerSecond = backendRequests / (h * 3600);
    const gbPerHour = (backendPerSecond * 3600 * a.averageResponseKb) / KB_PER_GB;
    const rules = ofType("aws:lb/listenerRule:ListenerRule").length;
    const ruleEvaluationLcu = (backendPerSecond * Math.max(0, rules - 10)) / 1000;
    const lcu = Math.max(gbPerHour, ruleEvaluationLcu);
    add(
      "ALB capacity units",
      "alb-lcu-hour",
      lcu * h,
      `${n(1 - a.edgeCacheHitRatio)} of edge requests reach the ALB: ${n(backendPerSecond)} req/s x ${n(a.averageResponseKb)} KB = ${n(gbPerHour)} GB/h ` +
        `(bytes dimension; ${plural(rules, "listener rule")}, within the 10 free) = ${n(lcu)} LCU x ${n(h)} h`,
    );
    const publicIps = albs.filter((lb) => lb.inputs.internal !== true).reduce((sum, lb) => sum + (lb.inputs.subnets ?? []).length, 0);
    add(
      "ALB public IPv4 addresses",
      "public-ipv4-address-hour",
      publicIps * h,
      `internet-facing ALB: at least 1 public IPv4 per subnet, ${publicIps} x ${n(h)} h`,
    );
  }

  const zones = ofType("aws:route53/zone:Zone");
  add("Route 53 hosted zones", "route53-hosted-zone-month", zones.length, `${plural(zones.length, "hosted zone")} created by the stack`);
  if (zones.length === 0 && settings.edge.hostedZone) {
    notes.push(`Hosted zone ${settings.edge.hostedZone} is looked up, not created: its $0.50/month belongs to whoever owns it.`);
  }
  const checks = ofType("aws:route53/healthCheck:HealthCheck");
  add(
    "Route 53 health checks",
    "route53-health-check-non-aws-month",
    checks.length,
    `${plural(checks.length, "health check")}, non-AWS endpoint rate (upper bound)`,
  );
  const features = checks.map((c) => {
    const type = String(c.inputs.type ?? "");
    return [
      type.startsWith("HTTPS") && "HTTPS",
      type.endsWith("STR_MATCH") && "string matching",
      c.inputs.requestInterval === 10 && "fast interval",
      c.inputs.measureLatency === true && "latency",
    ].filter((f): f is string => !!f);
  });
  const featureCount = features.reduce((sum, f) => sum + f.length, 0);
  add(
    "Route 53 health-check features",
    "route53-health-check-feature-non-aws-month",
    featureCount,
    `optional features: ${[...new Set(features.flat())].join(", ")}`,
  );
};
