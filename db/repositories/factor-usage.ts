/**
 * Which inventories use an emission factor: the lines of `inventory_lines` whose `factor_code` is
 * the code, grouped by inventory. Read by the public factor page for the signed-in organization
 * only, so every query here is scoped by organization; a factor code is public, the inventories
 * that cite it are not.
 */
import { sql } from "kysely";
import type { Executor } from "./executor.ts";

/**
 * The organization's inventories (every version, locked or not) with at least one line citing
 * `code`, with their product and the number of such lines: product name, then latest period and
 * version first. At most `limit` rows; the caller asks for one more to know whether there are more.
 */
export function inventoriesUsingFactor(db: Executor, organizationId: string, code: string, limit: number) {
  return (
    db
      .selectFrom("inventory_lines")
      .innerJoin("inventories", "inventories.id", "inventory_lines.inventory_id")
      .innerJoin("products", "products.id", "inventories.product_id")
      .select([
        "inventories.id as inventory_id",
        "inventories.version",
        "inventories.period_start",
        "inventories.period_end",
        "inventories.factor_dataset_id",
        "inventories.factor_dataset_version",
        "inventories.locked_at",
        "products.id as product_id",
        "products.name_zh as product_name_zh",
        "products.name_en as product_name_en",
        "products.model as product_model",
        sql<number>`count(*)::int`.as("line_count"),
      ])
      .where("inventory_lines.factor_code", "=", code)
      .where("inventories.organization_id", "=", organizationId)
      // A product and its inventories belong to one organization; asking both keeps a stray row out.
      .where("products.organization_id", "=", organizationId)
      .groupBy(["inventories.id", "products.id"])
      .orderBy("products.name_zh")
      .orderBy("products.id")
      .orderBy("inventories.period_end", "desc")
      .orderBy("inventories.version", "desc")
      .limit(limit)
      .execute()
  );
}
