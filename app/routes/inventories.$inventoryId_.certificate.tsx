import type { LoaderFunctionArgs } from "@remix-run/node";
import { findInventory } from "../services/inventories.server.ts";
import { lookUpCitation } from "../services/inventory-line-form.server.ts";
import { apiError, json, requireApiPermission } from "../utils/api.server.ts";

/**
 * GET /inventories/:inventoryId/certificate?number=&unit= — the certificate a supplier line of this
 * inventory would cite, as JSON (`CertificateLookup`): its status, the figures of its signed
 * payload and why the line could not cite it, if it could not (the check the save makes). The
 * editor shows the figures read-only as soon as a number is entered; without JavaScript they
 * appear once the line is saved.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, organizationId } = await requireApiPermission(request, "product:read:own");
  const inventory = await findInventory(db, organizationId, params.inventoryId);
  if (!inventory) throw apiError(404, "NotFound", "找不到该清单。", "Inventory not found.");
  const url = new URL(request.url);
  const lookup = await lookUpCitation(db, inventory.gwp_set, url.searchParams.get("number") ?? "", url.searchParams.get("unit") ?? "");
  // A certificate's status can change at any moment: never answered from a cache.
  return json(lookup, { headers: { "Cache-Control": "no-store" } });
}
