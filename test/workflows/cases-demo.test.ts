/**
 * The demo cases: one in every state of the machine, made through real transitions, with their
 * certificates issued, notifications delivered, an intact hash chain, and work waiting for the
 * demo accounts.
 */
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { caseActions, listCases, unreadNotificationCount, verifyChains } from "../../workflows/cases/index.ts";
import { getDb } from "../../db/client.ts";
import { seedDemoData } from "../../workflows/demo/demo.ts";
import { setLockedFootprintSource } from "../../workflows/footprints/source.ts";
import { lockedFootprintSource } from "../../app/services/cases/application.server.ts";
import { CERTIFICATION_STATES } from "../../workflows/certification/presentation.ts";
import { userIdByEmail } from "../support/fixtures.ts";

beforeAll(async () => {
  // As `npm start` seeds them: with the app's footprint source, so applications rest on stored results.
  setLockedFootprintSource(lockedFootprintSource);
  try {
    expect(await seedDemoData(await getDb(), { cases: true })).toBe(true);
  } finally {
    setLockedFootprintSource(null);
  }
});

async function caseIn(state: string) {
  return (await getDb()).selectFrom("cases").selectAll().where("state", "=", state).executeTakeFirstOrThrow();
}

describe("demo cases", () => {
  it("rest on stored results, like every application", async () => {
    const db = await getDb();
    const cases = await db.selectFrom("cases").select(["result_id", "declared_value"]).execute();
    expect(cases.every((c) => c.result_id !== null)).toBe(true);
    const stored = await db.selectFrom("footprint_results").select(["id", "total"]).execute();
    const totals = new Map(stored.map((r) => [r.id, r.total]));
    for (const c of cases) expect(c.declared_value).toBe(totals.get(c.result_id!));
  });

  it("cover every state of the certification machine, one case each", async () => {
    const rows = await (await getDb()).selectFrom("cases").select("state").execute();
    expect(rows.map((r) => r.state).sort()).toEqual([...CERTIFICATION_STATES].sort());
  });

  it("are history the machine made: every hash chain verifies and replays", async () => {
    const report = await verifyChains(await getDb());
    expect(report).toMatchObject({ ok: true, cases: CERTIFICATION_STATES.length, findings: [] });
    expect(report.events).toBeGreaterThan(150);
  });

  it("have their effects run: certificates with their status, nothing left in the outbox", async () => {
    const db = await getDb();
    const certs = await db
      .selectFrom("certificates")
      .innerJoin("cases", "cases.id", "certificates.case_id")
      .select(["cases.state", "certificates.status", "certificates.number"])
      .orderBy("certificates.number")
      .execute();
    expect(Object.fromEntries(certs.map((c) => [c.state, c.status]))).toEqual({
      expired: "expired",
      renewed: "superseded",
      issued: "valid",
      surveillance: "valid",
      suspended: "suspended",
      withdrawn: "withdrawn",
    });
    for (const c of certs) expect(c.number).toMatch(/^CCDC-(CF|LC)-\d{4}-\d{6}$/);
    const pending = await db.selectFrom("outbox").select(["effect_type", "last_error"]).where("done_at", "is", null).execute();
    expect(pending).toEqual([]);
  });

  it("tell a consistent story: the renewal, the overdue finding, released and recorded credits", async () => {
    const db = await getDb();
    const renewed = await caseIn("renewed");
    const issued = await caseIn("issued");
    expect(issued.renews_case_id).toBe(renewed.id);
    const awaiting = await caseIn("awaiting_applicant");
    expect((awaiting.snapshot.context as { findings: { overdue: boolean }[] }).findings.map((f) => f.overdue)).toEqual([true]);
    const credits = await db
      .selectFrom("credit_retirements")
      .innerJoin("cases", "cases.id", "credit_retirements.case_id")
      .select(["cases.state", sql<number>`count(*)::int`.as("blocks")])
      .groupBy("cases.state")
      .orderBy("cases.state")
      .execute();
    expect(credits).toEqual([
      { state: "document_review", blocks: 1 },
      { state: "draft", blocks: 2 },
      { state: "planning", blocks: 1 },
    ]);
  });

  it("leave work for the demo accounts", async () => {
    const db = await getDb();
    const ccdc = (await db.selectFrom("organizations").select("id").where("cb_code", "=", "CCDC").executeTakeFirstOrThrow()).id;
    const inbox = await listCases(db, { organizationId: ccdc, tag: "cb_action" });
    expect(inbox.length).toBeGreaterThanOrEqual(6);
    const decider = await userIdByEmail("decider@ccdc.demo");
    const decision = await caseIn("evaluation_and_decision");
    expect(decision.label_type).toBe("RC");
    expect((await caseActions(db, decision.id, decider))?.events).toEqual(["GRANT", "REFUSE"]);
    expect(await unreadNotificationCount(db, await userIdByEmail("admin@ccdc.demo"))).toBeGreaterThan(0);
    expect(await unreadNotificationCount(db, await userIdByEmail("admin@hualv.demo"))).toBeGreaterThan(0);
  });

  it("are written once: seeding again changes nothing", async () => {
    const db = await getDb();
    const count = async () =>
      (
        await db
          .selectFrom("case_events")
          .select(sql<number>`count(*)::int`.as("n"))
          .executeTakeFirstOrThrow()
      ).n;
    const before = await count();
    expect(await seedDemoData(db, { cases: true })).toBe(false);
    expect(await count()).toBe(before);
  });
});
