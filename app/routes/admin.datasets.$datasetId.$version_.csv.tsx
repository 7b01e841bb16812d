/**
 * /admin/datasets/{id}/{version}/csv — a version's own factors as the CSV file the importer takes
 * (one column per member of a factor, headed by its path): the way to start the next version.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { datasetCsv, datasetVersionPage } from "../services/datasets.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, locale } = await requirePermission(request, "datasets:manage");
  refuseNulBytes(request, locale, { params });
  const page = await datasetVersionPage(db, params.datasetId ?? "", params.version ?? "");
  if (!page) throw notFound();
  const name = `${page.dataset.id}-${page.dataset.version}.csv`;
  return new Response(datasetCsv(page.dataset), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
