/**
 * The inventory editor beyond adding lines: editing a line in place, the factor search, evidence
 * files (limits, sniffing, digest, download, tenant scoping, locking), copying a locked version,
 * and comparing two versions. Every cross-tenant probe guesses real ids and must get 404.
 */
import { createHash } from "node:crypto";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client.ts";
import * as evidenceRoute from "../../app/routes/evidence.$evidenceId.tsx";
import * as factorsRoute from "../../app/routes/inventories.$inventoryId_.factors.tsx";
import * as compareRoute from "../../app/routes/inventories.compare.tsx";
import * as inventoryPage from "../../app/routes/inventories.$inventoryId.tsx";
import * as productPage from "../../app/routes/products.$productId.tsx";
import { calculateStoredInventory, findInventory, toCalculatorInput } from "../../app/services/inventories.server.ts";
import { lineFormValues } from "../../app/services/inventory-line-form.server.ts";
import { contentHash } from "../../rules/canonical.ts";
import {
  OTHER_TENANT,
  cookieFor,
  demoEmail,
  demoProductId,
  insertCementInventory,
  insertPdfEvidence,
  run,
  seedFixtures,
  userIdByEmail,
  type Outcome,
} from "../support/fixtures.ts";

type Page = Awaited<ReturnType<typeof inventoryPage.loader>>;
type ActionData = {
  intent: string;
  errors: Record<string, { key: string; params?: Record<string, unknown> }>;
  values: Record<string, string>;
  sha256?: string;
};
type Comparison = Exclude<Awaited<ReturnType<typeof compareRoute.loader>>, { init: unknown }>;

const dq = { reliability: "1", completeness: "1", temporal: "1", geographical: "2", technological: "1" };
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const MB = 1024 * 1024;

let member: string;
let other: string;
let productId: string;
let v1: string;
let otherInventoryId: string;
let otherLineId: string;
let otherEvidenceId: string;

function actionData(o: Outcome): ActionData {
  if (o.kind !== "ok") throw new Error(`expected data, got ${o.kind} ${o.status}`);
  return o.data as ActionData;
}

async function page(inventoryId: string, search = ""): Promise<Page> {
  const o = await run(inventoryPage.loader, { url: `/inventories/${inventoryId}${search}`, cookie: member, params: { inventoryId } });
  if (o.kind !== "ok") throw new Error(`loader answered ${o.kind} ${o.status}`);
  return o.data as Page;
}

function post(inventoryId: string, form: Record<string, string>, cookie = member) {
  return run(inventoryPage.action, { url: `/inventories/${inventoryId}`, method: "POST", cookie, params: { inventoryId }, form });
}

const addLine = (inventoryId: string, form: Record<string, string>) =>
  post(inventoryId, { intent: "add-line", dataType: "primary", note: "", ...dq, ...form });
const editLine = (inventoryId: string, line: string, form: Record<string, string>, cookie = member) =>
  post(inventoryId, { intent: "edit-line", line, dataType: "primary", note: "", ...dq, ...form }, cookie);

/** A multipart upload exactly as a browser sends the evidence form. */
async function upload(
  inventoryId: string,
  line: string,
  file: { name: string; bytes: Uint8Array; type?: string },
  cookie = member,
): Promise<Outcome> {
  const form = new FormData();
  form.set("intent", "upload-evidence");
  form.set("line", line);
  form.set("file", new File([new Uint8Array(file.bytes)], file.name, { type: file.type ?? "application/octet-stream" }));
  const request = new Request(`http://localhost/inventories/${inventoryId}`, { method: "POST", headers: { Cookie: cookie }, body: form });
  let result: unknown;
  try {
    result = await inventoryPage.action({ request, params: { inventoryId }, context: { clientIp: "203.0.113.9" } });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  }
  if (result instanceof Response)
    return result.status >= 400 ? { kind: "error", status: result.status } : { kind: "ok", status: result.status, data: result };
  const withInit = result as { data: unknown; init?: { status?: number } | null };
  return { kind: "ok", status: withInit.init?.status ?? 200, data: withInit.data };
}

async function download(evidenceId: string, cookie = member): Promise<Outcome> {
  return run(evidenceRoute.loader, { url: `/evidence/${evidenceId}`, cookie, params: { evidenceId } });
}

async function searchFactors(inventoryId: string, query: Record<string, string>, cookie = member) {
  const outcome = await run(factorsRoute.loader, {
    url: `/inventories/${inventoryId}/factors?${new URLSearchParams(query)}`,
    cookie,
    params: { inventoryId },
  });
  if (outcome.kind !== "ok") return { outcome, body: null };
  const response = outcome.data as Response;
  return {
    outcome,
    body: (await response.json()) as { total: number; factors: { code: string; unit: string; units: string[]; region: string; year: number }[] },
  };
}

const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.4\n% ${text}\n1 0 obj << >> endobj\n%%EOF\n`);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);

async function lineId(inventoryId: string, name: string): Promise<string> {
  const line = (await page(inventoryId)).lines.find((l) => l.name === name);
  if (!line) throw new Error(`no line ${name}`);
  return line.id;
}

beforeAll(async () => {
  const db = await seedFixtures();
  member = await cookieFor(demoEmail("manufacturer_member"));
  other = await cookieFor(OTHER_TENANT.adminEmail);
  productId = await demoProductId();
  const created = await run(productPage.action, {
    url: `/products/${productId}`,
    method: "POST",
    cookie: member,
    params: { productId },
    form: { intent: "create-inventory", periodStart: "2023-01-01", periodEnd: "2023-12-31", productionQuantity: "2000", productionUnit: "t" },
  });
  v1 = (created as { location: string }).location.split("/inventories/")[1]!;

  // The other tenant's own product, inventory, line and evidence file: the ids a guesser would try.
  const otherOrg = await db.selectFrom("organizations").select("id").where("credit_code", "=", OTHER_TENANT.creditCode).executeTakeFirstOrThrow();
  const otherUser = await userIdByEmail(OTHER_TENANT.adminEmail);
  const product = await db
    .insertInto("products")
    .values({ organization_id: otherOrg.id, name_zh: "别家水泥", name_en: "Their cement", pcr_code: "PCR-CN-CEMENT", site_region: "CN-SH" })
    .returning("id")
    .executeTakeFirstOrThrow();
  otherInventoryId = await insertCementInventory(db, {
    organizationId: otherOrg.id,
    productId: product.id,
    createdBy: otherUser,
    productionQuantity: "100",
  });
  const line = await db
    .insertInto("inventory_lines")
    .values({
      inventory_id: otherInventoryId,
      position: 0,
      stage: "production",
      kind: "fuel",
      name: "他们的煤",
      amount: "10",
      unit: "t",
      factor_code: "FUEL-RAW-COAL",
      data_type: "primary",
      data_quality: null,
      details: "{}",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  otherLineId = line.id;
  otherEvidenceId = await insertPdfEvidence(db, {
    organizationId: otherOrg.id,
    lineId: line.id,
    fileName: "their.pdf",
    content: pdf("their invoice"),
    uploadedBy: otherUser,
  });
});

describe("editing a line in place", () => {
  it("changes the line and the footprint, keeping its id, with the validation of adding", async () => {
    expect(
      (await addLine(v1, { stage: "production", kind: "fuel", name: "窑用煤", amount: "260", unit: "t", factorCode: "FUEL-RAW-COAL" })).kind,
    ).toBe("ok");
    const coal = await lineId(v1, "窑用煤");
    expect((await page(v1)).result?.total).toBeCloseTo(247.039, 9);

    const mismatch = await editLine(v1, coal, {
      stage: "production",
      kind: "fuel",
      name: "窑用煤",
      amount: "520",
      unit: "kWh",
      factorCode: "FUEL-RAW-COAL",
    });
    expect(mismatch).toMatchObject({ kind: "ok", status: 400 });
    expect(actionData(mismatch).errors.unit).toMatchObject({ key: "v.unitMismatch", params: { unit: "kWh", expected: "kg" } });
    const unnamed = await editLine(v1, coal, { stage: "production", kind: "fuel", name: " ", amount: "520", unit: "t", factorCode: "FUEL-RAW-COAL" });
    expect(actionData(unnamed).errors.name).toMatchObject({ key: "v.required" });
    expect((await page(v1)).result?.total).toBeCloseTo(247.039, 9);

    const saved = await editLine(v1, coal, {
      stage: "production",
      kind: "fuel",
      name: "窑用原煤",
      amount: "520",
      unit: "t",
      factorCode: "FUEL-RAW-COAL",
      note: "2023 年采购发票合计",
    });
    expect(saved).toEqual({ kind: "redirect", status: 302, location: `/inventories/${v1}?line=${coal}&saved` });
    const after = await page(v1, `?line=${coal}`);
    expect(after.lines).toHaveLength(1);
    expect(after.lines[0]).toMatchObject({ id: coal, name: "窑用原煤", amount: "520", note: "2023 年采购发票合计" });
    expect(after.result?.total).toBeCloseTo(494.078, 9);
  });

  it("opens the edit form with the line's values and the units of its factor's dimension", async () => {
    const coal = await lineId(v1, "窑用原煤");
    const open = await page(v1, `?line=${coal}`);
    expect(open.current).toEqual({ id: coal, name: "窑用原煤" });
    expect(open.form.values).toMatchObject({
      kind: "fuel",
      stage: "production",
      amount: "520",
      unit: "t",
      factorCode: "FUEL-RAW-COAL",
      reliability: "1",
      geographical: "2",
    });
    expect(open.form.selectedFactor).toMatchObject({ code: "FUEL-RAW-COAL", unit: "kg" });
    expect(open.form.selectedFactor?.units).toEqual(["mg", "g", "kg", "t", "kt", "Mt"]);
  });

  it("answers 404 for a line that is not in this inventory, including another organization's line", async () => {
    const form = { stage: "production", kind: "fuel", name: "x", amount: "1", unit: "t", factorCode: "FUEL-RAW-COAL" };
    expect(await editLine(v1, otherLineId, form)).toMatchObject({ kind: "error", status: 404 });
    expect(await editLine(v1, "00000000-0000-4000-8000-000000000000", form)).toMatchObject({ kind: "error", status: 404 });
    // Their own inventory with our line id is no better.
    expect(await editLine(otherInventoryId, await lineId(v1, "窑用原煤"), form, other)).toMatchObject({ kind: "error", status: 404 });
    expect(await editLine(v1, await lineId(v1, "窑用原煤"), form, other)).toMatchObject({ kind: "error", status: 404 });
  });
});

describe("recalculating after edits", () => {
  it("reuses unchanged lines by (id, revision), sees an edit at once, and stamps the same input hash as a full one", async () => {
    const db = await getDb();
    const { organization_id: organizationId } = await db
      .selectFrom("inventories")
      .select("organization_id")
      .where("id", "=", v1)
      .executeTakeFirstOrThrow();
    expect(
      (await addLine(v1, { stage: "production", kind: "electricity", name: "外购电", amount: "1000", unit: "kWh", supplyType: "grid" })).kind,
    ).toBe("ok");
    const inventory = (await findInventory(db, organizationId, v1))!;
    const before = await toCalculatorInput(db, organizationId, inventory);
    const again = await toCalculatorInput(db, organizationId, inventory);
    // Read twice unchanged: the very same frozen line objects, so their canonical text is reused.
    expect(again.products[0]!.lines).toHaveLength(before.products[0]!.lines.length);
    again.products[0]!.lines.forEach((line, i) => expect(line).toBe(before.products[0]!.lines[i]));
    expect(Object.isFrozen(again.products[0]!.lines[0])).toBe(true);
    const first = calculateStoredInventory(before);
    expect(calculateStoredInventory(again).stamp.inputSha256).toBe(first.stamp.inputSha256);
    expect(first.stamp.inputSha256).toBe(contentHash(structuredClone(before)));

    const coal = await lineId(v1, "窑用原煤");
    const revision = async () =>
      (await db.selectFrom("inventory_lines").select("revision").where("id", "=", coal).executeTakeFirstOrThrow()).revision;
    const r0 = await revision();
    await editLine(v1, coal, {
      stage: "production",
      kind: "fuel",
      name: "窑用原煤",
      amount: "521",
      unit: "t",
      factorCode: "FUEL-RAW-COAL",
      note: "2023 年采购发票合计",
    });
    expect(await revision()).toBe(r0 + 1);
    const after = await toCalculatorInput(db, organizationId, inventory);
    const edited = after.products[0]!.lines.find((l) => l.id === coal)!;
    expect(edited).not.toBe(before.products[0]!.lines.find((l) => l.id === coal));
    expect(edited).toMatchObject({ amount: 521 });
    const result = calculateStoredInventory(after);
    expect(result.total).toBeGreaterThan(first.total);
    expect(result.stamp.inputSha256).not.toBe(first.stamp.inputSha256);
    expect(result.stamp.inputSha256).toBe(contentHash(structuredClone(after)));
    await editLine(v1, coal, {
      stage: "production",
      kind: "fuel",
      name: "窑用原煤",
      amount: "520",
      unit: "t",
      factorCode: "FUEL-RAW-COAL",
      note: "2023 年采购发票合计",
    });
    await post(v1, { intent: "delete-line", lineId: await lineId(v1, "外购电") });
    expect((await page(v1)).result?.total).toBeCloseTo(494.078, 9);
  });
});

describe("editing every kind of line", () => {
  it("saves each demo line back from its own edit form without changing any footprint", async () => {
    const db = await getDb();
    const demo = await db
      .selectFrom("inventories")
      .innerJoin("products", "products.id", "inventories.product_id")
      .select("inventories.id")
      .where("products.internal_code", "is not", null)
      .where("products.internal_code", "!=", "FIXTURE-1")
      .where(
        "inventories.organization_id",
        "=",
        (await db.selectFrom("inventories").select("organization_id").where("id", "=", v1).executeTakeFirstOrThrow()).organization_id,
      )
      .execute();
    expect(demo.length).toBeGreaterThanOrEqual(3);
    const kinds = new Set<string>();
    let calculated = 0;
    for (const { id } of demo) {
      const before = await page(id);
      for (const line of before.lines) {
        kinds.add(`${line.kind}${line.excluded ? " (excluded)" : ""}`);
        // What `?line=` puts in the form (the loader's use of it is tested above).
        const values = lineFormValues(line) as Record<string, string>;
        const saved = await post(id, { ...values, intent: "edit-line", line: line.id });
        expect(saved, `${line.kind} ${line.name}`).toMatchObject({ kind: "redirect" });
      }
      const after = await page(id);
      // A sub-product's own page may not calculate on its own (its unit is not the PCR's declared unit): then the same error.
      expect(after.error).toEqual(before.error);
      if (before.result) {
        expect(after.result?.total, id).toBeCloseTo(before.result.total, 9);
        expect(after.result?.byStage).toEqual(
          before.result.byStage.map((s) => ({ ...s, kgCO2e: expect.closeTo(s.kgCO2e, 9), share: expect.closeTo(s.share, 9) })),
        );
        calculated += 1;
      }
      expect(after.lines.map((l) => [l.id, l.excluded])).toEqual(before.lines.map((l) => [l.id, l.excluded]));
    }
    expect(calculated).toBeGreaterThanOrEqual(3);
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        "electricity",
        "fuel",
        "material",
        "material (excluded)",
        "process_emission",
        "sub_product",
        "supplier_certificate",
        "transport",
        "waste",
      ]),
    );
  });
});

describe("factor search", () => {
  it("finds factors by Chinese or English name, code, category, region and year, limited to the line's kind", async () => {
    const diesel = (await searchFactors(v1, { q: "柴油", kind: "fuel" })).body!;
    expect(diesel.factors.map((f) => f.code)).toEqual(["FUEL-DIESEL"]);
    expect((await searchFactors(v1, { q: "Diesel", kind: "fuel" })).body!.factors.map((f) => f.code)).toEqual(["FUEL-DIESEL"]);
    // Diesel is a fuel: a transport line is not offered it. The AR6 restatement comes first: this
    // AR6 inventory cannot use the two AR5-only trucks, which follow, greyed out.
    expect((await searchFactors(v1, { q: "diesel", kind: "transport" })).body!.factors.map((f) => f.code)).toEqual([
      "TR-ROAD-HDT-30T-DEMO",
      "TR-ROAD-HDT-30T",
      "TR-ROAD-MDT-8T",
    ]);
    expect((await searchFactors(v1, { q: "fuel-na", kind: "fuel" })).body!.factors.map((f) => f.code)).toEqual(["FUEL-NATURAL-GAS"]);
    // Region name and year, written together as people type them.
    const zhejiang = (await searchFactors(v1, { q: "浙江2022", kind: "electricity", supplyType: "onsite" })).body!;
    expect(zhejiang.factors.map((f) => f.code)).toEqual(["EL-S2-ZJ-2022"]);
    expect((await searchFactors(v1, { q: "Zhejiang 2021", kind: "electricity", supplyType: "onsite" })).body!.factors.map((f) => f.code)).toEqual([
      "EL-S2-ZJ-2021",
    ]);
    // Category names in either language, and every kind when none is given.
    const transport = (await searchFactors(v1, { q: "运输 GB" })).body!;
    expect(transport.factors.map((f) => [f.code, f.region])).toEqual([["TR-RAIL-FREIGHT", "GB"]]);
    // Grid electricity takes its factor from the site: no picker results.
    expect((await searchFactors(v1, { q: "", kind: "electricity", supplyType: "grid" })).body!.total).toBe(0);
  });

  it("offers the units of each factor's dimension and caps the result list", async () => {
    const gas = (await searchFactors(v1, { q: "natural gas", kind: "fuel" })).body!;
    expect(gas.factors[0]).toMatchObject({ code: "FUEL-NATURAL-GAS", unit: "m3", units: ["mL", "L", "m3", "10^4m3"] });
    const electricity = (await searchFactors(v1, { kind: "electricity", supplyType: "onsite", limit: "10" })).body!;
    expect(electricity.factors).toHaveLength(10);
    // A new inventory is on CN-DEMO 2026.2, whose electricity factors are all CN-PUBLISHED 2026.1's (it includes them).
    expect(electricity.total).toBe(141);
  });

  it("renders the search results in the page without JavaScript (the search button's GET)", async () => {
    const draft = await page(
      v1,
      `?intent=add-line&kind=fuel&factorQuery=${encodeURIComponent("柴油")}&name=${encodeURIComponent("备用柴油")}&amount=3`,
    );
    expect(draft.form.values).toMatchObject({ kind: "fuel", factorQuery: "柴油", name: "备用柴油", amount: "3" });
    expect(draft.form.factorResults.factors.map((f) => f.code)).toEqual(["FUEL-DIESEL"]);
    // Adding from that page leaves the draft URL, so the form does not come back filled in.
    const added = await run(inventoryPage.action, {
      url: `/inventories/${v1}?intent=add-line&kind=fuel&factorQuery=x`,
      method: "POST",
      cookie: member,
      params: { inventoryId: v1 },
      form: {
        intent: "add-line",
        stage: "production",
        kind: "fuel",
        name: "备用柴油",
        amount: "3",
        unit: "t",
        factorCode: "FUEL-DIESEL",
        dataType: "secondary",
        note: "",
        ...dq,
      },
    });
    expect(added).toEqual({ kind: "redirect", status: 302, location: `/inventories/${v1}` });
    expect(await post(v1, { intent: "delete-line", lineId: await lineId(v1, "备用柴油") })).toMatchObject({ kind: "ok", status: 200 });
  });

  it("answers 401 to an anonymous caller and 404 for another organization's inventory", async () => {
    expect((await run(factorsRoute.loader, { url: `/inventories/${v1}/factors?q=coal`, params: { inventoryId: v1 } })).status).toBe(401);
    expect((await searchFactors(v1, { q: "coal" }, other)).outcome).toMatchObject({ kind: "error", status: 404 });
  });
});

describe("evidence files", () => {
  let coal: string;
  let invoice: string;
  const invoiceBytes = pdf("煤炭采购发票 2023");

  beforeAll(async () => {
    coal = await lineId(v1, "窑用原煤");
  });

  it("stores an upload with its SHA-256 and serves it back as an attachment", async () => {
    const uploaded = await upload(v1, coal, { name: "煤炭发票 2023.pdf", bytes: invoiceBytes, type: "text/html" });
    expect(uploaded).toMatchObject({ kind: "ok", status: 200 });
    expect(actionData(uploaded).sha256).toBe(sha256(invoiceBytes));
    const listed = (await page(v1, `?line=${coal}`)).evidence;
    expect(listed).toHaveLength(1);
    // The browser's claimed type (text/html) is ignored: the content decides.
    expect(listed[0]).toMatchObject({
      inventory_line_id: coal,
      file_name: "煤炭发票 2023.pdf",
      content_type: "application/pdf",
      size_bytes: invoiceBytes.byteLength,
      sha256: sha256(invoiceBytes),
    });
    invoice = listed[0]!.id;

    const got = await download(invoice);
    expect(got.kind).toBe("ok");
    const response = (got as { data: Response }).data;
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="____ 2023.pdf"; filename*=UTF-8''${encodeURIComponent("煤炭发票 2023.pdf")}`,
    );
    expect(response.headers.get("Repr-Digest")).toBe(`sha-256=:${createHash("sha256").update(invoiceBytes).digest("base64")}:`);
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(sha256(invoiceBytes));
  });

  it("accepts PNG, JPEG, XLSX and CSV (UTF-8 or GB18030) by their content", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("电表").addRow(["月份", "kWh"]);
    const xlsx = new Uint8Array(await workbook.xlsx.writeBuffer());
    const gbCsv = Uint8Array.from([0xd4, 0xc2, 0xb7, 0xdd, 0x2c, 0x6b, 0x57, 0x68, 0x0a, 0x31, 0x2c, 0x33, 0x32, 0x0a]); // "月份,kWh\n1,32\n" in GB18030
    const cases = [
      { name: "meter.png", bytes: PNG, type: "image/png" },
      { name: "ticket.JPG", bytes: JPEG, type: "image/jpeg" },
      { name: "meters.xlsx", bytes: xlsx, type: "image/jpeg" },
      { name: "readings.csv", bytes: new TextEncoder().encode("月份,kWh\n1,32\n"), type: "text/csv" },
      { name: "readings-gbk.csv", bytes: gbCsv, type: "text/csv" },
    ];
    for (const file of cases) expect(await upload(v1, coal, file), file.name).toMatchObject({ kind: "ok", status: 200 });
    const types = Object.fromEntries((await page(v1)).evidence.map((e) => [e.file_name, e.content_type]));
    expect(types).toMatchObject({
      "meter.png": "image/png",
      "ticket.JPG": "image/jpeg",
      "meters.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "readings.csv": "text/csv; charset=utf-8",
      "readings-gbk.csv": "text/csv; charset=gb18030",
    });
  });

  it("refuses content that is not an accepted type or does not match its extension", async () => {
    const zip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0]);
    const cases = [
      { name: "invoice.pdf", bytes: PNG },
      { name: "page.html", bytes: new TextEncoder().encode("<script>alert(1)</script>") },
      { name: "tool.exe", bytes: Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0]) },
      { name: "archive.xlsx", bytes: zip },
      { name: "binary.csv", bytes: Uint8Array.from([0x31, 0x2c, 0x00, 0x01, 0x0a]) },
      { name: "no-extension", bytes: invoiceBytes },
    ];
    for (const file of cases) {
      const refused = await upload(v1, coal, file);
      expect(refused, file.name).toMatchObject({ kind: "ok", status: 415 });
      expect(actionData(refused).errors.file?.key).toBe("v.fileType");
    }
    const empty = await upload(v1, coal, { name: "empty.pdf", bytes: new Uint8Array(0) });
    expect(actionData(empty).errors.file?.key).toBe("v.required");
  });

  it("takes a file of exactly 10 MB and refuses one byte more", async () => {
    const limit = new Uint8Array(10 * MB);
    limit.set(pdf("big"));
    const at = await upload(v1, coal, { name: "scan.pdf", bytes: limit });
    expect(at).toMatchObject({ kind: "ok", status: 200 });
    const over = new Uint8Array(10 * MB + 1);
    over.set(pdf("too big"));
    const refused = await upload(v1, coal, { name: "scan-2.pdf", bytes: over });
    expect(refused).toMatchObject({ kind: "ok", status: 413 });
    expect(actionData(refused).errors.file).toMatchObject({ key: "v.fileTooLarge", params: { max: "10 MB" } });
    expect((await page(v1)).evidence.filter((e) => e.file_name.startsWith("scan"))).toHaveLength(1);
  });

  it("never shows, attaches to or deletes another organization's files, whatever the ids", async () => {
    expect(await download(invoice, other)).toMatchObject({ kind: "error", status: 404 });
    expect(await download(otherEvidenceId)).toMatchObject({ kind: "error", status: 404 });
    expect(await download("not-a-uuid")).toMatchObject({ kind: "error", status: 404 });
    // Their inventory with our file id, our inventory with their file id, and our inventory for them.
    expect(await post(otherInventoryId, { intent: "delete-evidence", evidenceId: invoice }, other)).toMatchObject({ kind: "error", status: 404 });
    expect(await post(v1, { intent: "delete-evidence", evidenceId: otherEvidenceId })).toMatchObject({ kind: "error", status: 404 });
    expect(await post(v1, { intent: "delete-evidence", evidenceId: invoice }, other)).toMatchObject({ kind: "error", status: 404 });
    expect(await upload(otherInventoryId, coal, { name: "x.pdf", bytes: invoiceBytes }, other)).toMatchObject({ kind: "error", status: 404 });
    expect(await upload(v1, otherLineId, { name: "x.pdf", bytes: invoiceBytes })).toMatchObject({ kind: "error", status: 404 });
    expect(await upload(v1, coal, { name: "x.pdf", bytes: invoiceBytes }, other)).toMatchObject({ kind: "error", status: 404 });
    const db = await getDb();
    const theirs = await db.selectFrom("evidence_files").select("id").where("id", "=", otherEvidenceId).executeTakeFirst();
    expect(theirs).toBeDefined();
    expect((await page(v1)).evidence.some((e) => e.file_name === "x.pdf")).toBe(false);
  });

  it("deletes a file while the inventory is editable", async () => {
    const png = (await page(v1)).evidence.find((e) => e.file_name === "meter.png")!;
    expect(await post(v1, { intent: "delete-evidence", evidenceId: png.id })).toMatchObject({ kind: "ok", status: 200 });
    expect(await download(png.id)).toMatchObject({ kind: "error", status: 404 });
    expect((await page(v1)).evidence.map((e) => e.file_name)).not.toContain("meter.png");
  });
});

describe("locked versions and comparison", () => {
  let v2: string;

  it("keeps a locked inventory's evidence read-only and copies lines and files into a new version", async () => {
    expect(
      (await addLine(v1, { stage: "production", kind: "process_emission", name: "熟料煅烧", amount: "1050000", unit: "kg", gas: "co2_fossil" })).kind,
    ).toBe("ok");
    expect((await addLine(v1, { stage: "production", kind: "fuel", name: "柴油", amount: "2", unit: "t", factorCode: "FUEL-DIESEL" })).kind).toBe(
      "ok",
    );
    const before = await page(v1);
    const db = await getDb();
    await db.updateTable("inventories").set({ locked_at: new Date() }).where("id", "=", v1).execute();
    const coal = await lineId(v1, "窑用原煤");
    const invoice = before.evidence.find((e) => e.file_name === "煤炭发票 2023.pdf")!;

    expect(await upload(v1, coal, { name: "late.pdf", bytes: pdf("late") })).toMatchObject({ kind: "ok", status: 409 });
    expect(await post(v1, { intent: "delete-evidence", evidenceId: invoice.id })).toMatchObject({ kind: "ok", status: 409 });
    expect(
      await editLine(v1, coal, { stage: "production", kind: "fuel", name: "窑用原煤", amount: "1", unit: "t", factorCode: "FUEL-RAW-COAL" }),
    ).toMatchObject({ kind: "ok", status: 409 });
    expect((await download(invoice.id)).kind).toBe("ok");

    const copy = await post(v1, { intent: "new-version" });
    v2 = (copy as { location: string }).location.split("/inventories/")[1]!;
    const copied = await page(v2);
    expect(copied.inventory.version).toBe(2);
    expect(copied.result?.total).toBeCloseTo(before.result!.total, 9);
    expect(copied.evidence.map((e) => [e.file_name, e.sha256]).sort()).toEqual(before.evidence.map((e) => [e.file_name, e.sha256]).sort());
    expect(copied.evidence.every((e) => !before.evidence.some((b) => b.id === e.id))).toBe(true);
    const lines = await db.selectFrom("inventory_lines").select(["name", "origin_line_id"]).where("inventory_id", "=", v2).execute();
    expect(Object.fromEntries(lines.map((l) => [l.name, l.origin_line_id]))).toEqual(Object.fromEntries(before.lines.map((l) => [l.name, l.id])));
    // Editing the copy leaves the locked version as the verifier saw it.
    expect(await post(v2, { intent: "delete-evidence", evidenceId: copied.evidence[0]!.id })).toMatchObject({ kind: "ok", status: 200 });
    expect((await page(v1)).evidence).toHaveLength(before.evidence.length);
  });

  it("compares two versions: totals, difference by stage with unit and %, lines added, removed and changed", async () => {
    const coal = await lineId(v2, "窑用原煤");
    const process = await lineId(v2, "熟料煅烧");
    await editLine(v2, coal, {
      stage: "production",
      kind: "fuel",
      name: "窑用原煤",
      amount: "780",
      unit: "t",
      factorCode: "FUEL-RAW-COAL",
      note: "2023 年采购发票合计",
    });
    await editLine(v2, process, {
      stage: "production",
      kind: "process_emission",
      name: "熟料煅烧 CO₂",
      amount: "1050000",
      unit: "kg",
      gas: "co2_fossil",
    });
    await post(v2, { intent: "delete-line", lineId: await lineId(v2, "柴油") });
    await addLine(v2, {
      stage: "raw_material_acquisition",
      kind: "process_emission",
      name: "采石爆破",
      amount: "2000",
      unit: "kg",
      gas: "co2_fossil",
    });
    const [a, b] = [(await page(v1)).result!, (await page(v2)).result!];

    const outcome = await run(compareRoute.loader, { url: `/inventories/compare?a=${v1}&b=${v2}`, cookie: member });
    const { comparison } = (outcome as { data: Comparison }).data;
    expect(comparison!.sides.map((s) => s.version)).toEqual([1, 2]);
    expect(comparison!.sides[0].declaredUnit).toBe("1 t");
    const total = comparison!.footprint.total!;
    expect(total.before).toBeCloseTo(a.total, 9);
    expect(total.delta).toBeCloseTo(b.total - a.total, 9);
    expect(total.percent).toBeCloseTo(((b.total - a.total) / a.total) * 100, 9);
    const stages = Object.fromEntries(comparison!.footprint.byStage.map((s) => [s.stage, s]));
    // Raw material acquisition: 0 → 2 000 kg / 2 000 t = 1 kgCO2e/t, no % of nothing.
    expect(stages.raw_material_acquisition).toMatchObject({
      before: 0,
      after: 1,
      delta: 1,
      percent: null,
      display: { delta: "+1.000", percent: null },
    });
    // Production: coal 520 → 780 t (+130 kg/t × 1.9003) and diesel removed (−1 kg/t × 3.0959).
    expect(stages.production!.delta).toBeCloseTo(130 * 1.9003 - 3.0959, 6);
    expect(comparison!.lines.added.map((l) => l.name)).toEqual(["采石爆破"]);
    expect(comparison!.lines.removed.map((l) => l.name)).toEqual(["柴油"]);
    expect(comparison!.lines.changed.map((c) => [c.after.name, c.changes.map((ch) => [ch.field, ch.before, ch.after])])).toEqual([
      ["窑用原煤", [["amount", "520", "780"]]],
      ["熟料煅烧 CO₂", [["name", "熟料煅烧", "熟料煅烧 CO₂"]]],
    ]);
  });

  it("answers 404 when either inventory is another organization's, and 400 for two products", async () => {
    const compare = (query: string, cookie = member) => run(compareRoute.loader, { url: `/inventories/compare?${query}`, cookie });
    expect(await compare(`a=${v1}&b=${v2}`, other)).toMatchObject({ kind: "error", status: 404 });
    expect(await compare(`a=${v1}&b=${otherInventoryId}`)).toMatchObject({ kind: "error", status: 404 });
    expect(await compare(`a=${otherInventoryId}&b=${v1}`)).toMatchObject({ kind: "error", status: 404 });
    expect(await compare(`a=${otherInventoryId}`)).toMatchObject({ kind: "error", status: 404 });
    expect(await compare(`b=${v1}`)).toMatchObject({ kind: "error", status: 404 });
    // A product of our own that is not this one.
    const db = await getDb();
    const cement = await db
      .selectFrom("inventories")
      .select("id")
      .where("note", "!=", "fixture")
      .where("product_id", "!=", productId)
      .where(
        "organization_id",
        "=",
        (await db.selectFrom("inventories").select("organization_id").where("id", "=", v1).executeTakeFirstOrThrow()).organization_id,
      )
      .executeTakeFirstOrThrow();
    const mixed = await compare(`a=${v1}&b=${cement.id}`);
    expect(mixed).toMatchObject({ kind: "ok", status: 400, data: { problem: "cmp.otherProduct", comparison: null } });
  });
});
