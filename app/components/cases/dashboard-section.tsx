/**
 * The certification section of the dashboard (data from app/services/cases/dashboard.server.ts):
 * for a manufacturer its open applications and whom each waits for, its valid labels with
 * expiry dates and the findings to answer; for a certification body user the cases waiting for
 * each of their roles, state by state, those assigned to them, and the certificates in the body's
 * drift queue.
 */
import { Link } from "@remix-run/react";
import { useLocale, useT } from "../../utils/i18n-react.ts";
import { ROLE_KEYS, WAITING_KEYS, type WaitingFor } from "./waiting.ts";

type Bi = { zh: string; en: string };

export type CaseDashboardData =
  | {
      side: "applicant";
      open: { id: string; reference: string; product: Bi; label: Bi; stateLabel: Bi; waitingFor: WaitingFor; openFindings: number }[];
      labels: { number: string; caseId: string; label: Bi; product: Bi; validUntil: string }[];
      findings: { caseId: string; reference: string; product: Bi; id: string; severity: string; dueOn: string; overdue: boolean }[];
    }
  | {
      side: "cb";
      roles: { role: string; states: { state: string; label: Bi; count: number }[] }[];
      assigned: number;
      /** Valid certificates in the body's drift queue (a new factor dataset version moves them beyond tolerance). */
      drift: number;
    };

export function CaseDashboardSection({ data }: { data: CaseDashboardData }) {
  const t = useT();
  const locale = useLocale();
  const text = (b: Bi) => (locale === "en" ? b.en : b.zh);
  if (data.side === "cb") {
    return (
      <section className="card" aria-labelledby="dash-cases-title" data-testid="dashboard-cases">
        <h2 id="dash-cases-title">{t("dash.cases.inbox")}</h2>
        {data.roles.map((r) => (
          <div key={r.role} data-role={r.role}>
            <h3>{t(ROLE_KEYS[r.role] ?? "cases.title")}</h3>
            <ul className="plain">
              {r.states.map((s) => (
                <li key={s.state} data-state={s.state}>
                  <Link to={`/cases?state=${s.state}`}>{text(s.label)}</Link>: <strong>{s.count}</strong>
                </li>
              ))}
            </ul>
          </div>
        ))}
        <p>
          <Link to="/cases?mine=1">{t("cases.assignedToMe")}</Link>: <strong data-testid="dash-assigned">{data.assigned}</strong>
        </p>
        <p>
          <Link to="/cases/drift">{t("nav.drift")}</Link>: <strong data-testid="dash-drift">{data.drift}</strong>
        </p>
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="dash-cases-title" data-testid="dashboard-cases">
      <h2 id="dash-cases-title">{t("dash.cases.applications")}</h2>
      {data.open.length === 0 ? (
        <p className="muted">{t("dash.cases.noOpen")}</p>
      ) : (
        <ul className="plain">
          {data.open.map((c) => (
            <li key={c.id} data-case={c.id}>
              <Link to={`/cases/${c.id}`}>{c.reference}</Link> · {text(c.product)} · {text(c.label)} · {text(c.stateLabel)} —{" "}
              {t(WAITING_KEYS[c.waitingFor])}
            </li>
          ))}
        </ul>
      )}
      <h3>{t("dash.cases.findings")}</h3>
      {data.findings.length === 0 ? (
        <p className="muted">{t("dash.cases.noFindings")}</p>
      ) : (
        <ul className="plain" data-testid="dash-findings">
          {data.findings.map((f) => (
            <li key={`${f.caseId}:${f.id}`}>
              <Link to={`/cases/${f.caseId}#finding-${f.id}`}>
                {f.reference} · {f.id}
              </Link>{" "}
              · {text(f.product)} · {t(f.severity === "major" ? "case.severity.major" : "case.severity.minor")} ·{" "}
              {t("cases.dueOn", { date: f.dueOn })}
              {f.overdue ? ` · ${t("case.finding.overdue")}` : ""}
            </li>
          ))}
        </ul>
      )}
      <h3>{t("dash.cases.labels")}</h3>
      {data.labels.length === 0 ? (
        <p className="muted">{t("dash.cases.noLabels")}</p>
      ) : (
        <ul className="plain" data-testid="dash-labels">
          {data.labels.map((l) => (
            <li key={l.number}>
              <Link to={`/cases/${l.caseId}`}>{l.number}</Link> · {text(l.product)} · {text(l.label)} ·{" "}
              {t("cases.validUntil", { date: l.validUntil })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
