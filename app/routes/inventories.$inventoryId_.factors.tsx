import type { LoaderFunctionArgs } from "@remix-run/node";
import { findInventory } from "../services/inventories.server.ts";
import { factorStudyOf, searchFactors } from "../services/factor-search.server.ts";
import { factorLibrary } from "../../workflows/footprints/library.ts";
import { apiError, json, requireApiPermission } from "../utils/api.server.ts";

/**
 * GET /inventories/:inventoryId/factors?q=&kind=&supplyType=&limit= — the factor picker's search
 * over the inventory's own factor dataset version (its factors and those of the versions it
 * includes), as JSON, each factor judged for the inventory's study (GWP basis, greyed out with the
 * reason when it cannot be used) and ranked by fitness. The editor works without it (the picker's
 * search button reloads the page with the same query); with JavaScript the picker asks this route
 * as the user types.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, organizationId } = await requireApiPermission(request, "product:read:own");
  const inventory = await findInventory(db, organizationId, params.inventoryId);
  if (!inventory) throw apiError(404, "NotFound", "找不到该清单。", "Inventory not found.");
  const url = new URL(request.url);
  const limit = Number(url.searchParams.get("limit") ?? "");
  const result = searchFactors(
    { id: inventory.factor_dataset_id, version: inventory.factor_dataset_version },
    {
      kind: url.searchParams.get("kind"),
      supplyType: url.searchParams.get("supplyType"),
      query: url.searchParams.get("q"),
      limit: Number.isInteger(limit) && limit > 0 ? limit : undefined,
      study: factorStudyOf(inventory),
    },
    await factorLibrary(db),
  );
  return json(result, { headers: { "Cache-Control": "private, max-age=60" } });
}
