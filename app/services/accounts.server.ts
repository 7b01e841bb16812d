/**
 * A person's own account: finding it at sign-in, their name and language, and changing the
 * password (which ends every session they have).
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "../../db/schema.ts";
import type { Locale } from "../i18n/index.ts";
import { createSessionRow, endAllSessions } from "../utils/session.server.ts";

/** The account an address signs in to (addresses compare without case), or undefined. */
export function findSignInAccount(db: Kysely<DB>, email: string) {
  return db
    .selectFrom("users")
    .select(["id", "password_hash", "preferred_language", "deactivated_at"])
    .where(sql`lower(email)`, "=", email)
    .executeTakeFirst();
}

export async function saveProfile(db: Kysely<DB>, userId: string, profile: { name: string; language: Locale }): Promise<void> {
  await db.updateTable("users").set({ name: profile.name, preferred_language: profile.language }).where("id", "=", userId).execute();
}

/** Remembers the interface language on the account, so it follows the person to other devices. */
export async function savePreferredLanguage(db: Kysely<DB>, userId: string, language: Locale): Promise<void> {
  await db.updateTable("users").set({ preferred_language: language }).where("id", "=", userId).execute();
}

/** The stored password hash (null for an account that has not chosen a password yet). */
export async function passwordHashOf(db: Kysely<DB>, userId: string): Promise<string | null> {
  const row = await db.selectFrom("users").select("password_hash").where("id", "=", userId).executeTakeFirstOrThrow();
  return row.password_hash;
}

/**
 * Stores a new password hash and ends every session of the account, all in one transaction;
 * returns a fresh session for the device that made the change.
 */
export function changePassword(db: Kysely<DB>, userId: string, passwordHash: string): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ password_hash: passwordHash, password_changed_at: new Date() }).where("id", "=", userId).execute();
    await endAllSessions(trx, userId);
    return createSessionRow(trx, userId);
  });
}
