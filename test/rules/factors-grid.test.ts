/**
 * The grid factor a product footprint takes on the published data: the national electricity
 * carbon-footprint factor (life-cycle CO2e) of the latest data year not after the accounting year;
 * the regional and provincial CO2-only factors stay available, labelled, and are never taken by a
 * PCR whose basis is life cycle.
 */
import { describe, expect, it } from "vitest";
import { calculateFootprint, type Inventory, type InventoryLine } from "../../rules/calculator/index.ts";
import { checkConformance } from "../../rules/conformance/index.ts";
import { MissingEmissionFactorError } from "../../rules/errors.ts";
import {
  chooseGridFactor,
  chooseRenewableFactor,
  CN_DEMO_2026_2,
  DEFAULT_FACTOR_LIBRARY,
  GRID_YEAR_CONVENTION,
  YEAR_CONVENTION_TEXT,
} from "../../rules/factors/index.ts";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import { GOOD_DQ, inventoryOf } from "./helpers.ts";

const library = DEFAULT_FACTOR_LIBRARY.with(CN_DEMO_2026_2);
const published = library.index("CN-PUBLISHED", "2026.1");
const composed = library.index("CN-DEMO", "2026.2");

const electricity = (id: string, supply: Record<string, unknown>, amount = 1000): InventoryLine =>
  ({ id, stage: "production", kind: "electricity", amount, unit: "kWh", supply, dataType: "primary", dataQuality: GOOD_DQ }) as InventoryLine;

/** One product drawing `lines`, on CN-DEMO 2026.2, for the calendar year `year`. */
function inventoryIn(year: number, lines: InventoryLine[], overrides: Partial<Inventory> = {}): Inventory {
  return inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines }], {
    factorDataset: { id: "CN-DEMO", version: "2026.2" },
    period: { start: `${year}-01-01`, end: `${year}-12-31` },
    ...overrides,
  });
}

describe("grid electricity on the published factors", () => {
  it("takes the national carbon-footprint factor of the latest data year not after the accounting year", () => {
    const cases: Array<[number, string, number]> = [
      [2023, "EL-LC-CN-2023", 0.6205],
      [2024, "EL-LC-CN-2024", 0.5777],
      [2025, "EL-LC-CN-2024", 0.5777],
      [2030, "EL-LC-CN-2024", 0.5777],
    ];
    for (const [year, code, value] of cases) {
      const result = calculateFootprint(inventoryIn(year, [electricity("grid", { type: "grid" })]), { factors: library });
      const line = result.byLine[0]!;
      expect(line.factor?.code, `accounting year ${year}`).toBe(code);
      expect(line.factor?.boundary).toBe("life_cycle");
      expect(line.gridResolution).toEqual({ requestedRegion: "CN", usedRegion: "CN", requestedYear: year, usedYear: Number(code.slice(-4)) });
      expect(result.total).toBeCloseTo(1000 * value, 9);
    }
  });

  it("states the convention on the choice and on every published electricity factor, in both languages", () => {
    const choice = chooseGridFactor(composed, "CN-DEMO@2026.2", "CN", 2025, "life_cycle");
    expect(choice).toMatchObject({ requestedRegion: "CN", requestedYear: 2025, yearConvention: GRID_YEAR_CONVENTION });
    expect(choice.factor.yearConvention).toBe(GRID_YEAR_CONVENTION);
    expect(YEAR_CONVENTION_TEXT[GRID_YEAR_CONVENTION]).toEqual({
      zh: "核算年度 Y 采用数据年份不晚于 Y 的最新已发布因子",
      en: "accounting year Y uses the latest published factor whose data year is not after Y",
    });
    for (const f of published.values()) if (f.category === "electricity") expect(f.yearConvention, f.code).toBe(GRID_YEAR_CONVENTION);
  });

  it("refuses an accounting year before the first footprint factor rather than take a later one or a CO2-only one", () => {
    // 2022 has CO2-only factors (national and provincial), but no carbon-footprint factor.
    expect(published.get("EL-S2-CN-2022")).toBeDefined();
    const inv = inventoryIn(2022, [electricity("grid", { type: "grid" })]);
    expect(() => calculateFootprint(inv, { factors: library })).toThrow(MissingEmissionFactorError);
    expect(() => chooseGridFactor(composed, "CN-DEMO@2026.2", "CN", 2022, "life_cycle")).toThrow(/year ≤ 2022/);
  });

  it("never takes a province's or a regional grid's CO2-only factor under a life-cycle PCR: it falls back to the national footprint factor", () => {
    for (const region of ["CN-GD", "CN-GRID-SW", "CN-SC"]) {
      const result = calculateFootprint(inventoryIn(2025, [electricity("grid", { type: "grid", region })], { location: { region } }), {
        factors: library,
      });
      const line = result.byLine[0]!;
      expect(line.factor?.code, region).toBe("EL-LC-CN-2024");
      expect(line.gridResolution).toMatchObject({ requestedRegion: region, usedRegion: "CN", usedYear: 2024 });
      expect(result.warnings.map((w) => w.code)).toContain("grid_factor_fallback");
    }
    // Every PCR's grid basis is life cycle: each takes the footprint factor.
    const bases = new Set(PCR_CATALOGUE.list().map((p) => p.electricity.gridFactorBasis));
    expect([...bases]).toEqual(["life_cycle"]);
  });

  it("keeps the regional and provincial CO2-only factors available, labelled as such", () => {
    const gd = chooseGridFactor(published, "CN-PUBLISHED@2026.1", "CN-GD", 2025, "scope2_co2_only").factor;
    expect(gd.code).toBe("EL-S2-GD-2023");
    expect(gd.gases).toEqual({ co2_fossil: 0.4419 });
    expect(gd.name).toEqual({
      zh: "广东电力平均二氧化碳排放因子 2023（仅二氧化碳）",
      en: "Guangdong average electricity CO2 factor 2023 (CO2 only)",
    });
    expect(chooseGridFactor(published, "CN-PUBLISHED@2026.1", "CN-GRID-SW", 2022, "scope2_co2_only").factor.gases?.co2_fossil).toBe(0.2268);
    // Tibet has no provincial value: its grid's.
    expect(chooseGridFactor(published, "CN-PUBLISHED@2026.1", "CN-XZ", 2023, "scope2_co2_only").factor.code).toBe("EL-S2-SW-2023");
  });

  it("names a line that uses a CO2-only factor by code under a life-cycle PCR in the conformance report", () => {
    const inv = inventoryIn(2025, [electricity("scope2", { type: "grid", factorCode: "EL-S2-GD-2023" })], { location: { region: "CN-GD" } });
    const result = calculateFootprint(inv, { factors: library });
    expect(result.byLine[0]?.factor?.boundary).toBe("scope2_co2_only");
    const report = checkConformance(PCR_CATALOGUE.get("PCR-CN-CEMENT", "1.0.0"), inv, result);
    const basis = report.findings.find((f) => f.check === "electricity.basis");
    expect(basis?.passed).toBe(false);
    expect(basis?.lineIds).toEqual(["scope2"]);
  });

  it("takes the renewable carbon-footprint factor of the latest data year for green certificates", () => {
    expect(chooseRenewableFactor(composed, "CN-DEMO@2026.2", "wind", 2025).code).toBe("EL-LC-WIND-2024");
    expect(chooseRenewableFactor(composed, "CN-DEMO@2026.2", "pv", 2023).code).toBe("EL-LC-PV-2023");
    const result = calculateFootprint(
      inventoryIn(2025, [electricity("green", { type: "green_certificate", technology: "wind", certificateIds: ["A"], periodKWh: 1000 })]),
      { factors: library },
    );
    expect(result.total).toBeCloseTo(1000 * 0.0324, 9);
  });

  it("characterises the fuel defaults, stored per gas, under either GWP set", () => {
    const fuel = {
      id: "gas",
      stage: "production",
      kind: "fuel",
      amount: 1000,
      unit: "m3",
      factorCode: "FUEL-NATURAL-GAS",
      dataType: "primary",
      dataQuality: GOOD_DQ,
    } as InventoryLine;
    for (const gwpSet of ["AR5", "AR6"] as const) {
      const result = calculateFootprint(inventoryIn(2025, [fuel], { gwpSet }), { factors: library });
      expect(result.total, gwpSet).toBeCloseTo(2162.19, 9);
      expect(result.byGas.find((g) => g.gas === "co2_fossil")?.massKg).toBeCloseTo(2162.19, 9);
    }
  });
});

describe("grid electricity on CN-DEMO 2026.1 is as it was", () => {
  it("takes the 2023 footprint factor for 2025", () => {
    const inv = inventoryIn(2025, [electricity("grid", { type: "grid", region: "CN-JS" })], { factorDataset: { id: "CN-DEMO", version: "2026.1" } });
    const line = calculateFootprint(inv).byLine[0]!;
    expect(line.factor?.code).toBe("EL-LC-CN-2023");
    expect(line.gridResolution).toEqual({ requestedRegion: "CN-JS", usedRegion: "CN", requestedYear: 2025, usedYear: 2023 });
  });
});
