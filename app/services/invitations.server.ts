/**
 * Invitations: an admin names a person and their roles; the person opens a one-time link, chooses
 * a password and is signed in. Only the token's SHA-256 is stored, so a database leak yields no
 * usable links.
 */
import { createHash, randomBytes } from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import type { DB, Role } from "../../db/schema.ts";
import { hashPassword } from "../utils/password.server.ts";

export const INVITATION_DAYS = 7;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

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

export function invitationUrl(request: Request, token: string): string {
  return new URL(`/invite/${token}`, request.url).toString();
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
    .where("invitations.expires_at", ">", new Date())
    .executeTakeFirst();
}

/** Creates the user and membership and closes the invitation, all or nothing. Returns the user id. */
export async function acceptInvitation(
  db: Kysely<DB>,
  token: string,
  answer: { name: string; password: string; language: "zh-CN" | "en" },
): Promise<string | null> {
  const passwordHash = await hashPassword(answer.password);
  return db.transaction().execute(async (trx) => {
    const invitation = await trx
      .selectFrom("invitations")
      .selectAll()
      .where("token_hash", "=", hashToken(token))
      .where("accepted_at", "is", null)
      .where("expires_at", ">", new Date())
      .forUpdate()
      .executeTakeFirst();
    if (!invitation) return null;
    const user = await trx
      .insertInto("users")
      .values({
        email: invitation.email,
        name: answer.name,
        password_hash: passwordHash,
        preferred_language: answer.language,
        password_changed_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("memberships")
      .values({ user_id: user.id, organization_id: invitation.organization_id, roles: invitation.roles })
      .execute();
    await trx.updateTable("invitations").set({ accepted_at: new Date() }).where("id", "=", invitation.id).execute();
    return user.id;
  });
}
