/**
 * Line-level failure (issue 14, point 3): under the editor's "exclude" policy a line that cannot be
 * calculated is left out with its located errors, the rest is calculated, and the result says it
 * is incomplete; the default policy still refuses the whole inventory, naming the line.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { calculateFootprint, parseInventory, type FootprintResult, type Inventory, type InventoryLine } from "../../rules/calculator/index.ts";
import { checkConformance } from "../../rules/conformance/index.ts";
import { GwpSetMismatchError, InventoryRefusedError, MissingEmissionFactorError } from "../../rules/errors.ts";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import { GOOD_DQ, gas, inventoryOf, material, rawCoal, sub } from "./helpers.ts";

const example = (name: string): Inventory =>
  parseInventory(JSON.parse(readFileSync(new URL(`../../rules/examples/${name}-inventory.json`, import.meta.url), "utf8")));

/** The example with one line changed (found by id in any product). */
function withLine(inventory: Inventory, lineId: string, change: (line: InventoryLine) => InventoryLine): Inventory {
  return {
    ...inventory,
    products: inventory.products.map((p) => ({ ...p, lines: p.lines.map((l) => (l.id === lineId ? change(l) : l)) })),
  };
}

const contributionOf = (result: FootprintResult, lineId: string) => result.byLine.find((l) => l.lineId === lineId)?.kgCO2e ?? NaN;

describe("a line whose factor cannot be used", () => {
  const cement = example("cement");
  const full = calculateFootprint(cement);
  // The truck line's AR6 restatement replaced by the GB/T 51366 factor, known only as AR5 CO2e.
  const broken = withLine(cement, "additives-truck", (l) => ({ ...l, factorCode: "TR-ROAD-HDT-30T" }) as InventoryLine);

  it("refuses the inventory by default, located at the line's factor (the certification path)", () => {
    let error: unknown;
    try {
      calculateFootprint(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GwpSetMismatchError);
    expect((error as GwpSetMismatchError).location).toEqual({ productId: "cement", lineId: "additives-truck", field: "factorCode" });
  });

  it("under 'exclude' leaves the rest of the result visible and marks it incomplete, naming the line and why", () => {
    const result = calculateFootprint(broken, { unusableLines: "exclude" });
    // Never a silent zero and never the whole result gone: every other line counts as before.
    expect(result.total).toBeCloseTo(full.total - contributionOf(full, "additives-truck"), 9);
    expect(result.byLine.map((l) => l.lineId)).toEqual(full.byLine.map((l) => l.lineId).filter((id) => id !== "additives-truck"));
    expect(result.incomplete).toEqual({
      lines: [
        {
          productId: "cement",
          lineId: "additives-truck",
          errors: [
            {
              code: "GwpSetMismatch",
              location: { productId: "cement", lineId: "additives-truck", field: "factorCode" },
              message: {
                zh: "产品「cement」清单行「additives-truck」的排放因子代码：因子「TR-ROAD-HDT-30T」仅以「AR5」的 CO2e 给出且无分气体数值，不能用于「AR6」研究（同一研究不得混用全球变暖潜势集）",
                en: 'Product "cement", line "additives-truck", factor code: Factor "TR-ROAD-HDT-30T" is given only as CO2e under AR5 with no per-gas values; it cannot be used in a AR6 study (GWP sets are never mixed)',
              },
            },
          ],
        },
      ],
    });
    expect(result.warnings[0]).toMatchObject({ code: "lines_unusable", lineIds: ["additives-truck"], count: 1 });
    expect(result.warnings[0]?.message.en).toBe("1 line(s) cannot be calculated and are left out: the result is incomplete (each line says why)");
    // The conformance report fails it, naming the line.
    const report = checkConformance(PCR_CATALOGUE.get("PCR-CN-CEMENT", "1.0.0"), broken, result);
    expect(report.passed).toBe(false);
    expect(report.findings.find((f) => f.check === "lines.unusable")).toMatchObject({
      passed: false,
      severity: "major",
      lineIds: ["additives-truck"],
      clause: { pcr: "PCR-CN-CEMENT@1.0.0", section: "§5" },
    });
  });

  it("gives exactly the refusing policy's result when every line can be calculated (nothing added, bit for bit)", () => {
    for (const name of ["battery", "cement", "textile"]) {
      const inventory = example(name);
      expect(calculateFootprint(inventory, { unusableLines: "exclude" })).toEqual(calculateFootprint(inventory));
    }
    const report = checkConformance(PCR_CATALOGUE.get("PCR-CN-CEMENT", "1.0.0"), cement, full);
    expect(report.findings.some((f) => f.check === "lines.unusable")).toBe(false);
  });
});

describe("every reason a line cannot be calculated, each on its own line", () => {
  const kiln = gas("kiln", "co2_fossil", 100);
  const lines: InventoryLine[] = [
    kiln,
    material("missing", 1, "t", "NOPE"),
    material("wrong-unit", 1, "kWh", "MAT-LIMESTONE-DEMO"),
    rawCoal({ id: "negative", amount: -1 }),
    sub("unknown-sub", "not-modelled", 1, "t"),
    // Not scored: left out, it is not counted among the lines scored as the worst either.
    material("unscored", 1, "t", "NOPE", { dataQuality: undefined }),
    rawCoal({ id: "overflow", amount: 1e308, unit: "t" }),
  ];
  const inventory = inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines }]);

  it("refuses them all at once by default", () => {
    let error: unknown;
    try {
      calculateFootprint(inventory);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InventoryRefusedError);
    expect((error as InventoryRefusedError).errors.map((e) => e.location?.lineId)).toEqual([
      "missing",
      "wrong-unit",
      "negative",
      "unknown-sub",
      "unscored",
      "overflow",
    ]);
  });

  it("leaves each out with its errors under 'exclude', the process emission alone counted", () => {
    const result = calculateFootprint(inventory, { unusableLines: "exclude" });
    expect(result.total).toBe(100);
    expect(result.byLine.map((l) => l.lineId)).toEqual(["kiln"]);
    expect(result.system.links).toBe(0);
    expect(result.dataQuality.linesWithoutScores).toBe(0);
    expect(result.incomplete?.lines.map((l) => [l.lineId, l.errors.map((e) => [e.code, e.location?.field])])).toEqual([
      ["missing", [["MissingEmissionFactor", "factorCode"]]],
      ["wrong-unit", [["UnitMismatch", "unit"]]],
      ["negative", [["NegativeAmount", "amount"]]],
      ["unknown-sub", [["UnknownProduct", "productId"]]],
      ["unscored", [["MissingEmissionFactor", "factorCode"]]],
      ["overflow", [["FootprintOutOfRange", "amount"]]],
    ]);
    expect(result.warnings.map((w) => w.code)).toEqual(["lines_unusable"]);
  });

  it("keeps refusing what is not about one line: an unknown dataset, a product's own output", () => {
    expect(() => calculateFootprint({ ...inventory, factorDataset: { id: "CN-DEMO", version: "1999.1" } }, { unusableLines: "exclude" })).toThrow(
      /1999\.1/,
    );
    const negativeOutput = inventoryOf([{ id: "p", output: { amount: -1, unit: "t" }, lines: [kiln] }]);
    expect(() => calculateFootprint(negativeOutput, { unusableLines: "exclude" })).toThrow(/-1/);
  });

  it("takes back what the line had noted: its demonstration factor, its green certificates, its grid fallback", () => {
    const green: InventoryLine = {
      id: "green",
      stage: "production",
      kind: "electricity",
      amount: 1e308,
      unit: "MWh",
      supply: { type: "green_certificate", technology: "wind", certificateIds: ["A"], periodKWh: 1000 },
      dataType: "primary",
      dataQuality: GOOD_DQ,
    };
    // The Jiangsu grid falls back to the national factor; the green certificate A is claimed twice.
    const grid: InventoryLine = { ...green, id: "grid", supply: { type: "grid" } } as InventoryLine;
    const again: InventoryLine = { ...green, id: "again", amount: 1, unit: "kWh" };
    const demo = material("lime", 1e308, "t", "MAT-LIMESTONE-DEMO");
    const result = calculateFootprint(
      inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [kiln, green, grid, again, demo] }], { location: { region: "CN-JS" } }),
      {
        unusableLines: "exclude",
      },
    );
    expect(result.incomplete?.lines.map((l) => l.lineId)).toEqual(["green", "grid", "lime"]);
    // No fallback, reuse or demonstration warning is left about a line that is not in the result.
    expect(result.warnings.map((w) => w.code)).toEqual(["lines_unusable"]);
    expect(result.byLine.map((l) => l.lineId)).toEqual(["kiln", "again"]);
  });

  it("names the missing factor with the including dataset", () => {
    const result = calculateFootprint(inventory, { unusableLines: "exclude" });
    const missing = result.incomplete?.lines[0]?.errors[0];
    expect(missing?.message.en).toContain(new MissingEmissionFactorError("NOPE", "CN-DEMO@2026.1").detail.en);
  });
});
