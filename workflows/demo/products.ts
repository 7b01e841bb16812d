/**
 * The demo manufacturer's products with complete inventories: an EV battery pack (with its cell
 * and cathode material modelled as sub-products), a Portland cement (with its clinker) and a
 * textile fabric. The lines are exactly those of rules/examples/*.json, so every number on the demo
 * screens can be traced to the reference factors and recomputed with `npm run calc`. The examples
 * name CN-DEMO 2026.2: electricity and fuels from the published factors it includes, materials,
 * transport and waste still demonstration values.
 */
import type { Kysely, Transaction } from "kysely";
import { insertInventory } from "../../db/repositories/inventories.ts";
import { insertLineRows } from "../../db/repositories/inventory-lines.ts";
import { insertProduct, productIdByInternalCode } from "../../db/repositories/products.ts";
import batteryExample from "../../rules/examples/battery-inventory.json" with { type: "json" };
import cementExample from "../../rules/examples/cement-inventory.json" with { type: "json" };
import textileExample from "../../rules/examples/textile-inventory.json" with { type: "json" };
import { toNumeric } from "../../db/decimal.ts";
import type { DB } from "../../db/schema.ts";
import type { LineKind } from "../../rules/calculator/schema.ts";
import type { Stage } from "../../rules/stages.ts";

interface ExampleLine {
  id: string;
  stage: Stage;
  kind: LineKind;
  amount?: number;
  unit?: string;
  factorCode?: string;
  dataType: "primary" | "secondary";
  dataQuality?: Record<string, number>;
  note?: string;
  excluded?: boolean;
  [key: string]: unknown;
}
interface Example {
  pcr: { code: string; version: string };
  factorDataset: { id: string; version: string };
  gwpSet: string;
  period: { start: string; end: string };
  location?: { region: string };
  products: { id: string; output: { amount: number; unit: string }; lines: ExampleLine[] }[];
}

const NAMES: Record<string, { zh: string; en: string; model: string; internalCode: string }> = {
  pack: { zh: "NCM811 电动汽车动力电池包", en: "EV traction battery pack (NCM811)", model: "HL-EV60-NCM811", internalCode: "DEMO-BAT-PACK" },
  cell: { zh: "NCM811 方形电芯 312.5 Wh", en: "Prismatic NCM811 cell, 312.5 Wh", model: "HL-C3125", internalCode: "DEMO-BAT-CELL" },
  cathode: { zh: "NCM811 正极材料", en: "NCM811 cathode active material", model: "HL-CAM811", internalCode: "DEMO-BAT-CAM" },
  cement: { zh: "P·O 42.5 普通硅酸盐水泥", en: "P·O 42.5 ordinary Portland cement", model: "P·O 42.5", internalCode: "DEMO-CEM-PO425" },
  clinker: { zh: "硅酸盐水泥熟料", en: "Portland cement clinker", model: "", internalCode: "DEMO-CEM-CLINKER" },
  mesh: { zh: "经编提花工程网布（染色）", en: "Warp-knitted jacquard mesh, dyed", model: "HL-MESH-220", internalCode: "DEMO-TEX-MESH" },
};

export const DEMO_EXAMPLES = { battery: batteryExample, cement: cementExample, textile: textileExample } as unknown as Record<string, Example>;

const BASE_FIELDS = new Set(["id", "stage", "kind", "amount", "unit", "factorCode", "dataType", "dataQuality", "note", "excluded", "productId"]);

/** Adds the demo products once (found again by internal code). Returns true when anything was written. */
export async function seedDemoProducts(trx: Transaction<DB> | Kysely<DB>, organizationId: string, userId: string): Promise<boolean> {
  let wrote = false;
  for (const example of Object.values(DEMO_EXAMPLES)) {
    const productIds = new Map<string, string>();
    let created = false;
    for (const modelled of example.products) {
      const names = NAMES[modelled.id]!;
      const existing = await productIdByInternalCode(trx, organizationId, names.internalCode);
      if (existing) {
        productIds.set(modelled.id, existing);
        continue;
      }
      const productId = await insertProduct(trx, organizationId, {
        name_zh: names.zh,
        name_en: names.en,
        model: names.model,
        pcr_code: example.pcr.code,
        site_region: example.location?.region ?? "CN-ZJ",
        internal_code: names.internalCode,
      });
      productIds.set(modelled.id, productId);
      created = true;
    }
    if (!created) continue;
    wrote = true;
    for (const modelled of example.products) {
      await insertExampleInventory(trx, {
        organizationId,
        userId,
        productId: productIds.get(modelled.id)!,
        example,
        modelled,
        subProductId: (id) => productIds.get(id),
      });
    }
  }
  return wrote;
}

/**
 * One modelled product of an example as an inventory with exactly its lines; `subProductId` names
 * the product a sub-product line refers to (by the example's product id). Returns the inventory id.
 */
export async function insertExampleInventory(
  trx: Transaction<DB> | Kysely<DB>,
  options: {
    organizationId: string;
    userId: string;
    productId: string;
    example: Example;
    modelled: Example["products"][number];
    subProductId: (exampleProductId: string) => string | undefined;
    note?: string;
  },
): Promise<string> {
  const { example, modelled } = options;
  const inventoryId = await insertInventory(trx, {
    organization_id: options.organizationId,
    product_id: options.productId,
    pcr_code: example.pcr.code,
    pcr_version: example.pcr.version,
    factor_dataset_id: example.factorDataset.id,
    factor_dataset_version: example.factorDataset.version,
    gwp_set: example.gwpSet,
    period_start: example.period.start,
    period_end: example.period.end,
    production_quantity: toNumeric(modelled.output.amount),
    production_unit: modelled.output.unit,
    ...(options.note === undefined ? {} : { note: options.note }),
    created_by: options.userId,
  });
  await insertLineRows(
    trx,
    modelled.lines.map((line, position) => {
      const details: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(line)) if (!BASE_FIELDS.has(key)) details[key] = value;
      if (line.kind === "sub_product") details.productId = options.subProductId(String(line.productId));
      return {
        inventory_id: inventoryId,
        position,
        stage: line.stage,
        kind: line.kind,
        name: line.id.replace(/-/g, " "),
        amount: line.amount === undefined ? null : toNumeric(line.amount),
        unit: line.unit ?? null,
        factor_code: line.factorCode ?? null,
        data_type: line.dataType,
        data_quality: line.dataQuality ? JSON.stringify(line.dataQuality) : null,
        excluded: line.excluded ?? false,
        details: JSON.stringify(details),
        note: line.note ?? "",
      };
    }),
  );
  return inventoryId;
}
