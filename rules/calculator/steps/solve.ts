import { SingularProductSystemError } from "../../errors.ts";
import { factorize, SingularSystemError, type Factorization, type SparseMatrixCSC } from "../../solver/index.ts";
import { conversionFactor } from "../../units.ts";
import type { Inventory } from "../schema.ts";
import type { ProductIndex } from "./study.ts";

export interface SupplySolution {
  /** Kept for the transposed solve of cumulative footprints. */
  readonly factorization: Factorization;
  /** s: runs of each product's inventory per declared unit. */
  readonly supply: Float64Array;
}

/** Step 3: the supply s solving A·s = f exactly, f being the declared unit of the reference product. */
export function solveSupply(inventory: Inventory, products: ProductIndex, technosphere: SparseMatrixCSC): SupplySolution {
  const productId = (column: number) => inventory.products[column]?.id ?? `#${column}`;
  let factorization: Factorization;
  try {
    factorization = factorize(technosphere);
  } catch (e) {
    if (e instanceof SingularSystemError) throw new SingularProductSystemError(productId(e.column));
    throw e;
  }
  const n = inventory.products.length;
  const root = products.root;
  const demand = new Float64Array(n);
  demand[root] =
    inventory.declaredUnit.quantity *
    conversionFactor(inventory.declaredUnit.unit, products.outputUnit[root] ?? "", "declared unit → reference product output");
  const supply = factorization.solve(demand);
  for (let j = 0; j < n; j++) {
    if (!Number.isFinite(supply[j] ?? NaN)) throw new SingularProductSystemError(productId(j));
  }
  return { factorization, supply };
}

/**
 * Cumulative footprint per unit of every product: h solves Aᵀ·h = d, d being each product's
 * direct emissions per run, so that the total is h·f.
 */
export function cumulativeFootprints(factorization: Factorization, directPerRun: Float64Array): Float64Array {
  return factorization.solveTransposed(directPerRun);
}
