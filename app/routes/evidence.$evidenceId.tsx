import type { LoaderFunctionArgs } from "@remix-run/node";
import { contentDisposition, findEvidenceFile } from "../services/evidence.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";

/**
 * Downloads one evidence file of the signed-in organization, always as an attachment with the
 * sniffed content type and `nosniff`, so an uploaded file never runs as a page of this site.
 * Another organization's file answers 404, like a missing one.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "product:read:own");
  const file = await findEvidenceFile(db, organizationId, params.evidenceId);
  if (!file) throw notFound();
  return new Response(new Uint8Array(file.content), {
    headers: {
      "Content-Type": file.content_type,
      "Content-Length": String(file.size_bytes),
      "Content-Disposition": contentDisposition(file.file_name),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
      ETag: `"${file.sha256}"`,
      // RFC 9530: lets a downloader check the bytes against the digest shown in the editor.
      "Repr-Digest": `sha-256=:${Buffer.from(file.sha256, "hex").toString("base64")}:`,
    },
  });
}
