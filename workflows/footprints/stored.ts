/**
 * Stored results (ADR 0014): the footprint an application locked, kept with its stamp so that
 * verification, the decision and the certificate use the figures the body checked, whatever the
 * calculator, the PCR catalogue or the factor datasets of the day would give.
 */
import { fromNumeric } from "../../db/decimal.ts";
import { findFootprintResult } from "../../db/repositories/footprint-results.ts";
import type { Executor } from "../../db/repositories/executor.ts";
import type { FootprintResult } from "../../rules/calculator/result.ts";
import type { ConformanceReport } from "../../rules/conformance/index.ts";
import type { LockedFootprint } from "../cases/cases.ts";

export interface StoredFootprint {
  readonly id: string;
  readonly inventoryId: string;
  /** kg CO2e per declared unit. */
  readonly total: number;
  readonly result: FootprintResult;
  readonly conformance: ConformanceReport;
  readonly storedAt: Date;
}

/** A stored row that does not hold what its own columns say: never used, always named. */
export class StoredFootprintInvalidError extends Error {
  constructor(id: string, reason: string) {
    super(`stored footprint result ${id} is not usable: ${reason}`);
    this.name = "StoredFootprintInvalidError";
  }
}

/** What an application stores of a result and its conformance report. */
export function lockedFootprintOf(result: FootprintResult, conformance: ConformanceReport): LockedFootprint {
  return {
    total: result.total,
    conformancePassed: conformance.passed,
    calculatorVersion: result.stamp.calculator.version,
    inputSha256: result.stamp.inputSha256,
    stamp: result.stamp,
    result,
    conformance,
  };
}

/**
 * A stored result, checked against its own columns (total, calculator version and input hash are
 * written from the result; a row where they disagree was not written by us and is refused).
 */
export async function loadStoredFootprint(db: Executor, id: string): Promise<StoredFootprint | null> {
  const row = await findFootprintResult(db, id);
  if (!row) return null;
  const result = row.result as FootprintResult;
  const conformance = row.conformance as ConformanceReport;
  if (typeof result !== "object" || result === null || typeof result.stamp !== "object") throw new StoredFootprintInvalidError(id, "no result stamp");
  if (result.stamp.inputSha256 !== row.input_sha256) throw new StoredFootprintInvalidError(id, "the input hash differs from the result's stamp");
  if (result.stamp.calculator.version !== row.calculator_version)
    throw new StoredFootprintInvalidError(id, "the calculator version differs from the stamp");
  const total = fromNumeric(row.total);
  if (total !== result.total) throw new StoredFootprintInvalidError(id, "the total differs from the result's");
  if (typeof conformance !== "object" || conformance === null || typeof conformance.passed !== "boolean")
    throw new StoredFootprintInvalidError(id, "no conformance report");
  return { id: row.id, inventoryId: row.inventory_id, total, result, conformance, storedAt: row.created_at };
}
