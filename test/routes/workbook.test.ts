/**
 * Inventory workbooks through the real routes on a real database: the template made for the PCR,
 * a filled template imported, a file with errors refused with messages naming row and column in
 * both languages (and nothing written), CSV in UTF-8 and GB18030, the export and its re-import,
 * other tenants, locked inventories and oversized files. A row citing a supplier's certificate
 * takes its figures from the registry, as the editor does.
 */
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client.ts";
import * as editorPage from "../../app/routes/inventories.$inventoryId.tsx";
import * as workbookPage from "../../app/routes/inventories.$inventoryId_.workbook.tsx";
import * as exportRoute from "../../app/routes/inventories.$inventoryId_.workbook.export.tsx";
import * as importRoute from "../../app/routes/inventories.$inventoryId_.workbook.import.tsx";
import * as templateRoute from "../../app/routes/inventories.$inventoryId_.workbook.template.tsx";
import { translator } from "../../app/i18n/index.ts";
import { inventoryLines, newVersion } from "../../app/services/inventories.server.ts";
import type { ImportOutcome } from "../../app/services/workbook/import.server.ts";
import { headerText, SHEETS } from "../../app/services/workbook/layout.server.ts";
import { describeImportError, WORKBOOK_COLUMNS, type WorkbookColumn } from "../../app/utils/workbook-columns.ts";
import {
  OTHER_TENANT,
  cookieFor,
  demoEmail,
  demoProductId,
  run,
  seedFixtures,
  userIdByEmail,
  type RouteHandler,
  newEmptyInventory,
} from "../support/fixtures.ts";
import { issuedCertificate, useTestSigning } from "./certificates-support.ts";

type Row = Partial<Record<WorkbookColumn, string | number | Date>>;
const dq = { dataType: "primary", reliability: 1, completeness: 1, temporal: 1, geographical: 2, technological: 1 } as const;

/** 1 000 t of cement: coal, calcination, power, rail transport of the coal, gypsum. */
const VALID: Row[] = [
  { stage: "production", kind: "fuel", name: "窑用煤", amount: 260, unit: "t", factorCode: "FUEL-RAW-COAL", ...dq },
  { stage: "production", kind: "process_emission", name: "熟料煅烧", amount: 525000, unit: "kg", gas: "co2_fossil", ...dq },
  { stage: "生产制造", kind: "电力", name: "粉磨用电", amount: 32000, unit: "kWh", supplyType: "grid", ...dq },
  {
    stage: "raw_material_transport",
    kind: "transport",
    name: "煤炭铁路运输",
    factorCode: "TR-RAIL-FREIGHT-DEMO",
    mass: 260,
    massUnit: "t",
    distance: 900,
    ...dq,
  },
  {
    stage: "raw_material_acquisition",
    kind: "material",
    name: "石膏",
    amount: 50,
    unit: "t",
    factorCode: "MAT-GYPSUM-DEMO",
    ...dq,
    dataType: "secondary",
  },
];

let member: string;
let productId: string;
/** A supplier's footprint certificate the registry holds (1 t of cement, 237.3 kg CO2e). */
let supplierCertificate: { number: string; validUntil: string; payloadSha256: string };

beforeAll(async () => {
  await seedFixtures();
  member = await cookieFor(demoEmail("manufacturer_member"));
  productId = await demoProductId();
  useTestSigning();
  const { number } = await issuedCertificate("workbook-supplier");
  const row = await (
    await getDb()
  )
    .selectFrom("certificates")
    .select(["valid_until", "payload_sha256"])
    .where("number", "=", number)
    .executeTakeFirstOrThrow();
  supplierCertificate = { number, validUntil: row.valid_until, payloadSha256: row.payload_sha256! };
});

function newInventory(): Promise<string> {
  return newEmptyInventory(productId);
}

async function xlsx(rows: Row[], columns: readonly WorkbookColumn[] = WORKBOOK_COLUMNS): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(SHEETS.lines);
  sheet.addRow(columns.map(headerText));
  for (const row of rows) sheet.addRow(columns.map((c) => row[c] ?? null));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

async function openWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return workbook;
}

function csvText(rows: Row[], columns: readonly WorkbookColumn[]): string {
  const quote = (v: unknown) => (v === undefined ? "" : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return (
    [columns.map((c) => quote(headerText(c))), ...rows.map((r) => columns.map((c) => quote(r[c])))].map((cells) => cells.join(",")).join("\r\n") +
    "\r\n"
  );
}

function request(path: string, cookie: string, file?: { name: string; bytes: Uint8Array }, mode?: string): Request {
  const form = new FormData();
  if (file) form.append("file", new File([file.bytes as Uint8Array<ArrayBuffer>], file.name));
  if (mode) form.append("mode", mode);
  return new Request(`http://localhost${path}`, { method: "POST", headers: { Cookie: cookie }, body: form });
}

async function call(handler: RouteHandler, req: Request, inventoryId: string): Promise<unknown> {
  try {
    return await handler({ request: req, params: { inventoryId }, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** The streamed import: every event, the final outcome and the HTTP status. */
async function importFile(inventoryId: string, file: { name: string; bytes: Uint8Array }, mode = "replace", cookie = member) {
  const response = (await call(
    importRoute.action,
    request(`/inventories/${inventoryId}/workbook/import`, cookie, file, mode),
    inventoryId,
  )) as Response;
  const events = (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as importRoute.ImportStreamEvent);
  const last = events.at(-1);
  return { status: response.status, events, outcome: (last?.type === "result" ? last.outcome : null) as ImportOutcome };
}

/** The page's own action (the form without JavaScript). */
async function importWithoutScript(inventoryId: string, file: { name: string; bytes: Uint8Array } | undefined, mode: string, cookie = member) {
  const result = (await call(workbookPage.action, request(`/inventories/${inventoryId}/workbook`, cookie, file, mode), inventoryId)) as {
    data: { outcome: ImportOutcome };
    init: { status?: number } | null;
  };
  return { status: result.init?.status ?? 200, outcome: result.data.outcome };
}

async function snapshot(inventoryId: string) {
  const db = await getDb();
  return (await inventoryLines(db, inventoryId)).map(({ id: _id, inventory_id: _inv, origin_line_id: _o, ...rest }) => rest);
}

/**
 * A line as an export of it imports back: the same, except a supplier certificate that was never
 * checked against the registry, which is no more than the supplier's word and comes back as the
 * supplier-declared, secondary figure it is (the cited number standing for the supplier).
 */
function asReimported<L extends Awaited<ReturnType<typeof snapshot>>[number]>(line: L): L {
  const certificate = (line.details as { certificate?: Record<string, unknown> }).certificate;
  if (line.kind !== "supplier_certificate" || !certificate || certificate.registry !== undefined) return line;
  const { number, kgCO2ePerDeclaredUnit, declaredUnit, gwpSet } = certificate;
  return { ...line, data_type: "secondary", details: { declared: { supplier: number, kgCO2ePerDeclaredUnit, declaredUnit, gwpSet } } };
}

async function lineCount(inventoryId: string): Promise<number> {
  return (await snapshot(inventoryId)).filter((l) => !l.excluded).length;
}

async function editorTotal(inventoryId: string): Promise<number | undefined> {
  const outcome = await run(editorPage.loader, { url: `/inventories/${inventoryId}`, cookie: member, params: { inventoryId } });
  return (outcome as { data: Awaited<ReturnType<typeof editorPage.loader>> }).data.result?.total;
}

describe("inventory workbook template", () => {
  it("is an .xlsx download made for the inventory's PCR, with drop-downs, factors and bilingual instructions", async () => {
    const inventoryId = await newInventory();
    const response = (await call(
      templateRoute.loader,
      new Request(`http://localhost/inventories/${inventoryId}/workbook/template`, { headers: { Cookie: member } }),
      inventoryId,
    )) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="[^"]+_2025-01-01_v1_template\.xlsx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(response.headers.get("Content-Disposition")!.split("''")[1]!)).toBe("测试水泥_2025-01-01_v1_template.xlsx");

    const workbook = await openWorkbook(new Uint8Array(await response.arrayBuffer()));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["清单 Lines", "排放因子 Factors", "代码表 Codes", "填写说明 Instructions"]);
    const lines = workbook.getWorksheet(SHEETS.lines)!;
    expect(lines.getCell("A1").value).toBe("生命周期阶段\nLife-cycle stage");
    expect(lines.getCell("E1").value).toBe("单位\nUnit");
    const validations = (lines as unknown as { dataValidations: { model: Record<string, { type: string; formulae: string[] }> } }).dataValidations
      .model;
    // Cement is cradle-to-gate: the stage list offers exactly the PCR's allowed stages.
    expect(validations.A2).toMatchObject({ type: "list", formulae: ['"raw_material_acquisition,raw_material_transport,production"'] });
    expect(validations.B2?.formulae[0]).toContain("'代码表 Codes'!$");
    expect(validations.F2?.formulae[0]).toMatch(/^'排放因子 Factors'!\$A\$2:\$A\$\d+$/);
    const factors = workbook.getWorksheet(SHEETS.factors)!;
    const coal = factors.getColumn(1).values.indexOf("FUEL-RAW-COAL");
    expect(factors.getRow(coal).getCell(5).value).toBe("kg");
    const help = JSON.stringify(workbook.getWorksheet(SHEETS.help)!.getSheetValues());
    expect(help).toContain("每一行是一条清单数据");
    expect(help).toContain("Each row is one inventory line");
    expect(help).toContain("PCR-CN-CEMENT v1.0.0");

    // The template filled in Excel's way (rows typed under the header) imports as it is.
    VALID.forEach((row, i) => (lines.getRow(i + 2).values = WORKBOOK_COLUMNS.map((c) => row[c] ?? null)));
    const filled = new Uint8Array(await workbook.xlsx.writeBuffer());
    const { outcome, events } = await importFile(inventoryId, { name: "filled.xlsx", bytes: filled }, "create");
    expect(outcome).toMatchObject({ status: "imported", mode: "create", lines: 5 });
    expect(events.map((e) => (e.type === "progress" ? e.phase : e.type))).toEqual(["read", "check", "check", "write", "calculate", "result"]);
    // 0.26 t coal × 1 900.3 + 525 kg CO2 + power + rail + gypsum, per t: the editor computes the same total.
    const total = await editorTotal(inventoryId);
    expect(total).toBeGreaterThan(0.26 * 1900.3 + 525);
    // The outcome shows the new total as the page does: 4 significant digits, with its unit.
    expect(outcome.status === "imported" && outcome.footprint).toEqual({ value: String(Number(total!.toPrecision(4))), unit: "kgCO₂e / 1 t" });
    const stored = await snapshot(inventoryId);
    expect(stored.map((l) => [l.stage, l.kind, l.name, l.amount, l.unit])).toEqual([
      ["production", "fuel", "窑用煤", "260", "t"],
      ["production", "process_emission", "熟料煅烧", "525000", "kg"],
      ["production", "electricity", "粉磨用电", "32000", "kWh"],
      ["raw_material_transport", "transport", "煤炭铁路运输", null, null],
      ["raw_material_acquisition", "material", "石膏", "50", "t"],
    ]);
    expect(stored[3]!.details).toEqual({ mass: { amount: 260, unit: "t" }, distance: { amount: 900, unit: "km" } });
  });
});

describe("importing a workbook", () => {
  let inventoryId: string;
  const zh = translator("zh-CN");
  const en = translator("en");

  beforeAll(async () => {
    inventoryId = await newInventory();
    expect((await importFile(inventoryId, { name: "first.xlsx", bytes: await xlsx(VALID) }, "create")).outcome.status).toBe("imported");
  });

  it("refuses a file with errors, naming row and column in Chinese and English, and changes nothing", async () => {
    const before = await snapshot(inventoryId);
    const rows: Row[] = [
      VALID[0]!,
      { ...VALID[0]!, name: "备用柴油", unit: "kWh" }, // row 3: unit E does not fit the factor
      { ...VALID[4]!, factorCode: "MAT-UNOBTAINIUM" }, // row 4: no such factor (F)
      { ...VALID[1]!, stage: "moon" }, // row 5: no such stage (A)
      { ...VALID[2]!, reliability: 9 }, // row 6: score out of range (Z)
      { ...VALID[3]!, distance: "far" }, // row 7: not a number (P)
    ];
    const { status, outcome } = await importFile(inventoryId, { name: "errors.xlsx", bytes: await xlsx(rows) }, "replace");
    expect(status).toBe(200);
    expect(outcome.status).toBe("invalid");
    if (outcome.status !== "invalid") return;
    expect(outcome.errors.map((e) => [e.row, e.column, e.field, e.message.key])).toEqual([
      [3, "E", "unit", "v.unitMismatch"],
      [4, "F", "factorCode", "v.choice"],
      [5, "A", "stage", "v.choice"],
      [6, "Z", "reliability", "wb.err.score"],
      [7, "P", "distance", "v.number"],
    ]);
    expect(outcome.errorCount).toBe(5);
    expect(describeImportError(outcome.errors[0]!, zh)).toBe("第 3 行 E 列（单位）：单位「kWh」不能换算为因子的活动单位「kg」。");
    expect(describeImportError(outcome.errors[0]!, en)).toBe(
      'Row 3, column E (Unit): Unit "kWh" cannot be converted to the factor\'s activity unit "kg".',
    );
    expect(describeImportError(outcome.errors[2]!, en)).toBe("Row 5, column A (Life-cycle stage): Choose a valid option.");
    expect(await snapshot(inventoryId)).toEqual(before);

    // The same file without JavaScript: a 400 with the same errors, and still nothing written.
    const plain = await importWithoutScript(inventoryId, { name: "errors.xlsx", bytes: await xlsx(rows) }, "replace");
    expect(plain.status).toBe(400);
    expect(plain.outcome).toEqual(outcome);
    expect(await snapshot(inventoryId)).toEqual(before);
  });

  it("imports the corrected file, replacing every line in one go", async () => {
    // A supplier's certificate cited by number: the value, unit and validity columns, where filled,
    // must be the registry's (the validity here as a date cell, as Excel stores it).
    const [year, month, day] = supplierCertificate.validUntil.split("-").map(Number);
    const clinkerCertificate: Row = {
      stage: "raw_material_acquisition",
      kind: "supplier_certificate",
      name: "外购熟料",
      amount: 100,
      unit: "t",
      certificateNumber: supplierCertificate.number,
      certifiedValue: 237.3,
      certificateValidUntil: new Date(Date.UTC(year!, month! - 1, day)),
      ...dq,
    };
    const corrected: Row[] = [
      VALID[0]!,
      { ...VALID[0]!, name: "备用柴油", factorCode: "FUEL-DIESEL", amount: 10, unit: "t" },
      VALID[4]!,
      clinkerCertificate,
    ];
    const { outcome } = await importWithoutScript(inventoryId, { name: "corrected.xlsx", bytes: await xlsx(corrected) }, "replace");
    expect(outcome).toMatchObject({ status: "imported", lines: 4 });
    const stored = await snapshot(inventoryId);
    expect(stored.map((l) => [l.position, l.name])).toEqual([
      [0, "窑用煤"],
      [1, "备用柴油"],
      [2, "石膏"],
      [3, "外购熟料"],
    ]);
    expect(stored[3]!.details).toEqual({
      certificate: {
        number: supplierCertificate.number,
        issuer: "CCDC",
        kgCO2ePerDeclaredUnit: 237.3,
        declaredUnit: { quantity: 1, unit: "t" },
        gwpSet: "AR6",
        validUntil: supplierCertificate.validUntil,
        pcr: { code: "PCR-CN-CEMENT", version: "1.0.0" },
        holder: { zh: expect.any(String), en: expect.any(String) },
        registry: { verifiedValue: "237.3", payloadSha256: supplierCertificate.payloadSha256 },
      },
    });
  });

  it("reports header problems on row 1 and refuses a create over existing lines", async () => {
    const before = await snapshot(inventoryId);
    const withoutQuality = WORKBOOK_COLUMNS.filter((c) => c !== "temporal");
    const bad = await xlsx([VALID[0]!], [...withoutQuality, "stage"]);
    const { outcome } = await importFile(inventoryId, { name: "header.xlsx", bytes: bad });
    expect(outcome.status === "invalid" && outcome.errors.map((e) => describeImportError(e, en))).toEqual([
      `Row 1, column ${"AG"} (Life-cycle stage): This column appears twice.`,
      'Row 1 (the file has no "Temporal" column): This required column is missing.',
    ]);
    const refused = await importFile(inventoryId, { name: "again.xlsx", bytes: await xlsx(VALID) }, "create");
    expect(refused.status).toBe(200);
    // The whole outcome in the message: if the rows were found invalid instead, the failure says why.
    expect(refused.outcome, JSON.stringify(refused.outcome)).toMatchObject({
      status: "refused",
      message: { key: "wb.err.notEmpty", params: { count: 4 } },
    });
    expect(await snapshot(inventoryId)).toEqual(before);
  });

  it("reads CSV in UTF-8 (with or without BOM) and in GB18030, with the same row and column errors", async () => {
    const columns: WorkbookColumn[] = [
      "stage",
      "kind",
      "name",
      "amount",
      "unit",
      "factorCode",
      "gas",
      "supplyType",
      "dataType",
      "reliability",
      "completeness",
      "temporal",
      "geographical",
      "technological",
      "note",
    ];
    const rows: Row[] = [VALID[0]!, VALID[1]!, { ...VALID[2]!, note: '含逗号, 和"引号"\n及换行' }];
    const utf8 = new TextEncoder().encode(`\uFEFF${csvText(rows, columns)}`);
    let result = await importFile(inventoryId, { name: "lines.csv", bytes: utf8 });
    expect(result.outcome).toMatchObject({ status: "imported", lines: 3 });
    expect((await snapshot(inventoryId))[2]!.note).toBe('含逗号, 和"引号"\n及换行');

    const gb = gb18030(csvText([VALID[0]!, { ...VALID[1]!, stage: "生产制造", gas: "" }], columns));
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(gb)).toThrow();
    result = await importFile(inventoryId, { name: "lines-gbk.csv", bytes: gb });
    expect(result.outcome.status === "invalid" && result.outcome.errors.map((e) => describeImportError(e, zh))).toEqual([
      "第 3 行 G 列（温室气体）：请选择有效的选项。",
    ]);
    result = await importFile(inventoryId, {
      name: "lines-gbk.csv",
      bytes: gb18030(csvText([VALID[0]!, { ...VALID[1]!, stage: "生产制造" }], columns)),
    });
    expect(result.outcome).toMatchObject({ status: "imported", lines: 2 });
    expect((await snapshot(inventoryId)).map((l) => [l.stage, l.name])).toEqual([
      ["production", "窑用煤"],
      ["production", "熟料煅烧"],
    ]);
  });

  it("refuses files it cannot read, empty files and files over 10 MB, with a message for each", async () => {
    const before = await snapshot(inventoryId);
    const cases: [string, Uint8Array, string][] = [
      ["old.xls", new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), "wb.err.xls"],
      ["broken.xlsx", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]), "wb.err.unreadable"],
      ["image.csv", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), "wb.err.unreadable"],
      ["header-only.csv", new TextEncoder().encode(csvText([], ["stage", "kind", "name"])), "wb.err.noRows"],
      // 10 MB of line breaks would be millions of rows: refused before they are parsed.
      ["rows.csv", new TextEncoder().encode(`${csvText([], ["stage"])}${"production\n".repeat(120_000)}`), "wb.err.tooManyRows"],
    ];
    for (const [name, bytes, key] of cases) {
      const { outcome } = await importFile(inventoryId, { name, bytes });
      expect(outcome.status === "invalid" && outcome.errors[0]!.message.key, name).toBe(key);
    }
    const huge = new Uint8Array(10 * 1024 * 1024 + 1).fill(0x41);
    const tooLarge = await importFile(inventoryId, { name: "huge.csv", bytes: huge });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.outcome).toMatchObject({ status: "refused", message: { key: "wb.err.tooLarge", params: { mb: 10 } } });
    const noFile = await importWithoutScript(inventoryId, undefined, "replace");
    expect(noFile).toMatchObject({ status: 400, outcome: { message: { key: "wb.err.noFile" } } });
    expect(await snapshot(inventoryId)).toEqual(before);
  });

  it("refuses every import into a locked inventory and says to make a new version", async () => {
    const locked = await newInventory();
    await importFile(locked, { name: "v1.xlsx", bytes: await xlsx(VALID) }, "create");
    const db = await getDb();
    await db.updateTable("inventories").set({ locked_at: new Date() }).where("id", "=", locked).execute();
    const before = await snapshot(locked);
    const streamed = await importFile(locked, { name: "v2.xlsx", bytes: await xlsx([VALID[0]!]) });
    expect(streamed).toMatchObject({ status: 409, outcome: { status: "refused", message: { key: "wb.err.locked" } } });
    const plain = await importWithoutScript(locked, { name: "v2.xlsx", bytes: await xlsx([VALID[0]!]) }, "replace");
    expect(plain.status).toBe(409);
    expect(zh(plain.outcome.status === "refused" ? plain.outcome.message.key : "v.invalid")).toContain("请先在清单页面创建新版本");
    expect(await snapshot(locked)).toEqual(before);
  });
});

describe("exporting an inventory", () => {
  it("writes the lines and the result with its basis, and the export imports back to the same lines and total", async () => {
    const db = await getDb();
    // Every demo inventory (nested sub-products, green certificates, excluded flows, transport in t·km …).
    const demos = await db
      .selectFrom("inventories")
      .innerJoin("products", "products.id", "inventories.product_id")
      .select(["inventories.id", "products.internal_code"])
      .where("products.internal_code", "like", "DEMO-%")
      .execute();
    expect(demos.length).toBe(6);
    let unchecked = 0;
    for (const demo of demos) {
      const copyId = await newVersion(
        db,
        (await db.selectFrom("inventories").select("organization_id").where("id", "=", demo.id).executeTakeFirstOrThrow()).organization_id,
        demo.id,
        await userIdByEmail("member@hualv.demo"),
      );
      const response = (await call(
        exportRoute.loader,
        new Request(`http://localhost/inventories/${copyId}/workbook/export`, { headers: { Cookie: member } }),
        copyId,
      )) as Response;
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename=".+_v2_export\.xlsx"/);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const workbook = await openWorkbook(bytes);
      const result = workbook.getWorksheet(SHEETS.result)!;
      const rowOf = (label: string) => result.getColumn(1).values.findIndex((v) => typeof v === "string" && v.startsWith(label));
      const total = await editorTotal(copyId);
      if (total === undefined) {
        // An intermediate product (the battery cell, per piece) cannot be footprinted under its PCR's
        // declared unit on its own: the export says why and still carries every line.
        expect(workbook.worksheets.map((w) => w.name)).toEqual([
          "清单 Lines",
          "结果 Result",
          "排放因子 Factors",
          "代码表 Codes",
          "填写说明 Instructions",
        ]);
        expect(JSON.stringify(result.getSheetValues())).toContain("Cannot calculate: Unit mismatch");
      } else {
        expect(workbook.worksheets.map((w) => w.name)).toEqual([
          "清单 Lines",
          "结果 Result",
          "排放因子 Factors",
          "代码表 Codes",
          "填写说明 Instructions",
          "各行贡献 Contributions",
          "符合性 Conformance",
        ]);
        expect(result.getRow(rowOf("单位产品碳足迹")).getCell(2).value).toBe(total);
        expect(String(result.getRow(rowOf("单位产品碳足迹")).getCell(3).value)).toMatch(/^kgCO2e \/ 1 /);
        expect(result.getRow(rowOf("计算器")).getCell(2).value).toBe("carbonlabel-rules 1.0.0");
        expect(String(result.getRow(rowOf("输入摘要 SHA-256")).getCell(2).value)).toMatch(/^[0-9a-f]{64}$/);
        const contributions = workbook.getWorksheet(SHEETS.contributions)!;
        expect(contributions.rowCount - 1).toBeGreaterThanOrEqual(await lineCount(copyId));
      }

      const before = await snapshot(copyId);
      const { outcome } = await importFile(copyId, { name: "export.xlsx", bytes }, "replace");
      expect(outcome, demo.internal_code ?? "").toMatchObject({ status: "imported", lines: before.length });
      expect(await snapshot(copyId)).toEqual(before.map(asReimported));
      unchecked += before.filter((l) => asReimported(l) !== l).length;
      expect(await editorTotal(copyId)).toBe(total);
    }
    // The battery pack's BMS cites a certificate number the registry never held.
    expect(unchecked).toBe(1);
  });
});

describe("another organization", () => {
  it("gets 404 for the page, template, export and both imports of an inventory it does not own", async () => {
    const inventoryId = await newInventory();
    await importFile(inventoryId, { name: "v1.xlsx", bytes: await xlsx(VALID) }, "create");
    const before = await snapshot(inventoryId);
    const other = await cookieFor(OTHER_TENANT.adminEmail);
    const get = (path: string) => new Request(`http://localhost${path}`, { headers: { Cookie: other } });
    for (const [handler, path] of [
      [workbookPage.loader, "/workbook"],
      [templateRoute.loader, "/workbook/template"],
      [exportRoute.loader, "/workbook/export"],
    ] as const) {
      expect(((await call(handler, get(`/inventories/${inventoryId}${path}`), inventoryId)) as Response).status, path).toBe(404);
    }
    const file = { name: "x.xlsx", bytes: await xlsx([VALID[0]!]) };
    expect(
      ((await call(importRoute.action, request(`/inventories/${inventoryId}/workbook/import`, other, file, "replace"), inventoryId)) as Response)
        .status,
    ).toBe(404);
    expect(
      ((await call(workbookPage.action, request(`/inventories/${inventoryId}/workbook`, other, file, "replace"), inventoryId)) as Response).status,
    ).toBe(404);
    expect(await snapshot(inventoryId)).toEqual(before);
  });
});

/** Text encoded as GB18030 (what Chinese Excel writes for "CSV"), built from the platform's decoder. */
function gb18030(text: string): Uint8Array {
  const decoder = new TextDecoder("gb18030");
  const table = new Map<string, number[]>();
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([hi, lo]));
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) bytes.push(ch.charCodeAt(0));
    else {
      const encoded = table.get(ch);
      if (!encoded) throw new Error(`no two-byte GB18030 code for ${ch}`);
      bytes.push(...encoded);
    }
  }
  return new Uint8Array(bytes);
}
