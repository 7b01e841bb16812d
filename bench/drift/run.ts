/**
 * Benchmark: the drift watch (docs/decisions/0018) — re-evaluating every valid certificate when a
 * factor dataset version is published: its locked inventory read from the database, recalculated
 * on the new version, compared line by line with the certified result, stored, and the holder and
 * body told where it moved beyond tolerance.
 *
 *   npx tsx bench/drift/run.ts [certificates]
 *
 * 1. The demo data: `npm run db:seed`'s certification cases (their applications rest on stored
 *    results and their certificates are signed, as there), then a new CN-DEMO version.
 * 2. A generated registry of `certificates` (default 1 000) more: each a copy of one of the demo's
 *    certified inventories (its own inventory row and lines, locked), its stored result computed by
 *    the application's own footprint source, and a case and certificate resting on it; then another
 *    CN-DEMO version, so the watch re-evaluates the demo's and the generated certificates together.
 *
 * The new versions are the newest CN-DEMO's factors under the next version number, with every
 * factor of its own raised by 3 % and, in the second, the first half of them by 15 % and the rest by
 * 2 %: revisions under which some certificates move beyond 5 % and some do not.
 *
 * Runs against the embedded database (PGlite, in memory, through the same pg pool as the app) and,
 * when BENCH_DATABASE_URL or TEST_DATABASE_URL names a PostgreSQL server, against a throw-away
 * database created there. Target: 1 000 certificates within 60 s (a publication waits for it).
 */
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { lockedFootprintSource } from "../../app/services/cases/application.server.ts";
import { appCertificateIssuer } from "../../app/services/certificates/issuer.server.ts";
import { memoryKeyStore, useKeyStore as installKeyStore } from "../../app/services/certificates/keys.server.ts";
import { lockedInventoryInput } from "../../app/services/inventory-dataset.server.ts";
import { newVersion } from "../../app/services/inventories.server.ts";
import { connect, type Database } from "../../db/client.ts";
import { startEmbeddedPostgres } from "../../db/embedded.ts";
import { storeFootprintResult } from "../../db/repositories/footprint-results.ts";
import { migrateToLatest } from "../../db/migrate.ts";
import { compareDatasetVersions, DEFAULT_FACTOR_LIBRARY, type EmissionFactor, type FactorDataset } from "../../rules/factors/index.ts";
import { setCertificateIssuer } from "../../workflows/certificates/issuer.ts";
import { seedDemoData } from "../../workflows/demo/demo.ts";
import { importDatasetDraft, publishDatasetVersion } from "../../workflows/footprints/datasets.ts";
import { runDriftWatch, type DriftSummary } from "../../workflows/footprints/drift.ts";
import { factorLibrary } from "../../workflows/footprints/library.ts";
import { setLockedFootprintSource } from "../../workflows/footprints/source.ts";

const generated = Number(process.argv[2] ?? 1000);
const TARGET_MS_PER_1000 = 60_000;

/** The newest CN-DEMO's own factors scaled (by code order: the first `share` of them by `first`, the rest by `rest`). */
function revision(
  library: Awaited<ReturnType<typeof factorLibrary>>,
  version: string,
  scale: { first: number; rest: number; share: number },
): FactorDataset {
  const latest = library.latest("CN-DEMO");
  const cut = Math.floor(latest.factors.length * scale.share);
  const scaled = (f: EmissionFactor, k: number): EmissionFactor =>
    f.co2e
      ? { ...f, co2e: { ...f.co2e, value: f.co2e.value * k } }
      : // A factor computed by its formula must equal the formula's value: it stays as published.
        f.formula
        ? f
        : { ...f, gases: Object.fromEntries(Object.entries(f.gases ?? {}).map(([g, v]) => [g, v! * k])) };
  const copy = structuredClone(latest) as FactorDataset;
  return {
    ...copy,
    version,
    name: { zh: `演示因子库 ${version}（基准测试）`, en: `Demonstration dataset ${version} (benchmark)` },
    factors: copy.factors.map((f, i) => scaled(f, i < cut ? scale.first : scale.rest)),
  };
}

function nextVersion(library: Awaited<ReturnType<typeof factorLibrary>>): string {
  const latest = library
    .list()
    .filter((d) => d.id === "CN-DEMO")
    .sort((a, b) => compareDatasetVersions(b.version, a.version))[0]!;
  const [year, n] = latest.version.split(".").map(Number) as [number, number];
  return `${year}.${n + 1}`;
}

async function publish(database: Database, dataset: FactorDataset, userId: string): Promise<void> {
  const imported = await importDatasetDraft(database.db, { dataset, file: { name: "bench.csv", sha256: "0".repeat(64) }, userId });
  if (!imported.ok) throw new Error(`import refused: ${JSON.stringify(imported.refusal)}`);
  const published = await publishDatasetVersion(database.db, { datasetId: dataset.id, version: dataset.version, userId });
  if (!published.ok) throw new Error(`publication refused: ${JSON.stringify(published)}`);
}

/**
 * `count` certificates more, each on a locked copy of a demo certificate's inventory with a stored
 * result computed by the application's footprint source; returns how long it took.
 */
async function generateRegistry(database: Database, count: number): Promise<number> {
  const { db } = database;
  const started = performance.now();
  const templates = await db
    .selectFrom("certificates")
    .innerJoin("cases", "cases.id", "certificates.case_id")
    .selectAll("certificates")
    .select(["cases.inventory_id"])
    .where("certificates.status", "=", "valid")
    .where("cases.result_id", "is not", null)
    .orderBy("certificates.number")
    .execute();
  if (templates.length === 0) throw new Error("the demo data has no valid certificate resting on a stored result");
  const year = new Date().getUTCFullYear();
  for (let i = 0; i < count; i++) {
    const template = templates[i % templates.length]!;
    const caseRow = await db.selectFrom("cases").selectAll().where("id", "=", template.case_id).executeTakeFirstOrThrow();
    // A version of the certified inventory: its own lines (new ids), as a new application would lock them.
    const inventoryId = await newVersion(db, template.applicant_organization_id, template.inventory_id, caseRow.created_by);
    await db.transaction().execute(async (trx) => {
      await trx.updateTable("inventories").set({ locked_at: new Date() }).where("id", "=", inventoryId).execute();
      const footprint = await lockedFootprintSource(trx, { id: inventoryId, organizationId: template.applicant_organization_id });
      const resultId = await storeFootprintResult(trx, {
        inventoryId,
        organizationId: template.applicant_organization_id,
        total: String(footprint.total),
        calculatorVersion: footprint.calculatorVersion,
        inputSha256: footprint.inputSha256,
        stamp: footprint.stamp,
        result: footprint.result,
        conformance: footprint.conformance,
        at: new Date().toISOString(),
      });
      const { id: _id, number: _n, created_at: _c, updated_at: _u, snapshot, identity, ...rest } = caseRow;
      const caseId = randomUUID();
      await trx
        .insertInto("cases")
        .values({
          ...rest,
          id: caseId,
          inventory_id: inventoryId,
          result_id: resultId,
          snapshot: JSON.stringify(snapshot),
          identity: JSON.stringify(identity),
        })
        .execute();
      const { id: _cid, inventory_id: _inv, created_at: _cc, status_changed_at: _s, status: _st, ...certificate } = template;
      await trx
        .insertInto("certificates")
        .values({
          ...certificate,
          number: `BENCH-${template.label_type}-${year}-${String(i + 1).padStart(6, "0")}`,
          case_id: caseId,
          // Unsigned copies: a signature belongs to its own payload, which names the original number.
          payload: null,
          payload_sha256: null,
          key_id: null,
          signature: null,
          pdf: null,
          pdf_sha256: null,
        })
        .execute();
    });
  }
  return performance.now() - started;
}

function line(label: string, summary: DriftSummary, certificates: number): string {
  const per = summary.evaluated > 0 ? (summary.ms / summary.evaluated).toFixed(1) : "—";
  return `${label.padEnd(44)} ${String(certificates).padStart(5)} valid  ${String(summary.evaluated).padStart(5)} evaluated  ${String(summary.flagged).padStart(4)} flagged  ${String(summary.ms).padStart(7)} ms  ${per.padStart(6)} ms/certificate`;
}

async function benchmark(database: Database, label: string): Promise<boolean> {
  const { db } = database;
  console.log(`\n--- ${label} ---`);
  await migrateToLatest(db);
  installKeyStore(memoryKeyStore("2000-01-01"));
  setCertificateIssuer(appCertificateIssuer());
  setLockedFootprintSource(lockedFootprintSource);
  let t = performance.now();
  await seedDemoData(db, { cases: true });
  console.log(`seed demo data with its certification cases: ${Math.round(performance.now() - t)} ms`);
  const admin = await db.selectFrom("users").select("id").where("email", "=", "admin@platform.demo").executeTakeFirstOrThrow();
  const valid = async () =>
    (
      await db
        .selectFrom("certificates")
        .innerJoin("cases", "cases.id", "certificates.case_id")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("certificates.status", "=", "valid")
        .where("cases.result_id", "is not", null)
        .executeTakeFirstOrThrow()
    ).n;

  let library = await factorLibrary(db);
  const first = revision(library, nextVersion(library), { first: 1.03, rest: 1.03, share: 0 });
  await publish(database, first, admin.id);
  const demoCount = Number(await valid());
  const demo = await runDriftWatch(db, { dataset: { id: first.id, version: first.version }, inputOf: lockedInventoryInput });

  const generateMs = await generateRegistry(database, generated);
  console.log(`generate ${generated} certificates (copy, lock, calculate, store): ${Math.round(generateMs)} ms`);
  library = await factorLibrary(db);
  const second = revision(library, nextVersion(library), { first: 1.15, rest: 1.02, share: 0.5 });
  await publish(database, second, admin.id);
  const registryCount = Number(await valid());
  const registry = await runDriftWatch(db, { dataset: { id: second.id, version: second.version }, inputOf: lockedInventoryInput });
  t = performance.now();
  const again = await runDriftWatch(db, { dataset: { id: second.id, version: second.version }, inputOf: lockedInventoryInput });
  const againMs = Math.round(performance.now() - t);

  console.log(line(`demo data, ${first.id} ${first.version}`, demo, demoCount));
  console.log(line(`demo + generated registry, ${second.id} ${second.version}`, registry, registryCount));
  console.log(`run again for ${second.version} (every certificate evaluated already): ${againMs} ms, ${again.evaluated} evaluated`);
  const per1000 = registry.evaluated > 0 ? (registry.ms / registry.evaluated) * 1000 : 0;
  const ok = per1000 <= TARGET_MS_PER_1000;
  console.log(`per 1 000 certificates: ${Math.round(per1000)} ms (target ≤ ${TARGET_MS_PER_1000} ms) ${ok ? "✓" : "✗ missed"}`);
  if (DEFAULT_FACTOR_LIBRARY.has(second.id, second.version)) throw new Error("a benchmark version collides with a built-in one");
  return ok;
}

/** The pool's last backends may take a moment to go; dropping without force waits for them. */
async function dropWhenIdle(admin: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`drop database if exists ${name}`);
      return;
    } catch (error) {
      if (attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function main() {
  const embedded = await startEmbeddedPostgres({ maxConnections: 4 });
  // One connection, as the app opens the embedded database (one PGlite session serves them all).
  const local = connect(embedded.connectionString, { poolSize: 1 }, embedded);
  try {
    await benchmark(local, "embedded PostgreSQL (PGlite)");
  } finally {
    await local.close();
  }
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!serverUrl) return;
  const name = `carbonlabel_bench_drift_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const server = connect(url.toString(), { poolSize: 4 });
  try {
    await benchmark(server, "PostgreSQL server");
  } finally {
    await server.close();
    await dropWhenIdle(admin, name);
    await admin.end();
  }
}

await main();
