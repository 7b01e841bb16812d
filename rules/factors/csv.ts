import { toDecimalString } from "../format.ts";
import type { Bilingual } from "../i18n.ts";
import { GASES, GWP_SET_IDS } from "../gwp.ts";
import { findRegion } from "../regions.ts";
import { findUnit } from "../units.ts";
import {
  ELECTRICITY_KINDS,
  EmissionFactorSchema,
  FACTOR_BOUNDARIES,
  FACTOR_CATEGORIES,
  FactorDatasetSchema,
  type EmissionFactor,
  type FactorDataset,
} from "./schema.ts";

/**
 * CSV exchange format for emission-factor datasets (platform administrators edit them in a
 * spreadsheet). Dataset metadata travels in leading `# key: value` lines; one row per factor.
 * Parsing validates row by row and reports every problem with its row and column, so an
 * administrator can fix a whole file in one round.
 */

export const FACTOR_CSV_COLUMNS = [
  "code",
  "name_zh",
  "name_en",
  "category",
  "activity_unit",
  ...GASES,
  "co2e",
  "co2e_gwp_set",
  "co2e_biogenic",
  "boundary",
  "electricity",
  "region",
  "year",
  "source_document",
  "source_publisher",
  "source_year",
  "source_clause",
  "source_note",
  "uncertainty_distribution",
  "uncertainty_relative_sd",
  "demonstration",
  "verify",
  "note",
] as const;
type Column = (typeof FACTOR_CSV_COLUMNS)[number];

const REQUIRED_COLUMNS: readonly Column[] = [
  "code",
  "name_zh",
  "name_en",
  "category",
  "activity_unit",
  "boundary",
  "region",
  "year",
  "source_document",
  "source_publisher",
  "source_year",
  "demonstration",
];

const METADATA_KEYS = ["id", "version", "name_zh", "name_en", "published_on", "demonstration", "note"] as const;

export type CsvErrorCode =
  | "missing_metadata"
  | "invalid_metadata"
  | "missing_column"
  | "unknown_column"
  | "duplicate_column"
  | "row_length"
  | "unterminated_quote"
  | "required"
  | "invalid_number"
  | "invalid_integer"
  | "invalid_boolean"
  | "invalid_value"
  | "unknown_unit"
  | "unknown_region"
  | "no_value"
  | "gas_and_co2e"
  | "co2e_without_gwp_set"
  | "duplicate_code"
  | "empty";

export interface CsvError {
  /** 1-based line number in the file (metadata and header lines count). 0 for file-level errors. */
  readonly row: number;
  readonly column: string | null;
  readonly code: CsvErrorCode;
  readonly message: Bilingual;
}

export type ParseFactorCsvResult =
  | { readonly ok: true; readonly dataset: FactorDataset }
  | { readonly ok: false; readonly errors: readonly CsvError[] };

export interface FactorCsvMetadata {
  readonly id?: string;
  readonly version?: string;
  readonly name?: Bilingual;
  readonly publishedOn?: string;
  readonly demonstration?: boolean;
  readonly note?: string;
}

/**
 * Parses a dataset from CSV. Metadata given in `overrides` wins over the file's `#` lines (the
 * import screen asks for the new version id, so an old file can become a new version).
 */
export function parseFactorCsv(text: string, overrides: FactorCsvMetadata = {}): ParseFactorCsvResult {
  const errors: CsvError[] = [];
  // Metadata lines are read before CSV splitting so free text in them (quotes, commas) is kept as is.
  const body = text.replace(/^\uFEFF/, "");
  const meta = new Map<string, { value: string; row: number }>();
  let offset = 0;
  let line = 1;
  while (offset < body.length) {
    const end = body.indexOf("\n", offset);
    const rawLine = body.slice(offset, end < 0 ? body.length : end).replace(/\r$/, "");
    if (rawLine.trim() !== "" && !rawLine.startsWith("#")) break;
    const m = /^#\s*([a-z_]+)\s*:\s*(.*)$/.exec(rawLine);
    if (m?.[1] && m[2] !== undefined) meta.set(m[1], { value: m[2].trim(), row: line });
    else if (rawLine.startsWith("#")) {
      errors.push({ row: line, column: null, code: "invalid_metadata", message: { zh: "元数据行应为「# 键: 值」", en: 'Metadata lines look like "# key: value"' } });
    }
    offset = end < 0 ? body.length : end + 1;
    line++;
  }
  const { records, error } = splitCsv(body.slice(offset), line);
  if (error) return { ok: false, errors: [error] };
  const headerIndex = records.findIndex((r) => !(r.cells.length === 1 && (r.cells[0] ?? "").trim() === ""));
  const headerRecord = headerIndex >= 0 ? records[headerIndex] : undefined;
  if (!headerRecord) {
    return { ok: false, errors: [{ row: 0, column: null, code: "empty", message: { zh: "文件中没有表头行", en: "The file has no header row" } }] };
  }

  for (const key of meta.keys()) {
    if (!(METADATA_KEYS as readonly string[]).includes(key)) {
      const row = meta.get(key)?.row ?? 0;
      errors.push({ row, column: null, code: "invalid_metadata", message: { zh: `未知的元数据项「${key}」`, en: `Unknown metadata key "${key}"` } });
    }
  }

  const header = headerRecord.cells.map((c) => c.trim());
  const columnIndex = new Map<string, number>();
  header.forEach((name, i) => {
    if (!(FACTOR_CSV_COLUMNS as readonly string[]).includes(name)) {
      errors.push({ row: headerRecord.row, column: name, code: "unknown_column", message: { zh: `未知列「${name}」`, en: `Unknown column "${name}"` } });
    } else if (columnIndex.has(name)) {
      errors.push({ row: headerRecord.row, column: name, code: "duplicate_column", message: { zh: `列「${name}」重复`, en: `Column "${name}" appears twice` } });
    } else {
      columnIndex.set(name, i);
    }
  });
  for (const col of REQUIRED_COLUMNS) {
    if (!columnIndex.has(col)) {
      errors.push({ row: headerRecord.row, column: col, code: "missing_column", message: { zh: `缺少必需列「${col}」`, en: `Required column "${col}" is missing` } });
    }
  }
  if (errors.some((e) => e.code === "missing_column" || e.code === "duplicate_column")) return { ok: false, errors };

  const factors: EmissionFactor[] = [];
  const codes = new Map<string, number>();
  for (let i = headerIndex + 1; i < records.length; i++) {
    const rec = records[i];
    if (!rec || (rec.cells.length === 1 && (rec.cells[0] ?? "").trim() === "")) continue;
    if (rec.cells.length !== header.length) {
      errors.push({
        row: rec.row,
        column: null,
        code: "row_length",
        message: { zh: `该行有 ${rec.cells.length} 个字段，表头有 ${header.length} 列`, en: `Row has ${rec.cells.length} fields, the header has ${header.length}` },
      });
      continue;
    }
    const cell = (col: Column): string => {
      const idx = columnIndex.get(col);
      return idx === undefined ? "" : (rec.cells[idx] ?? "").trim();
    };
    const rowErrors: CsvError[] = [];
    const factor = parseFactorRow(cell, rec.row, rowErrors);
    if (factor) {
      const prior = codes.get(factor.code);
      if (prior !== undefined) {
        rowErrors.push({
          row: rec.row,
          column: "code",
          code: "duplicate_code",
          message: { zh: `因子代码「${factor.code}」已在第 ${prior} 行出现`, en: `Factor code "${factor.code}" already appears on line ${prior}` },
        });
      } else {
        codes.set(factor.code, rec.row);
        if (rowErrors.length === 0) factors.push(factor);
      }
    }
    errors.push(...rowErrors);
  }

  const metaValue = (key: (typeof METADATA_KEYS)[number]) => meta.get(key)?.value;
  const id = overrides.id ?? metaValue("id");
  const version = overrides.version ?? metaValue("version");
  const nameZh = overrides.name?.zh ?? metaValue("name_zh");
  const nameEn = overrides.name?.en ?? metaValue("name_en");
  const publishedOn = overrides.publishedOn ?? metaValue("published_on");
  const demoText = metaValue("demonstration");
  const demonstration = overrides.demonstration ?? (demoText === undefined ? undefined : parseBoolean(demoText));
  const missing: Array<[string, unknown]> = [
    ["id", id],
    ["version", version],
    ["name_zh", nameZh],
    ["name_en", nameEn],
    ["published_on", publishedOn],
    ["demonstration", demonstration],
  ];
  for (const [key, value] of missing) {
    if (value === undefined || value === "") {
      errors.push({ row: 0, column: null, code: "missing_metadata", message: { zh: `缺少数据集元数据「# ${key}: …」`, en: `Dataset metadata "# ${key}: …" is missing` } });
    }
  }
  if (factors.length === 0 && errors.length === 0) {
    errors.push({ row: 0, column: null, code: "empty", message: { zh: "文件中没有因子行", en: "The file has no factor rows" } });
  }
  if (errors.length > 0) return { ok: false, errors };

  const candidate = {
    id,
    version,
    name: { zh: nameZh, en: nameEn },
    publishedOn,
    demonstration,
    ...(overrides.note ?? metaValue("note") ? { note: overrides.note ?? metaValue("note") } : {}),
    factors,
  };
  const parsed = FactorDatasetSchema.safeParse(candidate);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({
        row: 0,
        column: issue.path.join("."),
        code: "invalid_metadata" as const,
        message: { zh: `数据集元数据无效：${issue.message}`, en: `Invalid dataset metadata: ${issue.message}` },
      })),
    };
  }
  return { ok: true, dataset: parsed.data };
}

function parseFactorRow(cell: (c: Column) => string, row: number, errors: CsvError[]): EmissionFactor | null {
  const err = (column: Column, code: CsvErrorCode, zh: string, en: string) => errors.push({ row, column, code, message: { zh, en } });
  const required = (column: Column): string | undefined => {
    const v = cell(column);
    if (v === "") {
      err(column, "required", `「${column}」不能为空`, `"${column}" is required`);
      return undefined;
    }
    return v;
  };
  const number = (column: Column): number | undefined => {
    const v = cell(column);
    if (v === "") return undefined;
    // Decimal notation only: spreadsheets that write "1,234" or "1.2e-3" are flagged, not guessed.
    if (!/^-?(?:\d+\.?\d*|\.\d+)$/.test(v)) {
      err(column, "invalid_number", `「${column}」的值「${v}」不是十进制数`, `"${column}" value "${v}" is not a decimal number`);
      return undefined;
    }
    return Number(v);
  };
  const integer = (column: Column): number | undefined => {
    const v = required(column);
    if (v === undefined) return undefined;
    if (!/^\d{4}$/.test(v)) {
      err(column, "invalid_integer", `「${column}」的值「${v}」不是四位年份`, `"${column}" value "${v}" is not a four-digit year`);
      return undefined;
    }
    return Number(v);
  };
  const oneOf = <T extends string>(column: Column, allowed: readonly T[], optional = false): T | undefined => {
    const v = optional ? cell(column) : required(column);
    if (v === undefined || v === "") return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      err(column, "invalid_value", `「${column}」的值「${v}」无效，应为：${allowed.join("、")}`, `"${column}" value "${v}" is not one of: ${allowed.join(", ")}`);
      return undefined;
    }
    return v as T;
  };
  const bool = (column: Column, optional = false): boolean | undefined => {
    const v = optional ? cell(column) : required(column);
    if (v === undefined || v === "") return undefined;
    const b = parseBoolean(v);
    if (b === undefined) err(column, "invalid_boolean", `「${column}」的值「${v}」应为 true 或 false`, `"${column}" value "${v}" must be true or false`);
    return b;
  };

  const code = required("code");
  if (code !== undefined && !/^[A-Z0-9][A-Z0-9._-]*$/.test(code)) {
    err("code", "invalid_value", `因子代码「${code}」只能含大写字母、数字、「.」「_」「-」`, `Factor code "${code}" may only contain upper-case letters, digits, ".", "_" and "-"`);
  }
  const nameZh = required("name_zh");
  const nameEn = required("name_en");
  const category = oneOf("category", FACTOR_CATEGORIES);
  const unit = required("activity_unit");
  if (unit !== undefined && !findUnit(unit)) err("activity_unit", "unknown_unit", `未知计量单位「${unit}」`, `Unknown unit "${unit}"`);

  const gases: Partial<Record<(typeof GASES)[number], number>> = {};
  let gasCount = 0;
  for (const gas of GASES) {
    const v = number(gas);
    if (v !== undefined) {
      gases[gas] = v;
      gasCount++;
    }
  }
  const co2eValue = number("co2e");
  const gwp = oneOf("co2e_gwp_set", GWP_SET_IDS, true);
  const co2eBiogenic = number("co2e_biogenic");
  if (gasCount > 0 && co2eValue !== undefined) {
    err("co2e", "gas_and_co2e", "一行只能给出分气体数值或 CO2e 数值之一", "A row gives either per-gas values or a CO2e value, not both");
  }
  if (gasCount === 0 && co2eValue === undefined && !errors.some((e) => e.code === "invalid_number")) {
    err("co2e", "no_value", "该行没有任何排放数值（分气体或 CO2e）", "The row has no emission value (per gas or CO2e)");
  }
  if (co2eValue !== undefined && gwp === undefined && cell("co2e_gwp_set") === "") {
    err("co2e_gwp_set", "co2e_without_gwp_set", "给出 CO2e 数值时必须注明 GWP 集（AR5 或 AR6）", "A CO2e value needs its GWP set (AR5 or AR6)");
  }

  const boundary = oneOf("boundary", FACTOR_BOUNDARIES);
  const electricity = oneOf("electricity", ELECTRICITY_KINDS, true);
  const region = required("region");
  if (region !== undefined && !findRegion(region)) err("region", "unknown_region", `未知地区代码「${region}」`, `Unknown region code "${region}"`);
  const year = integer("year");
  const sourceDocument = required("source_document");
  const sourcePublisher = required("source_publisher");
  const sourceYear = integer("source_year");
  const distribution = oneOf("uncertainty_distribution", ["lognormal", "normal", "uniform", "triangular"] as const, true);
  const relativeSd = number("uncertainty_relative_sd");
  const demonstration = bool("demonstration");
  const verify = bool("verify", true);

  if (errors.length > 0) return null;

  const candidate = {
    code,
    name: { zh: nameZh, en: nameEn },
    category,
    activityUnit: unit,
    ...(gasCount > 0 ? { gases } : {}),
    ...(co2eValue !== undefined ? { co2e: { value: co2eValue, gwpSet: gwp, ...(co2eBiogenic !== undefined ? { biogenic: co2eBiogenic } : {}) } } : {}),
    boundary,
    ...(electricity ? { electricity } : {}),
    region,
    year,
    source: {
      document: sourceDocument,
      publisher: sourcePublisher,
      year: sourceYear,
      ...(cell("source_clause") ? { clause: cell("source_clause") } : {}),
      ...(cell("source_note") ? { note: cell("source_note") } : {}),
    },
    ...(distribution && relativeSd !== undefined ? { uncertainty: { distribution, relativeSd } } : {}),
    demonstration,
    ...(verify !== undefined ? { verify } : {}),
    ...(cell("note") ? { note: cell("note") } : {}),
  };
  const parsed = EmissionFactorSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const column = columnForPath(issue.path);
      errors.push({ row, column, code: "invalid_value", message: { zh: `数值无效：${issue.message}`, en: `Invalid value: ${issue.message}` } });
    }
    return null;
  }
  return parsed.data;
}

function columnForPath(path: ReadonlyArray<PropertyKey>): string {
  const [head, sub] = path;
  if (head === "electricity") return "electricity";
  if (head === "note") return "note";
  if (head === "name") return sub === "en" ? "name_en" : "name_zh";
  if (head === "activityUnit") return "activity_unit";
  if (head === "co2e") return "co2e";
  if (head === "source") return `source_${String(sub ?? "document")}`;
  if (head === "uncertainty") return "uncertainty_relative_sd";
  return String(head ?? "");
}

function parseBoolean(text: string): boolean | undefined {
  const v = text.trim().toLowerCase();
  if (v === "true" || v === "1" || v === "yes") return true;
  if (v === "false" || v === "0" || v === "no") return false;
  return undefined;
}

interface CsvRecord {
  readonly row: number;
  readonly cells: string[];
}

/** RFC 4180 splitter: quoted fields may hold commas, doubled quotes and line breaks. */
function splitCsv(text: string, firstLine: number): { records: CsvRecord[]; error?: CsvError } {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let field = "";
  let inQuotes = false;
  let line = firstLine;
  let recordStartLine = firstLine;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') inQuotes = true;
    else if (ch === ",") {
      cells.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      cells.push(field);
      records.push({ row: recordStartLine, cells });
      cells = [];
      field = "";
      if (ch === "\r" && text[i + 1] === "\n") i++;
      line++;
      recordStartLine = line;
    } else field += ch;
  }
  if (inQuotes) {
    return {
      records,
      error: { row: recordStartLine, column: null, code: "unterminated_quote", message: { zh: "引号未闭合", en: "A quoted field is not closed" } },
    };
  }
  if (field !== "" || cells.length > 0) {
    cells.push(field);
    records.push({ row: recordStartLine, cells });
  }
  return { records };
}

/** Writes a dataset in the CSV format parseFactorCsv reads; parse(toCsv(d)) reproduces d. */
export function toFactorCsv(dataset: FactorDataset): string {
  const lines: string[] = [
    `# id: ${dataset.id}`,
    `# version: ${dataset.version}`,
    `# name_zh: ${dataset.name.zh}`,
    `# name_en: ${dataset.name.en}`,
    `# published_on: ${dataset.publishedOn}`,
    `# demonstration: ${dataset.demonstration}`,
  ];
  if (dataset.note) lines.push(`# note: ${dataset.note.replace(/[\r\n]+/g, " ")}`);
  lines.push(FACTOR_CSV_COLUMNS.join(","));
  for (const f of dataset.factors) {
    const values: Record<Column, string> = Object.fromEntries(FACTOR_CSV_COLUMNS.map((c) => [c, ""])) as Record<Column, string>;
    values.code = f.code;
    values.name_zh = f.name.zh;
    values.name_en = f.name.en;
    values.category = f.category;
    values.activity_unit = f.activityUnit;
    for (const gas of GASES) {
      const v = f.gases?.[gas];
      if (v !== undefined) values[gas] = decimal(v);
    }
    if (f.co2e) {
      values.co2e = decimal(f.co2e.value);
      values.co2e_gwp_set = f.co2e.gwpSet;
      if (f.co2e.biogenic !== undefined) values.co2e_biogenic = decimal(f.co2e.biogenic);
    }
    values.boundary = f.boundary;
    values.electricity = f.electricity ?? "";
    values.region = f.region;
    values.year = String(f.year);
    values.source_document = f.source.document;
    values.source_publisher = f.source.publisher;
    values.source_year = String(f.source.year);
    values.source_clause = f.source.clause ?? "";
    values.source_note = f.source.note ?? "";
    values.uncertainty_distribution = f.uncertainty?.distribution ?? "";
    values.uncertainty_relative_sd = f.uncertainty ? decimal(f.uncertainty.relativeSd) : "";
    values.demonstration = String(f.demonstration);
    values.verify = f.verify === undefined ? "" : String(f.verify);
    values.note = f.note ?? "";
    lines.push(FACTOR_CSV_COLUMNS.map((c) => quote(values[c])).join(","));
  }
  return `${lines.join("\n")}\n`;
}

// Plain decimal, never exponent form, so the parser's decimal-only rule accepts what we write.
const decimal = toDecimalString;

function quote(v: string): string {
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}
