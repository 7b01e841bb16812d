/**
 * Hands an HTTP request to Remix. It replaces `@remix-run/express`'s adapter for two reasons:
 *
 * - **Request bodies are counted while they stream.** Each request may send at most the bytes
 *   its route class allows (bodyLimitFor). A declared Content-Length over the limit is answered
 *   413 before any byte is read; a chunked body is cut off at the limit, whatever the route was
 *   doing with it, and the answer becomes 413. So no route can be made to buffer more than its
 *   limit, and routes keep their own finer limits (file sizes, JSON size) on top.
 * - **The request URL is built from our own rules**, not from `X-Forwarded-Host` (the express
 *   adapter reads its port even when proxies are not trusted). Absolute links never come from
 *   the request anyway (app/utils/public-origin.server.ts).
 */
import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { Transform, type TransformCallback } from "node:stream";
import { MULTIPART_BODY_MAX_BYTES } from "../utils/upload-limits.ts";

const MiB = 1024 * 1024;

/** Bytes a request body may have, by route class. */
export const BODY_LIMITS = {
  /** The calculation API takes whole inventories as JSON (its own limit is the same). */
  calculateApi: 32 * MiB,
  /** File uploads (evidence, case documents, workbooks, certificate files): app/utils/upload-limits.ts. */
  multipart: MULTIPART_BODY_MAX_BYTES,
  /** Every other form or API body. */
  other: 1 * MiB,
} as const;

export function bodyLimitFor(method: string, path: string, contentType: string | undefined): number {
  if (method === "GET" || method === "HEAD") return 0;
  if (path === "/api/v1/footprints/calculate") return BODY_LIMITS.calculateApi;
  if (contentType && /^multipart\/form-data\b/i.test(contentType)) return BODY_LIMITS.multipart;
  return BODY_LIMITS.other;
}

export class PayloadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
    this.name = "PayloadTooLargeError";
  }
}

/** Counts bytes as they pass and fails the stream at the first byte over the limit. */
class ByteLimit extends Transform {
  received = 0;
  exceeded = false;
  constructor(readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.received += chunk.length;
    if (this.received > this.limit) {
      this.exceeded = true;
      callback(new PayloadTooLargeError(this.limit));
      return;
    }
    callback(null, chunk);
  }
}

function megabytes(bytes: number): string {
  return bytes >= MiB ? `${Math.round(bytes / MiB)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** The 413 answer: JSON for API paths, plain text elsewhere, both languages. */
export function payloadTooLarge(path: string, limit: number): Response {
  const zh = `请求体超过 ${megabytes(limit)} 上限。`;
  const en = `The request body exceeds the ${megabytes(limit)} limit.`;
  const headers = { Connection: "close", "Cache-Control": "no-store" };
  if (path.startsWith("/api/")) {
    return new Response(JSON.stringify({ error: { code: "PayloadTooLarge", message: { zh, en } } }), {
      status: 413,
      headers: { ...headers, "Content-Type": "application/json; charset=utf-8" },
    });
  }
  return new Response(`${zh}\n${en}\n`, { status: 413, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
}

/**
 * Once the answer is sent, a body the route did not read to the end is not drained (an attacker
 * could stream gigabytes into it): the connection is closed instead.
 */
function closeUnlessBodyRead(req: ExpressRequest, res: ExpressResponse) {
  if (req.complete || req.method === "GET" || req.method === "HEAD") return;
  res.setHeader("Connection", "close");
  res.once("finish", () => req.socket.destroy());
}

export interface RemixHandlerOptions {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: "development" | "production";
  getLoadContext: (req: ExpressRequest) => Record<string, unknown>;
}

export function remixHandler({ build, mode, getLoadContext }: RemixHandlerOptions) {
  const handleRequest = createRequestHandler(build, mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      const path = req.path;
      const limit = bodyLimitFor(req.method, path, req.headers["content-type"]);
      const declared = Number(req.headers["content-length"] ?? 0);
      if (limit > 0 && declared > limit) {
        closeUnlessBodyRead(req, res);
        await sendRemixResponse(res, payloadTooLarge(path, limit));
        return;
      }

      const controller = new AbortController();
      let counter: ByteLimit | undefined;
      const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: requestHeaders(req), signal: controller.signal };
      if (limit > 0) {
        counter = new ByteLimit(limit);
        // Not pipeline(): a failed limit must not destroy the socket before the 413 is written.
        req.pipe(counter);
        counter.on("error", () => req.unpipe(counter));
        init.body = createReadableStreamFromReadable(counter);
        init.duplex = "half";
      }
      // The route may stop early if the client goes away before the answer is written.
      let answered = false;
      res.on("finish", () => (answered = true));
      res.on("close", () => answered || controller.abort());

      let response = await handleRequest(new Request(requestUrl(req), init), getLoadContext(req));
      if (counter?.exceeded) response = payloadTooLarge(path, limit);
      // What a route answers depends on who asks (the session cookie) unless it says otherwise:
      // a shared cache must not hand one user's page or data to another.
      if (!/\b(cookie|\*)\b/i.test(response.headers.get("Vary") ?? "")) res.append("Vary", "Cookie");
      closeUnlessBodyRead(req, res);
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/**
 * The URL Remix sees. Host comes from the Host header (X-Forwarded-Host only when proxies are
 * trusted, which Express's req.hostname decides); a malformed one becomes localhost rather than an
 * error, since nothing absolute is built from it.
 */
export function requestUrl(req: Pick<ExpressRequest, "protocol" | "originalUrl" | "headers" | "hostname">): string {
  const hostname = req.hostname || "localhost";
  const port = /:(\d{1,5})$/.exec(req.headers.host ?? "")?.[1];
  for (const base of [`${req.protocol}://${hostname}${port ? `:${port}` : ""}`, "http://localhost"]) {
    try {
      // Concatenated, not resolved: a path such as "//evil.example/x" must stay a path.
      const path = req.originalUrl.startsWith("/") ? req.originalUrl : `/${req.originalUrl}`;
      return new URL(`${base}${path}`).href;
    } catch {
      // try the next base
    }
  }
  return "http://localhost/";
}

async function sendRemixResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  // append, not set: a response may carry several Set-Cookie headers.
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

function requestHeaders(req: ExpressRequest): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(key, one);
  }
  return headers;
}
