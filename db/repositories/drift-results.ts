/**
 * Table `drift_results`, and the one read of the certified record the drift watch rests on: the
 * valid certificates whose case points at a stored result on a given dataset (docs/decisions/0018).
 * Rows are written once per certificate and dataset version and never updated; the certified
 * result (`footprint_results`) and the certificate are only read.
 */
import { sql } from "kysely";
import type { Executor } from "./executor.ts";

/**
 * Valid certificates whose stored result was calculated on a version of `datasetId` and that have
 * not been evaluated under `version` yet, in id order, `limit` at a time after `afterId`: the
 * certificate, its case's inventory and body, and the stored result (total, stamp, full result).
 */
export function validCertificatesOnDataset(db: Executor, datasetId: string, version: string, page: { afterId?: string; limit: number }) {
  let query = db
    .selectFrom("certificates")
    .innerJoin("cases", "cases.id", "certificates.case_id")
    .innerJoin("footprint_results", "footprint_results.id", "cases.result_id")
    .select([
      "certificates.id",
      "certificates.number",
      "certificates.case_id",
      "certificates.cb_organization_id",
      "certificates.applicant_organization_id",
      "certificates.product_name_zh",
      "certificates.product_name_en",
      "certificates.pcr_code",
      "certificates.pcr_version",
      "certificates.declared_unit_quantity",
      "certificates.declared_unit",
      "cases.inventory_id",
      "footprint_results.id as result_id",
      "footprint_results.total as stored_total",
      "footprint_results.stamp",
      "footprint_results.result",
    ])
    .where("certificates.status", "=", "valid")
    .where(sql<string>`footprint_results.stamp -> 'factorDataset' ->> 'id'`, "=", datasetId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("drift_results")
            .select("drift_results.id")
            .whereRef("drift_results.certificate_id", "=", "certificates.id")
            .where("drift_results.dataset_id", "=", datasetId)
            .where("drift_results.dataset_version", "=", version),
        ),
      ),
    )
    .orderBy("certificates.id")
    .limit(page.limit);
  if (page.afterId) query = query.where("certificates.id", ">", page.afterId);
  return query.execute();
}
export type DriftCandidateRow = Awaited<ReturnType<typeof validCertificatesOnDataset>>[number];

export interface NewDriftResult {
  readonly certificate_id: string;
  readonly footprint_result_id: string;
  readonly cb_organization_id: string;
  readonly holder_organization_id: string;
  readonly dataset_id: string;
  readonly dataset_version: string;
  readonly dataset_sha256: string;
  readonly stored_total: string;
  readonly recalculated_total: string | null;
  readonly relative_change: string | null;
  readonly tolerance: string;
  readonly beyond_tolerance: boolean;
  /** JSON text. */
  readonly explanation: string;
  /** JSON text, or null when the recalculation succeeded. */
  readonly error: string | null;
  readonly calculator_version: string;
  readonly computed_at: Date;
}

/** Writes results, skipping any certificate and version already evaluated; the ids of the rows written. */
export async function insertDriftResultsOnce(db: Executor, rows: readonly NewDriftResult[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const written = await db
    .insertInto("drift_results")
    .values([...rows])
    .onConflict((oc) => oc.constraint("drift_results_once").doNothing())
    .returning("certificate_id")
    .execute();
  return written.map((r) => r.certificate_id);
}

/** How many certificates a version was evaluated for, and how many of them lie beyond their tolerance. */
export async function driftCountsOfVersion(db: Executor, datasetId: string, version: string) {
  const row = await db
    .selectFrom("drift_results")
    .select([
      sql<number>`count(*)::int`.as("evaluated"),
      sql<number>`count(*) filter (where beyond_tolerance)::int`.as("flagged"),
      sql<number>`count(*) filter (where error is not null)::int`.as("failed"),
    ])
    .where("dataset_id", "=", datasetId)
    .where("dataset_version", "=", version)
    .executeTakeFirstOrThrow();
  return row;
}

/**
 * The body's surveillance queue of drift: results beyond tolerance of its certificates that are
 * still valid, the largest change first, with the certificate, product and holder.
 */
export function driftQueueOfBody(db: Executor, cbOrganizationId: string, limit: number) {
  return db
    .selectFrom("drift_results")
    .innerJoin("certificates", "certificates.id", "drift_results.certificate_id")
    .select([
      "drift_results.id",
      "drift_results.dataset_id",
      "drift_results.dataset_version",
      "drift_results.dataset_sha256",
      "drift_results.stored_total",
      "drift_results.recalculated_total",
      "drift_results.relative_change",
      "drift_results.tolerance",
      "drift_results.explanation",
      "drift_results.error",
      "drift_results.computed_at",
      "certificates.number",
      "certificates.case_id",
      "certificates.product_name_zh",
      "certificates.product_name_en",
      "certificates.holder_name_zh",
      "certificates.holder_name_en",
      "certificates.pcr_code",
      "certificates.pcr_version",
      "certificates.declared_unit_quantity",
      "certificates.declared_unit",
    ])
    .where("drift_results.cb_organization_id", "=", cbOrganizationId)
    .where("drift_results.beyond_tolerance", "=", true)
    .where("certificates.status", "=", "valid")
    .orderBy(sql`abs(drift_results.relative_change) desc nulls first`)
    .orderBy("drift_results.computed_at", "desc")
    .orderBy("drift_results.id")
    .limit(limit)
    .execute();
}

/** How many results beyond tolerance the body's still-valid certificates have. */
export async function countDriftQueueOfBody(db: Executor, cbOrganizationId: string): Promise<number> {
  const row = await db
    .selectFrom("drift_results")
    .innerJoin("certificates", "certificates.id", "drift_results.certificate_id")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("drift_results.cb_organization_id", "=", cbOrganizationId)
    .where("drift_results.beyond_tolerance", "=", true)
    .where("certificates.status", "=", "valid")
    .executeTakeFirstOrThrow();
  return row.n;
}
