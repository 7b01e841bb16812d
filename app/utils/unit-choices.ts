/**
 * Units a line may be entered in. A line whose factor is known offers only units of the factor's
 * dimension (tonnes, kilograms … for a per-kg factor), so a unit that cannot be converted is never
 * on the list; the server still checks, because a form can be sent without this page.
 */
import { DIMENSIONS, findUnit, UNITS, type Dimension } from "../../rules/units.ts";

/** Codes of the units measuring the same thing as `unit`; empty for an unknown unit. */
export function unitsLike(unit: string): string[] {
  const dimension = findUnit(unit)?.dimension;
  return dimension ? UNITS.filter((u) => u.dimension === dimension).map((u) => u.code) : [];
}

/** Every unit grouped by dimension, for lines whose dimension is not fixed by a factor. */
export const UNIT_GROUPS: ReadonlyArray<{ dimension: Dimension; units: string[] }> = DIMENSIONS.map((dimension) => ({
  dimension,
  units: UNITS.filter((u) => u.dimension === dimension).map((u) => u.code),
}));

/** The unit's symbol as people write it (m³, t·km); the code for unknown units. */
export function unitSymbol(unit: string): string {
  return findUnit(unit)?.symbol ?? unit;
}
