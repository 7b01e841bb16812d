import { z } from "zod";
import { GWP_SET_IDS } from "../gwp.ts";
import { STAGES } from "../stages.ts";
import { isKnownUnit } from "../units.ts";

const Bilingual = z.object({ zh: z.string().min(1), en: z.string().min(1) });

/**
 * A value the PCR states without an official source behind it (for example a low-carbon
 * benchmark where no official threshold was found). The flag travels with the data so every
 * screen and certificate that shows the value can say so.
 */
const Provenance = {
  demonstration: z.boolean(),
  /** Why the value is what it is, or which document it comes from. */
  note: z.string().min(1),
};

/** What a PCR lets a study do with factors aggregated under another GWP set (see `otherGwpSetFactors`). */
export const OTHER_GWP_SET_RULES = ["refuse", "disclose"] as const;
export type OtherGwpSetRule = (typeof OTHER_GWP_SET_RULES)[number];

export const BOUNDARIES = ["cradle_to_gate", "cradle_to_grave"] as const;
export type Boundary = (typeof BOUNDARIES)[number];

export const LABEL_TYPES = ["CF", "LC", "RC", "CN"] as const;
export type LabelType = (typeof LABEL_TYPES)[number];

export const DQR_RATINGS = ["excellent", "very_good", "good", "fair", "poor"] as const;
export type DqrRating = (typeof DQR_RATINGS)[number];

/**
 * Sections of every PCR. Conformance findings cite `code@version §section` so an applicant can
 * find the rule that failed; the numbering is part of the published text and therefore fixed.
 */
export const PCR_SECTIONS = {
  scope: "§1",
  declaredUnit: "§4",
  boundary: "§5",
  requiredStages: "§5.1",
  allowedStages: "§5.2",
  cutOffPerFlow: "§6.1",
  cutOffCumulative: "§6.2",
  allocation: "§7",
  dataQualityRating: "§8.1",
  secondaryFactorAge: "§8.2",
  factorRegion: "§8.3",
  demonstrationData: "§8.4",
  electricityBasis: "§9.1",
  electricityRegion: "§9.2",
  electricityAge: "§9.3",
  greenCertificates: "§9.4",
  gwp: "§10",
  labels: "§11",
} as const;
export type PcrSection = keyof typeof PCR_SECTIONS;

export const GradeBandSchema = z.object({
  grade: z.string().min(1),
  /** Upper bound, inclusive, kg CO2e per declared unit. */
  maxKgCO2e: z.number().positive(),
  label: Bilingual,
});

export const PcrSourceSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  publisher: z.string().min(1),
  year: z.number().int().min(1990).max(2100),
  note: z.string().optional(),
});

export const PcrSchema = z
  .object({
    code: z.string().regex(/^PCR-CN-[A-Z0-9-]+$/),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'versions are semver-like: "1.0.0"'),
    status: z.enum(["published", "withdrawn"]),
    publishedOn: z.iso.date(),
    category: z.string().regex(/^[a-z0-9_]+$/),
    name: Bilingual,
    coveredProducts: z.array(Bilingual).min(1),
    classification: z.object({
      /** GB/T 4754-2017 national economic industry classification. */
      gbt4754: z.array(z.object({ code: z.string().regex(/^\d{2,4}$/), name: z.string() })).min(1),
      /** Entry of the first CNCA product carbon-footprint label catalogue (2025-07-09), if listed. */
      cncaCatalogue2025: z.object({ entries: z.array(Bilingual).min(1) }).optional(),
      /** SAMR pilot notice 国市监认证发〔2024〕85号 product group, if piloted. */
      pilot2024: z.string().optional(),
      /** Low-carbon product certification catalogue batch (2013 / 2016), if listed. */
      lowCarbonCatalogue: z.object({ batch: z.union([z.literal(1), z.literal(2)]), year: z.number().int(), entry: z.string() }).optional(),
      hs: z.array(z.string().regex(/^\d{4}(\.\d{2}){0,2}$/)).default([]),
      note: z.string().optional(),
    }),
    declaredUnit: z.object({
      kind: z.enum(["declared", "functional"]),
      quantity: z.number().positive(),
      unit: z.string().refine(isKnownUnit, "unknown unit"),
      description: Bilingual,
      referenceFlow: Bilingual,
    }),
    boundary: z.enum(BOUNDARIES),
    stages: z.object({
      required: z.array(z.enum(STAGES)).min(1),
      allowed: z.array(z.enum(STAGES)).min(1),
    }),
    cutOff: z.object({
      /** A single excluded flow may be at most this share of the footprint (0.01 = 1 %). */
      perFlowMaxShare: z.number().min(0).max(1),
      /** All excluded flows together at most this share. */
      cumulativeMaxShare: z.number().min(0).max(1),
      basis: z.array(z.enum(["mass", "energy", "ghg"])).min(1),
      ...Provenance,
    }),
    allocation: z.object({
      hierarchy: z.tuple([z.literal("avoid"), z.literal("physical"), z.literal("economic")]),
      physicalBasis: z.enum(["mass", "energy_content", "exergy", "molar", "area", "volume", "count", "rated_capacity"]),
      note: z.string().min(1),
    }),
    dataQuality: z.object({
      /** Worst acceptable rating; DQR ≤ maxDqr. */
      minimumRating: z.enum(DQR_RATINGS),
      maxDqr: z.number().min(1).max(5),
      /** Secondary (background) factors may be at most this many years older than the reference year. */
      maxSecondaryFactorAgeYears: z.number().int().positive(),
      ...Provenance,
    }),
    gwpSet: z.enum(GWP_SET_IDS),
    /**
     * What a study does with a factor known only as CO2e aggregated under another GWP set (no
     * per-gas values to characterise again): "refuse" the line, or "disclose" — use the value as
     * given and report the line with its share of the total as a deviation (§10). Absent means
     * "refuse" (`otherGwpSetRule`). It is optional, not defaulted, so PCRs published before it keep
     * their content hashes; a PCR that accepts disclosure is a new version.
     */
    otherGwpSetFactors: z.enum(OTHER_GWP_SET_RULES).optional(),
    electricity: z.object({
      gridFactorBasis: z.literal("life_cycle"),
      /** The grid factor must be at least this specific to the plant's location. */
      regionLevel: z.enum(["national", "grid_region", "province"]),
      greenCertificatesAllowed: z.boolean(),
      kWhPerCertificate: z.literal(1000),
      maxFactorAgeYears: z.number().int().positive(),
      /** Market instruments only from the market where the electricity is consumed. */
      sameMarketRequired: z.boolean(),
      note: z.string().min(1),
    }),
    labels: z.object({
      lowCarbonBenchmark: z.object({ kgCO2ePerDeclaredUnit: z.number().positive(), ...Provenance }).nullable(),
      gradeBands: z.object({ bands: z.array(GradeBandSchema).min(1), ...Provenance }).nullable(),
      reducedCarbon: z.object({
        /** Minimum reduction against the previous verified footprint (0.11 = 11.00 %). */
        minimumReduction: z.number().min(0).max(1),
        ...Provenance,
      }),
      /** Certificate validity in years for this category, where it differs from the label default. */
      validityYears: z.partialRecord(z.enum(LABEL_TYPES), z.number().int().positive()).default({}),
    }),
    sources: z.array(PcrSourceSchema).min(1),
    note: z.string().optional(),
  })
  .superRefine((pcr, ctx) => {
    for (const stage of pcr.stages.required) {
      if (!pcr.stages.allowed.includes(stage)) {
        ctx.addIssue({ code: "custom", path: ["stages", "required"], message: `required stage ${stage} must also be allowed` });
      }
    }
    const graveOnly: readonly string[] = ["use", "end_of_life", "distribution"];
    if (pcr.boundary === "cradle_to_gate" && pcr.stages.allowed.some((s) => graveOnly.includes(s))) {
      ctx.addIssue({
        code: "custom",
        path: ["stages", "allowed"],
        message: "a cradle-to-gate PCR cannot allow distribution, use or end-of-life stages",
      });
    }
    if (pcr.cutOff.perFlowMaxShare > pcr.cutOff.cumulativeMaxShare) {
      ctx.addIssue({ code: "custom", path: ["cutOff"], message: "the per-flow cut-off cannot exceed the cumulative cap" });
    }
    const bands = pcr.labels.gradeBands?.bands ?? [];
    for (let i = 1; i < bands.length; i++) {
      const prev = bands[i - 1];
      const cur = bands[i];
      if (prev && cur && cur.maxKgCO2e <= prev.maxKgCO2e) {
        ctx.addIssue({
          code: "custom",
          path: ["labels", "gradeBands", "bands", i],
          message: "grade bands must be ordered by increasing upper bound",
        });
      }
    }
  });

export type Pcr = z.infer<typeof PcrSchema>;
export type PcrInput = z.input<typeof PcrSchema>;

/** The PCR's rule for factors aggregated under another GWP set: "refuse" unless it says otherwise. */
export function otherGwpSetRule(pcr: Pick<Pcr, "otherGwpSetFactors">): OtherGwpSetRule {
  return pcr.otherGwpSetFactors ?? "refuse";
}

export function pcrKey(p: { readonly code: string; readonly version: string }): string {
  return `${p.code}@${p.version}`;
}
