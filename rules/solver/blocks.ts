import type { SparseMatrixCSC } from "./csc.ts";

export interface BlockTriangularForm {
  /** Number of diagonal blocks. */
  readonly blocks: number;
  /** Block k holds the columns colOrder[blockPtr[k]] .. colOrder[blockPtr[k+1]-1]. */
  readonly blockPtr: Int32Array;
  /**
   * Columns listed block by block in solve order: every block only depends on blocks listed
   * before it, so A·x = b is solved block by block from the first one to the last.
   */
  readonly colOrder: Int32Array;
}

/**
 * Strongly connected components of the process graph, found with Tarjan's algorithm.
 *
 * With rows matched to columns (rowOfCol), the equation of row rowOfCol[c] fixes x[c] once every
 * other x[j] appearing in that row is known. Following the column structure instead gives the
 * reverse relation: entry (r, j) is an edge j → colOfRow[r], "the process matched to r depends on
 * j". Tarjan emits a component only after every component reachable from it, i.e. dependents
 * first, so the emission order is reversed to get the solve order. Using columns avoids building
 * a transpose.
 *
 * The depth-first search keeps its own stack (node and edge cursor per level) because product
 * chains tens of thousands of processes deep would overflow the JavaScript call stack.
 */
export function stronglyConnectedBlocks(a: SparseMatrixCSC, rowOfCol: Int32Array): BlockTriangularForm {
  const { n, colPtr, rowIdx } = a;
  const colOfRow = new Int32Array(n);
  for (let j = 0; j < n; j++) colOfRow[rowOfCol[j]!] = j;

  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const componentStack = new Int32Array(n);
  let componentTop = 0;
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  // Components are written from the back so that the array ends up in solve order.
  const colOrder = new Int32Array(n);
  let fill = n;
  const starts: number[] = [];
  let counter = 0;

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    callNode[0] = root;
    callEdge[0] = colPtr[root]!;
    index[root] = low[root] = counter++;
    componentStack[componentTop++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callNode[depth]!;
      const end = colPtr[v + 1]!;
      let p = callEdge[depth]!;
      let descended = false;
      for (; p < end; p++) {
        const w = colOfRow[rowIdx[p]!]!;
        if (index[w] === -1) {
          callEdge[depth] = p + 1;
          depth++;
          callNode[depth] = w;
          callEdge[depth] = colPtr[w]!;
          index[w] = low[w] = counter++;
          componentStack[componentTop++] = w;
          onStack[w] = 1;
          descended = true;
          break;
        } else if (onStack[w] === 1 && index[w]! < low[v]!) {
          low[v] = index[w]!;
        }
      }
      if (descended) continue;
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = componentStack[--componentTop]!;
          onStack[w] = 0;
          colOrder[--fill] = w;
        } while (w !== v);
        starts.push(fill);
      }
      depth--;
      if (depth >= 0) {
        const u = callNode[depth]!;
        if (low[v]! < low[u]!) low[u] = low[v]!;
      }
    }
  }

  // Components were filled from the back, so block starts were recorded in decreasing order.
  const blocks = starts.length;
  const blockPtr = new Int32Array(blocks + 1);
  for (let k = 0; k < blocks; k++) blockPtr[k] = starts[blocks - 1 - k]!;
  blockPtr[blocks] = n;
  return { blocks, blockPtr, colOrder };
}
