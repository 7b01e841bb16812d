/**
 * Table `case_events`: the hash-chained event log of each case. Rows are only ever appended; the
 * reads are the chain check's, the duty checks' (who did what on a case) and the history panel's.
 */
import type { Insertable } from "kysely";
import type { CaseEventsTable } from "../schema.ts";
import type { Executor } from "./executor.ts";

/** The hash of one logged event of a case, or undefined when there is no such entry. */
export async function eventHash(db: Executor, caseId: string, seq: number): Promise<string | undefined> {
  const row = await db.selectFrom("case_events").select("hash").where("case_id", "=", caseId).where("seq", "=", seq).executeTakeFirst();
  return row?.hash;
}

export async function insertCaseEvent(db: Executor, values: Insertable<CaseEventsTable>): Promise<void> {
  await db.insertInto("case_events").values(values).execute();
}

/** Every logged event of a case, oldest first, as stored. */
export function caseEventsInOrder(db: Executor, caseId: string) {
  return db.selectFrom("case_events").selectAll().where("case_id", "=", caseId).orderBy("seq").execute();
}
export type CaseEventRow = Awaited<ReturnType<typeof caseEventsInOrder>>[number];

/** What one user logged on a case: each event's type and the organization they acted for, beside the case's applicant. */
export function eventsOfUserOnCase(db: Executor, caseId: string, userId: string) {
  return db
    .selectFrom("case_events")
    .innerJoin("cases", "cases.id", "case_events.case_id")
    .select(["case_events.event_type", "case_events.actor_organization_id", "cases.applicant_organization_id"])
    .where("case_events.case_id", "=", caseId)
    .where("case_events.actor_user_id", "=", userId)
    .execute();
}

/** The users who logged any of these event types on a case (each once). */
export async function usersWhoLogged(db: Executor, caseId: string, eventTypes: readonly string[]): Promise<string[]> {
  const rows = await db
    .selectFrom("case_events")
    .select("actor_user_id")
    .distinct()
    .where("case_id", "=", caseId)
    .where("event_type", "in", [...eventTypes])
    .where("actor_user_id", "is not", null)
    .execute();
  return rows.map((r) => r.actor_user_id!);
}

/** The users who logged events on a case acting for this organization (each once). */
export async function usersWhoActedFor(db: Executor, caseId: string, organizationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("case_events")
    .select("actor_user_id")
    .distinct()
    .where("case_id", "=", caseId)
    .where("actor_organization_id", "=", organizationId)
    .where("actor_user_id", "is not", null)
    .execute();
  return rows.map((r) => r.actor_user_id!);
}

/** The log of a case for its history panel, oldest first, with each acting person's name. */
export function caseHistoryRows(db: Executor, caseId: string) {
  return db
    .selectFrom("case_events")
    .leftJoin("users", "users.id", "case_events.actor_user_id")
    .select([
      "case_events.seq",
      "case_events.event_type",
      "case_events.actor_user_id",
      "case_events.actor_system",
      "case_events.actor_roles",
      "case_events.actor_organization_id",
      "users.name as actor_name",
      "case_events.payload",
      "case_events.state_before",
      "case_events.state_after",
      "case_events.at",
      "case_events.recorded_at",
      "case_events.hash",
    ])
    .where("case_events.case_id", "=", caseId)
    .orderBy("case_events.seq")
    .execute();
}
