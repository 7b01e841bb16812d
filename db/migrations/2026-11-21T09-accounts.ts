/**
 * Organizations, users, memberships, sessions, invitations and sign-in attempts.
 * Typed against Kysely<any>: a migration is frozen in time and never imports application types.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("organizations")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('manufacturer', 'certification_body', 'platform')`))
    .addColumn("name_zh", "text", (c) => c.notNull())
    .addColumn("name_en", "text", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("province", "text")
    // 统一社会信用代码 (GB 32100-2015); the check character is validated in code before insert.
    .addColumn("credit_code", "text", (c) => c.unique().check(sql`credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'`))
    // CNCA approval number of a certification body, and its short code used in certificate numbers.
    .addColumn("cnca_approval_number", "text", (c) => c.unique())
    .addColumn("cb_code", "text", (c) => c.unique().check(sql`cb_code ~ '^[A-Z0-9]{2,10}$'`))
    .addColumn("accredited_categories", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "organizations_kind_fields",
      sql`(kind <> 'manufacturer' or credit_code is not null)
        and (kind <> 'certification_body' or (cnca_approval_number is not null and cb_code is not null))`,
    )
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("preferred_language", "text", (c) =>
      c
        .notNull()
        .defaultTo("zh-CN")
        .check(sql`preferred_language in ('zh-CN', 'en')`),
    )
    .addColumn("password_hash", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("password_changed_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("users_email_key")
    .on("users")
    .unique()
    .expression(sql`lower(email)`)
    .execute();

  // One organization per user; several roles inside it (a CB employee may review and inspect).
  await db.schema
    .createTable("memberships")
    .addColumn("user_id", "uuid", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    .addColumn("roles", sql`text[]`, (c) =>
      c
        .notNull()
        .check(
          sql`cardinality(roles) > 0 and roles <@ array['manufacturer_admin', 'manufacturer_member', 'cb_admin', 'cb_reviewer', 'cb_inspector', 'cb_verifier', 'cb_decider', 'platform_admin']::text[]`,
        ),
    )
    .execute();
  await db.schema.createIndex("memberships_organization_idx").on("memberships").column("organization_id").execute();

  await db.schema
    .createTable("sessions")
    // The cookie carries this random id (signed); the row lets sign-out and password change revoke it.
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user_idx").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("invitations")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("roles", sql`text[]`, (c) => c.notNull())
    // Only the SHA-256 of the token is stored; the link itself is shown once to the inviter.
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("invited_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("accepted_at", "timestamptz")
    .execute();

  // Sign-in attempts, for rate limiting across every app server that shares this database.
  await db.schema
    .createTable("auth_attempts")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("bucket", "text", (c) => c.notNull())
    .addColumn("succeeded", "boolean", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("auth_attempts_bucket_idx").on("auth_attempts").columns(["bucket", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["auth_attempts", "invitations", "sessions", "memberships", "users", "organizations"]) {
    await db.schema.dropTable(table).execute();
  }
}
