import type { SparseMatrixCSC } from "./csc.ts";
import { SingularSystemError } from "./errors.ts";

/**
 * Maximum transversal: pairs every column with a distinct row holding a nonzero in it, so that
 * permuting rows by the matching gives a zero-free diagonal (needed before the strongly connected
 * block decomposition is meaningful).
 *
 * In a technosphere matrix each process produces its own product, so the diagonal is normally
 * already zero-free; the diagonal is therefore tried first and only the columns left over are
 * matched by augmenting paths (Duff's MC21 depth-first search with one-step look-ahead, written
 * iteratively so that long chains of processes cannot overflow the call stack).
 *
 * Returns rowOfCol (matched row per column). Throws SingularSystemError (structural) naming a
 * column that no matching can cover.
 */
export function maximumTransversal(a: SparseMatrixCSC): Int32Array {
  const { n, colPtr, rowIdx } = a;
  const rowOfCol = new Int32Array(n).fill(-1);
  const colOfRow = new Int32Array(n).fill(-1);
  let unmatched = 0;
  for (let j = 0; j < n; j++) {
    for (let p = colPtr[j]!, end = colPtr[j + 1]!; p < end; p++) {
      if (rowIdx[p] === j) {
        rowOfCol[j] = j;
        colOfRow[j] = j;
        break;
      }
    }
    if (rowOfCol[j] === -1) unmatched++;
  }
  if (unmatched === 0) return rowOfCol;

  // Augmenting-path search. lookahead[j] remembers how far column j's cheap scan for a free row
  // got, so each column's list is scanned for free rows at most once over the whole run.
  const lookahead = colPtr.slice(0, n);
  const visited = new Int32Array(n).fill(-1); // column -> id of the search that last visited it
  const colStack = new Int32Array(n);
  const posStack = new Int32Array(n);
  for (let start = 0; start < n; start++) {
    if (rowOfCol[start] !== -1) continue;
    let head = 0;
    colStack[0] = start;
    posStack[0] = colPtr[start]!;
    visited[start] = start;
    let freeRow = -1;
    while (head >= 0) {
      const j = colStack[head]!;
      // Look-ahead: an unmatched row in column j ends the path at once.
      const end = colPtr[j + 1]!;
      let p = lookahead[j]!;
      for (; p < end; p++) {
        if (colOfRow[rowIdx[p]!] === -1) break;
      }
      lookahead[j] = p;
      if (p < end) {
        freeRow = rowIdx[p]!;
        break;
      }
      // Otherwise descend through a matched row into the column that holds it.
      let q = posStack[head]!;
      let descended = false;
      for (; q < end; q++) {
        const k = colOfRow[rowIdx[q]!]!;
        if (visited[k] !== start) {
          posStack[head] = q + 1;
          visited[k] = start;
          head++;
          colStack[head] = k;
          posStack[head] = colPtr[k]!;
          descended = true;
          break;
        }
      }
      if (!descended) head--;
    }
    if (freeRow === -1) {
      throw new SingularSystemError(start, "structural", "no distinct product row can be paired with this process");
    }
    // Flip the path: each column on the stack takes the row that led to the next column.
    let row = freeRow;
    for (let h = head; h >= 0; h--) {
      const j = colStack[h]!;
      const previous = rowOfCol[j]!;
      rowOfCol[j] = row;
      colOfRow[row] = j;
      row = previous;
    }
  }
  return rowOfCol;
}
