/**
 * Supplier lines: a cited certificate or a supplier's own declared figure, exactly one; a declared
 * figure (and electricity at a supplier's own factor) calculates like any figure but counts as
 * secondary data, and the conformance report names every such line.
 */
import { describe, expect, it } from "vitest";
import { calculateFootprint, parseInventory } from "../../rules/calculator/index.ts";
import { InventoryLineSchema, type InventoryLine } from "../../rules/calculator/schema.ts";
import { InvalidInventoryError } from "../../rules/errors.ts";
import { checkConformance } from "../../rules/conformance/index.ts";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import { gas, GOOD_DQ, inventoryOf } from "./helpers.ts";

const cement = PCR_CATALOGUE.get("PCR-CN-CEMENT", "1.0.0");
const flat = (lines: InventoryLine[]) => inventoryOf([{ id: "p", output: { amount: 1, unit: "t" }, lines }]);

const clinker = {
  id: "clinker",
  stage: "raw_material_acquisition",
  kind: "supplier_certificate",
  amount: 2000,
  unit: "kg",
  dataType: "secondary",
  dataQuality: GOOD_DQ,
} as const;
const declared = { supplier: "华东熟料厂", kgCO2ePerDeclaredUnit: 800, declaredUnit: { quantity: 1, unit: "t" }, gwpSet: "AR6", year: 2025 } as const;
const certificate = { number: "CCDC-CF-2026-000001", kgCO2ePerDeclaredUnit: 780, declaredUnit: { quantity: 1, unit: "t" }, gwpSet: "AR6" } as const;
const supplierPower = {
  id: "contract",
  stage: "production",
  kind: "electricity",
  amount: 100,
  unit: "kWh",
  supply: { type: "supplier", supplier: "园区售电公司", factor: { co2e: { value: 0.5, gwpSet: "AR6" }, year: 2025, source: "购电合同" } },
  dataType: "secondary",
  dataQuality: GOOD_DQ,
} as const;

describe("a supplier line", () => {
  it("cites a certificate or states a declared figure, exactly one of them, and says so in both languages", () => {
    expect(InventoryLineSchema.safeParse({ ...clinker, declared }).success).toBe(true);
    expect(InventoryLineSchema.safeParse({ ...clinker, certificate }).success).toBe(true);
    for (const line of [clinker, { ...clinker, declared, certificate }]) {
      const parsed = InventoryLineSchema.safeParse(line);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => (i as { params?: unknown }).params)).toEqual([{ rule: "supplier_figure" }]);
    }
    try {
      parseInventory(flat([{ ...clinker } as unknown as InventoryLine]));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInventoryError);
      const [error] = (e as InvalidInventoryError).errors;
      expect(error?.detail.zh).toContain("供应商行须引用一份证书（certificate）或给出供应商自报数据（declared），且只能给出其中一种");
      expect(error?.location).toMatchObject({ productId: "p", lineId: "clinker", field: "certificate" });
    }
  });

  it("reads rows stored before the PCR and holder were recorded, and rows that record them", () => {
    const stored = { ...clinker, certificate: { ...certificate, issuer: "CCDC", validUntil: "2029-06-30" } };
    expect(InventoryLineSchema.parse(stored)).toEqual(stored);
    const full = {
      ...clinker,
      certificate: { ...certificate, pcr: { code: "PCR-CN-CEMENT", version: "1.0.0" }, holder: { zh: "华东熟料厂", en: "East China Clinker" } },
    };
    expect(InventoryLineSchema.parse(full)).toEqual(full);
  });

  it("calculates a declared figure per its declared unit, as the supplier's own and unverified", () => {
    const r = calculateFootprint(flat([{ ...clinker, declared } as InventoryLine]));
    expect(r.total).toBeCloseTo(1600, 12);
    expect(r.byLine[0]?.factor).toEqual({
      code: "SUPPLIER:华东熟料厂",
      region: "CN",
      regionLevel: "national",
      year: 2025,
      boundary: "supplier_specific",
      demonstration: false,
      inline: true,
    });
  });
});

describe("supplier-declared figures in the primary-data share", () => {
  it("count as secondary data even when the line says primary; a cited certificate counts as the line says", () => {
    const primaryDeclared = { ...clinker, declared, dataType: "primary" } as InventoryLine;
    const primaryPower = { ...supplierPower, dataType: "primary" } as InventoryLine;
    const r = calculateFootprint(flat([gas("kiln", "co2_fossil", 100), primaryDeclared, primaryPower]));
    expect(r.byLine.map((l) => [l.lineId, l.dataType])).toEqual([
      ["kiln", "primary"],
      ["clinker", "secondary"],
      ["contract", "secondary"],
    ]);
    // 100 kg of 100 + 1 600 + 50.
    expect(r.primaryDataShare).toBeCloseTo(100 / 1750, 12);
    const certified = calculateFootprint(flat([gas("kiln", "co2_fossil", 100), { ...clinker, certificate, dataType: "primary" } as InventoryLine]));
    expect(certified.primaryDataShare).toBe(1);
  });
});

describe("the conformance report", () => {
  it("names every supplier-declared line with its share, for information, and the report still passes on them", () => {
    const inv = flat([gas("kiln", "co2_fossil", 100), { ...clinker, declared } as InventoryLine, supplierPower as InventoryLine]);
    const report = checkConformance(cement, inv, calculateFootprint(inv));
    const finding = report.findings.find((f) => f.check === "supplier.declared");
    expect(finding).toMatchObject({
      id: "supplier.declared",
      passed: true,
      severity: "minor",
      clause: { pcr: "PCR-CN-CEMENT@1.0.0", section: "§8.1" },
      lineIds: ["clinker", "contract"],
      values: { lines: 2, sharePercent: "94.29" },
      action: null,
    });
    expect(finding?.message).toEqual({
      zh: "2 条清单行使用供应商自报、未经核验的数据（华东熟料厂; 园区售电公司），按次级数据计，占足迹 94.29 %",
      en: "2 line(s) use supplier-declared, unverified figures (华东熟料厂; 园区售电公司), counted as secondary data: 94.29 % of the footprint",
    });
    expect(report.findings.filter((f) => !f.passed).map((f) => f.check)).not.toContain("supplier.declared");
  });

  it("says nothing of supplier figures when every one is a cited certificate", () => {
    const inv = flat([gas("kiln", "co2_fossil", 100), { ...clinker, certificate } as InventoryLine]);
    expect(checkConformance(cement, inv, calculateFootprint(inv)).findings.map((f) => f.check)).not.toContain("supplier.declared");
  });
});
