/**
 * The calculator the application uses today. A result stores the version that produced it in its
 * stamp, so a stored result (what a body verified) keeps saying which calculator made it after a
 * release; pages that recalculate compare the stored result with what this calculator gives now.
 *
 * One registration per process (db/singleton.ts), so the server entry and the Remix build agree.
 * A release replaces the default by shipping a new rules/calculator; tests register a second
 * version to show that nothing certified moves when the calculator changes.
 */
import { singleton } from "../../db/singleton.ts";
import { calculateFootprint, type CalculationOptions } from "../../rules/calculator/index.ts";
import { CALCULATOR_VERSION, type FootprintResult } from "../../rules/calculator/result.ts";
import type { Inventory } from "../../rules/calculator/schema.ts";

export interface FootprintCalculator {
  /** What the results it makes carry as `stamp.calculator.version`. */
  readonly version: string;
  calculate(inventory: Inventory, options?: CalculationOptions): FootprintResult;
}

/** The calculator of rules/calculator, as released with this code. */
export const RULES_CALCULATOR: FootprintCalculator = {
  version: CALCULATOR_VERSION,
  calculate: (inventory, options) => calculateFootprint(inventory, options),
};

const registration = singleton<FootprintCalculator>("footprintCalculator", () => RULES_CALCULATOR);

/** The calculator pages and applications use now. */
export function currentCalculator(): FootprintCalculator {
  return registration.get();
}

/** Replaces the current calculator (a release in tests); `null` returns to the rules calculator. */
export function setCurrentCalculator(calculator: FootprintCalculator | null): void {
  registration.set(calculator ?? RULES_CALCULATOR);
}
