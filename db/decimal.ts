/**
 * The one place where `numeric` values (kg CO2e, amounts) cross between the database's exact
 * decimal strings and the calculator's float64 numbers. Writing goes through `toNumeric`, which
 * refuses NaN and infinities and keeps up to 17 significant digits so a stored value reads back
 * as the same float.
 */
export function fromNumeric(value: string): number;
export function fromNumeric(value: string | null): number | null;
export function fromNumeric(value: string | null): number | null {
  if (value === null) return null;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new RangeError(`numeric value ${value} is not a finite number`);
  return n;
}

export function toNumeric(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot store ${value} as numeric`);
  // Shortest round-trip representation, without exponent notation (numeric accepts it, humans prefer not).
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(Math.min(100, Math.max(0, 20 - Math.floor(Math.log10(Math.abs(value))))));
}
