/**
 * Drafts are the applicant's (ADR 0014): until the applicant submits, the certification body's
 * people learn nothing about a case from the host. Any event one of them sends to a draft is
 * answered exactly as for a case that does not exist (CaseNotFoundError, 404) and changes nothing;
 * the readers (one case, its history, its actions, the lists) do not return it; the platform's own
 * processes still reach it; nothing about the draft is addressed to the body before submission;
 * and from submission on the body sees and works the case as before.
 */
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import {
  caseActions,
  caseHistory,
  CaseNotFoundError,
  drainOutbox,
  EventNotAllowedError,
  getCase,
  listCases,
  MemoryMailer,
} from "../../workflows/cases/index.ts";
import { translator } from "../../app/i18n/index.ts";
import { freshInventory, openTestCase, send, toDecision, world, type Who, type World } from "./cases-support.ts";

let w: World;
beforeAll(async () => {
  w = await world();
});

const zh = translator("zh-CN");
const en = translator("en");

/** Everything a refused event must leave untouched. */
async function record(caseId: string) {
  const c = await w.db
    .selectFrom("cases")
    .select(["state", "version", "snapshot", "submitted_at"])
    .where("id", "=", caseId)
    .executeTakeFirstOrThrow();
  const count = async (table: "case_events" | "outbox") =>
    (
      await w.db
        .selectFrom(table)
        .select(sql<number>`count(*)::int`.as("n"))
        .where("case_id", "=", caseId)
        .executeTakeFirstOrThrow()
    ).n;
  return { ...c, events: await count("case_events"), outbox: await count("outbox") };
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (e: unknown) => e,
  );
}

const BODY_PEOPLE: readonly Who[] = ["cbAdmin", "reviewer", "inspector", "verifier", "decider"];

describe("a draft, seen from the certification body", () => {
  it("does not exist for the body's people: every event they send is answered as for a missing case and changes nothing", async () => {
    const caseId = await openTestCase(w);
    const before = await record(caseId);
    expect(before).toMatchObject({ state: "draft", submitted_at: null, events: 1, outbox: 0 });
    const missing = await refusal(send(w, "00000000-0000-4000-8000-000000000000", "cbAdmin", { type: "ACCEPT" }));
    expect(missing).toBeInstanceOf(CaseNotFoundError);

    const events = [
      { type: "ACCEPT" },
      { type: "DECLINE", reason: "capacity" },
      { type: "ASSIGN_TEAM", reviewer: w.user.reviewer, inspector: w.user.inspector, verifier: w.user.verifier },
      { type: "START_REVIEW" },
      { type: "GRANT" },
      // Applicant events too: the body is refused as a stranger before its side is even considered.
      { type: "SUBMIT" },
      { type: "WITHDRAW_APPLICATION", reason: "on their behalf" },
      { type: "ATTACH_DOCUMENT", attachment: { kind: "inventory_report", name: "report.pdf" } },
    ];
    for (const who of BODY_PEOPLE) {
      for (const event of events) {
        const error = await refusal(send(w, caseId, who, event));
        expect(error, `${who} ${event.type}`).toBeInstanceOf(CaseNotFoundError);
        const e = error as CaseNotFoundError;
        // Word for word what a missing case answers: 404, the same message, nothing of the draft.
        expect([e.httpStatus, e.messageKey, e.caseId]).toEqual([404, (missing as CaseNotFoundError).messageKey, caseId]);
      }
    }
    const e = missing as CaseNotFoundError;
    expect(zh(e.messageKey)).toBe("案件不存在");
    expect(en(e.messageKey)).toBe("No such case");
    // A stale or made-up version does not get a different answer either (no conflict that would betray the case).
    expect(await refusal(send(w, caseId, "cbAdmin", { type: "ACCEPT" }, { expectedVersion: 99 }))).toBeInstanceOf(CaseNotFoundError);
    expect(await record(caseId)).toEqual(before);
  });

  it("is not read for the body (case, history, actions, lists) and is for the applicant", async () => {
    const caseId = await openTestCase(w, { labelType: "LC" });
    expect(await getCase(w.db, caseId, w.org.ccdc)).toBeNull();
    expect(await caseHistory(w.db, caseId, w.org.ccdc)).toBeNull();
    for (const who of BODY_PEOPLE) expect(await caseActions(w.db, caseId, w.user[who]), who).toBeNull();
    expect((await listCases(w.db, { organizationId: w.org.ccdc })).map((c) => c.id)).not.toContain(caseId);
    expect((await listCases(w.db, { organizationId: w.org.ccdc, states: ["draft"] })).map((c) => c.id)).toEqual([]);

    // The applicant's side is as before.
    expect((await getCase(w.db, caseId, w.org.maker))?.state).toBe("draft");
    expect((await caseHistory(w.db, caseId, w.org.maker))?.map((h) => h.event_type)).toEqual(["OPEN"]);
    expect((await caseActions(w.db, caseId, w.user.applicant))?.events).toEqual(["SUBMIT", "ATTACH_DOCUMENT", "WITHDRAW_APPLICATION"]);
    expect((await listCases(w.db, { organizationId: w.org.maker, states: ["draft"] })).map((c) => c.id)).toContain(caseId);
  });

  it("is still reached by the platform's own processes, which answer by the state, not as missing", async () => {
    const caseId = await openTestCase(w);
    const before = await record(caseId);
    const expire = await refusal(send(w, caseId, "system", { type: "EXPIRE" }));
    expect(expire).toBeInstanceOf(EventNotAllowedError);
    expect([(expire as EventNotAllowedError).reason, (expire as EventNotAllowedError).httpStatus]).toEqual(["state", 409]);
    expect(await record(caseId)).toEqual(before);
  });

  it("sends the body nothing before submission; submission notifies its administrators and opens the case to it", async () => {
    await drainOutbox(w.db, { mailer: new MemoryMailer() });
    const caseId = await openTestCase(w);
    await send(w, caseId, "applicant", { type: "ATTACH_DOCUMENT", attachment: { kind: "inventory_report", name: "碳足迹报告.pdf" } });
    expect((await record(caseId)).outbox).toBe(0);
    await send(w, caseId, "applicant", { type: "WITHDRAW_APPLICATION", reason: "wrong inventory" });
    expect((await record(caseId)).outbox).toBe(0);
    await drainOutbox(w.db, { mailer: new MemoryMailer() });
    const toBody = await w.db
      .selectFrom("notifications")
      .select("topic")
      .where("case_id", "=", caseId)
      .where("organization_id", "=", w.org.ccdc)
      .execute();
    expect(toBody).toEqual([]);
    // A draft withdrawn before submission stays the applicant's for good.
    expect(await getCase(w.db, caseId, w.org.ccdc)).toBeNull();

    const submitted = await openTestCase(w);
    await send(w, submitted, "applicant", { type: "SUBMIT" });
    await drainOutbox(w.db, { mailer: new MemoryMailer() });
    const notices = await w.db.selectFrom("notifications").select(["topic", "organization_id", "user_id"]).where("case_id", "=", submitted).execute();
    expect(notices).toContainEqual({ topic: "case_submitted", organization_id: w.org.ccdc, user_id: w.user.cbAdmin });
    expect(notices.every((n) => n.topic === "case_submitted" && n.organization_id === w.org.ccdc)).toBe(true);
    expect((await getCase(w.db, submitted, w.org.ccdc))?.state).toBe("submitted");
    expect((await caseActions(w.db, submitted, w.user.cbAdmin))?.events).toEqual(["ACCEPT", "DECLINE"]);
    await send(w, submitted, "cbAdmin", { type: "ACCEPT" });
    expect((await record(submitted)).state).toBe("accepted");
  });

  it("a renewal is a draft like any other: the body sees that it was requested on the certified case, and nothing of the new application until it is submitted", async () => {
    const old = await openTestCase(w);
    await toDecision(w, old, 600);
    await send(w, old, "decider", { type: "GRANT" });
    await drainOutbox(w.db, { mailer: new MemoryMailer() });
    const inventoryId = await freshInventory(w);
    const renew = await send(w, old, "applicant", { type: "RENEW", inventoryId, declaredValue: "590.5", conformancePassed: true });
    const renewal = renew.renewalCaseId!;

    expect(await getCase(w.db, renewal, w.org.ccdc)).toBeNull();
    expect(((await refusal(send(w, renewal, "cbAdmin", { type: "ACCEPT" }))) as Error).constructor).toBe(CaseNotFoundError);
    const bodyLog = await caseHistory(w.db, old, w.org.ccdc);
    const applicantLog = await caseHistory(w.db, old, w.org.maker);
    expect(bodyLog?.at(-1)).toMatchObject({ event_type: "RENEW", payload: {} });
    expect(applicantLog?.at(-1)).toMatchObject({ event_type: "RENEW", payload: { inventoryId, declaredValue: 590.5, newCaseId: renewal } });

    await send(w, renewal, "applicant", { type: "SUBMIT" });
    expect((await getCase(w.db, renewal, w.org.ccdc))?.renews_case_id).toBe(old);
  });
});
