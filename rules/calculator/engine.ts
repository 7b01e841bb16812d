import { contentHash } from "../canonical.ts";
import { InvalidInventoryError } from "../errors.ts";
import type { FootprintResult } from "./result.ts";
import { InventorySchema, type Inventory } from "./schema.ts";
import { lineIssueMessage } from "./line-issues.ts";
import { accumulate } from "./steps/accumulate.ts";
import { buildMatrices } from "./steps/build-matrices.ts";
import { resolveFactors } from "./steps/resolve-factors.ts";
import { shapeResult, type CalculatedSystem } from "./steps/shape-result.ts";
import { cumulativeFootprints, solveSupply } from "./steps/solve.ts";
import { indexProducts, resolveStudy, type CalculationOptions } from "./steps/study.ts";

export type { CalculationOptions } from "./steps/study.ts";

/**
 * Validates plain data against InventorySchema; throws InvalidInventory listing every issue, each
 * with the message key the editor and the workbook import use for the same broken line.
 */
export function parseInventory(data: unknown): Inventory {
  const parsed = InventorySchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    throw new InvalidInventoryError(
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message, ...lineIssueMessage(i) })),
    );
  }
  return parsed.data;
}

/** Parse, then calculate: the entry point for untrusted JSON (API, CLI). */
export function calculateFootprintFromData(data: unknown, options: CalculationOptions = {}): FootprintResult {
  return calculateFootprint(parseInventory(data), options);
}

/**
 * Product carbon footprint of an inventory per declared unit.
 *
 * The product system is the technosphere matrix A (one column per modelled product: its output
 * on the diagonal, the sub-products it consumes as negative entries), the demand f (the declared
 * unit of the reference product), the supply s solving A·s = f exactly, and the characterised
 * direct emissions of every line; the score is Σ s_p · (line activity × CO2e per unit).
 *
 * Each step is a function of its own in ./steps/, in the order the equations need them.
 */
export function calculateFootprint(inventory: Inventory, options: CalculationOptions = {}): FootprintResult {
  return shapeResult(calculateSystem(inventory, options));
}

/** Every step but the last, keeping each intermediate value (what shapeResult reads; tests look at each). */
export function calculateSystem(inventory: Inventory, options: CalculationOptions = {}): CalculatedSystem {
  const study = resolveStudy(inventory, options);
  const inputSha256 = contentHash(inventory, options.canonicalMemo);
  const products = indexProducts(inventory);
  const lines = resolveFactors(inventory, study, products);
  const system = buildMatrices(inventory.products, lines.table, lines.links);
  const { factorization, supply } = solveSupply(inventory, products, system.technosphere);
  const totals = accumulate(inventory.products, lines.table, supply);
  const cumulative = cumulativeFootprints(factorization, totals.directPerRun);
  return { inventory, study, inputSha256, products, lines, system, supply, totals, cumulative };
}
