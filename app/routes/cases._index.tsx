import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ROLE_KEYS, WAITING_KEYS } from "../components/cases/waiting.ts";
import type { MessageKey } from "../i18n/index.ts";
import { loadInbox, parseInboxQuery } from "../services/cases/inbox.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";
import { ListTable, numeric } from "../components/data-table.tsx";

const LABEL_KEYS: Record<string, MessageKey> = {
  CF: "home.label.CF.name",
  LC: "home.label.LC.name",
  RC: "home.label.RC.name",
  CN: "home.label.CN.name",
};

/**
 * The inbox: a certification body's cases (or a manufacturer's applications) with counts by
 * state and by the viewer's roles, filters (state, label type, role, assigned to me) and search
 * by product, applicant or reference.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user, organizationId, can, locale } = await requirePermission(request, "case:read");
  // A NUL in the search or a filter would reach PostgreSQL (a 500); refuse it as bad input.
  refuseNulBytes(request, locale);
  const url = new URL(request.url);
  const query = parseInboxQuery(url, user.roles);
  const inbox = await loadInbox(db, { userId: user.id, organizationId, roles: user.roles }, query);
  return {
    ...inbox,
    query,
    side: user.organization.kind === "certification_body" ? ("cb" as const) : ("applicant" as const),
    canApply: can("case:apply"),
  };
}

export default function Inbox() {
  const { byState, byRole, assigned, total, items, query, side, canApply, hasNext } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const text = (b: { zh: string; en: string }) => (locale === "en" ? b.en : b.zh);
  const href = (change: Record<string, string | null>) => {
    const params = new URLSearchParams();
    const merged: Record<string, string | null> = {
      state: query.state,
      label: query.labelType,
      role: query.role,
      mine: query.mine ? "1" : null,
      q: query.q || null,
      page: null,
      ...change,
    };
    for (const [k, v] of Object.entries(merged)) if (v) params.set(k, v);
    const s = params.toString();
    return s ? `?${s}` : ".";
  };
  return (
    <>
      <div className="title-row">
        <h1>{side === "cb" ? t("cases.title") : t("cases.myApplications")}</h1>
        {canApply ? (
          <Link className="button" to="/cases/new">
            {t("cases.apply")}
          </Link>
        ) : null}
      </div>
      <section className="card" aria-labelledby="counts-title" data-testid="inbox-counts">
        <h2 id="counts-title" className="sr-only">
          {t("cases.counts")}
        </h2>
        <p>
          <Link to={href({ state: null, role: null, mine: null })} aria-current={!query.state && !query.role && !query.mine ? "page" : undefined}>
            {t("cases.all")} ({total})
          </Link>
          {byState.map((s) => (
            <span key={s.state}>
              {" · "}
              <Link to={href({ state: s.state, role: null })} data-state={s.state} aria-current={query.state === s.state ? "page" : undefined}>
                {text(s.label)} ({s.count})
              </Link>
            </span>
          ))}
        </p>
        {byRole.length > 0 ? (
          <p data-testid="role-counts">
            {t("cases.forRole")}:{" "}
            {byRole.map((r, i) => (
              <span key={r.role}>
                {i > 0 ? " · " : ""}
                <Link to={href({ role: r.role, state: null })} data-role={r.role} aria-current={query.role === r.role ? "page" : undefined}>
                  {t(ROLE_KEYS[r.role] ?? "cases.all")} ({r.count})
                </Link>
              </span>
            ))}
            {assigned !== null ? (
              <>
                {" · "}
                <Link to={href({ mine: "1" })} aria-current={query.mine ? "page" : undefined} data-testid="assigned-count">
                  {t("cases.assignedToMe")} ({assigned})
                </Link>
              </>
            ) : null}
          </p>
        ) : null}
      </section>
      <Form method="get" className="filters card" role="search">
        <label className="sr-only" htmlFor="q">
          {t("cases.search")}
        </label>
        <input id="q" type="search" name="q" defaultValue={query.q} placeholder={t("cases.search")} maxLength={100} />
        <label className="sr-only" htmlFor="label">
          {t("case.label")}
        </label>
        <select id="label" name="label" defaultValue={query.labelType ?? ""}>
          <option value="">
            {t("case.label")}: {t("cases.all")}
          </option>
          {(["CF", "LC", "RC", "CN"] as const).map((l) => (
            <option key={l} value={l}>
              {l} · {t(LABEL_KEYS[l]!)}
            </option>
          ))}
        </select>
        {query.state ? <input type="hidden" name="state" value={query.state} /> : null}
        {query.role ? <input type="hidden" name="role" value={query.role} /> : null}
        {assigned !== null ? (
          <label className="checkbox">
            <input type="checkbox" name="mine" value="1" defaultChecked={query.mine} /> {t("cases.assignedToMe")}
          </label>
        ) : null}
        <button type="submit" className="secondary">
          {t("products.filter")}
        </button>
      </Form>
      <ListTable
        rows={items}
        empty={
          <p className="card muted" data-testid="inbox-empty">
            {t("cases.none")}
          </p>
        }
        card
        testId="inbox"
        columns={[
          t("cases.reference"),
          t("case.product"),
          t("case.label"),
          side === "cb" ? t("case.applicant") : t("case.cb"),
          t("cases.state"),
          numeric(t("case.declaredValue")),
          t("case.team"),
          t("cases.updated"),
        ]}
        row={(c) => (
          <tr key={c.id} data-case={c.id} data-state={c.state}>
            <td>
              <Link to={`/cases/${c.id}`}>{c.reference}</Link>
            </td>
            <td>
              {text(c.product)}
              <div className="muted small">{c.pcr}</div>
            </td>
            <td>{c.labelType}</td>
            <td>{text(side === "cb" ? c.applicant : c.cb)}</td>
            <td>
              {text(c.stateLabel)}
              <div className="muted small">{t(WAITING_KEYS[c.waitingFor])}</div>
              {c.openFindings > 0 ? (
                <div className="small">
                  {t("cases.openFindings", { count: c.openFindings })}
                  {c.nextFindingDueOn ? ` · ${t("cases.dueOn", { date: c.nextFindingDueOn })}` : ""}
                </div>
              ) : null}
              {c.certificate ? (
                <div className="small">
                  {c.certificate.number}
                  {c.certificate.validUntil ? ` · ${t("cases.validUntil", { date: c.certificate.validUntil })}` : ""}
                </div>
              ) : null}
            </td>
            <td className="num">
              {c.declared.value} kgCO₂e / {c.declared.per}
            </td>
            <td className="small">
              {[c.team.reviewer, c.team.inspector, c.team.verifier].filter(Boolean).join("、") || "—"}
              {c.team.decider ? <div className="muted">{c.team.decider}</div> : null}
            </td>
            <td className="small">{new Date(c.updatedAt).toISOString().slice(0, 10)}</td>
          </tr>
        )}
      />
      {query.page > 1 || hasNext ? (
        <p>
          {query.page > 1 ? <Link to={href({ page: String(query.page - 1) })}>← {t("cases.previous")}</Link> : null}{" "}
          {hasNext ? <Link to={href({ page: String(query.page + 1) })}>{t("cases.next")} →</Link> : null}
        </p>
      ) : null}
    </>
  );
}
