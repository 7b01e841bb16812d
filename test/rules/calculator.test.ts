import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  calculateFootprint,
  calculateFootprintFromData,
  inventoryJsonSchema,
  parseInventory,
  presentFootprint,
} from "../../rules/calculator/index.ts";
import {
  DuplicateIdError,
  GwpSetMismatchError,
  InvalidInventoryError,
  MissingEmissionFactorError,
  SingularProductSystemError,
  StageNotAllowedError,
  UnitMismatchError,
  UnknownProductError,
} from "../../rules/errors.ts";
import { GOOD_DQ, gas, inventoryOf, material, sub } from "./helpers.ts";

const example = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../rules/examples/${name}-inventory.json`, import.meta.url), "utf8")) as unknown;

describe("flat inventories, computed by hand", () => {
  it("sums amount × factor with unit conversion, per stage and per gas", () => {
    const inv = inventoryOf([
      {
        id: "p",
        output: { amount: 1, unit: "t" },
        lines: [
          material("limestone", 1200, "kg", "MAT-LIMESTONE-DEMO"), // 1.2 t × 2.6 = 3.12
          {
            id: "coal",
            stage: "production",
            kind: "fuel",
            amount: 100,
            unit: "kg",
            factorCode: "FUEL-RAW-COAL",
            dataType: "primary",
            dataQuality: GOOD_DQ,
          }, // 190.03 CO2
          gas("calcination", "co2_fossil", 500),
          gas("leak", "ch4_fossil", 2), // 2 × 29.8 = 59.6
          {
            id: "power",
            stage: "production",
            kind: "electricity",
            amount: 0.1,
            unit: "MWh",
            supply: { type: "grid" },
            dataType: "primary",
            dataQuality: GOOD_DQ,
          }, // 100 × 0.6205 = 62.05
          {
            id: "truck",
            stage: "raw_material_transport",
            kind: "transport",
            mass: { amount: 1.2, unit: "t" },
            distance: { amount: 50, unit: "km" },
            factorCode: "TR-ROAD-HDT-30T-DEMO",
            dataType: "primary",
            dataQuality: GOOD_DQ,
          }, // 60 × 0.078 = 4.68
        ],
      },
    ]);
    const r = calculateFootprint(inv);
    const expected = 3.12 + 190.03 + 500 + 59.6 + 62.05 + 4.68;
    expect(r.total).toBeCloseTo(expected, 10);
    const stage = Object.fromEntries(r.byStage.map((s) => [s.stage, s.kgCO2e]));
    expect(stage.raw_material_acquisition).toBeCloseTo(3.12, 12);
    expect(stage.raw_material_transport).toBeCloseTo(4.68, 12);
    expect(stage.production).toBeCloseTo(190.03 + 500 + 59.6 + 62.05, 10);
    const byGas = Object.fromEntries(r.byGas.map((g) => [g.gas, g]));
    expect(byGas.co2_fossil?.massKg).toBeCloseTo(690.03, 10);
    expect(byGas.ch4_fossil?.massKg).toBe(2);
    expect(byGas.ch4_fossil?.kgCO2e).toBeCloseTo(59.6, 12);
    expect(byGas.co2e_aggregated?.kgCO2e).toBeCloseTo(3.12 + 62.05 + 4.68, 12);
    expect(r.fossilKgCO2e).toBeCloseTo(expected, 10);
    expect(r.biogenicKgCO2e).toBe(0);
    expect(r.byLine.find((l) => l.lineId === "truck")?.activity).toBeCloseTo(60, 12);
  });

  it("characterises the same gases differently under AR5, never mixing sets", () => {
    const lines = [gas("n2o", "n2o", 1), gas("bio-ch4", "ch4_non_fossil", 1), gas("bio-co2", "co2_biogenic", 10)];
    const ar6 = calculateFootprint(inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines }]));
    expect(ar6.total).toBeCloseTo(273 + 27 + 10, 12);
    expect(ar6.biogenicKgCO2e).toBeCloseTo(37, 12);
    expect(ar6.fossilKgCO2e).toBeCloseTo(273, 12);
    const ar5 = calculateFootprint(inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines }], { gwpSet: "AR5" }));
    expect(ar5.total).toBeCloseTo(265 + 28 + 10, 12);
    // An AR5 CO2e factor has no gas split: an AR6 study cannot use it.
    expect(() =>
      calculateFootprint(inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [material("c", 1, "t", "MAT-PORTLAND-CEMENT")] }])),
    ).toThrow(GwpSetMismatchError);
    expect(
      calculateFootprint(
        inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [material("c", 1, "t", "MAT-PORTLAND-CEMENT")] }], { gwpSet: "AR5" }),
      ).total,
    ).toBe(735);
  });

  it("covers green-certificate electricity 1 000 kWh per unique certificate; the rest at the grid factor", () => {
    const line = (ids: string[], periodKWh: number) => ({
      id: "green",
      stage: "production" as const,
      kind: "electricity" as const,
      amount: 1000,
      unit: "kWh",
      supply: { type: "green_certificate" as const, technology: "wind" as const, certificateIds: ids, periodKWh },
      dataType: "primary" as const,
      dataQuality: GOOD_DQ,
    });
    const full = calculateFootprint(inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [line(["a", "b"], 2000)] }]));
    expect(full.total).toBeCloseTo(1000 * 0.0336, 12);
    const half = calculateFootprint(inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [line(["a", "a"], 2000)] }]));
    expect(half.total).toBeCloseTo(500 * 0.0336 + 500 * 0.6205, 10);
    expect(half.warnings.map((w) => w.code)).toContain("green_certificates_insufficient");
  });

  it("uses a supplier certificate's value per its declared unit", () => {
    const r = calculateFootprint(
      inventoryOf([
        {
          id: "p",
          output: { amount: 1, unit: "t" },
          lines: [
            {
              id: "bought",
              stage: "raw_material_acquisition",
              kind: "supplier_certificate",
              amount: 500,
              unit: "kg",
              certificate: { number: "CB-CF-2025-7", kgCO2ePerDeclaredUnit: 800, declaredUnit: { quantity: 1, unit: "t" }, gwpSet: "AR6" },
              dataType: "primary",
              dataQuality: GOOD_DQ,
            },
          ],
        },
      ]),
    );
    expect(r.total).toBeCloseTo(400, 12);
    expect(r.byLine[0]?.factor?.code).toBe("CB-CF-2025-7");
  });

  it("reports excluded flows without counting them", () => {
    const r = calculateFootprint(
      inventoryOf([
        {
          id: "p",
          output: { amount: 1, unit: "t" },
          lines: [
            gas("main", "co2_fossil", 99),
            gas("cut", "co2_fossil", 1, { excluded: true }),
            material("unknown", 1, "kg", "NOPE", { excluded: true, estimatedShare: 0.002 }),
          ],
        },
      ]),
    );
    expect(r.total).toBe(99);
    expect(r.excluded).toEqual([
      { productId: "p", lineId: "cut", stage: "production", estimatedKgCO2e: 1, estimatedShare: 0.01 },
      { productId: "p", lineId: "unknown", stage: "raw_material_acquisition", estimatedKgCO2e: null, estimatedShare: 0.002 },
    ]);
  });

  it("computes primary-data share and a contribution-weighted DQR", () => {
    const r = calculateFootprint(
      inventoryOf([
        {
          id: "p",
          output: { amount: 1, unit: "t" },
          lines: [
            gas("a", "co2_fossil", 30, {
              dataType: "primary",
              dataQuality: { reliability: 1, completeness: 5, temporal: 1, geographical: 1, technological: 1 },
            }),
            gas("b", "co2_fossil", 10, {
              dataType: "secondary",
              dataQuality: { reliability: 3, completeness: 1, temporal: 3, geographical: 3, technological: 3 },
            }),
          ],
        },
      ]),
    );
    expect(r.primaryDataShare).toBeCloseTo(0.75, 15);
    expect(r.dataQuality.dqr).toBeCloseTo((30 * 1 + 10 * 3) / 40, 15);
    expect(r.dataQuality.rating).toBe("excellent");
  });
});

describe("product systems solved as a linear system", () => {
  it("solves a two-product loop by hand: A uses ½ B, B uses ¼ A", () => {
    // s_A − ¼ s_B = 1, s_B − ½ s_A = 0 → s_A = 8/7, s_B = 4/7; total = 2·8/7 + 4·4/7 = 32/7.
    const r = calculateFootprint(
      inventoryOf([
        { id: "A", output: { amount: 1, unit: "t" }, lines: [sub("b", "B", 0.5, "t"), gas("eA", "co2_fossil", 2)] },
        { id: "B", output: { amount: 1000, unit: "kg" }, lines: [sub("a", "A", 250, "kg"), gas("eB", "co2_fossil", 4)] },
      ]),
    );
    expect(r.total).toBeCloseTo(32 / 7, 13);
    const [a, b] = r.byProduct;
    expect(a?.scaling).toBeCloseTo(8 / 7, 14);
    expect(b?.scaling).toBeCloseTo(4 / 7, 14);
    expect(a?.inLoop && b?.inLoop).toBe(true);
    expect(a?.cumulativeKgCO2ePerUnit).toBeCloseTo(32 / 7, 13);
    expect(r.system.loops).toBe(true);
  });

  it("matches the closed form of a ring: k products each using a of the next gives e/(1−a)", () => {
    const k = 5;
    const a = 0.3;
    const e = 10;
    const products = Array.from({ length: k }, (_, i) => ({
      id: `P${i}`,
      output: { amount: 1, unit: "t" },
      lines: [sub(`next${i}`, `P${(i + 1) % k}`, a, "t"), gas(`e${i}`, "co2_fossil", e)],
    }));
    const r = calculateFootprint(inventoryOf(products));
    expect(r.total).toBeCloseTo(e / (1 - a), 12);
  });

  it("handles self-consumption: a product using r of its own output scales by 1/(1−r)", () => {
    const r = calculateFootprint(
      inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [sub("self", "p", 0.2, "t"), gas("e", "co2_fossil", 8)] }]),
    );
    expect(r.total).toBeCloseTo(10, 13);
  });

  it("refuses a singular system, naming the product", () => {
    const inv = inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [sub("self", "p", 1, "t"), gas("e", "co2_fossil", 8)] }]);
    expect(() => calculateFootprint(inv)).toThrow(SingularProductSystemError);
    try {
      calculateFootprint(inv);
    } catch (e) {
      expect((e as SingularProductSystemError).productId).toBe("p");
    }
  });
});

describe("domain errors", () => {
  const p = (lines: Parameters<typeof inventoryOf>[0][number]["lines"]) => inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines }]);
  it("names a missing factor", () => {
    expect(() => calculateFootprint(p([material("x", 1, "kg", "NO-SUCH")]))).toThrow(MissingEmissionFactorError);
  });
  it("refuses a unit of the wrong dimension", () => {
    expect(() => calculateFootprint(p([material("x", 1, "kWh", "MAT-LIMESTONE-DEMO")]))).toThrow(UnitMismatchError);
    expect(() => calculateFootprint(inventoryOf([{ id: "p", output: { amount: 1, unit: "m3" }, lines: [] }]))).toThrow(UnitMismatchError);
  });
  it("refuses unknown sub-products and duplicate ids", () => {
    expect(() => calculateFootprint(p([sub("x", "ghost", 1, "t")]))).toThrow(UnknownProductError);
    expect(() => calculateFootprint(p([gas("x", "co2_fossil", 1), gas("x", "co2_fossil", 1)]))).toThrow(DuplicateIdError);
  });
  it("reports stages outside the boundary, or refuses them when enforcing", () => {
    const inv = p([gas("use", "co2_fossil", 1, { stage: "use" })]);
    expect(calculateFootprint(inv).warnings.map((w) => w.code)).toContain("stage_outside_boundary");
    expect(() => calculateFootprint(inv, { stagePolicy: "enforce" })).toThrow(StageNotAllowedError);
  });
  it("validates input with the schema", () => {
    expect(() => parseInventory({ products: [] })).toThrow(InvalidInventoryError);
    const bad = {
      ...inventoryOf([
        {
          id: "p",
          output: { amount: 1, unit: "t" },
          lines: [{ id: "t", stage: "production", kind: "transport", factorCode: "X", dataType: "primary" }],
        },
      ]),
    };
    expect(() => parseInventory(bad)).toThrow(/exactly one/);
  });
});

describe("demo products and stamps", () => {
  it.each([
    // On CN-DEMO 2026.2: the published 2024 grid and wind factors and natural gas (2026.1 gave 97.33162056, 645.0587532, 10.777462).
    ["battery", 94.90335656, "PCR-CN-LIB-EV"],
    ["cement", 642.7544012, "PCR-CN-CEMENT"],
    ["textile", 10.5976925, "PCR-CN-TEXTILE-FABRIC"],
  ])("%s example totals %d kgCO2e per declared unit", (name, total, code) => {
    const r = calculateFootprintFromData(example(name));
    expect(r.total).toBeCloseTo(total, 9);
    expect(r.stamp.pcr.code).toBe(code);
    expect(r.stamp.pcr.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.stamp.factorDataset).toEqual({ id: "CN-DEMO", version: "2026.2", demonstration: true });
    expect(r.stamp.calculator.version).toBe("1.0.0");
    expect(r.stamp.inputSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.byStage.reduce((s, x) => s + x.kgCO2e, 0)).toBeCloseTo(r.total, 9);
  });

  it("hashes the canonical input: member order does not matter, content does", () => {
    const data = example("cement") as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(data).reverse());
    expect(calculateFootprintFromData(reordered).stamp.inputSha256).toBe(calculateFootprintFromData(data).stamp.inputSha256);
    expect(calculateFootprintFromData({ ...data, id: "other" }).stamp.inputSha256).not.toBe(calculateFootprintFromData(data).stamp.inputSha256);
  });

  it("presents decimal strings with units", () => {
    const shown = presentFootprint(calculateFootprintFromData(example("cement")), 4);
    expect(shown.total).toEqual({ value: "642.8", unit: "kgCO2e", exact: "642.7544012000001", per: "1 t" });
  });

  it("publishes a JSON Schema of the inventory", () => {
    const schema = inventoryJsonSchema() as { type: string; properties: Record<string, unknown> };
    expect(schema.type).toBe("object");
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["pcr", "factorDataset", "gwpSet", "declaredUnit", "products"]));
  });
});
