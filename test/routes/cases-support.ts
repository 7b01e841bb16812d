/**
 * Fixtures for the certification page tests: a cement inventory whose PCR conformance checks
 * all pass (so a footprint label can really be granted), with an evidence file on one line, a CF
 * case applied from it at CCDC (with one document attached), and short ways to post case events
 * as any demo user and to read what the database holds about a case.
 */
import { createHash } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import * as apply from "../../app/routes/cases.new.tsx";
import { createCase, transition } from "../../workflows/cases/index.ts";
import { getDb } from "../../db/client.ts";
import { demoProductId, insertCementInventory, insertPdfEvidence, run, seedFixtures, userIdByEmail } from "../support/fixtures.ts";

/** Three lines that pass every check of PCR-CN-CEMENT 1.0.0 (AR6, non-demonstration factors), per 1 000 t. */
export const PASSING_LINES = [
  { stage: "raw_material_acquisition", kind: "fuel", name: "矿山机械柴油", amount: "2", unit: "t", factor_code: "FUEL-DIESEL" },
  { stage: "raw_material_transport", kind: "fuel", name: "原料运输柴油", amount: "1", unit: "t", factor_code: "FUEL-DIESEL" },
  { stage: "production", kind: "fuel", name: "窑用原煤", amount: "120", unit: "t", factor_code: "FUEL-RAW-COAL" },
] as const;
/** kg CO2e per t of those lines: (3 t × 3.0959 + 120 t × 1.9003) × 1000 / 1000 t. */
export const PASSING_TOTAL = 237.3237;

const DQ = JSON.stringify({ reliability: 1, completeness: 1, temporal: 1, geographical: 1, technological: 1 });

/** A new inventory of the fixture product with the passing lines and one evidence file; returns its id. */
export async function passingInventory(note: string): Promise<{ inventoryId: string; evidenceId: string }> {
  const db = await seedFixtures();
  const productId = await demoProductId();
  const product = await db.selectFrom("products").select("organization_id").where("id", "=", productId).executeTakeFirstOrThrow();
  const userId = await userIdByEmail("admin@hualv.demo");
  const inventoryId = await insertCementInventory(db, { organizationId: product.organization_id, productId, createdBy: userId, note });
  const lines = await db
    .insertInto("inventory_lines")
    .values(
      PASSING_LINES.map((l, position) => ({
        inventory_id: inventoryId,
        position,
        ...l,
        data_type: "primary" as const,
        data_quality: DQ,
        details: "{}",
      })),
    )
    .returning("id")
    .execute();
  const content = Buffer.from("%PDF-1.4\n%coal weighbridge tickets 2025\n%%EOF\n", "latin1");
  const evidenceId = await insertPdfEvidence(db, {
    organizationId: product.organization_id,
    lineId: lines[2]!.id,
    fileName: "地磅单.pdf",
    content,
    uploadedBy: userId,
  });
  return { inventoryId, evidenceId };
}

/** The application form (/cases/new) for one inventory as the cookie's user sees it: the selected inventory, its value and the bodies offered. */
export async function applicationForm(cookie: string, inventoryId: string) {
  const page = await run(apply.loader, { url: `/cases/new?inventory=${inventoryId}`, cookie });
  return (page as { data: Awaited<ReturnType<typeof apply.loader>> }).data;
}

/** Posts the application form as the cookie's user: inventory, label type and body (and a claim's fields); what the user saw. */
export function postApplication(cookie: string, form: { inventoryId: string; labelType: string; cbOrganizationId: string } & Record<string, string>) {
  return run(apply.action, { url: "/cases/new", method: "POST", cookie, form });
}

export async function ccdcId(): Promise<string> {
  const db = await getDb();
  return (await db.selectFrom("organizations").select("id").where("cb_code", "=", "CCDC").executeTakeFirstOrThrow()).id;
}

/** A CF draft case at CCDC on a fresh passing inventory. */
export async function openCase(
  note: string,
  labelType: "CF" | "LC" | "RC" | "CN" = "CF",
): Promise<{ caseId: string; inventoryId: string; evidenceId: string }> {
  const { inventoryId, evidenceId } = await passingInventory(note);
  const db = await getDb();
  const { caseId } = await createCase(db, {
    userId: await userIdByEmail("admin@hualv.demo"),
    inventoryId,
    labelType,
    cbOrganizationId: await ccdcId(),
    declaredValue: PASSING_TOTAL,
    conformancePassed: true,
  });
  return { caseId, inventoryId, evidenceId };
}

/** The case the access matrix probes (made once per database): a draft with one document and one evidence file. */
export async function caseFixture(): Promise<{ caseId: string; fileId: string; evidenceId: string }> {
  const db = await seedFixtures();
  const existing = await db
    .selectFrom("cases")
    .innerJoin("inventories", "inventories.id", "cases.inventory_id")
    .innerJoin("case_attachments", "case_attachments.case_id", "cases.id")
    .innerJoin("inventory_lines", "inventory_lines.inventory_id", "inventories.id")
    .innerJoin("evidence_files", "evidence_files.inventory_line_id", "inventory_lines.id")
    .select(["cases.id as caseId", "case_attachments.id as fileId", "evidence_files.id as evidenceId"])
    .where("inventories.note", "=", "fixture-case")
    .executeTakeFirst();
  if (existing) return existing;
  const { caseId, evidenceId } = await openCase("fixture-case");
  const applicant = await userIdByEmail("admin@hualv.demo");
  const organizationId = (await db.selectFrom("cases").select("applicant_organization_id").where("id", "=", caseId).executeTakeFirstOrThrow())
    .applicant_organization_id;
  const content = Buffer.from("%PDF-1.4\n%footprint report\n%%EOF\n", "latin1");
  const fileId = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("case_attachments")
      .values({
        case_id: caseId,
        organization_id: organizationId,
        kind: "inventory_report",
        file_name: "碳足迹报告.pdf",
        content_type: "application/pdf",
        size_bytes: content.byteLength,
        sha256: createHash("sha256").update(content).digest("hex"),
        content,
        uploaded_by: applicant,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await transition(trx, {
      caseId,
      actor: { userId: applicant },
      event: { type: "ATTACH_DOCUMENT", attachment: { id: row.id, kind: "inventory_report", name: "碳足迹报告.pdf" } },
    });
    return row.id;
  });
  return { caseId, fileId, evidenceId };
}

/** What the database holds about a case: forged requests must leave all of it unchanged. */
export async function caseRecord(caseId: string) {
  const db = await getDb();
  const row = await db.selectFrom("cases").select(["state", "version", "snapshot"]).where("id", "=", caseId).executeTakeFirstOrThrow();
  const count = async (table: "case_events" | "case_attachments" | "outbox") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .where("case_id", "=", caseId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    state: row.state,
    version: row.version,
    snapshot: JSON.stringify(row.snapshot),
    events: await count("case_events"),
    files: await count("case_attachments"),
    outbox: await count("outbox"),
  };
}

type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => unknown;

/** Posts a multipart form (with files) to an action the way a browser would; says what the caller saw. */
export async function postMultipart(
  handler: Handler,
  options: {
    url: string;
    cookie: string;
    params: Record<string, string>;
    fields: Record<string, string>;
    files: { name: string; type: string; content: Buffer }[];
  },
) {
  const body = new FormData();
  for (const [k, v] of Object.entries(options.fields)) body.append(k, v);
  for (const f of options.files) body.append("files", new File([new Uint8Array(f.content)], f.name, { type: f.type }));
  const request = new Request(new URL(options.url, "http://localhost"), { method: "POST", headers: { Cookie: options.cookie }, body });
  let result: unknown;
  try {
    result = await handler({ request, params: options.params, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  }
  if (result instanceof Response) return { status: result.status, location: result.headers.get("Location"), data: null as unknown };
  const withInit = result as { data: unknown; init?: { status?: number } | null };
  return { status: withInit.init?.status ?? 200, location: null, data: withInit.data };
}
