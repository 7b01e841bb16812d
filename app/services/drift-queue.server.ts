/**
 * A certification body's drift queue (docs/decisions/0018): its still-valid certificates whose
 * footprint a newly published factor dataset version moves beyond tolerance, or cannot calculate,
 * each with the lines that moved. Part of the body's surveillance: the certified result is not
 * changed by any of it.
 */
import type { Kysely } from "kysely";
import { fromNumeric } from "../../db/decimal.ts";
import { countDriftQueueOfBody, driftQueueOfBody } from "../../db/repositories/drift-results.ts";
import type { DB } from "../../db/schema.ts";
import type { Bilingual } from "../../rules/i18n.ts";
import type { DriftExplanation } from "../../workflows/footprints/drift.ts";

/** Certificates listed at most; the count says how many there are. */
export const DRIFT_QUEUE_LIMIT = 200;

export interface DriftQueueItem {
  readonly id: string;
  readonly certificate: string;
  readonly caseId: string;
  readonly product: Bilingual;
  readonly holder: Bilingual;
  readonly pcr: string;
  readonly declaredUnit: string;
  readonly dataset: { readonly id: string; readonly version: string; readonly sha256: string };
  readonly certified: number;
  readonly recalculated: number | null;
  readonly relative: number | null;
  readonly tolerance: number;
  readonly explanation: DriftExplanation;
  readonly error: Bilingual | null;
  readonly computedAt: string;
}

export async function driftQueue(db: Kysely<DB>, cbOrganizationId: string): Promise<{ count: number; items: DriftQueueItem[] }> {
  const count = await countDriftQueueOfBody(db, cbOrganizationId);
  const rows = count > 0 ? await driftQueueOfBody(db, cbOrganizationId, DRIFT_QUEUE_LIMIT) : [];
  return {
    count,
    items: rows.map((r) => ({
      id: r.id,
      certificate: r.number,
      caseId: r.case_id,
      product: { zh: r.product_name_zh, en: r.product_name_en },
      holder: { zh: r.holder_name_zh, en: r.holder_name_en },
      pcr: `${r.pcr_code} v${r.pcr_version}`,
      declaredUnit: `${r.declared_unit_quantity} ${r.declared_unit}`,
      dataset: { id: r.dataset_id, version: r.dataset_version, sha256: r.dataset_sha256 },
      certified: fromNumeric(r.stored_total),
      recalculated: fromNumeric(r.recalculated_total),
      relative: fromNumeric(r.relative_change),
      tolerance: fromNumeric(r.tolerance),
      explanation: r.explanation as DriftExplanation,
      error: (r.error as Bilingual | null) ?? null,
      computedAt: r.computed_at.toISOString(),
    })),
  };
}

/** How many of the body's certificates are in its drift queue (for its dashboard and inbox). */
export async function driftQueueCount(db: Kysely<DB>, cbOrganizationId: string): Promise<number> {
  return countDriftQueueOfBody(db, cbOrganizationId);
}
