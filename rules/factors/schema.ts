import { z } from "zod";
import { exact, type Exact } from "../decimal.ts";
import { GASES, GWP_SET_IDS } from "../gwp.ts";
import { isKnownRegion } from "../regions.ts";
import { conversionRatio, dimensionOf, isKnownUnit } from "../units.ts";

export const BilingualSchema = z.object({ zh: z.string().min(1), en: z.string().min(1) });

export const FACTOR_CATEGORIES = ["electricity", "fuel", "material", "transport", "waste", "process", "energy"] as const;

/**
 * What a factor's value covers. Scope-2 grid factors published by MEE/NBS count only CO2 from
 * generation and must never stand in for the life-cycle factor a PCF needs; recording the boundary
 * lets conformance tell them apart.
 */
export const FACTOR_BOUNDARIES = ["life_cycle", "cradle_to_gate", "combustion", "scope2_co2_only", "treatment"] as const;

/**
 * What electricity a factor is for: a grid mix, a generation type, or the transmission and
 * distribution adder the 2024 carbon-footprint notice gives with and without line losses.
 */
export const ELECTRICITY_KINDS = [
  "grid_average",
  "grid_excluding_market_non_fossil",
  "grid_fossil",
  "wind",
  "pv",
  "biomass",
  "hydro",
  "coal",
  "gas",
  "nuclear",
  "solar_thermal",
  "transmission_distribution",
  "transmission_distribution_with_losses",
] as const;

/**
 * How far a transcribed value has been checked: "confirmed" when two or more independent
 * transcriptions agree, "single_source" when one is known (docs/sources/FACTORS-CN.md). The
 * official PDFs were not at hand, so a single-source value must never be shown as confirmed.
 */
export const TRANSCRIPTION_STATUSES = ["confirmed", "single_source"] as const;
export type TranscriptionStatus = (typeof TRANSCRIPTION_STATUSES)[number];

export const FactorSourceSchema = z.object({
  document: z.string().min(1),
  publisher: z.string().min(1),
  /** Year the document was published. */
  year: z.number().int().min(1900).max(2100),
  clause: z.string().optional(),
  /** The table of the document the value is read from. */
  table: z.string().min(1).optional(),
  /** Year the data describe (the factor's `year`), stated with the source so a citation is whole. */
  dataYear: z.number().int().min(1900).max(2100).optional(),
  status: z.enum(TRANSCRIPTION_STATUSES).optional(),
  /** The status as the transcription record words it where it differs by year ("2023 confirmed, 2024 single source"). */
  statusNote: z.string().min(1).optional(),
  note: z.string().optional(),
});

/** A decimal as printed in the source, digits kept ("19.570" stays three decimals). */
const DECIMAL_TEXT = /^\d+(\.\d+)?$/;
const DecimalTextSchema = z.string().regex(DECIMAL_TEXT, "a decimal number as printed, such as 19.570");

/**
 * A fuel's combustion CO2 factor computed as GB/T 32151 and the MEE accounting guidelines do:
 * net calorific value × carbon content per unit of heat × oxidation rate × 44/12. The four inputs
 * and the tabulated result are kept as printed, per `perUnit` of fuel (t for solids and liquids,
 * 10⁴ m³ at standard conditions for gases); the factor's value is the tabulated result in kg CO2
 * per its activity unit, converted exactly.
 */
export const FuelFormulaSchema = z.object({
  method: z.literal("ncv_x_carbon_x_oxidation_x_44_12"),
  perUnit: z.string().refine(isKnownUnit, "unknown unit"),
  /** Net calorific value, GJ per `perUnit`. */
  ncvGJ: DecimalTextSchema,
  /** Carbon content per unit of heat, t C per GJ. */
  carbonTPerGJ: DecimalTextSchema,
  /** Oxidation rate, per cent. */
  oxidationPercent: DecimalTextSchema,
  /** The table's result, t CO2 per `perUnit`, with the decimals it is printed with. */
  tabulatedTCO2: DecimalTextSchema,
});
export type FuelFormula = z.infer<typeof FuelFormulaSchema>;

/**
 * Which factor an accounting year takes when a series has one factor per data year. The only
 * convention in use: year Y takes the latest published factor whose data year is not after Y.
 */
export const YEAR_CONVENTIONS = ["latest_not_after"] as const;
export const YEAR_CONVENTION_TEXT: Readonly<Record<(typeof YEAR_CONVENTIONS)[number], { zh: string; en: string }>> = {
  latest_not_after: {
    zh: "核算年度 Y 采用数据年份不晚于 Y 的最新已发布因子",
    en: "accounting year Y uses the latest published factor whose data year is not after Y",
  },
};

/** A formula's decimal text as an exact decimal (rules/decimal.ts): "19.570" is 19.57. */
const decimalOf = (text: string, field: string): Exact => exact(Number(text), `formula.${field}`);

/**
 * The formula's product, computed exactly and rounded half up to the decimals the tabulated value
 * is printed with (`rounded`: equal to the tabulated value for every row of table C.1), and shown
 * with four more places (`shown`, for messages).
 */
export function formulaProduct(f: FuelFormula): { shown: string; rounded: string } {
  const decimals = f.tabulatedTCO2.split(".")[1]?.length ?? 0;
  const product = decimalOf(f.ncvGJ, "ncvGJ")
    .times(decimalOf(f.carbonTPerGJ, "carbonTPerGJ"))
    .times(decimalOf(f.oxidationPercent, "oxidationPercent"))
    .dividedBy(100)
    .times(44)
    .dividedBy(12);
  return { shown: product.toFixed(decimals + 4), rounded: product.toFixed(decimals) };
}

function formulaValue(f: FuelFormula, activityUnit: string): Exact {
  const [num, den] = conversionRatio(activityUnit, f.perUnit);
  return decimalOf(f.tabulatedTCO2, "tabulatedTCO2").times(1000).times(num).dividedBy(den);
}

/** kg CO2 per `activityUnit` given by a formula's tabulated t CO2 per `perUnit`, exact, as text. */
export function formulaValuePerActivityUnit(f: FuelFormula, activityUnit: string): string {
  return formulaValue(f, activityUnit).toFixed();
}

export const GasValuesSchema = z.partialRecord(z.enum(GASES), z.number().finite());

export const EmissionFactorSchema = z
  .object({
    code: z.string().regex(/^[A-Z0-9][A-Z0-9._-]*$/, "codes are upper-case letters, digits, '.', '_' and '-'"),
    name: BilingualSchema,
    category: z.enum(FACTOR_CATEGORIES),
    /** The unit of the activity the factor multiplies (kg, kWh, m3, tkm, …). */
    activityUnit: z.string().refine(isKnownUnit, "unknown unit"),
    /** kg of each gas per activity unit. */
    gases: GasValuesSchema.optional(),
    /** Aggregated kg CO2e per activity unit, characterised with `gwpSet`. */
    co2e: z
      .object({
        value: z.number().finite(),
        gwpSet: z.enum(GWP_SET_IDS),
        /** Part of `value` that is biogenic; 0 when the source does not split it. */
        biogenic: z.number().finite().optional(),
      })
      .optional(),
    boundary: z.enum(FACTOR_BOUNDARIES),
    electricity: z.enum(ELECTRICITY_KINDS).optional(),
    region: z.string().refine(isKnownRegion, "unknown region code"),
    year: z.number().int().min(1900).max(2100),
    source: FactorSourceSchema,
    uncertainty: z
      .object({
        distribution: z.enum(["lognormal", "normal", "uniform", "triangular"]),
        /** Relative standard deviation (0.1 = 10 %). */
        relativeSd: z.number().positive(),
      })
      .optional(),
    demonstration: z.boolean(),
    /** Values the secondary source marks as needing verification against the primary one. */
    verify: z.boolean().optional(),
    /** How the value is computed from the source's inputs, where it is (fuel defaults). */
    formula: FuelFormulaSchema.optional(),
    /** For a series with a factor per data year: which accounting years this one serves. */
    yearConvention: z.enum(YEAR_CONVENTIONS).optional(),
    note: z.string().optional(),
  })
  .refine((f) => (f.gases !== undefined) !== (f.co2e !== undefined), {
    message: "a factor gives either per-gas values or one CO2e value, not both and not neither",
  })
  .refine((f) => (f.category === "electricity") === (f.electricity !== undefined), {
    message: "electricity factors (and only they) state their electricity kind",
    path: ["electricity"],
  })
  .refine((f) => !f.demonstration || (f.note !== undefined && f.note.length > 0), {
    message: "a demonstration value needs a note saying where it comes from",
    path: ["note"],
  })
  .refine((f) => f.source.dataYear === undefined || f.source.dataYear === f.year, {
    message: "数据年份须与因子年份一致 / the source's data year must be the factor's year",
    path: ["source", "dataYear"],
  })
  .superRefine((f, ctx) => {
    if (!f.formula) return;
    const formula = f.formula;
    const texts = [formula.ncvGJ, formula.carbonTPerGJ, formula.oxidationPercent, formula.tabulatedTCO2];
    // Malformed texts are refused by the formula's own schema; there is nothing to compute with.
    if (!texts.every((t) => DECIMAL_TEXT.test(t))) return;
    const product = formulaProduct(formula);
    if (product.rounded !== formula.tabulatedTCO2) {
      ctx.addIssue({
        code: "custom",
        path: ["formula", "tabulatedTCO2"],
        message: `公式乘积 ${product.shown} 修约后为 ${product.rounded}，与表列值 ${formula.tabulatedTCO2} 不符 / the formula's product ${product.shown} rounds to ${product.rounded}, not the tabulated ${formula.tabulatedTCO2}`,
      });
    }
    if (!isKnownUnit(f.activityUnit) || dimensionOf(f.activityUnit) !== dimensionOf(formula.perUnit)) {
      ctx.addIssue({
        code: "custom",
        path: ["formula", "perUnit"],
        message: `公式的燃料单位「${formula.perUnit}」与活动数据单位「${f.activityUnit}」量纲不同 / the formula's unit ${formula.perUnit} and the activity unit ${f.activityUnit} measure different things`,
      });
      return;
    }
    const expected = formulaValue(formula, f.activityUnit);
    const keys = Object.keys(f.gases ?? {});
    const stated = f.gases?.co2_fossil;
    if (keys.length !== 1 || stated === undefined || !Number.isFinite(stated) || !exact(stated, "gases.co2_fossil").equals(expected)) {
      ctx.addIssue({
        code: "custom",
        path: ["gases"],
        message: `按公式计算的因子只含化石源 CO2，值应为表列值换算的 ${expected.toFixed()} kg/${f.activityUnit} / a factor computed by its formula is fossil CO2 only, ${expected.toFixed()} kg per ${f.activityUnit} (the tabulated value converted)`,
      });
    }
  });

export type EmissionFactor = z.infer<typeof EmissionFactorSchema>;

export const DatasetIncludeSchema = z.object({
  id: z.string().regex(/^[A-Z0-9][A-Z0-9-]*$/),
  version: z.string().regex(/^\d{4}\.\d+$/, 'dataset versions look like "2026.1"'),
  /** Content hash (SHA-256 of canonical JSON) of the included version. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 in lower-case hex"),
});
export type DatasetInclude = z.infer<typeof DatasetIncludeSchema>;

export const FactorDatasetSchema = z
  .object({
    id: z.string().regex(/^[A-Z0-9][A-Z0-9-]*$/),
    version: z.string().regex(/^\d{4}\.\d+$/, 'dataset versions look like "2026.1"'),
    name: BilingualSchema,
    publishedOn: z.iso.date(),
    demonstration: z.boolean(),
    note: z.string().optional(),
    /**
     * Published versions whose factors this one offers as well, each pinned by its content hash
     * (docs/decisions/0015): the hash of this version then covers theirs, and a library refuses
     * the version unless each one it includes is present with exactly that content.
     */
    includes: z.array(DatasetIncludeSchema).min(1).optional(),
    factors: z.array(EmissionFactorSchema).min(1),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.factors.forEach((f, i) => {
      if (seen.has(f.code)) ctx.addIssue({ code: "custom", message: `duplicate factor code ${f.code}`, path: ["factors", i, "code"] });
      seen.add(f.code);
    });
    const included = new Set<string>();
    (d.includes ?? []).forEach((inc, i) => {
      const key = datasetKey(inc);
      if (key === datasetKey(d)) ctx.addIssue({ code: "custom", message: `a dataset cannot include itself (${key})`, path: ["includes", i] });
      if (included.has(key)) ctx.addIssue({ code: "custom", message: `${key} is included twice`, path: ["includes", i] });
      included.add(key);
    });
  });

export type FactorDataset = z.infer<typeof FactorDatasetSchema>;

export function datasetKey(d: { readonly id: string; readonly version: string }): string {
  return `${d.id}@${d.version}`;
}
