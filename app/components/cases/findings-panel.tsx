/**
 * Findings of a case: what was found, against which clause, by whom and by when it must be
 * answered; the applicant's answer with its files; who closed it. The applicant answers here (text
 * and files) and the assessment team closes here, each only where the server allows it.
 */
import type { Finding } from "../../../workflows/certification/types.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { useT } from "../../utils/i18n-react.ts";
import { EventForm } from "./event-forms.tsx";
import { CaseFiles, CaseTextArea, type CaseFormState } from "./fields.tsx";
import { FileLink, type CaseFile } from "./documents.tsx";
import { When } from "./when.tsx";

const STATUS_KEYS: Record<Finding["status"], MessageKey> = {
  open: "case.finding.open",
  answered: "case.finding.answered",
  closed: "case.finding.closed",
};
export const STAGE_KEYS: Record<Finding["stage"], MessageKey> = {
  document_review: "case.stage.document_review",
  onsite_inspection: "case.stage.onsite_inspection",
  footprint_verification: "case.stage.footprint_verification",
};

export function FindingsPanel({
  caseId,
  findings,
  files,
  people,
  may,
  version,
  state,
  accept,
  maxSize,
}: {
  caseId: string;
  findings: readonly Finding[];
  files: readonly CaseFile[];
  people: Record<string, string>;
  may: { answer: readonly string[]; close: readonly string[] };
  version: number;
  state?: CaseFormState;
  accept: string;
  maxSize: string;
}) {
  const t = useT();
  const name = (id: string) => people[id] ?? id;
  const stateOf = (event: string, findingId: string) => (state && state.event === event && state.findingId === findingId ? state : undefined);
  return (
    <section className="card" aria-labelledby="findings-title" data-testid="findings">
      <h2 id="findings-title">{t("case.findings")}</h2>
      {findings.length === 0 ? <p className="muted">{t("case.noFindings")}</p> : null}
      {findings.map((f) => {
        const answerFiles = files.filter((file) => f.answer?.attachmentIds.includes(file.id));
        return (
          <article key={f.id} className="finding" data-finding={f.id} data-status={f.status} aria-labelledby={`finding-${f.id}`}>
            <h3 id={`finding-${f.id}`}>
              {f.id} · {t(f.severity === "major" ? "case.severity.major" : "case.severity.minor")}{" "}
              <span className="tag" data-testid="finding-status">
                {t(STATUS_KEYS[f.status])}
              </span>
              {f.overdue ? <span className="tag">{t("case.finding.overdue")}</span> : null}
            </h3>
            <dl className="facts">
              <dt>{t("case.f.clause")}</dt>
              <dd>{f.clause}</dd>
              <dt>{t("case.finding.stage")}</dt>
              <dd>{t(STAGE_KEYS[f.stage])}</dd>
              <dt>{t("case.finding.raised")}</dt>
              <dd>
                {name(f.raisedBy)} · <When at={f.raisedAt} />
              </dd>
              <dt>{t("case.f.dueOn")}</dt>
              <dd>{f.dueOn}</dd>
            </dl>
            <p className="finding-text">{f.text}</p>
            {f.answer ? (
              <div className="finding-answer">
                <h4>{t("case.finding.answer")}</h4>
                <p>{f.answer.text}</p>
                {answerFiles.length > 0 ? (
                  <ul className="plain small">
                    {answerFiles.map((file) => (
                      <li key={file.id}>
                        <FileLink caseId={caseId} file={file} />
                      </li>
                    ))}
                  </ul>
                ) : null}
                <p className="muted small">
                  {name(f.answer.by)} · <When at={f.answer.at} />
                </p>
              </div>
            ) : null}
            {f.closed ? (
              <p className="muted small">
                {t("case.finding.closedBy", { name: name(f.closed.by) })} · <When at={f.closed.at} />
                {f.closed.note ? ` · ${f.closed.note}` : ""}
              </p>
            ) : null}
            {may.answer.includes(f.id) ? (
              <EventForm event="ANSWER_FINDING" version={version} state={stateOf("ANSWER_FINDING", f.id)} multipart extra={{ findingId: f.id }}>
                <CaseTextArea
                  form={`answer-${f.id}`}
                  name="text"
                  label={t("case.f.answerText")}
                  state={stateOf("ANSWER_FINDING", f.id)}
                  maxLength={4000}
                  rows={4}
                  required
                />
                <CaseFiles
                  form={`answer-${f.id}`}
                  name="files"
                  label={t("case.f.answerFiles")}
                  state={stateOf("ANSWER_FINDING", f.id)}
                  accept={accept}
                  multiple
                  hint={t("case.f.answerFilesHint", { max: maxSize })}
                />
              </EventForm>
            ) : null}
            {may.close.includes(f.id) ? (
              <EventForm event="CLOSE_FINDING" version={version} state={stateOf("CLOSE_FINDING", f.id)} extra={{ findingId: f.id }}>
                <CaseTextArea
                  form={`close-${f.id}`}
                  name="note"
                  label={t("case.f.noteOptional")}
                  state={stateOf("CLOSE_FINDING", f.id)}
                  maxLength={2000}
                  rows={2}
                />
              </EventForm>
            ) : null}
          </article>
        );
      })}
    </section>
  );
}
