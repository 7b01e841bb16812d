import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client.ts";
import { DEMO_ACCOUNTS, seedDemoData } from "../../workflows/demo/demo.ts";

async function counts() {
  const db = await getDb();
  const row = await sql<{ organizations: number; users: number; memberships: number }>`
    select (select count(*)::int from organizations) as organizations,
           (select count(*)::int from users) as users,
           (select count(*)::int from memberships) as memberships`.execute(db);
  return row.rows[0]!;
}

describe("demo seed", () => {
  it("loads one account per role, one manufacturer, two certification bodies", async () => {
    const db = await getDb();
    expect(await seedDemoData(db)).toBe(true);
    const orgs = await db.selectFrom("organizations").select(["kind"]).execute();
    expect(orgs.filter((o) => o.kind === "manufacturer")).toHaveLength(1);
    expect(orgs.filter((o) => o.kind === "certification_body")).toHaveLength(2);
    expect(new Set(DEMO_ACCOUNTS.map((a) => a.role)).size).toBe(8);
    expect((await counts()).users).toBe(DEMO_ACCOUNTS.length);
  });

  it("changes nothing when run again", async () => {
    const db = await getDb();
    const before = await counts();
    expect(await seedDemoData(db)).toBe(false);
    expect(await counts()).toEqual(before);
  });

  it("with onlyIfEmpty, leaves a database that has data alone", async () => {
    expect(await seedDemoData(await getDb(), { onlyIfEmpty: true })).toBe(false);
  });
});

describe("demo products", () => {
  it("gives the demo manufacturer a battery, a cement and a textile whose footprints equal the reference examples", async () => {
    const { calculateFootprint, calculateFootprintFromData } = await import("../../rules/calculator/index.ts");
    const { findInventory, toCalculatorInput } = await import("../../app/services/inventories.server.ts");
    const { DEMO_EXAMPLES } = await import("../../workflows/demo/products.ts");
    const db = await getDb();
    const maker = await db.selectFrom("organizations").select("id").where("kind", "=", "manufacturer").executeTakeFirstOrThrow();
    for (const [code, example] of [
      ["DEMO-BAT-PACK", DEMO_EXAMPLES.battery],
      ["DEMO-CEM-PO425", DEMO_EXAMPLES.cement],
      ["DEMO-TEX-MESH", DEMO_EXAMPLES.textile],
    ] as const) {
      const product = await db.selectFrom("products").select("id").where("internal_code", "=", code).executeTakeFirstOrThrow();
      const inv = await db.selectFrom("inventories").select("id").where("product_id", "=", product.id).executeTakeFirstOrThrow();
      const inventory = await findInventory(db, maker.id, inv.id);
      const seeded = calculateFootprint(await toCalculatorInput(db, maker.id, inventory!));
      const reference = calculateFootprintFromData(example);
      expect(seeded.total, code).toBeCloseTo(reference.total, 9);
      expect(seeded.byStage, code).toEqual(reference.byStage);
    }
  });
});
