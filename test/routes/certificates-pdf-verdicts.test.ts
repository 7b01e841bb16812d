/**
 * An uploaded certificate PDF is compared with the file the registry issued (ADR 0014, "The issued
 * PDF"), through the real routes on a real database: the PDF is stored at issue and downloads
 * serve exactly those bytes; the issued file itself, a repainted PDF carrying the genuine signed
 * data, and the issued file with one byte flipped in its page get three different verdicts, and
 * only the first is the plain valid one; the other two show the registry's values beside the
 * verdict. A certificate issued before PDFs were kept gets its PDF stored on first download.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { renderToBuffer } from "@react-pdf/renderer";
import { AFRelationship, PDFDocument, PDFName, PDFRef } from "pdf-lib";
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractSignedCertificate } from "../../app/certificate-files/extract.server.ts";
import { registerCertificateFonts } from "../../app/certificate-files/fonts.server.ts";
import { attachmentName, CertificateDocument } from "../../app/certificate-files/pdf.server.tsx";
import { VerificationResultView, type ReportView } from "../../app/components/certificates/verification.tsx";
import type { Locale } from "../../app/i18n/index.ts";
import { loader as pdfLoader } from "../../app/routes/certificates.$number.certificate[.]pdf.tsx";
import { loader as jsonLoader } from "../../app/routes/certificates.$number.certificate[.]json.tsx";
import { action as pageAction } from "../../app/routes/verify.$number.tsx";
import { action as indexAction } from "../../app/routes/verify._index.tsx";
import { appCertificateIssuer } from "../../app/services/certificates/issuer.server.ts";
import { resetVerifyRateLimits } from "../../app/services/certificates/rate-limit.server.ts";
import { ALTERED_COPY_MAX_CHANGED_BYTES, compareWithIssued } from "../../app/services/certificates/verify.server.ts";
import { publicOrigin } from "../../app/utils/public-origin.server.ts";
import { setCertificateIssuer } from "../../workflows/certificates/issuer.ts";
import type { CertificatePayload } from "../../workflows/certificates/payload.ts";
import { signedCertificateJson, type SignedCertificate } from "../../workflows/certificates/signing.ts";
import { send, type World } from "../workflows/cases-support.ts";
import { callLoader, issuedCertificate, runOutbox, useTestSigning, verificationLog } from "./certificates-support.ts";

const work = mkdtempSync(path.join(tmpdir(), "carbonlabel-pdf-verdicts-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let w: World;
let caseId: string;
let number: string;

beforeAll(async () => {
  useTestSigning();
  ({ w, caseId, number } = await issuedCertificate("certificates-pdf-verdicts"));
});

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function storedRow(n: string) {
  return w.db.selectFrom("certificates").selectAll().where("number", "=", n).executeTakeFirstOrThrow();
}

async function download(n: string, headers: Record<string, string> = {}) {
  const response = await callLoader(pdfLoader, `/certificates/${n}/certificate.pdf`, { params: { number: n }, headers });
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function envelopeOf(n: string): Promise<SignedCertificate> {
  const response = await callLoader(jsonLoader, `/certificates/${n}/certificate.json`, { params: { number: n } });
  return JSON.parse(await response.text()) as SignedCertificate;
}

type UploadReport = ReportView & { payloadSha256: string | null };

let uploader = 0;
/** Posts a PDF to the number's verification page (or /verify) as a browser would; the report the page shows. */
async function upload(n: string, bytes: Uint8Array, target: "page" | "index" = "page"): Promise<UploadReport> {
  resetVerifyRateLimits();
  const body = new FormData();
  body.append("file", new File([new Uint8Array(bytes)], `${n}.pdf`, { type: "application/pdf" }));
  const url = target === "page" ? `http://localhost/verify/${n}` : "http://localhost/verify?index";
  const request = new Request(url, { method: "POST", body });
  const handler = target === "page" ? pageAction : indexAction;
  const answer = (await handler({ request, params: target === "page" ? { number: n } : {}, context: { clientIp: `203.0.113.${++uploader}` } })) as {
    error: string | null;
    result: { report: UploadReport } | null;
  };
  expect(answer.error).toBeNull();
  return answer.result!.report;
}

/** The result as the verification page renders it, in the given language. */
async function rendered(report: ReportView, locale: Locale): Promise<string> {
  const view = (): ReactElement => createElement(VerificationResultView, { report, heading: "h2" });
  const handler = createStaticHandler([{ id: "root", path: "/", loader: () => ({ locale }), Component: view }]);
  const context = await handler.query(new Request("http://localhost/"));
  if (context instanceof Response) throw new Error("the static router answered with a response");
  return renderToStaticMarkup(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context }));
}

/** The page text as a reader sees it: markup dropped, entities read, whitespace squeezed. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

/** What pdftotext reads off the page, whitespace removed. */
function printed(bytes: Uint8Array): string {
  const file = path.join(work, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
}

/**
 * A repainted certificate: the page drawn again with another value, the genuine signed JSON
 * attached exactly as the issuer attaches it. Its embedded data verifies; its page lies.
 */
async function repainted(genuine: SignedCertificate, value: string): Promise<Uint8Array> {
  registerCertificateFonts();
  const painted: SignedCertificate = { ...genuine, payload: { ...genuine.payload, footprint: { value, unit: "kgCO2e" } } as CertificatePayload };
  const page = await renderToBuffer(
    createElement(CertificateDocument, { certificate: painted, baseUrl: publicOrigin() }) as Parameters<typeof renderToBuffer>[0],
  );
  const pdf = await PDFDocument.load(page, { updateMetadata: false });
  const instant = new Date(`${genuine.payload.issuedOn}T00:00:00+08:00`);
  await pdf.attach(new TextEncoder().encode(signedCertificateJson(genuine)), attachmentName(genuine.payload.number), {
    mimeType: "application/json",
    description: `${genuine.payload.schema}, ${genuine.signature.alg} ${genuine.signature.keyId}`,
    creationDate: instant,
    modificationDate: instant,
    afRelationship: AFRelationship.Source,
  });
  return pdf.save({ addDefaultPage: false });
}

/** The issued file with one byte flipped in the middle of its page's content stream; nothing else touched. */
async function withOneByteFlipped(issued: Uint8Array): Promise<{ bytes: Uint8Array; at: number }> {
  const document = await PDFDocument.load(issued, { updateMetadata: false });
  const contents = document.getPage(0).node.get(PDFName.of("Contents"));
  if (!(contents instanceof PDFRef)) throw new Error("the page's content stream is not an indirect object");
  const text = Buffer.from(issued).toString("latin1");
  const header = text.search(new RegExp(`(^|[\\r\\n])${contents.objectNumber} ${contents.generationNumber} obj\\b`));
  const start = text.indexOf("stream", text.indexOf("obj", header)) + "stream".length + 1;
  const end = text.indexOf("endstream", start);
  if (header < 0 || start <= "stream".length || end < 0) throw new Error("the page's content stream was not found");
  const at = start + Math.floor((end - start) / 2);
  const bytes = new Uint8Array(issued);
  bytes[at] = bytes[at]! ^ 0x01;
  return { bytes, at };
}

describe("the issued PDF", () => {
  it("is stored at issue with its SHA-256, and every download serves exactly those bytes with that hash as ETag", async () => {
    const row = await storedRow(number);
    expect(row.pdf).not.toBeNull();
    expect(row.pdf_sha256).toBe(sha256(row.pdf!));
    const first = await download(number);
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get("Content-Type")).toBe("application/pdf");
    expect(Buffer.from(first.bytes).equals(row.pdf!)).toBe(true);
    expect(first.response.headers.get("ETag")).toBe(`"${row.pdf_sha256}"`);
    expect(first.response.headers.get("Cache-Control")).toBe("public, max-age=86400");
    const again = await download(number, { "If-None-Match": `"${row.pdf_sha256}"` });
    expect(again.response.status).toBe(304);
    expect(again.response.headers.get("ETag")).toBe(`"${row.pdf_sha256}"`);
  });
});

describe("an uploaded PDF with genuine embedded data", () => {
  it("gets three different verdicts: the issued file, a repainted PDF and the issued file with one byte flipped; only the first is valid", async () => {
    const { bytes: issued } = await download(number);
    const genuine = await envelopeOf(number);

    // (a) The file as issued: the plain valid verdict, saying it is byte for byte the issued file.
    const identical = await upload(number, issued);
    expect(identical).toMatchObject({
      verdict: "valid",
      fileMatch: "issued",
      changedBytes: null,
      registry: null,
      checks: { data: "valid", status: "valid", issuer: "valid" },
    });
    expect(textOf(await rendered(identical, "en"))).toContain("This file is byte for byte the PDF the registry issued.");
    expect(textOf(await rendered(identical, "zh-CN"))).toContain("该文件与登记册签发的 PDF 逐字节一致。");

    // (b) Repainted: the page prints another value, the genuine signed data is attached.
    const painted = await repainted(genuine, "1.5");
    expect(printed(issued)).toContain("Verifiedproductcarbonfootprint237.3kgCO2e");
    expect(printed(painted)).toContain("Verifiedproductcarbonfootprint1.5kgCO2e");
    const embedded = await extractSignedCertificate(painted);
    expect(embedded.found && signedCertificateJson(embedded.envelope as SignedCertificate)).toBe(signedCertificateJson(genuine));
    expect(painted.length).not.toBe(issued.length);
    const different = await upload(number, painted);
    expect(different).toMatchObject({
      verdict: "different_file",
      fileMatch: "different_file",
      changedBytes: null,
      checks: { data: "valid", status: "valid", issuer: "valid" },
    });
    const row = await storedRow(number);
    expect(different.registry).toEqual({
      number,
      labelType: "CF",
      product: { zh: row.product_name_zh, en: row.product_name_en },
      model: row.product_model,
      holder: { zh: row.holder_name_zh, en: row.holder_name_en },
      footprint: { value: "237.3", unit: "kgCO2e" },
      declaredUnit: { quantity: row.declared_unit_quantity, unit: row.declared_unit },
      issuedOn: row.issued_on,
      validUntil: row.valid_until,
      status: "valid",
      statusChangedAt: row.status_changed_at.toISOString(),
      issuer: { code: "CCDC", zh: expect.any(String), en: expect.any(String) },
    });
    const differentEn = textOf(await rendered(different, "en"));
    expect(differentEn).toContain("Not the file the registry issued");
    expect(differentEn).toContain(
      "The embedded signed data is genuine, but this is not the file the registry issued: the printed values must be compared with the registry's, shown here beside it.",
    );
    expect(differentEn).toContain("The registry's values");
    expect(differentEn).toContain(`237.3 kgCO2e / ${row.declared_unit_quantity} ${row.declared_unit}`);
    expect(differentEn).toContain(row.holder_name_en);
    expect(differentEn).toContain(row.product_name_en);
    expect(differentEn).toContain(`${row.issued_on} to ${row.valid_until}`);
    expect(differentEn).not.toContain("Valid certificate");
    const differentZh = textOf(await rendered(different, "zh-CN"));
    expect(differentZh).toContain("不是登记册签发的文件");
    expect(differentZh).toContain("登记册中的数值");
    expect(differentZh).toContain(row.holder_name_zh);
    expect(differentZh).not.toContain("有效证书");

    // (c) One byte flipped inside the page's content stream: the attachment still reads back.
    const { bytes: flipped } = await withOneByteFlipped(issued);
    expect(flipped.length).toBe(issued.length);
    const stillEmbedded = await extractSignedCertificate(flipped);
    expect(stillEmbedded.found && signedCertificateJson(stillEmbedded.envelope as SignedCertificate)).toBe(signedCertificateJson(genuine));
    const altered = await upload(number, flipped, "index");
    expect(altered).toMatchObject({
      verdict: "altered_copy",
      fileMatch: "altered_copy",
      changedBytes: 1,
      checks: { data: "valid", status: "valid", issuer: "valid" },
    });
    expect(altered.registry).toEqual(different.registry);
    const alteredEn = textOf(await rendered(altered, "en"));
    expect(alteredEn).toContain("The issued file, altered after issue");
    expect(alteredEn).toContain(
      "This is the issued file altered after issue (bytes that differ: 1): do not rely on what it prints; compare with the registry's values shown here.",
    );
    expect(alteredEn).toContain("The registry's values");
    expect(textOf(await rendered(altered, "zh-CN"))).toContain("这是登记册签发的证书文件，但签发后被改动过（1 个字节不同）");

    expect(new Set([identical.verdict, different.verdict, altered.verdict]).size).toBe(3);
    // The page's banner tone: green only for the issued file.
    expect(await rendered(identical, "en")).toContain("verdict-ok");
    expect(await rendered(different, "en")).toContain("verdict-warn");
    expect(await rendered(altered, "en")).toContain("verdict-bad");

    // The log counts each kind under its own result.
    const results = (await verificationLog()).filter((r) => r.number === number && r.channel === "upload").map((r) => r.result);
    expect(results.slice(-3)).toEqual(["valid", "different_file", "altered_copy"]);
  });

  it("an incremental update appended to the issued file is an altered copy, counting the bytes added", async () => {
    const { bytes: issued } = await download(number);
    // What a PDF editor's incremental save looks like: the issued bytes untouched, then the changes.
    const update = "\n1 0 obj\n<< /Title (Edited) >>\nendobj\n%%EOF\n";
    const appended = new Uint8Array([...issued, ...new TextEncoder().encode(update)]);
    const report = await upload(number, appended);
    expect(report).toMatchObject({ verdict: "altered_copy", fileMatch: "altered_copy", changedBytes: appended.length - issued.length });
    expect(report.registry?.number).toBe(number);
  });

  it("tells an edited copy from another file by how much of the issued file it keeps", () => {
    const issued = new Uint8Array(4096).map((_, i) => (i * 31) % 251);
    const hash = { bytes: issued, sha256: sha256(issued) };
    expect(compareWithIssued(issued.slice(), hash)).toEqual({ fileMatch: "issued", changedBytes: null });
    const few = issued.slice();
    for (let i = 0; i < ALTERED_COPY_MAX_CHANGED_BYTES; i++) few[i * 2] = few[i * 2]! ^ 0xff;
    expect(compareWithIssued(few, hash)).toEqual({ fileMatch: "altered_copy", changedBytes: ALTERED_COPY_MAX_CHANGED_BYTES });
    const many = few.slice();
    many[4095] = many[4095]! ^ 0xff;
    expect(compareWithIssued(many, hash)).toEqual({ fileMatch: "different_file", changedBytes: null });
    expect(compareWithIssued(issued.slice(0, 4000), hash)).toEqual({ fileMatch: "different_file", changedBytes: null });
    const changedThenLonger = new Uint8Array([...few, 1, 2, 3]);
    expect(compareWithIssued(changedThenLonger, hash)).toEqual({ fileMatch: "different_file", changedBytes: null });
  });

  it("a suspended certificate keeps saying so first; the file's comparison and the registry's values stand beside it", async () => {
    const { bytes: issued } = await download(number);
    const painted = await repainted(await envelopeOf(number), "1.5");
    await send(w, caseId, "cbAdmin", { type: "SUSPEND", reason: "监督抽查发现计量器具过期" });
    await runOutbox();
    try {
      expect(await upload(number, issued)).toMatchObject({ verdict: "suspended", fileMatch: "issued", registry: null });
      const report = await upload(number, painted);
      expect(report).toMatchObject({ verdict: "suspended", fileMatch: "different_file", registry: { number, status: "suspended" } });
      const text = textOf(await rendered(report, "en"));
      expect(text).toContain("Certificate suspended");
      expect(text).toContain("The embedded signed data is genuine, but this is not the file the registry issued");
      expect(text).toContain("The registry's values");
    } finally {
      await send(w, caseId, "cbAdmin", { type: "RESTORE" });
      await runOutbox();
    }
  });

  it("a signed JSON upload is the signed data itself: no file comparison", async () => {
    resetVerifyRateLimits();
    const body = new FormData();
    body.append("file", new File([signedCertificateJson(await envelopeOf(number))], `${number}.json`, { type: "application/json" }));
    const request = new Request("http://localhost/verify?index", { method: "POST", body });
    const answer = (await indexAction({ request, params: {}, context: { clientIp: "203.0.113.250" } })) as { result: { report: UploadReport } };
    expect(answer.result.report).toMatchObject({ verdict: "valid", fileMatch: null, registry: null });
  });
});

describe("a certificate issued before the registry kept its PDF", () => {
  it("gets its PDF rendered and stored once on first download, served from the row afterwards, and the identical verdict for it", async () => {
    // The issuer as it was: signed content, no PDF.
    const app = appCertificateIssuer();
    setCertificateIssuer({
      async sign(trx, certificate) {
        const { pdf: _pdf, ...signed } = await app.sign(trx, certificate);
        return signed;
      },
    });
    let legacy: string;
    try {
      ({ number: legacy } = await issuedCertificate("certificates-pdf-verdicts-legacy"));
    } finally {
      setCertificateIssuer(app);
    }
    const before = await storedRow(legacy);
    expect(before).toMatchObject({ pdf: null, pdf_sha256: null });
    expect(before.payload).not.toBeNull();

    // Two first requests at once: one render stored, both served the same bytes.
    const [first, second] = await Promise.all([download(legacy), download(legacy)]);
    expect([first.response.status, second.response.status]).toEqual([200, 200]);
    const after = await storedRow(legacy);
    expect(after.pdf_sha256).toBe(sha256(after.pdf!));
    expect(Buffer.from(first.bytes).equals(after.pdf!)).toBe(true);
    expect(Buffer.from(second.bytes).equals(after.pdf!)).toBe(true);
    expect(first.response.headers.get("ETag")).toBe(`"${after.pdf_sha256}"`);
    const embedded = await extractSignedCertificate(first.bytes);
    expect(embedded.found && signedCertificateJson(embedded.envelope as SignedCertificate)).toBe(signedCertificateJson(await envelopeOf(legacy)));

    // From now on the row is the issued file: stored once, never changed.
    const third = await download(legacy);
    expect(Buffer.from(third.bytes).equals(after.pdf!)).toBe(true);
    await expect(
      w.db
        .updateTable("certificates")
        .set({ pdf: Buffer.from("%PDF-1.7 other"), pdf_sha256: "0".repeat(64) })
        .where("number", "=", legacy)
        .execute(),
    ).rejects.toThrow(/cannot change/);

    expect(await upload(legacy, first.bytes)).toMatchObject({ verdict: "valid", fileMatch: "issued", registry: null });
    const { bytes: flipped } = await withOneByteFlipped(first.bytes);
    expect(await upload(legacy, flipped)).toMatchObject({ verdict: "altered_copy", fileMatch: "altered_copy", changedBytes: 1 });
  });

  it("gets its PDF stored when one is first uploaded, before any download", async () => {
    const app = appCertificateIssuer();
    setCertificateIssuer({
      async sign(trx, certificate) {
        const { pdf: _pdf, ...signed } = await app.sign(trx, certificate);
        return signed;
      },
    });
    let legacy: string;
    try {
      ({ number: legacy } = await issuedCertificate("certificates-pdf-verdicts-legacy-upload"));
    } finally {
      setCertificateIssuer(app);
    }
    const painted = await repainted(await envelopeOf(legacy), "1.5");
    expect(await upload(legacy, painted)).toMatchObject({ verdict: "different_file", fileMatch: "different_file" });
    const stored = await storedRow(legacy);
    expect(stored.pdf_sha256).toBe(sha256(stored.pdf!));
    const { bytes } = await download(legacy);
    expect(Buffer.from(bytes).equals(stored.pdf!)).toBe(true);
    expect(await upload(legacy, bytes)).toMatchObject({ verdict: "valid", fileMatch: "issued" });
  });
});
