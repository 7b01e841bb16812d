/**
 * Table `scheduled_events`: each time-driven occurrence the scheduler emitted (case, event type,
 * due key), so that it is emitted once however many servers run the scheduler.
 */
import type { Executor } from "./executor.ts";

export interface ScheduledOccurrence {
  readonly caseId: string;
  readonly eventType: string;
  readonly dueKey: string;
}

/**
 * Claims an occurrence as sent; false when it is taken already. A concurrent claimer of the same
 * key waits for this transaction and then finds it taken, or takes it if this one rolls back.
 */
export async function claimScheduledOccurrence(db: Executor, o: ScheduledOccurrence, at: Date): Promise<boolean> {
  const claimed = await db
    .insertInto("scheduled_events")
    .values({ case_id: o.caseId, event_type: o.eventType, due_key: o.dueKey, outcome: "sent", emitted_at: at })
    .onConflict((oc) => oc.columns(["case_id", "event_type", "due_key"]).doNothing())
    .returning("case_id")
    .executeTakeFirst();
  return claimed !== undefined;
}

/** Records that the case no longer allowed a claimed occurrence: it is not tried again. */
export async function markScheduledOccurrenceRefused(db: Executor, o: ScheduledOccurrence): Promise<void> {
  await db
    .updateTable("scheduled_events")
    .set({ outcome: "refused" })
    .where("case_id", "=", o.caseId)
    .where("event_type", "=", o.eventType)
    .where("due_key", "=", o.dueKey)
    .execute();
}
