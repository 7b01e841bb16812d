import { z } from "zod";
import { GASES, GWP_SET_IDS } from "../gwp.ts";
import { isKnownRegion } from "../regions.ts";
import { isKnownUnit } from "../units.ts";

export const BilingualSchema = z.object({ zh: z.string().min(1), en: z.string().min(1) });

export const FACTOR_CATEGORIES = ["electricity", "fuel", "material", "transport", "waste", "process", "energy"] as const;

/**
 * What a factor's value covers. Scope-2 grid factors published by MEE/NBS count only CO2 from
 * generation and must never stand in for the life-cycle factor a PCF needs; recording the boundary
 * lets conformance tell them apart.
 */
export const FACTOR_BOUNDARIES = ["life_cycle", "cradle_to_gate", "combustion", "scope2_co2_only", "treatment"] as const;

export const ELECTRICITY_KINDS = ["grid_average", "grid_excluding_market_non_fossil", "grid_fossil", "wind", "pv", "biomass", "hydro"] as const;

export const FactorSourceSchema = z.object({
  document: z.string().min(1),
  publisher: z.string().min(1),
  year: z.number().int().min(1900).max(2100),
  clause: z.string().optional(),
  note: z.string().optional(),
});

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
  });

export type EmissionFactor = z.infer<typeof EmissionFactorSchema>;

export const FactorDatasetSchema = z
  .object({
    id: z.string().regex(/^[A-Z0-9][A-Z0-9-]*$/),
    version: z.string().regex(/^\d{4}\.\d+$/, 'dataset versions look like "2026.1"'),
    name: BilingualSchema,
    publishedOn: z.iso.date(),
    demonstration: z.boolean(),
    note: z.string().optional(),
    factors: z.array(EmissionFactorSchema).min(1),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.factors.forEach((f, i) => {
      if (seen.has(f.code)) ctx.addIssue({ code: "custom", message: `duplicate factor code ${f.code}`, path: ["factors", i, "code"] });
      seen.add(f.code);
    });
  });

export type FactorDataset = z.infer<typeof FactorDatasetSchema>;

export function datasetKey(d: { readonly id: string; readonly version: string }): string {
  return `${d.id}@${d.version}`;
}
