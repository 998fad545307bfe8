import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DnsValidatedCertificateArgs {
  /** The one name the certificate covers, at most 64 characters (ACM's limit for the first name). */
  domainName: string;
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

    const certificate = new aws.acm.Certificate(
      `${name}-cert`,
      { domainName: args.domainName, validationMethod: "DNS", keyAlgorithm: "RSA_2048" },
      { parent: this },
    );
    const option = certificate.domainValidationOptions.apply((options) => {
      const match = options.find((o) => o.domainName === args.domainName);
      if (!match) throw new Error(`ACM returned no DNS validation option for ${args.domainName}`);
      return match;
    });
    const record = new aws.route53.Record(
      `${name}-validation`,
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
    const validation = new aws.acm.CertificateValidation(
      `${name}-validation`,
      { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
      { parent: this },
    );

    this.certificateArn = validation.certificateArn;
    this.registerOutputs({ certificateArn: this.certificateArn });
  }
}
