/**
 * The hash chain: it verifies for honest history and names the entry where a tampered one
 * breaks — a row edited behind the trigger's back (as a superuser can), a forged row appended,
 * a snapshot changed without an event.
 */
import { sql, type Transaction } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyChains } from "../../workflows/cases/index.ts";
import { entryHash, chainEntryOf } from "../../workflows/cases/chain.ts";
import type { DB } from "../../db/schema.ts";
import { logOf, openTestCase, send, toReview, world, type World } from "./cases-support.ts";

let w: World;
beforeAll(async () => {
  w = await world();
});

/** Runs `work` with user triggers off, as only a superuser can: the append-only trigger is bypassed. */
function asSuperuserWithoutTriggers(work: (trx: Transaction<DB>) => Promise<unknown>) {
  return w.db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await work(trx);
  });
}

async function reviewedCase() {
  const caseId = await openTestCase(w);
  await toReview(w, caseId);
  await send(w, caseId, "reviewer", {
    type: "RAISE_FINDING",
    finding: { severity: "major", clause: "§6.1", text: "Cut-off not justified", dueOn: "2026-12-20" },
  });
  return caseId;
}

describe("verifyChains", () => {
  it("verifies honest history, every entry linked to the one before", async () => {
    const caseId = await reviewedCase();
    const report = await verifyChains(w.db, { caseId });
    expect(report).toEqual({ ok: true, cases: 1, events: 7, findings: [] });
    const log = await logOf(w, caseId);
    for (const row of log) expect(entryHash(chainEntryOf(row))).toBe(row.hash);
  });

  it("finds an entry edited with the trigger disabled", async () => {
    const caseId = await reviewedCase();
    await asSuperuserWithoutTriggers((trx) =>
      trx
        .updateTable("case_events")
        .set({
          payload: JSON.stringify({ finding: { id: "F-01", severity: "minor", clause: "§6.1", text: "Cut-off not justified", dueOn: "2026-12-20" } }),
        })
        .where("case_id", "=", caseId)
        .where("seq", "=", 7)
        .execute(),
    );
    const report = await verifyChains(w.db, { caseId });
    expect(report.ok).toBe(false);
    expect(report.findings).toContainEqual(expect.objectContaining({ caseId, seq: 7, problem: "hash_mismatch" }));
  });

  it("finds a history rewritten with fresh hashes: the machine replays it to a different snapshot", async () => {
    const caseId = await reviewedCase();
    // A forger who recomputes the hash of the entry they change still cannot match the snapshot it claims.
    const [row] = (await logOf(w, caseId)).filter((r) => r.seq === 7);
    const payload = { finding: { ...(row!.payload.finding as object), severity: "minor" } };
    const forged = entryHash({ ...chainEntryOf(row!), payload });
    await asSuperuserWithoutTriggers((trx) =>
      trx
        .updateTable("case_events")
        .set({ payload: JSON.stringify(payload), hash: forged })
        .where("case_id", "=", caseId)
        .where("seq", "=", 7)
        .execute(),
    );
    const problems = (await verifyChains(w.db, { caseId })).findings.map((f) => [f.seq, f.problem]);
    expect(problems).toContainEqual([7, "replay_mismatch"]);
  });

  it("finds a forged entry appended without the machine, and a deleted one", async () => {
    const caseId = await reviewedCase();
    const last = (await logOf(w, caseId)).at(-1)!;
    await w.db
      .insertInto("case_events")
      .values({
        ...last,
        seq: 8,
        event_type: "CLOSE_FINDING",
        payload: JSON.stringify({ findingId: "F-01" }),
        prev_hash: "f".repeat(64),
        hash: "e".repeat(64),
        actor_roles: last.actor_roles,
      })
      .execute();
    const problems = (await verifyChains(w.db, { caseId })).findings.map((f) => [f.seq, f.problem]);
    expect(problems).toEqual(
      expect.arrayContaining([
        [8, "broken_link"],
        [8, "hash_mismatch"],
        [8, "version_mismatch"],
      ]),
    );

    const other = await reviewedCase();
    await asSuperuserWithoutTriggers((trx) => trx.deleteFrom("case_events").where("case_id", "=", other).where("seq", "=", 3).execute());
    const gaps = (await verifyChains(w.db, { caseId: other })).findings.map((f) => [f.seq, f.problem]);
    expect(gaps).toEqual(
      expect.arrayContaining([
        [4, "sequence_gap"],
        [4, "broken_link"],
      ]),
    );
  });

  it("finds a snapshot changed without an event", async () => {
    const caseId = await reviewedCase();
    await w.db
      .updateTable("cases")
      .set({ snapshot: sql`jsonb_set(snapshot, '{context,declaredValue}', '1')` })
      .where("id", "=", caseId)
      .execute();
    const report = await verifyChains(w.db, { caseId });
    expect(report.findings.map((f) => f.problem)).toEqual(["snapshot_mismatch"]);
  });

  it("checks every case when no case is named", async () => {
    const report = await verifyChains(w.db);
    const { n } = await w.db
      .selectFrom("cases")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    expect(report.cases).toBe(n);
    expect(report.ok).toBe(false); // the tampered cases above
  });
});
