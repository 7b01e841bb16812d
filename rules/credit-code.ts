/**
 * 统一社会信用代码 — the unified social credit code of GB 32100-2015: 18 characters from a
 * 31-character alphabet (no I, O, S, V, Z); the last one is a check character computed from the
 * first 17 with fixed weights, modulo 31.
 */
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type CreditCodeProblem = "length" | "characters" | "checkCharacter";

export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i] ?? "");
    if (value < 0) throw new RangeError(`not a credit-code character: ${first17[i]}`);
    sum += value * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Returns what is wrong with a code, or null when it is valid. */
export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code.length !== 18) return "length";
  if (![...code].every((ch) => ALPHABET.includes(ch))) return "characters";
  return creditCodeCheckCharacter(code.slice(0, 17)) === code[17] ? null : "checkCharacter";
}
