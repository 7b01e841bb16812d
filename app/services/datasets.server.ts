/**
 * Factor dataset versions for the platform admin (docs/decisions/0018): the list of versions
 * (built in and stored), importing one from an .xlsx or CSV file, its difference from the version
 * before it, publishing it (then the drift watch runs), and a version as a CSV file to start the
 * next one from.
 *
 * A file holds one factor a row, one column per member of a factor, headed by the member's path
 * (`code`, `name.zh`, `gases.co2_fossil`, `source.document`, …; the CSV of any version shows all of
 * them). Every row is checked by the rules' EmissionFactorSchema, and each problem is reported by
 * row and column as a message key, so the admin reads it in their language; nothing is stored
 * unless the whole file and the version's header are valid.
 */
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { DB } from "../../db/schema.ts";
import { datasetVersionRows } from "../../db/repositories/factor-dataset-versions.ts";
import { lineIssueMessage } from "../../rules/calculator/line-issues.ts";
import {
  DatasetIncludeSchema,
  datasetContentHash,
  DEFAULT_FACTOR_LIBRARY,
  EmissionFactorSchema,
  FactorDatasetSchema,
  formulaProduct,
  formulaValuePerActivityUnit,
  FuelFormulaSchema,
  type EmissionFactor,
  type FactorDataset,
  type FactorLibrary,
} from "../../rules/factors/index.ts";
import { GASES } from "../../rules/gwp.ts";
import {
  diffWithPrevious,
  discardDatasetDraft,
  importDatasetDraft,
  libraryWithVersion,
  publishDatasetVersion,
  storedDatasetVersion,
  type DatasetDiff,
  type DatasetRefusal,
} from "../../workflows/footprints/datasets.ts";
import { driftCounts, runDriftWatch, type DriftSummary } from "../../workflows/footprints/drift.ts";
import { factorLibrary } from "../../workflows/footprints/library.ts";
import type { Message } from "../i18n/index.ts";
import { INCLUDE_PREFIX } from "../utils/dataset-forms.ts";
import type { FieldErrors } from "../utils/forms.ts";
import { columnLetter } from "../utils/workbook-columns.ts";
import { lockedInventoryInput } from "./inventory-dataset.server.ts";
import { normalizeLabel } from "./workbook/layout.server.ts";
import { readUploadedTable, type CellText, type SheetTable } from "./workbook/read.server.ts";

// ---- the file's columns ----

type ColumnKind = "text" | "number" | "boolean";

interface DatasetColumn {
  /** The member's path in a factor, as the header names it. */
  readonly path: string;
  readonly kind: ColumnKind;
  readonly required?: boolean;
}

/** Every member of a factor (rules/factors/schema.ts), in the order a file lists them. */
export const DATASET_COLUMNS: readonly DatasetColumn[] = [
  { path: "code", kind: "text", required: true },
  { path: "name.zh", kind: "text", required: true },
  { path: "name.en", kind: "text", required: true },
  { path: "category", kind: "text", required: true },
  { path: "activityUnit", kind: "text", required: true },
  ...GASES.map((gas) => ({ path: `gases.${gas}`, kind: "number" as const })),
  { path: "co2e.value", kind: "number" },
  { path: "co2e.gwpSet", kind: "text" },
  { path: "co2e.biogenic", kind: "number" },
  { path: "boundary", kind: "text", required: true },
  { path: "electricity", kind: "text" },
  { path: "region", kind: "text", required: true },
  { path: "year", kind: "number", required: true },
  { path: "source.document", kind: "text", required: true },
  { path: "source.publisher", kind: "text", required: true },
  { path: "source.year", kind: "number", required: true },
  { path: "source.clause", kind: "text" },
  { path: "source.table", kind: "text" },
  { path: "source.dataYear", kind: "number" },
  { path: "source.status", kind: "text" },
  { path: "source.statusNote", kind: "text" },
  { path: "source.note", kind: "text" },
  { path: "uncertainty.distribution", kind: "text" },
  { path: "uncertainty.relativeSd", kind: "number" },
  { path: "demonstration", kind: "boolean", required: true },
  { path: "verify", kind: "boolean" },
  // Decimal texts as printed ("19.570" keeps its last zero): read as text, never as numbers.
  { path: "formula.method", kind: "text" },
  { path: "formula.perUnit", kind: "text" },
  { path: "formula.ncvGJ", kind: "text" },
  { path: "formula.carbonTPerGJ", kind: "text" },
  { path: "formula.oxidationPercent", kind: "text" },
  { path: "formula.tabulatedTCO2", kind: "text" },
  { path: "yearConvention", kind: "text" },
  { path: "note", kind: "text" },
];

const COLUMN_BY_HEADER: ReadonlyMap<string, DatasetColumn> = new Map(DATASET_COLUMNS.map((c) => [normalizeLabel(c.path), c]));
/** Members whose columns form one object, present when any of its cells is filled (`source` always is). */
const GROUPS = ["gases", "co2e", "uncertainty", "formula"] as const;
/** Factors one version may hold: ten times the largest shipped version. */
export const MAX_DATASET_FACTORS = 5000;
/** Errors kept for display; beyond this only the count grows. */
const MAX_ERRORS = 500;

export interface DatasetImportError {
  readonly row: number | null;
  /** The column's letter, when the problem is in one cell. */
  readonly column: string | null;
  /** The member the column holds (its header). */
  readonly header: string | null;
  readonly message: Message;
}

class ErrorList {
  readonly errors: DatasetImportError[] = [];
  count = 0;
  add(error: DatasetImportError) {
    this.count++;
    if (this.errors.length < MAX_ERRORS) this.errors.push(error);
  }
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const TRUE = new Set(["true", "yes", "y", "1", "是", "真"]);
const FALSE = new Set(["false", "no", "n", "0", "否", "假"]);

/** A cell as the member's value: numbers and booleans converted where they read as such, any other text kept for the schema to refuse. */
function cellValue(cell: CellText | undefined, kind: ColumnKind): unknown {
  if (cell === undefined || cell === "") return undefined;
  if (typeof cell !== "string") return cell.error;
  if (kind === "number") return NUMBER.test(cell) ? Number(cell) : cell;
  if (kind === "boolean") {
    const word = cell.toLowerCase();
    return TRUE.has(word) ? true : FALSE.has(word) ? false : cell;
  }
  return cell;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, rest] = path.split(/\.(.*)/s, 2) as [string, string | undefined];
  if (rest === undefined) {
    target[head] = value;
    return;
  }
  const child = (target[head] ??= {}) as Record<string, unknown>;
  setPath(child, rest, value);
}

/** The header row: which column holds which member; unknown, repeated and missing columns are errors on it. */
function mapHeader(table: SheetTable, list: ErrorList): Map<string, number> {
  const positions = new Map<string, number>();
  table.headers.forEach((text, index) => {
    if (!text) return;
    const column = COLUMN_BY_HEADER.get(normalizeLabel(text));
    const at = { row: table.headerRow, column: columnLetter(index) };
    const name = text.replace(/\s+/g, " ");
    if (!column) list.add({ ...at, header: name, message: { key: "ds.err.unknownColumn", params: { name } } });
    else if (positions.has(column.path)) list.add({ ...at, header: column.path, message: { key: "wb.err.duplicateColumn" } });
    else positions.set(column.path, index);
  });
  for (const column of DATASET_COLUMNS) {
    if (column.required && !positions.has(column.path))
      list.add({ row: table.headerRow, column: null, header: column.path, message: { key: "ds.err.missingColumn", params: { name: column.path } } });
  }
  return positions;
}

/**
 * A fuel formula's rule broken, with the figures the schema computed, recomputed here from the
 * row (the schema words them in one string of both languages; the page shows the reader's).
 */
function formulaMessage(path: string, factor: Record<string, unknown>): Message {
  const parsed = FuelFormulaSchema.safeParse(factor.formula);
  const unit = typeof factor.activityUnit === "string" ? factor.activityUnit : "";
  if (!parsed.success) return { key: "v.invalid" };
  if (path === "formula.tabulatedTCO2") {
    const product = formulaProduct(parsed.data);
    return { key: "ds.err.formulaProduct", params: { product: product.shown, rounded: product.rounded, tabulated: parsed.data.tabulatedTCO2 } };
  }
  if (path === "formula.perUnit") return { key: "ds.err.formulaUnit", params: { perUnit: parsed.data.perUnit, unit } };
  return { key: "ds.err.formulaValue", params: { value: formulaValuePerActivityUnit(parsed.data, unit), unit } };
}

/**
 * What a schema issue on a factor means, as a message key: the dataset's own rules by name, the
 * rest as the line form words them. `factor` is the row as it was parsed.
 */
export function factorIssueMessage(issue: z.core.$ZodIssue, factor: Record<string, unknown>): Message {
  const path = issue.path.map(String).join(".");
  if (issue.code === "invalid_value") return { key: "ds.err.choice", params: { choices: issue.values.map(String).join(", ") } };
  if (issue.code === "invalid_format" && issue.format === "regex") return path === "code" ? { key: "ds.err.code" } : { key: "v.invalid" };
  if (issue.code === "custom") {
    if (path === "") return { key: "ds.err.valueForm" };
    if (path === "electricity") return { key: "ds.err.electricityKind" };
    if (path === "note") return { key: "ds.err.demoNote" };
    if (path === "source.dataYear") return { key: "ds.err.dataYear" };
    if (path === "region") return { key: "ds.err.region" };
    if (issue.message === "unknown unit") return { key: "ds.err.unit" };
    if (path === "formula.tabulatedTCO2" || path === "formula.perUnit" || path === "gases") return formulaMessage(path, factor);
    return { key: "v.invalid" };
  }
  return lineIssueMessage(issue);
}

/** The column an issue's path points at: its own, or the first column of the object it names that the file has. */
function columnOfPath(path: string, positions: ReadonlyMap<string, number>): { column: string | null; header: string | null } {
  if (positions.has(path)) return { column: columnLetter(positions.get(path)!), header: path };
  if (path !== "") {
    for (const c of DATASET_COLUMNS) {
      if (c.path.startsWith(`${path}.`) && positions.has(c.path)) return { column: columnLetter(positions.get(c.path)!), header: c.path };
    }
    // A member the file has no column for (a required one is named on the header row already).
    return { column: null, header: path };
  }
  return { column: null, header: null };
}

export type RowsOutcome =
  | { ok: true; factors: EmissionFactor[]; rowOfCode: Map<string, number>; codeColumn: string }
  | { ok: false; errors: DatasetImportError[]; errorCount: number };

/** The table's rows as factors, or every problem by row and column. */
export function rowsToFactors(table: SheetTable): RowsOutcome {
  const list = new ErrorList();
  if (table.rows.length === 0)
    return { ok: false, errors: [{ row: null, column: null, header: null, message: { key: "wb.err.noRows" } }], errorCount: 1 };
  if (table.rows.length > MAX_DATASET_FACTORS) {
    const message: Message = { key: "wb.err.tooManyRows", params: { rows: table.rows.length, max: MAX_DATASET_FACTORS } };
    return { ok: false, errors: [{ row: null, column: null, header: null, message }], errorCount: 1 };
  }
  const positions = mapHeader(table, list);
  if (list.count > 0) return { ok: false, errors: list.errors, errorCount: list.count };
  const factors: EmissionFactor[] = [];
  const rowOfCode = new Map<string, number>();
  for (const { row, cells } of table.rows) {
    const factor: Record<string, unknown> = { source: {} };
    for (const column of DATASET_COLUMNS) {
      const index = positions.get(column.path);
      if (index === undefined) continue;
      const value = cellValue(cells[index], column.kind);
      // PostgreSQL cannot store NUL in text (nor in JSON text): no factor member may hold it.
      if (typeof value === "string" && value.includes("\u0000")) {
        list.add({ row, column: columnLetter(index), header: column.path, message: { key: "v.nulByte", params: { field: column.path } } });
        continue;
      }
      if (value !== undefined) setPath(factor, column.path, value);
    }
    for (const group of GROUPS) if (factor[group] !== undefined && Object.keys(factor[group] as object).length === 0) delete factor[group];
    const parsed = EmissionFactorSchema.safeParse(factor, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const at = columnOfPath(issue.path.map(String).join("."), positions);
        list.add({ row, ...at, message: factorIssueMessage(issue, factor) });
      }
      continue;
    }
    const first = rowOfCode.get(parsed.data.code);
    if (first !== undefined) {
      list.add({ row, ...columnOfPath("code", positions), message: { key: "ds.err.duplicateCode", params: { code: parsed.data.code, row: first } } });
      continue;
    }
    rowOfCode.set(parsed.data.code, row);
    factors.push(parsed.data);
  }
  if (list.count > 0) return { ok: false, errors: list.errors, errorCount: list.count };
  return { ok: true, factors, rowOfCode, codeColumn: columnLetter(positions.get("code")!) };
}

// ---- the version's header (the import form) ----

/** The import form's fields beside the file. */
export const HEADER_FIELDS = ["datasetId", "version", "nameZh", "nameEn", "publishedOn", "note"] as const;

const HEADER_PATHS: Readonly<Record<string, (typeof HEADER_FIELDS)[number] | "demonstration" | "includes">> = {
  id: "datasetId",
  version: "version",
  "name.zh": "nameZh",
  "name.en": "nameEn",
  publishedOn: "publishedOn",
  note: "note",
  demonstration: "demonstration",
  includes: "includes",
};

function headerIssueMessage(issue: z.core.$ZodIssue): Message {
  if (issue.code === "invalid_format" && issue.format === "regex") {
    const field = issue.path[0];
    if (field === "id") return { key: "ds.err.datasetId" };
    if (field === "version") return { key: "ds.err.version" };
  }
  return lineIssueMessage(issue);
}

export type ImportOutcome =
  | { status: "imported"; datasetId: string; version: string; factors: number }
  | { status: "invalid"; errors: DatasetImportError[]; errorCount: number; fieldErrors: FieldErrors }
  | { status: "refused"; message: Message; httpStatus: 400 | 413 | 422 | 503; retryAfterSeconds?: number };

/** The versions a new one may include: every version of the library, with the hash it is pinned by. */
export function includableVersions(library: FactorLibrary) {
  return library.list().map((d) => ({ key: `${d.id}@${d.version}`, id: d.id, version: d.version, name: d.name, sha256: datasetContentHash(d) }));
}

/** The versions the import form offers to include (built in and published). */
export async function importFormChoices(db: Kysely<DB>) {
  return includableVersions(await factorLibrary(db));
}

/**
 * Imports an uploaded file as a draft version: the file read in the workbook parser's worker
 * thread, every row checked, the header fields checked, then the library's checks; stored only
 * when all of it holds.
 */
export async function importDatasetFile(
  db: Kysely<DB>,
  upload: { bytes: Uint8Array; name: string; fields: Record<string, string> },
  userId: string,
): Promise<ImportOutcome> {
  const read = await readUploadedTable(upload.bytes, upload.name);
  if (!read.ok) {
    if (read.refusal) {
      const { httpStatus, retryAfterSeconds } = read.refusal;
      return { status: "refused", message: read.message, httpStatus, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) };
    }
    return { status: "invalid", errors: [{ row: null, column: null, header: null, message: read.message }], errorCount: 1, fieldErrors: {} };
  }
  const rows = rowsToFactors(read.table);
  const library = await factorLibrary(db);
  const fields = upload.fields;
  const includes = Object.keys(fields)
    .filter((k) => k.startsWith(INCLUDE_PREFIX) && fields[k] === "on")
    .map((k) => k.slice(INCLUDE_PREFIX.length));
  const fieldErrors: FieldErrors = {};
  const pins = [];
  for (const key of includes) {
    const [id = "", version = ""] = key.split("@");
    if (!library.has(id, version)) {
      fieldErrors.includes = { key: "ds.err.includeMissing", params: { included: key } };
      continue;
    }
    pins.push(DatasetIncludeSchema.parse({ id, version, sha256: datasetContentHash(library.get(id, version)) }));
  }
  const header = {
    id: (fields.datasetId ?? "").trim(),
    version: (fields.version ?? "").trim(),
    name: { zh: (fields.nameZh ?? "").trim(), en: (fields.nameEn ?? "").trim() },
    publishedOn: (fields.publishedOn ?? "").trim(),
    demonstration: fields.demonstration === "on",
    ...(fields.note?.trim() ? { note: fields.note.trim() } : {}),
    ...(pins.length > 0 ? { includes: pins } : {}),
  };
  // The header is checked with a stand-in list of factors when the rows failed, so one answer names both.
  const parsed = FactorDatasetSchema.safeParse({ ...header, factors: rows.ok ? rows.factors : [] }, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      const field = HEADER_PATHS[path.slice(0, 2).join(".")] ?? HEADER_PATHS[path[0] ?? ""];
      if (field) fieldErrors[field] ??= headerIssueMessage(issue);
    }
  }
  const errors = rows.ok ? [] : rows.errors;
  const errorCount = rows.ok ? 0 : rows.errorCount;
  if (!rows.ok || !parsed.success || Object.keys(fieldErrors).length > 0) return { status: "invalid", errors, errorCount, fieldErrors };

  const outcome = await importDatasetDraft(db, {
    dataset: parsed.data,
    file: { name: upload.name.slice(0, 200) || "—", sha256: createHash("sha256").update(upload.bytes).digest("hex") },
    userId,
  });
  if (outcome.ok) return { status: "imported", datasetId: parsed.data.id, version: parsed.data.version, factors: parsed.data.factors.length };
  return refusedImport(outcome.refusal, rows, `${parsed.data.id}@${parsed.data.version}`);
}

function refusedImport(refusal: DatasetRefusal, rows: { rowOfCode: ReadonlyMap<string, number>; codeColumn: string }, key: string): ImportOutcome {
  switch (refusal.kind) {
    case "exists":
      return { status: "invalid", errors: [], errorCount: 0, fieldErrors: { version: { key: "ds.err.exists", params: { key: refusal.key } } } };
    case "includeMissing":
      return {
        status: "invalid",
        errors: [],
        errorCount: 0,
        fieldErrors: { includes: { key: "ds.err.includeMissing", params: { included: refusal.included } } },
      };
    case "includeHash":
      return {
        status: "invalid",
        errors: [],
        errorCount: 0,
        fieldErrors: { includes: { key: "ds.err.includeHash", params: { included: refusal.included } } },
      };
    case "duplicateCode": {
      // The file's row with the code, and the included version that offers it too (the row is the new version's own).
      const row = rows.rowOfCode.get(refusal.code) ?? null;
      const included = refusal.firstIn === key ? refusal.againIn : refusal.firstIn;
      const message: Message = { key: "ds.err.codeIncluded", params: { code: refusal.code, included } };
      return { status: "invalid", errors: [{ row, column: rows.codeColumn, header: "code", message }], errorCount: 1, fieldErrors: {} };
    }
  }
}

// ---- the list, a version, its difference, publishing ----

export interface VersionListItem {
  readonly id: string;
  readonly version: string;
  readonly name: { readonly zh: string; readonly en: string };
  readonly status: "built_in" | "published" | "draft";
  readonly factors: number;
  readonly sha256: string | null;
  readonly importedBy: string | null;
  readonly importedAt: Date | null;
  readonly publishedAt: Date | null;
  readonly fileName: string | null;
}

/** Every version: the built-in ones, then the stored ones newest import first. */
export async function datasetVersionList(db: Kysely<DB>): Promise<VersionListItem[]> {
  const builtIn: VersionListItem[] = DEFAULT_FACTOR_LIBRARY.list().map((d) => ({
    id: d.id,
    version: d.version,
    name: d.name,
    status: "built_in",
    factors: d.factors.length,
    sha256: datasetContentHash(d),
    importedBy: null,
    importedAt: null,
    publishedAt: null,
    fileName: null,
  }));
  const library = await factorLibrary(db);
  const stored: VersionListItem[] = (await datasetVersionRows(db)).map((r) => ({
    id: r.dataset_id,
    version: r.version,
    name: library.has(r.dataset_id, r.version) ? library.get(r.dataset_id, r.version).name : { zh: "", en: "" },
    status: r.status,
    factors: r.factor_count,
    sha256: r.content_sha256,
    importedBy: r.imported_by_name,
    importedAt: r.imported_at,
    publishedAt: r.published_at,
    fileName: r.file_name,
  }));
  return [...builtIn, ...stored];
}

export interface VersionPage {
  readonly item: VersionListItem;
  readonly dataset: FactorDataset;
  readonly diff: DatasetDiff;
  /** Why a draft cannot be published now (an included version was not published, say); null when it can. */
  readonly blocked: DatasetRefusal | null;
}

/** A dataset id and version as the schema writes them: anything else names no version (and never reaches a query). */
function wellFormedKey(datasetId: string, version: string): boolean {
  return DatasetIncludeSchema.shape.id.safeParse(datasetId).success && DatasetIncludeSchema.shape.version.safeParse(version).success;
}

/** A version with its difference from the one before it; null when there is no such version. */
export async function datasetVersionPage(db: Kysely<DB>, datasetId: string, version: string): Promise<VersionPage | null> {
  if (!wellFormedKey(datasetId, version)) return null;
  const library = await factorLibrary(db);
  const stored = await storedDatasetVersion(db, datasetId, version);
  if (!stored) {
    if (!DEFAULT_FACTOR_LIBRARY.has(datasetId, version)) return null;
    const dataset = DEFAULT_FACTOR_LIBRARY.get(datasetId, version);
    const item = (await datasetVersionList(db)).find((v) => v.status === "built_in" && v.id === datasetId && v.version === version)!;
    return { item, dataset, diff: diffWithPrevious(library, datasetId, version), blocked: null };
  }
  const item: VersionListItem = {
    id: stored.dataset_id,
    version: stored.version,
    name: stored.content.name,
    status: stored.status,
    factors: stored.factor_count,
    sha256: stored.content_sha256,
    importedBy: stored.imported_by_name,
    importedAt: stored.imported_at,
    publishedAt: stored.published_at,
    fileName: stored.file_name,
  };
  if (stored.status === "published")
    return { item, dataset: library.get(datasetId, version), diff: diffWithPrevious(library, datasetId, version), blocked: null };
  // A draft is compared as it would be published: added to the library of what is published now.
  const checked = libraryWithVersion(library, stored.content);
  if (!checked.ok)
    return { item, dataset: stored.content, diff: { previous: null, added: [], removed: [], changed: [], unchanged: 0 }, blocked: checked.refusal };
  return { item, dataset: checked.library.get(datasetId, version), diff: diffWithPrevious(checked.library, datasetId, version), blocked: null };
}

export type PublishResult = { ok: true; sha256: string; drift: DriftSummary } | { ok: false; status: 404 | 409; message: Message };

/** Publishes a draft, then runs the drift watch over the valid certificates of the dataset's older versions. */
export async function publishAndWatch(db: Kysely<DB>, target: { datasetId: string; version: string; userId: string }): Promise<PublishResult> {
  if (!wellFormedKey(target.datasetId, target.version)) return { ok: false, status: 404, message: { key: "ds.err.noDraft" } };
  const published = await publishDatasetVersion(db, target);
  if (!published.ok) {
    if (published.reason === "missing") return { ok: false, status: 404, message: { key: "ds.err.noDraft" } };
    if (published.reason === "published") return { ok: false, status: 409, message: { key: "ds.err.alreadyPublished" } };
    return { ok: false, status: 409, message: refusalMessage(published.refusal) };
  }
  const drift = await runDriftWatch(db, { dataset: { id: target.datasetId, version: target.version }, inputOf: lockedInventoryInput });
  return { ok: true, sha256: published.sha256, drift };
}

/** A library refusal as one message (the version page shows it where publishing is offered). */
export function refusalMessage(refusal: DatasetRefusal): Message {
  switch (refusal.kind) {
    case "exists":
      return { key: "ds.err.exists", params: { key: refusal.key } };
    case "includeMissing":
      return { key: "ds.err.includeMissing", params: { included: refusal.included } };
    case "includeHash":
      return { key: "ds.err.includeHash", params: { included: refusal.included } };
    case "duplicateCode":
      return { key: "ds.err.codeIncluded", params: { code: refusal.code, included: refusal.againIn } };
  }
}

/**
 * Runs the drift watch for a published or built-in version (a release that adds a built-in version
 * is watched this way); certificates evaluated already keep their first evaluation. Null when the
 * version is neither.
 */
export async function rerunDriftWatch(db: Kysely<DB>, dataset: { id: string; version: string }): Promise<DriftSummary | null> {
  if (!(await factorLibrary(db)).has(dataset.id, dataset.version)) return null;
  return runDriftWatch(db, { dataset, inputOf: lockedInventoryInput });
}

/** How many certificates a version was evaluated for, flagged, and could not be recalculated. */
export async function driftCountsOf(db: Kysely<DB>, dataset: { id: string; version: string }) {
  return driftCounts(db, dataset);
}

/** Discards a draft; false when there is no draft of that key. */
export async function discardDraft(db: Kysely<DB>, datasetId: string, version: string): Promise<boolean> {
  if (!wellFormedKey(datasetId, version)) return false;
  return discardDatasetDraft(db, datasetId, version);
}

// ---- a version as a CSV file ----

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = typeof value === "string" ? value : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function valueAt(factor: unknown, path: string): unknown {
  let at = factor;
  for (const key of path.split(".")) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/**
 * A version's own factors as CSV (UTF-8 with a byte-order mark, so Excel reads the Chinese), one
 * column per member: the file the importer takes, to start the next version from.
 */
export function datasetCsv(dataset: FactorDataset): string {
  const lines = [DATASET_COLUMNS.map((c) => c.path).join(",")];
  for (const f of dataset.factors) lines.push(DATASET_COLUMNS.map((c) => csvCell(valueAt(f, c.path))).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
