/**
 * Benchmark of the exact technosphere solver on generated LCA-shaped systems.
 *
 *   npm run bench:solve [-- --sizes 1000,10000,25000 --variants hub,stress --seed 1
 *                           --no-scipy --scipy-fresh --scipy-timeout 900]
 *
 * See bench/solve/README.md for what is measured.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { factorize, fromTriplets, type Factorization, type SparseMatrixCSC } from "../../rules/solver/index.ts";
import { generateProductSystem, type Variant, writeMatrixMarket, writeVectors } from "./generate.ts";
import { readMatrixMarket } from "./mtx.ts";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "..", "out");
const PYTHON = "/usr/bin/python3";

interface Options {
  sizes: number[];
  variants: Variant[];
  seed: number;
  scipy: boolean;
  scipyFresh: boolean;
  scipyTimeoutS: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { sizes: [1000, 10000, 25000], variants: ["hub", "stress"], seed: 1, scipy: true, scipyFresh: false, scipyTimeoutS: 1800 };
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    const value = (): string => {
      const v = argv[++k];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--sizes") options.sizes = value().split(",").map(Number);
    else if (arg === "--variants") options.variants = value().split(",") as Variant[];
    else if (arg === "--seed") options.seed = Number(value());
    else if (arg === "--no-scipy") options.scipy = false;
    else if (arg === "--scipy-fresh") options.scipyFresh = true;
    else if (arg === "--scipy-timeout") options.scipyTimeoutS = Number(value());
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

function now(): bigint {
  return process.hrtime.bigint();
}

function ms(from: bigint, to: bigint): number {
  return Number(to - from) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median wall time of fn after warm-up; slow steps get fewer repetitions. */
function measure<T>(fn: () => T, warmup: number, runs: number): { ms: number; all: number[]; result: T } {
  // Warm up by count and by time, so that small cases also reach optimised code.
  const warmStart = now();
  let result = fn();
  for (let k = 1; k < 50 && (k < warmup || ms(warmStart, now()) < 500); k++) result = fn();
  const probe = now();
  result = fn();
  const first = ms(probe, now());
  const count = first > 1000 ? Math.min(runs, 3) : runs;
  const all = [first];
  for (let k = 1; k < count; k++) {
    const t0 = now();
    result = fn();
    all.push(ms(t0, now()));
  }
  return { ms: median(all), all, result };
}

function multiply(a: SparseMatrixCSC, x: Float64Array): Float64Array {
  const y = new Float64Array(a.n);
  for (let j = 0; j < a.n; j++) {
    const xj = x[j]!;
    for (let q = a.colPtr[j]!; q < a.colPtr[j + 1]!; q++) y[a.rowIdx[q]!]! += a.values[q]! * xj;
  }
  return y;
}

function multiplyTransposed(a: SparseMatrixCSC, y: Float64Array): Float64Array {
  const x = new Float64Array(a.n);
  for (let j = 0; j < a.n; j++) {
    let s = 0;
    for (let q = a.colPtr[j]!; q < a.colPtr[j + 1]!; q++) s += a.values[q]! * y[a.rowIdx[q]!]!;
    x[j] = s;
  }
  return x;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/**
 * Componentwise (Oettli–Prager) backward error max_i |A·x − b|_i / (|A|·|x| + |b|)_i: the
 * smallest relative change to the entries of A and b that makes x exact. Unlike ‖A·x − b‖/‖b‖
 * it does not grow with the spread of units in the system.
 */
function backwardError(a: SparseMatrixCSC, x: Float64Array, b: Float64Array, transposed: boolean): number {
  const r = new Float64Array(a.n);
  const s = new Float64Array(a.n);
  for (let j = 0; j < a.n; j++) {
    for (let q = a.colPtr[j]!; q < a.colPtr[j + 1]!; q++) {
      const i = a.rowIdx[q]!;
      const v = a.values[q]!;
      if (transposed) {
        r[j]! += v * x[i]!;
        s[j]! += Math.abs(v * x[i]!);
      } else {
        r[i]! += v * x[j]!;
        s[i]! += Math.abs(v * x[j]!);
      }
    }
  }
  let worst = 0;
  for (let i = 0; i < a.n; i++) {
    const denominator = s[i]! + Math.abs(b[i]!);
    const residual = Math.abs(r[i]! - b[i]!);
    if (residual > 0) worst = Math.max(worst, denominator > 0 ? residual / denominator : Infinity);
  }
  return worst;
}

function relativeResidual(r: Float64Array, b: Float64Array): number {
  const d = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) d[i] = r[i]! - b[i]!;
  return norm(d) / norm(b);
}

/** max |ours − theirs| / max |theirs| */
function relativeDifference(ours: Float64Array, theirs: Float64Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ours.length; i++) {
    diff = Math.max(diff, Math.abs(ours[i]! - theirs[i]!));
    scale = Math.max(scale, Math.abs(theirs[i]!));
  }
  return diff / (scale || 1);
}

function fileHash(paths: string[]): string {
  const h = createHash("sha256");
  for (const p of paths) h.update(readFileSync(p));
  return h.digest("hex");
}

function scipyAvailable(): boolean {
  const probe = spawnSync(PYTHON, ["-c", "import scipy"], { stdio: "ignore" });
  return probe.status === 0;
}

interface ScipyFigures {
  scipy: string;
  spsolveMs: number;
  factorMs: number;
  solveMs: number;
  solveTransposedMs: number;
  nnzL: number;
  nnzU: number;
  cached?: boolean;
  supplyRelDiff?: number;
  scoresRelDiff?: number;
  agrees?: boolean;
}

function runScipy(casePath: string, options: Options): ScipyFigures | { error: string } {
  const resultPath = `${casePath}.scipy.json`;
  const hash = fileHash([`${casePath}.mtx`, `${casePath}.json`]);
  if (!options.scipyFresh && existsSync(resultPath) && existsSync(`${casePath}.scipy-x.bin`)) {
    const cached = JSON.parse(readFileSync(resultPath, "utf8")) as ScipyFigures & { sourceHash?: string };
    if (cached.sourceHash === hash) return { ...cached, cached: true };
  }
  const run = spawnSync(PYTHON, [join(here, "scipy_bench.py"), casePath], {
    encoding: "utf8",
    timeout: options.scipyTimeoutS * 1000,
  });
  if (run.error || run.status !== 0) {
    const why = run.signal ? `stopped after ${options.scipyTimeoutS} s (${run.signal})` : (run.stderr || String(run.error)).trim().split("\n").pop();
    return { error: why ?? "failed" };
  }
  return JSON.parse(readFileSync(resultPath, "utf8")) as ScipyFigures;
}

function readVector(path: string): Float64Array {
  const buf = readFileSync(path);
  return new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

interface CaseResult {
  case: string;
  n: number;
  variant: Variant;
  nnz: number;
  stats: Factorization["stats"];
  assembleMs: number;
  factorMs: number;
  factorRunsMs: number[];
  solveMs: number;
  scoresMs: number;
  supplyResidual: number;
  scoresResidual: number;
  supplyBackwardError: number;
  scoresBackwardError: number;
  scipy: ScipyFigures | { error: string } | { skipped: string };
}

const TARGETS = { hubFactorMs: 100, hubSolveMs: 5, hubScoresMs: 10, stressFactorMs: 5000 };

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  mkdirSync(outDir, { recursive: true });
  const withScipy = options.scipy && scipyAvailable();
  if (!options.scipy) console.log("SciPy comparison disabled (--no-scipy).");
  else if (!withScipy)
    console.log(`SciPy not available (${PYTHON} -c 'import scipy' failed; Debian package python3-scipy): skipping the SciPy comparison.`);

  const results: CaseResult[] = [];
  for (const variant of options.variants) {
    for (const n of options.sizes) {
      const name = `lca-${variant}-${n}-s${options.seed}`;
      const casePath = join(outDir, name);
      const system = generateProductSystem(n, variant, options.seed);
      writeMatrixMarket(`${casePath}.mtx`, system, `CarbonLabel bench: ${variant} variant, ${n} processes, seed ${options.seed}`);
      writeVectors(`${casePath}.json`, system);

      // Solve exactly what SciPy reads: the file, not the in-memory system.
      const triplets = readMatrixMarket(`${casePath}.mtx`);
      const assemble = measure(() => fromTriplets(triplets.n, triplets.rows, triplets.cols, triplets.values), 1, 5);
      const a = assemble.result;
      const factor = measure(() => factorize(a), 3, 9);
      const f = factor.result;
      const demand = new Float64Array(n);
      demand[system.demandRow] = 1;
      const solve = measure(() => f.solve(demand), 5, 31);
      const scores = measure(() => f.solveTransposed(system.indicator), 5, 31);
      const supply = solve.result;
      const score = scores.result;

      const result: CaseResult = {
        case: name,
        n,
        variant,
        nnz: a.colPtr[n]!,
        stats: f.stats,
        assembleMs: assemble.ms,
        factorMs: factor.ms,
        factorRunsMs: factor.all,
        solveMs: solve.ms,
        scoresMs: scores.ms,
        supplyResidual: relativeResidual(multiply(a, supply), demand),
        scoresResidual: relativeResidual(multiplyTransposed(a, score), system.indicator),
        supplyBackwardError: backwardError(a, supply, demand, false),
        scoresBackwardError: backwardError(a, score, system.indicator, true),
        scipy: { skipped: withScipy ? "" : "SciPy not available" },
      };
      if (withScipy) {
        process.stdout.write(`  ${name}: SciPy … `);
        const sp = runScipy(casePath, options);
        if ("error" in sp) {
          result.scipy = sp;
          console.log(`failed: ${sp.error}`);
        } else {
          sp.supplyRelDiff = relativeDifference(supply, readVector(`${casePath}.scipy-x.bin`));
          sp.scoresRelDiff = relativeDifference(score, readVector(`${casePath}.scipy-y.bin`));
          sp.agrees = sp.supplyRelDiff <= 1e-9 && sp.scoresRelDiff <= 1e-9;
          result.scipy = sp;
          console.log(`${sp.cached ? "cached" : "done"}, agreement ${sp.agrees ? "≤ 1e-9" : "FAILED"}`);
        }
      }
      results.push(result);
      console.log(
        `  ${name}: factor ${result.factorMs.toFixed(1)} ms, solve ${result.solveMs.toFixed(2)} ms, scores ${result.scoresMs.toFixed(2)} ms`,
      );
    }
  }

  printTable(results);
  const verdicts = checkTargets(results);
  for (const v of verdicts) console.log(v);
  const json = {
    machine: { node: process.version, platform: process.platform, arch: process.arch },
    seed: options.seed,
    targets: TARGETS,
    verdicts,
    results,
  };
  writeFileSync(join(outDir, "solve.json"), JSON.stringify(json, null, 2));
  console.log(`\nwrote ${join(outDir, "solve.json")}`);
}

function fmt(v: number | undefined, digits = 1): string {
  return v === undefined ? "—" : v.toFixed(digits);
}

function printTable(results: CaseResult[]): void {
  const header = [
    "case",
    "n",
    "nnz",
    "blocks",
    "largest",
    "nnz(L+U)",
    "factor ms",
    "solve ms",
    "scores ms",
    "‖r‖/‖b‖",
    "bwd err",
    "SciPy spsolve ms",
    "SciPy factor ms",
    "SciPy solve ms",
    "SciPy scoresᵀ ms",
    "SciPy nnz(L+U)",
    "max rel diff",
  ];
  const rows = results.map((r) => {
    const sp = r.scipy;
    const ok = "factorMs" in sp;
    return [
      r.variant,
      String(r.n),
      String(r.nnz),
      String(r.stats.blocks),
      String(r.stats.largestBlock),
      String(r.stats.nnzL + r.stats.nnzU),
      fmt(r.factorMs),
      fmt(r.solveMs, 2),
      fmt(r.scoresMs, 2),
      Math.max(r.supplyResidual, r.scoresResidual).toExponential(1),
      Math.max(r.supplyBackwardError, r.scoresBackwardError).toExponential(1),
      ok ? fmt(sp.spsolveMs) : "error" in sp ? "failed" : "skipped",
      ok ? fmt(sp.factorMs) : "—",
      ok ? fmt(sp.solveMs, 2) : "—",
      ok ? fmt(sp.solveTransposedMs, 2) : "—",
      ok ? String(sp.nnzL + sp.nnzU) : "—",
      ok ? Math.max(sp.supplyRelDiff ?? 0, sp.scoresRelDiff ?? 0).toExponential(1) : "—",
    ];
  });
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (cells: string[]): string => "| " + cells.map((c, k) => c.padStart(widths[k]!)).join(" | ") + " |";
  console.log("\n" + line(header));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const r of rows) console.log(line(r));
  console.log("");
}

function checkTargets(results: CaseResult[]): string[] {
  const verdicts: string[] = [];
  const hub = results.find((r) => r.variant === "hub" && r.n === 25000);
  const stress = results.find((r) => r.variant === "stress" && r.n === 25000);
  const say = (label: string, value: number, limit: number): void => {
    verdicts.push(`${value <= limit ? "met   " : "MISSED"} ${label}: ${value.toFixed(2)} ms (target ≤ ${limit} ms)`);
  };
  if (hub) {
    say("hub 25 000 analyse+factor", hub.factorMs, TARGETS.hubFactorMs);
    say("hub 25 000 one solve", hub.solveMs, TARGETS.hubSolveMs);
    say("hub 25 000 all-process scores", hub.scoresMs, TARGETS.hubScoresMs);
  }
  if (stress) say("stress 25 000 analyse+factor", stress.factorMs, TARGETS.stressFactorMs);
  for (const r of results) {
    const worst = Math.max(r.supplyBackwardError, r.scoresBackwardError);
    if (!(worst < 1e-12)) verdicts.push(`BACKWARD ERROR ${r.case}: ${worst.toExponential(2)}`);
    if ("agrees" in r.scipy && !r.scipy.agrees) verdicts.push(`DISAGREES WITH SCIPY ${r.case}`);
  }
  return verdicts;
}

main();
