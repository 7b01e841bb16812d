import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { toDecimalString } from "../../rules/format.ts";
import { Notice } from "../components/form.tsx";
import { CertifiedRecordPanel } from "../components/cases/certified-record.tsx";
import { DecisionPanel } from "../components/cases/decision-panel.tsx";
import { DocumentsPanel } from "../components/cases/documents.tsx";
import { EventForms, eventLabelKey, type EventFormData } from "../components/cases/event-forms.tsx";
import { CaseFormErrors, type CaseFormState } from "../components/cases/fields.tsx";
import { FindingsPanel } from "../components/cases/findings-panel.tsx";
import { AssessmentRecords, CaseSummary, EarlierCertificates, NeutralityClaim } from "../components/cases/records.tsx";
import { Timeline } from "../components/cases/timeline.tsx";
import { WAITING_KEYS } from "../components/cases/waiting.ts";
import { ConformancePanel } from "../components/footprint/conformance-panel.tsx";
import { ResultPanel } from "../components/footprint/result-panel.tsx";
import { checkFiles, readCaseUpload } from "../services/cases/attachments.server.ts";
import { findCaseParty, loadCasePage } from "../services/cases/case-page.server.ts";
import { dispatchCaseEvent } from "../services/cases/dispatch.server.ts";
import { UPLOAD_ACCEPT } from "../services/uploaded-files.server.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { readForm } from "../utils/read-form.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { formValues } from "../utils/forms.ts";
import { notFound } from "../utils/http.server.ts";
import { CASE_FILE_MAX_BYTES, megabytes } from "../utils/upload-limits.ts";
import { SupplyFlags } from "../components/certificates/supply-flags.tsx";
import { supplyChainFlagsForCase } from "../services/certificates/supply-chain.server.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d ? `${d.case.reference} · 碳标识认证平台 CarbonLabel` : "CarbonLabel" }];

const FINDING_DAYS = 30;

/**
 * One certification case for its two parties: summary, the actions this user may take now (and
 * only those), the decision criteria with their numbers, findings, the inspection and
 * verification records, documents and evidence, the inventory's footprint and conformance
 * report, and the timeline. Any other organization gets 404, as for a case that does not exist.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user, organizationId } = await requirePermission(request, "case:read");
  const now = new Date();
  const page = await loadCasePage(db, { userId: user.id, organizationId }, params.caseId, now);
  if (!page) throw notFound();
  const c = page.context;
  const per = `${page.case.declaredUnit.quantity} ${page.case.declaredUnit.unit}`;
  const forms: EventFormData = {
    team: page.team,
    currentTeam: c.team,
    onsiteRequired: c.onsiteRequired || c.labelType === "RC",
    pcr: `${c.pcr.code}@${c.pcr.version}`,
    today: now.toISOString().slice(0, 10),
    findingDueOn: new Date(now.getTime() + FINDING_DAYS * 86_400_000).toISOString().slice(0, 10),
    declaredValue: page.case.declaredValue,
    verifiedValue: c.verification ? toDecimalString(c.verification.kgCO2ePerDeclaredUnit) : null,
    per,
    claim: c.claim,
    credits: c.credits,
    renewal: page.renewal,
    accept: UPLOAD_ACCEPT,
    maxSize: megabytes(CASE_FILE_MAX_BYTES),
  };
  const done = new URL(request.url).searchParams.get("done");
  const supplyFlags = (await supplyChainFlagsForCase(db, c.caseId)).map((f) => ({
    number: f.certificate_number,
    status: f.certificate_status,
    since: f.raised_at.toISOString().slice(0, 10),
  }));
  return { ...page, per, forms, supplyFlags, done: done && eventLabelKey(done) ? done : null };
}

/**
 * Every change to a case: one event per post, named by `intent`, with the version the page
 * showed. The answer for a refused event names why, in the reader's language: 403 (not this
 * user's to do), 409 (not now, or the case changed meanwhile), 400 (a field breaks a rule).
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, organizationId, locale } = await requirePermission(request, "case:act");
  const page = await findCaseParty(db, organizationId, params.caseId);
  if (!page) throw notFound();

  let formData: FormData;
  let files: Awaited<ReturnType<typeof checkFiles>> = { ok: true, files: [] };
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    const upload = await readCaseUpload(request);
    if (!upload.ok) {
      const tooLarge = upload.reason === "tooLarge";
      return data<CaseFormState>(
        {
          event: "",
          errors: { files: tooLarge ? { key: "v.fileTooLarge", params: { max: megabytes(CASE_FILE_MAX_BYTES) } } : { key: "v.invalid" } },
          values: {},
        },
        { status: tooLarge ? 413 : 400 },
      );
    }
    formData = upload.formData;
    files = await checkFiles(formData);
  } else {
    formData = await readForm(request);
  }
  // Event payloads are stored as jsonb, which cannot hold NUL: a 400 naming the field, not a failed transition.
  refuseNulBytes(request, locale, { form: formData });
  const event = String(formData.get("intent") ?? "");
  const findingId = typeof formData.get("findingId") === "string" ? String(formData.get("findingId")) : undefined;
  const values = formValues(formData);
  if (!files.ok) return data<CaseFormState>({ event, findingId, errors: { files: { key: "v.fileType" } }, values }, { status: 415 });

  const outcome = await dispatchCaseEvent(db, { caseId: page.id, user: { id: user.id, organizationId }, formData, files: files.files });
  if (!outcome.ok) return data<CaseFormState>({ event: outcome.event, findingId, errors: outcome.errors, values }, { status: outcome.status });
  // A renewal opens a new case: that is where the applicant goes next.
  const target = outcome.result.renewalCaseId ?? page.id;
  throw redirect(`/cases/${target}?done=${outcome.event}`);
}

export default function CasePage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const text = (b: { zh: string; en: string }) => (locale === "en" ? b.en : b.zh);
  const c = page.case;
  const context = page.context;
  const doneKey = page.done ? eventLabelKey(page.done) : null;
  const state = actionData && "errors" in actionData ? actionData : undefined;
  const topError = state && !state.event ? state : undefined;
  return (
    <>
      <p className="small">
        <Link to="/cases">← {t("cases.title")}</Link>
      </p>
      <div className="title-row">
        <h1>
          {c.reference} · {text(c.product)} · {text(c.labelName)}
        </h1>
        <span className="tag" data-testid="case-state" data-state={c.state}>
          {text(c.stateLabel)}
        </span>
      </div>
      <p className="muted" data-testid="case-waiting" data-version={c.version}>
        {t(WAITING_KEYS[c.waitingFor])} · {t("case.version", { version: c.version })}
      </p>
      <SupplyFlags flags={page.supplyFlags} />
      {doneKey && !actionData ? <Notice>{t("case.done", { action: t(doneKey) })}</Notice> : null}
      <CaseFormErrors state={topError} />
      <EventForms events={page.actions.events} version={c.version} state={state} data={page.forms} />
      <CaseSummary summary={c} context={context} people={page.people} inventory={page.inventory} per={page.per} />
      <CertifiedRecordPanel record={page.record} per={page.per} />
      <DecisionPanel assessment={page.assessment} decision={context.decision} people={page.people} labelName={c.labelName} />
      <FindingsPanel
        caseId={c.id}
        findings={context.findings}
        files={page.attachments}
        people={page.people}
        may={page.actions.findings}
        version={c.version}
        state={state}
        accept={page.forms.accept}
        maxSize={page.forms.maxSize}
      />
      <AssessmentRecords context={context} people={page.people} per={page.per} />
      {c.labelType === "RC" ? <EarlierCertificates context={context} per={page.per} /> : null}
      {c.labelType === "CN" ? <NeutralityClaim context={context} credits={c.credits} per={page.per} /> : null}
      <DocumentsPanel caseId={c.id} files={page.attachments} evidence={page.evidence} />
      {page.footprint?.error ? (
        <p className="alert alert-error" role="alert">
          {t("res.error")}: {text(page.footprint.error)}
        </p>
      ) : null}
      {page.footprint?.result && page.footprint.presented ? (
        <ResultPanel result={page.footprint.result} presented={page.footprint.presented} lineLabels={page.footprint.lineLabels} />
      ) : null}
      {page.footprint?.conformance ? <ConformancePanel report={page.footprint.conformance} /> : null}
      <Timeline entries={page.history} people={page.people} stateLabels={page.stateLabels} per={page.per} />
    </>
  );
}
