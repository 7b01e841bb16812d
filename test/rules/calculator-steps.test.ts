import { describe, expect, it } from "vitest";
import { calculateFootprint } from "../../rules/calculator/index.ts";
import { calculateSystem } from "../../rules/calculator/engine.ts";
import { calculationWarning, MAX_LISTED_LINES, type CalculationNotice } from "../../rules/calculator/messages.ts";
import type { Inventory, InventoryLine, ModelledProduct } from "../../rules/calculator/schema.ts";
import { accumulate } from "../../rules/calculator/steps/accumulate.ts";
import { buildMatrices } from "../../rules/calculator/steps/build-matrices.ts";
import { KernelCache, resolveFactors } from "../../rules/calculator/steps/resolve-factors.ts";
import { collectNotices, shapeLines, shapeProducts, shapeResult, type CalculatedSystem } from "../../rules/calculator/steps/shape-result.ts";
import { cumulativeFootprints, solveSupply } from "../../rules/calculator/steps/solve.ts";
import { indexProducts, resolveStudy } from "../../rules/calculator/steps/study.ts";
import { contentHash } from "../../rules/canonical.ts";
import {
  DuplicateIdError,
  MissingEmissionFactorError,
  SingularProductSystemError,
  StageNotAllowedError,
  UnknownProductError,
  UnknownRegionError,
} from "../../rules/errors.ts";
import type { SparseMatrixCSC } from "../../rules/solver/index.ts";
import { STAGE_INDEX } from "../../rules/stages.ts";
import { GOOD_DQ, gas, inventoryOf, material, sub } from "./helpers.ts";

const product = (id: string, lines: InventoryLine[], amount = 1, unit = "t"): ModelledProduct => ({ id, output: { amount, unit }, lines });
const electricity = (id: string, supply: Record<string, unknown>, amount = 1000): InventoryLine =>
  ({ id, stage: "production", kind: "electricity", amount, unit: "kWh", supply, dataType: "primary", dataQuality: GOOD_DQ }) as InventoryLine;

/** Runs the steps in order, as calculateFootprint does, keeping every intermediate value. */
const runSteps = (inventory: Inventory): CalculatedSystem => calculateSystem(inventory);

function dense(m: SparseMatrixCSC): number[][] {
  const a = Array.from({ length: m.n }, () => new Array<number>(m.n).fill(0));
  for (let j = 0; j < m.n; j++) {
    for (let p = m.colPtr[j] ?? 0; p < (m.colPtr[j + 1] ?? 0); p++) {
      const row = a[m.rowIdx[p] ?? 0];
      if (row) row[j] = m.values[p] ?? 0;
    }
  }
  return a;
}

describe("study: what the inventory's header fixes", () => {
  it("resolves the PCR, dataset, GWP set, reference year, location and the allowed stages", () => {
    const study = resolveStudy(inventoryOf([product("p", [])], { location: { region: "CN-JS" } }), { stagePolicy: "enforce" });
    expect(study.pcr.code).toBe("PCR-CN-CEMENT");
    expect(study.datasetKey).toBe("CN-DEMO@2026.1");
    expect(study.gwp.id).toBe("AR6");
    expect(study.referenceYear).toBe(2025);
    expect(study.location).toBe("CN-JS");
    expect(study.enforceStages).toBe(true);
    expect(study.allowedStages[STAGE_INDEX.production]).toBe(1);
    expect(study.allowedStages[STAGE_INDEX.use]).toBe(0);
    expect(resolveStudy(inventoryOf([product("p", [])])).location).toBe("CN");
  });

  it("refuses an unknown location", () => {
    expect(() => resolveStudy(inventoryOf([product("p", [])], { location: { region: "XX" } }))).toThrow(UnknownRegionError);
  });

  it("indexes products as matrix columns with canonical output units, and finds the reference product", () => {
    const index = indexProducts(
      inventoryOf([product("a", [gas("e", "co2_fossil", 1)]), product("b", [gas("e1", "co2_fossil", 1), gas("e2", "co2_fossil", 1)], 500, "kg")], {
        referenceProduct: "b",
      }),
    );
    expect([...index.columnOf]).toEqual([
      ["a", 0],
      ["b", 1],
    ]);
    expect(index.outputUnit).toEqual(["t", "kg"]);
    expect(index.lineCount).toBe(3);
    expect(index.root).toBe(1);
    expect(() => indexProducts(inventoryOf([product("a", []), product("a", [])]))).toThrow(DuplicateIdError);
    expect(() => indexProducts(inventoryOf([product("a", [])], { referenceProduct: "ghost" }))).toThrow(UnknownProductError);
  });
});

describe("step 1: resolve factors", () => {
  it("gives each line its characterised kernel and its activity per run in the kernel's unit", () => {
    const inv = inventoryOf([
      product("p", [material("lime", 1200, "kg", "MAT-LIMESTONE-DEMO"), gas("leak", "ch4_fossil", 2), sub("b", "q", 500, "kg")]),
      product("q", []),
    ]);
    const { table, links } = resolveFactors(inv, resolveStudy(inv), indexProducts(inv));
    expect(table.kernels[0]?.unit).toBe("t");
    expect(table.activity[0]).toBeCloseTo(1.2, 15);
    expect(table.kernels[0]?.co2e).toBeCloseTo(2.6, 12);
    expect(table.kernels[1]?.co2e).toBeCloseTo(29.8, 12);
    expect(table.activity[1]).toBe(2);
    // A sub-product line has no kernel: its activity is in the target product's unit, and it is a link.
    expect(table.kernels[2]).toBeNull();
    expect(table.target[2]).toBe(1);
    expect(table.activity[2]).toBeCloseTo(0.5, 15);
    expect(links).toEqual([2]);
    expect([...table.product]).toEqual([0, 0, 0]);
  });

  it("characterises a factor once however many lines use it", () => {
    const inv = inventoryOf([product("p", [material("a", 1, "t", "MAT-GYPSUM-DEMO"), material("b", 5, "kg", "MAT-GYPSUM-DEMO")])]);
    const { table } = resolveFactors(inv, resolveStudy(inv), indexProducts(inv));
    expect(table.kernels[0]).toBe(table.kernels[1]);
    const cache = new KernelCache(resolveStudy(inv));
    expect(cache.forGas("n2o")).toBe(cache.forGas("n2o"));
    expect(cache.forGrid("CN", 2025)).toBe(cache.forGrid("CN", 2025));
    expect(() => cache.forCode("NO-SUCH", "x")).toThrow(MissingEmissionFactorError);
  });

  it("keeps an excluded line it cannot resolve, without a kernel and out of the technosphere", () => {
    const inv = inventoryOf([
      product("p", [
        gas("main", "co2_fossil", 1),
        material("unknown", 1, "kg", "NOPE", { excluded: true }),
        { ...sub("cut", "p", 0.1, "t"), excluded: true },
      ]),
    ]);
    const { table, links } = resolveFactors(inv, resolveStudy(inv), indexProducts(inv));
    expect([...table.excluded]).toEqual([0, 1, 1]);
    expect(table.kernels[1]).toBeNull();
    expect(table.target[2]).toBe(0);
    expect(links).toEqual([]);
    const included = inventoryOf([product("p", [material("unknown", 1, "kg", "NOPE")])]);
    expect(() => resolveFactors(included, resolveStudy(included), indexProducts(included))).toThrow(MissingEmissionFactorError);
  });

  it("notes stages outside the boundary, or refuses them when enforcing", () => {
    const inv = inventoryOf([product("p", [gas("use", "co2_fossil", 1, { stage: "use" }), gas("ok", "co2_fossil", 1)])]);
    expect(resolveFactors(inv, resolveStudy(inv), indexProducts(inv)).notes.outsideBoundary).toEqual(["use"]);
    expect(() => resolveFactors(inv, resolveStudy(inv, { stagePolicy: "enforce" }), indexProducts(inv))).toThrow(StageNotAllowedError);
  });

  it("notes lines without scores, demonstration factors, grid fallbacks and certificate use", () => {
    const inv = inventoryOf([
      product("p", [
        material("demo", 1, "t", "MAT-LIMESTONE-DEMO", { dataQuality: undefined }),
        electricity("js", { type: "grid", region: "CN-JS" }),
        electricity("g1", { type: "green_certificate", technology: "wind", certificateIds: ["A"], periodKWh: 1000 }),
        electricity("g2", { type: "green_certificate", technology: "wind", certificateIds: ["A"], periodKWh: 1000 }),
      ]),
    ]);
    const { notes, table } = resolveFactors(inv, resolveStudy(inv), indexProducts(inv));
    expect(notes.withoutScores).toEqual(["demo"]);
    expect(notes.demonstrationLines).toEqual(["demo"]);
    // The dataset has a life-cycle grid factor for China only: Jiangsu falls back to it.
    expect([...notes.gridFallbacks.values()]).toEqual([{ requestedRegion: "CN-JS", usedRegion: "CN", lineIds: ["js"] }]);
    expect(table.extras.get(1)).toEqual({ gridResolution: { requestedRegion: "CN-JS", usedRegion: "CN", requestedYear: 2025, usedYear: 2023 } });
    expect([...notes.certificateUse]).toEqual([["A", ["g1", "g2"]]]);
    expect(notes.lineNotices).toEqual([]);
  });

  it("blends the renewable and grid factors by certificate coverage, and notices the shortfall", () => {
    const inv = inventoryOf([
      product("p", [electricity("green", { type: "green_certificate", technology: "wind", certificateIds: ["a", "a"], periodKWh: 2000 })]),
    ]);
    const { table, notes } = resolveFactors(inv, resolveStudy(inv), indexProducts(inv));
    expect(table.kernels[0]?.co2e).toBeCloseTo(0.5 * 0.0336 + 0.5 * 0.6205, 12);
    expect(table.extras.get(0)).toEqual({ greenCertificates: { ids: 2, uniqueIds: 1, periodKWh: 2000, coveredShare: 0.5 } });
    expect(notes.lineNotices).toEqual([
      { code: "green_certificates_insufficient", lineId: "green", uniqueIds: 1, coveredKWh: 1000, periodKWh: 2000 },
    ]);
  });

  it("notices a supplier certificate that expired before the period ended", () => {
    const certificate = (validUntil: string): InventoryLine => ({
      id: `cert-${validUntil}`,
      stage: "raw_material_acquisition",
      kind: "supplier_certificate",
      amount: 1,
      unit: "t",
      certificate: { number: `CB-${validUntil}`, kgCO2ePerDeclaredUnit: 800, declaredUnit: { quantity: 1, unit: "t" }, gwpSet: "AR6", validUntil },
      dataType: "primary",
      dataQuality: GOOD_DQ,
    });
    const inv = inventoryOf([product("p", [certificate("2025-06-30"), certificate("2026-06-30")])]);
    const { notes, table } = resolveFactors(inv, resolveStudy(inv), indexProducts(inv));
    expect(notes.lineNotices).toEqual([
      { code: "supplier_certificate_expired", lineId: "cert-2025-06-30", certificate: "CB-2025-06-30", validUntil: "2025-06-30" },
    ]);
    expect(table.kernels[0]?.use?.inline).toBe(true);
  });
});

describe("step 2: build the technosphere matrix", () => {
  it("puts outputs on the diagonal and what each product draws below it", () => {
    const inv = inventoryOf([product("a", [sub("b", "b", 500, "kg"), gas("e", "co2_fossil", 1)]), product("b", [gas("e", "co2_fossil", 1)], 2)]);
    const { table, links } = resolveFactors(inv, resolveStudy(inv), indexProducts(inv));
    const system = buildMatrices(inv.products, table, links);
    expect(dense(system.technosphere)).toEqual([
      [1, 0],
      [-0.5, 2],
    ]);
    expect(system.links).toBe(1);
    expect([...system.inLoop]).toEqual([0, 0]);
  });

  it("marks the products of loops and self-consumption", () => {
    const inv = inventoryOf([
      product("a", [sub("b", "b", 0.5, "t")]),
      product("b", [sub("a", "a", 0.25, "t")]),
      product("c", [sub("c", "c", 0.1, "t")]),
      product("d", []),
    ]);
    const { table, links } = resolveFactors(inv, resolveStudy(inv), indexProducts(inv));
    const system = buildMatrices(inv.products, table, links);
    expect([...system.inLoop]).toEqual([1, 1, 1, 0]);
    expect(dense(system.technosphere)[2]?.[2]).toBeCloseTo(0.9, 15);
  });
});

describe("step 3: solve", () => {
  it("solves A·s = f for the declared unit, converted into the reference product's unit", () => {
    // a uses ½ t of b per t; b makes 2 t per run: s_a = 1, s_b = ¼ for 1 000 kg of a.
    const inv = inventoryOf([product("a", [sub("b", "b", 0.5, "t")]), product("b", [], 2)], { declaredUnit: { quantity: 1000, unit: "kg" } });
    const products = indexProducts(inv);
    const { table, links } = resolveFactors(inv, resolveStudy(inv), products);
    const { supply, factorization } = solveSupply(inv, products, buildMatrices(inv.products, table, links).technosphere);
    expect([...supply]).toEqual([1, 0.25]);
    // Cumulative footprints: h_b = 4 / 2 per t of b, h_a = 3 + ½ h_b.
    expect([...cumulativeFootprints(factorization, Float64Array.from([3, 4]))]).toEqual([4, 2]);
  });

  it("names the product of a singular system", () => {
    const inv = inventoryOf([product("p", [sub("self", "p", 1, "t")])]);
    const products = indexProducts(inv);
    const { table, links } = resolveFactors(inv, resolveStudy(inv), products);
    const technosphere = buildMatrices(inv.products, table, links).technosphere;
    const thrown = (() => {
      try {
        solveSupply(inv, products, technosphere);
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toBeInstanceOf(SingularProductSystemError);
    expect((thrown as SingularProductSystemError).productId).toBe("p");
  });
});

describe("step 4: characterise and accumulate", () => {
  it("scales each included line by its product's supply and sums by stage, gas and origin", () => {
    const inv = inventoryOf([
      product("a", [
        sub("b", "b", 0.5, "t"),
        gas("co2", "co2_fossil", 10, { dataType: "primary" }),
        gas("bio", "ch4_non_fossil", 1, {
          stage: "raw_material_acquisition",
          dataType: "secondary",
          dataQuality: { ...GOOD_DQ, reliability: 5, technological: 5, temporal: 5, geographical: 5 },
        }),
        gas("cut", "co2_fossil", 100, { excluded: true }),
      ]),
      product("b", [gas("co2b", "co2_fossil", 4, { dataType: "primary" })]),
    ]);
    const { totals, supply } = runSteps(inv);
    expect([...supply]).toEqual([1, 0.5]);
    expect([...totals.contribution]).toEqual([0, 10, 27, 0, 2]);
    expect([...totals.directPerRun]).toEqual([37, 4]);
    expect(totals.total).toBe(39);
    expect(totals.byStage[STAGE_INDEX.production]).toBe(12);
    expect(totals.byStage[STAGE_INDEX.raw_material_acquisition]).toBe(27);
    expect(totals.fossil).toBe(12);
    expect(totals.biogenic).toBe(27);
    expect(totals.gasMass[0]).toBe(12);
    expect(totals.primaryDataShare).toBeCloseTo(12 / 39, 15);
    expect(totals.dqr).toBeCloseTo((12 * 1 + 27 * 5) / 39, 15);
  });

  it("rates data quality by the plain mean when nothing contributes, and 5 without lines", () => {
    const zero = runSteps(
      inventoryOf([
        product("p", [gas("z", "co2_fossil", 0, { dataQuality: { ...GOOD_DQ, reliability: 3, technological: 3, temporal: 3, geographical: 3 } })]),
      ]),
    );
    expect(zero.totals.dqr).toBe(3);
    expect(runSteps(inventoryOf([product("p", [])])).totals.dqr).toBe(5);
  });
});

describe("step 5: shape the result", () => {
  it("gives excluded flows their share of the footprint had they been included", () => {
    const calc = runSteps(
      inventoryOf([
        product("p", [
          gas("main", "co2_fossil", 99),
          gas("cut", "co2_fossil", 1, { excluded: true }),
          material("unknown", 1, "kg", "NOPE", { excluded: true, estimatedShare: 0.002 }),
        ]),
      ]),
    );
    const { byLine, excluded } = shapeLines(calc);
    expect(byLine.map((l) => [l.lineId, l.kgCO2e, l.share])).toEqual([
      ["main", 99, 1],
      ["cut", 0, 0],
      ["unknown", 0, 0],
    ]);
    expect(excluded).toEqual([
      { productId: "p", lineId: "cut", stage: "production", estimatedKgCO2e: 1, estimatedShare: 0.01 },
      { productId: "p", lineId: "unknown", stage: "raw_material_acquisition", estimatedKgCO2e: null, estimatedShare: 0.002 },
    ]);
  });

  it("reports what a sub-product link embodies, and each product's scaling and cumulative footprint", () => {
    const calc = runSteps(
      inventoryOf([product("a", [sub("b", "b", 0.5, "t"), gas("e", "co2_fossil", 1)]), { ...product("b", [gas("e", "co2_fossil", 4)]), name: "B" }]),
    );
    expect(shapeLines(calc).byLine[0]).toMatchObject({ lineId: "b", activity: 0.5, activityUnit: "t", kgCO2e: 0, embodiedKgCO2e: 2 });
    expect(shapeProducts(calc)).toEqual([
      { productId: "a", scaling: 1, producedAmount: 1, unit: "t", directKgCO2e: 1, cumulativeKgCO2ePerUnit: 3, inLoop: false },
      { productId: "b", name: "B", scaling: 0.5, producedAmount: 0.5, unit: "t", directKgCO2e: 2, cumulativeKgCO2ePerUnit: 4, inLoop: false },
    ]);
  });

  it("lists notices line by line first, then about the whole system", () => {
    const calc = runSteps(
      inventoryOf([
        product("p", [
          gas("use", "co2_fossil", 1, { stage: "use", dataQuality: undefined }),
          electricity("g1", { type: "green_certificate", technology: "wind", certificateIds: ["A"], periodKWh: 2000 }),
          electricity("g2", { type: "green_certificate", technology: "wind", certificateIds: ["A"], periodKWh: 1000 }),
        ]),
      ]),
    );
    const notices = collectNotices(calc.lines.notes, "PCR-CN-CEMENT@1.0.0", shapeProducts(calc));
    expect(notices.map((n) => n.code)).toEqual([
      "green_certificates_insufficient",
      "stage_outside_boundary",
      "green_certificate_reused",
      "missing_data_quality",
    ]);
    const negative = collectNotices(calc.lines.notes, "x", [
      { productId: "q", scaling: -1, producedAmount: -1, unit: "t", directKgCO2e: 0, cumulativeKgCO2ePerUnit: 0, inLoop: true },
    ]);
    expect(negative.at(-1)).toEqual({ code: "negative_supply", productIds: ["q"] });
  });

  it("composes into exactly what calculateFootprint returns", () => {
    const inv = inventoryOf([
      product("a", [
        sub("b", "b", 0.5, "t"),
        gas("e", "co2_fossil", 1),
        material("lime", 1, "t", "MAT-LIMESTONE-DEMO"),
        electricity("js", { type: "grid", region: "CN-JS" }),
      ]),
      product("b", [sub("a", "a", 0.1, "t"), gas("e", "n2o", 0.01)]),
    ]);
    // The steps chained by hand, each fed what the previous one gave: the engine adds nothing between them.
    const study = resolveStudy(inv);
    const products = indexProducts(inv);
    const lines = resolveFactors(inv, study, products);
    const system = buildMatrices(inv.products, lines.table, lines.links);
    const { factorization, supply } = solveSupply(inv, products, system.technosphere);
    const totals = accumulate(inv.products, lines.table, supply);
    const cumulative = cumulativeFootprints(factorization, totals.directPerRun);
    const byHand = shapeResult({ inventory: inv, study, inputSha256: contentHash(inv), products, lines, system, supply, totals, cumulative });
    expect(byHand).toEqual(calculateFootprint(inv));
  });
});

describe("warning texts, produced from notices in one place", () => {
  it("words each notice in both languages and lists the lines it concerns", () => {
    const expired = calculationWarning({ code: "supplier_certificate_expired", lineId: "l", certificate: "CB-1", validUntil: "2025-06-30" });
    expect(expired).toEqual({
      code: "supplier_certificate_expired",
      message: {
        zh: "供应商证书 CB-1 的有效期（2025-06-30）早于核算期结束",
        en: "Supplier certificate CB-1 expired (2025-06-30) before the reference period ended",
      },
      lineIds: ["l"],
    });
    const fallback = calculationWarning({ code: "grid_factor_fallback", requestedRegion: "CN-JS", usedRegion: "CN", lineIds: ["a", "b"] });
    expect(fallback.message.en).toBe('No life-cycle grid factor for "CN-JS" in the dataset; the enclosing region "CN" was used');
    expect(fallback).toMatchObject({ lineIds: ["a", "b"], count: 2 });
    const negative = calculationWarning({ code: "negative_supply", productIds: ["p", "q"] });
    expect(negative).toEqual({
      code: "negative_supply",
      message: { zh: "产品 p、q 的需求量为负，请检查循环中的用量", en: "Product(s) p, q have negative supply; check the amounts in loops" },
    });
  });

  it("caps long line lists and gives the count, except for a reused certificate's lines", () => {
    const ids = Array.from({ length: MAX_LISTED_LINES + 7 }, (_, i) => `L${i}`);
    const notices: CalculationNotice[] = [
      { code: "stage_outside_boundary", pcr: "PCR-CN-CEMENT@1.0.0", lineIds: ids },
      { code: "missing_data_quality", lineIds: ids },
      { code: "demonstration_factors", lineIds: ids },
    ];
    for (const warning of notices.map(calculationWarning)) {
      expect(warning.lineIds).toEqual(ids.slice(0, MAX_LISTED_LINES));
      expect(warning.count).toBe(ids.length);
      expect(warning.message.en).toMatch(/^57 line\(s\)/);
    }
    const reused = calculationWarning({ code: "green_certificate_reused", certificate: "A", lineIds: ids });
    expect(reused.lineIds).toEqual(ids);
    expect(reused.count).toBeUndefined();
  });
});
