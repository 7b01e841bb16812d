/**
 * An uploaded file as a table of text cells: an .xlsx workbook (the Lines sheet, or the first
 * sheet) or a CSV file, both read with exceljs. Recognises the file by its bytes, not its name:
 * a zip is a workbook, the old binary .xls gets its own message, anything else is tried as text.
 *
 * The reading itself happens in a worker thread with its own heap limit (parse-pool.server.ts,
 * worker/parse-table.worker.js), so no file, however it unpacks, can take the server down. What a
 * workbook unpacks to is bounded twice: by the sizes its zip directory declares, checked here
 * before any thread starts, and by the bytes actually inflated, counted in the thread.
 */
import type { Message } from "../../i18n/index.ts";
import { MAX_DATA_ROWS, normalizeLabel, SHEETS } from "./layout.server.ts";
import { parseInWorker, type ParseAnswer } from "./parse-pool.server.ts";
import { declaredZipSize } from "./zip-guard.server.ts";

/** A cell as text (trimmed), or an Excel error value such as #DIV/0!. */
export type CellText = string | { error: string };

export interface SheetTable {
  /** Row number of the header as the spreadsheet shows it. */
  headerRow: number;
  /** Header texts by 1-based column number. */
  headers: string[];
  /** Non-empty rows below the header; `cells` by 1-based column number. */
  rows: { row: number; cells: CellText[] }[];
}

/**
 * A file that cannot be read is "invalid" (its message goes in the error list); one refused for
 * what reading it would cost carries the HTTP status to answer with (413 too large unpacked, 422
 * too much for the parser's memory or time, 503 busy with Retry-After).
 */
export type ReadFailure = { ok: false; message: Message; refusal?: { httpStatus: 413 | 422 | 503; retryAfterSeconds?: number } };
export type ReadResult = { ok: true; table: SheetTable; format: "xlsx" | "csv" } | ReadFailure;

const MiB = 1024 * 1024;

/**
 * Bounds on what is kept while reading, so a small file that unpacks to millions of rows or
 * thousands of columns (compressed XML repeats well) cannot exhaust memory: rows beyond the limit
 * stop the reading, columns beyond the last one any layout uses are not looked at.
 */
export const READ_LIMITS = {
  rowLimit: MAX_DATA_ROWS + 1000,
  maxColumns: 256,
  /**
   * Everything in the zip, unpacked. A workbook of 50 000 filled lines (9.7 MB, just under the
   * upload limit) unpacks to 98.5 MiB (measured); 160 MiB leaves room for styles and extra sheets
   * and parses within the thread's heap. The bomb of the report (1 MB → 1 GiB) is six times over.
   */
  maxInflatedBytes: 160 * MiB,
  /** An .xlsx has a dozen parts; thousands of tiny entries are a way to make the parser work. */
  maxEntries: 1000,
  /** No line field is longer than 1 000 characters: a longer cell is reported too long anyway. */
  maxCellChars: 4096,
  /** All cell text handed back to the server (shared strings are copied into every cell citing them). */
  maxTableChars: 64 * MiB,
} as const;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

const WANTED_SHEETS = [normalizeLabel(SHEETS.lines), ...SHEETS.lines.split(" ").map(normalizeLabel)];
const inflatedMb = Math.round(READ_LIMITS.maxInflatedBytes / MiB);

/** `fileName` is only for messages: the file is recognised by its bytes. */
export async function readUploadedTable(bytes: Uint8Array, fileName = ""): Promise<ReadResult> {
  if (startsWith(bytes, OLE_MAGIC)) return { ok: false, message: { key: "wb.err.xls" } };
  const file = fileName.slice(0, 100) || "—";
  const format = startsWith(bytes, ZIP_MAGIC) ? "xlsx" : "csv";
  if (format === "xlsx") {
    const declared = declaredZipSize(bytes, READ_LIMITS);
    if (!declared.ok) {
      if (declared.reason === "unreadable") return { ok: false, message: { key: "wb.err.unreadable" } };
      if (declared.reason === "entries") return entriesRefusal(file, declared.entries);
      return inflatedRefusal(file);
    }
  }
  const answer = await parseInWorker(bytes, format, { ...READ_LIMITS, wantedSheets: WANTED_SHEETS });
  if (answer.ok) {
    const table = answer.table as SheetTable | null;
    if (!table) return { ok: false, message: { key: "wb.err.noHeader" } };
    return { ok: true, table, format };
  }
  return failure(answer, file);
}

function inflatedRefusal(file: string): ReadFailure {
  return { ok: false, message: { key: "wb.err.inflated", params: { file, mb: inflatedMb } }, refusal: { httpStatus: 413 } };
}

function entriesRefusal(file: string, count: number): ReadFailure {
  return { ok: false, message: { key: "wb.err.zipEntries", params: { file, count, max: READ_LIMITS.maxEntries } }, refusal: { httpStatus: 413 } };
}

function failure(answer: ParseAnswer & { ok: false }, file: string): ReadFailure {
  switch (answer.reason) {
    case "inflated":
      return inflatedRefusal(file);
    case "entries":
      return entriesRefusal(file, answer.count);
    case "tooMuchText":
      return {
        ok: false,
        message: { key: "wb.err.tooMuchText", params: { file, mb: Math.round((2 * READ_LIMITS.maxTableChars) / MiB) } },
        refusal: { httpStatus: 413 },
      };
    case "memory":
    case "timeout":
      return {
        ok: false,
        message: { key: "wb.err.tooComplex", params: { file, mb: answer.heapMb, seconds: answer.seconds } },
        refusal: { httpStatus: 422 },
      };
    case "busy":
      return {
        ok: false,
        message: { key: "wb.err.busy", params: { seconds: answer.retryAfterSeconds } },
        refusal: { httpStatus: 503, retryAfterSeconds: answer.retryAfterSeconds },
      };
    case "tooManyRows":
      return { ok: false, message: { key: "wb.err.tooManyRows", params: { rows: `> ${MAX_DATA_ROWS}`, max: MAX_DATA_ROWS } } };
    case "unreadable":
      return { ok: false, message: { key: "wb.err.unreadable" } };
  }
}
