/**
 * Form validation with one Zod schema on the server. Errors travel as message keys with
 * parameters and are translated where they are shown, so the same error reads correctly in either
 * language. A failed validation is a 400 with the entered values echoed back (never passwords).
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import type { Message } from "../i18n/index.ts";

export type FieldErrors = Partial<Record<string, Message>>;
export type FormValues = Record<string, string | string[]>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: FormValues };

const SECRET_FIELDS = /password/i;

export function formValues(formData: FormData): FormValues {
  const values: FormValues = {};
  for (const key of new Set(formData.keys())) {
    if (SECRET_FIELDS.test(key)) continue;
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    values[key] = all.length > 1 ? all : (all[0] ?? "");
  }
  return values;
}

/** Turns a Zod issue into a message key; schemas may also put a key (prefixed "v.") as the message. */
export function issueMessage(issue: z.core.$ZodIssue): Message {
  if (issue.message.startsWith("v.")) return { key: issue.message as Message["key"] };
  switch (issue.code) {
    case "too_big":
      return { key: "v.tooLong", params: { max: Number(issue.maximum) } };
    case "too_small":
      return Number(issue.minimum) <= 1
        ? { key: issue.origin === "array" ? "v.choice" : "v.required" }
        : { key: "v.tooShort", params: { min: Number(issue.minimum) } };
    case "invalid_format":
      return { key: issue.format === "email" ? "v.email" : "v.invalid" };
    case "invalid_value":
      return { key: "v.choice" };
    case "invalid_type":
      return { key: "v.required" };
    default:
      return { key: "v.invalid" };
  }
}

/**
 * Conform's `formatError` for every form: each issue of a field as a keyed message. A refinement
 * that needs parameters carries its whole message in `params.message` (see `keyedIssue`).
 */
export function formError(issues: readonly z.core.$ZodIssue[]): Message[] {
  return issues.map((issue) => {
    const carried = issue.code === "custom" ? (issue.params?.message as Message | undefined) : undefined;
    return carried ?? issueMessage(issue);
  });
}

/** A refinement's issue on one field with a message that has parameters. */
export function keyedIssue(path: string, message: Message): z.core.$ZodRawIssue {
  return { code: "custom", path: [path], message: message.key, params: { message }, input: undefined };
}

/**
 * Each field's first message of a Conform submission's errors (form-level errors under "form").
 * An error on one item of a list (`roles[1]`) is shown on the list's field, as `parseForm` did.
 */
export function firstErrors(error: Readonly<Record<string, readonly Message[] | null | undefined>> | null | undefined): FieldErrors {
  const errors: FieldErrors = {};
  for (const [name, messages] of Object.entries(error ?? {})) {
    const field = name.split(/[.[]/)[0] || "form";
    if (messages?.[0]) errors[field] ??= messages[0];
  }
  return errors;
}

/**
 * Validates a posted form with the schema the browser validated it with before sending (Conform
 * reads the fields the same way on both sides: empty text is absent, repeated names are lists).
 * Server-only checks are the schema's own refinements or come after this.
 */
export function parseSubmission<S extends z.ZodType>(formData: FormData, schema: S): FormResult<z.output<S>> {
  const submission = parseWithZod(formData, { schema, formatError: formError });
  if (submission.status === "success") return { ok: true, data: submission.value };
  return { ok: false, errors: firstErrors(submission.error), values: formValues(formData) };
}

/**
 * Reads a form into an object (repeated fields become arrays when the schema wants an array) and
 * validates it.
 */
export function parseForm<S extends z.ZodObject>(schema: S, formData: FormData): FormResult<z.infer<S>> {
  const input: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    const wantsArray = (field as z.ZodType).def.type === "array";
    input[key] = wantsArray ? all : all[0];
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issueMessage(issue);
  }
  return { ok: false, errors, values: formValues(formData) };
}

/** Common field shapes; the limits protect the database and the layout from oversized input. */
export const fields = {
  text: (max: number) => z.string().trim().min(1).max(max),
  optionalText: (max: number) => z.string().trim().max(max).optional().default(""),
  email: () => z.string().trim().toLowerCase().min(1).max(254).pipe(z.email()),
  password: () => z.string().min(10).max(200),
};
