/**
 * Factor dataset versions as a lifecycle (docs/decisions/0018): the platform admin imports a
 * version (stored as a draft only when the whole of it is valid), compares it with the version
 * before it, and publishes it. Publishing records the content hash that every result calculated
 * on the version carries in its stamp; from then on the version never changes.
 *
 * What is checked here is what the factor library itself refuses (a version that exists, an
 * included version that is missing or has another hash, a code offered twice across the version
 * and its includes); the rows of the file are checked by the importer, which knows them.
 */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import {
  deleteDatasetDraft,
  findDatasetVersion,
  insertDatasetDraft,
  lockDatasetVersion,
  markDatasetPublished,
} from "../../db/repositories/factor-dataset-versions.ts";
import {
  DatasetVersionConflictError,
  DuplicateFactorCodeError,
  IncludedDatasetHashMismatchError,
  IncludedDatasetMissingError,
} from "../../rules/errors.ts";
import {
  compareDatasetVersions,
  datasetContentHash,
  datasetKey,
  type EmissionFactor,
  type FactorDataset,
  type FactorLibrary,
} from "../../rules/factors/index.ts";
import { GWP_SETS, type Gas, type GwpSetId } from "../../rules/gwp.ts";
import { factorLibrary, isBuiltInVersion } from "./library.ts";

/** Why the library refuses a version, in terms the importer can put on a field or a row. */
export type DatasetRefusal =
  | { readonly kind: "exists"; readonly key: string }
  | { readonly kind: "includeMissing"; readonly included: string }
  | { readonly kind: "includeHash"; readonly included: string; readonly pinned: string; readonly actual: string }
  | { readonly kind: "duplicateCode"; readonly code: string; readonly firstIn: string; readonly againIn: string };

/** The refusal a library error stands for, or null for any other error. */
function refusalOf(error: unknown): DatasetRefusal | null {
  if (error instanceof DatasetVersionConflictError) return { kind: "exists", key: error.datasetKey };
  if (error instanceof IncludedDatasetMissingError) return { kind: "includeMissing", included: error.includedKey };
  if (error instanceof IncludedDatasetHashMismatchError)
    return { kind: "includeHash", included: error.includedKey, pinned: error.pinned, actual: error.actual };
  if (error instanceof DuplicateFactorCodeError)
    return { kind: "duplicateCode", code: error.factorCode, firstIn: error.firstIn, againIn: error.againIn };
  return null;
}

/**
 * The library of the published versions with `dataset` added, or why it cannot be: the checks a
 * draft passes on import and again on publication.
 */
export function libraryWithVersion(
  library: FactorLibrary,
  dataset: FactorDataset,
): { ok: true; library: FactorLibrary } | { ok: false; refusal: DatasetRefusal } {
  if (library.has(dataset.id, dataset.version)) return { ok: false, refusal: { kind: "exists", key: datasetKey(dataset) } };
  try {
    return { ok: true, library: library.with(dataset) };
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    return { ok: false, refusal };
  }
}

export type ImportDraftOutcome = { ok: true; id: string } | { ok: false; refusal: DatasetRefusal };

/**
 * Stores a version as a draft: `dataset` has passed the rules' schema (every row of the file), and
 * here the library's own checks run against the published versions. Nothing is written when one
 * fails, or when a version with the same id and number exists (built in, published or a draft).
 */
export async function importDatasetDraft(
  db: Kysely<DB>,
  draft: { dataset: FactorDataset; file: { name: string; sha256: string }; userId: string },
): Promise<ImportDraftOutcome> {
  const { dataset } = draft;
  const key = datasetKey(dataset);
  if (isBuiltInVersion(dataset.id, dataset.version)) return { ok: false, refusal: { kind: "exists", key } };
  const checked = libraryWithVersion(await factorLibrary(db), dataset);
  if (!checked.ok) return checked;
  const id = await insertDatasetDraft(db, {
    datasetId: dataset.id,
    version: dataset.version,
    content: checked.library.get(dataset.id, dataset.version),
    factorCount: dataset.factors.length,
    fileName: draft.file.name,
    fileSha256: draft.file.sha256,
    importedBy: draft.userId,
  });
  return id ? { ok: true, id } : { ok: false, refusal: { kind: "exists", key } };
}

/** A stored version as the pages show it, with its content as a FactorDataset. */
export async function storedDatasetVersion(db: Kysely<DB>, datasetId: string, version: string) {
  const row = await findDatasetVersion(db, datasetId, version);
  if (!row) return null;
  return { ...row, content: row.content as FactorDataset };
}

export type PublishOutcome =
  | { ok: true; sha256: string }
  | { ok: false; reason: "missing" }
  | { ok: false; reason: "published" }
  | { ok: false; reason: "refused"; refusal: DatasetRefusal };

/**
 * Publishes a draft: the library checks run again against what is published now (an included
 * version must be published first), the content hash is recorded, and the row is immutable from
 * then on. The drift watch is the caller's next step (it needs the app's inventory reader).
 */
export async function publishDatasetVersion(
  db: Kysely<DB>,
  target: { datasetId: string; version: string; userId: string; at?: Date },
): Promise<PublishOutcome> {
  return db.transaction().execute(async (trx: Transaction<DB>) => {
    const row = await lockDatasetVersion(trx, target.datasetId, target.version);
    if (!row) return { ok: false, reason: "missing" } as const;
    if (row.status === "published") return { ok: false, reason: "published" } as const;
    const checked = libraryWithVersion(await factorLibrary(trx), row.content as FactorDataset);
    if (!checked.ok) return { ok: false, reason: "refused", refusal: checked.refusal } as const;
    const sha256 = datasetContentHash(checked.library.get(target.datasetId, target.version));
    await markDatasetPublished(trx, row.id, { sha256, by: target.userId, at: target.at ?? new Date() });
    return { ok: true, sha256 } as const;
  });
}

/** Discards a draft; false when there is none of that key (a published version is never discarded). */
export async function discardDatasetDraft(db: Kysely<DB>, datasetId: string, version: string): Promise<boolean> {
  return deleteDatasetDraft(db, datasetId, version);
}

/** The newest version of the same dataset id older than `version` in the library, or null for a first version. */
export function previousVersionOf(library: FactorLibrary, id: string, version: string): FactorDataset | null {
  let previous: FactorDataset | null = null;
  for (const d of library.list()) {
    if (d.id !== id || compareDatasetVersions(d.version, version) >= 0) continue;
    if (!previous || compareDatasetVersions(d.version, previous.version) > 0) previous = d;
  }
  return previous;
}

// ---- the difference between two versions ----

/** One number of a factor's value: its aggregated CO2e, or one gas. */
export type ValueMember = "co2e" | Gas;

export interface ValueChange {
  readonly member: ValueMember;
  readonly old: number | null;
  readonly new: number | null;
  /** (new − old) / old; null when either is missing or old is 0. */
  readonly relative: number | null;
}

export interface FactorBrief {
  readonly code: string;
  readonly name: { readonly zh: string; readonly en: string };
  readonly category: EmissionFactor["category"];
  readonly activityUnit: string;
  /** kg per activity unit of each value member (CO2e with its GWP set, or per gas). */
  readonly values: ReadonlyArray<{ readonly member: ValueMember; readonly value: number }>;
  readonly gwpSet: GwpSetId | null;
}

export interface FactorChange extends FactorBrief {
  readonly changes: readonly ValueChange[];
  /** Members other than the value that differ (source, year, name, boundary, …). */
  readonly otherMembers: readonly string[];
}

export interface DatasetDiff {
  readonly previous: { readonly id: string; readonly version: string } | null;
  readonly added: readonly FactorBrief[];
  readonly removed: readonly FactorBrief[];
  readonly changed: readonly FactorChange[];
  readonly unchanged: number;
}

function valuesOf(f: EmissionFactor): FactorBrief["values"] {
  if (f.co2e) return [{ member: "co2e", value: f.co2e.value }];
  return Object.entries(f.gases ?? {}).map(([gas, value]) => ({ member: gas as Gas, value: value! }));
}

function briefOf(f: EmissionFactor): FactorBrief {
  return { code: f.code, name: f.name, category: f.category, activityUnit: f.activityUnit, values: valuesOf(f), gwpSet: f.co2e?.gwpSet ?? null };
}

const VALUE_MEMBERS = new Set(["co2e", "gases"]);

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Added, removed and changed factors between two versions, over everything each offers (its own
 * factors and its included versions'), by code. A changed factor lists each value that moved with
 * old, new and relative change, and names any other member that differs.
 */
export function diffDatasets(
  previous: readonly EmissionFactor[] | null,
  next: readonly EmissionFactor[],
  previousKey: { id: string; version: string } | null,
): DatasetDiff {
  const before = new Map((previous ?? []).map((f) => [f.code, f]));
  const after = new Map(next.map((f) => [f.code, f]));
  const added: FactorBrief[] = [];
  const changed: FactorChange[] = [];
  let unchanged = 0;
  for (const f of next) {
    const old = before.get(f.code);
    if (!old) {
      added.push(briefOf(f));
      continue;
    }
    const oldValues = new Map(valuesOf(old).map((v) => [v.member, v.value]));
    const newValues = new Map(valuesOf(f).map((v) => [v.member, v.value]));
    const changes: ValueChange[] = [];
    for (const member of new Set([...oldValues.keys(), ...newValues.keys()])) {
      const o = oldValues.get(member) ?? null;
      const n = newValues.get(member) ?? null;
      if (o === n) continue;
      changes.push({ member, old: o, new: n, relative: o !== null && n !== null && o !== 0 ? (n - o) / o : null });
    }
    // A CO2e value characterised under another GWP set is a change of value even where the number stays.
    if (old.co2e && f.co2e && old.co2e.gwpSet !== f.co2e.gwpSet && !changes.some((c) => c.member === "co2e")) {
      changes.push({ member: "co2e", old: old.co2e.value, new: f.co2e.value, relative: 0 });
    }
    const members = new Set([...Object.keys(old), ...Object.keys(f)]);
    const otherMembers = [...members]
      .filter((m) => !VALUE_MEMBERS.has(m) && !sameJson((old as Record<string, unknown>)[m], (f as Record<string, unknown>)[m]))
      .sort();
    if (old.co2e && f.co2e && old.co2e.biogenic !== f.co2e.biogenic) otherMembers.push("co2e.biogenic");
    if (changes.length === 0 && otherMembers.length === 0) unchanged++;
    else changed.push({ ...briefOf(f), changes, otherMembers });
  }
  const removed = (previous ?? []).filter((f) => !after.has(f.code)).map(briefOf);
  return { previous: previousKey, added, removed, changed, unchanged };
}

/**
 * A version compared with the one before it in the library (built-in or published): everything
 * each offers. `library` must hold `version` (add a draft with `libraryWithVersion` first).
 */
export function diffWithPrevious(library: FactorLibrary, id: string, version: string): DatasetDiff {
  const previous = previousVersionOf(library, id, version);
  return diffDatasets(
    previous ? library.factors(previous.id, previous.version) : null,
    library.factors(id, version),
    previous ? { id: previous.id, version: previous.version } : null,
  );
}

/**
 * A factor's value per activity unit as one CO2e figure under `gwpSet`: its aggregated value, or
 * its gases characterised; null when it is aggregated under another set (the calculator would
 * refuse it there).
 */
export function factorCO2e(f: EmissionFactor, gwpSet: GwpSetId): number | null {
  if (f.co2e) return f.co2e.gwpSet === gwpSet ? f.co2e.value : null;
  const factors = GWP_SETS[gwpSet].factors;
  let sum = 0;
  for (const [gas, value] of Object.entries(f.gases ?? {})) sum += value! * factors[gas as Gas];
  return sum;
}
