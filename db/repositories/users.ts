/**
 * Table `users`: accounts. E-mail addresses compare without case (`lower(email)`, the unique
 * index's expression); callers pass the address already lower-cased where the caller did before.
 */
import { sql, type Insertable, type Transaction } from "kysely";
import type { DB, Language, UsersTable } from "../schema.ts";
import type { Executor } from "./executor.ts";

/** The account an address signs in to, with what sign-in needs to decide; undefined when none. */
export function accountByEmail(db: Executor, lowerCaseEmail: string) {
  return db
    .selectFrom("users")
    .select(["id", "password_hash", "preferred_language", "deactivated_at"])
    .where(sql`lower(email)`, "=", lowerCaseEmail)
    .executeTakeFirst();
}

/** The id of the account with this address, or undefined. */
export async function userIdByEmail(db: Executor, lowerCaseEmail: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("users")
    .select("id")
    .where(sql`lower(email)`, "=", lowerCaseEmail)
    .executeTakeFirst();
  return row?.id;
}

/** Adds an account; returns its id. A taken address fails with the unique violation (23505, users_email_key). */
export async function insertUser(db: Executor, user: Insertable<UsersTable>): Promise<string> {
  const row = await db.insertInto("users").values(user).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUserProfile(db: Executor, userId: string, profile: { name: string; language: Language }): Promise<void> {
  await db.updateTable("users").set({ name: profile.name, preferred_language: profile.language }).where("id", "=", userId).execute();
}

export async function setPreferredLanguage(db: Executor, userId: string, language: Language): Promise<void> {
  await db.updateTable("users").set({ preferred_language: language }).where("id", "=", userId).execute();
}

/** The stored password hash (null before the account has chosen one); throws for an unknown user. */
export async function passwordHashOf(db: Executor, userId: string): Promise<string | null> {
  const row = await db.selectFrom("users").select("password_hash").where("id", "=", userId).executeTakeFirstOrThrow();
  return row.password_hash;
}

export async function setPasswordHash(db: Executor, userId: string, passwordHash: string, changedAt: Date): Promise<void> {
  await db.updateTable("users").set({ password_hash: passwordHash, password_changed_at: changedAt }).where("id", "=", userId).execute();
}

/** Sets or clears (null) the account's deactivation. */
export async function setUserDeactivated(db: Executor, userId: string, deactivatedAt: Date | null): Promise<void> {
  await db.updateTable("users").set({ deactivated_at: deactivatedAt }).where("id", "=", userId).execute();
}

/**
 * The account with its organization (null without a membership), the user row locked for the
 * transaction; undefined when it no longer exists.
 */
export function lockUserWithMembership(trx: Transaction<DB>, userId: string) {
  return trx
    .selectFrom("users")
    .leftJoin("memberships", "memberships.user_id", "users.id")
    .select(["users.id", "users.deactivated_at", "memberships.organization_id"])
    .where("users.id", "=", userId)
    .forUpdate(["users"])
    .executeTakeFirst();
}

/**
 * Deletes the account unless a record still names it: true when deleted; false when a foreign key
 * refused it (23503), the transaction left as it was (a savepoint takes the failed delete back, so
 * the caller's transaction goes on). The delete cascades to the membership, sessions and
 * notifications.
 */
export async function deleteUserUnlessReferenced(trx: Transaction<DB>, userId: string): Promise<boolean> {
  await sql`savepoint remove_member`.execute(trx);
  try {
    await trx.deleteFrom("users").where("id", "=", userId).execute();
    await sql`release savepoint remove_member`.execute(trx);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== "23503") throw error;
    await sql`rollback to savepoint remove_member`.execute(trx);
    return false;
  }
}
