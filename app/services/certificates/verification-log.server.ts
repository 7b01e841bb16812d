/**
 * Every verification is logged: number asked for, result, channel and time — no address, no user
 * agent, no account. Rows are written in batches (every second, or at once when many are waiting)
 * so a busy verification API costs one insert per batch instead of one per request; a process that
 * dies loses at most the last second of log rows, never a verification answer.
 */
import { sql, type Kysely } from "kysely";
import { getDb } from "../../../db/client.ts";
import type { DB, VerificationChannel } from "../../../db/schema.ts";

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

const KEY = Symbol.for("carbonlabel.verificationLog");
interface LogState {
  pending: VerificationLogEntry[];
  timer: NodeJS.Timeout | null;
  flushing: Promise<void> | null;
  dropped: number;
}
function state(): LogState {
  const holder = globalThis as { [KEY]?: LogState };
  holder[KEY] ??= { pending: [], timer: null, flushing: null, dropped: 0 };
  return holder[KEY];
}

export function logVerification(number: string | null, channel: VerificationChannel, result: string): void {
  const s = state();
  if (s.pending.length >= MAX_PENDING) {
    s.dropped += 1;
    return;
  }
  s.pending.push({ number: (number ?? "").slice(0, 64) || "-", channel, result, checkedAt: Date.now() });
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
    try {
      const target = db ?? (await getDb());
      // One statement with four array parameters: no per-row SQL to build, whatever the batch size.
      await sql`insert into verification_log (number, channel, result, checked_at)
        select * from unnest(${batch.map((e) => e.number)}::text[], ${batch.map((e) => e.channel)}::text[], ${batch.map((e) => e.result)}::text[], ${batch.map((e) => new Date(e.checkedAt).toISOString())}::timestamptz[])`.execute(target);
    } catch (error) {
      // Put the rows back for the next attempt (oldest first) and say so once per failure.
      s.pending.unshift(...batch.slice(0, Math.max(0, MAX_PENDING - s.pending.length)));
      console.error("verification log: could not write", batch.length, "row(s):", error instanceof Error ? error.message : error);
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

export function verificationLogBacklog(): { pending: number; dropped: number } {
  const s = state();
  return { pending: s.pending.length, dropped: s.dropped };
}
