/**
 * GET /inventories/:id/workbook/template — the .xlsx template for this inventory's PCR and factor
 * dataset (see app/services/workbook/template.server.ts). Another organization's inventory is a 404.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { contentDisposition, XLSX_CONTENT_TYPE } from "../services/workbook/layout.server.ts";
import { buildTemplate, findWorkbookSubject, workbookFileName } from "../services/workbook/template.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "product:read:own");
  const subject = await findWorkbookSubject(db, organizationId, params.inventoryId);
  if (!subject) throw notFound();
  const body = await buildTemplate(subject);
  return new Response(body, {
    headers: {
      "Content-Type": XLSX_CONTENT_TYPE,
      "Content-Disposition": contentDisposition(workbookFileName(subject.inventory, "template")),
      "Cache-Control": "private, no-store",
    },
  });
}
