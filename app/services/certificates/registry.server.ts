/**
 * The certificate registry as the public and the parties read it: one certificate by number (with
 * its signed content, its status and the parties), the certificate of a case, the public search
 * over valid certificates and the per-category statistics.
 *
 * Status lives here, beside the signed content and never inside it. A certificate whose validity
 * has ended reads as expired even in the minutes before the scheduler records the expiry.
 */
import type { Kysely } from "kysely";
import type { CertificateStatusCode, DB, LabelTypeCode } from "../../../db/schema.ts";
import {
  certificateByNumber,
  certificateCategories,
  certificatePayloadCitedByNumber,
  certificateOfCase,
  searchValidCertificates,
  validCertificateGroups,
  validCertificateValues,
} from "../../../db/repositories/certificates.ts";
import { fromNumeric } from "../../../db/decimal.ts";
import type { GwpSetId } from "../../../rules/gwp.ts";
import { PCR_CATALOGUE } from "../../../rules/pcr/index.ts";
import { sha256Hex } from "../../../rules/sha256.ts";
import { CERTIFICATE_NUMBER_PATTERN, CertificatePayloadSchema } from "../../../workflows/certificates/payload.ts";
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
  return certificateByNumber(db, number);
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
  const row = await certificateOfCase(db, caseId);
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

export async function searchRegistry(db: Kysely<DB>, filter: RegistryFilter, today = todayIso()) {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const rows = await searchValidCertificates(db, filter, today, {
    // Values of different categories do not compare: without one, newest first.
    byFootprint: filter.sort === "footprint" && Boolean(filter.category),
    limit: limit + 1,
    offset: Math.max(filter.offset ?? 0, 0),
  });
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
  const groups = await validCertificateGroups(db, filter, today);
  const out: CategoryStatistics[] = [];
  for (const g of groups) {
    const values = await validCertificateValues(db, { ...filter, category: g.pcr_code }, today, {
      declaredUnit: g.declared_unit,
      declaredUnitQuantity: g.declared_unit_quantity,
      limit: 500,
    });
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
  const categories = await certificateCategories(db);
  return {
    categories: categories.map((code) => ({ code, name: categoryName(code, locale) })),
    provinces: PROVINCES.map((p) => ({ code: p.code, name: pick(locale, p.zh, p.en) })),
  };
}

/** What a supplier line takes from a certificate's signed payload: every figure of the line, and who attests it. */
export interface CitedFigures {
  /** kg CO2e per declared unit, the decimal exactly as signed. */
  readonly value: string;
  readonly declaredUnit: { readonly quantity: string; readonly unit: string };
  readonly pcr: { readonly code: string; readonly version: string; readonly name: { readonly zh: string; readonly en: string } };
  readonly holder: { readonly zh: string; readonly en: string };
  readonly gwpSet: GwpSetId;
  readonly issuer: { readonly code: string; readonly name: { readonly zh: string; readonly en: string } };
  readonly issuedOn: string;
  readonly validUntil: string;
  readonly payloadSha256: string;
}

/** A certificate as a supplier line cites it: its status as shown everywhere, and its signed figures. */
export interface CitedCertificate {
  readonly number: string;
  readonly status: CertificateStatusCode;
  readonly validUntil: string;
  /** Null when the registry holds no signed payload for it, or one that does not read as a payload. */
  readonly signed: CitedFigures | null;
}

/**
 * For the supplier line of an inventory: what the registry holds under a number, the figures read
 * from the signed payload (never from the columns beside it) after checking the payload is the one
 * its stored SHA-256 names.
 */
export async function citedCertificate(db: Kysely<DB>, number: string): Promise<CitedCertificate | null> {
  const n = normaliseNumber(number);
  if (!n) return null;
  const row = await certificatePayloadCitedByNumber(db, n);
  if (!row) return null;
  return { number: row.number, status: effectiveStatus(row.status, row.valid_until), validUntil: row.valid_until, signed: signedFigures(row) };
}

function signedFigures(row: { payload: string | null; payload_sha256: string | null }): CitedFigures | null {
  if (row.payload === null || row.payload_sha256 === null || sha256Hex(row.payload) !== row.payload_sha256) return null;
  let json: unknown;
  try {
    json = JSON.parse(row.payload);
  } catch {
    return null;
  }
  const parsed = CertificatePayloadSchema.safeParse(json);
  if (!parsed.success) return null;
  const p = parsed.data;
  return {
    value: p.footprint.value,
    declaredUnit: { quantity: p.declaredUnit.quantity, unit: p.declaredUnit.unit },
    pcr: { code: p.pcr.code, version: p.pcr.version, name: p.pcr.name },
    holder: p.holder.name,
    gwpSet: p.versions.gwpSet,
    issuer: { code: p.issuer.cbCode, name: p.issuer.name },
    issuedOn: p.issuedOn,
    validUntil: p.validUntil,
    payloadSha256: row.payload_sha256,
  };
}
