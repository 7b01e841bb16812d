/**
 * Benchmark: a generated flat inventory of 100 000 lines through the footprint calculator.
 * Run: `npx tsx bench/calc/flat.ts [lines] [runs]`. Prints the median of timed runs after warm-up,
 * split into schema validation, the calculation itself (including the canonical-input SHA-256,
 * which is part of every result), and the hash alone so its share is visible.
 */
import { calculateFootprint, parseInventory } from "../../rules/calculator/index.ts";
import type { Inventory, InventoryLine } from "../../rules/calculator/schema.ts";
import { contentHash } from "../../rules/canonical.ts";
import { STAGES } from "../../rules/stages.ts";

const FACTORS: ReadonlyArray<readonly [code: string, kind: "material" | "fuel" | "waste" | "transport", unit: string]> = [
  ["MAT-LIMESTONE-DEMO", "material", "t"],
  ["MAT-GYPSUM-DEMO", "material", "kg"],
  ["MAT-PET-FDY-DEMO", "material", "kg"],
  ["MAT-CU-FOIL-DEMO", "material", "g"],
  ["FUEL-RAW-COAL", "fuel", "kg"],
  ["FUEL-NATURAL-GAS", "fuel", "m3"],
  ["WST-TEXTILE-WASTEWATER-DEMO", "waste", "L"],
  ["TR-ROAD-HDT-30T-DEMO", "transport", "tkm"],
];

/** Deterministic inventory: lines cycle through factors, stages, units and a few grid/gas lines. */
export function generateFlatInventory(lineCount: number): Inventory {
  const lines: InventoryLine[] = new Array(lineCount);
  let x = 0x9e3779b9;
  const rand = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  for (let i = 0; i < lineCount; i++) {
    const stage = STAGES[i % 3] ?? "production";
    const dataType = i % 3 === 0 ? "primary" : "secondary";
    const dataQuality = { reliability: 1 + (i % 3), completeness: 2, temporal: 1 + (i % 2), geographical: 2, technological: 1 + (i % 4) };
    const amount = Math.round(rand() * 1e6) / 1000;
    if (i % 50 === 0) {
      lines[i] = { id: `L${i}`, stage: "production", kind: "electricity", amount, unit: "kWh", supply: { type: "grid" }, dataType, dataQuality };
    } else if (i % 37 === 0) {
      lines[i] = { id: `L${i}`, stage: "production", kind: "process_emission", gas: "ch4_fossil", amount: amount / 1000, unit: "kg", dataType, dataQuality };
    } else {
      const [factorCode, kind, unit] = FACTORS[i % FACTORS.length] ?? FACTORS[0]!;
      lines[i] = { id: `L${i}`, stage, kind, amount, unit, factorCode, dataType, dataQuality } as InventoryLine;
    }
  }
  return {
    pcr: { code: "PCR-CN-TEXTILE-FABRIC", version: "1.0.0" },
    factorDataset: { id: "CN-DEMO", version: "2026.1" },
    gwpSet: "AR6",
    declaredUnit: { quantity: 1, unit: "kg" },
    period: { start: "2025-01-01", end: "2025-12-31" },
    referenceProduct: "fabric",
    products: [{ id: "fabric", output: { amount: 1000, unit: "kg" }, lines }],
  };
}

export interface FlatBenchResult {
  readonly name: string;
  readonly lines: number;
  readonly runs: number;
  /** Median milliseconds. */
  readonly calculateMs: number;
  readonly hashMs: number;
  readonly calculateWithoutHashMs: number;
  readonly validateMs: number;
  readonly targetMs: 100;
  readonly total: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function time(fn: () => unknown, runs: number): number {
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

export function runFlatBench(lineCount = 100_000, runs = 9, warmup = 3): FlatBenchResult {
  const inventory = generateFlatInventory(lineCount);
  let total = 0;
  for (let w = 0; w < warmup; w++) total = calculateFootprint(inventory).total;
  const calculateMs = time(() => calculateFootprint(inventory), runs);
  const hashMs = time(() => contentHash(inventory), runs);
  const validateMs = time(() => parseInventory(inventory), Math.max(3, runs >> 1));
  return {
    name: "calc/flat",
    lines: lineCount,
    runs,
    calculateMs,
    hashMs,
    calculateWithoutHashMs: calculateMs - hashMs,
    validateMs,
    targetMs: 100,
    total,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = Number(process.argv[2] ?? 100_000);
  const runs = Number(process.argv[3] ?? 9);
  const r = runFlatBench(lines, runs);
  const f = (ms: number) => `${ms.toFixed(1)} ms`;
  process.stdout.write(
    [
      `calc/flat: ${r.lines} lines, median of ${r.runs} runs after warm-up`,
      `  calculateFootprint (incl. input SHA-256): ${f(r.calculateMs)}  (target < ${r.targetMs} ms: ${r.calculateMs < r.targetMs ? "met" : "NOT met"})`,
      `    of which canonical JSON + SHA-256:      ${f(r.hashMs)}`,
      `    calculation without the hash:          ${f(r.calculateWithoutHashMs)}`,
      `  schema validation (parseInventory):       ${f(r.validateMs)}  (done once at the API/CLI boundary)`,
      `  total: ${r.total} kgCO2e per declared unit`,
      "",
    ].join("\n"),
  );
}
