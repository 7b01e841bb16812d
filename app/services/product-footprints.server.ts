/**
 * The manufacturer's home: its products with the footprint of each one's latest inventory,
 * calculated now from the stored lines (the same computation as the inventory editor), with the
 * basis every figure rests on.
 */
import type { Kysely } from "kysely";
import { latestInventoryOfProduct } from "../../db/repositories/inventories.ts";
import { productsByRecentUpdate } from "../../db/repositories/products.ts";
import type { DB } from "../../db/schema.ts";
import { findInventory, inventoryFootprint } from "./inventories.server.ts";

const SHOWN = 12;

export interface ProductFootprint {
  readonly productId: string;
  readonly name: { zh: string; en: string };
  readonly inventoryId: string | null;
  readonly period: string | null;
  /** Display value and unit, e.g. "699.8" and "kgCO₂e / 1 t"; null while the inventory has no result. */
  readonly value: string | null;
  readonly per: string | null;
  readonly basis: string | null;
  readonly locked: boolean;
}

export async function productFootprints(db: Kysely<DB>, organizationId: string): Promise<{ items: ProductFootprint[]; total: number }> {
  const products = await productsByRecentUpdate(db, organizationId);
  const items: ProductFootprint[] = [];
  // One product at a time: the embedded database serves one statement at a time anyway.
  for (const product of products.slice(0, SHOWN)) {
    const latest = await latestInventoryOfProduct(db, organizationId, product.id);
    const inventory = latest ? await findInventory(db, organizationId, latest.id) : null;
    const footprint = inventory ? await inventoryFootprint(db, organizationId, inventory) : null;
    const result = footprint?.result ?? null;
    items.push({
      productId: product.id,
      name: { zh: product.name_zh, en: product.name_en },
      inventoryId: inventory?.id ?? null,
      period: inventory ? `${inventory.period_start} – ${inventory.period_end}` : null,
      value: footprint?.presented?.total.value ?? null,
      per: footprint?.presented ? `kgCO₂e / ${footprint.presented.total.per}` : null,
      basis: result
        ? `${result.stamp.pcr.code} v${result.stamp.pcr.version} · ${result.stamp.factorDataset.id} ${result.stamp.factorDataset.version} · ${result.stamp.gwpSet}`
        : null,
      locked: Boolean(inventory?.locked_at),
    });
  }
  return { items, total: products.length };
}
