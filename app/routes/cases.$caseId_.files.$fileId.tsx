import type { LoaderFunctionArgs } from "@remix-run/node";
import { findCaseAttachment } from "../services/cases/attachments.server.ts";
import { contentDisposition, fileResponse } from "../services/uploaded-files.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";

/**
 * Downloads a file given to a case (a document or a finding answer's file), for either party of
 * the case (the body once the case is submitted); anyone else gets 404, as for a missing file.
 * Always an attachment with the sniffed type and `nosniff`.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "case:read");
  const file = await findCaseAttachment(db, organizationId, params.caseId, params.fileId);
  if (!file) throw notFound();
  return fileResponse(file, contentDisposition(file.file_name));
}
