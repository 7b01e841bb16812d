import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo, useState } from "react";
import { CheckboxGroup, FormErrors, Notice, SelectField, TextField, useValidatedForm } from "../components/form.tsx";
import { accreditableCategories } from "../services/catalogue.server.ts";
import { emailIsTaken, invitationUrl } from "../services/invitations.server.ts";
import { onboardOrganization, organizationsWithMemberCounts, uniqueViolationField } from "../services/organizations.server.ts";
import { onboardingSchema } from "../utils/organization-forms.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { readForm } from "../utils/read-form.server.ts";
import { formValues, parseSubmission, type FieldErrors, type FormValues } from "../utils/forms.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";
import { PROVINCES, provinceName } from "../utils/provinces.ts";
import { DataTable, numeric } from "../components/data-table.tsx";

/** Platform administration: every organization, and onboarding a new one with its first admin. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, locale } = await requirePermission(request, "organizations:manage:any");
  const organizations = await organizationsWithMemberCounts(db);
  return { organizations, categories: accreditableCategories(locale) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, user, locale } = await requirePermission(request, "organizations:manage:any");
  const formData = await readForm(request);
  const values = formValues(formData);
  const parsed = parseSubmission(formData, onboardingSchema(accreditableCategories(locale).map((c) => c.code)));
  if (!parsed.ok) return data({ errors: parsed.errors, values, created: null }, { status: 400 });
  const form = parsed.data;
  if (await emailIsTaken(db, form.adminEmail)) {
    return data({ errors: { adminEmail: { key: "members.alreadyMember" } } as FieldErrors, values, created: null }, { status: 400 });
  }
  try {
    const onboarded = await onboardOrganization(
      db,
      {
        kind: form.kind,
        nameZh: form.nameZh,
        nameEn: form.nameEn,
        address: form.address,
        province: form.province,
        creditCode: "creditCode" in form ? form.creditCode : null,
        approvalNumber: "approvalNumber" in form ? form.approvalNumber : null,
        cbCode: "cbCode" in form ? form.cbCode : null,
        scope: "scope" in form ? form.scope : [],
      },
      { email: form.adminEmail, name: form.adminName, invitedBy: user.id },
    );
    const created = { name: locale === "en" ? onboarded.nameEn : onboarded.nameZh, url: invitationUrl(onboarded.token) };
    return data({ errors: {} as FieldErrors, values: {} as FormValues, created });
  } catch (error) {
    const field = uniqueViolationField(error);
    if (!field) throw error;
    const key = field === "creditCode" ? ("v.creditCode.taken" as const) : ("v.taken" as const);
    return data({ errors: { [field]: { key } } as FieldErrors, values, created: null }, { status: 400 });
  }
}

export default function Organizations() {
  const { organizations, categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const submittedKind = actionData?.values?.kind;
  const [kind, setKind] = useState<string>(typeof submittedKind === "string" ? submittedKind : "manufacturer");
  const provinces = PROVINCES.map((p) => ({ value: p.code, label: locale === "en" ? p.en : p.zh }));
  const schema = useMemo(() => onboardingSchema(categories.map((c) => c.code)), [categories]);
  const { state, formProps } = useValidatedForm({ id: "onboard-organization", schema, submitted: actionData?.created ? undefined : actionData });
  const labels = {
    kind: t("org.kind"),
    nameZh: t("org.nameZh"),
    nameEn: t("org.nameEn"),
    creditCode: t("org.creditCode"),
    approvalNumber: t("org.approvalNumber"),
    cbCode: t("org.cbCode"),
    scope: t("org.scope"),
    province: t("org.province"),
    address: t("org.address"),
    adminName: t("admin.orgs.adminName"),
    adminEmail: t("admin.orgs.adminEmail"),
  };
  return (
    <>
      <h1>{t("admin.orgs.title")}</h1>
      <section className="card table-wrap">
        <h2>{t("admin.orgs.list")}</h2>
        <DataTable
          columns={[
            t("org.kind"),
            t("org.nameZh"),
            t("org.nameEn"),
            `${t("org.creditCode")} / ${t("org.approvalNumber")}`,
            t("org.province"),
            numeric(t("admin.orgs.members")),
          ]}
        >
          {organizations.map((o) => (
            <tr key={o.id}>
              <td>{t(`orgKind.${o.kind}`)}</td>
              <td>{o.name_zh}</td>
              <td>{o.name_en}</td>
              <td>{o.credit_code ?? (o.cnca_approval_number ? `${o.cnca_approval_number} (${o.cb_code})` : "—")}</td>
              <td>{provinceName(o.province, locale)}</td>
              <td className="num">{o.member_count}</td>
            </tr>
          ))}
        </DataTable>
      </section>
      <section className="card">
        <h2>{t("admin.orgs.create")}</h2>
        {actionData?.created ? (
          <Notice>
            {t("admin.orgs.created", { name: actionData.created.name })}
            <span className="link-box" data-testid="invitation-link">
              {actionData.created.url}
            </span>
          </Notice>
        ) : null}
        <FormErrors state={state} labels={labels} />
        <Form method="post" className="stack" {...formProps}>
          <div className="field">
            <label htmlFor="field-kind">{t("org.kind")}</label>
            <select id="field-kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
              <option value="manufacturer">{t("orgKind.manufacturer")}</option>
              <option value="certification_body">{t("orgKind.certification_body")}</option>
            </select>
          </div>
          <TextField name="nameZh" label={labels.nameZh} state={state} maxLength={200} />
          <TextField name="nameEn" label={labels.nameEn} state={state} maxLength={200} />
          {kind === "manufacturer" ? (
            <TextField name="creditCode" label={labels.creditCode} state={state} maxLength={18} />
          ) : (
            <>
              <TextField name="approvalNumber" label={labels.approvalNumber} state={state} maxLength={60} />
              <TextField name="cbCode" label={labels.cbCode} state={state} maxLength={10} />
              <CheckboxGroup name="scope" legend={labels.scope} options={categories.map((c) => ({ value: c.code, label: c.name }))} state={state} />
            </>
          )}
          <SelectField name="province" label={labels.province} options={provinces} state={state} />
          <TextField name="address" label={labels.address} state={state} maxLength={300} />
          <fieldset className="stack">
            <legend>{t("admin.orgs.firstAdmin")}</legend>
            <TextField name="adminName" label={labels.adminName} state={state} maxLength={100} />
            <TextField name="adminEmail" type="email" label={labels.adminEmail} state={state} maxLength={254} />
          </fieldset>
          <div>
            <button type="submit">{t("admin.orgs.submit")}</button>
          </div>
        </Form>
      </section>
    </>
  );
}
