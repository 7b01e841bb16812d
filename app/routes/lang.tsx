import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isLocale } from "../i18n/index.ts";
import { savePreferredLanguage } from "../services/accounts.server.ts";
import { getSessionUser } from "../utils/auth.server.ts";
import { getDb } from "../../db/client.ts";
import { safeRedirectPath } from "../utils/http.server.ts";
import { languageCookieHeader } from "../utils/session.server.ts";
import { readForm } from "../utils/read-form.server.ts";

/** Switches the interface language; a signed-in user's choice is remembered on their account. */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const locale = formData.get("locale");
  if (!isLocale(locale)) return new Response("Unknown locale", { status: 400 });
  const user = await getSessionUser(request);
  if (user) {
    await savePreferredLanguage(await getDb(), user.id, locale);
  }
  throw redirect(safeRedirectPath(formData.get("redirectTo"), "/"), {
    headers: { "Set-Cookie": await languageCookieHeader(locale) },
  });
}

export async function loader() {
  throw redirect("/");
}
