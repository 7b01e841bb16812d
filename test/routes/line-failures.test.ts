/**
 * A line whose factor cannot be used, through the real pages (issue 14, points 2 and 3): the
 * editor keeps the rest of the result, marks it incomplete and says on the line why; the
 * conformance report fails it naming the line; the certification path still refuses it and stores
 * nothing. The picker shows each factor's GWP basis, greys out those the inventory's study cannot
 * use with the reason, and ranks the rest by how well they fit it (region, year, kind of data).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client.ts";
import * as factorsRoute from "../../app/routes/inventories.$inventoryId_.factors.tsx";
import * as inventoryPage from "../../app/routes/inventories.$inventoryId.tsx";
import * as productPage from "../../app/routes/products.$productId.tsx";
import { lockedFootprintSource } from "../../app/services/cases/application.server.ts";
import { searchFactors, type FactorChoice, type FactorStudy } from "../../app/services/factor-search.server.ts";
import { GwpSetMismatchError } from "../../rules/errors.ts";
import { FactorLibrary, type EmissionFactor, type FactorDataset } from "../../rules/factors/index.ts";
import { cookieFor, demoEmail, demoProductId, run, seedFixtures, type HandlerData } from "../support/fixtures.ts";
import { applicationForm, ccdcId, passingInventory, PASSING_TOTAL, postApplication } from "./cases-support.ts";

type Page = HandlerData<typeof inventoryPage.loader>;
type Search = { total: number; factors: FactorChoice[] };

let member: string;

beforeAll(async () => {
  await seedFixtures();
  member = await cookieFor(demoEmail("manufacturer_member"));
});

async function page(inventoryId: string, search = ""): Promise<Page> {
  const outcome = await run(inventoryPage.loader, { url: `/inventories/${inventoryId}${search}`, cookie: member, params: { inventoryId } });
  if (outcome.kind !== "ok") throw new Error(`loader answered ${outcome.kind} ${outcome.status}`);
  return outcome.data;
}

async function picker(inventoryId: string, query: Record<string, string>): Promise<Search> {
  const outcome = await run(factorsRoute.loader, {
    url: `/inventories/${inventoryId}/factors?${new URLSearchParams(query)}`,
    cookie: member,
    params: { inventoryId },
  });
  if (outcome.kind !== "ok") throw new Error(`the picker answered ${outcome.kind} ${outcome.status}`);
  return (await (outcome.data as Response).json()) as Search;
}

/** A truck line on the GB/T 51366 factor, known only as CO2e under AR5: 10 t over 100 km, added through the editor. */
async function addAr5Truck(inventoryId: string): Promise<string> {
  const added = await run(inventoryPage.action, {
    url: `/inventories/${inventoryId}`,
    method: "POST",
    cookie: member,
    params: { inventoryId },
    form: {
      intent: "add-line",
      stage: "raw_material_transport",
      kind: "transport",
      name: "原料汽运（AR5 因子）",
      mass: "10",
      massUnit: "t",
      distance: "100",
      factorCode: "TR-ROAD-HDT-30T",
      dataType: "secondary",
      note: "",
      reliability: "2",
      completeness: "2",
      temporal: "2",
      geographical: "2",
      technological: "2",
    },
  });
  expect(added).toMatchObject({ kind: "ok", status: 200 });
  const line = (await page(inventoryId)).lines.find((l) => l.name === "原料汽运（AR5 因子）");
  return line!.id;
}

describe("a line whose factor cannot be used, in the editor", () => {
  let inventoryId: string;
  let truck: string;

  beforeAll(async () => {
    ({ inventoryId } = await passingInventory("line-failures"));
    truck = await addAr5Truck(inventoryId);
  });

  it("leaves the rest of the result visible, marks it incomplete and says on the line why", async () => {
    const editor = await page(inventoryId);
    // Never a silent zero, never the whole result gone: the three other lines count as before.
    expect(editor.error).toBeNull();
    expect(editor.result?.total).toBeCloseTo(PASSING_TOTAL, 9);
    expect(editor.result?.byLine.map((l) => l.lineId)).not.toContain(truck);
    expect(editor.result?.incomplete?.lines.map((l) => l.lineId)).toEqual([truck]);
    expect(editor.result?.warnings[0]).toMatchObject({ code: "lines_unusable", lineIds: [truck] });
    // On the line, without the product and line ids the calculator's text starts with.
    expect(editor.unusableLines[truck]).toEqual({
      zh: "排放因子代码：因子「TR-ROAD-HDT-30T」仅以「AR5」的 CO2e 给出且无分气体数值，不能用于「AR6」研究（同一研究不得混用全球变暖潜势集）",
      en: 'Factor code: Factor "TR-ROAD-HDT-30T" is given only as CO2e under AR5 with no per-gas values; it cannot be used in a AR6 study (GWP sets are never mixed)',
    });
    expect(Object.keys(editor.unusableLines)).toEqual([truck]);
    expect(editor.lineLabels).toContainEqual({ id: truck, name: "原料汽运（AR5 因子）" });
  });

  it("fails the conformance report with a finding naming the line", async () => {
    const { conformance } = await page(inventoryId);
    expect(conformance?.passed).toBe(false);
    const finding = conformance?.findings.find((f) => f.check === "lines.unusable");
    expect(finding).toMatchObject({ passed: false, severity: "major", lineIds: [truck], clause: { pcr: "PCR-CN-CEMENT@1.0.0", section: "§5" } });
    expect(finding?.message.zh).toBe("1 条清单行无法计算（GwpSetMismatch），未计入结果：结果不完整，不能用于认证");
    expect(finding?.action?.en).toMatch(/^Choose a usable factor for these lines/);
  });

  it("opens the line with its factor shown as not usable, and why", async () => {
    const editing = await page(inventoryId, `?line=${truck}`);
    expect(editing.form.selectedFactor).toMatchObject({
      code: "TR-ROAD-HDT-30T",
      basis: { kind: "co2e", gwpSet: "AR5" },
      unusable: { key: "inv.factor.otherSetRefused", params: { factorSet: "AR5", studySet: "AR6", pcr: "PCR-CN-CEMENT@1.0.0" } },
    });
  });

  it("keeps refusing it on the certification path: no application, no stored result", async () => {
    const form = await applicationForm(member, inventoryId);
    expect(form.selected?.total).toBeNull();
    expect(form.selected?.error?.en).toContain("TR-ROAD-HDT-30T");
    const refused = await postApplication(member, { inventoryId, labelType: "CF", cbOrganizationId: await ccdcId() });
    expect(refused).toMatchObject({ kind: "ok", status: 400 });
    const db = await getDb();
    expect(await db.selectFrom("cases").select("id").where("inventory_id", "=", inventoryId).execute()).toEqual([]);
    expect(await db.selectFrom("footprint_results").select("id").where("inventory_id", "=", inventoryId).execute()).toEqual([]);
    // What the host stores when an application locks the inventory refuses the line outright.
    const inventory = await db.selectFrom("inventories").select("organization_id").where("id", "=", inventoryId).executeTakeFirstOrThrow();
    await expect(
      db.transaction().execute((trx) => lockedFootprintSource(trx, { id: inventoryId, organizationId: inventory.organization_id })),
    ).rejects.toThrow(GwpSetMismatchError);
  });
});

describe("the picker, for an inventory", () => {
  let inventoryId: string;

  beforeAll(async () => {
    ({ inventoryId } = await passingInventory("line-failures-picker"));
  });

  it("shows each factor's GWP basis and greys out, after the usable ones, those of another set the PCR refuses", async () => {
    const trucks = await picker(inventoryId, { kind: "transport", q: "diesel" });
    expect(trucks.factors.map((f) => [f.code, f.basis, f.unusable?.key ?? null])).toEqual([
      ["TR-ROAD-HDT-30T-DEMO", { kind: "co2e", gwpSet: "AR6" }, null],
      ["TR-ROAD-HDT-30T", { kind: "co2e", gwpSet: "AR5" }, "inv.factor.otherSetRefused"],
      ["TR-ROAD-MDT-8T", { kind: "co2e", gwpSet: "AR5" }, "inv.factor.otherSetRefused"],
    ]);
    expect(trucks.factors[1]?.unusable?.params).toEqual({ factorSet: "AR5", studySet: "AR6", pcr: "PCR-CN-CEMENT@1.0.0" });
    const diesel = await picker(inventoryId, { kind: "fuel", q: "diesel" });
    expect(diesel.factors).toMatchObject([{ code: "FUEL-DIESEL", basis: { kind: "per_gas" } }]);
    expect(diesel.factors[0]?.unusable).toBeUndefined();
  });

  it("greys out CO2-only grid factors where the PCR wants life-cycle electricity", async () => {
    const zhejiang = await picker(inventoryId, { kind: "electricity", supplyType: "onsite", q: "浙江 2022" });
    expect(zhejiang.factors).toMatchObject([
      { code: "EL-S2-ZJ-2022", unusable: { key: "inv.factor.co2Only", params: { pcr: "PCR-CN-CEMENT@1.0.0" } } },
    ]);
    const all = await picker(inventoryId, { kind: "electricity", supplyType: "onsite", limit: "100" });
    const firstGreyed = all.factors.findIndex((f) => f.unusable);
    expect(firstGreyed).toBeGreaterThan(0);
    expect(all.factors.slice(firstGreyed).every((f) => f.unusable)).toBe(true);
    expect(all.factors.slice(0, firstGreyed).every((f) => f.boundary === "life_cycle")).toBe(true);
  });

  it("ranks a new inventory's factors by the year of its period: the reference year first, then the latest before it", async () => {
    const productId = await demoProductId();
    const created = async (year: number) => {
      const outcome = await run(productPage.action, {
        url: `/products/${productId}`,
        method: "POST",
        cookie: member,
        params: { productId },
        form: { intent: "create-inventory", periodStart: `${year}-01-01`, periodEnd: `${year}-12-31`, productionQuantity: "1", productionUnit: "t" },
      });
      return (outcome as { location: string }).location.split("/inventories/")[1]!;
    };
    const pv = async (id: string) => (await picker(id, { kind: "electricity", supplyType: "onsite", q: "EL-LC-PV" })).factors.map((f) => f.code);
    // A new inventory is on CN-DEMO 2026.2, which offers the published 2023 and 2024 factors.
    expect((await page(await created(2023))).inventory.factor_dataset_version).toBe("2026.2");
    expect(await pv(await created(2023))).toEqual(["EL-LC-PV-2023", "EL-LC-PV-2024"]);
    expect(await pv(await created(2025))).toEqual(["EL-LC-PV-2024", "EL-LC-PV-2023"]);
  });
});

describe("fitness ranking", () => {
  const factor = (code: string, region: string, year: number, extra: Partial<EmissionFactor> = {}): EmissionFactor => ({
    code,
    name: { zh: `钢材 ${code}`, en: `steel ${code}` },
    category: "material",
    activityUnit: "kg",
    co2e: { value: 2, gwpSet: "AR6" },
    boundary: "cradle_to_gate",
    region,
    year,
    source: { document: "test", publisher: "test", year, status: "confirmed" },
    demonstration: false,
    ...extra,
  });
  const dataset: FactorDataset = {
    id: "TEST-FIT",
    version: "2026.1",
    name: { zh: "测试", en: "test" },
    publishedOn: "2026-01-01",
    demonstration: false,
    factors: [
      factor("GB-2024", "GB", 2024),
      factor("CN-2025", "CN", 2025),
      factor("CN-2023", "CN", 2023),
      factor("CN-2024-DEMO", "CN", 2024, { demonstration: true, note: "demonstration" }),
      factor("CN-2024-SINGLE", "CN", 2024, { source: { document: "test", publisher: "test", year: 2024, status: "single_source" } }),
      factor("CN-2024", "CN", 2024),
      factor("ZJ-2020", "CN-ZJ", 2020),
      factor("CN-AR5", "CN", 2024, { co2e: { value: 2, gwpSet: "AR5" } }),
    ],
  };
  const library = FactorLibrary.of([dataset]);
  const study: FactorStudy = { gwpSet: "AR6", pcr: { code: "PCR-CN-CEMENT", version: "1.0.0" }, region: "CN-ZJ", year: 2024 };

  it("puts the site's region first, then each enclosing one, then others; then the year; then the kind of data; unusable last", () => {
    const found = searchFactors({ id: "TEST-FIT", version: "2026.1" }, { kind: "material", study, limit: 100 }, library);
    expect(found.factors.map((f) => f.code)).toEqual([
      "ZJ-2020",
      "CN-2024",
      "CN-2024-SINGLE",
      "CN-2024-DEMO",
      "CN-2023",
      "CN-2025",
      "GB-2024",
      "CN-AR5",
    ]);
    // Without an inventory, the dataset's order, nothing judged.
    const plain = searchFactors({ id: "TEST-FIT", version: "2026.1" }, { kind: "material", limit: 100 }, library);
    expect(plain.factors.map((f) => f.code)).toEqual(dataset.factors.map((f) => f.code));
    expect(plain.factors.every((f) => f.unusable === undefined)).toBe(true);
  });

  it("keeps what the query matches best first among the usable", () => {
    const found = searchFactors({ id: "TEST-FIT", version: "2026.1" }, { kind: "material", query: "CN-2025", study }, library);
    expect(found.factors.map((f) => f.code)).toEqual(["CN-2025"]);
    const prefix = searchFactors({ id: "TEST-FIT", version: "2026.1" }, { kind: "material", query: "cn-2024", study }, library);
    expect(prefix.factors.map((f) => f.code)).toEqual(["CN-2024", "CN-2024-SINGLE", "CN-2024-DEMO"]);
  });
});
