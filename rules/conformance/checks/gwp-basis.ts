import { formatPercent } from "../../format.ts";
import { bi } from "../../i18n.ts";
import { otherGwpSetRule } from "../../pcr/schema.ts";
import { describeFactors } from "../context.ts";
import type { ConformanceCheck } from "../types.ts";

/** Id of the check naming factors aggregated under another GWP set; its passing finding is a disclosure. */
export const OTHER_GWP_SET_CHECK = "gwp.other_set";

/**
 * §10: a factor known only as CO2e aggregated under another GWP set than the PCR's cannot be
 * characterised again. The PCR's rule (`otherGwpSetFactors`) decides: under "disclose" such a
 * line counts as given, and the report names the lines with their share of the footprint as a
 * disclosed deviation (it passes, for information); under "refuse" (the default) the calculator
 * refuses such a line, so a result holding one was not made under this PCR's rule and fails.
 * Without such lines the clause says nothing.
 */
export const otherGwpSetFactors: ConformanceCheck = {
  id: OTHER_GWP_SET_CHECK,
  clause: "gwp",
  severity: "major",
  remedyKey: "replaceOtherGwpSetFactors",
  run: ({ pcr, included, result }) => {
    const deviating = included.filter((l) => l.factor?.otherGwpSet !== undefined);
    if (deviating.length === 0) return [];
    const sets = [...new Set(deviating.map((l) => l.factor?.otherGwpSet))].join("、");
    const kg = deviating.reduce((sum, l) => sum + l.kgCO2e, 0);
    const share = formatPercent(result.total !== 0 ? kg / result.total : 0);
    const lineIds = deviating.map((l) => l.lineId);
    const values = { lines: deviating.length, sharePercent: share };
    const factors = describeFactors(deviating);
    if (otherGwpSetRule(pcr) === "disclose") {
      const message = bi(
        `${deviating.length} 条清单行的因子仅有 ${sets} 的 CO2e 汇总值（${factors}），未按 ${pcr.gwpSet} 重新表征，按规则作为偏差披露：占足迹 ${share} %`,
        `${deviating.length} line(s) use factors given only as CO2e under ${sets} (${factors}), not characterised with ${pcr.gwpSet}; disclosed as a deviation the PCR accepts: ${share} % of the footprint`,
      );
      return [{ passed: true, message, lineIds, values }];
    }
    const message = bi(
      `${deviating.length} 条清单行的因子仅有 ${sets} 的 CO2e 汇总值（${factors}），占足迹 ${share} %；本规则不接受其他全球变暖潜势集的因子`,
      `${deviating.length} line(s) use factors given only as CO2e under ${sets} (${factors}), ${share} % of the footprint; this PCR does not accept factors of another GWP set`,
    );
    return [{ passed: false, message, lineIds, values }];
  },
};
