/**
 * Life-cycle inventories in the database and their translation into the calculator's input.
 *
 * An inventory holds the period totals of one product (lines) and the quantity produced in that
 * period; the calculator divides by the output to get the footprint per declared unit. A
 * `sub_product` line names another product of the same company: its latest inventory is modelled
 * in the same system, recursively, so nested and looping product systems are solved together.
 *
 * Every function takes the tenant and never reads or writes another organization's rows. Locked
 * inventories (used by an application) are never changed: editing one makes a new version.
 */
import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { z } from "zod";
import { fromNumeric, toNumeric } from "../../db/decimal.ts";
import type { Executor } from "../../db/repositories/executor.ts";
import { copyEvidence } from "../../db/repositories/evidence.ts";
import {
  findInventoryWithProduct,
  getInventory,
  insertInventory,
  inventoriesOfProduct,
  inventoryVersionsOf as versionsOf,
  latestInventoryOfProduct,
  latestVersionInPeriod,
  lockInventory,
  touchInventory,
} from "../../db/repositories/inventories.ts";
import {
  appendLine,
  copyLines,
  countLines,
  deleteLineOf,
  lineIdsOf,
  lineNamesOf,
  linesOf,
  replaceAllLines,
  rewriteLine,
  type NewLine,
} from "../../db/repositories/inventory-lines.ts";
import { productsWithLatestUnit } from "../../db/repositories/products.ts";
import type { CertificateRegistryRecord, DB, StoredLineDetails } from "../../db/schema.ts";
import {
  InventoryLineSchema,
  lineIssueMessage,
  presentFootprint,
  type FootprintResult,
  type Inventory,
  type InventoryLine,
  type PresentedFootprint,
} from "../../rules/calculator/index.ts";
import { checkConformance, type ConformanceReport } from "../../rules/conformance/index.ts";
import { CanonicalMemo, deepFreeze } from "../../rules/canonical.ts";
import { RulesError } from "../../rules/errors.ts";
import type { Bilingual } from "../../rules/i18n.ts";
import { DEFAULT_FACTOR_LIBRARY, type FactorLibrary } from "../../rules/factors/index.ts";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import type { StagePolicy, UnusableLinePolicy } from "../../rules/calculator/index.ts";
import { currentCalculator } from "../../workflows/footprints/calculator.ts";
import { factorLibrary } from "../../workflows/footprints/library.ts";
import { dimensionOf } from "../../rules/units.ts";
import { translator, type Locale, type Message } from "../i18n/index.ts";
import { isUuid } from "../../db/uuid.ts";
import { fieldOfLinePath, LINE_FIELD_LABELS } from "../utils/line-form.ts";

export const DEFAULT_FACTOR_DATASET_ID = "CN-DEMO";

export type InventoryRow = Awaited<ReturnType<typeof findInventory>> & object;
export type LineRow = Awaited<ReturnType<typeof inventoryLines>>[number];

export async function findInventory(db: Kysely<DB>, organizationId: string, inventoryId: string | undefined) {
  if (!isUuid(inventoryId)) return null;
  return (await findInventoryWithProduct(db, organizationId, inventoryId)) ?? null;
}

export async function inventoryLines(db: Kysely<DB>, inventoryId: string) {
  return linesOf(db, inventoryId);
}

/**
 * The organization's other products a sub-product line may cite, with the unit each is produced
 * in (its latest inventory's), which the line form checks a sub-product line's unit against.
 */
export async function subProductCandidates(db: Kysely<DB>, organizationId: string, inventory: InventoryRow) {
  return productsWithLatestUnit(db, organizationId, inventory.product_id);
}

export interface InventoryFootprint {
  result: FootprintResult | null;
  presented: PresentedFootprint | null;
  conformance: ConformanceReport | null;
  /** Why there is no result: the calculator's own explanation. */
  error: Bilingual | null;
  lineLabels: { id: string; name: string }[];
  /** Lines whose stored data no longer parses as a line (named in `error`), for the page to mark. */
  invalidLineIds?: string[];
}

/**
 * The footprint and the PCR conformance report of an inventory of `organizationId` (the
 * applicant: a certification body reads it through the case it is a party to). `knownLines`
 * spares reading the lines again when the caller already has them. The editor asks for lines that
 * cannot be calculated to be left out (`unusableLines: "exclude"`): its result then lists them
 * under `incomplete` instead of there being none; everywhere else such a line is the error.
 */
export async function inventoryFootprint(
  db: Kysely<DB>,
  organizationId: string,
  inventory: InventoryRow,
  knownLines?: readonly LineRow[],
  unusableLines: UnusableLinePolicy = "refuse",
): Promise<InventoryFootprint> {
  const lines = knownLines ?? (await inventoryLines(db, inventory.id));
  if (lines.length === 0) return { result: null, presented: null, conformance: null, error: null, lineLabels: [] };
  let result: FootprintResult;
  let conformance: ConformanceReport;
  try {
    const input = await toCalculatorInput(db, organizationId, inventory, lines);
    result = calculateStoredInventory(input, "warn", unusableLines);
    conformance = checkConformance(PCR_CATALOGUE.get(inventory.pcr_code, inventory.pcr_version), input, result);
  } catch (e) {
    if (!(e instanceof RulesError)) throw e;
    const invalidLineIds = e instanceof StoredLineInvalidError ? e.lines.map((l) => l.id) : [];
    return { result: null, presented: null, conformance: null, error: e.detail, lineLabels: [], invalidLineIds };
  }
  return { result, presented: presentFootprint(result, 4), conformance, error: null, lineLabels: await lineLabelsOf(db, organizationId, result) };
}

/**
 * A stored result (what an application locked, ADR 0014) shaped as the editor's footprint, so the
 * case page shows it with the same panels: presented figures and the names of its lines.
 */
export async function storedInventoryFootprint(
  db: Kysely<DB>,
  organizationId: string,
  stored: { result: FootprintResult; conformance: ConformanceReport },
): Promise<InventoryFootprint> {
  return {
    result: stored.result,
    presented: presentFootprint(stored.result, 4),
    conformance: stored.conformance,
    error: null,
    lineLabels: await lineLabelsOf(db, organizationId, stored.result),
  };
}

/**
 * Names of every line of a result, those of upstream products' inventories included (same
 * organization only), and of the lines it leaves out because they cannot be calculated.
 */
async function lineLabelsOf(db: Kysely<DB>, organizationId: string, result: FootprintResult): Promise<{ id: string; name: string }[]> {
  const lineIds = [...result.byLine, ...(result.incomplete?.lines ?? [])].map((l) => l.lineId);
  const ids = [...new Set(lineIds)].filter((id) => /^[0-9a-f-]{36}$/.test(id));
  return lineNamesOf(db, organizationId, ids);
}

/** The versions (id and number) of a product's inventories, for the version switcher. */
export async function inventoryVersionsOf(db: Kysely<DB>, organizationId: string, productId: string) {
  return versionsOf(db, organizationId, productId);
}

export async function countInventoryLines(db: Kysely<DB>, inventoryId: string): Promise<number> {
  return countLines(db, inventoryId);
}

export async function productInventories(db: Kysely<DB>, organizationId: string, productId: string) {
  return inventoriesOfProduct(db, organizationId, productId);
}

export interface NewInventory {
  periodStart: string;
  periodEnd: string;
  productionQuantity: string;
  productionUnit: string;
  note?: string;
}

/** A new inventory (version 1) under the product's PCR as published today and the newest factor dataset. */
export async function createInventory(
  db: Kysely<DB>,
  tenant: { organizationId: string; userId: string },
  product: { id: string; pcr_code: string },
  values: NewInventory,
): Promise<string> {
  const pcr = PCR_CATALOGUE.latest(product.pcr_code);
  const dataset = DEFAULT_FACTOR_LIBRARY.latest(DEFAULT_FACTOR_DATASET_ID);
  return insertInventory(db, {
    organization_id: tenant.organizationId,
    product_id: product.id,
    pcr_code: pcr.code,
    pcr_version: pcr.version,
    factor_dataset_id: dataset.id,
    factor_dataset_version: dataset.version,
    gwp_set: pcr.gwpSet,
    period_start: values.periodStart,
    period_end: values.periodEnd,
    production_quantity: values.productionQuantity,
    production_unit: values.productionUnit,
    note: values.note ?? "",
    created_by: tenant.userId,
  });
}

/**
 * A stored line that no longer parses as a calculator line (details edited by hand, a migration
 * that missed a case, a rule made stricter): named with each line and its problems, field by field
 * in both languages, instead of a calculation running on a cast. It is a rules error, so every page
 * shows it where it shows why a footprint cannot be calculated.
 */
export class StoredLineInvalidError extends RulesError {
  readonly code = "StoredLineInvalid";
  constructor(
    readonly lines: ReadonlyArray<{
      readonly id: string;
      readonly name: string;
      readonly issues: ReadonlyArray<{ readonly field: string; readonly message: Message }>;
    }>,
  ) {
    const describe = (locale: Locale) => {
      const t = translator(locale);
      return lines
        .map((line) => {
          const [colon, separator] = locale === "en" ? [": ", "; "] : ["：", "；"];
          const problems = line.issues
            .map((i) => `${t(LINE_FIELD_LABELS[i.field] ?? "inv.field.details")}${colon}${t(i.message.key, i.message.params)}`)
            .join(separator);
          return t("inv.storedLineInvalid", { name: line.name, problems });
        })
        .join(" ");
    };
    super({ zh: describe("zh-CN"), en: describe("en") });
  }
}

/** The stored members of a line, as the calculator line's input (not yet validated). */
function storedLineInput(row: LineRow): Record<string, unknown> {
  const input: Record<string, unknown> = {
    id: row.id,
    stage: row.stage,
    dataType: row.data_type,
    ...(row.data_quality ? { dataQuality: row.data_quality } : {}),
    ...(row.note ? { note: row.note } : {}),
    ...(row.excluded ? { excluded: true } : {}),
    ...row.details,
  };
  if (row.amount !== null) input.amount = fromNumeric(row.amount);
  if (row.unit !== null) input.unit = row.unit;
  if (row.factor_code !== null) input.factorCode = row.factor_code;
  input.kind = row.kind;
  return input;
}

/**
 * One database line as the calculator's line: the one point where stored lines are read, parsed
 * by the rules schema like any other input. A row that does not parse is a StoredLineInvalidError.
 */
export function parseStoredLine(row: LineRow): InventoryLine {
  const parsed = InventoryLineSchema.safeParse(storedLineInput(row), { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new StoredLineInvalidError([storedLineProblems(row, parsed.error.issues)]);
}

function storedLineProblems(row: LineRow, issues: readonly z.core.$ZodIssue[]) {
  return {
    id: row.id,
    name: row.name,
    issues: issues.map((issue) => ({ field: fieldOfLinePath(issue.path), message: lineIssueMessage(issue) as Message })),
  };
}

/**
 * A calculator line as columns and `details` (the inverse of `parseStoredLine`): the members with
 * columns of their own go there, the rest of the line's kind is `details`. `registry` is what the
 * registry held for a cited certificate, kept beside it for the record.
 */
export function storedLineOf(line: InventoryLine, name: string, registry?: CertificateRegistryRecord): NewLine {
  const { id: _id, kind, stage, dataType, dataQuality, note, excluded, ...members } = line;
  const { amount, unit, factorCode, ...details } = members as typeof members & { amount?: number; unit?: string; factorCode?: string };
  const stored: Record<string, unknown> = details;
  if (registry && "certificate" in details) stored.certificate = { ...details.certificate, registry };
  return {
    stage,
    kind,
    name,
    amount: amount === undefined ? null : toNumeric(amount),
    unit: unit ?? null,
    factorCode: factorCode ?? null,
    dataType,
    dataQuality: dataQuality ?? null,
    excluded: excluded ?? false,
    details: stored as StoredLineDetails,
    note: note ?? "",
  };
}

/**
 * Calculator lines of recently read inventory lines, by line id, with the revision each was built
 * from. A line's (id, revision) names one content for good (ids are never reused; a trigger raises
 * the revision on every update), so a line read again unchanged is the same frozen object, and
 * the input hash copies its remembered canonical text (`storedInputMemo`) instead of writing it.
 *
 * Only lines read outside a transaction are kept: those are committed, so no rolled-back revision
 * can be remembered. The cache is shared by every tenant (a line object is only ever handed to a
 * reader of that very row) and bounded by an estimate of what it holds: the line object and its
 * canonical UTF-8 text, about 0.9 KB per line plus 5 bytes per character of the note (measured);
 * the least recently used lines go first beyond RECENT_LINES_BUDGET_BYTES.
 */
const recentLines = new Map<string, { revision: number; line: InventoryLine; bytes: number }>();
const RECENT_LINES_BUDGET_BYTES = 64 * 1024 * 1024;
let recentLinesBytes = 0;
const storedInputMemo = new CanonicalMemo();

function calculatorLineOf(row: LineRow, committed: boolean): InventoryLine {
  if (!committed) return parseStoredLine(row);
  const known = recentLines.get(row.id);
  if (known) {
    recentLines.delete(row.id); // re-inserted below: the Map's order is the order of last use
    if (known.revision === row.revision) {
      recentLines.set(row.id, known);
      return known.line;
    }
    recentLinesBytes -= known.bytes;
  }
  // Parsed once per (id, revision): the cache spares recalculations the schema as well as the text.
  const line = deepFreeze(parseStoredLine(row));
  const bytes = 900 + 5 * row.note.length + 64 * Object.keys(row.details).length;
  recentLines.set(row.id, { revision: row.revision, line, bytes });
  recentLinesBytes += bytes;
  while (recentLinesBytes > RECENT_LINES_BUDGET_BYTES) {
    const [oldestId, oldest] = recentLines.entries().next().value!;
    recentLines.delete(oldestId);
    recentLinesBytes -= oldest.bytes;
  }
  return line;
}

/** Every line of a product parsed; all lines that do not parse are named in one error. */
function calculatorLinesOf(rows: readonly LineRow[], committed: boolean): InventoryLine[] {
  const lines: InventoryLine[] = [];
  const invalid: StoredLineInvalidError["lines"][number][] = [];
  for (const row of rows) {
    try {
      lines.push(calculatorLineOf(row, committed));
    } catch (error) {
      if (!(error instanceof StoredLineInvalidError)) throw error;
      invalid.push(...error.lines);
    }
  }
  if (invalid.length > 0) throw new StoredLineInvalidError(invalid);
  return lines;
}

/**
 * The footprint of an inventory read from the database (`toCalculatorInput`): the current
 * calculator (workflows/footprints), with the canonical texts of unchanged lines carried over from
 * earlier calculations. The editor warns about lines outside the PCR's boundary ("warn"); the
 * certification path refuses them ("enforce"). A line that cannot be calculated is refused unless
 * the caller (the editor) leaves it out ("exclude"); a stored result for certification is whole.
 */
export function calculateStoredInventory(
  input: Inventory,
  stagePolicy: StagePolicy = "warn",
  unusableLines: UnusableLinePolicy = "refuse",
): FootprintResult {
  const factors = libraryOfInput.get(input);
  return finiteResult(currentCalculator().calculate(input, { canonicalMemo: storedInputMemo, stagePolicy, unusableLines, factors }));
}

/**
 * The factor library (built-in and published versions, workflows/footprints/library.ts) of the
 * database each input was read from: an inventory may name a version the platform admin published,
 * which only that database holds.
 */
const libraryOfInput = new WeakMap<Inventory, FactorLibrary>();

/**
 * A footprint float64 cannot hold: every amount is a finite number, but their products or sums
 * overflow (1e308 t of coal times its factor is Infinity; Infinity minus a credit is NaN). It is a
 * rules error, so every page shows it where it shows other calculation errors, instead of failing
 * with a server error when it formats the number.
 */
export class FootprintOutOfRangeError extends RulesError {
  readonly code = "FootprintOutOfRange";
  constructor() {
    super({
      zh: "碳足迹超出可计算的数值范围：请检查清单行的数量是否过大（例如 1e308）。",
      en: "The footprint is outside the range of numbers that can be calculated: check whether a line's amount is too large (such as 1e308).",
    });
  }
}

/** The result, or FootprintOutOfRangeError when an emission figure in it is Infinity or NaN (a non-finite line makes the total so). */
export function finiteResult(result: FootprintResult): FootprintResult {
  // Emissions only: shares and scores are derived from them and stay finite when these are.
  const figures = [
    result.total,
    result.fossilKgCO2e,
    result.biogenicKgCO2e,
    ...result.byStage.map((s) => s.kgCO2e),
    ...result.byGas.map((g) => g.kgCO2e),
  ];
  if (!figures.every(Number.isFinite)) throw new FootprintOutOfRangeError();
  return result;
}

/**
 * The calculator's input for an inventory: its own lines as the reference product, plus the
 * latest inventory of every product its sub-product lines reach (same organization only).
 */
export async function toCalculatorInput(
  db: Kysely<DB>,
  organizationId: string,
  inventory: NonNullable<Awaited<ReturnType<typeof findInventory>>>,
  /** The inventory's own lines when the caller has just read them with `db`: not read again (their JSON members end up frozen, shared with the calculator lines). */
  knownLines?: readonly LineRow[],
): Promise<Inventory> {
  const pcr = PCR_CATALOGUE.get(inventory.pcr_code, inventory.pcr_version);
  const products: Inventory["products"] = [];
  const seen = new Set<string>();
  const queue: { productId: string; inventoryId: string; quantity: string; unit: string; name: string }[] = [
    {
      productId: inventory.product_id,
      inventoryId: inventory.id,
      quantity: inventory.production_quantity,
      unit: inventory.production_unit,
      name: inventory.product_name_zh,
    },
  ];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (seen.has(next.productId)) continue;
    seen.add(next.productId);
    const rows = next.inventoryId === inventory.id && knownLines ? knownLines : await inventoryLines(db, next.inventoryId);
    const lines = calculatorLinesOf(rows, !db.isTransaction);
    products.push({ id: next.productId, name: next.name, output: { amount: fromNumeric(next.quantity), unit: next.unit }, lines });
    for (const line of lines) {
      if (line.kind !== "sub_product" || seen.has(line.productId)) continue;
      const upstream = await latestInventoryOf(db, organizationId, line.productId);
      // A sub-product without an inventory stays unresolved: the calculator names it (UnknownProduct).
      if (upstream) queue.push(upstream);
    }
  }
  const input: Inventory = {
    id: inventory.id,
    pcr: { code: pcr.code, version: pcr.version },
    factorDataset: { id: inventory.factor_dataset_id, version: inventory.factor_dataset_version },
    gwpSet: inventory.gwp_set as Inventory["gwpSet"],
    declaredUnit: declaredUnitFor(pcr.declaredUnit, inventory.production_unit),
    period: { start: inventory.period_start, end: inventory.period_end },
    location: { region: inventory.site_region },
    referenceProduct: inventory.product_id,
    products,
  };
  libraryOfInput.set(input, await factorLibrary(db));
  return input;
}

/**
 * The PCR's declared unit, unless the product is an intermediate whose output cannot be expressed
 * in it (a battery cell counted in pieces under a PCR declared per kWh): then its own inventory is
 * calculated per one unit of its output, and the conformance report says the declared unit is not
 * the PCR's, which is true — such an inventory feeds other products but cannot carry a label.
 */
function declaredUnitFor(pcrUnit: { quantity: number; unit: string }, productionUnit: string): Inventory["declaredUnit"] {
  if (dimensionOf(productionUnit) === dimensionOf(pcrUnit.unit)) return { quantity: pcrUnit.quantity, unit: pcrUnit.unit };
  return { quantity: 1, unit: productionUnit };
}

async function latestInventoryOf(db: Kysely<DB>, organizationId: string, productId: string) {
  if (!isUuid(productId)) return null;
  const row = await latestInventoryOfProduct(db, organizationId, productId);
  return row ? { productId, inventoryId: row.id, quantity: row.production_quantity, unit: row.production_unit, name: row.name_zh } : null;
}

/**
 * Replaces all lines of an unlocked inventory in one transaction (imports, and the seed).
 * Returns false when the inventory is locked.
 */
export async function replaceLines(db: Executor, inventoryId: string, lines: readonly NewLine[]): Promise<boolean> {
  const run = async (trx: Transaction<DB>) => {
    const inv = await lockInventory(trx, inventoryId);
    if (inv.locked_at) return false;
    await replaceAllLines(trx, inventoryId, lines);
    await touchInventory(trx, inventoryId);
    return true;
  };
  return db.isTransaction ? run(db as Transaction<DB>) : db.transaction().execute(run);
}

// The line form and the workbook build lines of the shape the repository writes.
export type { NewLine };

/** Appends one line to an unlocked inventory; false when locked. */
export async function addLine(db: Kysely<DB>, inventoryId: string, line: NewLine): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const inv = await lockInventory(trx, inventoryId);
    if (inv.locked_at) return false;
    await appendLine(trx, inventoryId, line);
    await touchInventory(trx, inventoryId);
    return true;
  });
}

/** Removes a line of an unlocked inventory; "locked" or "missing" otherwise. */
export async function deleteLine(db: Kysely<DB>, inventoryId: string, lineId: string): Promise<"deleted" | "locked" | "missing"> {
  if (!isUuid(lineId)) return "missing";
  return db.transaction().execute(async (trx) => {
    const inv = await lockInventory(trx, inventoryId);
    if (inv.locked_at) return "locked";
    if (!(await deleteLineOf(trx, inventoryId, lineId))) return "missing";
    await touchInventory(trx, inventoryId);
    return "deleted";
  });
}

/**
 * Replaces one line of an unlocked inventory in place (same id and position, so its evidence
 * files stay attached); "locked" or "missing" otherwise.
 */
export async function updateLine(db: Kysely<DB>, inventoryId: string, lineId: string, line: NewLine): Promise<"updated" | "locked" | "missing"> {
  if (!isUuid(lineId)) return "missing";
  return db.transaction().execute(async (trx) => {
    const inv = await lockInventory(trx, inventoryId);
    if (inv.locked_at) return "locked";
    if (!(await rewriteLine(trx, inventoryId, lineId, line))) return "missing";
    await touchInventory(trx, inventoryId);
    return "updated";
  });
}

/**
 * Copies an inventory, its lines and their evidence files into a new editable version; returns
 * its id. Each copied line remembers the line it descends from (`origin_line_id`, the first
 * ancestor), so versions can be compared line by line. Evidence is copied, not shared: the locked
 * version keeps exactly the files a certification body saw.
 */
export async function newVersion(
  db: Kysely<DB>,
  organizationId: string,
  inventoryId: string,
  userId: string,
  /** The factor dataset version the copy names instead (moving an inventory to a newer version is only done this way). */
  factorDataset?: { id: string; version: string },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const source = await getInventory(trx, organizationId, inventoryId);
    const latest = await latestVersionInPeriod(trx, source.product_id, { start: source.period_start, end: source.period_end });
    const { id: _id, created_at: _c, updated_at: _u, locked_at: _l, version: _v, ...rest } = source;
    const dataset = factorDataset ? { factor_dataset_id: factorDataset.id, factor_dataset_version: factorDataset.version } : {};
    const copyId = await insertInventory(trx, { ...rest, ...dataset, version: latest + 1, previous_version_id: source.id, created_by: userId });
    const oldIds = await lineIdsOf(trx, source.id);
    if (oldIds.length === 0) return copyId;
    const newIds = oldIds.map(() => randomUUID());
    // Lines and files are copied inside the database, under ids chosen here so the files can follow their lines.
    await copyLines(trx, copyId, oldIds, newIds);
    await copyEvidence(trx, organizationId, oldIds, newIds);
    return copyId;
  });
}
