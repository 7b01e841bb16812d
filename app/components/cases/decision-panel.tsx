/**
 * The decision page's core: every criterion of the label type and of the process, passed or
 * failed, with the numbers it was judged on. Before the decision it is the assessment a decision
 * taken now would rest on (the same function guards GRANT); after, the assessment as decided.
 */
import type { Decision, GrantAssessment } from "../../../workflows/certification/types.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { useLocale, useT } from "../../utils/i18n-react.ts";
import { When } from "./when.tsx";
import { DataTable } from "../data-table.tsx";

const CRITERION_KEYS: Record<string, MessageKey> = {
  pcr_known: "case.criterion.pcr_known",
  verified_footprint: "case.criterion.verified_footprint",
  conformance: "case.criterion.conformance",
  benchmark_exists: "case.criterion.benchmark_exists",
  benchmark: "case.criterion.benchmark",
  earlier_certificates: "case.criterion.earlier_certificates",
  reduction: "case.criterion.reduction",
  reduction_report: "case.criterion.reduction_report",
  claim_period: "case.criterion.claim_period",
  credit_serials: "case.criterion.credit_serials",
  credit_retirement_deadline: "case.criterion.credit_retirement_deadline",
  credit_vintage: "case.criterion.credit_vintage",
  coverage: "case.criterion.coverage",
  management_plan: "case.criterion.management_plan",
  findings_closed: "case.criterion.findings_closed",
  onsite_inspection: "case.criterion.onsite_inspection",
};

export function DecisionPanel({
  assessment,
  decision,
  people,
  labelName,
}: {
  assessment: GrantAssessment;
  decision: Decision | null;
  people: Record<string, string>;
  labelName: { zh: string; en: string };
}) {
  const t = useT();
  const locale = useLocale();
  const text = (b: { zh: string; en: string }) => (locale === "en" ? b.en : b.zh);
  const rows = [
    ...assessment.label.criteria.map((c) => ({ ...c, group: "label" as const })),
    ...assessment.process.map((c) => ({ ...c, group: "process" as const })),
  ];
  const grade = assessment.label.grade;
  return (
    <section className="card" aria-labelledby="decision-title" data-testid="decision">
      <h2 id="decision-title">{t("case.decision")}</h2>
      {decision ? (
        <p
          className={decision.outcome === "granted" ? "alert alert-success" : "alert alert-warn"}
          data-testid="decision-outcome"
          data-outcome={decision.outcome}
        >
          {t(decision.outcome === "granted" ? "case.decision.granted" : "case.decision.refused", {
            name: people[decision.decidedBy] ?? decision.decidedBy,
          })}{" "}
          · <When at={decision.decidedAt} />
          {decision.reason ? ` · ${decision.reason}` : ""}
        </p>
      ) : (
        <p
          className={assessment.eligible ? "alert alert-success" : "alert alert-warn"}
          data-testid="decision-eligible"
          data-eligible={assessment.eligible}
        >
          {assessment.eligible ? t("case.decision.eligible", { label: text(labelName) }) : t("case.decision.notEligible", { label: text(labelName) })}
        </p>
      )}
      <p className="muted small">
        {t("case.decision.basis", { pcr: assessment.label.pcr })} · <When at={assessment.assessedAt} />
      </p>
      <div className="table-wrap">
        <DataTable columns={[t("case.criterion"), t("case.criterion.result"), t("case.criterion.detail")]}>
          {rows.map((c) => {
            const key = CRITERION_KEYS[c.id];
            return (
              <tr key={`${c.group}:${c.id}`} data-criterion={c.id} data-passed={c.passed}>
                <th scope="row">
                  {key ? t(key) : c.id}
                  <div className="muted small">{t(c.group === "label" ? "case.criterion.label" : "case.criterion.process")}</div>
                </th>
                <td>
                  <span aria-hidden="true">{c.passed ? "✓ " : "✗ "}</span>
                  {t(c.passed ? "case.criterion.pass" : "case.criterion.fail")}
                </td>
                <td>
                  {text(c.message)}
                  {c.values && Object.keys(c.values).length > 0 ? (
                    <div className="muted small">
                      {Object.entries(c.values)
                        .map(([k, v]) => `${k} = ${v}`)
                        .join(" · ")}
                    </div>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </DataTable>
      </div>
      {grade ? (
        <p data-testid="grade">
          {t("case.grade")}: {grade.grade ?? "—"} · {text(grade.label)}
          {grade.demonstration ? ` · ${t("case.demonstration")}` : ""}
        </p>
      ) : null}
    </section>
  );
}
