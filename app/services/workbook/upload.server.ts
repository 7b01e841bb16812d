/**
 * Reads the multipart upload of the import form: the file (at most MAX_UPLOAD_BYTES, kept in
 * memory) and the small text fields beside it. A file over the limit is drained, not kept, so the
 * browser gets a readable answer instead of a reset connection.
 */
import { unstable_parseMultipartFormData } from "@remix-run/node";
import type { Message } from "../../i18n/index.ts";
import { IMPORT_MODES, type ImportMode, type ImportRefusal } from "./import.server.ts";
import { MAX_UPLOAD_BYTES } from "./layout.server.ts";

export type Upload =
  | { ok: true; file: { name: string; bytes: Uint8Array }; fields: Record<string, string> }
  | { ok: false; message: Message; httpStatus: 400 | 413 };

const MAX_FIELD_BYTES = 1024;
const MB = Math.round(MAX_UPLOAD_BYTES / 1024 / 1024);

export function tooLarge(): Upload & { ok: false } {
  return { ok: false, message: { key: "wb.err.tooLarge", params: { mb: MB } }, httpStatus: 413 };
}

/** Past this declared size the body is not even drained: the connection is simply answered 413. */
const DRAIN_LIMIT = 4 * MAX_UPLOAD_BYTES;

export async function readUpload(request: Request, fileField = "file"): Promise<Upload> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("multipart/form-data")) return { ok: false, message: { key: "wb.err.notMultipart" }, httpStatus: 400 };
  if (Number(request.headers.get("Content-Length") ?? 0) > DRAIN_LIMIT) return tooLarge();
  const fields: Record<string, string> = {};
  const found: { file?: { name: string; bytes: Uint8Array } } = {};
  let oversized = false;
  try {
    await unstable_parseMultipartFormData(request, async (part) => {
      const chunks: Uint8Array[] = [];
      let size = 0;
      const limit = part.filename !== undefined ? MAX_UPLOAD_BYTES : MAX_FIELD_BYTES;
      for await (const chunk of part.data) {
        size += chunk.byteLength;
        if (size <= limit) chunks.push(chunk);
      }
      if (size > limit) {
        if (part.name === fileField) oversized = true;
        return undefined;
      }
      const bytes = Buffer.concat(chunks);
      if (part.filename !== undefined) {
        if (part.name === fileField && part.filename !== "" && bytes.byteLength > 0) found.file = { name: part.filename, bytes: new Uint8Array(bytes) };
      } else {
        fields[part.name] = bytes.toString("utf8");
      }
      return undefined;
    });
  } catch {
    return { ok: false, message: { key: "wb.err.notMultipart" }, httpStatus: 400 };
  }
  if (oversized) return tooLarge();
  if (!found.file) return { ok: false, message: { key: "wb.err.noFile" }, httpStatus: 400 };
  return { ok: true, file: found.file, fields };
}

/** The import form's upload: the file and a valid mode, or the refusal to answer with. */
export async function readImportUpload(request: Request): Promise<{ ok: true; bytes: Uint8Array; mode: ImportMode } | { ok: false; outcome: ImportRefusal }> {
  const upload = await readUpload(request);
  if (!upload.ok) return { ok: false, outcome: { status: "refused", message: upload.message, httpStatus: upload.httpStatus } };
  const mode = upload.fields.mode as ImportMode;
  if (!IMPORT_MODES.includes(mode)) return { ok: false, outcome: { status: "refused", message: { key: "v.choice" }, httpStatus: 400 } };
  return { ok: true, bytes: upload.file.bytes, mode };
}
