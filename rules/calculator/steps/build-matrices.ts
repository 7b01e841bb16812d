import { fromTriplets, type SparseMatrixCSC } from "../../solver/index.ts";
import type { ModelledProduct } from "../schema.ts";
import { productsInLoops } from "../tarjan.ts";
import type { LineTable } from "./resolve-factors.ts";

/**
 * The product system's matrices. The intervention matrix stays line-wise in the LineTable (each
 * line is one entry: its product's column, its activity per run times its kernel), filled while
 * factors were resolved so the lines are read once; this step assembles the technosphere.
 */
export interface ProductSystem {
  /** A: each product's output per run on the diagonal, what its sub-product lines draw as negative entries. */
  readonly technosphere: SparseMatrixCSC;
  /** Off-diagonal entries of A (included sub-product lines). */
  readonly links: number;
  /** 1 for products in a loop (a cycle of sub-product links, or a product drawing on itself). */
  readonly inLoop: Uint8Array;
}

/** Step 2: the technosphere matrix A from the products' outputs and the sub-product links. */
export function buildMatrices(products: readonly ModelledProduct[], table: LineTable, links: readonly number[]): ProductSystem {
  const n = products.length;
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  for (let j = 0; j < n; j++) {
    rows.push(j);
    cols.push(j);
    values.push(products[j]?.output.amount ?? 0);
  }
  const edgesFrom: number[][] = Array.from({ length: n }, () => []);
  const selfLoop = new Uint8Array(n);
  for (const at of links) {
    const target = table.target[at] ?? 0;
    const owner = table.product[at] ?? 0;
    rows.push(target);
    cols.push(owner);
    values.push(-(table.activity[at] ?? 0));
    edgesFrom[owner]?.push(target);
    if (target === owner) selfLoop[target] = 1;
  }
  return { technosphere: fromTriplets(n, rows, cols, values), links: links.length, inLoop: productsInLoops(n, edgesFrom, selfLoop) };
}
