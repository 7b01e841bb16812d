/**
 * Files of a certification case: the documents the applicant gives it (reduction-measures report,
 * management plan, credit retirement proof, inventory report) and the files that answer a
 * finding, plus read access for the certification body to the evidence files behind the case's
 * inventory.
 *
 * Files are accepted by what they are, exactly like inventory evidence (same types, same sniffing,
 * same size limit), and kept with their SHA-256. A file is stored in the same transaction as the
 * case event that cites it: if the event is refused, the file is not kept. Stored files are never
 * changed or removed (the table refuses it), because the event log names them.
 */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../../db/schema.ts";
import {
  caseFilesOf,
  caseFileWithContent,
  countCaseFiles,
  evidenceOfCaseInventory,
  evidenceOfCaseWithContent,
  insertCaseFile,
} from "../../../db/repositories/case-files.ts";
import type { AttachmentKind } from "../../../workflows/certification/types.ts";
import { isUuid } from "../../../db/uuid.ts";
import { CASE_FILE_MAX_BYTES } from "../../utils/upload-limits.ts";
import { asBuffer, cleanFileName, readMultipartUpload, sha256Hex, sniffUpload, type UploadOutcome } from "../uploaded-files.server.ts";

/** Files one form may send (a finding answer with its supporting documents). */
export const CASE_FILES_PER_UPLOAD = 5;
/** Files one case may hold; the statechart's list of documents stays small enough to read. */
export const CASE_FILES_PER_CASE = 60;

/**
 * Reads a multipart case form into memory with hard limits: at most five `files` parts of at most
 * CASE_FILE_MAX_BYTES each, a few text fields of at most 16 KiB, and a declared body size that fits.
 */
export function readCaseUpload(request: Request): Promise<UploadOutcome> {
  return readMultipartUpload(request, {
    fileField: "files",
    maxFiles: CASE_FILES_PER_UPLOAD,
    maxFileBytes: CASE_FILE_MAX_BYTES,
    maxTextBytes: 16 * 1024,
    maxParts: 24,
    overheadBytes: 128 * 1024,
  });
}

export interface CheckedFile {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

/**
 * The chosen files (browsers send one empty part when none was chosen), each checked by content;
 * `fileType` when one is not an accepted type or its name lies about it.
 */
export async function checkFiles(formData: FormData): Promise<{ ok: true; files: CheckedFile[] } | { ok: false; reason: "fileType" }> {
  const files: CheckedFile[] = [];
  for (const entry of formData.getAll("files")) {
    if (!(entry instanceof File) || (entry.size === 0 && entry.name === "")) continue;
    const bytes = new Uint8Array(await entry.arrayBuffer());
    const name = cleanFileName(entry.name);
    const sniffed = name && bytes.byteLength > 0 ? sniffUpload(bytes, name) : null;
    if (!sniffed) return { ok: false, reason: "fileType" };
    files.push({ name, contentType: sniffed.contentType, bytes });
  }
  return { ok: true, files };
}

export interface StoredFile {
  readonly id: string;
  readonly name: string;
  readonly sha256: string;
}

export class TooManyCaseFilesError extends Error {
  constructor() {
    super(`a case holds at most ${CASE_FILES_PER_CASE} files`);
    this.name = "TooManyCaseFilesError";
  }
}

/** Stores files for a case inside the caller's transaction (the one that records the event citing them). */
export async function storeCaseFiles(
  trx: Transaction<DB>,
  owner: { caseId: string; organizationId: string; userId: string; kind: AttachmentKind; findingId: string | null },
  files: readonly CheckedFile[],
): Promise<StoredFile[]> {
  if (files.length === 0) return [];
  const count = await countCaseFiles(trx, owner.caseId);
  if (count + files.length > CASE_FILES_PER_CASE) throw new TooManyCaseFilesError();
  const stored: StoredFile[] = [];
  for (const file of files) {
    const sha256 = sha256Hex(file.bytes);
    const id = await insertCaseFile(trx, {
      case_id: owner.caseId,
      organization_id: owner.organizationId,
      kind: owner.kind,
      finding_id: owner.findingId,
      file_name: file.name,
      content_type: file.contentType,
      size_bytes: file.bytes.byteLength,
      sha256,
      content: asBuffer(file.bytes),
      uploaded_by: owner.userId,
    });
    stored.push({ id, name: file.name, sha256 });
  }
  return stored;
}

/** Every file of a case, without contents, oldest first. The caller has checked the case is visible to the viewer. */
export async function caseAttachments(db: Kysely<DB>, caseId: string) {
  return caseFilesOf(db, caseId);
}
export type CaseAttachmentRow = Awaited<ReturnType<typeof caseAttachments>>[number];

/**
 * One file of the case with its content, for a reader of this organization; null when the case
 * is missing, not theirs, or a draft their body may not see yet, or the file is not the case's
 * (all answered alike, 404).
 */
export async function findCaseAttachment(db: Kysely<DB>, viewerOrganizationId: string, caseId: string | undefined, fileId: string | undefined) {
  if (!isUuid(caseId) || !isUuid(fileId)) return null;
  return (await caseFileWithContent(db, { caseId, fileId, viewerOrganizationId })) ?? null;
}

/** The evidence files behind the lines of the inventory the application was made from. */
export async function caseInventoryEvidence(db: Kysely<DB>, c: { inventory_id: string; applicant_organization_id: string }) {
  return evidenceOfCaseInventory(db, c);
}

/**
 * One evidence file of the case's inventory with its content, for a reader of this organization;
 * null for any other file, and for a case that is missing, not theirs, or a draft their body may
 * not see yet.
 */
export async function findCaseEvidence(db: Kysely<DB>, viewerOrganizationId: string, caseId: string | undefined, evidenceId: string | undefined) {
  if (!isUuid(caseId) || !isUuid(evidenceId)) return null;
  return (await evidenceOfCaseWithContent(db, { caseId, evidenceId, viewerOrganizationId })) ?? null;
}
