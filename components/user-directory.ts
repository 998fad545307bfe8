import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RetentionPolicy } from "../stacks/retention";
import { AuthSettings } from "../stacks/settings";

export interface UserDirectoryArgs {
  /** Physical name prefix, `<project>-<stack>`. */
  namePrefix: string;
  /** Validated auth settings (domain prefix, MFA mode, password length). */
  settings: AuthSettings;
  /** The site's domain: callback and sign-out URLs live there. */
  domain: string;
  /** The stack's retention policy: Cognito deletion protection and Pulumi `protect` on the pool (it holds the users). */
  retention: RetentionPolicy;
  /**
   * Scopes of the partner API: a `partner-api` resource server with them, and one confidential
   * app client that gets client-credentials tokens carrying them. Default: none (no partner client).
   */
  partnerScopes?: string[];
}

/** The partner API's resource server identifier; its scopes are `partner-api/<scope>`. */
export const PARTNER_RESOURCE_SERVER = "partner-api";

/** Strong passwords: length from config, all four character classes, no reuse of the last 5. */
export function passwordPolicy(minimumLength: number) {
  return {
    minimumLength,
    requireLowercase: true,
    requireUppercase: true,
    requireNumbers: true,
    requireSymbols: true,
    passwordHistorySize: 5,
    temporaryPasswordValidityDays: 3,
  };
}

/** Where the ALB's authenticate-cognito action sends users back after the hosted UI. */
export function albCallbackUrl(domain: string): string {
  return `https://${domain}/oauth2/idpresponse`;
}

/**
 * End-user sign-in with Cognito: a user pool (e-mail as username, strong passwords, TOTP MFA
 * optional in dev and required in prod, recovery by verified e-mail only, deletion protection as the
 * retention policy says), a hosted-UI domain, a public app client for the web front end (authorization code with
 * PKCE, no secret) and a confidential client the ALB uses for `authenticate-cognito` on the
 * routes that require sign-in.
 */
export class UserDirectory extends pulumi.ComponentResource {
  /** User pool id. */
  public readonly userPoolId: pulumi.Output<string>;
  /** User pool ARN. */
  public readonly userPoolArn: pulumi.Output<string>;
  /** Public client id for the web front end. */
  public readonly webClientId: pulumi.Output<string>;
  /** Hosted UI base URL. */
  public readonly hostedUiUrl: pulumi.Output<string>;
  /** OIDC issuer the front end and APIs validate tokens against. */
  public readonly issuerUrl: pulumi.Output<string>;
  /** The ALB listener-rule action settings for routes that require sign-in. */
  public readonly albAuthentication: aws.types.input.lb.ListenerRuleActionAuthenticateCognito;
  /** The partner app client's id (the partner API's JWT audience); none without partner scopes. */
  public readonly partnerClientId?: pulumi.Output<string>;

  constructor(name: string, args: UserDirectoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:auth:UserDirectory", name, {}, opts);
    const s = args.settings;
    const site = `https://${args.domain}`;

    const pool = new aws.cognito.UserPool(
      `${name}-pool`,
      {
        name: `${args.namePrefix}-users`,
        usernameAttributes: ["email"],
        autoVerifiedAttributes: ["email"],
        usernameConfiguration: { caseSensitive: false },
        passwordPolicy: passwordPolicy(s.passwordMinLength),
        mfaConfiguration: s.mfa,
        softwareTokenMfaConfiguration: { enabled: true },
        accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
        adminCreateUserConfig: { allowAdminCreateUserOnly: false },
        deletionProtection: args.retention.deletionProtection ? "ACTIVE" : "INACTIVE",
        // Password history (no reuse of the last 5) needs the Essentials tier or above.
        userPoolTier: "ESSENTIALS",
      },
      { parent: this, protect: args.retention.protect },
    );
    // A prefix belongs to one pool at a time: a replacement must release it first.
    const domain = new aws.cognito.UserPoolDomain(
      `${name}-domain`,
      { domain: s.domainPrefix, userPoolId: pool.id },
      { parent: this, deleteBeforeReplace: true },
    );
    const oauth = {
      userPoolId: pool.id,
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ["code"],
      allowedOauthScopes: ["openid", "email", "profile"],
      supportedIdentityProviders: ["COGNITO"],
      preventUserExistenceErrors: "ENABLED",
      enableTokenRevocation: true,
    };
    const web = new aws.cognito.UserPoolClient(
      `${name}-web`,
      {
        ...oauth,
        name: `${args.namePrefix}-web`,
        generateSecret: false,
        callbackUrls: [`${site}/auth/callback`],
        logoutUrls: [`${site}/`],
        explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
      },
      { parent: this },
    );
    const alb = new aws.cognito.UserPoolClient(
      `${name}-alb`,
      {
        ...oauth,
        name: `${args.namePrefix}-alb`,
        // The ALB's authenticate-cognito action needs a client secret.
        generateSecret: true,
        callbackUrls: [albCallbackUrl(args.domain)],
        explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
      },
      { parent: this },
    );

    // Partners: machine-to-machine tokens (client credentials) for the partner API's scopes; the
    // secret stays in Cognito (read with `aws cognito-idp describe-user-pool-client`), never in state outputs.
    if (args.partnerScopes && args.partnerScopes.length > 0) {
      const server = new aws.cognito.ResourceServer(
        `${name}-partner-api`,
        {
          userPoolId: pool.id,
          identifier: PARTNER_RESOURCE_SERVER,
          name: `${args.namePrefix} partner API`,
          scopes: args.partnerScopes.map((scope) => ({ scopeName: scope, scopeDescription: `partner API scope ${scope}` })),
        },
        { parent: this },
      );
      const partner = new aws.cognito.UserPoolClient(
        `${name}-partner`,
        {
          userPoolId: pool.id,
          name: `${args.namePrefix}-partner`,
          generateSecret: true,
          allowedOauthFlowsUserPoolClient: true,
          allowedOauthFlows: ["client_credentials"],
          allowedOauthScopes: args.partnerScopes.map((scope) => `${PARTNER_RESOURCE_SERVER}/${scope}`),
          supportedIdentityProviders: ["COGNITO"],
          preventUserExistenceErrors: "ENABLED",
          enableTokenRevocation: true,
          accessTokenValidity: 60,
          tokenValidityUnits: { accessToken: "minutes" },
        },
        { parent: this, dependsOn: [server] },
      );
      this.partnerClientId = partner.id;
    }

    this.userPoolId = pool.id;
    this.userPoolArn = pool.arn;
    this.webClientId = web.id;
    this.hostedUiUrl = pulumi.interpolate`https://${domain.domain}.auth.${pool.arn.apply((arn) => arn.split(":")[3])}.amazoncognito.com`;
    this.issuerUrl = pulumi.interpolate`https://${pool.endpoint}`;
    this.albAuthentication = {
      userPoolArn: pool.arn,
      userPoolClientId: alb.id,
      userPoolDomain: domain.domain,
      onUnauthenticatedRequest: "authenticate",
      scope: "openid email",
      sessionTimeout: 3600,
    };
    this.registerOutputs({ userPoolId: this.userPoolId, webClientId: this.webClientId, hostedUiUrl: this.hostedUiUrl });
  }
}
