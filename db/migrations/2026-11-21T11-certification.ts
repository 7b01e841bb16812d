/**
 * Certification cases and what hangs off them: the append-only, hash-chained event log, the
 * outbox of effects run after commit, in-app notifications and the e-mail log, retired carbon
 * credits (a serial range is never used twice anywhere: an exclusion constraint), certificates
 * with their gap-free number counters, and the scheduler's record of emitted time-driven events.
 */
import { sql, type Kysely } from "kysely";

const LABEL_TYPES = sql`('CF', 'LC', 'RC', 'CN')`;

export async function up(db: Kysely<any>): Promise<void> {
  // GiST over text equality for the credit exclusion constraint (contrib; PGlite loads it too).
  await sql`create extension if not exists btree_gist`.execute(db);

  await db.schema
    .createTable("cases")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // A short reference for people (shown as CL-000123); the id stays the key.
    .addColumn("number", "bigint", (c) => c.notNull().unique().generatedAlwaysAsIdentity())
    .addColumn("machine", "text", (c) => c.notNull())
    .addColumn("machine_version", "integer", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    // { value, context } of the statechart; the only source of truth for the case's state.
    .addColumn("snapshot", "jsonb", (c) => c.notNull())
    // Optimistic lock: every transition writes version + 1 where the version is unchanged.
    .addColumn("version", "integer", (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`version >= 1`),
    )
    .addColumn("label_type", "text", (c) => c.notNull().check(sql`label_type in ${LABEL_TYPES}`))
    .addColumn("applicant_organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    .addColumn("cb_organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    .addColumn("product_id", "uuid", (c) => c.notNull().references("products.id"))
    .addColumn("inventory_id", "uuid", (c) => c.notNull().references("inventories.id"))
    .addColumn("renews_case_id", "uuid", (c) => c.references("cases.id"))
    .addColumn("pcr_code", "text", (c) => c.notNull())
    .addColumn("pcr_version", "text", (c) => c.notNull())
    // The applicant's own result, kg CO2e per declared unit, as given at application.
    .addColumn("declared_value", "numeric", (c) => c.notNull().check(sql`declared_value > 0`))
    .addColumn("declared_unit_quantity", "numeric", (c) => c.notNull())
    .addColumn("declared_unit", "text", (c) => c.notNull())
    // Copied from the snapshot on every write, for inbox filters and search without reading jsonb.
    .addColumn("product_name_zh", "text", (c) => c.notNull())
    .addColumn("product_name_en", "text", (c) => c.notNull())
    .addColumn("reviewer_id", "uuid")
    .addColumn("inspector_id", "uuid")
    .addColumn("verifier_id", "uuid")
    .addColumn("decider_id", "uuid")
    .addColumn("open_findings", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_finding_due_on", "date")
    .addColumn("certificate_issued_on", "date")
    .addColumn("certificate_valid_until", "date")
    .addColumn("surveillance_due_on", "date")
    .addColumn("closed_at", "timestamptz")
    .addColumn("created_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("cases_parties_differ", sql`applicant_organization_id <> cb_organization_id`)
    .execute();
  await db.schema.createIndex("cases_cb_state_idx").on("cases").columns(["cb_organization_id", "state", "updated_at"]).execute();
  await db.schema.createIndex("cases_applicant_state_idx").on("cases").columns(["applicant_organization_id", "state", "updated_at"]).execute();
  await db.schema.createIndex("cases_product_idx").on("cases").column("product_id").execute();
  await db.schema.createIndex("cases_inventory_idx").on("cases").column("inventory_id").execute();
  // The scheduler's scans: only certified or waiting cases carry these dates.
  await db.schema.createIndex("cases_validity_idx").on("cases").column("certificate_valid_until").where(sql.ref("closed_at"), "is", null).execute();
  await db.schema.createIndex("cases_surveillance_idx").on("cases").column("surveillance_due_on").where(sql.ref("closed_at"), "is", null).execute();
  await db.schema.createIndex("cases_finding_due_idx").on("cases").column("next_finding_due_on").where(sql.ref("closed_at"), "is", null).execute();

  await db.schema
    .createTable("case_events")
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id"))
    // 1 is the opening of the case; n is the event that produced case version n.
    .addColumn("seq", "integer", (c) => c.notNull().check(sql`seq >= 1`))
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("actor_user_id", "uuid", (c) => c.references("users.id"))
    // Scheduler and host events have no person behind them; they name the process instead.
    .addColumn("actor_system", "text")
    .addColumn("actor_roles", sql`text[]`, (c) => c.notNull())
    .addColumn("actor_organization_id", "uuid", (c) => c.references("organizations.id"))
    // The event as the machine received it, without actor and time (those are columns).
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("state_before", "text")
    .addColumn("state_after", "text", (c) => c.notNull())
    // SHA-256 of the canonical snapshot after the event: ties the case row to its log.
    .addColumn("snapshot_hash", "text", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull().check(sql`prev_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn("hash", "text", (c) =>
      c
        .notNull()
        .unique()
        .check(sql`hash ~ '^[0-9a-f]{64}$'`),
    )
    .addPrimaryKeyConstraint("case_events_pkey", ["case_id", "seq"])
    .addCheckConstraint("case_events_one_actor", sql`(actor_user_id is null) <> (actor_system is null)`)
    .execute();
  await db.schema.createIndex("case_events_actor_idx").on("case_events").columns(["case_id", "actor_user_id"]).execute();

  // Append-only: the database itself refuses to change or remove a logged event.
  await sql`
    create function case_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'case_events is append-only: % is not allowed', tg_op using errcode = 'P0001';
    end
    $$`.execute(db);
  await sql`create trigger case_events_no_update_delete before update or delete on case_events for each row execute function case_events_append_only()`.execute(
    db,
  );
  await sql`create trigger case_events_no_truncate before truncate on case_events for each statement execute function case_events_append_only()`.execute(
    db,
  );

  await db.schema
    .createTable("outbox")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("effect_type", "text", (c) => c.notNull())
    .addColumn("case_id", "uuid", (c) => c.references("cases.id"))
    .addColumn("payload", "jsonb", (c) => c.notNull())
    // Case, event and position of the effect (or the scheduler's key): a retry never doubles it.
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    // Next time a runner may take the row; a claim pushes it forward (a lease), a failure backs off.
    .addColumn("next_attempt_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("done_at", "timestamptz")
    // Set after the last allowed attempt; such rows wait for a person.
    .addColumn("failed_at", "timestamptz")
    .addColumn("last_error", "text")
    .execute();
  await sql`create index outbox_ready_idx on outbox (next_attempt_at, id) where done_at is null and failed_at is null`.execute(db);

  await db.schema
    .createTable("notifications")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    .addColumn("topic", "text", (c) => c.notNull())
    .addColumn("case_id", "uuid", (c) => c.references("cases.id"))
    .addColumn("message_zh", "text", (c) => c.notNull())
    .addColumn("message_en", "text", (c) => c.notNull())
    // The outbox row that made it: one notification per user however often the row is retried.
    .addColumn("source_key", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("read_at", "timestamptz")
    .addUniqueConstraint("notifications_source_user_key", ["source_key", "user_id"])
    .execute();
  await db.schema.createIndex("notifications_user_idx").on("notifications").columns(["user_id", "created_at"]).execute();

  await db.schema
    .createTable("email_log")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("user_id", "uuid", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("transport", "text", (c) => c.notNull())
    .addColumn("sent_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("credit_retirements")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id"))
    // Stored in one canonical spelling so that "ccer" and "CCER " cannot slip past the constraint.
    .addColumn("registry", "text", (c) => c.notNull().check(sql`registry = upper(btrim(registry)) and registry <> ''`))
    .addColumn("programme", "text", (c) => c.notNull())
    .addColumn("serial_prefix", "text", (c) => c.notNull().check(sql`serial_prefix = btrim(serial_prefix)`))
    // The numeric part of the serials, [first, last + 1).
    .addColumn("serials", sql`int8range`, (c) => c.notNull().check(sql`not isempty(serials) and lower(serials) >= 0`))
    .addColumn("vintage", "integer", (c) => c.notNull().check(sql`vintage between 1990 and 2100`))
    .addColumn("retired_on", "date", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // A credit serial is used once, anywhere: overlapping ranges of one registry and prefix are refused.
  await sql`alter table credit_retirements add constraint credit_retirements_no_overlap
    exclude using gist (registry with =, serial_prefix with =, serials with &&)`.execute(db);
  await db.schema.createIndex("credit_retirements_case_idx").on("credit_retirements").column("case_id").execute();

  await db.schema
    .createTable("certificate_counters")
    .addColumn("cb_organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    .addColumn("label_type", "text", (c) => c.notNull().check(sql`label_type in ${LABEL_TYPES}`))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("last_number", "integer", (c) => c.notNull().check(sql`last_number between 1 and 999999`))
    .addPrimaryKeyConstraint("certificate_counters_pkey", ["cb_organization_id", "label_type", "year"])
    .execute();

  await db.schema
    .createTable("certificates")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("number", "text", (c) =>
      c
        .notNull()
        .unique()
        .check(sql`number ~ '^[A-Z0-9]{2,10}-(CF|LC|RC|CN)-[0-9]{4}-[0-9]{6}$'`),
    )
    .addColumn("case_id", "uuid", (c) => c.notNull().unique().references("cases.id"))
    .addColumn("cb_organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    .addColumn("applicant_organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    .addColumn("product_id", "uuid", (c) => c.notNull().references("products.id"))
    .addColumn("label_type", "text", (c) => c.notNull().check(sql`label_type in ${LABEL_TYPES}`))
    .addColumn("pcr_code", "text", (c) => c.notNull())
    .addColumn("pcr_version", "text", (c) => c.notNull())
    .addColumn("declared_unit_quantity", "numeric", (c) => c.notNull())
    .addColumn("declared_unit", "text", (c) => c.notNull())
    // kg CO2e per declared unit as verified.
    .addColumn("verified_value", "numeric", (c) => c.notNull().check(sql`verified_value > 0`))
    .addColumn("grade", "text")
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("valid")
        .check(sql`status in ('valid', 'suspended', 'withdrawn', 'expired', 'superseded')`),
    )
    .addColumn("status_reason", "text")
    // The case event that last set the status: a late retry of an older change cannot undo a newer one.
    .addColumn("status_event_seq", "integer", (c) => c.notNull())
    .addColumn("status_changed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("issued_on", "date", (c) => c.notNull())
    .addColumn("valid_until", "date", (c) => c.notNull())
    .addColumn("decided_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("certificates_validity", sql`valid_until >= issued_on`)
    .execute();
  await db.schema.createIndex("certificates_product_idx").on("certificates").columns(["product_id", "pcr_code", "issued_on"]).execute();

  await db.schema
    .createTable("scheduled_events")
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id"))
    .addColumn("event_type", "text", (c) => c.notNull())
    // What makes this occurrence unique: the surveillance round, the validity end, the finding id…
    .addColumn("due_key", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull().check(sql`outcome in ('sent', 'refused')`))
    .addColumn("emitted_at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("scheduled_events_pkey", ["case_id", "event_type", "due_key"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["scheduled_events", "certificates", "certificate_counters", "credit_retirements", "email_log", "notifications", "outbox"]) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop table case_events`.execute(db);
  await sql`drop function case_events_append_only()`.execute(db);
  await db.schema.dropTable("cases").execute();
}
