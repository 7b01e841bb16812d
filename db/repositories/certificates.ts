/**
 * Tables `certificates` and `certificate_counters`: issued certificates (their numbers from the
 * per-body, per-label, per-year counters, their signed content and their status) and the
 * registry's reads of them — by number, by case, the public search over valid certificates and its
 * statistics.
 */
import { sql, type Insertable } from "kysely";
import type { CertificatesTable, CertificateStatusCode, LabelTypeCode } from "../schema.ts";
import type { Executor } from "./executor.ts";

// ---- issuing and status ----

/** The product's certificates under a PCR code that may serve as a baseline (not suspended or withdrawn), oldest issue first. */
export function certificatesOfProductUnderPcr(db: Executor, productId: string, pcrCode: string, excludeInventoryId?: string) {
  let query = db
    .selectFrom("certificates")
    .innerJoin("cases", "cases.id", "certificates.case_id")
    .select([
      "certificates.number",
      "certificates.label_type",
      "certificates.pcr_code",
      "certificates.verified_value",
      "certificates.declared_unit_quantity",
      "certificates.declared_unit",
      "certificates.issued_on",
      "certificates.valid_until",
      "certificates.status",
    ])
    .where("certificates.product_id", "=", productId)
    .where("certificates.pcr_code", "=", pcrCode)
    // A baseline is a footprint the body stands by: never a suspended or withdrawn certificate.
    .where("certificates.status", "not in", ["withdrawn", "suspended"]);
  // Nor one issued from the inventory the new application rests on: the same data cannot be its own baseline.
  if (excludeInventoryId) query = query.where("cases.inventory_id", "<>", excludeInventoryId);
  return query.orderBy("certificates.issued_on").execute();
}

/** The certificate issued for a case, or undefined before issue. */
export function certificateOfCase(db: Executor, caseId: string) {
  return db.selectFrom("certificates").selectAll().where("case_id", "=", caseId).executeTakeFirst();
}

/**
 * The next number in the body's sequence for a label type and year (1 for the first). The counter
 * row stays locked until the caller's transaction ends: two issues for one body, label and year
 * take turns, and a rollback gives the number back.
 */
export async function nextCertificateSequence(
  db: Executor,
  counter: { cbOrganizationId: string; labelType: LabelTypeCode; year: number },
): Promise<number> {
  const row = await db
    .insertInto("certificate_counters")
    .values({ cb_organization_id: counter.cbOrganizationId, label_type: counter.labelType, year: counter.year, last_number: 1 })
    .onConflict((oc) =>
      oc.columns(["cb_organization_id", "label_type", "year"]).doUpdateSet({ last_number: sql<number>`certificate_counters.last_number + 1` }),
    )
    .returning("last_number")
    .executeTakeFirstOrThrow();
  return row.last_number;
}

export async function insertCertificate(db: Executor, values: Insertable<CertificatesTable>): Promise<void> {
  await db.insertInto("certificates").values(values).execute();
}

/**
 * Sets a certificate's status if the event that changed it is newer than the one that set the
 * current status (statuses can arrive out of order); whether it changed.
 */
export async function updateCertificateStatusIfNewer(
  db: Executor,
  certificateId: string,
  change: { status: CertificateStatusCode; reason: string | null; eventSeq: number; at: Date },
): Promise<boolean> {
  const changed = await db
    .updateTable("certificates")
    .set({ status: change.status, status_reason: change.reason, status_event_seq: change.eventSeq, status_changed_at: change.at })
    .where("id", "=", certificateId)
    .where("status_event_seq", "<", change.eventSeq)
    .executeTakeFirst();
  return Number(changed.numUpdatedRows) > 0;
}

// ---- the registry ----

/** A certificate by number with its signed content, its issuing body, and holder and product as certified, or null. */
export async function certificateByNumber(db: Executor, number: string) {
  return (
    (await db
      .selectFrom("certificates")
      .innerJoin("organizations as cb", "cb.id", "certificates.cb_organization_id")
      .innerJoin("organizations as holder", "holder.id", "certificates.applicant_organization_id")
      .select([
        "certificates.id",
        "certificates.number",
        "certificates.case_id",
        "certificates.label_type",
        "certificates.pcr_code",
        "certificates.pcr_version",
        "certificates.declared_unit_quantity",
        "certificates.declared_unit",
        "certificates.verified_value",
        "certificates.grade",
        "certificates.status",
        "certificates.status_changed_at",
        "certificates.issued_on",
        "certificates.valid_until",
        "certificates.payload",
        "certificates.payload_sha256",
        "certificates.key_id",
        "certificates.signature",
        "cb.id as cb_id",
        "cb.kind as cb_kind",
        "cb.cb_code",
        "cb.name_zh as cb_name_zh",
        "cb.name_en as cb_name_en",
        "cb.accredited_categories as cb_scope",
        // Names as certified (the case's identity snapshot), never the live product or holder rows.
        "certificates.holder_name_zh",
        "certificates.holder_name_en",
        "holder.province as holder_province",
        "certificates.product_name_zh",
        "certificates.product_name_en",
        "certificates.product_model",
        "certificates.pdf_sha256",
      ])
      .where("certificates.number", "=", number)
      .executeTakeFirst()) ?? null
  );
}

/** The issued PDF of a certificate, exactly as stored, with its SHA-256; null while it has none. */
export async function certificatePdfOf(db: Executor, certificateId: string): Promise<{ pdf: Buffer; pdf_sha256: string } | null> {
  const row = await db.selectFrom("certificates").select(["pdf", "pdf_sha256"]).where("id", "=", certificateId).executeTakeFirst();
  return row?.pdf && row.pdf_sha256 ? { pdf: row.pdf, pdf_sha256: row.pdf_sha256 } : null;
}

/**
 * Stores the PDF of a signed certificate issued before PDFs were kept, once: only where none is
 * stored yet (a second writer changes nothing, and the trigger refuses any later change). Whether
 * this call stored it.
 */
export async function storeCertificatePdfOnce(db: Executor, certificateId: string, pdf: { bytes: Buffer; sha256: string }): Promise<boolean> {
  const stored = await db
    .updateTable("certificates")
    .set({ pdf: pdf.bytes, pdf_sha256: pdf.sha256 })
    .where("id", "=", certificateId)
    .where("pdf", "is", null)
    .where("payload", "is not", null)
    .executeTakeFirst();
  return Number(stored.numUpdatedRows) > 0;
}

/** What the registry holds under a number for a supplier-certificate line: value, unit, status, validity, issuer, content hash. */
export function certificateCitedByNumber(db: Executor, number: string) {
  return db
    .selectFrom("certificates")
    .innerJoin("organizations as cb", "cb.id", "certificates.cb_organization_id")
    .select([
      "certificates.number",
      "certificates.status",
      "certificates.valid_until",
      "certificates.verified_value",
      "certificates.declared_unit_quantity",
      "certificates.declared_unit",
      "certificates.payload_sha256",
      "cb.cb_code",
    ])
    .where("certificates.number", "=", number)
    .executeTakeFirst();
}

/**
 * What a supplier line takes from the registry when it cites `number`: the signed payload (every
 * figure of the line comes from there), its SHA-256, and the status and validity kept beside it.
 */
export function certificatePayloadCitedByNumber(db: Executor, number: string) {
  return db
    .selectFrom("certificates")
    .select(["certificates.number", "certificates.status", "certificates.valid_until", "certificates.payload", "certificates.payload_sha256"])
    .where("certificates.number", "=", number)
    .executeTakeFirst();
}

/** The number of the certificate of the case that renewed this certificate's case, if it was issued. */
export async function successorCertificateNumber(db: Executor, number: string): Promise<string | null> {
  const row = await db
    .selectFrom("certificates as old")
    .innerJoin("cases as renewal", "renewal.renews_case_id", "old.case_id")
    .innerJoin("certificates as renewed", "renewed.case_id", "renewal.id")
    .select("renewed.number")
    .where("old.number", "=", number)
    .executeTakeFirst();
  return row?.number ?? null;
}

/** The holder's valid certificates with their products' names as certified, soonest end of validity first (at most 50). */
export function validCertificatesOfHolder(db: Executor, organizationId: string) {
  return db
    .selectFrom("certificates")
    .select([
      "certificates.number",
      "certificates.case_id",
      "certificates.label_type",
      "certificates.valid_until",
      "certificates.product_name_zh as name_zh",
      "certificates.product_name_en as name_en",
    ])
    .where("certificates.applicant_organization_id", "=", organizationId)
    .where("certificates.status", "=", "valid")
    .orderBy("certificates.valid_until")
    .limit(50)
    .execute();
}

/** The public search's filter over valid certificates. */
export interface ValidCertificateFilter {
  /** PCR code: one product category. */
  readonly category?: string;
  readonly labelType?: LabelTypeCode;
  /** Words matched against the holder's names as certified (a substring, `%` and `_` taken literally). */
  readonly company?: string;
  /** ISO 3166-2:CN code of the holder's province. */
  readonly province?: string;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Certificates valid on `today` (status valid, validity not ended) matching the filter, joined with
 * holder (for its province) and body. Names come from the certificate rows: what was certified.
 */
function validCertificates(db: Executor, filter: ValidCertificateFilter, today: string) {
  let query = db
    .selectFrom("certificates")
    .innerJoin("organizations as holder", "holder.id", "certificates.applicant_organization_id")
    .innerJoin("organizations as cb", "cb.id", "certificates.cb_organization_id")
    .where("certificates.status", "=", "valid")
    .where("certificates.valid_until", ">=", today);
  if (filter.category) query = query.where("certificates.pcr_code", "=", filter.category);
  if (filter.labelType) query = query.where("certificates.label_type", "=", filter.labelType);
  if (filter.province) query = query.where("holder.province", "=", filter.province);
  const company = filter.company?.trim();
  if (company) {
    const pattern = `%${escapeLike(company)}%`;
    query = query.where((eb) => eb.or([eb("certificates.holder_name_zh", "ilike", pattern), eb("certificates.holder_name_en", "ilike", pattern)]));
  }
  return query;
}

/**
 * A page of valid certificates: lowest footprint first within a declared unit (`byFootprint`,
 * meaningful within one category only), newest issue first otherwise.
 */
export function searchValidCertificates(
  db: Executor,
  filter: ValidCertificateFilter,
  today: string,
  page: { byFootprint: boolean; limit: number; offset: number },
) {
  let query = validCertificates(db, filter, today).select([
    "certificates.number",
    "certificates.label_type",
    "certificates.pcr_code",
    "certificates.pcr_version",
    "certificates.verified_value",
    "certificates.declared_unit_quantity",
    "certificates.declared_unit",
    "certificates.grade",
    "certificates.issued_on",
    "certificates.valid_until",
    "certificates.holder_name_zh",
    "certificates.holder_name_en",
    "holder.province",
    "cb.cb_code",
    "certificates.product_name_zh",
    "certificates.product_name_en",
  ]);
  query = page.byFootprint
    ? query
        .orderBy("certificates.declared_unit")
        .orderBy("certificates.declared_unit_quantity")
        .orderBy("certificates.verified_value")
        .orderBy("certificates.number")
    : query.orderBy("certificates.issued_on", "desc").orderBy("certificates.number", "desc");
  return query.limit(page.limit).offset(page.offset).execute();
}

/** Count, minimum, median and maximum of valid certificates per category and declared unit, by category. */
export function validCertificateGroups(db: Executor, filter: ValidCertificateFilter, today: string) {
  return validCertificates(db, filter, today)
    .select([
      "certificates.pcr_code",
      "certificates.declared_unit_quantity",
      "certificates.declared_unit",
      sql<number>`count(*)::int`.as("count"),
      sql<string>`min(certificates.verified_value)::text`.as("min"),
      sql<string>`max(certificates.verified_value)::text`.as("max"),
      // The median of an even count is the mean of the middle two, as a decimal (numeric in, numeric out).
      sql<string>`(percentile_cont(0.5) within group (order by certificates.verified_value))::numeric::text`.as("median"),
    ])
    .groupBy(["certificates.pcr_code", "certificates.declared_unit_quantity", "certificates.declared_unit"])
    .orderBy("certificates.pcr_code")
    .execute();
}

/** The verified values of valid certificates in one declared unit, lowest first (at most `limit`). */
export function validCertificateValues(
  db: Executor,
  filter: ValidCertificateFilter,
  today: string,
  unit: { declaredUnit: string; declaredUnitQuantity: string; limit: number },
) {
  return validCertificates(db, filter, today)
    .select("certificates.verified_value")
    .where("certificates.declared_unit", "=", unit.declaredUnit)
    .where("certificates.declared_unit_quantity", "=", unit.declaredUnitQuantity)
    .orderBy("certificates.verified_value")
    .limit(unit.limit)
    .execute();
}

/** The PCR codes that have at least one certificate, in order. */
export async function certificateCategories(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom("certificates").select("pcr_code").distinct().orderBy("pcr_code").execute();
  return rows.map((r) => r.pcr_code);
}
