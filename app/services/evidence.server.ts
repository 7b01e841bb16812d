/**
 * Evidence files behind inventory lines (invoices, meter readings, weighbridge tickets).
 *
 * A file is accepted by what it is, not what it is called: its first bytes must be those of a PDF,
 * PNG, JPEG or XLSX workbook, or it must be plain text for a CSV, and the extension must agree.
 * The stored content type is the sniffed one. Every file is kept with its SHA-256 so a verifier can
 * prove a copy is the file the footprint was built on. Files belong to one organization and one
 * line; a locked inventory's files never change.
 */
import { createHash } from "node:crypto";
import {
  MaxPartSizeExceededError,
  unstable_composeUploadHandlers as composeUploadHandlers,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
  type UploadHandler,
} from "@remix-run/node";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.ts";
import { isUuid } from "../utils/gtin.ts";

export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;
export const EVIDENCE_MAX_FILES_PER_LINE = 20;
/** Room for the other form fields and multipart framing around one file. */
const REQUEST_OVERHEAD_BYTES = 64 * 1024;
const MAX_PARTS = 8;
const MAX_NAME_LENGTH = 200;

export const EVIDENCE_TYPES = {
  pdf: { contentType: "application/pdf", extensions: ["pdf"] },
  png: { contentType: "image/png", extensions: ["png"] },
  jpeg: { contentType: "image/jpeg", extensions: ["jpg", "jpeg"] },
  xlsx: { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extensions: ["xlsx"] },
  csv: { contentType: "text/csv", extensions: ["csv"] },
} as const;
export type EvidenceType = keyof typeof EVIDENCE_TYPES;
/** For the file input's `accept`: a hint to the browser, never trusted. */
export const EVIDENCE_ACCEPT = Object.values(EVIDENCE_TYPES)
  .flatMap((t) => t.extensions.map((e) => `.${e}`))
  .join(",");

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

function includesAscii(bytes: Uint8Array, text: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(text, 0, "latin1");
}

function isText(bytes: Uint8Array): { charset: "utf-8" | "gb18030" } | null {
  // Control characters other than tab, line feed, form feed and carriage return mean binary.
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) return null;
  for (const charset of ["utf-8", "gb18030"] as const) {
    try {
      new TextDecoder(charset, { fatal: true }).decode(bytes);
      return { charset };
    } catch {
      // try the next encoding: spreadsheets saved on Chinese Windows write CSV in GB18030/GBK
    }
  }
  return null;
}

/**
 * What the bytes are, checked against the file name's extension. Returns the type and the content
 * type to store, or null when the content is not an accepted type or does not match the extension.
 */
export function sniffEvidence(bytes: Uint8Array, fileName: string): { type: EvidenceType; contentType: string } | null {
  const extension = fileName.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? "";
  let type: EvidenceType | null = null;
  let contentType: string | null = null;
  // PDF readers accept the header anywhere in the first kilobyte (ISO 32000-1, 7.5.2 note).
  if (Buffer.from(bytes.subarray(0, 1024)).includes("%PDF-", 0, "latin1")) type = "pdf";
  else if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) type = "png";
  else if (startsWith(bytes, [0xff, 0xd8, 0xff])) type = "jpeg";
  else if (startsWith(bytes, ascii("PK\x03\x04"))) {
    // An Office Open XML workbook is a ZIP naming its parts; part names are stored uncompressed.
    if (includesAscii(bytes, "[Content_Types].xml") && includesAscii(bytes, "xl/workbook.xml")) type = "xlsx";
  } else {
    const text = isText(bytes);
    if (text) {
      type = "csv";
      contentType = `text/csv; charset=${text.charset}`;
    }
  }
  if (!type) return null;
  if (!(EVIDENCE_TYPES[type].extensions as readonly string[]).includes(extension)) return null;
  return { type, contentType: contentType ?? EVIDENCE_TYPES[type].contentType };
}

/** A file name safe to store and show: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  const cleaned = base.normalize("NFC").replace(/[\u0000-\u001f\u007f"<>|:*?]/g, "_").trim();
  if (cleaned.length <= MAX_NAME_LENGTH) return cleaned;
  const ext = cleaned.match(/\.[A-Za-z0-9]{1,8}$/)?.[0] ?? "";
  return cleaned.slice(0, MAX_NAME_LENGTH - ext.length) + ext;
}

export type UploadOutcome =
  | { ok: true; formData: FormData }
  | { ok: false; reason: "tooLarge" | "malformed" };

/**
 * Reads a multipart evidence upload into memory with hard limits: one file part of at most
 * EVIDENCE_MAX_BYTES, a handful of small text fields, and a declared body size that fits.
 */
export async function readEvidenceUpload(request: Request): Promise<UploadOutcome> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > EVIDENCE_MAX_BYTES + REQUEST_OVERHEAD_BYTES) return { ok: false, reason: "tooLarge" };
  let parts = 0;
  let files = 0;
  const counted: UploadHandler = async (part) => {
    parts += 1;
    if (parts > MAX_PARTS) throw new MaxPartSizeExceededError(part.name, 0);
    if (part.filename !== undefined && (part.name !== "file" || ++files > 1)) throw new MaxPartSizeExceededError(part.name, 0);
    return undefined;
  };
  const handler = composeUploadHandlers(
    counted,
    createMemoryUploadHandler({ filter: ({ name, filename }) => name === "file" && filename !== undefined, maxPartSize: EVIDENCE_MAX_BYTES }),
    createMemoryUploadHandler({ filter: ({ filename }) => filename === undefined, maxPartSize: 1024 }),
  );
  try {
    return { ok: true, formData: await parseMultipartFormData(request, handler) };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, reason: "tooLarge" };
    if (error instanceof TypeError) return { ok: false, reason: "malformed" };
    throw error;
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
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
  return db
    .selectFrom("evidence_files")
    .innerJoin("inventory_lines", "inventory_lines.id", "evidence_files.inventory_line_id")
    .innerJoin("users", "users.id", "evidence_files.uploaded_by")
    .select([
      "evidence_files.id",
      "evidence_files.inventory_line_id",
      "evidence_files.file_name",
      "evidence_files.content_type",
      "evidence_files.size_bytes",
      "evidence_files.sha256",
      "evidence_files.created_at",
      "users.name as uploaded_by_name",
    ])
    .where("evidence_files.organization_id", "=", organizationId)
    .where("inventory_lines.inventory_id", "=", inventoryId)
    .orderBy("evidence_files.created_at")
    .orderBy("evidence_files.id")
    .execute();
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
    const inventory = await trx
      .selectFrom("inventories")
      .select("locked_at")
      .where("id", "=", inventoryId)
      .where("organization_id", "=", tenant.organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!inventory) return { status: "missing" as const };
    if (inventory.locked_at) return { status: "locked" as const };
    const line = await trx.selectFrom("inventory_lines").select("id").where("id", "=", lineId).where("inventory_id", "=", inventoryId).executeTakeFirst();
    if (!line) return { status: "missing" as const };
    const { count } = await trx
      .selectFrom("evidence_files")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("inventory_line_id", "=", lineId)
      .executeTakeFirstOrThrow();
    if (Number(count) >= EVIDENCE_MAX_FILES_PER_LINE) return { status: "tooMany" as const };
    const sha256 = sha256Hex(file.bytes);
    const row = await trx
      .insertInto("evidence_files")
      .values({
        organization_id: tenant.organizationId,
        inventory_line_id: lineId,
        file_name: file.name,
        content_type: file.contentType,
        size_bytes: file.bytes.byteLength,
        sha256,
        content: Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
        uploaded_by: tenant.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { status: "added" as const, id: row.id, sha256 };
  });
}

/** Removes a file from a line of an unlocked inventory; "locked" or "missing" otherwise. */
export async function deleteEvidence(db: Kysely<DB>, organizationId: string, inventoryId: string, evidenceId: string): Promise<"deleted" | "locked" | "missing"> {
  if (!isUuid(evidenceId)) return "missing";
  return db.transaction().execute(async (trx) => {
    const inventory = await trx
      .selectFrom("inventories")
      .select("locked_at")
      .where("id", "=", inventoryId)
      .where("organization_id", "=", organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!inventory) return "missing";
    const file = await trx
      .selectFrom("evidence_files")
      .innerJoin("inventory_lines", "inventory_lines.id", "evidence_files.inventory_line_id")
      .select("evidence_files.id")
      .where("evidence_files.id", "=", evidenceId)
      .where("evidence_files.organization_id", "=", organizationId)
      .where("inventory_lines.inventory_id", "=", inventoryId)
      .executeTakeFirst();
    if (!file) return "missing";
    if (inventory.locked_at) return "locked";
    await trx.deleteFrom("evidence_files").where("id", "=", evidenceId).execute();
    return "deleted";
  });
}

/** One file with its content, if it belongs to the organization. */
export async function findEvidenceFile(db: Kysely<DB>, organizationId: string, evidenceId: string | undefined) {
  if (!isUuid(evidenceId)) return null;
  return (
    (await db
      .selectFrom("evidence_files")
      .select(["id", "file_name", "content_type", "size_bytes", "sha256", "content"])
      .where("id", "=", evidenceId)
      .where("organization_id", "=", organizationId)
      .executeTakeFirst()) ?? null
  );
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266, RFC 8187). */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\;]/g, "_") || "evidence";
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
