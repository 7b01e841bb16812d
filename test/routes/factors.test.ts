/**
 * The factor library pages, /factors and /factors/{code}, through their real loaders: search by
 * Chinese and English name, code, region, year and status, the filters, paging; a factor's page
 * with its value, unit, basis, source and every version that offers the code; the inventories that
 * use a factor, only ever the viewer's own organization's; 404 for an unknown code; and odd input
 * (NUL, a 100 kB query, bytes that are not UTF-8, absurd pages) answered without a server error;
 * and a version the platform admin publishes joining the pages.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client.ts";
import * as factorPage from "../../app/routes/factors.$code.tsx";
import * as libraryPage from "../../app/routes/factors._index.tsx";
import { searchFactors } from "../../app/services/factor-search.server.ts";
import { languageCookieHeader } from "../../app/utils/session.server.ts";
import {
  BUILT_IN_FACTOR_DATASETS,
  CN_PUBLISHED_2026_1,
  DEFAULT_FACTOR_LIBRARY,
  datasetContentHash,
  datasetKey,
  type FactorDataset,
} from "../../rules/factors/index.ts";
import { insertDatasetDraft, markDatasetPublished } from "../../db/repositories/factor-dataset-versions.ts";
import {
  OTHER_TENANT,
  cookieFor,
  demoEmail,
  insertCementInventory,
  run,
  seedFixtures,
  userIdByEmail,
  type HandlerData,
} from "../support/fixtures.ts";

type LibraryData = HandlerData<typeof libraryPage.loader>;
type FactorData = HandlerData<typeof factorPage.loader>;

let EN: string;

async function library(query: string, cookie?: string): Promise<LibraryData> {
  const outcome = await run(libraryPage.loader, { url: `/factors${query}`, cookie });
  expect(outcome.kind, query).toBe("ok");
  return (outcome as Extract<typeof outcome, { kind: "ok" }>).data;
}

async function factor(code: string, options: { cookie?: string; query?: string } = {}): Promise<FactorData> {
  const outcome = await run(factorPage.loader, {
    url: `/factors/${encodeURIComponent(code)}${options.query ?? ""}`,
    cookie: options.cookie,
    params: { code },
  });
  expect(outcome.kind, code).toBe("ok");
  return (outcome as Extract<typeof outcome, { kind: "ok" }>).data;
}

const codes = (d: LibraryData) => d.results.rows.map((r) => r.code);
/** The built-in versions offering a code, as their own factor or an included version's. */
const offering = (code: string) =>
  DEFAULT_FACTOR_LIBRARY.list()
    .filter((d) => DEFAULT_FACTOR_LIBRARY.index(d.id, d.version).has(code))
    .map(datasetKey);
const q = (text: string) => `?q=${encodeURIComponent(text)}`;

/** A product and an inventory of an organization with `count` lines citing `code`; returns the inventory id. */
async function inventoryCiting(organizationId: string, createdByEmail: string, productName: string, code: string, count = 1): Promise<string> {
  const db = await getDb();
  const product = await db
    .insertInto("products")
    .values({
      organization_id: organizationId,
      name_zh: productName,
      name_en: `${productName} (en)`,
      pcr_code: "PCR-CN-CEMENT",
      site_region: "CN-ZJ",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const inventoryId = await insertCementInventory(db, { organizationId, productId: product.id, createdBy: await userIdByEmail(createdByEmail) });
  for (let position = 0; position < count; position++) {
    await db
      .insertInto("inventory_lines")
      .values({
        inventory_id: inventoryId,
        position,
        stage: "production",
        kind: "fuel",
        name: "锅炉燃料",
        amount: "12",
        unit: "kg",
        factor_code: code,
        data_type: "primary",
        data_quality: null,
        details: "{}",
      })
      .execute();
  }
  return inventoryId;
}

let demoMember: string;
let otherMember: string;
let cbAdmin: string;
let ownInventory: string;
let otherInventory: string;

beforeAll(async () => {
  EN = (await languageCookieHeader("en")).split(";")[0]!;
  const db = await seedFixtures();
  demoMember = await cookieFor(demoEmail("manufacturer_member"));
  otherMember = await cookieFor(OTHER_TENANT.memberEmail);
  cbAdmin = await cookieFor(demoEmail("cb_admin"));
  const orgOf = async (creditCode: string) =>
    (await db.selectFrom("organizations").select("id").where("credit_code", "=", creditCode).executeTakeFirstOrThrow()).id;
  ownInventory = await inventoryCiting(await orgOf("91330110MA2H7K8L3Y"), "admin@hualv.demo", "因子页测试锅炉件", "FUEL-LIGNITE", 2);
  otherInventory = await inventoryCiting(await orgOf(OTHER_TENANT.creditCode), OTHER_TENANT.adminEmail, "他方保密产品", "FUEL-LIGNITE");
});

describe("/factors: the library, searched and filtered", () => {
  it("is public and says so; with no query it lists every version's own factors, 50 a page", async () => {
    const all = await library("");
    const builtIn = BUILT_IN_FACTOR_DATASETS.reduce((n, d) => n + d.factors.length, 0);
    expect(all.results.total).toBe(builtIn);
    expect(all.results.rows).toHaveLength(50);
    expect(all.results).toMatchObject({ page: 1, from: 1, to: 50 });
    const versions = all.facets.datasets.map((d) => d.value);
    expect(new Set(versions)).toEqual(new Set(DEFAULT_FACTOR_LIBRARY.list().map(datasetKey)));
    // Newest first, published data before a demonstration version of the same date.
    expect(versions[0]).toBe("CN-PUBLISHED@2026.1");
    const last = await library(`?page=${all.results.pages}`);
    expect(last.results.to).toBe(builtIn);
  });

  it("finds factors by Chinese name, English name and code, the exact code first", async () => {
    const zh = await library(q("褐煤"));
    expect(codes(zh)).toEqual(["FUEL-LIGNITE"]);
    expect(zh.results.rows[0]).toMatchObject({
      name: "褐煤（燃烧，仅二氧化碳）",
      values: [{ amount: "1.1729", unit: "kg/kg", gas: "化石源二氧化碳" }],
      basis: { kind: "per_gas" },
      boundary: "combustion",
      status: "single_source",
      verify: true,
      source: { document: "GB/T 32151.22—2024", table: "附录C 表C.1 / annex C, table C.1", dataYear: 2024 },
      dataset: { key: "CN-PUBLISHED@2026.1" },
      href: "/factors/FUEL-LIGNITE?version=CN-PUBLISHED%402026.1",
    });
    const en = await library(q("lignite"), EN);
    expect(codes(en)).toEqual(["FUEL-LIGNITE"]);
    expect(en.results.rows[0]).toMatchObject({ name: "lignite (combustion, CO2 only)", values: [{ gas: "fossil CO2" }] });
    const byCode = await library(q("el-lc-cn-2024"));
    expect(codes(byCode)[0]).toBe("EL-LC-CN-2024");
    expect(byCode.results.rows[0]).toMatchObject({
      values: [{ amount: "0.5777", unit: "kgCO₂e/kWh", gas: null }],
      basis: { kind: "co2e", set: "AR6" },
    });
  });

  it("finds by region and year, in words or as filters", async () => {
    const words = await library(q("浙江 2023"));
    expect(codes(words)).toEqual(["EL-S2-ZJ-2023"]);
    expect(words.results.rows[0]).toMatchObject({ region: "浙江", year: 2023, boundary: "scope2_co2_only" });
    // A Chinese name run together with a year is two words, as in the picker.
    expect(codes(await library(q("浙江2022")))).toEqual(["EL-S2-ZJ-2022", "EL-S2-ZJ-2022"]);
    const region = await library("?region=CN-ZJ");
    expect(new Set(codes(region))).toEqual(new Set(["EL-S2-ZJ-2021", "EL-S2-ZJ-2022", "EL-S2-ZJ-2023"]));
    expect(region.results.rows.every((r) => r.region === "浙江")).toBe(true);
    const year = await library("?year=2024&category=electricity");
    expect(year.results.total).toBeGreaterThan(0);
    expect(year.results.rows.every((r) => r.year === 2024 && r.code.startsWith("EL-LC-"))).toBe(true);
  });

  it("filters by status and finds by its words, in either language", async () => {
    const single = await library("?status=single_source");
    expect(single.results.total).toBeGreaterThan(0);
    expect(single.results.rows.every((r) => r.status === "single_source")).toBe(true);
    expect(codes(single)).toContain("EL-LC-COAL-2024");
    const demo = await library("?status=demonstration");
    expect(demo.results.rows.every((r) => r.status === "demonstration" && r.dataset.demonstration)).toBe(true);
    const confirmed = await library("?status=confirmed&dataset=CN-DEMO%402026.1");
    expect(confirmed.results.total).toBe(0);
    const notRecorded = await library("?status=not_recorded");
    expect(notRecorded.results.total).toBeGreaterThan(0);
    expect(notRecorded.results.rows.every((r) => r.status === "not_recorded" && r.dataset.key.startsWith("CN-DEMO@"))).toBe(true);
    const inWords = await library(q("单一来源 煤电"));
    expect(codes(inWords)).toEqual(["EL-LC-COAL-2024", "EL-LC-COAL-2023"]);
    expect(codes(await library(q("single source coal power"), EN))).toEqual(["EL-LC-COAL-2024", "EL-LC-COAL-2023"]);
  });

  it("finds by source document and filters by dataset version", async () => {
    const source = await library(`?source=${encodeURIComponent("GB/T 32151.22—2024")}`);
    expect(source.results.total).toBe(18);
    expect(codes(await library(q("GB/T 32151.22 焦炭")))).toEqual(["FUEL-COKE"]);
    const published = await library("?dataset=CN-PUBLISHED%402026.1");
    expect(published.results.total).toBe(159);
    expect(published.results.rows.every((r) => r.dataset.key === "CN-PUBLISHED@2026.1" && r.includedFrom === null)).toBe(true);
  });

  it("says which filter it did not apply and why, in the reader's language", async () => {
    const odd = await library("?year=20x4&category=plutonium&dataset=CN-DEMO%402099.1&page=-3");
    expect(odd.ignored).toEqual([
      { field: "year", rule: "year" },
      { field: "page", rule: "page" },
      { field: "category", rule: "choice" },
      { field: "dataset", rule: "choice" },
    ]);
    expect(odd.results.total).toBe((await library("")).results.total);
  });

  it("answers odd input without a server error: NUL is a 400 naming the field, the rest a page", async () => {
    const nul = await run(libraryPage.loader, { url: `/factors?q=${encodeURIComponent("柴\u0000油")}` });
    expect(nul).toMatchObject({ kind: "error", status: 400 });
    const long = await library(q("柴油".repeat(50_000)));
    expect(long.filter.q).toHaveLength(200);
    expect(long.results.total).toBe(0);
    // Bytes that are not UTF-8 (a lone surrogate's encoding, 0xFF) reach the loader as U+FFFD.
    const notUtf8 = await library("?q=%ED%A0%80%20%FF%20%E6%9F%B4%E6%B2%B9");
    expect(notUtf8.results.total).toBe(0);
    const far = await library("?page=999999");
    expect(far.results.page).toBe(far.results.pages);
    expect(far.results.rows.length).toBeGreaterThan(0);
    const punctuation = await library(q("%_'\"\\;--"));
    expect(punctuation.results.total).toBe(0);
  });

  it("lists a version's included factors under it, saying where they come from", async () => {
    // CN-DEMO 2026.2 includes CN-PUBLISHED 2026.1 (ADR 0015).
    const found = (await library("?dataset=CN-DEMO%402026.2&q=FUEL-DIESEL")).results;
    expect(found.rows).toHaveLength(1);
    expect(found.rows[0]).toMatchObject({
      code: "FUEL-DIESEL",
      dataset: { key: "CN-DEMO@2026.2" },
      includedFrom: "CN-PUBLISHED 2026.1",
      href: "/factors/FUEL-DIESEL?version=CN-PUBLISHED%402026.1",
    });
    const detail = (await factor("FUEL-DIESEL", { cookie: EN })).factor;
    expect(detail.versions.map((v) => [v.key, v.includedFrom, v.values[0]!.amount])).toEqual([
      ["CN-PUBLISHED@2026.1", null, "3.0959"],
      ["CN-DEMO@2026.2", "CN-PUBLISHED 2026.1 · Published Chinese emission factors 2026.1", "3.0959"],
      ["CN-DEMO@2026.1", null, "3.0959"],
    ]);
  });

  it("leaves the line editor's picker as it was", () => {
    const picked = searchFactors({ id: "CN-DEMO", version: "2026.1" }, { kind: "fuel", query: "FUEL-DIESEL" });
    expect(picked.factors.map((f) => f.code)).toEqual(["FUEL-DIESEL"]);
  });
});

describe("/factors/{code}: one factor across versions", () => {
  it("shows value, unit, gases, basis, boundary, source, status and every version with its value", async () => {
    const page = await factor("FUEL-KEROSENE");
    expect(page.factor).toMatchObject({
      code: "FUEL-KEROSENE",
      values: [{ amount: "3.0334", unit: "kg/kg", gas: "化石源二氧化碳" }],
      activityUnit: { symbol: "kg", name: "千克" },
      basis: { kind: "per_gas" },
      boundary: "combustion",
      status: "single_source",
      uncertainty: null,
      source: { document: "GB/T 32151.22—2024", table: "附录C 表C.1 / annex C, table C.1", dataYear: 2024, year: 2024 },
      formula: { ncv: "43.070", carbon: "0.0196", oxidation: "98", result: "3.0334", per: "t" },
      shown: { key: "CN-PUBLISHED@2026.1" },
    });
    // Every version offering the code, the published one first; CN-DEMO 2026.1 carries the older
    // secondary value, and a version including CN-PUBLISHED (CN-DEMO 2026.2) its value.
    expect(page.factor.versions.map((v) => v.key).sort()).toEqual(offering("FUEL-KEROSENE").sort());
    expect(page.factor.versions[0]).toMatchObject({
      key: "CN-PUBLISHED@2026.1",
      values: [{ amount: "3.0334" }],
      status: "single_source",
      includedFrom: null,
    });
    for (const v of page.factor.versions.slice(1)) {
      if (v.key === "CN-DEMO@2026.1") expect(v).toMatchObject({ values: [{ amount: "3.0179" }], status: "not_recorded", includedFrom: null });
      else expect(v).toMatchObject({ values: [{ amount: "3.0334" }], includedFrom: "CN-PUBLISHED 2026.1 · 中国官方发布排放因子 2026.1" });
    }
    expect(page.factor.versions.map((v) => v.key)).toContain("CN-DEMO@2026.1");
    const older = await factor("FUEL-KEROSENE", { query: "?version=CN-DEMO%402026.1" });
    expect(older.factor).toMatchObject({ shown: { key: "CN-DEMO@2026.1" }, values: [{ amount: "3.0179" }], formula: null });
  });

  it("shows an aggregated CO2e factor with its GWP set, status note and year convention, in English", async () => {
    const page = await factor("EL-LC-WIND-2024", { cookie: EN });
    expect(page.factor).toMatchObject({
      name: { en: "Wind power carbon-footprint factor 2024 (life cycle, CO2e)" },
      values: [{ amount: "0.0324", unit: "kgCO₂e/kWh", gas: null }],
      basis: { kind: "co2e", set: "AR6" },
      boundary: "life_cycle",
      status: "single_source",
      verify: true,
      source: { statusNote: "2023 confirmed, 2024 single source", dataYear: 2024 },
      yearConvention: "accounting year Y uses the latest published factor whose data year is not after Y",
    });
    expect(page.factor.versions.map((v) => v.key).sort()).toEqual(offering("EL-LC-WIND-2024").sort());
    expect(page.factor.versions[0]).toMatchObject({ key: "CN-PUBLISHED@2026.1", includedFrom: null });
    expect(page.factor.versions.map((v) => v.key)).not.toContain("CN-DEMO@2026.1");
  });

  it("is 404 for an unknown code and for a code no URL could name; a lower-case code is sent to its page", async () => {
    expect(await run(factorPage.loader, { url: "/factors/NO-SUCH-FACTOR", params: { code: "NO-SUCH-FACTOR" } })).toMatchObject({
      kind: "error",
      status: 404,
    });
    for (const code of ["", "../etc/passwd", "X".repeat(5000), "FUEL DIESEL", "\ud800"]) {
      expect(await run(factorPage.loader, { url: "/factors/x", params: { code } }), code.slice(0, 20)).toMatchObject({ kind: "error", status: 404 });
    }
    expect(await run(factorPage.loader, { url: "/factors/fuel-diesel", params: { code: "fuel-diesel" } })).toMatchObject({
      kind: "redirect",
      location: "/factors/FUEL-DIESEL",
    });
    expect(await run(factorPage.loader, { url: "/factors/FUEL%00", params: { code: "FUEL\u0000" } })).toMatchObject({ kind: "error", status: 400 });
  });
});

describe("/factors/{code}: the inventories that use it", () => {
  it("lists the signed-in manufacturer's own inventories citing the code, never another organization's", async () => {
    const own = await factor("FUEL-LIGNITE", { cookie: demoMember });
    expect(own.usage?.rows).toEqual([
      expect.objectContaining({
        inventoryId: ownInventory,
        href: `/inventories/${ownInventory}`,
        product: "因子页测试锅炉件",
        lines: 2,
        version: 1,
        dataset: "CN-DEMO 2026.1",
      }),
    ]);
    expect(JSON.stringify(own)).not.toContain("他方保密产品");
    expect(JSON.stringify(own)).not.toContain(otherInventory);

    const other = await factor("FUEL-LIGNITE", { cookie: otherMember });
    expect(other.usage?.rows.map((r) => [r.inventoryId, r.product, r.lines])).toEqual([[otherInventory, "他方保密产品", 1]]);
    expect(JSON.stringify(other)).not.toContain(ownInventory);
  });

  it("shows no inventories to a visitor or a certification body, and none where no line cites the code", async () => {
    const anonymous = await factor("FUEL-LIGNITE");
    expect(anonymous).toMatchObject({ usage: null, signedIn: false });
    expect(JSON.stringify(anonymous)).not.toContain(ownInventory);
    expect(await factor("FUEL-LIGNITE", { cookie: cbAdmin })).toMatchObject({ usage: null, signedIn: true });
    const unused = await factor("FUEL-CONVERTER-GAS", { cookie: otherMember });
    expect(unused.usage?.rows).toEqual([]);
  });
});

describe("a version the platform admin publishes", () => {
  // Last in the file: from here on this file's database has one more published version.
  it("joins the library pages: listed, filtered by, and shown first on its factors' pages", async () => {
    const db = await getDb();
    const lignite = CN_PUBLISHED_2026_1.factors.find((f) => f.code === "FUEL-LIGNITE")!;
    const { formula: _formula, ...withoutFormula } = lignite;
    const next: FactorDataset = {
      id: "CN-PUBLISHED",
      version: "2027.1",
      name: { zh: "中国官方发布排放因子 2027.1", en: "Published Chinese emission factors 2027.1" },
      publishedOn: "2027-01-15",
      demonstration: false,
      factors: [{ ...withoutFormula, gases: { co2_fossil: 1.18 }, year: 2025, source: { ...lignite.source, dataYear: 2025, status: "confirmed" } }],
    };
    // Stored and published as the admin's import does it: the parsed content, then its hash.
    const parsed = DEFAULT_FACTOR_LIBRARY.with(next).get("CN-PUBLISHED", "2027.1");
    const admin = await userIdByEmail(demoEmail("platform_admin"));
    const draft = await insertDatasetDraft(db, {
      datasetId: "CN-PUBLISHED",
      version: "2027.1",
      content: parsed,
      factorCount: 1,
      fileName: "cn-published-2027.1.csv",
      fileSha256: "0".repeat(64),
      importedBy: admin,
    });
    // A draft is not yet part of the library.
    expect((await library("?dataset=CN-PUBLISHED%402027.1")).ignored).toEqual([{ field: "dataset", rule: "choice" }]);
    await markDatasetPublished(db, draft!, { sha256: datasetContentHash(parsed), by: admin, at: new Date() });

    const listed = await library("?dataset=CN-PUBLISHED%402027.1");
    expect(listed.ignored).toEqual([]);
    expect(listed.facets.datasets[0]!.value).toBe("CN-PUBLISHED@2027.1");
    expect(listed.results.rows.map((r) => [r.code, r.values[0]!.amount, r.year, r.status])).toEqual([["FUEL-LIGNITE", "1.18", 2025, "confirmed"]]);
    const page = await factor("FUEL-LIGNITE");
    expect(page.factor).toMatchObject({ shown: { key: "CN-PUBLISHED@2027.1" }, values: [{ amount: "1.18" }], formula: null });
    expect(page.factor.versions.slice(0, 2).map((v) => [v.key, v.values[0]!.amount])).toEqual([
      ["CN-PUBLISHED@2027.1", "1.18"],
      ["CN-PUBLISHED@2026.1", "1.1729"],
    ]);
  });
});
