/**
 * What an environment-variable name that holds a credential looks like. One definition, used by the
 * pack's plaintext-secret rules and by the stack config validator (which refuses such names before
 * anything deploys). Pure, with no imports, so the program can load it without the policy SDK.
 */

/** Names containing one of these words are taken for credentials. */
export const SECRET_LOOKING_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/** True for a name that looks like a credential; `..._ARN` names a secret, it does not hold one. */
export function looksLikeSecret(name: string): boolean {
  return SECRET_LOOKING_NAME.test(name) && !/_ARN$/i.test(name);
}
