import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DnsValidatedCertificateArgs {
  /** Names the certificate covers; the first (at most 64 characters, ACM's limit) is its subject. */
  readonly domainNames: string[];
  /**
   * Another certificate of this account whose validation records this one reuses for the names
   * both cover. ACM gives a name the same validation CNAME in every certificate of an account (in
   * every region), so a second record resource for it would fight the first over one DNS name.
   * @default none: this certificate writes a record for each of its names
   */
  readonly sharesRecordsWith?: DnsValidatedCertificate;
  /**
   * Names whose validation records another stack writes (a standby's certificate for names its
   * primary's certificates cover): listed by the record name ACM gives, never written here.
   * @default none
   */
  readonly recordsWrittenElsewhere?: string[];
  /** Route 53 hosted zone that holds the validation records. */
  readonly zoneId: pulumi.Input<string>;
}

/**
 * An ACM certificate validated through Route 53 records, usable once `certificateArn` resolves
 * (it comes from `CertificateValidation`, so dependents wait for issuance). ACM returns one
 * validation option per name (subject and every SAN), and the validation must list a record for
 * each of them: the provider fails with `missing <name> DNS validation record` otherwise. Records
 * another certificate already writes are listed, not written again. The certificate's region is
 * its provider's: pass `providers: [usEast1]` for CloudFront.
 */
export class DnsValidatedCertificate extends pulumi.ComponentResource {
  /** ARN of the issued certificate. */
  public readonly certificateArn: pulumi.Output<string>;
  /** The FQDN of the validation record of each name this certificate covers. */
  public readonly validationRecordFqdns: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: DnsValidatedCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:edge:DnsValidatedCertificate", name, {}, opts);

    const [subject, ...alternatives] = args.domainNames;
    const certificate = new aws.acm.Certificate(
      `${name}-cert`,
      { domainName: subject, subjectAlternativeNames: alternatives.length ? alternatives : undefined, validationMethod: "DNS", keyAlgorithm: "RSA_2048" },
      { parent: this },
    );
    const shared = args.sharesRecordsWith?.validationRecordFqdns ?? {};
    const elsewhere = new Set(args.recordsWrittenElsewhere ?? []);
    const fqdns: Record<string, pulumi.Output<string>> = {};
    const optionFor = (domainName: string) =>
      certificate.domainValidationOptions.apply((options) => {
        const match = options.find((o) => o.domainName === domainName);
        if (!match) throw new Error(`ACM returned no DNS validation option for ${domainName}`);
        return match;
      });
    for (const domainName of elsewhere) fqdns[domainName] = optionFor(domainName).apply((o) => o.resourceRecordName.replace(/\.$/, ""));
    args.domainNames
      .filter((domainName) => !(domainName in shared) && !elsewhere.has(domainName))
      .forEach((domainName, i) => {
        const option = optionFor(domainName);
        fqdns[domainName] = new aws.route53.Record(
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
        ).fqdn;
      });
    for (const domainName of args.domainNames) if (domainName in shared) fqdns[domainName] = shared[domainName];
    const validation = new aws.acm.CertificateValidation(
      `${name}-validation`,
      { certificateArn: certificate.arn, validationRecordFqdns: args.domainNames.map((domainName) => fqdns[domainName]) },
      { parent: this },
    );

    this.certificateArn = validation.certificateArn;
    this.validationRecordFqdns = fqdns;
    this.registerOutputs({ certificateArn: this.certificateArn });
  }
}
