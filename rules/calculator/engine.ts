import { contentHash } from "../canonical.ts";
import { InvalidInventoryError, InventoryRefusedError, refuseIfAny, RulesError } from "../errors.ts";
import type { z } from "zod";
import type { FootprintResult } from "./result.ts";
import { InventorySchema, type Inventory } from "./schema.ts";
import { inputErrorsOf } from "./line-issues.ts";
import { accumulate } from "./steps/accumulate.ts";
import { buildMatrices } from "./steps/build-matrices.ts";
import { outOfRange } from "./steps/check-finite.ts";
import { resolveFactors } from "./steps/resolve-factors.ts";
import { shapeResult, type CalculatedSystem } from "./steps/shape-result.ts";
import { cumulativeFootprints, solveSupply } from "./steps/solve.ts";
import { indexProducts, resolveStudy, type CalculationOptions, type Study } from "./steps/study.ts";

export type { CalculationOptions, StagePolicy, UnusableLinePolicy } from "./steps/study.ts";

/**
 * Validates plain data against the published InventorySchema (strict: an unknown member is an
 * error at its path); throws InvalidInventory listing every fault, each located and with the
 * message key the editor and the workbook import use for the same broken line.
 */
export function parseInventory(data: unknown): Inventory {
  const parsed = InventorySchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new InvalidInventoryError(inputErrorsOf(data, parsed.error.issues));
  return parsed.data;
}

/**
 * Untrusted JSON (API, CLI) → the parsed inventory and its footprint. Refuses with every error it
 * can find at once: when the input breaks the schema, the lines that do parse are still checked
 * against the PCR, the dataset and the units, so one answer names both the unknown member on one
 * line and the missing factor on another.
 */
export function calculateFromData(data: unknown, options: CalculationOptions = {}): { inventory: Inventory; result: FootprintResult } {
  const parsed = InventorySchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const invalid = new InvalidInventoryError(inputErrorsOf(data, parsed.error.issues));
    const further = errorsOfValidLines(data, parsed.error.issues, options);
    throw further.length > 0 ? new InventoryRefusedError([invalid, ...further]) : invalid;
  }
  return { inventory: parsed.data, result: calculateFootprint(parsed.data, options) };
}

/** Parse, then calculate: the footprint of untrusted JSON. */
export function calculateFootprintFromData(data: unknown, options: CalculationOptions = {}): FootprintResult {
  return calculateFromData(data, options).result;
}

/**
 * What the calculation would refuse in an inventory, without calculating: the PCR, dataset and
 * location it names, its products, and every line (see resolveFactors). Empty when it would run.
 */
export function inventoryErrors(inventory: Inventory, options: CalculationOptions = {}): RulesError[] {
  let study: Study;
  try {
    study = resolveStudy(inventory, options);
  } catch (e) {
    if (!(e instanceof RulesError)) throw e;
    return [...e.errors];
  }
  const errors: RulesError[] = [];
  resolveFactors(inventory, study, indexProducts(inventory, errors), errors);
  return errors;
}

/**
 * The errors of the lines that parse, in input that does not: only when every schema fault is
 * inside a line (the header and the products parse), and those lines set aside, is the rest
 * checked as an inventory. A line at fault is not checked further, so nothing is reported twice.
 */
function errorsOfValidLines(data: unknown, issues: readonly z.core.$ZodIssue[], options: CalculationOptions): RulesError[] {
  const faulty = new Set<string>();
  for (const { path } of issues) {
    const [products, p, lines, l] = path;
    if (products !== "products" || typeof p !== "number" || lines !== "lines" || typeof l !== "number") return [];
    faulty.add(`${p}/${l}`);
  }
  const input = data as { products: Array<{ lines: unknown[] }> };
  const rest = InventorySchema.safeParse({
    ...input,
    products: input.products.map((product, p) => ({ ...product, lines: product.lines.filter((_, l) => !faulty.has(`${p}/${l}`)) })),
  });
  return rest.success ? inventoryErrors(rest.data, options) : [];
}

/**
 * Product carbon footprint of an inventory per declared unit.
 *
 * The product system is the technosphere matrix A (one column per modelled product: its output
 * on the diagonal, the sub-products it consumes as negative entries), the demand f (the declared
 * unit of the reference product), the supply s solving A·s = f exactly, and the characterised
 * direct emissions of every line; the score is Σ s_p · (line activity × CO2e per unit).
 *
 * Each step is a function of its own in ./steps/, in the order the equations need them. A refusal
 * names every independent error at once (InventoryRefusedError when there are several).
 */
export function calculateFootprint(inventory: Inventory, options: CalculationOptions = {}): FootprintResult {
  return shapeResult(calculateSystem(inventory, options));
}

/** Every step but the last, keeping each intermediate value (what shapeResult reads; tests look at each). */
export function calculateSystem(inventory: Inventory, options: CalculationOptions = {}): CalculatedSystem {
  const study = resolveStudy(inventory, options);
  const errors: RulesError[] = [];
  const products = indexProducts(inventory, errors);
  const lines = resolveFactors(inventory, study, products, errors);
  refuseIfAny(errors);
  const inputSha256 = contentHash(inventory, options.canonicalMemo);
  const system = buildMatrices(inventory.products, lines.table, lines.links);
  const { factorization, supply } = solveSupply(inventory, products, system.technosphere);
  const totals = accumulate(inventory.products, lines.table, supply);
  const cumulative = cumulativeFootprints(factorization, totals.directPerRun);
  refuseIfAny(outOfRange(inventory.products, lines.table, supply, totals, cumulative));
  return { inventory, study, inputSha256, products, lines, system, supply, totals, cumulative };
}
