/**
 * Tables `users` and `memberships` as certification cases read them: who an actor is, the members
 * of a body who may hold a team seat, and the names a case page or the inbox shows. (The tables'
 * own writes and account queries are in users.ts and memberships.ts.)
 */
import { sql } from "kysely";
import type { Executor } from "./executor.ts";

/** The user's organization and roles, or undefined without a membership. */
export function membershipOfUser(db: Executor, userId: string) {
  return db.selectFrom("memberships").select(["organization_id", "roles"]).where("user_id", "=", userId).executeTakeFirst();
}

/** Which of these users are active (not off-boarded) members of the organization, with their roles. */
export function activeMembersAmong(db: Executor, organizationId: string, userIds: readonly string[]) {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["memberships.user_id", "memberships.roles"])
    .where("memberships.organization_id", "=", organizationId)
    .where("users.deactivated_at", "is", null)
    .where("memberships.user_id", "in", [...userIds])
    .execute();
}

/** Every active member of the organization with name and roles, by name. */
export function activeMembersByName(db: Executor, organizationId: string) {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id", "users.name", "memberships.roles"])
    .where("memberships.organization_id", "=", organizationId)
    .where("users.deactivated_at", "is", null)
    .orderBy("users.name")
    .execute();
}

/** Everyone a case names, by the log (its actors) and by its team seats: id and name. */
export function peopleNamedByCase(db: Executor, caseId: string) {
  return db
    .selectFrom("users")
    .select(["id", "name"])
    .where((eb) =>
      eb.or([
        eb(
          "id",
          "in",
          eb
            .selectFrom("case_events")
            .select("actor_user_id")
            .where("case_id", "=", caseId)
            .where("actor_user_id", "is not", null)
            .$narrowType<{ actor_user_id: string }>(),
        ),
        eb(
          "id",
          "in",
          eb
            .selectFrom("cases")
            .select(sql<string>`unnest(array[reviewer_id, inspector_id, verifier_id, decider_id])`.as("u"))
            .where("id", "=", caseId),
        ),
      ]),
    )
    .execute();
}

/** The names of these users (ids that name nobody are left out). */
export function namesOfUsers(db: Executor, userIds: readonly string[]) {
  return db
    .selectFrom("users")
    .select(["id", "name"])
    .where("id", "in", [...userIds])
    .execute();
}
