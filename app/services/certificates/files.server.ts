/**
 * The downloadable files of a certificate: the PDF (the bytes the registry issued, with the signed
 * envelope attached), the signed envelope as canonical JSON, and the label mark as SVG (outlined,
 * no font needed) and PNG. PDF and JSON are the certificate's content, which never changes, so they
 * are served whatever the status (the verification page tells the status). The label is artwork for
 * packaging and is only handed out while the certificate is valid.
 */
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { getDb } from "../../../db/client.ts";
import { certificatePdfOf, storeCertificatePdfOnce } from "../../../db/repositories/certificates.ts";
import type { DB } from "../../../db/schema.ts";
import { labelMarkOutlinedSvg, labelMarkPng } from "../../certificate-files/label-mark.server.ts";
import { CertificatePayloadSchema } from "../../../workflows/certificates/payload.ts";
import { certificatePdf } from "../../certificate-files/pdf.server.tsx";
import { SIGNATURE_ALGORITHM, signedCertificateJson, type SignedCertificate } from "../../../workflows/certificates/signing.ts";
import { clientIp } from "../../utils/http.server.ts";
import { publicOrigin } from "../../utils/public-origin.server.ts";
import { verifyRateLimit } from "./rate-limit.server.ts";
import { effectiveStatus, findCertificate, normaliseNumber, type RegistryRecord } from "./registry.server.ts";

export type CertificateFile = "pdf" | "json" | "labelSvg" | "labelPng";

/** The signed envelope of a registry row, or null for a certificate issued unsigned. */
function signedOf(row: RegistryRecord): SignedCertificate | null {
  if (row.payload === null || row.signature === null || row.key_id === null) return null;
  const payload = CertificatePayloadSchema.parse(JSON.parse(row.payload));
  return { payload, signature: { alg: SIGNATURE_ALGORITHM, keyId: row.key_id, value: row.signature } };
}

export interface IssuedPdf {
  readonly bytes: Buffer;
  readonly sha256: string;
}

/**
 * The issued PDF of a signed certificate: the bytes stored at issue, which is what every download
 * serves and what an uploaded PDF is compared with. A certificate issued before the registry kept
 * its PDF gets one rendered now, the way its downloads were always rendered (same renderer, the
 * deployment's origin, its signed content), and stored once; from then on it is served from the
 * row like any other. Null for an unsigned certificate, which has no PDF.
 */
export async function issuedPdf(db: Kysely<DB>, row: RegistryRecord): Promise<IssuedPdf | null> {
  if (row.pdf_sha256 !== null) {
    const stored = await certificatePdfOf(db, row.id);
    if (stored) return { bytes: stored.pdf, sha256: stored.pdf_sha256 };
  }
  const certificate = signedOf(row);
  if (!certificate) return null;
  const bytes = Buffer.from(await certificatePdf(certificate, { baseUrl: publicOrigin() }));
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (await storeCertificatePdfOnce(db, row.id, { bytes, sha256 })) return { bytes, sha256 };
  // Another request stored it first: the row's bytes are the issued ones, whatever this render made.
  const stored = await certificatePdfOf(db, row.id);
  if (!stored) throw new Error(`certificate ${row.number}: its PDF was neither stored nor found`);
  return { bytes: stored.pdf, sha256: stored.pdf_sha256 };
}

function plain(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers } });
}

/** Answers a download request for one of a certificate's files. */
export async function certificateFileResponse(
  request: Request,
  numberParam: string | undefined,
  file: CertificateFile,
  context: unknown,
): Promise<Response> {
  const retryAfter = verifyRateLimit("lookup", clientIp(context));
  if (retryAfter !== null) return plain(429, "Too many requests", { "Retry-After": String(retryAfter) });
  const number = normaliseNumber(numberParam ?? "");
  const db = await getDb();
  const row = number ? await findCertificate(db, number) : null;
  const certificate = row ? signedOf(row) : null;
  if (!row || !certificate) return plain(404, "Not Found");
  const { payload } = certificate;
  const etag = `"${row.payload_sha256}-${file}"`;
  const name = encodeURIComponent(row.number);

  if (file === "labelSvg" || file === "labelPng") {
    if (effectiveStatus(row.status, row.valid_until) !== "valid")
      return plain(410, `Certificate ${row.number} is not valid: its label may not be used.`);
    const headers = { "Cache-Control": "public, max-age=300", ETag: etag };
    if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
    if (file === "labelSvg") {
      return new Response(await labelMarkOutlinedSvg(payload), {
        headers: { ...headers, "Content-Type": "image/svg+xml; charset=utf-8", "Content-Disposition": `inline; filename="${name}-label.svg"` },
      });
    }
    return new Response(new Uint8Array(await labelMarkPng(payload)), {
      headers: { ...headers, "Content-Type": "image/png", "Content-Disposition": `inline; filename="${name}-label.png"` },
    });
  }

  const shared = { "Cache-Control": "public, max-age=86400", "Access-Control-Allow-Origin": "*" };
  if (file === "json") {
    const headers = { ...shared, ETag: etag };
    if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
    return new Response(signedCertificateJson(certificate), {
      headers: { ...headers, "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="${name}.json"` },
    });
  }

  // The PDF is the file the registry issued, byte for byte, so its ETag is the SHA-256 of those
  // bytes: a revalidating cache is answered from the row's hash without reading the bytes.
  const pdfEtag = (sha256: string) => `"${sha256}"`;
  if (row.pdf_sha256 !== null && request.headers.get("If-None-Match") === pdfEtag(row.pdf_sha256))
    return new Response(null, { status: 304, headers: { ...shared, ETag: pdfEtag(row.pdf_sha256) } });
  const pdf = await issuedPdf(db, row);
  if (!pdf) return plain(404, "Not Found");
  const headers = { ...shared, ETag: pdfEtag(pdf.sha256) };
  if (request.headers.get("If-None-Match") === headers.ETag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(pdf.bytes), {
    headers: { ...headers, "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="${name}.pdf"` },
  });
}
