/**
 * Off-boarding and sign-in limits that cannot be turned into a lockout.
 *
 * - users.deactivated_at: a departed person keeps their row (case logs, inventories and decisions
 *   reference it and must keep naming them) but can no longer sign in; every session of theirs is
 *   refused from that moment.
 * - invitations.revoked_at: an admin can withdraw an open invitation; the row stays as a record.
 * - login_throttle: the next free sign-in slot of a client address that has failed too often, shared
 *   by every app server, so that a flood from one address is spaced out instead of locking anyone out.
 * Typed against Kysely<any>: a migration is frozen in time and never imports application types.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("deactivated_at", "timestamptz").execute();
  await db.schema.alterTable("invitations").addColumn("revoked_at", "timestamptz").execute();
  await db.schema
    .createTable("login_throttle")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("next_slot_at", "timestamptz", (c) => c.notNull())
    .execute();
  // Sign-in attempts were counted per account alone (a lockout anyone could trigger); the buckets
  // are now per (account, address) and per address. Old rows name buckets nothing reads any more.
  await sql`delete from auth_attempts`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("login_throttle").execute();
  await db.schema.alterTable("invitations").dropColumn("revoked_at").execute();
  await db.schema.alterTable("users").dropColumn("deactivated_at").execute();
}
