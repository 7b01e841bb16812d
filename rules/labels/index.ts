import { formatPercent, roundToDecimals, roundToSignificant, toDecimalString } from "../format.ts";
import { bi, type Bilingual } from "../i18n.ts";
import { pcrKey, type LabelType, type Pcr } from "../pcr/schema.ts";

/**
 * Label criteria (seed 004, DESIGN.md §2): pure decisions on the calculable criteria of each
 * label type, each criterion explained with its numbers in both languages. Process criteria a
 * certification body decides by inspection (on-site verification, management system) are not
 * here; those that are documents (reduction report, management plan) are taken as facts given.
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
  const band = bands.bands.find((b) => kgCO2ePerDeclaredUnit <= b.maxKgCO2e);
  if (!band) return { grade: null, label: bi("超出分级范围", "beyond the graded range"), demonstration: bands.demonstration };
  return { grade: band.grade, label: band.label, demonstration: bands.demonstration };
}

/** Up to 6 significant digits, without padding zeros, for numbers inside explanations. */
const kg = (v: number) => toDecimalString(Number(roundToSignificant(v, 6)));

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
    const value = input.footprint.kgCO2ePerDeclaredUnit;
    const ok = value <= benchmark.kgCO2ePerDeclaredUnit;
    const demo = benchmark.demonstration ? bi("（演示基准值）", " (demonstration benchmark)") : bi("", "");
    criteria.push({
      id: "benchmark",
      passed: ok,
      message: bi(
        `${kg(value)} ${ok ? "≤" : ">"} 基准值 ${kg(benchmark.kgCO2ePerDeclaredUnit)} kgCO2e/${unit}${demo.zh}`,
        `${kg(value)} ${ok ? "≤" : ">"} benchmark ${kg(benchmark.kgCO2ePerDeclaredUnit)} kgCO2e per ${unit}${demo.en}`,
      ),
      values: { value, benchmark: benchmark.kgCO2ePerDeclaredUnit },
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
    const gross = (f: VerifiedFootprint) => f.kgCO2ePerDeclaredUnit + (f.offsetsDeductedKgCO2ePerDeclaredUnit ?? 0);
    const before = gross(previous);
    const now = gross(input.current);
    const reduction = before > 0 ? (before - now) / before : 0;
    const ok = reduction >= pcr.labels.reducedCarbon.minimumReduction;
    const offsets = (input.current.offsetsDeductedKgCO2ePerDeclaredUnit ?? 0) + (previous.offsetsDeductedKgCO2ePerDeclaredUnit ?? 0);
    const offsetNote = offsets > 0 ? bi("（已加回抵消量，抵消不计为减排）", " (offsets added back: they never count as reduction)") : bi("", "");
    criteria.push({
      id: "reduction",
      passed: ok,
      message: bi(
        `较上一证书 ${previous.certificateNumber ?? ""}（${kg(before)}）降至 ${kg(now)} kgCO2e，减少 ${formatPercent(reduction)} %，要求 ≥ ${formatPercent(pcr.labels.reducedCarbon.minimumReduction)} %${offsetNote.zh}`,
        `From ${kg(before)} (certificate ${previous.certificateNumber ?? ""}) to ${kg(now)} kgCO2e: ${formatPercent(reduction)} % reduction; at least ${formatPercent(pcr.labels.reducedCarbon.minimumReduction)} % required${offsetNote.en}`,
      ),
      values: {
        previous: before,
        current: now,
        reductionPercent: formatPercent(reduction),
        minimumPercent: formatPercent(pcr.labels.reducedCarbon.minimumReduction),
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
  const emissionsT = (input.footprint.kgCO2ePerDeclaredUnit * input.quantity) / 1000;
  const deadline = addMonths(input.period.end, 12);

  const malformed = input.credits.filter((c) => !Number.isInteger(c.first) || !Number.isInteger(c.last) || c.last < c.first || c.first < 0);
  const overlaps = overlappingBlocks(input.credits.filter((c) => !malformed.includes(c)));
  const late = input.credits.filter((c) => c.retiredOn > deadline);
  const futureVintage = input.credits.filter((c) => c.vintage > Number(c.retiredOn.slice(0, 4)));
  const valid = input.credits.filter((c) => !malformed.includes(c) && !late.includes(c) && !futureVintage.includes(c));
  const retiredT = valid.reduce((sum, c) => sum + (c.last - c.first + 1), 0);

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
  const covered = overlaps.length === 0 && retiredT >= emissionsT;
  criteria.push({
    id: "coverage",
    passed: covered,
    message: bi(
      `核算期排放 ${kg(input.footprint.kgCO2ePerDeclaredUnit)} kgCO2e × ${input.quantity} = ${roundToDecimals(emissionsT, 3)} tCO2e；有效注销 ${retiredT} tCO2e${covered ? "，已覆盖" : "，不足"}`,
      `Period emissions ${kg(input.footprint.kgCO2ePerDeclaredUnit)} kgCO2e × ${input.quantity} = ${roundToDecimals(emissionsT, 3)} tCO2e; valid retirements ${retiredT} tCO2e${covered ? ", covered" : ", not covered"}`,
    ),
    values: { emissionsTCO2e: roundToDecimals(emissionsT, 3), retiredTCO2e: retiredT },
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
