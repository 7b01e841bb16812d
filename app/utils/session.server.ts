/**
 * Cookies. The session cookie carries only a random session id, signed with SESSION_SECRET;
 * the session row in the database is what makes it valid, so sign-out and a password change can
 * revoke it everywhere.
 */
import { createCookie } from "@remix-run/node";
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { deleteSession, deleteSessionsOfUser, insertSession } from "../../db/repositories/sessions.ts";
import type { DB } from "../../db/schema.ts";
import { DEFAULT_LOCALE, isLocale, localeFromAcceptLanguage, type Locale } from "../i18n/index.ts";
import { cookiesAreSecure, env, secretFromEnvOrFile } from "./env.server.ts";

export const SESSION_DAYS = 14;

let sessionCookieInstance: ReturnType<typeof createCookie> | undefined;
function sessionCookie() {
  sessionCookieInstance ??= createCookie("__session", {
    httpOnly: true,
    sameSite: "lax",
    secure: cookiesAreSecure(),
    path: "/",
    maxAge: SESSION_DAYS * 24 * 3600,
    secrets: [secretFromEnvOrFile(env().SESSION_SECRET, "session-secret")],
  });
  return sessionCookieInstance;
}

const languageCookie = createCookie("lang", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 365 * 24 * 3600 });

export async function readSessionId(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" ? value : null;
}

export async function createSessionRow(db: Kysely<DB>, userId: string): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  await insertSession(db, { id, userId, expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000) });
  return id;
}

/** Ends one session (sign-out): its cookie is worthless afterwards, even if it was copied. */
export async function endSession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await deleteSession(db, sessionId);
}

/**
 * Ends every session of a user at once: sessions live only as rows here (the cookie is just a signed
 * id), so the next request from any of their devices is signed out.
 */
export async function endAllSessions(db: Kysely<DB>, userId: string): Promise<void> {
  await deleteSessionsOfUser(db, userId);
}

export async function sessionCookieHeader(sessionId: string): Promise<string> {
  return sessionCookie().serialize(sessionId);
}

export async function clearSessionCookieHeader(): Promise<string> {
  return sessionCookie().serialize("", { maxAge: 0 });
}

/** Cookie first (an explicit choice), then the browser's Accept-Language, then zh-CN. */
export async function requestLocale(request: Request): Promise<Locale> {
  const chosen: unknown = await languageCookie.parse(request.headers.get("Cookie"));
  if (isLocale(chosen)) return chosen;
  return localeFromAcceptLanguage(request.headers.get("Accept-Language")) ?? DEFAULT_LOCALE;
}

export async function languageCookieHeader(locale: Locale): Promise<string> {
  return languageCookie.serialize(locale);
}
