/**
 * Case errors from workflows/cases as what a form shows: an HTTP status and messages keyed by the form's
 * field names, in the user's language.
 *
 * - CaseConflictError → 409 "this case changed, reload";
 * - EventNotAllowedError → 403 (not this user, role or organization; separation of duties) or
 *   409 (not in this state, or a condition does not hold);
 * - CaseInputError → 400 with one message per field, naming the field and the rule;
 * - CreditSerialConflictError → 409;
 * - CaseNotFoundError → 404, exactly like a case of another organization.
 */
import { CaseConflictError, CaseInputError, CaseNotFoundError, CreditSerialConflictError, EventNotAllowedError, type FieldIssue } from "../../../workflows/cases/index.ts";
import type { Bilingual } from "../../../rules/i18n.ts";
import type { Locale, Message } from "../../i18n/index.ts";
import type { FieldErrors } from "../../utils/forms.ts";
import { notFound } from "../../utils/http.server.ts";

/** A message the case layer wrote in both languages, in the language of the request. */
export function bilingualMessage(text: Bilingual, locale: Locale): Message {
  return { key: "case.v.text", params: { text: locale === "en" ? text.en : text.zh } };
}

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

/** Host rules whose meaning the app's own messages already say, without the payload path. */
const RULE_KEYS: Readonly<Record<string, Message>> = {
  required: { key: "v.required" },
  "format:date": { key: "v.date" },
  "format:uuid": { key: "v.choice" },
  invalid_value: { key: "v.choice" },
};

/**
 * A field issue of the case layer as the form shows it, under the field it names: a rule the app
 * has a message for is that message; any other keeps the host's sentence in the reader's language
 * without the payload path the host puts in front of it ("finding.dueOn：…"), which means nothing
 * to the person filling in the form.
 */
export function fieldIssueMessage(issue: FieldIssue, locale: Locale): Message {
  const known = RULE_KEYS[issue.rule];
  if (known) return known;
  // The host's refinements state their rule in English only; the form's fields have messages of their own.
  if (issue.rule === "custom") {
    const field = formFieldOf(issue.field);
    if (field === "claimEnd") return { key: "v.dateOrder" };
    if (field === "credit-last") return { key: "case.v.serialOrder" };
  }
  const text = locale === "en" ? issue.message.en : issue.message.zh;
  const afterPath = text.startsWith(issue.field) ? text.slice(issue.field.length) : "";
  const withoutPath = /^\s*[:：]/.test(afterPath) ? afterPath.replace(/^\s*[:：]\s*/, "") : text;
  return { key: "case.v.text", params: { text: withoutPath } };
}

export interface CaseFailure {
  status: 400 | 403 | 409;
  errors: FieldErrors;
}

/** The failure to show for a case error; anything else is not ours to explain and is thrown on. */
export function caseFailure(error: unknown, locale: Locale): CaseFailure {
  if (error instanceof CaseNotFoundError) throw notFound();
  if (error instanceof CaseConflictError) return { status: 409, errors: { form: { key: "case.conflict" } } };
  if (error instanceof EventNotAllowedError) return { status: error.httpStatus, errors: { form: bilingualMessage(error.userMessage, locale) } };
  if (error instanceof CreditSerialConflictError) return { status: 409, errors: { "credit-first": bilingualMessage(error.userMessage, locale), form: bilingualMessage(error.userMessage, locale) } };
  if (error instanceof CaseInputError) {
    const errors: FieldErrors = {};
    for (const issue of error.issues) errors[formFieldOf(issue.field)] ??= fieldIssueMessage(issue, locale);
    return { status: 400, errors };
  }
  throw error;
}
