/**
 * The factor library the application calculates with: the built-in dataset versions plus every
 * version the platform admin has published (docs/decisions/0018). Published versions never change,
 * so a library is built once per set of published versions and kept, keyed by their content hashes:
 * a calculation costs one small query for the keys, and the contents are read only when a version
 * was published since.
 */
import type { Executor } from "../../db/repositories/executor.ts";
import { publishedDatasetContents, publishedDatasetKeys } from "../../db/repositories/factor-dataset-versions.ts";
import { datasetContentHash, DEFAULT_FACTOR_LIBRARY, type FactorDataset, type FactorLibrary } from "../../rules/factors/index.ts";

/**
 * A published row whose content no longer hashes to the hash recorded when it was published: the
 * database was changed behind the application's back. Nothing is calculated on it.
 */
export class PublishedDatasetAlteredError extends Error {
  constructor(key: string, recorded: string, actual: string) {
    super(`published factor dataset ${key} was altered: recorded SHA-256 ${recorded}, content hashes to ${actual}`);
    this.name = "PublishedDatasetAlteredError";
  }
}

/** Libraries by the published versions they hold (few: each publication adds one, tests use several databases). */
const libraries = new Map<string, FactorLibrary>();
const KEPT_LIBRARIES = 16;

function fingerprint(rows: readonly { dataset_id: string; version: string; content_sha256: string | null }[]): string {
  return rows.map((r) => `${r.dataset_id}@${r.version}#${r.content_sha256}`).join("|");
}

/**
 * The built-in versions and the published ones of this database, each checked against its
 * recorded hash. Versions are added in the order they were published, so those a version includes
 * (built in, or published before it) are already there.
 */
export async function factorLibrary(db: Executor): Promise<FactorLibrary> {
  const keys = await publishedDatasetKeys(db);
  if (keys.length === 0) return DEFAULT_FACTOR_LIBRARY;
  const key = fingerprint(keys);
  const known = libraries.get(key);
  if (known) {
    // Map order is the order of last use: the least recently used library goes first.
    libraries.delete(key);
    libraries.set(key, known);
    return known;
  }
  const rows = await publishedDatasetContents(db);
  let library = DEFAULT_FACTOR_LIBRARY;
  for (const row of rows) {
    library = library.with(row.content as FactorDataset);
    const added = library.get(row.dataset_id, row.version);
    const actual = datasetContentHash(added);
    if (actual !== row.content_sha256) throw new PublishedDatasetAlteredError(`${row.dataset_id}@${row.version}`, String(row.content_sha256), actual);
  }
  // Keyed by what was read with the contents: a publication between the two reads is simply picked up next time.
  libraries.set(fingerprint(rows), library);
  while (libraries.size > KEPT_LIBRARIES) libraries.delete(libraries.keys().next().value!);
  return library;
}

/** Whether a version is one the platform ships in its code (never stored, never imported over). */
export function isBuiltInVersion(id: string, version: string): boolean {
  return DEFAULT_FACTOR_LIBRARY.has(id, version);
}
