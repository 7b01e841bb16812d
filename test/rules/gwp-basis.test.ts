/**
 * A GWP basis that does not trap the user (issue 14, point 2): a factor per gas is characterised
 * under any GWP set; one known only as CO2e aggregated under another set is refused or, where the
 * PCR says so, counted as given and disclosed with its share; and every factor a shipped PCR's
 * example needs exists in that PCR's GWP set, or the factor's note names the gap.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { calculateFootprint, parseInventory, type Inventory, type InventoryLine } from "../../rules/calculator/index.ts";
import { checkConformance } from "../../rules/conformance/index.ts";
import { GwpSetMismatchError } from "../../rules/errors.ts";
import { DEFAULT_FACTOR_LIBRARY, FactorLibrary, type EmissionFactor, type FactorDataset } from "../../rules/factors/index.ts";
import { GWP_SETS } from "../../rules/gwp.ts";
import { otherGwpSetRule, PCR_CATALOGUE, PcrCatalogue, PcrSchema, PUBLISHED_PCR_HASHES, type Pcr } from "../../rules/pcr/index.ts";
import { gas, GOOD_DQ, inventoryOf, material } from "./helpers.ts";

const cement = PCR_CATALOGUE.get("PCR-CN-CEMENT", "1.0.0");
/** The cement PCR as it would read accepting factors of another GWP set as a disclosed deviation (a catalogue of its own). */
const disclosing = new PcrCatalogue([{ ...cement, otherGwpSetFactors: "disclose" }]);

const EXAMPLES = readdirSync(new URL("../../rules/examples/", import.meta.url)).filter((f) => f.endsWith("-inventory.json"));
const exampleOf = (file: string): Inventory =>
  parseInventory(JSON.parse(readFileSync(new URL(`../../rules/examples/${file}`, import.meta.url), "utf8")));

/** Is a factor usable in a study of this GWP set without a deviation: per gas, or aggregated under that very set. */
const inSet = (f: EmissionFactor, set: string) => f.gases !== undefined || f.co2e?.gwpSet === set;

describe("the PCR's rule for factors of another GWP set", () => {
  it("is 'refuse' unless a PCR says otherwise, and no published PCR changed for it", () => {
    for (const { pcr, contentSha256 } of PCR_CATALOGUE.all()) {
      expect(otherGwpSetRule(pcr)).toBe("refuse");
      expect(contentSha256).toBe(PUBLISHED_PCR_HASHES[`${pcr.code}@${pcr.version}`]);
    }
    expect(PcrSchema.safeParse({ ...cement, otherGwpSetFactors: "ignore" }).success).toBe(false);
  });
});

describe("a factor per gas", () => {
  // A fuel burnt with its methane and nitrous oxide, per kg.
  const perGas: EmissionFactor = {
    code: "FUEL-TEST-PER-GAS",
    name: { zh: "分气体测试燃料", en: "per-gas test fuel" },
    category: "fuel",
    activityUnit: "kg",
    gases: { co2_fossil: 3, ch4_fossil: 0.001, n2o: 0.0001 },
    boundary: "combustion",
    region: "CN",
    year: 2024,
    source: { document: "test", publisher: "test", year: 2024 },
    demonstration: false,
  };
  const dataset: FactorDataset = {
    id: "TEST-GAS",
    version: "2026.1",
    name: { zh: "测试", en: "test" },
    publishedOn: "2026-01-01",
    demonstration: false,
    factors: [perGas],
  };
  const library = FactorLibrary.of([dataset]);
  const fuel: InventoryLine = {
    id: "fuel",
    stage: "production",
    kind: "fuel",
    amount: 10,
    unit: "kg",
    factorCode: perGas.code,
    dataType: "primary",
    dataQuality: GOOD_DQ,
  };

  it("is characterised with whichever set the study uses", () => {
    for (const set of ["AR5", "AR6"] as const) {
      const gwp = GWP_SETS[set].factors;
      const inv = inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [fuel] }], {
        gwpSet: set,
        factorDataset: { id: "TEST-GAS", version: "2026.1" },
      });
      const result = calculateFootprint(inv, { factors: library });
      expect(result.total).toBeCloseTo(10 * (3 + 0.001 * gwp.ch4_fossil + 0.0001 * gwp.n2o), 12);
      expect(result.byLine[0]?.factor?.otherGwpSet).toBeUndefined();
    }
  });
});

describe("a factor known only as CO2e under another GWP set", () => {
  const kiln = gas("kiln", "co2_fossil", 100);
  const cementLine = material("cement", 1, "t", "MAT-PORTLAND-CEMENT");
  const inv = inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [kiln, cementLine] }]);

  it("is refused under a PCR that refuses it, and the editor's result says so on the line", () => {
    expect(() => calculateFootprint(inv)).toThrow(GwpSetMismatchError);
    const result = calculateFootprint(inv, { unusableLines: "exclude" });
    expect(result.total).toBe(100);
    expect(result.incomplete?.lines).toMatchObject([{ lineId: "cement", errors: [{ code: "GwpSetMismatch", location: { field: "factorCode" } }] }]);
  });

  it("counts as given under a PCR that accepts it as a disclosed deviation, with its share as a finding", () => {
    const result = calculateFootprint(inv, { pcrs: disclosing });
    expect(result.total).toBe(835);
    expect(result.byLine.find((l) => l.lineId === "cement")?.factor).toMatchObject({ code: "MAT-PORTLAND-CEMENT", otherGwpSet: "AR5" });
    expect(result.byLine.find((l) => l.lineId === "kiln")?.factor?.otherGwpSet).toBeUndefined();
    expect(result.warnings.find((w) => w.code === "other_gwp_set_factors")).toMatchObject({ lineIds: ["cement"], count: 1 });
    const finding = checkConformance(disclosing.get("PCR-CN-CEMENT", "1.0.0"), inv, result).findings.find((f) => f.check === "gwp.other_set");
    expect(finding).toMatchObject({ passed: true, lineIds: ["cement"], values: { lines: 1, sharePercent: "88.02" }, clause: { section: "§10" } });
    expect(finding?.message.en).toContain("disclosed as a deviation the PCR accepts: 88.02 % of the footprint");
  });

  it("is never a deviation in a study of its own set", () => {
    const ar5 = calculateFootprint({ ...inv, gwpSet: "AR5" }, { pcrs: disclosing });
    expect(ar5.byLine.find((l) => l.lineId === "cement")?.factor?.otherGwpSet).toBeUndefined();
    expect(ar5.warnings.some((w) => w.code === "other_gwp_set_factors")).toBe(false);
  });
});

describe("the factors the shipped PCRs' examples need", () => {
  it.each(EXAMPLES)("%s: each exists in its PCR's GWP set, on its dataset and on CN-DEMO 2026.2", (file) => {
    const example = exampleOf(file);
    const pcr: Pcr = PCR_CATALOGUE.get(example.pcr.code, example.pcr.version);
    expect(example.gwpSet).toBe(pcr.gwpSet);
    for (const version of new Set([example.factorDataset.version, "2026.2"])) {
      const inventory = { ...example, factorDataset: { id: "CN-DEMO", version } };
      // What every line used, those cited by code and those chosen by rule (grid, renewable).
      const result = calculateFootprint(inventory, { unusableLines: "exclude" });
      expect(result.incomplete).toBeUndefined();
      const index = DEFAULT_FACTOR_LIBRARY.index("CN-DEMO", version);
      const used = result.byLine.flatMap((l) => (l.factor && !l.factor.inline ? [l.factor.code] : []));
      expect(used.length).toBeGreaterThan(0);
      for (const code of used) {
        const factor = index.get(code);
        expect(factor, `${code} in CN-DEMO ${version}`).toBeDefined();
        expect(inSet(factor!, pcr.gwpSet), `${code} is in ${pcr.gwpSet}`).toBe(true);
      }
      expect(result.byLine.every((l) => l.factor?.otherGwpSet === undefined)).toBe(true);
    }
  });

  it("names the gap on every built-in factor given only under a set no shipped PCR uses", () => {
    const pcrSets = new Set(PCR_CATALOGUE.all().map((p) => p.pcr.gwpSet));
    const gaps = DEFAULT_FACTOR_LIBRARY.list().flatMap((d) => d.factors.filter((f) => f.co2e && !pcrSets.has(f.co2e.gwpSet)));
    expect(gaps.length).toBeGreaterThan(0);
    for (const f of gaps) expect(f.note ?? "", f.code).toContain(f.co2e!.gwpSet);
  });

  it("tells an AR6 study per line why it cannot use each AR5-only factor of CN-DEMO 2026.2", () => {
    const ar5Only = DEFAULT_FACTOR_LIBRARY.factors("CN-DEMO", "2026.2").filter((f) => f.co2e?.gwpSet === "AR5");
    expect(ar5Only.map((f) => f.code)).toContain("TR-ROAD-HDT-30T");
    const lines = ar5Only.map((f) =>
      f.category === "transport"
        ? ({ ...material(f.code, 10, "tkm", f.code), kind: "transport", stage: "raw_material_transport" } as InventoryLine)
        : material(f.code, 1, f.activityUnit, f.code),
    );
    const inv = inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [gas("kiln", "co2_fossil", 1), ...lines] }], {
      factorDataset: { id: "CN-DEMO", version: "2026.2" },
    });
    const result = calculateFootprint(inv, { unusableLines: "exclude" });
    expect(result.total).toBe(1);
    expect(result.incomplete?.lines.map((l) => l.lineId)).toEqual(ar5Only.map((f) => f.code));
    for (const line of result.incomplete?.lines ?? []) {
      expect(line.errors).toHaveLength(1);
      expect(line.errors[0]).toMatchObject({ code: "GwpSetMismatch", location: { lineId: line.lineId, field: "factorCode" } });
      expect(line.errors[0]?.message.zh).toContain(`因子「${line.lineId}」仅以「AR5」的 CO2e 给出`);
    }
  });
});
