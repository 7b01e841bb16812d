import type { SparseMatrixCSC } from "../../../rules/solver/index.ts";

export function multiply(a: SparseMatrixCSC, x: Float64Array): Float64Array {
  const y = new Float64Array(a.n);
  for (let j = 0; j < a.n; j++) {
    for (let q = a.colPtr[j]!; q < a.colPtr[j + 1]!; q++) y[a.rowIdx[q]!]! += a.values[q]! * x[j]!;
  }
  return y;
}

export function multiplyTransposed(a: SparseMatrixCSC, y: Float64Array): Float64Array {
  const x = new Float64Array(a.n);
  for (let j = 0; j < a.n; j++) {
    for (let q = a.colPtr[j]!; q < a.colPtr[j + 1]!; q++) x[j]! += a.values[q]! * y[a.rowIdx[q]!]!;
  }
  return x;
}

export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/** ‖a − b‖ / ‖b‖ (or ‖a − b‖ when b = 0). */
export function relativeGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += (a[i]! - b[i]!) ** 2;
  const nb = norm(b);
  return Math.sqrt(d) / (nb === 0 ? 1 : nb);
}
