/**
 * Line identity across inventory versions, and limits on evidence files.
 *
 * `origin_line_id` names the line a copied line descends from (the first ancestor, so v1, v2 and
 * v5 of the same line share it). Comparing two versions then pairs lines exactly, even after a
 * rename, instead of guessing by name. It is an identifier, not a reference: the ancestor line may
 * since have been deleted from an unlocked version.
 *
 * Evidence files: the size and digest rules the upload code enforces are also constraints, so no
 * other writer can store a file the application would refuse.
 * Typed against Kysely<any>: a migration is frozen in time and never imports application types.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("inventory_lines").addColumn("origin_line_id", "uuid").execute();
  await db.schema
    .alterTable("evidence_files")
    .addCheckConstraint("evidence_files_size", sql`size_bytes > 0 and size_bytes <= 10485760 and size_bytes = octet_length(content)`)
    .execute();
  await db.schema
    .alterTable("evidence_files")
    .addCheckConstraint("evidence_files_sha256", sql`sha256 ~ '^[0-9a-f]{64}$'`)
    .execute();
  await db.schema
    .alterTable("evidence_files")
    .addCheckConstraint("evidence_files_name", sql`length(file_name) between 1 and 200`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ["evidence_files_name", "evidence_files_sha256", "evidence_files_size"]) {
    await db.schema.alterTable("evidence_files").dropConstraint(name).execute();
  }
  await db.schema.alterTable("inventory_lines").dropColumn("origin_line_id").execute();
}
