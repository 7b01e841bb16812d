/**
 * Whether a value is a UUID in its text form. Ids arrive from URLs and form fields; checking them
 * before a query keeps a malformed one a "not found" instead of a PostgreSQL cast error (a 500).
 */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
