import { describe, expect, it } from "vitest";
import { contentHash } from "../../rules/canonical.ts";
import { DatasetVersionConflictError, UnknownPcrError } from "../../rules/errors.ts";
import { CN_DEMO_2026_1, DEFAULT_FACTOR_LIBRARY, FactorDatasetSchema } from "../../rules/factors/index.ts";
import { PCR_CATALOGUE, PUBLISHED_PCR_HASHES } from "../../rules/pcr/index.ts";

describe("PCR catalogue", () => {
  it("holds the 18 required categories (21 PCR codes)", () => {
    const codes = PCR_CATALOGUE.list().map((p) => p.code);
    expect(codes.length).toBeGreaterThanOrEqual(21);
    for (const code of [
      "PCR-CN-LIB-CONSUMER",
      "PCR-CN-LIB-EV",
      "PCR-CN-LIB-ESS",
      "PCR-CN-PV-MODULE",
      "PCR-CN-STEEL-BF-BOF",
      "PCR-CN-STEEL-EAF",
      "PCR-CN-FERROALLOY",
      "PCR-CN-ALU-PRIMARY",
      "PCR-CN-CEMENT",
      "PCR-CN-FLAT-GLASS",
      "PCR-CN-ALU-PROFILE",
      "PCR-CN-MOTOR-3PH",
      "PCR-CN-TYRE",
      "PCR-CN-TEXTILE-FABRIC",
      "PCR-CN-CERAMIC-TILE",
      "PCR-CN-RAC",
      "PCR-CN-PC-LAPTOP",
      "PCR-CN-PC-DESKTOP",
      "PCR-CN-WOOD-PANEL",
      "PCR-CN-UREA",
      "PCR-CN-AMMONIUM-PHOSPHATE",
    ]) {
      expect(codes).toContain(code);
    }
  });

  it("never changes a published version: content hashes match the registry", () => {
    const published = PCR_CATALOGUE.all();
    for (const { pcr, contentSha256 } of published) {
      const key = `${pcr.code}@${pcr.version}`;
      expect(PUBLISHED_PCR_HASHES[key], `${key} is not registered in rules/pcr/published.ts`).toBeDefined();
      expect(contentSha256, `${key} changed after publication: publish a new version instead`).toBe(PUBLISHED_PCR_HASHES[key]);
      expect(contentHash(pcr)).toBe(contentSha256);
    }
    expect(Object.keys(PUBLISHED_PCR_HASHES).length).toBe(published.length);
  });

  it("freezes published versions", () => {
    const pcr = PCR_CATALOGUE.get("PCR-CN-CEMENT", "1.0.0");
    expect(Object.isFrozen(pcr) && Object.isFrozen(pcr.labels)).toBe(true);
    expect(() => {
      (pcr.cutOff as { perFlowMaxShare: number }).perFlowMaxShare = 0.5;
    }).toThrow(TypeError);
  });

  it("has a low-carbon benchmark exactly for the low-carbon catalogue categories, flagged as demonstration", () => {
    const withBenchmark = PCR_CATALOGUE.list()
      .filter((p) => p.labels.lowCarbonBenchmark !== null)
      .map((p) => p.code)
      .sort();
    expect(withBenchmark).toEqual([
      "PCR-CN-ALU-PROFILE",
      "PCR-CN-CEMENT",
      "PCR-CN-CERAMIC-TILE",
      "PCR-CN-FLAT-GLASS",
      "PCR-CN-MOTOR-3PH",
      "PCR-CN-TEXTILE-FABRIC",
      "PCR-CN-TYRE",
    ]);
    for (const p of PCR_CATALOGUE.list()) {
      if (p.labels.lowCarbonBenchmark) expect(p.labels.lowCarbonBenchmark.demonstration).toBe(true);
      expect(p.labels.reducedCarbon.minimumReduction).toBe(0.11);
      expect(p.gwpSet).toBe("AR6");
      expect(p.stages.required.every((s) => p.stages.allowed.includes(s))).toBe(true);
    }
  });

  it("looks up by code and version, latest, and category", () => {
    expect(PCR_CATALOGUE.latest("PCR-CN-CEMENT").version).toBe("1.0.0");
    expect(PCR_CATALOGUE.byCategory("cement").map((p) => p.code)).toEqual(["PCR-CN-CEMENT"]);
    expect(PCR_CATALOGUE.categories()).toContain("textile_fabric");
    expect(() => PCR_CATALOGUE.get("PCR-CN-CEMENT", "9.9.9")).toThrow(UnknownPcrError);
  });
});

describe("CN-DEMO 2026.1 factor dataset", () => {
  const f = (code: string) => DEFAULT_FACTOR_LIBRARY.index("CN-DEMO", "2026.1").get(code);

  it("validates and copies REFERENCE.md §4 exactly", () => {
    expect(FactorDatasetSchema.safeParse(CN_DEMO_2026_1).success).toBe(true);
    expect(f("EL-S2-CN-2023")?.gases?.co2_fossil).toBe(0.5306);
    expect(f("EL-S2-CN-XMNF-2022")?.gases?.co2_fossil).toBe(0.5856);
    expect(f("EL-S2-CN-FOSSIL-2021")?.gases?.co2_fossil).toBe(0.8426);
    expect(f("EL-S2-SW-2023")?.gases?.co2_fossil).toBe(0.2472);
    expect(f("EL-S2-SC-2021")?.gases?.co2_fossil).toBe(0.1255);
    expect(f("EL-S2-XJ-2022")?.gases?.co2_fossil).toBe(0.6231);
    expect(f("EL-LC-CN-2023")?.co2e?.value).toBe(0.6205);
    expect(f("EL-LC-PV-2023")?.co2e?.value).toBe(0.0545);
    expect(f("FUEL-NATURAL-GAS")?.gases?.co2_fossil).toBe(2.1622);
    expect(f("FUEL-NATURAL-GAS")?.activityUnit).toBe("m3");
    expect(f("MAT-ALU-ELECTROLYTIC")?.co2e?.value).toBe(20300);
    expect(f("TR-RAIL-FREIGHT")?.co2e?.value).toBe(0.02782);
    const provinces = CN_DEMO_2026_1.factors.filter((x) => x.boundary === "scope2_co2_only" && x.region.length === 5);
    expect(provinces.length).toBe(60);
  });

  it("labels Scope-2 grid factors as CO2-only and flags every demonstration value with a note", () => {
    for (const x of CN_DEMO_2026_1.factors) {
      if (x.code.startsWith("EL-S2-")) expect(x.boundary).toBe("scope2_co2_only");
      if (x.demonstration) expect(x.note?.length).toBeGreaterThan(10);
    }
  });

  it("is frozen and refuses a different dataset under an existing version", () => {
    const ds = DEFAULT_FACTOR_LIBRARY.get("CN-DEMO", "2026.1");
    expect(Object.isFrozen(ds.factors[0])).toBe(true);
    const changed = { ...CN_DEMO_2026_1, factors: CN_DEMO_2026_1.factors.slice(1) };
    expect(() => DEFAULT_FACTOR_LIBRARY.with(changed)).toThrow(DatasetVersionConflictError);
    const next = DEFAULT_FACTOR_LIBRARY.with({ ...changed, version: "2026.9" });
    expect(next.latest("CN-DEMO").version).toBe("2026.9");
    expect(next.get("CN-DEMO", "2026.1").factors.length).toBe(CN_DEMO_2026_1.factors.length);
  });
});
