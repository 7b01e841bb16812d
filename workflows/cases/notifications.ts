/**
 * A user's in-app notifications (new case, finding raised or answered, decision, surveillance
 * due, certificate expiring, …). Written by the outbox (effects.ts); read and marked here. Every
 * function is scoped by the user: nobody reads or marks another user's notifications.
 */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import {
  countUnreadNotifications,
  insertNotificationsOnce,
  markNotificationReadByUser,
  markUnreadNotificationsRead,
  notificationsOfUser,
} from "../../db/repositories/notifications.ts";
import { insertOutboxRowsOnce } from "../../db/repositories/outbox.ts";
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
  const rows = await notificationsOfUser(db, userId, {
    unreadOnly: options.unreadOnly,
    limit: Math.min(options.limit ?? 50, 200),
    before: options.before,
  });
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
  return countUnreadNotifications(db, userId);
}

/** Marks one of the user's notifications read; false when it is not theirs (or does not exist). */
export async function markNotificationRead(db: Kysely<DB>, userId: string, notificationId: string): Promise<boolean> {
  if (!isUuid(notificationId)) return false;
  return markNotificationReadByUser(db, userId, notificationId);
}

export async function markAllNotificationsRead(db: Kysely<DB>, userId: string): Promise<number> {
  return markUnreadNotificationsRead(db, userId, new Date());
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
  await insertNotificationsOnce(
    trx,
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
  );
  await insertOutboxRowsOnce(
    trx,
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
  );
}
