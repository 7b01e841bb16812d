/**
 * `npm run bench`: every benchmark, one after the other, each printing its own table.
 *   calc/flat  — a 100 000-line flat inventory through calculateFootprint (bench/calc/flat.ts)
 *   solve      — the sparse technosphere solver on generated LCA systems, beside SciPy when
 *                installed (bench/solve/run.ts; `npm run bench:solve -- --help` for its options)
 *   pdf/render — the demo certificate PDF: warm p50/p95 render time and size (bench/pdf/render.ts)
 *   import     — a 10 000-line inventory workbook: read, check, replace in one transaction,
 *                recalculate (bench/import/run.ts; also on PostgreSQL when BENCH_DATABASE_URL is set)
 *   fuzz       — 2000 malformed requests over HTTP against the real server: no 5xx, /healthz answers
 *                after every batch (bench/fuzz/run.ts; --count, --seed, --url)
 *   verify/load — GET /api/v1/certificates/{number} with autocannon (50 connections, 20 s) on
 *                PostgreSQL, beside a bare node:http server (bench/verify/load.ts)
 *   factors/search — factor library search over every dataset version, p95 per query against
 *                its 20 ms target (bench/factors/search.ts)
 *   drift      — the drift watch after a factor dataset version is published: every valid
 *                certificate of the demo data, then with a generated registry of 1 000 more,
 *                recalculated, compared and stored (bench/drift/run.ts; also on PostgreSQL when
 *                BENCH_DATABASE_URL is set)
 * Run on an idle machine: the figures are wall-clock medians.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const only = process.argv.slice(2);

const benches: { name: string; script: string; args: string[] }[] = [
  { name: "calc/flat", script: "bench/calc/flat.ts", args: [] },
  { name: "solve", script: "bench/solve/run.ts", args: [] },
  // Certificates: PDF render time (p50/p95) and size of the demo certificate (bench/pdf/render.ts)
  { name: "pdf/render", script: "bench/pdf/render.ts", args: [] },
  // Inventory workbooks: 10 000-line .xlsx import end to end and the recalculation (bench/import/run.ts)
  { name: "import", script: "bench/import/run.ts", args: [] },
  // Certificates: the public verification API under load against PostgreSQL, beside bare node:http (bench/verify/load.ts)
  { name: "verify/load", script: "bench/verify/load.ts", args: [] },
  // Robustness: malformed requests to every route over HTTP, no 5xx, the server stays up (bench/fuzz/run.ts)
  { name: "fuzz", script: "bench/fuzz/run.ts", args: [] },
  // Factor library: search p95 over every dataset version, target < 20 ms a query (bench/factors/search.ts)
  { name: "factors/search", script: "bench/factors/search.ts", args: [] },
  // Drift watch: re-evaluating the demo data's certificates and a generated registry of 1 000 on a new dataset version (bench/drift/run.ts)
  { name: "drift", script: "bench/drift/run.ts", args: [] },
];

let failed = false;
for (const bench of benches) {
  if (only.length > 0 && !only.includes(bench.name)) continue;
  console.log(`\n=== ${bench.name} ===`);
  const run = spawnSync(process.execPath, ["--import", "tsx", bench.script, ...bench.args], { cwd: root, stdio: "inherit" });
  if (run.status !== 0) {
    console.error(`${bench.name} exited with ${run.status}`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
