/**
 * The scheduler: time-driven events the machine never makes itself (no `after` in it) —
 * surveillance due, expiry, findings past their due date — and the "certificate expires soon"
 * notice, which is not an event of the case.
 *
 * Exactly once, however many app servers run it: each occurrence has a key (case, event, due key:
 * the surveillance round, the validity end, the finding) and is emitted in one transaction that
 * first inserts that key into `scheduled_events`. A second server racing for the same key waits
 * on the first one's row and then finds it taken; if the first one's transaction fails, the key
 * goes with it and the next tick tries again. An event the case no longer allows is recorded as
 * refused and not tried again.
 */
import type { Kysely, Transaction } from "kysely";
import { bi } from "../../rules/i18n.ts";
import { addMonths } from "../../rules/labels/index.ts";
import type { CertificationContext } from "../certification/types.ts";
import { UnknownMachineError } from "../registry.ts";
import type { DB } from "../../db/schema.ts";
import { casePartiesOf, casesWithSomethingDue } from "../../db/repositories/cases.ts";
import { insertOutboxRowsOnce } from "../../db/repositories/outbox.ts";
import { claimScheduledOccurrence, markScheduledOccurrenceRefused } from "../../db/repositories/scheduled-events.ts";
import { SCHEDULER } from "./actors.ts";
import { inTransaction, restoreCase, transition, type Db } from "./cases.ts";
import { CaseConflictError, EventNotAllowedError } from "./errors.ts";

/** How long before the end of validity the applicant and the body hear that it is coming. */
export const EXPIRY_NOTICE_MONTHS = 2;

export type DueEvent =
  | { readonly type: "SURVEILLANCE_DUE" | "EXPIRE"; readonly dueKey: string }
  | { readonly type: "FINDING_OVERDUE"; readonly dueKey: string; readonly findingId: string }
  | { readonly type: "EXPIRY_NOTICE"; readonly dueKey: string; readonly validUntil: string };

const CERTIFIED = ["issued", "surveillance", "suspended"];

/** What is due for one case on `today` (YYYY-MM-DD, UTC as the machine's dates). Pure. */
export function dueEvents(state: string, context: CertificationContext, today: string): DueEvent[] {
  const validUntil = context.certificate?.validUntil ?? null;
  if (CERTIFIED.includes(state) && validUntil && today > validUntil) return [{ type: "EXPIRE", dueKey: `until:${validUntil}` }];
  const due: DueEvent[] = [];
  if (state === "issued" && context.certificate) {
    const round = context.surveillance.completed + 1;
    const on = addMonths(context.certificate.issuedOn, 12 * round);
    if (on <= context.certificate.validUntil && today >= on) due.push({ type: "SURVEILLANCE_DUE", dueKey: `round:${round}` });
  }
  if ((state === "issued" || state === "surveillance") && validUntil && today >= addMonths(validUntil, -EXPIRY_NOTICE_MONTHS)) {
    due.push({ type: "EXPIRY_NOTICE", dueKey: `until:${validUntil}`, validUntil });
  }
  if (state === "awaiting_applicant") {
    for (const f of context.findings) {
      if (f.status === "open" && !f.overdue && today > f.dueOn) due.push({ type: "FINDING_OVERDUE", dueKey: `finding:${f.id}`, findingId: f.id });
    }
  }
  return due;
}

export type EmitOutcome = "sent" | "refused" | "taken";

/** Emits one due occurrence unless another run already has. A conflicting user write rolls it back for the next tick. */
export async function emitDue(db: Db, caseId: string, due: DueEvent, now: Date): Promise<EmitOutcome> {
  return inTransaction(db, async (trx) => {
    const occurrence = { caseId, eventType: due.type, dueKey: due.dueKey };
    if (!(await claimScheduledOccurrence(trx, occurrence, now))) return "taken";
    if (due.type === "EXPIRY_NOTICE") {
      await enqueueExpiryNotice(trx, caseId, due.validUntil, due.dueKey, now);
      return "sent";
    }
    const event = due.type === "FINDING_OVERDUE" ? { type: due.type, findingId: due.findingId } : { type: due.type };
    try {
      await transition(trx, { caseId, actor: SCHEDULER, event, at: now });
      return "sent";
    } catch (error) {
      if (!(error instanceof EventNotAllowedError)) throw error;
      await markScheduledOccurrenceRefused(trx, occurrence);
      return "refused";
    }
  });
}

async function enqueueExpiryNotice(trx: Transaction<DB>, caseId: string, validUntil: string, dueKey: string, now: Date) {
  const c = await casePartiesOf(trx, caseId);
  const message = bi(
    `证书将于 ${validUntil} 到期，如需继续使用请及时申请再认证`,
    `The certificate expires on ${validUntil}; apply for renewal in time to keep the label`,
  );
  const audiences = [
    { key: "applicant", to: { organizationId: c.applicant_organization_id } },
    { key: "cb_admin", to: { organizationId: c.cb_organization_id, roles: ["cb_admin"] } },
  ];
  await insertOutboxRowsOnce(
    trx,
    audiences.map((a) => ({
      effect_type: "effect.notify",
      case_id: caseId,
      idempotency_key: `${caseId}:expiry_notice:${dueKey}:${a.key}`,
      payload: JSON.stringify({ type: "effect.notify", caseId, topic: "certificate_expiring", to: a.to, message, eventAt: now.toISOString() }),
    })),
  );
}

export interface SchedulerRun {
  readonly sent: number;
  readonly refused: number;
  readonly taken: number;
  /** Occurrences that lost a race with a user's write; the next pass tries them again. */
  readonly conflicts: number;
  /**
   * Cases stored under a machine version this release does not know (a newer release wrote them
   * during a rolling deploy): left to the servers that know it, so one such case does not stop the
   * pass for every other.
   */
  readonly unknownMachine: number;
}

/**
 * One pass over every case that may have something due (the denormalised date columns narrow it
 * down; the snapshot decides). `caseIds` limits the pass (the demo seed replays history with it).
 */
export async function runSchedulerOnce(db: Kysely<DB>, options: { now?: Date; caseIds?: readonly string[] } = {}): Promise<SchedulerRun> {
  const now = options.now ?? new Date();
  const today = now.toISOString().slice(0, 10);
  const horizon = addMonths(today, EXPIRY_NOTICE_MONTHS);
  const total = { sent: 0, refused: 0, taken: 0, conflicts: 0, unknownMachine: 0 };
  let after: string | null = null;
  for (;;) {
    const rows = await inTransaction(db, (trx) =>
      casesWithSomethingDue(trx, { certifiedStates: CERTIFIED, today, horizon, after, caseIds: options.caseIds, limit: 100 }),
    );
    for (const c of rows) {
      let context: CertificationContext;
      try {
        context = restoreCase(c).snapshot.context;
      } catch (error) {
        if (!(error instanceof UnknownMachineError)) throw error;
        total.unknownMachine += 1;
        continue;
      }
      for (const due of dueEvents(c.state, context, today)) {
        try {
          total[await emitDue(db, c.id, due, now)] += 1;
        } catch (error) {
          if (!(error instanceof CaseConflictError)) throw error;
          total.conflicts += 1;
        }
      }
    }
    if (rows.length < 100) break;
    after = rows[rows.length - 1]!.id;
  }
  return total;
}
