/**
 * Factor dataset versions through the platform admin's pages (docs/decisions/0018): a file with
 * bad headers and one with bad rows are refused with every problem named by row and column in the
 * reader's language and nothing stored; a valid .xlsx becomes a draft, is published with its
 * content hash; its CSV, edited (one value changed, one factor removed, one added), comes back as
 * the next version, whose difference names exactly those; once published a version can be neither
 * changed nor deleted, and a calculation on it carries its hash in the stamp.
 */
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import * as list from "../../app/routes/admin.datasets._index.tsx";
import * as version from "../../app/routes/admin.datasets.$datasetId.$version.tsx";
import * as csv from "../../app/routes/admin.datasets.$datasetId.$version_.csv.tsx";
import { DATASET_COLUMNS, datasetCsv, type DatasetImportError } from "../../app/services/datasets.server.ts";
import { translator } from "../../app/i18n/index.ts";
import { getDb } from "../../db/client.ts";
import { CN_DEMO_2026_1, datasetContentHash, type FactorDataset } from "../../rules/factors/index.ts";
import { factorLibrary } from "../../workflows/footprints/library.ts";
import { cookieFor, demoEmail, run, seedFixtures } from "../support/fixtures.ts";

type Handler = (args: never) => unknown;

/** Posts the import form as a browser does: the fields and one file under `file`. */
async function postImport(cookie: string, fields: Record<string, string>, file: { name: string; type: string; content: Uint8Array | string }) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  const bytes = typeof file.content === "string" ? new TextEncoder().encode(file.content) : file.content;
  body.append("file", new File([new Uint8Array(bytes)], file.name, { type: file.type }));
  const request = new Request("http://localhost/admin/datasets", { method: "POST", headers: { Cookie: cookie }, body });
  let result: unknown;
  try {
    result = await (list.action as Handler)({ request, params: {}, context: {} } as never);
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  }
  if (result instanceof Response) return { status: result.status, location: result.headers.get("Location"), data: null };
  const withInit = result as { data: Awaited<ReturnType<typeof list.action>>["data"]; init?: { status?: number } | null };
  return { status: withInit.init?.status ?? 200, location: null, data: withInit.data };
}

const HEADER = { datasetId: "TEST-RT", nameZh: "往返测试因子库", nameEn: "Round-trip test dataset", publishedOn: "2026-12-01" };

function valueAt(factor: unknown, path: string): unknown {
  let at = factor;
  for (const key of path.split(".")) at = at === undefined || at === null ? undefined : (at as Record<string, unknown>)[key];
  return at;
}

/** An .xlsx holding a dataset's own factors, one a row, headed by the members' paths. */
async function xlsxOf(dataset: FactorDataset): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Factors");
  sheet.addRow(DATASET_COLUMNS.map((c) => c.path));
  for (const f of dataset.factors) sheet.addRow(DATASET_COLUMNS.map((c) => valueAt(f, c.path) ?? null));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

async function storedVersions() {
  const db = await getDb();
  return db.selectFrom("factor_dataset_versions").select(["dataset_id", "version", "status", "content_sha256"]).orderBy("version").execute();
}

const EN = translator("en");
const ZH = translator("zh-CN");

function describeError(t: typeof EN, e: DatasetImportError): string {
  const message = t(e.message.key, e.message.params);
  if (e.row === null) return message;
  if (e.column) return t("wb.err.cell", { row: e.row, column: e.column, header: e.header ?? "", message });
  if (e.header) return t("wb.err.absentColumn", { row: e.row, header: e.header, message });
  return t("wb.err.row", { row: e.row, message });
}

let admin: string;

beforeAll(async () => {
  await seedFixtures();
  admin = await cookieFor(demoEmail("platform_admin"));
});

describe("importing a dataset version", () => {
  it("refuses a file with unknown and missing columns, naming each on the header row, and stores nothing", async () => {
    const file =
      "code,name.zh,name.en,category,activityUnit,co2e.value,co2e.gwpSet,boundary,year,valeur,source.document,source.publisher,source.year,demonstration\r\n";
    const answer = await postImport(
      admin,
      { ...HEADER, version: "2027.1" },
      { name: "bad-header.csv", type: "text/csv", content: `${file}X,a,b,fuel,kg,1,AR6,combustion,2020,1,d,p,2020,false\r\n` },
    );
    expect(answer.status).toBe(400);
    const outcome = answer.data!.outcome;
    expect(outcome.status).toBe("invalid");
    if (outcome.status !== "invalid") return;
    expect(outcome.errors.map((e) => describeError(EN, e))).toEqual([
      "Row 1, column J (valeur): Unknown column \"valeur\": headers are the paths of a factor's members, such as code, name.zh, source.document (see any version's CSV).",
      'Row 1 (the file has no "region" column): The required column "region" is missing.',
    ]);
    expect(outcome.errors.map((e) => describeError(ZH, e))[1]).toBe("第 1 行（文件中没有“region”列）：缺少必需的列“region”。");
    expect(await storedVersions()).toEqual([]);
  });

  it("refuses a file with bad rows, naming every problem by row and column in the reader's language, and stores nothing", async () => {
    const header =
      "code,name.zh,name.en,category,activityUnit,gases.co2_fossil,co2e.value,co2e.gwpSet,boundary,electricity,region,year,source.document,source.publisher,source.year,source.dataYear,demonstration";
    const rows = [
      "el-bad,坏代码,bad code,fuel,kg,2.5,,,combustion,,CN,2020,Doc,Pub,2020,,false", // row 2: code
      "F-CAT,类别,category,power,kg,2.5,,,combustion,,CN,2020,Doc,Pub,2020,,false", // row 3: category
      "F-YEAR,年份,year,fuel,kg,2.5,,,combustion,,CN,twenty,Doc,Pub,2020,,false", // row 4: year
      "F-BOTH,两种,both,fuel,kg,2.5,2.6,AR6,combustion,,CN,2020,Doc,Pub,2020,,false", // row 5: gases and co2e
      "EL-KIND,电力,electricity,electricity,kWh,,0.5,AR6,life_cycle,,CN,2023,Doc,Pub,2024,,false", // row 6: no electricity kind
      "F-OK,好,fine,fuel,kg,2.5,,,combustion,,CN,2020,Doc,Pub,2020,,false", // row 7: valid
      "F-OK,重复,again,fuel,kg,2.5,,,combustion,,CN,2020,Doc,Pub,2020,,false", // row 8: duplicate of row 7
      "F-DY,数据年,data year,fuel,kg,2.5,,,combustion,,CN,2020,Doc,Pub,2021,2019,false", // row 9: data year
      "F-DEMO,示范,demo,fuel,kg,2.5,,,combustion,,CN,2020,Doc,Pub,2020,,maybe", // row 10: demonstration
    ];
    const answer = await postImport(
      admin,
      { ...HEADER, version: "2027.1" },
      { name: "bad-rows.csv", type: "text/csv", content: [header, ...rows].join("\r\n") },
    );
    expect(answer.status).toBe(400);
    const outcome = answer.data!.outcome;
    if (outcome.status !== "invalid") throw new Error(`expected invalid, got ${outcome.status}`);
    expect(outcome.errors.map((e) => [e.row, e.column, e.header, e.message.key])).toEqual([
      [2, "A", "code", "ds.err.code"],
      [3, "D", "category", "ds.err.choice"],
      [4, "L", "year", "v.number"],
      [5, null, null, "ds.err.valueForm"],
      [6, "J", "electricity", "ds.err.electricityKind"],
      [8, "A", "code", "ds.err.duplicateCode"],
      [9, "P", "source.dataYear", "ds.err.dataYear"],
      [10, "Q", "demonstration", "v.invalid"],
    ]);
    const english = outcome.errors.map((e) => describeError(EN, e));
    expect(english[0]).toBe(
      "Row 2, column A (code): A factor code consists of capital letters, digits, '.', '_' and '-', starting with a letter or digit.",
    );
    expect(english[1]).toMatch(/^Row 3, column D \(category\): Not an allowed value; choose one of: electricity, fuel, material, /);
    expect(english[3]).toBe("Row 5: A factor gives either per-gas values (gases.*) or one CO₂e value (co2e.value): exactly one of them.");
    expect(english[5]).toBe("Row 8, column A (code): Factor code F-OK already appears in row 7.");
    const chinese = outcome.errors.map((e) => describeError(ZH, e));
    expect(chinese[2]).toBe("第 4 行 L 列（year）：请输入数字。");
    expect(chinese[6]).toBe("第 9 行 P 列（source.dataYear）：数据年份须与因子年份（year）一致。");
    expect(outcome.errorCount).toBe(8);
    expect(await storedVersions()).toEqual([]);
  });

  it("refuses bad version details field by field, even with a valid file, and stores nothing", async () => {
    const answer = await postImport(
      admin,
      { datasetId: "test rt", version: "v2", nameZh: "", nameEn: "x", publishedOn: "2026-13-40" },
      { name: "factors.xlsx", type: "application/octet-stream", content: await xlsxOf(CN_DEMO_2026_1) },
    );
    expect(answer.status).toBe(400);
    const outcome = answer.data!.outcome;
    if (outcome.status !== "invalid") throw new Error(`expected invalid, got ${outcome.status}`);
    expect(outcome.errors).toEqual([]);
    expect(outcome.fieldErrors).toEqual({
      datasetId: { key: "ds.err.datasetId" },
      version: { key: "ds.err.version" },
      nameZh: { key: "v.required" },
      publishedOn: { key: "v.date" },
    });
    expect(await storedVersions()).toEqual([]);
  });

  it("refuses a version number that is built in", async () => {
    const answer = await postImport(
      admin,
      { ...HEADER, datasetId: "CN-DEMO", version: "2026.1" },
      { name: "factors.xlsx", type: "application/octet-stream", content: await xlsxOf(CN_DEMO_2026_1) },
    );
    const outcome = answer.data!.outcome;
    expect(outcome.status === "invalid" && outcome.fieldErrors.version).toEqual({ key: "ds.err.exists", params: { key: "CN-DEMO@2026.1" } });
    expect(await storedVersions()).toEqual([]);
  });
});

describe("a version from import to publication, and the next one from its CSV", () => {
  it("imports a valid .xlsx as a draft, shows it as a first version, and publishes it with its content hash", async () => {
    const answer = await postImport(
      admin,
      { ...HEADER, version: "2027.1", note: "来自 CN-DEMO 2026.1" },
      { name: "test-rt-2027.1.xlsx", type: "application/octet-stream", content: await xlsxOf(CN_DEMO_2026_1) },
    );
    expect(answer).toMatchObject({ status: 302, location: `/admin/datasets/TEST-RT/2027.1?imported=${CN_DEMO_2026_1.factors.length}` });
    expect(await storedVersions()).toEqual([{ dataset_id: "TEST-RT", version: "2027.1", status: "draft", content_sha256: null }]);

    const page = await run(version.loader, {
      url: "/admin/datasets/TEST-RT/2027.1",
      cookie: admin,
      params: { datasetId: "TEST-RT", version: "2027.1" },
    });
    if (page.kind !== "ok") throw new Error(`page: ${page.kind}`);
    expect(page.data.item.status).toBe("draft");
    expect(page.data.diff.previous).toBeNull();
    expect(page.data.diff.added).toHaveLength(CN_DEMO_2026_1.factors.length);

    const published = await run(version.action, {
      url: "/admin/datasets/TEST-RT/2027.1",
      method: "POST",
      cookie: admin,
      params: { datasetId: "TEST-RT", version: "2027.1" },
      form: { intent: "publish" },
    });
    if (published.kind !== "ok" || !("done" in published.data)) throw new Error(`publish: ${JSON.stringify(published)}`);
    // The same content as CN-DEMO 2026.1's factors under another id and header: its own hash, computed as every stamp computes it.
    const expected = datasetContentHash((await factorLibrary(await getDb())).get("TEST-RT", "2027.1"));
    expect(published.data).toMatchObject({ done: "published", sha256: expected });
    expect(await storedVersions()).toEqual([{ dataset_id: "TEST-RT", version: "2027.1", status: "published", content_sha256: expected }]);
  });

  it("takes its CSV back, edited, as the next version, whose difference names the changed, removed and added factors", async () => {
    const download = await run(csv.loader, {
      url: "/admin/datasets/TEST-RT/2027.1/csv",
      cookie: admin,
      params: { datasetId: "TEST-RT", version: "2027.1" },
    });
    if (download.kind !== "ok") throw new Error(`csv: ${download.kind}`);
    const response = download.data as unknown as Response;
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="TEST-RT-2027.1.csv"');
    const bytes = new Uint8Array(await response.arrayBuffer());
    // A byte-order mark first, so Excel reads the Chinese as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    const stored = (await factorLibrary(await getDb())).get("TEST-RT", "2027.1");
    expect(text).toBe(datasetCsv(stored));

    const lines = text.replace(/^\uFEFF/, "").split("\r\n");
    const grid = lines.findIndex((l) => l.startsWith("EL-LC-CN-2023,"));
    lines[grid] = lines[grid]!.replace(",0.6205,", ",0.7446,");
    const diesel = lines.find((l) => l.startsWith("FUEL-DIESEL,"))!;
    const edited = [
      ...lines.filter((l) => !l.startsWith("FUEL-COKE,") && l !== ""),
      diesel.replace("FUEL-DIESEL,柴油,diesel,", "FUEL-DIESEL-B5,B5 生物柴油,B5 biodiesel,").replace(",3.0959,", ",2.9411,"),
    ].join("\r\n");
    const answer = await postImport(admin, { ...HEADER, version: "2027.2" }, { name: "test-rt-2027.2.csv", type: "text/csv", content: edited });
    expect(answer).toMatchObject({ status: 302, location: `/admin/datasets/TEST-RT/2027.2?imported=${CN_DEMO_2026_1.factors.length}` });

    const page = await run(version.loader, {
      url: "/admin/datasets/TEST-RT/2027.2",
      cookie: admin,
      params: { datasetId: "TEST-RT", version: "2027.2" },
    });
    if (page.kind !== "ok") throw new Error(`page: ${page.kind}`);
    const { diff } = page.data;
    expect(diff.previous).toEqual({ id: "TEST-RT", version: "2027.1" });
    expect(diff.added.map((f) => [f.code, f.values])).toEqual([["FUEL-DIESEL-B5", [{ member: "co2_fossil", value: 2.9411 }]]]);
    expect(diff.removed.map((f) => f.code)).toEqual(["FUEL-COKE"]);
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0]).toMatchObject({ code: "EL-LC-CN-2023", otherMembers: [] });
    expect(diff.changed[0]!.changes).toEqual([{ member: "co2e", old: 0.6205, new: 0.7446, relative: expect.closeTo(0.2, 12) }]);
    expect(diff.unchanged).toBe(CN_DEMO_2026_1.factors.length - 2);
  });

  it("publishes the next version; a published version can be neither changed, deleted, published again nor discarded", async () => {
    const params = { datasetId: "TEST-RT", version: "2027.2" };
    const post = (intent: string) =>
      run(version.action, { url: "/admin/datasets/TEST-RT/2027.2", method: "POST", cookie: admin, params, form: { intent } });
    const published = await post("publish");
    if (published.kind !== "ok" || !("done" in published.data)) throw new Error(`publish: ${JSON.stringify(published)}`);
    // No certificate rests on TEST-RT: the drift watch has nothing to recalculate.
    expect(published.data).toMatchObject({ done: "published", drift: { evaluated: 0, flagged: 0, failed: 0 } });

    expect(await post("publish")).toMatchObject({ kind: "ok", status: 409, data: { error: { key: "ds.err.alreadyPublished" } } });
    expect(await post("discard")).toMatchObject({ kind: "ok", status: 409, data: { error: { key: "ds.err.noDraft" } } });
    const db = await getDb();
    await expect(
      sql`update factor_dataset_versions set content = '{}'::jsonb where dataset_id = 'TEST-RT' and version = '2027.2'`.execute(db),
    ).rejects.toThrow(/TEST-RT@2027.2 is published: it cannot change/);
    await expect(sql`delete from factor_dataset_versions where dataset_id = 'TEST-RT'`.execute(db)).rejects.toThrow(/is published: it cannot change/);
    expect((await storedVersions()).map((v) => [v.version, v.status])).toEqual([
      ["2027.1", "published"],
      ["2027.2", "published"],
    ]);

    const listed = await run(list.loader, { url: "/admin/datasets", cookie: admin });
    if (listed.kind !== "ok") throw new Error(`list: ${listed.kind}`);
    const row = listed.data.versions.find((v) => v.id === "TEST-RT" && v.version === "2027.2")!;
    const hash = datasetContentHash((await factorLibrary(db)).get("TEST-RT", "2027.2"));
    expect(row).toMatchObject({ status: "published", sha256: hash, factors: CN_DEMO_2026_1.factors.length });
    expect(listed.data.versions.filter((v) => v.status === "built_in").map((v) => `${v.id}@${v.version}`)).toContain("CN-DEMO@2026.1");
  });

  it("takes a version that includes a published one by its hash, and refuses a row repeating an included code at that row", async () => {
    const db = await getDb();
    // Codes of its own that the included version does not offer.
    const own = CN_DEMO_2026_1.factors
      .filter((f) => f.category === "material")
      .slice(0, 3)
      .map((f) => ({ ...f, code: `${f.code}-MIX` }));
    const including = (factors: FactorDataset["factors"]): FactorDataset => ({ ...CN_DEMO_2026_1, factors });
    const withDiesel = [...own, CN_DEMO_2026_1.factors.find((f) => f.code === "FUEL-DIESEL")!];
    const fields = { ...HEADER, datasetId: "TEST-MIX", version: "2027.1", "include:TEST-RT@2027.2": "on" };
    const refused = await postImport(admin, fields, {
      name: "mix.xlsx",
      type: "application/octet-stream",
      content: await xlsxOf(including(withDiesel)),
    });
    const outcome = refused.data!.outcome;
    if (outcome.status !== "invalid") throw new Error(`expected invalid, got ${outcome.status}`);
    expect(outcome.errors).toEqual([
      { row: 5, column: "A", header: "code", message: { key: "ds.err.codeIncluded", params: { code: "FUEL-DIESEL", included: "TEST-RT@2027.2" } } },
    ]);
    expect(describeError(EN, outcome.errors[0]!)).toBe(
      "Row 5, column A (code): Factor code FUEL-DIESEL is offered by the included version TEST-RT@2027.2 already: a code may exist only once across a version and what it includes.",
    );
    expect((await storedVersions()).map((v) => `${v.dataset_id}@${v.version}`)).not.toContain("TEST-MIX@2027.1");

    const imported = await postImport(admin, fields, { name: "mix.xlsx", type: "application/octet-stream", content: await xlsxOf(including(own)) });
    expect(imported).toMatchObject({ status: 302, location: "/admin/datasets/TEST-MIX/2027.1?imported=3" });
    const stored = await db.selectFrom("factor_dataset_versions").select("content").where("dataset_id", "=", "TEST-MIX").executeTakeFirstOrThrow();
    const pinned = datasetContentHash((await factorLibrary(db)).get("TEST-RT", "2027.2"));
    expect((stored.content as FactorDataset).includes).toEqual([{ id: "TEST-RT", version: "2027.2", sha256: pinned }]);
    // As a first version of its id, everything it offers is new: its own three and all it includes.
    const page = await run(version.loader, {
      url: "/admin/datasets/TEST-MIX/2027.1",
      cookie: admin,
      params: { datasetId: "TEST-MIX", version: "2027.1" },
    });
    if (page.kind !== "ok") throw new Error(page.kind);
    expect(page.data.diff.added).toHaveLength(3 + (await factorLibrary(db)).factors("TEST-RT", "2027.2").length);
  });

  it("discards a draft, which is then gone", async () => {
    const answer = await postImport(
      admin,
      { ...HEADER, version: "2027.9" },
      { name: "f.xlsx", type: "application/octet-stream", content: await xlsxOf(CN_DEMO_2026_1) },
    );
    expect(answer.status).toBe(302);
    const params = { datasetId: "TEST-RT", version: "2027.9" };
    const discarded = await run(version.action, {
      url: "/admin/datasets/TEST-RT/2027.9",
      method: "POST",
      cookie: admin,
      params,
      form: { intent: "discard" },
    });
    expect(discarded).toMatchObject({ kind: "redirect", location: "/admin/datasets?discarded=TEST-RT%402027.9" });
    expect((await storedVersions()).filter((v) => v.dataset_id === "TEST-RT").map((v) => v.version)).toEqual(["2027.1", "2027.2"]);
    expect(await run(version.loader, { url: "/admin/datasets/TEST-RT/2027.9", cookie: admin, params })).toMatchObject({ kind: "error", status: 404 });
  });
});
