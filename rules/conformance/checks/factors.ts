import { roundToSignificant } from "../../format.ts";
import { bi } from "../../i18n.ts";
import { regionCovers } from "../../regions.ts";
import { describeFactors } from "../context.ts";
import type { ConformanceCheck } from "../types.ts";

/** §8.1: the contribution-weighted data-quality rating is within the PCR's maximum. */
export const dataQualityRating: ConformanceCheck = {
  id: "data_quality.rating",
  clause: "dataQualityRating",
  severity: "major",
  remedyKey: "improveDataQuality",
  run: ({ pcr, result }) => {
    const dq = result.dataQuality;
    const { maxDqr, minimumRating } = pcr.dataQuality;
    const dqr = roundToSignificant(dq.dqr, 3);
    const message = bi(
      `数据质量 DQR = ${dqr}（${dq.rating}），要求 ≤ ${maxDqr}（${minimumRating}）`,
      `Data quality DQR = ${dqr} (${dq.rating}); required ≤ ${maxDqr} (${minimumRating})`,
    );
    return [{ passed: dq.dqr <= maxDqr, message, values: { dqr, max: maxDqr } }];
  },
};

/** §8.2: background factors (not electricity, not the inventory's own) are recent enough for the reference year. */
export const secondaryFactorAge: ConformanceCheck = {
  id: "factor.age",
  clause: "secondaryFactorAge",
  severity: "minor",
  remedyKey: "useNewerFactors",
  run: ({ pcr, included, referenceYear }) => {
    const maxAge = pcr.dataQuality.maxSecondaryFactorAgeYears;
    const stale = included.filter((l) => l.factor && !l.factor.inline && l.kind !== "electricity" && referenceYear - l.factor.year > maxAge);
    const message =
      stale.length === 0
        ? bi(`全部背景因子不早于 ${referenceYear - maxAge} 年`, `All background factors are from ${referenceYear - maxAge} or later`)
        : bi(
            `${stale.length} 条清单行的因子早于核算年 ${referenceYear} 超过 ${maxAge} 年（${describeFactors(stale)}）`,
            `${stale.length} line(s) use factors more than ${maxAge} years older than the reference year ${referenceYear} (${describeFactors(stale)})`,
          );
    return [{ passed: stale.length === 0, message, lineIds: stale.map((l) => l.lineId) }];
  },
};

/** §8.3: factors (other than electricity and the inventory's own) apply to the region of production. */
export const factorRegion: ConformanceCheck = {
  id: "factor.region",
  clause: "factorRegion",
  severity: "minor",
  remedyKey: "useRegionalFactors",
  run: ({ included, location }) => {
    const foreign = included.filter((l) => l.factor && !l.factor.inline && l.kind !== "electricity" && !regionCovers(l.factor.region, location));
    const message =
      foreign.length === 0
        ? bi("全部因子适用于生产地所在地区", "All factors apply to the production location's region")
        : bi(
            `${foreign.length} 条清单行使用其他地区的因子（${describeFactors(foreign)}）`,
            `${foreign.length} line(s) use factors from another region (${describeFactors(foreign)})`,
          );
    return [{ passed: foreign.length === 0, message, lineIds: foreign.map((l) => l.lineId) }];
  },
};

/** §8.4: demonstration data never supports a certificate. */
export const demonstrationData: ConformanceCheck = {
  id: "factor.demonstration",
  clause: "demonstrationData",
  severity: "major",
  remedyKey: "replaceDemonstrationData",
  run: ({ included }) => {
    const demo = included.filter((l) => l.factor?.demonstration);
    const message =
      demo.length === 0
        ? bi("未使用演示因子", "No demonstration factors are used")
        : bi(
            `${demo.length} 条清单行使用演示因子（${describeFactors(demo)}），结果不能用于认证`,
            `${demo.length} line(s) use demonstration factors (${describeFactors(demo)}); the result cannot be certified`,
          );
    return [{ passed: demo.length === 0, message, lineIds: demo.map((l) => l.lineId) }];
  },
};
