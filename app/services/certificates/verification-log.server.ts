/**
 * Every verification is logged: number asked for, result, channel and time — no address, no user
 * agent, no account. Rows are written in batches (every second, or at once when many are waiting)
 * so a busy verification API costs one insert per batch instead of one per request; a process that
 * dies loses at most the last second of log rows, never a verification answer.
 *
 * What is logged is only ever a normalised certificate number (CCDC-CF-2026-000001) or, for
 * anything that is not one (a mistyped number, a probe, bytes PostgreSQL refuses such as NUL),
 * the marker "-": the result column (`invalid_number`, `malformed`…) still counts the attempt,
 * and nobody can write text of their choosing into the log. A batch the database refuses
 * anyway (a data error: a constraint, an encoding) is written again row by row, and only the
 * rows it still refuses are dropped — counted in `verificationLogBacklog().rejected` and named in
 * a warning line — so one bad row can never hold back every later one. A batch that fails for
 * any other reason (the database is unreachable) is kept and retried whole.
 */
import type { Kysely } from "kysely";
import { getDb } from "../../../db/client.ts";
import { insertVerificationLogRows } from "../../../db/repositories/verification-log.ts";
import type { DB, VerificationChannel } from "../../../db/schema.ts";
import { singleton } from "../../../db/singleton.ts";
import { normaliseNumber } from "./registry.server.ts";

export interface VerificationLogEntry {
  readonly number: string;
  readonly channel: VerificationChannel;
  readonly result: string;
  /** Milliseconds since the epoch (a Date per request is a cost at thousands per second). */
  readonly checkedAt: number;
}

const FLUSH_MS = 1_000;
const FLUSH_AT = 2_000;
/** Beyond this many waiting rows (the database is unreachable) new rows are dropped and counted. */
const MAX_PENDING = 50_000;
/** Logged in place of anything that is not a certificate number. */
export const NOT_A_NUMBER = "-";
const CHANNELS: readonly VerificationChannel[] = ["page", "api", "upload"];
/** The log table's own rule for results (db/migrations/…-certificate-signing.ts). */
const RESULT_PATTERN = /^[a-z_]{1,40}$/;

interface LogState {
  pending: VerificationLogEntry[];
  timer: NodeJS.Timeout | null;
  flushing: Promise<void> | null;
  /** Rows not queued because the backlog was full. */
  dropped: number;
  /** Rows the database refused on their own (after the batch failed and was retried row by row). */
  rejected: number;
}
const logState = singleton<LogState>("verificationLog", () => ({ pending: [], timer: null, flushing: null, dropped: 0, rejected: 0 }));
function state(): LogState {
  const current = logState.get();
  // A state made by an older copy of this module (before a development reload) may lack the counter.
  current.rejected ??= 0;
  return current;
}

/**
 * The row as logged: the number normalised or the marker, channel and result only from their
 * closed sets. The input may be anything a request carried (a path segment, a number read out of
 * an uploaded file); the row is checked here, once, not by every caller.
 */
export function logEntry(number: string | null, channel: VerificationChannel, result: string, checkedAt = Date.now()): VerificationLogEntry {
  return {
    number: (number === null ? null : normaliseNumber(number)) ?? NOT_A_NUMBER,
    channel: CHANNELS.includes(channel) ? channel : "page",
    result: RESULT_PATTERN.test(result) ? result : "unknown",
    checkedAt,
  };
}

export function logVerification(number: string | null, channel: VerificationChannel, result: string): void {
  const s = state();
  if (s.pending.length >= MAX_PENDING) {
    s.dropped += 1;
    return;
  }
  s.pending.push(logEntry(number, channel, result));
  if (s.pending.length >= FLUSH_AT) void flushVerificationLog();
  else if (!s.timer) {
    s.timer = setTimeout(() => void flushVerificationLog(), FLUSH_MS);
    s.timer.unref();
  }
}

/** Writes what is waiting; tests and shutdown call it, the timer does otherwise. */
export async function flushVerificationLog(db?: Kysely<DB>): Promise<void> {
  const s = state();
  if (s.timer) {
    clearTimeout(s.timer);
    s.timer = null;
  }
  await s.flushing;
  const batch = s.pending.splice(0, s.pending.length);
  if (batch.length === 0) return;
  s.flushing = (async () => {
    let unwritten: VerificationLogEntry[] = batch;
    try {
      const target = db ?? (await getDb());
      try {
        await insertVerificationLogRows(target, batch);
        unwritten = [];
      } catch (error) {
        if (!isDataError(error)) throw error;
        // The database refuses something in this batch: find it row by row, keep all the others.
        const outcome = await insertOneByOne(target, batch, s);
        unwritten = outcome.unwritten;
        if (outcome.error !== null) throw outcome.error;
      }
    } catch (error) {
      // Put the rows back for the next attempt (oldest first) and say so once per failure.
      s.pending.unshift(...unwritten.slice(0, Math.max(0, MAX_PENDING - s.pending.length)));
      console.error("verification log: could not write", unwritten.length, "row(s):", error instanceof Error ? error.message : error);
      if (!s.timer) {
        s.timer = setTimeout(() => void flushVerificationLog(), FLUSH_MS * 5);
        s.timer.unref();
      }
    } finally {
      s.flushing = null;
    }
  })();
  await s.flushing;
}

/**
 * PostgreSQL's answer to the data itself (SQLSTATE class 22, data exception, such as an invalid
 * byte sequence; class 23, a violated constraint): the same rows would be refused again forever.
 * Anything else (connection lost, timeout, shutdown) says nothing about the rows.
 */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("22") || code.startsWith("23"));
}

/**
 * After a refused batch: each row on its own. Rows refused for their data are dropped and
 * counted; on any other error the rows not yet written are handed back with it, to be retried
 * with the next flush (the ones written already must not be written twice).
 */
async function insertOneByOne(
  db: Kysely<DB>,
  rows: readonly VerificationLogEntry[],
  s: LogState,
): Promise<{ unwritten: VerificationLogEntry[]; error: unknown }> {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    try {
      await insertVerificationLogRows(db, [row]);
    } catch (error) {
      if (!isDataError(error)) return { unwritten: rows.slice(i), error };
      s.rejected += 1;
      // A warning, not an error: the answer was given, one log row is lost and counted.
      console.warn(
        `verification log: dropped a row the database refused (${(error as { code: string }).code}: ${error instanceof Error ? error.message : String(error)}); channel ${row.channel}, result ${row.result}; ${s.rejected} dropped so far`,
      );
    }
  }
  return { unwritten: [], error: null };
}

export function verificationLogBacklog(): { pending: number; dropped: number; rejected: number } {
  const s = state();
  return { pending: s.pending.length, dropped: s.dropped, rejected: s.rejected };
}
