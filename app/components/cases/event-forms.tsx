/**
 * The actions of a case page: one form per event this user may send now, and no other. The list
 * comes from the server (the statechart's answer for this user, narrowed by the server's own duty
 * checks), so a button is shown exactly when pressing it would be accepted. Every form carries
 * the case version the page showed; a stale page gets "this case changed, reload" instead of
 * acting on a case its user has not seen.
 *
 * Answering and closing findings are per finding and live with each finding (findings-panel.tsx).
 */
import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, useSyncExternalStore, type FormEvent, type ReactNode } from "react";
import type { Message, MessageKey } from "../../i18n/index.ts";
import {
  CREDIT_COLUMNS,
  CREDIT_ROWS_MAX,
  CREDITS_MAX,
  EVENT_FORM_SCHEMAS,
  eventFormErrors,
  RecordCreditsSchema,
  type CreditColumn,
} from "../../utils/case-forms.ts";
import type { FieldErrors } from "../../utils/forms.ts";
import { useMessage, useT } from "../../utils/i18n-react.ts";
import { formValue, useConformForm, useValidatedForm } from "../form.tsx";
import { CaseFiles, CaseFormErrors, CaseInput, CaseSelect, CaseTextArea, type CaseFormState } from "./fields.tsx";

export const ATTACHMENT_KIND_KEYS = {
  inventory_report: "case.kind.inventory_report",
  reduction_measures_report: "case.kind.reduction_measures_report",
  management_plan: "case.kind.management_plan",
  credit_retirement_proof: "case.kind.credit_retirement_proof",
  evidence: "case.kind.evidence",
} as const satisfies Record<string, MessageKey>;

export const EVENT_KEYS = {
  OPEN: "case.event.OPEN",
  SUBMIT: "case.event.SUBMIT",
  ATTACH_DOCUMENT: "case.event.ATTACH_DOCUMENT",
  RECORD_CREDITS: "case.event.RECORD_CREDITS",
  ANSWER_FINDING: "case.event.ANSWER_FINDING",
  WITHDRAW_APPLICATION: "case.event.WITHDRAW_APPLICATION",
  RENEW: "case.event.RENEW",
  ACCEPT: "case.event.ACCEPT",
  DECLINE: "case.event.DECLINE",
  ASSIGN_TEAM: "case.event.ASSIGN_TEAM",
  ASSIGN_DECIDER: "case.event.ASSIGN_DECIDER",
  START_REVIEW: "case.event.START_REVIEW",
  RAISE_FINDING: "case.event.RAISE_FINDING",
  CLOSE_FINDING: "case.event.CLOSE_FINDING",
  COMPLETE_REVIEW: "case.event.COMPLETE_REVIEW",
  RECORD_INSPECTION: "case.event.RECORD_INSPECTION",
  RECORD_VERIFICATION: "case.event.RECORD_VERIFICATION",
  COMPLETE_VERIFICATION: "case.event.COMPLETE_VERIFICATION",
  GRANT: "case.event.GRANT",
  REFUSE: "case.event.REFUSE",
  SURVEILLANCE_PASSED: "case.event.SURVEILLANCE_PASSED",
  SUSPEND: "case.event.SUSPEND",
  RESTORE: "case.event.RESTORE",
  WITHDRAW: "case.event.WITHDRAW",
  SURVEILLANCE_DUE: "case.event.SURVEILLANCE_DUE",
  EXPIRE: "case.event.EXPIRE",
  FINDING_OVERDUE: "case.event.FINDING_OVERDUE",
  SUPERSEDE: "case.event.SUPERSEDE",
} as const satisfies Record<string, MessageKey>;

export function eventLabelKey(type: string): MessageKey | null {
  return (EVENT_KEYS as Record<string, MessageKey>)[type] ?? null;
}

/** Events that are a plain button; those with a reason, a note or data have their own fields below. */
const PLAIN = new Set(["SUBMIT", "ACCEPT", "START_REVIEW", "COMPLETE_REVIEW", "COMPLETE_VERIFICATION"]);
const WITH_REASON = new Set(["DECLINE", "REFUSE", "SUSPEND", "WITHDRAW", "WITHDRAW_APPLICATION"]);
const WITH_NOTE = new Set(["GRANT", "SURVEILLANCE_PASSED", "RESTORE"]);
/** Answer and close belong to a finding. */
const PER_FINDING = new Set(["ANSWER_FINDING", "CLOSE_FINDING"]);

interface Person {
  id: string;
  name: string;
}

export interface EventFormData {
  team: { reviewer: Person[]; inspector: Person[]; verifier: Person[]; decider: Person[] } | null;
  currentTeam: { reviewer: string | null; inspector: string | null; verifier: string | null; decider: string | null };
  onsiteRequired: boolean;
  pcr: string;
  today: string;
  findingDueOn: string;
  /** Exact decimal strings, kg CO2e per declared unit. */
  declaredValue: string;
  verifiedValue: string | null;
  per: string;
  claim: { period: { start: string; end: string }; quantity: number } | null;
  credits: ReadonlyArray<{
    registry: string;
    programme: string;
    serialPrefix: string;
    first: number;
    last: number;
    vintage: number;
    retiredOn: string;
  }>;
  renewal: ReadonlyArray<{ id: string; version: number; pcr_version: string; period_start: string; period_end: string }> | null;
  accept: string;
  maxSize: string;
}

/** One event's form: hidden intent and version, its fields, and its button. */
export function EventForm({
  event,
  version,
  state,
  multipart,
  extra,
  children,
  className,
  formProps,
}: {
  /** Conform's id, noValidate and submit handler when the form has a schema. */
  formProps?: { id: string; noValidate: boolean; onSubmit: (event: FormEvent<HTMLFormElement>) => void };
  event: string;
  version: number;
  state?: CaseFormState;
  multipart?: boolean;
  extra?: Record<string, string>;
  children?: ReactNode;
  className?: string;
}) {
  const t = useT();
  const navigation = useNavigation();
  const key = eventLabelKey(event);
  const busy =
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === event &&
    (!extra?.findingId || navigation.formData?.get("findingId") === extra.findingId);
  const mine = state && state.event === event && (state.findingId ?? "") === (extra?.findingId ?? "") ? state : undefined;
  return (
    <Form
      method="post"
      encType={multipart ? "multipart/form-data" : undefined}
      className={className ?? "stack event-form"}
      data-event={event}
      data-finding={extra?.findingId}
      preventScrollReset
      noValidate
      {...formProps}
    >
      <input type="hidden" name="intent" value={event} />
      <input type="hidden" name="version" value={version} />
      {Object.entries(extra ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <CaseFormErrors state={mine} />
      {children}
      <div>
        <button type="submit" disabled={busy}>
          {key ? t(key) : event}
        </button>
      </div>
    </Form>
  );
}

/** The state a form shows: the action's answer when it was this form's. */
function stateFor(state: CaseFormState | undefined, event: string): CaseFormState | undefined {
  return state && state.event === event && !state.findingId ? state : undefined;
}

function Fields({ event, data, state }: { event: string; data: EventFormData; state?: CaseFormState }) {
  const t = useT();
  const s = stateFor(state, event);
  const people = (list: Person[] | undefined, optional: boolean) => [
    ...(optional ? [{ value: "", label: t("case.f.none") }] : [{ value: "", label: t("case.f.choose") }]),
    ...(list ?? []).map((p) => ({ value: p.id, label: p.name })),
  ];
  if (WITH_REASON.has(event)) return <CaseTextArea form={event} name="reason" label={t("case.f.reason")} state={s} maxLength={2000} required />;
  if (WITH_NOTE.has(event)) return <CaseTextArea form={event} name="note" label={t("case.f.noteOptional")} state={s} maxLength={2000} />;
  switch (event) {
    case "ASSIGN_TEAM":
      return (
        <>
          <CaseSelect
            form={event}
            name="reviewer"
            label={t("case.f.reviewer")}
            options={people(data.team?.reviewer, false)}
            state={s}
            defaultValue={data.currentTeam.reviewer}
          />
          <CaseSelect
            form={event}
            name="inspector"
            label={t("case.f.inspector")}
            options={people(data.team?.inspector, !data.onsiteRequired)}
            state={s}
            defaultValue={data.currentTeam.inspector}
            hint={data.onsiteRequired ? t("case.f.inspectorRequired") : t("case.f.inspectorOptional")}
          />
          <CaseSelect
            form={event}
            name="verifier"
            label={t("case.f.verifier")}
            options={people(data.team?.verifier, false)}
            state={s}
            defaultValue={data.currentTeam.verifier}
          />
        </>
      );
    case "ASSIGN_DECIDER":
      return (
        <CaseSelect
          form={event}
          name="decider"
          label={t("case.f.decider")}
          options={people(data.team?.decider, false)}
          state={s}
          defaultValue={data.currentTeam.decider}
          hint={t("case.f.deciderHint")}
        />
      );
    case "RAISE_FINDING":
      return (
        <>
          <CaseSelect
            form={event}
            name="severity"
            label={t("case.f.severity")}
            options={[
              { value: "minor", label: t("case.severity.minor") },
              { value: "major", label: t("case.severity.major") },
            ]}
            state={s}
          />
          <CaseInput form={event} name="clause" label={t("case.f.clause")} state={s} defaultValue={`${data.pcr} §`} maxLength={200} required />
          <CaseTextArea form={event} name="text" label={t("case.f.findingText")} state={s} maxLength={4000} required />
          <CaseInput form={event} name="dueOn" type="date" label={t("case.f.dueOn")} state={s} defaultValue={data.findingDueOn} required />
        </>
      );
    case "RECORD_INSPECTION":
      return (
        <>
          <CaseInput form={event} name="date" type="date" label={t("case.f.inspectionDate")} state={s} defaultValue={data.today} required />
          <CaseInput form={event} name="site" label={t("case.f.site")} state={s} maxLength={300} required />
          <CaseTextArea form={event} name="attendees" label={t("case.f.attendees")} state={s} hint={t("case.f.attendeesHint")} rows={3} />
          <CaseTextArea form={event} name="observations" label={t("case.f.observations")} state={s} maxLength={8000} rows={5} required />
        </>
      );
    case "RECORD_VERIFICATION":
      return (
        <>
          <CaseInput
            form={event}
            name="kgCO2ePerDeclaredUnit"
            label={t("case.f.verifiedValue", { per: data.per })}
            state={s}
            defaultValue={data.verifiedValue ?? data.declaredValue}
            hint={t("case.f.verifiedHint", { declared: data.declaredValue, per: data.per })}
            required
          />
          <CaseTextArea form={event} name="note" label={t("case.f.noteOptional")} state={s} maxLength={4000} />
        </>
      );
    case "ATTACH_DOCUMENT":
      return (
        <>
          <CaseSelect
            form={event}
            name="kind"
            label={t("case.f.kind")}
            options={(Object.keys(ATTACHMENT_KIND_KEYS) as (keyof typeof ATTACHMENT_KIND_KEYS)[]).map((k) => ({
              value: k,
              label: t(ATTACHMENT_KIND_KEYS[k]),
            }))}
            state={s}
          />
          <CaseFiles form={event} name="files" label={t("case.f.file")} state={s} accept={data.accept} hint={t("ev.limits", { max: data.maxSize })} />
        </>
      );
    case "RENEW":
      return (
        <CaseSelect
          form={event}
          name="inventoryId"
          label={t("case.f.renewInventory")}
          options={[
            { value: "", label: t("case.f.choose") },
            ...(data.renewal ?? []).map((i) => ({
              value: i.id,
              label: `${i.period_start} – ${i.period_end} · ${t("inv.version")} ${i.version} · v${i.pcr_version}`,
            })),
          ]}
          state={s}
        />
      );
    default:
      return null;
  }
}

const CREDIT_LABELS = {
  registry: "case.f.registry",
  programme: "case.f.programme",
  serialPrefix: "case.f.serialPrefix",
  first: "case.f.serialFirst",
  last: "case.f.serialLast",
  vintage: "case.f.vintage",
  retiredOn: "case.f.retiredOn",
} as const satisfies Record<CreditColumn, MessageKey>;
const NUMERIC_COLUMNS: readonly CreditColumn[] = ["first", "last", "vintage"];

/** Conform's name of a cell: `credits[2].last`. */
const creditName = (row: number, column: CreditColumn) => `credits[${row}].${column}`;
const CREDIT_CELL = /^credits\[(\d+)\]\.(\w+)$/;
const creditCellOf = (name: string) => {
  const match = CREDIT_CELL.exec(name);
  const column = match?.[2] as CreditColumn | undefined;
  return match && column && CREDIT_COLUMNS.includes(column) ? { row: Number(match[1]), column } : null;
};

const noSubscription = () => () => {};

/**
 * CN: the claim period and quantity, and one row per retired credit batch. Checked like the other
 * event forms with one schema (RecordCreditsSchema) in the browser and by the action, the action's
 * answer coming in as Conform's last result; unlike them each cell keeps its own error, shown on
 * the cell with its row and in the summary with its row and column.
 *
 * One empty row follows the last batch, so another is added without JavaScript too (an empty row
 * is ignored); with JavaScript "add a row" draws more.
 */
function CreditsEventForm({ version, state, data }: { version: number; state?: CaseFormState; data: EventFormData }) {
  const event = "RECORD_CREDITS";
  const t = useT();
  const message = useMessage();
  const submitted = stateFor(state, event);
  const { form, formProps } = useConformForm({ id: `event-${event}`, schema: RecordCreditsSchema, submitted });
  const errors = eventFormErrors(form.allErrors);
  // In the summary a cell's message names its row and column; on the cell, under its column's header, its row.
  const shown: FieldErrors = Object.fromEntries(
    Object.entries(errors).map(([name, m]): [string, Message | undefined] => {
      const cell = m && creditCellOf(name);
      if (!m || !cell) return [name, m];
      return [name, { key: "case.f.creditCell", params: { row: cell.row + 1, column: t(CREDIT_LABELS[cell.column]), message: message(m) ?? "" } }];
    }),
  );
  const values = submitted?.values;
  const formState: CaseFormState = { event, errors: shown, values: values ?? {} };

  // The rows: every batch recorded or sent back filled in, then one empty row; never more than a form may send.
  const filled = Object.entries(values ?? {}).reduce((most, [name, v]) => {
    const cell = creditCellOf(name);
    return cell && (Array.isArray(v) ? v.join("") : v).trim() ? Math.max(most, cell.row + 1) : most;
  }, data.credits.length);
  const drawn = filled + 1;
  const live = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const [added, setAdded] = useState(0);
  const rows = Math.min(Math.max(drawn, added), CREDIT_ROWS_MAX);
  const focusRow = useRef<number | null>(null);
  const cellId = (row: number, column: CreditColumn) => `${event}-credits-${row}-${column}`;
  useEffect(() => {
    if (focusRow.current === null) return;
    document.getElementById(cellId(focusRow.current, "registry"))?.focus();
    focusRow.current = null;
  });
  const cellValue = (row: number, column: CreditColumn) => {
    // What was sent comes back as sent; otherwise what is recorded.
    if (values) return formValue(values, creditName(row, column));
    const credit = data.credits[row];
    return credit ? String(credit[column]) : "";
  };
  const tableError = message(shown.credits);
  return (
    <EventForm event={event} version={version} state={formState} formProps={formProps}>
      <CaseInput
        form={event}
        name="claimStart"
        type="date"
        label={t("case.f.claimStart")}
        state={formState}
        defaultValue={data.claim?.period.start}
        required
      />
      <CaseInput
        form={event}
        name="claimEnd"
        type="date"
        label={t("case.f.claimEnd")}
        state={formState}
        defaultValue={data.claim?.period.end}
        required
      />
      <CaseInput
        form={event}
        name="claimQuantity"
        label={t("case.f.claimQuantity", { per: data.per })}
        state={formState}
        defaultValue={data.claim ? String(data.claim.quantity) : ""}
        required
      />
      <div className="table-wrap">
        <table className="credit-table" aria-describedby={tableError ? `${event}-credits-error` : `${event}-credits-hint`}>
          <caption className="sr-only">{t("case.credits")}</caption>
          <thead>
            <tr>
              {CREDIT_COLUMNS.map((column) => (
                <th key={column} scope="col">
                  {t(CREDIT_LABELS[column])}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: rows }, (_, i) => (
              <tr key={i}>
                {CREDIT_COLUMNS.map((column) => {
                  const id = cellId(i, column);
                  const problem = message(errors[creditName(i, column)]);
                  const error = problem ? t("case.f.creditRow", { row: i + 1, message: problem }) : undefined;
                  return (
                    <td key={column}>
                      <input
                        id={id}
                        name={creditName(i, column)}
                        type={column === "retiredOn" ? "date" : "text"}
                        inputMode={NUMERIC_COLUMNS.includes(column) ? "numeric" : undefined}
                        aria-label={`${t(CREDIT_LABELS[column])} ${i + 1}`}
                        defaultValue={cellValue(i, column)}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={error ? `${id}-error` : undefined}
                      />
                      {error ? (
                        <p className="field-error" id={`${id}-error`} role="alert">
                          {error}
                        </p>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {tableError ? (
        <p className="field-error" id={`${event}-credits-error`} role="alert">
          {tableError}
        </p>
      ) : null}
      <p className="hint" id={`${event}-credits-hint`}>
        {t("case.f.creditsHint")}
      </p>
      {live && rows <= CREDITS_MAX ? (
        <div>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              focusRow.current = rows;
              setAdded(rows + 1);
            }}
          >
            {t("case.f.addCreditRow")}
          </button>
        </div>
      ) : null}
    </EventForm>
  );
}

/**
 * An event form with a schema (app/utils/case-forms.ts): validated in the browser as the action
 * validates it, the action's answer (its own and the host's checks) shown the same way.
 */
function ValidatedEventForm({
  event,
  version,
  state,
  data,
  schema,
}: {
  event: string;
  version: number;
  state?: CaseFormState;
  data: EventFormData;
  schema: NonNullable<(typeof EVENT_FORM_SCHEMAS)[string]>;
}) {
  const { state: checked, formProps } = useValidatedForm({ id: `event-${event}`, schema, submitted: stateFor(state, event) });
  const shown: CaseFormState = { event, errors: checked.errors ?? {}, values: checked.values ?? {} };
  return (
    <EventForm event={event} version={version} state={shown} formProps={formProps}>
      <Fields event={event} data={data} state={shown} />
    </EventForm>
  );
}

/** Every event form this user may use now, in the machine's order. */
export function EventForms({
  events,
  version,
  state,
  data,
}: {
  events: readonly string[];
  version: number;
  state?: CaseFormState;
  data: EventFormData;
}) {
  const t = useT();
  const shown = events.filter((e) => !PER_FINDING.has(e));
  return (
    <section className="card" aria-labelledby="case-actions-title" data-testid="case-actions">
      <h2 id="case-actions-title">{t("case.actions")}</h2>
      {shown.length === 0 ? (
        <p className="muted">{events.length > 0 ? t("case.actionsAtFindings") : t("case.noActions")}</p>
      ) : (
        <div className="grid">
          {shown.map((event) => (
            <div key={event} className={PLAIN.has(event) ? "event-block plain" : "event-block"}>
              {event === "RECORD_CREDITS" ? (
                <CreditsEventForm version={version} state={state} data={data} />
              ) : EVENT_FORM_SCHEMAS[event] ? (
                <ValidatedEventForm event={event} version={version} state={state} data={data} schema={EVENT_FORM_SCHEMAS[event]} />
              ) : (
                <EventForm event={event} version={version} state={state} multipart={event === "ATTACH_DOCUMENT"}>
                  <Fields event={event} data={data} state={state} />
                </EventForm>
              )}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
