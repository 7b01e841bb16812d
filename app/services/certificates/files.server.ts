/**
 * The downloadable files of a certificate: the PDF (rendered from the signed envelope, with it
 * attached), the signed envelope as canonical JSON, and the label mark as SVG (outlined, no font
 * needed) and PNG. PDF and JSON are the certificate's content, which never changes, so they are
 * served whatever the status (the verification page tells the status). The label is artwork for
 * packaging and is only handed out while the certificate is valid.
 */
import { createHash } from "node:crypto";
import { getDb } from "../../../db/client.ts";
import { labelMarkOutlinedSvg, labelMarkPng } from "../../certificate-files/label-mark.server.ts";
import { CertificatePayloadSchema } from "../../../workflows/certificates/payload.ts";
import { certificatePdf, PDF_LAYOUT_VERSION } from "../../certificate-files/pdf.server.tsx";
import { SIGNATURE_ALGORITHM, signedCertificateJson, type SignedCertificate } from "../../../workflows/certificates/signing.ts";
import { clientIp } from "../../utils/http.server.ts";
import { publicOrigin } from "../../utils/public-origin.server.ts";
import { verifyRateLimit } from "./rate-limit.server.ts";
import { effectiveStatus, findCertificate, normaliseNumber } from "./registry.server.ts";

export type CertificateFile = "pdf" | "json" | "labelSvg" | "labelPng";

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
  const row = number ? await findCertificate(await getDb(), number) : null;
  if (!row || row.payload === null || row.signature === null || row.key_id === null) return plain(404, "Not Found");
  const payload = CertificatePayloadSchema.parse(JSON.parse(row.payload));
  const certificate: SignedCertificate = { payload, signature: { alg: SIGNATURE_ALGORITHM, keyId: row.key_id, value: row.signature } };
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

  // The PDF prints the deployment's origin (QR code, verification link), fixed per server and never
  // taken from the request, so one cached copy is right for every requester. Origin and layout
  // version are part of the PDF's ETag: after either changes, a revalidating cache gets the new PDF.
  const pdfEtag = `"${row.payload_sha256}-pdf-${createHash("sha256").update(`${PDF_LAYOUT_VERSION}|${publicOrigin()}`).digest("base64url").slice(0, 10)}"`;
  const headers = { "Cache-Control": "public, max-age=86400", ETag: file === "pdf" ? pdfEtag : etag, "Access-Control-Allow-Origin": "*" };
  if (request.headers.get("If-None-Match") === headers.ETag) return new Response(null, { status: 304, headers });
  if (file === "json") {
    return new Response(signedCertificateJson(certificate), {
      headers: { ...headers, "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="${name}.json"` },
    });
  }
  const pdf = await certificatePdf(certificate, { baseUrl: publicOrigin() });
  return new Response(new Uint8Array(pdf), {
    headers: { ...headers, "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="${name}.pdf"` },
  });
}
