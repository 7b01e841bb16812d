/**
 * Tables `auth_attempts` (failed and forgiven sign-in attempts by bucket) and `login_throttle`
 * (the next free sign-in slot of an address that has failed too often). The limits themselves
 * are decided in app/utils/rate-limit.server.ts; these are its reads and writes.
 */
import { sql } from "kysely";
import type { Executor } from "./executor.ts";

/**
 * Per bucket with failures since `since`: how many, how many since `recentSince`, and the latest.
 * Buckets without failures are absent.
 */
export function failuresByBucket(db: Executor, buckets: readonly string[], since: Date, recentSince: Date) {
  return db
    .selectFrom("auth_attempts")
    .select([
      "bucket",
      sql<number>`count(*)::int`.as("failures"),
      sql<number>`(count(*) filter (where created_at > ${recentSince}))::int`.as("recent"),
      sql<Date>`max(created_at)`.as("latest"),
    ])
    .where("bucket", "in", [...buckets])
    .where("succeeded", "=", false)
    .where("created_at", ">", since)
    .groupBy("bucket")
    .execute();
}

/**
 * Takes the key's next slot in one statement (atomic across servers): the slot after the last one
 * given out, or `now` if the key has been quiet, moving the next free slot `spacingMs` further.
 * Returns the new next free slot; undefined when the current one lies beyond `horizon` (then
 * nothing is taken: the conflict update's condition fails and no row is returned).
 */
export async function takeNextSlot(db: Executor, slot: { key: string; now: Date; spacingMs: number; horizon: Date }): Promise<Date | undefined> {
  const taken = await db
    .insertInto("login_throttle")
    .values({ key: slot.key, next_slot_at: new Date(slot.now.getTime() + slot.spacingMs) })
    .onConflict((oc) =>
      oc
        .column("key")
        .doUpdateSet({
          next_slot_at: sql<Date>`greatest(login_throttle.next_slot_at, ${slot.now}::timestamptz) + make_interval(secs => ${slot.spacingMs / 1000})`,
        })
        .where("login_throttle.next_slot_at", "<=", slot.horizon),
    )
    .returning("next_slot_at")
    .executeTakeFirst();
  return taken?.next_slot_at;
}

/** The key's next free slot, or undefined when it has none. */
export async function nextSlotOf(db: Executor, key: string): Promise<Date | undefined> {
  const row = await db.selectFrom("login_throttle").select("next_slot_at").where("key", "=", key).executeTakeFirst();
  return row?.next_slot_at;
}

/** Records one failed attempt in each bucket, at `at`. */
export async function insertFailures(db: Executor, buckets: readonly string[], at: Date): Promise<void> {
  await db
    .insertInto("auth_attempts")
    .values(buckets.map((bucket) => ({ bucket, succeeded: false, created_at: at })))
    .execute();
}

/** Forgets the buckets' attempts made at or before `before`. */
export async function deleteAttemptsUpTo(db: Executor, buckets: readonly string[], before: Date): Promise<void> {
  await db
    .deleteFrom("auth_attempts")
    .where("bucket", "in", [...buckets])
    .where("created_at", "<=", before)
    .execute();
}

/** Forgets every attempt of one bucket. */
export async function deleteAttemptsOf(db: Executor, bucket: string): Promise<void> {
  await db.deleteFrom("auth_attempts").where("bucket", "=", bucket).execute();
}
