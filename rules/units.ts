import { UnitMismatchError, UnknownUnitError } from "./errors.ts";

/**
 * Units of measure with their physical dimension and an exact rational factor to the dimension's
 * base unit. Conversion multiplies by numerator and divides by denominator of the reduced ratio,
 * so every conversion between two decimal-defined units costs at most two roundings.
 *
 * Electricity (kWh) is deliberately a dimension of its own, separate from heat/fuel energy (MJ):
 * a factor per kWh of electricity must never be fed a quantity of fuel energy, and vice versa.
 */
export const DIMENSIONS = ["mass", "energy", "electricity", "volume", "area", "length", "count", "mass_distance", "time", "power"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface UnitDefinition {
  readonly code: string;
  readonly symbol: string;
  readonly dimension: Dimension;
  /** Size of one unit in the base unit of its dimension, as an exact fraction. */
  readonly numerator: number;
  readonly denominator: number;
  readonly name: { readonly zh: string; readonly en: string };
}

function unit(code: string, symbol: string, dimension: Dimension, numerator: number, denominator: number, zh: string, en: string): UnitDefinition {
  return Object.freeze({ code, symbol, dimension, numerator, denominator, name: Object.freeze({ zh, en }) });
}

/** Base units: kg, MJ, kWh, m³, m², m, piece, t·km, s, kW. */
export const UNITS: readonly UnitDefinition[] = Object.freeze([
  unit("mg", "mg", "mass", 1, 1_000_000, "毫克", "milligram"),
  unit("g", "g", "mass", 1, 1_000, "克", "gram"),
  unit("kg", "kg", "mass", 1, 1, "千克", "kilogram"),
  unit("t", "t", "mass", 1_000, 1, "吨", "tonne"),
  unit("kt", "kt", "mass", 1_000_000, 1, "千吨", "kilotonne"),
  unit("Mt", "Mt", "mass", 1_000_000_000, 1, "百万吨", "megatonne"),

  unit("kJ", "kJ", "energy", 1, 1_000, "千焦", "kilojoule"),
  unit("MJ", "MJ", "energy", 1, 1, "兆焦", "megajoule"),
  unit("GJ", "GJ", "energy", 1_000, 1, "吉焦", "gigajoule"),
  unit("TJ", "TJ", "energy", 1_000_000, 1, "太焦", "terajoule"),
  // Standard coal equivalent: 1 kgce = 7 000 kcal = 29 307.6 kJ (GB/T 2589-2020, 3.7 and 4.2).
  unit("kgce", "kgce", "energy", 293_076, 10_000, "千克标准煤", "kilogram of coal equivalent"),
  unit("tce", "tce", "energy", 293_076, 10, "吨标准煤", "tonne of coal equivalent"),

  unit("Wh", "Wh", "electricity", 1, 1_000, "瓦时", "watt-hour"),
  unit("kWh", "kWh", "electricity", 1, 1, "千瓦时", "kilowatt-hour"),
  unit("MWh", "MWh", "electricity", 1_000, 1, "兆瓦时", "megawatt-hour"),
  unit("GWh", "GWh", "electricity", 1_000_000, 1, "吉瓦时", "gigawatt-hour"),

  unit("mL", "mL", "volume", 1, 1_000_000, "毫升", "millilitre"),
  unit("L", "L", "volume", 1, 1_000, "升", "litre"),
  unit("m3", "m³", "volume", 1, 1, "立方米", "cubic metre"),
  unit("10^4m3", "10⁴ m³", "volume", 10_000, 1, "万立方米", "ten thousand cubic metres"),

  unit("cm2", "cm²", "area", 1, 10_000, "平方厘米", "square centimetre"),
  unit("m2", "m²", "area", 1, 1, "平方米", "square metre"),
  unit("ha", "ha", "area", 10_000, 1, "公顷", "hectare"),
  unit("km2", "km²", "area", 1_000_000, 1, "平方千米", "square kilometre"),

  unit("mm", "mm", "length", 1, 1_000, "毫米", "millimetre"),
  unit("cm", "cm", "length", 1, 100, "厘米", "centimetre"),
  unit("m", "m", "length", 1, 1, "米", "metre"),
  unit("km", "km", "length", 1_000, 1, "千米", "kilometre"),

  unit("piece", "piece", "count", 1, 1, "件", "piece"),
  unit("pair", "pair", "count", 2, 1, "双", "pair"),
  unit("thousand_pieces", "1000 pieces", "count", 1_000, 1, "千件", "thousand pieces"),

  unit("kgkm", "kg·km", "mass_distance", 1, 1_000, "千克公里", "kilogram-kilometre"),
  unit("tkm", "t·km", "mass_distance", 1, 1, "吨公里", "tonne-kilometre"),

  unit("s", "s", "time", 1, 1, "秒", "second"),
  unit("min", "min", "time", 60, 1, "分钟", "minute"),
  unit("h", "h", "time", 3_600, 1, "小时", "hour"),
  unit("d", "d", "time", 86_400, 1, "天", "day"),

  unit("W", "W", "power", 1, 1_000, "瓦", "watt"),
  unit("kW", "kW", "power", 1, 1, "千瓦", "kilowatt"),
  unit("MW", "MW", "power", 1_000, 1, "兆瓦", "megawatt"),
]);

/** Spellings people type for the same unit; the canonical code is what the data stores. */
const ALIASES: Readonly<Record<string, string>> = {
  "m³": "m3",
  "m^3": "m3",
  "m²": "m2",
  "m^2": "m2",
  "km²": "km2",
  "cm²": "cm2",
  l: "L",
  ml: "mL",
  "t·km": "tkm",
  "t*km": "tkm",
  "t.km": "tkm",
  "t km": "tkm",
  "kg·km": "kgkm",
  "kg*km": "kgkm",
  "kg.km": "kgkm",
  pcs: "piece",
  pc: "piece",
  unit: "piece",
  item: "piece",
  kwh: "kWh",
  mwh: "MWh",
  gwh: "GWh",
  kWp: "kW",
  万立方米: "10^4m3",
  "10⁴m3": "10^4m3",
  "10⁴ m³": "10^4m3",
};

const BY_CODE: ReadonlyMap<string, UnitDefinition> = new Map(UNITS.map((u) => [u.code, u]));

export function findUnit(codeOrAlias: string): UnitDefinition | undefined {
  return BY_CODE.get(codeOrAlias) ?? BY_CODE.get(ALIASES[codeOrAlias] ?? "");
}

export function getUnit(codeOrAlias: string): UnitDefinition {
  const found = findUnit(codeOrAlias);
  if (!found) throw new UnknownUnitError(codeOrAlias);
  return found;
}

/** The canonical code of a unit, accepting aliases such as "m³" or "t·km". */
export function canonicalUnit(codeOrAlias: string): string {
  return getUnit(codeOrAlias).code;
}

export function isKnownUnit(codeOrAlias: string): boolean {
  return findUnit(codeOrAlias) !== undefined;
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) {
    const r = x % y;
    x = y;
    y = r;
  }
  return x;
}

/** The exact ratio from → to as a reduced fraction [numerator, denominator]. */
export function conversionRatio(from: string, to: string, context?: string): readonly [number, number] {
  const a = getUnit(from);
  const b = getUnit(to);
  if (a.dimension !== b.dimension) {
    throw new UnitMismatchError(from, to, a.dimension, b.dimension, context);
  }
  // (aN/aD) / (bN/bD) = aN·bD / (aD·bN); all factors are small integers so the products stay exact.
  const num = a.numerator * b.denominator;
  const den = a.denominator * b.numerator;
  const g = gcd(num, den);
  return [num / g, den / g];
}

/** Multiplier turning an amount in `from` into an amount in `to`. */
export function conversionFactor(from: string, to: string, context?: string): number {
  const [num, den] = conversionRatio(from, to, context);
  return num / den;
}

export function convert(amount: number, from: string, to: string, context?: string): number {
  const [num, den] = conversionRatio(from, to, context);
  if (num === den) return amount;
  return den === 1 ? amount * num : (amount * num) / den;
}

export function dimensionOf(codeOrAlias: string): Dimension {
  return getUnit(codeOrAlias).dimension;
}

/** Throws UnitMismatch unless both units measure the same dimension. */
export function assertSameDimension(a: string, b: string, context?: string): void {
  const ua = getUnit(a);
  const ub = getUnit(b);
  if (ua.dimension !== ub.dimension) throw new UnitMismatchError(a, b, ua.dimension, ub.dimension, context);
}
