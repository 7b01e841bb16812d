/**
 * A manufacturer's products. Every function takes the tenant (organization id) and never returns
 * or changes another organization's rows.
 */
import type { Kysely } from "kysely";
import { findProductRow, insertProduct, searchProducts, updateProductDetails } from "../../db/repositories/products.ts";
import type { DB } from "../../db/schema.ts";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import { productFormSchema, type ProductForm } from "../utils/product-forms.ts";
import { isUuid } from "../../db/uuid.ts";

/** The product form's schema (app/utils/product-forms.ts) over the server's PCR catalogue. */
export function productSchema() {
  return productFormSchema(PCR_CATALOGUE.list().map((p) => p.code));
}
export type { ProductForm };

/** The PCRs a product can be modelled under, for forms and filters. */
export function pcrOptions() {
  return PCR_CATALOGUE.list().map((p) => ({ code: p.code, version: p.version, zh: p.name.zh, en: p.name.en }));
}

function productValues(form: ProductForm) {
  return {
    name_zh: form.nameZh,
    name_en: form.nameEn,
    model: form.model,
    pcr_code: form.pcrCode,
    site_region: form.siteRegion,
    description: form.description,
    gtin: form.gtin || null,
    internal_code: form.internalCode || null,
  };
}

export async function listProducts(db: Kysely<DB>, organizationId: string, filter: { q?: string; pcrCode?: string }) {
  return searchProducts(db, organizationId, filter);
}

/** Adds a product to the organization; returns its id. */
export async function createProduct(db: Kysely<DB>, organizationId: string, form: ProductForm): Promise<string> {
  return insertProduct(db, organizationId, productValues(form));
}

/** Saves a product's details; a product of another organization is left alone. */
export async function updateProduct(db: Kysely<DB>, organizationId: string, productId: string, form: ProductForm): Promise<void> {
  await updateProductDetails(db, organizationId, productId, productValues(form));
}

/** The product, or null when it does not exist or belongs to another organization. */
export async function findProduct(db: Kysely<DB>, organizationId: string, productId: string | undefined) {
  if (!isUuid(productId)) return null;
  return (await findProductRow(db, organizationId, productId)) ?? null;
}
