/**
 * Fixtures for the drift watch and dataset-move tests: cement inventories that pass the PCR's
 * checks with a chosen amount of grid electricity (so the grid factor's share of the footprint
 * differs from one to the next), and newer CN-DEMO versions that change that factor, stored and
 * published the way the admin's pages do it.
 */
import { getDb } from "../../db/client.ts";
import { CN_DEMO_2026_1, type EmissionFactor, type FactorDataset } from "../../rules/factors/index.ts";
import { importDatasetDraft, publishDatasetVersion } from "../../workflows/footprints/datasets.ts";
import { demoProductId, insertCementInventory, seedFixtures, userIdByEmail } from "../support/fixtures.ts";
import { PASSING_LINES } from "./cases-support.ts";

const DQ = JSON.stringify({ reliability: 1, completeness: 1, temporal: 1, geographical: 1, technological: 1 });

/** The grid factor a 2025 cement inventory in Zhejiang takes from CN-DEMO (the national life-cycle factor of 2023). */
export const GRID_CODE = "EL-LC-CN-2023";
export const GRID_2026_1 = 0.6205;

/**
 * A new inventory of the fixture product (1 000 t of cement): the passing lines, and `kWh` of grid
 * electricity in production when given; its id and the electricity line's id.
 */
export async function electricityInventory(note: string, kWh: number | null): Promise<{ inventoryId: string; electricityLineId: string | null }> {
  const db = await seedFixtures();
  const productId = await demoProductId();
  const product = await db.selectFrom("products").select("organization_id").where("id", "=", productId).executeTakeFirstOrThrow();
  const userId = await userIdByEmail("admin@hualv.demo");
  const inventoryId = await insertCementInventory(db, { organizationId: product.organization_id, productId, createdBy: userId, note });
  const lines = [
    ...PASSING_LINES.map((l) => ({ ...l, details: "{}" })),
    ...(kWh === null
      ? []
      : [
          {
            stage: "production" as const,
            kind: "electricity" as const,
            name: "粉磨电耗",
            amount: String(kWh),
            unit: "kWh",
            factor_code: null,
            details: JSON.stringify({ supply: { type: "grid" } }),
          },
        ]),
  ];
  const rows = await db
    .insertInto("inventory_lines")
    .values(lines.map((l, position) => ({ inventory_id: inventoryId, position, ...l, data_type: "primary" as const, data_quality: DQ })))
    .returning(["id", "kind"])
    .execute();
  return { inventoryId, electricityLineId: rows.find((r) => r.kind === "electricity")?.id ?? null };
}

/** CN-DEMO 2026.1's factors as a newer CN-DEMO version, with `change` applied to the factors (by code; null removes one). */
export function demoVersion(version: string, change: Record<string, ((f: EmissionFactor) => EmissionFactor) | null>): FactorDataset {
  const factors = CN_DEMO_2026_1.factors.filter((f) => change[f.code] !== null).map((f) => change[f.code]?.(f) ?? f);
  return { ...structuredClone(CN_DEMO_2026_1), version, name: { zh: `演示因子库 ${version}`, en: `Demonstration dataset ${version}` }, factors };
}

/** A change giving the grid factor another CO2e value. */
export const gridAt = (value: number) => (f: EmissionFactor) => ({ ...f, co2e: { ...f.co2e!, value } });

/** Stores a version as a draft and publishes it, as the platform admin does; its content hash. */
export async function publish(dataset: FactorDataset): Promise<string> {
  const db = await getDb();
  const userId = await userIdByEmail("admin@platform.demo");
  const imported = await importDatasetDraft(db, { dataset, file: { name: `${dataset.id}-${dataset.version}.csv`, sha256: "0".repeat(64) }, userId });
  if (!imported.ok) throw new Error(`import refused: ${JSON.stringify(imported.refusal)}`);
  const published = await publishDatasetVersion(db, { datasetId: dataset.id, version: dataset.version, userId });
  if (!published.ok) throw new Error(`publication refused: ${JSON.stringify(published)}`);
  return published.sha256;
}
