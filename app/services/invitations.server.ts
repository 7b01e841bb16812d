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
import type { Kysely } from "kysely";
import type { Executor } from "../../db/repositories/executor.ts";
import {
  insertInvitation,
  lockOpenInvitationByTokenHash,
  markInvitationAccepted,
  openInvitationByTokenHash,
  revokeOpenInvitation,
} from "../../db/repositories/invitations.ts";
import { insertMembership, isMemberEmail as isMemberEmailOf } from "../../db/repositories/memberships.ts";
import { accountByEmail, insertUser, lockUserWithMembership, userIdByEmail } from "../../db/repositories/users.ts";
import type { DB, Role } from "../../db/schema.ts";
import { hashPassword, verifyPassword } from "../utils/password.server.ts";
import { publicUrl } from "../utils/public-origin.server.ts";

export const INVITATION_DAYS = 7;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** For the platform admin's onboarding form only: the platform admin may know every account. */
export async function emailIsTaken(db: Kysely<DB>, email: string): Promise<boolean> {
  return Boolean(await userIdByEmail(db, email.toLowerCase()));
}

/** Returns the token to put in the link; it is never stored or shown again. */
export async function createInvitation(
  db: Executor,
  invitation: { organizationId: string; email: string; name: string; roles: Role[]; invitedBy: string },
): Promise<string> {
  const token = randomBytes(24).toString("base64url");
  await insertInvitation(db, {
    organization_id: invitation.organizationId,
    email: invitation.email.toLowerCase(),
    name: invitation.name,
    roles: invitation.roles,
    token_hash: hashToken(token),
    invited_by: invitation.invitedBy,
    expires_at: new Date(Date.now() + INVITATION_DAYS * 24 * 3600 * 1000),
  });
  return token;
}

/** The link sent or shown to the invitee: on the public origin, never on the request's Host. */
export function invitationUrl(token: string): string {
  return publicUrl(`/invite/${token}`);
}

export async function findOpenInvitation(db: Kysely<DB>, token: string) {
  return openInvitationByTokenHash(db, hashToken(token));
}

/** Whether the address belongs to a member (active or not) of this organization: the admin sees those anyway. */
export async function isMemberEmail(db: Kysely<DB>, organizationId: string, email: string): Promise<boolean> {
  return isMemberEmailOf(db, organizationId, email.toLowerCase());
}

/** Withdraws an open invitation of this organization; false when there is none (or it is another's). */
export async function revokeInvitation(db: Kysely<DB>, organizationId: string, invitationId: string): Promise<boolean> {
  return revokeOpenInvitation(db, organizationId, invitationId);
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
  const existing = await accountByEmail(db, invitation.email.toLowerCase());
  if (existing) {
    // Nothing is said about the account (organization, state) until its owner has proved who they are.
    if (!existing.password_hash || !(await verifyPassword(answer.password, existing.password_hash))) return { kind: "wrong-password" };
    return db.transaction().execute(async (trx) => {
      const open = await lockOpenInvitationByTokenHash(trx, hashToken(token));
      if (!open) return { kind: "invalid" } as const;
      const user = await lockUserWithMembership(trx, existing.id);
      if (!user) return { kind: "conflict" } as const;
      if (user.organization_id && user.organization_id !== open.organization_id) return { kind: "other-organization" } as const;
      if (user.deactivated_at) return { kind: "deactivated" } as const;
      if (!user.organization_id) {
        await insertMembership(trx, { userId: user.id, organizationId: open.organization_id, roles: open.roles });
      }
      // Already a member: the roles stay as the admin set them on the members page.
      await markInvitationAccepted(trx, open.id);
      return { kind: "linked", userId: user.id } as const;
    });
  }

  const passwordHash = await hashPassword(answer.password);
  try {
    return await db.transaction().execute(async (trx) => {
      const open = await lockOpenInvitationByTokenHash(trx, hashToken(token));
      if (!open) return { kind: "invalid" } as const;
      const userId = await insertUser(trx, {
        email: open.email,
        name: answer.name,
        password_hash: passwordHash,
        preferred_language: answer.language,
        password_changed_at: new Date(),
      });
      await insertMembership(trx, { userId, organizationId: open.organization_id, roles: open.roles });
      await markInvitationAccepted(trx, open.id);
      return { kind: "created", userId } as const;
    });
  } catch (error) {
    // The address registered in the meantime (users_email_key): nothing was written.
    if ((error as { code?: string }).code === "23505") return { kind: "conflict" };
    throw error;
  }
}
