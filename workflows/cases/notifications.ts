/**
 * A user's in-app notifications (new case, finding raised or answered, decision, surveillance
 * due, certificate expiring, …). Written by the outbox (effects.ts); read and marked here. Every
 * function is scoped by the user: nobody reads or marks another user's notifications.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import { isUuid } from "./actors.ts";

export interface NotificationItem {
  readonly id: string;
  readonly topic: string;
  readonly caseId: string | null;
  readonly message: { readonly zh: string; readonly en: string };
  readonly createdAt: Date;
  readonly readAt: Date | null;
}

export async function listNotifications(
  db: Kysely<DB>,
  userId: string,
  options: { unreadOnly?: boolean; limit?: number; before?: Date } = {},
): Promise<NotificationItem[]> {
  let query = db
    .selectFrom("notifications")
    .select(["id", "topic", "case_id", "message_zh", "message_en", "created_at", "read_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(Math.min(options.limit ?? 50, 200));
  if (options.unreadOnly) query = query.where("read_at", "is", null);
  if (options.before) query = query.where("created_at", "<", options.before);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    topic: r.topic,
    caseId: r.case_id,
    message: { zh: r.message_zh, en: r.message_en },
    createdAt: r.created_at,
    readAt: r.read_at,
  }));
}

export async function unreadNotificationCount(db: Kysely<DB>, userId: string): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Marks one of the user's notifications read; false when it is not theirs (or does not exist). */
export async function markNotificationRead(db: Kysely<DB>, userId: string, notificationId: string): Promise<boolean> {
  if (!isUuid(notificationId)) return false;
  const result = await db
    .updateTable("notifications")
    .set({ read_at: sql`coalesce(read_at, now())` })
    .where("id", "=", notificationId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markAllNotificationsRead(db: Kysely<DB>, userId: string): Promise<number> {
  const result = await db
    .updateTable("notifications")
    .set({ read_at: new Date() })
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A user as notifications reach them: in the app, and by e-mail in their language first. */
export interface NotifiedUser {
  readonly id: string;
  readonly email: string;
  readonly preferred_language: string;
}

/**
 * Writes one in-app notification per user and queues one e-mail each (outbox `email.send`),
 * both keyed by `sourceKey` so a rerun of the effect that raised them adds nothing.
 */
export async function writeNotifications(
  trx: Transaction<DB>,
  users: readonly NotifiedUser[],
  n: {
    readonly organizationId: string;
    readonly topic: string;
    readonly caseId: string | null;
    readonly message: { readonly zh: string; readonly en: string };
    readonly sourceKey: string;
    /** When the event it reports happened. */
    readonly at: Date | string;
    /** When the e-mails may first be sent. */
    readonly now: Date;
  },
): Promise<void> {
  if (users.length === 0) return;
  const { zh, en } = n.message;
  await trx
    .insertInto("notifications")
    .values(
      users.map((u) => ({
        user_id: u.id,
        organization_id: n.organizationId,
        topic: n.topic,
        case_id: n.caseId,
        message_zh: zh,
        message_en: en,
        source_key: n.sourceKey,
        created_at: n.at,
      })),
    )
    .onConflict((oc) => oc.columns(["source_key", "user_id"]).doNothing())
    .execute();
  await trx
    .insertInto("outbox")
    .values(
      users.map((u) => {
        const zhFirst = u.preferred_language === "zh-CN";
        return {
          effect_type: "email.send",
          case_id: n.caseId,
          next_attempt_at: n.now,
          idempotency_key: `${n.sourceKey}:email:${u.id}`,
          payload: JSON.stringify({
            userId: u.id,
            to: u.email,
            subject: `[CarbonLabel] ${zhFirst ? zh : en}`,
            text: zhFirst ? `${zh}\n\n${en}` : `${en}\n\n${zh}`,
          }),
        };
      }),
    )
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .execute();
}
