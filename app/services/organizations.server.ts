/**
 * Organizations: the platform admin's list and onboarding, each organization's profile and its
 * members. The forms' schemas are in app/utils/organization-forms.ts (the browser validates with
 * them too).
 */
import type { Kysely } from "kysely";
import { lockMembershipsOf, membersOf, setMembershipRoles } from "../../db/repositories/memberships.ts";
import {
  getOrganization,
  insertOrganization,
  organizationsWithMemberCounts as organizationsWithCounts,
  updateOrganizationProfile as saveOrganizationProfile,
} from "../../db/repositories/organizations.ts";
import { openInvitationsOf } from "../../db/repositories/invitations.ts";
import { deleteSessionsOfUser } from "../../db/repositories/sessions.ts";
import { deleteUserUnlessReferenced, setUserDeactivated } from "../../db/repositories/users.ts";
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
  return organizationsWithCounts(db);
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
    const created = await insertOrganization(trx, {
      kind: organization.kind,
      name_zh: organization.nameZh,
      name_en: organization.nameEn,
      address: organization.address,
      province: organization.province,
      credit_code: organization.creditCode,
      cnca_approval_number: organization.approvalNumber,
      cb_code: organization.cbCode,
      accredited_categories: [...organization.scope],
    });
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
  return getOrganization(db, organizationId);
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
  await saveOrganizationProfile(db, organizationId, profile);
}

// ---- members: the list, open invitations, roles ----

/** The organization's members with their roles, by name. */
export function organizationMembers(db: Kysely<DB>, organizationId: string) {
  return membersOf(db, organizationId);
}

/** Invitations still open (not accepted, revoked or expired), newest first. */
export function openInvitations(db: Kysely<DB>, organizationId: string) {
  return openInvitationsOf(db, organizationId);
}

/**
 * Gives a member of `organizationId` a new set of roles, unless that would leave the organization
 * without an active admin. "not-found" for someone who is not a member of it.
 */
export function updateMemberRoles(
  db: Kysely<DB>,
  change: { organizationId: string; userId: string; roles: readonly Role[]; adminRole: Role },
): Promise<"updated" | "not-found" | "last-admin"> {
  return db.transaction().execute(async (trx) => {
    const memberships = await lockMembershipsOf(trx, change.organizationId);
    const target = memberships.find((m) => m.user_id === change.userId);
    if (!target) return "not-found" as const;
    // A deactivated admin cannot sign in, so they do not count as the admin who remains.
    const otherAdmins = memberships.filter((m) => m.user_id !== target.user_id && !m.deactivated_at && m.roles.includes(change.adminRole));
    if (!change.roles.includes(change.adminRole) && otherAdmins.length === 0) return "last-admin" as const;
    await setMembershipRoles(trx, change.organizationId, target.user_id, change.roles);
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
    const members = await lockMembershipsOf(trx, change.organizationId);
    const target = members.find((m) => m.user_id === change.userId);
    if (!target) return { kind: "not-found" } as const;
    const endSessions = () => deleteSessionsOfUser(trx, target.user_id);

    if (change.action === "end-sessions") {
      await endSessions();
      return { kind: "sessions-ended" } as const;
    }
    if (change.action === "reactivate") {
      await setUserDeactivated(trx, target.user_id, null);
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
      // Deleted for good only when no record names the user (the foreign keys decide); otherwise deactivated below.
      if (await deleteUserUnlessReferenced(trx, target.user_id)) return { kind: "removed" } as const;
    }
    if (!target.deactivated_at) {
      await setUserDeactivated(trx, target.user_id, new Date());
    }
    await endSessions();
    return { kind: "deactivated" } as const;
  });
}
