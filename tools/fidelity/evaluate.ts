/**
 * Evaluates runtime flows with a real IAM policy evaluator, @cloud-copilot/iam-simulate (AGPL-3.0,
 * a dev dependency used only by tests: see README), over the identity, trust, resource and key
 * policies the stack would create. Written around the library, not instead of it: this file only
 * decides which documents apply to a request and turns the simulator's analysis into one line
 * naming the decisive statement, or the missing one.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { Flow, FlowRequest } from "./flows";
import { IamWorld, SourcedDocument } from "./iam-world";

/** A statement of a document: `<document id>#<index>`. */
export type StatementRef = string;

export interface RequestOutcome {
  flow: Flow;
  request: FlowRequest;
  allowed: boolean;
  /** Why: the decisive statement(s), or what is missing. */
  detail: string;
  /** Statements that allowed the request (identity, trust, resource or key policy). */
  allowedBy: StatementRef[];
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The ref of `statement` within the documents that were evaluated (merged documents by their parts). */
function refOf(statement: unknown, docs: SourcedDocument[]): StatementRef | undefined {
  for (const doc of docs.flatMap((d) => d.parts ?? [d])) {
    const index = doc.document.Statement.findIndex((s) => sameJson(asSimulated(s), statement));
    if (index >= 0) return `${doc.id}#${index}`;
  }
  return undefined;
}

/** A statement by its Sid, or its start (the simulator hands back statement objects that serialise to the JSON). */
const label = (statement: unknown) => {
  const s = JSON.parse(JSON.stringify(statement));
  return s?.Sid ? `"${s.Sid}"` : JSON.stringify(s).slice(0, 100);
};

/**
 * The simulator (0.1.173) matches variable condition keys only across a `/` (`aws:PrincipalTag/x`),
 * so it drops request keys such as `kms:EncryptionContext:aws:logs:arn` and every condition on them
 * fails. Both sides are renamed, consistently, to a `/`-variable key it handles; the operators and
 * values are untouched, so the condition is evaluated exactly as written.
 */
const ENCRYPTION_CONTEXT = /^kms:encryptioncontext:/i;
const aliasKey = (key: string) => (ENCRYPTION_CONTEXT.test(key) ? `aws:RequestTag/kms-encryption-context-${key.replace(ENCRYPTION_CONTEXT, "")}` : key);
function aliasContextKeys(document: any): any {
  if (!document) return document;
  const statements = [document.Statement].flat().map((s: any) =>
    s.Condition
      ? {
          ...s,
          Condition: Object.fromEntries(
            Object.entries<Record<string, unknown>>(s.Condition).map(([op, block]) => [
              op,
              Object.fromEntries(Object.entries(block).map(([k, v]) => [aliasKey(k), v])),
            ]),
          ),
        }
      : s,
  );
  return { ...document, Statement: statements };
}
/** A statement as the simulator sees it, to match its answer back to the document. */
const asSimulated = (statement: any): any => aliasContextKeys({ Statement: [statement] }).Statement[0];

/** Runs one request of one flow through the simulator. */
export async function evaluateRequest(world: IamWorld, flow: Flow, request: FlowRequest): Promise<RequestOutcome> {
  const principal = request.principal ?? flow.principal;
  const isRole = principal.startsWith("arn:") && principal.includes(":role/");
  const identity = isRole ? world.identity(principal) : [];
  const boundary = isRole ? world.boundary(principal) : undefined;
  const external = request.principal === undefined ? flow.externalIdentity : undefined;
  const resourceDoc = request.resource === "*" ? undefined : world.resourcePolicy(request.resource);
  // Every request is sent to a region: the resource's, or the stack's for "*" and regionless ARNs
  // (IAM, S3). The bootstrap's permissions boundary allows only the stack's regions.
  const arnRegion = request.resource.startsWith("arn:") ? request.resource.split(":")[3] : "";
  const context: Record<string, string | string[]> = {
    "aws:SecureTransport": "true",
    "aws:RequestedRegion": arnRegion || world.region,
    ...(request.context ?? {}),
  };
  const response = await runSimulation(
    {
      request: {
        principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount ?? world.accountId },
        contextVariables: Object.fromEntries(Object.entries(context).map(([k, v]) => [aliasKey(k), v])),
      },
      identityPolicies: [
        ...identity.map((d) => ({ name: d.id, policy: aliasContextKeys(d.document) })),
        // A principal outside the stack: its own policy is the flow's stated assumption.
        ...(external ? [{ name: external.name, policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }] : []),
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: aliasContextKeys(resourceDoc?.document),
      ...(boundary ? { permissionBoundaryPolicies: [{ name: boundary.id, policy: aliasContextKeys(boundary.document) }] } : {}),
    },
    {},
  );
  const base = { flow, request };
  if (response.resultType === "error")
    return { ...base, allowed: false, detail: `simulator rejected the request: ${JSON.stringify(response.errors)}`, allowedBy: [] };
  const results: any[] = response.resultType === "single" ? [response.result] : response.results;
  const ignored = [...new Set(results.flatMap((r) => r.ignoredContextKeys ?? []))];
  if (ignored.length)
    return { ...base, allowed: false, detail: `context keys ${ignored.join(", ")} do not apply to ${request.action} (the flow is wrong)`, allowedBy: [] };
  const analyses = results.map((r: any) => r.analysis).filter(Boolean);
  const docs = [...identity, ...(resourceDoc ? [resourceDoc] : [])];
  const allowedBy = [
    ...new Set(
      analyses.flatMap((a: any) =>
        [...(a.identityAnalysis?.allowStatements ?? []), ...(a.resourceAnalysis?.allowStatements ?? [])]
          .map((s: any) => refOf(s.statement, docs))
          .filter(Boolean),
      ),
    ),
  ] as StatementRef[];
  if (response.overallResult === "Allowed") return { ...base, allowed: true, detail: "allowed", allowedBy };

  const denies = analyses.flatMap((a: any) => [...(a.identityAnalysis?.denyStatements ?? []), ...(a.resourceAnalysis?.denyStatements ?? [])]);
  if (denies.length)
    return {
      ...base,
      allowed: false,
      detail: `denied by ${denies.map((d: any) => `${refOf(d.statement, docs)} ${label(d.statement)}`).join(", ")}`,
      allowedBy,
    };
  const near = analyses.flatMap((a: any) =>
    [...(a.identityAnalysis?.unmatchedStatements ?? []), ...(a.resourceAnalysis?.unmatchedStatements ?? [])].filter(
      (s: any) => s.actionMatch && s.resourceMatch !== false,
    ),
  );
  const layers: string[] = [];
  const identityAllows = analyses.some((a: any) => (a.identityAnalysis?.allowStatements ?? []).length > 0);
  const resourceAllows = analyses.some((a: any) => (a.resourceAnalysis?.allowStatements ?? []).length > 0);
  const kms = request.action.startsWith("kms:") || request.action.startsWith("sts:AssumeRole");
  if (!identityAllows && identity.length) layers.push(`no statement of ${identity.map((d) => d.id).join(", ")} allows it`);
  const boundaryAllows = analyses.some((a: any) => (a.permissionBoundaryAnalysis?.allowStatements ?? []).length > 0);
  if (boundary && !boundaryAllows) layers.push(`the permissions boundary (${boundary.id}) does not allow it`);
  if (!identity.length && !resourceAllows) layers.push(resourceDoc ? `no statement of ${resourceDoc.id} allows ${flow.principal}` : "no policy allows it");
  if (kms && !resourceAllows && identity.length)
    layers.push(resourceDoc ? `${resourceDoc.id} neither allows the principal nor delegates to IAM` : "no key or trust policy");
  const why = near.length
    ? `; closest: ${near.map((s: any) => `${refOf(s.statement, docs)} ${label(s.statement)} (condition ${s.conditionMatch})`).join(", ")}`
    : "";
  return { ...base, allowed: false, detail: `implicitly denied: ${layers.join("; ") || response.overallResult}${why}`, allowedBy };
}

/** Evaluates every request of every flow. */
export async function evaluateFlows(world: IamWorld, flows: Flow[]): Promise<RequestOutcome[]> {
  const outcomes: RequestOutcome[] = [];
  for (const flow of flows) for (const request of flow.requests) outcomes.push(await evaluateRequest(world, flow, request));
  return outcomes;
}
