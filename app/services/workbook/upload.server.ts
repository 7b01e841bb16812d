/**
 * Reads the multipart upload of the import form: the file (at most MAX_UPLOAD_BYTES, kept in
 * memory) and the small text fields beside it. A body over the limit is drained, not kept, so the
 * browser gets a readable answer instead of a reset connection. File names are whatever the
 * browser sent (`Inventar;2025.xlsx` included): the platform's multipart parser reads them.
 */
import type { Message } from "../../i18n/index.ts";
import { IMPORT_MODES, type ImportMode, type ImportRefusal } from "./import.server.ts";
import { MAX_UPLOAD_BYTES } from "./layout.server.ts";
import { parseMultipartBody, readBoundedBody } from "../uploaded-files.server.ts";

export type Upload =
  { ok: true; file: { name: string; bytes: Uint8Array }; fields: Record<string, string> } | { ok: false; message: Message; httpStatus: 400 | 413 };

const MAX_FIELD_BYTES = 1024;
const MB = Math.round(MAX_UPLOAD_BYTES / 1024 / 1024);

export function tooLarge(): Upload & { ok: false } {
  return { ok: false, message: { key: "wb.err.tooLarge", params: { mb: MB } }, httpStatus: 413 };
}

/** Past this size the body is not even drained: the connection is simply answered 413. */
const DRAIN_LIMIT = 4 * MAX_UPLOAD_BYTES;
/** Room for the mode field and the multipart framing around the file. */
const BODY_OVERHEAD_BYTES = 64 * 1024;

export async function readUpload(request: Request, fileField = "file"): Promise<Upload> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type)) return { ok: false, message: { key: "wb.err.notMultipart" }, httpStatus: 400 };
  if (Number(request.headers.get("Content-Length") ?? 0) > DRAIN_LIMIT) return tooLarge();
  const body = await readBoundedBody(request, MAX_UPLOAD_BYTES + BODY_OVERHEAD_BYTES, DRAIN_LIMIT);
  if (!body) return tooLarge();
  const form = await parseMultipartBody(type, body);
  if (!form) return { ok: false, message: { key: "wb.err.notMultipart" }, httpStatus: 400 };
  const fields: Record<string, string> = {};
  let file: { name: string; bytes: Uint8Array } | undefined;
  for (const [name, value] of form) {
    if (typeof value === "string") {
      // Oversized text fields are ignored, as before: only `mode` is read, and it is checked.
      if (Buffer.byteLength(value) <= MAX_FIELD_BYTES) fields[name] = value;
    } else if (name === fileField) {
      if (value.size > MAX_UPLOAD_BYTES) return tooLarge();
      // Browsers send an empty part without a name when no file was chosen.
      if (value.name !== "" && value.size > 0) file = { name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) };
    }
  }
  if (!file) return { ok: false, message: { key: "wb.err.noFile" }, httpStatus: 400 };
  return { ok: true, file, fields };
}

/** The import form's upload: the file and a valid mode, or the refusal to answer with. */
export async function readImportUpload(
  request: Request,
): Promise<{ ok: true; bytes: Uint8Array; name: string; mode: ImportMode } | { ok: false; outcome: ImportRefusal }> {
  const upload = await readUpload(request);
  if (!upload.ok) return { ok: false, outcome: { status: "refused", message: upload.message, httpStatus: upload.httpStatus } };
  const mode = upload.fields.mode as ImportMode;
  if (!IMPORT_MODES.includes(mode)) return { ok: false, outcome: { status: "refused", message: { key: "v.choice" }, httpStatus: 400 } };
  return { ok: true, bytes: upload.file.bytes, name: upload.file.name, mode };
}
