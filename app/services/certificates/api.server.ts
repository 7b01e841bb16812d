/**
 * `GET /api/v1/certificates/{number}`: the verification of a certificate as JSON — verdict, the
 * three checks, status, and the signed envelope itself so a caller can verify it offline against
 * `/.well-known/carbonlabel-keys.json`. Public, no account, CORS open for GET.
 *
 * Caching: the ETag is the SHA-256 of the body, which is the signed payload's hash, the status
 * and the checks (the body holds nothing else that changes), so `If-None-Match` answers 304 until
 * one of them changes. `Cache-Control: public, max-age=30, must-revalidate`: a status change is
 * seen by every cache within 30 s. Each app server also keeps the answer for a number for one
 * second (CERTIFICATE_API_CACHE_MS), which turns a burst of identical lookups into one query.
 *
 * Framework-free (plain status, headers and body) so the Remix route and the server's fast path
 * answer with the same bytes.
 */
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { DB } from "../../../db/schema.ts";
import { singleton } from "../../../db/singleton.ts";
import { PUBLIC_KEYS_PATH } from "../../../workflows/certificates/signing.ts";
import { publicUrl } from "../../utils/public-origin.server.ts";
import { env } from "../../utils/env.server.ts";
import { verifyRateLimit } from "./rate-limit.server.ts";
import { certificateLinks } from "./registry.server.ts";
import { logVerification } from "./verification-log.server.ts";
import { verifyNumber, type VerificationReport } from "./verify.server.ts";

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Null for 204 and 304. */
  readonly body: Buffer | null;
}

export const API_CACHE_CONTROL = "public, max-age=30, must-revalidate";

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "ETag, Retry-After",
};

/** The answer to a CORS preflight (a browser sends one when a script sets If-None-Match itself). */
export function preflightAnswer(): ApiAnswer {
  return {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
      "Access-Control-Allow-Headers": "If-None-Match",
      "Access-Control-Max-Age": "86400",
    },
    body: null,
  };
}

/** CERTIFICATE_API_CACHE_MS (parsed once with the rest of the environment; read lazily, after start-up has set NODE_ENV). */
const cacheMs = () => env().CERTIFICATE_API_CACHE_MS;

/** One number's answer, ready to send: body bytes and complete header sets, made once per cache period. */
interface Rendered {
  readonly status: number;
  readonly body: Buffer;
  readonly etag: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly notModifiedHeaders: Readonly<Record<string, string>>;
  readonly verdict: VerificationReport["verdict"];
  readonly number: string | null;
  readonly at: number;
}

const renderedAnswers = singleton<Map<string, Rendered>>("certificateApiCache", () => new Map());
const cache = () => renderedAnswers.get();
const CACHE_LIMIT = 10_000;

/**
 * Links in the API answer are absolute, so a supply-chain system can follow them as they come; the
 * origin is the configured one (public-origin.server.ts), never the request's Host, which keeps
 * the body — and the ETag that is its hash — the same for every caller.
 */
function absoluteLinks<K extends string>(paths: Record<K, string>): Record<K, string> {
  return Object.fromEntries(Object.entries<string>(paths).map(([name, path]) => [name, publicUrl(path)])) as Record<K, string>;
}

/** The JSON body for a verification report (also what the OpenAPI document describes). */
export function certificateResource(r: VerificationReport) {
  return {
    number: r.number,
    verdict: r.verdict,
    status: r.status,
    statusChangedAt: r.statusChangedAt,
    checks: r.checks,
    payloadSha256: r.payloadSha256,
    certificate: r.envelope,
    links: r.number && r.status ? absoluteLinks({ ...certificateLinks(r.number), keys: PUBLIC_KEYS_PATH }) : null,
  };
}

function render(r: VerificationReport, at: number): Rendered {
  let status = 200;
  let body: unknown = certificateResource(r);
  if (r.verdict === "invalid_number") {
    status = 400;
    body = {
      error: {
        code: "InvalidNumber",
        message: { zh: "证书编号格式应为 CCDC-CF-2026-000001", en: "A certificate number looks like CCDC-CF-2026-000001" },
      },
      ...certificateResource(r),
    };
  } else if (r.verdict === "not_found") {
    status = 404;
    body = {
      error: { code: "NotFound", message: { zh: "登记册中没有这个证书编号", en: "No certificate with this number is in the registry" } },
      ...certificateResource(r),
    };
  }
  const bytes = Buffer.from(JSON.stringify(body), "utf8");
  const etag = `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"`;
  const notModifiedHeaders = { ...CORS_HEADERS, "Cache-Control": API_CACHE_CONTROL, ETag: etag };
  const headers = { ...notModifiedHeaders, "Content-Type": "application/json; charset=utf-8", "Content-Length": String(bytes.byteLength) };
  return { status, body: bytes, etag, headers, notModifiedHeaders, verdict: r.verdict, number: r.number, at };
}

function etagMatches(header: string | null | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}

export interface ApiRequest {
  readonly number: string;
  readonly ifNoneMatch?: string | null;
  /** Client address, for the rate limit only (never logged). */
  readonly client: string;
}

const TOO_MANY = Buffer.from(
  JSON.stringify({ error: { code: "TooManyRequests", message: { zh: "查询过于频繁，请稍后再试", en: "Too many requests; try again shortly" } } }),
  "utf8",
);

function limited(retryAfter: number): ApiAnswer {
  return {
    status: 429,
    headers: { ...CORS_HEADERS, "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "Retry-After": String(retryAfter) },
    body: TOO_MANY,
  };
}

function answerWith(rendered: Rendered, ifNoneMatch: string | null | undefined): ApiAnswer {
  logVerification(rendered.number, "api", rendered.verdict);
  if (rendered.status === 200 && etagMatches(ifNoneMatch, rendered.etag)) return { status: 304, headers: rendered.notModifiedHeaders, body: null };
  return { status: rendered.status, headers: rendered.headers, body: rendered.body };
}

/** In-flight lookups per number: when the cached answer runs out, one query refreshes it for everyone waiting. */
const refreshing = new Map<string, Promise<Rendered>>();

function refresh(db: Kysely<DB>, number: string, key: string, ttl: number): Promise<Rendered> {
  const pending = refreshing.get(key);
  if (pending) return pending;
  const started = verifyNumber(db, number)
    .then((report) => {
      const rendered = render(report, Date.now());
      if (ttl > 0) {
        const entries = cache();
        entries.delete(key);
        if (entries.size >= CACHE_LIMIT) entries.delete(entries.keys().next().value as string);
        entries.set(key, rendered);
      }
      return rendered;
    })
    .finally(() => refreshing.delete(key));
  if (ttl > 0) refreshing.set(key, started);
  return started;
}

/**
 * The answer when it needs no database (rate limited, or a fresh cached answer), else null: the
 * server's fast path answers most requests without a promise in between.
 */
export function certificateApiAnswerNow(request: ApiRequest): ApiAnswer | null {
  const retryAfter = verifyRateLimit("lookup", request.client);
  if (retryAfter !== null) return limited(retryAfter);
  const ttl = cacheMs();
  if (ttl <= 0) return null;
  const rendered = cache().get(request.number.trim().toUpperCase());
  return rendered && Date.now() - rendered.at < ttl ? answerWith(rendered, request.ifNoneMatch) : null;
}

/** The answer, from the cache when fresh, otherwise from the registry. Takes one request from the client's bucket. */
export async function certificateApiAnswer(db: Kysely<DB>, request: ApiRequest): Promise<ApiAnswer> {
  const now = certificateApiAnswerNow(request);
  if (now) return now;
  return answerFromRegistry(db, request);
}

/** After `certificateApiAnswerNow` said null: the same request, answered from the registry (no second bucket token). */
export async function answerFromRegistry(db: Kysely<DB>, request: ApiRequest): Promise<ApiAnswer> {
  const key = request.number.trim().toUpperCase();
  return answerWith(await refresh(db, request.number, key, cacheMs()), request.ifNoneMatch);
}

/** Forgets cached answers (tests that change a status and read again at once). */
export function clearCertificateApiCache(): void {
  cache().clear();
}
