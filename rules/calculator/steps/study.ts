import { DuplicateIdError, UnknownProductError, UnknownRegionError } from "../../errors.ts";
import { DEFAULT_FACTOR_LIBRARY, type FactorLibrary } from "../../factors/library.ts";
import type { EmissionFactor, FactorDataset } from "../../factors/schema.ts";
import { GWP_SETS, type GwpSet } from "../../gwp.ts";
import type { CanonicalMemo } from "../../canonical.ts";
import { PCR_CATALOGUE, type PcrCatalogue, type PublishedPcr } from "../../pcr/catalogue.ts";
import type { Pcr } from "../../pcr/schema.ts";
import { isKnownRegion } from "../../regions.ts";
import { STAGE_INDEX, STAGES } from "../../stages.ts";
import { canonicalUnit } from "../../units.ts";
import type { Inventory } from "../schema.ts";

export interface CalculationOptions {
  readonly pcrs?: PcrCatalogue;
  readonly factors?: FactorLibrary;
  /**
   * "report" (default): lines outside the PCR's stages are calculated and reported, so the
   * conformance report can show them; "enforce": refuse with StageNotAllowed (used at verification).
   */
  readonly stagePolicy?: "report" | "enforce";
  /**
   * Canonical texts of deep-frozen input objects kept from earlier calculations: the input hash
   * copies them instead of serialising those objects again (the result is the same hash).
   */
  readonly canonicalMemo?: CanonicalMemo;
}

/** Everything an inventory's header fixes for the whole calculation: rules, factors, GWP, place and year. */
export interface Study {
  readonly published: PublishedPcr;
  readonly pcr: Pcr;
  readonly dataset: FactorDataset;
  /** `id@version`, as errors name the dataset. */
  readonly datasetKey: string;
  readonly factorIndex: ReadonlyMap<string, EmissionFactor>;
  readonly gwp: GwpSet;
  /** Year of the end of the reference period: the year factors are chosen for. */
  readonly referenceYear: number;
  readonly periodEnd: string;
  /** Region of production; grid electricity defaults to it. */
  readonly location: string;
  /** 1 at the STAGE_INDEX of every stage the PCR's boundary allows. */
  readonly allowedStages: Uint8Array;
  readonly enforceStages: boolean;
}

/** Looks up the PCR version, factor dataset and GWP set the inventory names (throws if one is unknown). */
export function resolveStudy(inventory: Inventory, options: CalculationOptions = {}): Study {
  const pcrs = options.pcrs ?? PCR_CATALOGUE;
  const library = options.factors ?? DEFAULT_FACTOR_LIBRARY;
  const published = pcrs.getPublished(inventory.pcr.code, inventory.pcr.version);
  const pcr = published.pcr;
  const dataset = library.get(inventory.factorDataset.id, inventory.factorDataset.version);
  const factorIndex = library.index(inventory.factorDataset.id, inventory.factorDataset.version);
  const gwp = GWP_SETS[inventory.gwpSet];
  const location = inventory.location?.region ?? "CN";
  if (!isKnownRegion(location)) throw new UnknownRegionError(location);
  const allowedStages = new Uint8Array(STAGES.length);
  for (const s of pcr.stages.allowed) allowedStages[STAGE_INDEX[s]] = 1;
  return {
    published,
    pcr,
    dataset,
    datasetKey: `${dataset.id}@${dataset.version}`,
    factorIndex,
    gwp,
    referenceYear: Number(inventory.period.end.slice(0, 4)),
    periodEnd: inventory.period.end,
    location,
    allowedStages,
    enforceStages: options.stagePolicy === "enforce",
  };
}

/** The products of the system: the columns of the technosphere matrix, in inventory order. */
export interface ProductIndex {
  readonly columnOf: ReadonlyMap<string, number>;
  /** Canonical output unit of each product column. */
  readonly outputUnit: readonly string[];
  readonly lineCount: number;
  /** Column of the reference product, the one the declared unit is demanded of. */
  readonly root: number;
}

export function indexProducts(inventory: Inventory): ProductIndex {
  const products = inventory.products;
  const n = products.length;
  const columnOf = new Map<string, number>();
  const outputUnit: string[] = new Array(n);
  let lineCount = 0;
  for (let j = 0; j < n; j++) {
    const p = products[j];
    if (!p) continue;
    if (columnOf.has(p.id)) throw new DuplicateIdError("product", p.id);
    columnOf.set(p.id, j);
    outputUnit[j] = canonicalUnit(p.output.unit);
    lineCount += p.lines.length;
  }
  const root = columnOf.get(inventory.referenceProduct);
  if (root === undefined) throw new UnknownProductError(inventory.referenceProduct);
  return { columnOf, outputUnit, lineCount, root };
}
