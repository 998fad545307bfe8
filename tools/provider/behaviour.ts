/**
 * What AWS computes that the mocks must reproduce for rules to mean anything: here, the DNS
 * validation options ACM returns for a certificate request.
 */
import { createHash } from "crypto";

export interface DomainValidationOption {
  domainName: string;
  resourceRecordName: string;
  resourceRecordType: "CNAME";
  resourceRecordValue: string;
}

/**
 * One option per distinct name of the certificate (its subject and every SAN), as ACM's
 * DescribeCertificate returns them. ACM gives a name the same CNAME in every certificate of an
 * account, in every region (so two certificates for one name share one record), and a wildcard
 * `*.x` the record of `x`.
 */
export function acmValidationOptions(names: string[]): DomainValidationOption[] {
  return [...new Set(names)].map((domainName) => {
    const base = domainName.replace(/^\*\./, "");
    const token = (salt: string) => createHash("md5").update(`${salt}:${base}`).digest("hex");
    return {
      domainName,
      resourceRecordName: `_${token("name")}.${base}.`,
      resourceRecordType: "CNAME",
      resourceRecordValue: `_${token("value")}.mhbtsbpdnt.acm-validations.aws.`,
    };
  });
}
