/**
 * `platform:email`: notifications that are actually sent. E-mail through Amazon SES from the
 * site's domain (a verified identity with DKIM records in the hosted zone, a custom MAIL FROM
 * domain, a configuration set whose bounce and complaint events reach the alert topic), and SMS
 * through SNS behind a switch. A service sends by declaring `access.email` (or `access.sms`).
 */
import { bool, int, section, str, v } from "../schema";
import type { Profiles } from "./environments";
import { DNS_LABEL } from "./names";

export const emailSchema = section({
  /** Whether the stack sends e-mail (a verified SES identity for `platform:domain`). */
  enabled: bool(),
  /** Local part of the sender: mail comes from `<sender>@<domain>`. */
  sender: str(/^[a-z0-9]([a-z0-9._+-]{0,62}[a-z0-9])?$/, "must be the local part of an address, e.g. no-reply"),
  /** Subdomain of the custom MAIL FROM domain (`<mailFrom>.<domain>`), which aligns SPF with the sender. */
  mailFromSubdomain: str(DNS_LABEL, "must be one DNS label such as mail"),
  /** SMS through SNS (off by default: messages cost per country, and many need a registered origination identity). */
  sms: section({
    /** Whether services may send SMS (`access.sms`). */
    enabled: bool(),
    /** The account's monthly SMS spending limit in this region, in USD (SNS stops sending beyond it). */
    monthlySpendLimitUsd: int(1, 100000),
  }),
});
export type EmailSettings = v.InferOutput<typeof emailSchema>;

const shared = { sender: "no-reply", mailFromSubdomain: "mail", sms: { enabled: false, monthlySpendLimitUsd: 1 } };
export const EMAIL_DEFAULTS: Profiles<EmailSettings> = {
  // dev sends from the SES sandbox: to verified addresses only, 200 a day (README, "Notifications").
  dev: { ...shared, enabled: true },
  staging: { ...shared, enabled: true },
  prod: { ...shared, enabled: true },
};
