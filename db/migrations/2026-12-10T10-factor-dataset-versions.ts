/**
 * Factor dataset versions as a lifecycle, and the drift watch (docs/decisions/0018).
 *
 * - factor_dataset_versions: a version the platform admin imported from a file (its whole content
 *   as the rules' FactorDataset JSON), first a draft, then published. Publishing records the
 *   content's SHA-256 (the hash every result calculated on it carries in its stamp) and the time;
 *   from then on the row can be neither changed nor deleted (trigger), because certificates and
 *   stored results cite it by that hash. A draft may be discarded.
 * - drift_results: what a valid certificate's locked inventory gives under a newly published
 *   version, stored beside the certified result (footprint_results is never touched): both
 *   totals, the relative change, the tolerance it was judged against, whether it lies beyond, the
 *   lines that moved and by how much, or why it could not be recalculated. One row per
 *   certificate and version.
 * Typed against Kysely<any>: a migration is frozen in time and never imports application types.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("factor_dataset_versions")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("dataset_id", "text", (c) => c.notNull())
    .addColumn("version", "text", (c) => c.notNull())
    // The FactorDataset as the rules' schema parsed it (id, version, names, includes, factors).
    .addColumn("content", "jsonb", (c) => c.notNull())
    .addColumn("factor_count", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('draft', 'published')`))
    .addColumn("content_sha256", "text")
    // The uploaded file, for the record: its name and SHA-256.
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("file_sha256", "text", (c) => c.notNull())
    .addColumn("imported_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("imported_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("published_by", "uuid", (c) => c.references("users.id"))
    .addColumn("published_at", "timestamptz")
    .addUniqueConstraint("factor_dataset_versions_key", ["dataset_id", "version"])
    .execute();
  // Published exactly when the hash, the time and the publisher are recorded; a draft has none of them.
  await sql`alter table factor_dataset_versions add constraint factor_dataset_versions_published_whole check (
    (status = 'published') = (content_sha256 is not null and published_at is not null and published_by is not null)
    and (content_sha256 is null or content_sha256 ~ '^[0-9a-f]{64}$'))`.execute(db);
  await sql`
    create function factor_dataset_versions_immutable() returns trigger language plpgsql as $$
    begin
      if old.status = 'published' then
        raise exception 'factor dataset version %@% is published: it cannot change', old.dataset_id, old.version using errcode = 'P0001';
      end if;
      if tg_op = 'DELETE' then
        return old;
      end if;
      return new;
    end
    $$`.execute(db);
  await sql`
    create trigger factor_dataset_versions_immutable before update or delete on factor_dataset_versions
    for each row execute function factor_dataset_versions_immutable()`.execute(db);

  await db.schema
    .createTable("drift_results")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("certificate_id", "uuid", (c) => c.notNull().references("certificates.id"))
    // The stored result the certificate rests on: what the recalculation is compared with.
    .addColumn("footprint_result_id", "uuid", (c) => c.notNull().references("footprint_results.id"))
    .addColumn("cb_organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    .addColumn("holder_organization_id", "uuid", (c) => c.notNull().references("organizations.id"))
    .addColumn("dataset_id", "text", (c) => c.notNull())
    .addColumn("dataset_version", "text", (c) => c.notNull())
    .addColumn("dataset_sha256", "text", (c) => c.notNull())
    // kg CO2e per declared unit.
    .addColumn("stored_total", "numeric", (c) => c.notNull())
    // Null when the new version cannot calculate the inventory (`error` says why).
    .addColumn("recalculated_total", "numeric")
    .addColumn("relative_change", "numeric")
    .addColumn("tolerance", "numeric", (c) => c.notNull())
    .addColumn("beyond_tolerance", "boolean", (c) => c.notNull())
    .addColumn("explanation", "jsonb", (c) => c.notNull())
    .addColumn("error", "jsonb")
    .addColumn("calculator_version", "text", (c) => c.notNull())
    .addColumn("computed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("drift_results_once", ["certificate_id", "dataset_id", "dataset_version"])
    .execute();
  await sql`alter table drift_results add constraint drift_results_total_or_error check ((recalculated_total is null) = (error is not null))`.execute(
    db,
  );
  // The body's surveillance queue reads the flagged rows of its certificates.
  await sql`create index drift_results_queue on drift_results (cb_organization_id, computed_at desc) where beyond_tolerance`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("drift_results").execute();
  await sql`drop trigger factor_dataset_versions_immutable on factor_dataset_versions`.execute(db);
  await sql`drop function factor_dataset_versions_immutable()`.execute(db);
  await db.schema.dropTable("factor_dataset_versions").execute();
}
