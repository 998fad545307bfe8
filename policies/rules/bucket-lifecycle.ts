/**
 * What a lifecycle rule that aborts incomplete multipart uploads in a whole bucket looks like. One
 * definition, used by the pack's s3-lifecycle rule and by PrivateBucket (which adds such a rule when
 * none of its caller's does). Pure, with no imports, so the program can load it without the policy SDK.
 */

const unset = (value: unknown): boolean => value === undefined || value === null || value === "";

/**
 * An enabled rule with abortIncompleteMultipartUpload.daysAfterInitiation whose filter covers the
 * whole bucket: no filter (and no legacy prefix), or a filter of an empty prefix and nothing else.
 */
export function abortsIncompleteUploads(rule: unknown): boolean {
  const r = rule as Record<string, any> | undefined;
  if (r?.status !== "Enabled" || typeof r.abortIncompleteMultipartUpload?.daysAfterInitiation !== "number") return false;
  if (r.filter === undefined || r.filter === null) return unset(r.prefix);
  return Object.entries(r.filter as Record<string, unknown>).every(([key, value]) => (key === "prefix" ? unset(value) : value === undefined || value === null));
}
