/**
 * Network reachability of the platform's flows, as a pure function of the synthesized security
 * groups, their rule resources and the VPC's subnet layout: a TCP connection from one endpoint to
 * another on a port is possible when the source's group lets it out (egress to the destination's
 * group or to a CIDR holding the destination), the destination's group lets it in (ingress from the
 * source's group, a CIDR holding the source, or the source's prefix list) and, for destinations on
 * the internet, the source's subnets route there (public: internet gateway; private: NAT).
 * Network ACLs are the VPC's defaults (allow all), as awsx creates them.
 *
 * Written by hand: no library models AWS security-group semantics over a Pulumi resource graph.
 */
import { parseCidr, ParsedCidr } from "../../stacks/aws-limits";
import type { SynthResult } from "../harness";

/** Where traffic comes from or goes to. */
export interface Endpoint {
  name: string;
  /** Security groups of the endpoint (none for the internet and CloudFront). */
  groups: string[];
  /** Addresses it has: the VPC's CIDR for endpoints inside it, 0.0.0.0/0 for the internet. */
  cidr: string;
  /** For sources: the managed prefix list its addresses belong to (CloudFront's origin-facing list). */
  prefixList?: string;
  /** Subnet tier inside the VPC, which decides the route to the internet; `lambda` for a function outside any VPC. */
  tier?: "public" | "private" | "isolated" | "lambda";
}

export interface Network {
  endpoints: Endpoint[];
  endpoint(name: string): Endpoint;
  /** Why `from` cannot open a TCP connection to `to` on `port`, or undefined when it can. */
  blocked(from: Endpoint, to: Endpoint, port: number): string | undefined;
  /** Ingress rules that admit a CIDR (not a group or prefix list), with the group they open. */
  cidrIngress(): { group: string; cidr: string; fromPort: number; toPort: number }[];
}

interface Rule {
  group: string;
  protocol: string;
  fromPort: number;
  toPort: number;
  cidr?: string;
  prefixList?: string;
  peerGroup?: string;
}

const T = {
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  vpc: "awsx:ec2:Vpc",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  ecsService: "aws:ecs/service:Service",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  rds: "aws:rds/cluster:Cluster",
  cache: "aws:elasticache/replicationGroup:ReplicationGroup",
  mountTarget: "aws:efs/mountTarget:MountTarget",
  lambda: "aws:lambda/function:Function",
} as const;

function contains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.prefix > inner.prefix) return false;
  const size = 2 ** (32 - outer.prefix);
  return Math.floor(inner.address / size) === Math.floor(outer.address / size);
}

const INTERNET = "0.0.0.0/0";

/** The platform's endpoints and rules, read off a synthesized stack. */
export function networkOf(result: SynthResult, namePrefix: string, cloudFrontPrefixList: string): Network {
  const resources = result.resources.filter((r) => r.custom);
  const of = (type: string) => resources.filter((r) => r.type === type);
  const vpc = result.resources.find((r) => r.type === T.vpc);
  const vpcCidr: string = vpc?.inputs.cidrBlock ?? "10.0.0.0/16";
  const natStrategy: string = vpc?.inputs.natGateways?.strategy ?? "None";
  const rules = (type: string): Rule[] =>
    of(type).map((r) => ({
      group: r.inputs.securityGroupId,
      protocol: String(r.inputs.ipProtocol),
      fromPort: r.inputs.fromPort ?? 0,
      toPort: r.inputs.toPort ?? 65535,
      cidr: r.inputs.cidrIpv4,
      prefixList: r.inputs.prefixListId,
      peerGroup: r.inputs.referencedSecurityGroupId,
    }));
  const ingress = rules(T.ingress);
  const egress = rules(T.egress);

  const endpoints: Endpoint[] = [
    { name: "internet", groups: [], cidr: INTERNET },
    { name: "cloudfront", groups: [], cidr: INTERNET, prefixList: cloudFrontPrefixList },
    // Public AWS endpoints (APIs, registries, the Cognito user pool's token and user-info endpoints).
    { name: "aws-apis", groups: [], cidr: INTERNET },
    { name: "identity-provider", groups: [], cidr: INTERNET },
  ];
  for (const lb of of(T.lb))
    endpoints.push({ name: "alb", groups: lb.inputs.securityGroups ?? [], cidr: vpcCidr, tier: lb.inputs.internal ? "private" : "public" });
  for (const s of of(T.ecsService)) {
    const td = resources.find((r) => r.type === T.taskDefinition && r.state.arn === s.inputs.taskDefinition);
    const name = String(td?.inputs.family ?? s.name).slice(namePrefix.length + 1);
    endpoints.push({ name: `service:${name}`, groups: s.inputs.networkConfiguration?.securityGroups ?? [], cidr: vpcCidr, tier: "private" });
  }
  for (const c of of(T.rds)) endpoints.push({ name: "database", groups: c.inputs.vpcSecurityGroupIds ?? [], cidr: vpcCidr, tier: "isolated" });
  for (const c of of(T.cache)) endpoints.push({ name: "cache", groups: c.inputs.securityGroupIds ?? [], cidr: vpcCidr, tier: "isolated" });
  // A function without vpcConfig runs in Lambda's own network, which reaches public endpoints; one in
  // the VPC has its groups and its subnets' route.
  for (const fn of of(T.lambda)) {
    const groups: string[] = fn.inputs.vpcConfig?.securityGroupIds ?? [];
    endpoints.push({
      name: `function:${String(fn.inputs.name ?? fn.name).slice(namePrefix.length + 1)}`,
      groups,
      cidr: groups.length ? vpcCidr : INTERNET,
      tier: groups.length ? "private" : "lambda",
    });
  }
  const mountGroups = [...new Set(of(T.mountTarget).flatMap((m) => m.inputs.securityGroups ?? []))];
  if (mountGroups.length) endpoints.push({ name: "file-system", groups: mountGroups, cidr: vpcCidr, tier: "private" });

  const covers = (r: Rule, port: number) =>
    (r.protocol === "-1" || r.protocol === "tcp" || r.protocol === "6") && (r.protocol === "-1" || (r.fromPort <= port && port <= r.toPort));
  const cidrHolds = (rule: string | undefined, endpoint: Endpoint) => {
    const outer = rule ? parseCidr(rule) : undefined;
    const inner = parseCidr(endpoint.cidr);
    return !!outer && !!inner && contains(outer, inner);
  };
  const outward = (from: Endpoint, to: Endpoint, port: number) =>
    egress.some((r) => from.groups.includes(r.group) && covers(r, port) && (r.peerGroup ? to.groups.includes(r.peerGroup) : cidrHolds(r.cidr, to)));
  const inward = (from: Endpoint, to: Endpoint, port: number) =>
    ingress.some(
      (r) =>
        to.groups.includes(r.group) &&
        covers(r, port) &&
        (r.peerGroup ? from.groups.includes(r.peerGroup) : r.prefixList ? r.prefixList === from.prefixList : cidrHolds(r.cidr, from)),
    );
  const external = (e: Endpoint) => e.groups.length === 0;
  const routesOut = (e: Endpoint) => e.tier === "public" || e.tier === "lambda" || (e.tier === "private" && natStrategy !== "None");

  return {
    endpoints,
    endpoint: (name) => {
      const found = endpoints.find((e) => e.name === name);
      if (!found) throw new Error(`no endpoint ${name} (have ${endpoints.map((e) => e.name).join(", ")})`);
      return found;
    },
    blocked: (from, to, port) => {
      if (!external(from) && !outward(from, to, port)) return `no egress rule of ${from.name} (${from.groups.join(", ")}) lets TCP ${port} out to ${to.name}`;
      if (!external(to) && !inward(from, to, port)) return `no ingress rule of ${to.name} (${to.groups.join(", ")}) admits ${from.name} on TCP ${port}`;
      if (external(to) && !routesOut(from)) return `${from.name} sits in ${from.tier} subnets, which have no route to the internet`;
      return undefined;
    },
    cidrIngress: () => ingress.filter((r) => r.cidr !== undefined).map((r) => ({ group: r.group, cidr: r.cidr!, fromPort: r.fromPort, toPort: r.toPort })),
  };
}

/** A path the platform depends on (or must never have). */
export interface Path {
  from: string;
  to: string;
  port: number;
  /** Whether the path must be open (true) or closed (false). */
  open: boolean;
  why: string;
}

/**
 * The paths the platform's flows need, and the ones they must not have, from what config declares:
 * CloudFront to the ALB only; the ALB to each routed service's port (and to the IdP where sign-in
 * is used); each granted service to its data stores, and no one else; every task to AWS's APIs.
 */
export function expectedPaths(
  services: { name: string; port: number; routed: boolean; database: boolean; cache: boolean; fileSystem: boolean; calls?: string[] }[],
  stores: { database: boolean; cache: boolean; fileSystem: boolean },
  signIn: boolean,
  functions: string[] = [],
): Path[] {
  const paths: Path[] = [
    { from: "cloudfront", to: "alb", port: 443, open: true, why: "CloudFront reaches the origin over HTTPS" },
    { from: "internet", to: "alb", port: 443, open: false, why: "the ALB admits CloudFront only" },
    { from: "internet", to: "alb", port: 80, open: false, why: "the ALB admits CloudFront only" },
    {
      from: "alb",
      to: "identity-provider",
      port: 443,
      open: signIn,
      why: signIn ? "authenticate-cognito calls the user pool's endpoints" : "no route signs users in",
    },
  ];
  const ports = { database: 5432, cache: 6379, fileSystem: 2049 } as const;
  for (const s of services) {
    const me = `service:${s.name}`;
    paths.push({ from: "alb", to: me, port: s.port, open: s.routed, why: s.routed ? "the ALB forwards its routes" : "a worker has no route" });
    paths.push({ from: me, to: "aws-apis", port: 443, open: true, why: "tasks call AWS APIs and pull images over HTTPS (NAT)" });
    for (const store of ["database", "cache", "fileSystem"] as const) {
      if (!stores[store]) continue;
      const target = store === "fileSystem" ? "file-system" : store;
      paths.push({
        from: me,
        to: target,
        port: ports[store],
        open: s[store],
        why: s[store] ? `${s.name} declares access.${store}` : `${s.name} does not declare access.${store}`,
      });
    }
  }
  // Between services: exactly the declared calls (Service Connect), on the callee's port.
  for (const caller of services)
    for (const callee of services.filter((x) => x.name !== caller.name)) {
      const declared = (caller.calls ?? []).includes(callee.name);
      paths.push({
        from: `service:${caller.name}`,
        to: `service:${callee.name}`,
        port: callee.port,
        open: declared,
        why: declared ? `${caller.name} declares calls: ${callee.name}` : `${caller.name} does not declare a call to ${callee.name}`,
      });
    }
  for (const fn of functions)
    paths.push({ from: `function:${fn}`, to: "aws-apis", port: 443, open: true, why: "functions call AWS APIs (SQS via Lambda, DynamoDB, X-Ray)" });
  for (const store of ["database", "cache", "fileSystem"] as const) {
    if (!stores[store]) continue;
    const target = store === "fileSystem" ? "file-system" : store;
    paths.push({ from: "alb", to: target, port: ports[store], open: false, why: "only granted services reach the data tier" });
    if (store !== "fileSystem") paths.push({ from: target, to: "aws-apis", port: 443, open: false, why: "the data tier has no way out" });
  }
  return paths;
}
