import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client.ts";
import * as productPage from "../../app/routes/products.$productId.tsx";
import * as productList from "../../app/routes/products._index.tsx";
import * as newProduct from "../../app/routes/products.new.tsx";
import { gtinIsValid } from "../../app/utils/gtin.ts";
import { OTHER_TENANT, cookieFor, demoEmail, demoProductId, run, seedFixtures } from "../support/fixtures.ts";

const form = {
  nameZh: "磷酸铁锂动力电池包",
  nameEn: "LFP traction battery pack",
  model: "HL-LFP-280",
  pcrCode: "PCR-CN-LIB-EV",
  siteRegion: "CN-ZJ",
  gtin: "6901234567892",
  internalCode: "BAT-280",
  description: "",
};
const errors = (o: Awaited<ReturnType<typeof run>>) => (o.kind === "ok" ? (o.data as { errors: Record<string, { key: string }> }).errors : {});

let member: string;
beforeAll(async () => {
  await seedFixtures();
  member = await cookieFor(demoEmail("manufacturer_member"));
});

describe("products", () => {
  it("validates GTIN check digits", () => {
    expect(gtinIsValid("6901234567892")).toBe(true);
    expect(gtinIsValid("6901234567893")).toBe(false);
    expect(gtinIsValid("96385074")).toBe(true);
  });

  it("refuses a bad GTIN and an unknown PCR, naming the fields, and writes nothing", async () => {
    const db = await getDb();
    const before = (await db.selectFrom("products").select("id").execute()).length;
    const outcome = await run(newProduct.action, {
      url: "/products/new",
      method: "POST",
      cookie: member,
      form: { ...form, gtin: "6901234567893", pcrCode: "PCR-NOPE" },
    });
    expect(outcome).toMatchObject({ kind: "ok", status: 400 });
    expect(errors(outcome).gtin?.key).toBe("v.gtin");
    expect(errors(outcome).pcrCode?.key).toBe("v.choice");
    expect((await db.selectFrom("products").select("id").execute()).length).toBe(before);
  });

  it("creates a product and finds it by search and filter", async () => {
    const created = await run(newProduct.action, { url: "/products/new", method: "POST", cookie: member, form });
    expect(created.kind).toBe("redirect");
    const found = await run(productList.loader, { url: "/products?q=HL-LFP&pcr=PCR-CN-LIB-EV", cookie: member });
    const names = (found as { data: { products: { name_zh: string }[] } }).data.products.map((p) => p.name_zh);
    expect(names).toEqual(["磷酸铁锂动力电池包"]);
    const filteredOut = await run(productList.loader, { url: "/products?q=HL-LFP&pcr=PCR-CN-CEMENT", cookie: member });
    expect((filteredOut as { data: { products: unknown[] } }).data.products).toEqual([]);
  });

  it("treats search text literally (no wildcard injection)", async () => {
    const all = await run(productList.loader, { url: "/products?q=%25", cookie: member });
    expect((all as { data: { products: unknown[] } }).data.products).toEqual([]);
  });

  it("never shows or changes another organization's product, even by its id", async () => {
    const productId = await demoProductId();
    const other = await cookieFor(OTHER_TENANT.memberEmail);
    const read = await run(productPage.loader, { url: `/products/${productId}`, cookie: other, params: { productId } });
    expect(read).toMatchObject({ kind: "error", status: 404 });
    const write = await run(productPage.action, {
      url: `/products/${productId}`,
      method: "POST",
      cookie: other,
      params: { productId },
      form: { ...form, nameZh: "篡改" },
    });
    expect(write).toMatchObject({ kind: "error", status: 404 });
    const list = await run(productList.loader, { url: "/products", cookie: other });
    expect((list as { data: { products: unknown[] } }).data.products).toEqual([]);
    const db = await getDb();
    const row = await db.selectFrom("products").select("name_zh").where("id", "=", productId).executeTakeFirstOrThrow();
    expect(row.name_zh).toBe("测试水泥");
    const garbage = await run(productPage.loader, { url: "/products/not-a-uuid", cookie: member, params: { productId: "not-a-uuid" } });
    expect(garbage).toMatchObject({ kind: "error", status: 404 });
  });
});
