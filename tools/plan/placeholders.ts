/**
 * Example values that would break a real deploy: the shipped stack files name reserved example
 * domains (RFC 2606), AWS's documentation account id, example repositories and e-mail addresses. The
 * plan warns about each; `--strict` (the deploy workflow's) makes them errors, so a stack cannot be
 * deployed before an adopter has put in their own values.
 */
import type { Settings } from "../../stacks";

export interface Placeholder {
  /** The config key, e.g. `platform:domain`. */
  key: string;
  value: string;
  /** Why it cannot work as it is. */
  why: string;
}

/** RFC 2606 names: example.com/.net/.org and the .example and .test TLDs resolve to nothing of yours. */
const EXAMPLE_DOMAIN = /(^|\.)(example\.(com|net|org)|[a-z0-9-]+\.(example|test))$/;
/** The account id AWS's documentation uses. */
const EXAMPLE_ACCOUNT = "123456789012";

export function placeholders(settings: Settings): Placeholder[] {
  const ns = `${settings.project}:`;
  const found: Placeholder[] = [];
  const flag = (key: string, value: string | undefined, test: boolean, why: string) => {
    if (value !== undefined && test) found.push({ key: ns + key, value, why });
  };
  flag("domain", settings.domain, EXAMPLE_DOMAIN.test(settings.domain), "a reserved example domain: nobody can validate a certificate for it");
  flag("edge.hostedZone", settings.edge.hostedZone, EXAMPLE_DOMAIN.test(settings.edge.hostedZone), "a reserved example domain: the zone cannot be yours");
  settings.observability.alertEmails.forEach((email, i) =>
    flag(`observability.alertEmails[${i}]`, email, EXAMPLE_DOMAIN.test(email.split("@")[1] ?? ""), "an example address: alerts would reach nobody"),
  );
  const arn = settings.delivery.connectionArn;
  flag(
    "delivery.connectionArn",
    arn,
    arn?.includes(`:${EXAMPLE_ACCOUNT}:`) === true,
    `AWS's documentation account ${EXAMPLE_ACCOUNT}: create and authorise your own connection`,
  );
  settings.services.forEach((s, i) => {
    flag(`services[${i}].image`, s.image, /(^|\/)example\//.test(s.image), "an example image: the first deploy would pull nothing");
    const repository = s.pipeline?.repository;
    flag(`services[${i}].pipeline.repository`, repository, /^example-org\//.test(repository ?? ""), "an example repository: the pipeline's source would fail");
  });
  return found;
}

export function renderPlaceholders(found: Placeholder[], strict: boolean): string {
  if (found.length === 0) return "Placeholders: none (every example value has been replaced).";
  const head = strict
    ? `Placeholders (${found.length}, errors with --strict):`
    : `Placeholders (${found.length}): replace before a real deploy (--strict fails on them)`;
  return [head, ...found.map((p) => `    ${p.key}: ${JSON.stringify(p.value)}; ${p.why}`)].join("\n");
}
