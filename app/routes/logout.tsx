import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getDb } from "../../db/client.ts";
import { clearSessionCookieHeader, endSession, readSessionId } from "../utils/session.server.ts";

/** Sign-out ends the session row too, so a copied cookie is worthless afterwards. */
export async function action({ request }: ActionFunctionArgs) {
  const sessionId = await readSessionId(request);
  if (sessionId) await endSession(await getDb(), sessionId);
  throw redirect("/", { headers: { "Set-Cookie": await clearSessionCookieHeader() } });
}

export async function loader() {
  throw redirect("/");
}
