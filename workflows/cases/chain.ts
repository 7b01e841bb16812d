/**
 * The hash chain of a case's event log, and its verification.
 *
 * Each entry's hash is the SHA-256 of the canonical JSON (rules/canonical.ts) of everything the
 * row says — case, sequence number, event, actor, payload, states, snapshot hash, both times —
 * together with the previous entry's hash (64 zeros for the first). Changing, removing or
 * inserting any row breaks every hash after it. Verification also replays the logged events
 * through the case's machine from the opening context: the stored snapshot must be exactly what
 * the machine makes of the log, so a snapshot edited behind the machine's back is found too.
 */
import type { Kysely } from "kysely";
import { initialTransition, transition as machineTransition, type AnyMachineSnapshot } from "xstate";
import { contentHash } from "../../rules/canonical.ts";
import type { Actor } from "../certification/types.ts";
import { resolveMachine } from "../registry.ts";
import type { DB } from "../../db/schema.ts";
import { caseEventsInOrder, type CaseEventRow } from "../../db/repositories/case-events.ts";
import { casesForChainCheck } from "../../db/repositories/cases.ts";

export const GENESIS_HASH = "0".repeat(64);
/** The organization id the machine sees for scheduler and host events (they belong to no tenant). */
export const SYSTEM_ORGANIZATION = "system";

export interface ChainEntry {
  readonly caseId: string;
  readonly seq: number;
  readonly eventType: string;
  readonly actorUserId: string | null;
  readonly actorSystem: string | null;
  readonly actorRoles: readonly string[];
  readonly actorOrganizationId: string | null;
  readonly payload: unknown;
  readonly stateBefore: string | null;
  readonly stateAfter: string;
  readonly snapshotHash: string;
  /** ISO 8601 with milliseconds, as the database gives it back. */
  readonly at: string;
  readonly recordedAt: string;
  readonly prevHash: string;
}

export function entryHash(entry: ChainEntry): string {
  return contentHash({ chain: "case_events.v1", ...entry });
}

/** The identity of a persisted snapshot: machine key, state value and context. */
export function snapshotHash(machine: string, value: unknown, context: unknown): string {
  return contentHash({ machine, value, context });
}

/** The machine's view of who sent a logged event. */
export function actorOfEntry(row: {
  actor_user_id: string | null;
  actor_system: string | null;
  actor_roles: string[];
  actor_organization_id: string | null;
}): Actor {
  return {
    userId: row.actor_user_id ?? `system:${row.actor_system}`,
    roles: row.actor_roles,
    organizationId: row.actor_organization_id ?? SYSTEM_ORGANIZATION,
  };
}

export type ChainProblem =
  "sequence_gap" | "broken_link" | "hash_mismatch" | "replay_refused" | "replay_mismatch" | "snapshot_mismatch" | "version_mismatch" | "no_events";

export interface ChainFinding {
  readonly caseId: string;
  readonly seq: number | null;
  readonly problem: ChainProblem;
  readonly detail: string;
}

export interface ChainReport {
  readonly ok: boolean;
  readonly cases: number;
  readonly events: number;
  readonly findings: readonly ChainFinding[];
}

type EventRow = CaseEventRow;

export function chainEntryOf(row: EventRow): ChainEntry {
  return {
    caseId: row.case_id,
    seq: row.seq,
    eventType: row.event_type,
    actorUserId: row.actor_user_id,
    actorSystem: row.actor_system,
    actorRoles: row.actor_roles,
    actorOrganizationId: row.actor_organization_id,
    payload: row.payload,
    stateBefore: row.state_before,
    stateAfter: row.state_after,
    snapshotHash: row.snapshot_hash,
    at: new Date(row.at).toISOString(),
    recordedAt: new Date(row.recorded_at).toISOString(),
    prevHash: row.prev_hash,
  };
}

/** Checks one case or every case (in id order, a page at a time). */
export async function verifyChains(db: Kysely<DB>, options: { caseId?: string } = {}): Promise<ChainReport> {
  const findings: ChainFinding[] = [];
  let cases = 0;
  let events = 0;
  let after: string | null = null;
  for (;;) {
    const page = await casesForChainCheck(db, { caseId: options.caseId, after, limit: 200 });
    for (const c of page) {
      const rows = await caseEventsInOrder(db, c.id);
      cases += 1;
      events += rows.length;
      findings.push(...verifyCase(c, rows));
    }
    if (options.caseId || page.length < 200) break;
    after = page[page.length - 1]!.id;
  }
  return { ok: findings.length === 0, cases, events, findings };
}

function verifyCase(
  c: { id: string; machine: string; state: string; version: number; snapshot: { value: string; context: Record<string, unknown> } },
  rows: readonly EventRow[],
): ChainFinding[] {
  const out: ChainFinding[] = [];
  const add = (seq: number | null, problem: ChainProblem, detail: string) => out.push({ caseId: c.id, seq, problem, detail });
  if (rows.length === 0) {
    add(null, "no_events", "the case has no logged events");
    return out;
  }

  // 1. The chain itself: contiguous sequence, each entry linked to the one before, each hash right.
  let prev = GENESIS_HASH;
  rows.forEach((row, i) => {
    if (row.seq !== i + 1) add(row.seq, "sequence_gap", `expected entry ${i + 1}, found ${row.seq}`);
    if (row.prev_hash !== prev)
      add(row.seq, "broken_link", `prev_hash ${row.prev_hash.slice(0, 12)}… does not match the previous entry ${prev.slice(0, 12)}…`);
    const recomputed = entryHash(chainEntryOf(row));
    if (recomputed !== row.hash) add(row.seq, "hash_mismatch", `stored ${row.hash.slice(0, 12)}…, recomputed ${recomputed.slice(0, 12)}…`);
    prev = row.hash;
  });

  // 2. The machine agrees with the log: replaying it gives every logged snapshot.
  try {
    const machine = resolveMachine(c.machine);
    let snapshot: AnyMachineSnapshot | null = null;
    for (const row of rows) {
      if (snapshot === null) {
        const context = (row.payload as { context?: unknown }).context;
        [snapshot] = initialTransition(machine, context as never);
      } else {
        const event = { ...(row.payload as object), type: row.event_type, actor: actorOfEntry(row), at: new Date(row.at).toISOString() };
        if (!snapshot.can(event as never)) {
          add(row.seq, "replay_refused", `the machine refuses ${row.event_type} in state ${String(snapshot.value)}`);
          break;
        }
        [snapshot] = machineTransition(machine, snapshot as never, event as never);
      }
      const replayed = snapshotHash(c.machine, snapshot.value, snapshot.context);
      if (replayed !== row.snapshot_hash || String(snapshot.value) !== row.state_after) {
        add(
          row.seq,
          "replay_mismatch",
          `replaying the log gives state ${String(snapshot.value)} and a different snapshot than entry ${row.seq} records`,
        );
        break;
      }
    }
  } catch (error) {
    add(null, "replay_refused", error instanceof Error ? error.message : String(error));
  }

  // 3. The case row is the head of its log.
  const last = rows[rows.length - 1]!;
  if (c.version !== last.seq) add(last.seq, "version_mismatch", `case version ${c.version}, last logged entry ${last.seq}`);
  if (snapshotHash(c.machine, c.snapshot.value, c.snapshot.context) !== last.snapshot_hash || c.state !== last.state_after) {
    add(last.seq, "snapshot_mismatch", "the stored snapshot is not the one the last logged event produced");
  }
  return out;
}
