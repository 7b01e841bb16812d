/**
 * Presentation of computed quantities. The engine computes in float64 and keeps full precision;
 * only the presentation layer rounds, always to a stated number of significant digits, and always
 * as a plain decimal string (never exponent notation) with its unit beside it, so what a
 * certificate prints is the exact decimal a reader sees.
 */

export interface PresentedQuantity {
  /** Plain decimal string, e.g. "1234.57". */
  readonly value: string;
  readonly unit: string;
}

/**
 * The float64 value as a plain decimal string that round-trips exactly (shortest representation,
 * exponent expanded). This is what goes into a database `numeric` column.
 */
export function toDecimalString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  if (Object.is(value, -0)) return "0";
  return expandExponent(String(value));
}

/** Rounds to `significantDigits` (half away from zero on the decimal expansion) for display. */
export function roundToSignificant(value: number, significantDigits: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  if (!Number.isInteger(significantDigits) || significantDigits < 1 || significantDigits > 21) {
    throw new RangeError(`significantDigits must be an integer in 1..21, got ${significantDigits}`);
  }
  if (value === 0) return "0";
  // Round the exact shortest decimal, not the binary value: 2.675 displays as 2.68 as a reader expects.
  // Trailing zeros are kept (0.5 at 3 digits → "0.500"): they state the precision shown.
  return padToSignificant(roundDecimalString(toDecimalString(value), significantDigits), significantDigits);
}

/** Rounds to a fixed number of decimal places (for shares in %, tonnes with 3 decimals, …). */
export function roundToDecimals(value: number, decimals: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const s = toDecimalString(value);
  const negative = s.startsWith("-");
  const [intPart = "0", fracPart = ""] = (negative ? s.slice(1) : s).split(".");
  if (fracPart.length <= decimals) {
    const padded = decimals > 0 ? `${intPart}.${fracPart.padEnd(decimals, "0")}` : intPart;
    return negative && !/^[0.]+$/.test(padded) ? `-${padded}` : padded;
  }
  const digits = intPart + fracPart.slice(0, decimals);
  const next = fracPart.charCodeAt(decimals) - 48;
  const rounded = next >= 5 ? incrementDigits(digits) : digits;
  const intLen = rounded.length - decimals;
  const out = decimals > 0 ? `${rounded.slice(0, intLen) || "0"}.${rounded.slice(intLen)}` : rounded;
  const normalised = out.replace(/^0+(?=\d)/, "");
  return negative && !/^[0.]+$/.test(normalised) ? `-${normalised}` : normalised;
}

export function formatQuantity(value: number, unit: string, significantDigits = 4): PresentedQuantity {
  return { value: roundToSignificant(value, significantDigits), unit };
}

/** A share (0..1) as a percentage string with `decimals` decimals, e.g. 0.11 → "11.00". */
export function formatPercent(share: number, decimals = 2): string {
  return roundToDecimals(share * 100, decimals);
}

function expandExponent(s: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!match) return s;
  const [, sign = "", intDigits = "", fracDigits = "", expText = "0"] = match;
  const exp = Number(expText);
  const digits = intDigits + fracDigits;
  const point = intDigits.length + exp;
  let out: string;
  if (point <= 0) out = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + out;
}

function roundDecimalString(s: string, significant: number): string {
  const negative = s.startsWith("-");
  const body = negative ? s.slice(1) : s;
  const [intPart = "0", fracPart = ""] = body.split(".");
  const all = intPart + fracPart;
  const firstNonZero = all.search(/[1-9]/);
  if (firstNonZero < 0) return "0";
  const keep = firstNonZero + significant;
  if (keep >= all.length) return s;
  let digits = all.slice(0, keep);
  if (all.charCodeAt(keep) - 48 >= 5) digits = incrementDigits(digits);
  // incrementDigits may add a leading digit (999 → 1000); keep the decimal point where it was.
  const shift = digits.length - keep;
  const intLen = intPart.length + shift;
  let out: string;
  if (intLen >= digits.length) out = digits + "0".repeat(intLen - digits.length);
  else out = `${digits.slice(0, intLen) || "0"}.${digits.slice(intLen)}`;
  out = out.replace(/^0+(?=\d)/, "");
  // A carry (999.96 → 1000.0, 0.0996 → 0.100) adds a digit; drop fractional zeros beyond the precision.
  while (out.includes(".") && out.endsWith("0") && significantCount(out) > significant) out = out.slice(0, -1);
  if (out.endsWith(".")) out = out.slice(0, -1);
  return negative ? `-${out}` : out;
}

function significantCount(s: string): number {
  const digits = s.replace(/^-/, "").replace(".", "");
  const first = digits.search(/[1-9]/);
  return first < 0 ? 0 : digits.length - first;
}

function incrementDigits(digits: string): string {
  const chars = digits.split("");
  let i = chars.length - 1;
  while (i >= 0) {
    if (chars[i] === "9") {
      chars[i] = "0";
      i--;
    } else {
      chars[i] = String.fromCharCode((chars[i] ?? "0").charCodeAt(0) + 1);
      return chars.join("");
    }
  }
  return `1${chars.join("")}`;
}

function padToSignificant(s: string, significant: number): string {
  const digits = s.replace(/^-/, "").replace(".", "");
  const firstNonZero = digits.search(/[1-9]/);
  const shown = firstNonZero < 0 ? 0 : digits.length - firstNonZero;
  if (shown >= significant) return s;
  const missing = significant - shown;
  return s.includes(".") ? s + "0".repeat(missing) : `${s}.${"0".repeat(missing)}`;
}
