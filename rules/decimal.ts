import Decimal from "decimal.js";
import { RulesError } from "./errors.ts";

/**
 * Exact decimal arithmetic for the label decisions (docs/decisions/0012). A float that enters a
 * decision is read through its shortest round-trip text, the decimal a person typed or a page
 * shows, never through its binary value; after that only decimal operations touch it.
 *
 * The precision is high enough that every sum, difference and product the decisions take is
 * exact: a float's shortest text has at most 17 significant digits and a decimal exponent within
 * −324…308, so such a sum spans fewer than 700 digits and a product of two fewer than 40. No
 * decision divides; only the reduction's shown percentage is a quotient, rounded at this
 * precision, and its side of the threshold is taken from the exact comparison.
 */
const ExactDecimal = Decimal.clone({ precision: 1000, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });

export type Exact = Decimal;

/** A number a decision cannot take (not finite), named by the field it came in. */
export class InvalidDecisionInputError extends RulesError {
  readonly code = "InvalidDecisionInput";
  constructor(
    readonly field: string,
    readonly value: unknown,
  ) {
    super({
      zh: `判定输入「${field}」必须是有限数值，收到 ${String(value)}`,
      en: `Decision input "${field}" must be a finite number, got ${String(value)}`,
    });
  }
}

/** The exact decimal of a stored number: its shortest round-trip text (0.1 is 0.1, not 0.1000000000000000055…). */
export function exact(value: number, field: string): Exact {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new InvalidDecisionInputError(field, value);
  return new ExactDecimal(String(value));
}

/** The exact decimal of a text that is already a decimal (what a shown number reads as). */
function exactText(text: string): Exact {
  return new ExactDecimal(text);
}

export const ZERO: Exact = new ExactDecimal(0);

export function sum(values: Iterable<Exact>): Exact {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

/** −1, 0 or 1: which side of `threshold` a value lies on. */
export type Side = -1 | 0 | 1;

export function sideOf(value: Exact, threshold: Exact): Side {
  return value.cmp(threshold) as Side;
}

/** Text of a value rounded to `digits` more than the presentation's usual precision. */
export type Rounder = (value: Exact, moreDigits: number) => string;

/** Rounded to a fixed number of decimal places, half away from zero: `decimals(3)` shows 645 t as "645.000". */
export const decimals =
  (places: number): Rounder =>
  (value, more) =>
    value.toFixed(places + more);

/** Rounded to significant digits, half away from zero, without padding zeros: `significant(6)` shows 645.05875 as "645.059". */
export const significant =
  (digits: number): Rounder =>
  (value, more) =>
    value.toSignificantDigits(digits + more).toFixed();

/** Beyond this many extra digits the value is shown whole; no input of ours needs that many. */
const MAX_EXTRA_DIGITS = 60;

/**
 * A compared value as a sentence shows it next to its threshold: at the usual precision, unless
 * that rounding would land on the threshold or across it from where the value is (`side`, from
 * the exact comparison); then with as many more digits as it takes. So 0.10999 against 11 % reads
 * "10.999", never "11.00 … not met", and a value exactly at the threshold reads as the threshold.
 */
export function shownAgainst(value: Exact, threshold: Exact, side: Side, round: Rounder): string {
  for (let more = 0; more <= MAX_EXTRA_DIGITS; more++) {
    const text = round(value, more);
    if (sideOf(exactText(text), threshold) === side) return text;
  }
  return value.toFixed();
}

/** A threshold as written, never rounded, with at least `minDecimals` places: 0.11 as a percentage is "11.00", 0.125 is "12.50". */
export function thresholdText(value: Exact, minDecimals = 0): string {
  return value.toFixed(Math.max(minDecimals, value.decimalPlaces()));
}

/** A share (0..1) as a percentage, exactly: 0.11 → 11. */
export function percent(share: Exact): Exact {
  return share.times(100);
}
