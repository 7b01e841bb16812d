/**
 * Cross-site request forgery protection for every state-changing request, applied by the server
 * before any route runs. Browsers send `Origin` (and `Sec-Fetch-Site`) on every non-GET request;
 * a request from another site is refused. Requests without either header come from non-browser
 * clients, which carry no victim's cookies, so they are let through. SameSite=Lax session cookies
 * are the second line of defence.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Returns the reason to refuse, or null when the request may go on. */
export function crossSiteRequestRefusal(method: string, headers: HeaderBag, host: string | undefined): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const fetchSite = header(headers, "sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") {
    return `Cross-site request refused (Sec-Fetch-Site: ${fetchSite}).`;
  }
  const origin = header(headers, "origin");
  if (origin !== undefined) {
    let originHost: string | null = null;
    try {
      originHost = origin === "null" ? null : new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (!originHost || originHost !== host) return `Cross-site request refused (Origin: ${origin}).`;
  }
  return null;
}
