/**
 * Accessible form fields: every input has a label, its error is tied to it with
 * aria-describedby, and the entered value survives a failed submission.
 */
import { useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useMemo, type FormEvent, type ReactNode } from "react";
import type { z } from "zod";
import type { Message } from "../i18n/index.ts";
import { firstErrors, formError, type FieldErrors, type FormValues } from "../utils/forms.ts";
import { useLocale, useMessage, useT } from "../utils/i18n-react.ts";

export interface FormState {
  errors?: FieldErrors;
  values?: FormValues;
}

/** What was last submitted for a field (the first value of a repeated one), else the fallback. */
export function formValue(values: FormValues | undefined, name: string, fallback?: string | null): string {
  const v = values?.[name];
  if (Array.isArray(v)) return v[0] ?? "";
  return v ?? fallback ?? "";
}

/**
 * A labelled field around its control, then its hint or (instead) its error, with the ids
 * `${id}-hint` and `${id}-error` the control's aria-describedby points to.
 */
export function FieldShell({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && !error ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A control's accessibility attributes for `FieldShell`: invalid while it shows an error, and
 * described by the error, or else by the hint.
 */
export function controlAria(id: string, error: string | undefined, hint?: ReactNode) {
  return { "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined } as const;
}

/** A select's options, each its value and label. */
export function SelectOptions({ options }: { options: ReadonlyArray<{ value: string; label: string }> }) {
  return options.map((o) => (
    <option key={o.value} value={o.value}>
      {o.label}
    </option>
  ));
}

export function TextField(props: {
  name: string;
  label: string;
  state?: FormState;
  defaultValue?: string | null;
  type?: string;
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
  hint?: ReactNode;
  readOnly?: boolean;
}) {
  const message = useMessage();
  const error = message(props.state?.errors?.[props.name]);
  const id = `field-${props.name}`;
  const isSecret = props.type === "password";
  return (
    <FieldShell id={id} label={props.label} error={error} hint={props.hint}>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        autoComplete={props.autoComplete}
        required={props.required}
        maxLength={props.maxLength}
        readOnly={props.readOnly}
        defaultValue={isSecret ? undefined : formValue(props.state?.values, props.name, props.defaultValue)}
        {...controlAria(id, error, props.hint)}
      />
    </FieldShell>
  );
}

export function SelectField(props: {
  name: string;
  label: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  state?: FormState;
  defaultValue?: string | null;
}) {
  const message = useMessage();
  const error = message(props.state?.errors?.[props.name]);
  const id = `field-${props.name}`;
  return (
    <FieldShell id={id} label={props.label} error={error}>
      <select id={id} name={props.name} defaultValue={formValue(props.state?.values, props.name, props.defaultValue)} {...controlAria(id, error)}>
        <SelectOptions options={props.options} />
      </select>
    </FieldShell>
  );
}

export function CheckboxGroup(props: {
  name: string;
  legend: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  state?: FormState;
  defaultValues?: readonly string[];
}) {
  const message = useMessage();
  const error = message(props.state?.errors?.[props.name]);
  const submitted = props.state?.values?.[props.name];
  const checked = submitted === undefined ? (props.defaultValues ?? []) : Array.isArray(submitted) ? submitted : [submitted];
  return (
    <fieldset className="field checkbox-group" aria-invalid={error ? true : undefined}>
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label key={o.value} className="checkbox">
          <input type="checkbox" name={props.name} value={o.value} defaultChecked={checked.includes(o.value)} /> {o.label}
        </label>
      ))}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * Conform's form checked with `schema`, the action's answer (`submitted`) coming in as its last
 * result, and the props to spread on the `<Form>` (`noValidate`: the browser's own messages would
 * be in its language, not the page's). Forms that show their errors their own way (the credits
 * table) read `form.allErrors`; the others use `useValidatedForm`.
 */
export function useConformForm({ id, schema, submitted }: { id: string; schema: z.ZodType; submitted?: FormState }) {
  const lastResult = useMemo(() => {
    const error: Record<string, Message[]> = {};
    for (const [field, m] of Object.entries(submitted?.errors ?? {})) if (m) error[field === "form" ? "" : field] = [m];
    return Object.keys(error).length > 0 ? { status: "error" as const, error } : undefined;
  }, [submitted]);
  const [form] = useForm<Record<string, unknown>, unknown, Message[]>({
    id,
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema, formatError: formError }),
  });
  const formProps = { id: form.id, noValidate: true, onSubmit: (event: FormEvent<HTMLFormElement>) => form.onSubmit(event) };
  return { form, formProps };
}

/**
 * A form validated by Conform with the same Zod schema its action parses (`parseSubmission`): in
 * the browser a field is checked when it loses focus, again as it is corrected, and all of them on
 * submit, so a mistake is shown before anything is sent. The action's answer (`submitted`) comes
 * in as Conform's last result, so the server's own checks show the same way, also without
 * JavaScript. Spread `formProps` on the `<Form>` and show fields from `state`.
 */
export function useValidatedForm({ id, schema, submitted }: { id: string; schema: z.ZodType; submitted?: FormState }) {
  const { form, formProps } = useConformForm({ id, schema, submitted });
  const state: FormState = { values: submitted?.values, errors: firstErrors(form.allErrors) };
  return { state, formProps };
}

/**
 * A summary of everything wrong, announced to screen readers: the form-level problem (or a title),
 * then each field's message, named by its label when `labels` has it, so none is missed when its
 * field is off screen.
 */
export function FormErrors({ state, labels }: { state?: FormState; labels?: Readonly<Record<string, string>> }) {
  const t = useT();
  const locale = useLocale();
  const message = useMessage();
  const entries = Object.entries(state?.errors ?? {}).filter((e): e is [string, Message] => Boolean(e[1]));
  if (entries.length === 0) return null;
  const formLevel = state?.errors?.form;
  const separator = locale === "en" ? ": " : "：";
  const fieldMessages = entries
    .filter(([name]) => name !== "form")
    .map(([name, m]) => (labels?.[name] ? `${labels[name]}${separator}${message(m)}` : message(m)));
  return (
    <div className="alert alert-error" role="alert" data-testid="form-errors">
      <p>{formLevel ? message(formLevel) : t("v.formTitle")}</p>
      {fieldMessages.length > 0 ? (
        <ul className="small">
          {fieldMessages.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-success" role="status">
      {children}
    </div>
  );
}
