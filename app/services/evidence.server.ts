/**
 * Evidence files behind inventory lines (invoices, meter readings, weighbridge tickets).
 *
 * A file is accepted by what it is, not what it is called (see uploaded-files.server.ts); the
 * stored content type is the sniffed one. Every file is kept with its SHA-256 so a verifier can
 * prove a copy is the file the footprint was built on. Files belong to one organization and one
 * line; a locked inventory's files never change.
 */
import type { Kysely } from "kysely";
import {
  countEvidenceOfLine,
  deleteEvidenceFile,
  evidenceFileOf,
  evidenceOfInventory,
  insertEvidence,
  isEvidenceOfInventory,
} from "../../db/repositories/evidence.ts";
import { lockInventoryOf } from "../../db/repositories/inventories.ts";
import { isLineOf } from "../../db/repositories/inventory-lines.ts";
import type { DB } from "../../db/schema.ts";
import { isUuid } from "../../db/uuid.ts";
import { EVIDENCE_MAX_BYTES } from "../utils/upload-limits.ts";
import { asBuffer, readMultipartUpload, sha256Hex, type UploadOutcome } from "./uploaded-files.server.ts";

// Re-exported for the inventory page, which reads the evidence limit from here.
export { EVIDENCE_MAX_BYTES };
export const EVIDENCE_MAX_FILES_PER_LINE = 20;

/**
 * Reads a multipart evidence upload into memory with hard limits: one `file` part of at most
 * EVIDENCE_MAX_BYTES, a handful of small text fields, and a declared body size that fits.
 */
export function readEvidenceUpload(request: Request): Promise<UploadOutcome> {
  return readMultipartUpload(request, {
    fileField: "file",
    maxFiles: 1,
    maxFileBytes: EVIDENCE_MAX_BYTES,
    maxTextBytes: 1024,
    maxParts: 8,
    overheadBytes: 64 * 1024,
  });
}

export interface EvidenceMeta {
  id: string;
  inventory_line_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  created_at: Date;
  uploaded_by_name: string;
}

/** Every evidence file of an inventory's lines (without contents), oldest first. */
export async function inventoryEvidence(db: Kysely<DB>, organizationId: string, inventoryId: string): Promise<EvidenceMeta[]> {
  return evidenceOfInventory(db, organizationId, inventoryId);
}

export type AddEvidenceOutcome = { status: "added"; id: string; sha256: string } | { status: "locked" | "missing" | "tooMany" };

/** Attaches a (checked) file to a line of an unlocked inventory of the organization. */
export async function addEvidence(
  db: Kysely<DB>,
  tenant: { organizationId: string; userId: string },
  inventoryId: string,
  lineId: string,
  file: { name: string; contentType: string; bytes: Uint8Array },
): Promise<AddEvidenceOutcome> {
  if (!isUuid(lineId)) return { status: "missing" };
  return db.transaction().execute(async (trx) => {
    const inventory = await lockInventoryOf(trx, tenant.organizationId, inventoryId);
    if (!inventory) return { status: "missing" as const };
    if (inventory.locked_at) return { status: "locked" as const };
    if (!(await isLineOf(trx, inventoryId, lineId))) return { status: "missing" as const };
    if ((await countEvidenceOfLine(trx, lineId)) >= EVIDENCE_MAX_FILES_PER_LINE) return { status: "tooMany" as const };
    const sha256 = sha256Hex(file.bytes);
    const id = await insertEvidence(trx, {
      organization_id: tenant.organizationId,
      inventory_line_id: lineId,
      file_name: file.name,
      content_type: file.contentType,
      size_bytes: file.bytes.byteLength,
      sha256,
      content: asBuffer(file.bytes),
      uploaded_by: tenant.userId,
    });
    return { status: "added" as const, id, sha256 };
  });
}

/** Removes a file from a line of an unlocked inventory; "locked" or "missing" otherwise. */
export async function deleteEvidence(
  db: Kysely<DB>,
  organizationId: string,
  inventoryId: string,
  evidenceId: string,
): Promise<"deleted" | "locked" | "missing"> {
  if (!isUuid(evidenceId)) return "missing";
  return db.transaction().execute(async (trx) => {
    const inventory = await lockInventoryOf(trx, organizationId, inventoryId);
    if (!inventory) return "missing";
    if (!(await isEvidenceOfInventory(trx, organizationId, inventoryId, evidenceId))) return "missing";
    if (inventory.locked_at) return "locked";
    await deleteEvidenceFile(trx, evidenceId);
    return "deleted";
  });
}

/** One file with its content, if it belongs to the organization. */
export async function findEvidenceFile(db: Kysely<DB>, organizationId: string, evidenceId: string | undefined) {
  if (!isUuid(evidenceId)) return null;
  return (await evidenceFileOf(db, organizationId, evidenceId)) ?? null;
}
