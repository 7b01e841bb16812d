import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { calculateFootprint } from "../../rules/calculator/index.ts";
import type { Inventory, InventoryLine } from "../../rules/calculator/schema.ts";
import { checkConformance, type Finding } from "../../rules/conformance/index.ts";
import { InvalidDecisionInputError } from "../../rules/decimal.ts";
import {
  evaluateCarbonFootprintLabel,
  evaluateCarbonNeutralLabel,
  evaluateLowCarbonLabel,
  evaluateReducedCarbonLabel,
  gradeBand,
  type LabelDecision,
} from "../../rules/labels/index.ts";
import { PCR_CATALOGUE, type Pcr } from "../../rules/pcr/index.ts";
import { ccerCredits, gas, inventoryOf, material, verifiedCementFootprint as fp } from "./helpers.ts";

/*
 * Label and cut-off decisions at their thresholds (docs/decisions/0012). The oracle below is a
 * decimal as a scaled BigInt; it shares no code with the rules, so an error in the decimal
 * library or in how the rules read a number shows up as a disagreement.
 */

interface Dec {
  /** The value is n / 10^scale. */
  readonly n: bigint;
  readonly scale: number;
}

const pow10 = (k: number) => 10n ** BigInt(k);

/** A plain decimal text ("-12.340") or a JavaScript number's text ("1.5e-7"). */
function dec(text: string): Dec {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!m) throw new Error(`not a decimal: ${text}`);
  const [, sign = "", int = "", frac = "", exp = "0"] = m;
  const n = BigInt(sign + int + frac);
  const scale = frac.length - Number(exp);
  return scale >= 0 ? { n, scale } : { n: n * pow10(-scale), scale: 0 };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const s = Math.max(a.scale, b.scale);
  return [a.n * pow10(s - a.scale), b.n * pow10(s - b.scale), s];
}
function cmp(a: Dec, b: Dec): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}
function add(a: Dec, b: Dec): Dec {
  const [x, y, scale] = align(a, b);
  return { n: x + y, scale };
}
const neg = (a: Dec): Dec => ({ n: -a.n, scale: a.scale });
const sub = (a: Dec, b: Dec) => add(a, neg(b));
const mul = (a: Dec, b: Dec): Dec => ({ n: a.n * b.n, scale: a.scale + b.scale });
const abs = (a: Dec): Dec => (a.n < 0n ? neg(a) : a);
const int = (n: number | bigint): Dec => ({ n: BigInt(n), scale: 0 });
const ZERO = int(0);

/** The text a person would type for the decimal: "645.0587532", "0.11". */
function text(d: Dec): string {
  const negative = d.n < 0n;
  const digits = (negative ? -d.n : d.n).toString().padStart(d.scale + 1, "0");
  const whole = d.scale === 0 ? digits : `${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}`;
  return (negative ? "-" : "") + whole;
}

/** The stored number of a decimal; the test insists it reads back as the same decimal, as the rules will read it. */
function num(d: Dec): number {
  const x = Number(text(d));
  expect(cmp(dec(String(x)), d), `${text(d)} does not round-trip through a number`).toBe(0);
  return x;
}

/** Decimals with at most `digits` significant digits and `maxScale` places; 0 only when `min` is 0n. */
const decimal = (maxDigits: number, maxScale: number, min = 1n): fc.Arbitrary<Dec> =>
  fc.record({ n: fc.bigInt({ min, max: pow10(maxDigits) - 1n }), scale: fc.integer({ min: 0, max: maxScale }) });

/** One more or one less in the last place of `scale`, or nothing: a value at, just under or just over a threshold. */
const nudge = (scale: number) => fc.constantFrom<Dec>(ZERO, { n: 1n, scale }, { n: -1n, scale });

const cement = PCR_CATALOGUE.get("PCR-CN-CEMENT", "1.0.0");
const criterion = (d: LabelDecision, id: string) => {
  const c = d.criteria.find((x) => x.id === id);
  if (!c) throw new Error(`no criterion ${id} in ${d.criteria.map((x) => x.id).join(", ")}`);
  return c;
};

function reducedCarbon(pcr: Pcr, before: number, now: number, offsets: { before?: number; now?: number } = {}) {
  return evaluateReducedCarbonLabel(pcr, {
    current: fp(now, "2026-02-01", offsets.now === undefined ? {} : { offsetsDeductedKgCO2ePerDeclaredUnit: offsets.now }),
    earlier: [
      fp(before * 2, "2024-02-01"),
      fp(before, "2025-02-01", offsets.before === undefined ? {} : { offsetsDeductedKgCO2ePerDeclaredUnit: offsets.before }),
    ],
    reductionReportPresent: true,
    conformancePassed: true,
  });
}
const withMinimumReduction = (minimumReduction: number): Pcr => ({
  ...cement,
  labels: { ...cement.labels, reducedCarbon: { ...cement.labels.reducedCarbon, minimumReduction } },
});

function carbonNeutral(kg: number, quantity: number, retiredT: number) {
  return evaluateCarbonNeutralLabel(cement, {
    footprint: fp(kg, "2026-02-01"),
    period: { start: "2025-01-01", end: "2025-12-31" },
    quantity,
    credits: retiredT > 0 ? [ccerCredits(1, retiredT)] : [],
    managementPlanPresent: true,
    conformancePassed: true,
  });
}

/** A cement inventory with one included line and excluded flows carrying only estimated shares. */
function withExcludedShares(shares: readonly number[]): Inventory {
  const excluded: InventoryLine[] = shares.map((s, i) => material(`x${i}`, 1, "kg", "NOPE", { excluded: true, estimatedShare: s }));
  return inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [gas("kiln", "co2_fossil", 500), ...excluded] }]);
}
const withCutOff = (perFlowMaxShare: number, cumulativeMaxShare: number): Pcr => ({
  ...cement,
  cutOff: { ...cement.cutOff, perFlowMaxShare, cumulativeMaxShare },
});
function cutOffFindings(pcr: Pcr, shares: readonly number[]): { cumulative: Finding; flows: Finding[] } {
  const inventory = withExcludedShares(shares);
  const findings = checkConformance(pcr, inventory, calculateFootprint(inventory)).findings;
  const cumulative = findings.find((f) => f.id === "cutoff.cumulative");
  if (!cumulative) throw new Error("no cumulative cut-off finding");
  return { cumulative, flows: shares.map((_, i) => findings.find((f) => f.id === `cutoff.flow:p/x${i}`) as Finding) };
}

describe("at exactly the threshold", () => {
  it("CF: a value at a band's upper bound is in that band, one step above is in the next", () => {
    expect(evaluateCarbonFootprintLabel(cement, { footprint: fp(600, "2026-02-01"), conformancePassed: true }).grade?.grade).toBe("B");
    const bands: Pcr = {
      ...cement,
      labels: {
        ...cement.labels,
        gradeBands: {
          ...cement.labels.gradeBands!,
          bands: [
            { grade: "A", maxKgCO2e: 0.3, label: { zh: "A 级", en: "grade A" } },
            { grade: "B", maxKgCO2e: 645.0587532, label: { zh: "B 级", en: "grade B" } },
          ],
        },
      },
    };
    expect(gradeBand(bands, 0.3)?.grade).toBe("A");
    expect(gradeBand(bands, 0.30000000000000004)?.grade).toBe("B");
    expect(gradeBand(bands, 645.0587532)?.grade).toBe("B");
    expect(gradeBand(bands, 645.0587533)?.grade).toBeNull();
  });

  it("LC: the benchmark itself is low-carbon; a value a hair above reads above it", () => {
    const at = evaluateLowCarbonLabel(cement, { footprint: fp(650, "2026-02-01"), conformancePassed: true });
    expect(criterion(at, "benchmark").passed).toBe(true);
    const above = evaluateLowCarbonLabel(cement, { footprint: fp(650.0000001, "2026-02-01"), conformancePassed: true });
    expect(criterion(above, "benchmark")).toMatchObject({ passed: false, values: { value: 650.0000001, benchmark: 650 } });
    // Six significant digits would print "650 > benchmark 650"; the digits that decide are shown.
    expect(criterion(above, "benchmark").message).toEqual({
      zh: "650.0000001 > 基准值 650 kgCO2e/1 t（演示基准值）",
      en: "650.0000001 > benchmark 650 kgCO2e per 1 t (demonstration benchmark)",
    });
    const decimalBenchmark: Pcr = {
      ...cement,
      labels: { ...cement.labels, lowCarbonBenchmark: { ...cement.labels.lowCarbonBenchmark!, kgCO2ePerDeclaredUnit: 0.3 } },
    };
    expect(
      criterion(evaluateLowCarbonLabel(decimalBenchmark, { footprint: fp(0.3, "2026-02-01"), conformancePassed: true }), "benchmark").passed,
    ).toBe(true);
  });

  it("RC: 11 % exactly meets an 11 % minimum, including 10 → 8.9 where floats divide to 0.10999999999999996", () => {
    expect((10 - 8.9) / 10).toBeLessThan(0.11);
    for (const [before, now] of [
      [100, 89],
      [10, 8.9],
      [7, 6.23],
      [170, 151.3],
    ] as const) {
      const reduction = criterion(reducedCarbon(cement, before, now), "reduction");
      expect(reduction).toMatchObject({ passed: true, values: { reductionPercent: "11.00", minimumPercent: "11.00" } });
    }
    const exactly = reducedCarbon(cement, 10, 8.9);
    expect(exactly.eligible).toBe(true);
    expect(criterion(exactly, "reduction").message.en).toBe(
      "From 10 (certificate CB-CF-2025-02-01) to 8.9 kgCO2e: 11.00 % reduction; at least 11.00 % required",
    );
    expect(criterion(exactly, "reduction").message.zh).toBe("较上一证书 CB-CF-2025-02-01（10）降至 8.9 kgCO2e，减少 11.00 %，要求 ≥ 11.00 %");
  });

  it("RC: offsets are added back in decimals, and a reduction just short of the minimum never reads 11.00 %", () => {
    // (9.99 + 0.01) → (8.8 + 0.1) is exactly 11 %; floats make it 0.10999999999999996.
    expect((9.99 + 0.01 - (8.8 + 0.1)) / (9.99 + 0.01)).toBeLessThan(0.11);
    expect(criterion(reducedCarbon(cement, 9.99, 8.8, { before: 0.01, now: 0.1 }), "reduction")).toMatchObject({
      passed: true,
      values: { previous: 10, current: 8.9, reductionPercent: "11.00" },
    });
    const short = criterion(reducedCarbon(cement, 10, 8.9000001), "reduction");
    expect(short).toMatchObject({ passed: false, values: { reductionPercent: "10.999999", minimumPercent: "11.00" } });
    expect(short.message.en).toContain("10.999999 % reduction; at least 11.00 % required");
    // A minimum with more places than the usual two is shown as written.
    const fine = criterion(reducedCarbon(withMinimumReduction(0.1234), 10, 8.766), "reduction");
    expect(fine).toMatchObject({ passed: true, values: { reductionPercent: "12.34", minimumPercent: "12.34" } });
  });

  it("CN: retirements equal to the emissions cover them, including 1.1 kg × 100 000 = 110 t where floats give 110.00000000000001", () => {
    expect((1.1 * 100000) / 1000).toBeGreaterThan(110);
    const covered = carbonNeutral(1.1, 100000, 110);
    expect(covered.eligible).toBe(true);
    expect(criterion(covered, "coverage")).toMatchObject({ passed: true, values: { emissionsTCO2e: "110.000", retiredTCO2e: 110 } });
    expect(criterion(covered, "coverage").message).toEqual({
      zh: "核算期排放 1.1 kgCO2e × 100000 = 110.000 tCO2e；有效注销 110 tCO2e，已覆盖",
      en: "Period emissions 1.1 kgCO2e × 100000 = 110.000 tCO2e; valid retirements 110 tCO2e, covered",
    });
    expect(criterion(carbonNeutral(0.07, 100000, 7), "coverage").passed).toBe(true);
    expect(criterion(carbonNeutral(1.1, 100000, 109), "coverage").passed).toBe(false);
    // 110.00000001 t at three decimals would read 110.000 next to "not covered"; the deciding digits are shown.
    const over = criterion(carbonNeutral(1.1000000001, 100000, 110), "coverage");
    expect(over).toMatchObject({ passed: false, values: { emissionsTCO2e: "110.00000001", retiredTCO2e: 110 } });
    expect(over.message.en).toBe("Period emissions 1.1000000001 kgCO2e × 100000 = 110.00000001 tCO2e; valid retirements 110 tCO2e, not covered");
  });

  it("cut-off: shares summing exactly to the 5 % cap pass it, where floats sum them to 5.000000000000001 %", () => {
    const shares = [0.01, 0.01, 0.008, 0.008, 0.008, 0.003, 0.003];
    expect(shares.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.05);
    const { cumulative, flows } = cutOffFindings(cement, shares);
    expect(cumulative).toMatchObject({ passed: true, values: { share: "5.000", limit: "5.00" } });
    // A flow at exactly the 1 % per-flow limit passes it.
    expect(flows[0]).toMatchObject({ passed: true, values: { share: "1.000", limit: "1.00" } });
    const over = cutOffFindings(cement, [...shares.slice(0, -1), 0.0030000001]);
    expect(over.cumulative).toMatchObject({ passed: false, values: { share: "5.00000001", limit: "5.00" } });
    expect(over.cumulative.message.en).toBe("7 excluded flow(s) total 5.00000001 %; the cumulative cap is 5.00 %");
  });

  it("refuses a number no decision can take, naming the field in both languages", () => {
    const decide = () => evaluateLowCarbonLabel(cement, { footprint: fp(Number.NaN, "2026-02-01"), conformancePassed: true });
    expect(decide).toThrow(InvalidDecisionInputError);
    const error = (() => {
      try {
        decide();
      } catch (e) {
        return e as InvalidDecisionInputError;
      }
      throw new Error("no error");
    })();
    expect(error).toMatchObject({ code: "InvalidDecisionInput", field: "footprint.kgCO2ePerDeclaredUnit" });
    expect(error.detail).toEqual({
      zh: "判定输入「footprint.kgCO2ePerDeclaredUnit」必须是有限数值，收到 NaN",
      en: 'Decision input "footprint.kgCO2ePerDeclaredUnit" must be a finite number, got NaN',
    });
    expect(() => carbonNeutral(645, Number.POSITIVE_INFINITY, 1)).toThrow(/"quantity" must be a finite number/);
  });
});

describe("decisions agree with an exact oracle (scaled integers)", () => {
  it("grade bands: the first band whose bound is at or above the value", () => {
    const arb = fc
      .record({
        bounds: fc.uniqueArray(decimal(7, 3), { minLength: 1, maxLength: 4, comparator: (a, b) => cmp(a, b) === 0 }),
        pick: fc.nat(),
        nudge: nudge(6),
      })
      .chain(({ bounds, pick, nudge: d }) => {
        const sorted = [...bounds].sort(cmp);
        const atBound = add(sorted[pick % sorted.length] as Dec, d);
        return fc.record({
          bounds: fc.constant(sorted),
          value: cmp(atBound, ZERO) > 0 ? fc.oneof(fc.constant(atBound), decimal(8, 3)) : decimal(8, 3),
        });
      });
    fc.assert(
      fc.property(arb, ({ bounds, value }) => {
        const pcr: Pcr = {
          ...cement,
          labels: {
            ...cement.labels,
            gradeBands: {
              ...cement.labels.gradeBands!,
              bands: bounds.map((b, i) => ({ grade: `G${i}`, maxKgCO2e: num(b), label: { zh: `${i} 级`, en: `grade ${i}` } })),
            },
          },
        };
        const expected = bounds.findIndex((b) => cmp(value, b) <= 0);
        expect(gradeBand(pcr, num(value))?.grade).toBe(expected < 0 ? null : `G${expected}`);
      }),
      { numRuns: 300 },
    );
  });

  it("LC: value ≤ benchmark, and the sentence's numbers compare the same way", () => {
    const arb = fc.oneof(
      fc.record({ benchmark: decimal(9, 4), value: decimal(9, 4) }),
      fc.record({ benchmark: decimal(9, 4), d: nudge(5) }).map(({ benchmark, d }) => ({ benchmark, value: add(benchmark, d) })),
    );
    fc.assert(
      fc.property(arb, ({ benchmark, value }) => {
        const pcr: Pcr = {
          ...cement,
          labels: { ...cement.labels, lowCarbonBenchmark: { ...cement.labels.lowCarbonBenchmark!, kgCO2ePerDeclaredUnit: num(benchmark) } },
        };
        const c = criterion(evaluateLowCarbonLabel(pcr, { footprint: fp(num(value), "2026-02-01"), conformancePassed: true }), "benchmark");
        const expected = cmp(value, benchmark) <= 0;
        expect(c.passed).toBe(expected);
        const m = /^(\S+) (≤|>) benchmark (\S+) kgCO2e per 1 t/.exec(c.message.en);
        expect(m, c.message.en).not.toBeNull();
        const [, shown = "", sign, limit = ""] = m!;
        expect(sign).toBe(expected ? "≤" : ">");
        expect(cmp(dec(limit), benchmark)).toBe(0);
        expect(cmp(dec(shown), benchmark) <= 0).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("RC: (before − now) ≥ minimum × before on gross values, and the percentage shown is the reduction, on the right side", () => {
    const minimum = decimal(4, 4, 0n).filter((m) => cmp(m, int(1)) <= 0);
    const offset = fc.oneof(fc.constant(ZERO), decimal(5, 3));
    const arb = fc
      .record({ beforeKg: decimal(7, 2), beforeOffset: offset, nowOffset: offset, minimum, d: nudge(7), free: decimal(7, 3) })
      .chain(({ beforeKg, beforeOffset, nowOffset, minimum: m, d, free }) => {
        const gross = add(beforeKg, beforeOffset);
        // The current value that makes the reduction exactly the minimum, give or take one in the 7th place.
        const atMinimum = sub(add(sub(gross, mul(m, gross)), d), nowOffset);
        return fc.record({
          beforeKg: fc.constant(beforeKg),
          beforeOffset: fc.constant(beforeOffset),
          nowOffset: fc.constant(nowOffset),
          minimum: fc.constant(m),
          nowKg: cmp(atMinimum, ZERO) > 0 ? fc.oneof(fc.constant(atMinimum), fc.constant(free)) : fc.constant(free),
        });
      });
    fc.assert(
      fc.property(arb, ({ beforeKg, beforeOffset, nowOffset, minimum: m, nowKg }) => {
        const before = add(beforeKg, beforeOffset);
        const now = add(nowKg, nowOffset);
        const cut = sub(before, now);
        const side = cmp(cut, mul(m, before));
        const c = criterion(
          reducedCarbon(withMinimumReduction(num(m)), num(beforeKg), num(nowKg), { before: num(beforeOffset), now: num(nowOffset) }),
          "reduction",
        );
        expect(c.passed).toBe(side >= 0);
        const shown = dec(String(c.values?.reductionPercent));
        const minimumPercent = mul(m, int(100));
        expect(cmp(dec(String(c.values?.minimumPercent)), minimumPercent)).toBe(0);
        expect(cmp(shown, minimumPercent)).toBe(side);
        // shown ≈ 100 × cut / before within half a unit of the second place: |shown × before − 100 × cut| ≤ 0.005 × before.
        expect(cmp(abs(sub(mul(shown, before), mul(int(100), cut))), mul({ n: 5n, scale: 3 }, before))).toBeLessThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  it("CN: 1000 × retired tonnes ≥ kg × quantity, and the tonnes shown compare the same way", () => {
    // Emissions that are a whole number of tonnes (T = kg × 10^k / 1000), and any emissions at all.
    const whole = fc
      .record({ t: fc.integer({ min: 1, max: 1_000_000 }), k: fc.integer({ min: 0, max: 5 }), d: fc.integer({ min: -1, max: 1 }) })
      .map(({ t, k, d }) => ({ kg: { n: BigInt(t) * 1000n, scale: k }, quantity: { n: pow10(k), scale: 0 }, retired: t + d }));
    const any = fc.record({ kg: decimal(7, 4), quantity: decimal(6, 2), d: fc.integer({ min: -1, max: 1 }) }).map(({ kg, quantity, d }) => {
      const e = mul(kg, quantity);
      const ceilT = (e.n + pow10(e.scale + 3) - 1n) / pow10(e.scale + 3);
      return { kg, quantity, retired: Math.max(0, Number(ceilT) + d) };
    });
    fc.assert(
      fc.property(fc.oneof(whole, any), ({ kg, quantity, retired }) => {
        const side = cmp(mul(kg, quantity), int(retired * 1000));
        const c = criterion(carbonNeutral(num(kg), num(quantity), retired), "coverage");
        expect(c.passed).toBe(side <= 0);
        expect(c.values?.retiredTCO2e).toBe(retired);
        const shown = dec(String(c.values?.emissionsTCO2e));
        expect(cmp(shown, int(retired))).toBe(side);
        // Within half a unit of the third place of kg × quantity / 1000.
        expect(cmp(abs(sub(mul(shown, int(1000)), mul(kg, quantity))), { n: 5n, scale: 1 })).toBeLessThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  it("cut-off: each share ≤ the per-flow limit and their exact sum ≤ the cumulative cap", () => {
    // Shares in millionths (so with up to six places): per-flow limits up to 2 %, caps up to 10 %, shares up to 3 %.
    const millionths = (min: bigint, max: bigint) => fc.bigInt({ min, max }).map((n): Dec => ({ n, scale: 6 }));
    const arb = fc
      .record({
        perFlow: millionths(1n, 20_000n),
        extra: millionths(0n, 80_000n),
        shares: fc.array(millionths(0n, 30_000n), { maxLength: 7 }),
        toCap: fc.boolean(),
        d: nudge(9),
      })
      .map(({ perFlow, extra, shares, toCap, d }) => {
        const cap = add(perFlow, extra);
        const total = shares.reduce(add, ZERO);
        // Half of the cases close the sum onto the cap (give or take one in the 9th place) with one more flow.
        const last = add(sub(cap, total), d);
        return { perFlow, cap, shares: toCap && cmp(last, ZERO) >= 0 && cmp(last, int(1)) <= 0 ? [...shares, last] : shares };
      });
    fc.assert(
      fc.property(arb, ({ perFlow, cap, shares }) => {
        const { cumulative, flows } = cutOffFindings(withCutOff(num(perFlow), num(cap)), shares.map(num));
        const total = shares.reduce(add, ZERO);
        const side = cmp(total, cap);
        expect(cumulative.passed).toBe(side <= 0);
        expect(cmp(dec(String(cumulative.values?.share)), mul(cap, int(100)))).toBe(side);
        expect(cmp(dec(String(cumulative.values?.limit)), mul(cap, int(100)))).toBe(0);
        shares.forEach((s, i) => {
          const flowSide = cmp(s, perFlow);
          expect(flows[i]?.passed).toBe(flowSide <= 0);
          expect(cmp(dec(String(flows[i]?.values?.share)), mul(perFlow, int(100)))).toBe(flowSide);
        });
      }),
      { numRuns: 150 },
    );
  });
});
