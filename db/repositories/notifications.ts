/**
 * Table `notifications`: a user's in-app notifications, unique per source and user; and the
 * recipients a notification reaches (members of an organization, read from `memberships` and
 * `users` for that purpose only).
 */
import { sql } from "kysely";
import type { Executor } from "./executor.ts";

/** A user's notifications, newest first, at most `limit`: only unread ones, or only those before a time, when asked. */
export function notificationsOfUser(db: Executor, userId: string, page: { unreadOnly?: boolean; limit: number; before?: Date }) {
  let query = db
    .selectFrom("notifications")
    .select(["id", "topic", "case_id", "message_zh", "message_en", "created_at", "read_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(page.limit);
  if (page.unreadOnly) query = query.where("read_at", "is", null);
  if (page.before) query = query.where("created_at", "<", page.before);
  return query.execute();
}

export async function countUnreadNotifications(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Marks one of the user's notifications read (a read one keeps its first read time); whether it is theirs. */
export async function markNotificationReadByUser(db: Executor, userId: string, notificationId: string): Promise<boolean> {
  const result = await db
    .updateTable("notifications")
    .set({ read_at: sql`coalesce(read_at, now())` })
    .where("id", "=", notificationId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Marks every unread notification of the user read at `at`; how many. */
export async function markUnreadNotificationsRead(db: Executor, userId: string, at: Date): Promise<number> {
  const result = await db
    .updateTable("notifications")
    .set({ read_at: at })
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** One notification to write for one user. */
export interface NewNotification {
  readonly user_id: string;
  readonly organization_id: string;
  readonly topic: string;
  readonly case_id: string | null;
  readonly message_zh: string;
  readonly message_en: string;
  readonly source_key: string;
  readonly created_at: Date | string;
}

/** Writes notifications, skipping any whose (source key, user) is written already. */
export async function insertNotificationsOnce(db: Executor, rows: readonly NewNotification[]): Promise<void> {
  await db
    .insertInto("notifications")
    .values([...rows])
    .onConflict((oc) => oc.columns(["source_key", "user_id"]).doNothing())
    .execute();
}

/**
 * Active (not off-boarded) members of an organization, narrowed to some users and to holders of
 * any of some roles when given: id, e-mail and language, by id.
 */
export function activeRecipients(db: Executor, to: { organizationId: string; userIds?: readonly string[]; roles?: readonly string[] }) {
  let query = db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id", "users.email", "users.preferred_language"])
    .where("memberships.organization_id", "=", to.organizationId)
    .where("users.deactivated_at", "is", null);
  if (to.userIds) query = query.where("users.id", "in", [...to.userIds]);
  if (to.roles) query = query.where(sql<boolean>`memberships.roles && ${sql.val([...to.roles])}::text[]`);
  return query.orderBy("users.id").execute();
}

/** Members of an organization holding any of these roles, deactivated or not: id, e-mail and language, by id. */
export function membersWithAnyRole(db: Executor, organizationId: string, roles: readonly string[]) {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id", "users.email", "users.preferred_language"])
    .where("memberships.organization_id", "=", organizationId)
    .where(sql<boolean>`memberships.roles && ${sql.val([...roles])}::text[]`)
    .orderBy("users.id")
    .execute();
}
