import { formatPercent, formatQuantity, toDecimalString, type PresentedQuantity } from "../format.ts";
import type { FootprintResult } from "./result.ts";

/**
 * The display form of a result: every CO2e figure as a decimal string with its unit, rounded to
 * `significantDigits` only here, plus the exact (shortest round-trip) decimal for storage.
 */
export interface PresentedFootprint {
  readonly total: PresentedQuantity & { readonly exact: string; readonly per: string };
  readonly byStage: ReadonlyArray<{ readonly stage: string; readonly value: PresentedQuantity; readonly sharePercent: string }>;
  readonly byGas: ReadonlyArray<{ readonly gas: string; readonly value: PresentedQuantity; readonly mass: PresentedQuantity | null }>;
  readonly fossil: PresentedQuantity;
  readonly biogenic: PresentedQuantity;
  readonly primaryDataSharePercent: string;
}

export function presentFootprint(result: FootprintResult, significantDigits = 4): PresentedFootprint {
  const unit = result.unit;
  return {
    total: {
      ...formatQuantity(result.total, unit, significantDigits),
      exact: toDecimalString(result.total),
      per: `${result.declaredUnit.quantity} ${result.declaredUnit.unit}`,
    },
    byStage: result.byStage.map((s) => ({
      stage: s.stage,
      value: formatQuantity(s.kgCO2e, unit, significantDigits),
      sharePercent: formatPercent(s.share),
    })),
    byGas: result.byGas.map((g) => ({
      gas: g.gas,
      value: formatQuantity(g.kgCO2e, unit, significantDigits),
      mass: g.massKg === null ? null : formatQuantity(g.massKg, "kg", significantDigits),
    })),
    fossil: formatQuantity(result.fossilKgCO2e, unit, significantDigits),
    biogenic: formatQuantity(result.biogenicKgCO2e, unit, significantDigits),
    primaryDataSharePercent: formatPercent(result.primaryDataShare),
  };
}
