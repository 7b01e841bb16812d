import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { transpose } from "../../../rules/solver/csc.ts";
import { factorize, fromTriplets, type SparseMatrixCSC } from "../../../rules/solver/index.ts";
import { multiply, multiplyTransposed, relativeGap } from "./helpers.ts";

interface Triplets {
  n: number;
  rows: number[];
  cols: number[];
  vals: number[];
}

const value = fc.double({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true });

/** Random sparse off-diagonal entries (any sign), with a link density that makes loops common. */
const offDiagonal = (n: number) =>
  fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), value), { maxLength: 4 * n }).map((entries) => entries.filter(([i, j]) => i !== j));

/** Column diagonally dominant: |a_jj| > Σ_i≠j |a_ij| by a margin, diagonal of either sign. */
const dominantSystem = fc.integer({ min: 1, max: 60 }).chain((n) =>
  fc
    .tuple(
      offDiagonal(n),
      fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
      fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    )
    .map(([entries, margin, negative]): Triplets => {
      const colSum = new Float64Array(n);
      const rows: number[] = [];
      const cols: number[] = [];
      const vals: number[] = [];
      for (const [i, j, v] of entries) {
        rows.push(i);
        cols.push(j);
        vals.push(v);
        colSum[j]! += Math.abs(v);
      }
      for (let j = 0; j < n; j++) {
        rows.push(j);
        cols.push(j);
        vals.push((negative[j] ? -1 : 1) * (colSum[j]! + margin[j]!));
      }
      return { n, rows, cols, vals };
    }),
);

/**
 * Not diagonally dominant, often without a usable diagonal, yet well conditioned: a dominant
 * matrix with its rows shuffled (same singular values).
 */
const shuffledSystem = dominantSystem.chain((t) =>
  fc.tuple(fc.shuffledSubarray(range(t.n), { minLength: t.n, maxLength: t.n })).map(([perm]): Triplets => ({
    n: t.n,
    rows: t.rows.map((i) => perm[i]!),
    cols: t.cols,
    vals: t.vals,
  })),
);

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

const rhs = (n: number) => fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n }).map((v) => Float64Array.from(v));

const withRhs = (systems: fc.Arbitrary<Triplets>) => systems.chain((t) => fc.tuple(fc.constant(t), rhs(t.n)));

const build = (t: Triplets): SparseMatrixCSC => fromTriplets(t.n, t.rows, t.cols, t.vals);

function nonZero(b: Float64Array): boolean {
  return b.some((v) => v !== 0);
}

describe("solver properties", () => {
  it.each([
    ["diagonally dominant", dominantSystem],
    ["shuffled (non-dominant, diagonal often missing)", shuffledSystem],
  ])("solves random %s systems to ‖Ax − b‖/‖b‖ < 1e-12, both ways", (_label, systems) => {
    fc.assert(
      fc.property(withRhs(systems), ([t, b]) => {
        fc.pre(nonZero(b));
        const a = build(t);
        const f = factorize(a);
        expect(relativeGap(multiply(a, f.solve(b)), b)).toBeLessThan(1e-12);
        expect(relativeGap(multiplyTransposed(a, f.solveTransposed(b)), b)).toBeLessThan(1e-12);
      }),
      { numRuns: 300 },
    );
  });

  it("is unaffected by unit scaling of products and processes", () => {
    const scaled = withRhs(dominantSystem).chain(([t, b]) =>
      fc.tuple(
        fc.constant(t),
        fc.constant(b),
        fc.array(fc.integer({ min: -40, max: 40 }), { minLength: t.n, maxLength: t.n }),
        fc.array(fc.integer({ min: -40, max: 40 }), { minLength: t.n, maxLength: t.n }),
      ),
    );
    fc.assert(
      fc.property(scaled, ([t, b, rowExp, colExp]) => {
        fc.pre(nonZero(b));
        const x = factorize(build(t)).solve(b);
        // (R·A·C)·(C⁻¹x) = R·b with R, C powers of two: exact in floating point.
        const scaledSystem: Triplets = { ...t, vals: t.vals.map((v, k) => v * 2 ** rowExp[t.rows[k]!]! * 2 ** colExp[t.cols[k]!]!) };
        const rb = b.map((v, i) => v * 2 ** rowExp[i]!);
        const xs = factorize(build(scaledSystem)).solve(rb);
        const back = xs.map((v, j) => v * 2 ** colExp[j]!);
        expect(relativeGap(back, x)).toBeLessThan(1e-12);
      }),
      { numRuns: 200 },
    );
  });

  it("gives the same answer when rows and columns are renumbered consistently", () => {
    const permuted = withRhs(fc.oneof(dominantSystem, shuffledSystem)).chain(([t, b]) =>
      fc.tuple(
        fc.constant(t),
        fc.constant(b),
        fc.shuffledSubarray(range(t.n), { minLength: t.n, maxLength: t.n }),
        fc.shuffledSubarray(range(t.n), { minLength: t.n, maxLength: t.n }),
      ),
    );
    fc.assert(
      fc.property(permuted, ([t, b, p, q]) => {
        fc.pre(nonZero(b));
        const x = factorize(build(t)).solve(b);
        // A' = P·A·Qᵀ: product i becomes p[i], process j becomes q[j]; then x'[q[j]] = x[j].
        const a2 = fromTriplets(
          t.n,
          t.rows.map((i) => p[i]!),
          t.cols.map((j) => q[j]!),
          t.vals,
        );
        const b2 = new Float64Array(t.n);
        for (let i = 0; i < t.n; i++) b2[p[i]!] = b[i]!;
        const x2 = factorize(a2).solve(b2);
        const back = new Float64Array(t.n);
        for (let j = 0; j < t.n; j++) back[j] = x2[q[j]!]!;
        expect(relativeGap(back, x)).toBeLessThan(1e-12);
      }),
      { numRuns: 300 },
    );
  });

  it("solves acyclic systems exactly like plain substitution, with no loop block", () => {
    const acyclic = fc
      .integer({ min: 1, max: 80 })
      .chain((n) =>
        fc.tuple(
          fc.constant(n),
          fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), value), { maxLength: 4 * n }),
          fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
          fc.shuffledSubarray(range(n), { minLength: n, maxLength: n }),
          rhs(n),
        ),
      );
    fc.assert(
      fc.property(acyclic, ([n, entries, diagonal, order, b]) => {
        // Lower triangular in "topological" numbering t, then renumbered by order[t].
        const lower = entries.filter(([i, j]) => i > j);
        const rows = [...lower.map(([i]) => order[i]!), ...range(n).map((t) => order[t]!)];
        const cols = [...lower.map(([, j]) => order[j]!), ...range(n).map((t) => order[t]!)];
        const vals = [...lower.map(([, , v]) => v), ...diagonal];
        const f = factorize(fromTriplets(n, rows, cols, vals));
        expect(f.stats.loopBlocks).toBe(0);
        expect(f.stats.blocks).toBe(n);

        // forward substitution in topological numbering
        const dense = Array.from({ length: n }, () => new Float64Array(n));
        for (const [i, j, v] of lower) dense[i]![j]! += v;
        const bt = range(n).map((t) => b[order[t]!]!);
        const xt = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          let s = bt[i]!;
          for (let j = 0; j < i; j++) s -= dense[i]![j]! * xt[j]!;
          xt[i] = s / diagonal[i]!;
        }
        const x = f.solve(b);
        const expected = new Float64Array(n);
        for (let t = 0; t < n; t++) expected[order[t]!] = xt[t]!;
        expect(relativeGap(x, expected)).toBeLessThan(1e-12);
      }),
      { numRuns: 300 },
    );
  });

  it("solveTransposed agrees with factorizing the explicit transpose", () => {
    fc.assert(
      fc.property(withRhs(fc.oneof(dominantSystem, shuffledSystem)), ([t, b]) => {
        fc.pre(nonZero(b));
        const a = build(t);
        const viaTransposedSolve = factorize(a).solveTransposed(b);
        const viaTranspose = factorize(transpose(a)).solve(b);
        expect(relativeGap(viaTransposedSolve, viaTranspose)).toBeLessThan(1e-12);
      }),
      { numRuns: 300 },
    );
  });
});
