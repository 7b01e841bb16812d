/**
 * Table `verification_log`: one row per verification of a certificate (number or marker, channel,
 * result, time), written in batches.
 */
import { sql } from "kysely";
import type { VerificationChannel } from "../schema.ts";
import type { Executor } from "./executor.ts";

export interface VerificationLogRow {
  readonly number: string;
  readonly channel: VerificationChannel;
  readonly result: string;
  /** Milliseconds since the epoch. */
  readonly checkedAt: number;
}

/** Writes a batch in one statement with four array parameters: no per-row SQL to build, whatever the batch size. */
export async function insertVerificationLogRows(db: Executor, rows: readonly VerificationLogRow[]): Promise<void> {
  await sql`insert into verification_log (number, channel, result, checked_at)
    select * from unnest(${rows.map((e) => e.number)}::text[], ${rows.map((e) => e.channel)}::text[], ${rows.map((e) => e.result)}::text[], ${rows.map((e) => new Date(e.checkedAt).toISOString())}::timestamptz[])`.execute(
    db,
  );
}
