/**
 * JSON API helpers. API callers get JSON answers — 401 instead of a redirect to the sign-in page,
 * errors as { error: { code, message: { zh, en } } } — but pass the same permission gate as pages.
 */
import { getSessionUser, requirePermission, type RequestContext } from "./auth.server.ts";
import type { Permission } from "./permissions.ts";

export function json(body: unknown, init: ResponseInit & { headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), {
    ...init,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...init.headers },
  });
}

export function apiError(status: number, code: string, zh: string, en: string, extra: Record<string, unknown> = {}): Response {
  return json({ error: { code, message: { zh, en }, ...extra } }, { status });
}

export async function requireApiPermission(request: Request, permission: Permission): Promise<RequestContext> {
  if (!(await getSessionUser(request))) {
    throw apiError(401, "Unauthenticated", "请先登录。", "Sign in first.");
  }
  try {
    return await requirePermission(request, permission);
  } catch (thrown) {
    if (thrown instanceof Response && thrown.status === 403) {
      throw apiError(403, "Forbidden", "您没有权限执行此操作。", "You are not allowed to do this.");
    }
    throw thrown;
  }
}

/** Reads a JSON body with a size limit, answering 413/415/400 as JSON. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.includes("application/json")) {
    throw apiError(
      415,
      "UnsupportedMediaType",
      "请求体必须是 JSON（Content-Type: application/json）。",
      "The body must be JSON (Content-Type: application/json).",
    );
  }
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readTextWithin(request, maxBytes);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw apiError(
      400,
      "InvalidJson",
      `请求体不是有效的 JSON：${(error as Error).message}`,
      `The body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/**
 * Reads the body as UTF-8 text, counting bytes as they arrive: a chunked body with no (or a false)
 * Content-Length is cut off at the first byte over the limit instead of being buffered whole.
 */
async function readTextWithin(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(maxBytes: number): Response {
  const mb = Math.round(maxBytes / 1024 / 1024);
  return apiError(413, "PayloadTooLarge", `请求体超过 ${mb} MB。`, `The body exceeds ${mb} MB.`);
}
