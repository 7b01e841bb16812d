/**
 * Test fixtures built on the real database: the demo data, a second manufacturer (the "other
 * tenant"), and signed session cookies for any user, exactly as the sign-in page would make them.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createHash } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { getDb } from "../../db/client.ts";
import type { DB, Role } from "../../db/schema.ts";
import { DEMO_ACCOUNTS, seedDemoData } from "../../workflows/demo/demo.ts";
import { createSessionRow, sessionCookieHeader } from "../../app/utils/session.server.ts";
import { createInventory } from "../../app/services/inventories.server.ts";

/** The demo people of a case at CCDC, as the demo cases are driven: the tests drive theirs with the same people. */
export { CASE_PEOPLE } from "../../workflows/demo/cases.ts";

export const OTHER_TENANT = {
  creditCode: "91310115MA1K4DEM05",
  adminEmail: "admin@other-maker.test",
  memberEmail: "member@other-maker.test",
};

export async function seedFixtures(): Promise<Kysely<DB>> {
  const db = await getDb();
  await seedDemoData(db);
  const existing = await db.selectFrom("organizations").select("id").where("credit_code", "=", OTHER_TENANT.creditCode).executeTakeFirst();
  if (!existing) {
    const org = await db
      .insertInto("organizations")
      .values({
        kind: "manufacturer",
        name_zh: "另一家测试企业",
        name_en: "Other Maker Ltd.",
        credit_code: OTHER_TENANT.creditCode,
        province: "CN-SH",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const [email, role] of [
      [OTHER_TENANT.adminEmail, "manufacturer_admin"],
      [OTHER_TENANT.memberEmail, "manufacturer_member"],
    ] as const) {
      const user = await db.insertInto("users").values({ email, name: email, password_hash: null }).returning("id").executeTakeFirstOrThrow();
      await db
        .insertInto("memberships")
        .values({ user_id: user.id, organization_id: org.id, roles: [role] })
        .execute();
    }
  }
  return db;
}

/** A product of the demo manufacturer (made once per database). */
export async function demoProductId(): Promise<string> {
  const db = await getDb();
  const org = await db
    .selectFrom("organizations")
    .select("id")
    .where("kind", "=", "manufacturer")
    .where("credit_code", "=", "91330110MA2H7K8L3Y")
    .executeTakeFirstOrThrow();
  const existing = await db
    .selectFrom("products")
    .select("id")
    .where("organization_id", "=", org.id)
    .where("internal_code", "=", "FIXTURE-1")
    .executeTakeFirst();
  if (existing) return existing.id;
  const product = await db
    .insertInto("products")
    .values({
      organization_id: org.id,
      name_zh: "测试水泥",
      name_en: "Test cement",
      pcr_code: "PCR-CN-CEMENT",
      site_region: "CN-ZJ",
      internal_code: "FIXTURE-1",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return product.id;
}

/** An (empty, editable) inventory of the fixture product. */
export async function demoInventoryId(): Promise<string> {
  const db = await getDb();
  const productId = await demoProductId();
  const existing = await db
    .selectFrom("inventories")
    .select("id")
    .where("product_id", "=", productId)
    .where("note", "=", "fixture")
    .executeTakeFirst();
  if (existing) return existing.id;
  const product = await db.selectFrom("products").select(["organization_id"]).where("id", "=", productId).executeTakeFirstOrThrow();
  return insertCementInventory(db, {
    organizationId: product.organization_id,
    productId,
    createdBy: await userIdByEmail("admin@hualv.demo"),
    note: "fixture",
  });
}

/**
 * Inserts an inventory under PCR-CN-CEMENT 1.0.0 with the demo AR6 factors (CN-DEMO 2026.1), for
 * 1 000 t of 2025 unless told otherwise; returns its id.
 */
export async function insertCementInventory(
  db: Kysely<DB>,
  options: {
    organizationId: string;
    productId: string;
    createdBy: string;
    note?: string;
    period?: { start: string; end: string };
    productionQuantity?: string;
  },
): Promise<string> {
  const row = await db
    .insertInto("inventories")
    .values({
      organization_id: options.organizationId,
      product_id: options.productId,
      pcr_code: "PCR-CN-CEMENT",
      pcr_version: "1.0.0",
      factor_dataset_id: "CN-DEMO",
      factor_dataset_version: "2026.1",
      gwp_set: "AR6",
      period_start: options.period?.start ?? "2025-01-01",
      period_end: options.period?.end ?? "2025-12-31",
      production_quantity: options.productionQuantity ?? "1000",
      production_unit: "t",
      ...(options.note === undefined ? {} : { note: options.note }),
      created_by: options.createdBy,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Stores a PDF as evidence of one inventory line, with its size and SHA-256 as an upload would record them; returns its id. */
export async function insertPdfEvidence(
  db: Kysely<DB>,
  options: { organizationId: string; lineId: string; fileName: string; content: Uint8Array; uploadedBy: string },
): Promise<string> {
  const row = await db
    .insertInto("evidence_files")
    .values({
      organization_id: options.organizationId,
      inventory_line_id: options.lineId,
      file_name: options.fileName,
      content_type: "application/pdf",
      size_bytes: options.content.byteLength,
      sha256: createHash("sha256").update(options.content).digest("hex"),
      content: Buffer.from(options.content),
      uploaded_by: options.uploadedBy,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

// Inventory editor: an evidence file on a line of its own inventory, so the fixture inventory stays empty.
/** An evidence file (a one-page PDF) of the demo manufacturer (made once per database). */
export async function demoEvidenceId(): Promise<string> {
  const db = await getDb();
  const productId = await demoProductId();
  const existing = await db
    .selectFrom("evidence_files")
    .innerJoin("inventory_lines", "inventory_lines.id", "evidence_files.inventory_line_id")
    .innerJoin("inventories", "inventories.id", "inventory_lines.inventory_id")
    .select("evidence_files.id")
    .where("inventories.product_id", "=", productId)
    .where("inventories.note", "=", "fixture-evidence")
    .executeTakeFirst();
  if (existing) return existing.id;
  const product = await db.selectFrom("products").select(["organization_id"]).where("id", "=", productId).executeTakeFirstOrThrow();
  const userId = await userIdByEmail("admin@hualv.demo");
  const inventoryId = await insertCementInventory(db, {
    organizationId: product.organization_id,
    productId,
    createdBy: userId,
    note: "fixture-evidence",
    period: { start: "2024-01-01", end: "2024-12-31" },
  });
  const line = await db
    .insertInto("inventory_lines")
    .values({
      inventory_id: inventoryId,
      position: 0,
      stage: "production",
      kind: "fuel",
      name: "窑用煤",
      amount: "130",
      unit: "t",
      factor_code: "FUEL-RAW-COAL",
      data_type: "primary",
      data_quality: null,
      details: "{}",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const content = Buffer.from("%PDF-1.4\n%fixture invoice\n%%EOF\n", "latin1");
  return insertPdfEvidence(db, { organizationId: product.organization_id, lineId: line.id, fileName: "煤炭发票.pdf", content, uploadedBy: userId });
}

/** The inventory of a demo product, found by the product's internal code (DEMO-BAT-PACK, DEMO-BAT-CELL …). */
export async function demoInventoryIdOf(internalCode: string): Promise<string> {
  const db = await getDb();
  const row = await db
    .selectFrom("inventories")
    .innerJoin("products", "products.id", "inventories.product_id")
    .select("inventories.id")
    .where("products.internal_code", "=", internalCode)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function userIdByEmail(email: string): Promise<string> {
  const db = await getDb();
  const row = await db
    .selectFrom("users")
    .select("id")
    .where(sql`lower(email)`, "=", email.toLowerCase())
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A Cookie header for a fresh session of this user. */
export async function cookieFor(email: string): Promise<string> {
  const db = await getDb();
  const sessionId = await createSessionRow(db, await userIdByEmail(email));
  const setCookie = await sessionCookieHeader(sessionId);
  return setCookie.split(";")[0]!;
}

/** A fresh session cookie and the user id of each person, under the same keys. */
export async function signInAll<K extends string>(
  emails: Readonly<Record<K, string>>,
): Promise<{ cookies: Record<K, string>; ids: Record<K, string> }> {
  const cookies = {} as Record<K, string>;
  const ids = {} as Record<K, string>;
  for (const [who, email] of Object.entries(emails) as [K, string][]) {
    cookies[who] = await cookieFor(email);
    ids[who] = await userIdByEmail(email);
  }
  return { cookies, ids };
}

export function demoEmail(role: Role): string {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  return account.email;
}

/** A route module's loader or action (their arguments have the same shape). */
export type RouteHandler = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;

/**
 * What the caller of a handler sees as data when it answers normally: the value given to `data()`
 * (single fetch), the returned object itself, or the Response when it answered with one.
 */
export type HandlerData<F extends RouteHandler> = Unwrapped<Awaited<ReturnType<F>>>;
// The shape of what data() returns (Remix does not export its class type).
type Unwrapped<T> = T extends { type: string; data: infer D; init: ResponseInit | null } ? D : T;

export type Outcome<D = unknown> =
  { kind: "ok"; status: number; data: D } | { kind: "redirect"; status: number; location: string } | { kind: "error"; status: number };

/** Runs a loader or action the way Remix would and says what the caller would have seen. */
export async function run<F extends RouteHandler>(
  handler: F,
  options: { url: string; method?: string; cookie?: string; form?: Record<string, string | string[]>; params?: Record<string, string> },
): Promise<Outcome<HandlerData<F>>> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(options.form ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  const method = options.method ?? "GET";
  const request = new Request(new URL(options.url, "http://localhost"), {
    method,
    headers: {
      ...(options.cookie ? { Cookie: options.cookie } : {}),
      ...(method !== "GET" ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
    },
    body: method !== "GET" ? body : undefined,
  });
  let result: unknown;
  try {
    result = await handler({ request, params: options.params ?? {}, context: { clientIp: "203.0.113.9" } });
  } catch (thrown) {
    result = thrown;
    if (!(thrown instanceof Response)) throw thrown;
  }
  // The handler's own answer: its type is the handler's, unwrapped below exactly as HandlerData says.
  const ok = (status: number, data: unknown): Outcome<HandlerData<F>> => ({ kind: "ok", status, data: data as HandlerData<F> });
  if (result instanceof Response) {
    if (result.status >= 300 && result.status < 400) {
      return { kind: "redirect", status: result.status, location: result.headers.get("Location") ?? "" };
    }
    if (result.status >= 400) return { kind: "error", status: result.status };
    return ok(result.status, result);
  }
  // data(value, init) from single fetch
  if (result && typeof result === "object" && "init" in result && "data" in result && result.constructor?.name === "DataWithResponseInit") {
    const withInit = result as { data: unknown; init?: { status?: number } | null };
    const status = withInit.init?.status ?? 200;
    return ok(status, withInit.data);
  }
  return ok(200, result);
}

/** A new, empty 2025 inventory (1 000 t produced) of the product, made by the demo manufacturer's member. */
export async function newEmptyInventory(productId: string): Promise<string> {
  const db = await getDb();
  const product = await db.selectFrom("products").select(["id", "pcr_code", "organization_id"]).where("id", "=", productId).executeTakeFirstOrThrow();
  return createInventory(db, { organizationId: product.organization_id, userId: await userIdByEmail("member@hualv.demo") }, product, {
    periodStart: "2025-01-01",
    periodEnd: "2025-12-31",
    productionQuantity: "1000",
    productionUnit: "t",
  });
}
