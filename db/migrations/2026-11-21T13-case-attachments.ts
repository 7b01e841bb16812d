/**
 * Files the applicant gives a certification case: the documents the label types ask for
 * (reduction-measures report for RC, carbon-neutrality management plan and credit retirement proof
 * for CN, the inventory report) and the files that answer a finding.
 *
 * The statechart keeps only each file's id, kind and name; the bytes live here, with their
 * SHA-256 so the certification body can prove which file it assessed. A row is written in the
 * same transaction as the case event that cites it, and is never changed or removed afterwards
 * (the event log names it), so the table is append-only like the log. The limits the upload code
 * enforces are constraints as well.
 * Typed against Kysely<any>: a migration is frozen in time and never imports application types.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("case_attachments")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id"))
    // The uploader's organization (the applicant); the case decides who may read it.
    .addColumn("organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('inventory_report', 'reduction_measures_report', 'management_plan', 'credit_retirement_proof', 'evidence')`),
    )
    // Set when the file came with the answer to a finding (F-01, F-02…).
    .addColumn("finding_id", "text")
    .addColumn("file_name", "text", (c) => c.notNull().check(sql`length(file_name) between 1 and 200`))
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("size_bytes", "integer", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn("content", "bytea", (c) => c.notNull())
    .addColumn("uploaded_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("case_attachments_size", sql`size_bytes > 0 and size_bytes <= 10485760 and size_bytes = octet_length(content)`)
    .execute();
  await db.schema.createIndex("case_attachments_case_idx").on("case_attachments").columns(["case_id", "created_at"]).execute();

  await sql`
    create function case_attachments_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'case_attachments is append-only: % is not allowed', tg_op using errcode = 'P0001';
    end
    $$`.execute(db);
  await sql`create trigger case_attachments_no_update_delete before update or delete on case_attachments for each row execute function case_attachments_append_only()`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("case_attachments").execute();
  await sql`drop function case_attachments_append_only()`.execute(db);
}
