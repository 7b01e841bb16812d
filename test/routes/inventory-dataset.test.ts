/**
 * Moving an inventory to a newer factor dataset version (docs/decisions/0018): the page previews
 * every line and the total on both versions, naming the line the newer version cannot calculate;
 * the move is a new inventory version on the chosen version, the inventory itself unchanged; a
 * calculation of the new version carries the published version's content hash in its stamp.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as page from "../../app/routes/inventories.$inventoryId_.dataset.tsx";
import * as editorPage from "../../app/routes/inventories.$inventoryId.tsx";
import { calculateStoredInventory, findInventory, toCalculatorInput } from "../../app/services/inventories.server.ts";
import { getDb } from "../../db/client.ts";
import { cookieFor, demoEmail, run } from "../support/fixtures.ts";
import { demoVersion, electricityInventory, GRID_2026_1, GRID_CODE, gridAt, publish } from "./drift-support.ts";

let maker: string;
let inventoryId: string;
let electricityLineId: string;
let hash2027: string;

beforeAll(async () => {
  const made = await electricityInventory("dataset move", 10_000);
  inventoryId = made.inventoryId;
  electricityLineId = made.electricityLineId!;
  maker = await cookieFor(demoEmail("manufacturer_member"));
  hash2027 = await publish(demoVersion("2027.1", { [GRID_CODE]: gridAt(0.9308) }));
  // A version without the raw-coal factor: the raw-coal line cannot be calculated on it.
  await publish(demoVersion("2027.2", { "FUEL-RAW-COAL": null }));
});

const url = (to?: string) => `/inventories/${inventoryId}/dataset${to ? `?to=${encodeURIComponent(to)}` : ""}`;
const load = (to?: string) => run(page.loader, { url: url(to), cookie: maker, params: { inventoryId } });

describe("moving an inventory to a newer dataset version", () => {
  it("offers the newer versions of its dataset, newest first, and previews nothing until one is chosen", async () => {
    const answer = await load();
    if (answer.kind !== "ok") throw new Error(answer.kind);
    expect(answer.data.current).toEqual({ id: "CN-DEMO", version: "2026.1" });
    const keys = answer.data.choices.map((c) => c.key);
    expect(keys.slice(0, 2)).toEqual(["CN-DEMO@2027.2", "CN-DEMO@2027.1"]);
    expect(keys).not.toContain("CN-DEMO@2026.1");
    expect(answer.data.preview).toBeNull();
  });

  it("previews each line and the total on both versions", async () => {
    const answer = await load("CN-DEMO@2027.1");
    if (answer.kind !== "ok" || !answer.data.preview) throw new Error("no preview");
    const { preview } = answer.data;
    const electricity = preview.lines.find((l) => l.lineId === electricityLineId)!;
    // 10 kWh per tonne of cement.
    expect(electricity).toMatchObject({
      name: "粉磨电耗",
      current: expect.closeTo(10 * GRID_2026_1, 9),
      next: expect.closeTo(10 * 0.9308, 9),
      relative: expect.closeTo(0.9308 / GRID_2026_1 - 1, 9),
      factor: { current: { code: GRID_CODE, value: GRID_2026_1, unit: "kWh" }, next: { code: GRID_CODE, value: 0.9308, unit: "kWh" } },
      error: null,
    });
    for (const line of preview.lines.filter((l) => l.lineId !== electricityLineId)) {
      expect(line.next, line.name).toBe(line.current);
      expect(line.relative, line.name).toBe(0);
    }
    expect(preview.total.change).toBeCloseTo(10 * (0.9308 - GRID_2026_1), 9);
    expect(preview.total.next! - preview.total.current!).toBeCloseTo(preview.total.change!, 12);
    expect(preview.declaredUnit).toBe("1 t");
  });

  it("names the line the newer version cannot calculate, and has no total on it", async () => {
    const answer = await load("CN-DEMO@2027.2");
    if (answer.kind !== "ok" || !answer.data.preview) throw new Error("no preview");
    const { preview } = answer.data;
    const coal = preview.lines.find((l) => l.name === "窑用原煤")!;
    expect(coal.next).toBeNull();
    expect(coal.error?.en).toContain("FUEL-RAW-COAL");
    expect(preview.lines.filter((l) => l.error !== null)).toEqual([coal]);
    expect(preview.total.next).toBeNull();
  });

  it("refuses a version that is not newer, and moves only by making a new inventory version", async () => {
    expect(await load("CN-DEMO@2026.1")).toMatchObject({ kind: "ok", data: { badChoice: true, preview: null } });
    const refused = await run(page.action, { url: url(), method: "POST", cookie: maker, params: { inventoryId }, form: { to: "CN-DEMO@2026.1" } });
    expect(refused).toMatchObject({ kind: "ok", status: 400, data: { error: { key: "invds.badChoice" } } });

    const moved = await run(page.action, { url: url(), method: "POST", cookie: maker, params: { inventoryId }, form: { to: "CN-DEMO@2027.1" } });
    if (moved.kind !== "redirect") throw new Error(`expected a redirect, got ${moved.kind}`);
    const newId = moved.location.replace("/inventories/", "");
    expect(newId).not.toBe(inventoryId);
    const db = await getDb();
    const rows = await db
      .selectFrom("inventories")
      .select(["id", "factor_dataset_id", "factor_dataset_version", "previous_version_id", "organization_id"])
      .where("id", "in", [inventoryId, newId])
      .execute();
    const before = rows.find((r) => r.id === inventoryId)!;
    const after = rows.find((r) => r.id === newId)!;
    expect([before.factor_dataset_id, before.factor_dataset_version]).toEqual(["CN-DEMO", "2026.1"]);
    expect(after).toMatchObject({ factor_dataset_id: "CN-DEMO", factor_dataset_version: "2027.1", previous_version_id: inventoryId });
    const names = async (id: string) =>
      (await db.selectFrom("inventory_lines").select("name").where("inventory_id", "=", id).orderBy("position").execute()).map((l) => l.name);
    expect(await names(newId)).toEqual(await names(inventoryId));

    // The new version calculates on the published version, and its stamp carries that version's content hash.
    const inventory = (await findInventory(db, after.organization_id, newId))!;
    const result = calculateStoredInventory(await toCalculatorInput(db, after.organization_id, inventory));
    expect(result.stamp.factorDataset).toEqual({ id: "CN-DEMO", version: "2027.1", demonstration: true });
    expect(result.stamp.factorDatasetContentSha256).toBe(hash2027);

    // The editor opens it with the published version's figures.
    const editor = await run(editorPage.loader, { url: `/inventories/${newId}`, cookie: maker, params: { inventoryId: newId } });
    if (editor.kind !== "ok") throw new Error(`editor: ${editor.kind}`);
    expect(editor.data.result?.total).toBe(result.total);

    // And it can be edited on that version: the line form reads the published version's factors too.
    const added = await run(editorPage.action, {
      url: `/inventories/${newId}`,
      method: "POST",
      cookie: maker,
      params: { inventoryId: newId },
      form: {
        intent: "add-line",
        stage: "production",
        kind: "fuel",
        name: "备用柴油",
        amount: "3",
        unit: "t",
        factorCode: "FUEL-DIESEL",
        dataType: "primary",
        note: "",
        reliability: "2",
        completeness: "2",
        temporal: "2",
        geographical: "2",
        technological: "2",
      },
    });
    expect(added).toMatchObject({ kind: "ok", status: 200 });
    expect(await names(newId)).toContain("备用柴油");
  });
});
