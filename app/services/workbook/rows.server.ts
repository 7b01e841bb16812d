/**
 * Table rows → inventory lines, or every problem with its row and column. Each row is checked by
 * the editor's own line form schema (`serverLineFormSchema`: the calculator's line schema plus the
 * dataset, product and registry checks), so a workbook line is valid exactly when the same values
 * typed into the editor would be. The workbook's extra columns (excluded, estimated share, green
 * certificates' claimed kWh, certificate issuer and validity) are read here, with messages in the
 * workbook's terms, and then validated as members of the same line.
 *
 * A row citing a certificate takes its figures from the registry as the editor does: the numbers
 * the file cites are looked up once before the rows are checked; the value, unit and validity
 * columns may be left empty, and where they are filled they must be the registry's. The issuer
 * column is read for its length only: the registry names the issuer.
 */
import type { Message } from "../../i18n/index.ts";
import type { CitedCertificate } from "../certificates/registry.server.ts";
import type { FieldErrors } from "../../utils/forms.ts";
import { lineFormErrors, type LineExtras } from "../../utils/line-form.ts";
import {
  columnLetter,
  DATA_QUALITY_COLUMNS,
  REQUIRED_COLUMNS,
  WORKBOOK_COLUMNS,
  type ImportError,
  type WorkbookColumn,
} from "../../utils/workbook-columns.ts";
import type { NewLine } from "../inventories.server.ts";
import { LineFormSchema, serverLineFormSchema, type LineFormContext } from "../inventory-line-form.server.ts";
import { CODE_ALIASES, columnForHeader, MAX_DATA_ROWS, MAX_REPORTED_ERRORS, normalizeLabel } from "./layout.server.ts";
import type { CellText, SheetTable } from "./read.server.ts";

export interface RowsContext extends LineFormContext {
  /** Products a sub-product line may name, by id or by internal code. */
  products: readonly { id: string; internal_code: string | null; unit: string | null }[];
  /** What the registry holds under the certificate numbers the file cites (numbers it lacks left out). */
  citeCertificates?: (numbers: readonly string[]) => Promise<ReadonlyMap<string, CitedCertificate>>;
}

export type RowsResult = { ok: true; lines: NewLine[] } | { ok: false; errors: ImportError[]; errorCount: number };

export interface RowsProgress {
  (done: number, total: number): void | Promise<void>;
}

const FORM_FIELDS = new Set<string>(Object.keys(LineFormSchema.shape));
const SCORE_FIELDS = new Set<string>(DATA_QUALITY_COLUMNS);

class ErrorList {
  readonly errors: ImportError[] = [];
  count = 0;
  add(error: ImportError) {
    this.count++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(error);
  }
}

/** Maps the header row to columns; problems with the header are reported on its row. */
function mapHeader(table: SheetTable, list: ErrorList): Map<WorkbookColumn, number> {
  const positions = new Map<WorkbookColumn, number>();
  table.headers.forEach((text, index) => {
    if (!text) return;
    const column = columnForHeader(text);
    const at = { row: table.headerRow, column: columnLetter(index) };
    if (!column) list.add({ ...at, field: null, message: { key: "wb.err.unknownColumn", params: { name: text.replace(/\s+/g, " ") } } });
    else if (positions.has(column)) list.add({ ...at, field: column, message: { key: "wb.err.duplicateColumn" } });
    else positions.set(column, index);
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!positions.has(column)) list.add({ row: table.headerRow, column: null, field: column, message: { key: "wb.err.missingColumn" } });
  }
  return positions;
}

export async function rowsToLines(table: SheetTable, ctx: RowsContext, progress?: RowsProgress): Promise<RowsResult> {
  const list = new ErrorList();
  if (table.rows.length === 0)
    return { ok: false, errors: [{ row: null, column: null, field: null, message: { key: "wb.err.noRows" } }], errorCount: 1 };
  if (table.rows.length > MAX_DATA_ROWS) {
    const message: Message = { key: "wb.err.tooManyRows", params: { rows: table.rows.length, max: MAX_DATA_ROWS } };
    return { ok: false, errors: [{ row: null, column: null, field: null, message }], errorCount: 1 };
  }
  const positions = mapHeader(table, list);
  if (list.count > 0) return { ok: false, errors: list.errors, errorCount: list.count };

  const productByCode = new Map<string, string>();
  for (const p of ctx.products) {
    productByCode.set(p.id.toLowerCase(), p.id);
    if (p.internal_code) productByCode.set(p.internal_code.toLowerCase(), p.id);
  }
  const cited = ctx.citeCertificates ? await ctx.citeCertificates(citedNumbers(table, positions)) : ctx.registeredCertificates;
  const formContext: LineFormContext = {
    ...ctx,
    registeredCertificates: cited,
    productIds: ctx.products.map((p) => p.id),
    productUnits: Object.fromEntries(ctx.products.filter((p) => p.unit).map((p) => [p.id, p.unit!])),
  };
  const lines: NewLine[] = [];
  const total = table.rows.length;
  for (let i = 0; i < total; i++) {
    if (progress && i % 1000 === 0) await progress(i, total);
    const { row, cells } = table.rows[i]!;
    const at = (field: WorkbookColumn) => ({ row, column: positions.has(field) ? columnLetter(positions.get(field)!) : null, field });

    // Cell texts by column, list columns turned into their codes.
    const values: Partial<Record<WorkbookColumn, string>> = {};
    let cellErrors = false;
    for (const column of WORKBOOK_COLUMNS) {
      const position = positions.get(column);
      const cell: CellText = position === undefined ? "" : (cells[position] ?? "");
      if (typeof cell !== "string") {
        list.add({ ...at(column), message: { key: "wb.err.excelError", params: { value: cell.error } } });
        cellErrors = true;
        continue;
      }
      if (cell === "") continue;
      const aliases = CODE_ALIASES.get(column);
      values[column] = aliases ? (aliases.get(cell) ?? aliases.get(normalizeLabel(cell)) ?? cell) : cell;
    }
    if (cellErrors) continue;
    if (values.subProductId) values.subProductId = productByCode.get(values.subProductId.toLowerCase()) ?? values.subProductId;

    const formInput = Object.fromEntries(Object.entries(values).filter(([key]) => FORM_FIELDS.has(key)));
    const extra = extraColumns(values);
    // With its extra columns when they read well, so the whole line is validated as one.
    const parsed = serverLineFormSchema(formContext, extra.errors ? {} : extra.extras).safeParse(formInput);
    const fieldErrors: FieldErrors = { ...extra.errors };
    let line: NewLine | null = null;
    if (parsed.success) line = parsed.data;
    else {
      for (const [field, message] of Object.entries(lineFormErrors(parsed.error.issues))) {
        // The form offers scores in a drop-down; typed in a cell, a wrong one needs its own words.
        fieldErrors[field] ??= SCORE_FIELDS.has(field) && values[field as WorkbookColumn] !== undefined ? { key: "wb.err.score" } : message;
      }
    }
    const entries = Object.entries(fieldErrors)
      .filter((e): e is [string, Message] => Boolean(e[1]))
      .map(([field, message]) => [(WORKBOOK_COLUMNS as readonly string[]).includes(field) ? (field as WorkbookColumn) : "name", message] as const)
      // Left to right, as the reader scans the row.
      .sort(([a], [b]) => (positions.get(a) ?? Infinity) - (positions.get(b) ?? Infinity));
    if (entries.length > 0) {
      for (const [column, message] of entries) list.add({ ...at(column), message: plainer(message) });
      continue;
    }
    if (line && list.count === 0) lines.push(line);
  }
  if (progress) await progress(total, total);
  if (list.count > 0) return { ok: false, errors: list.errors, errorCount: list.count };
  return { ok: true, lines };
}

/** The certificate numbers the file's rows cite, each once, as the registry files them. */
function citedNumbers(table: SheetTable, positions: Map<WorkbookColumn, number>): string[] {
  const column = positions.get("certificateNumber");
  if (column === undefined) return [];
  const numbers = new Set<string>();
  for (const { cells } of table.rows) {
    const cell = cells[column];
    if (typeof cell === "string" && cell.trim()) numbers.add(cell.trim().toUpperCase());
  }
  return [...numbers];
}

/** "Unit "" cannot be converted…" says less than "Required." */
function plainer(message: Message): Message {
  if (message.key === "v.unitMismatch" && message.params?.unit === "") return { key: "v.required" };
  return message;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** A date cell read without styles is Excel's day number (1900 system): 46477 → "2027-03-31". */
function excelDate(text: string | undefined): string | undefined {
  if (text === undefined || !/^\d{1,6}(\.\d+)?$/.test(text)) return text;
  const days = Math.floor(Number(text));
  if (days < 1 || days > 2_958_465) return text;
  return new Date(EXCEL_EPOCH_MS + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The columns the editor's form does not have, read into the line's members. Checked on every row
 * so that all problems are reported at once, with messages in the workbook's terms.
 */
function extraColumns(values: Partial<Record<WorkbookColumn, string>>): { extras: LineExtras; errors: FieldErrors | null } {
  const errors: FieldErrors = {};
  const extras: LineExtras = {};
  const excluded = values.excluded;
  if (excluded !== undefined && excluded !== "yes" && excluded !== "no") errors.excluded = { key: "wb.err.yesNo" };
  if (excluded === "yes") extras.excluded = true;
  if (values.estimatedShare !== undefined) {
    const share = Number(values.estimatedShare);
    if (!Number.isFinite(share) || share < 0 || share > 1) errors.estimatedShare = { key: "wb.err.share" };
    else if (excluded !== "yes") errors.estimatedShare = { key: "wb.err.shareNeedsExcluded" };
    else extras.estimatedShare = share;
  }
  if (values.periodKWh !== undefined) {
    const periodKWh = Number(values.periodKWh);
    if (!Number.isFinite(periodKWh)) errors.periodKWh = { key: "v.number" };
    else if (periodKWh <= 0) errors.periodKWh = { key: "v.positive" };
    // Only a green-certificate claim has a claimed period; on other lines the cell is ignored.
    else if (values.kind === "electricity" && values.supplyType === "green_certificate") extras.periodKWh = periodKWh;
  }
  const validUntil = excelDate(values.certificateValidUntil);
  if (validUntil !== undefined && (!DATE.test(validUntil) || Number.isNaN(Date.parse(validUntil))))
    errors.certificateValidUntil = { key: "wb.err.date" };
  if (values.certificateIssuer !== undefined && values.certificateIssuer.length > 200)
    errors.certificateIssuer = { key: "v.tooLong", params: { max: 200 } };
  if (values.kind === "supplier_certificate" && validUntil) extras.certificateValidUntil = validUntil;
  return { extras, errors: Object.keys(errors).length > 0 ? errors : null };
}
