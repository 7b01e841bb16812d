import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors, TextField, useValidatedForm } from "../components/form.tsx";
import { InvitationAcceptanceSchema } from "../utils/account-forms.ts";
import { acceptInvitation, findOpenInvitation } from "../services/invitations.server.ts";
import { publicContext } from "../utils/auth.server.ts";
import { parseSubmission } from "../utils/forms.ts";
import { clientIp, notFound } from "../utils/http.server.ts";
import { useLocale, useT } from "../utils/i18n-react.ts";
import { checkLogin, loginClock, recordLoginFailure, recordLoginSuccess, waitMessage } from "../utils/rate-limit.server.ts";
import { createSessionRow, sessionCookieHeader } from "../utils/session.server.ts";
import { readForm } from "../utils/read-form.server.ts";

/** The page behind an invitation link: public, but only a valid unexpired token opens it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db } = await publicContext(request);
  const invitation = await findOpenInvitation(db, params.token ?? "");
  if (!invitation) throw notFound();
  return { email: invitation.email, name: invitation.name, roles: invitation.roles, nameZh: invitation.name_zh, nameEn: invitation.name_en };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { db, locale } = await publicContext(request);
  const token = params.token ?? "";
  const invitation = await findOpenInvitation(db, token);
  if (!invitation) throw notFound();
  const parsed = parseSubmission(await readForm(request), InvitationAcceptanceSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  // When the address has an account, accepting checks its password: the same limits as signing in,
  // so a link's holder cannot use this page to guess the password of someone else's account.
  const ip = clientIp(context);
  const gate = await checkLogin(db, invitation.email, ip);
  if (!gate.allowed) {
    const wait = gate.retryAfterSeconds;
    const form = waitMessage(wait);
    return data({ errors: { form }, values: { name: parsed.data.name } }, { status: 429, headers: { "Retry-After": String(wait) } });
  }
  if (gate.holdMs > 0) await loginClock.sleep(gate.holdMs);

  const values = { name: parsed.data.name };
  const outcome = await acceptInvitation(db, token, { ...parsed.data, language: locale });
  switch (outcome.kind) {
    case "invalid":
      throw notFound();
    case "wrong-password":
      await recordLoginFailure(db, invitation.email, ip);
      return data({ errors: { password: { key: "invite.existingAccount" as const } }, values }, { status: 400 });
    case "other-organization":
      return data({ errors: { form: { key: "invite.otherOrganization" as const } }, values }, { status: 409 });
    case "deactivated":
      return data({ errors: { form: { key: "invite.deactivated" as const } }, values }, { status: 403 });
    case "conflict":
      return data({ errors: { form: { key: "invite.conflict" as const } }, values }, { status: 409 });
    case "created":
    case "linked": {
      await recordLoginSuccess(db, invitation.email, ip);
      const sessionId = await createSessionRow(db, outcome.userId);
      throw redirect("/dashboard", { headers: { "Set-Cookie": await sessionCookieHeader(sessionId) } });
    }
  }
}

export default function AcceptInvitation() {
  const invitation = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const { state, formProps } = useValidatedForm({ id: "accept-invitation", schema: InvitationAcceptanceSchema, submitted: actionData });
  const labels = { name: t("account.name"), password: t("account.newPassword"), confirmPassword: t("account.confirmPassword") };
  return (
    <section className="card" style={{ maxWidth: 520 }}>
      <h1>{t("invite.title")}</h1>
      <p>
        {t("invite.lead", {
          organization: locale === "en" ? invitation.nameEn : invitation.nameZh,
          roles: invitation.roles.map((r) => t(`role.${r}`)).join(locale === "en" ? ", " : "、"),
        })}
      </p>
      <p className="muted">{invitation.email}</p>
      <FormErrors state={state} labels={labels} />
      <Form method="post" className="stack" {...formProps}>
        <TextField name="name" label={labels.name} defaultValue={invitation.name} state={state} maxLength={100} />
        <TextField name="password" type="password" label={labels.password} autoComplete="new-password" state={state} />
        <p className="muted small">{t("invite.existingHint")}</p>
        <TextField name="confirmPassword" type="password" label={labels.confirmPassword} autoComplete="new-password" state={state} />
        <div>
          <button type="submit">{t("invite.submit")}</button>
        </div>
      </Form>
    </section>
  );
}
