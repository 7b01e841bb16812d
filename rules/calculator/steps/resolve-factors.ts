import {
  DuplicateIdError,
  FootprintOutOfRangeError,
  MissingEmissionFactorError,
  NegativeAmountError,
  refuseIfAny,
  RulesError,
  StageNotAllowedError,
  UnknownProductError,
  UnknownRegionError,
  type ErrorLocation,
} from "../../errors.ts";
import { chooseGridFactor, chooseRenewableFactor } from "../../factors/grid.ts";
import { GASES, type Gas } from "../../gwp.ts";
import { pcrKey } from "../../pcr/schema.ts";
import { isKnownRegion } from "../../regions.ts";
import { STAGE_INDEX } from "../../stages.ts";
import { conversionFactor } from "../../units.ts";
import { blendKernels, characterise, factorUse, kernelConversion, type Kernel } from "../kernels.ts";
import type { CalculationNotice } from "../messages.ts";
import { lineDqr, SUPPLIER_DECLARED_BOUNDARY } from "../quality.ts";
import type { FactorUse, LineResult, UnusableLine } from "../result.ts";
import type { Inventory, InventoryLine, ModelledProduct } from "../schema.ts";
import type { ProductIndex, Study } from "./study.ts";

/** China green certificates (绿证): one certificate stands for 1 000 kWh. */
export const KWH_PER_CERTIFICATE = 1000;

/**
 * Per-line bookkeeping kept outside the line objects so the hot loops touch typed arrays only.
 * Line i is the i-th line in inventory order, counting through the products. Its kernel and
 * activity per run are the line's entry in the intervention matrix (column: its product); a
 * sub-product line's activity is its entry in the technosphere matrix instead.
 */
export interface LineTable {
  readonly product: Int32Array;
  /** Activity per run of the owning product, in the kernel's unit (or in the target's unit for links). */
  readonly activity: Float64Array;
  readonly kernels: Array<Kernel | null>;
  readonly dqr: Float64Array;
  /** Target product for sub-product links, -1 otherwise. */
  readonly target: Int32Array;
  readonly excluded: Uint8Array;
  /** 1 for a line left out because it cannot be calculated (the "exclude" policy): no kernel, no activity, no link. */
  readonly unusable: Uint8Array;
  readonly extras: Map<number, Pick<LineResult, "greenCertificates" | "gridResolution">>;
}

/** What resolution noticed about lines, kept as lists so warnings can name them. */
export interface ResolutionNotes {
  /** Warnings about single lines, in line order. */
  readonly lineNotices: CalculationNotice[];
  readonly outsideBoundary: string[];
  readonly withoutScores: string[];
  readonly demonstrationLines: string[];
  /** Lines using a factor aggregated under another GWP set, accepted as a disclosed deviation. */
  readonly otherGwpSetLines: string[];
  /** Lines left out because they cannot be calculated, each with its errors (the "exclude" policy). */
  readonly unusable: UnusableLine[];
  /** Grid lookups that fell back to an enclosing region, by requested → used region. */
  readonly gridFallbacks: Map<string, { readonly requestedRegion: string; readonly usedRegion: string; readonly lineIds: string[] }>;
  /** Lines claiming each green certificate id. */
  readonly certificateUse: Map<string, string[]>;
}

export interface ResolvedLines {
  readonly table: LineTable;
  /** Included sub-product lines, in line order: the off-diagonal entries of the technosphere matrix. */
  readonly links: readonly number[];
  readonly notes: ResolutionNotes;
}

/**
 * Step 1: every line's factor, characterised for the study's GWP set, and its activity per run of
 * its product in the factor's unit. One pass over the lines; each factor is characterised once.
 *
 * A line that cannot be resolved does not stop the pass: every line's errors are collected, each
 * located at its product, line and field — a duplicate id, a negative quantity, a stage outside
 * the boundary under the enforcing policy, a missing factor, a unit of the wrong dimension, an
 * unknown sub-product, an activity too large for a number. They are recorded in `errors` when a
 * list is given (the engine adds them to the products' errors), thrown together otherwise.
 */
export function resolveFactors(inventory: Inventory, study: Study, products: ProductIndex, errors?: RulesError[]): ResolvedLines {
  const resolver = new LineResolver(inventory, study, products, errors ?? []);
  resolver.resolveAll();
  if (!errors) refuseIfAny(resolver.errors);
  return { table: resolver.table, links: resolver.links, notes: resolver.notes };
}

/** Where an error about a line is: made only when there is an error, so the pass allocates nothing for it. */
export function at(product: ModelledProduct, line: InventoryLine, field?: string): ErrorLocation {
  return field ? { productId: product.id, lineId: line.id, field } : { productId: product.id, lineId: line.id };
}

/** The member a line's quantity is entered in: a transport line's mass × distance, or its amount. */
export function quantityField(line: InventoryLine): "amount" | "mass.amount" {
  return line.kind === "transport" && line.mass !== undefined ? "mass.amount" : "amount";
}

interface GridKernel {
  readonly kernel: Kernel;
  readonly usedRegion: string;
  readonly usedYear: number;
}

/** Factors characterised for one study, each resolved once however many lines use it. */
export class KernelCache {
  private readonly byCode = new Map<string, Kernel>();
  private readonly byGas: Array<Kernel | undefined> = new Array(GASES.length);
  private readonly byGrid = new Map<string, GridKernel>();

  constructor(private readonly study: Study) {}

  /** The dataset's factor of this code; lineId only names the line in the error. */
  forCode(code: string, lineId: string): Kernel {
    let k = this.byCode.get(code);
    if (!k) {
      const f = this.study.factorIndex.get(code);
      if (!f) throw new MissingEmissionFactorError(code, this.study.datasetKey, lineId);
      k = characterise(f.code, f, f.activityUnit, this.study.gwp, factorUse(f), this.study.otherGwpSet);
      this.byCode.set(code, k);
    }
    return k;
  }

  /** One kg of a single gas (direct process emissions). */
  forGas(gas: Gas): Kernel {
    const i = GASES.indexOf(gas);
    let k = this.byGas[i];
    if (!k) {
      k = characterise(`GAS:${gas}`, { gases: { [gas]: 1 } }, "kg", this.study.gwp, null);
      this.byGas[i] = k;
    }
    return k;
  }

  /**
   * The grid factor of the PCR's basis for a region and year, and where and when it was found:
   * chosen among all the factors the dataset offers, its own and those of the versions it includes.
   */
  forGrid(region: string, year: number): GridKernel {
    const key = `${region}|${year}`;
    let g = this.byGrid.get(key);
    if (!g) {
      if (!isKnownRegion(region)) throw new UnknownRegionError(region);
      const { factorIndex, datasetKey, pcr } = this.study;
      const choice = chooseGridFactor(factorIndex, datasetKey, region, year, pcr.electricity.gridFactorBasis);
      g = { kernel: this.forCode(choice.factor.code, ""), usedRegion: choice.factor.region, usedYear: choice.factor.year };
      this.byGrid.set(key, g);
    }
    return g;
  }
}

type ElectricityLine = Extract<InventoryLine, { kind: "electricity" }>;
type GreenCertificateSupply = Extract<ElectricityLine["supply"], { type: "green_certificate" }>;

class LineResolver {
  readonly table: LineTable;
  readonly links: number[] = [];
  readonly notes: ResolutionNotes = {
    lineNotices: [],
    outsideBoundary: [],
    withoutScores: [],
    demonstrationLines: [],
    otherGwpSetLines: [],
    unusable: [],
    gridFallbacks: new Map(),
    certificateUse: new Map(),
  };
  private readonly kernels: KernelCache;
  /**
   * The member of the line being resolved that the resolution reads now: an error raised while
   * reading it is located there. Kept as a field so the pass allocates nothing per line for it.
   */
  private field = "";

  constructor(
    private readonly inventory: Inventory,
    private readonly study: Study,
    private readonly products: ProductIndex,
    readonly errors: RulesError[],
  ) {
    const lineCount = products.lineCount;
    this.table = {
      product: new Int32Array(lineCount),
      activity: new Float64Array(lineCount),
      kernels: new Array<Kernel | null>(lineCount).fill(null),
      dqr: new Float64Array(lineCount),
      target: new Int32Array(lineCount).fill(-1),
      excluded: new Uint8Array(lineCount),
      unusable: new Uint8Array(lineCount),
      extras: new Map(),
    };
    this.kernels = new KernelCache(study);
  }

  resolveAll(): void {
    const { table, notes, study, errors } = this;
    const products = this.inventory.products;
    let i = 0;
    for (let j = 0; j < products.length; j++) {
      const product = products[j];
      if (!product) continue;
      const seenLineIds = new Set<string>();
      for (const line of product.lines) {
        const errorsBefore = errors.length;
        if (seenLineIds.has(line.id)) errors.push(new DuplicateIdError("line", line.id).locate(at(product, line, "id")));
        seenLineIds.add(line.id);
        table.product[i] = j;
        table.dqr[i] = lineDqr(line.dataQuality);
        if (!line.dataQuality) notes.withoutScores.push(line.id);
        this.refuseNegative(product, line);
        if (study.allowedStages[STAGE_INDEX[line.stage]] !== 1) {
          if (study.enforceStages) errors.push(new StageNotAllowedError(line.stage, pcrKey(study.pcr), line.id).locate(at(product, line)));
          else notes.outsideBoundary.push(line.id);
        }
        this.field = "";
        try {
          if (line.excluded) {
            table.excluded[i] = 1;
            this.resolveExcludedLine(line, i);
          } else {
            this.resolveLine(line, i);
            const use = table.kernels[i]?.use;
            if (use?.demonstration) notes.demonstrationLines.push(line.id);
            if (use?.otherGwpSet) notes.otherGwpSetLines.push(line.id);
          }
        } catch (e) {
          if (!(e instanceof RulesError)) throw e;
          errors.push(e.locate(at(product, line, this.field)));
        }
        // A finite amount whose conversion is not (1e308 t is Infinity kg) is refused at the line.
        const activity = table.activity[i] ?? 0;
        if (!Number.isFinite(activity)) errors.push(new FootprintOutOfRangeError(at(product, line, quantityField(line))));
        // Left out, a line whose own emissions overflow must be found now, not at step 4b, which refuses.
        else if (study.excludeUnusable && !Number.isFinite(activity * (table.kernels[i]?.co2e ?? 0))) {
          errors.push(new FootprintOutOfRangeError(at(product, line, quantityField(line))));
        }
        if (study.excludeUnusable && errors.length > errorsBefore) this.setAside(product, line, i, errors.splice(errorsBefore));
        i++;
      }
    }
  }

  /**
   * Leaves a line that cannot be calculated out of the system (the "exclude" policy): whatever its
   * resolution had set is undone, so it adds nothing to any figure, and its errors are kept with it
   * for the result to list. Notes are added only after a line resolves, so at most its own last
   * entries are taken back.
   */
  private setAside(product: ModelledProduct, line: InventoryLine, i: number, lineErrors: RulesError[]): void {
    const { table, notes } = this;
    table.kernels[i] = null;
    table.activity[i] = 0;
    table.target[i] = -1;
    table.unusable[i] = 1;
    table.extras.delete(i);
    if (this.links.at(-1) === i) this.links.pop();
    const own = (ids: string[]) => {
      if (ids.at(-1) === line.id) ids.pop();
    };
    for (const ids of [notes.withoutScores, notes.outsideBoundary, notes.demonstrationLines, notes.otherGwpSetLines]) own(ids);
    for (let last = notes.lineNotices.at(-1); last && "lineId" in last && last.lineId === line.id; last = notes.lineNotices.at(-1)) {
      notes.lineNotices.pop();
    }
    for (const [key, fallback] of notes.gridFallbacks) {
      own(fallback.lineIds);
      if (fallback.lineIds.length === 0) notes.gridFallbacks.delete(key);
    }
    if (line.kind === "electricity" && line.supply.type === "green_certificate") {
      for (const id of line.supply.certificateIds) {
        const users = notes.certificateUse.get(id);
        if (users) own(users);
        if (users?.length === 0) notes.certificateUse.delete(id);
      }
    }
    notes.unusable.push({ productId: product.id, lineId: line.id, errors: lineErrors.flatMap((e) => e.errors.map((x) => x.describe())) });
  }

  /**
   * Lines record what is consumed and emitted, so no quantity on them is negative: a negative one
   * would subtract from the footprint without a word. No line kind is made for removals or credits
   * (ISO 14067 wants those reported apart from emissions), so this holds for every kind.
   */
  private refuseNegative(product: ModelledProduct, line: InventoryLine): void {
    const { errors } = this;
    if (line.amount !== undefined && line.amount < 0) errors.push(new NegativeAmountError(line.amount, at(product, line, "amount")));
    if (line.kind !== "transport") return;
    if (line.mass && line.mass.amount < 0) errors.push(new NegativeAmountError(line.mass.amount, at(product, line, "mass.amount")));
    if (line.distance && line.distance.amount < 0) errors.push(new NegativeAmountError(line.distance.amount, at(product, line, "distance.amount")));
  }

  /**
   * An excluded flow is estimated when it can be, but a missing factor must not fail the
   * calculation of what is included: its share may be given instead.
   */
  private resolveExcludedLine(line: InventoryLine, at: number): void {
    try {
      this.resolveLine(line, at);
    } catch (e) {
      if (!(e instanceof RulesError)) throw e;
      this.table.kernels[at] = null;
    }
  }

  private resolveLine(line: InventoryLine, at: number): void {
    const context = `line ${line.id}`;
    switch (line.kind) {
      case "material":
      case "fuel":
      case "waste":
        this.use(at, this.forCode(line.factorCode, line.id, "factorCode"), line.amount, line.unit, context);
        return;
      case "transport":
        this.resolveTransport(line, at, context);
        return;
      case "process_emission":
        this.use(at, this.kernels.forGas(line.gas), line.amount, line.unit, context);
        return;
      case "supplier_certificate":
        this.resolveSupplierCertificate(line, at, context);
        return;
      case "electricity":
        this.resolveElectricity(line, at, context);
        return;
      case "sub_product":
        this.resolveSubProduct(line, at, context);
        return;
    }
  }

  /** The dataset's factor of a code, any error located at `field` (the member the code is in). */
  private forCode(code: string, lineId: string, field: string): Kernel {
    this.field = field;
    return this.kernels.forCode(code, lineId);
  }

  /** Sets a line's kernel and its activity per run, converted from the line's unit into the kernel's. */
  private use(at: number, k: Kernel, amount: number, unit: string, context: string): void {
    this.table.kernels[at] = k;
    this.field = "unit";
    this.table.activity[at] = amount * kernelConversion(k, unit, context);
  }

  private resolveTransport(line: Extract<InventoryLine, { kind: "transport" }>, at: number, context: string): void {
    const k = this.forCode(line.factorCode, line.id, "factorCode");
    this.table.kernels[at] = k;
    if (line.mass && line.distance) {
      this.field = "mass.unit";
      const tonnes = line.mass.amount * conversionFactor(line.mass.unit, "t", context);
      this.field = "distance.unit";
      const km = line.distance.amount * conversionFactor(line.distance.unit, "km", context);
      // A transport factor not per t·km (or another mass × distance) is the factor's fault.
      this.field = "factorCode";
      this.table.activity[at] = tonnes * km * kernelConversion(k, "tkm", context);
    } else {
      this.field = "unit";
      this.table.activity[at] = (line.amount ?? 0) * kernelConversion(k, line.unit ?? "tkm", context);
    }
  }

  /**
   * A supplier line: amount × the certified value of the cited certificate, or × the supplier's own
   * declared figure (unverified: its boundary says so, and it never counts as primary data).
   */
  private resolveSupplierCertificate(line: Extract<InventoryLine, { kind: "supplier_certificate" }>, at: number, context: string): void {
    const { location, referenceYear, gwp, periodEnd } = this.study;
    const d = line.declared;
    if (d) {
      const use: FactorUse = {
        code: `SUPPLIER:${d.supplier}`,
        region: location,
        regionLevel: "national",
        year: d.year ?? referenceYear,
        boundary: SUPPLIER_DECLARED_BOUNDARY,
        demonstration: false,
        inline: true,
      };
      this.field = "declared";
      const k = characterise(
        use.code,
        { co2e: { value: d.kgCO2ePerDeclaredUnit / d.declaredUnit.quantity, gwpSet: d.gwpSet } },
        d.declaredUnit.unit,
        gwp,
        use,
      );
      this.use(at, k, line.amount, line.unit, context);
      return;
    }
    // The schema lets through a supplier line only with exactly one of the two.
    const c = line.certificate;
    if (!c) return;
    const use: FactorUse = {
      code: c.number,
      region: location,
      regionLevel: "national",
      year: referenceYear,
      boundary: "certified_footprint",
      demonstration: false,
      inline: true,
    };
    this.field = "certificate";
    const k = characterise(
      c.number,
      { co2e: { value: c.kgCO2ePerDeclaredUnit / c.declaredUnit.quantity, gwpSet: c.gwpSet } },
      c.declaredUnit.unit,
      gwp,
      use,
    );
    this.use(at, k, line.amount, line.unit, context);
    if (c.validUntil && c.validUntil < periodEnd) {
      this.notes.lineNotices.push({ code: "supplier_certificate_expired", lineId: line.id, certificate: c.number, validUntil: c.validUntil });
    }
  }

  private resolveSubProduct(line: Extract<InventoryLine, { kind: "sub_product" }>, at: number, context: string): void {
    const t = this.products.columnOf.get(line.productId);
    if (t === undefined) throw new UnknownProductError(line.productId, line.id);
    this.field = "unit";
    const amountInTargetUnit = line.amount * conversionFactor(line.unit, this.products.outputUnit[t] ?? "", context);
    this.table.target[at] = t;
    this.table.activity[at] = amountInTargetUnit;
    if (!line.excluded) this.links.push(at);
  }

  private resolveElectricity(line: ElectricityLine, at: number, context: string): void {
    const supply = line.supply;
    switch (supply.type) {
      case "grid":
        if (supply.factorCode) this.use(at, this.forCode(supply.factorCode, line.id, "supply.factorCode"), line.amount, line.unit, context);
        else this.resolveGrid(line, supply.region ?? this.study.location, supply.year ?? this.study.referenceYear, at, context);
        return;
      case "supplier": {
        const use: FactorUse = {
          code: `SUPPLIER:${supply.supplier}${supply.contractId ? `:${supply.contractId}` : ""}`,
          region: this.study.location,
          regionLevel: "province",
          year: supply.factor.year,
          boundary: "supplier_specific",
          demonstration: false,
          inline: true,
        };
        this.field = "supply.factor";
        this.use(at, characterise(use.code, supply.factor, "kWh", this.study.gwp, use), line.amount, line.unit, context);
        return;
      }
      case "onsite":
        this.use(at, this.forCode(supply.factorCode, line.id, "supply.factorCode"), line.amount, line.unit, context);
        return;
      case "green_certificate":
        this.resolveGreenCertificates(line, supply, at, context);
        return;
    }
  }

  private resolveGrid(line: ElectricityLine, region: string, year: number, at: number, context: string): void {
    this.field = "supply.region";
    const g = this.kernels.forGrid(region, year);
    this.use(at, g.kernel, line.amount, line.unit, context);
    this.table.extras.set(at, { gridResolution: { requestedRegion: region, usedRegion: g.usedRegion, requestedYear: year, usedYear: g.usedYear } });
    if (g.usedRegion !== region) {
      const key = `${region}→${g.usedRegion}`;
      const fallback = this.notes.gridFallbacks.get(key) ?? { requestedRegion: region, usedRegion: g.usedRegion, lineIds: [] };
      fallback.lineIds.push(line.id);
      this.notes.gridFallbacks.set(key, fallback);
    }
  }

  /**
   * Only electricity backed by certificates gets the renewable factor (1 certificate = 1 000 kWh);
   * the rest of the claim is grid electricity at the location, blended into one kernel.
   */
  private resolveGreenCertificates(line: ElectricityLine, supply: GreenCertificateSupply, at: number, context: string): void {
    const { factorIndex, datasetKey, location, referenceYear } = this.study;
    this.field = supply.factorCode ? "supply.factorCode" : "supply.technology";
    const renewable = supply.factorCode
      ? this.kernels.forCode(supply.factorCode, line.id)
      : this.kernels.forCode(chooseRenewableFactor(factorIndex, datasetKey, supply.technology, referenceYear).code, line.id);
    // The part the certificates do not cover is grid electricity where the product is made.
    this.field = "supply";
    const residual = this.kernels.forGrid(location, referenceYear);
    this.field = "unit";
    const kWh = line.amount * conversionFactor(line.unit, "kWh", context);
    const uniqueIds = new Set(supply.certificateIds).size;
    const periodKWh = supply.periodKWh ?? kWh;
    const coveredShare = periodKWh > 0 ? Math.min(1, (uniqueIds * KWH_PER_CERTIFICATE) / periodKWh) : 1;
    const k = coveredShare === 1 ? renewable : blendKernels(renewable, coveredShare, residual.kernel, 1 - coveredShare, renewable.use);
    this.use(at, k, kWh, "kWh", context);
    this.table.extras.set(at, { greenCertificates: { ids: supply.certificateIds.length, uniqueIds, periodKWh, coveredShare } });
    for (const id of supply.certificateIds) {
      const users = this.notes.certificateUse.get(id) ?? [];
      users.push(line.id);
      this.notes.certificateUse.set(id, users);
    }
    if (coveredShare < 1) {
      this.notes.lineNotices.push({
        code: "green_certificates_insufficient",
        lineId: line.id,
        uniqueIds,
        coveredKWh: uniqueIds * KWH_PER_CERTIFICATE,
        periodKWh,
      });
    }
  }
}
