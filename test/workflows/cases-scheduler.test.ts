/**
 * The scheduler: surveillance due, expiry, overdue findings and the expiry notice, each emitted
 * exactly once even with two app servers running it at the same moment.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drainOutbox, dueEvents, MemoryMailer, runSchedulerOnce } from "../../workflows/cases/index.ts";
import { emitDue } from "../../workflows/cases/scheduler.ts";
import { connect, getDatabase, type Database } from "../../db/client.ts";
import { startCase } from "../../workflows/certification/case.ts";
import { A, CB, MAKER, newCase, toDecision as toDecisionInMemory, drive, ev } from "./helpers.ts";
import { logOf, openTestCase, send, stateOf, toDecision, toReview, world, type World } from "./cases-support.ts";

let w: World;
let second: Database;
beforeAll(async () => {
  w = await world();
  second = connect((await getDatabase()).connectionString, { poolSize: 4, queryTimeoutMs: 30_000 });
});
afterAll(async () => {
  await second?.close();
});

const DAY = 86_400_000;

describe("dueEvents", () => {
  const issued = drive(toDecisionInMemory(newCase("CF")), [ev(A.decider, { type: "GRANT" })]); // issued 2026-03-02, valid to 2028-03-01
  it("names the surveillance round from the anniversary of issue on", () => {
    expect(dueEvents("issued", issued.context, "2027-03-01")).toEqual([]);
    expect(dueEvents("issued", issued.context, "2027-03-02")).toEqual([{ type: "SURVEILLANCE_DUE", dueKey: "round:1" }]);
  });
  it("gives notice two months before the end of validity and expires the day after", () => {
    const passed = { ...issued.context, surveillance: { completed: 1, lastPassedAt: "2027-03-10T00:00:00Z" } };
    expect(dueEvents("issued", passed, "2027-12-31")).toEqual([]);
    expect(dueEvents("issued", passed, "2028-01-01")).toEqual([{ type: "EXPIRY_NOTICE", dueKey: "until:2028-03-01", validUntil: "2028-03-01" }]);
    expect(dueEvents("suspended", passed, "2028-03-01")).toEqual([]);
    expect(dueEvents("suspended", passed, "2028-03-02")).toEqual([{ type: "EXPIRE", dueKey: "until:2028-03-01" }]);
  });
  it("flags each open finding once its due date has passed", () => {
    const s = drive(startCase(newCase("CF", { applicantOrganizationId: MAKER, cbOrganizationId: CB })), [
      ev(A.applicant, { type: "SUBMIT" }),
      ev(A.cbAdmin, { type: "ACCEPT" }),
      ev(A.cbAdmin, { type: "ASSIGN_TEAM", reviewer: "u-rev", inspector: "u-insp", verifier: "u-ver" }),
      ev(A.reviewer, { type: "START_REVIEW" }),
      ev(A.reviewer, { type: "RAISE_FINDING", finding: { id: "f1", severity: "major", clause: "§6", text: "x", dueOn: "2026-03-20" } }),
    ]);
    expect(dueEvents("awaiting_applicant", s.context, "2026-03-20")).toEqual([]);
    expect(dueEvents("awaiting_applicant", s.context, "2026-03-21")).toEqual([{ type: "FINDING_OVERDUE", dueKey: "finding:f1", findingId: "f1" }]);
  });
});

describe("two schedulers at the same time", () => {
  it("emit every due event exactly once", async () => {
    const now = Date.now();
    const claim = { period: { start: "2025-01-01", end: "2025-12-31" }, quantity: 1000 };
    // A: a footprint certificate (surveillance after a year). C: a carbon-neutral one (valid one year).
    const a = await openTestCase(w);
    await toDecision(w, a, 600);
    await send(w, a, "decider", { type: "GRANT" });
    const c = await openTestCase(w, {
      labelType: "CN",
      claim,
      credits: [{ registry: "CCER", programme: "CCER", serialPrefix: "CCER-SCHED-", first: 1, last: 600, vintage: 2025, retiredOn: "2026-02-01" }],
      attachments: [{ id: "plan", kind: "management_plan", name: "plan.pdf" }],
    });
    await toDecision(w, c, 600);
    await send(w, c, "decider", { type: "GRANT" });
    // B: a finding due in two weeks.
    const b = await openTestCase(w);
    await toReview(w, b);
    const dueOn = new Date(now + 14 * DAY).toISOString().slice(0, 10);
    await send(w, b, "reviewer", {
      type: "RAISE_FINDING",
      finding: { severity: "major", clause: "§6", text: "Meter calibration records missing", dueOn },
    });

    const both = async (at: number) => {
      for (let round = 0; round < 2; round++) {
        const [x, y] = await Promise.all([
          runSchedulerOnce(w.db, { now: new Date(at), caseIds: [a, b, c] }),
          runSchedulerOnce(second.db, { now: new Date(at), caseIds: [a, b, c] }),
        ]);
        expect(x.conflicts + y.conflicts).toBe(0);
      }
    };
    const typesOf = async (id: string) => (await logOf(w, id)).filter((e) => e.actor_system === "scheduler").map((e) => e.event_type);

    // Three weeks on: the finding is overdue; nothing else is due.
    await both(now + 21 * DAY);
    expect(await typesOf(b)).toEqual(["FINDING_OVERDUE"]);
    expect(await typesOf(a)).toEqual([]);
    // 320 days on: the carbon-neutral certificate ends within two months.
    await both(now + 320 * DAY);
    expect(await typesOf(c)).toEqual([]);
    // 400 days on: surveillance is due for A; C has expired.
    await both(now + 400 * DAY);
    expect(await typesOf(a)).toEqual(["SURVEILLANCE_DUE"]);
    expect(await typesOf(c)).toEqual(["EXPIRE"]);
    expect(await typesOf(b)).toEqual(["FINDING_OVERDUE"]);
    expect((await stateOf(w, a)).state).toBe("surveillance");
    expect((await stateOf(w, c)).state).toBe("expired");

    const keys = await w.db
      .selectFrom("scheduled_events")
      .select(["case_id", "event_type", "due_key", "outcome"])
      .where("case_id", "in", [a, b, c])
      .orderBy("emitted_at")
      .orderBy("event_type")
      .execute();
    expect(keys.map((k) => [k.case_id, k.event_type, k.due_key.split(":")[0], k.outcome])).toEqual([
      [b, "FINDING_OVERDUE", "finding", "sent"],
      [c, "EXPIRY_NOTICE", "until", "sent"],
      [c, "EXPIRE", "until", "sent"],
      [a, "SURVEILLANCE_DUE", "round", "sent"],
    ]);

    // Each notice reached its people once.
    await Promise.all([drainOutbox(w.db, { mailer: new MemoryMailer() }), drainOutbox(second.db, { mailer: new MemoryMailer() })]);
    const count = async (id: string, topic: string) =>
      (
        await w.db
          .selectFrom("notifications")
          .select(sql<number>`count(*)::int`.as("n"))
          .where("case_id", "=", id)
          .where("topic", "=", topic)
          .executeTakeFirstOrThrow()
      ).n;
    expect(await count(b, "finding_overdue")).toBe(5); // two applicant users, three team members
    expect(await count(c, "certificate_expiring")).toBe(3); // two applicant users, the body's admin
    expect(await count(c, "certificate_expired")).toBe(2);
    expect(await count(a, "surveillance_due")).toBe(1);
  });

  it("racing for one occurrence: one sends it, the other finds it taken", async () => {
    const a = await openTestCase(w);
    await toDecision(w, a, 600);
    await send(w, a, "decider", { type: "GRANT" });
    const at = new Date(Date.now() + 400 * DAY);
    const due = { type: "SURVEILLANCE_DUE", dueKey: "round:1" } as const;
    const outcomes = await Promise.all([
      emitDue(w.db, a, due, at),
      emitDue(second.db, a, due, at),
      emitDue(w.db, a, due, at),
      emitDue(second.db, a, due, at),
    ]);
    expect(outcomes.sort()).toEqual(["sent", "taken", "taken", "taken"]);
    expect((await logOf(w, a)).filter((e) => e.event_type === "SURVEILLANCE_DUE")).toHaveLength(1);
  });
});
