import { beforeAll, describe, expect, it } from "vitest";
import { loader } from "../../app/routes/dashboard.tsx";
import { OTHER_TENANT, cookieFor, demoEmail, run, seedFixtures } from "../support/fixtures.ts";

type Dashboard = Awaited<ReturnType<typeof loader>>;
const dashboardOf = async (email: string) => ((await run(loader, { url: "/dashboard", cookie: await cookieFor(email) })) as { data: Dashboard }).data;

beforeAll(async () => {
  await seedFixtures();
});

describe("manufacturer dashboard: products and their latest footprints", () => {
  it("lists each product with the footprint of its latest inventory, its unit and its basis", async () => {
    const page = await dashboardOf(demoEmail("manufacturer_member"));
    const cement = page.products?.items.find((p) => p.name.en === "P·O 42.5 ordinary Portland cement");
    // The demo cement's inventory is rules/examples/cement-inventory.json: `npm run calc` on it gives
    // 642.7544012 kgCO2e per 1 t on CN-DEMO 2026.2 (the published 2024 grid factor).
    expect(cement).toMatchObject({ value: "642.8", per: "kgCO₂e / 1 t", basis: "PCR-CN-CEMENT v1.0.0 · CN-DEMO 2026.2 · AR6" });
    expect(cement?.inventoryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(page.products?.total).toBeGreaterThanOrEqual(6);
  });

  it("shows another manufacturer none of these products, and a certification body no product list", async () => {
    expect((await dashboardOf(OTHER_TENANT.adminEmail)).products).toEqual({ items: [], total: 0 });
    expect((await dashboardOf(demoEmail("cb_reviewer"))).products).toBeNull();
  });
});
