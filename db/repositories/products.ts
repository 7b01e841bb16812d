/**
 * Table `products`: a manufacturer's products. Every function takes the tenant (organization id)
 * and never reads or changes another organization's rows.
 */
import { sql, type Insertable, type Updateable } from "kysely";
import type { ProductsTable } from "../schema.ts";
import type { Executor } from "./executor.ts";
import { anyContains } from "./text-search.ts";

/** What a product form sets: everything but the keys, the owner and the timestamps. */
export type ProductDetails = Omit<Insertable<ProductsTable>, "id" | "organization_id" | "created_at" | "updated_at">;

/**
 * The organization's products matching a search text (in either name, the model, GTIN or internal
 * code; `%` and `_` match themselves) and a PCR, by Chinese name, at most 500.
 */
export function searchProducts(db: Executor, organizationId: string, filter: { q?: string; pcrCode?: string }) {
  let query = db
    .selectFrom("products")
    .select(["id", "name_zh", "name_en", "model", "pcr_code", "site_region", "gtin", "internal_code", "updated_at"])
    .where("organization_id", "=", organizationId);
  if (filter.q) {
    const q = filter.q;
    query = query.where((eb) => anyContains(eb, ["name_zh", "name_en", "model", "gtin", "internal_code"], q));
  }
  if (filter.pcrCode) query = query.where("pcr_code", "=", filter.pcrCode);
  return query
    .orderBy(sql`name_zh`)
    .limit(500)
    .execute();
}

/** Adds a product to the organization; returns its id. */
export async function insertProduct(db: Executor, organizationId: string, details: ProductDetails): Promise<string> {
  const product = await db
    .insertInto("products")
    .values({ organization_id: organizationId, ...details })
    .returning("id")
    .executeTakeFirstOrThrow();
  return product.id;
}

/** Saves a product's details and marks it updated; a product of another organization is left alone. */
export async function updateProductDetails(
  db: Executor,
  organizationId: string,
  productId: string,
  details: Omit<Updateable<ProductsTable>, "id" | "organization_id" | "created_at" | "updated_at">,
): Promise<void> {
  await db
    .updateTable("products")
    .set({ ...details, updated_at: new Date() })
    .where("id", "=", productId)
    .where("organization_id", "=", organizationId)
    .execute();
}

/** The product's row, or undefined when it does not exist or belongs to another organization. */
export function findProductRow(db: Executor, organizationId: string, productId: string) {
  return db.selectFrom("products").selectAll().where("id", "=", productId).where("organization_id", "=", organizationId).executeTakeFirst();
}

/** The organization's products (id and names), most recently updated first, then by Chinese name. */
export function productsByRecentUpdate(db: Executor, organizationId: string) {
  return db
    .selectFrom("products")
    .select(["id", "name_zh", "name_en"])
    .where("organization_id", "=", organizationId)
    .orderBy("updated_at", "desc")
    .orderBy("name_zh")
    .execute();
}

/** The organization's products' ids and internal codes. */
export function productInternalCodes(db: Executor, organizationId: string) {
  return db.selectFrom("products").select(["id", "internal_code"]).where("organization_id", "=", organizationId).execute();
}

/** The id of the organization's product with this internal code, or undefined. */
export async function productIdByInternalCode(db: Executor, organizationId: string, internalCode: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("products")
    .select("id")
    .where("organization_id", "=", organizationId)
    .where("internal_code", "=", internalCode)
    .executeTakeFirst();
  return row?.id;
}

/**
 * The organization's products other than `exceptProductId`, by Chinese name, each with the unit
 * its latest inventory (latest period, then version) is produced in (null without one).
 */
export function productsWithLatestUnit(db: Executor, organizationId: string, exceptProductId: string) {
  return db
    .selectFrom("products")
    .select((eb) => [
      "products.id",
      "products.internal_code",
      "products.name_zh",
      "products.name_en",
      eb
        .selectFrom("inventories")
        .select("inventories.production_unit")
        .whereRef("inventories.product_id", "=", "products.id")
        .orderBy("inventories.period_end", "desc")
        .orderBy("inventories.version", "desc")
        .limit(1)
        .as("unit"),
    ])
    .where("products.organization_id", "=", organizationId)
    .where("products.id", "!=", exceptProductId)
    .orderBy("products.name_zh")
    .execute();
}
