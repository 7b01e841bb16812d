import { GASES } from "../../gwp.ts";
import { pcrKey } from "../../pcr/schema.ts";
import { STAGES } from "../../stages.ts";
import { AGGREGATED_SLOT } from "../kernels.ts";
import { calculationWarning, type CalculationNotice } from "../messages.ts";
import { countedDataType, DQR_CAVEAT, dqrRating } from "../quality.ts";
import { CALCULATOR_VERSION, RESULT_UNIT, type ExcludedResult, type FootprintResult, type LineResult, type ProductResult } from "../result.ts";
import type { Inventory } from "../schema.ts";
import type { Accumulation } from "./accumulate.ts";
import type { ProductSystem } from "./build-matrices.ts";
import type { LineTable, ResolutionNotes, ResolvedLines } from "./resolve-factors.ts";
import type { ProductIndex, Study } from "./study.ts";

/** Everything the earlier steps produced, from which the result is shaped. */
export interface CalculatedSystem {
  readonly inventory: Inventory;
  readonly study: Study;
  readonly inputSha256: string;
  readonly products: ProductIndex;
  readonly lines: ResolvedLines;
  readonly system: ProductSystem;
  readonly supply: Float64Array;
  readonly totals: Accumulation;
  /** h: cumulative footprint per unit of each product. */
  readonly cumulative: Float64Array;
}

/** Step 5: the result object, with the bilingual warnings produced from the steps' notices. */
export function shapeResult(calc: CalculatedSystem): FootprintResult {
  const { inventory, study, totals } = calc;
  const { byLine, excluded } = shapeLines(calc);
  const byProduct = shapeProducts(calc);
  const notices = collectNotices(calc.lines.notes, pcrKey(study.pcr), byProduct);
  const total = totals.total;
  return {
    stamp: {
      calculator: { name: "carbonlabel-rules", version: CALCULATOR_VERSION },
      pcr: { code: study.pcr.code, version: study.pcr.version, contentSha256: study.published.contentSha256 },
      factorDataset: { id: study.dataset.id, version: study.dataset.version, demonstration: study.dataset.demonstration },
      factorDatasetContentSha256: study.datasetSha256,
      gwpSet: study.gwp.id,
      inputSha256: calc.inputSha256,
    },
    declaredUnit: { quantity: inventory.declaredUnit.quantity, unit: inventory.declaredUnit.unit },
    unit: RESULT_UNIT,
    total,
    byStage: STAGES.map((stage, s) => ({ stage, kgCO2e: totals.byStage[s] ?? 0, share: total !== 0 ? (totals.byStage[s] ?? 0) / total : 0 })),
    byGas: shapeGases(totals),
    fossilKgCO2e: totals.fossil,
    biogenicKgCO2e: totals.biogenic,
    byLine,
    byProduct,
    excluded,
    primaryDataShare: totals.primaryDataShare,
    dataQuality: { dqr: totals.dqr, rating: dqrRating(totals.dqr), linesWithoutScores: calc.lines.notes.withoutScores.length, caveat: DQR_CAVEAT },
    system: { products: calc.inventory.products.length, links: calc.system.links, loops: calc.system.inLoop.some((x) => x === 1) },
    warnings: notices.map(calculationWarning),
    ...(calc.lines.notes.unusable.length > 0 ? { incomplete: { lines: calc.lines.notes.unusable } } : {}),
  };
}

/** Gases with mass, in GASES order, then CO2e given without a gas split. */
function shapeGases(totals: Accumulation): FootprintResult["byGas"] {
  const { gasMass, gasCo2e } = totals;
  return [
    ...GASES.flatMap((gas, g) => ((gasMass[g] ?? 0) !== 0 ? [{ gas, massKg: gasMass[g] ?? 0, kgCO2e: gasCo2e[g] ?? 0 }] : [])),
    ...((gasCo2e[AGGREGATED_SLOT] ?? 0) !== 0 ? [{ gas: "co2e_aggregated" as const, massKg: null, kgCO2e: gasCo2e[AGGREGATED_SLOT] ?? 0 }] : []),
  ];
}

/**
 * Every line's result, and the excluded flows with what they would have added. A line left out
 * because it cannot be calculated has neither: the result lists it under `incomplete` instead.
 */
export function shapeLines(calc: CalculatedSystem): { byLine: LineResult[]; excluded: ExcludedResult[] } {
  const { inventory, supply, cumulative } = calc;
  const table: LineTable = calc.lines.table;
  const outputUnit = calc.products.outputUnit;
  const { contribution, total } = calc.totals;
  const products = inventory.products;
  const byLine: LineResult[] = new Array(table.product.length);
  const excluded: ExcludedResult[] = [];
  let excludedComputed = 0;
  let i = 0;
  for (let j = 0; j < products.length; j++) {
    const product = products[j];
    if (!product) continue;
    const s = supply[j] ?? 0;
    for (const line of product.lines) {
      if (table.unusable[i] === 1) {
        i++;
        continue;
      }
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
        // As counted in the primary-data share: a supplier-declared figure is secondary.
        dataType: countedDataType(line),
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
        excluded.push({
          productId: product.id,
          lineId: line.id,
          stage: line.stage,
          estimatedKgCO2e: estimate,
          estimatedShare: estimate === null ? (line.estimatedShare ?? null) : null,
        });
      }
      i++;
    }
  }
  // Only lines left out leave holes in the array (it is sized for every line, the common case).
  const calculated = calc.lines.notes.unusable.length > 0 ? byLine.filter((l) => l !== undefined) : byLine;
  return { byLine: calculated, excluded: withEstimatedShares(excluded, total + excludedComputed) };
}

/** Shares of excluded flows relative to the footprint had they been included. */
function withEstimatedShares(excluded: ExcludedResult[], withExcluded: number): ExcludedResult[] {
  for (let x = 0; x < excluded.length; x++) {
    const e = excluded[x];
    if (e && e.estimatedKgCO2e !== null) excluded[x] = { ...e, estimatedShare: withExcluded !== 0 ? e.estimatedKgCO2e / withExcluded : 0 };
  }
  return excluded;
}

export function shapeProducts(calc: CalculatedSystem): ProductResult[] {
  const { supply, cumulative } = calc;
  const { directPerRun } = calc.totals;
  const { outputUnit } = calc.products;
  const inLoop = calc.system.inLoop;
  return calc.inventory.products.map((p, j) => ({
    productId: p.id,
    ...(p.name !== undefined ? { name: p.name } : {}),
    scaling: supply[j] ?? 0,
    producedAmount: (supply[j] ?? 0) * p.output.amount,
    unit: outputUnit[j] ?? p.output.unit,
    directKgCO2e: (supply[j] ?? 0) * (directPerRun[j] ?? 0),
    cumulativeKgCO2ePerUnit: cumulative[j] ?? 0,
    inLoop: inLoop[j] === 1,
  }));
}

/** The calculation's notices in the order results list them: line by line first, then about the whole system. */
export function collectNotices(notes: ResolutionNotes, pcr: string, byProduct: readonly ProductResult[]): CalculationNotice[] {
  const notices: CalculationNotice[] = [];
  // First: the result covers only part of the inventory.
  if (notes.unusable.length > 0) notices.push({ code: "lines_unusable", lineIds: notes.unusable.map((l) => l.lineId) });
  notices.push(...notes.lineNotices);
  if (notes.outsideBoundary.length > 0) notices.push({ code: "stage_outside_boundary", pcr, lineIds: notes.outsideBoundary });
  for (const { requestedRegion, usedRegion, lineIds } of notes.gridFallbacks.values()) {
    notices.push({ code: "grid_factor_fallback", requestedRegion, usedRegion, lineIds });
  }
  for (const [certificate, lineIds] of notes.certificateUse) {
    if (lineIds.length > 1) notices.push({ code: "green_certificate_reused", certificate, lineIds });
  }
  if (notes.withoutScores.length > 0) notices.push({ code: "missing_data_quality", lineIds: notes.withoutScores });
  if (notes.demonstrationLines.length > 0) notices.push({ code: "demonstration_factors", lineIds: notes.demonstrationLines });
  if (notes.otherGwpSetLines.length > 0) notices.push({ code: "other_gwp_set_factors", lineIds: notes.otherGwpSetLines });
  const negative = byProduct.filter((p) => p.scaling < 0).map((p) => p.productId);
  if (negative.length > 0) notices.push({ code: "negative_supply", productIds: negative });
  return notices;
}
