import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { listNotifications, markAllNotificationsRead, markNotificationRead, unreadNotificationCount } from "../../workflows/cases/index.ts";
import { When } from "../components/cases/when.tsx";
import type { MessageKey } from "../i18n/index.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { readForm } from "../utils/read-form.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { notFound } from "../utils/http.server.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";

const TOPIC_KEYS: Record<string, MessageKey> = {
  case_submitted: "notif.topic.case_submitted",
  case_accepted: "notif.topic.case_accepted",
  case_declined: "notif.topic.case_declined",
  team_assigned: "notif.topic.team_assigned",
  finding_raised: "notif.topic.finding_raised",
  finding_answered: "notif.topic.finding_answered",
  finding_overdue: "notif.topic.finding_overdue",
  ready_for_decision: "notif.topic.ready_for_decision",
  decision_granted: "notif.topic.decision_granted",
  decision_refused: "notif.topic.decision_refused",
  application_withdrawn: "notif.topic.application_withdrawn",
  surveillance_due: "notif.topic.surveillance_due",
  certificate_suspended: "notif.topic.certificate_suspended",
  certificate_restored: "notif.topic.certificate_restored",
  certificate_withdrawn: "notif.topic.certificate_withdrawn",
  certificate_expired: "notif.topic.certificate_expired",
  certificate_expiring: "notif.topic.certificate_expiring",
  renewal_requested: "notif.topic.renewal_requested",
  // certificates: a cited supplier certificate stopped being valid (workflows/certificates/supply-chain.ts)
  supplier_certificate_flagged: "notif.topic.supplier_certificate_flagged",
};

/**
 * The signed-in user's notifications, newest first (new case, finding raised or answered,
 * decision, surveillance due, certificate expiring…), each linking to its case; mark one or all
 * read. Nobody reads or marks another user's notifications.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await requirePermission(request, "notification:read");
  const unreadOnly = new URL(request.url).searchParams.get("unread") === "1";
  const items = await listNotifications(db, user.id, { unreadOnly, limit: 100 });
  const unread = await unreadNotificationCount(db, user.id);
  return { items, unread, unreadOnly };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user, locale } = await requirePermission(request, "notification:read");
  const form = await readForm(request);
  // PostgreSQL text cannot hold NUL: a 400 naming the field, not a failed insert.
  refuseNulBytes(request, locale, { form });
  const intent = form.get("intent");
  const back = form.get("unread") === "1" ? "/notifications?unread=1" : "/notifications";
  if (intent === "read") {
    if (!(await markNotificationRead(db, user.id, String(form.get("id") ?? "")))) throw notFound();
    throw redirect(back);
  }
  if (intent === "read-all") {
    await markAllNotificationsRead(db, user.id);
    throw redirect(back);
  }
  return data({ error: "v.invalid" as const }, { status: 400 });
}

export default function Notifications() {
  const { items, unread, unreadOnly } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <div className="title-row">
        <h1>{t("notif.title")}</h1>
        {unread > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="read-all" />
            {unreadOnly ? <input type="hidden" name="unread" value="1" /> : null}
            <button type="submit" className="secondary">
              {t("notif.readAll")}
            </button>
          </Form>
        ) : null}
      </div>
      <p>
        <span data-testid="notif-unread">{t("notif.unreadCount", { count: unread })}</span> ·{" "}
        {unreadOnly ? <Link to="/notifications">{t("notif.showAll")}</Link> : <Link to="/notifications?unread=1">{t("notif.showUnread")}</Link>}
      </p>
      {items.length === 0 ? (
        <p className="card muted">{unreadOnly ? t("notif.noneUnread") : t("notif.none")}</p>
      ) : (
        <ul className="card plain notifications" data-testid="notifications">
          {items.map((n) => (
            <li key={n.id} data-topic={n.topic} data-read={n.readAt ? "true" : "false"} className={n.readAt ? "muted" : undefined}>
              <p>
                {n.readAt ? null : <span className="tag">{t("notif.new")}</span>}{" "}
                <strong>{TOPIC_KEYS[n.topic] ? t(TOPIC_KEYS[n.topic]!) : n.topic}</strong> · <When at={n.createdAt} />
              </p>
              <p>{locale === "en" ? n.message.en : n.message.zh}</p>
              <div className="row-actions">
                {n.caseId ? <Link to={`/cases/${n.caseId}`}>{t("notif.openCase")}</Link> : null}
                {n.readAt ? null : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="read" />
                    <input type="hidden" name="id" value={n.id} />
                    {unreadOnly ? <input type="hidden" name="unread" value="1" /> : null}
                    <button type="submit" className="secondary small-button">
                      {t("notif.markRead")}
                    </button>
                  </Form>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
