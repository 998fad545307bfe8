/**
 * IAM: identity policies grant exact actions on exact resources, roles trust AWS services (pinned to
 * our account), and resource policies never open to everyone. Identity-policy rules read only IAM
 * identity documents: KMS key policies and resource policies have their own semantics.
 */
import { Policy } from "@pulumi/policy";
import { asArray, attachedTo, describe, ofTypes, resourceRule, Statement, statementsOf, stackRule } from "./common";

const ROLE = "aws:iam/role:Role";
/** Keys that take a key policy (a replica and an imported-material key fall back to KMS's default as a key does). */
const KEY_TYPES = ["aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey", "aws:kms/externalKey:ExternalKey"];
const KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy";

const USER_POLICY = "aws:iam/userPolicy:UserPolicy";
/** Types whose `policy` input is an IAM identity policy; roles carry more in `inlinePolicies`. */
const IDENTITY_POLICY_TYPES = ["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", USER_POLICY, "aws:iam/groupPolicy:GroupPolicy", ROLE];
/** Resource policies (and the inline `policy` of the resources that take one) that name principals. */
/**
 * Where each type keeps a resource policy (who else may use the resource), the one table the
 * resource-policy rules read: a new kind is a new row, not a new rule. A Lambda permission is a
 * one-statement policy in fields; it is read as the statement Lambda builds from them.
 */
const inPolicy = (p: any): Document[] => [{ where: "policy", statements: statementsOf(p.policy) }];
export const RESOURCE_POLICIES: Record<string, (props: any) => Document[]> = {
  "aws:sqs/queuePolicy:QueuePolicy": inPolicy,
  "aws:sqs/queue:Queue": inPolicy,
  "aws:sns/topicPolicy:TopicPolicy": inPolicy,
  "aws:sns/topic:Topic": inPolicy,
  "aws:s3/bucketPolicy:BucketPolicy": inPolicy,
  "aws:s3/bucket:Bucket": inPolicy,
  "aws:kms/key:Key": inPolicy,
  "aws:ecr/repositoryPolicy:RepositoryPolicy": inPolicy,
  "aws:secretsmanager/secretPolicy:SecretPolicy": inPolicy,
  "aws:secretsmanager/secret:Secret": inPolicy,
  "aws:efs/fileSystemPolicy:FileSystemPolicy": inPolicy,
  "aws:backup/vaultPolicy:VaultPolicy": inPolicy,
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": (p) => [{ where: "policyDocument", statements: statementsOf(p.policyDocument) }],
  "aws:lambda/permission:Permission": (p) => [{ where: "permission", statements: [lambdaPermissionStatement(p)] }],
};
const RESOURCE_POLICY_TYPES = Object.keys(RESOURCE_POLICIES);

/** The statement Lambda adds to a function's policy for an aws.lambda.Permission. */
function lambdaPermissionStatement(p: any): Stmt {
  const principal = String(p.principal ?? "");
  const condition: Record<string, Record<string, string>> = {};
  if (p.sourceArn) condition.ArnLike = { "aws:SourceArn": p.sourceArn };
  if (p.sourceAccount) condition.StringEquals = { "aws:SourceAccount": p.sourceAccount };
  if (p.principalOrgId) condition.StringEquals = { ...(condition.StringEquals ?? {}), "aws:PrincipalOrgID": p.principalOrgId };
  return {
    Effect: "Allow",
    Principal: principal === "*" ? "*" : SERVICE_PRINCIPAL.test(principal) ? { Service: principal } : { AWS: principal },
    Action: [String(p.action ?? "lambda:InvokeFunction")],
    NotAction: [],
    Resource: [String(p.function ?? "*")],
    ...(Object.keys(condition).length ? { Condition: condition } : {}),
  } as Stmt;
}

/** The 12-digit account an ARN (or a bare account id) names, if any. */
function accountOf(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return value;
  return /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(value)?.[1];
}

/** Keys that tie a service's request to this account or resource (the confused-deputy guard). */
const SOURCE_KEYS = ["aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths", "aws:sourceowner"];

/**
 * A condition key that ties a service's request to a source: the global source keys, and in key
 * policies the encryption context a service binds to its resource (CloudWatch Logs' log-group ARN)
 * or the calling account through a service.
 */
function tiesToSource(key: string): boolean {
  return SOURCE_KEYS.includes(key) || key.startsWith("kms:encryptioncontext:") || key === "kms:calleraccount";
}
const ADMIN_POLICY_ARN = /^arn:[a-z-]+:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;
const CONFUSED_DEPUTY_KEYS = ["aws:sourceaccount", "aws:sourcearn"];

/** `statementsOf` leaves NotResource as written. */
type Stmt = Statement & { NotResource?: string | string[] };

/** One policy document of a resource, with where it sits for messages. */
interface Document {
  where: string;
  statements: Stmt[];
}

/** The IAM identity documents a resource carries: `policy`, or each of a role's `inlinePolicies`. */
function identityDocuments(type: string, props: any): Document[] {
  if (type === ROLE) {
    return asArray<any>(props.inlinePolicies).map((p, i) => ({
      where: `inlinePolicies[${i}]${p.name ? ` ("${p.name}")` : ""}`,
      statements: statementsOf(p.policy),
    }));
  }
  return [{ where: "policy", statements: statementsOf(props.policy) }];
}

/** `policy statement "Sid"` or `policy statement #2`, for messages. */
function label(where: string, statement: Stmt, index: number): string {
  return `${where} statement ${statement.Sid ? `"${statement.Sid}"` : `#${index + 1}`}`;
}

/** Each Allow statement of the documents with its label. */
function allows(documents: Document[]): { s: Stmt; at: string }[] {
  return documents.flatMap((doc) =>
    doc.statements.map((s, i) => ({ s, at: label(doc.where, s, i) })).filter(({ s }) => String(s.Effect).toLowerCase() === "allow"),
  );
}

const quote = (values: string[]) => values.map((v) => `"${v}"`).join(", ");

/** IAM action pattern match (`*` and `?` wildcards, case-insensitive). */
function actionMatches(pattern: string, action: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, "i").test(action);
}

/** The statement applies to every resource: Resource "*", or NotResource (everything but a few). */
function onEveryResource(s: Stmt): string | undefined {
  if (s.Resource.includes("*")) return 'on Resource "*"';
  const not = asArray(s.NotResource);
  return not.length ? `on every resource except ${quote(not)} (NotResource)` : undefined;
}

/** The principals a statement names, as kind/value pairs; a bare "*" has kind "*". */
function principals(principal: unknown): { kind: string; value: string }[] {
  if (principal === undefined || principal === null) return [];
  if (typeof principal === "string") return [{ kind: "*", value: principal }];
  return Object.entries(principal as Record<string, unknown>).flatMap(([kind, v]) => asArray(v).map((value) => ({ kind, value: String(value) })));
}

function hasCondition(s: Stmt): boolean {
  return !!s.Condition && Object.keys(s.Condition).length > 0;
}

function conditionKeys(s: Stmt): string[] {
  return Object.values(s.Condition ?? {}).flatMap((byKey) => Object.keys(byKey ?? {}).map((k) => k.toLowerCase()));
}

export const iamPolicies: Policy[] = [
  resourceRule({
    name: "aurora-iam-auth",
    concern: "iam",
    description:
      "Aurora clusters accept IAM database authentication, so services connect with short-lived tokens from their role rather than a stored password.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set iamDatabaseAuthenticationEnabled: true on the cluster (services then get rds-db:connect on their database user)",
    types: ["aws:rds/cluster:Cluster"],
    check: (props) =>
      props.iamDatabaseAuthenticationEnabled === true ? [] : [`iamDatabaseAuthenticationEnabled is ${props.iamDatabaseAuthenticationEnabled ?? "not set"}`],
  }),
  resourceRule({
    name: "cognito-password-policy",
    concern: "iam",
    description: "User pools require passwords of at least 8 characters with upper case, lower case, numbers and symbols.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "set passwordPolicy { minimumLength: >= 8, requireUppercase, requireLowercase, requireNumbers, requireSymbols: true }",
    configKey: "platform:auth",
    types: ["aws:cognito/userPool:UserPool"],
    check: (props) => {
      const p = props.passwordPolicy ?? {};
      const missing = ["requireUppercase", "requireLowercase", "requireNumbers", "requireSymbols"].filter((k) => p[k] !== true);
      const findings = missing.length ? [`passwordPolicy does not set ${missing.join(", ")}`] : [];
      if (!((p.minimumLength ?? 8) >= 8)) findings.push(`passwordPolicy.minimumLength is ${p.minimumLength}, below 8`);
      return findings;
    },
  }),
  resourceRule({
    name: "cognito-mfa",
    concern: "iam",
    description: "Prod user pools require multi-factor authentication (dev and staging may leave it optional for testers).",
    severity: "medium",
    enforcementLevel: "advisory",
    prodOnly: true,
    remediation: 'set mfaConfiguration: "ON" with a software token or SMS second factor',
    configKey: "platform:auth",
    types: ["aws:cognito/userPool:UserPool"],
    check: (props) => (props.mfaConfiguration === "ON" ? [] : [`mfaConfiguration is ${props.mfaConfiguration ?? "OFF"}`]),
  }),
  resourceRule({
    name: "http-api-routes-authorized",
    concern: "iam",
    description: "Every API Gateway HTTP API route requires an authorizer (JWT, Lambda or IAM), with scopes for a JWT authorizer.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "set authorizationType (JWT with authorizerId and authorizationScopes, CUSTOM or AWS_IAM) on the route",
    types: ["aws:apigatewayv2/route:Route"],
    check: (props) => {
      const type = props.authorizationType ?? "NONE";
      if (type === "NONE") return [`route ${props.routeKey} has no authorizer (authorizationType NONE)`];
      if (type === "JWT" && asArray(props.authorizationScopes).length === 0)
        return [`route ${props.routeKey} accepts any token of the issuer: no authorizationScopes (ID tokens would pass)`];
      return [];
    },
  }),
  resourceRule({
    name: "iam-no-wildcard-actions",
    concern: "iam",
    description: 'IAM identity policies allow no "*" or "<service>:*" action, and no NotAction.',
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "list the exact actions the principal calls (e.g. sqs:SendMessage), not a service wildcard or NotAction",
    types: IDENTITY_POLICY_TYPES,
    check: (props, ctx) => {
      const findings: string[] = [];
      for (const { s, at } of allows(identityDocuments(ctx.type, props))) {
        const wild = s.Action.filter((a) => /^([^:]+:)?\*$/.test(a));
        if (wild.length) findings.push(`${at} allows Action ${quote(wild)}`);
        if (s.NotAction.length) findings.push(`${at} allows every action except ${quote(s.NotAction)} (NotAction)`);
      }
      return findings;
    },
  }),

  resourceRule({
    name: "iam-no-wildcard-resources",
    concern: "iam",
    description: 'IAM identity policies allow actions on Resource "*" only for actions that have no resource-level permissions.',
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
      "scope Resource to the exact ARNs, or (only for actions without resource-level permissions) add the action to the pack's wildcardResourceActions",
    types: IDENTITY_POLICY_TYPES,
    check: (props, ctx) => {
      const allowed = new Set(ctx.config.wildcardResourceActions.map((a) => a.toLowerCase()));
      const findings: string[] = [];
      // SMS: a phone number has no ARN, so sns:Publish on "*" is the only way, when the same
      // document denies it on every topic (what is left is phone numbers).
      const docs = identityDocuments(ctx.type, props);
      const topicsDenied = docs.some((d) =>
        d.statements.some((st) => st.Effect === "Deny" && st.Action.some((a) => actionMatches(a, "sns:Publish")) && st.Resource.includes("arn:aws:sns:*:*:*")),
      );
      for (const { s, at } of allows(docs)) {
        const scope = onEveryResource(s);
        if (!scope) continue;
        const offending = s.NotAction.length
          ? [`every action except ${quote(s.NotAction)}`]
          : s.Action.filter((a) => !allowed.has(a.toLowerCase()) && !(topicsDenied && a.toLowerCase() === "sns:publish"));
        if (offending.length) findings.push(`${at} allows ${offending.join(", ")} ${scope}`);
      }
      return findings;
    },
  }),

  resourceRule({
    name: "iam-no-admin-policies",
    concern: "iam",
    description: "No role, user or group gets the AdministratorAccess, PowerUserAccess or IAMFullAccess managed policy.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "attach a policy granting only the actions the principal needs on its own resources",
    types: [
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:iam/userPolicyAttachment:UserPolicyAttachment",
      "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
      "aws:iam/policyAttachment:PolicyAttachment",
      ROLE,
    ],
    check: (props, ctx) => {
      if (ctx.type === ROLE)
        return asArray<string>(props.managedPolicyArns)
          .filter((arn) => ADMIN_POLICY_ARN.test(arn))
          .map((arn) => `managedPolicyArns includes ${arn}`);
      return ADMIN_POLICY_ARN.test(props.policyArn) ? [`policyArn is ${props.policyArn}`] : [];
    },
  }),

  resourceRule({
    name: "iam-no-passrole-wildcard",
    concern: "iam",
    description: 'IAM identity policies never allow iam:PassRole on Resource "*" (any role could be handed to any service).',
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "grant iam:PassRole on the exact role ARNs, with an iam:PassedToService condition",
    types: IDENTITY_POLICY_TYPES,
    check: (props, ctx) => {
      const findings: string[] = [];
      for (const { s, at } of allows(identityDocuments(ctx.type, props))) {
        const scope = onEveryResource(s);
        if (!scope) continue;
        if (s.NotAction.length) {
          if (!s.NotAction.some((a) => actionMatches(a, "iam:PassRole")))
            findings.push(`${at} allows iam:PassRole (NotAction ${quote(s.NotAction)} does not exclude it) ${scope}`);
          continue;
        }
        const via = s.Action.filter((a) => actionMatches(a, "iam:PassRole"));
        if (via.length) findings.push(`${at} allows iam:PassRole (via ${quote(via)}) ${scope}`);
      }
      return findings;
    },
  }),

  resourceRule({
    name: "ecs-task-role-distinct",
    concern: "iam",
    description: "ECS task definitions set a task role and an execution role, and they are different roles.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
      "set taskRoleArn to a role for the application's own calls and executionRoleArn to a separate role that only pulls images, writes logs and reads the injected secrets",
    types: ["aws:ecs/taskDefinition:TaskDefinition"],
    check: (props) => {
      const findings: string[] = [];
      if (!props.taskRoleArn) findings.push("taskRoleArn is not set");
      if (!props.executionRoleArn) findings.push("executionRoleArn is not set");
      if (findings.length === 0 && props.taskRoleArn === props.executionRoleArn)
        findings.push(`taskRoleArn and executionRoleArn are the same role (${props.taskRoleArn})`);
      return findings;
    },
  }),

  resourceRule({
    name: "iam-trust-service-principal",
    concern: "iam",
    description: "Roles trust only AWS service principals, or other principals under a Condition, never everyone.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
      'make each Allow statement of assumeRolePolicy name a Service principal (e.g. "ecs-tasks.amazonaws.com"); for an account, role or federated principal add a Condition (e.g. sts:ExternalId, aws:PrincipalOrgID, a token audience)',
    types: [ROLE],
    check: (props) => {
      const findings: string[] = [];
      for (const { s, at } of allows([{ where: "assumeRolePolicy", statements: statementsOf(props.assumeRolePolicy) }])) {
        if (s.NotPrincipal !== undefined) findings.push(`${at} trusts everyone but its NotPrincipal`);
        const named = principals(s.Principal);
        if (named.length === 0 && s.NotPrincipal === undefined) findings.push(`${at} has no Principal`);
        for (const { kind, value } of named) {
          if (value === "*") findings.push(`${at} trusts ${kind === "*" ? 'Principal "*"' : `${kind} "*"`}`);
          else if (kind === "Service") {
            if (!SERVICE_PRINCIPAL.test(value)) findings.push(`${at} trusts Service "${value}", which is not an AWS service principal`);
          } else if (!hasCondition(s)) findings.push(`${at} trusts ${kind} "${value}" without a Condition`);
        }
      }
      return findings;
    },
  }),

  resourceRule({
    name: "iam-trust-confused-deputy",
    concern: "iam",
    description:
      "Service-principal trust statements pin the calling resource with aws:SourceAccount or aws:SourceArn (confused-deputy guard), for the services documented to send those keys.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediation: 'add Condition { StringEquals: { "aws:SourceAccount": "<account id>" } } (or ArnLike aws:SourceArn) to the statement',
    types: [ROLE],
    check: (props, ctx) =>
      allows([{ where: "assumeRolePolicy", statements: statementsOf(props.assumeRolePolicy) }])
        .filter(({ s }) => !conditionKeys(s).some((k) => CONFUSED_DEPUTY_KEYS.includes(k)))
        .flatMap(({ s, at }) => {
          const services = principals(s.Principal)
            .filter((p) => p.kind === "Service" && ctx.config.confusedDeputyServices.includes(p.value))
            .map((p) => p.value);
          return services.length ? [`${at} lets ${services.join(", ")} assume the role without an aws:SourceAccount or aws:SourceArn condition`] : [];
        }),
  }),

  resourceRule({
    name: "resource-policy-no-public-principal",
    concern: "iam",
    description:
      'No resource policy (queues, topics, buckets, keys, repositories, secrets, file systems, vaults, log resource policies, function permissions) allows Principal "*" without a Condition.',
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation:
      'name the exact principal (a service with aws:SourceArn, or an account/role ARN), or add a Condition that scopes "*" (e.g. aws:SourceArn, aws:PrincipalOrgID)',
    types: RESOURCE_POLICY_TYPES,
    check: (props, ctx) =>
      allows(RESOURCE_POLICIES[ctx.type](props))
        .filter(({ s }) => !hasCondition(s))
        .flatMap(({ s, at }) => {
          const actions = s.Action.length ? quote(s.Action) : `every action except ${quote(s.NotAction)}`;
          if (s.NotPrincipal !== undefined) return [`${at} allows ${actions} to everyone but its NotPrincipal, without a Condition`];
          const open = principals(s.Principal).filter((p) => p.value === "*" && (p.kind === "*" || p.kind === "AWS"));
          return open.length ? [`${at} allows ${actions} to ${open[0].kind === "*" ? 'Principal "*"' : 'AWS "*"'} without a Condition`] : [];
        }),
  }),

  resourceRule({
    name: "resource-policy-no-cross-account",
    concern: "iam",
    description:
      "No resource policy lets an account other than the resource's own use it, unless that account is in the pack's trustedAccounts (e.g. a log-archive or security account).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "name a principal of the resource's own account, or add the other account to the pack's trustedAccounts with the reason",
    configKey: "trustedAccounts (policy pack config)",
    types: RESOURCE_POLICY_TYPES,
    check: (props, ctx) =>
      allows(RESOURCE_POLICIES[ctx.type](props)).flatMap(({ s, at }) => {
        // The owner is the account the statement's resources name; where they name none (S3, Resource "*"), it cannot be judged.
        const owners = new Set(s.Resource.map(accountOf).filter((a): a is string => a !== undefined));
        if (owners.size !== 1) return [];
        const owner = [...owners][0];
        const others = principals(s.Principal)
          .filter((p) => p.kind === "AWS")
          .map((p) => accountOf(p.value))
          .filter((a): a is string => a !== undefined && a !== owner && !ctx.config.trustedAccounts.includes(a));
        return others.length ? [`${at} allows account ${[...new Set(others)].join(", ")} on a resource of account ${owner}`] : [];
      }),
  }),

  resourceRule({
    name: "resource-policy-service-source",
    concern: "iam",
    description:
      "A resource policy that lets an AWS service act ties it to this account or resource with aws:SourceAccount or aws:SourceArn (the confused-deputy guard), except for services the pack lists as sending neither.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
      "add a Condition on aws:SourceArn (the exact resource the service acts for) or aws:SourceAccount; a service documented to send neither goes in the pack's servicesWithoutSourceKeys, with the reason",
    configKey: "servicesWithoutSourceKeys, keyPolicyServicesWithoutSourceKeys (policy pack config)",
    types: RESOURCE_POLICY_TYPES,
    check: (props, ctx) =>
      allows(RESOURCE_POLICIES[ctx.type](props)).flatMap(({ s, at }) => {
        const exempt = ctx.type === "aws:kms/key:Key" ? ctx.config.keyPolicyServicesWithoutSourceKeys : ctx.config.servicesWithoutSourceKeys;
        const services = principals(s.Principal)
          .filter((p) => p.kind === "Service")
          .map((p) => p.value)
          .filter((svc) => !exempt.includes(svc));
        if (services.length === 0 || conditionKeys(s).some(tiesToSource)) return [];
        return [`${at} allows ${quote(services)} without aws:SourceArn or aws:SourceAccount`];
      }),
  }),

  resourceRule({
    name: "iam-no-user-inline-policies",
    concern: "iam",
    description: "Permissions are granted through roles, not inline policies on IAM users.",
    severity: "low",
    enforcementLevel: "advisory",
    remediation: "grant the permissions to a role the user assumes (or to a group), and remove the aws.iam.UserPolicy",
    types: [USER_POLICY],
    check: () => ["inline policy attached directly to an IAM user"],
  }),
  stackRule({
    name: "kms-key-explicit-policy",
    concern: "iam",
    description:
      "Every KMS key (including replica and imported-material keys) has a key policy written in code, on the key or as an aws.kms.KeyPolicy, and is enabled.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
      "set policy (or add an aws.kms.KeyPolicy) naming the administrators and each service or role that uses the key, and leave isEnabled unset or true",
    check: (resources) => {
      const keyPolicies = ofTypes(resources, KEY_POLICY);
      const findings: string[] = [];
      for (const key of ofTypes(resources, ...KEY_TYPES)) {
        const documents = [key.props.policy, ...attachedTo(keyPolicies, "keyId", key).map((p) => p.props.policy)].filter((d) => statementsOf(d).length > 0);
        // A policy that only delegates to IAM is still written and reviewed here; none at all is KMS's choice.
        if (documents.length === 0)
          findings.push(`${describe(key)} has no key policy: KMS applies its default (the account root may do kms:*), which no one wrote or reviewed`);
        if (key.props.isEnabled === false || key.props.enabled === false)
          findings.push(`${describe(key)} is disabled: everything it encrypts is unreadable until it is enabled again`);
      }
      return findings;
    },
  }),
];
