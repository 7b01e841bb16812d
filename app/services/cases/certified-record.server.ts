/**
 * What a case rests on, as the body assessed it (ADR 0014): the identity as submitted and the
 * result stored when the application locked its inventory, beside what the current calculator
 * gives for the same inventory now. Nothing here replaces anything: when the figures or their
 * stamps differ, the page shows both and the difference.
 */
import type { Kysely } from "kysely";
import type { DB } from "../../../db/schema.ts";
import { parseCaseIdentity, type CaseIdentity } from "../../../workflows/cases/index.ts";
import { loadStoredFootprint } from "../../../workflows/footprints/stored.ts";
import type { FootprintResult } from "../../../rules/calculator/result.ts";
import { exact } from "../../../rules/decimal.ts";
import { RulesError } from "../../../rules/errors.ts";
import type { Bilingual } from "../../../rules/i18n.ts";
import { findInventory, inventoryFootprint, storedInventoryFootprint, type InventoryFootprint, type InventoryRow } from "../inventories.server.ts";

/** The members of a result's stamp a reader compares, flattened to labelled strings. */
function stampFacts(stamp: FootprintResult["stamp"]) {
  return {
    calculator: `${stamp.calculator.name} ${stamp.calculator.version}`,
    pcr: `${stamp.pcr.code} ${stamp.pcr.version}`,
    pcrContentSha256: stamp.pcr.contentSha256,
    factorDataset: `${stamp.factorDataset.id} ${stamp.factorDataset.version}`,
    // Results stored before the dataset's content hash entered the stamp do not carry it.
    factorDatasetContentSha256: (stamp as { factorDatasetContentSha256?: string }).factorDatasetContentSha256 ?? null,
    gwpSet: stamp.gwpSet,
    inputSha256: stamp.inputSha256,
  };
}
export type StampFacts = ReturnType<typeof stampFacts>;

export interface RecalculationComparison {
  /** kg CO2e per declared unit. */
  readonly storedTotal: number;
  readonly currentTotal: number | null;
  /** Exact difference current − stored as decimal text, and relative to the stored total in per cent (4 significant digits). */
  readonly difference: string | null;
  readonly differencePercent: string | null;
  /** Stamp members whose values differ (calculator, pcr, factorDataset, inputSha256, …). */
  readonly changedStamp: readonly (keyof StampFacts)[];
  readonly currentStamp: StampFacts | null;
  /** Why the current calculator gives no figure (its refusal), if it does not. */
  readonly currentError: Bilingual | null;
}

export interface CertifiedRecord {
  /** Null for a case whose identity was never snapshotted (should not happen after the migration). */
  readonly identity: CaseIdentity | null;
  readonly submittedAt: Date | null;
  /** The stored result shaped for the result panels; null for cases opened before results were stored. */
  readonly stored: (InventoryFootprint & { readonly stamp: StampFacts; readonly storedAt: Date }) | null;
  /** Present when the current calculation differs from the stored one in figure or stamp. */
  readonly comparison: RecalculationComparison | null;
}

export async function certifiedRecordOf(
  db: Kysely<DB>,
  c: { id: string; identity: unknown; submitted_at: Date | null; result_id: string | null; inventory_id: string; applicant_organization_id: string },
): Promise<CertifiedRecord> {
  const identity = c.identity === null || c.identity === undefined ? null : parseCaseIdentity(c.id, c.identity);
  if (!c.result_id) return { identity, submittedAt: c.submitted_at, stored: null, comparison: null };
  const stored = await loadStoredFootprint(db, c.result_id);
  if (!stored) throw new Error(`the stored result of case ${c.id} is missing`);
  const shown = await storedInventoryFootprint(db, c.applicant_organization_id, stored);
  const storedStamp = stampFacts(stored.result.stamp);

  const inventory = await findInventory(db, c.applicant_organization_id, c.inventory_id);
  let current: InventoryFootprint | null = null;
  let currentError: Bilingual | null = null;
  try {
    current = inventory ? await inventoryFootprint(db, c.applicant_organization_id, inventory as InventoryRow) : null;
    currentError = current?.error ?? null;
  } catch (error) {
    if (!(error instanceof RulesError)) throw error;
    currentError = error.detail;
  }
  const currentResult = current?.result ?? null;
  const currentStamp = currentResult ? stampFacts(currentResult.stamp) : null;
  const changedStamp = currentStamp ? (Object.keys(storedStamp) as (keyof StampFacts)[]).filter((k) => storedStamp[k] !== currentStamp[k]) : [];
  const same = currentResult !== null && currentResult.total === stored.total && changedStamp.length === 0;
  let comparison: RecalculationComparison | null = null;
  if (!same) {
    const difference = currentResult ? exact(currentResult.total, "current.total").minus(exact(stored.total, "stored.total")) : null;
    comparison = {
      storedTotal: stored.total,
      currentTotal: currentResult?.total ?? null,
      difference: difference ? difference.toSignificantDigits(6).toFixed() : null,
      differencePercent:
        difference && stored.total !== 0 ? difference.div(exact(stored.total, "stored.total")).times(100).toSignificantDigits(4).toFixed() : null,
      changedStamp,
      currentStamp,
      currentError,
    };
  }
  return { identity, submittedAt: c.submitted_at, stored: { ...shown, stamp: storedStamp, storedAt: stored.storedAt }, comparison };
}
