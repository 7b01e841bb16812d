/**
 * footprint_results: the calculator's result for an inventory as an application locked it, with
 * its stamp (ADR 0014). Rows are written once and never updated; a case points at one.
 */
import type { Executor } from "./executor.ts";

export interface NewFootprintResult {
  readonly inventoryId: string;
  readonly organizationId: string;
  /** kg CO2e per declared unit, as exact decimal text. */
  readonly total: string;
  readonly calculatorVersion: string;
  readonly inputSha256: string;
  readonly stamp: unknown;
  readonly result: unknown;
  readonly conformance: unknown;
  /** When the application locked the inventory (the opening event's time). */
  readonly at: string;
}

/**
 * Stores a result, or finds the one already stored for the same inventory, calculator version and
 * input (a second application from a locked inventory rests on the very same row).
 */
export async function storeFootprintResult(db: Executor, r: NewFootprintResult): Promise<string> {
  const row = await db
    .insertInto("footprint_results")
    .values({
      inventory_id: r.inventoryId,
      organization_id: r.organizationId,
      total: r.total,
      calculator_version: r.calculatorVersion,
      input_sha256: r.inputSha256,
      stamp: JSON.stringify(r.stamp),
      result: JSON.stringify(r.result),
      conformance: JSON.stringify(r.conformance),
      created_at: r.at,
    })
    .onConflict((oc) => oc.columns(["inventory_id", "calculator_version", "input_sha256"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (row) return row.id;
  const existing = await db
    .selectFrom("footprint_results")
    .select("id")
    .where("inventory_id", "=", r.inventoryId)
    .where("calculator_version", "=", r.calculatorVersion)
    .where("input_sha256", "=", r.inputSha256)
    .executeTakeFirstOrThrow();
  return existing.id;
}

export function findFootprintResult(db: Executor, id: string) {
  return db
    .selectFrom("footprint_results")
    .select(["id", "inventory_id", "organization_id", "total", "calculator_version", "input_sha256", "stamp", "result", "conformance", "created_at"])
    .where("id", "=", id)
    .executeTakeFirst();
}
export type StoredFootprintRow = NonNullable<Awaited<ReturnType<typeof findFootprintResult>>>;
