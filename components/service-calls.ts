import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** What one service's declared calls mean for it: who it calls, who calls it. */
export interface CallPlan {
  /** Services it calls (its `calls`), with their ports: it reaches each at `SERVICE_<NAME>_URL`. */
  callees: { name: string; port: number }[];
  /** Services that call it: it registers in Service Connect as a server, and only they reach it. */
  callers: string[];
}

/** Every service's call plan, from the `calls` each declares (pure; the validator has checked the names). */
export function callPlans(services: { name: string; port: number; calls: string[] }[]): Record<string, CallPlan> {
  const byName = new Map(services.map((s) => [s.name, s]));
  return Object.fromEntries(
    services.map((s) => [
      s.name,
      {
        callees: s.calls.map((name) => ({ name, port: byName.get(name)!.port })),
        callers: services.filter((other) => other.calls.includes(s.name)).map((other) => other.name),
      },
    ]),
  );
}

/**
 * The order to build services in: every callee before its callers, since a Service Connect client
 * resolves only the endpoints that existed when its tasks started. Otherwise config order. Throws
 * on a cycle, which the validator refuses first.
 */
export function callOrder<S extends { name: string; calls: string[] }>(services: S[]): S[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: S[] = [];
  const visit = (s: S, path: string[]) => {
    if (done.has(s.name)) return;
    if (visiting.has(s.name)) throw new Error(`services call each other in a cycle: ${[...path, s.name].join(" -> ")}`);
    visiting.add(s.name);
    for (const callee of s.calls) {
      const next = byName.get(callee);
      if (next) visit(next, [...path, s.name]);
    }
    visiting.delete(s.name);
    done.add(s.name);
    order.push(s);
  };
  for (const s of services) visit(s, []);
  return order;
}

/** The URL a caller reaches a callee at through Service Connect (its client alias), and the variable it arrives in. */
export function calleeVariable(callee: { name: string; port: number }): [string, string] {
  return [`SERVICE_${callee.name.toUpperCase().replace(/-/g, "_")}_URL`, `http://${callee.name}:${callee.port}`];
}

/** A running service as the call paths see it. */
export interface CallEndpoint {
  name: string;
  port: number;
  securityGroupId: pulumi.Input<string>;
}

export interface ServiceCallsArgs {
  /** Every service of the stack, by name. */
  services: Record<string, CallEndpoint>;
  /** Each caller's declared callees (its `calls`). */
  calls: Record<string, string[]>;
}

/**
 * The network half of the declared calls: for each caller -> callee, the callee's group admits the
 * caller's group on the callee's port and the caller's group may reach it there; nothing else
 * opens a path between two services. Its own component because a call joins two services, and a
 * callee may be declared after its caller. (Service Connect's proxies connect task to task, from
 * the caller's ENI to the callee's on the container port, so group references are exact.)
 */
export class ServiceCalls extends pulumi.ComponentResource {
  constructor(name: string, args: ServiceCallsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:ServiceCalls", name, {}, opts);
    for (const [caller, callees] of Object.entries(args.calls)) {
      for (const calleeName of callees) {
        const from = args.services[caller];
        const to = args.services[calleeName];
        if (!from || !to) throw new Error(`service "${caller}" calls "${calleeName}", but the stack has no such service`);
        const rule = { ipProtocol: "tcp", fromPort: to.port, toPort: to.port, description: `${caller} calls ${calleeName}` };
        new aws.vpc.SecurityGroupIngressRule(
          `${caller}-calls-${calleeName}`,
          { ...rule, securityGroupId: to.securityGroupId, referencedSecurityGroupId: from.securityGroupId },
          { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
          `${caller}-calls-${calleeName}`,
          { ...rule, securityGroupId: from.securityGroupId, referencedSecurityGroupId: to.securityGroupId },
          { parent: this },
        );
      }
    }
    this.registerOutputs({});
  }
}
