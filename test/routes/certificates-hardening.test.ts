/**
 * The public certificate side against hostile input, on the real database:
 *  - a verification whose number holds NUL (or anything that is not a number) cannot poison the
 *    verification log: only normalised numbers (or "-") are logged, a batch the database refuses
 *    anyway is written row by row and only the refused row is dropped, and later verifications
 *    are logged;
 *  - NUL in a search filter, a route parameter or a posted form field is a 400 naming the field,
 *    in both languages, never a 500 (the loaders are called directly, past any server-wide guard);
 *  - /registry shares the verification side's per-client limit: 429 with Retry-After and a
 *    message in both languages.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loader as apiLoader } from "../../app/routes/api.v1.certificates.$number.tsx";
import { loader as casesLoader } from "../../app/routes/cases._index.tsx";
import { loader as productsLoader } from "../../app/routes/products._index.tsx";
import { loader as registryLoader } from "../../app/routes/registry.tsx";
import { action as pageAction, loader as pageLoader } from "../../app/routes/verify.$number.tsx";
import { action as indexAction, loader as indexLoader } from "../../app/routes/verify._index.tsx";
import { clearCertificateApiCache } from "../../app/services/certificates/api.server.ts";
import { certificateApiFastPath } from "../../app/services/certificates/fast-path.server.ts";
import { LOOKUP_POLICY, resetVerifyRateLimits, verifyRateLimit } from "../../app/services/certificates/rate-limit.server.ts";
import {
  flushVerificationLog,
  logEntry,
  logVerification,
  NOT_A_NUMBER,
  verificationLogBacklog,
} from "../../app/services/certificates/verification-log.server.ts";
import { getDb } from "../../db/client.ts";
import { cookieFor, demoEmail } from "../support/fixtures.ts";
import { callLoader, issuedCertificate, useTestSigning, verificationLog } from "./certificates-support.ts";

let number: string;

beforeAll(async () => {
  useTestSigning();
  ({ number } = await issuedCertificate("certificates-hardening"));
  await flushVerificationLog();
});

afterEach(() => {
  resetVerifyRateLimits();
  clearCertificateApiCache();
});

/** Log rows written after the given id. */
async function logSince(id: string | number) {
  return (await verificationLog()).filter((r) => BigInt(r.id) > BigInt(id)).map((r) => ({ number: r.number, channel: r.channel, result: r.result }));
}
async function lastLogId(): Promise<string> {
  const rows = await verificationLog();
  return rows.length ? String(rows.at(-1)!.id) : "0";
}

/** A form posted to a verification page, as a browser would (multipart). */
async function post(action: typeof pageAction, url: string, fields: Record<string, string | File>, client: string) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  type Answer = { error: string | null; result: { report: { verdict: string } } | null };
  const result = (await action({
    request: new Request(new URL(url, "http://localhost"), { method: "POST", body }),
    params: { number },
    context: { clientIp: client },
  })) as Answer | { data: Answer; init: { status?: number } | null };
  // A refusal comes as data(…, { status }), a report as the plain object.
  return "init" in result ? { status: result.init?.status ?? 200, ...result.data } : { status: 200, ...result };
}

describe("the verification log cannot be poisoned", () => {
  it("API: a number holding NUL answers 400, is logged as '-', and the verifications after it are logged", async () => {
    const before = await lastLogId();
    const poisoned = await callLoader(apiLoader, "/api/v1/certificates/X%00Y", { params: { number: "X\u0000Y" } });
    expect(poisoned.status).toBe(400);
    expect(((await poisoned.json()) as { error: { code: string } }).error.code).toBe("InvalidNumber");
    const valid = await callLoader(apiLoader, `/api/v1/certificates/${number.toLowerCase()}`, { params: { number: number.toLowerCase() } });
    expect(valid.status).toBe(200);
    // The first flush writes both rows; nothing is left waiting to be retried forever.
    await flushVerificationLog();
    expect(verificationLogBacklog().pending).toBe(0);
    const later = await callLoader(apiLoader, `/api/v1/certificates/${number}`, { params: { number } });
    expect(later.status).toBe(200);
    expect(await logSince(before)).toEqual([
      { number: NOT_A_NUMBER, channel: "api", result: "invalid_number" },
      { number, channel: "api", result: "valid" },
      { number, channel: "api", result: "valid" },
    ]);
  });

  it("the server's fast path: GET /api/v1/certificates/X%00Y is a 400 and poisons nothing", async () => {
    const errors: unknown[] = [];
    const fastPath = certificateApiFastPath({ trustProxy: false, onError: (e) => errors.push(e) });
    const server = createServer((req, res) => {
      if (!fastPath(req, res)) {
        res.writeHead(418);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const before = await lastLogId();
      expect((await fetch(`${base}/api/v1/certificates/X%00Y`)).status).toBe(400);
      expect((await fetch(`${base}/api/v1/certificates/%00`)).status).toBe(400);
      expect((await fetch(`${base}/api/v1/certificates/${number}`)).status).toBe(200);
      expect(await logSince(before)).toEqual([
        { number: NOT_A_NUMBER, channel: "api", result: "invalid_number" },
        { number: NOT_A_NUMBER, channel: "api", result: "invalid_number" },
        { number, channel: "api", result: "valid" },
      ]);
      expect(verificationLogBacklog().pending).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(errors).toEqual([]);
  });

  it("an uploaded file whose number holds NUL is logged as '-'", async () => {
    const before = await lastLogId();
    const file = new File(
      [JSON.stringify({ payload: { number: `${number}\u0000` }, signature: { alg: "Ed25519", keyId: "x", value: "y" } })],
      "c.json",
      { type: "application/json" },
    );
    const answer = await post(indexAction, "/verify?index", { file }, "192.0.2.90");
    expect(answer.status).toBe(200);
    expect(await logSince(before)).toEqual([{ number: NOT_A_NUMBER, channel: "upload", result: answer.result!.report.verdict }]);
  });

  it("only normalised numbers, known channels and well-formed results are ever queued", () => {
    expect(logEntry(` ${number.toLowerCase()} `, "page", "valid", 0)).toEqual({ number, channel: "page", result: "valid", checkedAt: 0 });
    expect(logEntry("X\u0000Y", "api", "invalid_number", 0).number).toBe(NOT_A_NUMBER);
    expect(logEntry("DROP TABLE", "api", "invalid_number", 0).number).toBe(NOT_A_NUMBER);
    expect(logEntry(null, "upload", "malformed", 0).number).toBe(NOT_A_NUMBER);
    expect(logEntry(number, "api", "bad\u0000result", 0).result).toBe("unknown");
  });

  it("a batch the database refuses is written row by row: only the refused row is dropped, counted and named in a warning", async () => {
    const db = await getDb();
    // A row PostgreSQL refuses even after normalisation: a constraint made for this test.
    const refused = number.replace(/\d{6}$/, "999990");
    await sql`alter table verification_log add constraint test_refuses_one check (number <> ${sql.lit(refused)})`.execute(db);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const before = await lastLogId();
      const { rejected } = verificationLogBacklog();
      logVerification(number, "page", "valid");
      logVerification(refused, "page", "not_found");
      logVerification(number, "api", "valid");
      await flushVerificationLog();
      expect(verificationLogBacklog()).toMatchObject({ pending: 0, rejected: rejected + 1 });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/verification log: dropped a row the database refused \(23514/);
      expect(await logSince(before)).toEqual([
        { number, channel: "page", result: "valid" },
        { number, channel: "api", result: "valid" },
      ]);
      // And the next batch goes in whole again.
      logVerification(number, "upload", "valid");
      await flushVerificationLog();
      expect((await logSince(before)).at(-1)).toEqual({ number, channel: "upload", result: "valid" });
    } finally {
      warn.mockRestore();
      await sql`alter table verification_log drop constraint test_refuses_one`.execute(db);
    }
  });
});

/** The body of a 400 names the field, in the reader's language first and then the other. */
async function expectNulRefusal(response: Response, field: string, first: "zh" | "en" = "zh") {
  expect(response.status).toBe(400);
  const [a, b] = (await response.text()).split("\n");
  const zh = `“${field}”含有空字符（NUL，U+0000），任何输入都不允许包含该字符。`;
  const en = `“${field}” contains a NUL character (U+0000), which no input may contain.`;
  expect([a, b]).toEqual(first === "zh" ? [zh, en] : [en, zh]);
}

describe("NUL in search filters and form fields is a 400 naming the field", () => {
  it("/registry: each filter", async () => {
    for (const field of ["company", "category", "province", "label", "sort", "page"]) {
      await expectNulRefusal(await callLoader(registryLoader, `/registry?${field}=a%00b`), field);
    }
    await expectNulRefusal(await callLoader(registryLoader, "/registry?company=%00", { headers: { "Accept-Language": "en" } }), "company", "en");
    // The filters still work without NUL.
    expect((await callLoader(registryLoader, "/registry?company=%E5%8D%8E%E7%BB%BF")).status).toBe(200);
  });

  it("/verify: the number in the search form and in the path; nothing is logged for them", async () => {
    const before = await lastLogId();
    await expectNulRefusal(await callLoader(indexLoader, "/verify?number=CCDC%00"), "number");
    await expectNulRefusal(await callLoader(pageLoader, "/verify/X%00Y", { params: { number: "X\u0000Y" } }), "number");
    await expectNulRefusal(await callLoader(pageLoader, `/verify/${number}?from=%00`, { params: { number } }), "from");
    expect(await logSince(before)).toEqual([]);
  });

  it("/verify: a posted form field or file name holding NUL", async () => {
    const file = new File(["{}"], "c.json", { type: "application/json" });
    const field = await post(pageAction, `/verify/${number}`, { file, note: "a\u0000b" }, "192.0.2.91");
    expect(field.status).toBe(400);
    expect(field.error).toContain("“note”");
    expect(field.error).toContain("NUL");
    const named = await post(indexAction, "/verify?index", { file: new File(["{}"], "c\u0000.json", { type: "application/json" }) }, "192.0.2.92");
    expect(named.status).toBe(400);
    expect(named.error).toContain("“file”");
  });

  it("/cases and /products: the search and the filters", async () => {
    const body = await cookieFor(demoEmail("cb_admin"));
    for (const q of ["q=a%00b", "state=%00", "label=%00"])
      await expectNulRefusal(await callLoader(casesLoader, `/cases?${q}`, { headers: { Cookie: body } }), q.split("=")[0]!);
    const maker = await cookieFor(demoEmail("manufacturer_admin"));
    for (const q of ["q=a%00b", "pcr=%00"])
      await expectNulRefusal(await callLoader(productsLoader, `/products?${q}`, { headers: { Cookie: maker } }), q.split("=")[0]!);
    expect((await callLoader(productsLoader, "/products?q=%E6%B0%B4%E6%B3%A5", { headers: { Cookie: maker } })).status).toBe(200);
  });
});

describe("/registry is rate limited like verification", () => {
  it("a client past its lookup budget gets 429 with Retry-After and a message in both languages; another client does not", async () => {
    resetVerifyRateLimits();
    const client = "203.0.113.150";
    for (let i = 0; i < LOOKUP_POLICY.capacity; i++) expect(verifyRateLimit("lookup", client)).toBeNull();
    const limited = await callLoader(registryLoader, "/registry?category=PCR-CN-CEMENT", { client });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(limited.headers.get("Cache-Control")).toBe("no-store");
    const [zh, en] = (await limited.text()).split("\n");
    expect(zh).toMatch(/^登记册查询过于频繁，请 \d+ 秒后再试。$/);
    expect(en).toMatch(/^Too many registry searches from your address; try again in \d+ s\.$/);
    expect((await callLoader(registryLoader, "/registry", { client: "203.0.113.151" })).status).toBe(200);
  });

  it("each registry view takes one lookup from the client's budget (the 121st request in a burst is refused)", async () => {
    resetVerifyRateLimits();
    const client = "203.0.113.152";
    expect((await callLoader(registryLoader, "/registry", { client })).status).toBe(200);
    for (let i = 1; i < LOOKUP_POLICY.capacity; i++) expect(verifyRateLimit("lookup", client)).toBeNull();
    expect((await callLoader(registryLoader, "/registry", { client })).status).toBe(429);
  });

  it("the page says it depends on the reader's language and session (Vary) and is not stored by shared caches", async () => {
    const page = await callLoader(registryLoader, "/registry");
    expect(page.status).toBe(200);
    expect(page.headers.get("Vary")).toBe("Accept-Language, Cookie");
    expect(page.headers.get("Cache-Control")).toBe("private, no-cache");
  });
});
