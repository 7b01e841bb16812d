/**
 * Table `evidence_files`: files behind inventory lines, with their content and SHA-256. Every
 * read is limited to the organization that owns the file.
 */
import { sql, type Insertable, type Transaction } from "kysely";
import type { DB, EvidenceFilesTable } from "../schema.ts";
import type { Executor } from "./executor.ts";
import { fileColumns, fileWithContentColumns } from "./stored-files.ts";

/** Every evidence file of the inventory's lines (without contents) with its uploader's name, oldest first. */
export function evidenceOfInventory(db: Executor, organizationId: string, inventoryId: string) {
  return db
    .selectFrom("evidence_files")
    .innerJoin("inventory_lines", "inventory_lines.id", "evidence_files.inventory_line_id")
    .innerJoin("users", "users.id", "evidence_files.uploaded_by")
    .select([...fileColumns("evidence_files"), "evidence_files.inventory_line_id", "evidence_files.created_at", "users.name as uploaded_by_name"])
    .where("evidence_files.organization_id", "=", organizationId)
    .where("inventory_lines.inventory_id", "=", inventoryId)
    .orderBy("evidence_files.created_at")
    .orderBy("evidence_files.id")
    .execute();
}

export async function countEvidenceOfLine(db: Executor, lineId: string): Promise<number> {
  const { count } = await db
    .selectFrom("evidence_files")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("inventory_line_id", "=", lineId)
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** Stores a file; returns its id. */
export async function insertEvidence(db: Executor, file: Insertable<EvidenceFilesTable>): Promise<string> {
  const row = await db.insertInto("evidence_files").values(file).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

/** Whether the file is the organization's and attached to a line of this inventory. */
export async function isEvidenceOfInventory(db: Executor, organizationId: string, inventoryId: string, evidenceId: string): Promise<boolean> {
  const file = await db
    .selectFrom("evidence_files")
    .innerJoin("inventory_lines", "inventory_lines.id", "evidence_files.inventory_line_id")
    .select("evidence_files.id")
    .where("evidence_files.id", "=", evidenceId)
    .where("evidence_files.organization_id", "=", organizationId)
    .where("inventory_lines.inventory_id", "=", inventoryId)
    .executeTakeFirst();
  return Boolean(file);
}

export async function deleteEvidenceFile(db: Executor, evidenceId: string): Promise<void> {
  await db.deleteFrom("evidence_files").where("id", "=", evidenceId).execute();
}

/** One file with its content, if it is the organization's; undefined otherwise. */
export function evidenceFileOf(db: Executor, organizationId: string, evidenceId: string) {
  return db
    .selectFrom("evidence_files")
    .select(fileWithContentColumns("evidence_files"))
    .where("evidence_files.id", "=", evidenceId)
    .where("evidence_files.organization_id", "=", organizationId)
    .executeTakeFirst();
}

/**
 * Copies the organization's files of the lines `oldIds` to the lines `newIds` (parallel arrays),
 * keeping uploader and upload time: a copy, not a share, so the old version keeps its own files.
 */
export async function copyEvidence(
  trx: Transaction<DB>,
  organizationId: string,
  oldIds: readonly string[],
  newIds: readonly string[],
): Promise<void> {
  await sql`
    insert into evidence_files (organization_id, inventory_line_id, file_name, content_type, size_bytes, sha256, content, uploaded_by, created_at)
    select e.organization_id, m.new_id, e.file_name, e.content_type, e.size_bytes, e.sha256, e.content, e.uploaded_by, e.created_at
    from evidence_files e
    join unnest(${oldIds}::uuid[], ${newIds}::uuid[]) as m(old_id, new_id) on m.old_id = e.inventory_line_id
    where e.organization_id = ${organizationId}`.execute(trx);
}
