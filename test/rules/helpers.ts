import type { Inventory, InventoryLine, ModelledProduct } from "../../rules/calculator/schema.ts";
import type { RetiredCredits, VerifiedFootprint } from "../../rules/labels/index.ts";

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

/** 1 kg of raw coal burnt in production, primary data on a sourced (non-demonstration) factor. */
export const rawCoal = (extra: Partial<InventoryLine> = {}) =>
  ({
    id: "coal",
    stage: "production",
    kind: "fuel",
    amount: 1,
    unit: "kg",
    factorCode: "FUEL-RAW-COAL",
    dataType: "primary",
    dataQuality: GOOD_DQ,
    ...extra,
  }) as InventoryLine;

export function sub(id: string, productId: string, amount: number, unit: string): InventoryLine {
  return { id, stage: "production", kind: "sub_product", productId, amount, unit, dataType: "primary", dataQuality: GOOD_DQ };
}

/**
 * One product carried 10 tkm by rail on the UK factor (TR-RAIL-FREIGHT, GB 2023): the factor is
 * AR5-based, so the study is AR5, and it is foreign to a Chinese PCR.
 */
export function foreignRailInventory(): Inventory {
  const rail: InventoryLine = {
    id: "rail",
    stage: "raw_material_transport",
    kind: "transport",
    amount: 10,
    unit: "tkm",
    factorCode: "TR-RAIL-FREIGHT",
    dataType: "secondary",
    dataQuality: GOOD_DQ,
  };
  return inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [rail] }], { gwpSet: "AR5" });
}

/** A verified footprint of the demo cement (per tonne under PCR-CN-CEMENT 1.0.0), numbered by its verification date. */
export const verifiedCementFootprint = (value: number, verifiedOn: string, extra: Partial<VerifiedFootprint> = {}): VerifiedFootprint => ({
  certificateNumber: `CB-CF-${verifiedOn}`,
  productId: "cement-po425",
  pcr: { code: "PCR-CN-CEMENT", version: "1.0.0" },
  declaredUnit: { quantity: 1, unit: "t" },
  kgCO2ePerDeclaredUnit: value,
  verifiedOn,
  ...extra,
});

/** CCER credits of vintage 2025, serials `first` to `last`, retired on `retiredOn` (mid-2026 unless given). */
export const ccerCredits = (first: number, last: number, retiredOn = "2026-06-30", extra: Partial<RetiredCredits> = {}): RetiredCredits => ({
  registry: "CCER",
  programme: "CCER",
  serialPrefix: "CCER-2025-",
  first,
  last,
  vintage: 2025,
  retiredOn,
  ...extra,
});

export function relClose(a: number, b: number, rel = 1e-12): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}
