/**
 * Certificates from issue to public verification, through the real routes on a real database:
 * the signed row the outbox writes, the verification page and API (checks, status, ETag, CORS),
 * status changes seen everywhere, uploads of genuine, tampered, forged and foreign files, key
 * rotation, the downloads, the log and the rate limit.
 */
import { createHash, sign as edSign } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { PDFDocument } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { findInventory, toCalculatorInput } from "../../app/services/inventories.server.ts";
import { certificateKeyStore } from "../../app/services/certificates/keys.server.ts";
import { clearCertificateApiCache } from "../../app/services/certificates/api.server.ts";
import { certificateApiFastPath } from "../../app/services/certificates/fast-path.server.ts";
import { resetVerifyRateLimits } from "../../app/services/certificates/rate-limit.server.ts";
import { VERDICTS } from "../../app/services/certificates/verify.server.ts";
import { generateSigningKey, type SigningKeyRecord } from "../../workflows/certificates/keys.ts";
import { canonicalPayload, CertificatePayloadSchema, type CertificatePayload } from "../../workflows/certificates/payload.ts";
import { extractSignedCertificate } from "../../app/certificate-files/extract.server.ts";
import { signCertificate, signedCertificateJson, trustedKeysFromDocument, verifyCertificate } from "../../workflows/certificates/signing.ts";
import { loader as keysLoader } from "../../app/routes/[.]well-known.carbonlabel-keys[.]json.tsx";
import { action as apiAction, loader as apiLoader } from "../../app/routes/api.v1.certificates.$number.tsx";
import { loader as openApiLoader } from "../../app/routes/api.v1.openapi[.]json.tsx";
import { loader as jsonLoader } from "../../app/routes/certificates.$number.certificate[.]json.tsx";
import { loader as pdfLoader } from "../../app/routes/certificates.$number.certificate[.]pdf.tsx";
import { loader as pngLoader } from "../../app/routes/certificates.$number.label[.]png.tsx";
import { loader as svgLoader } from "../../app/routes/certificates.$number.label[.]svg.tsx";
import { action as pageAction, loader as pageLoader } from "../../app/routes/verify.$number.tsx";
import { action as indexAction, loader as indexLoader } from "../../app/routes/verify._index.tsx";
import { calculateFootprint } from "../../rules/calculator/index.ts";
import { getDb } from "../../db/client.ts";
import { send, type World } from "../workflows/cases-support.ts";
import { callLoader, issuedCertificate, runOutbox, useTestSigning, verificationLog } from "./certificates-support.ts";

type Report = {
  verdict: string;
  checks: { data: string; status: string; issuer: string };
  status: string | null;
  number: string | null;
  certificate: { footprint: { value: string } } | null;
  differences: { path: string; file: string; registry: string }[];
};

let w: World;
let caseId: string;
let inventoryId: string;
let number: string;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  useTestSigning();
  ({ w, caseId, inventoryId, number } = await issuedCertificate("certificates-verify"));
});

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

async function storedRow() {
  return w.db.selectFrom("certificates").selectAll().where("number", "=", number).executeTakeFirstOrThrow();
}

async function envelopeOf(n: string): Promise<{ payload: CertificatePayload; signature: { alg: "Ed25519"; keyId: string; value: string } }> {
  const response = await callLoader(jsonLoader, `/certificates/${n}/certificate.json`, { params: { number: n } });
  expect(response.status).toBe(200);
  return JSON.parse(await response.text());
}

async function page(n: string): Promise<{ status: number; report: Report }> {
  const response = await callLoader(pageLoader, `/verify/${n}`, { params: { number: n } });
  const body = (await response.json()) as { report: Report };
  return { status: response.status, report: body.report };
}

let uploader = 0;
async function upload(
  target: "page" | "index",
  file: { name: string; type: string; content: Uint8Array | string },
  client = `192.0.2.${++uploader}`,
): Promise<{ status: number; error: string | null; report: Report | null }> {
  const body = new FormData();
  body.append("file", new File([typeof file.content === "string" ? file.content : new Uint8Array(file.content)], file.name, { type: file.type }));
  const url = target === "page" ? `http://localhost/verify/${number}` : "http://localhost/verify?index";
  const request = new Request(url, { method: "POST", body });
  const handler = target === "page" ? pageAction : indexAction;
  const result = (await handler({ request, params: target === "page" ? { number } : {}, context: { clientIp: client } })) as {
    data?: unknown;
    init?: { status?: number };
  } & { error?: string | null; result?: { report: Report } | null };
  const payload = ("data" in result && "init" in result ? result.data : result) as { error: string | null; result: { report: Report } | null };
  const status = "init" in result ? (result.init?.status ?? 200) : 200;
  return { status, error: payload.error, report: payload.result?.report ?? null };
}

function publishedKeys() {
  return callLoader(keysLoader, "/.well-known/carbonlabel-keys.json").then(async (r) => trustedKeysFromDocument(JSON.parse(await r.text())));
}

describe("issuing", () => {
  it("stores one signed certificate per case: canonical payload, its SHA-256, key id and a signature that verifies with the published keys", async () => {
    const row = await storedRow();
    expect(row.number).toMatch(/^CCDC-CF-\d{4}-\d{6}$/);
    expect(row.number.slice(8, 12)).toBe(today.slice(0, 4));
    expect(row.payload_sha256).toBe(sha256(row.payload!));
    const payload = CertificatePayloadSchema.parse(JSON.parse(row.payload!));
    expect(canonicalPayload(payload)).toBe(row.payload);
    const verified = verifyCertificate({ payload, signature: { alg: "Ed25519", keyId: row.key_id!, value: row.signature! } }, await publishedKeys());
    expect(verified.outcome).toBe("intact");
    expect(await w.db.selectFrom("certificates").select("id").where("case_id", "=", caseId).execute()).toHaveLength(1);
  });

  it("states the case's facts: holder, product, verifier's value, the inventory's calculation and the body", async () => {
    const { payload } = await envelopeOf(number);
    expect(payload).toMatchObject({
      number,
      labelType: "CF",
      holder: { name: { zh: "华绿示范实业集团有限公司" }, creditCode: "91330110MA2H7K8L3Y" },
      product: { name: { zh: "测试水泥", en: "Test cement" }, identifiers: [{ scheme: "internal", value: "FIXTURE-1" }] },
      pcr: { code: "PCR-CN-CEMENT", version: "1.0.0" },
      declaredUnit: { quantity: "1", unit: "t" },
      footprint: { value: "237.3", unit: "kgCO2e" },
      grade: { grade: "A" },
      labelFacts: { type: "CF" },
      issuer: { cbCode: "CCDC", approvalNumber: "CNCA-R-2025-DEMO-001" },
      issuedOn: today,
    });
    // The calculation the certificate rests on is the case's locked inventory, recomputed.
    const maker = (await w.db.selectFrom("cases").select("applicant_organization_id").where("id", "=", caseId).executeTakeFirstOrThrow())
      .applicant_organization_id;
    const inventory = await findInventory(w.db, maker, inventoryId);
    const result = calculateFootprint(await toCalculatorInput(w.db, maker, inventory!));
    expect(payload.versions.inputSha256).toBe(result.stamp.inputSha256);
    expect(payload.stages.map((s) => s.stage)).toEqual(result.byStage.map((s) => s.stage));
    expect(payload.validUntil > payload.issuedOn).toBe(true);
  });

  it("refuses to change an issued certificate's content (only its status may change)", async () => {
    await expect(w.db.updateTable("certificates").set({ verified_value: "1" }).where("number", "=", number).execute()).rejects.toThrow(
      /content cannot change/,
    );
  });
});

describe("verification by number", () => {
  it("shows a valid certificate with its three checks valid", async () => {
    const { status, report } = await page(number);
    expect(status).toBe(200);
    expect(report).toMatchObject({ verdict: "valid", status: "valid", checks: { data: "valid", status: "valid", issuer: "valid" } });
    expect(report.certificate?.footprint.value).toBe("237.3");
  });

  it("sends the search form to the number's page, and answers unknown and malformed numbers", async () => {
    const redirect = await callLoader(indexLoader, `/verify?number=${number.toLowerCase()}`);
    expect([redirect.status, redirect.headers.get("Location")]).toEqual([302, `/verify/${number}`]);
    expect((await page("CCDC-CF-2026-999998")).report).toMatchObject({
      verdict: "not_found",
      checks: { data: "unknown", status: "unknown", issuer: "unknown" },
    });
    expect((await page("CCDC-CF-2026-999998")).status).toBe(404);
    expect((await page("not-a-number")).status).toBe(400);
    // Lower case from a hand-typed URL reads the same certificate.
    expect((await page(number.toLowerCase())).report.verdict).toBe("valid");
  });

  it("API: JSON with the signed envelope, ETag, Cache-Control and CORS; 304 on If-None-Match; preflight", async () => {
    clearCertificateApiCache();
    const first = await callLoader(apiLoader, `/api/v1/certificates/${number}`, { params: { number } });
    expect(first.status).toBe(200);
    expect(first.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(first.headers.get("Cache-Control")).toBe("public, max-age=30, must-revalidate");
    expect(first.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const etag = first.headers.get("ETag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const body = (await first.json()) as {
      verdict: string;
      checks: Record<string, string>;
      certificate: { payload: CertificatePayload; signature: { keyId: string; value: string } };
      payloadSha256: string;
    };
    expect(body).toMatchObject({ verdict: "valid", status: "valid", checks: { data: "valid", status: "valid", issuer: "valid" } });
    // A caller can verify the envelope offline with the published keys.
    expect(verifyCertificate(body.certificate, await publishedKeys()).outcome).toBe("intact");
    expect(body.payloadSha256).toBe((await storedRow()).payload_sha256);

    const again = await callLoader(apiLoader, `/api/v1/certificates/${number}`, { params: { number }, headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get("ETag")).toBe(etag);
    expect(await again.text()).toBe("");

    const preflight = await apiAction({
      request: new Request(`http://localhost/api/v1/certificates/${number}`, { method: "OPTIONS" }),
      params: { number },
      context: {},
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Headers")).toMatch(/If-None-Match/);
    const post = await apiAction({
      request: new Request(`http://localhost/api/v1/certificates/${number}`, { method: "POST" }),
      params: { number },
      context: {},
    });
    expect(post.status).toBe(405);

    const missing = await callLoader(apiLoader, "/api/v1/certificates/CCDC-CF-2026-999997", { params: { number: "CCDC-CF-2026-999997" } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("NotFound");
  });
});

describe("the server's fast path", () => {
  it("answers the API before Express with the Remix route's exact bytes and headers, and passes anything else on", async () => {
    const errors: unknown[] = [];
    const fastPath = certificateApiFastPath({ trustProxy: false, onError: (e) => errors.push(e) });
    const server = createServer((req, res) => {
      if (fastPath(req, res)) return;
      res.writeHead(418);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      clearCertificateApiCache();
      const viaRoute = await callLoader(apiLoader, `/api/v1/certificates/${number}`, { params: { number } });
      const direct = await fetch(`${base}/api/v1/certificates/${number}`);
      expect(direct.status).toBe(200);
      expect(await direct.text()).toBe(await viaRoute.text());
      for (const h of ["ETag", "Cache-Control", "Content-Type", "Access-Control-Allow-Origin"])
        expect(direct.headers.get(h), h).toBe(viaRoute.headers.get(h));
      expect((await fetch(`${base}/api/v1/certificates/${number}`, { headers: { "If-None-Match": direct.headers.get("ETag")! } })).status).toBe(304);
      expect((await fetch(`${base}/api/v1/certificates/${number.toLowerCase()}?x=1`)).status).toBe(200);
      const head = await fetch(`${base}/api/v1/certificates/${number}`, { method: "HEAD" });
      expect([head.status, await head.text()]).toEqual([200, ""]);
      expect((await fetch(`${base}/api/v1/certificates/${number}`, { method: "OPTIONS" })).status).toBe(204);
      expect((await fetch(`${base}/api/v1/certificates/CCDC-CF-2026-999995`)).status).toBe(404);
      // Not this endpoint: handed on.
      expect((await fetch(`${base}/api/v1/certificates/${number}/extra`)).status).toBe(418);
      expect((await fetch(`${base}/api/v1/certificates/${number}`, { method: "POST" })).status).toBe(418);
      expect((await fetch(`${base}/verify/${number}`)).status).toBe(418);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(errors).toEqual([]);
  });
});

describe("status follows the workflow and shows everywhere", () => {
  it("suspended: the page, the API (new ETag) and the label download say so; restored: valid again", async () => {
    clearCertificateApiCache();
    const before = (await callLoader(apiLoader, `/api/v1/certificates/${number}`, { params: { number } })).headers.get("ETag")!;
    await send(w, caseId, "cbAdmin", { type: "SUSPEND", reason: "监督抽查发现计量器具过期" });
    await runOutbox();
    clearCertificateApiCache();

    const { report } = await page(number);
    expect(report).toMatchObject({ verdict: "suspended", status: "suspended", checks: { data: "valid", status: "invalid", issuer: "valid" } });
    const api = await callLoader(apiLoader, `/api/v1/certificates/${number}`, { params: { number }, headers: { "If-None-Match": before } });
    expect(api.status).toBe(200);
    expect(api.headers.get("ETag")).not.toBe(before);
    expect(((await api.json()) as { status: string }).status).toBe("suspended");
    expect((await callLoader(svgLoader, `/certificates/${number}/label.svg`, { params: { number } })).status).toBe(410);
    // The content is unchanged: the PDF and the signed data are still there to check.
    expect((await callLoader(jsonLoader, `/certificates/${number}/certificate.json`, { params: { number } })).status).toBe(200);

    await send(w, caseId, "cbAdmin", { type: "RESTORE" });
    await runOutbox();
    clearCertificateApiCache();
    expect((await page(number)).report.verdict).toBe("valid");
  });

  it("a certificate past its validity reads expired even before the scheduler has run", async () => {
    const { number: old } = await issuedCertificate("certificates-verify-old", { at: "2021-05-10T03:00:00Z" });
    const { report } = await page(old);
    expect(report).toMatchObject({ verdict: "expired", status: "expired", checks: { data: "valid", status: "invalid" } });
  });
});

describe("checking an uploaded file", () => {
  it("accepts the genuine PDF and the genuine JSON", async () => {
    const pdf = await callLoader(pdfLoader, `/certificates/${number}/certificate.pdf`, { params: { number } });
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    const extracted = await extractSignedCertificate(bytes);
    expect(extracted.found && (extracted.envelope as { payload: { number: string } }).payload.number).toBe(number);
    expect((await upload("page", { name: `${number}.pdf`, type: "application/pdf", content: bytes })).report).toMatchObject({
      verdict: "valid",
      checks: { data: "valid", status: "valid", issuer: "valid" },
    });
    const json = signedCertificateJson(await envelopeOf(number));
    expect((await upload("index", { name: `${number}.json`, type: "application/json", content: json })).report?.verdict).toBe("valid");
    // A file name with ";" and "=" (as mail clients and scanners write them) is read like any other.
    expect((await upload("index", { name: `证书;2026=${number}.json`, type: "application/json", content: json })).report?.verdict).toBe("valid");
  });

  it("shows a changed value as tampered, naming what differs from the registry", async () => {
    const envelope = await envelopeOf(number);
    const altered = { ...envelope, payload: { ...envelope.payload, footprint: { value: "137.3", unit: "kgCO2e" } } };
    const { report } = await upload("index", { name: "altered.json", type: "application/json", content: JSON.stringify(altered) });
    expect(report).toMatchObject({ verdict: "tampered", checks: { data: "invalid", status: "unknown", issuer: "valid" } });
    expect(report!.differences).toEqual([{ path: "footprint.value", file: "137.3", registry: "237.3" }]);
  });

  it("shows a signature not made with the issuer's key as forged, and an unpublished key as unknown", async () => {
    const envelope = await envelopeOf(number);
    const impostor = generateSigningKey("CCDC", "2000-01-01");
    const forgedValue = edSign(null, Buffer.from(canonicalPayload(envelope.payload), "utf8"), impostor.privateKey!).toString("base64url");
    const forged = { ...envelope, signature: { ...envelope.signature, value: forgedValue } };
    expect((await upload("index", { name: "forged.json", type: "application/json", content: JSON.stringify(forged) })).report).toMatchObject({
      verdict: "forged_signature",
      checks: { data: "invalid", issuer: "invalid" },
    });
    const foreign = signCertificate(envelope.payload, impostor);
    expect((await upload("index", { name: "foreign.json", type: "application/json", content: signedCertificateJson(foreign) })).report).toMatchObject(
      {
        verdict: "unknown_key",
        checks: { data: "unknown", status: "unknown", issuer: "unknown" },
      },
    );
  });

  it("refuses a genuinely signed certificate the registry never issued (a leaked retired key back-dating one)", async () => {
    const store = certificateKeyStore();
    const retiring: SigningKeyRecord = store.signingKey("CCDC", today);
    store.rotate("CCDC", today);
    const { payload } = await envelopeOf(number);
    const backDated = signCertificate(
      { ...payload, number: payload.number.replace(/\d{6}$/, "900001"), footprint: { value: "99.9", unit: "kgCO2e" } },
      retiring,
    );
    const { report } = await upload("index", { name: "backdated.json", type: "application/json", content: signedCertificateJson(backDated) });
    expect(report).toMatchObject({ verdict: "not_registered", checks: { data: "valid", status: "unknown", issuer: "invalid" } });

    // Rotation keeps every earlier certificate verifiable: the old key is still published, now retired.
    const document = JSON.parse(await (await callLoader(keysLoader, "/.well-known/carbonlabel-keys.json")).text()) as {
      keys: { kid: string; validUntil: string | null }[];
    };
    expect(document.keys.find((k) => k.kid === retiring.kid)?.validUntil).toBe(today);
    expect(document.keys.filter((k) => k.kid !== retiring.kid && k.validUntil === null)).toHaveLength(1);
    expect((await page(number)).report.verdict).toBe("valid");
  });

  it("tells a PDF without signed data, a file that is no PDF and JSON that is no certificate apart", async () => {
    const plain = await PDFDocument.create();
    plain.addPage();
    expect((await upload("index", { name: "scan.pdf", type: "application/pdf", content: await plain.save() })).report?.verdict).toBe(
      "no_signed_data",
    );
    expect((await upload("index", { name: "scan.pdf", type: "application/pdf", content: "%PDF-1.7 garbage" })).report?.verdict).toBe("not_pdf");
    expect((await upload("index", { name: "x.json", type: "application/json", content: '{"hello":"world"}' })).report?.verdict).toBe("malformed");
    expect(await upload("index", { name: "empty.json", type: "application/json", content: "" })).toMatchObject({ status: 400, report: null });
  });
});

describe("downloads, log, limits, documents", () => {
  it("serves the signed JSON as canonical text, the label as SVG and PNG while valid", async () => {
    const json = await callLoader(jsonLoader, `/certificates/${number}/certificate.json`, { params: { number } });
    const text = await json.text();
    expect(text).toBe(canonicalPayload(JSON.parse(text)));
    expect(json.headers.get("ETag")).toContain((await storedRow()).payload_sha256!);
    const svg = await callLoader(svgLoader, `/certificates/${number}/label.svg`, { params: { number } });
    expect(svg.headers.get("Content-Type")).toMatch(/^image\/svg\+xml/);
    expect(await svg.text()).toContain(number);
    const png = new Uint8Array(await (await callLoader(pngLoader, `/certificates/${number}/label.png`, { params: { number } })).arrayBuffer());
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(
      (await callLoader(pdfLoader, "/certificates/CCDC-CF-2026-999996/certificate.pdf", { params: { number: "CCDC-CF-2026-999996" } })).status,
    ).toBe(404);
  });

  it("logs every verification with number, channel, result and time only", async () => {
    const rows = await verificationLog();
    expect(Object.keys(rows[0]!).sort()).toEqual(["channel", "checked_at", "id", "number", "result"]);
    const seen = new Set(rows.map((r) => `${r.channel}:${r.result}`));
    for (const expected of [
      "page:valid",
      "page:suspended",
      "page:not_found",
      "page:invalid_number",
      "api:valid",
      "api:not_found",
      "upload:tampered",
      "upload:forged_signature",
      "upload:unknown_key",
      "upload:not_registered",
      "upload:valid",
    ]) {
      expect(seen, expected).toContain(expected);
    }
    expect(rows.filter((r) => r.channel === "upload" && r.result === "tampered")[0]!.number).toBe(number);
  });

  it("limits each client: the 121st lookup in a burst gets 429 with Retry-After; another client is not affected", async () => {
    resetVerifyRateLimits();
    let last: Response | undefined;
    for (let i = 0; i < 121; i++)
      last = await callLoader(apiLoader, `/api/v1/certificates/${number}`, { params: { number }, client: "203.0.113.200" });
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await callLoader(apiLoader, `/api/v1/certificates/${number}`, { params: { number }, client: "203.0.113.201" })).status).toBe(200);
    const uploads = [];
    for (let i = 0; i < 11; i++) uploads.push(await upload("index", { name: "x.json", type: "application/json", content: "{}" }, "203.0.113.202"));
    expect(uploads.at(-1)).toMatchObject({ status: 429 });
    resetVerifyRateLimits();
  });

  it("serves an OpenAPI 3.1 document describing the API as it answers", async () => {
    const doc = (await (await callLoader(openApiLoader, "/api/v1/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, { get: { responses: Record<string, unknown> } }>;
      components: { schemas: { CertificateVerification: { properties: { verdict: { enum: string[] } } } } };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths["/api/v1/certificates/{number}"]!.get.responses).sort()).toEqual(["200", "304", "400", "404", "429"]);
    expect(doc.components.schemas.CertificateVerification.properties.verdict.enum).toEqual([...VERDICTS]);
    expect(doc.paths["/.well-known/carbonlabel-keys.json"]).toBeDefined();
  });
});

it("keeps the database free of half certificates: every row is signed", async () => {
  const db = await getDb();
  const unsigned = await db.selectFrom("certificates").select("number").where("payload", "is", null).execute();
  expect(unsigned).toEqual([]);
});
