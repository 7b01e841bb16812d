/**
 * Files people upload (inventory evidence, certification case documents): what a file really is,
 * a name safe to keep, its SHA-256, reading a multipart form with hard limits, and the download
 * response that never lets a stored file run as a page of this site.
 *
 * A file is accepted by what it is, not what it is called: its first bytes must be those of a PDF,
 * PNG, JPEG or XLSX workbook, or it must be plain text for a CSV, and the extension must agree.
 * The stored content type is the sniffed one.
 */
import { createHash } from "node:crypto";

const MAX_NAME_LENGTH = 200;

export const UPLOAD_TYPES = {
  pdf: { contentType: "application/pdf", extensions: ["pdf"] },
  png: { contentType: "image/png", extensions: ["png"] },
  jpeg: { contentType: "image/jpeg", extensions: ["jpg", "jpeg"] },
  xlsx: { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extensions: ["xlsx"] },
  csv: { contentType: "text/csv", extensions: ["csv"] },
} as const;
export type UploadType = keyof typeof UPLOAD_TYPES;
/** For the file input's `accept`: a hint to the browser, never trusted. */
export const UPLOAD_ACCEPT = Object.values(UPLOAD_TYPES)
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
export function sniffUpload(bytes: Uint8Array, fileName: string): { type: UploadType; contentType: string } | null {
  const extension = fileName.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? "";
  let type: UploadType | null = null;
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
  if (!(UPLOAD_TYPES[type].extensions as readonly string[]).includes(extension)) return null;
  return { type, contentType: contentType ?? UPLOAD_TYPES[type].contentType };
}

/** A file name safe to store and show: no path, no control characters, at most 200 characters. */
// eslint-disable-next-line no-control-regex -- control characters are what is being removed
const UNSAFE_FILE_NAME_CHARACTERS = /[\u0000-\u001f\u007f"<>|:*?]/g;

export function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? "";
  const cleaned = base.normalize("NFC").replace(UNSAFE_FILE_NAME_CHARACTERS, "_").trim();
  if (cleaned.length <= MAX_NAME_LENGTH) return cleaned;
  const ext = cleaned.match(/\.[A-Za-z0-9]{1,8}$/)?.[0] ?? "";
  return cleaned.slice(0, MAX_NAME_LENGTH - ext.length) + ext;
}

export type UploadOutcome = { ok: true; formData: FormData } | { ok: false; reason: "tooLarge" | "malformed" };

export interface UploadLimits {
  /** The one field files may come in; a file in any other field refuses the form. */
  readonly fileField: string;
  readonly maxFiles: number;
  readonly maxFileBytes: number;
  readonly maxTextBytes: number;
  /** Parts of any kind: a form of a thousand tiny fields is refused before it is read. */
  readonly maxParts: number;
  /** Room for the text fields and multipart framing around the files. */
  readonly overheadBytes: number;
}

/**
 * The request body, read to at most `maxBytes`; null when it is longer. Past the limit the rest is
 * still read and thrown away up to `drainBytes` (so a browser gets the answer rather than a reset
 * connection), and no further.
 */
export async function readBoundedBody(request: Request, maxBytes: number, drainBytes = maxBytes): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size <= maxBytes) chunks.push(value);
      else {
        chunks.length = 0;
        if (size > drainBytes) {
          await reader.cancel().catch(() => {});
          return null;
        }
      }
    }
  } finally {
    reader.releaseLock();
  }
  if (size > maxBytes) return null;
  return Buffer.concat(chunks);
}

/**
 * A bounded body parsed as multipart: null when it is not a form that parses.
 *
 * The parsing is the platform's (undici's `Response.formData()`), not the multipart parser behind
 * Remix's `unstable_parseMultipartFormData`: that one splits Content-Disposition on every `;` and
 * `=`, so an ordinary file name such as `invoice;2025.pdf` threw and answered 500. The body is read
 * with a hard limit first, so parsing it whole costs no more memory than the limits allow.
 */
export async function parseMultipartBody(contentType: string, body: Uint8Array<ArrayBuffer>): Promise<FormData | null> {
  if (!/^multipart\/form-data\s*;/i.test(contentType)) return null;
  try {
    return await new Response(body, { headers: { "Content-Type": contentType } }).formData();
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
}

/**
 * Reads a multipart form into memory with hard limits: at most `maxFiles` parts in `fileField` of
 * at most `maxFileBytes` each, text fields of at most `maxTextBytes`, and a body size that fits
 * (declared or not: reading stops at the limit). "tooLarge" when a limit is passed, "malformed"
 * when the body is not multipart (no Content-Type, another type, or a body that does not parse).
 */
export async function readMultipartUpload(request: Request, limits: UploadLimits): Promise<UploadOutcome> {
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) return { ok: false, reason: "malformed" };
  const maxBody = limits.maxFiles * limits.maxFileBytes + limits.overheadBytes;
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBody) return { ok: false, reason: "tooLarge" };
  const body = await readBoundedBody(request, maxBody);
  if (!body) return { ok: false, reason: "tooLarge" };
  const formData = await parseMultipartBody(contentType, body);
  if (!formData) return { ok: false, reason: "malformed" };
  let parts = 0;
  let files = 0;
  for (const [name, value] of formData) {
    if (++parts > limits.maxParts) return { ok: false, reason: "tooLarge" };
    if (typeof value === "string") {
      if (Buffer.byteLength(value) > limits.maxTextBytes) return { ok: false, reason: "tooLarge" };
    } else if (name !== limits.fileField || ++files > limits.maxFiles || value.size > limits.maxFileBytes) {
      return { ok: false, reason: "tooLarge" };
    }
  }
  return { ok: true, formData };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The bytes as a Buffer for a bytea column, without copying them. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266, RFC 8187). */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\;]/g, "_") || "evidence";
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The download response for a stored file: always an attachment, never run as a page of this site. */
export function fileResponse(
  file: { file_name: string; content_type: string; size_bytes: number; sha256: string; content: Buffer },
  disposition: string,
): Response {
  return new Response(new Uint8Array(file.content), {
    headers: {
      "Content-Type": file.content_type,
      "Content-Length": String(file.size_bytes),
      "Content-Disposition": disposition,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
      ETag: `"${file.sha256}"`,
      // RFC 9530: lets a downloader check the bytes against the digest shown on the page.
      "Repr-Digest": `sha-256=:${Buffer.from(file.sha256, "hex").toString("base64")}:`,
    },
  });
}
