/**
 * Prepares one migrated template database per test run; each test file then gets its own fresh
 * copy (test/setup/per-file.ts).
 *
 * - TEST_DATABASE_URL set: a real PostgreSQL. The template is a database created and migrated
 *   here; files copy it with CREATE DATABASE … TEMPLATE (fast, server-side).
 * - Otherwise: the embedded PGlite. The template is a migrated in-memory instance dumped to a
 *   tarball; files load it into their own in-memory instance (~1 s instead of ~6 s from scratch).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { connect } from "../../db/client.ts";
import { startEmbeddedPostgres } from "../../db/embedded.ts";
import { migrateToLatest } from "../../db/migrate.ts";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase: { kind: "postgres"; adminUrl: string; template: string } | { kind: "pglite"; dumpFile: string };
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const template = `carbonlabel_tpl_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${template}`);
    const database = connect(withDatabase(adminUrl, template), { poolSize: 2 });
    await migrateToLatest(database.db);
    await database.close();
    project.provide("testDatabase", { kind: "postgres", adminUrl, template });
    return async () => {
      // Per-file databases are dropped by their files; sweep leftovers of crashed files too.
      const { rows } = await admin.query<{ datname: string }>("select datname from pg_database where datname like $1", [
        `${template.replace("_tpl_", "_t_")}%`,
      ]);
      for (const row of rows) await admin.query(`drop database if exists ${row.datname} with (force)`);
      await admin.query(`drop database if exists ${template} with (force)`);
      await admin.end();
    };
  }

  const embedded = await startEmbeddedPostgres({ maxConnections: 4 });
  const database = connect(embedded.connectionString, { poolSize: 2 });
  await migrateToLatest(database.db);
  await database.close(); // closes the pool only; the instance is still ours to dump
  const dump = await embedded.pglite.dumpDataDir("none");
  await embedded.stop();
  const dir = mkdtempSync(path.join(os.tmpdir(), "carbonlabel-test-"));
  const dumpFile = path.join(dir, "template.tar");
  writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  project.provide("testDatabase", { kind: "pglite", dumpFile });
  return () => rmSync(dir, { recursive: true, force: true });
}
