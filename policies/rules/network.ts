/**
 * Network: nothing reachable from the internet except through the edge (CloudFront + WAF, then the
 * ALB), data stores in private subnets, every VPC logged, every bucket behind a public access block
 * with ACLs off, every web ACL running the managed rule groups and logging what it sees.
 */
import { Policy, PolicyResource } from "@pulumi/policy";
import { asArray, attachedTo, BUCKET_TYPES, dependsOn, describe, ofTypes, parseJson, resourceRule, stackRule, VPC_TYPES } from "./common";

const ECS_SERVICE = "aws:ecs/service:Service";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const VPC_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SUBNET = "aws:ec2/subnet:Subnet";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const ROUTE = "aws:ec2/route:Route";
const ROUTE_TABLE_ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";
const INTERNET_GATEWAY = "aws:ec2/internetGateway:InternetGateway";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const SECURITY_GROUP_RULE_TYPES = [
  "aws:ec2/securityGroupRule:SecurityGroupRule",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
];
const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const BUCKET_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const BUCKET_OWNERSHIP_CONTROLS = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
const WEB_ACL_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";
/** `aws.alb.LoadBalancer` is the same resource under an older token. */
const LOAD_BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];

const WORLD_IPV4 = "0.0.0.0/0";
const WORLD_IPV6 = "::/0";

/** Data stores and the input that places them in subnets. */
const SUBNET_CONSUMERS: Record<string, string> = {
  "aws:rds/subnetGroup:SubnetGroup": "subnetIds",
  "aws:elasticache/subnetGroup:SubnetGroup": "subnetIds",
  "aws:efs/mountTarget:MountTarget": "subnetId",
};

const PUBLIC_ACCESS_BLOCK_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

/** The first letter lower-cased, keys all the way down: AWS's JSON (ruleJson) to the provider's shape. */
function camelKeys(value: unknown): any {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), camelKeys(v)]));
}

/** A web ACL's rules, from `rules` or, when the rules are given as AWS's JSON, from `ruleJson`. */
function webAclRules(props: any): any[] {
  const rules = asArray<any>(props.rules);
  if (rules.length > 0 || typeof props.ruleJson !== "string") return rules;
  return asArray<any>(camelKeys(parseJson(props.ruleJson)));
}

/** What a rule's protocol and ports open: a label for messages, and the port span when it is one. */
function portRange(protocol: unknown, fromPort: unknown, toPort: unknown): { label: string; span?: [number, number] } {
  const proto = String(protocol).toLowerCase();
  if (proto === "-1" || proto === "all") return { label: "all protocols and ports", span: [0, 65535] };
  // ICMP "ports" are type and code: there is no port range a port allow-list could cover.
  if (["icmp", "icmpv6", "1", "58"].includes(proto)) return { label: `${proto} (type ${fromPort ?? "any"}, code ${toPort ?? "any"})` };
  if (typeof fromPort !== "number" || typeof toPort !== "number" || fromPort < 0 || toPort < 0) return { label: `all ${proto} ports`, span: [0, 65535] };
  return { label: fromPort === toPort ? `${proto} port ${fromPort}` : `${proto} ports ${fromPort}-${toPort}`, span: [fromPort, toPort] };
}

/** Every port of the span is one that may face the world. */
function allowedToWorld(span: [number, number] | undefined, allowed: number[]): boolean {
  if (!span) return false;
  const ports = new Set(allowed);
  if (span[1] - span[0] + 1 > ports.size) return false;
  for (let port = span[0]; port <= span[1]; port++) if (!ports.has(port)) return false;
  return true;
}

/** A finding for world-open ingress, or undefined when the CIDRs are not the world or the ports are allowed. */
function worldIngress(what: string, cidrs: string[], range: () => { label: string; span?: [number, number] }, allowed: number[]): string | undefined {
  if (cidrs.length === 0) return undefined;
  const { label, span } = range();
  return allowedToWorld(span, allowed) ? undefined : `${what} from ${cidrs.join(" and ")} on ${label}`;
}

function same(resource: PolicyResource): (other: PolicyResource) => boolean {
  return (other) => other.urn === resource.urn;
}

/** The internet gateway a route table routes to (separate Route resources or inline routes), if any. */
function internetGatewayOf(table: PolicyResource, resources: PolicyResource[]): PolicyResource | undefined {
  const viaRoutes = ofTypes(resources, ROUTE)
    .filter((route) => dependsOn(route, "routeTableId").some(same(table)))
    .flatMap((route) => dependsOn(route, "gatewayId"));
  return [...viaRoutes, ...dependsOn(table, "routes")].find((dep) => dep.type === INTERNET_GATEWAY);
}

/** Why a subnet is public, or undefined when it is not. */
function publicBecause(subnet: PolicyResource, resources: PolicyResource[]): string | undefined {
  if (subnet.props.mapPublicIpOnLaunch === true) return "mapPublicIpOnLaunch is true";
  const associations = attachedTo(ofTypes(resources, ROUTE_TABLE_ASSOCIATION), "subnetId", subnet);
  for (const table of associations.flatMap((a) => dependsOn(a, "routeTableId")).filter((t) => t.type === ROUTE_TABLE)) {
    const gateway = internetGatewayOf(table, resources);
    if (gateway) return `its route table ${describe(table)} routes to ${describe(gateway)}`;
  }
  return undefined;
}

export const networkPolicies: Policy[] = [
  resourceRule({
    name: "ecs-no-public-ip",
    concern: "network",
    description: "ECS service tasks never get a public IP address.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "set networkConfiguration.assignPublicIp to false and run the tasks in private subnets (egress through NAT)",
    types: [ECS_SERVICE],
    check: (props) => (props.networkConfiguration?.assignPublicIp === true ? ["networkConfiguration.assignPublicIp is true"] : []),
  }),

  resourceRule({
    name: "rds-not-public",
    concern: "network",
    description: "RDS and Aurora database instances are not publicly accessible.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "set publiclyAccessible to false (reach the database from inside the VPC)",
    types: ["aws:rds/clusterInstance:ClusterInstance", "aws:rds/instance:Instance"],
    check: (props) => (props.publiclyAccessible === true ? ["publiclyAccessible is true"] : []),
  }),

  resourceRule({
    name: "sg-no-world-ingress",
    concern: "network",
    description: "No security group admits 0.0.0.0/0 or ::/0 except on the ports the pack config allows to face the world.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
      "admit a narrower source instead (a referenced security group, a managed prefix list such as CloudFront's origin-facing one, or a specific CIDR), or list the ports in the pack's worldIngressPorts",
    types: [VPC_INGRESS_RULE, SECURITY_GROUP, SECURITY_GROUP_RULE],
    check: (props, ctx) => {
      const allowed = ctx.config.worldIngressPorts;
      if (ctx.type === VPC_INGRESS_RULE) {
        const cidrs = [props.cidrIpv4, props.cidrIpv6].filter((c) => c === WORLD_IPV4 || c === WORLD_IPV6);
        const finding = worldIngress("ingress", cidrs, () => portRange(props.ipProtocol, props.fromPort, props.toPort), allowed);
        return finding ? [finding] : [];
      }
      const worldCidrs = (rule: any) => [
        ...asArray<string>(rule.cidrBlocks).filter((c) => c === WORLD_IPV4),
        ...asArray<string>(rule.ipv6CidrBlocks).filter((c) => c === WORLD_IPV6),
      ];
      if (ctx.type === SECURITY_GROUP_RULE) {
        if (props.type !== "ingress") return [];
        const finding = worldIngress("ingress", worldCidrs(props), () => portRange(props.protocol, props.fromPort, props.toPort), allowed);
        return finding ? [finding] : [];
      }
      return asArray<any>(props.ingress)
        .map((rule, i) => worldIngress(`inline ingress[${i}]`, worldCidrs(rule), () => portRange(rule.protocol, rule.fromPort, rule.toPort), allowed))
        .filter((f): f is string => f !== undefined);
    },
  }),

  resourceRule({
    name: "sg-separate-rule-resources",
    concern: "network",
    description: "Security groups keep their rules in separate rule resources, because inline rules and rule resources on one group overwrite each other.",
    severity: "low",
    enforcementLevel: "advisory",
    remediation:
      "remove the inline ingress/egress blocks and declare each rule as an aws.vpc.SecurityGroupIngressRule / aws.vpc.SecurityGroupEgressRule on the group",
    types: [SECURITY_GROUP],
    check: (props) => {
      const ingress = asArray(props.ingress).length;
      const egress = asArray(props.egress).length;
      return ingress + egress > 0 ? [`${ingress} inline ingress and ${egress} inline egress rule(s)`] : [];
    },
  }),

  stackRule({
    name: "data-stores-in-private-subnets",
    concern: "network",
    description: "RDS and ElastiCache subnet groups and EFS mount targets use no public subnet (one that maps public IPs or routes to an internet gateway).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "place the data store in private or isolated subnets: no mapPublicIpOnLaunch and no route to an internet gateway",
    check: (resources) => {
      const findings: string[] = [];
      for (const [type, property] of Object.entries(SUBNET_CONSUMERS)) {
        for (const store of ofTypes(resources, type)) {
          // Only aws:ec2/subnet:Subnet dependencies can be judged: subnets that come from an opaque
          // component (an awsx:ec2:Vpc's outputs) or a lookup are invisible to the analyzer, so they pass.
          for (const subnet of dependsOn(store, property).filter((dep) => dep.type === SUBNET)) {
            const reason = publicBecause(subnet, resources);
            if (reason) findings.push(`${describe(store)} takes ${property} from public subnet ${describe(subnet)} (${reason})`);
          }
        }
      }
      return findings;
    },
  }),

  stackRule({
    name: "vpc-flow-logs",
    concern: "network",
    description: "Every VPC has a flow log.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "add an aws.ec2.FlowLog with vpcId set to the VPC's id (trafficType ALL, to an encrypted log group)",
    check: (resources) => {
      const flowLogs = ofTypes(resources, FLOW_LOG);
      return ofTypes(resources, ...VPC_TYPES)
        .filter((vpc) => attachedTo(flowLogs, "vpcId", vpc).length === 0)
        .map((vpc) => `${describe(vpc)} has no ${FLOW_LOG} whose vpcId comes from it`);
    },
  }),

  stackRule({
    name: "vpc-default-sg-closed",
    concern: "network",
    description:
      "Every VPC's default security group is managed and has no rules, so a resource launched without a group of its own reaches nothing and is reached by nothing.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "add an aws.ec2.DefaultSecurityGroup with vpcId set to the VPC's id and no ingress or egress (the provider strips the default rules)",
    check: (resources) => {
      const defaults = ofTypes(resources, DEFAULT_SECURITY_GROUP);
      const findings: string[] = [];
      for (const vpc of ofTypes(resources, ...VPC_TYPES)) {
        const own = attachedTo(defaults, "vpcId", vpc);
        if (own.length === 0) findings.push(`${describe(vpc)} has no ${DEFAULT_SECURITY_GROUP}: its default group keeps AWS's allow rules`);
        for (const g of own) {
          const open = ["ingress", "egress"].filter((k) => asArray(g.props[k]).length > 0);
          if (open.length) findings.push(`${describe(g)} of ${describe(vpc)} has ${open.join(" and ")} rules`);
          for (const rule of attachedTo(ofTypes(resources, ...SECURITY_GROUP_RULE_TYPES), "securityGroupId", g))
            findings.push(`${describe(rule)} adds a rule to the default security group of ${describe(vpc)}`);
        }
        // An interface endpoint given no group gets the VPC's default one (EC2 CreateVpcEndpoint), and with it no traffic.
        for (const endpoint of attachedTo(ofTypes(resources, VPC_ENDPOINT), "vpcId", vpc).filter(
          (e) => e.props.vpcEndpointType === "Interface" && asArray(e.props.securityGroupIds).length === 0,
        ))
          findings.push(`${describe(endpoint)} is an interface endpoint with no securityGroupIds, so it lands in the default security group`);
      }
      return findings;
    },
  }),

  resourceRule({
    name: "alb-drop-invalid-headers",
    concern: "network",
    description: "Application load balancers drop HTTP headers with invalid fields (request-smuggling defence).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set dropInvalidHeaderFields to true",
    types: LOAD_BALANCERS,
    check: (props) => {
      if ((props.loadBalancerType ?? "application") !== "application") return [];
      return props.dropInvalidHeaderFields === true ? [] : [`dropInvalidHeaderFields is ${props.dropInvalidHeaderFields ?? "not set"}`];
    },
  }),

  resourceRule({
    name: "alb-access-logs",
    concern: "network",
    description: "Application load balancers write access logs to an S3 bucket.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set accessLogs to { enabled: true, bucket: <log bucket>, prefix: <prefix> } (the bucket policy must let ELB log delivery write)",
    types: LOAD_BALANCERS,
    check: (props) => {
      if ((props.loadBalancerType ?? "application") !== "application") return [];
      const logs = props.accessLogs;
      if (!logs) return ["accessLogs is not set"];
      const findings: string[] = [];
      if (logs.enabled !== true) findings.push(`accessLogs.enabled is ${logs.enabled ?? "not set"}`);
      if (!logs.bucket) findings.push("accessLogs.bucket is not set");
      return findings;
    },
  }),

  stackRule({
    name: "s3-public-access-blocked",
    concern: "network",
    description: "Every S3 bucket has a public access block with all four flags on.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: `add an aws.s3.BucketPublicAccessBlock with bucket set to the bucket's id and ${PUBLIC_ACCESS_BLOCK_FLAGS.join(", ")} all true`,
    check: (resources) => {
      const blocks = ofTypes(resources, BUCKET_PUBLIC_ACCESS_BLOCK);
      const findings: string[] = [];
      for (const bucket of ofTypes(resources, ...BUCKET_TYPES)) {
        const own = attachedTo(blocks, "bucket", bucket);
        if (own.length === 0) {
          findings.push(`${describe(bucket)} has no ${BUCKET_PUBLIC_ACCESS_BLOCK}`);
          continue;
        }
        const gaps = own.map((block) => ({ block, off: PUBLIC_ACCESS_BLOCK_FLAGS.filter((flag) => block.props[flag] !== true) }));
        if (gaps.some((g) => g.off.length === 0)) continue;
        for (const { block, off } of gaps) findings.push(`${describe(block)} of ${describe(bucket)} leaves ${off.join(", ")} not true`);
      }
      return findings;
    },
  }),

  resourceRule({
    name: "cloudfront-waf",
    concern: "network",
    description: "CloudFront distributions are protected by a WAF web ACL.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "set webAclId to the ARN of a CLOUDFRONT-scope aws.wafv2.WebAcl (created in us-east-1)",
    types: ["aws:cloudfront/distribution:Distribution"],
    check: (props) => (props.webAclId ? [] : ["webAclId is not set"]),
  }),

  resourceRule({
    name: "elasticache-in-vpc",
    concern: "network",
    description: "ElastiCache replication groups run in a subnet group with their own security groups.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "set subnetGroupName to a subnet group of private subnets and securityGroupIds to a group that admits only the clients",
    types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check: (props) => {
      const findings: string[] = [];
      if (!props.subnetGroupName) findings.push("subnetGroupName is not set");
      if (asArray(props.securityGroupIds).length === 0) findings.push("securityGroupIds is empty");
      return findings;
    },
  }),

  resourceRule({
    name: "ecs-awsvpc-private",
    concern: "network",
    description: "ECS services use awsvpc networking with explicit subnets and security groups.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediation: "set networkConfiguration with subnets (private ones) and securityGroups (the service's own group)",
    types: [ECS_SERVICE],
    check: (props) => {
      const network = props.networkConfiguration;
      if (!network) return ["networkConfiguration is not set"];
      const findings: string[] = [];
      if (asArray(network.subnets).length === 0) findings.push("networkConfiguration.subnets is empty");
      if (asArray(network.securityGroups).length === 0) findings.push("networkConfiguration.securityGroups is empty");
      return findings;
    },
  }),

  stackRule({
    name: "s3-acls-disabled",
    concern: "network",
    description:
      "Every S3 bucket has ACLs disabled (object ownership BucketOwnerEnforced), so only policies grant access; a bucket CloudFront writes its standard logs to may keep BucketOwnerPreferred, which that log delivery requires.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: 'add an aws.s3.BucketOwnershipControls for the bucket with rule.objectOwnership "BucketOwnerEnforced"',
    check: (resources) => {
      const controls = ofTypes(resources, BUCKET_OWNERSHIP_CONTROLS);
      // CloudFront's standard logs (legacy) are written with an ACL granting the awslogsdelivery account.
      const cloudFrontLogBuckets = ofTypes(resources, DISTRIBUTION).flatMap((d) => dependsOn(d, "loggingConfig"));
      const findings: string[] = [];
      for (const bucket of ofTypes(resources, ...BUCKET_TYPES)) {
        const own = attachedTo(controls, "bucket", bucket);
        const ownership = own.map((c) => c.props.rule?.objectOwnership);
        if (ownership.includes("BucketOwnerEnforced")) continue;
        if (ownership.includes("BucketOwnerPreferred") && cloudFrontLogBuckets.some(same(bucket))) continue;
        findings.push(
          own.length === 0
            ? `${describe(bucket)} has no ${BUCKET_OWNERSHIP_CONTROLS}, so its object ownership is not managed here (only buckets created since April 2023 start with ACLs off)`
            : `${describe(bucket)} has object ownership ${ownership.join(", ")}, so ACLs can grant access${ownership.includes("BucketOwnerPreferred") ? " (only a CloudFront standard-log bucket may keep BucketOwnerPreferred)" : ""}`,
        );
      }
      return findings;
    },
  }),

  stackRule({
    name: "waf-logging",
    concern: "network",
    description: "Every WAF web ACL logs its requests (a logging configuration names it), so blocked and counted requests can be reviewed.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "add an aws.wafv2.WebAclLoggingConfiguration with resourceArn set to the web ACL's ARN and a log group named aws-waf-logs-*",
    check: (resources) => {
      const logging = ofTypes(resources, WEB_ACL_LOGGING);
      return ofTypes(resources, WEB_ACL)
        .filter((acl) => attachedTo(logging, "resourceArn", acl).length === 0)
        .map((acl) => `${describe(acl)} has no ${WEB_ACL_LOGGING}`);
    },
  }),

  resourceRule({
    name: "waf-managed-rules",
    concern: "network",
    description:
      "Every WAF web ACL runs the requiredManagedRuleGroups (AWS's core rule set and known bad inputs, which blocks Log4j's JNDI lookups) in blocking mode, and every rule has an action.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
      'add a rule with statement.managedRuleGroupStatement { vendorName: "AWS", name: <group> } and overrideAction { none: {} } for each required group; give every other rule an action',
    types: [WEB_ACL],
    check: (props, ctx) => {
      const rules = webAclRules(props);
      if (rules.length === 0) return ["has no rules: every request gets the default action"];
      const findings: string[] = [];
      for (const group of ctx.config.requiredManagedRuleGroups) {
        const runs = rules.filter((r) => r.statement?.managedRuleGroupStatement?.vendorName === "AWS" && r.statement.managedRuleGroupStatement.name === group);
        if (runs.length === 0) {
          findings.push(`does not run the managed rule group ${group}`);
          continue;
        }
        if (runs.every((r) => r.overrideAction?.count !== undefined))
          findings.push(`runs ${group} in count mode only (overrideAction count), so it blocks nothing`);
        // Rules of the group turned to count one by one block nothing either (Log4JRCE in known bad inputs, say).
        const counted = runs.flatMap((r) =>
          asArray<any>(r.statement.managedRuleGroupStatement.ruleActionOverrides)
            .filter((o) => o?.actionToUse?.count !== undefined)
            .map((o) => o.name),
        );
        if (counted.length) findings.push(`overrides ${counted.join(", ")} of ${group} to count (ruleActionOverrides), so they block nothing`);
        if (runs.every((r) => r.statement.managedRuleGroupStatement.scopeDownStatement))
          findings.push(`runs ${group} only on the requests its scopeDownStatement selects`);
      }
      for (const r of rules) {
        const isGroup = !!(r.statement?.managedRuleGroupStatement || r.statement?.ruleGroupReferenceStatement);
        if (isGroup ? !r.overrideAction : !r.action) findings.push(`rule "${r.name}" has no ${isGroup ? "overrideAction" : "action"}`);
      }
      return findings;
    },
  }),
];
