import { contentHash, deepFreeze } from "../canonical.ts";
import {
  DatasetVersionConflictError,
  DuplicateFactorCodeError,
  IncludedDatasetHashMismatchError,
  IncludedDatasetMissingError,
  UnknownFactorDatasetError,
} from "../errors.ts";
import { CN_DEMO_2026_1 } from "./datasets/cn-demo-2026.1.ts";
import { CN_DEMO_2026_2 } from "./datasets/cn-demo-2026.2.ts";
import { CN_PUBLISHED_2026_1 } from "./datasets/cn-published-2026.1.ts";
import { datasetKey, FactorDatasetSchema, type EmissionFactor, type FactorDataset } from "./schema.ts";

/** The dataset objects a library holds: parsed by it and deep-frozen, so they never change. */
const publishedVersions = new WeakSet<FactorDataset>();
const publishedHashes = new WeakMap<FactorDataset, string>();

/** A dataset's factors by code, each with the version it comes from (itself or one it includes). */
interface DatasetIndex {
  readonly factors: ReadonlyMap<string, EmissionFactor>;
  readonly origins: ReadonlyMap<string, FactorDataset>;
}

/**
 * A set of published emission-factor dataset versions. Versions are frozen when added; adding a
 * version that already exists is refused unless its content is byte-identical (canonical hash),
 * so an import can never alter a version a certificate already cites.
 *
 * A version may include other versions the library already holds (`includes`, pinned by content
 * hash): its factors are then its own and theirs, and a code may be offered only once across them
 * (docs/decisions/0015). An inventory names one version and gets all of them.
 */
export class FactorLibrary {
  readonly #datasets: ReadonlyMap<string, FactorDataset>;
  readonly #indexes = new Map<string, DatasetIndex>();

  private constructor(datasets: ReadonlyMap<string, FactorDataset>) {
    this.#datasets = datasets;
  }

  static of(datasets: readonly FactorDataset[]): FactorLibrary {
    return datasets.reduce((lib, d) => lib.with(d), new FactorLibrary(new Map()));
  }

  /**
   * A new library holding this one's datasets plus `dataset` (validated and frozen). A version
   * that includes others is refused unless each is already here with the pinned content hash and
   * no factor code is offered twice across them.
   */
  with(dataset: FactorDataset): FactorLibrary {
    const parsed = deepFreeze(FactorDatasetSchema.parse(dataset));
    publishedVersions.add(parsed);
    const key = datasetKey(parsed);
    const existing = this.#datasets.get(key);
    if (existing) {
      if (datasetContentHash(existing) !== datasetContentHash(parsed)) throw new DatasetVersionConflictError(key);
      return this;
    }
    this.#checkIncludes(parsed, key);
    const next = new Map(this.#datasets);
    next.set(key, parsed);
    const library = new FactorLibrary(next);
    // Builds the union now, so a code offered twice is refused when the version is added, not when a line first asks.
    library.#indexOf(key);
    return library;
  }

  #checkIncludes(dataset: FactorDataset, key: string): void {
    for (const include of dataset.includes ?? []) {
      const includedKey = datasetKey(include);
      const included = this.#datasets.get(includedKey);
      if (!included) throw new IncludedDatasetMissingError(key, includedKey);
      const actual = datasetContentHash(included);
      if (actual !== include.sha256) throw new IncludedDatasetHashMismatchError(key, includedKey, include.sha256, actual);
    }
  }

  has(id: string, version: string): boolean {
    return this.#datasets.has(`${id}@${version}`);
  }

  get(id: string, version: string): FactorDataset {
    const found = this.#datasets.get(`${id}@${version}`);
    if (!found) throw new UnknownFactorDatasetError(`${id}@${version}`);
    return found;
  }

  /**
   * Factors of a dataset by code, its own first and then those of the versions it includes
   * (built once per dataset, then reused).
   */
  index(id: string, version: string): ReadonlyMap<string, EmissionFactor> {
    return this.#indexOf(`${id}@${version}`).factors;
  }

  /** Every factor a dataset offers, its own and its included versions', in index order. */
  factors(id: string, version: string): EmissionFactor[] {
    return [...this.index(id, version).values()];
  }

  /** The version a factor of a dataset comes from: the dataset itself or one it includes. */
  originOf(id: string, version: string, code: string): FactorDataset | undefined {
    return this.#indexOf(`${id}@${version}`).origins.get(code);
  }

  /** The dataset and every version it includes, directly or through another, each once, itself first. */
  members(id: string, version: string): FactorDataset[] {
    return this.#membersOf(`${id}@${version}`);
  }

  #membersOf(key: string): FactorDataset[] {
    const out: FactorDataset[] = [];
    const seen = new Set<string>();
    const visit = (key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      const d = this.#datasets.get(key);
      if (!d) throw new UnknownFactorDatasetError(key);
      out.push(d);
      for (const include of d.includes ?? []) visit(datasetKey(include));
    };
    visit(key);
    return out;
  }

  #indexOf(key: string): DatasetIndex {
    let idx = this.#indexes.get(key);
    if (!idx) {
      const factors = new Map<string, EmissionFactor>();
      const origins = new Map<string, FactorDataset>();
      for (const member of this.#membersOf(key)) {
        for (const f of member.factors) {
          const first = origins.get(f.code);
          if (first) throw new DuplicateFactorCodeError(f.code, key, datasetKey(first), datasetKey(member));
          factors.set(f.code, f);
          origins.set(f.code, member);
        }
      }
      idx = { factors, origins };
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

/**
 * The versions the platform ships, included versions before those that include them. New
 * inventories take the newest CN-DEMO, 2026.2, whose factors are its own and CN-PUBLISHED 2026.1's
 * (the picker offers that union, `factors()`); inventories made on 2026.1 stay on it
 * (docs/decisions/0015, 0017).
 */
export const BUILT_IN_FACTOR_DATASETS: readonly FactorDataset[] = [CN_DEMO_2026_1, CN_PUBLISHED_2026_1, CN_DEMO_2026_2];

export const DEFAULT_FACTOR_LIBRARY: FactorLibrary = FactorLibrary.of(BUILT_IN_FACTOR_DATASETS);

/**
 * SHA-256 of a dataset's canonical JSON: what a result's stamp cites, so a result names the exact
 * factors it was calculated with. A version that includes others pins each by its hash in its own
 * JSON, so its hash covers their content too. A version a library holds cannot change, so its hash is computed
 * once, on first use; any other dataset object could still be altered and is hashed each time.
 */
export function datasetContentHash(dataset: FactorDataset): string {
  const known = publishedHashes.get(dataset);
  if (known !== undefined) return known;
  const hash = contentHash(dataset);
  if (publishedVersions.has(dataset)) publishedHashes.set(dataset, hash);
  return hash;
}
