import { decimals, exact, percent, shownAgainst, sideOf, significant, sum, thresholdText, ZERO, type Exact, type Side } from "../decimal.ts";
import { bi, type Bilingual } from "../i18n.ts";
import { pcrKey, type LabelType, type Pcr } from "../pcr/schema.ts";

/**
 * Label criteria (seed 004, DESIGN.md §2): pure decisions on the calculable criteria of each
 * label type, each criterion explained with its numbers in both languages. Process criteria a
 * certification body decides by inspection (on-site verification, management system) are not
 * here; those that are documents (reduction report, management plan) are taken as facts given.
 *
 * Every threshold is decided in exact decimals on the values as stored (docs/decisions/0012):
 * a verified 650 is at the benchmark 650 and an 11 % reduction meets an 11 % minimum. Each
 * sentence shows the compared numbers so that they compare the way the decision did.
 */

/** A footprint verified by a certification body. */
export interface VerifiedFootprint {
  readonly certificateNumber?: string;
  readonly productId: string;
  readonly pcr: { readonly code: string; readonly version: string };
  readonly declaredUnit: { readonly quantity: number; readonly unit: string };
  /** kg CO2e per declared unit, as verified. */
  readonly kgCO2ePerDeclaredUnit: number;
  /** Offsets subtracted to reach the stated value, kg CO2e per declared unit; they never count as reduction. */
  readonly offsetsDeductedKgCO2ePerDeclaredUnit?: number;
  readonly verifiedOn: string;
}

export interface Criterion {
  readonly id: string;
  readonly passed: boolean;
  readonly message: Bilingual;
  readonly values?: Readonly<Record<string, string | number>>;
}

export interface LabelDecision {
  readonly label: LabelType;
  readonly pcr: string;
  readonly eligible: boolean;
  readonly criteria: readonly Criterion[];
  readonly grade: GradeBandResult | null;
}

/** Label validity defaults in years: CF 2 (CNCA 2025), LC 3 (2013 rule), RC 2, CN 1 (one claim period). */
export const DEFAULT_VALIDITY_YEARS: Readonly<Record<LabelType, number>> = { CF: 2, LC: 3, RC: 2, CN: 1 };

export function validityYears(label: LabelType, pcr: Pcr): number {
  return pcr.labels.validityYears[label] ?? DEFAULT_VALIDITY_YEARS[label];
}

/** Validity end date (inclusive): issued 2026-03-01 with 2 years → valid until 2028-02-29. */
export function validUntil(label: LabelType, pcr: Pcr, issuedOn: string): string {
  const [y, m, d] = issuedOn.split("-").map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y + validityYears(label, pcr), m - 1, d));
  // Anniversaries of 29 February fall on 1 March in non-leap years; the day before is the end.
  if (end.getUTCMonth() !== m - 1) end.setUTCDate(1);
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

export interface GradeBandResult {
  readonly grade: string | null;
  readonly label: Bilingual;
  readonly demonstration: boolean;
}

/** The first band whose upper bound is at or above the value; null grade beyond the last band. */
export function gradeBand(pcr: Pcr, kgCO2ePerDeclaredUnit: number): GradeBandResult | null {
  const bands = pcr.labels.gradeBands;
  if (!bands) return null;
  const value = exact(kgCO2ePerDeclaredUnit, "kgCO2ePerDeclaredUnit");
  const band = bands.bands.find((b) => value.lte(exact(b.maxKgCO2e, "gradeBands.maxKgCO2e")));
  if (!band) return { grade: null, label: bi("超出分级范围", "beyond the graded range"), demonstration: bands.demonstration };
  return { grade: band.grade, label: band.label, demonstration: bands.demonstration };
}

/** Up to 6 significant digits, without padding zeros, for kg values inside explanations (shownAgainst may add digits). */
const KG = significant(6);
const kg = (v: number, field = "footprint.kgCO2ePerDeclaredUnit") => KG(exact(v, field), 0);

function verifiedCriterion(pcr: Pcr, footprint: VerifiedFootprint | null): Criterion {
  if (!footprint) {
    return { id: "verified_footprint", passed: false, message: bi("尚无经核查的产品碳足迹", "No verified product carbon footprint yet") };
  }
  const same = footprint.pcr.code === pcr.code && footprint.pcr.version === pcr.version;
  const unit = `${pcr.declaredUnit.quantity} ${pcr.declaredUnit.unit}`;
  const sameUnit = footprint.declaredUnit.quantity === pcr.declaredUnit.quantity && footprint.declaredUnit.unit === pcr.declaredUnit.unit;
  const ok = same && sameUnit;
  return {
    id: "verified_footprint",
    passed: ok,
    message: ok
      ? bi(
          `经核查的碳足迹为 ${kg(footprint.kgCO2ePerDeclaredUnit)} kgCO2e/${unit}（${pcrKey(pcr)}）`,
          `Verified footprint ${kg(footprint.kgCO2ePerDeclaredUnit)} kgCO2e per ${unit} (${pcrKey(pcr)})`,
        )
      : bi(
          `经核查的碳足迹依据 ${pcrKey(footprint.pcr)}、单位 ${footprint.declaredUnit.quantity} ${footprint.declaredUnit.unit}，与 ${pcrKey(pcr)}（${unit}）不一致`,
          `The verified footprint follows ${pcrKey(footprint.pcr)} per ${footprint.declaredUnit.quantity} ${footprint.declaredUnit.unit}, not ${pcrKey(pcr)} per ${unit}`,
        ),
    values: { kgCO2ePerDeclaredUnit: footprint.kgCO2ePerDeclaredUnit },
  };
}

function conformanceCriterion(conformancePassed: boolean): Criterion {
  return {
    id: "conformance",
    passed: conformancePassed,
    message: conformancePassed
      ? bi("产品种类规则符合性检查全部通过", "All PCR conformance checks pass")
      : bi("产品种类规则符合性检查未全部通过", "Some PCR conformance checks fail"),
  };
}

function decision(label: LabelType, pcr: Pcr, criteria: Criterion[], grade: GradeBandResult | null): LabelDecision {
  return { label, pcr: pcrKey(pcr), eligible: criteria.every((c) => c.passed), criteria, grade };
}

/** CF — carbon-footprint label: a verified footprint under the PCR whose conformance checks pass. */
export function evaluateCarbonFootprintLabel(
  pcr: Pcr,
  input: { readonly footprint: VerifiedFootprint | null; readonly conformancePassed: boolean },
): LabelDecision {
  const criteria = [verifiedCriterion(pcr, input.footprint), conformanceCriterion(input.conformancePassed)];
  return decision("CF", pcr, criteria, input.footprint ? gradeBand(pcr, input.footprint.kgCO2ePerDeclaredUnit) : null);
}

/** LC — low-carbon product: as CF, and the verified value at or under the PCR's benchmark. */
export function evaluateLowCarbonLabel(
  pcr: Pcr,
  input: { readonly footprint: VerifiedFootprint | null; readonly conformancePassed: boolean },
): LabelDecision {
  const criteria = [verifiedCriterion(pcr, input.footprint), conformanceCriterion(input.conformancePassed)];
  const benchmark = pcr.labels.lowCarbonBenchmark;
  const unit = `${pcr.declaredUnit.quantity} ${pcr.declaredUnit.unit}`;
  if (!benchmark) {
    criteria.push({
      id: "benchmark_exists",
      passed: false,
      message: bi(
        `${pcrKey(pcr)} 没有低碳评价基准值：该类产品不在低碳产品认证目录中`,
        `${pcrKey(pcr)} has no low-carbon benchmark: the category is not in the low-carbon catalogue`,
      ),
    });
  } else if (input.footprint) {
    const value = exact(input.footprint.kgCO2ePerDeclaredUnit, "footprint.kgCO2ePerDeclaredUnit");
    const limit = exact(benchmark.kgCO2ePerDeclaredUnit, "lowCarbonBenchmark.kgCO2ePerDeclaredUnit");
    const side = sideOf(value, limit);
    const ok = side <= 0;
    const shown = shownAgainst(value, limit, side, KG);
    const demo = benchmark.demonstration ? bi("（演示基准值）", " (demonstration benchmark)") : bi("", "");
    criteria.push({
      id: "benchmark",
      passed: ok,
      message: bi(
        `${shown} ${ok ? "≤" : ">"} 基准值 ${thresholdText(limit)} kgCO2e/${unit}${demo.zh}`,
        `${shown} ${ok ? "≤" : ">"} benchmark ${thresholdText(limit)} kgCO2e per ${unit}${demo.en}`,
      ),
      values: { value: input.footprint.kgCO2ePerDeclaredUnit, benchmark: benchmark.kgCO2ePerDeclaredUnit },
    });
  }
  return decision("LC", pcr, criteria, input.footprint ? gradeBand(pcr, input.footprint.kgCO2ePerDeclaredUnit) : null);
}

/**
 * RC — reduced-carbon product: at least two earlier footprint certificates for the same product,
 * PCR code and declared unit; reduction of the current verified value against the previous one
 * at least the PCR minimum; a reduction-measures report. Offsets are added back: only gross
 * values are compared.
 */
export function evaluateReducedCarbonLabel(
  pcr: Pcr,
  input: {
    readonly current: VerifiedFootprint;
    readonly earlier: readonly VerifiedFootprint[];
    readonly reductionReportPresent: boolean;
    readonly conformancePassed: boolean;
  },
): LabelDecision {
  const criteria: Criterion[] = [verifiedCriterion(pcr, input.current), conformanceCriterion(input.conformancePassed)];
  const comparable = input.earlier.filter(
    (e) =>
      e.productId === input.current.productId &&
      e.pcr.code === input.current.pcr.code &&
      e.declaredUnit.quantity === input.current.declaredUnit.quantity &&
      e.declaredUnit.unit === input.current.declaredUnit.unit &&
      e.certificateNumber !== undefined &&
      e.verifiedOn < input.current.verifiedOn,
  );
  criteria.push({
    id: "earlier_certificates",
    passed: comparable.length >= 2,
    message: bi(
      `同一产品、同一规则（${input.current.pcr.code}）与申报单位下已有 ${comparable.length} 张较早的碳足迹证书，要求至少 2 张`,
      `${comparable.length} earlier footprint certificate(s) exist for the same product, PCR code ${input.current.pcr.code} and declared unit; at least 2 are required`,
    ),
    values: { earlierCertificates: comparable.length },
  });
  const previous = [...comparable].sort((a, b) => (a.verifiedOn < b.verifiedOn ? 1 : -1))[0];
  if (previous) {
    const { before, now, offsets } = grossValues(previous, input.current);
    const minimum = exact(pcr.labels.reducedCarbon.minimumReduction, "reducedCarbon.minimumReduction");
    const reduction = reductionAgainst(before, now, minimum);
    const ok = reduction.side >= 0;
    const shownReduction = shownAgainst(percent(reduction.share), percent(minimum), reduction.side, decimals(2));
    const shownMinimum = thresholdText(percent(minimum), 2);
    const offsetNote = offsets.gt(0) ? bi("（已加回抵消量，抵消不计为减排）", " (offsets added back: they never count as reduction)") : bi("", "");
    criteria.push({
      id: "reduction",
      passed: ok,
      message: bi(
        `较上一证书 ${previous.certificateNumber ?? ""}（${KG(before, 0)}）降至 ${KG(now, 0)} kgCO2e，减少 ${shownReduction} %，要求 ≥ ${shownMinimum} %${offsetNote.zh}`,
        `From ${KG(before, 0)} (certificate ${previous.certificateNumber ?? ""}) to ${KG(now, 0)} kgCO2e: ${shownReduction} % reduction; at least ${shownMinimum} % required${offsetNote.en}`,
      ),
      values: {
        previous: before.toNumber(),
        current: now.toNumber(),
        reductionPercent: shownReduction,
        minimumPercent: shownMinimum,
      },
    });
  }
  criteria.push({
    id: "reduction_report",
    passed: input.reductionReportPresent,
    message: input.reductionReportPresent
      ? bi("已提交减碳措施实施报告", "A reduction-measures report is on file")
      : bi("缺少减碳措施实施报告", "The reduction-measures report is missing"),
  });
  return decision("RC", pcr, criteria, gradeBand(pcr, input.current.kgCO2ePerDeclaredUnit));
}

/** Gross values of the two footprints compared (offsets added back), and the offsets added. */
function grossValues(previous: VerifiedFootprint, current: VerifiedFootprint): { before: Exact; now: Exact; offsets: Exact } {
  const offsetsOf = (f: VerifiedFootprint, which: string) =>
    exact(f.offsetsDeductedKgCO2ePerDeclaredUnit ?? 0, `${which}.offsetsDeductedKgCO2ePerDeclaredUnit`);
  const previousOffsets = offsetsOf(previous, "previous");
  const currentOffsets = offsetsOf(current, "current");
  return {
    before: exact(previous.kgCO2ePerDeclaredUnit, "previous.kgCO2ePerDeclaredUnit").plus(previousOffsets),
    now: exact(current.kgCO2ePerDeclaredUnit, "current.kgCO2ePerDeclaredUnit").plus(currentOffsets),
    offsets: previousOffsets.plus(currentOffsets),
  };
}

/**
 * The reduction from `before` to `now` as a share of `before`, and its side of `minimum`. The side
 * is decided without dividing, (before − now) / before ≥ minimum ⇔ before − now ≥ minimum × before
 * for before > 0, so a quotient like 1/3 is never rounded into a decision; the share is for showing.
 * Without a positive `before` there is nothing to reduce from: the reduction is 0.
 */
function reductionAgainst(before: Exact, now: Exact, minimum: Exact): { share: Exact; side: Side } {
  if (!before.gt(0)) return { share: ZERO, side: sideOf(ZERO, minimum) };
  const cut = before.minus(now);
  return { share: cut.div(before), side: sideOf(cut, minimum.times(before)) };
}

/** A block of retired carbon credits; 1 credit = 1 t CO2e. */
export interface RetiredCredits {
  readonly registry: string;
  readonly programme: string;
  /** Serial numbers share a prefix; the numeric part runs from `first` to `last` inclusive. */
  readonly serialPrefix: string;
  readonly first: number;
  readonly last: number;
  readonly vintage: number;
  readonly retiredOn: string;
}

/**
 * CN — carbon-neutral product (ISO 14068-1:2023): emissions of the claim period = verified PCF ×
 * quantity; retired credits, no later than 12 months after the period ends, cover them; a
 * management plan exists; within the submission no credit serial appears twice (the database
 * enforces the same across all submissions).
 */
export function evaluateCarbonNeutralLabel(
  pcr: Pcr,
  input: {
    readonly footprint: VerifiedFootprint;
    readonly period: { readonly start: string; readonly end: string };
    /** Declared units produced or sold in the period. */
    readonly quantity: number;
    readonly credits: readonly RetiredCredits[];
    readonly managementPlanPresent: boolean;
    readonly conformancePassed: boolean;
  },
): LabelDecision {
  const criteria: Criterion[] = [verifiedCriterion(pcr, input.footprint), conformanceCriterion(input.conformancePassed)];
  const kgPerUnit = exact(input.footprint.kgCO2ePerDeclaredUnit, "footprint.kgCO2ePerDeclaredUnit");
  const quantity = exact(input.quantity, "quantity");
  // kg × units / 1000 in decimals: 1.1 kg × 100 000 is 110 t, where floats make it 110.00000000000001.
  const emissionsT = kgPerUnit.times(quantity).div(1000);
  const deadline = addMonths(input.period.end, 12);

  const malformed = input.credits.filter((c) => !Number.isInteger(c.first) || !Number.isInteger(c.last) || c.last < c.first || c.first < 0);
  const overlaps = overlappingBlocks(input.credits.filter((c) => !malformed.includes(c)));
  const late = input.credits.filter((c) => c.retiredOn > deadline);
  const futureVintage = input.credits.filter((c) => c.vintage > Number(c.retiredOn.slice(0, 4)));
  const valid = input.credits.filter((c) => !malformed.includes(c) && !late.includes(c) && !futureVintage.includes(c));
  const retiredT = sum(valid.map((c) => exact(c.last, "credits.last").minus(exact(c.first, "credits.first")).plus(1)));

  criteria.push({
    id: "credit_serials",
    passed: malformed.length === 0 && overlaps.length === 0,
    message:
      malformed.length + overlaps.length === 0
        ? bi(`${input.credits.length} 个减排量批次的序列号互不重叠`, `The serial ranges of ${input.credits.length} credit block(s) do not overlap`)
        : bi(
            `序列号无效或重叠：${[...malformed.map(describeBlock), ...overlaps].join("；")}`,
            `Invalid or overlapping serial ranges: ${[...malformed.map(describeBlock), ...overlaps].join("; ")}`,
          ),
  });
  criteria.push({
    id: "credit_retirement_deadline",
    passed: late.length === 0,
    message:
      late.length === 0
        ? bi(
            `全部减排量在 ${deadline} 前注销（核算期结束后 12 个月内）`,
            `All credits were retired by ${deadline} (within 12 months after the period)`,
          )
        : bi(
            `${late.length} 个批次注销晚于 ${deadline}：${late.map(describeBlock).join("；")}`,
            `${late.length} block(s) retired after ${deadline}: ${late.map(describeBlock).join("; ")}`,
          ),
  });
  criteria.push({
    id: "credit_vintage",
    passed: futureVintage.length === 0,
    message:
      futureVintage.length === 0
        ? bi("全部减排量均为已签发（事后）减排量", "All credits are issued (ex-post) credits")
        : bi(
            `${futureVintage.length} 个批次的年份晚于注销年份（事前减排量不计）`,
            `${futureVintage.length} block(s) have a vintage after their retirement year (ex-ante credits do not count)`,
          ),
  });
  const emissionsSide = sideOf(emissionsT, retiredT);
  const covered = overlaps.length === 0 && emissionsSide <= 0;
  // The factors as recorded, so the product can be checked by hand; the product at three decimals unless that hides the comparison.
  const emissions = shownAgainst(emissionsT, retiredT, emissionsSide, decimals(3));
  const product = `${kgPerUnit.toFixed()} kgCO2e × ${quantity.toFixed()} = ${emissions} tCO2e`;
  const retired = retiredT.toFixed();
  criteria.push({
    id: "coverage",
    passed: covered,
    message: bi(
      `核算期排放 ${product}；有效注销 ${retired} tCO2e${covered ? "，已覆盖" : "，不足"}`,
      `Period emissions ${product}; valid retirements ${retired} tCO2e${covered ? ", covered" : ", not covered"}`,
    ),
    values: { emissionsTCO2e: emissions, retiredTCO2e: retiredT.toNumber() },
  });
  criteria.push({
    id: "management_plan",
    passed: input.managementPlanPresent,
    message: input.managementPlanPresent
      ? bi("已提交碳中和管理计划（先减排后抵消）", "A carbon-neutrality management plan (reductions first) is on file")
      : bi("缺少碳中和管理计划", "The carbon-neutrality management plan is missing"),
  });
  return decision("CN", pcr, criteria, null);
}

function describeBlock(c: RetiredCredits): string {
  return `${c.registry} ${c.serialPrefix}${c.first}–${c.serialPrefix}${c.last}`;
}

function overlappingBlocks(credits: readonly RetiredCredits[]): string[] {
  const out: string[] = [];
  const sorted = [...credits].sort((a, b) => (a.registry + a.serialPrefix).localeCompare(b.registry + b.serialPrefix) || a.first - b.first);
  // Sweep: within one registry and prefix, a block overlaps when it starts before the furthest end seen so far.
  let reach: RetiredCredits | undefined;
  for (const cur of sorted) {
    if (reach && reach.registry === cur.registry && reach.serialPrefix === cur.serialPrefix) {
      if (cur.first <= reach.last) out.push(`${describeBlock(reach)} ∩ ${describeBlock(cur)}`);
      if (cur.last > reach.last) reach = cur;
    } else reach = cur;
  }
  return out;
}

/** Calendar date `months` after an ISO date, clamped to the month's last day. */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}
