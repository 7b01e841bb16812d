/**
 * The outbox: effects run after commit, once each however often a row is run, retried with
 * backoff when they fail; notifications reach the right people; certificates get gap-free
 * numbers and a status that follows the latest event.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchCaseEvent } from "../../app/services/cases/dispatch.server.ts";
import {
  createCase,
  drainOutbox,
  getCase,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  MemoryMailer,
  runOutboxOnce,
  runOutboxRows,
  startCaseWorkers,
  transition,
  unreadNotificationCount,
  type MailMessage,
  type Mailer,
} from "../../workflows/cases/index.ts";
import { OUTBOX_MAX_ATTEMPTS } from "../../workflows/cases/outbox.ts";
import { connect, getDatabase, type Database } from "../../db/client.ts";
import { insertCementInventory, OTHER_TENANT, userIdByEmail } from "../support/fixtures.ts";
import { freshInventory, openTestCase, send, stateOf, toDecision, world, type World } from "./cases-support.ts";

let w: World;
let second: Database;
beforeAll(async () => {
  w = await world();
  // Everything earlier in the file's database is delivered, so each test sees only its own rows.
  await drainOutbox(w.db, { mailer: new MemoryMailer() });
  second = connect((await getDatabase()).connectionString, { poolSize: 4, queryTimeoutMs: 30_000 });
});
afterAll(async () => {
  await second?.close();
});

class FlakyMailer implements Mailer {
  readonly transport = "flaky";
  readonly sent: MailMessage[] = [];
  constructor(private failures: number) {}
  async send(message: MailMessage) {
    if (this.failures-- > 0) throw new Error("SMTP 421 service not available");
    this.sent.push(message);
  }
}

const topicsOf = async (userId: string, caseId: string) =>
  (
    await w.db.selectFrom("notifications").select("topic").where("user_id", "=", userId).where("case_id", "=", caseId).orderBy("created_at").execute()
  ).map((n) => n.topic);

async function grantedCase(): Promise<string> {
  const caseId = await openTestCase(w);
  await toDecision(w, caseId, 600);
  await send(w, caseId, "decider", { type: "GRANT" });
  return caseId;
}

describe("running effects", () => {
  it("delivers each notification to the right people and issues the certificate, once however often rows run", async () => {
    const caseId = await grantedCase();
    const mailer = new MemoryMailer();
    await drainOutbox(w.db, { mailer });

    expect(await topicsOf(w.user.cbAdmin, caseId)).toEqual(["case_submitted"]);
    expect(await topicsOf(w.user.reviewer, caseId)).toEqual(["team_assigned"]);
    expect(await topicsOf(w.user.decider, caseId)).toEqual(["ready_for_decision"]);
    expect(await topicsOf(w.user.applicant, caseId)).toEqual(["case_accepted", "decision_granted"]);
    expect(await topicsOf(w.user.member, caseId)).toEqual(["case_accepted", "decision_granted"]);
    expect(await topicsOf(w.user.otherCbAdmin, caseId)).toEqual([]);
    const granted = (await listNotifications(w.db, w.user.member)).find((n) => n.caseId === caseId && n.topic === "decision_granted")!;
    expect(granted.message.zh).toMatch(/^认证决定：批准：测试水泥（碳足迹标识，CL-\d{6}）$/);
    expect(granted.message.en).toMatch(/^Certification decision: granted: Test cement \(carbon footprint label, CL-\d{6}\)$/);
    const view = await getCase(w.db, caseId, w.org.maker);
    expect(view?.certificate).toMatchObject({
      status: "valid",
      label_type: "CF",
      verified_value: "600",
      pcr_code: "PCR-CN-CEMENT",
      declared_unit: "t",
      grade: "B",
    });
    expect(view?.certificate?.number).toMatch(new RegExp(`^CCDC-CF-${view!.certificate!.issued_on.slice(0, 4)}-\\d{6}$`));
    const recipients = await w.db
      .selectFrom("notifications")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("case_id", "=", caseId)
      .executeTakeFirstOrThrow();
    expect(mailer.sent).toHaveLength(recipients.n);
    expect(mailer.sent.find((m) => m.to === "member@hualv.demo" && m.subject.includes("批准"))?.text).toContain("Certification decision: granted");

    // A runner whose lease ran out does everything again: nothing doubles.
    await w.db.updateTable("outbox").set({ done_at: null }).where("case_id", "=", caseId).execute();
    await drainOutbox(w.db, { mailer });
    const again = await w.db
      .selectFrom("notifications")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("case_id", "=", caseId)
      .executeTakeFirstOrThrow();
    expect(again.n).toBe(recipients.n);
    expect(mailer.sent).toHaveLength(recipients.n);
    expect(await w.db.selectFrom("certificates").select("number").where("case_id", "=", caseId).execute()).toHaveLength(1);
  });

  it("retries a failed effect with growing delays and gives up after the last attempt", async () => {
    const caseId = await openTestCase(w);
    await send(w, caseId, "applicant", { type: "SUBMIT" });
    const start = new Date();
    const flaky = new FlakyMailer(1);
    const first = await drainOutbox(w.db, { mailer: flaky, now: () => start });
    expect(first).toEqual({ claimed: 2, done: 1, failed: 1 }); // the notification, then its e-mail
    const email = await w.db
      .selectFrom("outbox")
      .selectAll()
      .where("case_id", "=", caseId)
      .where("effect_type", "=", "email.send")
      .executeTakeFirstOrThrow();
    expect(email).toMatchObject({ attempts: 1, done_at: null, failed_at: null, last_error: "SMTP 421 service not available" });
    expect(email.next_attempt_at.getTime() - start.getTime()).toBe(5_000);
    expect(await runOutboxOnce(w.db, { mailer: flaky, now: () => new Date(start.getTime() + 4_000) })).toEqual({ claimed: 0, done: 0, failed: 0 });
    expect(await runOutboxOnce(w.db, { mailer: flaky, now: () => new Date(start.getTime() + 5_000) })).toEqual({ claimed: 1, done: 1, failed: 0 });
    expect(flaky.sent.map((m) => m.to)).toEqual(["admin@ccdc.demo"]);
    const logged = await w.db
      .selectFrom("email_log")
      .select(["to_address", "transport"])
      .where("idempotency_key", "=", email.idempotency_key)
      .execute();
    expect(logged).toEqual([{ to_address: "admin@ccdc.demo", transport: "flaky" }]);

    const hopeless = await openTestCase(w);
    await send(w, hopeless, "applicant", { type: "SUBMIT" });
    const down = new FlakyMailer(Number.POSITIVE_INFINITY);
    let clock = start.getTime();
    for (let i = 0; i < OUTBOX_MAX_ATTEMPTS + 2; i++) {
      await runOutboxOnce(w.db, { mailer: down, now: () => new Date(clock) });
      clock += 3_600_000;
    }
    const dead = await w.db
      .selectFrom("outbox")
      .selectAll()
      .where("case_id", "=", hopeless)
      .where("effect_type", "=", "email.send")
      .executeTakeFirstOrThrow();
    expect(dead.attempts).toBe(OUTBOX_MAX_ATTEMPTS);
    expect(dead.failed_at).not.toBeNull();
  });

  it("with two runners at once, takes every row exactly once", async () => {
    const ids = [await openTestCase(w), await openTestCase(w), await openTestCase(w)];
    for (const id of ids) await send(w, id, "applicant", { type: "SUBMIT" });
    const [a, b] = [new MemoryMailer(), new MemoryMailer()];
    await Promise.all([drainOutbox(w.db, { mailer: a, batchSize: 1 }), drainOutbox(second.db, { mailer: b, batchSize: 1 })]);
    const mine = [...a.sent, ...b.sent].filter((m) => ids.some((id) => m.idempotencyKey.startsWith(id)));
    expect(mine).toHaveLength(3);
    expect(new Set(mine.map((m) => m.idempotencyKey)).size).toBe(3);
    const notes = await w.db.selectFrom("notifications").select("case_id").where("case_id", "in", ids).execute();
    expect(notes).toHaveLength(3);
    const pending = await w.db.selectFrom("outbox").select("id").where("case_id", "in", ids).where("done_at", "is", null).execute();
    expect(pending).toEqual([]);
  });
});

describe("certificates", () => {
  it("are numbered without gaps per body, label and year, also when runners race", async () => {
    const ids = [await grantedCase(), await grantedCase(), await grantedCase()];
    await Promise.all([
      drainOutbox(w.db, { mailer: new MemoryMailer(), batchSize: 1 }),
      drainOutbox(second.db, { mailer: new MemoryMailer(), batchSize: 1 }),
    ]);
    const numbers = (await w.db.selectFrom("certificates").select("number").where("case_id", "in", ids).execute())
      .map((c) => Number(c.number.slice(-6)))
      .sort((x, y) => x - y);
    expect(numbers).toHaveLength(3);
    expect(numbers[1]! - numbers[0]!).toBe(1);
    expect(numbers[2]! - numbers[1]!).toBe(1);
    const counter = await w.db
      .selectFrom("certificate_counters")
      .select("last_number")
      .where("cb_organization_id", "=", w.org.ccdc)
      .where("label_type", "=", "CF")
      .executeTakeFirstOrThrow();
    expect(counter.last_number).toBe(numbers[2]);
  });

  it("keep the status of the latest event, whatever order the effects run in", async () => {
    const caseId = await grantedCase();
    await drainOutbox(w.db, { mailer: new MemoryMailer() });
    await send(w, caseId, "cbAdmin", { type: "SUSPEND", reason: "supplier change not reported" });
    await send(w, caseId, "cbAdmin", { type: "RESTORE", note: "change report accepted" });
    // The suspension's row is held back (say, its runner died); the restoration runs first.
    const suspendRow = await w.db
      .selectFrom("outbox")
      .select("id")
      .where("case_id", "=", caseId)
      .where("effect_type", "=", "effect.certificate_status")
      .where(sql<boolean>`payload->>'status' = 'suspended'`)
      .executeTakeFirstOrThrow();
    await w.db
      .updateTable("outbox")
      .set({ next_attempt_at: new Date(Date.now() + 3_600_000) })
      .where("id", "=", suspendRow.id)
      .execute();
    await drainOutbox(w.db, { mailer: new MemoryMailer() });
    const status = () => w.db.selectFrom("certificates").select(["status", "status_reason"]).where("case_id", "=", caseId).executeTakeFirstOrThrow();
    expect(await status()).toEqual({ status: "valid", status_reason: null });
    await w.db.updateTable("outbox").set({ next_attempt_at: new Date() }).where("id", "=", suspendRow.id).execute();
    await drainOutbox(w.db, { mailer: new MemoryMailer() });
    expect(await status()).toEqual({ status: "valid", status_reason: null });
  });

  it("of a renewal supersede the renewed case once the renewal is granted", async () => {
    const old = await grantedCase();
    await drainOutbox(w.db, { mailer: new MemoryMailer() });
    const renew = await send(w, old, "applicant", {
      type: "RENEW",
      inventoryId: await freshInventory(w),
      declaredValue: "590.5",
      conformancePassed: true,
    });
    const renewal = renew.renewalCaseId!;
    const row = await w.db
      .selectFrom("cases")
      .select(["state", "renews_case_id", "declared_value", "label_type"])
      .where("id", "=", renewal)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: "draft", renews_case_id: old, declared_value: "590.5", label_type: "CF" });
    await toDecision(w, renewal, 590);
    await send(w, renewal, "decider", { type: "GRANT" });
    expect((await stateOf(w, old)).state).toBe("issued");
    await drainOutbox(w.db, { mailer: new MemoryMailer() });
    expect((await stateOf(w, old)).state).toBe("renewed");
    const certs = await w.db
      .selectFrom("certificates")
      .select(["case_id", "status"])
      .where("case_id", "in", [old, renewal])
      .orderBy("created_at")
      .execute();
    expect(certs).toEqual([
      { case_id: old, status: "superseded" },
      { case_id: renewal, status: "valid" },
    ]);
    const supersede = await w.db
      .selectFrom("case_events")
      .select(["event_type", "actor_system", "actor_user_id"])
      .where("case_id", "=", old)
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(supersede).toEqual({ event_type: "SUPERSEDE", actor_system: "host", actor_user_id: null });
  });
});

describe("a user's notifications", () => {
  it("are listed newest first, counted, and marked read by their owner only", async () => {
    const caseId = await openTestCase(w);
    await send(w, caseId, "applicant", { type: "SUBMIT" });
    await send(w, caseId, "cbAdmin", { type: "ACCEPT" });
    await drainOutbox(w.db, { mailer: new MemoryMailer() });
    await markAllNotificationsRead(w.db, w.user.member);
    const declined = await openTestCase(w);
    await send(w, declined, "applicant", { type: "SUBMIT" });
    await send(w, declined, "cbAdmin", { type: "DECLINE", reason: "capacity" });
    await drainOutbox(w.db, { mailer: new MemoryMailer() });
    const list = await listNotifications(w.db, w.user.member, { unreadOnly: true });
    expect(list.map((n) => n.topic)).toEqual(["case_declined"]);
    expect(await unreadNotificationCount(w.db, w.user.member)).toBe(1);
    expect(await markNotificationRead(w.db, w.user.applicant, list[0]!.id)).toBe(false);
    expect(await markNotificationRead(w.db, w.user.member, "not-an-id")).toBe(false);
    expect(await unreadNotificationCount(w.db, w.user.member)).toBe(1);
    expect(await markNotificationRead(w.db, w.user.member, list[0]!.id)).toBe(true);
    expect(await unreadNotificationCount(w.db, w.user.member)).toBe(0);
    const all = await listNotifications(w.db, w.user.member, { limit: 2 });
    expect(all.map((n) => n.topic)).toEqual(["case_declined", "case_accepted"]);
  });
});

describe("the background loops", () => {
  it("deliver without being asked, and stop cleanly between ticks", async () => {
    const mailer = new MemoryMailer();
    // Only transactions run while the loops do: the test pool has ten connections to the embedded socket (db/client.ts).
    const workers = startCaseWorkers(w.db, { mailer, outboxIntervalMs: 20, schedulerIntervalMs: 20 });
    const delivered = await openTestCase(w);
    try {
      await send(w, delivered, "applicant", { type: "SUBMIT" });
      const deadline = Date.now() + 10_000;
      while (!mailer.sent.some((m) => m.idempotencyKey.startsWith(delivered)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await workers.stop();
    }
    expect(await topicsOf(w.user.cbAdmin, delivered)).toEqual(["case_submitted"]);
    const after = mailer.sent.length;
    const caseId = await openTestCase(w);
    await send(w, caseId, "applicant", { type: "SUBMIT" });
    await new Promise((r) => setTimeout(r, 100));
    expect(mailer.sent.length).toBe(after);
    expect(await topicsOf(w.user.cbAdmin, caseId)).toEqual([]);
  });
});

describe("the request that sends a case event", () => {
  /** A submitted case of another tenant (another manufacturer, at another body): its notice to HBDC is pending. */
  async function otherTenantsSubmittedCase(): Promise<string> {
    const otherAdmin = await userIdByEmail(OTHER_TENANT.adminEmail);
    const organizationId = (
      await w.db.selectFrom("memberships").select("organization_id").where("user_id", "=", otherAdmin).executeTakeFirstOrThrow()
    ).organization_id;
    const product = await w.db
      .insertInto("products")
      .values({ organization_id: organizationId, name_zh: "另一种水泥", name_en: "Other cement", pcr_code: "PCR-CN-CEMENT", site_region: "CN-SH" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const inventoryId = await insertCementInventory(w.db, { organizationId, productId: product.id, createdBy: otherAdmin });
    const { caseId } = await createCase(w.db, {
      userId: otherAdmin,
      inventoryId,
      labelType: "CF",
      cbOrganizationId: w.org.hbdc,
      declaredValue: 700,
      conformancePassed: true,
    });
    await transition(w.db, { caseId, actor: { userId: otherAdmin }, event: { type: "SUBMIT" } });
    return caseId;
  }

  /** The case's effect rows (the e-mails its notices queue are rows of the case too, but not the transition's). */
  const rowsOf = (caseId: string) =>
    w.db
      .selectFrom("outbox")
      .select(["id", "effect_type", "attempts", "done_at"])
      .where("case_id", "=", caseId)
      .where("effect_type", "<>", "email.send")
      .orderBy("id")
      .execute();

  it("runs the rows its own transition wrote and leaves another tenant's to the runner", async () => {
    const mine = await openTestCase(w);
    await send(w, mine, "applicant", { type: "SUBMIT" });
    await drainOutbox(w.db, { mailer: new MemoryMailer() });
    const theirs = await otherTenantsSubmittedCase();
    const theirsPending = await rowsOf(theirs);
    expect(theirsPending.map((r) => [r.effect_type, r.attempts, r.done_at])).toEqual([["effect.notify", 0, null]]);

    const form = new FormData();
    form.set("intent", "ACCEPT");
    form.set("version", String((await stateOf(w, mine)).version));
    const outcome = await dispatchCaseEvent(w.db, {
      caseId: mine,
      user: { id: w.user.cbAdmin, organizationId: w.org.ccdc },
      formData: form,
      files: [],
    });
    if (!outcome.ok) throw new Error(`ACCEPT was refused: ${JSON.stringify(outcome.errors)}`);

    // The request ran exactly the row ACCEPT wrote: the applicant's people have their notice.
    const acceptRows = (await rowsOf(mine)).filter((r) => outcome.result.outboxIds.includes(r.id));
    expect(acceptRows.map((r) => [r.effect_type, r.attempts, r.done_at !== null])).toEqual([["effect.notify", 1, true]]);
    expect(await topicsOf(w.user.member, mine)).toContain("case_accepted");
    // The other tenant's row was not touched, and HBDC's admin has heard nothing yet.
    expect(await rowsOf(theirs)).toEqual(theirsPending);
    expect(await topicsOf(w.user.otherCbAdmin, theirs)).toEqual([]);
    // Follow-on rows the request's own rows wrote (the e-mails of the notice) are the runner's too.
    const mails = await w.db
      .selectFrom("outbox")
      .select(["attempts", "done_at"])
      .where("case_id", "=", mine)
      .where("effect_type", "=", "email.send")
      .where("done_at", "is", null)
      .execute();
    expect(mails.length).toBeGreaterThan(0);
    expect(mails.every((m) => m.attempts === 0)).toBe(true);

    await drainOutbox(w.db, { mailer: new MemoryMailer() });
    expect((await rowsOf(theirs)).map((r) => [r.attempts, r.done_at !== null])).toEqual([[1, true]]);
    expect(await topicsOf(w.user.otherCbAdmin, theirs)).toEqual(["case_submitted"]);
  });

  it("claims its rows as a runner does: a leased row waits for its lease, a done row never runs again", async () => {
    const caseId = await openTestCase(w);
    await drainOutbox(w.db, { mailer: new MemoryMailer() });
    const { outboxIds } = await send(w, caseId, "applicant", { type: "SUBMIT" });
    expect(outboxIds).toEqual((await rowsOf(caseId)).map((r) => r.id));

    // A runner holds the rows: the lease its claim statement writes.
    const leaseEnd = new Date(Date.now() + 60_000);
    await w.db
      .updateTable("outbox")
      .set({ attempts: 1, next_attempt_at: leaseEnd })
      .where("id", "in", [...outboxIds])
      .execute();
    expect(await runOutboxRows(w.db, outboxIds, { mailer: new MemoryMailer() })).toEqual({ claimed: 0, done: 0, failed: 0 });
    expect(await topicsOf(w.user.cbAdmin, caseId)).toEqual([]);

    // The lease ran out (the runner died): any runner takes the rows; the request then finds them done.
    await runOutboxOnce(w.db, { mailer: new MemoryMailer(), now: () => new Date(leaseEnd.getTime() + 1) });
    expect((await rowsOf(caseId)).map((r) => [r.attempts, r.done_at !== null])).toEqual([[2, true]]);
    expect(await runOutboxRows(w.db, outboxIds, { mailer: new MemoryMailer(), now: () => new Date(leaseEnd.getTime() + 2) })).toEqual({
      claimed: 0,
      done: 0,
      failed: 0,
    });
    expect(await topicsOf(w.user.cbAdmin, caseId)).toEqual(["case_submitted"]);
  });

  it("racing a runner, takes each of its rows at most once between them", async () => {
    const caseId = await openTestCase(w);
    await drainOutbox(w.db, { mailer: new MemoryMailer() });
    await send(w, caseId, "applicant", { type: "SUBMIT" });
    await send(w, caseId, "cbAdmin", { type: "ACCEPT" });
    const { outboxIds } = await send(w, caseId, "cbAdmin", {
      type: "ASSIGN_TEAM",
      reviewer: w.user.reviewer,
      inspector: w.user.inspector,
      verifier: w.user.verifier,
    });
    await Promise.all([
      runOutboxRows(w.db, outboxIds, { mailer: new MemoryMailer() }),
      drainOutbox(second.db, { mailer: new MemoryMailer(), batchSize: 1 }),
    ]);
    // Every claim adds an attempt: a row both had taken would show two.
    const rows = await w.db
      .selectFrom("outbox")
      .select(["attempts", "done_at"])
      .where("id", "in", [...outboxIds])
      .execute();
    expect(rows.map((r) => [r.attempts, r.done_at !== null])).toEqual(outboxIds.map(() => [1, true]));
  });
});
