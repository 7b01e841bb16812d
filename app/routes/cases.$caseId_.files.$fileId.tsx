import type { LoaderFunctionArgs } from "@remix-run/node";
import { findCaseAttachment } from "../services/cases/attachments.server.ts";
import { findCaseParty } from "../services/cases/case-page.server.ts";
import { contentDisposition, fileResponse } from "../services/uploaded-files.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";

/**
 * Downloads a file given to a case (a document or a finding answer's file), for either party of
 * the case; anyone else gets 404. Always an attachment with the sniffed type and `nosniff`.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "case:read");
  const view = await findCaseParty(db, organizationId, params.caseId);
  if (!view) throw notFound();
  const file = await findCaseAttachment(db, view.id, params.fileId);
  if (!file) throw notFound();
  return fileResponse(file, contentDisposition(file.file_name));
}
