/**
 * Case errors from workflows/cases as what a form shows: an HTTP status and messages keyed by the form's
 * field names, in the user's language.
 *
 * - CaseConflictError → 409 "this case changed, reload";
 * - EventNotAllowedError → 403 (not this user, role or organization; separation of duties) or
 *   409 (not in this state, or a condition does not hold);
 * - CaseInputError → 400 with one message per form field (the host's key and params), under that field;
 * - CreditSerialConflictError → 409;
 * - CaseNotFoundError → 404, exactly like a case of another organization.
 */
import {
  CaseConflictError,
  CaseInputError,
  CaseNotFoundError,
  ApplicationAlreadyOpenError,
  CreditSerialConflictError,
  EventNotAllowedError,
  type FieldIssue,
} from "../../../workflows/cases/index.ts";
import type { Message } from "../../i18n/index.ts";
import type { FieldErrors } from "../../utils/forms.ts";
import { notFound } from "../../utils/http.server.ts";

/** Payload paths whose form field has another name. */
const FIELD_NAMES: Record<string, string> = {
  "claim.period.start": "claimStart",
  "claim.period.end": "claimEnd",
  "claim.quantity": "claimQuantity",
};

/** The form field a payload path is entered in (`finding.dueOn` → `dueOn`, `credits.0.first` → `credit-first`). */
export function formFieldOf(path: string): string {
  const named = FIELD_NAMES[path];
  if (named) return named;
  const [head, second, third] = path.split(".");
  if (head === "credits") return third ? `credit-${third}` : "credits";
  if (head === "finding" || head === "inspection" || head === "attachment") return second ?? "form";
  if (head === "claim") return "claimStart";
  return !head || head === "type" ? "form" : head;
}

/**
 * A field issue of the case layer as the form shows it, under the field it belongs to. The host
 * names the message by key (its keys are ours: a key the dictionaries lack does not compile), so
 * the sentence is written once, in app/i18n, and never carries the payload path.
 */
export function fieldIssueMessage(issue: FieldIssue): Message {
  return issue.params ? { key: issue.key, params: { ...issue.params } } : { key: issue.key };
}

export interface CaseFailure {
  status: 400 | 403 | 409;
  errors: FieldErrors;
}

/** The failure to show for a case error; anything else is not ours to explain and is thrown on. */
export function caseFailure(error: unknown): CaseFailure {
  if (error instanceof CaseNotFoundError) throw notFound();
  if (error instanceof CaseConflictError) return { status: 409, errors: { form: { key: error.messageKey } } };
  if (error instanceof EventNotAllowedError) return { status: error.httpStatus, errors: { form: { key: error.messageKey } } };
  if (error instanceof ApplicationAlreadyOpenError)
    return { status: 409, errors: { inventoryId: { key: error.messageKey }, form: { key: error.messageKey } } };
  if (error instanceof CreditSerialConflictError)
    return { status: 409, errors: { "credit-first": { key: error.messageKey }, form: { key: error.messageKey } } };
  if (error instanceof CaseInputError) {
    const errors: FieldErrors = {};
    for (const issue of error.issues) errors[formFieldOf(issue.field)] ??= fieldIssueMessage(issue);
    return { status: 400, errors };
  }
  throw error;
}
