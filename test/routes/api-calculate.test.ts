import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import * as calculate from "../../app/routes/api.v1.footprints.calculate.tsx";
import * as schema from "../../app/routes/api.v1.schema.inventory[.]json.tsx";
import { calculateFootprintFromData } from "../../rules/calculator/index.ts";
import { cookieFor, demoEmail, seedFixtures } from "../support/fixtures.ts";

const example = JSON.parse(readFileSync(new URL("../../rules/examples/battery-inventory.json", import.meta.url), "utf8")) as Record<string, unknown>;

async function post(body: string, cookie?: string, type = "application/json", query = ""): Promise<Response> {
  const request = new Request(`http://localhost/api/v1/footprints/calculate${query}`, {
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

type Inventory = { products: Array<{ id: string; lines: Array<{ id: string; kind: string; stage: string; amount?: number }> }> };

interface Refusal {
  error: {
    code: string;
    message: { zh: string; en: string };
    errors: Array<{ code: string; message: { zh: string; en: string }; location?: { productId?: string; lineId?: string; field?: string } }>;
    issues?: unknown[];
  };
}

/** A 422 refusal's body. */
async function refusal(response: Response): Promise<Refusal> {
  expect(response.status).toBe(422);
  return (await response.json()) as Refusal;
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

  it("refuses a negative amount with 422, naming the line and field", async () => {
    const negative = structuredClone(example) as Inventory;
    const line = negative.products[0]!.lines.find((l) => l.kind === "material")!;
    line.amount = -12;
    const body = await refusal(await post(JSON.stringify(negative), cookie));
    expect(body.error.code).toBe("NegativeAmount");
    expect(body.error.errors).toEqual([
      { code: "NegativeAmount", message: body.error.message, location: { productId: negative.products[0]!.id, lineId: line.id, field: "amount" } },
    ]);
    expect(body.error.message.zh).toContain("不能为负数");
  });

  it("names each line whose footprint overflows (1e308) and a number JSON cannot hold (1e999), never a 500", async () => {
    const huge = structuredClone(example) as Inventory;
    const lines = huge.products.flatMap((p) => p.lines.map((l) => ({ productId: p.id, line: l as { kind: string; amount?: number; id: string } })));
    for (const { line } of lines) if (line.kind === "material") line.amount = 1e308;
    const body = await refusal(await post(JSON.stringify(huge), cookie));
    expect(body.error.code).toBe("FootprintOutOfRange");
    expect(body.error.errors.length).toBeGreaterThan(0);
    for (const e of body.error.errors) {
      expect(e.code).toBe("FootprintOutOfRange");
      expect(lines.find((l) => l.productId === e.location?.productId && l.line.id === e.location?.lineId)?.line.kind).toBe("material");
    }
    const infinite = JSON.stringify(example).replace('"amount":38,', '"amount":1e999,');
    expect(infinite).toContain("1e999");
    const unrepresentable = await refusal(await post(infinite, cookie));
    expect(unrepresentable.error.code).toBe("InvalidInventory");
    expect(unrepresentable.error.errors).toEqual([
      expect.objectContaining({ code: "InvalidField", location: { productId: "pack", lineId: "enclosure", field: "amount" } }),
    ]);
  });

  it('refuses an unknown member such as "exclude" with its path, instead of ignoring it', async () => {
    const typo = structuredClone(example) as Inventory;
    const line = typo.products[0]!.lines[0]! as Record<string, unknown> & { id: string };
    line.exclude = true;
    const body = await refusal(await post(JSON.stringify(typo), cookie));
    expect(body.error.code).toBe("InvalidInventory");
    expect(body.error.errors).toEqual([
      expect.objectContaining({ code: "UnknownMember", location: { productId: typo.products[0]!.id, lineId: line.id, field: "exclude" } }),
    ]);
    expect(body.error.issues).toEqual([expect.objectContaining({ path: "products.0.lines.0.exclude", key: "v.invalid" })]);
  });

  it("answers four faults with four errors, each located", async () => {
    const faulty = structuredClone(example) as Inventory;
    const [first, second, third, fourth] = faulty.products[0]!.lines as Array<Record<string, unknown> & { id: string; kind: string }>;
    first!.exclude = true;
    second!.stage = "use";
    third!.dataType = "measured";
    (fourth as { note?: unknown }).note = 42;
    const body = await refusal(await post(JSON.stringify(faulty), cookie));
    expect(body.error.code).toBe("InventoryRefused");
    const productId = faulty.products[0]!.id;
    expect(body.error.errors.map((e) => [e.code, e.location])).toEqual([
      ["UnknownMember", { productId, lineId: first!.id, field: "exclude" }],
      ["InvalidField", { productId, lineId: third!.id, field: "dataType" }],
      ["InvalidField", { productId, lineId: fourth!.id, field: "note" }],
      ["StageNotAllowed", { productId, lineId: second!.id, field: "stage" }],
    ]);
    for (const e of body.error.errors) expect(e.message.zh).not.toMatch(/\b(line|must|member|stage)\b/);
  });

  it("enforces the PCR's boundary by default; ?stagePolicy=warn counts the line with a warning", async () => {
    const outside = structuredClone(example) as Inventory;
    const line = outside.products[0]!.lines.find((l) => l.kind === "material")!;
    line.stage = "use";
    const enforced = await refusal(await post(JSON.stringify(outside), cookie));
    expect(enforced.error.code).toBe("StageNotAllowed");
    expect(enforced.error.errors[0]?.location).toEqual({ productId: outside.products[0]!.id, lineId: line.id, field: "stage" });
    expect((await refusal(await post(JSON.stringify(outside), cookie, "application/json", "?stagePolicy=enforce"))).error.code).toBe(
      "StageNotAllowed",
    );
    const warned = await post(JSON.stringify(outside), cookie, "application/json", "?stagePolicy=warn");
    expect(warned.status).toBe(200);
    const result = ((await warned.json()) as { result: { warnings: Array<{ code: string; lineIds?: string[] }> } }).result;
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: "stage_outside_boundary", lineIds: [line.id] }));
    const unknown = await post(JSON.stringify(example), cookie, "application/json", "?stagePolicy=lenient");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: "InvalidParameter", parameter: "stagePolicy" } });
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

  it("is strict: the inventory, its products and lines admit no other members", async () => {
    const body = (await schema.loader().json()) as {
      additionalProperties: unknown;
      properties: {
        products: { items: { additionalProperties: unknown; properties: { lines: { items: { oneOf: Array<{ additionalProperties: unknown }> } } } } };
      };
    };
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.products.items.additionalProperties).toBe(false);
    expect(body.properties.products.items.properties.lines.items.oneOf.map((kind) => kind.additionalProperties)).toEqual(Array(8).fill(false));
  });
});
