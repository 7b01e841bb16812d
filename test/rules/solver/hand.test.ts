import { describe, expect, it } from "vitest";
import { factorize, fromTriplets, SingularSystemError } from "../../../rules/solver/index.ts";
import { multiply, multiplyTransposed, relativeGap } from "./helpers.ts";

const vec = (...v: number[]): Float64Array => Float64Array.from(v);

/** Builds a matrix from dense rows (zeros are left out). */
function fromRows(rows: number[][]): ReturnType<typeof fromTriplets> {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  rows.forEach((row, i) =>
    row.forEach((value, j) => {
      if (value !== 0) {
        r.push(i);
        c.push(j);
        v.push(value);
      }
    }),
  );
  return fromTriplets(rows.length, r, c, v);
}

function expectClose(actual: Float64Array, expected: number[], tol = 1e-14): void {
  expect(actual.length).toBe(expected.length);
  expect(relativeGap(actual, expected)).toBeLessThan(tol);
}

describe("fromTriplets", () => {
  it("sums duplicates, drops explicit and cancelling zeros, sorts rows", () => {
    const a = fromTriplets(3, [2, 0, 0, 1, 1, 2], [0, 0, 0, 1, 1, 2], [5, 1, 2, 3, -3, 0]);
    expect(Array.from(a.colPtr)).toEqual([0, 2, 2, 2]);
    expect(Array.from(a.rowIdx)).toEqual([0, 2]);
    expect(Array.from(a.values)).toEqual([3, 5]);
  });

  it("rejects indices outside the matrix and non-finite values", () => {
    expect(() => fromTriplets(2, [2], [0], [1])).toThrow(RangeError);
    expect(() => fromTriplets(2, [0], [0], [Number.NaN])).toThrow(RangeError);
    expect(() => fromTriplets(2, [0, 1], [0], [1])).toThrow(RangeError);
  });
});

describe("factorize on systems checked by hand", () => {
  it("solves a single process", () => {
    const f = factorize(fromRows([[2]]));
    expectClose(f.solve(vec(4)), [2]);
    expectClose(f.solveTransposed(vec(3)), [1.5]);
    expect(f.stats).toEqual({ blocks: 1, largestBlock: 1, loopBlocks: 0, nnzL: 0, nnzU: 1 });
  });

  it("solves an acyclic chain by substitution, without any LU", () => {
    // Process 0 makes 1 of product 0 from 2 of product 1; process 1 makes 1 of product 1 from
    // 3 of product 2; process 2 (a raw material) makes 0.5 per run.
    const f = factorize(
      fromRows([
        [1, 0, 0],
        [-2, 1, 0],
        [0, -3, 0.5],
      ]),
    );
    expectClose(f.solve(vec(1, 0, 0)), [1, 2, 12]);
    expect(f.stats.loopBlocks).toBe(0);
    expect(f.stats.blocks).toBe(3);
  });

  it("solves a two-product loop (electricity needs coal, coal mining needs electricity)", () => {
    // electricity: 1 kWh needs 0.5 kg coal; coal: 1 kg needs 0.2 kWh.
    // s_e − 0.2 s_c = 1, −0.5 s_e + s_c = 0  ⇒  s_e = 1/0.9, s_c = 0.5/0.9.
    const a = fromRows([
      [1, -0.2],
      [-0.5, 1],
    ]);
    const f = factorize(a);
    expectClose(f.solve(vec(1, 0)), [10 / 9, 5 / 9]);
    expect(f.stats).toMatchObject({ blocks: 1, largestBlock: 2, loopBlocks: 1 });
  });

  it("gives the score of every product by the transposed solve", () => {
    // Direct kg CO2e per unit of process: electricity 0.8, coal 0.1.
    // y_e − 0.5 y_c = 0.8, −0.2 y_e + y_c = 0.1  ⇒  y_e = 0.85/0.9, y_c = 0.1 + 0.2·y_e.
    const f = factorize(
      fromRows([
        [1, -0.2],
        [-0.5, 1],
      ]),
    );
    const ye = 0.85 / 0.9;
    expectClose(f.solveTransposed(vec(0.8, 0.1)), [ye, 0.1 + 0.2 * ye]);
  });

  it("solves a ring of k processes exactly as the geometric series it stands for", () => {
    // Process i needs r of product i+1 (mod k): s_i = r^i / (1 − r^k) for one unit of product 0.
    const k = 7;
    const r = 0.6;
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < k; i++) {
      rows.push(i, (i + 1) % k);
      cols.push(i, i);
      vals.push(1, -r);
    }
    const f = factorize(fromTriplets(k, rows, cols, vals));
    const b = new Float64Array(k);
    b[0] = 1;
    const expected = Array.from({ length: k }, (_, i) => r ** i / (1 - r ** k));
    expectClose(f.solve(b), expected);
    expect(f.stats).toMatchObject({ blocks: 1, largestBlock: k, loopBlocks: 1 });
  });

  it("handles waste treatment (negative production, positive input)", () => {
    // Process 0 makes 1 product and 0.3 kg waste (input +0.3 of waste row); process 1 treats
    // waste: −1 kg per run and needs 0.1 of product 0.
    const f = factorize(
      fromRows([
        [1, -0.1],
        [0.3, -1],
      ]),
    );
    // s0 − 0.1 s1 = 1, 0.3 s0 − s1 = 0 ⇒ s1 = 0.3 s0, s0 = 1/0.97.
    expectClose(f.solve(vec(1, 0)), [1 / 0.97, 0.3 / 0.97]);
  });

  it("pairs rows and columns itself when the diagonal is missing", () => {
    // Products listed in another order than processes: A[0][0] = A[1][1] = 0.
    const f = factorize(
      fromRows([
        [0, 2],
        [3, 0],
      ]),
    );
    expectClose(f.solve(vec(4, 9)), [3, 2]);
    expectClose(f.solveTransposed(vec(9, 4)), [2, 3]);
  });

  it("finds the matching by an augmenting path when the diagonal is only partly usable", () => {
    // Column 0 first takes row 0 (its diagonal); column 1 only has row 0, so column 0 must move
    // to row 1. x0 + x1 = b0, x0 = b1.
    const a = fromRows([
      [1, 1],
      [1, 0],
    ]);
    const f = factorize(a);
    expectClose(f.solve(vec(5, 2)), [2, 3]);
    // and within a loop: a 3-cycle whose rows are rotated
    const rotated = fromRows([
      [0, 1, 4],
      [2, 0, 1],
      [1, 3, 0],
    ]);
    const g = factorize(rotated);
    const x = g.solve(vec(1, 2, 3));
    expect(relativeGap(multiply(rotated, x), [1, 2, 3])).toBeLessThan(1e-14);
  });

  it("pivots off the diagonal when the diagonal is too small", () => {
    // |a00| = 1e-9 < 0.1·|a10|: partial pivoting must swap, or the answer loses all digits.
    const a = fromRows([
      [1e-9, 1],
      [1, 1],
    ]);
    const f = factorize(a);
    const x = f.solve(vec(1, 2));
    const det = 1e-9 - 1;
    expectClose(x, [(1 - 2) / det, (1e-9 * 2 - 1) / det], 1e-15);
    expect(relativeGap(multiplyTransposed(a, f.solveTransposed(vec(1, 2))), [1, 2])).toBeLessThan(1e-15);
  });

  it("keeps acyclic processes outside the loop in front of and behind it", () => {
    // 0 (foreground) uses 1; {1, 2} loop; 2 uses raw material 3.
    const a = fromRows([
      [1, 0, 0, 0],
      [-1, 1, -0.5, 0],
      [0, -0.5, 1, 0],
      [0, 0, -2, 1],
    ]);
    const f = factorize(a);
    expect(f.stats).toMatchObject({ blocks: 3, largestBlock: 2, loopBlocks: 1 });
    // s0 = 1; s1 − 0.5 s2 = 1; s2 = 0.5 s1 ⇒ s1 = 4/3, s2 = 2/3; s3 = 2 s2 = 4/3.
    expectClose(f.solve(vec(1, 0, 0, 0)), [1, 4 / 3, 2 / 3, 4 / 3]);
  });

  it("rejects a right-hand side of the wrong length", () => {
    const f = factorize(fromRows([[1]]));
    expect(() => f.solve(vec(1, 2))).toThrow(RangeError);
    expect(() => f.solveTransposed(vec())).toThrow(RangeError);
  });
});

describe("singular systems", () => {
  function singularity(run: () => unknown): SingularSystemError {
    try {
      run();
    } catch (e) {
      if (e instanceof SingularSystemError) return e;
      throw e;
    }
    throw new Error("expected a SingularSystemError");
  }

  it("names a process with no product row of its own (structurally singular)", () => {
    // Row 1 is empty: both processes compete for product 0.
    const e = singularity(() =>
      factorize(
        fromRows([
          [1, 1],
          [0, 0],
        ]),
      ),
    );
    expect(e.kind).toBe("structural");
    expect(e.column).toBe(1);
  });

  it("names an empty process column", () => {
    const e = singularity(() => factorize(fromTriplets(3, [0, 2], [1, 2], [1, 1])));
    expect(e.kind).toBe("structural");
    expect(e.column).toBe(0);
  });

  it("detects a loop whose processes only pass the product around (numerically singular)", () => {
    // 1 needs exactly all of 2's output and vice versa: no net production, no unique supply.
    const e = singularity(() =>
      factorize(
        fromRows([
          [1, 0, 0],
          [-1, 1, -1],
          [0, -1, 1],
        ]),
      ),
    );
    expect(e.kind).toBe("numerical");
    expect([1, 2]).toContain(e.column);
  });

  it("detects singularity hidden by rounding", () => {
    // Column 1 is 3 × column 0 but 0.1, 0.3, 0.2, 0.6 are not exact in binary.
    const e = singularity(() =>
      factorize(
        fromRows([
          [0.1, 0.3],
          [0.2, 0.6],
        ]),
      ),
    );
    expect(e).toBeInstanceOf(SingularSystemError);
    expect(e.kind).toBe("numerical");
  });

  it("accepts an ill-scaled but regular loop (units from mBq to tonnes)", () => {
    const a = fromRows([
      [1e-12, -3e3],
      [-2e-18, 1e6],
    ]);
    const f = factorize(a);
    const x = f.solve(vec(1e-12, 0));
    // x1 = 2e-18 x0 / 1e6; x0 (1e-12 − 3e3·2e-24) = 1e-12.
    const x0 = 1e-12 / (1e-12 - 6e-21);
    expectClose(x, [x0, 2e-24 * x0], 1e-14);
  });
});

describe("large systems", () => {
  it("walks a 30 000-process chain and a 30 000-process ring without recursion", () => {
    const n = 30_000;
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < n; i++) {
      rows.push(i);
      cols.push(i);
      vals.push(1);
      if (i + 1 < n) {
        rows.push(i + 1);
        cols.push(i);
        vals.push(-0.5);
      }
    }
    const chain = factorize(fromTriplets(n, rows, cols, vals));
    expect(chain.stats).toMatchObject({ blocks: n, loopBlocks: 0 });
    const b = new Float64Array(n);
    b[0] = 1;
    const x = chain.solve(b);
    expect(x[10]).toBeCloseTo(0.5 ** 10, 15);

    rows.push(0);
    cols.push(n - 1);
    vals.push(-0.5);
    const ringMatrix = fromTriplets(n, rows, cols, vals);
    const ring = factorize(ringMatrix);
    expect(ring.stats).toMatchObject({ blocks: 1, largestBlock: n, loopBlocks: 1 });
    const s = ring.solve(b);
    expect(s[0]).toBeCloseTo(1, 14);
    expect(relativeGap(multiply(ringMatrix, s), b)).toBeLessThan(1e-14);
  });
});
