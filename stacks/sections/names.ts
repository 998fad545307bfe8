/** Name patterns more than one section checks against (one place for each). */

/** A lower-case DNS name, e.g. `shop.example.com`. */
export const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** One DNS label, e.g. `origin`. */
export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** An absolute HTTP path, e.g. `/users/health`. */
export const HTTP_PATH = /^\/[A-Za-z0-9._~/-]*$/;
/** A table, queue or function name within the stack (physical: `<prefix>-<name>`). */
export const RESOURCE_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
export const RESOURCE_NAME_ALLOWED = "2-32 lower-case letters, digits and -, starting with a letter";
/** An environment-variable name. */
export const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
