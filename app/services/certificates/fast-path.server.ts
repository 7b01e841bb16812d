/**
 * The verification API answered by the HTTP server itself, before Express and Remix: a JSON
 * lookup needs neither routing middleware nor React, and this endpoint is the one the public and
 * supply chains call in volume (QR scans, supplier checks). The answer comes from the same
 * `certificateApiAnswer` the Remix route uses, so both give identical bytes and headers; the
 * route still serves the URL under `npm run dev` and in tests.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { getDb } from "../../../db/client.ts";
import type { Kysely } from "kysely";
import type { DB } from "../../../db/schema.ts";
import { answerFromRegistry, certificateApiAnswerNow, CORS_HEADERS, preflightAnswer, type ApiAnswer } from "./api.server.ts";

const PREFIX = "/api/v1/certificates/";

/** The client address as Express computes `req.ip`: the left-most X-Forwarded-For entry behind a trusted proxy. */
function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? "unknown";
}

function send(res: ServerResponse, answer: ApiAnswer, head: boolean): void {
  res.writeHead(answer.status, answer.headers);
  res.end(head || !answer.body ? undefined : answer.body);
}

/**
 * Returns a handler that answers `GET|HEAD|OPTIONS /api/v1/certificates/{number}` and returns true,
 * or returns false for anything else (the caller passes it on to Express).
 */
export function certificateApiFastPath(options: { trustProxy: boolean; onError: (error: unknown) => void }) {
  let db: Kysely<DB> | null = null;
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? "";
    if (!url.startsWith(PREFIX)) return false;
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD" && method !== "OPTIONS") return false;
    const queryAt = url.indexOf("?");
    const raw = url.slice(PREFIX.length, queryAt === -1 ? undefined : queryAt);
    if (raw === "" || raw.includes("/")) return false;
    if (method === "OPTIONS") {
      send(res, preflightAnswer(), false);
      return true;
    }
    let number: string;
    try {
      number = decodeURIComponent(raw);
    } catch {
      return false;
    }
    const header = req.headers["if-none-match"];
    const request = { number, ifNoneMatch: Array.isArray(header) ? header.join(",") : header, client: clientAddress(req, options.trustProxy) };
    const now = certificateApiAnswerNow(request);
    if (now) {
      send(res, now, method === "HEAD");
      return true;
    }
    (db ? Promise.resolve(db) : getDb().then((opened) => (db = opened)))
      .then((opened) => answerFromRegistry(opened, request))
      .then(
        (answer) => send(res, answer, method === "HEAD"),
        (error: unknown) => {
          options.onError(error);
          if (!res.headersSent)
            res.writeHead(500, { ...CORS_HEADERS, "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
          res.end(JSON.stringify({ error: { code: "InternalError", message: { zh: "服务器内部错误", en: "Internal server error" } } }));
        },
      );
    return true;
  };
}
