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
import type { FieldErrors } from "../utils/forms.ts";
import type { NewLine } from "./inventories.server.ts";

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
}

/** Checks the kind-specific fields and builds the line; field errors otherwise. */
export function buildLine(form: Parsed, ctx: LineFormContext): { ok: true; line: NewLine } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const num = (field: keyof Parsed, positive = true): number | null => {
    const parsed = (positive ? amount : z.coerce.number().finite()).safeParse(form[field]);
    if (!parsed.success || form[field] === undefined || form[field] === "") {
      errors[field] = { key: form[field] ? "v.number" : "v.required" };
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
      if (form.unit && form.unit !== "kWh" && form.unit !== "MWh") errors.unit = { key: "v.unitMismatch", params: { unit: form.unit, expected: "kWh" } };
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
      const mass = num("mass");
      const distance = num("distance");
      const massUnit = form.massUnit === "kg" ? "kg" : "t";
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
      if (form.unit !== "kg" && form.unit !== "t") errors.unit = { key: "v.unitMismatch", params: { unit: form.unit ?? "", expected: "kg" } };
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
      if (value !== null && certified !== null && per !== null) {
        line = {
          ...base,
          amount: toNumeric(value),
          unit: form.unit!,
          factorCode: null,
          details: {
            certificate: {
              number: form.certificateNumber,
              kgCO2ePerDeclaredUnit: certified,
              declaredUnit: { quantity: per, unit: form.certifiedUnit },
              gwpSet: ctx.gwpSet,
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
      if (value !== null) line = { ...base, amount: toNumeric(value), unit: form.unit!, factorCode: null, details: { productId: form.subProductId } };
      break;
    }
  }
  if (Object.keys(errors).length > 0 || !line) return { ok: false, errors };
  return { ok: true, line };
}
