import { FootprintOutOfRangeError, type RulesError } from "../../errors.ts";
import type { ModelledProduct } from "../schema.ts";
import type { Accumulation } from "./accumulate.ts";
import { at, quantityField, type LineTable } from "./resolve-factors.ts";

/**
 * Step 4b: every figure of the footprint is a finite number. Each amount is finite, yet a product
 * or a sum of them may not be (1e308 t times a factor is Infinity; Infinity minus a credit is
 * NaN), and a result holding one would print as "Infinity" and be stored as null.
 *
 * A line whose own figures overflow is an error at its quantity; a product whose cumulative
 * footprint overflows with no such line is one at the product; the totals are named only when
 * no line or product explains them. One pass over the lines, allocating only for errors.
 */
export function outOfRange(
  products: readonly ModelledProduct[],
  table: LineTable,
  supply: Float64Array,
  totals: Accumulation,
  cumulative: Float64Array,
): RulesError[] {
  const errors: RulesError[] = [];
  let excludedSum = 0;
  let i = 0;
  for (let j = 0; j < products.length; j++) {
    const product = products[j];
    if (!product) continue;
    const s = supply[j] ?? 0;
    const before = errors.length;
    for (const line of product.lines) {
      const k = table.kernels[i];
      const perRun = table.activity[i] ?? 0;
      const t = table.target[i] ?? -1;
      // Per run and per declared unit, for emission lines and what an excluded line would add;
      // for links, what the line draws (its embodied footprint is judged at the product it draws).
      const perRunCo2e = k ? perRun * k.co2e : 0;
      const forDeclaredUnit = k ? s * perRunCo2e : t >= 0 ? s * perRun : 0;
      if (!Number.isFinite(perRunCo2e) || !Number.isFinite(forDeclaredUnit)) {
        errors.push(new FootprintOutOfRangeError(at(product, line, quantityField(line))));
      } else if (table.excluded[i] === 1) {
        excludedSum += k ? forDeclaredUnit : t >= 0 ? forDeclaredUnit * (cumulative[t] ?? 0) : 0;
      }
      i++;
    }
    if (errors.length === before && !Number.isFinite(cumulative[j] ?? 0)) errors.push(new FootprintOutOfRangeError({ productId: product.id }));
  }
  if (errors.length > 0) return errors;
  const figures = [totals.total, totals.fossil, totals.biogenic, totals.dqr, totals.primaryDataShare, totals.total + excludedSum];
  if (!figures.every(Number.isFinite) || ![totals.byStage, totals.gasMass, totals.gasCo2e].every((a) => a.every(Number.isFinite))) {
    errors.push(new FootprintOutOfRangeError({ field: "total" }));
  }
  return errors;
}
