/**
 * Every event payload a caller may send, as a Zod schema checked before the event reaches the
 * machine (the machine assumes well-formed payloads, ADR 0005). Actor and time are never taken
 * from the caller: the host adds them. Ids the host owns (a finding's id, the renewal case's id,
 * an attachment's id when none is given) are filled in by the host too.
 */
import { z } from "zod";
import {
  APPLICANT_EVENT_TYPES,
  ASSESSMENT_EVENT_TYPES,
  ATTACHMENT_KINDS,
  SYSTEM_EVENT_TYPES,
  type CertificationEventType,
} from "../certification/types.ts";
import { CaseInputError, isCaseMessageKey, type CaseMessageKey, type CaseMessageParams, type FieldIssue } from "./errors.ts";

/** A refinement's message is the key of what it says (see `messageOf`), never a sentence. */
const says = (key: CaseMessageKey) => ({ message: key });

/** Plain text a person typed: trimmed, no NUL (jsonb refuses it), bounded. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !s.includes("\u0000"), says("case.issue.nul"));

const isoDate = z.iso.date();
const uuid = z.uuid();

/** A positive, finite number; form posts send it as a decimal string. */
const positiveNumber = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)?$/)
      .transform(Number),
  ])
  .pipe(z.number().positive().finite());
const wholeNumber = z
  .union([z.number(), z.string().trim().regex(/^\d+$/).transform(Number)])
  .pipe(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER));

export const ClaimSchema = z
  .strictObject({
    period: z.strictObject({ start: isoDate, end: isoDate }),
    quantity: positiveNumber,
  })
  .refine((c) => c.period.end >= c.period.start, { path: ["period", "end"], ...says("v.dateOrder") });

export const RetiredCreditsSchema = z
  .strictObject({
    registry: text(40).transform((s) => s.toUpperCase()),
    programme: text(80),
    serialPrefix: z.string().trim().max(60),
    first: wholeNumber,
    last: wholeNumber,
    vintage: wholeNumber.pipe(z.number().min(1990).max(2100)),
    retiredOn: isoDate,
  })
  .refine((c) => c.last >= c.first, { path: ["last"], ...says("case.v.serialOrder") });

const Empty = <T extends string>(type: T) => z.strictObject({ type: z.literal(type) });
const WithReason = <T extends string>(type: T) => z.strictObject({ type: z.literal(type), reason: text(2000) });
const WithNote = <T extends string>(type: T) => z.strictObject({ type: z.literal(type), note: text(2000).optional() });

/** What a signed-in user may send. System events (scheduler, host) are not in this list. */
export const UserEventSchema = z.discriminatedUnion("type", [
  // applicant
  Empty("SUBMIT"),
  z.strictObject({
    type: z.literal("ATTACH_DOCUMENT"),
    attachment: z.strictObject({ id: text(100).optional(), kind: z.enum(ATTACHMENT_KINDS), name: text(200) }),
  }),
  z.strictObject({ type: z.literal("RECORD_CREDITS"), claim: ClaimSchema, credits: z.array(RetiredCreditsSchema).min(1).max(200) }),
  z.strictObject({ type: z.literal("ANSWER_FINDING"), findingId: text(40), text: text(4000), attachmentIds: z.array(text(100)).max(20).optional() }),
  WithReason("WITHDRAW_APPLICATION"),
  /**
   * The renewal application: the inventory it is made from and the applicant's own result for it
   * (the caller computes it with the calculator, as for a new case). The host creates the new case
   * in the same transaction and fills `newCaseId`.
   */
  z.strictObject({
    type: z.literal("RENEW"),
    inventoryId: uuid,
    declaredValue: positiveNumber,
    conformancePassed: z.boolean(),
  }),
  // certification body
  Empty("ACCEPT"),
  WithReason("DECLINE"),
  z.strictObject({ type: z.literal("ASSIGN_TEAM"), reviewer: uuid, inspector: uuid.nullable(), verifier: uuid }),
  z.strictObject({ type: z.literal("ASSIGN_DECIDER"), decider: uuid }),
  Empty("START_REVIEW"),
  z.strictObject({
    type: z.literal("RAISE_FINDING"),
    finding: z.strictObject({ severity: z.enum(["major", "minor"]), clause: text(200), text: text(4000), dueOn: isoDate }),
  }),
  z.strictObject({ type: z.literal("CLOSE_FINDING"), findingId: text(40), note: text(2000).optional() }),
  Empty("COMPLETE_REVIEW"),
  z.strictObject({
    type: z.literal("RECORD_INSPECTION"),
    inspection: z.strictObject({ date: isoDate, site: text(300), attendees: z.array(text(200)).max(50), observations: text(8000) }),
  }),
  z.strictObject({ type: z.literal("RECORD_VERIFICATION"), kgCO2ePerDeclaredUnit: positiveNumber, note: text(4000).optional() }),
  Empty("COMPLETE_VERIFICATION"),
  WithNote("GRANT"),
  WithReason("REFUSE"),
  WithNote("SURVEILLANCE_PASSED"),
  WithReason("SUSPEND"),
  WithNote("RESTORE"),
  WithReason("WITHDRAW"),
]);
export type UserEventInput = z.input<typeof UserEventSchema>;
export type UserEvent = z.output<typeof UserEventSchema>;

/** What the scheduler and the host send with the `system` role. */
export const SystemEventSchema = z.discriminatedUnion("type", [
  Empty("SURVEILLANCE_DUE"),
  Empty("EXPIRE"),
  z.strictObject({ type: z.literal("FINDING_OVERDUE"), findingId: text(40) }),
  z.strictObject({ type: z.literal("SUPERSEDE"), byCaseId: uuid }),
]);
export type SystemEvent = z.output<typeof SystemEventSchema>;

/** Events that are assessment work: whoever sent one may not decide the case. */
export const ASSESSMENT_EVENTS: readonly CertificationEventType[] = ASSESSMENT_EVENT_TYPES;

export function sideOf(type: string): "applicant" | "cb" | "system" {
  if ((APPLICANT_EVENT_TYPES as readonly string[]).includes(type)) return "applicant";
  if ((SYSTEM_EVENT_TYPES as readonly string[]).includes(type)) return "system";
  return "cb";
}

/**
 * Zod 4 drops an issue's input unless asked; without it a field of the wrong type could not be
 * told from a missing one (`messageOf`).
 */
export const PARSE_OPTIONS = { reportInput: true } as const;

export function parseUserEvent(input: unknown): UserEvent {
  const parsed = UserEventSchema.safeParse(input, PARSE_OPTIONS);
  if (!parsed.success) throw new CaseInputError(parsed.error.issues.map(toFieldIssue));
  return parsed.data;
}

export function parseSystemEvent(input: unknown): SystemEvent {
  const parsed = SystemEventSchema.safeParse(input, PARSE_OPTIONS);
  if (!parsed.success) throw new CaseInputError(parsed.error.issues.map(toFieldIssue));
  return parsed.data;
}

/** A Zod issue as a field, a rule and the key of what to tell the person, with the rule's numbers. */
export function toFieldIssue(issue: z.core.$ZodIssue): FieldIssue {
  const field = issue.path.map(String).join(".") || "type";
  return { field, rule: ruleOf(issue), ...messageOf(field, issue) };
}

function ruleOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "too_small":
      return issue.origin === "string" && issue.minimum === 1 ? "required" : "too_small";
    case "invalid_format":
      return `format:${issue.format}`;
    default:
      return issue.code;
  }
}

type Said = { key: CaseMessageKey; params?: CaseMessageParams };

/**
 * What the rule says, without the field: the form shows it next to the field. Values the person
 * did not type (Zod's type names, an enum's codes, unknown keys) stay out of the message; `field`
 * and `rule` keep them for logs.
 */
function messageOf(field: string, issue: z.core.$ZodIssue): Said {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return { key: "v.required" };
      return { key: issue.expected === "number" ? "v.number" : "case.issue.type" };
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string") return min === 1 ? { key: "v.required" } : { key: "v.tooShort", params: { min } };
      if (issue.origin === "array") return { key: "case.issue.tooFewItems", params: { min } };
      if (min === 0 && issue.inclusive === false) return { key: "v.positive" };
      return { key: "v.min", params: { min } };
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string") return { key: "v.tooLong", params: { max } };
      if (issue.origin === "array") return { key: "case.issue.tooManyItems", params: { max } };
      return { key: "v.max", params: { max } };
    }
    case "invalid_format":
      if (issue.format === "date") return { key: "v.date" };
      // Ids are chosen from a list (a member, an inventory, a body), never typed.
      if (issue.format === "uuid") return { key: "v.choice" };
      return { key: "v.invalid" };
    case "invalid_value":
      return { key: "v.choice" };
    case "invalid_union":
      return { key: field === "type" ? "case.issue.unknownAction" : "case.issue.invalid" };
    case "unrecognized_keys":
      return { key: "case.issue.fieldsNotAllowed", params: { count: issue.keys.length } };
    case "custom":
      // Our refinements carry their key as the message (`says`).
      return { key: isCaseMessageKey(issue.message) ? issue.message : "case.issue.invalid" };
    default:
      return { key: "case.issue.invalid" };
  }
}
