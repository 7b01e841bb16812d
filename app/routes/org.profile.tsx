import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors, Notice, SelectField, TextField, useValidatedForm } from "../components/form.tsx";
import { findOrganization, uniqueViolationField, updateOrganizationProfile } from "../services/organizations.server.ts";
import { certificationBodyProfileSchema, manufacturerProfileSchema } from "../utils/organization-forms.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { readForm } from "../utils/read-form.server.ts";
import { refuseNulBytes } from "../utils/nul-bytes.server.ts";
import { formValues, parseSubmission } from "../utils/forms.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";
import { PROVINCES } from "../utils/provinces.ts";

/** An organization's own details, edited by its admin. Approval number and scope are the platform's. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, organizationId } = await requirePermission(request, "organization:edit:own");
  const organization = await findOrganization(db, organizationId);
  return { organization, saved: new URL(request.url).searchParams.has("saved") };
}

export async function action({ request }: ActionFunctionArgs) {
  const { db, organizationId, user, locale } = await requirePermission(request, "organization:edit:own");
  const formData = await readForm(request);
  // PostgreSQL text cannot hold NUL: a 400 naming the field, not a failed insert.
  refuseNulBytes(request, locale, { form: formData });
  if (user.organization.kind === "manufacturer") {
    const parsed = parseSubmission(formData, manufacturerProfileSchema);
    if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      await updateOrganizationProfile(db, organizationId, parsed.data);
    } catch (error) {
      const field = uniqueViolationField(error);
      if (!field) throw error;
      return data({ errors: { [field]: { key: "v.creditCode.taken" as const } }, values: formValues(formData) }, { status: 400 });
    }
  } else {
    const parsed = parseSubmission(formData, certificationBodyProfileSchema);
    if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
    await updateOrganizationProfile(db, organizationId, parsed.data);
  }
  throw redirect("/org/profile?saved");
}

export default function OrganizationProfile() {
  const { organization, saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const provinces = PROVINCES.map((p) => ({ value: p.code, label: locale === "en" ? p.en : p.zh }));
  const { state, formProps } = useValidatedForm({
    id: "organization-profile",
    schema: organization.kind === "manufacturer" ? manufacturerProfileSchema : certificationBodyProfileSchema,
    submitted: actionData,
  });
  const labels = {
    nameZh: t("org.nameZh"),
    nameEn: t("org.nameEn"),
    creditCode: t("org.creditCode"),
    province: t("org.province"),
    address: t("org.address"),
  };
  return (
    <>
      <h1>{t("org.title")}</h1>
      {saved && !actionData ? <Notice>{t("org.saved")}</Notice> : null}
      <section className="card">
        <p className="muted">
          {t("org.kind")}: {t(`orgKind.${organization.kind}`)}
        </p>
        <FormErrors state={state} labels={labels} />
        <Form method="post" className="stack" {...formProps}>
          <TextField name="nameZh" label={labels.nameZh} defaultValue={organization.name_zh} state={state} maxLength={200} />
          <TextField name="nameEn" label={labels.nameEn} defaultValue={organization.name_en} state={state} maxLength={200} />
          {organization.kind === "manufacturer" ? (
            <TextField name="creditCode" label={labels.creditCode} defaultValue={organization.credit_code} state={state} maxLength={18} />
          ) : null}
          <SelectField name="province" label={labels.province} options={provinces} defaultValue={organization.province} state={state} />
          <TextField name="address" label={labels.address} defaultValue={organization.address} state={state} maxLength={300} />
          {organization.kind === "certification_body" ? (
            <dl className="facts">
              <dt>{t("org.approvalNumber")}</dt>
              <dd>{organization.cnca_approval_number}</dd>
              <dt>{t("org.cbCode")}</dt>
              <dd>{organization.cb_code}</dd>
              <dt>{t("org.scope")}</dt>
              <dd>
                {organization.accredited_categories.map((c) => (
                  <span className="tag" key={c}>
                    {c}
                  </span>
                ))}
                <p className="hint">{t("org.readOnlyScope")}</p>
              </dd>
            </dl>
          ) : null}
          <div>
            <button type="submit">{t("org.save")}</button>
          </div>
        </Form>
      </section>
    </>
  );
}
