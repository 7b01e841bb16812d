import { MissingEmissionFactorError } from "../errors.ts";
import { regionChain } from "../regions.ts";
import { YEAR_CONVENTION_TEXT, type EmissionFactor } from "./schema.ts";

/**
 * Electricity factors chosen by rule rather than by code: the grid factor for where and when
 * electricity is consumed, and the renewable factor of a generation technology. Both read a
 * dataset's whole index (FactorLibrary.index), so a version that includes the published factors
 * chooses among them (docs/decisions/0015).
 *
 * Accounting-year convention, for both: year Y uses the latest published factor whose data year
 * is not after Y (`latest_not_after`, YEAR_CONVENTION_TEXT). With the 2023 and 2024
 * carbon-footprint factors, 2023 takes 2023's and 2024 or later take 2024's; a year before the
 * first factor has none and is refused, never given a later year's factor.
 */

/** A dataset's factors by code, as FactorLibrary.index gives them. */
export type FactorIndex = ReadonlyMap<string, EmissionFactor>;

export const GRID_YEAR_CONVENTION = "latest_not_after" as const;
export { YEAR_CONVENTION_TEXT };

export interface GridChoice {
  readonly factor: EmissionFactor;
  readonly requestedRegion: string;
  readonly requestedYear: number;
  /** How the factor's year was chosen for the requested year. */
  readonly yearConvention: typeof GRID_YEAR_CONVENTION;
}

/** Grid-average factors of an index by boundary and region, newest first; built once per index. */
const gridIndexes = new WeakMap<FactorIndex, Map<string, Map<string, EmissionFactor[]>>>();

function gridIndex(factors: FactorIndex, boundary: string): Map<string, EmissionFactor[]> {
  let byBoundary = gridIndexes.get(factors);
  if (!byBoundary) {
    byBoundary = new Map();
    gridIndexes.set(factors, byBoundary);
  }
  let idx = byBoundary.get(boundary);
  if (!idx) {
    idx = new Map();
    for (const f of factors.values()) {
      if (f.category !== "electricity" || f.electricity !== "grid_average" || f.boundary !== boundary) continue;
      const list = idx.get(f.region) ?? [];
      list.push(f);
      idx.set(f.region, list);
    }
    for (const list of idx.values()) list.sort((a, b) => b.year - a.year);
    byBoundary.set(boundary, idx);
  }
  return idx;
}

/**
 * The grid factor for a location and year under the PCR's basis (`pcr.electricity.gridFactorBasis`):
 * the most specific region that has a grid-average factor of that boundary, and within it the
 * newest year not after the one asked for. Only factors of the basis are candidates: under a
 * life-cycle basis a province's or a regional grid's CO2-only factor (boundary scope2_co2_only) is
 * never taken, and a province with none of the basis falls back to the enclosing region that has
 * one (for the published data, the national carbon-footprint factor). The caller reports the
 * fallback; conformance judges it against the PCR's region level.
 */
export function chooseGridFactor(factors: FactorIndex, datasetKey: string, region: string, year: number, basis: string): GridChoice {
  const idx = gridIndex(factors, basis);
  for (const r of regionChain(region)) {
    const found = idx.get(r)?.find((f) => f.year <= year);
    if (found) return { factor: found, requestedRegion: region, requestedYear: year, yearConvention: GRID_YEAR_CONVENTION };
  }
  const named = basis === "life_cycle" ? { zh: "生命周期", en: "life-cycle" } : { zh: `「${basis}」`, en: basis };
  throw new MissingEmissionFactorError(`grid electricity (${basis}) for ${region}, year ≤ ${year}`, datasetKey, undefined, {
    zh: `地区「${region}」及其上级区域的${named.zh}电网平均因子（年份不晚于 ${year}）`,
    en: `${named.en} grid-average factor for ${region} or an enclosing region, year ≤ ${year},`,
  });
}

/** The renewable life-cycle factor of a technology, the newest not after `year` (same convention). */
export function chooseRenewableFactor(factors: FactorIndex, datasetKey: string, technology: string, year: number): EmissionFactor {
  let best: EmissionFactor | undefined;
  for (const f of factors.values()) {
    if (f.category !== "electricity" || f.electricity !== technology || f.boundary !== "life_cycle" || f.year > year) continue;
    if (!best || f.year > best.year) best = f;
  }
  if (!best) {
    throw new MissingEmissionFactorError(`renewable electricity (${technology}, life cycle), year ≤ ${year}`, datasetKey, undefined, {
      zh: `发电技术「${technology}」的生命周期因子（年份不晚于 ${year}）`,
      en: `life-cycle factor for ${technology} electricity, year ≤ ${year},`,
    });
  }
  return best;
}
