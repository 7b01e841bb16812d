/**
 * Invitations: an admin names a person and their roles; the person opens a one-time link, chooses
 * a password and is signed in. Only the token's SHA-256 is stored, so a database leak yields no
 * usable links.
 *
 * A user belongs to one organization (memberships.user_id is the key). Inviting an e-mail address
 * gives the inviter the same answer whether or not it already has an account elsewhere; the link's
 * holder learns more only by proving they own that account (its password):
 * - no account: one is created with the invitation's roles;
 * - an account in this organization already: the invitation is closed and they are signed in;
 * - an account with no organization: it joins this one with the invitation's roles;
 * - an account in another organization: refused (409), one account cannot belong to two;
 * - a deactivated account: refused (403), only its organization's admin can reactivate it.
 */
import { createHash, randomBytes } from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import type { DB, Role } from "../../db/schema.ts";
import { hashPassword, verifyPassword } from "../utils/password.server.ts";
import { publicUrl } from "../utils/public-origin.server.ts";

export const INVITATION_DAYS = 7;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** For the platform admin's onboarding form only: the platform admin may know every account. */
export async function emailIsTaken(db: Kysely<DB>, email: string): Promise<boolean> {
  const row = await db
    .selectFrom("users")
    .select("id")
    .where(sql`lower(email)`, "=", email.toLowerCase())
    .executeTakeFirst();
  return Boolean(row);
}

/** Returns the token to put in the link; it is never stored or shown again. */
export async function createInvitation(
  db: Kysely<DB> | Transaction<DB>,
  invitation: { organizationId: string; email: string; name: string; roles: Role[]; invitedBy: string },
): Promise<string> {
  const token = randomBytes(24).toString("base64url");
  await db
    .insertInto("invitations")
    .values({
      organization_id: invitation.organizationId,
      email: invitation.email.toLowerCase(),
      name: invitation.name,
      roles: invitation.roles,
      token_hash: hashToken(token),
      invited_by: invitation.invitedBy,
      expires_at: new Date(Date.now() + INVITATION_DAYS * 24 * 3600 * 1000),
    })
    .execute();
  return token;
}

/** The link sent or shown to the invitee: on the public origin, never on the request's Host. */
export function invitationUrl(token: string): string {
  return publicUrl(`/invite/${token}`);
}

export async function findOpenInvitation(db: Kysely<DB>, token: string) {
  return db
    .selectFrom("invitations")
    .innerJoin("organizations", "organizations.id", "invitations.organization_id")
    .select([
      "invitations.id",
      "invitations.email",
      "invitations.name",
      "invitations.roles",
      "invitations.organization_id",
      "organizations.name_zh",
      "organizations.name_en",
    ])
    .where("invitations.token_hash", "=", hashToken(token))
    .where("invitations.accepted_at", "is", null)
    .where("invitations.revoked_at", "is", null)
    .where("invitations.expires_at", ">", new Date())
    .executeTakeFirst();
}

/** Whether the address belongs to a member (active or not) of this organization: the admin sees those anyway. */
export async function isMemberEmail(db: Kysely<DB>, organizationId: string, email: string): Promise<boolean> {
  const row = await db
    .selectFrom("users")
    .innerJoin("memberships", "memberships.user_id", "users.id")
    .select("users.id")
    .where(sql`lower(users.email)`, "=", email.toLowerCase())
    .where("memberships.organization_id", "=", organizationId)
    .executeTakeFirst();
  return Boolean(row);
}

/** Withdraws an open invitation of this organization; false when there is none (or it is another's). */
export async function revokeInvitation(db: Kysely<DB>, organizationId: string, invitationId: string): Promise<boolean> {
  const result = await db
    .updateTable("invitations")
    .set({ revoked_at: new Date() })
    .where("id", "=", invitationId)
    .where("organization_id", "=", organizationId)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export type AcceptOutcome =
  | { kind: "created" | "linked"; userId: string }
  /** No open invitation behind this token. */
  | { kind: "invalid" }
  /** The address has an account: the password given is not its password. */
  | { kind: "wrong-password" }
  | { kind: "other-organization" }
  | { kind: "deactivated" }
  /** The address registered between our look-up and our insert: the next try links it. */
  | { kind: "conflict" };

type Invitation = { id: string; organization_id: string; email: string; roles: Role[] };

async function lockOpenInvitation(trx: Transaction<DB>, token: string): Promise<Invitation | undefined> {
  return trx
    .selectFrom("invitations")
    .select(["id", "organization_id", "email", "roles"])
    .where("token_hash", "=", hashToken(token))
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", new Date())
    .forUpdate()
    .executeTakeFirst();
}

const closeInvitation = (trx: Transaction<DB>, id: string) =>
  trx.updateTable("invitations").set({ accepted_at: new Date() }).where("id", "=", id).execute();

/**
 * Accepts an invitation (see the rules at the top). `existingAccountPassword` is asked only when
 * the address has an account: the caller checks it against the sign-in limits first, since this is
 * a password check like a sign-in.
 */
export async function acceptInvitation(
  db: Kysely<DB>,
  token: string,
  answer: { name: string; password: string; language: "zh-CN" | "en" },
): Promise<AcceptOutcome> {
  const invitation = await findOpenInvitation(db, token);
  if (!invitation) return { kind: "invalid" };
  const existing = await db
    .selectFrom("users")
    .select(["id", "password_hash"])
    .where(sql`lower(email)`, "=", invitation.email.toLowerCase())
    .executeTakeFirst();
  if (existing) {
    // Nothing is said about the account (organization, state) until its owner has proved who they are.
    if (!existing.password_hash || !(await verifyPassword(answer.password, existing.password_hash))) return { kind: "wrong-password" };
    return db.transaction().execute(async (trx) => {
      const open = await lockOpenInvitation(trx, token);
      if (!open) return { kind: "invalid" } as const;
      const user = await trx
        .selectFrom("users")
        .leftJoin("memberships", "memberships.user_id", "users.id")
        .select(["users.id", "users.deactivated_at", "memberships.organization_id"])
        .where("users.id", "=", existing.id)
        .forUpdate(["users"])
        .executeTakeFirst();
      if (!user) return { kind: "conflict" } as const;
      if (user.organization_id && user.organization_id !== open.organization_id) return { kind: "other-organization" } as const;
      if (user.deactivated_at) return { kind: "deactivated" } as const;
      if (!user.organization_id) {
        await trx.insertInto("memberships").values({ user_id: user.id, organization_id: open.organization_id, roles: open.roles }).execute();
      }
      // Already a member: the roles stay as the admin set them on the members page.
      await closeInvitation(trx, open.id);
      return { kind: "linked", userId: user.id } as const;
    });
  }

  const passwordHash = await hashPassword(answer.password);
  try {
    return await db.transaction().execute(async (trx) => {
      const open = await lockOpenInvitation(trx, token);
      if (!open) return { kind: "invalid" } as const;
      const user = await trx
        .insertInto("users")
        .values({
          email: open.email,
          name: answer.name,
          password_hash: passwordHash,
          preferred_language: answer.language,
          password_changed_at: new Date(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx.insertInto("memberships").values({ user_id: user.id, organization_id: open.organization_id, roles: open.roles }).execute();
      await closeInvitation(trx, open.id);
      return { kind: "created", userId: user.id } as const;
    });
  } catch (error) {
    // The address registered in the meantime (users_email_key): nothing was written.
    if ((error as { code?: string }).code === "23505") return { kind: "conflict" };
    throw error;
  }
}
