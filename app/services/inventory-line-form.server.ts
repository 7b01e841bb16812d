/**
 * The inventory line form on the server: the shared projection of the calculator's line
 * (app/utils/line-form.ts, validated by the rules schema) plus what only the server can check —
 * the factor exists in the inventory's dataset and the units convert to its activity unit, a
 * sub-product is one of the organization's products, a cited certificate is one the registry
 * holds, valid, and usable for this inventory — so a mismatch is a field error on the form rather
 * than a calculation error later.
 *
 * A supplier line that cites a certificate takes its number from the form and everything else
 * (value per declared unit, declared unit, PCR, holder, GWP set, validity, issuer) from the
 * registry's signed payload; a supplier's figure without a certificate is entered as
 * supplier-declared, unverified, and is secondary data.
 */
import { DEFAULT_FACTOR_LIBRARY, type FactorLibrary } from "../../rules/factors/index.ts";
import { conversionRatio } from "../../rules/units.ts";
import type { CertificateRegistryRecord, CertificateStatusCode, DB, StoredLineDetails } from "../../db/schema.ts";
import type { Message } from "../i18n/index.ts";
import type { FieldErrors, FormValues } from "../utils/forms.ts";
import {
  lineFormSchema,
  supplierSourceOf,
  validateLineForm,
  type CitedLineCertificate,
  type LineExtras,
  type LineFormFields,
} from "../utils/line-form.ts";
import type { Kysely } from "kysely";
import type { CitedCertificate, CitedFigures } from "./certificates/registry.server.ts";
import { registeredCertificates } from "./certificates/supply-chain.server.ts";
import { storedLineOf, type LineRow, type NewLine } from "./inventories.server.ts";

export { LineFormSchema } from "../utils/line-form.ts";

export interface LineFormContext {
  factorDataset: { id: string; version: string };
  /**
   * The library the dataset is read from: the built-in versions plus those the platform admin
   * published (workflows/footprints/library.ts `factorLibrary`); the built-in ones when not given.
   */
  factors?: FactorLibrary;
  gwpSet: string;
  /** Products of the same organization a sub-product line may point at. */
  productIds: readonly string[];
  /**
   * The unit each of those products is produced in (its latest inventory), when it has one: a
   * sub-product line's unit must convert to it.
   */
  productUnits?: Readonly<Record<string, string>>;
  /**
   * What the registry holds under the number a supplier line cites, looked up before the form is
   * checked (`registeredCertificates`): a number not in the map is one the registry does not hold.
   */
  registeredCertificates?: ReadonlyMap<string, CitedCertificate>;
}

/**
 * The form's values as a line to store, or every problem as a keyed message on its field. The
 * line's shape is the rules schema's verdict (`validateLineForm`); the checks here are those that
 * need the inventory's dataset, the organization's products or the registry. `extras` are the
 * workbook's columns the form does not have.
 */
export function buildLine(
  form: LineFormFields,
  ctx: LineFormContext,
  extras: LineExtras = {},
): { ok: true; line: NewLine } | { ok: false; errors: FieldErrors } {
  const citing = form.kind === "supplier_certificate" && supplierSourceOf(form) === "certificate" && form.certificateNumber;
  const number = citing ? normalisedNumber(form.certificateNumber ?? "") : "";
  const cited = citing ? ctx.registeredCertificates?.get(number) : undefined;
  const problem = citing ? citationProblem(number, cited, { gwpSet: ctx.gwpSet, unit: form.unit }) : null;
  const figures = citing && !problem ? (cited?.signed ?? undefined) : undefined;
  const shape = validateLineForm(
    form,
    { gwpSet: ctx.gwpSet, cited: figures && cited ? lineCertificateOf(cited.number, figures) : undefined },
    extras,
  );
  // A field the schema already refuses keeps that message: it says what to fix first.
  const errors: FieldErrors = {
    ...contextErrors(form, ctx),
    ...(problem ? { [problem.field]: problem.message } : {}),
    ...(figures ? typedFigureErrors(form, extras, number, figures) : {}),
    ...(shape.ok ? {} : shape.errors),
  };
  if (!shape.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  const registry: CertificateRegistryRecord | undefined = figures
    ? { verifiedValue: figures.value, payloadSha256: figures.payloadSha256 }
    : undefined;
  return { ok: true, line: storedLineOf(shape.line, form.name ?? "", registry) };
}

/** A number as the registry files it (what `registeredCertificates` keys its answer by). */
function normalisedNumber(text: string): string {
  return text.trim().toUpperCase();
}

/**
 * Why a certificate cannot be cited on a line of this inventory, as a keyed message on its field,
 * or null when it can: the registry must hold it, it must be valid and signed, calculated with the
 * inventory's GWP set, and the line's unit must convert to its declared unit. The lookup page of
 * the editor asks the same question before the line is sent.
 */
export function citationProblem(
  number: string,
  cited: CitedCertificate | undefined,
  line: { gwpSet: string; unit?: string },
): { field: "certificateNumber" | "unit"; message: Message } | null {
  if (!cited) return { field: "certificateNumber", message: { key: "v.certificateUnknown", params: { number } } };
  // Each status has its own sentence, so it reads right in both languages.
  if (cited.status !== "valid")
    return { field: "certificateNumber", message: { key: `v.certificateNotValid.${cited.status}`, params: { number: cited.number } } };
  const signed = cited.signed;
  if (!signed) return { field: "certificateNumber", message: { key: "v.certificateUnsigned", params: { number: cited.number } } };
  const pcr = `${signed.pcr.code} ${signed.pcr.version}`;
  if (signed.gwpSet !== line.gwpSet) {
    return {
      field: "certificateNumber",
      message: { key: "v.certificateGwpSet", params: { number: cited.number, pcr, certificate: signed.gwpSet, inventory: line.gwpSet } },
    };
  }
  if (line.unit && !sameDimension(line.unit, signed.declaredUnit.unit)) {
    return {
      field: "unit",
      message: { key: "v.certificateUnit", params: { number: cited.number, unit: line.unit, expected: signed.declaredUnit.unit, pcr } },
    };
  }
  return null;
}

/** What the editor shows of a certificate as soon as its number is entered, before the line is saved. */
export interface CertificateLookup {
  number: string;
  status: CertificateStatusCode | null;
  figures: CitedFigures | null;
  problem: { field: "certificateNumber" | "unit"; message: Message } | null;
}

/** Bounds of what the lookup reads: the line form's own (app/utils/line-form.ts). */
const MAX_NUMBER = 60;
const MAX_UNIT = 20;

/** The registry's answer for a number a supplier line of an inventory (of this GWP set) would cite. */
export async function lookUpCitation(db: Kysely<DB>, gwpSet: string, numberText: string, unitText: string): Promise<CertificateLookup> {
  const number = normalisedNumber(numberText.slice(0, MAX_NUMBER));
  if (!number) return { number, status: null, figures: null, problem: { field: "certificateNumber", message: { key: "v.required" } } };
  const cited = (await registeredCertificates(db, [number])).get(number);
  const problem = citationProblem(number, cited, { gwpSet, unit: unitText.trim().slice(0, MAX_UNIT) || undefined });
  return { number, status: cited?.status ?? null, figures: cited?.signed ?? null, problem };
}

/** The certificate as the line holds it: every member from the signed payload. */
export function lineCertificateOf(number: string, figures: CitedFigures): CitedLineCertificate {
  return {
    number,
    issuer: figures.issuer.code,
    kgCO2ePerDeclaredUnit: Number(figures.value),
    declaredUnit: { quantity: Number(figures.declaredUnit.quantity), unit: figures.declaredUnit.unit },
    gwpSet: figures.gwpSet,
    validUntil: figures.validUntil,
    pcr: { code: figures.pcr.code, version: figures.pcr.version },
    holder: { zh: figures.holder.zh, en: figures.holder.en },
  };
}

/**
 * The figures nobody has to type may still be given (a workbook's columns, an older form): then
 * they must be the registry's, so a file cannot claim another value than the one certified.
 */
function typedFigureErrors(form: LineFormFields, extras: LineExtras, number: string, figures: CitedFigures): FieldErrors {
  const errors: FieldErrors = {};
  const value = form.certifiedValue ? Number(form.certifiedValue) : undefined;
  const per = form.certifiedUnitQuantity ? Number(form.certifiedUnitQuantity) : undefined;
  if (
    (value !== undefined && value !== Number(figures.value)) ||
    (per !== undefined && per !== Number(figures.declaredUnit.quantity)) ||
    (form.certifiedUnit && form.certifiedUnit !== figures.declaredUnit.unit)
  ) {
    errors.certifiedValue = {
      key: "v.certificateMismatch",
      params: { number, value: figures.value, quantity: figures.declaredUnit.quantity, unit: figures.declaredUnit.unit },
    };
  }
  if (extras.certificateValidUntil && extras.certificateValidUntil !== figures.validUntil) {
    errors.certificateValidUntil = { key: "v.certificateDateMismatch", params: { number, date: figures.validUntil } };
  }
  return errors;
}

/** The server's schema of the line form: the browser's, with the checks only the server can make. */
export const serverLineFormSchema = (ctx: LineFormContext, extras?: LineExtras) => lineFormSchema((form) => buildLine(form, ctx, extras));

/** The checks against the inventory's factor dataset and the organization's products. */
function contextErrors(form: LineFormFields, ctx: LineFormContext): FieldErrors {
  const errors: FieldErrors = {};
  const factors = (ctx.factors ?? DEFAULT_FACTOR_LIBRARY).index(ctx.factorDataset.id, ctx.factorDataset.version);
  const mustConvert = (field: "unit" | "massUnit", unit: string | undefined, expected: string) => {
    if (unit && !sameDimension(unit, expected)) errors[field] ??= { key: "v.unitMismatch", params: { unit, expected } };
  };
  const factorWithUnit = (unit: string | undefined) => {
    const factor = form.factorCode ? factors.get(form.factorCode) : undefined;
    if (!factor) {
      errors.factorCode = { key: form.factorCode ? "v.choice" : "v.required" };
      return;
    }
    mustConvert("unit", unit, factor.activityUnit);
  };

  switch (form.kind) {
    case "material":
    case "fuel":
    case "waste":
      factorWithUnit(form.unit);
      break;
    case "electricity":
      mustConvert("unit", form.unit, "kWh");
      if (form.supplyType === "onsite") factorWithUnit("kWh");
      break;
    case "transport":
      if (!form.mass && !form.distance && form.amount) {
        factorWithUnit(form.unit);
        mustConvert("unit", form.unit, "tkm");
      } else {
        mustConvert("massUnit", form.massUnit || "t", "t");
        factorWithUnit("tkm");
      }
      break;
    case "process_emission":
      mustConvert("unit", form.unit, "kg");
      break;
    case "supplier_certificate":
      // A supplier's declared figure is per the unit the form names (the line's own by default).
      if (supplierSourceOf(form) === "declared" && form.certifiedUnit) mustConvert("unit", form.unit, form.certifiedUnit);
      break;
    case "sub_product": {
      if (!form.subProductId || !ctx.productIds.includes(form.subProductId)) errors.subProductId = { key: "v.choice" };
      const produced = form.subProductId ? ctx.productUnits?.[form.subProductId] : undefined;
      if (produced) mustConvert("unit", form.unit, produced);
      break;
    }
  }
  return errors;
}

/** True when `unit` is a known unit of the same dimension as `reference`. */
function sameDimension(unit: string, reference: string): boolean {
  try {
    conversionRatio(unit, reference);
    return true;
  } catch {
    return false;
  }
}

const text = (value: unknown): string => (value === undefined || value === null ? "" : String(value));
const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/**
 * The form's values for an existing line: what the edit form starts from. It is the inverse of
 * `buildLine`, so saving an untouched form writes the same line back.
 */
export function lineFormValues(row: LineRow): FormValues {
  const dq: Partial<Record<string, number>> = row.data_quality ?? {};
  const details = record(row.details);
  const values: FormValues = {
    stage: row.stage,
    kind: row.kind,
    name: row.name,
    dataType: row.data_type,
    note: row.note,
    amount: text(row.amount),
    unit: text(row.unit),
    factorCode: text(row.factor_code),
    reliability: text(dq.reliability ?? 2),
    completeness: text(dq.completeness ?? 2),
    temporal: text(dq.temporal ?? 2),
    geographical: text(dq.geographical ?? 2),
    technological: text(dq.technological ?? 2),
  };
  switch (row.kind) {
    case "electricity": {
      const supply = record(details.supply);
      values.supplyType = text(supply.type || "grid");
      if (supply.type === "green_certificate") {
        values.certificateIds = Array.isArray(supply.certificateIds) ? supply.certificateIds.map(String).join(", ") : "";
        values.technology = text(supply.technology);
      } else if (supply.type === "supplier") {
        const factor = record(supply.factor);
        values.supplierName = text(supply.supplier);
        values.supplierFactor = text(record(factor.co2e).value);
        values.supplierFactorYear = text(factor.year);
        // The supplier's own factor is unverified: the form offers it only as secondary data.
        values.dataType = "secondary";
      } else if (supply.type === "onsite") {
        values.factorCode = text(supply.factorCode);
        values.technology = text(supply.technology);
      }
      break;
    }
    case "transport": {
      const mass = record(details.mass);
      const distance = record(details.distance);
      if (mass.amount !== undefined && distance.amount !== undefined) {
        values.mass = text(mass.amount);
        values.massUnit = text(mass.unit || "t");
        // The form takes kilometres; a distance stored in another length unit is shown converted.
        values.distance =
          distance.unit && distance.unit !== "km"
            ? text(Number(distance.amount) * conversionFactorOrOne(String(distance.unit), "km"))
            : text(distance.amount);
      } else if (row.amount !== null) {
        // Transport work given directly (t·km): shown as that many tonnes over 1 km, which computes the same.
        values.mass = text(Number(row.amount) * conversionFactorOrOne(row.unit ?? "tkm", "tkm"));
        values.massUnit = "t";
        values.distance = "1";
      }
      break;
    }
    case "process_emission":
      values.gas = text(details.gas);
      break;
    case "supplier_certificate": {
      const certificate = record(details.certificate);
      const declared = record(details.declared ?? (certificate.registry ? undefined : certificate));
      if (details.certificate && certificate.registry) {
        // Cited and verified: only the number is entered; the rest is shown as the registry signed it.
        const unit = record(certificate.declaredUnit);
        const holder = record(certificate.holder);
        const pcr = record(certificate.pcr);
        values.supplierSource = "certificate";
        values.certificateNumber = text(certificate.number);
        values.certifiedValue = text(certificate.kgCO2ePerDeclaredUnit);
        values.certifiedUnitQuantity = text(unit.quantity ?? 1);
        values.certifiedUnit = text(unit.unit);
        values.certificateIssuer = text(certificate.issuer);
        values.certificateValidUntil = text(certificate.validUntil);
        values.certificateGwpSet = text(certificate.gwpSet);
        values.certificateHolderZh = text(holder.zh);
        values.certificateHolderEn = text(holder.en);
        values.certificatePcr = pcr.code ? `${text(pcr.code)} ${text(pcr.version)}` : "";
        break;
      }
      // A supplier's own figure; or a certificate that was never checked against the registry
      // (stored before it was), which is no more than the supplier's word: it opens as one, with the
      // number it cited in the supplier field until the user names the supplier.
      const unit = record(declared.declaredUnit);
      values.supplierSource = "declared";
      values.supplierName = text(details.declared ? declared.supplier : certificate.number);
      values.certifiedValue = text(declared.kgCO2ePerDeclaredUnit);
      values.certifiedUnitQuantity = text(unit.quantity ?? 1);
      values.certifiedUnit = text(unit.unit);
      values.supplierFactorYear = text(declared.year);
      values.dataType = "secondary";
      if (!details.declared) values.uncheckedCertificate = text(certificate.number);
      break;
    }
    case "sub_product":
      values.subProductId = text(details.productId);
      break;
  }
  return values;
}

function conversionFactorOrOne(from: string, to: string): number {
  try {
    const [num, den] = conversionRatio(from, to);
    return num / den;
  } catch {
    return 1;
  }
}

/**
 * What an edit keeps from the line it replaces that the form does not show: the cut-off exclusion
 * and its estimated share, and extra fields of the same electricity supply or cited certificate
 * (a pinned grid region or year, a contract id, a certificate's issuer and validity).
 */
export function carryOver(existing: LineRow, line: NewLine): NewLine {
  const old: Record<string, unknown> = record(existing.details);
  const details: Record<string, unknown> = { ...line.details };
  if (old.estimatedShare !== undefined) details.estimatedShare = old.estimatedShare;
  if (existing.kind === line.kind) {
    const oldSupply = record(old.supply);
    const newSupply = record(details.supply);
    if (details.supply && oldSupply.type === newSupply.type) details.supply = { ...oldSupply, ...newSupply };
    if (details.certificate && old.certificate) details.certificate = { ...record(old.certificate), ...record(details.certificate) };
  }
  // The same kind's members merged: what the form does not show stays as it was stored.
  return { ...line, excluded: existing.excluded, details: details as StoredLineDetails };
}
