/**
 * GET /inventories/:id/workbook/export — the inventory's lines and its computed result as .xlsx
 * (see app/services/workbook/export.server.ts). Another organization's inventory is a 404.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { buildExport } from "../services/workbook/export.server.ts";
import { contentDisposition, XLSX_CONTENT_TYPE } from "../services/workbook/layout.server.ts";
import { findWorkbookSubject, workbookFileName } from "../services/workbook/template.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "product:read:own");
  const subject = await findWorkbookSubject(db, organizationId, params.inventoryId);
  if (!subject) throw notFound();
  const body = await buildExport({ db, organizationId, ...subject });
  return new Response(body, {
    headers: {
      "Content-Type": XLSX_CONTENT_TYPE,
      "Content-Disposition": contentDisposition(workbookFileName(subject.inventory, "export")),
      "Cache-Control": "private, no-store",
    },
  });
}
