/**
 * What happens to data when a resource that holds it is deleted, replaced or changed: one named
 * policy per stack, resolved once from config, handed to every component that holds data. A
 * component reads the field it needs and never derives one from another, so "is this prod?" is
 * decided here and nowhere else.
 */

/** The retention policies a stack may pick (`platform:retentionPolicy`). */
export const RETENTION_POLICY_NAMES = ["retain", "destroy"] as const;
export type RetentionPolicyName = (typeof RETENTION_POLICY_NAMES)[number];

export interface RetentionPolicy {
  /** The policy's name, as config spells it. */
  readonly name: RetentionPolicyName;
  /**
   * Pulumi `protect` on every data store (Aurora, the cache, tables, the file system, keys, the user
   * pool, a created hosted zone): no `pulumi up` or `destroy` can delete or replace one until the
   * option is lifted in code.
   */
  readonly protect: boolean;
  /**
   * Pulumi `retainOnDelete` on buckets and image repositories that hold data (static assets, logs,
   * artifacts, images): dropping one from the program leaves it, and its objects, in the account.
   */
  readonly retainOnDelete: boolean;
  /** The service's own deletion protection: Aurora, DynamoDB, the Cognito pool, the ALB. */
  readonly deletionProtection: boolean;
  /** A final snapshot when Aurora or the cache is deleted, and Aurora's automated backups kept after. */
  readonly finalSnapshot: boolean;
  /** Days Secrets Manager keeps a deleted secret restorable: 0 (delete at once) or 7-30. */
  readonly secretRecoveryDays: 0 | 30;
  /** Days KMS waits before deleting a key scheduled for deletion (7-30). */
  readonly keyDeletionDays: 7 | 30;
  /** Pulumi empties buckets and repositories before deleting them (otherwise the delete fails). */
  readonly forceDestroy: boolean;
  /** Changes to the database and cache apply at once (true) or in the maintenance window (false). */
  readonly applyImmediately: boolean;
}

/** The two policies. `retain` keeps every byte; `destroy` leaves nothing behind on `pulumi destroy`. */
export const RETENTION_POLICIES: Readonly<Record<RetentionPolicyName, RetentionPolicy>> = Object.freeze({
  retain: Object.freeze({
    name: "retain",
    protect: true,
    retainOnDelete: true,
    deletionProtection: true,
    finalSnapshot: true,
    secretRecoveryDays: 30,
    keyDeletionDays: 30,
    forceDestroy: false,
    applyImmediately: false,
  }),
  destroy: Object.freeze({
    name: "destroy",
    protect: false,
    retainOnDelete: false,
    deletionProtection: false,
    finalSnapshot: false,
    secretRecoveryDays: 0,
    keyDeletionDays: 7,
    forceDestroy: true,
    applyImmediately: true,
  }),
});
