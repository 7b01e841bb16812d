/**
 * NUL (U+0000) in request input. PostgreSQL's text cannot hold it: a query parameter with it
 * handed to a search ends in `invalid byte sequence for encoding "UTF8": 0x00`, a 500. No
 * legitimate input contains it, so a loader or action refuses it up front with a 400 that names
 * the field — in both languages, the reader's first, because the answer is plain text.
 *
 * The server also refuses NUL in the raw URL before routing; this check is what holds when a
 * loader is called another way (tests, a future entry point) and for form fields in POST bodies,
 * which the URL check never sees.
 */
import { translator, type Locale } from "../i18n/index.ts";

const NUL = "\u0000";

/** How a field is named in the message: a name that itself holds NUL shows it as \0. */
function displayName(name: string): string {
  return name.split(NUL).join("\\0").slice(0, 64);
}

/** The first field (name or value) holding NUL among the entries, or null. */
export function fieldWithNul(entries: Iterable<[string, FormDataEntryValue]>): string | null {
  for (const [name, value] of entries) {
    if (name.includes(NUL) || (typeof value === "string" ? value.includes(NUL) : value.name.includes(NUL))) return displayName(name);
  }
  return null;
}

/** The 400 answer for a field holding NUL, message in the reader's language then the other. */
export function nulByteResponse(field: string, locale: Locale): Response {
  const order: Locale[] = locale === "en" ? ["en", "zh-CN"] : ["zh-CN", "en"];
  const text = order.map((l) => translator(l)("v.nulByte", { field })).join("\n");
  return new Response(text, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

/**
 * Throws the 400 when any query parameter, route parameter or (given) form field holds NUL.
 * Route parameters are named as the route names them (`number` for /verify/{number}).
 */
export function refuseNulBytes(request: Request, locale: Locale, extra: { params?: Record<string, string | undefined>; form?: FormData } = {}): void {
  const query = fieldWithNul(new URL(request.url).searchParams.entries());
  const params = extra.params ? fieldWithNul(Object.entries(extra.params).filter((e): e is [string, string] => typeof e[1] === "string")) : null;
  const form = extra.form ? fieldWithNul(extra.form.entries()) : null;
  const field = query ?? params ?? form;
  if (field !== null) throw nulByteResponse(field, locale);
}
