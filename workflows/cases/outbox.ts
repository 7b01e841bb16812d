/**
 * The outbox runner: effects written by transitions run after their commit, on any number of
 * app servers at once.
 *
 * A runner claims ready rows with FOR UPDATE SKIP LOCKED and pushes their next attempt forward by
 * a lease in the same statement, so two runners never take the same row while it is being worked
 * on, and a runner that dies mid-way only delays its rows by the lease. Each row then runs in its
 * own transaction, which first marks it done (a row someone else finished is skipped) and then
 * runs the handler; a failure rolls the handler back and schedules a retry with exponential
 * backoff, until the last attempt marks the row failed for a person to look at.
 *
 * The request that sent a case event runs the rows its own transition wrote (`runOutboxRows`), so
 * the next page shows its certificate and notifications; it claims them exactly as a runner does,
 * so a row is never run by both, and whatever it cannot claim or finish is left to the runners.
 */
import type { Kysely, Transaction } from "kysely";
import type { CertificateIssuer } from "../certificates/issuer.ts";
import type { DB } from "../../db/schema.ts";
import { claimReadyOutboxRows, markOutboxRowDone, markOutboxRowsDone, pendingOutboxRows, scheduleOutboxRetry } from "../../db/repositories/outbox.ts";
import { EFFECT_HANDLERS, type OutboxRow } from "./effects.ts";
import type { Mailer } from "./mailer.ts";

export const OUTBOX_MAX_ATTEMPTS = 10;
const LEASE_MS = 60_000;

/** 5 s, 10 s, 20 s … capped at one hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export interface OutboxOptions {
  readonly mailer: Mailer;
  /** Signs certificates as they are issued (workflows/certificates/issuer.ts); defaults to the registered one. */
  readonly issuer?: CertificateIssuer | null;
  /** Rows per claim. */
  readonly batchSize?: number;
  /** The runner's clock (tests move it forward). */
  readonly now?: () => Date;
  /** How long a claimed row stays invisible to other runners (default one minute). */
  readonly leaseMs?: number;
}

export interface OutboxRun {
  readonly claimed: number;
  readonly done: number;
  readonly failed: number;
}

/** One claim of ready rows, oldest first, by any runner. */
export async function runOutboxOnce(db: Kysely<DB>, options: OutboxOptions): Promise<OutboxRun> {
  const now = options.now?.() ?? new Date();
  return runClaimed(db, await claim(db, now, options, null), now, options);
}

/**
 * Runs just these rows, those of them still ready (not done, not failed, not waiting for a retry
 * and not leased by a runner): a request's own effects. Other rows, other tenants' among them,
 * stay for the runners.
 */
export async function runOutboxRows(db: Kysely<DB>, ids: readonly number[], options: Omit<OutboxOptions, "batchSize">): Promise<OutboxRun> {
  if (ids.length === 0) return { claimed: 0, done: 0, failed: 0 };
  const now = options.now?.() ?? new Date();
  return runClaimed(db, await claim(db, now, options, ids), now, options);
}

/**
 * Takes ready rows (all of them up to the batch size, or only `ids`) and leases them in one
 * statement; a row another runner holds is skipped, not waited for.
 */
async function claim(db: Kysely<DB>, now: Date, options: Omit<OutboxOptions, "mailer">, ids: readonly number[] | null): Promise<OutboxRow[]> {
  // Every statement of the runner runs in a transaction (see db/client.ts on the embedded socket).
  return db.transaction().execute((trx) =>
    claimReadyOutboxRows(trx, {
      now,
      leaseUntil: new Date(now.getTime() + (options.leaseMs ?? LEASE_MS)),
      limit: ids === null ? (options.batchSize ?? 20) : ids.length,
      ids,
    }),
  );
}

/** Each claimed row in its own transaction that first marks it done; a failure schedules a retry. */
async function runClaimed(db: Kysely<DB>, rows: readonly OutboxRow[], now: Date, options: OutboxOptions): Promise<OutboxRun> {
  let done = 0;
  let failed = 0;
  for (const row of rows) {
    try {
      await db.transaction().execute(async (trx) => {
        // A row someone else finished meanwhile is skipped.
        if (!(await markOutboxRowDone(trx, row.id, now))) return;
        const handler = EFFECT_HANDLERS[row.effect_type];
        if (!handler) throw new Error(`no handler for outbox effect ${row.effect_type}`);
        await handler({ trx, row, mailer: options.mailer, now, issuer: options.issuer });
      });
      done += 1;
    } catch (error) {
      failed += 1;
      const last = row.attempts >= OUTBOX_MAX_ATTEMPTS;
      const retry = {
        last_error: error instanceof Error ? error.message.slice(0, 2000) : String(error).slice(0, 2000),
        next_attempt_at: new Date(now.getTime() + retryDelayMs(row.attempts)),
        failed_at: last ? now : null,
      };
      await db.transaction().execute((trx) => scheduleOutboxRetry(trx, row.id, retry));
    }
  }
  return { claimed: rows.length, done, failed };
}

/** Runs until no row is ready (rows waiting for a retry stay); for the seed, the CLI and tests. */
export async function drainOutbox(db: Kysely<DB>, options: OutboxOptions): Promise<OutboxRun> {
  const total = { claimed: 0, done: 0, failed: 0 };
  for (let round = 0; round < 1000; round++) {
    const run = await runOutboxOnce(db, options);
    total.claimed += run.claimed;
    total.done += run.done;
    total.failed += run.failed;
    if (run.claimed === 0) break;
  }
  return total;
}

/**
 * Runs every pending row inside the caller's transaction, in order, failing on the first error:
 * for the demo seed, whose history must be complete (certificates issued, notifications
 * delivered) when its one transaction commits, or not there at all.
 */
export async function drainOutboxWithin(trx: Transaction<DB>, options: Omit<OutboxOptions, "batchSize" | "leaseMs">): Promise<number> {
  const now = options.now?.() ?? new Date();
  let done = 0;
  for (;;) {
    const rows = await pendingOutboxRows(trx, 100);
    if (rows.length === 0) return done;
    await markOutboxRowsDone(
      trx,
      rows.map((r) => r.id),
      now,
    );
    for (const row of rows) {
      const handler = EFFECT_HANDLERS[row.effect_type];
      if (!handler) throw new Error(`no handler for outbox effect ${row.effect_type}`);
      await handler({ trx, row, mailer: options.mailer, now, issuer: options.issuer });
      done += 1;
    }
  }
}
