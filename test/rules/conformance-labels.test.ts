import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { calculateFootprint, parseInventory } from "../../rules/calculator/index.ts";
import type { Inventory, InventoryLine } from "../../rules/calculator/schema.ts";
import { checkConformance } from "../../rules/conformance/index.ts";
import {
  addMonths,
  evaluateCarbonFootprintLabel,
  evaluateCarbonNeutralLabel,
  evaluateLowCarbonLabel,
  evaluateReducedCarbonLabel,
  gradeBand,
  validUntil,
  type VerifiedFootprint,
} from "../../rules/labels/index.ts";
import { PCR_CATALOGUE, PcrSchema } from "../../rules/pcr/index.ts";
import { ccerCredits, foreignRailInventory, GOOD_DQ, gas, inventoryOf, material, rawCoal, verifiedCementFootprint as fp } from "./helpers.ts";

const cementPcr = PCR_CATALOGUE.get("PCR-CN-CEMENT", "1.0.0");
const check = (inv: Inventory) => checkConformance(PCR_CATALOGUE.get(inv.pcr.code, inv.pcr.version), inv, calculateFootprint(inv));
const finding = (inv: Inventory, id: string) => check(inv).findings.find((f) => f.id === id);
const electricity = (id: string, supply: Record<string, unknown>, amount = 100): InventoryLine =>
  ({ id, stage: "production", kind: "electricity", amount, unit: "kWh", supply, dataType: "primary", dataQuality: GOOD_DQ }) as InventoryLine;
/** A cement inventory covering the three required stages with sourced (non-demonstration) data. */
const clean = (extra: InventoryLine[] = []): Inventory =>
  inventoryOf([
    {
      id: "p",
      output: { amount: 1, unit: "t" },
      lines: [
        { ...gas("raw", "co2_fossil", 5), stage: "raw_material_acquisition" },
        { ...gas("haul", "co2_fossil", 2), stage: "raw_material_transport" },
        gas("kiln", "co2_fossil", 500),
        electricity("power", { type: "grid" }),
        ...extra,
      ],
    },
  ]);

describe("conformance findings", () => {
  it("passes a clean inventory and reports every check", () => {
    const report = check(clean());
    expect(report.passed).toBe(true);
    expect(report.findings.length).toBeGreaterThanOrEqual(14);
    for (const f of report.findings) {
      expect(f.clause.pcr).toBe("PCR-CN-CEMENT@1.0.0");
      expect(f.clause.section).toMatch(/^§/);
      expect(f.action).toBeNull();
    }
  });

  it("missing required stage", () => {
    const inv = inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [gas("kiln", "co2_fossil", 500)] }]);
    const f = finding(inv, "stage.required:raw_material_transport");
    expect(f?.passed).toBe(false);
    expect(f?.clause.section).toBe("§5.1");
    expect(f?.action?.en).toMatch(/Add inventory data/);
  });

  it("stage outside the boundary", () => {
    const f = finding(clean([{ ...gas("use", "co2_fossil", 1), stage: "use" }]), "stage.boundary:use");
    expect(f?.passed).toBe(false);
    expect(f?.lineIds).toEqual(["use"]);
  });

  it("cut-off: each excluded flow and the cumulative share", () => {
    const small = finding(clean([gas("cut", "co2_fossil", 1, { excluded: true })]), "cutoff.flow:p/cut");
    expect(small?.passed).toBe(true);
    const big = clean([
      gas("big", "co2_fossil", 20, { excluded: true }),
      gas("b2", "co2_fossil", 4, { excluded: true }),
      gas("b3", "co2_fossil", 4, { excluded: true }),
      gas("b4", "co2_fossil", 4, { excluded: true }),
    ]);
    expect(finding(big, "cutoff.flow:p/big")?.passed).toBe(false);
    expect(finding(big, "cutoff.flow:p/b2")?.passed).toBe(true);
    const cumulative = finding(big, "cutoff.cumulative");
    expect(cumulative?.passed).toBe(false);
    expect(cumulative?.message.en).toMatch(/4 excluded flow\(s\) total 5\.\d+ %/);
    const unknown = finding(clean([material("x", 1, "kg", "NOPE", { excluded: true })]), "cutoff.flow:p/x");
    expect(unknown?.passed).toBe(false);
  });

  it("data quality below the minimum", () => {
    const poor = { reliability: 5, completeness: 5, temporal: 5, geographical: 5, technological: 5 };
    const inv = clean();
    const lines = inv.products[0]?.lines.map((l) => ({ ...l, dataQuality: poor })) ?? [];
    const f = finding(inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines }]), "data_quality.rating");
    expect(f?.passed).toBe(false);
    expect(f?.values).toEqual({ dqr: "5.00", max: 3 });
  });

  it("electricity factor older than the PCR allows and Scope-2 instead of life-cycle", () => {
    const inv = clean([electricity("old", { type: "grid", factorCode: "EL-S2-CN-2021" })]);
    expect(finding(inv, "electricity.age")?.passed).toBe(false);
    expect(finding(inv, "electricity.basis")?.passed).toBe(false);
    expect(finding(inv, "electricity.basis")?.lineIds).toEqual(["old"]);
  });

  it("factor from another region", () => {
    const sichuan = clean([electricity("sc", { type: "grid", factorCode: "EL-S2-SC-2022", region: "CN-JS" })]);
    const f = finding(sichuan, "electricity.region");
    expect(f?.passed).toBe(false);
    // The UK rail factor is AR5-based: an AR5 study without electricity can use it, and is told it is foreign.
    const foreign = foreignRailInventory();
    const f2 = finding(foreign, "factor.region");
    expect(f2?.passed).toBe(false);
    expect(f2?.severity).toBe("minor");
    expect(f2?.message.en).toContain("TR-RAIL-FREIGHT GB 2023");
  });

  it("background factor older than the PCR allows", () => {
    const inv = clean([rawCoal()]);
    expect(finding(inv, "factor.age")?.passed).toBe(true);
    const later = { ...inv, period: { start: "2026-01-01", end: "2026-12-31" } };
    expect(finding(later, "factor.age")?.passed).toBe(false);
  });

  it("green certificates without ids, beyond 1 000 kWh each, or used twice", () => {
    const none = clean([electricity("g0", { type: "green_certificate", technology: "wind", certificateIds: [] })]);
    expect(finding(none, "green_certificates.ids:g0")?.passed).toBe(false);
    const over = clean([electricity("g1", { type: "green_certificate", technology: "wind", certificateIds: ["A", "B"], periodKWh: 2500 })]);
    expect(finding(over, "green_certificates.coverage:g1")?.passed).toBe(false);
    expect(finding(over, "green_certificates.coverage:g1")?.values).toEqual({ claimedKWh: 2500, coveredKWh: 2000 });
    const ok = clean([electricity("g2", { type: "green_certificate", technology: "pv", certificateIds: ["A", "B"], periodKWh: 2000 })]);
    expect(finding(ok, "green_certificates.coverage:g2")?.passed).toBe(true);
    expect(finding(ok, "green_certificates.unique")?.passed).toBe(true);
    const twice = clean([
      electricity("g3", { type: "green_certificate", technology: "wind", certificateIds: ["A"], periodKWh: 1000 }),
      electricity("g4", { type: "green_certificate", technology: "wind", certificateIds: ["A"], periodKWh: 1000 }),
    ]);
    expect(finding(twice, "green_certificates.unique")?.passed).toBe(false);
  });

  it("demonstration factors, GWP set and PCR version", () => {
    const demo = JSON.parse(readFileSync(new URL("../../rules/examples/cement-inventory.json", import.meta.url), "utf8")) as unknown;
    const inv = parseInventory(demo);
    const report = check(inv);
    expect(report.findings.find((f) => f.id === "factor.demonstration")?.passed).toBe(false);
    expect(report.findings.filter((f) => !f.passed).map((f) => f.id)).toEqual(["factor.demonstration"]);
    const ar5 = inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines: [gas("kiln", "co2_fossil", 500)] }], { gwpSet: "AR5" });
    expect(finding(ar5, "gwp_set")?.passed).toBe(false);
    const other = checkConformance(PCR_CATALOGUE.get("PCR-CN-FLAT-GLASS", "1.0.0"), clean(), calculateFootprint(clean()));
    expect(other.findings.find((f) => f.id === "pcr.version")?.passed).toBe(false);
    expect(other.findings.find((f) => f.id === "declared_unit")?.passed).toBe(false);
  });
});

describe("label criteria", () => {
  it("CF: verified value and conformance, with grade band", () => {
    const yes = evaluateCarbonFootprintLabel(cementPcr, { footprint: fp(645.06, "2026-02-01"), conformancePassed: true });
    expect(yes.eligible).toBe(true);
    expect(yes.grade?.grade).toBe("C");
    expect(evaluateCarbonFootprintLabel(cementPcr, { footprint: null, conformancePassed: true }).eligible).toBe(false);
    expect(evaluateCarbonFootprintLabel(cementPcr, { footprint: fp(645, "2026-02-01"), conformancePassed: false }).eligible).toBe(false);
  });

  it("LC: at or under the benchmark; categories without one cannot qualify", () => {
    const pass = evaluateLowCarbonLabel(cementPcr, { footprint: fp(650, "2026-02-01"), conformancePassed: true });
    expect(pass.eligible).toBe(true);
    expect(pass.criteria.find((c) => c.id === "benchmark")?.message.en).toBe("650 ≤ benchmark 650 kgCO2e per 1 t (demonstration benchmark)");
    const fail = evaluateLowCarbonLabel(cementPcr, { footprint: fp(650.01, "2026-02-01"), conformancePassed: true });
    expect(fail.eligible).toBe(false);
    const ev = PCR_CATALOGUE.get("PCR-CN-LIB-EV", "1.0.0");
    const none = evaluateLowCarbonLabel(ev, {
      footprint: { ...fp(90, "2026-02-01"), pcr: { code: ev.code, version: ev.version }, declaredUnit: { quantity: 1, unit: "kWh" } },
      conformancePassed: true,
    });
    expect(none.eligible).toBe(false);
    expect(none.criteria.find((c) => c.id === "benchmark_exists")?.passed).toBe(false);
  });

  it("RC: two earlier certificates and ≥ 11.00 % reduction vs the previous one, offsets added back", () => {
    const earlier = [fp(800, "2024-02-01"), fp(700, "2025-02-01")];
    const pass = evaluateReducedCarbonLabel(cementPcr, {
      current: fp(623, "2026-02-01"),
      earlier,
      reductionReportPresent: true,
      conformancePassed: true,
    });
    expect(pass.eligible).toBe(true);
    expect(pass.criteria.find((c) => c.id === "reduction")?.values?.reductionPercent).toBe("11.00");
    const fail = evaluateReducedCarbonLabel(cementPcr, {
      current: fp(623.1, "2026-02-01"),
      earlier,
      reductionReportPresent: true,
      conformancePassed: true,
    });
    expect(fail.criteria.find((c) => c.id === "reduction")?.passed).toBe(false);
    const offsets = evaluateReducedCarbonLabel(cementPcr, {
      current: fp(600, "2026-02-01", { offsetsDeductedKgCO2ePerDeclaredUnit: 50 }),
      earlier,
      reductionReportPresent: true,
      conformancePassed: true,
    });
    expect(offsets.criteria.find((c) => c.id === "reduction")?.passed).toBe(false);
    const oneEarlier = evaluateReducedCarbonLabel(cementPcr, {
      current: fp(600, "2026-02-01"),
      earlier: [earlier[1] as VerifiedFootprint],
      reductionReportPresent: true,
      conformancePassed: true,
    });
    expect(oneEarlier.criteria.find((c) => c.id === "earlier_certificates")?.passed).toBe(false);
    const otherUnit = evaluateReducedCarbonLabel(cementPcr, {
      current: fp(600, "2026-02-01"),
      earlier: earlier.map((e) => ({ ...e, declaredUnit: { quantity: 1, unit: "kg" } })),
      reductionReportPresent: true,
      conformancePassed: true,
    });
    expect(otherUnit.criteria.find((c) => c.id === "earlier_certificates")?.passed).toBe(false);
    const noReport = evaluateReducedCarbonLabel(cementPcr, {
      current: fp(600, "2026-02-01"),
      earlier,
      reductionReportPresent: false,
      conformancePassed: true,
    });
    expect(noReport.eligible).toBe(false);
  });

  it("CN: retired credits within 12 months cover PCF × quantity; overlapping serials refused", () => {
    const base = {
      footprint: fp(645, "2026-02-01"),
      period: { start: "2025-01-01", end: "2025-12-31" },
      quantity: 1000,
      managementPlanPresent: true,
      conformancePassed: true,
    };
    // 645 kg × 1 000 t = 645 t CO2e
    const pass = evaluateCarbonNeutralLabel(cementPcr, { ...base, credits: [ccerCredits(1, 400), ccerCredits(401, 645)] });
    expect(pass.eligible).toBe(true);
    expect(pass.criteria.find((c) => c.id === "coverage")?.values).toEqual({ emissionsTCO2e: "645.000", retiredTCO2e: 645 });
    expect(evaluateCarbonNeutralLabel(cementPcr, { ...base, credits: [ccerCredits(1, 644)] }).eligible).toBe(false);
    const late = evaluateCarbonNeutralLabel(cementPcr, { ...base, credits: [ccerCredits(1, 645, "2027-01-01")] });
    expect(late.criteria.find((c) => c.id === "credit_retirement_deadline")?.passed).toBe(false);
    expect(evaluateCarbonNeutralLabel(cementPcr, { ...base, credits: [ccerCredits(1, 645, "2026-12-31")] }).eligible).toBe(true);
    const overlap = evaluateCarbonNeutralLabel(cementPcr, { ...base, credits: [ccerCredits(1, 400), ccerCredits(300, 700), ccerCredits(350, 360)] });
    expect(overlap.criteria.find((c) => c.id === "credit_serials")?.passed).toBe(false);
    expect(overlap.eligible).toBe(false);
    const exAnte = evaluateCarbonNeutralLabel(cementPcr, { ...base, credits: [ccerCredits(1, 645, "2026-06-30", { vintage: 2027 })] });
    expect(exAnte.criteria.find((c) => c.id === "credit_vintage")?.passed).toBe(false);
    expect(evaluateCarbonNeutralLabel(cementPcr, { ...base, managementPlanPresent: false, credits: [ccerCredits(1, 645)] }).eligible).toBe(false);
  });

  it("grade bands and validity with PCR overrides", () => {
    expect(gradeBand(cementPcr, 500)?.grade).toBe("A");
    expect(gradeBand(cementPcr, 500.01)?.grade).toBe("B");
    expect(gradeBand(cementPcr, 900)?.grade).toBeNull();
    expect(gradeBand(PCR_CATALOGUE.get("PCR-CN-UREA", "1.0.0"), 1)).toBeNull();
    expect(validUntil("CF", cementPcr, "2026-03-01")).toBe("2028-02-29");
    expect(validUntil("LC", cementPcr, "2026-03-01")).toBe("2029-02-28");
    expect(validUntil("CN", cementPcr, "2024-02-29")).toBe("2025-02-28");
    const overridden = PcrSchema.parse({ ...cementPcr, labels: { ...cementPcr.labels, validityYears: { CF: 3 } } });
    expect(validUntil("CF", overridden, "2026-03-01")).toBe("2029-02-28");
    expect(addMonths("2025-12-31", 12)).toBe("2026-12-31");
    expect(addMonths("2024-02-29", 12)).toBe("2025-02-28");
  });
});
