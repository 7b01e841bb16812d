/**
 * Supplier lines through the editor's routes on a real database, with certificates issued the real
 * way: a line citing a certificate by number takes value, unit, PCR, holder, GWP set, validity and
 * issuer from the registry's signed payload with nothing typed; a withdrawn certificate, a number
 * the registry does not hold, a unit the certificate's cannot convert to and another GWP set are
 * refused by name; a supplier's own figure is accepted as supplier-declared, unverified, counted as
 * secondary data and named in the conformance report; the workbook import takes the same path.
 */
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { translator, type Message } from "../../app/i18n/index.ts";
import { action as inventoryAction, loader as inventoryLoader } from "../../app/routes/inventories.$inventoryId.tsx";
import { loader as lookupLoader } from "../../app/routes/inventories.$inventoryId_.certificate.tsx";
import * as importRoute from "../../app/routes/inventories.$inventoryId_.workbook.import.tsx";
import type { CertificateLookup } from "../../app/services/inventory-line-form.server.ts";
import type { ImportOutcome } from "../../app/services/workbook/import.server.ts";
import { headerText, SHEETS } from "../../app/services/workbook/layout.server.ts";
import { WORKBOOK_COLUMNS, type WorkbookColumn } from "../../app/utils/workbook-columns.ts";
import { getDb } from "../../db/client.ts";
import { cookieFor, demoProductId, newEmptyInventory, run } from "../support/fixtures.ts";
import { send, type World } from "../workflows/cases-support.ts";
import { issuedCertificate, runOutbox, useTestSigning } from "./certificates-support.ts";

const zh = translator("zh-CN");
const en = translator("en");
const DQ = { reliability: "2", completeness: "2", temporal: "2", geographical: "2", technological: "2" };

let w: World;
/** A valid supplier certificate: 237.3 kg CO2e per t of cement (PCR-CN-CEMENT 1.0.0, AR6). */
let valid: string;
/** Another, withdrawn by its body. */
let withdrawn: string;
let cookie: string;

beforeAll(async () => {
  useTestSigning();
  ({ w, number: valid } = await issuedCertificate("supplier-lines-valid"));
  const other = await issuedCertificate("supplier-lines-withdrawn", { verified: 250 });
  withdrawn = other.number;
  await send(w, other.caseId, "cbAdmin", { type: "WITHDRAW", reason: "监督抽查不合格" });
  await runOutbox();
  cookie = await cookieFor("admin@hualv.demo");
});

async function inventory(): Promise<string> {
  return newEmptyInventory(await demoProductId());
}

/** A supplier line citing a certificate: the number and the amount, nothing else about the figure. */
const citing = (number: string, overrides: Record<string, string> = {}) => ({
  intent: "add-line",
  stage: "raw_material_acquisition",
  kind: "supplier_certificate",
  name: "外购熟料",
  dataType: "primary",
  ...DQ,
  supplierSource: "certificate",
  certificateNumber: number,
  amount: "0.8",
  unit: "t",
  ...overrides,
});

async function post(inventoryId: string, form: Record<string, string>) {
  return run(inventoryAction, { url: `/inventories/${inventoryId}`, method: "POST", cookie, params: { inventoryId }, form });
}

function errorsOf(outcome: Awaited<ReturnType<typeof post>>): Record<string, Message> {
  expect(outcome).toMatchObject({ kind: "ok", status: 400 });
  return (outcome as { data: { errors: Record<string, Message> } }).data.errors;
}

async function storedLines(inventoryId: string) {
  return (await getDb())
    .selectFrom("inventory_lines")
    .select(["id", "kind", "data_type", "details", "amount", "unit"])
    .where("inventory_id", "=", inventoryId)
    .orderBy("position")
    .execute();
}

async function page(inventoryId: string, query = "") {
  const outcome = await run(inventoryLoader, { url: `/inventories/${inventoryId}${query}`, cookie, params: { inventoryId } });
  return (outcome as { data: Awaited<ReturnType<typeof inventoryLoader>> }).data;
}

async function lookUp(inventoryId: string, number: string, unit = ""): Promise<CertificateLookup> {
  const query = new URLSearchParams({ number, unit });
  const outcome = await run(lookupLoader, { url: `/inventories/${inventoryId}/certificate?${query}`, cookie, params: { inventoryId } });
  expect(outcome).toMatchObject({ kind: "ok", status: 200 });
  return (await (outcome as { data: Response }).data.json()) as CertificateLookup;
}

describe("a supplier line citing a certificate", () => {
  it("takes value, unit, PCR, holder, GWP set, validity and issuer from the registry's signed data, with nothing typed", async () => {
    const inventoryId = await inventory();
    expect(await post(inventoryId, citing(valid.toLowerCase()))).toMatchObject({ kind: "ok", status: 200 });
    const [line] = await storedLines(inventoryId);
    const certificate = await w.db
      .selectFrom("certificates")
      .select(["valid_until", "payload_sha256", "holder_name_zh", "holder_name_en"])
      .where("number", "=", valid)
      .executeTakeFirstOrThrow();
    expect(line).toMatchObject({ kind: "supplier_certificate", data_type: "primary", amount: "0.8", unit: "t" });
    expect(line!.details).toEqual({
      certificate: {
        number: valid,
        issuer: "CCDC",
        kgCO2ePerDeclaredUnit: 237.3,
        declaredUnit: { quantity: 1, unit: "t" },
        gwpSet: "AR6",
        validUntil: certificate.valid_until,
        pcr: { code: "PCR-CN-CEMENT", version: "1.0.0" },
        holder: { zh: certificate.holder_name_zh, en: certificate.holder_name_en },
        registry: { verifiedValue: "237.3", payloadSha256: certificate.payload_sha256 },
      },
    });

    // The footprint uses it: 0.8 t × 237.3 kg CO2e per t, as the certificate number's factor.
    const editor = await page(inventoryId);
    expect(editor.result?.byLine[0]).toMatchObject({ kgCO2e: expect.closeTo(0.8 * 237.3 * (1 / 1000), 9), factor: { code: valid } });

    // Opened for editing, the form has the number and shows the registry's figures read-only.
    const edit = await page(inventoryId, `?line=${line!.id}`);
    expect(edit.form.values).toMatchObject({
      supplierSource: "certificate",
      certificateNumber: valid,
      certifiedValue: "237.3",
      certifiedUnit: "t",
      certificateIssuer: "CCDC",
      certificatePcr: "PCR-CN-CEMENT 1.0.0",
      certificateHolderZh: certificate.holder_name_zh,
    });
    // Saving it untouched checks it against the registry again and writes the same line.
    const saved = await post(inventoryId, { ...(edit.form.values as Record<string, string>), intent: "edit-line", line: line!.id });
    expect(saved).toMatchObject({ kind: "redirect" });
    expect((await storedLines(inventoryId))[0]!.details).toEqual(line!.details);
  });

  it("is looked up before it is saved: the editor gets the signed figures, or why the line cannot cite it", async () => {
    const inventoryId = await inventory();
    const found = await lookUp(inventoryId, ` ${valid.toLowerCase()} `, "kg");
    expect(found).toMatchObject({
      number: valid,
      status: "valid",
      problem: null,
      figures: {
        value: "237.3",
        declaredUnit: { quantity: "1", unit: "t" },
        pcr: { code: "PCR-CN-CEMENT", version: "1.0.0" },
        gwpSet: "AR6",
        issuer: { code: "CCDC" },
        payloadSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    expect((await lookUp(inventoryId, "CQC-CF-2025-000123")).problem).toEqual({
      field: "certificateNumber",
      message: { key: "v.certificateUnknown", params: { number: "CQC-CF-2025-000123" } },
    });
    expect((await lookUp(inventoryId, withdrawn)).problem?.message).toEqual({
      key: "v.certificateNotValid.withdrawn",
      params: { number: withdrawn },
    });
    expect((await lookUp(inventoryId, valid, "kWh")).problem).toMatchObject({ field: "unit", message: { key: "v.certificateUnit" } });
    // Another organization's inventory is not there to ask about.
    const stranger = await run(lookupLoader, {
      url: `/inventories/${inventoryId}/certificate?number=${valid}`,
      cookie: await cookieFor("admin@ccdc.demo"),
      params: { inventoryId },
    });
    expect(stranger).toMatchObject({ kind: "error" });
  });

  it("refuses a withdrawn certificate, naming its status in both languages", async () => {
    const inventoryId = await inventory();
    const error = errorsOf(await post(inventoryId, citing(withdrawn))).certificateNumber!;
    expect(error).toEqual({ key: "v.certificateNotValid.withdrawn", params: { number: withdrawn } });
    expect(zh(error.key, error.params)).toBe(`证书 ${withdrawn} 在登记册中已被撤销，不能引用`);
    expect(en(error.key, error.params)).toBe(`certificate ${withdrawn} is withdrawn in the registry and cannot be cited`);
    expect(await storedLines(inventoryId)).toEqual([]);
  });

  it("refuses a number the registry does not hold, and says to enter the figure as supplier-declared", async () => {
    const inventoryId = await inventory();
    const error = errorsOf(await post(inventoryId, citing("CQC-CF-2025-000123", { certifiedValue: "45" }))).certificateNumber!;
    expect(zh(error.key, error.params)).toBe(
      "登记册中没有证书 CQC-CF-2025-000123。如为供应商自行提供的数值，请在“数据来源”中选择“供应商自报，未经核验”后录入",
    );
    expect(en(error.key, error.params)).toContain("choose “Supplier-declared, unverified” as the source");
    expect(await storedLines(inventoryId)).toEqual([]);
  });

  it("refuses an amount in a unit that does not convert to the certificate's declared unit, naming both and the PCR", async () => {
    const inventoryId = await inventory();
    const error = errorsOf(await post(inventoryId, citing(valid, { unit: "kWh", amount: "300" }))).unit!;
    expect(en(error.key, error.params)).toBe(`Unit "kWh" cannot be converted to the declared unit "t" of certificate ${valid} (PCR-CN-CEMENT 1.0.0)`);
    expect(zh(error.key, error.params)).toBe(`单位「kWh」不能换算为证书 ${valid} 的声明单位「t」（PCR-CN-CEMENT 1.0.0）`);
  });

  it("refuses a certificate calculated with another GWP set than the inventory's", async () => {
    const inventoryId = await inventory();
    await w.db.updateTable("inventories").set({ gwp_set: "AR5" }).where("id", "=", inventoryId).execute();
    const error = errorsOf(await post(inventoryId, citing(valid))).certificateNumber!;
    expect(en(error.key, error.params)).toBe(
      `certificate ${valid} (PCR-CN-CEMENT 1.0.0) is calculated with AR6, this inventory with AR5: it cannot be cited`,
    );
  });

  it("refuses a value typed beside the number that is not the registry's", async () => {
    const inventoryId = await inventory();
    const errors = errorsOf(await post(inventoryId, citing(valid, { certifiedValue: "200", certifiedUnit: "t" })));
    expect(errors.certifiedValue).toEqual({
      key: "v.certificateMismatch",
      params: { number: valid, value: "237.3", quantity: "1", unit: "t" },
    });
  });
});

describe("a supplier-declared figure", () => {
  const declared = (overrides: Record<string, string> = {}) => ({
    intent: "add-line",
    stage: "raw_material_acquisition",
    kind: "supplier_certificate",
    name: "外购熟料（供应商自报）",
    dataType: "secondary",
    ...DQ,
    supplierSource: "declared",
    supplierName: "华东熟料厂",
    certifiedValue: "800",
    certifiedUnit: "t",
    supplierFactorYear: "2025",
    amount: "0.5",
    unit: "t",
    ...overrides,
  });

  it("is accepted as secondary data only", async () => {
    const inventoryId = await inventory();
    expect(errorsOf(await post(inventoryId, declared({ dataType: "primary" }))).dataType).toEqual({ key: "v.supplierDeclaredSecondary" });
    expect(await post(inventoryId, declared())).toMatchObject({ kind: "ok", status: 200 });
    const [line] = await storedLines(inventoryId);
    expect(line).toMatchObject({ kind: "supplier_certificate", data_type: "secondary" });
    expect(line!.details).toEqual({
      declared: { supplier: "华东熟料厂", kgCO2ePerDeclaredUnit: 800, declaredUnit: { quantity: 1, unit: "t" }, gwpSet: "AR6", year: 2025 },
    });
  });

  it("is counted as secondary and named in the conformance report, beside a cited certificate counted as the line says", async () => {
    const inventoryId = await inventory();
    expect(await post(inventoryId, citing(valid))).toMatchObject({ kind: "ok", status: 200 });
    expect(await post(inventoryId, declared())).toMatchObject({ kind: "ok", status: 200 });
    const [cited, own] = await storedLines(inventoryId);
    const editor = await page(inventoryId);
    expect(editor.result?.byLine.map((l) => [l.lineId, l.dataType])).toEqual([
      [cited!.id, "primary"],
      [own!.id, "secondary"],
    ]);
    // 0.8 t × 237.3 primary of that plus 0.5 t × 800 declared, per t of the 1 000 t produced.
    expect(editor.result?.primaryDataShare).toBeCloseTo((0.8 * 237.3) / (0.8 * 237.3 + 0.5 * 800), 12);
    const finding = editor.conformance?.findings.find((f) => f.check === "supplier.declared");
    expect(finding).toMatchObject({ passed: true, lineIds: [own!.id] });
    expect(finding?.message.zh).toContain("1 条清单行使用供应商自报、未经核验的数据（华东熟料厂），按次级数据计");
  });

  it("is what a certificate line never checked against the registry opens as in the editor", async () => {
    const inventoryId = await inventory();
    const [row] = await w.db
      .insertInto("inventory_lines")
      .values({
        inventory_id: inventoryId,
        position: 0,
        stage: "raw_material_acquisition",
        kind: "supplier_certificate",
        name: "BMS",
        amount: "1",
        unit: "piece",
        factor_code: null,
        data_type: "primary",
        data_quality: null,
        details: JSON.stringify({
          certificate: {
            number: "CQC-CF-2025-000123",
            issuer: "demo CB",
            kgCO2ePerDeclaredUnit: 45,
            declaredUnit: { quantity: 1, unit: "piece" },
            gwpSet: "AR6",
          },
        }),
      })
      .returning("id")
      .execute();
    const edit = await page(inventoryId, `?line=${row!.id}`);
    expect(edit.form.values).toMatchObject({
      supplierSource: "declared",
      supplierName: "CQC-CF-2025-000123",
      certifiedValue: "45",
      certifiedUnit: "piece",
      dataType: "secondary",
      uncheckedCertificate: "CQC-CF-2025-000123",
    });
  });
});

describe("the workbook import", () => {
  async function importRows(inventoryId: string, rows: Partial<Record<WorkbookColumn, string | number>>[]): Promise<ImportOutcome> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet(SHEETS.lines);
    sheet.addRow(WORKBOOK_COLUMNS.map(headerText));
    for (const row of rows) sheet.addRow(WORKBOOK_COLUMNS.map((c) => row[c] ?? null));
    const form = new FormData();
    form.append("file", new File([new Uint8Array(await workbook.xlsx.writeBuffer())], "supplier.xlsx"));
    form.append("mode", "replace");
    const request = new Request(`http://localhost/inventories/${inventoryId}/workbook/import`, {
      method: "POST",
      headers: { Cookie: cookie },
      body: form,
    });
    const response = (await importRoute.action({ request, params: { inventoryId }, context: {} })) as Response;
    const last = JSON.parse((await response.text()).trim().split("\n").at(-1)!) as importRoute.ImportStreamEvent;
    return (last.type === "result" ? last.outcome : null) as ImportOutcome;
  }
  const row = { stage: "raw_material_acquisition", kind: "supplier_certificate", dataType: "secondary", ...DQ, amount: 2, unit: "t" };

  it("cites by number alone and takes a declared figure, and refuses a withdrawn certificate on its cell", async () => {
    const inventoryId = await inventory();
    const refused = await importRows(inventoryId, [
      { ...row, name: "熟料 A", certificateNumber: valid },
      { ...row, name: "熟料 B", certificateNumber: withdrawn },
    ]);
    expect(refused.status === "invalid" && refused.errors.map((e) => [e.row, e.field, e.message.key])).toEqual([
      [3, "certificateNumber", "v.certificateNotValid.withdrawn"],
    ]);
    expect(await storedLines(inventoryId)).toEqual([]);

    const imported = await importRows(inventoryId, [
      { ...row, name: "熟料 A", certificateNumber: valid },
      { ...row, name: "熟料 B", supplierName: "华东熟料厂", certifiedValue: 800, certifiedUnit: "t" },
    ]);
    expect(imported).toMatchObject({ status: "imported", lines: 2 });
    const [a, b] = await storedLines(inventoryId);
    expect(a!.details).toMatchObject({ certificate: { number: valid, kgCO2ePerDeclaredUnit: 237.3, registry: { verifiedValue: "237.3" } } });
    expect(b!.details).toEqual({
      declared: { supplier: "华东熟料厂", kgCO2ePerDeclaredUnit: 800, declaredUnit: { quantity: 1, unit: "t" }, gwpSet: "AR6" },
    });
  });
});
