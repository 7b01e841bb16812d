/**
 * Concurrency, on as many connections as there are requests: 50 simultaneous conflicting
 * transitions on one case (exactly one wins, the rest get the conflict error, one new log entry,
 * the chain verifies), and two carbon-neutral applications recording the same credit serials at
 * the same moment (the database's exclusion constraint lets exactly one through).
 *
 * Runs on the embedded database and, with TEST_DATABASE_URL, on a real PostgreSQL server, where
 * the 50 transactions truly overlap.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseConflictError, CreditSerialConflictError, transition, verifyChains } from "../../workflows/cases/index.ts";
import { connect, getDatabase, type Database } from "../../db/client.ts";
import { logOf, openTestCase, send, stateOf, toReview, world, type World } from "./cases-support.ts";

let w: World;
let wide: Database;
beforeAll(async () => {
  w = await world();
  // A pool as wide as the burst, so every request holds its own connection and transaction.
  wide = connect((await getDatabase()).connectionString, { poolSize: 50, queryTimeoutMs: 30_000 });
});
afterAll(async () => {
  await wide?.close();
});

describe("50 simultaneous conflicting transitions on one case", () => {
  it("let exactly one through; the other 49 get the conflict error and the log gains one entry", async () => {
    const caseId = await openTestCase(w);
    await toReview(w, caseId);
    const before = await stateOf(w, caseId);
    const logBefore = await logOf(w, caseId);
    // All 50 were made from the page at the same version: 25 complete the review, 25 raise a finding.
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        transition(wide.db, {
          caseId,
          actor: { userId: w.user.reviewer },
          expectedVersion: before.version,
          event:
            i % 2 === 0
              ? { type: "COMPLETE_REVIEW" }
              : { type: "RAISE_FINDING", finding: { severity: "minor", clause: "§6", text: `Finding from request ${i}`, dueOn: "2026-12-31" } },
        }),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    for (const r of lost) {
      expect(r.reason).toBeInstanceOf(CaseConflictError);
      expect((r.reason as CaseConflictError).httpStatus).toBe(409);
    }
    const after = await stateOf(w, caseId);
    expect(after.version).toBe(before.version + 1);
    const log = await logOf(w, caseId);
    expect(log).toHaveLength(logBefore.length + 1);
    expect(log.at(-1)!.state_after).toBe(after.state);
    expect(log.at(-1)!.prev_hash).toBe(logBefore.at(-1)!.hash);
    const report = await verifyChains(w.db, { caseId });
    expect(report).toMatchObject({ ok: true, cases: 1, events: logBefore.length + 1 });
  });
});

describe("two simultaneous carbon-neutral applications with the same credit serials", () => {
  const claim = { period: { start: "2025-01-01", end: "2025-12-31" }, quantity: 1000 };
  const credits = (first: number, last: number) => [
    { registry: "CCER", programme: "CCER", serialPrefix: "CCER-2025-CONC-", first, last, vintage: 2025, retiredOn: "2026-02-01" },
  ];

  it("let exactly one record them; the other is refused by the database and changes nothing", async () => {
    const a = await openTestCase(w, { labelType: "CN", claim });
    const b = await openTestCase(w, { labelType: "CN", claim });
    const [ra, rb] = await Promise.allSettled(
      [a, b].map((caseId) =>
        transition(wide.db, {
          caseId,
          actor: { userId: w.user.applicant },
          expectedVersion: 1,
          event: { type: "RECORD_CREDITS", claim, credits: credits(1, 700) },
        }),
      ),
    );
    const outcomes = [ra!.status, rb!.status].sort();
    expect(outcomes).toEqual(["fulfilled", "rejected"]);
    const refused = [ra, rb].find((r): r is PromiseRejectedResult => r!.status === "rejected")!;
    expect(refused.reason).toBeInstanceOf(CreditSerialConflictError);
    expect((refused.reason as CreditSerialConflictError).httpStatus).toBe(409);
    const loser = ra!.status === "rejected" ? a : b;
    expect(await stateOf(w, loser)).toEqual({ state: "draft", version: 1 });
    expect(await logOf(w, loser)).toHaveLength(1);
    const rows = await w.db.selectFrom("credit_retirements").select(["case_id", "serials"]).where("serial_prefix", "=", "CCER-2025-CONC-").execute();
    expect(rows).toEqual([{ case_id: ra!.status === "fulfilled" ? a : b, serials: "[1,701)" }]);
  });

  it("refuses any overlap, in another spelling of the registry too, and frees the serials of a withdrawn application", async () => {
    const a = await openTestCase(w, { labelType: "CN", claim, credits: credits(1001, 1500) });
    const b = await openTestCase(w, { labelType: "CN", claim });
    for (const [first, last] of [
      [1500, 1600],
      [900, 1001],
      [1200, 1300],
    ]) {
      const overlapping = send(w, b, "applicant", {
        type: "RECORD_CREDITS",
        claim,
        credits: [{ ...credits(first!, last!)[0]!, registry: " ccer " }],
      });
      await expect(overlapping).rejects.toBeInstanceOf(CreditSerialConflictError);
    }
    await send(w, b, "applicant", { type: "RECORD_CREDITS", claim, credits: credits(1501, 1600) });
    // Within one submission as well.
    await expect(
      send(w, b, "applicant", { type: "RECORD_CREDITS", claim, credits: [...credits(1601, 1700), ...credits(1650, 1800)] }),
    ).rejects.toBeInstanceOf(CreditSerialConflictError);
    await send(w, a, "applicant", { type: "WITHDRAW_APPLICATION", reason: "re-applying with a corrected claim" });
    await send(w, b, "applicant", { type: "RECORD_CREDITS", claim, credits: credits(1001, 1600) });
    const rows = await w.db
      .selectFrom("credit_retirements")
      .select(["case_id", "serials"])
      .where("serial_prefix", "=", "CCER-2025-CONC-")
      .where("case_id", "in", [a, b])
      .execute();
    expect(rows).toEqual([{ case_id: b, serials: "[1001,1601)" }]);
  });
});
