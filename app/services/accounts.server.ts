/**
 * A person's own account: finding it at sign-in, their name and language, and changing the
 * password (which ends every session they have).
 */
import type { Kysely } from "kysely";
import {
  accountByEmail,
  passwordHashOf as storedPasswordHash,
  setPasswordHash,
  setPreferredLanguage,
  updateUserProfile,
} from "../../db/repositories/users.ts";
import type { DB } from "../../db/schema.ts";
import type { Locale } from "../i18n/index.ts";
import { createSessionRow, endAllSessions } from "../utils/session.server.ts";

/** The account an address signs in to (addresses compare without case), or undefined. */
export function findSignInAccount(db: Kysely<DB>, email: string) {
  return accountByEmail(db, email);
}

export async function saveProfile(db: Kysely<DB>, userId: string, profile: { name: string; language: Locale }): Promise<void> {
  await updateUserProfile(db, userId, profile);
}

/** Remembers the interface language on the account, so it follows the person to other devices. */
export async function savePreferredLanguage(db: Kysely<DB>, userId: string, language: Locale): Promise<void> {
  await setPreferredLanguage(db, userId, language);
}

/** The stored password hash (null for an account that has not chosen a password yet). */
export async function passwordHashOf(db: Kysely<DB>, userId: string): Promise<string | null> {
  return storedPasswordHash(db, userId);
}

/**
 * Stores a new password hash and ends every session of the account, all in one transaction;
 * returns a fresh session for the device that made the change.
 */
export function changePassword(db: Kysely<DB>, userId: string, passwordHash: string): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, userId, passwordHash, new Date());
    await endAllSessions(trx, userId);
    return createSessionRow(trx, userId);
  });
}
