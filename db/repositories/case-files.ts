/**
 * Table `case_attachments`: the files given to a case (documents, finding answers), append-only;
 * and, for the certification body, the `evidence_files` behind the lines of the inventory a case
 * rests on (the evidence table's own queries are in evidence.ts). A file's content is read only
 * through its case and only where the case is visible to the reader (`caseVisibleTo`): the body
 * gets nothing of a draft.
 */
import { sql } from "kysely";
import type { CaseAttachmentsTable } from "../schema.ts";
import { caseVisibleTo } from "./case-lists.ts";
import type { Executor } from "./executor.ts";
import { fileColumns, fileWithContentColumns } from "./stored-files.ts";

export async function countCaseFiles(db: Executor, caseId: string): Promise<number> {
  const { count } = await db
    .selectFrom("case_attachments")
    .select(sql<number>`count(*)::int`.as("count"))
    .where("case_id", "=", caseId)
    .executeTakeFirstOrThrow();
  return count;
}

export interface NewCaseFile {
  readonly case_id: string;
  readonly organization_id: string;
  readonly kind: CaseAttachmentsTable["kind"];
  readonly finding_id: string | null;
  readonly file_name: string;
  readonly content_type: string;
  readonly size_bytes: number;
  readonly sha256: string;
  readonly content: Buffer;
  readonly uploaded_by: string;
}

/** Stores one file of a case; its new id. */
export async function insertCaseFile(db: Executor, file: NewCaseFile): Promise<string> {
  const row = await db.insertInto("case_attachments").values(file).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

/** Every file of a case without contents, with the uploader's name, oldest first. */
export function caseFilesOf(db: Executor, caseId: string) {
  return db
    .selectFrom("case_attachments")
    .innerJoin("users", "users.id", "case_attachments.uploaded_by")
    .select([
      ...fileColumns("case_attachments"),
      "case_attachments.kind",
      "case_attachments.finding_id",
      "case_attachments.created_at",
      "users.name as uploaded_by_name",
    ])
    .where("case_attachments.case_id", "=", caseId)
    .orderBy("case_attachments.created_at")
    .orderBy("case_attachments.id")
    .execute();
}

/** A file of a case asked for by a reader: the case, the file and the reader's organization. */
export interface CaseFileRequest {
  readonly caseId: string;
  readonly fileId: string;
  readonly viewerOrganizationId: string;
}

/** One file of the case with its content, or undefined when it is not the case's or the case is not visible to the reader. */
export function caseFileWithContent(db: Executor, r: CaseFileRequest) {
  return db
    .selectFrom("case_attachments")
    .innerJoin("cases", "cases.id", "case_attachments.case_id")
    .select(fileWithContentColumns("case_attachments"))
    .where("case_attachments.id", "=", r.fileId)
    .where("case_attachments.case_id", "=", r.caseId)
    .where(caseVisibleTo(r.viewerOrganizationId))
    .executeTakeFirst();
}

/** The inventory a case rests on, and its owner (the applicant). */
export interface CaseInventory {
  readonly inventory_id: string;
  readonly applicant_organization_id: string;
}

/** The evidence files of the inventory's lines without contents, with line and uploader names, by line position then age. */
export function evidenceOfCaseInventory(db: Executor, c: CaseInventory) {
  return db
    .selectFrom("evidence_files")
    .innerJoin("inventory_lines", "inventory_lines.id", "evidence_files.inventory_line_id")
    .innerJoin("users", "users.id", "evidence_files.uploaded_by")
    .select([...fileColumns("evidence_files"), "evidence_files.created_at", "inventory_lines.name as line_name", "users.name as uploaded_by_name"])
    .where("inventory_lines.inventory_id", "=", c.inventory_id)
    .where("evidence_files.organization_id", "=", c.applicant_organization_id)
    .orderBy("inventory_lines.position")
    .orderBy("evidence_files.created_at")
    .execute();
}

/**
 * One evidence file behind the case's inventory with its content, or undefined when it is not one
 * of that inventory's (the applicant's own evidence of a line of it) or the case is not visible to
 * the reader.
 */
export function evidenceOfCaseWithContent(db: Executor, r: { caseId: string; evidenceId: string; viewerOrganizationId: string }) {
  return db
    .selectFrom("evidence_files")
    .innerJoin("inventory_lines", "inventory_lines.id", "evidence_files.inventory_line_id")
    .innerJoin("cases", (join) =>
      join
        .onRef("cases.inventory_id", "=", "inventory_lines.inventory_id")
        .onRef("cases.applicant_organization_id", "=", "evidence_files.organization_id"),
    )
    .select(fileWithContentColumns("evidence_files"))
    .where("evidence_files.id", "=", r.evidenceId)
    .where("cases.id", "=", r.caseId)
    .where(caseVisibleTo(r.viewerOrganizationId))
    .executeTakeFirst();
}
