/**
 * Worker thread: an uploaded .xlsx or CSV file → the table of text cells the importer checks.
 *
 * This is plain JavaScript on purpose. The server bundle (`remix vite:build`) does not carry a
 * worker file along, and a TypeScript worker would need a loader in every place the server runs
 * (tsx, Vitest, the built bundle). A .js file next to its caller runs the same everywhere: the
 * caller (parse-pool.server.ts) finds it in the source tree, which ships with the build.
 *
 * The thread is started with V8 heap limits (resourceLimits) and a deadline, so a file that
 * needs more memory or time than allowed ends this thread, never the server. Before exceljs
 * sees a workbook, every zip entry is inflated once with the very parser exceljs uses (unzipper),
 * counting bytes and stopping at the limit: the sizes a zip declares can lie, the bytes cannot.
 *
 * Input (workerData): { bytes: Uint8Array, format: "xlsx" | "csv", limits }.
 * Output (one message): { ok: true, table } | { ok: false, reason, ...details }.
 */
import { createRequire } from "node:module";
import { Readable } from "node:stream";
import { parentPort, workerData } from "node:worker_threads";

const require = createRequire(import.meta.url);
const ExcelJS = require("exceljs");
// The unzipper exceljs itself loads, so the size check reads the zip exactly as the parser will.
const unzipper = createRequire(require.resolve("exceljs"))("unzipper");

/**
 * @typedef {{ rowLimit: number, maxColumns: number, maxInflatedBytes: number, maxEntries: number,
 *   maxCellChars: number, maxTableChars: number, wantedSheets: string[] }} Limits
 * @typedef {string | { error: string }} CellText
 */

class Refusal extends Error {
  /** @param {string} reason @param {Record<string, number>} [details] */
  constructor(reason, details = {}) {
    super(reason);
    this.reason = reason;
    this.details = details;
  }
}

/** Must stay the same as normalizeLabel in layout.server.ts (sheet names in either language). */
function normalizeLabel(text) {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * Inflates every entry and throws the bytes away, stopping as soon as the running total passes
 * the limit: memory stays at one chunk whatever the file claims.
 * @param {Buffer} buffer @param {Limits} limits
 */
async function checkInflatedSize(buffer, limits) {
  const source = Readable.from([buffer]);
  const zip = unzipper.Parse({ forceStream: true });
  source.pipe(zip);
  let total = 0;
  let entries = 0;
  try {
    for await (const entry of zip) {
      if (++entries > limits.maxEntries) throw new Refusal("entries", { count: entries });
      for await (const chunk of entry) {
        total += chunk.length;
        if (total > limits.maxInflatedBytes) throw new Refusal("inflated", { bytes: total });
      }
    }
  } finally {
    source.destroy();
    zip.destroy();
  }
}

/** @param {Uint8Array} bytes @param {Limits} limits */
async function readWorkbook(bytes, limits) {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  await checkInflatedSize(buffer, limits);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buffer]), {
    sharedStrings: "cache",
    // Styles are what tell a date from a number; reading them triples the time, and the one date
    // column converts Excel day numbers itself (rows.server.ts).
    styles: "ignore",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  const wanted = new Set(limits.wantedSheets);
  /** @type {{ file: string, rows: { row: number, values: unknown[] }[] }[]} */
  const sheets = [];
  for await (const worksheet of reader) {
    const file = String(worksheet.id);
    const name = sheetNames(reader).get(file);
    // Once the names are known, only the Lines sheet (or, lacking one, the first) is kept.
    const keep = name === undefined || wanted.has(normalizeLabel(name)) || sheets.length === 0;
    const rows = [];
    for await (const row of worksheet) {
      if (!keep) continue;
      rows.push({ row: row.number, values: row.values });
      if (rows.length > limits.rowLimit) throw new Refusal("tooManyRows");
    }
    if (keep) sheets.push({ file, rows });
  }
  const names = sheetNames(reader);
  const order = [...names.keys()];
  const chosen =
    sheets.find((s) => wanted.has(normalizeLabel(names.get(s.file) ?? ""))) ??
    [...sheets].sort((a, b) => order.indexOf(a.file) - order.indexOf(b.file))[0];
  return chosen ? tableOf(chosen.rows, limits) : null;
}

/** Worksheet file number → sheet name, in workbook order, from what the reader has parsed so far. */
function sheetNames(reader) {
  const { model, workbookRels } = reader;
  const names = new Map();
  for (const sheet of model?.sheets ?? []) {
    const target = workbookRels?.find((r) => r.Id === sheet.rId)?.Target ?? "";
    const file = /sheet(\d+)\.xml$/.exec(target)?.[1];
    if (file) names.set(file, sheet.name);
  }
  return names;
}

/** @param {Uint8Array} bytes @param {Limits} limits */
async function readCsv(bytes, limits) {
  const text = decodeText(bytes);
  if (text === null) throw new Refusal("unreadable");
  // Each row takes at least one line break (quoted fields may add more: hence the margin).
  if ((text.match(/\n/g)?.length ?? 0) > 2 * limits.rowLimit) throw new Refusal("tooManyRows");
  const sheet = await new ExcelJS.Workbook().csv.read(Readable.from([text]), {
    // Keep every value as the text it is: the line form's rules do the converting.
    map: (value) => value,
    parserOptions: { delimiter: guessDelimiter(text) },
  });
  const rows = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => rows.push({ row: rowNumber, values: row.values }));
  if (rows.length > limits.rowLimit) throw new Refusal("tooManyRows");
  return tableOf(rows, limits);
}

/**
 * Rows → header and data rows of trimmed text. The text handed back to the server is bounded
 * (each cell and in total): a shared string is stored once in the file but copied into every cell
 * that cites it, so a small file could otherwise expand into gigabytes of cells. A cell longer
 * than any field allows is cut to that length plus one, which the line rules still call too long.
 * @param {{ row: number, values: unknown[] }[]} raw @param {Limits} limits
 */
function tableOf(raw, limits) {
  let header = null;
  const rows = [];
  let chars = 0;
  for (const { row: rowNumber, values } of raw) {
    const width = Math.min(values.length, limits.maxColumns + 1);
    /** @type {CellText[]} */
    const cells = new Array(width);
    let empty = true;
    for (let c = 1; c < width; c++) {
      let text = cellText(values[c]);
      if (typeof text === "string" && text.length > limits.maxCellChars) text = text.slice(0, limits.maxCellChars);
      chars += typeof text === "string" ? text.length : text.error.length;
      cells[c] = text;
      if (text !== "") empty = false;
    }
    if (chars > limits.maxTableChars) throw new Refusal("tooMuchText", { chars });
    if (empty) continue;
    if (header) rows.push({ row: rowNumber, cells });
    else header = { row: rowNumber, cells };
  }
  if (!header) return null;
  const headers = Array.from(header.cells, (c) => (typeof c === "string" ? c : c ? c.error : ""));
  return { headerRow: header.row, headers, rows };
}

/**
 * Any exceljs cell value as trimmed text.
 * @returns {CellText}
 */
function cellText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value.trim();
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if (typeof value.error === "string") return { error: value.error };
    if (value.richText)
      return value.richText
        .map((r) => r.text)
        .join("")
        .trim();
    if ("formula" in value || "sharedFormula" in value) return cellText(value.result);
    if (value.text !== undefined) return cellText(value.text);
  }
  return "";
}

/**
 * CSV from Chinese Excel is usually GB18030 ("CSV (逗号分隔)"), from elsewhere UTF-8 with or
 * without a byte-order mark: bytes that are not valid UTF-8 are read as GB18030.
 */
function decodeText(bytes) {
  let text;
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
function guessDelimiter(text) {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (ch) => firstLine.split(ch).length - 1;
  const commas = count(",");
  if (count("\t") > commas) return "\t";
  if (count(";") > commas) return ";";
  return ",";
}

async function main() {
  const { bytes, format, limits } = workerData;
  try {
    const table = format === "xlsx" ? await readWorkbook(bytes, limits) : await readCsv(bytes, limits);
    parentPort.postMessage({ ok: true, table });
  } catch (error) {
    if (error instanceof Refusal) parentPort.postMessage({ ok: false, reason: error.reason, ...error.details });
    // Anything else exceljs or unzipper throws means the file is not a workbook it can read.
    else parentPort.postMessage({ ok: false, reason: "unreadable", detail: String(error?.message ?? error).slice(0, 200) });
  }
}

// The caller ends this thread once the answer arrives: lingering streams of an aborted inflation
// must not keep it, and its memory, alive.
await main();
