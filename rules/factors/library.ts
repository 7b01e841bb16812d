import { contentHash, deepFreeze } from "../canonical.ts";
import { DatasetVersionConflictError, UnknownFactorDatasetError } from "../errors.ts";
import { CN_DEMO_2026_1 } from "./datasets/cn-demo-2026.1.ts";
import { datasetKey, FactorDatasetSchema, type EmissionFactor, type FactorDataset } from "./schema.ts";

/** The dataset objects a library holds: parsed by it and deep-frozen, so they never change. */
const publishedVersions = new WeakSet<FactorDataset>();
const publishedHashes = new WeakMap<FactorDataset, string>();

/**
 * A set of published emission-factor dataset versions. Versions are frozen when added; adding a
 * version that already exists is refused unless its content is byte-identical (canonical hash),
 * so an import can never alter a version a certificate already cites.
 */
export class FactorLibrary {
  readonly #datasets: ReadonlyMap<string, FactorDataset>;
  readonly #indexes = new Map<string, ReadonlyMap<string, EmissionFactor>>();

  private constructor(datasets: ReadonlyMap<string, FactorDataset>) {
    this.#datasets = datasets;
  }

  static of(datasets: readonly FactorDataset[]): FactorLibrary {
    return datasets.reduce((lib, d) => lib.with(d), new FactorLibrary(new Map()));
  }

  /** A new library holding this one's datasets plus `dataset` (validated and frozen). */
  with(dataset: FactorDataset): FactorLibrary {
    const parsed = deepFreeze(FactorDatasetSchema.parse(dataset));
    publishedVersions.add(parsed);
    const key = datasetKey(parsed);
    const existing = this.#datasets.get(key);
    if (existing) {
      if (datasetContentHash(existing) !== datasetContentHash(parsed)) throw new DatasetVersionConflictError(key);
      return this;
    }
    const next = new Map(this.#datasets);
    next.set(key, parsed);
    return new FactorLibrary(next);
  }

  has(id: string, version: string): boolean {
    return this.#datasets.has(`${id}@${version}`);
  }

  get(id: string, version: string): FactorDataset {
    const found = this.#datasets.get(`${id}@${version}`);
    if (!found) throw new UnknownFactorDatasetError(`${id}@${version}`);
    return found;
  }

  /** Factors of a dataset by code (built once per dataset, then reused). */
  index(id: string, version: string): ReadonlyMap<string, EmissionFactor> {
    const key = `${id}@${version}`;
    let idx = this.#indexes.get(key);
    if (!idx) {
      idx = new Map(this.get(id, version).factors.map((f) => [f.code, f]));
      this.#indexes.set(key, idx);
    }
    return idx;
  }

  /** The newest version of a dataset id ("2026.10" is newer than "2026.9"). */
  latest(id: string): FactorDataset {
    const candidates = [...this.#datasets.values()].filter((d) => d.id === id);
    if (candidates.length === 0) throw new UnknownFactorDatasetError(id);
    return candidates.reduce((a, b) => (compareDatasetVersions(a.version, b.version) >= 0 ? a : b));
  }

  list(): FactorDataset[] {
    return [...this.#datasets.values()];
  }
}

export function compareDatasetVersions(a: string, b: string): number {
  const [ay = 0, an = 0] = a.split(".").map(Number);
  const [by = 0, bn = 0] = b.split(".").map(Number);
  return ay !== by ? ay - by : an - bn;
}

export const BUILT_IN_FACTOR_DATASETS: readonly FactorDataset[] = [CN_DEMO_2026_1];

export const DEFAULT_FACTOR_LIBRARY: FactorLibrary = FactorLibrary.of(BUILT_IN_FACTOR_DATASETS);

/**
 * SHA-256 of a dataset's canonical JSON: what a result's stamp cites, so a result names the exact
 * factors it was calculated with. A version a library holds cannot change, so its hash is computed
 * once, on first use; any other dataset object could still be altered and is hashed each time.
 */
export function datasetContentHash(dataset: FactorDataset): string {
  const known = publishedHashes.get(dataset);
  if (known !== undefined) return known;
  const hash = contentHash(dataset);
  if (publishedVersions.has(dataset)) publishedHashes.set(dataset, hash);
  return hash;
}
