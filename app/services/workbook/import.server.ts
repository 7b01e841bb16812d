/**
 * Importing a workbook or CSV into an inventory: read the file, check every row like the line
 * form does, and only if all of it is valid write the lines in one transaction — then recalculate
 * so the person importing sees the new footprint at once.
 *
 * Nothing is written unless the whole file is valid; a locked inventory (used by an application)
 * is never changed, and "create" refuses an inventory that already has lines so an upload cannot
 * overwrite work by accident.
 */
import { factorLibrary } from "../../../workflows/footprints/library.ts";
import type { Kysely } from "kysely";
import { lockInventory } from "../../../db/repositories/inventories.ts";
import { countLines } from "../../../db/repositories/inventory-lines.ts";
import type { DB } from "../../../db/schema.ts";
import { presentFootprint } from "../../../rules/calculator/index.ts";
import { RulesError } from "../../../rules/errors.ts";
import type { Message } from "../../i18n/index.ts";
import type { ImportError } from "../../utils/workbook-columns.ts";
import { registeredCertificates } from "../certificates/supply-chain.server.ts";
import { calculateStoredInventory, replaceLines, subProductCandidates, toCalculatorInput, type InventoryRow } from "../inventories.server.ts";
import { readUploadedTable, type ReadResult } from "./read.server.ts";
import { rowsToLines } from "./rows.server.ts";

export const IMPORT_MODES = ["create", "replace"] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export type ImportProgress =
  { phase: "read" } | { phase: "check"; done: number; total: number } | { phase: "write"; total: number } | { phase: "calculate" };

export type ImportOutcome =
  | {
      status: "imported";
      mode: ImportMode;
      lines: number;
      /** Server-side milliseconds of each step. */
      timings: { readMs: number; checkMs: number; writeMs: number; calculateMs: number };
      /** The footprint after the import, as displayed (value and unit), or why it cannot be calculated. */
      footprint: { value: string; unit: string } | null;
      calculationError: { zh: string; en: string } | null;
    }
  | { status: "invalid"; errors: ImportError[]; errorCount: number }
  | { status: "refused"; message: Message; httpStatus: 400 | 409 | 413 | 422 | 500 | 503; retryAfterSeconds?: number };

export type ImportRefusal = ImportOutcome & { status: "refused" };

export interface ImportTarget {
  db: Kysely<DB>;
  organizationId: string;
  inventory: InventoryRow;
}

const elapsed = (since: number) => Math.round(performance.now() - since);

export function refusedLocked(): ImportRefusal {
  return { status: "refused", message: { key: "wb.err.locked" }, httpStatus: 409 };
}

/**
 * A read that was refused for what it would cost (unpacks too large, too much for the parser,
 * server busy) as the refusal to answer with; null for any other read.
 */
export function readRefusal(read: ReadResult): ImportRefusal | null {
  if (read.ok || !read.refusal) return null;
  const { refusal } = read;
  return {
    status: "refused",
    message: read.message,
    httpStatus: refusal.httpStatus,
    ...(refusal.retryAfterSeconds ? { retryAfterSeconds: refusal.retryAfterSeconds } : {}),
  };
}

/** A file read before the import starts, with the milliseconds the reading took. */
export interface PreRead {
  read: ReadResult;
  readMs: number;
}

/** Reads an uploaded file (in a worker thread) and times it. */
export async function preRead(bytes: Uint8Array, fileName: string): Promise<PreRead> {
  const started = performance.now();
  const read = await readUploadedTable(bytes, fileName);
  return { read, readMs: elapsed(started) };
}

/**
 * `file` is the uploaded bytes, or the result of reading them already (the routes read first, so
 * a refused read is answered with its own status before the streamed answer begins).
 */
export async function importInventoryFile(
  target: ImportTarget,
  file: Uint8Array | PreRead,
  mode: ImportMode,
  onProgress: (progress: ImportProgress) => void | Promise<void> = () => {},
): Promise<ImportOutcome> {
  const { db, organizationId, inventory } = target;
  if (inventory.locked_at) return refusedLocked();

  await onProgress({ phase: "read" });
  const { read, readMs } = file instanceof Uint8Array ? await preRead(file, "") : file;
  const refused = readRefusal(read);
  if (refused) return refused;
  if (!read.ok) return { status: "invalid", errors: [{ row: null, column: null, field: null, message: read.message }], errorCount: 1 };

  let started = performance.now();
  const products = await subProductCandidates(db, organizationId, inventory);
  const checked = await rowsToLines(
    read.table,
    {
      factorDataset: { id: inventory.factor_dataset_id, version: inventory.factor_dataset_version },
      factors: await factorLibrary(db),
      gwpSet: inventory.gwp_set,
      productIds: [],
      products,
      citeCertificates: (numbers) => registeredCertificates(db, numbers),
    },
    (done, total) => onProgress({ phase: "check", done, total }),
  );
  if (!checked.ok) return { status: "invalid", errors: checked.errors, errorCount: checked.errorCount };
  const checkMs = elapsed(started);

  started = performance.now();
  await onProgress({ phase: "write", total: checked.lines.length });
  const written = await db.transaction().execute(async (trx) => {
    const current = await lockInventory(trx, inventory.id);
    if (current.locked_at) return refusedLocked();
    if (mode === "create") {
      const existing = await countLines(trx, inventory.id);
      if (existing > 0) return { status: "refused", message: { key: "wb.err.notEmpty", params: { count: existing } }, httpStatus: 409 } as const;
    }
    if (!(await replaceLines(trx, inventory.id, checked.lines))) return refusedLocked();
    return null;
  });
  if (written) return written;
  const writeMs = elapsed(started);

  started = performance.now();
  await onProgress({ phase: "calculate" });
  let footprint: { value: string; unit: string } | null = null;
  let calculationError: { zh: string; en: string } | null = null;
  try {
    const result = calculateStoredInventory(await toCalculatorInput(db, organizationId, inventory));
    const presented = presentFootprint(result, 4);
    footprint = { value: presented.total.value, unit: `kgCO₂e / ${presented.total.per}` };
  } catch (error) {
    if (!(error instanceof RulesError)) throw error;
    calculationError = error.detail;
  }
  const calculateMs = elapsed(started);

  return { status: "imported", mode, lines: checked.lines.length, timings: { readMs, checkMs, writeMs, calculateMs }, footprint, calculationError };
}
