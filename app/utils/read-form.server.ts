/**
 * Reading a posted form, for every action. `request.formData()` throws a TypeError when the
 * request has no Content-Type, one that is not a form, or a body that does not parse; left alone
 * that surfaces as a 500. A client mistake is a 4xx with a message, so every action reads its form
 * through `readForm`, which answers 415 (not a form) or 400 (a form that does not parse) instead.
 *
 * The answers are thrown Responses, like `notFound()`, so an action needs no branch of its own.
 * Their text carries both languages: the request never got far enough to know the reader's.
 *
 * A field (name, value or file name) holding NUL is refused here too, with a 400 naming it:
 * PostgreSQL text cannot store NUL, and no action should have to remember to ask.
 */
import { fieldWithNul, nulByteResponse } from "./nul-bytes.server.ts";
import { requestLocale } from "./session.server.ts";

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"] as const;

/** The media type of a Content-Type header, lower case, without parameters ("" when absent). */
export function mediaType(request: Request): string {
  return (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
}

export function isFormRequest(request: Request): boolean {
  return (FORM_TYPES as readonly string[]).includes(mediaType(request));
}

const TEXT_HEADERS = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };

/** 415: the body is not a form at all (no Content-Type, JSON, text …). */
export function notAFormResponse(request: Request): Response {
  const got = request.headers.get("Content-Type");
  const zh = got
    ? `不支持的请求内容类型 Content-Type “${got.slice(0, 100)}”：表单须以 application/x-www-form-urlencoded 或 multipart/form-data 提交。`
    : "请求缺少内容类型 Content-Type：表单须以 application/x-www-form-urlencoded 或 multipart/form-data 提交。";
  const en = got
    ? `Unsupported Content-Type "${got.slice(0, 100)}": a form must be sent as application/x-www-form-urlencoded or multipart/form-data.`
    : "The request has no Content-Type: a form must be sent as application/x-www-form-urlencoded or multipart/form-data.";
  return new Response(`${zh}\n${en}\n`, { status: 415, headers: { ...TEXT_HEADERS, "Accept-Post": FORM_TYPES.join(", ") } });
}

/** 400: the Content-Type says form, but the body does not parse as one (no boundary, cut short …). */
export function malformedFormResponse(): Response {
  return new Response(
    "表单内容无法解析（Content-Type 与请求体不符，或请求体不完整）。\nThe form cannot be read: the body does not match its Content-Type or is incomplete.\n",
    { status: 400, headers: TEXT_HEADERS },
  );
}

/**
 * The posted form, or a thrown 415/400 Response. Multipart forms are parsed by the platform's own
 * parser (undici), which reads quoted parameters properly: a file named `invoice;2025.pdf` is a file
 * name, not a malformed header.
 */
export async function readForm(request: Request): Promise<FormData> {
  if (!isFormRequest(request)) throw notAFormResponse(request);
  let form: FormData;
  try {
    form = await request.formData();
  } catch (error) {
    if (error instanceof TypeError) throw malformedFormResponse();
    throw error;
  }
  const nulField = fieldWithNul(form.entries());
  if (nulField !== null) throw nulByteResponse(nulField, await requestLocale(request));
  return form;
}
