import { approximateMinimumDegree } from "./amd.ts";
import { stronglyConnectedBlocks } from "./blocks.ts";
import type { SparseMatrixCSC } from "./csc.ts";
import { SingularSystemError } from "./errors.ts";
import { type BlockLU, createWorkspace, factorBlock, solveBlock, solveBlockTransposed } from "./lu.ts";
import { maximumTransversal } from "./transversal.ts";

export interface FactorizationStats {
  /** Diagonal blocks of the block triangular form (strongly connected sets of processes). */
  blocks: number;
  largestBlock: number;
  /** Blocks of more than one process, i.e. real loops, each with its own LU. */
  loopBlocks: number;
  /** Entries of the unit lower factors of the loop blocks (diagonal not counted). */
  nnzL: number;
  /** Entries of the upper factors of all diagonal blocks, diagonals included. */
  nnzU: number;
}

export interface Factorization {
  readonly n: number;
  /** Supply for a demand: solves A·x = b. */
  solve(b: Float64Array): Float64Array;
  /** Solves Aᵀ·y = b, e.g. the score of one unit of every product for one indicator. */
  solveTransposed(b: Float64Array): Float64Array;
  readonly stats: FactorizationStats;
}

/**
 * Factorizes the technosphere matrix once so that any number of demands and indicators can be
 * solved against it.
 *
 * 1. Maximum transversal: pair every process with a product row (normally its own).
 * 2. Strongly connected blocks of the process graph, in dependency order. Permuted this way the
 *    matrix is block lower triangular: most blocks are single processes (the acyclic part of the
 *    system) and are handled by plain substitution; only loops need an LU.
 * 3. For each loop block: approximate minimum degree ordering of its symmetric pattern, then a
 *    left-looking LU with diagonal-preferring threshold pivoting.
 * 4. solve/solveTransposed: block substitution with the factors, plus one refinement step.
 *
 * Everything is laid out by "position" (the block-triangular order): position p holds column
 * colOfPos[p] and its paired row rowOfPos[p]. Entries of a column outside its own block all lie
 * in later blocks; they are kept in one CSC (offPtr/offIdx/offVal, row indices as positions) and
 * applied as a scatter after each block during A·x = b, or as a gather before each block during
 * Aᵀ·y = b.
 */
export function factorize(a: SparseMatrixCSC): Factorization {
  const n = checkMatrix(a);
  const { colPtr, rowIdx, values } = a;
  const rowOfCol = maximumTransversal(a);
  const { blocks, blockPtr, colOrder } = stronglyConnectedBlocks(a, rowOfCol);

  const colOfPos = colOrder;
  const posOfRow = new Int32Array(n);
  for (let p = 0; p < n; p++) posOfRow[rowOfCol[colOfPos[p]!]!] = p;

  let largestBlock = 0;
  let loopBlocks = 0;
  for (let k = 0; k < blocks; k++) {
    const size = blockPtr[k + 1]! - blockPtr[k]!;
    if (size > largestBlock) largestBlock = size;
    if (size > 1) loopBlocks++;
  }

  // Fill-reducing order inside each loop block, applied symmetrically so rows follow columns.
  if (loopBlocks > 0) {
    const segment = new Int32Array(largestBlock);
    for (let k = 0; k < blocks; k++) {
      const s = blockPtr[k]!;
      const e = blockPtr[k + 1]!;
      if (e - s < 2) continue;
      const { ptr, idx } = symmetricBlockPattern(a, colOfPos, posOfRow, s, e);
      const order = approximateMinimumDegree(e - s, ptr, idx);
      for (let t = 0; t < e - s; t++) segment[t] = colOfPos[s + order[t]!]!;
      colOfPos.set(segment.subarray(0, e - s), s);
    }
  }
  const rowOfPos = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const r = rowOfCol[colOfPos[p]!]!;
    rowOfPos[p] = r;
    posOfRow[r] = p;
  }

  // Split every column into its diagonal-block part and its off-block part.
  const blockOfPos = new Int32Array(n);
  for (let k = 0; k < blocks; k++) blockOfPos.fill(k, blockPtr[k]!, blockPtr[k + 1]!);
  const diag = new Float64Array(n);
  const offPtr = new Int32Array(n + 1);
  for (let p = 0; p < n; p++) {
    const c = colOfPos[p]!;
    const blockEnd = blockPtr[blockOfPos[p]! + 1]!;
    let off = 0;
    for (let q = colPtr[c]!, end = colPtr[c + 1]!; q < end; q++) if (posOfRow[rowIdx[q]!]! >= blockEnd) off++;
    offPtr[p + 1] = offPtr[p]! + off;
  }
  const offIdx = new Int32Array(offPtr[n]!);
  const offVal = new Float64Array(offPtr[n]!);
  const factors: (BlockLU | null)[] = new Array<BlockLU | null>(blocks).fill(null);
  const ws = createWorkspace(largestBlock);
  let nnzL = 0;
  let nnzU = 0;
  for (let k = 0; k < blocks; k++) {
    const s = blockPtr[k]!;
    const e = blockPtr[k + 1]!;
    const m = e - s;
    let blockNz = 0;
    for (let p = s; p < e; p++) {
      const c = colOfPos[p]!;
      let out = offPtr[p]!;
      for (let q = colPtr[c]!, end = colPtr[c + 1]!; q < end; q++) {
        const r = posOfRow[rowIdx[q]!]!;
        if (r >= e) {
          offIdx[out] = r;
          offVal[out++] = values[q]!;
        } else {
          blockNz++;
          if (r === p) diag[p] = values[q]!;
        }
      }
    }
    if (m === 1) {
      nnzU++;
      continue;
    }
    const ptr = new Int32Array(m + 1);
    const idx = new Int32Array(blockNz);
    const val = new Float64Array(blockNz);
    let out = 0;
    for (let t = 0; t < m; t++) {
      const c = colOfPos[s + t]!;
      for (let q = colPtr[c]!, end = colPtr[c + 1]!; q < end; q++) {
        const r = posOfRow[rowIdx[q]!]!;
        if (r < e) {
          idx[out] = r - s;
          val[out++] = values[q]!;
        }
      }
      ptr[t + 1] = out;
    }
    const lu = factorBlock(m, ptr, idx, val, ws, (t, detail) => {
      throw new SingularSystemError(colOfPos[s + t]!, "numerical", detail);
    });
    factors[k] = lu;
    nnzL += lu.lPtr[m]!;
    nnzU += lu.uPtr[m]! + m;
  }

  const work = new Float64Array(n);
  const tmp = new Float64Array(largestBlock);
  const residual = new Float64Array(n);
  const correction = new Float64Array(n);

  const directSolve = (b: Float64Array, x: Float64Array): void => {
    for (let p = 0; p < n; p++) work[p] = b[rowOfPos[p]!]!;
    for (let k = 0; k < blocks; k++) {
      const s = blockPtr[k]!;
      const e = blockPtr[k + 1]!;
      const lu = factors[k];
      if (lu) solveBlock(lu, work, s, tmp);
      else work[s] = work[s]! / diag[s]!;
      for (let p = s; p < e; p++) {
        const xp = work[p]!;
        if (xp === 0) continue;
        for (let q = offPtr[p]!, end = offPtr[p + 1]!; q < end; q++) work[offIdx[q]!]! -= offVal[q]! * xp;
      }
    }
    for (let p = 0; p < n; p++) x[colOfPos[p]!] = work[p]!;
  };

  const directSolveTransposed = (b: Float64Array, y: Float64Array): void => {
    for (let p = 0; p < n; p++) work[p] = b[colOfPos[p]!]!;
    for (let k = blocks - 1; k >= 0; k--) {
      const s = blockPtr[k]!;
      const e = blockPtr[k + 1]!;
      for (let p = s; p < e; p++) {
        let acc = work[p]!;
        for (let q = offPtr[p]!, end = offPtr[p + 1]!; q < end; q++) acc -= offVal[q]! * work[offIdx[q]!]!;
        work[p] = acc;
      }
      const lu = factors[k];
      if (lu) solveBlockTransposed(lu, work, s, tmp);
      else work[s] = work[s]! / diag[s]!;
    }
    for (let p = 0; p < n; p++) y[rowOfPos[p]!] = work[p]!;
  };

  // One step of refinement in working precision (Skeel): the LU is only normwise backward
  // stable, and with units spanning twenty decades a row of tiny amounts can carry a relative
  // error of 1e-8 in its own terms. Correcting once with the same factors brings every row to
  // a few ε. This is one fixed step on an exact solution, not an iteration towards one.
  const solve = (b: Float64Array): Float64Array => {
    checkVector(b, n);
    const x = new Float64Array(n);
    directSolve(b, x);
    residual.set(b);
    for (let j = 0; j < n; j++) {
      const xj = x[j]!;
      if (xj === 0) continue;
      for (let q = colPtr[j]!, end = colPtr[j + 1]!; q < end; q++) residual[rowIdx[q]!]! -= values[q]! * xj;
    }
    directSolve(residual, correction);
    for (let j = 0; j < n; j++) x[j]! += correction[j]!;
    return x;
  };

  const solveTransposed = (b: Float64Array): Float64Array => {
    checkVector(b, n);
    const y = new Float64Array(n);
    directSolveTransposed(b, y);
    for (let j = 0; j < n; j++) {
      let acc = b[j]!;
      for (let q = colPtr[j]!, end = colPtr[j + 1]!; q < end; q++) acc -= values[q]! * y[rowIdx[q]!]!;
      residual[j] = acc;
    }
    directSolveTransposed(residual, correction);
    for (let i = 0; i < n; i++) y[i]! += correction[i]!;
    return y;
  };

  return {
    n,
    solve,
    solveTransposed,
    stats: { blocks, largestBlock, loopBlocks, nnzL, nnzU },
  };
}

/** Pattern of B + Bᵀ without its diagonal, for the loop block at positions [s, e). */
function symmetricBlockPattern(
  a: SparseMatrixCSC,
  colOfPos: Int32Array,
  posOfRow: Int32Array,
  s: number,
  e: number,
): { ptr: Int32Array; idx: Int32Array } {
  const { colPtr, rowIdx } = a;
  const m = e - s;
  const count = new Int32Array(m + 1);
  for (let t = 0; t < m; t++) {
    const c = colOfPos[s + t]!;
    for (let q = colPtr[c]!, end = colPtr[c + 1]!; q < end; q++) {
      const r = posOfRow[rowIdx[q]!]! - s;
      if (r < 0 || r >= m || r === t) continue;
      count[t + 1]!++;
      count[r + 1]!++;
    }
  }
  for (let t = 0; t < m; t++) count[t + 1]! += count[t]!;
  const fill = count.slice(0, m);
  const raw = new Int32Array(count[m]!);
  for (let t = 0; t < m; t++) {
    const c = colOfPos[s + t]!;
    for (let q = colPtr[c]!, end = colPtr[c + 1]!; q < end; q++) {
      const r = posOfRow[rowIdx[q]!]! - s;
      if (r < 0 || r >= m || r === t) continue;
      raw[fill[t]!++] = r;
      raw[fill[r]!++] = t;
    }
  }
  // An entry present in both B and Bᵀ was listed twice; keep one.
  const seen = new Int32Array(m).fill(-1);
  const ptr = new Int32Array(m + 1);
  let out = 0;
  for (let t = 0; t < m; t++) {
    for (let q = count[t]!, end = count[t + 1]!; q < end; q++) {
      const r = raw[q]!;
      if (seen[r] === t) continue;
      seen[r] = t;
      raw[out++] = r;
    }
    ptr[t + 1] = out;
  }
  return { ptr, idx: raw.subarray(0, out) };
}

function checkMatrix(a: SparseMatrixCSC): number {
  const { n, colPtr, rowIdx, values } = a;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`matrix order must be a non-negative integer, got ${n}`);
  if (colPtr.length !== n + 1 || colPtr[0] !== 0) throw new RangeError("colPtr must have n + 1 entries starting at 0");
  const nz = colPtr[n]!;
  if (rowIdx.length < nz || values.length < nz) throw new RangeError("rowIdx/values are shorter than colPtr[n]");
  for (let j = 0; j < n; j++) {
    if (colPtr[j + 1]! < colPtr[j]!) throw new RangeError(`colPtr decreases at column ${j}`);
  }
  for (let q = 0; q < nz; q++) {
    const r = rowIdx[q]!;
    if (r < 0 || r >= n) throw new RangeError(`row index ${r} outside a ${n}×${n} matrix`);
  }
  return n;
}

function checkVector(b: Float64Array, n: number): void {
  if (b.length !== n) throw new RangeError(`right-hand side has ${b.length} entries, the system has ${n}`);
}
