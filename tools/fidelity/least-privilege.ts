/**
 * Least privilege as a proof: every Allow statement of every policy document is needed by at least
 * one allowed request of the flow catalogue, and every action an identity statement names is one a
 * flow makes through that statement. What no flow exercises is listed here with its reason, or it
 * is a finding.
 */
import { actionMatchesPattern } from "@cloud-copilot/iam-utils";
import type { RequestOutcome } from "./evaluate";
import type { IamWorld } from "./iam-world";

/** Grants no flow exercises, kept on purpose. */
export interface KnownExtra {
  /** Document id pattern (`type::name#...`). */
  document: RegExp;
  /** Sid of the statement. */
  sid: string;
  reason: string;
}

export const KNOWN_EXTRAS: readonly KnownExtra[] = [];

/** Unused statements and actions, one line each. */
export function unusedGrants(world: IamWorld, outcomes: RequestOutcome[], extras: readonly KnownExtra[] = KNOWN_EXTRAS): string[] {
  const used = new Map<string, Set<string>>();
  for (const o of outcomes.filter((x) => x.allowed)) {
    for (const ref of o.allowedBy) {
      if (!used.has(ref)) used.set(ref, new Set());
      used.get(ref)!.add(o.request.action.toLowerCase());
    }
  }
  const findings: string[] = [];
  // A permissions boundary caps grants and grants nothing itself: it is not a least-privilege subject.
  for (const doc of world.documents.filter((d) => d.kind !== "boundary")) {
    [doc.document.Statement].flat().forEach((s: any, i: number) => {
      if (s.Effect !== "Allow") return;
      if (extras.some((x) => x.document.test(doc.id) && x.sid === s.Sid)) return;
      const ref = `${doc.id}#${i}`;
      const label = `${doc.id} statement #${i + 1}${s.Sid ? ` (${s.Sid})` : ""}`;
      const actions = used.get(ref);
      if (!actions) {
        findings.push(`${label} is needed by no flow`);
        return;
      }
      if (doc.kind !== "identity") return;
      for (const pattern of [s.Action].flat() as string[]) {
        if (![...actions].some((a) => actionMatchesPattern(a, pattern))) findings.push(`${label}: ${pattern} is used by no flow`);
      }
    });
  }
  return findings;
}
