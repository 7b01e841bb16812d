/**
 * One definition of an inventory line (InventoryLineSchema in rules/): the editor form (browser and
 * server), the workbook import, the calculation API and stored lines all validate against it and
 * report the same broken line with the same `{ key, params }` messages.
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { translator } from "../../app/i18n/index.ts";
import { parseStoredLine, StoredLineInvalidError, type LineRow } from "../../app/services/inventories.server.ts";
import { buildLine, type LineFormContext } from "../../app/services/inventory-line-form.server.ts";
import { rowsToLines } from "../../app/services/workbook/rows.server.ts";
import { browserLineFormSchema, lineFormError, LineFormSchema } from "../../app/utils/line-form.ts";
import { parseInventory } from "../../rules/calculator/index.ts";
import { InvalidInventoryError } from "../../rules/errors.ts";
import { columnForHeader } from "../../app/services/workbook/layout.server.ts";
import { WORKBOOK_COLUMNS } from "../../app/utils/workbook-columns.ts";

const context: LineFormContext = { factorDataset: { id: "CN-DEMO", version: "2026.1" }, gwpSet: "AR6", productIds: [] };
const scores = { reliability: "1", completeness: "2", temporal: "2", geographical: "2", technological: "2" };
/** 260 t of raw coal, except that the stage does not exist and the amount is not a number. */
const brokenForm = {
  stage: "moon",
  kind: "fuel",
  name: "窑用煤",
  dataType: "primary",
  amount: "二百六十",
  unit: "t",
  factorCode: "FUEL-RAW-COAL",
  ...scores,
};
const expected = { stage: { key: "v.choice" }, amount: { key: "v.number" } };

function formData(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

describe("one line schema", () => {
  it("gives the same keyed errors through the form, the workbook import and the calculation API", async () => {
    // The browser (Conform with the browser's schema) and the server (buildLine, the action's schema).
    const browser = parseWithZod(formData(brokenForm), { schema: browserLineFormSchema({ gwpSet: "AR6" }), formatError: lineFormError });
    expect(browser.status).toBe("error");
    expect(
      Object.fromEntries(Object.entries(browser.status === "error" ? browser.error! : {}).map(([field, messages]) => [field, messages?.[0]])),
    ).toEqual(expected);
    const server = buildLine(LineFormSchema.parse(brokenForm), context);
    expect(server).toEqual({ ok: false, errors: expected });

    // The workbook: the same values in a row, reported on their columns.
    const headers = WORKBOOK_COLUMNS.filter((c) => columnForHeader(c) === c);
    expect(headers).toEqual(expect.arrayContaining(["stage", "amount", "reliability"]));
    const row = headers.map((c) => (brokenForm as Record<string, string>)[c] ?? "");
    const imported = await rowsToLines({ headerRow: 1, headers, rows: [{ row: 2, cells: row }] }, { ...context, products: [] });
    expect(imported.ok).toBe(false);
    if (imported.ok) return;
    expect(Object.fromEntries(imported.errors.map((e) => [e.field, e.message]))).toEqual(expected);

    // The calculation API: the same line as JSON, each issue with the same key.
    const inventory = {
      pcr: { code: "PCR-CN-CEMENT", version: "1.0" },
      factorDataset: { id: "CN-DEMO", version: "2026.1" },
      gwpSet: "AR6",
      declaredUnit: { quantity: 1, unit: "t" },
      period: { start: "2025-01-01", end: "2025-12-31" },
      referenceProduct: "cement",
      products: [
        {
          id: "cement",
          output: { amount: 2000, unit: "t" },
          lines: [{ id: "coal", kind: "fuel", stage: "moon", dataType: "primary", amount: "二百六十", unit: "t", factorCode: "FUEL-RAW-COAL" }],
        },
      ],
    };
    let thrown: unknown;
    try {
      parseInventory(inventory);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidInventoryError);
    const issues = (thrown as InvalidInventoryError).toJSON().issues;
    expect(Object.fromEntries(issues.map((i) => [i.path.split(".").at(-1), { key: i.key }]))).toEqual(expected);
  });

  it("adds the editor's own policy (quantities above zero) and stores what the schema accepted", () => {
    const negative = buildLine(LineFormSchema.parse({ ...brokenForm, stage: "production", amount: "-5" }), context);
    expect(negative).toEqual({ ok: false, errors: { amount: { key: "v.positive" } } });
    const valid = buildLine(LineFormSchema.parse({ ...brokenForm, stage: "production", amount: "260" }), context);
    expect(valid).toMatchObject({
      ok: true,
      line: { stage: "production", kind: "fuel", amount: "260", unit: "t", factorCode: "FUEL-RAW-COAL", details: {} },
    });
  });
});

describe("stored lines", () => {
  const row = (overrides: Partial<LineRow>): LineRow =>
    ({
      id: "3f7c1d2e-0000-4000-8000-000000000001",
      inventory_id: "3f7c1d2e-0000-4000-8000-000000000002",
      position: 0,
      stage: "production",
      kind: "fuel",
      name: "窑用煤",
      amount: "260",
      unit: "t",
      factor_code: "FUEL-RAW-COAL",
      data_type: "primary",
      data_quality: { reliability: 1, completeness: 2, temporal: 2, geographical: 2, technological: 2 },
      excluded: false,
      details: {},
      note: "",
      origin_line_id: null,
      revision: 1,
      ...overrides,
    }) as LineRow;

  it("parses a stored row into the calculator's line", () => {
    expect(parseStoredLine(row({}))).toEqual({
      id: "3f7c1d2e-0000-4000-8000-000000000001",
      kind: "fuel",
      stage: "production",
      dataType: "primary",
      dataQuality: { reliability: 1, completeness: 2, temporal: 2, geographical: 2, technological: 2 },
      amount: 260,
      unit: "t",
      factorCode: "FUEL-RAW-COAL",
    });
  });

  it("names a stored line whose details no longer parse, field by field in both languages", () => {
    // An electricity line whose supply was lost, and a process emission of a gas that does not exist.
    const corrupted = row({
      kind: "electricity",
      name: "粉磨用电",
      unit: "kWh",
      factor_code: null,
      details: JSON.parse('{"supply":{"type":"nuclear"}}') as LineRow["details"],
    });
    let thrown: unknown;
    try {
      parseStoredLine(corrupted);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StoredLineInvalidError);
    const error = thrown as StoredLineInvalidError;
    expect(error.code).toBe("StoredLineInvalid");
    expect(error.lines).toEqual([{ id: corrupted.id, name: "粉磨用电", issues: [{ field: "supplyType", message: { key: "v.choice" } }] }]);
    expect(error.detail.zh).toBe(translator("zh-CN")("inv.storedLineInvalid", { name: "粉磨用电", problems: "电力来源：请选择有效的选项。" }));
    expect(error.detail.en).toContain('line "粉磨用电"');
    expect(error.detail.en).toContain("Electricity supply: Choose a valid option.");
    // No payload path and no English schema message reaches the Chinese text.
    expect(error.detail.zh).not.toMatch(/supply|Invalid|expected/);
  });
});
