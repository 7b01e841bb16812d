import type { Inventory, InventoryLine, ModelledProduct } from "../../rules/calculator/schema.ts";

/** A minimal valid inventory under the cement PCR (cradle to gate, AR6) around the given products. */
export function inventoryOf(products: ModelledProduct[], overrides: Partial<Inventory> = {}): Inventory {
  return {
    pcr: { code: "PCR-CN-CEMENT", version: "1.0.0" },
    factorDataset: { id: "CN-DEMO", version: "2026.1" },
    gwpSet: "AR6",
    declaredUnit: { quantity: 1, unit: "t" },
    period: { start: "2025-01-01", end: "2025-12-31" },
    referenceProduct: products[0]?.id ?? "p",
    products,
    ...overrides,
  };
}

export const GOOD_DQ = { reliability: 1, completeness: 1, temporal: 1, geographical: 1, technological: 1 } as const;

export function material(id: string, amount: number, unit: string, factorCode: string, extra: Partial<InventoryLine> = {}): InventoryLine {
  return {
    id,
    stage: "raw_material_acquisition",
    kind: "material",
    amount,
    unit,
    factorCode,
    dataType: "secondary",
    dataQuality: GOOD_DQ,
    ...extra,
  } as InventoryLine;
}

export function gas(id: string, g: string, kg: number, extra: Partial<InventoryLine> = {}): InventoryLine {
  return {
    id,
    stage: "production",
    kind: "process_emission",
    gas: g,
    amount: kg,
    unit: "kg",
    dataType: "primary",
    dataQuality: GOOD_DQ,
    ...extra,
  } as InventoryLine;
}

export function sub(id: string, productId: string, amount: number, unit: string): InventoryLine {
  return { id, stage: "production", kind: "sub_product", productId, amount, unit, dataType: "primary", dataQuality: GOOD_DQ };
}

export function relClose(a: number, b: number, rel = 1e-12): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}
