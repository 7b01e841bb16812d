/**
 * The one way a page changes a case: a posted form becomes a case event, sent through
 * workflows/cases `transition` with the version the page showed (a stale page gets 409), the actor being
 * the signed-in user (never anything the form claims). Files the event cites are stored in the
 * same transaction, so a refused event keeps no file. After the commit the request runs the outbox
 * rows its transition wrote, so the next page already shows the certificate number and everyone's
 * notifications; every other row (other cases', other tenants', e-mails) is the runners' work.
 */
import type { Kysely } from "kysely";
import {
  CaseInputError,
  CreditSerialConflictError,
  mailerFromEnv,
  runOutboxRows,
  transition,
  type Mailer,
  type TransitionResult,
} from "../../../workflows/cases/index.ts";
import type { DB } from "../../../db/schema.ts";
import { ATTACHMENT_KINDS, type AttachmentKind } from "../../../workflows/certification/types.ts";
import { EVENT_FORM_SCHEMAS, parseEventForm, RecordCreditsSchema, type RecordCreditsForm } from "../../utils/case-forms.ts";
import type { FieldErrors } from "../../utils/forms.ts";
import { findInventory, inventoryFootprint } from "../inventories.server.ts";
import { CASE_FILES_PER_CASE, storeCaseFiles, TooManyCaseFilesError, type CheckedFile } from "./attachments.server.ts";
import { lockedFootprintSource } from "./application.server.ts";
import { caseFailure, fieldIssueMessage } from "./errors.server.ts";

/** Events a signed-in user may send (the scheduler's and the host's are not among them), listed once with the statechart's types. */
export { USER_EVENT_TYPES, type UserEventType } from "../../../workflows/certification/types.ts";
import { USER_EVENT_TYPES, type UserEventType } from "../../../workflows/certification/types.ts";

export function isUserEventType(value: unknown): value is UserEventType {
  return typeof value === "string" && (USER_EVENT_TYPES as readonly string[]).includes(value);
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
};
/** Optional free text: absent when left empty, so the payload schema never sees "". */
const optionalText = (form: FormData, name: string) => (text(form, name) ? { [name]: text(form, name) } : {});
const linesOf = (value: string) =>
  value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

type EventInput = Record<string, unknown> & { type: UserEventType };

/**
 * RECORD_CREDITS from its checked form (RecordCreditsSchema): the rows left entirely empty are
 * already gone, and `rows` keeps the page row of each batch sent, in order.
 */
function creditsEventOf(form: RecordCreditsForm): { event: EventInput; rows: number[] } {
  return {
    event: {
      type: "RECORD_CREDITS",
      claim: { period: { start: form.claimStart, end: form.claimEnd }, quantity: form.claimQuantity },
      credits: form.credits.map(({ row: _row, ...credit }) => credit),
    },
    rows: form.credits.map((c) => c.row),
  };
}

/**
 * The host names a batch by its place among those sent (`credits.1.last`, empty rows not counted),
 * the page by the row it was typed in (`credits[3].last`): the host's word on a batch goes back to
 * its cell. A serial conflict names no batch, so it is shown on the table.
 */
function onCreditRows(error: unknown, errors: FieldErrors, rows: readonly number[]): FieldErrors {
  const placed: FieldErrors = Object.fromEntries(Object.entries(errors).filter(([name]) => !name.startsWith("credit")));
  if (error instanceof CreditSerialConflictError) placed.credits = { key: error.messageKey };
  if (error instanceof CaseInputError) {
    for (const issue of error.issues) {
      const [head, index, column] = issue.field.split(".");
      if (head !== "credits") continue;
      const row = rows[Number(index)];
      placed[column !== undefined && row !== undefined ? `credits[${row}].${column}` : "credits"] ??= fieldIssueMessage(issue);
    }
  }
  return placed;
}

/**
 * The event payload the form describes, before validation: the case layer checks it against its
 * schema and answers with the field and rule that failed. Numbers stay decimal strings.
 * RECORD_CREDITS is built from its checked form instead (`creditsEventOf`).
 */
export function eventFromForm(type: Exclude<UserEventType, "RECORD_CREDITS">, form: FormData): EventInput {
  switch (type) {
    case "SUBMIT":
    case "ACCEPT":
    case "START_REVIEW":
    case "COMPLETE_REVIEW":
    case "COMPLETE_VERIFICATION":
      return { type };
    case "GRANT":
    case "SURVEILLANCE_PASSED":
    case "RESTORE":
      return { type, ...optionalText(form, "note") };
    case "DECLINE":
    case "REFUSE":
    case "SUSPEND":
    case "WITHDRAW":
    case "WITHDRAW_APPLICATION":
      return { type, reason: text(form, "reason") };
    case "ASSIGN_TEAM":
      return { type, reviewer: text(form, "reviewer"), inspector: text(form, "inspector") || null, verifier: text(form, "verifier") };
    case "ASSIGN_DECIDER":
      return { type, decider: text(form, "decider") };
    case "RAISE_FINDING":
      return {
        type,
        finding: { severity: text(form, "severity"), clause: text(form, "clause"), text: text(form, "text"), dueOn: text(form, "dueOn") },
      };
    case "CLOSE_FINDING":
      return { type, findingId: text(form, "findingId"), ...optionalText(form, "note") };
    case "ANSWER_FINDING":
      return { type, findingId: text(form, "findingId"), text: text(form, "text") };
    case "RECORD_INSPECTION":
      return {
        type,
        inspection: {
          date: text(form, "date"),
          site: text(form, "site"),
          attendees: linesOf(text(form, "attendees")),
          observations: text(form, "observations"),
        },
      };
    case "RECORD_VERIFICATION":
      return { type, kgCO2ePerDeclaredUnit: text(form, "kgCO2ePerDeclaredUnit"), ...optionalText(form, "note") };
    case "ATTACH_DOCUMENT":
      return { type, attachment: { kind: text(form, "kind") } };
    case "RENEW":
      return { type, inventoryId: text(form, "inventoryId") };
  }
}

let mailer: Mailer | undefined;

/** Runs the effects the transition wrote (certificate, notifications); a failure is retried by the outbox, not shown to the user. */
async function settle(db: Kysely<DB>, result: TransitionResult): Promise<void> {
  try {
    await runOutboxRows(db, result.outboxIds, { mailer: (mailer ??= mailerFromEnv()) });
  } catch (error) {
    console.error("draining the outbox after a case event failed (it will be retried):", error);
  }
}

export interface DispatchRequest {
  readonly caseId: string;
  readonly user: { readonly id: string; readonly organizationId: string };
  readonly formData: FormData;
  /** Checked files sent with the form (multipart forms only). */
  readonly files: readonly CheckedFile[];
}

export type DispatchOutcome =
  { ok: true; event: UserEventType; result: TransitionResult } | { ok: false; event: string; status: number; errors: FieldErrors };

export async function dispatchCaseEvent(db: Kysely<DB>, request: DispatchRequest): Promise<DispatchOutcome> {
  const { formData, files, caseId, user } = request;
  const intent = formData.get("intent");
  if (!isUserEventType(intent)) return { ok: false, event: String(intent ?? ""), status: 400, errors: { form: { key: "v.invalid" } } };
  const fail = (status: number, errors: FieldErrors): DispatchOutcome => ({ ok: false, event: intent, status, errors });
  const version = Number(text(formData, "version"));
  if (!Number.isInteger(version) || version < 1) return fail(400, { form: { key: "case.v.version" } });

  const takesFiles = intent === "ATTACH_DOCUMENT" || intent === "ANSWER_FINDING";
  if (!takesFiles && files.length > 0) return fail(400, { form: { key: "v.invalid" } });
  // A form the browser validated is validated again with the same schema before the host is
  // called, so a person gets the same keyed message either way; the host still checks the payload.
  let event: EventInput;
  let creditRows: readonly number[] = [];
  if (intent === "RECORD_CREDITS") {
    const parsed = parseEventForm(formData, RecordCreditsSchema);
    if (!parsed.ok) return fail(400, parsed.errors);
    ({ event, rows: creditRows } = creditsEventOf(parsed.data));
  } else {
    const formSchema = EVENT_FORM_SCHEMAS[intent];
    const parsed = formSchema ? parseEventForm(formData, formSchema) : null;
    if (parsed && !parsed.ok) return fail(400, parsed.errors);
    event = eventFromForm(intent, formData);
  }

  if (intent === "ATTACH_DOCUMENT") {
    const kind = text(formData, "kind");
    if (!(ATTACHMENT_KINDS as readonly string[]).includes(kind)) return fail(400, { kind: { key: "v.choice" } });
    if (files.length !== 1) return fail(400, { files: { key: files.length === 0 ? "v.required" : "case.v.oneFile" } });
  }
  if (intent === "RENEW") {
    // The renewal rests on the inventory chosen now; its result is computed here, as for a new application.
    const inventory = await findInventory(db, user.organizationId, text(formData, "inventoryId"));
    if (!inventory) return fail(400, { inventoryId: { key: "v.choice" } });
    const footprint = await inventoryFootprint(db, user.organizationId, inventory);
    if (!footprint.result || !footprint.conformance) return fail(400, { inventoryId: { key: "apply.noResult" } });
    Object.assign(event, { declaredValue: footprint.result.total, conformancePassed: footprint.conformance.passed });
  }

  try {
    const result =
      takesFiles && files.length > 0
        ? await db.transaction().execute(async (trx) => {
            const findingId = intent === "ANSWER_FINDING" ? text(formData, "findingId").slice(0, 40) : null;
            const kind: AttachmentKind = intent === "ANSWER_FINDING" ? "evidence" : (text(formData, "kind") as AttachmentKind);
            const stored = await storeCaseFiles(trx, { caseId, organizationId: user.organizationId, userId: user.id, kind, findingId }, files);
            const cited =
              intent === "ATTACH_DOCUMENT"
                ? { ...event, attachment: { id: stored[0]!.id, kind, name: stored[0]!.name } }
                : { ...event, attachmentIds: stored.map((f) => f.id) };
            return transition(trx, { caseId, actor: { userId: user.id }, event: cited, expectedVersion: version });
          })
        : await transition(db, {
            caseId,
            actor: { userId: user.id },
            event,
            expectedVersion: version,
            // A renewal opens a new application: it rests on a stored result like any other.
            ...(intent === "RENEW" ? { footprint: lockedFootprintSource } : {}),
          });
    await settle(db, result);
    return { ok: true, event: intent, result };
  } catch (error) {
    if (error instanceof TooManyCaseFilesError) return fail(400, { files: { key: "case.v.tooManyFiles", params: { max: CASE_FILES_PER_CASE } } });
    const failure = caseFailure(error);
    return fail(failure.status, intent === "RECORD_CREDITS" ? onCreditRows(error, failure.errors, creditRows) : failure.errors);
  }
}
