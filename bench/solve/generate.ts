/**
 * Deterministic generator of LCA-shaped product systems (technosphere matrices), written as
 * Matrix Market files so that other solvers can read exactly the same systems.
 *
 * Shape, in generation order (before the final shuffle):
 *   - 10 % raw-material processes: their own product plus a link or two to other raw materials;
 *   - 45 % looping core: utilities and intermediates consuming each other. Inputs are drawn by
 *     preferential attachment (a product is chosen with probability ∝ 1 + times already chosen),
 *     with a small set of hub products (electricity, heat, transport, markets) weighted up;
 *     loop-closing links (a process consuming a product made later in the order) create cycles:
 *       hub variant:    mostly in hub columns (a market or grid buying from its suppliers), so
 *                       nearly every cycle passes through a hub, as in ecoinvent;
 *       stress variant: between arbitrary core processes, so cycles go anywhere and the loop
 *                       block has no small separator;
 *   - 45 % foreground: products assembled from core products, raw materials and earlier
 *     foreground products (acyclic).
 *
 * Values: A = S_r·(I − N)·S_c. N ≥ 0 holds input amounts per unit output; inside the core every
 * column of N sums to at most 0.9, so ‖N_core‖₁ < 1 and the loops are solvable, while inputs from
 * outside the loops are unconstrained (a process may need more of an input than it makes).
 * S_c is the production amount (not always 1) and S_r the unit of each product (10⁻³…10³, and
 * negative for waste-treatment products, whose producer "makes" −1 and whose sources show a
 * positive input, as in ecoinvent). Magnitudes are kept within 1e-15…1e6.
 * Rows and columns are finally shuffled by one random permutation (each process stays paired
 * with its own product, as LCA databases key them).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export type Variant = "hub" | "stress";

export interface ProductSystem {
  readonly n: number;
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly values: Float64Array;
  /** Row of the demanded foreground product (one unit of it is the functional unit). */
  readonly demandRow: number;
  /** Characterisation × biosphere: direct impact per unit of each process (by column). */
  readonly indicator: Float64Array;
}

/** mulberry32: small, fast, good enough for test data, and identical on every platform. */
export function randomSource(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateProductSystem(n: number, variant: Variant, seed: number): ProductSystem {
  const random = randomSource(seed * 7919 + (variant === "hub" ? 1 : 2) + n);
  const int = (k: number): number => Math.floor(random() * k);
  const logUniform = (lo: number, hi: number): number => Math.exp(Math.log(lo) + random() * (Math.log(hi) - Math.log(lo)));

  const nRaw = Math.max(1, Math.round(0.1 * n));
  const nCore = Math.max(2, Math.round(0.45 * n));
  const coreStart = nRaw;
  const foreStart = nRaw + nCore;
  const nHub = Math.max(2, Math.round(0.015 * nCore));

  // input lists per process (generation order): product index and amount per unit output (N)
  const inputs: { product: number[]; amount: number[] }[] = [];
  for (let j = 0; j < n; j++) inputs.push({ product: [], amount: [] });
  const add = (j: number, i: number, amount: number): void => {
    inputs[j]!.product.push(i);
    inputs[j]!.amount.push(amount);
  };

  // Preferential-attachment urns: a product appears once, plus once per time it was chosen.
  const rawUrn: number[] = [];
  const coreUrn: number[] = [];
  const pick = (urn: number[]): number => {
    const i = urn[int(urn.length)]!;
    urn.push(i);
    return i;
  };

  for (let j = 0; j < nRaw; j++) {
    if (j > 0) {
      const links = int(3); // 0, 1 or 2 links to earlier raw materials
      for (let t = 0; t < links; t++) add(j, pick(rawUrn), logUniform(1e-6, 1));
    }
    rawUrn.push(j);
  }

  // Hubs are the first core products: every later core process can buy from them.
  for (let h = 0; h < nHub; h++) for (let t = 0; t < 40; t++) coreUrn.push(coreStart + h);
  const loopBudget = new Float64Array(n);
  for (let j = coreStart; j < foreStart; j++) {
    const local = j - coreStart;
    loopBudget[j] = 0.3 + 0.6 * random();
    if (local > 0) {
      const upstream = 9;
      for (let t = 0; t < upstream && coreUrn.length > 0; t++) {
        const i = pick(coreUrn);
        if (i < j) add(j, i, -1); // core amounts are set below from the column's loop budget
      }
    }
    for (let t = 0; t < 2; t++) add(j, pick(rawUrn), logUniform(1e-6, 1));
    if (local >= nHub) for (let t = 0; t < 1; t++) coreUrn.push(j);
  }
  // Loop-closing links: one per core process on average.
  for (let t = 0; t < nCore; t++) {
    const target = coreStart + nHub + int(nCore - nHub); // a product made later than hubs
    let consumer: number;
    if (variant === "hub" && random() < 0.95) consumer = coreStart + int(nHub);
    else consumer = coreStart + int(nCore);
    if (consumer !== target) add(consumer, target, -1);
  }

  for (let j = foreStart; j < n; j++) {
    for (let t = 0; t < 7; t++) add(j, pick(coreUrn), logUniform(1e-6, 2));
    for (let t = 0; t < 2; t++) add(j, pick(rawUrn), logUniform(1e-6, 2));
    const earlier = j - foreStart;
    if (earlier > 0) for (let t = 0; t < 3; t++) add(j, foreStart + int(earlier), logUniform(1e-3, 1));
  }

  // Core-to-core amounts: random shares of the column's loop budget, spread over many decades.
  for (let j = coreStart; j < foreStart; j++) {
    const { product, amount } = inputs[j]!;
    let sum = 0;
    for (let t = 0; t < product.length; t++) {
      if (amount[t]! < 0) {
        amount[t] = logUniform(1e-10, 1);
        sum += amount[t]!;
      }
    }
    if (sum > 0) {
      const scale = loopBudget[j]! / sum;
      for (let t = 0; t < product.length; t++) {
        const i = product[t]!;
        if (i >= coreStart && i < foreStart) amount[t]! *= scale;
      }
    }
  }

  // Units and production amounts.
  const rowScale = new Float64Array(n);
  const production = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = random() < 0.6 ? 0 : int(7) - 3;
    const isWaste = i >= coreStart && i < foreStart && i >= coreStart + nHub && random() < 0.05;
    rowScale[i] = (isWaste ? -1 : 1) * 10 ** u;
    production[i] = random() < 0.7 ? 1 : logUniform(1e-2, 1e2);
  }

  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const k = int(i + 1);
    const t = perm[i]!;
    perm[i] = perm[k]!;
    perm[k] = t;
  }

  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  const clamp = (v: number): number => {
    const a = Math.abs(v);
    if (a < 1e-15) return Math.sign(v) * 1e-15;
    if (a > 1e6) return Math.sign(v) * 1e6;
    return v;
  };
  for (let j = 0; j < n; j++) {
    rows.push(perm[j]!);
    cols.push(perm[j]!);
    values.push(clamp(rowScale[j]! * production[j]!));
    const { product, amount } = inputs[j]!;
    for (let t = 0; t < product.length; t++) {
      const i = product[t]!;
      rows.push(perm[i]!);
      cols.push(perm[j]!);
      values.push(clamp(-rowScale[i]! * amount[t]! * production[j]!));
    }
  }

  const indicator = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    if (random() < 0.7) indicator[perm[j]!] = production[j]! * logUniform(1e-4, 10) * (j < nRaw ? 10 : 1);
  }
  const demandRow = perm[n - 1]!;
  return {
    n,
    rows: Int32Array.from(rows),
    cols: Int32Array.from(cols),
    values: Float64Array.from(values),
    demandRow,
    indicator,
  };
}

/** Matrix Market "coordinate real general", 1-based; duplicates are left for the reader to sum. */
export function writeMatrixMarket(path: string, system: ProductSystem, comment: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const lines: string[] = ["%%MatrixMarket matrix coordinate real general", `% ${comment}`];
  lines.push(`${system.n} ${system.n} ${system.values.length}`);
  for (let k = 0; k < system.values.length; k++) {
    lines.push(`${system.rows[k]! + 1} ${system.cols[k]! + 1} ${system.values[k]!}`);
  }
  writeFileSync(path, lines.join("\n") + "\n");
}

/** Demand and indicator vectors beside the matrix, as JSON (numbers round-trip exactly). */
export function writeVectors(path: string, system: ProductSystem): void {
  writeFileSync(path, JSON.stringify({ n: system.n, demandRow: system.demandRow, indicator: Array.from(system.indicator) }));
}
