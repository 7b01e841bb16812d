/**
 * Table `email_log`: every e-mail the platform sent (or would have, without a transport), once per
 * idempotency key.
 */
import type { Executor } from "./executor.ts";

export interface NewEmailLogEntry {
  readonly idempotency_key: string;
  readonly user_id: string | null;
  readonly to_address: string;
  readonly subject: string;
  readonly body: string;
  readonly transport: string;
}

/** Logs an e-mail unless its key is logged already; whether this call logged it (and so should send it). */
export async function logEmailOnce(db: Executor, entry: NewEmailLogEntry): Promise<boolean> {
  const logged = await db
    .insertInto("email_log")
    .values(entry)
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  return logged !== undefined;
}
