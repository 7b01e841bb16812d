/**
 * Sparse LU of one loop block (a strongly connected set of processes), left-looking after
 * Gilbert and Peierls ("Sparse partial pivoting in time proportional to arithmetic operations",
 * SIAM J. Sci. Stat. Comput. 9(5), 1988), as in CSparse's cs_lu and KLU.
 *
 * The block arrives symmetrically permuted by the fill-reducing ordering, so its diagonal still
 * pairs each process with its own product. Rows are first scaled by their largest magnitude:
 * products are measured in units from Bq to tonnes, and pivoting on raw magnitudes would let
 * the unit choice pick the pivot. Column j of L and U is then found by solving L·x = A(:, j)
 * with the columns of L finished so far, visiting only the nonzeros of x: a depth-first search
 * through the pattern of L yields them in topological order, so the work is proportional to the
 * floating-point operations rather than to the block size.
 *
 * Pivoting prefers the diagonal (threshold partial pivoting): the diagonal entry is accepted
 * when |x_jj| ≥ PIVOT_THRESHOLD · max|x_ij| over the candidate rows, which keeps the sparsity
 * the ordering planned for while bounding element growth by 1/PIVOT_THRESHOLD per step.
 *
 * P·(R·B) = L·U, with R the row scaling, P the row permutation (pinv), L unit lower triangular
 * (diagonal not stored) and U upper triangular (diagonal kept apart in uDiag).
 */

const PIVOT_THRESHOLD = 0.1;

export interface BlockLU {
  readonly m: number;
  /** pinv[localRow] = pivot step that eliminated it. */
  readonly pinv: Int32Array;
  readonly rowScale: Float64Array;
  readonly lPtr: Int32Array;
  /** Row indices of L in pivot order (strictly below the diagonal). */
  readonly lIdx: Int32Array;
  readonly lVal: Float64Array;
  readonly uPtr: Int32Array;
  /** Row indices of U in pivot order (strictly above the diagonal). */
  readonly uIdx: Int32Array;
  readonly uVal: Float64Array;
  readonly uDiag: Float64Array;
}

/** Shared scratch space so that a run over many blocks allocates it once. */
export interface LUWorkspace {
  x: Float64Array;
  mark: Int32Array;
  reach: Int32Array;
  stack: Int32Array;
  cursor: Int32Array;
}

export function createWorkspace(size: number): LUWorkspace {
  return {
    x: new Float64Array(size),
    mark: new Int32Array(size).fill(-1),
    reach: new Int32Array(size),
    stack: new Int32Array(size),
    cursor: new Int32Array(size),
  };
}

/**
 * Factorizes the m×m block given in CSC form (row indices local, any order).
 * Calls onSingular(localColumn) — which must throw — when a pivot vanishes relative to the size
 * of its column.
 */
export function factorBlock(
  m: number,
  ptr: Int32Array,
  idx: Int32Array,
  val: Float64Array,
  ws: LUWorkspace,
  onSingular: (localColumn: number, detail: string) => never,
): BlockLU {
  const nz = ptr[m]!;
  const rowScale = new Float64Array(m);
  for (let p = 0; p < nz; p++) {
    const a = Math.abs(val[p]!);
    const i = idx[p]!;
    if (a > rowScale[i]!) rowScale[i] = a;
  }
  for (let i = 0; i < m; i++) rowScale[i] = 1 / rowScale[i]!;

  const { x, mark, reach, stack, cursor } = ws;
  mark.fill(-1, 0, m);
  const pinv = new Int32Array(m).fill(-1);
  const lPtr = new Int32Array(m + 1);
  const uPtr = new Int32Array(m + 1);
  const uDiag = new Float64Array(m);
  const lower = growable(2 * nz + m);
  const upper = growable(2 * nz + m);
  let lIdx = lower.idx;
  let lVal = lower.val;
  let uIdx = upper.idx;
  let uVal = upper.val;
  let lnz = 0;
  let unz = 0;
  const tolerance = Math.max(m, 10) * Number.EPSILON;

  for (let j = 0; j < m; j++) {
    // Room for a full column in both factors, so the inner loops need no bounds checks.
    if (lnz + m > lIdx.length) ({ idx: lIdx, val: lVal } = grow(lIdx, lVal, lnz, m));
    if (unz + m > uIdx.length) ({ idx: uIdx, val: uVal } = grow(uIdx, uVal, unz, m));

    // --- symbolic: rows reachable from the pattern of A(:, j) through the graph of L.
    // Finished nodes are pushed at reach[--top], which leaves reach[top..m) topologically sorted.
    let top = m;
    const colStart = ptr[j]!;
    const colEnd = ptr[j + 1]!;
    for (let p = colStart; p < colEnd; p++) {
      const root = idx[p]!;
      if (mark[root] === j) continue;
      let head = 0;
      stack[0] = root;
      mark[root] = j;
      const k0 = pinv[root]!;
      cursor[0] = k0 >= 0 ? lPtr[k0]! : 0;
      while (head >= 0) {
        const v = stack[head]!;
        const k = pinv[v]!;
        let descended = false;
        if (k >= 0) {
          const end = lPtr[k + 1]!;
          for (let q = cursor[head]!; q < end; q++) {
            const child = lIdx[q]!;
            if (mark[child] === j) continue;
            cursor[head] = q + 1;
            mark[child] = j;
            head++;
            stack[head] = child;
            const kc = pinv[child]!;
            cursor[head] = kc >= 0 ? lPtr[kc]! : 0;
            descended = true;
            break;
          }
        }
        if (!descended) {
          head--;
          reach[--top] = v;
        }
      }
    }

    // --- numeric: x = L \ A(:, j) restricted to the reach
    for (let p = top; p < m; p++) x[reach[p]!] = 0;
    let columnScale = 0;
    for (let p = colStart; p < colEnd; p++) {
      const i = idx[p]!;
      const v = val[p]! * rowScale[i]!;
      x[i] = v;
      const a = Math.abs(v);
      if (a > columnScale) columnScale = a;
    }
    let best = -1;
    let bestAbs = -1;
    for (let p = top; p < m; p++) {
      const i = reach[p]!;
      const k = pinv[i]!;
      const xi = x[i]!;
      if (k < 0) {
        const a = Math.abs(xi);
        if (a > bestAbs) {
          bestAbs = a;
          best = i;
        }
        continue;
      }
      if (xi === 0) continue;
      uIdx[unz] = k;
      uVal[unz++] = xi;
      const a = Math.abs(xi);
      if (a > columnScale) columnScale = a;
      for (let q = lPtr[k]!, end = lPtr[k + 1]!; q < end; q++) x[lIdx[q]!]! -= lVal[q]! * xi;
    }

    // --- pivot: the diagonal if it is large enough, else the largest candidate
    if (best >= 0 && bestAbs > columnScale) columnScale = bestAbs;
    if (best < 0 || bestAbs <= tolerance * columnScale) {
      onSingular(j, best < 0 ? "no product row is left to balance this process" : "its column is a linear combination of others in its loop");
    }
    let pivotRow = best;
    if (pinv[j] === -1 && mark[j] === j && Math.abs(x[j]!) >= PIVOT_THRESHOLD * bestAbs) pivotRow = j;
    const pivot = x[pivotRow]!;
    uDiag[j] = pivot;
    pinv[pivotRow] = j;
    uPtr[j + 1] = unz;
    for (let p = top; p < m; p++) {
      const i = reach[p]!;
      if (pinv[i]! >= 0) continue;
      const xi = x[i]!;
      if (xi === 0) continue;
      lIdx[lnz] = i;
      lVal[lnz++] = xi / pivot;
    }
    lPtr[j + 1] = lnz;
  }
  for (let q = 0; q < lnz; q++) lIdx[q] = pinv[lIdx[q]!]!;
  return {
    m,
    pinv,
    rowScale,
    lPtr,
    lIdx: lIdx.slice(0, lnz),
    lVal: lVal.slice(0, lnz),
    uPtr,
    uIdx: uIdx.slice(0, unz),
    uVal: uVal.slice(0, unz),
    uDiag,
  };
}

interface Growable {
  idx: Int32Array;
  val: Float64Array;
}

function growable(capacity: number): Growable {
  return { idx: new Int32Array(capacity), val: new Float64Array(capacity) };
}

/** Copies the first `used` entries into arrays at least twice as long, with `extra` to spare. */
function grow(idx: Int32Array, val: Float64Array, used: number, extra: number): Growable {
  const next = growable(Math.max(2 * idx.length, used + extra));
  next.idx.set(idx.subarray(0, used));
  next.val.set(val.subarray(0, used));
  return next;
}

/**
 * Solves B·x = c in place: on entry w[offset + i] is c for local row i, on return
 * w[offset + j] is x for local column j. tmp needs at least m entries.
 */
export function solveBlock(lu: BlockLU, w: Float64Array, offset: number, tmp: Float64Array): void {
  const { m, pinv, rowScale, lPtr, lIdx, lVal, uPtr, uIdx, uVal, uDiag } = lu;
  for (let i = 0; i < m; i++) tmp[pinv[i]!] = w[offset + i]! * rowScale[i]!;
  for (let j = 0; j < m; j++) {
    const yj = tmp[j]!;
    if (yj === 0) continue;
    for (let q = lPtr[j]!, end = lPtr[j + 1]!; q < end; q++) tmp[lIdx[q]!]! -= lVal[q]! * yj;
  }
  for (let j = m - 1; j >= 0; j--) {
    const yj = tmp[j]! / uDiag[j]!;
    tmp[j] = yj;
    if (yj === 0) continue;
    for (let q = uPtr[j]!, end = uPtr[j + 1]!; q < end; q++) tmp[uIdx[q]!]! -= uVal[q]! * yj;
  }
  for (let j = 0; j < m; j++) w[offset + j] = tmp[j]!;
}

/**
 * Solves Bᵀ·y = d in place: on entry w[offset + j] is d for local column j, on return
 * w[offset + i] is y for local row i. Bᵀ = Uᵀ·Lᵀ·P·R⁻¹, so the factors are walked in the
 * opposite order with dot products over their columns.
 */
export function solveBlockTransposed(lu: BlockLU, w: Float64Array, offset: number, tmp: Float64Array): void {
  const { m, pinv, rowScale, lPtr, lIdx, lVal, uPtr, uIdx, uVal, uDiag } = lu;
  for (let j = 0; j < m; j++) {
    let s = w[offset + j]!;
    for (let q = uPtr[j]!, end = uPtr[j + 1]!; q < end; q++) s -= uVal[q]! * tmp[uIdx[q]!]!;
    tmp[j] = s / uDiag[j]!;
  }
  for (let j = m - 1; j >= 0; j--) {
    let s = tmp[j]!;
    for (let q = lPtr[j]!, end = lPtr[j + 1]!; q < end; q++) s -= lVal[q]! * tmp[lIdx[q]!]!;
    tmp[j] = s;
  }
  for (let i = 0; i < m; i++) w[offset + i] = tmp[pinv[i]!]! * rowScale[i]!;
}
