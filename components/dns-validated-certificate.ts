import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DnsValidatedCertificateArgs {
  /** Names the certificate covers; the first (at most 64 characters, ACM's limit) is its subject. */
  domainNames: string[];
  /**
   * Names whose validation record another certificate of this account already writes (ACM uses
   * one record per name per account); pass that certificate in `dependsOn`.
   */
  validatedElsewhere?: string[];
  /** Route 53 hosted zone that holds the validation record. */
  zoneId: pulumi.Input<string>;
}

/**
 * An ACM certificate validated through a Route 53 record, usable once `certificateArn` resolves
 * (it comes from `CertificateValidation`, so dependents wait for issuance). The certificate's
 * region is its provider's: pass `providers: [usEast1]` for CloudFront.
 */
export class DnsValidatedCertificate extends pulumi.ComponentResource {
  /** ARN of the issued certificate. */
  public readonly certificateArn: pulumi.Output<string>;

  constructor(name: string, args: DnsValidatedCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:edge:DnsValidatedCertificate", name, {}, opts);

    const [subject, ...alternatives] = args.domainNames;
    const certificate = new aws.acm.Certificate(
      `${name}-cert`,
      { domainName: subject, subjectAlternativeNames: alternatives.length ? alternatives : undefined, validationMethod: "DNS", keyAlgorithm: "RSA_2048" },
      { parent: this },
    );
    const records = args.domainNames
      .filter((domainName) => !(args.validatedElsewhere ?? []).includes(domainName))
      .map((domainName, i) => {
        const option = certificate.domainValidationOptions.apply((options) => {
          const match = options.find((o) => o.domainName === domainName);
          if (!match) throw new Error(`ACM returned no DNS validation option for ${domainName}`);
          return match;
        });
        return new aws.route53.Record(
          i === 0 ? `${name}-validation` : `${name}-validation-${i + 1}`,
          {
            zoneId: args.zoneId,
            name: option.resourceRecordName,
            type: option.resourceRecordType,
            records: [option.resourceRecordValue],
            ttl: 300,
            allowOverwrite: true,
          },
          { parent: this },
        );
      });
    const validation = new aws.acm.CertificateValidation(
      `${name}-validation`,
      { certificateArn: certificate.arn, validationRecordFqdns: records.map((r) => r.fqdn) },
      { parent: this },
    );

    this.certificateArn = validation.certificateArn;
    this.registerOutputs({ certificateArn: this.certificateArn });
  }
}
