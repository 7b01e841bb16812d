/**
 * What the template, the importer and the export agree on: sheet names, header texts, the codes
 * the list columns take (with the Chinese and English names also accepted on import) and the
 * limits of an upload.
 *
 * A workbook serves readers of both languages at once, so sheet names and headers carry the
 * Chinese and the English text from the dictionaries side by side.
 */
import { GASES } from "../../../rules/gwp.ts";
import { STAGE_NAMES, STAGES } from "../../../rules/stages.ts";
import { translator, type MessageKey } from "../../i18n/index.ts";
import { LINE_KINDS } from "../../utils/line-kinds.ts";
import { columnLabelKey, WORKBOOK_COLUMNS, type WorkbookColumn } from "../../utils/workbook-columns.ts";
import { WORKBOOK_MAX_BYTES } from "../../utils/upload-limits.ts";

/** Uploads larger than this are refused before they are read (app/utils/upload-limits.ts). */
export const MAX_UPLOAD_BYTES = WORKBOOK_MAX_BYTES;
/** Data rows one file may hold; the benchmark file has 10 000. */
export const MAX_DATA_ROWS = 50_000;
/** Errors kept in full for display; beyond this only the count grows. */
export const MAX_REPORTED_ERRORS = 500;

export const ZH = translator("zh-CN");
export const EN = translator("en");

/** "清单 Lines": both languages, within Excel's 31-character limit. */
export function sheetName(key: MessageKey): string {
  return `${ZH(key)} ${EN(key)}`.slice(0, 31);
}

export const SHEETS = {
  lines: sheetName("wb.sheet.lines"),
  factors: sheetName("wb.sheet.factors"),
  codes: sheetName("wb.sheet.codes"),
  help: sheetName("wb.sheet.help"),
  result: sheetName("wb.sheet.result"),
  contributions: sheetName("wb.sheet.contributions"),
  conformance: sheetName("wb.sheet.conformance"),
} as const;

/** Header cell text: Chinese above English. */
export function headerText(column: WorkbookColumn): string {
  return `${ZH(columnLabelKey(column))}\n${EN(columnLabelKey(column))}`;
}

/** Letters, digits and CJK only, lower case: "供电方因子 (kgCO2e/kWh)" and "供电方因子(kgco2e/kwh)" match. */
export function normalizeLabel(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/** Header text → column: the key itself, the Chinese label, the English label, or both together. */
const HEADER_INDEX: ReadonlyMap<string, WorkbookColumn> = new Map(
  WORKBOOK_COLUMNS.flatMap((column) => {
    const zh = ZH(columnLabelKey(column));
    const en = EN(columnLabelKey(column));
    return [column, zh, en, `${zh}${en}`, `${en}${zh}`].map((label) => [normalizeLabel(label), column] as const);
  }),
);

export function columnForHeader(text: string): WorkbookColumn | undefined {
  return HEADER_INDEX.get(normalizeLabel(text));
}

export const SUPPLY_TYPES = ["grid", "green_certificate", "supplier", "onsite"] as const;
export const TECHNOLOGIES = ["wind", "pv", "biomass"] as const;
export const DATA_TYPES = ["primary", "secondary"] as const;
export const MASS_UNITS = ["t", "kg"] as const;
export const YES_NO = ["yes", "no"] as const;

export interface CodeList {
  column: WorkbookColumn;
  codes: readonly string[];
  /** Names shown beside the codes and accepted on import. */
  names: (code: string) => { zh: string; en: string };
}

const fromDictionary = (prefix: string) => (code: string) => ({ zh: ZH(`${prefix}${code}` as MessageKey), en: EN(`${prefix}${code}` as MessageKey) });

/** The list columns, in the order the Codes sheet shows them. */
export const CODE_LISTS: readonly CodeList[] = [
  { column: "stage", codes: STAGES, names: (code) => STAGE_NAMES[code as (typeof STAGES)[number]] },
  { column: "kind", codes: LINE_KINDS, names: fromDictionary("inv.kind.") },
  { column: "dataType", codes: DATA_TYPES, names: fromDictionary("inv.") },
  { column: "supplyType", codes: SUPPLY_TYPES, names: fromDictionary("inv.supply.") },
  {
    column: "technology",
    codes: TECHNOLOGIES,
    names: (code) =>
      ({ wind: { zh: "风电", en: "wind" }, pv: { zh: "光伏", en: "photovoltaic" }, biomass: { zh: "生物质", en: "biomass" } })[
        code as (typeof TECHNOLOGIES)[number]
      ],
  },
  { column: "gas", codes: GASES, names: (code) => ({ zh: code, en: code }) },
  { column: "massUnit", codes: MASS_UNITS, names: (code) => (code === "t" ? { zh: "吨", en: "tonne" } : { zh: "千克", en: "kilogram" }) },
  { column: "excluded", codes: YES_NO, names: (code) => ({ zh: ZH(`wb.x.${code as "yes" | "no"}`), en: EN(`wb.x.${code as "yes" | "no"}`) }) },
];

/** Cell text → code, for every list column: the code, or its Chinese or English name (any case). */
export const CODE_ALIASES: ReadonlyMap<WorkbookColumn, ReadonlyMap<string, string>> = new Map(
  CODE_LISTS.map((list) => {
    const aliases = new Map<string, string>();
    for (const code of list.codes) {
      const { zh, en } = list.names(code);
      for (const alias of [code, zh, en]) aliases.set(normalizeLabel(alias), code);
    }
    if (list.column === "excluded") {
      for (const yes of ["true", "1", "y", "x", "是"]) aliases.set(yes, "yes");
      for (const no of ["false", "0", "n", "否"]) aliases.set(no, "no");
    }
    return [list.column, aliases] as const;
  }),
);

/** The safe part of a file name for Content-Disposition (ASCII fallback plus RFC 5987 UTF-8 name). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]+/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
