import { decimals, exact, percent, shownAgainst, sideOf, sum, thresholdText, type Exact } from "../../decimal.ts";
import { bi } from "../../i18n.ts";
import { STAGE_NAMES, STAGES, type Stage } from "../../stages.ts";
import type { CheckOutcome, ConformanceCheck } from "../types.ts";

/** §5.1: every stage the PCR requires has included lines; one finding per required stage. */
export const requiredStages: ConformanceCheck = {
  id: "stage.required",
  clause: "requiredStages",
  severity: "major",
  remedyKey: "addStageData",
  run: ({ pcr, included }) => {
    const present = new Set<Stage>(included.map((l) => l.stage));
    return pcr.stages.required.map((stage) => {
      const name = STAGE_NAMES[stage];
      const passed = present.has(stage);
      return {
        subject: stage,
        passed,
        message: passed
          ? bi(`必需阶段「${name.zh}」已纳入`, `Required stage "${name.en}" is covered`)
          : bi(`缺少必需阶段「${name.zh}」`, `Required stage "${name.en}" is missing`),
      };
    });
  },
};

/** §5.2: no line, excluded or not, lies in a stage outside the boundary; one finding per such stage. */
export const stageBoundary: ConformanceCheck = {
  id: "stage.boundary",
  clause: "allowedStages",
  severity: "major",
  remedyKey: "moveLinesInsideBoundary",
  run: ({ pcr, result }) => {
    const allowed = new Set<Stage>(pcr.stages.allowed);
    const boundary = pcr.boundary === "cradle_to_gate" ? bi("从摇篮到大门", "cradle to gate") : bi("从摇篮到坟墓", "cradle to grave");
    const outcomes: CheckOutcome[] = [];
    for (const stage of STAGES) {
      if (allowed.has(stage)) continue;
      const lineIds = result.byLine.filter((l) => l.stage === stage).map((l) => l.lineId);
      if (lineIds.length === 0) continue;
      const name = STAGE_NAMES[stage];
      const message = bi(
        `${lineIds.length} 条清单行位于「${name.zh}」阶段，超出系统边界（${boundary.zh}）`,
        `${lineIds.length} line(s) in stage "${name.en}" lie outside the ${boundary.en} boundary`,
      );
      outcomes.push({ subject: stage, passed: false, message, lineIds });
    }
    if (outcomes.length > 0) return outcomes;
    return [{ passed: true, message: bi(`全部清单行位于系统边界（${boundary.zh}）内`, `All lines lie inside the ${boundary.en} boundary`) }];
  },
};

/** §6.1: each excluded flow is estimated, and under the per-flow cut-off. */
export const cutOffPerFlow: ConformanceCheck = {
  id: "cutoff.flow",
  clause: "cutOffPerFlow",
  severity: "major",
  remedyKey: "includeFlow",
  run: ({ pcr, result }) =>
    result.excluded.map((e): CheckOutcome => {
      const subject = `${e.productId}/${e.lineId}`;
      const share = e.estimatedShare;
      if (share === null) {
        const message = bi(
          `排除的流「${e.lineId}」既无可计算的因子也无估算占比`,
          `Excluded flow "${e.lineId}" has neither a computable factor nor an estimated share`,
        );
        return { subject, passed: false, message, remedyKey: "estimateExcludedFlow", lineIds: [e.lineId] };
      }
      const { passed, shown, limit } = shareAgainst(
        exact(share, "excluded.estimatedShare"),
        exact(pcr.cutOff.perFlowMaxShare, "cutOff.perFlowMaxShare"),
      );
      const message = bi(
        `排除的流「${e.lineId}」估算占 ${shown} %，单项限值 ${limit} %`,
        `Excluded flow "${e.lineId}" is an estimated ${shown} %; the per-flow limit is ${limit} %`,
      );
      return { subject, passed, message, lineIds: [e.lineId], values: { share: shown, limit } };
    }),
};

/** §6.2: the estimated shares of all excluded flows stay under the cumulative cap. */
export const cutOffCumulative: ConformanceCheck = {
  id: "cutoff.cumulative",
  clause: "cutOffCumulative",
  severity: "major",
  remedyKey: "includeLargestExcludedFlows",
  run: ({ pcr, result }) => {
    // Summed in decimals: 1 + 1 + 0.8 + 0.8 + 0.8 + 0.3 + 0.3 % is exactly a 5 % cap, where floats make it 5.000000000000001 %.
    const cumulative = sum(result.excluded.flatMap((e) => (e.estimatedShare === null ? [] : [exact(e.estimatedShare, "excluded.estimatedShare")])));
    const { passed, shown, limit } = shareAgainst(cumulative, exact(pcr.cutOff.cumulativeMaxShare, "cutOff.cumulativeMaxShare"));
    const message = bi(
      `${result.excluded.length} 个排除流合计占 ${shown} %，累计限值 ${limit} %`,
      `${result.excluded.length} excluded flow(s) total ${shown} %; the cumulative cap is ${limit} %`,
    );
    return [{ passed, message, values: { share: shown, limit } }];
  },
};

/**
 * A share at or under its cut-off limit, decided exactly on the shares as reported (docs/decisions/0012),
 * with both as percentages: the share at three decimals unless that hides the comparison, the limit as written.
 */
function shareAgainst(share: Exact, limit: Exact): { passed: boolean; shown: string; limit: string } {
  const side = sideOf(share, limit);
  return { passed: side <= 0, shown: shownAgainst(percent(share), percent(limit), side, decimals(3)), limit: thresholdText(percent(limit), 2) };
}
