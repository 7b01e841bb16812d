/**
 * The delete button of one row of the inventory editor (a line, an evidence file): a form of its
 * own posting the intent and the row's id, labelled with what it deletes for screen readers.
 */
import { Form } from "@remix-run/react";
import { useT } from "../../utils/i18n-react.ts";

export function DeleteButton({ intent, field, id, name }: { intent: string; field: string; id: string; name: string }) {
  const t = useT();
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name={field} value={id} />
      <button type="submit" className="secondary small-button" aria-label={`${t("inv.delete")} ${name}`}>
        {t("inv.delete")}
      </button>
    </Form>
  );
}
