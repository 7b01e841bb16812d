import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { calculateFootprint } from "../../rules/calculator/index.ts";
import type { InventoryLine, ModelledProduct } from "../../rules/calculator/schema.ts";
import { GOOD_DQ, inventoryOf, relClose } from "./helpers.ts";

const FACTORS = ["MAT-LIMESTONE-DEMO", "MAT-GYPSUM-DEMO", "MAT-GGBS-DEMO", "FUEL-RAW-COAL", "FUEL-DIESEL"] as const;
const GASES = ["co2_fossil", "ch4_fossil", "n2o", "co2_biogenic", "SF6"] as const;

const lineArb = fc.oneof(
  fc
    .record({ f: fc.constantFrom(...FACTORS), amount: fc.double({ min: 0.001, max: 1e4, noNaN: true }), unit: fc.constantFrom("kg", "t", "g") })
    .map(({ f, amount, unit }) => ({
      kind: f.startsWith("FUEL") ? ("fuel" as const) : ("material" as const),
      factorCode: f,
      amount,
      unit,
    })),
  fc
    .record({ gas: fc.constantFrom(...GASES), amount: fc.double({ min: 0.001, max: 1e3, noNaN: true }) })
    .map(({ gas, amount }) => ({ kind: "process_emission" as const, gas, amount, unit: "kg" })),
);

function toLines(specs: ReadonlyArray<Record<string, unknown>>, prefix = "L"): InventoryLine[] {
  return specs.map(
    (s, i) => ({ id: `${prefix}${i}`, stage: "production", dataType: i % 2 ? "primary" : "secondary", dataQuality: GOOD_DQ, ...s }) as InventoryLine,
  );
}

const flat = (lines: InventoryLine[]) => inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines }]);

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = (x >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

interface System {
  readonly outputs: number[];
  readonly direct: number[];
  readonly links: Array<Array<number | undefined>>;
}

/** A random acyclic product system: product i may use products j > i. */
const systemArb: fc.Arbitrary<System> = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc.record({
    outputs: fc.array(fc.double({ min: 0.5, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
    direct: fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: n, maxLength: n }),
    links: fc.array(fc.array(fc.option(fc.double({ min: 0.01, max: 5, noNaN: true }), { nil: undefined }), { minLength: n, maxLength: n }), {
      minLength: n,
      maxLength: n,
    }),
  }),
);

function productsOf(sys: System): ModelledProduct[] {
  const n = sys.outputs.length;
  return Array.from({ length: n }, (_, i) => ({
    id: `P${i}`,
    output: { amount: sys.outputs[i] ?? 1, unit: "t" },
    lines: [
      {
        id: `e${i}`,
        stage: "production",
        kind: "process_emission",
        gas: "co2_fossil",
        amount: sys.direct[i] ?? 0,
        unit: "kg",
        dataType: "primary",
        dataQuality: GOOD_DQ,
      },
      ...Array.from({ length: n }, (_, j) => j)
        .filter((j) => j > i && sys.links[i]?.[j] !== undefined)
        .map(
          (j) =>
            ({
              id: `u${i}_${j}`,
              stage: "production",
              kind: "sub_product",
              productId: `P${j}`,
              amount: sys.links[i]?.[j] ?? 0,
              unit: "t",
              dataType: "primary",
              dataQuality: GOOD_DQ,
            }) as InventoryLine,
        ),
    ],
  }));
}

/** Reference by plain substitution, last product first: h_i = (e_i + Σ_j a_ij h_j) / output_i. */
function bySubstitution(sys: System): number {
  const n = sys.outputs.length;
  const h = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = sys.direct[i] ?? 0;
    for (let j = i + 1; j < n; j++) sum += (sys.links[i]?.[j] ?? 0) * (h[j] ?? 0);
    h[i] = sum / (sys.outputs[i] ?? 1);
  }
  return h[0] ?? 0;
}

describe("properties", () => {
  it("permuting lines never changes the result beyond 1e-12 relative", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 40 }), fc.integer(), (specs, seed) => {
        const lines = toLines(specs);
        const a = calculateFootprint(flat(lines));
        const b = calculateFootprint(flat(shuffle(lines, seed)));
        expect(relClose(a.total, b.total)).toBe(true);
        a.byStage.forEach((s, i) => expect(relClose(s.kgCO2e, b.byStage[i]?.kgCO2e ?? NaN)).toBe(true));
      }),
      { numRuns: 100 },
    );
  });

  it("permuting the order of products in a system never changes the result", () => {
    fc.assert(
      fc.property(systemArb, fc.integer(), (sys, seed) => {
        const products = productsOf(sys);
        const a = calculateFootprint(inventoryOf(products, { referenceProduct: "P0" }));
        const b = calculateFootprint(inventoryOf(shuffle(products, seed), { referenceProduct: "P0" }));
        expect(relClose(a.total, b.total)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("scaling every amount by k scales the result by k", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 30 }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (specs, k) => {
        const lines = toLines(specs);
        const base = calculateFootprint(flat(lines)).total;
        const scaled = calculateFootprint(flat(lines.map((l) => ({ ...l, amount: (l as { amount: number }).amount * k }) as InventoryLine))).total;
        expect(relClose(scaled, base * k, 1e-12)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("splitting a line in two sums to the same result", () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (specs, pick, f) => {
          const lines = toLines(specs);
          const at = pick % lines.length;
          const target = lines[at] as InventoryLine & { amount: number };
          const split = [
            ...lines.slice(0, at),
            { ...target, id: "split-a", amount: target.amount * f } as InventoryLine,
            { ...target, id: "split-b", amount: target.amount * (1 - f) } as InventoryLine,
            ...lines.slice(at + 1),
          ];
          expect(relClose(calculateFootprint(flat(split)).total, calculateFootprint(flat(lines)).total, 1e-12)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("a random acyclic system gives the same answer by the matrix path and by substitution", () => {
    fc.assert(
      fc.property(systemArb, (sys) => {
        const r = calculateFootprint(inventoryOf(productsOf(sys), { referenceProduct: "P0" }));
        const reference = bySubstitution(sys);
        expect(relClose(r.total, reference, 1e-12)).toBe(true);
        expect(relClose(r.byProduct[0]?.cumulativeKgCO2ePerUnit ?? NaN, reference, 1e-12)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
