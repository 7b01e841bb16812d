import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client.ts";
import * as inventoryPage from "../../app/routes/inventories.$inventoryId.tsx";
import * as productPage from "../../app/routes/products.$productId.tsx";
import { DEFAULT_FACTOR_LIBRARY } from "../../rules/factors/index.ts";
import { OTHER_TENANT, cookieFor, demoEmail, demoInventoryIdOf, demoProductId, run, seedFixtures } from "../support/fixtures.ts";

type Outcome = Awaited<ReturnType<typeof run>>;
const errors = (o: Outcome) => (o.kind === "ok" ? (o.data as { errors: Record<string, { key: string; params?: unknown }> }).errors : {});
const loaded = (o: Outcome) => (o as { data: Awaited<ReturnType<typeof inventoryPage.loader>> }).data;
const dq = { reliability: "1", completeness: "1", temporal: "1", geographical: "2", technological: "1" };

let member: string;
let productId: string;
let inventoryId: string;

beforeAll(async () => {
  await seedFixtures();
  member = await cookieFor(demoEmail("manufacturer_member"));
  productId = await demoProductId();
});

async function postLine(form: Record<string, string>) {
  return run(inventoryPage.action, {
    url: `/inventories/${inventoryId}`,
    method: "POST",
    cookie: member,
    params: { inventoryId },
    form: { intent: "add-line", dataType: "primary", note: "", ...dq, ...form },
  });
}

function createInventory(form: Record<string, string>) {
  return run(productPage.action, {
    url: `/products/${productId}`,
    method: "POST",
    cookie: member,
    params: { productId },
    form: { intent: "create-inventory", ...form },
  });
}

describe("inventory editor", () => {
  it("creates an inventory for a product, refusing a production unit of the wrong dimension", async () => {
    const bad = await createInventory({ periodStart: "2025-01-01", periodEnd: "2025-12-31", productionQuantity: "2000", productionUnit: "kWh" });
    expect(errors(bad).productionUnit?.key).toBe("v.unitMismatch");
    const reversed = await createInventory({ periodStart: "2025-12-31", periodEnd: "2025-01-01", productionQuantity: "2000", productionUnit: "t" });
    expect(errors(reversed).periodEnd?.key).toBe("v.dateOrder");
    const created = await createInventory({ periodStart: "2025-01-01", periodEnd: "2025-12-31", productionQuantity: "2000", productionUnit: "t" });
    expect(created.kind).toBe("redirect");
    inventoryId = (created as { location: string }).location.split("/inventories/")[1]!;
    const page = loaded(await run(inventoryPage.loader, { url: `/inventories/${inventoryId}`, cookie: member, params: { inventoryId } }));
    expect(page.inventory.pcr_code).toBe("PCR-CN-CEMENT");
    expect(page.result).toBeNull();
  });

  it("names the field when a line's unit does not fit its factor, and adds nothing", async () => {
    const outcome = await postLine({ stage: "production", kind: "fuel", name: "窑用煤", amount: "260", unit: "kWh", factorCode: "FUEL-RAW-COAL" });
    expect(outcome).toMatchObject({ kind: "ok", status: 400 });
    expect(errors(outcome).unit).toMatchObject({ key: "v.unitMismatch" });
    const page = loaded(await run(inventoryPage.loader, { url: `/inventories/${inventoryId}`, cookie: member, params: { inventoryId } }));
    expect(page.lines).toHaveLength(0);
  });

  it("updates the footprint per declared unit as lines are added and removed, traceable to the factor", async () => {
    // 260 t of raw coal for 2 000 t of product: 0.13 t/t × 1.9003 kgCO2/kg (REFERENCE.md §4).
    expect((await postLine({ stage: "production", kind: "fuel", name: "窑用煤", amount: "260", unit: "t", factorCode: "FUEL-RAW-COAL" })).kind).toBe(
      "ok",
    );
    const coal = DEFAULT_FACTOR_LIBRARY.index("CN-DEMO", "2026.1").get("FUEL-RAW-COAL")!;
    expect(coal.gases?.co2_fossil).toBe(1.9003);
    let page = loaded(await run(inventoryPage.loader, { url: `/inventories/${inventoryId}`, cookie: member, params: { inventoryId } }));
    expect(page.result?.total).toBeCloseTo(0.13 * 1000 * 1.9003, 9);
    expect(page.presented?.total.unit).toBe("kgCO2e");
    expect(page.result?.stamp.pcr).toMatchObject({ code: "PCR-CN-CEMENT", version: "1.0.0" });

    // Direct process CO2: 1 050 t for 2 000 t → 525 kg/t.
    await postLine({ stage: "production", kind: "process_emission", name: "熟料煅烧", amount: "1050000", unit: "kg", gas: "co2_fossil" });
    page = loaded(await run(inventoryPage.loader, { url: `/inventories/${inventoryId}`, cookie: member, params: { inventoryId } }));
    expect(page.result?.total).toBeCloseTo(247.039 + 525, 6);
    const requiredStageCheck = page.conformance?.findings.find((f) => f.check.includes("stage") && !f.passed);
    expect(requiredStageCheck).toBeDefined();

    const processLine = page.lines.find((l) => l.kind === "process_emission")!;
    const removed = await run(inventoryPage.action, {
      url: `/inventories/${inventoryId}`,
      method: "POST",
      cookie: member,
      params: { inventoryId },
      form: { intent: "delete-line", lineId: processLine.id },
    });
    expect(removed.kind).toBe("ok");
    page = loaded(await run(inventoryPage.loader, { url: `/inventories/${inventoryId}`, cookie: member, params: { inventoryId } }));
    expect(page.result?.total).toBeCloseTo(247.039, 9);
  });

  it("calculates an intermediate product per its own output when the PCR's declared unit does not fit it", async () => {
    // The demo battery cell is counted in pieces under a PCR declared per kWh: its own page shows
    // the footprint of one cell and says plainly that the declared unit is not the PCR's.
    const cellId = await demoInventoryIdOf("DEMO-BAT-CELL");
    const page = loaded(await run(inventoryPage.loader, { url: `/inventories/${cellId}`, cookie: member, params: { inventoryId: cellId } }));
    expect(page.result?.declaredUnit).toEqual({ quantity: 1, unit: "piece" });
    expect(page.result?.total).toBeGreaterThan(0);
    const declared = page.conformance?.findings.find((f) => f.check === "declared_unit");
    expect(declared?.passed).toBe(false);
  });

  it("keeps a locked inventory unchanged and edits a new version instead", async () => {
    const db = await getDb();
    await db.updateTable("inventories").set({ locked_at: new Date() }).where("id", "=", inventoryId).execute();
    const refused = await postLine({ stage: "production", kind: "fuel", name: "柴油", amount: "1", unit: "t", factorCode: "FUEL-DIESEL" });
    expect(refused).toMatchObject({ kind: "ok", status: 409 });
    const copy = await run(inventoryPage.action, {
      url: `/inventories/${inventoryId}`,
      method: "POST",
      cookie: member,
      params: { inventoryId },
      form: { intent: "new-version" },
    });
    expect(copy.kind).toBe("redirect");
    const copyId = (copy as { location: string }).location.split("/inventories/")[1]!;
    const page = loaded(await run(inventoryPage.loader, { url: `/inventories/${copyId}`, cookie: member, params: { inventoryId: copyId } }));
    expect(page.inventory.version).toBe(2);
    expect(page.inventory.locked_at).toBeNull();
    expect(page.result?.total).toBeCloseTo(247.039, 9);
  });

  it("never shows or changes another organization's inventory", async () => {
    const other = await cookieFor(OTHER_TENANT.adminEmail);
    expect(await run(inventoryPage.loader, { url: `/inventories/${inventoryId}`, cookie: other, params: { inventoryId } })).toMatchObject({
      kind: "error",
      status: 404,
    });
    expect(
      await run(inventoryPage.action, {
        url: `/inventories/${inventoryId}`,
        method: "POST",
        cookie: other,
        params: { inventoryId },
        form: { intent: "new-version" },
      }),
    ).toMatchObject({ kind: "error", status: 404 });
  });
});
