/**
 * Sign-in rate limit, kept in the database so that every app server sharing it counts the same
 * attempts. Failed attempts are counted per account and per client address over a sliding window.
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "../../db/schema.ts";

export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;

export function loginBuckets(email: string, ip: string) {
  return { account: `login:account:${email.toLowerCase()}`, address: `login:ip:${ip}` };
}

export async function loginIsLimited(db: Kysely<DB>, email: string, ip: string): Promise<boolean> {
  const buckets = loginBuckets(email, ip);
  const rows = await db
    .selectFrom("auth_attempts")
    .select(["bucket", sql<number>`count(*)::int`.as("failures")])
    .where("bucket", "in", [buckets.account, buckets.address])
    .where("succeeded", "=", false)
    .where("created_at", ">", sql<Date>`now() - make_interval(mins => ${LOGIN_WINDOW_MINUTES})`)
    .groupBy("bucket")
    .execute();
  const failures = (bucket: string) => rows.find((r) => r.bucket === bucket)?.failures ?? 0;
  return failures(buckets.account) >= MAX_FAILURES_PER_ACCOUNT || failures(buckets.address) >= MAX_FAILURES_PER_ADDRESS;
}

export async function recordLoginAttempt(db: Kysely<DB>, email: string, ip: string, succeeded: boolean): Promise<void> {
  const buckets = loginBuckets(email, ip);
  await db
    .insertInto("auth_attempts")
    .values([
      { bucket: buckets.account, succeeded },
      { bucket: buckets.address, succeeded },
    ])
    .execute();
  if (succeeded) {
    // A successful sign-in forgives the account's earlier failures (not the address's).
    await db.deleteFrom("auth_attempts").where("bucket", "=", buckets.account).where("succeeded", "=", false).execute();
  }
}
