/**
 * The application form and the case event forms with more than two fields: one schema each,
 * validated in the browser (Conform) and by the action before the case layer is called, so a
 * mistake is named on its field before anything is sent. What only the server knows (the
 * inventory's owner and result, the body's accreditation, who belongs to the body, whether the
 * case may take the event now) stays with the action and the host, and the host's own payload
 * schema (workflows/cases/events.ts) remains the last word: these schemas follow its bounds so a
 * form that passes here is not refused there for its shape.
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import type { Message } from "../i18n/index.ts";
import { fields, formError, formValues, keyedIssue, type FieldErrors, type FormResult } from "./forms.ts";

export const LABEL_TYPE_CODES = ["CF", "LC", "RC", "CN"] as const;

/** "Required" when the field was left empty, the format's own message when something else was typed. */
const missingOr = (key: Message["key"]) => (issue: { input?: unknown }) => (issue.input === undefined ? "v.required" : key);

const isoDate = () => z.iso.date({ error: missingOr("v.date") });
/** A person chosen from the body's list; whether the person may take the role is the host's check. */
const personId = () => z.uuid({ error: missingOr("v.choice") });

/** The host takes exact decimal strings (digits, one optional fraction) and wants them above zero. */
const DECIMAL = /^\d+(\.\d+)?$/;
function decimalProblem(value: string): Message | null {
  if (!DECIMAL.test(value)) return { key: "v.number" };
  return Number(value) > 0 ? null : { key: "v.positive" };
}
const positiveDecimal = () =>
  z
    .string({ error: "v.required" })
    .trim()
    .min(1)
    .max(30)
    .superRefine((value, ctx) => {
      const problem = decimalProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem.key, params: { message: problem } });
    });

/** A claim's three fields, as the application and RECORD_CREDITS post them. */
interface ClaimFields {
  claimStart?: string;
  claimEnd?: string;
  claimQuantity?: string;
}

/**
 * The carbon-neutral claim: period and quantity all given, dates as dates, the end not before the
 * start (the host's ClaimSchema), the quantity a positive decimal.
 */
function checkClaim(values: ClaimFields, ctx: z.core.$RefinementCtx<unknown>) {
  const dates = { claimStart: values.claimStart ?? "", claimEnd: values.claimEnd ?? "" };
  for (const [name, value] of Object.entries(dates)) {
    if (!value) ctx.addIssue(keyedIssue(name, { key: "v.required" }));
    else if (!z.iso.date().safeParse(value).success) ctx.addIssue(keyedIssue(name, { key: "v.date" }));
  }
  const quantity = values.claimQuantity ?? "";
  const problem = quantity ? decimalProblem(quantity) : { key: "v.required" as const };
  if (problem) ctx.addIssue(keyedIssue("claimQuantity", problem));
  const datesValid = Object.values(dates).every((d) => z.iso.date().safeParse(d).success);
  if (datesValid && dates.claimEnd < dates.claimStart) ctx.addIssue(keyedIssue("claimEnd", { key: "v.dateOrder" }));
}

/** Claim fields are free text until the label type says they are needed (CN only). */
const claimText = () => z.string().trim().max(30).optional().default("");

/**
 * Applying for a label. The inventory must be the applicant's and have a result, the body must be
 * accredited for the inventory's PCR: the action and the case layer check those.
 */
export const ApplicationSchema = z
  .object({
    inventoryId: z.string({ error: "v.choice" }).trim().min(1, "v.choice").max(40),
    labelType: z.enum(LABEL_TYPE_CODES, { error: "v.choice" }),
    cbOrganizationId: fields.text(40),
    claimStart: claimText(),
    claimEnd: claimText(),
    claimQuantity: claimText(),
  })
  // Run even when another field failed (Zod skips object refinements then), so every mistake is
  // named at once.
  .superRefine((values, ctx) => checkClaim(values, ctx), {
    when: (payload) => (payload.value as { labelType?: unknown } | undefined)?.labelType === "CN",
  });
export type ApplicationForm = z.output<typeof ApplicationSchema>;

/** The inspector may be left out when no site visit is required; the host knows when it is. */
export const AssignTeamSchema = z.object({
  reviewer: personId(),
  inspector: personId().optional(),
  verifier: personId(),
});

export const RaiseFindingSchema = z.object({
  severity: z.enum(["minor", "major"], { error: "v.choice" }),
  clause: fields.text(200),
  text: fields.text(4000),
  dueOn: isoDate(),
});

/** Attendees are typed one per line; the host keeps at most 50 of 200 characters each. */
const ATTENDEES_MAX = 50;
const ATTENDEE_LENGTH = 200;
export const attendeeLines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

export const RecordInspectionSchema = z.object({
  date: isoDate(),
  site: fields.text(300),
  attendees: z
    .string()
    .max(ATTENDEES_MAX * (ATTENDEE_LENGTH + 2))
    .optional()
    .default("")
    .superRefine((value, ctx) => {
      const lines = attendeeLines(value);
      const tooLong = { key: "v.tooLong", params: { max: ATTENDEE_LENGTH } } satisfies Message;
      const tooMany = { key: "v.max", params: { max: ATTENDEES_MAX } } satisfies Message;
      if (lines.length > ATTENDEES_MAX) ctx.addIssue({ code: "custom", message: tooMany.key, params: { message: tooMany } });
      else if (lines.some((l) => l.length > ATTENDEE_LENGTH)) ctx.addIssue({ code: "custom", message: tooLong.key, params: { message: tooLong } });
    }),
  observations: fields.text(8000),
});

export const RecordVerificationSchema = z.object({
  kgCO2ePerDeclaredUnit: positiveDecimal(),
  note: fields.optionalText(4000),
});

/**
 * The columns of a retired-credit row. The form names each cell with Conform's list names
 * (`credits[2].last`), the host's payload has the same keys (RetiredCreditsSchema).
 */
export const CREDIT_COLUMNS = ["registry", "programme", "serialPrefix", "first", "last", "vintage", "retiredOn"] as const;
export type CreditColumn = (typeof CREDIT_COLUMNS)[number];
/** The host takes at most this many credit batches in one event. */
export const CREDITS_MAX = 200;
/**
 * A list index is part of a field's name, so a single field `credits[99999999].first` would make a
 * list that long, and walking it would hold the server for seconds: a list longer than any form the
 * page draws (the batches, and as many empty rows again) is refused before it is walked.
 */
export const CREDIT_ROWS_MAX = 2 * CREDITS_MAX;

/** The host's bounds: registry and programme required, the serial prefix optional. */
const CREDIT_TEXT_MAX = { registry: 40, programme: 80, serialPrefix: 60 } as const;
const VINTAGE = { min: 1990, max: 2100 } as const;

/**
 * A serial number or a year as the host reads it: digits only (a sign is below the least it takes,
 * even "-0"), a whole number it holds exactly, within the column's bounds.
 */
function wholeNumberProblem(value: string, min = 0, max = Number.MAX_SAFE_INTEGER): Message | null {
  if (!value) return { key: "v.required" };
  if (!/^-?\d+$/.test(value)) return { key: "v.integer" };
  if (value.startsWith("-") || Number(value) < min) return { key: "v.min", params: { min } };
  if (Number(value) > max) return { key: "v.max", params: { max } };
  return null;
}

type CreditCells = Partial<Record<CreditColumn, string>>;
const cellsOf = (row: CreditCells) => Object.fromEntries(CREDIT_COLUMNS.map((c) => [c, row[c]?.trim() ?? ""])) as Record<CreditColumn, string>;

/** Every cell of a row that is not left entirely empty, each problem on its own cell. */
function checkCreditRow(row: CreditCells, ctx: z.core.$RefinementCtx<unknown>) {
  const cells = cellsOf(row);
  if (CREDIT_COLUMNS.every((c) => !cells[c])) return;
  const problem = (column: CreditColumn, message: Message | null) => {
    if (message) ctx.addIssue(keyedIssue(column, message));
    return message;
  };
  for (const column of ["registry", "programme", "serialPrefix"] as const) {
    const max = CREDIT_TEXT_MAX[column];
    if (!cells[column] && column !== "serialPrefix") problem(column, { key: "v.required" });
    else if (cells[column].length > max) problem(column, { key: "v.tooLong", params: { max } });
  }
  const first = problem("first", wholeNumberProblem(cells.first));
  const last = problem("last", wholeNumberProblem(cells.last));
  if (!first && !last && Number(cells.last) < Number(cells.first)) problem("last", { key: "case.v.serialOrder" });
  problem("vintage", wholeNumberProblem(cells.vintage, VINTAGE.min, VINTAGE.max));
  if (!cells.retiredOn) problem("retiredOn", { key: "v.required" });
  else if (!z.iso.date().safeParse(cells.retiredOn).success) problem("retiredOn", { key: "v.date" });
}

const creditCell = () => z.string().optional();
/** One row of the table as typed; a row left entirely empty becomes null (the spare row). */
const CreditRowSchema = z
  .object({
    registry: creditCell(),
    programme: creditCell(),
    serialPrefix: creditCell(),
    first: creditCell(),
    last: creditCell(),
    vintage: creditCell(),
    retiredOn: creditCell(),
  })
  .superRefine(checkCreditRow)
  .transform((row) => {
    const cells = cellsOf(row);
    return CREDIT_COLUMNS.some((c) => cells[c]) ? cells : null;
  });

const tooMany = { key: "case.issue.tooManyItems", params: { max: CREDITS_MAX } } satisfies Message;
const creditsRequired = { key: "case.v.creditsRequired" } satisfies Message;

/**
 * The rows that were filled in, each with the row it was typed in (0-based), so the host's word
 * on a batch (it counts only the rows sent) comes back to the row on the page.
 */
const CreditRowsSchema = z
  .preprocess((rows, ctx) => {
    if (!Array.isArray(rows) || rows.length <= CREDIT_ROWS_MAX) return rows;
    ctx.addIssue({ code: "custom", message: tooMany.key, params: { message: tooMany }, input: undefined });
    return z.NEVER;
  }, z.array(CreditRowSchema))
  .transform((rows) => rows.flatMap((credit, row) => (credit ? [{ row, ...credit }] : [])))
  .superRefine((credits, ctx) => {
    const message = credits.length === 0 ? creditsRequired : credits.length > CREDITS_MAX ? tooMany : null;
    if (message) ctx.addIssue({ code: "custom", message: message.key, params: { message } });
  });

/**
 * The carbon-neutral claim and the credits retired for it (CN only; the host checks the label
 * type and replaces what was recorded before). Empty rows are left out, every other row must be a
 * whole batch: registry, programme, first and last serial (first ≤ last), vintage year, and the
 * date the batch was retired.
 */
export const RecordCreditsSchema = z
  .object({
    claimStart: claimText(),
    claimEnd: claimText(),
    claimQuantity: claimText(),
    credits: CreditRowsSchema,
  })
  // Run even when a row failed (Zod skips object refinements then), so every mistake is named at once.
  .superRefine((values, ctx) => checkClaim(values, ctx), { when: () => true });
export type RecordCreditsForm = z.output<typeof RecordCreditsSchema>;

/** The schema of each event form that has one, by the event's type (its `intent`). */
export const EVENT_FORM_SCHEMAS: Partial<Record<string, z.ZodType>> = {
  ASSIGN_TEAM: AssignTeamSchema,
  RAISE_FINDING: RaiseFindingSchema,
  RECORD_INSPECTION: RecordInspectionSchema,
  RECORD_VERIFICATION: RecordVerificationSchema,
  RECORD_CREDITS: RecordCreditsSchema,
};

/**
 * Each field's first message under the field's full name. Unlike `firstErrors`, which shows an
 * item's error on its list (one message for a group of checkboxes), a cell of the credits table
 * (`credits[2].last`) keeps its own, so it is shown on that cell; a form-level error is "form".
 */
export function eventFormErrors(error: Readonly<Record<string, readonly Message[] | null | undefined>> | null | undefined): FieldErrors {
  const errors: FieldErrors = {};
  for (const [name, messages] of Object.entries(error ?? {})) if (messages?.[0]) errors[name || "form"] ??= messages[0];
  return errors;
}

/** An event form validated on the server as the browser validated it, errors under their full names. */
export function parseEventForm<S extends z.ZodType>(formData: FormData, schema: S): FormResult<z.output<S>> {
  const submission = parseWithZod(formData, { schema, formatError: formError });
  if (submission.status === "success") return { ok: true, data: submission.value };
  return { ok: false, errors: eventFormErrors(submission.error), values: formValues(formData) };
}
