/**
 * POST /api/v1/footprints/calculate — a signed-in user sends an inventory (JSON, see
 * /api/v1/schema/inventory.json) and gets the full footprint result, its presentation (decimal
 * strings with units) and the PCR conformance report. Nothing is stored.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { calculateFootprint, parseInventory, presentFootprint } from "../../rules/calculator/index.ts";
import { checkConformance } from "../../rules/conformance/index.ts";
import { RulesError } from "../../rules/errors.ts";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import { finiteResult } from "../services/inventories.server.ts";
import { apiError, json, readJsonBody, requireApiPermission } from "../utils/api.server.ts";

const MAX_BODY_BYTES = 32 * 1024 * 1024;

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "MethodNotAllowed", "请使用 POST。", "Use POST.");
  await requireApiPermission(request, "footprint:calculate");
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  try {
    const inventory = parseInventory(body);
    const result = finiteResult(calculateFootprint(inventory));
    const pcr = PCR_CATALOGUE.get(inventory.pcr.code, inventory.pcr.version);
    const conformance = checkConformance(pcr, inventory, result);
    return json({ result, presentation: presentFootprint(result, 4), conformance });
  } catch (error) {
    if (error instanceof RulesError) return json({ error: error.toJSON() }, { status: 422 });
    throw error;
  }
}

export function loader() {
  return apiError(405, "MethodNotAllowed", "请使用 POST 提交清单。", "POST an inventory to this address.");
}
