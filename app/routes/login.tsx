import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { FormErrors, Notice, TextField } from "../components/form.tsx";
import { findSignInAccount } from "../services/accounts.server.ts";
import { getSessionUser, publicContext } from "../utils/auth.server.ts";
import { fields, formValues, parseForm } from "../utils/forms.ts";
import { clientIp, safeRedirectPath } from "../utils/http.server.ts";
import { useT } from "../utils/i18n-react.ts";
import { hashPassword, verifyPassword } from "../utils/password.server.ts";
import { checkLogin, loginClock, recordLoginFailure, recordLoginSuccess, waitMessage } from "../utils/rate-limit.server.ts";
import { createSessionRow, languageCookieHeader, sessionCookieHeader } from "../utils/session.server.ts";
import { readForm } from "../utils/read-form.server.ts";

export const meta: MetaFunction = () => [{ title: "登录 Sign in · CarbonLabel" }];

const LoginSchema = z.object({
  email: fields.email(),
  password: z.string().min(1).max(200),
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect("/dashboard");
  return null;
}

// Compared against when the email is unknown, so both cases take the same time.
let decoyHash: Promise<string> | undefined;

export async function action({ request, context }: ActionFunctionArgs) {
  const { db } = await publicContext(request);
  const formData = await readForm(request);
  const parsed = parseForm(LoginSchema, formData);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const { email, password } = parsed.data;
  const ip = clientIp(context);
  const values = formValues(formData);

  // Limits are per (account, address) and per address, never per account alone, so nobody can lock
  // another person out; a refusal is answered before the password is checked.
  const gate = await checkLogin(db, email, ip);
  if (!gate.allowed) {
    const wait = gate.retryAfterSeconds;
    const form = waitMessage(wait);
    return data({ errors: { form }, values }, { status: 429, headers: { "Retry-After": String(wait) } });
  }
  if (gate.holdMs > 0) await loginClock.sleep(gate.holdMs);

  const user = await findSignInAccount(db, email);
  decoyHash ??= hashPassword("decoy-password-never-used");
  const ok = await verifyPassword(password, user?.password_hash ?? (await decoyHash));
  const succeeded = Boolean(user?.password_hash) && ok;
  if (!user || !succeeded) {
    await recordLoginFailure(db, email, ip);
    return data({ errors: { form: { key: "login.invalid" as const } }, values }, { status: 400 });
  }
  await recordLoginSuccess(db, email, ip);
  // Told only to someone who knows the password, so it reveals nothing to a guesser.
  if (user.deactivated_at) {
    return data({ errors: { form: { key: "login.deactivated" as const } }, values }, { status: 403 });
  }
  const sessionId = await createSessionRow(db, user.id);
  const headers = new Headers();
  headers.append("Set-Cookie", await sessionCookieHeader(sessionId));
  headers.append("Set-Cookie", await languageCookieHeader(user.preferred_language));
  throw redirect(safeRedirectPath(parsed.data.redirectTo), { headers });
}

export default function Login() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <section className="card" style={{ maxWidth: 480 }}>
      <h1>{t("login.title")}</h1>
      {!actionData && searchParams.get("signedOut") === "everywhere" ? <Notice>{t("login.signedOutEverywhere")}</Notice> : null}
      <FormErrors state={actionData} />
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/dashboard"} />
        <TextField name="email" type="email" label={t("login.email")} autoComplete="username" state={actionData} required maxLength={254} />
        <TextField name="password" type="password" label={t("login.password")} autoComplete="current-password" state={actionData} required />
        <div>
          <button type="submit">{t("login.submit")}</button>
        </div>
      </Form>
      <p className="muted small">{t("login.demoHint")}</p>
    </section>
  );
}
