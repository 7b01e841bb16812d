import { GwpSetMismatchError } from "../errors.ts";
import type { EmissionFactor } from "../factors/schema.ts";
import { BIOGENIC_GASES, GAS_INDEX, GASES, type Gas, type GwpSet, type GwpSetId } from "../gwp.ts";
import type { OtherGwpSetRule } from "../pcr/schema.ts";
import { findRegion } from "../regions.ts";
import { canonicalUnit, conversionFactor } from "../units.ts";
import type { FactorUse } from "./result.ts";

/** Slot for CO2e given by aggregated factors (no gas split), after the real gases. */
export const AGGREGATED_SLOT = GASES.length;
export const GAS_SLOTS = GASES.length + 1;

/**
 * A factor characterised for the study's GWP set: everything the hot loop needs per unit of
 * activity, precomputed once per factor so that a line costs a lookup and a few multiplications.
 */
export interface Kernel {
  /** Canonical activity unit the per-unit values refer to. */
  readonly unit: string;
  readonly co2e: number;
  readonly fossil: number;
  readonly biogenic: number;
  readonly slots: Int32Array;
  readonly mass: Float64Array;
  readonly slotCo2e: Float64Array;
  readonly use: FactorUse | null;
  /** Line unit → multiplier into `unit`; filled lazily. */
  readonly conversions: Map<string, number>;
}

export function factorUse(f: EmissionFactor): FactorUse {
  return {
    code: f.code,
    region: f.region,
    regionLevel: findRegion(f.region)?.level ?? "national",
    year: f.year,
    boundary: f.boundary,
    demonstration: f.demonstration,
    inline: false,
  };
}

interface GasAmounts {
  readonly gases?: Partial<Record<Gas, number>> | undefined;
  readonly co2e?: { readonly value: number; readonly gwpSet: string; readonly biogenic?: number | undefined } | undefined;
}

/**
 * Characterises per-gas values or a CO2e value with the study's GWP set. A CO2e value aggregated
 * under another set cannot be characterised again: it is refused, unless `otherSet` is "disclose"
 * (the PCR accepts it as a disclosed deviation), when it is taken as given and its use says so.
 */
export function characterise(
  code: string,
  values: GasAmounts,
  unit: string,
  gwp: GwpSet,
  use: FactorUse | null,
  otherSet: OtherGwpSetRule = "refuse",
): Kernel {
  const slots: number[] = [];
  const mass: number[] = [];
  const slotCo2e: number[] = [];
  let fossil = 0;
  let biogenic = 0;
  if (values.gases) {
    for (const gas of GASES) {
      const m = values.gases[gas];
      if (m === undefined || m === 0) continue;
      const e = m * gwp.factors[gas];
      slots.push(GAS_INDEX[gas]);
      mass.push(m);
      slotCo2e.push(e);
      if (BIOGENIC_GASES.has(gas)) biogenic += e;
      else fossil += e;
    }
  } else if (values.co2e) {
    // Aggregated CO2e cannot be recharacterised: it is only valid under the set it was made with.
    if (values.co2e.gwpSet !== gwp.id) {
      if (otherSet !== "disclose") throw new GwpSetMismatchError(code, values.co2e.gwpSet, gwp.id);
      if (use) use = { ...use, otherGwpSet: values.co2e.gwpSet as GwpSetId };
    }
    const bio = values.co2e.biogenic ?? 0;
    slots.push(AGGREGATED_SLOT);
    mass.push(values.co2e.value);
    slotCo2e.push(values.co2e.value);
    biogenic += bio;
    fossil += values.co2e.value - bio;
  }
  return {
    unit: canonicalUnit(unit),
    co2e: fossil + biogenic,
    fossil,
    biogenic,
    slots: Int32Array.from(slots),
    mass: Float64Array.from(mass),
    slotCo2e: Float64Array.from(slotCo2e),
    use,
    conversions: new Map(),
  };
}

/** Weighted sum of two kernels with the same unit (green-certificate coverage blends). */
export function blendKernels(a: Kernel, wa: number, b: Kernel, wb: number, use: FactorUse | null): Kernel {
  const bySlot = new Map<number, { mass: number; co2e: number }>();
  const add = (k: Kernel, w: number) => {
    for (let i = 0; i < k.slots.length; i++) {
      const slot = k.slots[i] ?? 0;
      const cur = bySlot.get(slot) ?? { mass: 0, co2e: 0 };
      cur.mass += w * (k.mass[i] ?? 0);
      cur.co2e += w * (k.slotCo2e[i] ?? 0);
      bySlot.set(slot, cur);
    }
  };
  if (wa !== 0) add(a, wa);
  if (wb !== 0) add(b, wb);
  const ordered = [...bySlot.entries()].sort((x, y) => x[0] - y[0]);
  return {
    unit: a.unit,
    co2e: wa * a.co2e + wb * b.co2e,
    fossil: wa * a.fossil + wb * b.fossil,
    biogenic: wa * a.biogenic + wb * b.biogenic,
    slots: Int32Array.from(ordered.map(([s]) => s)),
    mass: Float64Array.from(ordered.map(([, v]) => v.mass)),
    slotCo2e: Float64Array.from(ordered.map(([, v]) => v.co2e)),
    use,
    conversions: new Map(),
  };
}

/** Multiplier turning an amount in `lineUnit` into the kernel's unit (cached per kernel). */
export function kernelConversion(k: Kernel, lineUnit: string, context: string): number {
  let c = k.conversions.get(lineUnit);
  if (c === undefined) {
    c = conversionFactor(lineUnit, k.unit, context);
    k.conversions.set(lineUnit, c);
  }
  return c;
}
