import { describe, expect, it } from "vitest";
import { calculateFootprint } from "../../rules/calculator/index.ts";
import type { Inventory, InventoryLine } from "../../rules/calculator/schema.ts";
import {
  checkConformance,
  CONFORMANCE_CHECKS,
  conformanceContext,
  REMEDY_KEYS,
  remedyText,
  runChecks,
  toFinding,
  type CheckOutcome,
  type ConformanceCheck,
  type ConformanceContext,
} from "../../rules/conformance/index.ts";
import { otherGwpSetFactors } from "../../rules/conformance/checks/gwp-basis.ts";
import { PCR_CATALOGUE, PcrCatalogue } from "../../rules/pcr/index.ts";
import { PCR_SECTIONS, type Pcr } from "../../rules/pcr/schema.ts";
import { foreignRailInventory, GOOD_DQ, gas, inventoryOf, material, rawCoal as coal } from "./helpers.ts";

const cement = PCR_CATALOGUE.get("PCR-CN-CEMENT", "1.0.0");
/** The cement PCR as it would read accepting factors of another GWP set as a disclosed deviation (a catalogue of its own). */
const disclosing: Pcr = { ...cement, otherGwpSetFactors: "disclose" };
const disclosingCatalogue = new PcrCatalogue([disclosing]);
const noGreenCertificates: Pcr = { ...cement, electricity: { ...cement.electricity, greenCertificatesAllowed: false } };

const flat = (lines: InventoryLine[], overrides: Partial<Inventory> = {}) =>
  inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines }], overrides);
const ctxOf = (inventory: Inventory, pcr: Pcr = cement): ConformanceContext => conformanceContext(pcr, inventory, calculateFootprint(inventory));
const kiln = gas("kiln", "co2_fossil", 100);
const electricity = (id: string, supply: Record<string, unknown>): InventoryLine =>
  ({ id, stage: "production", kind: "electricity", amount: 100, unit: "kWh", supply, dataType: "primary", dataQuality: GOOD_DQ }) as InventoryLine;
const green = (id: string, certificateIds: string[], periodKWh: number) =>
  electricity(id, { type: "green_certificate", technology: "wind", certificateIds, periodKWh });
/** 2 t of clinker at a supplier's own figure (no certificate), 800 kg CO2e per t. */
const declaredClinker = (dataType: "primary" | "secondary") =>
  ({
    id: "clinker",
    stage: "raw_material_acquisition",
    kind: "supplier_certificate",
    amount: 2,
    unit: "t",
    declared: { supplier: "华东熟料厂", kgCO2ePerDeclaredUnit: 800, declaredUnit: { quantity: 1, unit: "t" }, gwpSet: "AR6", year: 2025 },
    dataType,
    dataQuality: GOOD_DQ,
  }) as InventoryLine;
const supplierPower = { type: "supplier", supplier: "园区售电公司", factor: { co2e: { value: 0.5, gwpSet: "AR6" }, year: 2025, source: "合同" } };
const poor = { reliability: 5, completeness: 5, temporal: 5, geographical: 5, technological: 5 };

interface CheckCase {
  /** The PCR section the check cites. */
  readonly section: string;
  readonly pass: () => ConformanceContext;
  readonly fail: () => ConformanceContext;
  /** True for checks that say nothing when their clause does not bite (the passing case gives no outcome). */
  readonly silentWhenPassing?: boolean;
  /** What the failing outcomes must say beyond "failed". */
  readonly failure?: (failed: readonly CheckOutcome[]) => void;
}

const CASES: Record<string, CheckCase> = {
  "pcr.version": {
    section: "§1",
    pass: () => ctxOf(flat([kiln])),
    fail: () => ctxOf(flat([kiln]), PCR_CATALOGUE.get("PCR-CN-FLAT-GLASS", "1.0.0")),
  },
  declared_unit: {
    section: "§4",
    pass: () => ctxOf(flat([kiln])),
    // The same quantity in another unit is not the PCR's declared unit.
    fail: () => ctxOf(flat([kiln], { declaredUnit: { quantity: 1000, unit: "kg" } })),
    failure: ([f]) => expect(f?.message.en).toBe("Declared unit is 1000 kg; the PCR requires 1 t"),
  },
  gwp_set: {
    section: "§10",
    pass: () => ctxOf(flat([kiln])),
    fail: () => ctxOf(flat([kiln], { gwpSet: "AR5" })),
  },
  "gwp.other_set": {
    section: "§10",
    silentWhenPassing: true,
    // Under a PCR that accepts disclosure, the AR5 cement factor counts as given and is named with its share.
    pass: () => {
      const inv = flat([kiln, material("cement", 1, "t", "MAT-PORTLAND-CEMENT")]);
      const ctx = conformanceContext(disclosing, inv, calculateFootprint(inv, { pcrs: disclosingCatalogue }));
      const [outcome] = otherGwpSetFactors.run(ctx);
      expect(outcome).toMatchObject({ passed: true, lineIds: ["cement"], values: { lines: 1, sharePercent: "88.02" } });
      return ctxOf(flat([kiln]));
    },
    // The same result judged by the PCR as published, which refuses factors of another set.
    fail: () => {
      const inv = flat([kiln, material("cement", 1, "t", "MAT-PORTLAND-CEMENT")]);
      return conformanceContext(cement, inv, calculateFootprint(inv, { pcrs: disclosingCatalogue }));
    },
    failure: ([f]) => {
      expect(f?.lineIds).toEqual(["cement"]);
      expect(f?.message.en).toBe(
        "1 line(s) use factors given only as CO2e under AR5 (MAT-PORTLAND-CEMENT CN 2019), 88.02 % of the footprint; this PCR does not accept factors of another GWP set",
      );
    },
  },
  "lines.unusable": {
    section: "§5",
    silentWhenPassing: true,
    pass: () => ctxOf(flat([kiln])),
    // The editor's result leaves out a line whose factor the dataset does not hold, and one of another GWP set.
    fail: () => {
      const inv = flat([kiln, material("nope", 1, "t", "NOPE"), material("cement", 1, "t", "MAT-PORTLAND-CEMENT")]);
      return conformanceContext(cement, inv, calculateFootprint(inv, { unusableLines: "exclude" }));
    },
    failure: ([f]) => {
      expect(f).toMatchObject({ lineIds: ["nope", "cement"], values: { lines: 2 } });
      expect(f?.message.en).toBe(
        "2 line(s) cannot be calculated (MissingEmissionFactor, GwpSetMismatch) and are left out: the result is incomplete and cannot be certified",
      );
    },
  },
  "stage.required": {
    section: "§5.1",
    pass: () =>
      ctxOf(
        flat([
          { ...gas("raw", "co2_fossil", 1), stage: "raw_material_acquisition" },
          { ...gas("haul", "co2_fossil", 1), stage: "raw_material_transport" },
          kiln,
        ]),
      ),
    // An excluded line does not cover its stage.
    fail: () =>
      ctxOf(
        flat([
          { ...gas("raw", "co2_fossil", 1), stage: "raw_material_acquisition" },
          { ...gas("haul", "co2_fossil", 1, { excluded: true }), stage: "raw_material_transport" },
          kiln,
        ]),
      ),
    failure: (failed) => expect(failed.map((o) => o.subject)).toEqual(["raw_material_transport"]),
  },
  "stage.boundary": {
    section: "§5.2",
    pass: () => ctxOf(flat([kiln])),
    fail: () => ctxOf(flat([kiln, { ...gas("use", "co2_fossil", 1), stage: "use" }])),
    failure: ([f]) => expect(f).toMatchObject({ subject: "use", lineIds: ["use"] }),
  },
  "cutoff.flow": {
    section: "§6.1",
    pass: () => ctxOf(flat([kiln, gas("cut", "co2_fossil", 0.5, { excluded: true })])),
    fail: () => ctxOf(flat([kiln, gas("cut", "co2_fossil", 5, { excluded: true }), material("unknown", 1, "kg", "NOPE", { excluded: true })])),
    failure: (failed) => {
      expect(failed.map((o) => o.subject)).toEqual(["p/cut", "p/unknown"]);
      expect(failed[0]?.values).toEqual({ share: "4.762", limit: "1.00" });
      // A flow neither computed nor estimated needs an estimate, not inclusion.
      expect(failed[1]?.remedyKey).toBe("estimateExcludedFlow");
    },
  },
  "cutoff.cumulative": {
    section: "§6.2",
    pass: () => ctxOf(flat([kiln, gas("cut", "co2_fossil", 1, { excluded: true })])),
    // Six flows each under the 1 % per-flow limit, together over the 5 % cap.
    fail: () => ctxOf(flat([kiln, ...Array.from({ length: 6 }, (_, i) => gas(`cut${i}`, "co2_fossil", 1, { excluded: true }))])),
    failure: ([f]) => expect(f?.values).toEqual({ share: "5.660", limit: "5.00" }),
  },
  "data_quality.rating": {
    section: "§8.1",
    pass: () => ctxOf(flat([kiln])),
    fail: () => ctxOf(flat([gas("kiln", "co2_fossil", 100, { dataQuality: poor })])),
    failure: ([f]) => expect(f?.values).toEqual({ dqr: "5.00", max: 3 }),
  },
  "supplier.declared": {
    section: "§8.1",
    // Named even when it passes: 1 600 of the 1 700 kg, and the supplier's electricity too.
    pass: () => ctxOf(flat([kiln, declaredClinker("secondary"), { ...electricity("contract", supplierPower), dataType: "secondary" }])),
    fail: () => ctxOf(flat([kiln, declaredClinker("primary")])),
    failure: ([f]) => {
      expect(f?.lineIds).toEqual(["clinker"]);
      expect(f?.message.en).toBe(
        "1 supplier-declared, unverified figure(s) are marked as primary data (华东熟料厂); they count as secondary data only",
      );
    },
  },
  "factor.age": {
    section: "§8.2",
    // The 2015 coal factor is 10 years older than 2025 (allowed), 11 than 2026 (not).
    pass: () => ctxOf(flat([coal()])),
    fail: () => ctxOf(flat([coal()], { period: { start: "2026-01-01", end: "2026-12-31" } })),
    failure: ([f]) => expect(f?.lineIds).toEqual(["coal"]),
  },
  "electricity.age": {
    section: "§9.3",
    pass: () => ctxOf(flat([electricity("power", { type: "grid" })])),
    fail: () => ctxOf(flat([electricity("old", { type: "grid", factorCode: "EL-S2-CN-2021" })])),
    failure: ([f]) => expect(f?.message.en).toContain("EL-S2-CN-2021 CN 2021"),
  },
  "factor.region": {
    section: "§8.3",
    pass: () => ctxOf(flat([coal()])),
    // The UK rail factor is AR5-based, so the study is too.
    fail: () => ctxOf(foreignRailInventory()),
    failure: ([f]) => expect(f?.message.en).toContain("TR-RAIL-FREIGHT GB 2023"),
  },
  "factor.demonstration": {
    section: "§8.4",
    pass: () => ctxOf(flat([coal()])),
    fail: () => ctxOf(flat([coal(), material("lime", 1, "t", "MAT-LIMESTONE-DEMO")])),
    failure: ([f]) => expect(f?.lineIds).toEqual(["lime"]),
  },
  "electricity.basis": {
    section: "§9.1",
    pass: () => ctxOf(flat([electricity("power", { type: "grid" })])),
    fail: () => ctxOf(flat([electricity("power", { type: "grid" }), electricity("s2", { type: "grid", factorCode: "EL-S2-CN-2023" })])),
    failure: ([f]) => expect(f?.lineIds).toEqual(["s2"]),
  },
  "electricity.region": {
    section: "§9.2",
    pass: () => ctxOf(flat([electricity("power", { type: "grid" })])),
    // A Sichuan factor for electricity consumed at a plant located in China at large.
    fail: () => ctxOf(flat([electricity("sc", { type: "grid", factorCode: "EL-S2-SC-2022", region: "CN-JS" })])),
    failure: ([f]) => expect(f?.lineIds).toEqual(["sc"]),
  },
  "green_certificates.allowed": {
    section: "§9.4",
    silentWhenPassing: true,
    pass: () => ctxOf(flat([green("g", ["A"], 1000)])),
    fail: () => ctxOf(flat([green("g", ["A"], 1000)]), noGreenCertificates),
    failure: ([f]) => expect(f?.lineIds).toEqual(["g"]),
  },
  "green_certificates.ids": {
    section: "§9.4",
    pass: () => ctxOf(flat([green("g", ["A"], 1000)])),
    fail: () => ctxOf(flat([green("g", [], 1000)])),
    failure: ([f]) => expect(f?.subject).toBe("g"),
  },
  "green_certificates.coverage": {
    section: "§9.4",
    pass: () => ctxOf(flat([green("g", ["A", "B"], 2000)])),
    fail: () => ctxOf(flat([green("g", ["A", "B"], 2500)])),
    failure: ([f]) => expect(f?.values).toEqual({ claimedKWh: 2500, coveredKWh: 2000 }),
  },
  "green_certificates.unique": {
    section: "§9.4",
    pass: () => ctxOf(flat([green("g1", ["A"], 1000), green("g2", ["B"], 1000)])),
    // A shared by two lines; C twice on one line (reported both as a certificate and as the line).
    fail: () => ctxOf(flat([green("g1", ["A"], 1000), green("g2", ["A"], 1000), green("g3", ["C", "C"], 1000)])),
    failure: ([f]) => expect(f?.message.en).toBe("Green certificates counted twice: A, C, g3"),
  },
};

const casesOf = (check: ConformanceCheck): CheckCase => {
  const found = CASES[check.id];
  if (!found) throw new Error(`no test case for the check ${check.id}`);
  return found;
};

describe("the table of conformance checks", () => {
  it("has a test case for every check, and every case a check", () => {
    expect(CONFORMANCE_CHECKS.map((c) => c.id).sort()).toEqual(Object.keys(CASES).sort());
    expect(new Set(CONFORMANCE_CHECKS.map((c) => c.id)).size).toBe(CONFORMANCE_CHECKS.length);
  });

  it("words every remedy in both languages", () => {
    for (const key of REMEDY_KEYS) {
      const text = remedyText(key, { pcr: cement, subject: "production" });
      expect(text.zh, key).not.toBe("");
      expect(text.en, key).not.toBe("");
    }
    expect(remedyText("prepareUnderPcr", { pcr: cement, subject: undefined }).en).toBe(
      "Prepare the inventory under PCR-CN-CEMENT@1.0.0 and recalculate",
    );
    expect(remedyText("addStageData", { pcr: cement, subject: "production" }).en).toMatch(/^Add inventory data for the ".+" stage$/);
  });
});

describe.each(CONFORMANCE_CHECKS.map((check) => [check.id, check] as const))("check %s", (_id, check) => {
  const cases = casesOf(check);

  it(`cites ${cases.section}`, () => {
    expect(PCR_SECTIONS[check.clause]).toBe(cases.section);
  });

  it("passes on a minimal conforming inventory", () => {
    const ctx = cases.pass();
    const outcomes = check.run(ctx);
    if (cases.silentWhenPassing) expect(outcomes).toEqual([]);
    else expect(outcomes.length).toBeGreaterThan(0);
    for (const outcome of outcomes) {
      expect(outcome.passed).toBe(true);
      const finding = toFinding(check, outcome, ctx);
      expect(finding.clause).toEqual({ pcr: "PCR-CN-CEMENT@1.0.0", section: cases.section });
      expect(finding.action).toBeNull();
    }
  });

  it("fails on a minimal inventory that breaks its clause, with the remedy", () => {
    const ctx = cases.fail();
    const failed = check.run(ctx).filter((o) => !o.passed);
    expect(failed.length).toBeGreaterThan(0);
    cases.failure?.(failed);
    for (const outcome of failed) {
      const finding = toFinding(check, outcome, ctx);
      expect(finding.check).toBe(check.id);
      expect(finding.id).toBe(outcome.subject ? `${check.id}:${outcome.subject}` : check.id);
      expect(finding.clause.section).toBe(cases.section);
      expect(finding.severity).toBe(check.severity);
      expect(finding.action).toEqual(remedyText(outcome.remedyKey ?? check.remedyKey, { pcr: ctx.pcr, subject: outcome.subject }));
    }
  });
});

describe("the report built from the table", () => {
  it("lists the findings of a green-certificate line together, line by line", () => {
    const inv = flat([green("g1", ["A"], 1000), green("g2", ["B"], 1000)]);
    const ids = runChecks(CONFORMANCE_CHECKS, ctxOf(inv))
      .map((f) => f.id)
      .filter((id) => id.startsWith("green_certificates"));
    expect(ids).toEqual([
      "green_certificates.ids:g1",
      "green_certificates.coverage:g1",
      "green_certificates.ids:g2",
      "green_certificates.coverage:g2",
      "green_certificates.unique",
    ]);
  });

  it("caps listed lines at 50 and counts failures by severity", () => {
    const lines = Array.from({ length: 60 }, (_, i) => ({ ...gas(`u${i}`, "co2_fossil", 1), stage: "use" as const }));
    const inv = flat([kiln, ...lines, coal()], { period: { start: "2026-01-01", end: "2026-12-31" } });
    const report = checkConformance(cement, inv, calculateFootprint(inv));
    const boundary = report.findings.find((f) => f.id === "stage.boundary:use");
    expect(boundary?.lineIds).toHaveLength(50);
    expect(boundary?.message.en).toMatch(/^60 line\(s\)/);
    const failed = report.findings.filter((f) => !f.passed).map((f) => f.check);
    expect(failed).toEqual(["stage.required", "stage.required", "stage.boundary", "factor.age"]);
    expect(report.summary).toEqual({ checks: report.findings.length, failed: 4, major: 3, minor: 1 });
    expect(report.passed).toBe(false);
  });
});
