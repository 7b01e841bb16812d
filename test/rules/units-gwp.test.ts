import { describe, expect, it } from "vitest";
import { UnitMismatchError, UnknownUnitError } from "../../rules/errors.ts";
import { GASES, GWP_SETS } from "../../rules/gwp.ts";
import { canonicalUnit, conversionRatio, convert, dimensionOf, UNITS } from "../../rules/units.ts";

describe("unit conversions", () => {
  it.each([
    [1, "t", "kg", 1000],
    [1, "kg", "g", 1000],
    [2500, "g", "t", 0.0025],
    [1, "MWh", "kWh", 1000],
    [1, "GWh", "MWh", 1000],
    [1, "GJ", "MJ", 1000],
    [1, "tce", "GJ", 29.3076],
    [1, "kgce", "MJ", 29.3076],
    [1, "m3", "L", 1000],
    [1, "10^4m3", "m3", 10000],
    [1, "ha", "m2", 10000],
    [1, "km", "m", 1000],
    [1, "tkm", "kgkm", 1000],
    [1500, "kgkm", "tkm", 1.5],
    [1, "pair", "piece", 2],
    [1, "h", "s", 3600],
    [1, "MW", "kW", 1000],
  ])("%d %s = %d %s", (amount, from, to, expected) => {
    expect(convert(amount, from, to)).toBe(expected);
  });

  it("keeps ratios exact and reduced", () => {
    expect(conversionRatio("g", "t")).toEqual([1, 1_000_000]);
    expect(conversionRatio("tce", "kgce")).toEqual([1000, 1]);
    expect(conversionRatio("kWh", "kWh")).toEqual([1, 1]);
  });

  it("accepts the usual spellings", () => {
    expect(canonicalUnit("m³")).toBe("m3");
    expect(canonicalUnit("t·km")).toBe("tkm");
    expect(canonicalUnit("m²")).toBe("m2");
    expect(canonicalUnit("pcs")).toBe("piece");
    expect(canonicalUnit("万立方米")).toBe("10^4m3");
  });

  it("refuses to mix dimensions, naming both units", () => {
    expect(() => convert(1, "kWh", "MJ")).toThrow(UnitMismatchError);
    try {
      convert(1, "kg", "m3");
    } catch (e) {
      expect(e).toBeInstanceOf(UnitMismatchError);
      expect((e as UnitMismatchError).message).toContain('"kg"');
      expect((e as UnitMismatchError).message).toContain('"m3"');
      expect((e as UnitMismatchError).detail.zh).toContain("单位不匹配");
    }
  });

  it("refuses unknown units", () => {
    expect(() => convert(1, "furlong", "m")).toThrow(UnknownUnitError);
  });

  it("every unit has integer factors and a known dimension", () => {
    for (const u of UNITS) {
      expect(Number.isSafeInteger(u.numerator) && Number.isSafeInteger(u.denominator)).toBe(true);
      expect(dimensionOf(u.code)).toBe(u.dimension);
    }
  });
});

describe("GWP sets (IPCC 100-year, REFERENCE.md §3)", () => {
  it.each([
    ["co2_fossil", 1, 1],
    ["ch4_fossil", 30, 29.8],
    ["ch4_non_fossil", 28, 27.0],
    ["n2o", 265, 273],
    ["SF6", 23_500, 25_200],
    ["NF3", 16_100, 17_400],
    ["HFC-23", 12_400, 14_600],
    ["HFC-32", 677, 771],
    ["HFC-125", 3_170, 3_740],
    ["HFC-134a", 1_300, 1_526],
    ["HFC-143a", 4_800, 5_810],
    ["HFC-152a", 138, 164],
    ["HFC-227ea", 3_350, 3_600],
    ["CF4", 6_630, 7_380],
    ["C2F6", 11_100, 12_400],
  ] as const)("%s: AR5 %d, AR6 %d", (gas, ar5, ar6) => {
    expect(GWP_SETS.AR5.factors[gas]).toBe(ar5);
    expect(GWP_SETS.AR6.factors[gas]).toBe(ar6);
  });

  it("covers every gas in both sets and flags AR6 SF6 for verification", () => {
    for (const g of GASES) {
      expect(GWP_SETS.AR5.factors[g]).toBeGreaterThan(0);
      expect(GWP_SETS.AR6.factors[g]).toBeGreaterThan(0);
    }
    expect(GWP_SETS.AR6.verify.SF6).toContain("24 300");
  });
});
