/**
 * The demo seed's own reads and writes of the certification tables `cases` and `notifications`
 * (whose everyday queries live in cases.ts and notifications.ts): whether the demo has run
 * already, and the notifications its people are taken to have read.
 */
import type { Executor } from "./executor.ts";

/** Whether the organization has applied for any certification case. */
export async function hasAppliedForAnyCase(db: Executor, applicantOrganizationId: string): Promise<boolean> {
  const existing = await db
    .selectFrom("cases")
    .select("id")
    .where("applicant_organization_id", "=", applicantOrganizationId)
    .limit(1)
    .executeTakeFirst();
  return Boolean(existing);
}

/** Marks as read at `readAt` the notifications about these cases created before `createdBefore`. */
export async function markCaseNotificationsReadBefore(db: Executor, caseIds: readonly string[], createdBefore: Date, readAt: Date): Promise<void> {
  await db
    .updateTable("notifications")
    .set({ read_at: readAt })
    .where("case_id", "in", [...caseIds])
    .where("created_at", "<", createdBefore)
    .execute();
}
