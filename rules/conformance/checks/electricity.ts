import { bi } from "../../i18n.ts";
import { isAtLeastAsFine, regionCovers } from "../../regions.ts";
import { describeFactors } from "../context.ts";
import type { ConformanceCheck } from "../types.ts";

/** §9.3: electricity factors (other than the inventory's own) are recent enough for the reference year. */
export const electricityAge: ConformanceCheck = {
  id: "electricity.age",
  clause: "electricityAge",
  severity: "major",
  remedyKey: "useLatestElectricityFactor",
  run: ({ pcr, included, referenceYear }) => {
    const maxAge = pcr.electricity.maxFactorAgeYears;
    const stale = included.filter((l) => l.factor && !l.factor.inline && l.kind === "electricity" && referenceYear - l.factor.year > maxAge);
    const message =
      stale.length === 0
        ? bi(`电力因子均不早于 ${referenceYear - maxAge} 年`, `Electricity factors are from ${referenceYear - maxAge} or later`)
        : bi(
            `${stale.length} 条电力清单行的因子早于核算年超过 ${maxAge} 年（${describeFactors(stale)}）`,
            `${stale.length} electricity line(s) use factors more than ${maxAge} years older than the reference year (${describeFactors(stale)})`,
          );
    return [{ passed: stale.length === 0, message, lineIds: stale.map((l) => l.lineId) }];
  },
};

/** §9.1: electricity is counted at life-cycle factors, never Scope-2 CO2-only ones. */
export const electricityBasis: ConformanceCheck = {
  id: "electricity.basis",
  clause: "electricityBasis",
  severity: "major",
  remedyKey: "useLifeCycleElectricityFactor",
  run: ({ pcr, electricity }) => {
    const wrong = electricity.filter((l) => l.factor && !l.factor.inline && l.factor.boundary !== pcr.electricity.gridFactorBasis);
    const message =
      wrong.length === 0
        ? bi("电力均采用生命周期（碳足迹）因子", "Electricity uses life-cycle (carbon-footprint) factors")
        : bi(
            `${wrong.length} 条电力清单行使用非生命周期因子（${describeFactors(wrong)}），如仅含 CO2 的范围二因子`,
            `${wrong.length} electricity line(s) use a factor that is not life-cycle (${describeFactors(wrong)}), e.g. a Scope-2 CO2-only factor`,
          );
    return [{ passed: wrong.length === 0, message, lineIds: wrong.map((l) => l.lineId) }];
  },
};

/** §9.2: grid factors come from a region containing where the electricity is consumed, at the PCR's level or finer. */
export const electricityRegion: ConformanceCheck = {
  id: "electricity.region",
  clause: "electricityRegion",
  severity: "major",
  remedyKey: "useConsumptionRegionGridFactor",
  run: ({ pcr, electricity, location, sourceOf }) => {
    const level = pcr.electricity.regionLevel;
    const problems = electricity.filter((l) => {
      const source = sourceOf(l);
      const f = l.factor;
      if (source?.kind !== "electricity" || source.supply.type !== "grid" || !f) return false;
      const consumedIn = l.gridResolution?.requestedRegion ?? location;
      return !regionCovers(f.region, consumedIn) || !isAtLeastAsFine(f.regionLevel, level);
    });
    const message =
      problems.length === 0
        ? bi(`电网因子的地区层级满足要求（${level}）`, `Grid factors match the location at the required level (${level})`)
        : bi(
            `${problems.length} 条电力清单行的电网因子不属于用电地或层级不足（要求 ${level}；${describeFactors(problems)}）`,
            `${problems.length} electricity line(s) use a grid factor from another region or too coarse a level (required: ${level}; ${describeFactors(problems)})`,
          );
    return [{ passed: problems.length === 0, message, lineIds: problems.map((l) => l.lineId) }];
  },
};
