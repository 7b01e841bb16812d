import { contentHash, type CanonicalMemo } from "../canonical.ts";
import {
  DuplicateIdError,
  InvalidInventoryError,
  MissingEmissionFactorError,
  RulesError,
  SingularProductSystemError,
  StageNotAllowedError,
  UnknownProductError,
  UnknownRegionError,
} from "../errors.ts";
import { DEFAULT_FACTOR_LIBRARY, type FactorLibrary } from "../factors/library.ts";
import { GASES, GWP_SETS, type Gas } from "../gwp.ts";
import { bi } from "../i18n.ts";
import { PCR_CATALOGUE, type PcrCatalogue } from "../pcr/catalogue.ts";
import { pcrKey } from "../pcr/schema.ts";
import { isKnownRegion } from "../regions.ts";
import { factorize, fromTriplets, SingularSystemError, type Factorization } from "../solver/index.ts";
import { STAGE_INDEX, STAGES } from "../stages.ts";
import { canonicalUnit, conversionFactor } from "../units.ts";
import {
  AGGREGATED_SLOT,
  blendKernels,
  characterise,
  chooseGridFactor,
  chooseRenewableFactor,
  factorUse,
  GAS_SLOTS,
  kernelConversion,
  type Kernel,
} from "./kernels.ts";
import { DQR_CAVEAT, dqrRating, lineDqr } from "./quality.ts";
import {
  CALCULATOR_VERSION,
  RESULT_UNIT,
  type CalculationWarning,
  type ExcludedResult,
  type FactorUse,
  type FootprintResult,
  type LineResult,
  type ProductResult,
} from "./result.ts";
import { InventorySchema, type Inventory, type InventoryLine } from "./schema.ts";
import { productsInLoops } from "./tarjan.ts";

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

/** Validates plain data against InventorySchema; throws InvalidInventory listing every issue. */
export function parseInventory(data: unknown): Inventory {
  const parsed = InventorySchema.safeParse(data);
  if (!parsed.success) {
    throw new InvalidInventoryError(parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })));
  }
  return parsed.data;
}

/** Parse, then calculate: the entry point for untrusted JSON (API, CLI). */
export function calculateFootprintFromData(data: unknown, options: CalculationOptions = {}): FootprintResult {
  return calculateFootprint(parseInventory(data), options);
}

const KWH_PER_CERTIFICATE = 1000;
const MAX_LISTED_LINES = 50;

/** Per-line bookkeeping kept outside the line objects so the hot loops touch typed arrays only. */
interface LineTable {
  readonly product: Int32Array;
  /** Activity per run of the owning product, in the kernel's unit (or in the target's unit for links). */
  readonly activity: Float64Array;
  readonly kernels: Array<Kernel | null>;
  readonly dqr: Float64Array;
  /** Target product for sub-product links, -1 otherwise. */
  readonly target: Int32Array;
  readonly excluded: Uint8Array;
  readonly extras: Map<number, Pick<LineResult, "greenCertificates" | "gridResolution">>;
}

/**
 * Product carbon footprint of an inventory per declared unit.
 *
 * The product system is the technosphere matrix A (one column per modelled product: its output
 * on the diagonal, the sub-products it consumes as negative entries), the demand f (the declared
 * unit of the reference product), the supply s solving A·s = f exactly, and the characterised
 * direct emissions of every line; the score is Σ s_p · (line activity × CO2e per unit).
 */
export function calculateFootprint(inventory: Inventory, options: CalculationOptions = {}): FootprintResult {
  const pcrs = options.pcrs ?? PCR_CATALOGUE;
  const library = options.factors ?? DEFAULT_FACTOR_LIBRARY;
  const published = pcrs.getPublished(inventory.pcr.code, inventory.pcr.version);
  const pcr = published.pcr;
  const dataset = library.get(inventory.factorDataset.id, inventory.factorDataset.version);
  const factorIndex = library.index(inventory.factorDataset.id, inventory.factorDataset.version);
  const datasetKey = `${dataset.id}@${dataset.version}`;
  const gwp = GWP_SETS[inventory.gwpSet];
  const referenceYear = Number(inventory.period.end.slice(0, 4));
  const location = inventory.location?.region ?? "CN";
  if (!isKnownRegion(location)) throw new UnknownRegionError(location);
  const inputSha256 = contentHash(inventory, options.canonicalMemo);
  const warnings: CalculationWarning[] = [];

  // --- products -------------------------------------------------------------------------------
  const products = inventory.products;
  const n = products.length;
  const productIndex = new Map<string, number>();
  const outputUnit: string[] = new Array(n);
  let lineCount = 0;
  for (let j = 0; j < n; j++) {
    const p = products[j];
    if (!p) continue;
    if (productIndex.has(p.id)) throw new DuplicateIdError("product", p.id);
    productIndex.set(p.id, j);
    outputUnit[j] = canonicalUnit(p.output.unit);
    lineCount += p.lines.length;
  }
  const root = productIndex.get(inventory.referenceProduct);
  if (root === undefined) throw new UnknownProductError(inventory.referenceProduct);

  // --- factor kernels, resolved once per factor -----------------------------------------------
  const byCode = new Map<string, Kernel>();
  const kernelFor = (code: string, lineId: string): Kernel => {
    let k = byCode.get(code);
    if (!k) {
      const f = factorIndex.get(code);
      if (!f) throw new MissingEmissionFactorError(code, datasetKey, lineId);
      k = characterise(f.code, f, f.activityUnit, gwp, factorUse(f));
      byCode.set(code, k);
    }
    return k;
  };
  const gasKernels: Array<Kernel | undefined> = new Array(GASES.length);
  const gasKernel = (gas: Gas): Kernel => {
    const i = GASES.indexOf(gas);
    let k = gasKernels[i];
    if (!k) {
      k = characterise(`GAS:${gas}`, { gases: { [gas]: 1 } }, "kg", gwp, null);
      gasKernels[i] = k;
    }
    return k;
  };
  const gridKernels = new Map<string, { kernel: Kernel; usedRegion: string; usedYear: number }>();
  const gridKernel = (region: string, year: number) => {
    const key = `${region}|${year}`;
    let g = gridKernels.get(key);
    if (!g) {
      if (!isKnownRegion(region)) throw new UnknownRegionError(region);
      const choice = chooseGridFactor(dataset, datasetKey, region, year, pcr.electricity.gridFactorBasis);
      g = { kernel: kernelFor(choice.factor.code, ""), usedRegion: choice.factor.region, usedYear: choice.factor.year };
      gridKernels.set(key, g);
    }
    return g;
  };

  // --- pass 1: resolve every line -------------------------------------------------------------
  const table: LineTable = {
    product: new Int32Array(lineCount),
    activity: new Float64Array(lineCount),
    kernels: new Array<Kernel | null>(lineCount).fill(null),
    dqr: new Float64Array(lineCount),
    target: new Int32Array(lineCount).fill(-1),
    excluded: new Uint8Array(lineCount),
    extras: new Map(),
  };
  const allowedStages = new Uint8Array(STAGES.length);
  for (const s of pcr.stages.allowed) allowedStages[STAGE_INDEX[s]] = 1;
  const outsideBoundary: string[] = [];
  const withoutScores: string[] = [];
  const demonstrationLines: string[] = [];
  const gridFallbacks = new Map<string, string[]>();
  const linkRows: number[] = [];
  const linkCols: number[] = [];
  const linkValues: number[] = [];
  const edgesFrom: number[][] = Array.from({ length: n }, () => []);
  const selfLoop = new Uint8Array(n);
  const certificateUse = new Map<string, string[]>();

  let i = 0;
  for (let j = 0; j < n; j++) {
    const product = products[j];
    if (!product) continue;
    const seenLineIds = new Set<string>();
    for (const line of product.lines) {
      if (seenLineIds.has(line.id)) throw new DuplicateIdError("line", `${product.id}/${line.id}`);
      seenLineIds.add(line.id);
      table.product[i] = j;
      table.dqr[i] = lineDqr(line.dataQuality);
      if (!line.dataQuality) withoutScores.push(line.id);
      if (allowedStages[STAGE_INDEX[line.stage]] !== 1) {
        if (options.stagePolicy === "enforce") throw new StageNotAllowedError(line.stage, pcrKey(pcr), line.id);
        outsideBoundary.push(line.id);
      }
      if (line.excluded) {
        table.excluded[i] = 1;
        // An excluded flow is estimated when it can be, but a missing factor must not fail the
        // calculation of what is included: its share may be given instead.
        try {
          resolveLine(line, i);
        } catch (e) {
          if (!(e instanceof RulesError)) throw e;
          table.kernels[i] = null;
        }
      } else {
        resolveLine(line, i);
        if (table.kernels[i]?.use?.demonstration) demonstrationLines.push(line.id);
      }
      i++;
    }
  }

  function resolveLine(line: InventoryLine, at: number): void {
    const context = `line ${line.id}`;
    switch (line.kind) {
      case "material":
      case "fuel":
      case "waste": {
        const k = kernelFor(line.factorCode, line.id);
        table.kernels[at] = k;
        table.activity[at] = line.amount * kernelConversion(k, line.unit, context);
        return;
      }
      case "transport": {
        const k = kernelFor(line.factorCode, line.id);
        table.kernels[at] = k;
        if (line.mass && line.distance) {
          const tonneKm = line.mass.amount * conversionFactor(line.mass.unit, "t", context) * line.distance.amount * conversionFactor(line.distance.unit, "km", context);
          table.activity[at] = tonneKm * kernelConversion(k, "tkm", context);
        } else {
          table.activity[at] = (line.amount ?? 0) * kernelConversion(k, line.unit ?? "tkm", context);
        }
        return;
      }
      case "process_emission": {
        const k = gasKernel(line.gas);
        table.kernels[at] = k;
        table.activity[at] = line.amount * kernelConversion(k, line.unit, context);
        return;
      }
      case "supplier_certificate": {
        const c = line.certificate;
        const use: FactorUse = { code: c.number, region: location, regionLevel: "national", year: referenceYear, boundary: "certified_footprint", demonstration: false, inline: true };
        const k = characterise(c.number, { co2e: { value: c.kgCO2ePerDeclaredUnit / c.declaredUnit.quantity, gwpSet: c.gwpSet } }, c.declaredUnit.unit, gwp, use);
        table.kernels[at] = k;
        table.activity[at] = line.amount * kernelConversion(k, line.unit, context);
        if (c.validUntil && c.validUntil < inventory.period.end) {
          warnings.push({
            code: "supplier_certificate_expired",
            message: bi(`供应商证书 ${c.number} 的有效期（${c.validUntil}）早于核算期结束`, `Supplier certificate ${c.number} expired (${c.validUntil}) before the reference period ended`),
            lineIds: [line.id],
          });
        }
        return;
      }
      case "electricity": {
        resolveElectricity(line, at, context);
        return;
      }
      case "sub_product": {
        const t = productIndex.get(line.productId);
        if (t === undefined) throw new UnknownProductError(line.productId, line.id);
        const owner = table.product[at] ?? 0;
        const amountInTargetUnit = line.amount * conversionFactor(line.unit, outputUnit[t] ?? "", context);
        table.target[at] = t;
        table.activity[at] = amountInTargetUnit;
        if (!line.excluded) {
          linkRows.push(t);
          linkCols.push(owner);
          linkValues.push(-amountInTargetUnit);
          edgesFrom[owner]?.push(t);
          if (t === owner) selfLoop[t] = 1;
        }
        return;
      }
    }
  }

  function resolveElectricity(line: Extract<InventoryLine, { kind: "electricity" }>, at: number, context: string): void {
    const supply = line.supply;
    switch (supply.type) {
      case "grid": {
        if (supply.factorCode) {
          const k = kernelFor(supply.factorCode, line.id);
          table.kernels[at] = k;
          table.activity[at] = line.amount * kernelConversion(k, line.unit, context);
          return;
        }
        const region = supply.region ?? location;
        const year = supply.year ?? referenceYear;
        const g = gridKernel(region, year);
        table.kernels[at] = g.kernel;
        table.activity[at] = line.amount * kernelConversion(g.kernel, line.unit, context);
        table.extras.set(at, { gridResolution: { requestedRegion: region, usedRegion: g.usedRegion, requestedYear: year, usedYear: g.usedYear } });
        if (g.usedRegion !== region) {
          const key = `${region}→${g.usedRegion}`;
          const list = gridFallbacks.get(key) ?? [];
          list.push(line.id);
          gridFallbacks.set(key, list);
        }
        return;
      }
      case "supplier": {
        const use: FactorUse = {
          code: `SUPPLIER:${supply.supplier}${supply.contractId ? `:${supply.contractId}` : ""}`,
          region: location,
          regionLevel: "province",
          year: supply.factor.year,
          boundary: "supplier_specific",
          demonstration: false,
          inline: true,
        };
        const k = characterise(use.code, supply.factor, "kWh", gwp, use);
        table.kernels[at] = k;
        table.activity[at] = line.amount * kernelConversion(k, line.unit, context);
        return;
      }
      case "onsite": {
        const k = kernelFor(supply.factorCode, line.id);
        table.kernels[at] = k;
        table.activity[at] = line.amount * kernelConversion(k, line.unit, context);
        return;
      }
      case "green_certificate": {
        const renewable = supply.factorCode
          ? kernelFor(supply.factorCode, line.id)
          : kernelFor(chooseRenewableFactor(dataset, datasetKey, supply.technology, referenceYear).code, line.id);
        const residual = gridKernel(location, referenceYear);
        const kWh = line.amount * conversionFactor(line.unit, "kWh", context);
        const uniqueIds = new Set(supply.certificateIds).size;
        const periodKWh = supply.periodKWh ?? kWh;
        // Only electricity backed by certificates gets the renewable factor (1 certificate =
        // 1 000 kWh); the rest of the claim is grid electricity at the location.
        const coveredShare = periodKWh > 0 ? Math.min(1, (uniqueIds * KWH_PER_CERTIFICATE) / periodKWh) : 1;
        const k = coveredShare === 1 ? renewable : blendKernels(renewable, coveredShare, residual.kernel, 1 - coveredShare, renewable.use);
        table.kernels[at] = k;
        table.activity[at] = kWh * kernelConversion(k, "kWh", context);
        table.extras.set(at, { greenCertificates: { ids: supply.certificateIds.length, uniqueIds, periodKWh, coveredShare } });
        for (const id of supply.certificateIds) {
          const users = certificateUse.get(id) ?? [];
          users.push(line.id);
          certificateUse.set(id, users);
        }
        if (coveredShare < 1) {
          warnings.push({
            code: "green_certificates_insufficient",
            message: bi(
              `清单行 ${line.id}：${uniqueIds} 张绿证仅覆盖 ${uniqueIds * KWH_PER_CERTIFICATE} kWh，申报 ${periodKWh} kWh；未覆盖部分按电网因子计算`,
              `Line ${line.id}: ${uniqueIds} green certificates cover ${uniqueIds * KWH_PER_CERTIFICATE} kWh of the ${periodKWh} kWh claimed; the rest is counted at the grid factor`,
            ),
            lineIds: [line.id],
          });
        }
        return;
      }
    }
  }

  // --- technosphere and supply ----------------------------------------------------------------
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  for (let j = 0; j < n; j++) {
    rows.push(j);
    cols.push(j);
    values.push(products[j]?.output.amount ?? 0);
  }
  rows.push(...linkRows);
  cols.push(...linkCols);
  values.push(...linkValues);
  const technosphere = fromTriplets(n, rows, cols, values);
  let factorization: Factorization;
  try {
    factorization = factorize(technosphere);
  } catch (e) {
    if (e instanceof SingularSystemError) throw new SingularProductSystemError(products[e.column]?.id ?? `#${e.column}`);
    throw e;
  }
  const demand = new Float64Array(n);
  demand[root] = inventory.declaredUnit.quantity * conversionFactor(inventory.declaredUnit.unit, outputUnit[root] ?? "", "declared unit → reference product output");
  const supply = factorization.solve(demand);
  for (let j = 0; j < n; j++) {
    if (!Number.isFinite(supply[j] ?? NaN)) throw new SingularProductSystemError(products[j]?.id ?? `#${j}`);
  }

  // --- pass 2: characterised contributions ----------------------------------------------------
  const contribution = new Float64Array(lineCount);
  const directPerRun = new Float64Array(n);
  const byStage = new Float64Array(STAGES.length);
  const gasMass = new Float64Array(GAS_SLOTS);
  const gasCo2e = new Float64Array(GAS_SLOTS);
  let total = 0;
  let fossil = 0;
  let biogenic = 0;
  let absolute = 0;
  let primaryAbsolute = 0;
  let dqrWeighted = 0;
  let dqrPlain = 0;
  let counted = 0;
  i = 0;
  for (let j = 0; j < n; j++) {
    const product = products[j];
    if (!product) continue;
    const s = supply[j] ?? 0;
    for (const line of product.lines) {
      const k = table.kernels[i];
      if (k && table.excluded[i] === 0) {
        const perRun = table.activity[i] ?? 0;
        const a = s * perRun;
        const c = a * k.co2e;
        contribution[i] = c;
        directPerRun[j] = (directPerRun[j] ?? 0) + perRun * k.co2e;
        total += c;
        byStage[STAGE_INDEX[line.stage]] = (byStage[STAGE_INDEX[line.stage]] ?? 0) + c;
        fossil += a * k.fossil;
        biogenic += a * k.biogenic;
        for (let g = 0; g < k.slots.length; g++) {
          const slot = k.slots[g] ?? 0;
          gasMass[slot] = (gasMass[slot] ?? 0) + a * (k.mass[g] ?? 0);
          gasCo2e[slot] = (gasCo2e[slot] ?? 0) + a * (k.slotCo2e[g] ?? 0);
        }
        const abs = Math.abs(c);
        const q = table.dqr[i] ?? 0;
        absolute += abs;
        if (line.dataType === "primary") primaryAbsolute += abs;
        dqrWeighted += abs * q;
        dqrPlain += q;
        counted++;
      }
      i++;
    }
  }
  // Cumulative footprint per unit of every product: h solves Aᵀ·h = d, so that total = h·f.
  const cumulative = factorization.solveTransposed(directPerRun);

  // --- pass 3: presentation objects -----------------------------------------------------------
  const byLine: LineResult[] = new Array(lineCount);
  const excluded: ExcludedResult[] = [];
  let excludedComputed = 0;
  i = 0;
  for (let j = 0; j < n; j++) {
    const product = products[j];
    if (!product) continue;
    const s = supply[j] ?? 0;
    for (const line of product.lines) {
      const k = table.kernels[i];
      const t = table.target[i] ?? -1;
      const isLink = t >= 0;
      const c = contribution[i] ?? 0;
      const extras = table.extras.get(i);
      const base = {
        productId: product.id,
        lineId: line.id,
        stage: line.stage,
        kind: line.kind,
        dataType: line.dataType,
        activity: s * (table.activity[i] ?? 0),
        activityUnit: isLink ? (outputUnit[t] ?? "") : (k?.unit ?? ""),
        kgCO2e: c,
        share: total !== 0 ? c / total : 0,
        dqr: table.dqr[i] ?? 0,
        factor: k?.use ?? null,
      };
      byLine[i] = isLink
        ? { ...base, embodiedKgCO2e: table.excluded[i] ? 0 : s * (table.activity[i] ?? 0) * (cumulative[t] ?? 0) }
        : extras
          ? { ...base, ...extras }
          : base;
      if (table.excluded[i]) {
        const estimate = k ? s * (table.activity[i] ?? 0) * k.co2e : isLink ? s * (table.activity[i] ?? 0) * (cumulative[t] ?? 0) : null;
        if (estimate !== null) excludedComputed += estimate;
        excluded.push({ productId: product.id, lineId: line.id, stage: line.stage, estimatedKgCO2e: estimate, estimatedShare: estimate === null ? (line.estimatedShare ?? null) : null });
      }
      i++;
    }
  }
  // Shares of excluded flows relative to the footprint had they been included.
  const withExcluded = total + excludedComputed;
  for (let x = 0; x < excluded.length; x++) {
    const e = excluded[x];
    if (e && e.estimatedKgCO2e !== null) excluded[x] = { ...e, estimatedShare: withExcluded !== 0 ? e.estimatedKgCO2e / withExcluded : 0 };
  }

  // --- products -------------------------------------------------------------------------------
  const inLoop = productsInLoops(n, edgesFrom, selfLoop);
  const byProduct: ProductResult[] = products.map((p, j) => ({
    productId: p.id,
    ...(p.name !== undefined ? { name: p.name } : {}),
    scaling: supply[j] ?? 0,
    producedAmount: (supply[j] ?? 0) * p.output.amount,
    unit: outputUnit[j] ?? p.output.unit,
    directKgCO2e: (supply[j] ?? 0) * (directPerRun[j] ?? 0),
    cumulativeKgCO2ePerUnit: cumulative[j] ?? 0,
    inLoop: inLoop[j] === 1,
  }));

  // --- warnings -------------------------------------------------------------------------------
  const listed = (ids: string[]) => ({ lineIds: ids.slice(0, MAX_LISTED_LINES), count: ids.length });
  if (outsideBoundary.length > 0) {
    warnings.push({
      code: "stage_outside_boundary",
      message: bi(`${outsideBoundary.length} 条清单行的阶段不在 ${pcrKey(pcr)} 的系统边界内`, `${outsideBoundary.length} line(s) sit in stages outside the boundary of ${pcrKey(pcr)}`),
      ...listed(outsideBoundary),
    });
  }
  for (const [key, ids] of gridFallbacks) {
    const [requested, used] = key.split("→");
    warnings.push({
      code: "grid_factor_fallback",
      message: bi(
        `因子库中没有「${requested}」的生命周期电网因子，使用了上级区域「${used}」的因子`,
        `No life-cycle grid factor for "${requested}" in the dataset; the enclosing region "${used}" was used`,
      ),
      ...listed(ids),
    });
  }
  for (const [id, users] of certificateUse) {
    if (users.length > 1) {
      warnings.push({ code: "green_certificate_reused", message: bi(`绿证 ${id} 在多条清单行中使用`, `Green certificate ${id} is claimed on more than one line`), lineIds: users });
    }
  }
  if (withoutScores.length > 0) {
    warnings.push({
      code: "missing_data_quality",
      message: bi(`${withoutScores.length} 条清单行没有数据质量评分，按最差（5）计`, `${withoutScores.length} line(s) have no data-quality scores and count as the worst score (5)`),
      ...listed(withoutScores),
    });
  }
  if (demonstrationLines.length > 0) {
    warnings.push({
      code: "demonstration_factors",
      message: bi(`${demonstrationLines.length} 条清单行使用了演示因子，结果不可用于认证`, `${demonstrationLines.length} line(s) use demonstration factors; the result cannot be certified`),
      ...listed(demonstrationLines),
    });
  }
  const negative = byProduct.filter((p) => p.scaling < 0).map((p) => p.productId);
  if (negative.length > 0) {
    warnings.push({
      code: "negative_supply",
      message: bi(`产品 ${negative.join("、")} 的需求量为负，请检查循环中的用量`, `Product(s) ${negative.join(", ")} have negative supply; check the amounts in loops`),
    });
  }

  const dqr = absolute > 0 ? dqrWeighted / absolute : counted > 0 ? dqrPlain / counted : 5;
  return {
    stamp: {
      calculator: { name: "carbonlabel-rules", version: CALCULATOR_VERSION },
      pcr: { code: pcr.code, version: pcr.version, contentSha256: published.contentSha256 },
      factorDataset: { id: dataset.id, version: dataset.version, demonstration: dataset.demonstration },
      gwpSet: gwp.id,
      inputSha256,
    },
    declaredUnit: { quantity: inventory.declaredUnit.quantity, unit: inventory.declaredUnit.unit },
    unit: RESULT_UNIT,
    total,
    byStage: STAGES.map((stage, s) => ({ stage, kgCO2e: byStage[s] ?? 0, share: total !== 0 ? (byStage[s] ?? 0) / total : 0 })),
    byGas: [
      ...GASES.flatMap((gas, g) => ((gasMass[g] ?? 0) !== 0 ? [{ gas, massKg: gasMass[g] ?? 0, kgCO2e: gasCo2e[g] ?? 0 }] : [])),
      ...((gasCo2e[AGGREGATED_SLOT] ?? 0) !== 0 ? [{ gas: "co2e_aggregated" as const, massKg: null, kgCO2e: gasCo2e[AGGREGATED_SLOT] ?? 0 }] : []),
    ],
    fossilKgCO2e: fossil,
    biogenicKgCO2e: biogenic,
    byLine,
    byProduct,
    excluded,
    primaryDataShare: absolute > 0 ? primaryAbsolute / absolute : 0,
    dataQuality: { dqr, rating: dqrRating(dqr), linesWithoutScores: withoutScores.length, caveat: DQR_CAVEAT },
    system: { products: n, links: linkRows.length, loops: inLoop.some((x) => x === 1) },
    warnings,
  };
}
