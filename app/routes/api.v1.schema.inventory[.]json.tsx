/**
 * GET /api/v1/schema/inventory.json — the JSON Schema of the calculator's inventory input (public).
 * It is strict, as the calculator is: every object has `additionalProperties: false`, and the
 * calculation API refuses a member it does not define (UnknownMember, located at its path).
 */
import { inventoryJsonSchema } from "../../rules/calculator/index.ts";

let cached: string | undefined;

export function loader() {
  cached ??= JSON.stringify({ $id: "/api/v1/schema/inventory.json", title: "CarbonLabel inventory", ...(inventoryJsonSchema() as object) }, null, 2);
  return new Response(cached, {
    headers: { "Content-Type": "application/schema+json; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
