/**
 * Table `inventories`: a product's life-cycle inventory for one period, in versions. A locked
 * inventory (used by an application) is never changed; writers lock the row first (`lockInventory`)
 * so a lock taken by an application and an edit cannot interleave.
 */
import { sql, type Insertable, type Transaction } from "kysely";
import type { DB, InventoriesTable } from "../schema.ts";
import type { Executor } from "./executor.ts";

/** The organization's inventory with its product's names, region and model; undefined when none. */
export function findInventoryWithProduct(db: Executor, organizationId: string, inventoryId: string) {
  return db
    .selectFrom("inventories")
    .innerJoin("products", "products.id", "inventories.product_id")
    .selectAll("inventories")
    .select(["products.name_zh as product_name_zh", "products.name_en as product_name_en", "products.site_region", "products.model"])
    .where("inventories.id", "=", inventoryId)
    .where("inventories.organization_id", "=", organizationId)
    .executeTakeFirst();
}

/** The organization's inventory row; throws when there is none. */
export function getInventory(db: Executor, organizationId: string, inventoryId: string) {
  return db
    .selectFrom("inventories")
    .selectAll()
    .where("id", "=", inventoryId)
    .where("organization_id", "=", organizationId)
    .executeTakeFirstOrThrow();
}

/**
 * The latest inventory (latest period end, then version) of the organization's product, with
 * what a sub-product needs (output and the product's Chinese name); undefined when it has none.
 */
export function latestInventoryOfProduct(db: Executor, organizationId: string, productId: string) {
  return db
    .selectFrom("inventories")
    .innerJoin("products", "products.id", "inventories.product_id")
    .select(["inventories.id", "inventories.production_quantity", "inventories.production_unit", "products.name_zh"])
    .where("inventories.product_id", "=", productId)
    .where("inventories.organization_id", "=", organizationId)
    .orderBy("inventories.period_end", "desc")
    .orderBy("inventories.version", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** The versions (id and number) of the organization's product's inventories, in no particular order. */
export function inventoryVersionsOf(db: Executor, organizationId: string, productId: string) {
  return db
    .selectFrom("inventories")
    .select(["id", "version"])
    .where("organization_id", "=", organizationId)
    .where("product_id", "=", productId)
    .execute();
}

/** The inventories of the organization's product, latest period first, then latest version. */
export function inventoriesOfProduct(db: Executor, organizationId: string, productId: string) {
  return db
    .selectFrom("inventories")
    .select([
      "id",
      "version",
      "pcr_code",
      "pcr_version",
      "period_start",
      "period_end",
      "production_quantity",
      "production_unit",
      "locked_at",
      "updated_at",
    ])
    .where("organization_id", "=", organizationId)
    .where("product_id", "=", productId)
    .orderBy("period_start", "desc")
    .orderBy("version", "desc")
    .execute();
}

/** The id of the first version of the product's inventory ending on `periodEnd`; throws when there is none. */
export async function firstVersionEnding(db: Executor, productId: string, periodEnd: string): Promise<string> {
  const row = await db
    .selectFrom("inventories")
    .select("id")
    .where("product_id", "=", productId)
    .where("period_end", "=", periodEnd)
    .orderBy("version")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The highest version number of the product's inventories for exactly this period (null when none). */
export async function latestVersionInPeriod(db: Executor, productId: string, period: { start: string; end: string }): Promise<number> {
  const { latest } = await db
    .selectFrom("inventories")
    .select(sql<number>`max(version)::int`.as("latest"))
    .where("product_id", "=", productId)
    .where("period_start", "=", period.start)
    .where("period_end", "=", period.end)
    .executeTakeFirstOrThrow();
  return latest;
}

/** Adds an inventory; returns its id. */
export async function insertInventory(db: Executor, inventory: Insertable<InventoriesTable>): Promise<string> {
  const row = await db.insertInto("inventories").values(inventory).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

/** Locks the inventory row for the transaction and says whether it is locked for editing; throws when there is none. */
export function lockInventory(trx: Transaction<DB>, inventoryId: string) {
  return trx.selectFrom("inventories").select("locked_at").where("id", "=", inventoryId).forUpdate().executeTakeFirstOrThrow();
}

/** `lockInventory` for an inventory of the organization: undefined when it has none by that id. */
export function lockInventoryOf(trx: Transaction<DB>, organizationId: string, inventoryId: string) {
  return trx
    .selectFrom("inventories")
    .select("locked_at")
    .where("id", "=", inventoryId)
    .where("organization_id", "=", organizationId)
    .forUpdate()
    .executeTakeFirst();
}

/** Marks the inventory as changed now (its lines were written). */
export async function touchInventory(db: Executor, inventoryId: string): Promise<void> {
  await db.updateTable("inventories").set({ updated_at: new Date() }).where("id", "=", inventoryId).execute();
}
