/**
 * Table `invitations`: an admin's invitation of a person to the organization, found by the SHA-256
 * of its token (the token itself is never stored). Open means not accepted, not revoked and not
 * expired now.
 */
import type { Insertable, Transaction } from "kysely";
import type { DB, InvitationsTable } from "../schema.ts";
import type { Executor } from "./executor.ts";

export async function insertInvitation(db: Executor, invitation: Insertable<InvitationsTable>): Promise<void> {
  await db.insertInto("invitations").values(invitation).execute();
}

/** The open invitation behind a token's hash, with its organization's names; undefined when none. */
export function openInvitationByTokenHash(db: Executor, tokenHash: string) {
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
    .where("invitations.token_hash", "=", tokenHash)
    .where("invitations.accepted_at", "is", null)
    .where("invitations.revoked_at", "is", null)
    .where("invitations.expires_at", ">", new Date())
    .executeTakeFirst();
}

/** The open invitation behind a token's hash, locked for the transaction (two tabs accepting it at once take turns). */
export function lockOpenInvitationByTokenHash(trx: Transaction<DB>, tokenHash: string) {
  return trx
    .selectFrom("invitations")
    .select(["id", "organization_id", "email", "roles"])
    .where("token_hash", "=", tokenHash)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", new Date())
    .forUpdate()
    .executeTakeFirst();
}

export async function markInvitationAccepted(db: Executor, invitationId: string): Promise<void> {
  await db.updateTable("invitations").set({ accepted_at: new Date() }).where("id", "=", invitationId).execute();
}

/** Revokes an open invitation of this organization; false when there is none. */
export async function revokeOpenInvitation(db: Executor, organizationId: string, invitationId: string): Promise<boolean> {
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

/** The organization's open invitations, newest first. */
export function openInvitationsOf(db: Executor, organizationId: string) {
  return db
    .selectFrom("invitations")
    .select(["id", "email", "name", "roles", "expires_at"])
    .where("organization_id", "=", organizationId)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", new Date())
    .orderBy("created_at", "desc")
    .execute();
}
