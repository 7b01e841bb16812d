/**
 * Table `sessions`: a signed-in device is one row (the cookie carries only its id), so deleting
 * rows signs people out everywhere. Also the one read that turns a session id into its user, their
 * membership and organization.
 */
import type { Executor } from "./executor.ts";

export async function insertSession(db: Executor, session: { id: string; userId: string; expiresAt: Date }): Promise<void> {
  await db.insertInto("sessions").values({ id: session.id, user_id: session.userId, expires_at: session.expiresAt }).execute();
}

export async function deleteSession(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
}

export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}

/**
 * The person behind an unexpired session, with their roles and organization; undefined for an
 * unknown or expired session and for a deactivated account.
 */
export function sessionUserRow(db: Executor, sessionId: string) {
  return (
    db
      .selectFrom("sessions")
      .innerJoin("users", "users.id", "sessions.user_id")
      .innerJoin("memberships", "memberships.user_id", "users.id")
      .innerJoin("organizations", "organizations.id", "memberships.organization_id")
      .where("sessions.id", "=", sessionId)
      .where("sessions.expires_at", ">", new Date())
      // Deactivation deletes the person's sessions; this also refuses one created in a race with it.
      .where("users.deactivated_at", "is", null)
      .select([
        "users.id",
        "users.email",
        "users.name",
        "users.preferred_language",
        "memberships.roles",
        "organizations.id as org_id",
        "organizations.kind as org_kind",
        "organizations.name_zh as org_name_zh",
        "organizations.name_en as org_name_en",
        "organizations.credit_code as org_credit_code",
        "organizations.cb_code as org_cb_code",
        "organizations.cnca_approval_number as org_cnca_approval_number",
        "organizations.accredited_categories as org_accredited_categories",
      ])
      .executeTakeFirst()
  );
}
