import { DuplicateIdError, NegativeAmountError, refuseIfAny, RulesError, UnknownProductError, UnknownRegionError } from "../../errors.ts";
import { datasetContentHash, DEFAULT_FACTOR_LIBRARY, type FactorLibrary } from "../../factors/library.ts";
import type { EmissionFactor, FactorDataset } from "../../factors/schema.ts";
import { GWP_SETS, type GwpSet } from "../../gwp.ts";
import type { CanonicalMemo } from "../../canonical.ts";
import { PCR_CATALOGUE, type PcrCatalogue, type PublishedPcr } from "../../pcr/catalogue.ts";
import { otherGwpSetRule, type OtherGwpSetRule, type Pcr } from "../../pcr/schema.ts";
import { isKnownRegion } from "../../regions.ts";
import { STAGE_INDEX, STAGES } from "../../stages.ts";
import { canonicalUnit } from "../../units.ts";
import type { Inventory } from "../schema.ts";

/**
 * What the calculator does with a line in a life-cycle stage outside the PCR's system boundary.
 *
 * - "warn" (the default, for the inventory editor): the line is calculated and counted, and the
 *   result warns (`stage_outside_boundary`), so the editor shows the line with its finding and
 *   the conformance report fails it.
 * - "enforce" (for the certification path: application, verification, issuance): every such line
 *   is refused with StageNotAllowedError, located at the line's `stage`, and nothing is calculated.
 */
export const STAGE_POLICIES = ["warn", "enforce"] as const;
export type StagePolicy = (typeof STAGE_POLICIES)[number];

/**
 * What the calculator does with a line it cannot calculate (its factor is missing or cannot be
 * used, its unit does not convert, its sub-product is unknown, a quantity is negative or too large).
 *
 * - "refuse" (the default: the API, the CLI and the certification path, whose stored result must
 *   be whole): every such line is an error, located at its field, and nothing is calculated.
 * - "exclude" (for the inventory editor): such a line is left out of the result with its located
 *   errors in `result.incomplete`, and the result warns (`lines_unusable`). The rest is calculated;
 *   never a zero in the line's place, and never the whole result gone for one line.
 */
export const UNUSABLE_LINE_POLICIES = ["refuse", "exclude"] as const;
export type UnusableLinePolicy = (typeof UNUSABLE_LINE_POLICIES)[number];

export interface CalculationOptions {
  readonly pcrs?: PcrCatalogue;
  readonly factors?: FactorLibrary;
  /** See STAGE_POLICIES; "warn" when not given. */
  readonly stagePolicy?: StagePolicy;
  /** See UNUSABLE_LINE_POLICIES; "refuse" when not given. */
  readonly unusableLines?: UnusableLinePolicy;
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
  /** SHA-256 of the dataset's canonical JSON (computed once per published version). */
  readonly datasetSha256: string;
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
  /** Lines that cannot be calculated are left out (and listed) instead of refusing the inventory. */
  readonly excludeUnusable: boolean;
  /** The PCR's rule for factors aggregated under another GWP set than the study's. */
  readonly otherGwpSet: OtherGwpSetRule;
}

/**
 * Looks up the PCR version, factor dataset and GWP set the inventory names. Refuses with every one
 * of them that is unknown (each located at its member), not only the first.
 */
export function resolveStudy(inventory: Inventory, options: CalculationOptions = {}): Study {
  const pcrs = options.pcrs ?? PCR_CATALOGUE;
  const library = options.factors ?? DEFAULT_FACTOR_LIBRARY;
  const errors: RulesError[] = [];
  const attempt = <T>(field: string, look: () => T): T | undefined => {
    try {
      return look();
    } catch (e) {
      if (!(e instanceof RulesError)) throw e;
      errors.push(e.locate({ field }));
      return undefined;
    }
  };
  const published = attempt("pcr", () => pcrs.getPublished(inventory.pcr.code, inventory.pcr.version));
  const dataset = attempt("factorDataset", () => library.get(inventory.factorDataset.id, inventory.factorDataset.version));
  const location = inventory.location?.region ?? "CN";
  if (!isKnownRegion(location)) errors.push(new UnknownRegionError(location).locate({ field: "location.region" }));
  refuseIfAny(errors);
  if (!published || !dataset) throw new RangeError("unreachable: a study without its PCR or dataset was not refused");
  const pcr = published.pcr;
  const factorIndex = library.index(inventory.factorDataset.id, inventory.factorDataset.version);
  const gwp = GWP_SETS[inventory.gwpSet];
  const allowedStages = new Uint8Array(STAGES.length);
  for (const s of pcr.stages.allowed) allowedStages[STAGE_INDEX[s]] = 1;
  return {
    published,
    pcr,
    dataset,
    datasetKey: `${dataset.id}@${dataset.version}`,
    datasetSha256: datasetContentHash(dataset),
    factorIndex,
    gwp,
    referenceYear: Number(inventory.period.end.slice(0, 4)),
    periodEnd: inventory.period.end,
    location,
    allowedStages,
    enforceStages: options.stagePolicy === "enforce",
    excludeUnusable: options.unusableLines === "exclude",
    otherGwpSet: otherGwpSetRule(pcr),
  };
}

/** The products of the system: the columns of the technosphere matrix, in inventory order. */
export interface ProductIndex {
  readonly columnOf: ReadonlyMap<string, number>;
  /** Canonical output unit of each product column. */
  readonly outputUnit: readonly string[];
  readonly lineCount: number;
  /** Column of the reference product, the one the declared unit is demanded of (-1 while it is unknown and refused). */
  readonly root: number;
}

/**
 * The products as matrix columns. Duplicate ids, an unknown reference product, a unit that is not
 * one and a negative output are each an error: recorded in `errors` when a list is given (the
 * engine reports them with the lines' errors), thrown together at the end otherwise.
 */
export function indexProducts(inventory: Inventory, errors?: RulesError[]): ProductIndex {
  const found: RulesError[] = errors ?? [];
  const products = inventory.products;
  const n = products.length;
  const columnOf = new Map<string, number>();
  const outputUnit: string[] = new Array(n);
  let lineCount = 0;
  for (let j = 0; j < n; j++) {
    const p = products[j];
    if (!p) continue;
    if (columnOf.has(p.id)) found.push(new DuplicateIdError("product", p.id).locate({ productId: p.id, field: "id" }));
    else columnOf.set(p.id, j);
    try {
      outputUnit[j] = canonicalUnit(p.output.unit);
    } catch (e) {
      if (!(e instanceof RulesError)) throw e;
      found.push(e.locate({ productId: p.id, field: "output.unit" }));
      outputUnit[j] = p.output.unit;
    }
    if (p.output.amount < 0) found.push(new NegativeAmountError(p.output.amount, { productId: p.id, field: "output.amount" }));
    lineCount += p.lines.length;
  }
  const root = columnOf.get(inventory.referenceProduct);
  if (root === undefined) found.push(new UnknownProductError(inventory.referenceProduct));
  if (!errors) refuseIfAny(found);
  return { columnOf, outputUnit, lineCount, root: root ?? -1 };
}
