/**
 * An uploaded file as a table of text cells: an .xlsx workbook (the Lines sheet, or the first
 * sheet) or a CSV file, both read with exceljs. Recognises the file by its bytes, not its name:
 * a zip is a workbook, the old binary .xls gets its own message, anything else is tried as text.
 *
 * CSV from Chinese Excel is usually GB18030 (“CSV (逗号分隔)”), from elsewhere UTF-8 with or
 * without a byte-order mark: bytes that are not valid UTF-8 are read as GB18030.
 */
import ExcelJS from "exceljs";
import { Readable } from "node:stream";
import type { Message } from "../../i18n/index.ts";
import { MAX_DATA_ROWS, normalizeLabel, SHEETS } from "./layout.server.ts";

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

export type ReadResult = { ok: true; table: SheetTable; format: "xlsx" | "csv" } | { ok: false; message: Message };

/**
 * Bounds on what is kept while reading, so a small file that unpacks to millions of rows or
 * thousands of columns (compressed XML repeats well) cannot exhaust memory: rows beyond the limit
 * stop the reading, columns beyond the last one any layout uses are not looked at.
 */
const ROW_LIMIT = MAX_DATA_ROWS + 1000;
const MAX_COLUMNS = 256;

class TooManyRows extends Error {}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

export async function readUploadedTable(bytes: Uint8Array): Promise<ReadResult> {
  if (startsWith(bytes, OLE_MAGIC)) return { ok: false, message: { key: "wb.err.xls" } };
  let table: SheetTable | null;
  let format: "xlsx" | "csv";
  try {
    if (startsWith(bytes, ZIP_MAGIC)) {
      format = "xlsx";
      table = await readWorkbook(bytes);
    } else {
      format = "csv";
      const text = decodeText(bytes);
      if (text === null) return { ok: false, message: { key: "wb.err.unreadable" } };
      // Each row takes at least one line break (quoted fields may add more: hence the margin).
      if ((text.match(/\n/g)?.length ?? 0) > 2 * ROW_LIMIT) throw new TooManyRows();
      const sheet = await new ExcelJS.Workbook().csv.read(Readable.from([text]), {
        // Keep every value as the text it is: the line form's rules do the converting.
        map: (value: unknown) => value,
        parserOptions: { delimiter: guessDelimiter(text) },
      });
      const rows: RawRow[] = [];
      sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => rows.push({ row: rowNumber, values: row.values as unknown[] }));
      if (rows.length > ROW_LIMIT) throw new TooManyRows();
      table = tableOf(rows);
    }
  } catch (error) {
    if (error instanceof TooManyRows) return { ok: false, message: { key: "wb.err.tooManyRows", params: { rows: `> ${MAX_DATA_ROWS}`, max: MAX_DATA_ROWS } } };
    return { ok: false, message: { key: "wb.err.unreadable" } };
  }
  if (!table) return { ok: false, message: { key: "wb.err.noHeader" } };
  return { ok: true, table, format };
}

interface RawRow {
  row: number;
  values: unknown[];
}

/**
 * The Lines sheet (named as in the template, in either language; else the first sheet) read with
 * exceljs's streaming reader. Its in-memory reader expands every data-validation range into one
 * entry per cell, which for the template's drop-downs costs seconds and hundreds of megabytes.
 */
async function readWorkbook(bytes: Uint8Array): Promise<SheetTable | null> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]), {
    sharedStrings: "cache",
    // Styles are what tell a date from a number; reading them triples the time, and the one date
    // column converts Excel day numbers itself (rows.server.ts).
    styles: "ignore",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  const wanted = new Set([normalizeLabel(SHEETS.lines), ...SHEETS.lines.split(" ").map(normalizeLabel)]);
  const sheets: { file: string; rows: RawRow[] }[] = [];
  for await (const worksheet of reader) {
    const file = String((worksheet as unknown as { id: string | number }).id);
    const name = sheetNames(reader).get(file);
    // Once the names are known, only the Lines sheet (or, lacking one, the first) is kept.
    const keep = name === undefined || wanted.has(normalizeLabel(name)) || sheets.length === 0;
    const rows: RawRow[] = [];
    for await (const row of worksheet) {
      if (!keep) continue;
      rows.push({ row: row.number, values: row.values as unknown[] });
      if (rows.length > ROW_LIMIT) throw new TooManyRows();
    }
    if (keep) sheets.push({ file, rows });
  }
  const names = sheetNames(reader);
  const order = [...names.keys()];
  const chosen =
    sheets.find((s) => wanted.has(normalizeLabel(names.get(s.file) ?? ""))) ??
    [...sheets].sort((a, b) => order.indexOf(a.file) - order.indexOf(b.file))[0];
  return chosen ? tableOf(chosen.rows) : null;
}

/** Worksheet file number → sheet name, in workbook order, from what the reader has parsed so far. */
function sheetNames(reader: unknown): Map<string, string> {
  const { model, workbookRels } = reader as { model?: { sheets?: { name: string; rId: string }[] }; workbookRels?: { Id: string; Target: string }[] };
  const names = new Map<string, string>();
  for (const sheet of model?.sheets ?? []) {
    const target = workbookRels?.find((r) => r.Id === sheet.rId)?.Target ?? "";
    const file = /sheet(\d+)\.xml$/.exec(target)?.[1];
    if (file) names.set(file, sheet.name);
  }
  return names;
}

function tableOf(raw: RawRow[]): SheetTable | null {
  let header: { row: number; cells: CellText[] } | null = null;
  const rows: SheetTable["rows"] = [];
  for (const { row: rowNumber, values } of raw) {
    const width = Math.min(values.length, MAX_COLUMNS + 1);
    const cells: CellText[] = new Array(width);
    let empty = true;
    for (let c = 1; c < width; c++) {
      const text = cellText(values[c]);
      cells[c] = text;
      if (text !== "") empty = false;
    }
    if (empty) continue;
    if (header) rows.push({ row: rowNumber, cells });
    else header = { row: rowNumber, cells };
  }
  if (!header) return null;
  const headers = Array.from(header.cells, (c) => (typeof c === "string" ? c : c ? c.error : ""));
  return { headerRow: header.row, headers, rows };
}

/** Any exceljs cell value as trimmed text. */
export function cellText(value: unknown): CellText {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value.trim();
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    const v = value as { error?: string; result?: unknown; richText?: { text: string }[]; text?: unknown; formula?: string; sharedFormula?: string };
    if (typeof v.error === "string") return { error: v.error };
    if (v.richText) return v.richText.map((r) => r.text).join("").trim();
    if ("formula" in v || "sharedFormula" in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
  }
  return "";
}

function decodeText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    try {
      text = new TextDecoder("gb18030", { fatal: true }).decode(bytes);
    } catch {
      return null;
    }
  }
  // Binary files (images, PDFs …) are not CSV.
  if (text.includes("\u0000")) return null;
  return text;
}

/** Comma unless the header line clearly uses semicolons or tabs (Excel in some locales). */
function guessDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const commas = count(",");
  if (count("\t") > commas) return "\t";
  if (count(";") > commas) return ";";
  return ",";
}
