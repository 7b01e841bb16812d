/**
 * The "add a line" form: one schema per line kind, turned into a database line. Units are checked
 * against the chosen factor's activity unit here, so a mismatch is a field error on the form
 * rather than a calculation error later.
 */
import { z } from "zod";
import { toNumeric } from "../../db/decimal.ts";
import { GASES } from "../../rules/gwp.ts";
import { DEFAULT_FACTOR_LIBRARY } from "../../rules/factors/index.ts";
import { STAGES } from "../../rules/stages.ts";
import { conversionRatio } from "../../rules/units.ts";
import type { FieldErrors, FormValues } from "../utils/forms.ts";
import type { LineRow, NewLine } from "./inventories.server.ts";

import { LINE_KINDS } from "../utils/line-kinds.ts";

const amount = z.coerce.number({ error: "v.number" }).finite("v.number").positive("v.positive");
const score = z.coerce.number().int().min(1).max(5);

const common = z.object({
  stage: z.enum(STAGES, { error: "v.choice" }),
  kind: z.enum(LINE_KINDS, { error: "v.choice" }),
  name: z.string().trim().min(1).max(200),
  dataType: z.enum(["primary", "secondary"], { error: "v.choice" }),
  reliability: score,
  completeness: score,
  temporal: score,
  geographical: score,
  technological: score,
  note: z.string().trim().max(2000).optional().default(""),
});

const kindFields = {
  amount: z.string().optional(),
  unit: z.string().trim().max(20).optional(),
  factorCode: z.string().trim().max(100).optional(),
  supplyType: z.string().optional(),
  certificateIds: z.string().max(200_000).optional(),
  technology: z.string().optional(),
  supplierName: z.string().trim().max(200).optional(),
  supplierFactor: z.string().optional(),
  supplierFactorYear: z.string().optional(),
  mass: z.string().optional(),
  massUnit: z.string().optional(),
  distance: z.string().optional(),
  gas: z.string().optional(),
  certificateNumber: z.string().trim().max(60).optional(),
  certifiedValue: z.string().optional(),
  certifiedUnitQuantity: z.string().optional(),
  certifiedUnit: z.string().optional(),
  subProductId: z.string().optional(),
};

export const LineFormSchema = common.extend(kindFields);

type Parsed = z.infer<typeof LineFormSchema>;

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
  registeredCertificates?: ReadonlyMap<string, { number: string; status: string; validUntil: string; kgCO2ePerDeclaredUnit: string; declaredUnit: { quantity: string; unit: string }; issuer: string | null; payloadSha256: string | null }>;
}

/** Checks the kind-specific fields and builds the line; field errors otherwise. */
export function buildLine(form: Parsed, ctx: LineFormContext): { ok: true; line: NewLine } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const num = (field: keyof Parsed, positive = true): number | null => {
    const parsed = (positive ? amount : z.coerce.number().finite()).safeParse(form[field]);
    if (!parsed.success || form[field] === undefined || form[field] === "") {
      // "-5" is a number, just not a positive one: say which rule it breaks.
      errors[field] = { key: !form[field] ? "v.required" : parsed.error?.issues[0]?.message === "v.positive" ? "v.positive" : "v.number" };
      return null;
    }
    return parsed.data;
  };
  const factors = DEFAULT_FACTOR_LIBRARY.index(ctx.factorDataset.id, ctx.factorDataset.version);
  const factorWithUnit = (unit: string | undefined) => {
    const factor = form.factorCode ? factors.get(form.factorCode) : undefined;
    if (!factor) {
      errors.factorCode = { key: form.factorCode ? "v.choice" : "v.required" };
      return;
    }
    if (!unit) {
      errors.unit = { key: "v.required" };
      return;
    }
    try {
      conversionRatio(unit, factor.activityUnit);
    } catch {
      errors.unit = { key: "v.unitMismatch", params: { unit, expected: factor.activityUnit } };
    }
  };

  const dataQuality = {
    reliability: form.reliability,
    completeness: form.completeness,
    temporal: form.temporal,
    geographical: form.geographical,
    technological: form.technological,
  };
  const base = { stage: form.stage, kind: form.kind, name: form.name, dataType: form.dataType, dataQuality, excluded: false, note: form.note };
  let line: NewLine | null = null;

  switch (form.kind) {
    case "material":
    case "fuel":
    case "waste": {
      const value = num("amount");
      factorWithUnit(form.unit);
      if (value !== null) line = { ...base, amount: toNumeric(value), unit: form.unit!, factorCode: form.factorCode!, details: {} };
      break;
    }
    case "electricity": {
      const value = num("amount");
      if (form.unit && !sameDimension(form.unit, "kWh")) errors.unit = { key: "v.unitMismatch", params: { unit: form.unit, expected: "kWh" } };
      let supply: Record<string, unknown> | null = null;
      if (form.supplyType === "grid") supply = { type: "grid" };
      else if (form.supplyType === "green_certificate") {
        const ids = (form.certificateIds ?? "").split(/[\s,;，；]+/).filter(Boolean);
        if (ids.length === 0) errors.certificateIds = { key: "v.required" };
        const technology = form.technology;
        if (technology !== "wind" && technology !== "pv" && technology !== "biomass") errors.technology = { key: "v.choice" };
        supply = { type: "green_certificate", technology, certificateIds: ids };
      } else if (form.supplyType === "supplier") {
        const factor = num("supplierFactor", false);
        const year = num("supplierFactorYear");
        if (!form.supplierName) errors.supplierName = { key: "v.required" };
        if (factor !== null && year !== null) {
          supply = {
            type: "supplier",
            supplier: form.supplierName,
            factor: { co2e: { value: factor, gwpSet: ctx.gwpSet }, year, source: form.supplierName ?? "" },
          };
        }
      } else if (form.supplyType === "onsite") {
        factorWithUnit("kWh");
        supply = { type: "onsite", technology: form.technology || "pv", factorCode: form.factorCode };
      } else errors.supplyType = { key: "v.choice" };
      if (value !== null && supply) line = { ...base, amount: toNumeric(value), unit: form.unit || "kWh", factorCode: null, details: { supply } };
      break;
    }
    case "transport": {
      // Either mass × distance (the editor's fields) or the transport work itself as an amount in
      // t·km or kg·km (how workbooks and the reference examples often state it).
      if (!form.mass && !form.distance && form.amount) {
        const work = num("amount");
        factorWithUnit(form.unit);
        if (form.unit && !errors.unit) {
          try {
            conversionRatio(form.unit, "tkm");
          } catch {
            errors.unit = { key: "v.unitMismatch", params: { unit: form.unit, expected: "tkm" } };
          }
        }
        if (work !== null) line = { ...base, amount: toNumeric(work), unit: form.unit!, factorCode: form.factorCode!, details: {} };
        break;
      }
      const mass = num("mass");
      const distance = num("distance");
      const massUnit = form.massUnit || "t";
      if (!sameDimension(massUnit, "t")) errors.massUnit = { key: "v.unitMismatch", params: { unit: massUnit, expected: "t" } };
      factorWithUnit("tkm");
      if (mass !== null && distance !== null) {
        line = {
          ...base,
          amount: null,
          unit: null,
          factorCode: form.factorCode!,
          details: { mass: { amount: mass, unit: massUnit }, distance: { amount: distance, unit: "km" } },
        };
      }
      break;
    }
    case "process_emission": {
      const value = num("amount");
      if (!GASES.includes(form.gas as (typeof GASES)[number])) errors.gas = { key: "v.choice" };
      if (!form.unit || !sameDimension(form.unit, "kg")) errors.unit = { key: "v.unitMismatch", params: { unit: form.unit ?? "", expected: "kg" } };
      if (value !== null) line = { ...base, amount: toNumeric(value), unit: form.unit ?? "kg", factorCode: null, details: { gas: form.gas } };
      break;
    }
    case "supplier_certificate": {
      const value = num("amount");
      const certified = num("certifiedValue", false);
      const per = num("certifiedUnitQuantity");
      if (!form.certificateNumber) errors.certificateNumber = { key: "v.required" };
      if (!form.unit) errors.unit = { key: "v.required" };
      if (!form.certifiedUnit) errors.certifiedUnit = { key: "v.required" };
      else if (form.unit) {
        try {
          conversionRatio(form.unit, form.certifiedUnit);
        } catch {
          errors.unit = { key: "v.unitMismatch", params: { unit: form.unit, expected: form.certifiedUnit } };
        }
      }
      // certificates: a number the registry holds is checked against it, and the line keeps what was verified.
      const registered = form.certificateNumber ? ctx.registeredCertificates?.get(form.certificateNumber.trim().toUpperCase()) : undefined;
      if (registered && registered.status !== "valid") {
        errors.certificateNumber = { key: "v.certificateNotValid", params: { number: registered.number, status: registered.status } };
      } else if (
        registered &&
        certified !== null &&
        per !== null &&
        (certified !== Number(registered.kgCO2ePerDeclaredUnit) || per !== Number(registered.declaredUnit.quantity) || form.certifiedUnit !== registered.declaredUnit.unit)
      ) {
        errors.certifiedValue = {
          key: "v.certificateMismatch",
          params: { number: registered.number, value: registered.kgCO2ePerDeclaredUnit, quantity: registered.declaredUnit.quantity, unit: registered.declaredUnit.unit },
        };
      }
      if (value !== null && certified !== null && per !== null) {
        line = {
          ...base,
          amount: toNumeric(value),
          unit: form.unit!,
          factorCode: null,
          details: {
            certificate: {
              number: registered?.number ?? form.certificateNumber,
              kgCO2ePerDeclaredUnit: certified,
              declaredUnit: { quantity: per, unit: form.certifiedUnit },
              gwpSet: ctx.gwpSet,
              ...(registered
                ? { issuer: registered.issuer ?? undefined, validUntil: registered.validUntil, registry: { verifiedValue: registered.kgCO2ePerDeclaredUnit, payloadSha256: registered.payloadSha256 } }
                : {}),
            },
          },
        };
      }
      break;
    }
    case "sub_product": {
      const value = num("amount");
      if (!form.subProductId || !ctx.productIds.includes(form.subProductId)) errors.subProductId = { key: "v.choice" };
      if (!form.unit) errors.unit = { key: "v.required" };
      else {
        const produced = form.subProductId ? ctx.productUnits?.[form.subProductId] : undefined;
        if (produced && !sameDimension(form.unit, produced)) errors.unit = { key: "v.unitMismatch", params: { unit: form.unit, expected: produced } };
      }
      if (value !== null) line = { ...base, amount: toNumeric(value), unit: form.unit!, factorCode: null, details: { productId: form.subProductId } };
      break;
    }
  }
  if (Object.keys(errors).length > 0 || !line) return { ok: false, errors };
  return { ok: true, line };
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
const record = (value: unknown): Record<string, unknown> => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/**
 * The form's values for an existing line: what the edit form starts from. It is the inverse of
 * `buildLine`, so saving an untouched form writes the same line back.
 */
export function lineFormValues(row: LineRow): FormValues {
  const dq = row.data_quality ?? {};
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
        values.distance = distance.unit && distance.unit !== "km" ? text(Number(distance.amount) * conversionFactorOrOne(String(distance.unit), "km")) : text(distance.amount);
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
  const old = record(existing.details);
  const details: Record<string, unknown> = { ...line.details };
  if (old.estimatedShare !== undefined) details.estimatedShare = old.estimatedShare;
  if (existing.kind === line.kind) {
    const oldSupply = record(old.supply);
    const newSupply = record(details.supply);
    if (details.supply && oldSupply.type === newSupply.type) details.supply = { ...oldSupply, ...newSupply };
    if (details.certificate && old.certificate) details.certificate = { ...record(old.certificate), ...record(details.certificate) };
  }
  return { ...line, excluded: existing.excluded, details };
}
