/**
 * Gives each test file its own database, copied from the run's migrated template, opened lazily
 * on first use, and dropped after the file. Also fails any test that logs console.error: an
 * error nobody asserted on is a bug.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, afterEach, beforeEach, inject, vi } from "vitest";
import { closeDatabase, connect, databaseIsOpen, setDatabaseFactory, type Database } from "../../db/client.ts";
import { startEmbeddedPostgres } from "../../db/embedded.ts";

process.env.NODE_ENV = "test";
process.env.DATA_DIR ??= `${process.cwd()}/data/test`;

const testDatabase = inject("testDatabase");
let dropDatabase: (() => Promise<void>) | undefined;

setDatabaseFactory(async (): Promise<Database> => {
  if (testDatabase.kind === "postgres") {
    const name = `${testDatabase.template.replace("_tpl_", "_t_")}_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: testDatabase.adminUrl });
    await admin.connect();
    await admin.query(`create database ${name} template ${testDatabase.template}`);
    await admin.end();
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: testDatabase.adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    };
    const url = new URL(testDatabase.adminUrl);
    url.pathname = `/${name}`;
    return connect(url.toString(), { poolSize: 10, queryTimeoutMs: 20_000 });
  }
  const dump = new Blob([readFileSync(testDatabase.dumpFile)]);
  const embedded = await startEmbeddedPostgres({ loadDataDir: dump, maxConnections: 64 });
  // One connection, exactly as the app opens the embedded database (db/client.ts openDatabase):
  // pglite-socket serves every connection from one PGlite session, so parallel connections would
  // interleave their statements and transactions.
  return connect(embedded.connectionString, { poolSize: 1, queryTimeoutMs: 20_000 }, embedded);
});

afterAll(async () => {
  if (databaseIsOpen()) await closeDatabase();
  await dropDatabase?.();
});

let errorSpy: ReturnType<typeof vi.spyOn> | undefined;
beforeEach(() => {
  errorSpy = vi.spyOn(console, "error");
});
afterEach(() => {
  const calls = errorSpy?.mock.calls ?? [];
  errorSpy?.mockRestore();
  if (calls.length > 0) {
    throw new Error(`console.error was called during the test:\n${calls.map((c) => c.map(String).join(" ")).join("\n")}`);
  }
});
