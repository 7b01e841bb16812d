/**
 * Organizations: the platform admin's list and onboarding, each organization's profile and its
 * members. The forms' schemas are in app/utils/organization-forms.ts (the browser validates with
 * them too).
 */
import { sql, type Kysely, type Transaction } from "kysely";
import type { DB, Role } from "../../db/schema.ts";
import { ADMIN_ROLE_BY_KIND } from "../utils/permissions.ts";
import { createInvitation } from "./invitations.server.ts";

export { certificationBodyAdminSchema, certificationBodyProfileSchema, manufacturerProfileSchema } from "../utils/organization-forms.ts";

/** Translates a unique-constraint violation into the field it concerns. */
export function uniqueViolationField(error: unknown): string | null {
  const e = error as { code?: string; constraint?: string };
  if (e?.code !== "23505") return null;
  if (e.constraint?.includes("credit_code")) return "creditCode";
  if (e.constraint?.includes("cnca_approval_number")) return "approvalNumber";
  if (e.constraint?.includes("cb_code")) return "cbCode";
  if (e.constraint?.includes("email")) return "adminEmail";
  return "form";
}

// ---- the platform admin's list, and onboarding an organization with its first admin ----

/** Every organization with its number of members, manufacturers first, by Chinese name. */
export function organizationsWithMemberCounts(db: Kysely<DB>) {
  return db
    .selectFrom("organizations")
    .leftJoin("memberships", "memberships.organization_id", "organizations.id")
    .select([
      "organizations.id",
      "organizations.kind",
      "organizations.name_zh",
      "organizations.name_en",
      "organizations.credit_code",
      "organizations.cnca_approval_number",
      "organizations.cb_code",
      "organizations.province",
      "organizations.accredited_categories",
      sql<number>`count(memberships.user_id)::int`.as("member_count"),
    ])
    .groupBy("organizations.id")
    .orderBy("organizations.kind")
    .orderBy("organizations.name_zh")
    .execute();
}

export interface NewOrganization {
  readonly kind: "manufacturer" | "certification_body";
  readonly nameZh: string;
  readonly nameEn: string;
  readonly address: string;
  readonly province: string;
  readonly creditCode: string | null;
  readonly approvalNumber: string | null;
  readonly cbCode: string | null;
  readonly scope: readonly string[];
}

/**
 * Creates an organization and the invitation of its first admin together: an organization without
 * a way in for its admin is never left behind. Returns its names and the invitation token. A
 * duplicate credit code, approval number or body code fails with the unique violation
 * (uniqueViolationField names the field).
 */
export function onboardOrganization(
  db: Kysely<DB>,
  organization: NewOrganization,
  admin: { readonly email: string; readonly name: string; readonly invitedBy: string },
): Promise<{ nameZh: string; nameEn: string; token: string }> {
  return db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto("organizations")
      .values({
        kind: organization.kind,
        name_zh: organization.nameZh,
        name_en: organization.nameEn,
        address: organization.address,
        province: organization.province,
        credit_code: organization.creditCode,
        cnca_approval_number: organization.approvalNumber,
        cb_code: organization.cbCode,
        accredited_categories: [...organization.scope],
      })
      .returning(["id", "name_zh", "name_en"])
      .executeTakeFirstOrThrow();
    const token = await createInvitation(trx, {
      organizationId: created.id,
      email: admin.email,
      name: admin.name,
      roles: [ADMIN_ROLE_BY_KIND[organization.kind]],
      invitedBy: admin.invitedBy,
    });
    return { nameZh: created.name_zh, nameEn: created.name_en, token };
  });
}

// ---- an organization's own profile ----

export function findOrganization(db: Kysely<DB>, organizationId: string) {
  return db.selectFrom("organizations").selectAll().where("id", "=", organizationId).executeTakeFirstOrThrow();
}

/**
 * Saves the details an organization edits itself; the credit code only when given (manufacturers).
 * A credit code another organization holds fails with the unique violation.
 */
export async function updateOrganizationProfile(
  db: Kysely<DB>,
  organizationId: string,
  profile: { readonly nameZh: string; readonly nameEn: string; readonly address: string; readonly province: string; readonly creditCode?: string },
): Promise<void> {
  await db
    .updateTable("organizations")
    .set({
      name_zh: profile.nameZh,
      name_en: profile.nameEn,
      address: profile.address,
      province: profile.province,
      ...(profile.creditCode === undefined ? {} : { credit_code: profile.creditCode }),
    })
    .where("id", "=", organizationId)
    .execute();
}

// ---- members: the list, open invitations, roles ----

/** The organization's members with their roles, by name. */
export function organizationMembers(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id", "users.name", "users.email", "users.deactivated_at", "memberships.roles"])
    .where("memberships.organization_id", "=", organizationId)
    .orderBy("users.name")
    .execute();
}

/** Invitations still open (not accepted, revoked or expired), newest first. */
export function openInvitations(db: Kysely<DB>, organizationId: string) {
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

/**
 * Gives a member of `organizationId` a new set of roles, unless that would leave the organization
 * without an active admin. "not-found" for someone who is not a member of it.
 */
/**
 * The organization's members with their roles and deactivation, its membership rows locked for the
 * transaction: two admins changing each other at once cannot leave it without an active admin.
 */
function lockedMemberships(trx: Transaction<DB>, organizationId: string) {
  return trx
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["memberships.user_id", "memberships.roles", "users.deactivated_at"])
    .where("memberships.organization_id", "=", organizationId)
    .forUpdate(["memberships"])
    .execute();
}

export function updateMemberRoles(
  db: Kysely<DB>,
  change: { organizationId: string; userId: string; roles: readonly Role[]; adminRole: Role },
): Promise<"updated" | "not-found" | "last-admin"> {
  return db.transaction().execute(async (trx) => {
    const memberships = await lockedMemberships(trx, change.organizationId);
    const target = memberships.find((m) => m.user_id === change.userId);
    if (!target) return "not-found" as const;
    // A deactivated admin cannot sign in, so they do not count as the admin who remains.
    const otherAdmins = memberships.filter((m) => m.user_id !== target.user_id && !m.deactivated_at && m.roles.includes(change.adminRole));
    if (!change.roles.includes(change.adminRole) && otherAdmins.length === 0) return "last-admin" as const;
    await trx
      .updateTable("memberships")
      .set({ roles: [...change.roles] })
      .where("user_id", "=", target.user_id)
      .where("organization_id", "=", change.organizationId)
      .execute();
    return "updated" as const;
  });
}

// ---- off-boarding: deactivate, reactivate, remove a member, end their sessions ----

export type MemberChange = "deactivate" | "reactivate" | "remove" | "end-sessions";
export type MemberChangeOutcome =
  /** What was done; "remove" of someone the records name becomes "deactivated". */
  | { kind: "deactivated" | "reactivated" | "removed" | "sessions-ended" }
  /** Not a member of this organization: answered like a member who does not exist. */
  | { kind: "not-found" }
  | { kind: "self" }
  | { kind: "last-admin" };

/**
 * Changes one member of `organizationId` on behalf of its admin `actorId`. The organization's
 * memberships are locked for the transaction, so two admins cannot deactivate each other at once
 * and leave it without an admin. Sessions are rows (app/utils/session.server.ts): deleting them
 * signs the person out of every device on their next request.
 *
 * A user row stays as long as anything names it (case events, decisions, inventories, files,
 * invitations they sent): "remove" then deactivates instead, so the records keep showing who did
 * what. A member the records never name (e.g. invited by mistake) is deleted for good.
 */
export async function changeMember(
  db: Kysely<DB>,
  change: { organizationId: string; actorId: string; userId: string; action: MemberChange; adminRole: Role },
): Promise<MemberChangeOutcome> {
  return db.transaction().execute(async (trx) => {
    const members = await lockedMemberships(trx, change.organizationId);
    const target = members.find((m) => m.user_id === change.userId);
    if (!target) return { kind: "not-found" } as const;
    const endSessions = () => trx.deleteFrom("sessions").where("user_id", "=", target.user_id).execute();

    if (change.action === "end-sessions") {
      await endSessions();
      return { kind: "sessions-ended" } as const;
    }
    if (change.action === "reactivate") {
      await trx.updateTable("users").set({ deactivated_at: null }).where("id", "=", target.user_id).execute();
      return { kind: "reactivated" } as const;
    }
    // Deactivate or remove: never oneself (the page would lock its own admin out), never the last
    // active admin (nobody could manage the organization any more).
    if (target.user_id === change.actorId) return { kind: "self" } as const;
    const otherActiveAdmins = members.filter((m) => m.user_id !== target.user_id && !m.deactivated_at && m.roles.includes(change.adminRole));
    if (target.roles.includes(change.adminRole) && !target.deactivated_at && otherActiveAdmins.length === 0) {
      return { kind: "last-admin" } as const;
    }

    if (change.action === "remove") {
      await sql`savepoint remove_member`.execute(trx);
      try {
        // Cascades to the membership, sessions and notifications; refused (23503) while any record names the user.
        await trx.deleteFrom("users").where("id", "=", target.user_id).execute();
        await sql`release savepoint remove_member`.execute(trx);
        return { kind: "removed" } as const;
      } catch (error) {
        if ((error as { code?: string }).code !== "23503") throw error;
        await sql`rollback to savepoint remove_member`.execute(trx);
      }
    }
    if (!target.deactivated_at) {
      await trx.updateTable("users").set({ deactivated_at: new Date() }).where("id", "=", target.user_id).execute();
    }
    await endSessions();
    return { kind: "deactivated" } as const;
  });
}
