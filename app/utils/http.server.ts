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

// Any origin works: a target is resolved against it only to see whether it stays there.
const INTERNAL_ORIGIN = "http://carbonlabel.invalid";
// C0 controls, DEL and the C1 range: browsers drop tab and newline from URLs (so "/\t/evil" becomes
// "//evil"), and a header value with a control character makes the Response constructor throw.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Only paths of this site may be redirect targets (no open redirects). The target is resolved the
 * way a browser would, against our own origin, and kept only when it stays there; what comes back is
 * the resolved path, query and fragment (percent-encoded, so it is always a valid header value).
 * Anything else, including any control character, gives the fallback.
 */
export function safeRedirectPath(target: FormDataEntryValue | string | null | undefined, fallback = "/dashboard"): string {
  if (typeof target !== "string" || !target.startsWith("/") || CONTROL_CHARACTERS.test(target)) return fallback;
  let url: URL;
  try {
    url = new URL(target, INTERNAL_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== INTERNAL_ORIGIN) return fallback;
  const path = url.pathname + url.search + url.hash;
  // "/.//evil.example" resolves to the path "//evil.example", which a browser reads as another host.
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return fallback;
  return path;
}
