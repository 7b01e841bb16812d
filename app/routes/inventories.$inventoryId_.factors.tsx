import type { LoaderFunctionArgs } from "@remix-run/node";
import { findInventory } from "../services/inventories.server.ts";
import { searchFactors } from "../services/factor-search.server.ts";
import { apiError, json, requireApiPermission } from "../utils/api.server.ts";

/**
 * GET /inventories/:inventoryId/factors?q=&kind=&supplyType=&limit= — the factor picker's search
 * over the inventory's own factor dataset version, as JSON. The editor works without it (the
 * picker's search button reloads the page with the same query); with JavaScript the picker asks
 * this route as the user types.
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
    },
  );
  return json(result, { headers: { "Cache-Control": "private, max-age=60" } });
}
