/**
 * Table `memberships`: which organization a user belongs to, with their roles (one organization
 * per user: `user_id` is the key).
 */
import { sql, type Transaction } from "kysely";
import type { DB, Role } from "../schema.ts";
import type { Executor } from "./executor.ts";

export async function insertMembership(db: Executor, membership: { userId: string; organizationId: string; roles: Role[] }): Promise<void> {
  await db
    .insertInto("memberships")
    .values({ user_id: membership.userId, organization_id: membership.organizationId, roles: membership.roles })
    .execute();
}

/** The organization's members with their roles, by name. */
export function membersOf(db: Executor, organizationId: string) {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id", "users.name", "users.email", "users.deactivated_at", "memberships.roles"])
    .where("memberships.organization_id", "=", organizationId)
    .orderBy("users.name")
    .execute();
}

/**
 * The organization's members with their roles and deactivation, its membership rows locked for the
 * transaction: two admins changing each other at once cannot leave it without an active admin.
 */
export function lockMembershipsOf(trx: Transaction<DB>, organizationId: string) {
  return trx
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["memberships.user_id", "memberships.roles", "users.deactivated_at"])
    .where("memberships.organization_id", "=", organizationId)
    .forUpdate(["memberships"])
    .execute();
}

export async function setMembershipRoles(db: Executor, organizationId: string, userId: string, roles: readonly Role[]): Promise<void> {
  await db
    .updateTable("memberships")
    .set({ roles: [...roles] })
    .where("user_id", "=", userId)
    .where("organization_id", "=", organizationId)
    .execute();
}

/** Whether the (lower-cased) address belongs to a member, active or not, of the organization. */
export async function isMemberEmail(db: Executor, organizationId: string, lowerCaseEmail: string): Promise<boolean> {
  const row = await db
    .selectFrom("users")
    .innerJoin("memberships", "memberships.user_id", "users.id")
    .select("users.id")
    .where(sql`lower(users.email)`, "=", lowerCaseEmail)
    .where("memberships.organization_id", "=", organizationId)
    .executeTakeFirst();
  return Boolean(row);
}
