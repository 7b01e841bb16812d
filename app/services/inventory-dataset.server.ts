/**
 * Moving an inventory to a newer version of its factor dataset (docs/decisions/0018). An inventory
 * never changes its dataset in place: the manufacturer sees what the newer version does to each
 * line and to the total, and then makes a new inventory version on it (the "new version" path,
 * which copies lines and evidence), leaving the current one, and anything certified on it, as it was.
 *
 * Also the locked inventory's calculator input as the drift watch recalculates it: the same reader
 * as every other calculation of a stored inventory.
 */
import type { Kysely } from "kysely";
import type { Executor } from "../../db/repositories/executor.ts";
import { lineNamesOf } from "../../db/repositories/inventory-lines.ts";
import type { DB } from "../../db/schema.ts";
import type { FootprintResult, LineResult } from "../../rules/calculator/index.ts";
import { RulesError } from "../../rules/errors.ts";
import { compareDatasetVersions, datasetContentHash, type FactorLibrary } from "../../rules/factors/index.ts";
import type { Bilingual } from "../../rules/i18n.ts";
import type { Stage } from "../../rules/stages.ts";
import { currentCalculator } from "../../workflows/footprints/calculator.ts";
import { factorCO2e } from "../../workflows/footprints/datasets.ts";
import type { LockedInventoryInput } from "../../workflows/footprints/drift.ts";
import { factorLibrary } from "../../workflows/footprints/library.ts";
import { calculateStoredInventory, findInventory, finiteResult, newVersion, toCalculatorInput, type InventoryRow } from "./inventories.server.ts";

/** The drift watch's reader: a locked inventory of its holder, as an application read it. */
export const lockedInventoryInput: LockedInventoryInput = async (db, locked) => {
  const inventory = await findInventory(db as Kysely<DB>, locked.organizationId, locked.id);
  if (!inventory) throw new Error(`inventory ${locked.id} of organization ${locked.organizationId} is missing`);
  return toCalculatorInput(db as Kysely<DB>, locked.organizationId, inventory);
};

export interface DatasetChoice {
  readonly key: string;
  readonly id: string;
  readonly version: string;
  readonly name: { readonly zh: string; readonly en: string };
  readonly publishedOn: string;
  readonly sha256: string;
}

/** Newer versions of the inventory's dataset, newest first. */
export function newerVersions(library: FactorLibrary, current: { id: string; version: string }): DatasetChoice[] {
  return library
    .list()
    .filter((d) => d.id === current.id && compareDatasetVersions(d.version, current.version) > 0)
    .sort((a, b) => compareDatasetVersions(b.version, a.version))
    .map((d) => ({
      key: `${d.id}@${d.version}`,
      id: d.id,
      version: d.version,
      name: d.name,
      publishedOn: d.publishedOn,
      sha256: datasetContentHash(d),
    }));
}

/** A `<id>@<version>` key of one of the choices, or null. */
export function chosenVersion(choices: readonly DatasetChoice[], key: string | null | undefined): DatasetChoice | null {
  return choices.find((c) => c.key === key) ?? null;
}

export interface PreviewFactor {
  readonly code: string;
  /** kg CO2e per activity unit under the inventory's GWP set; null when the version aggregates it under another. */
  readonly value: number | null;
  readonly unit: string;
}

export interface PreviewLine {
  readonly productId: string;
  readonly lineId: string;
  readonly name: string;
  readonly stage: Stage;
  /** kg CO2e per declared unit, now and on the newer version (null where that calculation has no figure for the line). */
  readonly current: number | null;
  readonly next: number | null;
  readonly change: number | null;
  readonly relative: number | null;
  readonly factor: { readonly current: PreviewFactor | null; readonly next: PreviewFactor | null };
  /** Why the newer version cannot calculate this line. */
  readonly error: Bilingual | null;
}

export interface MovePreview {
  readonly from: { readonly id: string; readonly version: string };
  readonly to: DatasetChoice;
  readonly total: { readonly current: number | null; readonly next: number | null; readonly change: number | null; readonly relative: number | null };
  readonly declaredUnit: string | null;
  readonly lines: readonly PreviewLine[];
  /** Why a calculation failed as a whole (errors that name no line). */
  readonly currentError: Bilingual | null;
  readonly nextErrors: readonly Bilingual[];
}

function attempt(run: () => FootprintResult): { result: FootprintResult | null; errors: readonly RulesError[] } {
  try {
    return { result: run(), errors: [] };
  } catch (error) {
    if (!(error instanceof RulesError)) throw error;
    return { result: null, errors: error.errors };
  }
}

const relativeOf = (a: number | null, b: number | null) => (a === null || b === null || a === 0 ? null : (b - a) / a);

/**
 * What moving the inventory to `to` would do: every line's contribution now and on the newer
 * version, with the factor each uses and its value in both, the total in both, and what the newer
 * version cannot calculate, line by line.
 */
export async function movePreview(db: Kysely<DB>, organizationId: string, inventory: InventoryRow, to: DatasetChoice): Promise<MovePreview> {
  const library = await factorLibrary(db);
  const input = await toCalculatorInput(db, organizationId, inventory);
  const from = { id: inventory.factor_dataset_id, version: inventory.factor_dataset_version };
  const current = attempt(() => calculateStoredInventory(input));
  const next = attempt(() =>
    finiteResult(currentCalculator().calculate({ ...input, factorDataset: { id: to.id, version: to.version } }, { factors: library })),
  );
  const gwpSet = input.gwpSet;
  const factorIn = (dataset: { id: string; version: string }, line: LineResult | undefined): PreviewFactor | null => {
    if (!line?.factor || line.factor.inline) return null;
    const f = library.index(dataset.id, dataset.version).get(line.factor.code);
    return { code: line.factor.code, value: f ? factorCO2e(f, gwpSet) : null, unit: f?.activityUnit ?? "" };
  };
  const key = (productId: string, lineId: string) => `${productId}\u0000${lineId}`;
  const before = new Map((current.result?.byLine ?? []).map((l) => [key(l.productId, l.lineId), l]));
  const after = new Map((next.result?.byLine ?? []).map((l) => [key(l.productId, l.lineId), l]));
  const lineErrors = new Map<string, Bilingual[]>();
  const nextErrors: Bilingual[] = [];
  for (const e of next.errors) {
    const lineId = e.location?.lineId;
    if (lineId) lineErrors.set(lineId, [...(lineErrors.get(lineId) ?? []), e.detail]);
    else nextErrors.push(e.detail);
  }
  // Every line of the input, in inventory order, whichever calculation has a figure for it.
  const all = input.products.flatMap((p) => p.lines.map((l) => ({ productId: p.id, lineId: l.id, stage: l.stage })));
  const names = new Map(
    (
      await lineNamesOf(
        db,
        organizationId,
        all.map((l) => l.lineId).filter((id) => /^[0-9a-f-]{36}$/.test(id)),
      )
    ).map((l) => [l.id, l.name]),
  );
  const lines: PreviewLine[] = all.map(({ productId, lineId, stage }) => {
    const a = before.get(key(productId, lineId));
    const b = after.get(key(productId, lineId));
    const errors = lineErrors.get(lineId);
    const currentKg = a?.kgCO2e ?? null;
    const nextKg = b?.kgCO2e ?? null;
    return {
      productId,
      lineId,
      name: names.get(lineId) ?? lineId,
      stage,
      current: currentKg,
      next: nextKg,
      change: currentKg !== null && nextKg !== null ? nextKg - currentKg : null,
      relative: relativeOf(currentKg, nextKg),
      factor: { current: factorIn(from, a), next: factorIn(to, b) },
      error: errors ? { zh: errors.map((e) => e.zh).join(" "), en: errors.map((e) => e.en).join(" ") } : null,
    };
  });
  const totalNow = current.result?.total ?? null;
  const totalNext = next.result?.total ?? null;
  const unit = (current.result ?? next.result)?.declaredUnit;
  return {
    from,
    to,
    total: {
      current: totalNow,
      next: totalNext,
      change: totalNow !== null && totalNext !== null ? totalNext - totalNow : null,
      relative: relativeOf(totalNow, totalNext),
    },
    declaredUnit: unit ? `${unit.quantity} ${unit.unit}` : null,
    lines,
    currentError:
      current.errors.length > 0
        ? { zh: current.errors.map((e) => e.detail.zh).join(" "), en: current.errors.map((e) => e.detail.en).join(" ") }
        : null,
    nextErrors,
  };
}

/**
 * Makes a new version of the inventory on the chosen dataset version (lines and evidence copied);
 * its id. The inventory itself is left as it is.
 */
export async function moveToVersion(
  db: Kysely<DB>,
  tenant: { organizationId: string; userId: string },
  inventory: InventoryRow,
  to: DatasetChoice,
): Promise<string> {
  return newVersion(db, tenant.organizationId, inventory.id, tenant.userId, { id: to.id, version: to.version });
}

/** The library of the database: for the page's choices. */
export async function libraryOf(db: Executor): Promise<FactorLibrary> {
  return factorLibrary(db);
}
