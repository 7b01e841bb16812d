import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import * as calculate from "../../app/routes/api.v1.footprints.calculate.tsx";
import * as schema from "../../app/routes/api.v1.schema.inventory[.]json.tsx";
import { calculateFootprintFromData } from "../../rules/calculator/index.ts";
import { cookieFor, demoEmail, seedFixtures } from "../support/fixtures.ts";

const example = JSON.parse(readFileSync(new URL("../../rules/examples/battery-inventory.json", import.meta.url), "utf8")) as Record<string, unknown>;

async function post(body: string, cookie?: string, type = "application/json"): Promise<Response> {
  const request = new Request("http://localhost/api/v1/footprints/calculate", {
    method: "POST",
    headers: { "Content-Type": type, ...(cookie ? { Cookie: cookie } : {}) },
    body,
  });
  try {
    return (await calculate.action({ request, params: {}, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

let cookie: string;
beforeAll(async () => {
  await seedFixtures();
  cookie = await cookieFor(demoEmail("manufacturer_member"));
});

describe("POST /api/v1/footprints/calculate", () => {
  it("answers an anonymous caller with 401 JSON", async () => {
    const response = await post(JSON.stringify(example));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "Unauthenticated" } });
  });

  it("returns the full result, its presentation and the conformance report", async () => {
    const response = await post(JSON.stringify(example), cookie);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { total: unknown }; presentation: unknown; conformance: { findings: unknown[] } };
    // The same numbers as the calculator gives directly (the API adds nothing and loses nothing).
    expect(body.result).toEqual(JSON.parse(JSON.stringify(calculateFootprintFromData(example))));
    expect(body.presentation).toBeDefined();
    expect(Array.isArray(body.conformance.findings)).toBe(true);
  });

  it("names a domain error in both languages", async () => {
    const broken = structuredClone(example) as { products: { lines: { factorCode?: string }[] }[] };
    const line = broken.products[0]!.lines.find((l) => l.factorCode)!;
    line.factorCode = "NO-SUCH-FACTOR";
    const response = await post(JSON.stringify(broken), cookie);
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; message: { zh: string; en: string } } };
    expect(body.error.code).toBe("MissingEmissionFactor");
    expect(body.error.message.zh).toContain("NO-SUCH-FACTOR");
    expect(body.error.message.en).toContain("NO-SUCH-FACTOR");
  });

  it("answers a footprint that overflows float64 with 422 and a bilingual reason, not a 500", async () => {
    // Each amount is a finite number; 1e308 t times a factor is not.
    const huge = JSON.parse(JSON.stringify(example)) as { products: { lines: { kind: string; amount?: number }[] }[] };
    for (const line of huge.products.flatMap((p) => p.lines)) if (line.kind !== "sub_product" && typeof line.amount === "number") line.amount = 1e308;
    const response = await post(JSON.stringify(huge), cookie);
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; message: { zh: string; en: string } } };
    expect(body.error.code).toBe("FootprintOutOfRange");
    expect(body.error.message.zh).toContain("数值范围");
    expect(body.error.message.en).toContain("range of numbers");
  });

  it("refuses malformed JSON and non-JSON bodies", async () => {
    expect((await post("{ not json", cookie)).status).toBe(400);
    expect((await post("a=b", cookie, "application/x-www-form-urlencoded")).status).toBe(415);
  });
});

describe("GET /api/v1/schema/inventory.json", () => {
  it("publishes the inventory JSON Schema", async () => {
    const response = schema.loader();
    expect(response.headers.get("Content-Type")).toContain("application/schema+json");
    const body = (await response.json()) as { $schema: string; properties: Record<string, unknown> };
    expect(body.$schema).toContain("2020-12");
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(["pcr", "factorDataset", "products", "declaredUnit"]));
  });
});
