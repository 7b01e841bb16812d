/**
 * The certificate registry as the public and the parties read it: one certificate by number (with
 * its signed content, its status and the parties), the certificate of a case, the public search
 * over valid certificates and the per-category statistics.
 *
 * Status lives here, beside the signed content and never inside it. A certificate whose validity
 * has ended reads as expired even in the minutes before the scheduler records the expiry.
 */
import { sql, type Kysely } from "kysely";
import type { CertificateStatusCode, DB, LabelTypeCode } from "../../../db/schema.ts";
import { fromNumeric } from "../../../db/decimal.ts";
import { PCR_CATALOGUE } from "../../../rules/pcr/index.ts";
import { CERTIFICATE_NUMBER_PATTERN } from "../../../workflows/certificates/payload.ts";
import { pick, type Locale } from "../../i18n/index.ts";
import { PROVINCES } from "../../utils/provinces.ts";

export const LABEL_TYPE_CODES = ["CF", "LC", "RC", "CN"] as const satisfies readonly LabelTypeCode[];

/** A number as printed: CCDC-CF-2026-000001 (upper case, six-digit sequence). */
export const REGISTRY_NUMBER_PATTERN = /^[A-Z0-9]{2,10}-(CF|LC|RC|CN)-\d{4}-\d{6}$/;

/** Accepts what a person types or a QR code carries: spaces trimmed, lower case raised. */
export function normaliseNumber(input: string): string | null {
  const n = input.trim().toUpperCase();
  return REGISTRY_NUMBER_PATTERN.test(n) && CERTIFICATE_NUMBER_PATTERN.test(n) ? n : null;
}

/** Today as the scheduler counts it (UTC calendar date, as the certification machine dates). */
export function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The status shown: the registry's, except that a certificate past its validity is expired. */
export function effectiveStatus(status: CertificateStatusCode, validUntil: string, today = todayIso()): CertificateStatusCode {
  return status === "valid" && validUntil < today ? "expired" : status;
}

export async function findCertificate(db: Kysely<DB>, number: string) {
  return (
    (await db
      .selectFrom("certificates")
      .innerJoin("organizations as cb", "cb.id", "certificates.cb_organization_id")
      .innerJoin("organizations as holder", "holder.id", "certificates.applicant_organization_id")
      .innerJoin("products", "products.id", "certificates.product_id")
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
        "holder.name_zh as holder_name_zh",
        "holder.name_en as holder_name_en",
        "holder.province as holder_province",
        "products.name_zh as product_name_zh",
        "products.name_en as product_name_en",
        "products.model as product_model",
      ])
      .where("certificates.number", "=", number)
      .executeTakeFirst()) ?? null
  );
}
export type RegistryRecord = NonNullable<Awaited<ReturnType<typeof findCertificate>>>;

/** Paths of a certificate's public pages and files. */
export function certificateLinks(number: string) {
  const n = encodeURIComponent(number);
  return {
    verify: `/verify/${n}`,
    api: `/api/v1/certificates/${n}`,
    pdf: `/certificates/${n}/certificate.pdf`,
    json: `/certificates/${n}/certificate.json`,
    labelSvg: `/certificates/${n}/label.svg`,
    labelPng: `/certificates/${n}/label.png`,
  };
}

/**
 * The certificate of a case, for the case pages (the case page checks the viewer is a party
 * first): number, status as shown everywhere, validity and the links. Null before issue.
 */
export async function certificateForCase(db: Kysely<DB>, caseId: string) {
  const row = await db
    .selectFrom("certificates")
    .select([
      "number",
      "status",
      "status_reason",
      "status_changed_at",
      "issued_on",
      "valid_until",
      "verified_value",
      "declared_unit_quantity",
      "declared_unit",
      "payload_sha256",
    ])
    .where("case_id", "=", caseId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    number: row.number,
    status: effectiveStatus(row.status, row.valid_until),
    statusReason: row.status_reason,
    statusChangedAt: row.status_changed_at.toISOString(),
    issuedOn: row.issued_on,
    validUntil: row.valid_until,
    verifiedValue: row.verified_value,
    declaredUnit: `${row.declared_unit_quantity} ${row.declared_unit}`,
    signed: row.payload_sha256 !== null,
    links: certificateLinks(row.number),
  };
}
export type CaseCertificate = NonNullable<Awaited<ReturnType<typeof certificateForCase>>>;

// ---- public search ----

export const REGISTRY_SORTS = ["newest", "footprint"] as const;
export type RegistrySort = (typeof REGISTRY_SORTS)[number];

export interface RegistryFilter {
  /** PCR code: one product category. */
  readonly category?: string;
  readonly labelType?: LabelTypeCode;
  /** Words matched against the holder's names. */
  readonly company?: string;
  /** ISO 3166-2:CN code of the holder's province. */
  readonly province?: string;
  /** `footprint` sorts lowest first and needs a category (values of different categories do not compare). */
  readonly sort?: RegistrySort;
  readonly limit?: number;
  readonly offset?: number;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function validCertificates(db: Kysely<DB>, filter: RegistryFilter, today: string) {
  let query = db
    .selectFrom("certificates")
    .innerJoin("organizations as holder", "holder.id", "certificates.applicant_organization_id")
    .innerJoin("organizations as cb", "cb.id", "certificates.cb_organization_id")
    .innerJoin("products", "products.id", "certificates.product_id")
    .where("certificates.status", "=", "valid")
    .where("certificates.valid_until", ">=", today);
  if (filter.category) query = query.where("certificates.pcr_code", "=", filter.category);
  if (filter.labelType) query = query.where("certificates.label_type", "=", filter.labelType);
  if (filter.province) query = query.where("holder.province", "=", filter.province);
  const company = filter.company?.trim();
  if (company) {
    const pattern = `%${escapeLike(company)}%`;
    query = query.where((eb) => eb.or([eb("holder.name_zh", "ilike", pattern), eb("holder.name_en", "ilike", pattern)]));
  }
  return query;
}

export async function searchRegistry(db: Kysely<DB>, filter: RegistryFilter, today = todayIso()) {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
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
    "holder.name_zh as holder_name_zh",
    "holder.name_en as holder_name_en",
    "holder.province",
    "cb.cb_code",
    "products.name_zh as product_name_zh",
    "products.name_en as product_name_en",
  ]);
  query =
    filter.sort === "footprint" && filter.category
      ? query
          .orderBy("certificates.declared_unit")
          .orderBy("certificates.declared_unit_quantity")
          .orderBy("certificates.verified_value")
          .orderBy("certificates.number")
      : query.orderBy("certificates.issued_on", "desc").orderBy("certificates.number", "desc");
  const rows = await query
    .limit(limit + 1)
    .offset(Math.max(filter.offset ?? 0, 0))
    .execute();
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}
export type RegistryRow = Awaited<ReturnType<typeof searchRegistry>>["rows"][number];

export interface CategoryStatistics {
  readonly category: string;
  readonly declaredUnitQuantity: string;
  readonly declaredUnit: string;
  readonly count: number;
  readonly min: string;
  readonly median: string;
  readonly max: string;
  /** Every value (kg CO2e per declared unit), lowest first, for the dot chart (at most 500). */
  readonly values: readonly number[];
}

/** Count, median and range of valid certificates per category and declared unit, for the current filter. */
export async function registryStatistics(db: Kysely<DB>, filter: RegistryFilter, today = todayIso()): Promise<CategoryStatistics[]> {
  const groups = await validCertificates(db, filter, today)
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
  const out: CategoryStatistics[] = [];
  for (const g of groups) {
    const values = await validCertificates(db, { ...filter, category: g.pcr_code }, today)
      .select("certificates.verified_value")
      .where("certificates.declared_unit", "=", g.declared_unit)
      .where("certificates.declared_unit_quantity", "=", g.declared_unit_quantity)
      .orderBy("certificates.verified_value")
      .limit(500)
      .execute();
    out.push({
      category: g.pcr_code,
      declaredUnitQuantity: g.declared_unit_quantity,
      declaredUnit: g.declared_unit,
      count: g.count,
      min: g.min,
      median: trimDecimal(g.median),
      max: g.max,
      values: values.map((v) => fromNumeric(v.verified_value)),
    });
  }
  return out;
}

/** percentile_cont answers a double: at most 6 significant decimals, no trailing zeros. */
function trimDecimal(value: string): string {
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  const fixed = n.toFixed(6);
  return fixed.replace(/\.?0+$/, "");
}

/** Category names (PCR codes with their product names) for the filters, in the reader's language. */
export function categoryName(code: string, locale: Locale): string {
  const versions = PCR_CATALOGUE.versions(code);
  const latest = versions.at(-1);
  return latest ? pick(locale, latest.name.zh, latest.name.en) : code;
}

/** Categories that have at least one certificate in the registry, and the provinces of the holders. */
export async function registryFacets(db: Kysely<DB>, locale: Locale) {
  const categories = await db.selectFrom("certificates").select("pcr_code").distinct().orderBy("pcr_code").execute();
  return {
    categories: categories.map((c) => ({ code: c.pcr_code, name: categoryName(c.pcr_code, locale) })),
    provinces: PROVINCES.map((p) => ({ code: p.code, name: pick(locale, p.zh, p.en) })),
  };
}

/** For the supplier-certificate line of an inventory: what the registry holds under a number. */
export async function citedCertificate(db: Kysely<DB>, number: string) {
  const n = normaliseNumber(number);
  if (!n) return null;
  const row = await db
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
    .where("certificates.number", "=", n)
    .executeTakeFirst();
  if (!row) return null;
  return {
    number: row.number,
    status: effectiveStatus(row.status, row.valid_until),
    validUntil: row.valid_until,
    kgCO2ePerDeclaredUnit: row.verified_value,
    declaredUnit: { quantity: row.declared_unit_quantity, unit: row.declared_unit },
    issuer: row.cb_code,
    payloadSha256: row.payload_sha256,
  };
}
