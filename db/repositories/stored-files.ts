/**
 * What the tables holding uploaded files (`case_attachments`, `evidence_files`) share: the columns
 * that describe a file. Lists read them without the content; a download adds the content.
 */

/** The tables whose rows are uploaded files. */
type FileTable = "case_attachments" | "evidence_files";

/** A stored file's id and description (name, type, size, SHA-256), without its content. */
export function fileColumns<T extends FileTable>(table: T) {
  return [`${table}.id`, `${table}.file_name`, `${table}.content_type`, `${table}.size_bytes`, `${table}.sha256`] as const;
}

/** A stored file's id, description and content: what a download sends. */
export function fileWithContentColumns<T extends FileTable>(table: T) {
  return [...fileColumns(table), `${table}.content`] as const;
}
