import type { Gas, GwpSetId } from "../gwp.ts";
import type { LocatedErrorJson } from "../errors.ts";
import type { Bilingual } from "../i18n.ts";
import type { DqrRating } from "../pcr/schema.ts";
import type { RegionLevel } from "../regions.ts";
import type { Stage } from "../stages.ts";
import type { LineKind } from "./schema.ts";

/** Version of the calculation rules; bump when any result for the same input could change. */
export const CALCULATOR_VERSION = "1.0.0";

/** All amounts of CO2e in results are kg CO2e for the declared unit (unless a field says per unit). */
export const RESULT_UNIT = "kgCO2e";

/** Provenance of the factor a line used: what conformance checks age and region against. */
export interface FactorUse {
  readonly code: string;
  readonly region: string;
  readonly regionLevel: RegionLevel;
  readonly year: number;
  readonly boundary: string;
  readonly demonstration: boolean;
  /** True for factors defined in the inventory itself (supplier factor or certificate). */
  readonly inline: boolean;
  /**
   * Only for a factor known as CO2e aggregated under another GWP set than the study's, used as
   * given because the PCR accepts it as a disclosed deviation: the set it was aggregated with.
   */
  readonly otherGwpSet?: GwpSetId;
}

export interface LineResult {
  readonly productId: string;
  readonly lineId: string;
  readonly stage: Stage;
  readonly kind: LineKind;
  readonly dataType: "primary" | "secondary";
  /** Activity for the declared unit, in the factor's activity unit. */
  readonly activity: number;
  readonly activityUnit: string;
  /** Contribution to the total. Zero for sub-product links (their burden sits on the supplying product's lines). */
  readonly kgCO2e: number;
  readonly share: number;
  readonly dqr: number;
  readonly factor: FactorUse | null;
  /** Sub-product links only: the cumulative footprint of what this line draws (informative; overlaps the lines it comes from). */
  readonly embodiedKgCO2e?: number;
  /** Green certificate lines only. */
  readonly greenCertificates?: { readonly ids: number; readonly uniqueIds: number; readonly periodKWh: number; readonly coveredShare: number };
  /** Electricity lines only: where the grid factor was looked up and what was used. */
  readonly gridResolution?: {
    readonly requestedRegion: string;
    readonly usedRegion: string;
    readonly requestedYear: number;
    readonly usedYear: number;
  };
}

export interface ProductResult {
  readonly productId: string;
  readonly name?: string;
  /** Runs of this product's inventory needed per declared unit (the supply vector). */
  readonly scaling: number;
  readonly producedAmount: number;
  readonly unit: string;
  /** Emissions of this product's own lines, per declared unit. */
  readonly directKgCO2e: number;
  /** Cumulative (cradle-to-this-product) footprint of one unit of the product. */
  readonly cumulativeKgCO2ePerUnit: number;
  readonly inLoop: boolean;
}

/**
 * A line the calculation left out because it cannot be calculated (the editor's "exclude" policy):
 * where it is and every error it has, located at its field. Its emissions are in no figure of the
 * result, which is therefore incomplete.
 */
export interface UnusableLine {
  readonly productId: string;
  readonly lineId: string;
  readonly errors: readonly LocatedErrorJson[];
}

export interface ExcludedResult {
  readonly productId: string;
  readonly lineId: string;
  readonly stage: Stage;
  /** Estimated emissions had it been included; null when only a share was estimated. */
  readonly estimatedKgCO2e: number | null;
  /** Estimated share of the footprint including excluded flows. */
  readonly estimatedShare: number | null;
}

export interface CalculationWarning {
  readonly code: string;
  readonly message: Bilingual;
  readonly lineIds?: readonly string[];
  readonly count?: number;
}

export interface FootprintResult {
  readonly stamp: {
    readonly calculator: { readonly name: "carbonlabel-rules"; readonly version: string };
    readonly pcr: { readonly code: string; readonly version: string; readonly contentSha256: string };
    readonly factorDataset: { readonly id: string; readonly version: string; readonly demonstration: boolean };
    /**
     * SHA-256 of the factor dataset's canonical JSON: the exact factors the result was calculated
     * with. Beside `factorDataset`, not in it, because the signed certificate payload (schema v1)
     * copies `factorDataset` member for member.
     */
    readonly factorDatasetContentSha256: string;
    readonly gwpSet: GwpSetId;
    readonly inputSha256: string;
  };
  readonly declaredUnit: { readonly quantity: number; readonly unit: string };
  readonly unit: typeof RESULT_UNIT;
  readonly total: number;
  readonly byStage: ReadonlyArray<{ readonly stage: Stage; readonly kgCO2e: number; readonly share: number }>;
  readonly byGas: ReadonlyArray<{ readonly gas: Gas | "co2e_aggregated"; readonly massKg: number | null; readonly kgCO2e: number }>;
  readonly fossilKgCO2e: number;
  readonly biogenicKgCO2e: number;
  readonly byLine: readonly LineResult[];
  readonly byProduct: readonly ProductResult[];
  readonly excluded: readonly ExcludedResult[];
  readonly primaryDataShare: number;
  readonly dataQuality: {
    readonly dqr: number;
    readonly rating: DqrRating;
    readonly linesWithoutScores: number;
    readonly caveat: Bilingual;
  };
  readonly system: { readonly products: number; readonly links: number; readonly loops: boolean };
  readonly warnings: readonly CalculationWarning[];
  /**
   * Present only when lines were left out because they cannot be calculated (never under the
   * default policy, which refuses them): the result covers the other lines only.
   */
  readonly incomplete?: { readonly lines: readonly UnusableLine[] };
}
