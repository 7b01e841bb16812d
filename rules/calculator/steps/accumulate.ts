import { GAS_SLOTS } from "../kernels.ts";
import { countedDataType } from "../quality.ts";
import type { ModelledProduct } from "../schema.ts";
import { STAGE_INDEX, STAGES } from "../../stages.ts";
import type { LineTable } from "./resolve-factors.ts";

/** Sums over the included lines, each line's activity scaled by its product's supply. */
export interface Accumulation {
  /** kg CO2e of each line for the declared unit (0 for links and excluded lines). */
  readonly contribution: Float64Array;
  /** d: characterised direct emissions of one run of each product. */
  readonly directPerRun: Float64Array;
  /** By STAGE_INDEX. */
  readonly byStage: Float64Array;
  /** By gas slot (GASES order, then the aggregated-CO2e slot). */
  readonly gasMass: Float64Array;
  readonly gasCo2e: Float64Array;
  readonly total: number;
  readonly fossil: number;
  readonly biogenic: number;
  /** Share of |contributions| from primary data (an unverified supplier figure is never primary). */
  readonly primaryDataShare: number;
  /** Contribution-weighted DQR; the plain mean when nothing contributes; 5 without lines. */
  readonly dqr: number;
}

/**
 * Step 4: characterise and accumulate. Line i contributes s_p · activity_i · CO2e per unit of its
 * kernel, where p is its product; one pass over the lines, touching typed arrays only.
 */
export function accumulate(products: readonly ModelledProduct[], table: LineTable, supply: Float64Array): Accumulation {
  const n = products.length;
  const contribution = new Float64Array(table.product.length);
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
  let i = 0;
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
        if (countedDataType(line) === "primary") primaryAbsolute += abs;
        dqrWeighted += abs * q;
        dqrPlain += q;
        counted++;
      }
      i++;
    }
  }
  const dqr = absolute > 0 ? dqrWeighted / absolute : counted > 0 ? dqrPlain / counted : 5;
  const primaryDataShare = absolute > 0 ? primaryAbsolute / absolute : 0;
  return { contribution, directPerRun, byStage, gasMass, gasCo2e, total, fossil, biogenic, primaryDataShare, dqr };
}
