/**
 * Benchmark: the certificate PDF of the demo certificate (CCDC-CF-2026-000001, the battery pack),
 * rendered uncached again and again after warm-up. Reports p50/p95 wall time and the file size
 * against the targets (p50 ≤ 100 ms, ≤ 200 KB), the process CPU time per render (which a busy
 * machine inflates less than wall time), a cache hit, and the label mark PNG. Writes the
 * PDF and its first page as PNG (pdftoppm, when installed) to bench/out/ for a look.
 * Run: `npx tsx bench/pdf/render.ts [runs]`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { demoCertificatePayload } from "../../app/certificate-files/demo.ts";
import { generateSigningKey } from "../../workflows/certificates/keys.ts";
import { labelMarkPng } from "../../app/certificate-files/label-mark.server.ts";
import { certificatePdf, renderCertificatePdf } from "../../app/certificate-files/pdf.server.tsx";
import { signCertificate } from "../../workflows/certificates/signing.ts";

const runs = Number(process.argv[2] ?? 60);
const warmup = 15;
const out = path.resolve(import.meta.dirname, "../out");

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

const payload = demoCertificatePayload();
// A throw-away key: the benchmark must not touch the deployment's keys.
const certificate = signCertificate(payload, generateSigningKey(payload.issuer.cbCode, "2026-01-01"));
const options = { baseUrl: "https://carbonlabel.example.cn" };

const [, firstMs] = await timed(() => renderCertificatePdf(certificate, options));
for (let i = 0; i < warmup; i++) await renderCertificatePdf(certificate, options);
const samples: number[] = [];
const cpuSamples: number[] = [];
let pdf: Uint8Array = new Uint8Array();
for (let i = 0; i < runs; i++) {
  const cpu = process.cpuUsage();
  const [bytes, ms] = await timed(() => renderCertificatePdf(certificate, options));
  const used = process.cpuUsage(cpu);
  samples.push(ms);
  cpuSamples.push((used.user + used.system) / 1000);
  pdf = bytes;
}
await certificatePdf(certificate, options);
const hits: number[] = [];
for (let i = 0; i < 20; i++) hits.push((await timed(() => certificatePdf(certificate, options)))[1]);
const [, pngMs] = await timed(() => labelMarkPng(payload));

mkdirSync(out, { recursive: true });
const pdfFile = path.join(out, "certificate.pdf");
writeFileSync(pdfFile, pdf);
const raster = spawnSync("pdftoppm", ["-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", pdfFile, path.join(out, "certificate-page1")]);
const pageNote = raster.status === 0 ? "bench/out/certificate-page1.png" : "pdftoppm not installed: no page image";

const p50 = percentile(samples, 50);
const p95 = percentile(samples, 95);
const kib = pdf.byteLength / 1024;
const f = (ms: number) => `${ms.toFixed(1)} ms`;
process.stdout.write(
  [
    `pdf/render: ${payload.number}, ${runs} uncached renders after ${warmup} warm-up`,
    `  first render (cold, fonts loaded):  ${f(firstMs)}`,
    `  warm p50:                           ${f(p50)}  (target ≤ 100 ms: ${p50 <= 100 ? "met" : "NOT met"})`,
    `  warm p95:                           ${f(p95)}`,
    `  CPU time per render p50 / p95:      ${f(percentile(cpuSamples, 50))} / ${f(percentile(cpuSamples, 95))}  (wall time above this is waiting for a busy CPU)`,
    `  size:                               ${kib.toFixed(1)} KiB  (target ≤ 200 KB: ${pdf.byteLength <= 200 * 1024 ? "met" : "NOT met"})`,
    `  cache hit p50:                      ${f(percentile(hits, 50))}`,
    `  label mark PNG (960 px, uncached):  ${f(pngMs)}`,
    `  written: bench/out/certificate.pdf, ${pageNote}`,
    "",
  ].join("\n"),
);
