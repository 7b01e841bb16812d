import type { FootprintResult, LineResult } from "../calculator/result.ts";
import type { Inventory, InventoryLine } from "../calculator/schema.ts";
import { formatPercent, roundToSignificant } from "../format.ts";
import { bi, type Bilingual } from "../i18n.ts";
import { PCR_SECTIONS, pcrKey, type Pcr, type PcrSection } from "../pcr/schema.ts";
import { isAtLeastAsFine, regionCovers } from "../regions.ts";
import { STAGE_NAMES, STAGES, type Stage } from "../stages.ts";
import { dimensionOf } from "../units.ts";

/**
 * Conformance of an inventory and its result with the PCR version it claims. Every check is
 * reported, passed or failed, so the review screen can show the whole list; each finding cites
 * the PCR clause and, when failed, what the applicant has to do.
 */

export type Severity = "major" | "minor";

export interface Finding {
  /** Stable id of the check (plus the subject, e.g. a stage or a line). */
  readonly id: string;
  readonly check: string;
  readonly clause: { readonly pcr: string; readonly section: string };
  readonly severity: Severity;
  readonly passed: boolean;
  readonly message: Bilingual;
  /** What to do; null when the check passed. */
  readonly action: Bilingual | null;
  readonly lineIds?: readonly string[];
  readonly values?: Readonly<Record<string, string | number>>;
}

export interface ConformanceReport {
  readonly pcr: string;
  readonly passed: boolean;
  readonly findings: readonly Finding[];
  readonly summary: { readonly checks: number; readonly failed: number; readonly major: number; readonly minor: number };
}

const MAX_LISTED = 50;

export function checkConformance(pcr: Pcr, inventory: Inventory, result: FootprintResult): ConformanceReport {
  const key = pcrKey(pcr);
  const findings: Finding[] = [];
  const add = (
    section: PcrSection,
    check: string,
    subject: string | null,
    severity: Severity,
    passed: boolean,
    message: Bilingual,
    action: Bilingual,
    extra: { lineIds?: readonly string[]; values?: Record<string, string | number> } = {},
  ) => {
    findings.push({
      id: subject ? `${check}:${subject}` : check,
      check,
      clause: { pcr: key, section: PCR_SECTIONS[section] },
      severity,
      passed,
      message,
      action: passed ? null : action,
      ...(extra.lineIds ? { lineIds: extra.lineIds.slice(0, MAX_LISTED) } : {}),
      ...(extra.values ? { values: extra.values } : {}),
    });
  };
  const referenceYear = Number(inventory.period.end.slice(0, 4));
  const linesByKey = new Map<string, InventoryLine>();
  for (const product of inventory.products) for (const line of product.lines) linesByKey.set(lineKey(product.id, line.id), line);
  const sourceOf = (l: LineResult) => linesByKey.get(lineKey(l.productId, l.lineId));
  const included = result.byLine.filter((l) => sourceOf(l)?.excluded !== true);

  // §1 the inventory is calculated under this exact PCR version
  const samePcr = inventory.pcr.code === pcr.code && inventory.pcr.version === pcr.version && result.stamp.pcr.code === pcr.code && result.stamp.pcr.version === pcr.version;
  add(
    "scope",
    "pcr.version",
    null,
    "major",
    samePcr,
    samePcr
      ? bi(`清单与结果均按 ${key} 编制`, `Inventory and result use ${key}`)
      : bi(`清单使用 ${inventory.pcr.code}@${inventory.pcr.version}，结果使用 ${result.stamp.pcr.code}@${result.stamp.pcr.version}，与 ${key} 不一致`, `The inventory cites ${inventory.pcr.code}@${inventory.pcr.version} and the result ${result.stamp.pcr.code}@${result.stamp.pcr.version}, not ${key}`),
    bi(`按 ${key} 重新编制清单并重新计算`, `Prepare the inventory under ${key} and recalculate`),
  );

  // §4 declared unit
  const sameDimension = dimensionOf(inventory.declaredUnit.unit) === dimensionOf(pcr.declaredUnit.unit);
  const sameUnit = sameDimension && inventory.declaredUnit.quantity === pcr.declaredUnit.quantity && inventory.declaredUnit.unit === pcr.declaredUnit.unit;
  add(
    "declaredUnit",
    "declared_unit",
    null,
    "major",
    sameUnit,
    sameUnit
      ? bi(`申报单位为 ${pcr.declaredUnit.quantity} ${pcr.declaredUnit.unit}，符合规则`, `Declared unit is ${pcr.declaredUnit.quantity} ${pcr.declaredUnit.unit} as the PCR requires`)
      : bi(
          `申报单位为 ${inventory.declaredUnit.quantity} ${inventory.declaredUnit.unit}，规则要求 ${pcr.declaredUnit.quantity} ${pcr.declaredUnit.unit}`,
          `Declared unit is ${inventory.declaredUnit.quantity} ${inventory.declaredUnit.unit}; the PCR requires ${pcr.declaredUnit.quantity} ${pcr.declaredUnit.unit}`,
        ),
    bi(`将结果换算为 ${pcr.declaredUnit.description.zh}`, `Express the result per ${pcr.declaredUnit.description.en}`),
  );

  // §10 GWP set
  const sameGwp = result.stamp.gwpSet === pcr.gwpSet;
  add(
    "gwp",
    "gwp_set",
    null,
    "major",
    sameGwp,
    sameGwp ? bi(`采用 ${pcr.gwpSet} GWP100`, `Characterised with ${pcr.gwpSet} GWP100`) : bi(`结果采用 ${result.stamp.gwpSet}，规则要求 ${pcr.gwpSet}`, `Result uses ${result.stamp.gwpSet}; the PCR requires ${pcr.gwpSet}`),
    bi(`以 ${pcr.gwpSet} 重新计算`, `Recalculate with ${pcr.gwpSet}`),
  );

  // §5.1 every required stage is present
  const stagesPresent = new Set<Stage>(included.map((l) => l.stage));
  for (const stage of pcr.stages.required) {
    const present = stagesPresent.has(stage);
    const name = STAGE_NAMES[stage];
    add(
      "requiredStages",
      "stage.required",
      stage,
      "major",
      present,
      present ? bi(`必需阶段「${name.zh}」已纳入`, `Required stage "${name.en}" is covered`) : bi(`缺少必需阶段「${name.zh}」`, `Required stage "${name.en}" is missing`),
      bi(`补充「${name.zh}」阶段的清单数据`, `Add inventory data for the "${name.en}" stage`),
    );
  }

  // §5.2 no line outside the boundary
  const allowed = new Set<Stage>(pcr.stages.allowed);
  const boundaryLabel = pcr.boundary === "cradle_to_gate" ? bi("从摇篮到大门", "cradle to gate") : bi("从摇篮到坟墓", "cradle to grave");
  for (const stage of STAGES) {
    if (allowed.has(stage)) continue;
    const lines = result.byLine.filter((l) => l.stage === stage).map((l) => l.lineId);
    if (lines.length === 0) continue;
    add(
      "allowedStages",
      "stage.boundary",
      stage,
      "major",
      false,
      bi(`${lines.length} 条清单行位于「${STAGE_NAMES[stage].zh}」阶段，超出系统边界（${boundaryLabel.zh}）`, `${lines.length} line(s) in stage "${STAGE_NAMES[stage].en}" lie outside the ${boundaryLabel.en} boundary`),
      bi("删除这些清单行或将其归入边界内的阶段", "Remove these lines or assign them to a stage inside the boundary"),
      { lineIds: lines },
    );
  }
  if (!findings.some((f) => f.check === "stage.boundary")) {
    add("allowedStages", "stage.boundary", null, "major", true, bi(`全部清单行位于系统边界（${boundaryLabel.zh}）内`, `All lines lie inside the ${boundaryLabel.en} boundary`), bi("", ""));
  }

  // §6 cut-off: each excluded flow, then the cumulative share
  let cumulative = 0;
  for (const e of result.excluded) {
    const share = e.estimatedShare;
    if (share === null) {
      add(
        "cutOffPerFlow",
        "cutoff.flow",
        `${e.productId}/${e.lineId}`,
        "major",
        false,
        bi(`排除的流「${e.lineId}」既无可计算的因子也无估算占比`, `Excluded flow "${e.lineId}" has neither a computable factor nor an estimated share`),
        bi("给出该流的估算占比（estimatedShare）或可用的排放因子", "Give an estimated share (estimatedShare) or a usable factor for the flow"),
        { lineIds: [e.lineId] },
      );
      continue;
    }
    cumulative += share;
    const ok = share <= pcr.cutOff.perFlowMaxShare;
    add(
      "cutOffPerFlow",
      "cutoff.flow",
      `${e.productId}/${e.lineId}`,
      "major",
      ok,
      bi(
        `排除的流「${e.lineId}」估算占 ${formatPercent(share, 3)} %，单项限值 ${formatPercent(pcr.cutOff.perFlowMaxShare)} %`,
        `Excluded flow "${e.lineId}" is an estimated ${formatPercent(share, 3)} %; the per-flow limit is ${formatPercent(pcr.cutOff.perFlowMaxShare)} %`,
      ),
      bi("将该流纳入计算", "Include this flow in the calculation"),
      { lineIds: [e.lineId], values: { share: formatPercent(share, 3), limit: formatPercent(pcr.cutOff.perFlowMaxShare) } },
    );
  }
  const cumulativeOk = cumulative <= pcr.cutOff.cumulativeMaxShare;
  add(
    "cutOffCumulative",
    "cutoff.cumulative",
    null,
    "major",
    cumulativeOk,
    bi(
      `${result.excluded.length} 个排除流合计占 ${formatPercent(cumulative, 3)} %，累计限值 ${formatPercent(pcr.cutOff.cumulativeMaxShare)} %`,
      `${result.excluded.length} excluded flow(s) total ${formatPercent(cumulative, 3)} %; the cumulative cap is ${formatPercent(pcr.cutOff.cumulativeMaxShare)} %`,
    ),
    bi("将占比最大的排除流纳入计算，直至合计低于限值", "Include the largest excluded flows until the total is under the cap"),
    { values: { share: formatPercent(cumulative, 3), limit: formatPercent(pcr.cutOff.cumulativeMaxShare) } },
  );

  // §8.1 data quality
  const dq = result.dataQuality;
  const dqOk = dq.dqr <= pcr.dataQuality.maxDqr;
  add(
    "dataQualityRating",
    "data_quality.rating",
    null,
    "major",
    dqOk,
    bi(
      `数据质量 DQR = ${roundToSignificant(dq.dqr, 3)}（${dq.rating}），要求 ≤ ${pcr.dataQuality.maxDqr}（${pcr.dataQuality.minimumRating}）`,
      `Data quality DQR = ${roundToSignificant(dq.dqr, 3)} (${dq.rating}); required ≤ ${pcr.dataQuality.maxDqr} (${pcr.dataQuality.minimumRating})`,
    ),
    bi("以实测的初级数据替换贡献最大的次级数据，并补全数据质量评分", "Replace the largest secondary contributions with measured primary data and complete the pedigree scores"),
    { values: { dqr: roundToSignificant(dq.dqr, 3), max: pcr.dataQuality.maxDqr } },
  );

  // §8.2 age of background factors; §9.3 age of electricity factors
  const staleFactors: LineResult[] = [];
  const staleElectricity: LineResult[] = [];
  for (const l of included) {
    const f = l.factor;
    if (!f || f.inline) continue;
    const age = referenceYear - f.year;
    if (l.kind === "electricity") {
      if (age > pcr.electricity.maxFactorAgeYears) staleElectricity.push(l);
    } else if (age > pcr.dataQuality.maxSecondaryFactorAgeYears) staleFactors.push(l);
  }
  add(
    "secondaryFactorAge",
    "factor.age",
    null,
    "minor",
    staleFactors.length === 0,
    staleFactors.length === 0
      ? bi(`全部背景因子不早于 ${referenceYear - pcr.dataQuality.maxSecondaryFactorAgeYears} 年`, `All background factors are from ${referenceYear - pcr.dataQuality.maxSecondaryFactorAgeYears} or later`)
      : bi(
          `${staleFactors.length} 条清单行的因子早于核算年 ${referenceYear} 超过 ${pcr.dataQuality.maxSecondaryFactorAgeYears} 年（${describeFactors(staleFactors)}）`,
          `${staleFactors.length} line(s) use factors more than ${pcr.dataQuality.maxSecondaryFactorAgeYears} years older than the reference year ${referenceYear} (${describeFactors(staleFactors)})`,
        ),
    bi("改用更新的因子或供应商的实测数据", "Use newer factors or supplier-specific data"),
    { lineIds: staleFactors.map((l) => l.lineId) },
  );
  add(
    "electricityAge",
    "electricity.age",
    null,
    "major",
    staleElectricity.length === 0,
    staleElectricity.length === 0
      ? bi(`电力因子均不早于 ${referenceYear - pcr.electricity.maxFactorAgeYears} 年`, `Electricity factors are from ${referenceYear - pcr.electricity.maxFactorAgeYears} or later`)
      : bi(
          `${staleElectricity.length} 条电力清单行的因子早于核算年超过 ${pcr.electricity.maxFactorAgeYears} 年（${describeFactors(staleElectricity)}）`,
          `${staleElectricity.length} electricity line(s) use factors more than ${pcr.electricity.maxFactorAgeYears} years older than the reference year (${describeFactors(staleElectricity)})`,
        ),
    bi("使用最新发布的电力碳足迹因子", "Use the latest published life-cycle electricity factor"),
    { lineIds: staleElectricity.map((l) => l.lineId) },
  );

  // §8.3 factors from another region than where the activity happens
  const location = inventory.location?.region ?? "CN";
  const foreign = included.filter((l) => l.factor && !l.factor.inline && l.kind !== "electricity" && !regionCovers(l.factor.region, location));
  add(
    "factorRegion",
    "factor.region",
    null,
    "minor",
    foreign.length === 0,
    foreign.length === 0
      ? bi("全部因子适用于生产地所在地区", "All factors apply to the production location's region")
      : bi(`${foreign.length} 条清单行使用其他地区的因子（${describeFactors(foreign)}）`, `${foreign.length} line(s) use factors from another region (${describeFactors(foreign)})`),
    bi("改用本地区因子，或在报告中说明代表性", "Use factors for the region, or justify their representativeness in the report"),
    { lineIds: foreign.map((l) => l.lineId) },
  );

  // §8.4 demonstration data never supports a certificate
  const demo = included.filter((l) => l.factor?.demonstration);
  add(
    "demonstrationData",
    "factor.demonstration",
    null,
    "major",
    demo.length === 0,
    demo.length === 0
      ? bi("未使用演示因子", "No demonstration factors are used")
      : bi(`${demo.length} 条清单行使用演示因子（${describeFactors(demo)}），结果不能用于认证`, `${demo.length} line(s) use demonstration factors (${describeFactors(demo)}); the result cannot be certified`),
    bi("以有来源的因子或实测数据替换演示值", "Replace demonstration values with sourced factors or measured data"),
    { lineIds: demo.map((l) => l.lineId) },
  );

  // §9.1 electricity basis: life-cycle, never Scope-2 CO2-only
  const electricity = included.filter((l) => l.kind === "electricity");
  const wrongBasis = electricity.filter((l) => l.factor && !l.factor.inline && l.factor.boundary !== pcr.electricity.gridFactorBasis);
  add(
    "electricityBasis",
    "electricity.basis",
    null,
    "major",
    wrongBasis.length === 0,
    wrongBasis.length === 0
      ? bi("电力均采用生命周期（碳足迹）因子", "Electricity uses life-cycle (carbon-footprint) factors")
      : bi(
          `${wrongBasis.length} 条电力清单行使用非生命周期因子（${describeFactors(wrongBasis)}），如仅含 CO2 的范围二因子`,
          `${wrongBasis.length} electricity line(s) use a factor that is not life-cycle (${describeFactors(wrongBasis)}), e.g. a Scope-2 CO2-only factor`,
        ),
    bi("改用电力碳足迹因子（生命周期）", "Use the life-cycle electricity carbon-footprint factor"),
    { lineIds: wrongBasis.map((l) => l.lineId) },
  );

  // §9.2 grid factor specific enough for the location, and from a region that contains it
  const gridLines = electricity.filter((l) => {
    const source = sourceOf(l);
    return source?.kind === "electricity" && source.supply.type === "grid" && l.factor !== null;
  });
  const regionProblems = gridLines.filter((l) => {
    const f = l.factor;
    if (!f) return false;
    const consumedIn = l.gridResolution?.requestedRegion ?? location;
    return !regionCovers(f.region, consumedIn) || !isAtLeastAsFine(f.regionLevel, pcr.electricity.regionLevel);
  });
  add(
    "electricityRegion",
    "electricity.region",
    null,
    "major",
    regionProblems.length === 0,
    regionProblems.length === 0
      ? bi(`电网因子的地区层级满足要求（${pcr.electricity.regionLevel}）`, `Grid factors match the location at the required level (${pcr.electricity.regionLevel})`)
      : bi(
          `${regionProblems.length} 条电力清单行的电网因子不属于用电地或层级不足（要求 ${pcr.electricity.regionLevel}；${describeFactors(regionProblems)}）`,
          `${regionProblems.length} electricity line(s) use a grid factor from another region or too coarse a level (required: ${pcr.electricity.regionLevel}; ${describeFactors(regionProblems)})`,
        ),
    bi("使用用电地所在地区的电网因子", "Use the grid factor of the region where the electricity is consumed"),
    { lineIds: regionProblems.map((l) => l.lineId) },
  );

  // §9.4 green certificates
  const green = included.filter((l) => l.greenCertificates);
  if (green.length > 0 && !pcr.electricity.greenCertificatesAllowed) {
    add(
      "greenCertificates",
      "green_certificates.allowed",
      null,
      "major",
      false,
      bi("本规则不允许以绿证主张可再生电力", "This PCR does not accept green certificates for renewable claims"),
      bi("按电网因子计算这些电量", "Count this electricity at the grid factor"),
      { lineIds: green.map((l) => l.lineId) },
    );
  }
  const allIds = new Map<string, string[]>();
  for (const product of inventory.products) {
    for (const line of product.lines) {
      if (line.kind !== "electricity" || line.supply.type !== "green_certificate" || line.excluded) continue;
      for (const id of line.supply.certificateIds) allIds.set(id, [...(allIds.get(id) ?? []), line.id]);
    }
  }
  for (const l of green) {
    const g = l.greenCertificates;
    if (!g) continue;
    const hasIds = g.ids > 0;
    add(
      "greenCertificates",
      "green_certificates.ids",
      l.lineId,
      "major",
      hasIds,
      hasIds ? bi(`清单行 ${l.lineId} 列出 ${g.ids} 张绿证编号`, `Line ${l.lineId} lists ${g.ids} green certificate id(s)`) : bi(`清单行 ${l.lineId} 主张绿电但未列出绿证编号`, `Line ${l.lineId} claims green electricity without certificate ids`),
      bi("列出已核销绿证的唯一编号", "List the unique ids of the cancelled green certificates"),
      { lineIds: [l.lineId] },
    );
    const capacity = g.uniqueIds * pcr.electricity.kWhPerCertificate;
    const covered = g.periodKWh <= capacity;
    add(
      "greenCertificates",
      "green_certificates.coverage",
      l.lineId,
      "major",
      covered,
      covered
        ? bi(`清单行 ${l.lineId}：${g.uniqueIds} 张绿证覆盖 ${capacity} kWh ≥ 主张的 ${g.periodKWh} kWh`, `Line ${l.lineId}: ${g.uniqueIds} certificate(s) cover ${capacity} kWh ≥ the ${g.periodKWh} kWh claimed`)
        : bi(
            `清单行 ${l.lineId}：主张 ${g.periodKWh} kWh，但 ${g.uniqueIds} 张绿证只覆盖 ${capacity} kWh（每张 1 000 kWh）`,
            `Line ${l.lineId}: ${g.periodKWh} kWh claimed but ${g.uniqueIds} certificate(s) cover only ${capacity} kWh (1 000 kWh each)`,
          ),
      bi("补充绿证或将超出部分按电网电力计", "Add certificates or count the excess as grid electricity"),
      { lineIds: [l.lineId], values: { claimedKWh: g.periodKWh, coveredKWh: capacity } },
    );
  }
  if (green.length > 0) {
    const reused = [...allIds.entries()].filter(([, lines]) => lines.length > 1);
    const duplicatesInLine = green.filter((l) => (l.greenCertificates?.uniqueIds ?? 0) < (l.greenCertificates?.ids ?? 0));
    const ok = reused.length === 0 && duplicatesInLine.length === 0;
    add(
      "greenCertificates",
      "green_certificates.unique",
      null,
      "major",
      ok,
      ok
        ? bi("每张绿证只使用一次", "Every green certificate is used once")
        : bi(`绿证重复使用：${[...reused.map(([id]) => id), ...duplicatesInLine.map((l) => l.lineId)].join("、")}`, `Green certificates counted twice: ${[...reused.map(([id]) => id), ...duplicatesInLine.map((l) => l.lineId)].join(", ")}`),
      bi("删除重复的绿证编号", "Remove the duplicated certificate ids"),
    );
  }

  const failed = findings.filter((f) => !f.passed);
  return {
    pcr: key,
    passed: failed.length === 0,
    findings,
    summary: {
      checks: findings.length,
      failed: failed.length,
      major: failed.filter((f) => f.severity === "major").length,
      minor: failed.filter((f) => f.severity === "minor").length,
    },
  };
}

function lineKey(productId: string, lineId: string): string {
  return `${productId}\u0000${lineId}`;
}

function describeFactors(lines: readonly LineResult[]): string {
  const codes = [...new Set(lines.map((l) => (l.factor ? `${l.factor.code} ${l.factor.region} ${l.factor.year}` : l.lineId)))];
  return codes.slice(0, 5).join("; ") + (codes.length > 5 ? "; …" : "");
}
