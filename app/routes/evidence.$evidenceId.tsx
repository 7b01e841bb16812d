import type { LoaderFunctionArgs } from "@remix-run/node";
import { findEvidenceFile } from "../services/evidence.server.ts";
import { contentDisposition, fileResponse } from "../services/uploaded-files.server.ts";
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
  return fileResponse(file, contentDisposition(file.file_name));
}
