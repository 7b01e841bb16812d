import type { LoaderFunctionArgs } from "@remix-run/node";
import { findCaseEvidence } from "../services/cases/attachments.server.ts";
import { contentDisposition, fileResponse } from "../services/uploaded-files.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";

/**
 * Downloads an evidence file behind a line of the inventory a case was applied from: how the
 * certification body reads the applicant's evidence, only for the cases submitted to it. Any
 * other file, a case the user's organization is no party to, or a draft seen from the body,
 * answers 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "case:read");
  const file = await findCaseEvidence(db, organizationId, params.caseId, params.evidenceId);
  if (!file) throw notFound();
  return fileResponse(file, contentDisposition(file.file_name));
}
