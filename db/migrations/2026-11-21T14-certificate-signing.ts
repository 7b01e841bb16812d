/**
 * Signed certificates and the public side: each certificate row carries its RFC 8785 canonical
 * payload, the payload's SHA-256, the signing key id and the Ed25519 signature, written in the
 * transaction that numbers it (so there is never a number without its signed content); the
 * content can never change afterwards. Verifications are logged without personal data. Inventories
 * and open cases that cite a supplier's certificate are flagged when it stops being valid.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("certificates")
    // The canonical JSON text exactly as signed (jsonb would reorder members and lose the bytes).
    .addColumn("payload", "text")
    .addColumn("payload_sha256", "text", (c) => c.check(sql`payload_sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn("key_id", "text", (c) => c.check(sql`key_id ~ '^[A-Za-z0-9_-]{1,64}$'`))
    .addColumn("signature", "text", (c) => c.check(sql`signature ~ '^[A-Za-z0-9_-]{86}$'`))
    .execute();
  // All four or none: rows written before signing existed have none; every new row has all four.
  await sql`alter table certificates add constraint certificates_signed_together check (
    (payload is null) = (payload_sha256 is null) and (payload is null) = (key_id is null) and (payload is null) = (signature is null)
  )`.execute(db);
  await sql`create unique index certificates_payload_sha256_key on certificates (payload_sha256) where payload_sha256 is not null`.execute(db);
  // The public registry: valid certificates by category, sorted by footprint.
  await sql`create index certificates_registry_idx on certificates (status, pcr_code, verified_value)`.execute(db);

  // What a certificate attests never changes after issue; only its status (and the reason) may.
  await sql`
    create function certificates_content_immutable() returns trigger language plpgsql as $$
    begin
      if old.payload is not null and (
        new.number is distinct from old.number or new.case_id is distinct from old.case_id
        or new.payload is distinct from old.payload or new.payload_sha256 is distinct from old.payload_sha256
        or new.key_id is distinct from old.key_id or new.signature is distinct from old.signature
        or new.verified_value is distinct from old.verified_value or new.issued_on is distinct from old.issued_on
        or new.valid_until is distinct from old.valid_until or new.label_type is distinct from old.label_type
      ) then
        raise exception 'certificate % is issued: its content cannot change', old.number using errcode = 'P0001';
      end if;
      return new;
    end
    $$`.execute(db);
  await sql`create trigger certificates_content_immutable before update on certificates for each row execute function certificates_content_immutable()`.execute(
    db,
  );

  await db.schema
    .createTable("verification_log")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // As asked for: may be a number that does not exist (that is worth counting too).
    .addColumn("number", "text", (c) => c.notNull().check(sql`length(number) <= 64`))
    .addColumn("channel", "text", (c) => c.notNull().check(sql`channel in ('page', 'api', 'upload')`))
    .addColumn("result", "text", (c) => c.notNull().check(sql`result ~ '^[a-z_]{1,40}$'`))
    // No address, no user agent, no account: the log counts checks, it does not watch people.
    .addColumn("checked_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("verification_log_number_idx").on("verification_log").columns(["number", "checked_at"]).execute();

  await db.schema
    .createTable("supply_chain_flags")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("certificate_id", "uuid", (c) => c.notNull().references("certificates.id"))
    .addColumn("certificate_number", "text", (c) => c.notNull())
    .addColumn("certificate_status", "text", (c) => c.notNull().check(sql`certificate_status in ('suspended', 'withdrawn', 'expired')`))
    // The inventory citing the certificate, and (for a case flag) the open case resting on it.
    .addColumn("inventory_id", "uuid", (c) => c.notNull().references("inventories.id"))
    .addColumn("case_id", "uuid", (c) => c.references("cases.id"))
    .addColumn("organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    .addColumn("cb_organization_id", "uuid", (c) => c.references("organizations.id"))
    // The outbox row whose status change raised it: a retried row never doubles a flag.
    .addColumn("source_key", "text", (c) => c.notNull())
    .addColumn("raised_at", "timestamptz", (c) => c.notNull())
    .addColumn("resolved_at", "timestamptz")
    .execute();
  await sql`alter table supply_chain_flags add constraint supply_chain_flags_once unique nulls not distinct (source_key, inventory_id, case_id)`.execute(
    db,
  );
  await sql`create index supply_chain_flags_inventory_idx on supply_chain_flags (inventory_id) where resolved_at is null`.execute(db);
  await sql`create index supply_chain_flags_case_idx on supply_chain_flags (case_id) where resolved_at is null`.execute(db);
  await sql`create index supply_chain_flags_certificate_idx on supply_chain_flags (certificate_id) where resolved_at is null`.execute(db);
  // Lines citing a certificate, found by its number when its status changes.
  await sql`create index inventory_lines_cited_certificate_idx on inventory_lines ((details -> 'certificate' ->> 'number')) where kind = 'supplier_certificate'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index inventory_lines_cited_certificate_idx`.execute(db);
  await db.schema.dropTable("supply_chain_flags").execute();
  await db.schema.dropTable("verification_log").execute();
  await sql`drop trigger certificates_content_immutable on certificates`.execute(db);
  await sql`drop function certificates_content_immutable()`.execute(db);
  await sql`drop index certificates_registry_idx`.execute(db);
  await sql`drop index certificates_payload_sha256_key`.execute(db);
  await sql`alter table certificates drop constraint certificates_signed_together`.execute(db);
  await db.schema
    .alterTable("certificates")
    .dropColumn("signature")
    .dropColumn("key_id")
    .dropColumn("payload_sha256")
    .dropColumn("payload")
    .execute();
}
