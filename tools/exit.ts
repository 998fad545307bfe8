/** Exit codes and the usage error of the command-line tools, without dependencies (the load test loads no SDK). */

/** A bad command line; reported as one line. */
export class UsageError extends Error {}

/**
 * Exit codes of the tools (`npm run plan`, `synth`, `diff`, `loadtest`, `grafana-dashboard`), documented in the README: a script can
 * tell what to fix from the code alone.
 */
export const EXIT = {
  /** Done; for the plan: no mandatory policy violation. */
  ok: 0,
  /** The plan found mandatory policy violations. */
  policyViolations: 1,
  /** A bad command line or an unknown stack. */
  usage: 2,
  /** The stack's config is invalid (its file, Pulumi.yaml's typed config, or the validator). */
  config: 3,
  /** The stack synthesizes, but the provider rules say AWS would refuse it. */
  wouldNotDeploy: 4,
  /** `plan --strict`: the stack still holds example values (see tools/plan/placeholders.ts). */
  placeholders: 5,
  /** `diff`: the change deletes or replaces a resource that holds data or is protected. */
  dataLoss: 6,
  /** `loadtest`: the target was not tested: the safety stop ended the run, nothing answered, most requests failed, or its certificate did not verify. */
  loadFailed: 7,
  /** `grafana-dashboard`: Grafana refused a call (the token, a data source, the import). */
  remoteRefused: 8,
  /** Anything else: a bug; the message keeps its stack trace. */
  unexpected: 70,
} as const;
