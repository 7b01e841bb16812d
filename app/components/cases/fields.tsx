/**
 * Form fields for the case page, where many small forms share field names (reason, note, text):
 * every id carries the form's own prefix so labels and errors stay tied to the right input. Each
 * field shows its error from the last submission of its form and keeps what was typed.
 */
import type { ReactNode } from "react";
import type { Message } from "../../i18n/index.ts";
import type { FieldErrors, FormValues } from "../../utils/forms.ts";
import { useMessage, useT } from "../../utils/i18n-react.ts";
import { controlAria, FieldShell, formValue, SelectOptions } from "../form.tsx";

/** What the case action answered for one form: its errors and the values it was sent. */
export interface CaseFormState {
  event: string;
  findingId?: string;
  errors: FieldErrors;
  values: FormValues;
}

interface FieldProps {
  form: string;
  name: string;
  label: string;
  state?: CaseFormState;
  defaultValue?: string | null;
  hint?: ReactNode;
  required?: boolean;
}

function useField(props: FieldProps) {
  const message = useMessage();
  const id = `${props.form}-${props.name}`;
  const error = message(props.state?.errors[props.name]);
  return { id, error, aria: controlAria(id, error, props.hint), value: formValue(props.state?.values, props.name, props.defaultValue) };
}

export function CaseInput(props: FieldProps & { type?: "text" | "date" | "number"; maxLength?: number; step?: string; min?: string }) {
  const f = useField(props);
  return (
    <FieldShell id={f.id} label={props.label} error={f.error} hint={props.hint}>
      <input
        id={f.id}
        name={props.name}
        type={props.type ?? "text"}
        defaultValue={f.value}
        maxLength={props.maxLength}
        step={props.step}
        min={props.min}
        required={props.required}
        {...f.aria}
      />
    </FieldShell>
  );
}

export function CaseTextArea(props: FieldProps & { maxLength?: number; rows?: number }) {
  const f = useField(props);
  return (
    <FieldShell id={f.id} label={props.label} error={f.error} hint={props.hint}>
      <textarea
        id={f.id}
        name={props.name}
        defaultValue={f.value}
        maxLength={props.maxLength}
        rows={props.rows ?? 3}
        required={props.required}
        {...f.aria}
      />
    </FieldShell>
  );
}

export function CaseSelect(props: FieldProps & { options: ReadonlyArray<{ value: string; label: string }> }) {
  const f = useField(props);
  return (
    <FieldShell id={f.id} label={props.label} error={f.error} hint={props.hint}>
      <select id={f.id} name={props.name} defaultValue={f.value} {...f.aria}>
        <SelectOptions options={props.options} />
      </select>
    </FieldShell>
  );
}

export function CaseFiles(props: FieldProps & { accept: string; multiple?: boolean }) {
  const f = useField(props);
  return (
    <FieldShell id={f.id} label={props.label} error={f.error} hint={props.hint}>
      <input id={f.id} name={props.name} type="file" accept={props.accept} multiple={props.multiple} {...f.aria} />
    </FieldShell>
  );
}

/**
 * Every problem of the last submission of this form, announced: the form-level one first (e.g.
 * "this case changed, reload"), then each field's, so none is missed when a field is not on screen.
 */
export function CaseFormErrors({ state }: { state?: CaseFormState }) {
  const t = useT();
  const message = useMessage();
  const entries = Object.entries(state?.errors ?? {}).filter((e): e is [string, Message] => Boolean(e[1]));
  if (entries.length === 0) return null;
  const form = state?.errors.form;
  const fieldMessages = entries.filter(([name]) => name !== "form").map(([, m]) => message(m));
  return (
    <div className="alert alert-error" role="alert" data-testid="case-form-error">
      <p>{form ? message(form) : t("v.formTitle")}</p>
      {fieldMessages.length > 0 ? (
        <ul className="small">
          {fieldMessages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
