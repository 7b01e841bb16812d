/**
 * Exact sparse solver for technosphere systems A·s = f (and Aᵀ·y = c for scores): block
 * triangular form, then sparse LU of the loop blocks only. The system is solved, never inverted
 * and never iterated.
 */
export { type SparseMatrixCSC, fromTriplets } from "./csc.ts";
export { SingularSystemError } from "./errors.ts";
export { type Factorization, type FactorizationStats, factorize } from "./factorize.ts";
