/**
 * The columns of an inventory workbook (template, import and export share them) and how an import
 * error is put into words. Kept free of server code: the upload page translates errors in the
 * browser with the same function the tests use.
 *
 * Column keys are the line form's field names, so a workbook row goes through exactly the same
 * validation as a line added in the editor; the few extra columns (excluded, estimated share, green
 * certificates' period kWh, certificate issuer and validity) carry what the form does not ask for.
 */
import type { Message, MessageKey, Translate } from "../i18n/index.ts";

/** The five data-quality scores of a line, in the order the form and the workbook show them. */
export const DATA_QUALITY_COLUMNS = ["reliability", "completeness", "temporal", "geographical", "technological"] as const;

export const WORKBOOK_COLUMNS = [
  "stage",
  "kind",
  "name",
  "amount",
  "unit",
  "factorCode",
  "supplyType",
  "technology",
  "certificateIds",
  "periodKWh",
  "supplierName",
  "supplierFactor",
  "supplierFactorYear",
  "mass",
  "massUnit",
  "distance",
  "gas",
  "certificateNumber",
  "certifiedValue",
  "certifiedUnitQuantity",
  "certifiedUnit",
  "certificateIssuer",
  "certificateValidUntil",
  "subProductId",
  "dataType",
  ...DATA_QUALITY_COLUMNS,
  "excluded",
  "estimatedShare",
  "note",
] as const;
export type WorkbookColumn = (typeof WORKBOOK_COLUMNS)[number];

/** Columns every file must have (an absent optional column reads as empty cells). */
export const REQUIRED_COLUMNS: readonly WorkbookColumn[] = ["stage", "kind", "name", "dataType", ...DATA_QUALITY_COLUMNS];

export function columnLabelKey(column: WorkbookColumn): MessageKey {
  return `wb.col.${column}`;
}

/** The spreadsheet letter of a 1-based column number (1 → A, 27 → AA). */
export function columnLetter(index: number): string {
  let n = index;
  let letters = "";
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/**
 * One problem found in an uploaded file. `row` is the row number the spreadsheet shows (the
 * header is row 1 in the template), `column` its letter; both are null for problems of the whole
 * file. `field` names the column's meaning, also when the file lacks that column.
 */
export interface ImportError {
  row: number | null;
  column: string | null;
  field: WorkbookColumn | null;
  message: Message;
}

/** An import error as a sentence in the reader's language, naming row and column. */
export function describeImportError(error: ImportError, t: Translate): string {
  const message = t(error.message.key, error.message.params);
  if (error.row === null) return message;
  const header = error.field ? t(columnLabelKey(error.field)) : "";
  if (error.column) return t("wb.err.cell", { row: error.row, column: error.column, header, message });
  if (error.field) return t("wb.err.absentColumn", { row: error.row, header, message });
  return t("wb.err.row", { row: error.row, message });
}
