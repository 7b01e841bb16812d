/**
 * The inventory line form on the server: the shared projection of the calculator's line
 * (app/utils/line-form.ts, validated by the rules schema) plus what only the server can check —
 * the factor exists in the inventory's dataset and the units convert to its activity unit, a
 * sub-product is one of the organization's products, a cited certificate agrees with the
 * registry — so a mismatch is a field error on the form rather than a calculation error later.
 */
import { DEFAULT_FACTOR_LIBRARY } from "../../rules/factors/index.ts";
import { conversionRatio } from "../../rules/units.ts";
import type { CertificateRegistryRecord, StoredLineDetails } from "../../db/schema.ts";
import type { FieldErrors, FormValues } from "../utils/forms.ts";
import { lineFormSchema, validateLineForm, type LineExtras, type LineFormFields } from "../utils/line-form.ts";
import { storedLineOf, type LineRow, type NewLine } from "./inventories.server.ts";

export { LineFormSchema } from "../utils/line-form.ts";

export interface LineFormContext {
  factorDataset: { id: string; version: string };
  gwpSet: string;
  /** Products of the same organization a sub-product line may point at. */
  productIds: readonly string[];
  /**
   * The unit each of those products is produced in (its latest inventory), when it has one: a
   * sub-product line's unit must convert to it.
   */
  productUnits?: Readonly<Record<string, string>>;
  // certificates: supply-chain links
  /**
   * What the registry holds under the cited certificate number, when it holds it: the line then
   * must state the registry's verified value and declared unit, and the certificate must be valid.
   */
  registeredCertificates?: ReadonlyMap<
    string,
    {
      number: string;
      status: string;
      validUntil: string;
      kgCO2ePerDeclaredUnit: string;
      declaredUnit: { quantity: string; unit: string };
      issuer: string | null;
      payloadSha256: string | null;
    }
  >;
}

type RegisteredCertificate = NonNullable<LineFormContext["registeredCertificates"]> extends ReadonlyMap<string, infer C> ? C : never;

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
  // certificates: a number the registry holds is checked against it, and the line keeps what was verified.
  const registered =
    form.kind === "supplier_certificate" && form.certificateNumber
      ? ctx.registeredCertificates?.get(form.certificateNumber.trim().toUpperCase())
      : undefined;
  const shape = validateLineForm(
    registered ? { ...form, certificateNumber: registered.number } : form,
    { gwpSet: ctx.gwpSet },
    registered ? { ...extras, certificateIssuer: registered.issuer ?? undefined, certificateValidUntil: registered.validUntil } : extras,
  );
  // A field the schema already refuses keeps that message: it says what to fix first.
  const errors: FieldErrors = { ...contextErrors(form, ctx, registered), ...(shape.ok ? {} : shape.errors) };
  if (!shape.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  const registry: CertificateRegistryRecord | undefined = registered
    ? { verifiedValue: registered.kgCO2ePerDeclaredUnit, payloadSha256: registered.payloadSha256 }
    : undefined;
  return { ok: true, line: storedLineOf(shape.line, form.name ?? "", registry) };
}

/** The server's schema of the line form: the browser's, with the checks only the server can make. */
export const serverLineFormSchema = (ctx: LineFormContext, extras?: LineExtras) => lineFormSchema((form) => buildLine(form, ctx, extras));

/** The checks against the inventory's factor dataset, the organization's products and the registry. */
function contextErrors(form: LineFormFields, ctx: LineFormContext, registered: RegisteredCertificate | undefined): FieldErrors {
  const errors: FieldErrors = {};
  const factors = DEFAULT_FACTOR_LIBRARY.index(ctx.factorDataset.id, ctx.factorDataset.version);
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
    case "supplier_certificate": {
      if (form.certifiedUnit) mustConvert("unit", form.unit, form.certifiedUnit);
      const certified = Number(form.certifiedValue);
      const per = Number(form.certifiedUnitQuantity);
      if (registered && registered.status !== "valid") {
        errors.certificateNumber = { key: "v.certificateNotValid", params: { number: registered.number, status: registered.status } };
      } else if (
        registered &&
        form.certifiedValue &&
        form.certifiedUnitQuantity &&
        Number.isFinite(certified) &&
        Number.isFinite(per) &&
        (certified !== Number(registered.kgCO2ePerDeclaredUnit) ||
          per !== Number(registered.declaredUnit.quantity) ||
          form.certifiedUnit !== registered.declaredUnit.unit)
      ) {
        errors.certifiedValue = {
          key: "v.certificateMismatch",
          params: {
            number: registered.number,
            value: registered.kgCO2ePerDeclaredUnit,
            quantity: registered.declaredUnit.quantity,
            unit: registered.declaredUnit.unit,
          },
        };
      }
      break;
    }
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
      const declared = record(certificate.declaredUnit);
      values.certificateNumber = text(certificate.number);
      values.certifiedValue = text(certificate.kgCO2ePerDeclaredUnit);
      values.certifiedUnitQuantity = text(declared.quantity ?? 1);
      values.certifiedUnit = text(declared.unit);
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
