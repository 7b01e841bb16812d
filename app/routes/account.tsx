import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { FormErrors, Notice, SelectField, TextField, useValidatedForm } from "../components/form.tsx";
import { PasswordChangeSchema } from "../utils/account-forms.ts";
import { requirePermission } from "../utils/auth.server.ts";
import { fields, formValues, parseForm, parseSubmission } from "../utils/forms.ts";
import { useT } from "../utils/i18n-react.ts";
import { hashPassword, verifyPassword } from "../utils/password.server.ts";
import { clearSessionCookieHeader, endAllSessions, languageCookieHeader, sessionCookieHeader } from "../utils/session.server.ts";
import { changePassword, passwordHashOf, saveProfile } from "../services/accounts.server.ts";
import { readForm } from "../utils/read-form.server.ts";

const ProfileSchema = z.object({
  name: fields.text(100),
  language: z.enum(["zh-CN", "en"], { error: "v.choice" }),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requirePermission(request, "account:manage");
  const saved = new URL(request.url).searchParams.get("saved");
  return { name: user.name, email: user.email, language: user.preferredLanguage, saved };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, db } = await requirePermission(request, "account:manage");
  const formData = await readForm(request);
  const intent = formData.get("intent");

  if (intent === "profile") {
    const parsed = parseForm(ProfileSchema, formData);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values, done: false }, { status: 400 });
    await saveProfile(db, user.id, parsed.data);
    throw redirect("/account?saved=profile", {
      headers: { "Set-Cookie": await languageCookieHeader(parsed.data.language) },
    });
  }

  if (intent === "password") {
    const parsed = parseSubmission(formData, PasswordChangeSchema);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values, done: false }, { status: 400 });
    const currentHash = await passwordHashOf(db, user.id);
    if (!currentHash || !(await verifyPassword(parsed.data.currentPassword, currentHash))) {
      return data(
        { intent, errors: { currentPassword: { key: "account.wrongPassword" as const } }, values: formValues(formData), done: false },
        { status: 400 },
      );
    }
    const hash = await hashPassword(parsed.data.newPassword);
    // A new password ends every other session; this device gets a fresh one.
    const sessionId = await changePassword(db, user.id, hash);
    throw redirect("/account?saved=password", { headers: { "Set-Cookie": await sessionCookieHeader(sessionId) } });
  }

  if (intent === "sign-out-everywhere") {
    // Every device, this one included (a lost phone or a shared computer is the usual reason).
    await endAllSessions(db, user.id);
    throw redirect("/login?signedOut=everywhere", { headers: { "Set-Cookie": await clearSessionCookieHeader() } });
  }
  return data({ intent: null, errors: { form: { key: "v.invalid" as const } }, values: {}, done: false }, { status: 400 });
}

export default function Account() {
  const account = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const saved = actionData ? null : account.saved;
  const profileState = actionData?.intent === "profile" ? actionData : undefined;
  const { state: passwordState, formProps: passwordFormProps } = useValidatedForm({
    id: "change-password",
    schema: PasswordChangeSchema,
    submitted: actionData?.intent === "password" ? actionData : undefined,
  });
  const passwordLabels = {
    currentPassword: t("account.currentPassword"),
    newPassword: t("account.newPassword"),
    confirmPassword: t("account.confirmPassword"),
  };
  return (
    <>
      <h1>{t("account.title")}</h1>
      {saved === "profile" ? <Notice>{t("account.saved")}</Notice> : null}
      {saved === "password" ? <Notice>{t("account.passwordChanged")}</Notice> : null}
      <section className="card">
        <h2>{t("account.profile")}</h2>
        <p className="muted">{account.email}</p>
        <FormErrors state={profileState} />
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="profile" />
          <TextField name="name" label={t("account.name")} defaultValue={account.name} state={profileState} maxLength={100} />
          <SelectField
            name="language"
            label={t("account.language")}
            defaultValue={account.language}
            state={profileState}
            options={[
              { value: "zh-CN", label: "中文（简体）" },
              { value: "en", label: "English" },
            ]}
          />
          <div>
            <button type="submit">{t("account.save")}</button>
          </div>
        </Form>
      </section>
      <section className="card">
        <h2>{t("account.password")}</h2>
        <FormErrors state={passwordState} labels={passwordLabels} />
        <Form method="post" className="stack" {...passwordFormProps}>
          <input type="hidden" name="intent" value="password" />
          <TextField
            name="currentPassword"
            type="password"
            label={passwordLabels.currentPassword}
            autoComplete="current-password"
            state={passwordState}
          />
          <TextField name="newPassword" type="password" label={passwordLabels.newPassword} autoComplete="new-password" state={passwordState} />
          <TextField
            name="confirmPassword"
            type="password"
            label={passwordLabels.confirmPassword}
            autoComplete="new-password"
            state={passwordState}
          />
          <div>
            <button type="submit">{t("account.changePassword")}</button>
          </div>
        </Form>
      </section>
      <section className="card">
        <h2>{t("account.sessions")}</h2>
        <p className="muted">{t("account.sessionsLead")}</p>
        <Form method="post">
          <input type="hidden" name="intent" value="sign-out-everywhere" />
          <button type="submit" className="secondary">
            {t("account.signOutEverywhere")}
          </button>
        </Form>
      </section>
    </>
  );
}
