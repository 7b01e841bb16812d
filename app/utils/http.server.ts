/** Small helpers that turn a failed expectation into the right HTTP answer. */

/** Throws a 404 unless the condition holds. Used for "missing" and "not yours" alike, on purpose. */
export function invariantFound<T>(value: T | null | undefined): asserts value is T {
  if (value === null || value === undefined) throw notFound();
}

export function notFound(): Response {
  return new Response("Not Found", { status: 404 });
}

export function forbidden(): Response {
  return new Response("Forbidden", { status: 403 });
}

/** The client address as seen by our own server (app/serve.ts puts it in the load context). */
export function clientIp(context: unknown): string {
  const ip = (context as { clientIp?: unknown } | undefined)?.clientIp;
  return typeof ip === "string" && ip ? ip : "unknown";
}

/** Only same-site relative paths may be redirect targets (no open redirects). */
export function safeRedirectPath(target: FormDataEntryValue | string | null | undefined, fallback = "/dashboard"): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) {
    return fallback;
  }
  return target;
}
