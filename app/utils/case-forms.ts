/**
 * The application form and the case event forms with more than two fields: one schema each,
 * validated in the browser (Conform) and by the action before the case layer is called, so a
 * mistake is named on its field before anything is sent. What only the server knows (the
 * inventory's owner and result, the body's accreditation, who belongs to the body, whether the
 * case may take the event now) stays with the action and the host, and the host's own payload
 * schema (workflows/cases/events.ts) remains the last word: these schemas follow its bounds so a
 * form that passes here is not refused there for its shape.
 */
import { z } from "zod";
import type { Message } from "../i18n/index.ts";
import { fields, keyedIssue } from "./forms.ts";

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

/** The schema of each event form that has one, by the event's type (its `intent`). */
export const EVENT_FORM_SCHEMAS: Partial<Record<string, z.ZodType>> = {
  ASSIGN_TEAM: AssignTeamSchema,
  RAISE_FINDING: RaiseFindingSchema,
  RECORD_INSPECTION: RecordInspectionSchema,
  RECORD_VERIFICATION: RecordVerificationSchema,
};
