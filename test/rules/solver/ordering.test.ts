import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { approximateMinimumDegree } from "../../../rules/solver/amd.ts";

/** Symmetric adjacency (no diagonal, no duplicates) from an undirected edge list. */
function graph(n: number, edges: [number, number][]): { ptr: Int32Array; idx: Int32Array } {
  const adj: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (const [a, b] of edges) {
    if (a === b) continue;
    adj[a]!.add(b);
    adj[b]!.add(a);
  }
  const ptr = new Int32Array(n + 1);
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    idx.push(...adj[i]!);
    ptr[i + 1] = idx.length;
  }
  return { ptr, idx: Int32Array.from(idx) };
}

/** Entries of the Cholesky factor (below the diagonal) when eliminating in the given order. */
function choleskyFill(n: number, g: { ptr: Int32Array; idx: Int32Array }, order: ArrayLike<number>): number {
  const position = new Int32Array(n);
  for (let k = 0; k < n; k++) position[order[k]!] = k;
  const adj: Set<number>[] = Array.from({ length: n }, (_, i) => new Set(Array.from(g.idx.subarray(g.ptr[i]!, g.ptr[i + 1]!))));
  let fill = 0;
  for (let k = 0; k < n; k++) {
    const v = order[k]!;
    const later = [...adj[v]!].filter((u) => position[u]! > k);
    fill += later.length;
    for (const a of later) for (const b of later) if (a !== b) adj[a]!.add(b);
  }
  return fill;
}

function isPermutation(order: Int32Array, n: number): boolean {
  const seen = new Uint8Array(n);
  for (const v of order) {
    if (v < 0 || v >= n || seen[v]) return false;
    seen[v] = 1;
  }
  return order.length === n;
}

describe("approximate minimum degree ordering", () => {
  it("returns a permutation for any graph", () => {
    const graphs = fc
      .integer({ min: 1, max: 300 })
      .chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 8 * n })));
    fc.assert(
      fc.property(graphs, ([n, edges]) => {
        const g = graph(n, edges);
        expect(isPermutation(approximateMinimumDegree(n, g.ptr, g.idx), n)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("orders a path and a tree without any fill", () => {
    const n = 500;
    const path = graph(
      n,
      Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]),
    );
    expect(choleskyFill(n, path, approximateMinimumDegree(n, path.ptr, path.idx))).toBe(n - 1);
    const tree = graph(
      n,
      Array.from({ length: n - 1 }, (_, i) => [i + 1, Math.floor(i / 3)] as [number, number]),
    );
    expect(choleskyFill(n, tree, approximateMinimumDegree(n, tree.ptr, tree.idx))).toBe(n - 1);
  });

  it("puts a hub that touches everything last", () => {
    const n = 400;
    const edges: [number, number][] = [];
    for (let i = 1; i < n; i++) edges.push([0, i]);
    for (let i = 1; i + 1 < n; i += 2) edges.push([i, i + 1]);
    const g = graph(n, edges);
    const order = approximateMinimumDegree(n, g.ptr, g.idx);
    expect(order[n - 1]).toBe(0);
    expect(choleskyFill(n, g, order)).toBe(edges.length);
  });

  it("keeps a shuffled 2-D grid far below the fill of its natural band order", () => {
    const side = 30;
    const n = side * side;
    // number the grid points in a scrambled but fixed order
    const label = Array.from({ length: n }, (_, k) => (k * 7919) % n);
    const edges: [number, number][] = [];
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        if (c + 1 < side) edges.push([label[r * side + c]!, label[r * side + c + 1]!]);
        if (r + 1 < side) edges.push([label[r * side + c]!, label[(r + 1) * side + c]!]);
      }
    }
    const g = graph(n, edges);
    const band = Array.from({ length: n }, (_, k) => label[k]!); // row by row: bandwidth = side
    const amd = choleskyFill(n, g, approximateMinimumDegree(n, g.ptr, g.idx));
    const natural = choleskyFill(n, g, band);
    expect(amd).toBeLessThan(0.6 * natural);
  });
});
