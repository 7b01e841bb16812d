/**
 * What a zip (an .xlsx workbook) says it unpacks to, read from its central directory without
 * inflating anything. A 1 MB upload can declare a gigabyte of XML; reading the declaration costs
 * microseconds, so an honest bomb is refused before any thread or memory is spent on it.
 *
 * Declared sizes can lie (and the streaming parser exceljs uses reads local headers, not this
 * directory), so this is the cheap first check only: the worker (worker/parse-table.worker.js)
 * also counts the bytes it actually inflates and stops at the same limit.
 */

export type ZipDeclaration =
  | { ok: true; entries: number; declaredBytes: number; largest: { name: string; bytes: number } | null }
  /** `unreadable`: no central directory a zip reader could use (a truncated or forged file). */
  | { ok: false; reason: "unreadable" }
  | { ok: false; reason: "entries"; entries: number }
  | { ok: false; reason: "inflated"; declaredBytes: number; largest: { name: string; bytes: number } };

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL_ENTRY = 0x02014b50;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;

/** Where the end-of-central-directory record starts: it ends the file, after a comment of up to 64 KiB. */
function findEndRecord(view: DataView): number {
  const earliest = Math.max(0, view.byteLength - 22 - U16_MAX);
  for (let at = view.byteLength - 22; at >= earliest; at--) {
    if (view.getUint32(at, true) === EOCD && at + 22 + view.getUint16(at + 20, true) === view.byteLength) return at;
  }
  return -1;
}

function u64(view: DataView, at: number): number {
  // Sizes beyond 2^53 are absurd for an upload of 10 MB; they still compare as "too large".
  return Number(view.getBigUint64(at, true));
}

export function declaredZipSize(bytes: Uint8Array, limits: { maxEntries: number; maxInflatedBytes: number }): ZipDeclaration {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const unreadable = { ok: false, reason: "unreadable" } as const;
  if (view.byteLength < 22) return unreadable;
  const end = findEndRecord(view);
  if (end < 0) return unreadable;
  let entries = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  if ((entries === U16_MAX || offset === U32_MAX) && end >= 20 && view.getUint32(end - 20, true) === ZIP64_LOCATOR) {
    const record = u64(view, end - 20 + 8);
    if (record + 56 > end || view.getUint32(record, true) !== ZIP64_EOCD) return unreadable;
    entries = u64(view, record + 32);
    offset = u64(view, record + 48);
  }
  if (entries > limits.maxEntries) return { ok: false, reason: "entries", entries };

  let at = offset;
  let declaredBytes = 0;
  let largest: { name: string; bytes: number } | null = null;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > view.byteLength || view.getUint32(at, true) !== CENTRAL_ENTRY) return unreadable;
    let compressed = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > view.byteLength) return unreadable;
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    // Zip64: sizes that do not fit 32 bits live in extra field 0x0001, uncompressed size first.
    if (size === U32_MAX || compressed === U32_MAX) {
      let extra = at + 46 + nameLength;
      const extraEnd = extra + extraLength;
      let found = false;
      while (extra + 4 <= extraEnd) {
        const id = view.getUint16(extra, true);
        const length = view.getUint16(extra + 2, true);
        if (id === 0x0001) {
          let field = extra + 4;
          if (size === U32_MAX && field + 8 <= extra + 4 + length) {
            size = u64(view, field);
            field += 8;
          }
          if (compressed === U32_MAX && field + 8 <= extra + 4 + length) compressed = u64(view, field);
          found = true;
          break;
        }
        extra += 4 + length;
      }
      if (!found) return unreadable;
    }
    declaredBytes += size;
    if (!largest || size > largest.bytes) largest = { name: name.slice(0, 100), bytes: size };
    if (declaredBytes > limits.maxInflatedBytes) return { ok: false, reason: "inflated", declaredBytes, largest };
    at = next;
  }
  return { ok: true, entries, declaredBytes, largest };
}
