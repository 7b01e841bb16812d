/**
 * Tables `inventories`, `products` and `organizations` as an application for a label reads them:
 * the inventory a case is opened (or renewed) from and its lock, and the certification bodies an
 * application may go to. (The tables' own queries are in inventories.ts, products.ts and
 * organizations.ts.)
 */
import { sql } from "kysely";
import type { Executor } from "./executor.ts";

/** One of the organization's inventories with its product's names, or undefined when it is not theirs. */
export function applicantInventory(db: Executor, organizationId: string, inventoryId: string) {
  return db
    .selectFrom("inventories")
    .innerJoin("products", "products.id", "inventories.product_id")
    .select(["inventories.id", "inventories.product_id", "inventories.pcr_code", "inventories.pcr_version", "products.name_zh", "products.name_en"])
    .where("inventories.id", "=", inventoryId)
    .where("inventories.organization_id", "=", organizationId)
    .executeTakeFirst();
}

/**
 * The live product and holder rows a case's identity snapshot is taken from (workflows/cases/identity.ts),
 * read in the transaction that opens or submits the case.
 */
export function identitySourceOf(db: Executor, c: { productId: string; organizationId: string }) {
  return db
    .selectFrom("products")
    .innerJoin("organizations", "organizations.id", "products.organization_id")
    .select([
      "products.name_zh",
      "products.name_en",
      "products.model",
      "products.gtin",
      "products.internal_code",
      "products.site_region",
      "organizations.name_zh as holder_name_zh",
      "organizations.name_en as holder_name_en",
      "organizations.credit_code",
    ])
    .where("products.id", "=", c.productId)
    .where("products.organization_id", "=", c.organizationId)
    .executeTakeFirstOrThrow();
}

/** The product and PCR code of an inventory, whoever owns it (undefined when missing). */
export function inventoryProductAndPcr(db: Executor, inventoryId: string) {
  return db.selectFrom("inventories").select(["product_id", "pcr_code"]).where("id", "=", inventoryId).executeTakeFirst();
}

/** Locks an inventory's lines from now on (an inventory locked already keeps its first lock time). */
export async function lockInventory(db: Executor, inventoryId: string): Promise<void> {
  await db
    .updateTable("inventories")
    .set({ locked_at: sql`coalesce(locked_at, now())` })
    .where("id", "=", inventoryId)
    .execute();
}

/** The organization's inventories with their products' names, by product name, newest period and version first (at most 500). */
export function inventoriesWithProductsOf(db: Executor, organizationId: string) {
  return db
    .selectFrom("inventories")
    .innerJoin("products", "products.id", "inventories.product_id")
    .select([
      "inventories.id",
      "inventories.product_id",
      "inventories.pcr_code",
      "inventories.pcr_version",
      "inventories.period_start",
      "inventories.period_end",
      "inventories.version",
      "inventories.locked_at",
      "products.name_zh as product_name_zh",
      "products.name_en as product_name_en",
    ])
    .where("inventories.organization_id", "=", organizationId)
    .orderBy("products.name_zh")
    .orderBy("inventories.period_start", "desc")
    .orderBy("inventories.version", "desc")
    .limit(500)
    .execute();
}

/** The organization's inventories of one product under one PCR code, newest period and version first. */
export function inventoriesOfProductUnderPcr(db: Executor, c: { organizationId: string; productId: string; pcrCode: string }) {
  return db
    .selectFrom("inventories")
    .select(["id", "version", "pcr_version", "period_start", "period_end"])
    .where("organization_id", "=", c.organizationId)
    .where("product_id", "=", c.productId)
    .where("pcr_code", "=", c.pcrCode)
    .orderBy("period_start", "desc")
    .orderBy("version", "desc")
    .execute();
}

/** A certification body with its accredited categories (undefined when the id is no body). */
export function certificationBody(db: Executor, organizationId: string) {
  return db
    .selectFrom("organizations")
    .select(["id", "accredited_categories"])
    .where("id", "=", organizationId)
    .where("kind", "=", "certification_body")
    .executeTakeFirst();
}

/** Certification bodies accredited for a PCR code, by name. */
export function bodiesAccreditedFor(db: Executor, pcrCode: string) {
  return db
    .selectFrom("organizations")
    .select(["id", "name_zh", "name_en", "cb_code", "cnca_approval_number"])
    .where("kind", "=", "certification_body")
    .where(sql<boolean>`${pcrCode} = any(accredited_categories)`)
    .orderBy("name_zh")
    .execute();
}
