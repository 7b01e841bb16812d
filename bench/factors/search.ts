/**
 * Benchmark: factor search over the whole library, as /factors runs it (query string → filter →
 * searchLibrary → one page of rows in the reader's language). Target: p95 < 20 ms per query.
 *
 * "The whole library" is every dataset version the platform ships (CN-DEMO 2026.1 and 2026.2,
 * CN-PUBLISHED 2026.1; a version the platform admin publishes joins it at run time). For headroom
 * it is timed again grown by 20 further versions of CN-PUBLISHED (its factors again under later
 * version numbers, as yearly re-publications of the same codes would look).
 *
 * Queries, deterministic: each factor's Chinese name, an English word of its name, its code and
 * code prefix, region and year words, status words; the filters alone and combined; pages past the
 * first; and a 200-character query that matches nothing. Both languages alternate.
 *
 * Run: `npx tsx bench/factors/search.ts [rounds]` (default 3 rounds over the query set).
 */
import { libraryFilterFrom, searchLibrary } from "../../app/services/factor-library.server.ts";
import type { Locale } from "../../app/i18n/index.ts";
import { CN_PUBLISHED_2026_1, DEFAULT_FACTOR_LIBRARY, type FactorLibrary } from "../../rules/factors/index.ts";
import { findRegion } from "../../rules/regions.ts";

const TARGET_P95_MS = 20;
const rounds = Number(process.argv[2] ?? 3);

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** The query strings a reader would send, built from the library's own factors. */
function querySet(library: FactorLibrary): string[] {
  const factors = library.list().flatMap((d) => d.factors);
  const out: string[] = [""];
  const add = (params: Record<string, string>) => out.push(new URLSearchParams(params).toString());
  factors.forEach((f, i) => {
    add({ q: f.name.zh });
    add({ q: f.code });
    const english = f.name.en.split(/\s+/).filter((w) => w.length > 3);
    if (english.length > 0) add({ q: english[i % english.length]! });
    if (i % 3 === 0) add({ q: f.code.split("-").slice(0, 2).join("-") });
    if (i % 5 === 0) add({ q: `${findRegion(f.region)?.name.zh ?? f.region} ${f.year}` });
    if (i % 7 === 0) add({ category: f.category, year: String(f.year) });
  });
  for (const status of ["confirmed", "single_source", "demonstration", "not_recorded"]) {
    add({ status });
    add({ status, category: "electricity", page: "2" });
  }
  for (const d of library.list()) {
    add({ dataset: `${d.id}@${d.version}` });
    add({ dataset: `${d.id}@${d.version}`, q: "电力", page: "3" });
  }
  for (const words of ["单一来源", "single source coal", "演示值", "GB/T 32151.22", "AR5", "浙江2022", "life cycle 2024"]) add({ q: words });
  add({ q: "燃料油 不存在的词 ".repeat(20).slice(0, 200) });
  add({ region: "CN-GD" });
  add({ page: "6" });
  return out;
}

function measure(name: string, library: FactorLibrary) {
  const queries = querySet(library);
  const locales: Locale[] = ["zh-CN", "en"];
  const run = (query: string, i: number) => {
    const { filter } = libraryFilterFrom(new URLSearchParams(query), library);
    return searchLibrary(filter, locales[i % 2]!, library);
  };
  // The first query prepares the library's search text (once per library, then kept).
  const t0 = performance.now();
  run("q=柴油", 0);
  const coldMs = performance.now() - t0;
  queries.forEach(run); // warm-up pass
  const samples: number[] = [];
  let rows = 0;
  for (let r = 0; r < rounds; r++) {
    queries.forEach((query, i) => {
      const start = performance.now();
      const page = run(query, i + r);
      samples.push(performance.now() - start);
      rows += page.rows.length;
    });
  }
  const factorCount = library.list().reduce((n, d) => n + d.factors.length, 0);
  return { name, versions: library.list().length, factorCount, queries: samples.length, coldMs, rows, samples };
}

const whole = DEFAULT_FACTOR_LIBRARY;
const grown = Array.from({ length: 20 }, (_, i) => ({ ...CN_PUBLISHED_2026_1, version: `${2027 + i}.1` })).reduce((lib, d) => lib.with(d), whole);

const results = [measure("whole library (all datasets and versions)", whole), measure("headroom: whole library + 20 versions", grown)];

const f = (ms: number) => `${ms.toFixed(2)} ms`;
const lines = [`factors/search: searchLibrary per query (parse the query string, match, rank, one page of rows), ${rounds} rounds after warm-up`];
for (const r of results) {
  const p95 = percentile(r.samples, 95);
  const verdict = r === results[0] ? `  (target < ${TARGET_P95_MS} ms: ${p95 < TARGET_P95_MS ? "met" : "NOT met"})` : "";
  lines.push(
    `  ${r.name}: ${r.versions} versions, ${r.factorCount} factors, ${r.queries} queries`,
    `    p50 ${f(percentile(r.samples, 50))}   p95 ${f(p95)}${verdict}   p99 ${f(percentile(r.samples, 99))}   max ${f(Math.max(...r.samples))}`,
    `    first query (prepares the search text): ${f(r.coldMs)}`,
  );
}
process.stdout.write(`${lines.join("\n")}\n`);
