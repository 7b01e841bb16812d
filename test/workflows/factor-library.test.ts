/**
 * The library the application calculates with (workflows/footprints/library.ts): the built-in
 * versions alone until one is published, then those and the published ones, built once per set of
 * published versions; a published row whose content no longer hashes to its recorded hash is
 * refused, not calculated with.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { CN_DEMO_2026_1, CN_PUBLISHED_2026_1, datasetContentHash, DEFAULT_FACTOR_LIBRARY, type FactorDataset } from "../../rules/factors/index.ts";
import { importDatasetDraft, publishDatasetVersion } from "../../workflows/footprints/datasets.ts";
import { factorLibrary, PublishedDatasetAlteredError } from "../../workflows/footprints/library.ts";
import { seedFixtures, userIdByEmail } from "../support/fixtures.ts";

const version = (v: string, extra: Partial<FactorDataset> = {}): FactorDataset => ({ ...structuredClone(CN_DEMO_2026_1), version: v, ...extra });

describe("the factor library of a database", () => {
  it("is the built-in library while nothing is published, and a draft does not join it", async () => {
    const db = await seedFixtures();
    expect(await factorLibrary(db)).toBe(DEFAULT_FACTOR_LIBRARY);
    const userId = await userIdByEmail("admin@platform.demo");
    expect(await importDatasetDraft(db, { dataset: version("2031.1"), file: { name: "a.csv", sha256: "0".repeat(64) }, userId })).toMatchObject({
      ok: true,
    });
    expect(await factorLibrary(db)).toBe(DEFAULT_FACTOR_LIBRARY);
  });

  it("holds a published version beside the built-in ones, with the hash recorded, built once for that set", async () => {
    const db = await seedFixtures();
    const userId = await userIdByEmail("admin@platform.demo");
    const published = await publishDatasetVersion(db, { datasetId: "CN-DEMO", version: "2031.1", userId });
    if (!published.ok) throw new Error(JSON.stringify(published));
    const library = await factorLibrary(db);
    expect(library.has("CN-DEMO", "2031.1")).toBe(true);
    expect(datasetContentHash(library.get("CN-DEMO", "2031.1"))).toBe(published.sha256);
    for (const d of DEFAULT_FACTOR_LIBRARY.list()) expect(library.get(d.id, d.version)).toBe(d);
    expect(await factorLibrary(db)).toBe(library);
  });

  it("takes a version that includes a published one, once that one is published first", async () => {
    const db = await seedFixtures();
    const userId = await userIdByEmail("admin@platform.demo");
    const base = await factorLibrary(db);
    const pin = { id: "CN-DEMO", version: "2031.1", sha256: datasetContentHash(base.get("CN-DEMO", "2031.1")) };
    const including: FactorDataset = {
      ...structuredClone(CN_PUBLISHED_2026_1),
      id: "CN-MIX",
      version: "2031.1",
      includes: [pin],
      // Its own factors must not repeat a code of what it includes.
      factors: CN_PUBLISHED_2026_1.factors.filter((f) => !CN_DEMO_2026_1.factors.some((d) => d.code === f.code)),
    };
    expect(await importDatasetDraft(db, { dataset: including, file: { name: "b.csv", sha256: "0".repeat(64) }, userId })).toMatchObject({ ok: true });
    expect(await publishDatasetVersion(db, { datasetId: "CN-MIX", version: "2031.1", userId })).toMatchObject({ ok: true });
    const library = await factorLibrary(db);
    expect(library.members("CN-MIX", "2031.1").map((d) => `${d.id}@${d.version}`)).toEqual(["CN-MIX@2031.1", "CN-DEMO@2031.1"]);
  });

  it("refuses a published version whose stored content was altered behind the application's back", async () => {
    const db = await seedFixtures();
    const userId = await userIdByEmail("admin@platform.demo");
    expect(await importDatasetDraft(db, { dataset: version("2031.2"), file: { name: "c.csv", sha256: "0".repeat(64) }, userId })).toMatchObject({
      ok: true,
    });
    expect(await publishDatasetVersion(db, { datasetId: "CN-DEMO", version: "2031.2", userId })).toMatchObject({ ok: true });
    // Only the table's owner can do this: the trigger stands in the way of everyone going through the application.
    await sql`alter table factor_dataset_versions disable trigger factor_dataset_versions_immutable`.execute(db);
    await sql`update factor_dataset_versions set content = jsonb_set(content, '{name,en}', '"Altered"') where dataset_id = 'CN-DEMO' and version = '2031.2'`.execute(
      db,
    );
    await sql`alter table factor_dataset_versions enable trigger factor_dataset_versions_immutable`.execute(db);
    await expect(factorLibrary(db)).rejects.toThrow(PublishedDatasetAlteredError);
    await expect(factorLibrary(db)).rejects.toThrow(/CN-DEMO@2031.2 was altered/);
  });
});
