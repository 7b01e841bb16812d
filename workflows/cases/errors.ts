/**
 * What can go wrong with a case command, as typed errors that carry their HTTP status and the key
 * of what to tell the person (translated by the app, app/i18n), so a route can answer without
 * knowing the reasons itself. `message` is an English line for logs, never shown.
 */

/**
 * What the host tells a person, as message keys: the host names the rule and its numbers, the app's
 * dictionaries (app/i18n) hold the sentences in each language. No key's text names the field;
 * the form shows the message next to the field it belongs to. Some keys are the app's generic
 * form messages ("v.required"), because the rule means exactly that; the rest are the host's own.
 */
export const CASE_MESSAGE_KEYS = [
  // payload shape (events.ts)
  "v.required",
  "v.date",
  "v.choice",
  "v.dateOrder",
  "v.number",
  "v.positive",
  "v.min",
  "v.max",
  "v.tooShort",
  "v.tooLong",
  "v.invalid",
  "case.v.serialOrder",
  "case.issue.type",
  "case.issue.tooFewItems",
  "case.issue.tooManyItems",
  "case.issue.unknownAction",
  "case.issue.invalid",
  "case.issue.fieldsNotAllowed",
  "case.issue.nul",
  // assignments (duties.ts)
  "case.issue.notReviewer",
  "case.issue.notInspector",
  "case.issue.notVerifier",
  "case.issue.notDecider",
  "case.issue.actedForApplicant",
  "case.issue.deciderAssessed",
  "case.issue.isDecider",
  // whole commands (this file)
  "case.err.notFound",
  "case.conflict",
  "case.err.notAllowed.state",
  "case.err.notAllowed.actor",
  "case.err.notAllowed.separation",
  "case.err.notAllowed.condition",
  "case.err.input",
  "case.err.serialConflict",
  "case.err.applicationOpen",
  // applications and renewals (cases.ts)
  "case.issue.noSuchInventory",
  "case.issue.noSuchBody",
  "case.issue.notAccredited",
  "case.issue.renewalInventory",
] as const;
export type CaseMessageKey = (typeof CASE_MESSAGE_KEYS)[number];
export type CaseMessageParams = Readonly<Record<string, string | number>>;

export function isCaseMessageKey(value: unknown): value is CaseMessageKey {
  return (CASE_MESSAGE_KEYS as readonly unknown[]).includes(value);
}

export abstract class CaseError extends Error {
  abstract readonly code: string;
  abstract readonly httpStatus: 403 | 404 | 409 | 422;
  constructor(
    readonly messageKey: CaseMessageKey,
    logMessage: string,
  ) {
    super(logMessage);
    this.name = new.target.name;
  }
}

/** No such case, or one the caller's organization is not a party to (answered like a missing one). */
export class CaseNotFoundError extends CaseError {
  readonly code = "CaseNotFound";
  readonly httpStatus = 404;
  constructor(readonly caseId: string) {
    super("case.err.notFound", `No such case: ${caseId}`);
  }
}

/**
 * Someone else changed the case between the caller's read and write (optimistic lock).
 * `detectedAt` says whether the version was already stale when loaded or lost the race to write.
 */
export class CaseConflictError extends CaseError {
  readonly code = "CaseConflict";
  readonly httpStatus = 409;
  constructor(
    readonly caseId: string,
    readonly expectedVersion: number,
    readonly detectedAt: "load" | "write",
  ) {
    super("case.conflict", `Case ${caseId} is no longer at version ${expectedVersion} (detected at ${detectedAt})`);
  }
}

/**
 * The event may not be sent now. `state`: the current state has no such step (409). `actor`: the
 * step exists but not for this user, role or organization (403). `separation_of_duties`: the
 * user took a part in this case that excludes this step (403). `condition`: the user may take the
 * step but a condition does not hold, e.g. findings still open (409).
 */
export type NotAllowedReason = "state" | "actor" | "separation_of_duties" | "condition";

const NOT_ALLOWED_KEYS = {
  state: "case.err.notAllowed.state",
  actor: "case.err.notAllowed.actor",
  separation_of_duties: "case.err.notAllowed.separation",
  condition: "case.err.notAllowed.condition",
} as const satisfies Record<NotAllowedReason, CaseMessageKey>;

export class EventNotAllowedError extends CaseError {
  readonly code = "EventNotAllowed";
  readonly httpStatus: 403 | 409;
  constructor(
    readonly caseId: string,
    readonly eventType: string,
    readonly state: string,
    readonly reason: NotAllowedReason,
  ) {
    super(NOT_ALLOWED_KEYS[reason], `${eventType} is not allowed on case ${caseId} in state ${state} (${reason})`);
    this.httpStatus = reason === "actor" || reason === "separation_of_duties" ? 403 : 409;
  }
}

/**
 * One field that failed a rule: `field` is the payload path ("finding.dueOn"), `rule` the rule's
 * name, `key` and `params` what to tell the person (translated where it is shown).
 */
export interface FieldIssue {
  readonly field: string;
  readonly rule: string;
  readonly key: CaseMessageKey;
  readonly params?: CaseMessageParams;
}

/** The command's input broke a rule (payload shape, an unknown assignee, an inventory of another product…). */
export class CaseInputError extends CaseError {
  readonly code = "CaseInput";
  readonly httpStatus = 422;
  constructor(readonly issues: readonly FieldIssue[]) {
    // The log names which fields broke which rules; a person reads each issue's key under its field.
    super("case.err.input", `The input is invalid: ${issues.map((i) => `${i.field} (${i.rule})`).join(", ") || "(no issues)"}`);
  }
}

/** A retired-credit serial range overlaps one already used (on this or any other case). */
export class CreditSerialConflictError extends CaseError {
  readonly code = "CreditSerialConflict";
  readonly httpStatus = 409;
  constructor(readonly caseId: string) {
    super("case.err.serialConflict", `A retired credit serial range on case ${caseId} overlaps serials already used`);
  }
}

/**
 * The inventory already has an open application for this label type (one application per locked
 * inventory and label, enforced by the database's partial unique index).
 */
export class ApplicationAlreadyOpenError extends CaseError {
  readonly code = "ApplicationAlreadyOpen";
  readonly httpStatus = 409;
  constructor(readonly caseId: string) {
    super("case.err.applicationOpen", `Case ${caseId} was refused: its inventory already has an open application for the same label type`);
  }
}

export function isCaseError(error: unknown): error is CaseError {
  return error instanceof CaseError;
}
