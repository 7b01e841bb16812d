/**
 * Compressed sparse column storage for the technosphere matrix: one column per process,
 * one row per product. Row indices within a column are sorted and unique.
 */
export interface SparseMatrixCSC {
  readonly n: number;
  readonly colPtr: Int32Array;
  readonly rowIdx: Int32Array;
  readonly values: Float64Array;
}

/**
 * Builds an n×n CSC matrix from coordinate triplets. Duplicate (row, col) pairs are summed,
 * as a process may list the same product on several inventory lines; entries that are or sum to
 * exactly zero are dropped so that they never count as structural links.
 */
export function fromTriplets(n: number, rows: ArrayLike<number>, cols: ArrayLike<number>, values: ArrayLike<number>): SparseMatrixCSC {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`matrix order must be a non-negative integer, got ${n}`);
  const nz = rows.length;
  if (cols.length !== nz || values.length !== nz) {
    throw new RangeError(`triplet arrays differ in length: ${rows.length} rows, ${cols.length} cols, ${values.length} values`);
  }
  const count = new Int32Array(n + 1);
  for (let k = 0; k < nz; k++) {
    const i = rows[k]!;
    const j = cols[k]!;
    if (!(Number.isInteger(i) && i >= 0 && i < n && Number.isInteger(j) && j >= 0 && j < n)) {
      throw new RangeError(`triplet ${k} at (${i}, ${j}) lies outside a ${n}×${n} matrix`);
    }
    if (!Number.isFinite(values[k]!)) throw new RangeError(`triplet ${k} at (${i}, ${j}) is not finite: ${values[k]}`);
    count[j + 1]!++;
  }
  for (let j = 0; j < n; j++) count[j + 1]! += count[j]!;

  // Counting sort by column, then by row within each column (a second counting pass over rows
  // keeps the whole build O(n + nz) without comparison sorts).
  const byRowPtr = new Int32Array(n + 1);
  for (let k = 0; k < nz; k++) byRowPtr[rows[k]! + 1]!++;
  for (let i = 0; i < n; i++) byRowPtr[i + 1]! += byRowPtr[i]!;
  const rowOrder = new Int32Array(nz);
  const next = byRowPtr.slice(0, n);
  for (let k = 0; k < nz; k++) rowOrder[next[rows[k]!]!++] = k;
  const slot = count.slice(0, n);
  const sortedRow = new Int32Array(nz);
  const sortedVal = new Float64Array(nz);
  for (let t = 0; t < nz; t++) {
    const k = rowOrder[t]!;
    const p = slot[cols[k]!]!++;
    sortedRow[p] = rows[k]!;
    sortedVal[p] = values[k]!;
  }

  const colPtr = new Int32Array(n + 1);
  let out = 0;
  for (let j = 0; j < n; j++) {
    const start = out;
    for (let p = count[j]!, end = count[j + 1]!; p < end; p++) {
      const i = sortedRow[p]!;
      if (out > start && sortedRow[out - 1] === i) sortedVal[out - 1]! += sortedVal[p]!;
      else {
        sortedRow[out] = i;
        sortedVal[out] = sortedVal[p]!;
        out++;
      }
    }
    let keep = start;
    for (let p = start; p < out; p++) {
      if (sortedVal[p] !== 0) {
        sortedRow[keep] = sortedRow[p]!;
        sortedVal[keep] = sortedVal[p]!;
        keep++;
      }
    }
    out = keep;
    colPtr[j + 1] = out;
  }
  return { n, colPtr, rowIdx: sortedRow.slice(0, out), values: sortedVal.slice(0, out) };
}

/** Aᵀ in CSC form (equivalently A in compressed sparse row form). */
export function transpose(a: SparseMatrixCSC): SparseMatrixCSC {
  const { n, colPtr, rowIdx, values } = a;
  const nz = colPtr[n]!;
  const ptr = new Int32Array(n + 1);
  for (let p = 0; p < nz; p++) ptr[rowIdx[p]! + 1]!++;
  for (let i = 0; i < n; i++) ptr[i + 1]! += ptr[i]!;
  const next = ptr.slice(0, n);
  const idx = new Int32Array(nz);
  const val = new Float64Array(nz);
  for (let j = 0; j < n; j++) {
    for (let p = colPtr[j]!, end = colPtr[j + 1]!; p < end; p++) {
      const q = next[rowIdx[p]!]!++;
      idx[q] = j;
      val[q] = values[p]!;
    }
  }
  return { n, colPtr: ptr, rowIdx: idx, values: val };
}
