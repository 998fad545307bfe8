/** `platform:auth`: end-user sign-in with Cognito. */
import { AWS_RANGES, COGNITO_MFA, COGNITO_RESERVED_DOMAIN_WORDS } from "../aws-limits";
import { bool, int, oneOf, section, str, v } from "../schema";
import type { Profiles } from "./environments";
import { DNS_LABEL } from "./names";

export const authSchema = section({
  /** Create the Cognito user pool, clients and hosted domain. */
  enabled: bool(),
  /** Hosted UI domain prefix: `<prefix>.auth.<region>.amazoncognito.com`, unique per region (default: `<project>-<stack>`). */
  domainPrefix: v.pipe(
    str(DNS_LABEL, "lower-case letters, digits and -, 1-63 characters"),
    v.check(
      (prefix) => !COGNITO_RESERVED_DOMAIN_WORDS.some((w) => prefix.includes(w)),
      `must not contain ${COGNITO_RESERVED_DOMAIN_WORDS.join(", ")} (Cognito reserves them)`,
    ),
  ),
  /** MFA: OPTIONAL (dev) or ON (prod). */
  mfa: oneOf(COGNITO_MFA),
  /** Minimum password length: 12 (the platform's floor; Cognito allows 6) to 99. */
  passwordMinLength: int(12, AWS_RANGES.cognitoPasswordLength[1]),
});
export type AuthSettings = v.InferOutput<typeof authSchema>;

export const AUTH_DEFAULTS: Profiles<Omit<AuthSettings, "domainPrefix">> = {
  dev: { enabled: true, mfa: "OPTIONAL", passwordMinLength: 12 },
  staging: { enabled: true, mfa: "ON", passwordMinLength: 14 },
  prod: { enabled: true, mfa: "ON", passwordMinLength: 14 },
};
