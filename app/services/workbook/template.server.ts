/**
 * The inventory template: a Lines sheet with one column per workbook column and drop-down lists
 * (stage, kind, data type, supply, gas, unit, factor code, sub-product), a Factors sheet with the
 * factors of the inventory's dataset and their activity units, a Codes sheet with every code and
 * its Chinese and English name, and Instructions in both languages with the inventory's PCR facts.
 *
 * The export reuses these sheets with the lines filled in, so an exported file can be edited and
 * imported again.
 */
import ExcelJS from "exceljs";
import type { Kysely } from "kysely";
import type { DB } from "../../../db/schema.ts";
import { DEFAULT_FACTOR_LIBRARY, type FactorLibrary } from "../../../rules/factors/index.ts";
import { factorLibrary } from "../../../workflows/footprints/library.ts";
import { PCR_CATALOGUE, type Pcr } from "../../../rules/pcr/index.ts";
import { STAGE_NAMES, STAGES } from "../../../rules/stages.ts";
import { UNITS } from "../../../rules/units.ts";
import type { MessageKey } from "../../i18n/index.ts";
import {
  columnLabelKey,
  DATA_QUALITY_COLUMNS,
  REQUIRED_COLUMNS,
  WORKBOOK_COLUMNS,
  columnLetter,
  type WorkbookColumn,
} from "../../utils/workbook-columns.ts";
import { findInventory, subProductCandidates, type InventoryRow } from "../inventories.server.ts";
import { CODE_LISTS, EN, headerText, SHEETS, ZH } from "./layout.server.ts";

export interface WorkbookSubject {
  inventory: InventoryRow;
  /** The library the inventory's dataset is read from (built-in and admin-published versions). */
  factors?: FactorLibrary;
  /** Products a sub-product line may name (the organization's others). */
  products: readonly { id: string; internal_code: string | null; name_zh: string; name_en: string; unit: string | null }[];
}

export type LineCells = Partial<Record<WorkbookColumn, string | number>>;

const VALIDATED_ROWS = 10_000;
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE3F1E7" } };
const REQUIRED_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFC9E6D2" } };
const BOLD: Partial<ExcelJS.Font> = { bold: true };

const WIDTHS: Partial<Record<WorkbookColumn, number>> = {
  stage: 24,
  kind: 20,
  name: 28,
  factorCode: 26,
  certificateIds: 28,
  note: 36,
  subProductId: 24,
  supplierName: 20,
};

/** exceljs keeps range-wide data validations here; its type declarations omit it. */
interface WithValidations {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

function bilingual(key: MessageKey): string {
  return `${ZH(key)} ${EN(key)}`;
}

/** A new workbook with the template's sheets; `lines` fills the Lines sheet (the export's case). */
export function templateWorkbook(subject: WorkbookSubject, lines: readonly LineCells[] = []): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "CarbonLabel";
  workbook.created = new Date();
  const pcr = PCR_CATALOGUE.get(subject.inventory.pcr_code, subject.inventory.pcr_version);
  const linesSheet = workbook.addWorksheet(SHEETS.lines, { views: [{ state: "frozen", ySplit: 1, xSplit: 3 }] });
  const factorRange = addFactorsSheet(workbook, subject.inventory, subject.factors ?? DEFAULT_FACTOR_LIBRARY);
  const codeRanges = addCodesSheet(workbook, subject, pcr);
  addHelpSheet(workbook, subject, pcr);
  fillLinesSheet(linesSheet, lines, pcr, { factorRange, ...codeRanges });
  return workbook;
}

export async function buildTemplate(subject: WorkbookSubject): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await templateWorkbook(subject).xlsx.writeBuffer());
}

function fillLinesSheet(
  sheet: ExcelJS.Worksheet,
  lines: readonly LineCells[],
  pcr: Pcr,
  ranges: { factorRange: string | null; unitRange: string; listRanges: Map<WorkbookColumn, string> },
) {
  sheet.columns = WORKBOOK_COLUMNS.map((column) => ({ key: column, width: WIDTHS[column] ?? 14 }));
  const header = sheet.getRow(1);
  WORKBOOK_COLUMNS.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.value = headerText(column);
    cell.font = BOLD;
    cell.fill = REQUIRED_COLUMNS.includes(column) ? REQUIRED_FILL : HEADER_FILL;
    cell.alignment = { wrapText: true, vertical: "top" };
  });
  header.height = 32;
  for (const line of lines) sheet.addRow(WORKBOOK_COLUMNS.map((column) => line[column] ?? null));

  // Drop-downs down to row 10 001 (or the last filled row): enough for typing in, and small enough
  // that readers which expand validation ranges cell by cell still open the file quickly.
  const last = Math.max(VALIDATED_ROWS + 1, lines.length + 1);
  const range = (column: WorkbookColumn) => {
    const letter = columnLetter(WORKBOOK_COLUMNS.indexOf(column) + 1);
    return `${letter}2:${letter}${last}`;
  };
  // Warnings, not refusals: the importer also takes Chinese or English names, and stages outside
  // the PCR's boundary are allowed (the conformance check reports them) exactly as in the editor.
  const list = (column: WorkbookColumn, formula: string) =>
    (sheet as unknown as WithValidations).dataValidations.add(range(column), {
      type: "list",
      allowBlank: true,
      formulae: [formula],
      showErrorMessage: true,
      errorStyle: "warning",
      errorTitle: bilingual(columnLabelKey(column)),
      error: `${ZH("wb.help.codes")}\n${EN("wb.help.codes")}`.slice(0, 255),
    });
  const inline = (codes: readonly string[]) => `"${codes.join(",")}"`;
  list("stage", inline(pcr.stages.allowed));
  for (const [column, formula] of ranges.listRanges) if (column !== "stage") list(column, formula);
  list("unit", ranges.unitRange);
  list("massUnit", ranges.unitRange);
  list("certifiedUnit", ranges.unitRange);
  if (ranges.factorRange) list("factorCode", ranges.factorRange);
  for (const column of DATA_QUALITY_COLUMNS) {
    (sheet as unknown as WithValidations).dataValidations.add(range(column), {
      type: "whole",
      operator: "between",
      allowBlank: true,
      formulae: [1, 5],
      showErrorMessage: true,
      errorStyle: "stop",
      error: `${ZH("wb.help.quality")}\n${EN("wb.help.quality")}`.slice(0, 255),
    });
  }
}

/** The factors of the inventory's dataset; returns the range of their codes for the drop-down. */
function addFactorsSheet(workbook: ExcelJS.Workbook, inventory: InventoryRow, library: FactorLibrary): string | null {
  const sheet = workbook.addWorksheet(SHEETS.factors, { views: [{ state: "frozen", ySplit: 1 }] });
  const dataset = library.get(inventory.factor_dataset_id, inventory.factor_dataset_version);
  const headers: MessageKey[] = [
    "wb.x.code",
    "wb.x.nameZh",
    "wb.x.nameEn",
    "wb.x.category",
    "wb.x.activityUnit",
    "wb.x.region",
    "wb.x.year",
    "wb.x.demonstration",
    "wb.x.source",
  ];
  sheet.columns = [
    { width: 28 },
    { width: 30 },
    { width: 36 },
    { width: 12 },
    { width: 14 },
    { width: 12 },
    { width: 8 },
    { width: 12 },
    { width: 50 },
  ];
  const header = sheet.addRow(headers.map(bilingual));
  header.font = BOLD;
  header.fill = HEADER_FILL;
  for (const f of dataset.factors) {
    sheet.addRow([
      f.code,
      f.name.zh,
      f.name.en,
      f.category,
      f.activityUnit,
      f.region,
      f.year,
      f.demonstration ? bilingual("wb.x.yes") : bilingual("wb.x.no"),
      `${f.source.publisher}: ${f.source.document} (${f.source.year})`,
    ]);
  }
  sheet.addRow([]);
  sheet.addRow([`${bilingual("inv.dataset")}: ${dataset.id} ${dataset.version}`]);
  return dataset.factors.length ? `${quoteSheet(SHEETS.factors)}!$A$2:$A$${dataset.factors.length + 1}` : null;
}

/** Code lists side by side, each four columns wide: code, Chinese, English, note. */
function addCodesSheet(workbook: ExcelJS.Workbook, subject: WorkbookSubject, pcr: Pcr) {
  const sheet = workbook.addWorksheet(SHEETS.codes);
  const listRanges = new Map<WorkbookColumn, string>();
  let left = 1;
  const block = (title: string, headers: string[], rows: (string | number)[][]) => {
    sheet.getCell(1, left).value = title;
    sheet.getCell(1, left).font = BOLD;
    headers.forEach((h, i) => {
      const cell = sheet.getCell(2, left + i);
      cell.value = h;
      cell.font = BOLD;
      cell.fill = HEADER_FILL;
    });
    rows.forEach((row, r) => row.forEach((value, i) => (sheet.getCell(3 + r, left + i).value = value)));
    headers.forEach((_, i) => (sheet.getColumn(left + i).width = i === 0 ? 26 : 22));
    const range = `${quoteSheet(SHEETS.codes)}!$${columnLetter(left)}$3:$${columnLetter(left)}$${Math.max(3, rows.length + 2)}`;
    left += headers.length + 1;
    return range;
  };
  const codeHeaders = [bilingual("wb.x.code"), bilingual("wb.x.nameZh"), bilingual("wb.x.nameEn")];
  for (const list of CODE_LISTS) {
    const rows = list.codes.map((code) => {
      const names = list.names(code);
      const row: string[] = [code, names.zh, names.en];
      if (list.column === "stage") {
        const status = pcr.stages.required.includes(code as (typeof STAGES)[number])
          ? "inv.required"
          : pcr.stages.allowed.includes(code as (typeof STAGES)[number])
            ? "inv.optional"
            : "inv.notInBoundary";
        row.push(bilingual(status));
      }
      return row;
    });
    const headers = list.column === "stage" ? [...codeHeaders, bilingual("wb.x.status")] : codeHeaders;
    listRanges.set(list.column, block(bilingual(columnLabelKey(list.column)), headers, rows));
  }
  const unitRange = block(
    bilingual("wb.col.unit"),
    [...codeHeaders, bilingual("wb.x.dimension")],
    UNITS.map((u) => [u.code, u.name.zh, u.name.en, u.dimension]),
  );
  if (subject.products.length > 0) {
    listRanges.set(
      "subProductId",
      block(
        bilingual("wb.col.subProductId"),
        [bilingual("wb.x.code"), bilingual("wb.x.internalCode"), bilingual("wb.x.nameZh"), bilingual("wb.x.nameEn")],
        subject.products.map((p) => [p.id, p.internal_code ?? "", p.name_zh, p.name_en]),
      ),
    );
  }
  return { listRanges, unitRange };
}

function addHelpSheet(workbook: ExcelJS.Workbook, subject: WorkbookSubject, pcr: Pcr) {
  const { inventory } = subject;
  const sheet = workbook.addWorksheet(SHEETS.help);
  sheet.columns = [{ width: 22 }, { width: 70 }, { width: 70 }];
  const wrap = (row: ExcelJS.Row) => row.eachCell((cell) => (cell.alignment = { wrapText: true, vertical: "top" }));
  const title = sheet.addRow([ZH("wb.help.title"), EN("wb.help.title")]);
  title.font = { bold: true, size: 14 };
  sheet.addRow([]);
  const stageList = (stages: readonly string[], lang: "zh" | "en") =>
    stages.map((s) => `${STAGE_NAMES[s as (typeof STAGES)[number]][lang]} (${s})`).join(lang === "zh" ? "、" : ", ");
  const facts: [MessageKey, string, string][] = [
    ["wb.x.product", inventory.product_name_zh, inventory.product_name_en],
    [
      "wb.x.inventory",
      `${inventory.period_start} – ${inventory.period_end} · ${ZH("inv.version")} ${inventory.version}`,
      `${inventory.period_start} – ${inventory.period_end} · ${EN("inv.version")} ${inventory.version}`,
    ],
    [
      "inv.production",
      `${inventory.production_quantity} ${inventory.production_unit}`,
      `${inventory.production_quantity} ${inventory.production_unit}`,
    ],
    ["inv.pcr", `${pcr.name.zh} · ${pcr.code} v${pcr.version}`, `${pcr.name.en} · ${pcr.code} v${pcr.version}`],
    [
      "wb.x.declaredUnit",
      `${pcr.declaredUnit.quantity} ${pcr.declaredUnit.unit} · ${pcr.declaredUnit.description.zh}`,
      `${pcr.declaredUnit.quantity} ${pcr.declaredUnit.unit} · ${pcr.declaredUnit.description.en}`,
    ],
    ["wb.x.boundary", pcr.boundary, pcr.boundary],
    ["wb.x.requiredStages", stageList(pcr.stages.required, "zh"), stageList(pcr.stages.required, "en")],
    ["wb.x.allowedStages", stageList(pcr.stages.allowed, "zh"), stageList(pcr.stages.allowed, "en")],
    [
      "inv.dataset",
      `${inventory.factor_dataset_id} ${inventory.factor_dataset_version}`,
      `${inventory.factor_dataset_id} ${inventory.factor_dataset_version}`,
    ],
    ["inv.gwp", inventory.gwp_set, inventory.gwp_set],
  ];
  for (const [key, zh, en] of facts) {
    const row = sheet.addRow([bilingual(key), zh, en]);
    row.getCell(1).font = BOLD;
    wrap(row);
  }
  sheet.addRow([]);
  const help: MessageKey[] = [
    "wb.help.totals",
    "wb.help.codes",
    "wb.help.kinds",
    "wb.help.quality",
    "wb.help.excluded",
    "wb.help.allOrNothing",
    "wb.help.modes",
    "wb.help.csv",
  ];
  help.forEach((key, i) => wrap(sheet.addRow([String(i + 1), ZH(key), EN(key)])));
  sheet.addRow([]);
  const columnsTitle = sheet.addRow([bilingual("wb.help.columns")]);
  columnsTitle.font = BOLD;
  WORKBOOK_COLUMNS.forEach((column, i) => {
    const required = REQUIRED_COLUMNS.includes(column) ? ` (${ZH("wb.help.requiredColumn")} / ${EN("wb.help.requiredColumn")})` : "";
    sheet.addRow([`${columnLetter(i + 1)} · ${column}${required}`, ZH(columnLabelKey(column)), EN(columnLabelKey(column))]);
  });
}

/** The inventory (tenant-scoped: null for another organization's or a missing one) and the products its lines may name. */
export async function findWorkbookSubject(db: Kysely<DB>, organizationId: string, inventoryId: string | undefined): Promise<WorkbookSubject | null> {
  const inventory = await findInventory(db, organizationId, inventoryId);
  if (!inventory) return null;
  return { inventory, products: await subProductCandidates(db, organizationId, inventory), factors: await factorLibrary(db) };
}

/** "P·O 42.5 普通硅酸盐水泥_2025-01-01_v1_template.xlsx" */
export function workbookFileName(inventory: InventoryRow, suffix: "template" | "export"): string {
  const product = inventory.product_name_zh.replace(/[\\/:*?"<>|\s]+/g, "_").slice(0, 60);
  return `${product}_${inventory.period_start}_v${inventory.version}_${suffix}.xlsx`;
}
