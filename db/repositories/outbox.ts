/**
 * Table `outbox`: work to run after a commit (case effects, e-mails), one row per piece of work,
 * unique by idempotency key. Writers queue rows in their own transaction; runners claim ready rows
 * under a lease, mark them done or schedule a retry.
 */
import { sql } from "kysely";
import type { OutboxTable } from "../schema.ts";
import type { Executor } from "./executor.ts";

/** An outbox row as a runner works on it. */
export interface OutboxRow {
  readonly id: number;
  readonly effect_type: string;
  readonly case_id: string | null;
  readonly payload: Record<string, unknown>;
  readonly idempotency_key: string;
  readonly attempts: number;
}

/** A row to queue: what to do, for which case, with what payload (a JSON string), under which key; ready now unless `next_attempt_at` says later. */
export type NewOutboxRow = Pick<OutboxTable, "effect_type" | "case_id" | "idempotency_key"> & { payload: string; next_attempt_at?: Date };

/** Queues rows whose keys must be new (a reused key is a unique violation); their ids in ascending order. */
export async function insertOutboxRows(db: Executor, rows: readonly NewOutboxRow[]): Promise<number[]> {
  const inserted = await db
    .insertInto("outbox")
    .values([...rows])
    .returning("id")
    .execute();
  return inserted.map((r) => r.id).sort((a, b) => a - b);
}

/** Queues rows, skipping each whose key is already queued (a rerun of the work that queues them adds nothing). */
export async function insertOutboxRowsOnce(db: Executor, rows: readonly NewOutboxRow[]): Promise<void> {
  await db
    .insertInto("outbox")
    .values([...rows])
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .execute();
}

/**
 * Takes ready rows (not done, not failed, next attempt due by `now`), oldest first up to `limit`,
 * or only those of `ids` that are ready, and leases them in one statement: their attempt count
 * goes up and their next attempt moves to `leaseUntil`. A row another transaction holds is
 * skipped, not waited for (FOR UPDATE SKIP LOCKED). Returned in id order.
 */
export async function claimReadyOutboxRows(
  db: Executor,
  claim: { now: Date; leaseUntil: Date; limit: number; ids: readonly number[] | null },
): Promise<OutboxRow[]> {
  const only = claim.ids === null ? sql`` : sql`and id = any(${sql.val([...claim.ids])}::bigint[])`;
  const claimed = await sql<OutboxRow>`
    update outbox set attempts = attempts + 1, next_attempt_at = ${claim.leaseUntil}
    where id in (
      select id from outbox
      where done_at is null and failed_at is null and next_attempt_at <= ${claim.now} ${only}
      order by id
      limit ${claim.limit}
      for update skip locked
    )
    returning id, effect_type, case_id, payload, idempotency_key, attempts`.execute(db);
  return [...claimed.rows].sort((a, b) => a.id - b.id);
}

/** Marks a row done unless it is done already; whether this call did it (false: someone else finished it). */
export async function markOutboxRowDone(db: Executor, id: number, now: Date): Promise<boolean> {
  const mine = await db
    .updateTable("outbox")
    .set({ done_at: now, last_error: null })
    .where("id", "=", id)
    .where("done_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  return mine !== undefined;
}

/** Records a failed attempt of a row not done meanwhile: the error, the next attempt and, after the last attempt, when it failed for good. */
export async function scheduleOutboxRetry(
  db: Executor,
  id: number,
  retry: { last_error: string; next_attempt_at: Date; failed_at: Date | null },
): Promise<void> {
  await db.updateTable("outbox").set(retry).where("id", "=", id).where("done_at", "is", null).execute();
}

/** Rows neither done nor failed, whatever their next attempt time, oldest first (at most `limit`). */
export function pendingOutboxRows(db: Executor, limit: number): Promise<OutboxRow[]> {
  return db
    .selectFrom("outbox")
    .select(["id", "effect_type", "case_id", "payload", "idempotency_key", "attempts"])
    .where("done_at", "is", null)
    .where("failed_at", "is", null)
    .orderBy("id")
    .limit(limit)
    .execute();
}

/** Marks rows done, counting the attempt. */
export async function markOutboxRowsDone(db: Executor, ids: readonly number[], now: Date): Promise<void> {
  await db
    .updateTable("outbox")
    .set({ done_at: now, attempts: sql`attempts + 1` })
    .where("id", "in", [...ids])
    .execute();
}
