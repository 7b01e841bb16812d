/**
 * The certified record holds still: what a body assessed is stored when it is handed over, and
 * what is signed and listed is read from that, never from rows the applicant may edit later.
 *
 * - footprint_results: the calculator's result for an inventory as it was locked for an
 *   application, with its full stamp (calculator, PCR version and content hash, factor dataset
 *   version and content hash, GWP set, input hash). Cases point at one; verification, the
 *   decision and the certificate use it instead of recalculating with today's code and data.
 * - cases.identity: product (names, model, GTIN, internal code, production province) and holder
 *   (names, credit code) as they were at submission; the body sees and signs this snapshot.
 * - cases.submitted_at: a certification body sees a case from submission on; drafts are the applicant's.
 * - One open application per inventory and label type, enforced by a partial unique index.
 *   Applications that already broke the rule before this migration are marked as duplicates of
 *   the earliest one (`duplicate_application_of`) and keep running; no case is closed or lost.
 * - certificates: the identity the certificate was issued with (the public registry lists these
 *   columns, never the live product), and the issued PDF's bytes and SHA-256, so an uploaded PDF
 *   can be compared with exactly what was issued.
 * Typed against Kysely<any>: a migration is frozen in time and never imports application types.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("footprint_results")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("inventory_id", "uuid", (c) => c.notNull().references("inventories.id"))
    .addColumn("organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    // kg CO2e per declared unit, as the result states it (shortest round-trip decimal).
    .addColumn("total", "numeric", (c) => c.notNull())
    .addColumn("calculator_version", "text", (c) => c.notNull())
    .addColumn("input_sha256", "text", (c) => c.notNull())
    .addColumn("stamp", "jsonb", (c) => c.notNull())
    .addColumn("result", "jsonb", (c) => c.notNull())
    .addColumn("conformance", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // A locked inventory has one input; one calculator version gives it one result.
  await sql`create unique index footprint_results_inventory_calculator_key on footprint_results (inventory_id, calculator_version, input_sha256)`.execute(
    db,
  );

  await db.schema
    .alterTable("cases")
    .addColumn("result_id", "uuid", (c) => c.references("footprint_results.id"))
    .addColumn("identity", "jsonb")
    .addColumn("duplicate_application_of", "uuid", (c) => c.references("cases.id"))
    // Set by the host when the applicant submits; the body sees the case from then on, never the draft.
    .addColumn("submitted_at", "timestamptz")
    .execute();
  await sql`
    update cases set submitted_at = s.at
    from (select case_id, min(at) as at from case_events where event_type = 'SUBMIT' group by case_id) s
    where s.case_id = cases.id`.execute(db);
  // Cases opened before this migration: the identity as it reads now is the best record there is.
  await sql`
    update cases set identity = jsonb_build_object(
      'product', jsonb_build_object('nameZh', p.name_zh, 'nameEn', p.name_en, 'model', p.model, 'gtin', p.gtin,
                                    'internalCode', p.internal_code, 'siteRegion', p.site_region),
      'holder', jsonb_build_object('nameZh', o.name_zh, 'nameEn', o.name_en, 'creditCode', o.credit_code))
    from products p, organizations o
    where p.id = cases.product_id and o.id = cases.applicant_organization_id`.execute(db);
  await sql`
    update cases set duplicate_application_of = first.id
    from (
      select distinct on (inventory_id, label_type) id, inventory_id, label_type
      from cases where closed_at is null order by inventory_id, label_type, number
    ) first
    where cases.closed_at is null and cases.inventory_id = first.inventory_id
      and cases.label_type = first.label_type and cases.id <> first.id`.execute(db);
  await sql`
    create unique index cases_one_open_application on cases (inventory_id, label_type)
    where closed_at is null and duplicate_application_of is null`.execute(db);

  await db.schema
    .alterTable("certificates")
    .addColumn("product_name_zh", "text")
    .addColumn("product_name_en", "text")
    .addColumn("product_model", "text")
    .addColumn("product_gtin", "text")
    .addColumn("holder_name_zh", "text")
    .addColumn("holder_name_en", "text")
    .addColumn("holder_credit_code", "text")
    .addColumn("pdf", "bytea")
    .addColumn("pdf_sha256", "text")
    .execute();
  // Signed certificates: the identity they were signed with.
  await sql`
    update certificates set
      product_name_zh = p->'product'->'name'->>'zh', product_name_en = p->'product'->'name'->>'en',
      product_model = p->'product'->>'model',
      product_gtin = (select i->>'value' from jsonb_array_elements(p->'product'->'identifiers') i where i->>'scheme' = 'GTIN' limit 1),
      holder_name_zh = p->'holder'->'name'->>'zh', holder_name_en = p->'holder'->'name'->>'en',
      holder_credit_code = p->'holder'->>'creditCode'
    from (select id, payload::jsonb as p from certificates where payload is not null) signed
    where signed.id = certificates.id`.execute(db);
  // Unsigned rows (issued where no signer was configured): their case's snapshot.
  await sql`
    update certificates set
      product_name_zh = c.identity->'product'->>'nameZh', product_name_en = c.identity->'product'->>'nameEn',
      product_model = c.identity->'product'->>'model', product_gtin = c.identity->'product'->>'gtin',
      holder_name_zh = c.identity->'holder'->>'nameZh', holder_name_en = c.identity->'holder'->>'nameEn',
      holder_credit_code = c.identity->'holder'->>'creditCode'
    from cases c
    where c.id = certificates.case_id and certificates.payload is null`.execute(db);
  await sql`alter table certificates alter column product_name_zh set not null, alter column product_name_en set not null,
    alter column product_model set not null, alter column holder_name_zh set not null, alter column holder_name_en set not null`.execute(db);
  await sql`alter table certificates add constraint certificates_pdf_together check ((pdf is null) = (pdf_sha256 is null))`.execute(db);

  // Identity and the issued PDF join what may never change; the PDF may be stored once where an
  // older certificate had none.
  await replaceImmutabilityTrigger(db, [
    "new.product_name_zh is distinct from old.product_name_zh or new.product_name_en is distinct from old.product_name_en",
    "new.product_model is distinct from old.product_model or new.product_gtin is distinct from old.product_gtin",
    "new.holder_name_zh is distinct from old.holder_name_zh or new.holder_name_en is distinct from old.holder_name_en",
    "new.holder_credit_code is distinct from old.holder_credit_code",
    "(old.pdf_sha256 is not null and (new.pdf_sha256 is distinct from old.pdf_sha256 or new.pdf is distinct from old.pdf))",
  ]);
}

/**
 * The certificates trigger of migration 2026-11-21T14 (what an issued certificate may never change),
 * with `extra` conditions joined to its list; with none it is that migration's function again.
 */
async function replaceImmutabilityTrigger(db: Kysely<any>, extra: readonly string[]): Promise<void> {
  const more = extra.map((condition) => `\n        or ${condition}`).join("");
  await sql`
    create or replace function certificates_content_immutable() returns trigger language plpgsql as $$
    begin
      if old.payload is not null and (
        new.number is distinct from old.number or new.case_id is distinct from old.case_id
        or new.payload is distinct from old.payload or new.payload_sha256 is distinct from old.payload_sha256
        or new.key_id is distinct from old.key_id or new.signature is distinct from old.signature
        or new.verified_value is distinct from old.verified_value or new.issued_on is distinct from old.issued_on
        or new.valid_until is distinct from old.valid_until or new.label_type is distinct from old.label_type${sql.raw(more)}
      ) then
        raise exception 'certificate % is issued: its content cannot change', old.number using errcode = 'P0001';
      end if;
      return new;
    end
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await replaceImmutabilityTrigger(db, []);
  await sql`alter table certificates drop constraint certificates_pdf_together`.execute(db);
  for (const column of [
    "product_name_zh",
    "product_name_en",
    "product_model",
    "product_gtin",
    "holder_name_zh",
    "holder_name_en",
    "holder_credit_code",
    "pdf",
    "pdf_sha256",
  ]) {
    await db.schema.alterTable("certificates").dropColumn(column).execute();
  }
  await sql`drop index cases_one_open_application`.execute(db);
  await db.schema
    .alterTable("cases")
    .dropColumn("submitted_at")
    .dropColumn("duplicate_application_of")
    .dropColumn("identity")
    .dropColumn("result_id")
    .execute();
  await db.schema.dropTable("footprint_results").execute();
}
