/**
 * One Kysely instance per process, on a `pg.Pool`, whether the server is real or embedded.
 *
 * Type parsing is configured here and nowhere else: `numeric` (kg CO2e, quantities) stays a
 * decimal string until `db/decimal.ts` converts it; `int8` becomes a number when it fits; `date`
 * stays `YYYY-MM-DD` so no time zone can shift a reporting period.
 */
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { DatabaseConfig } from "./config.ts";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded.ts";
import type { DB } from "./schema.ts";
import { singleton } from "./singleton.ts";

const INT8_OID = 20;
const DATE_OID = 1082;

const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID) {
      return (value: string) => {
        const n = Number(value);
        if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds the safe integer range`);
        return n;
      };
    }
    if (oid === DATE_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format as "text");
  },
} as pg.CustomTypesConfig;

export interface Database {
  readonly db: Kysely<DB>;
  readonly pool: pg.Pool;
  readonly connectionString: string;
  readonly embedded: boolean;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let connectionString = config.url;
  if (!connectionString) {
    embedded = await startEmbeddedPostgres({ dataDir: config.embeddedDir, maxConnections: config.poolSize + 2 });
    connectionString = embedded.connectionString;
    // One connection: pglite-socket interleaves the extended-protocol messages of different
    // connections outside a transaction, so a parameterised query racing another connection's
    // transaction can fail or get the other statement's result (measured: 77 of 900 wrong).
    // PGlite runs one statement at a time anyway; the pool now queues instead of interleaving.
    return connect(connectionString, { ...config, poolSize: 1 }, embedded);
  }
  return connect(connectionString, config, embedded);
}

/** Connects to a server someone else started (tests use this for their per-file databases). */
export function connect(
  connectionString: string,
  config: Pick<DatabaseConfig, "poolSize" | "queryTimeoutMs">,
  embedded?: EmbeddedPostgres,
): Database {
  const pool = new pg.Pool({
    connectionString,
    max: config.poolSize,
    types,
    query_timeout: config.queryTimeoutMs,
    // Waiting that long for a free connection means one is stuck (e.g. `db` used inside a transaction).
    connectionTimeoutMillis: config.queryTimeoutMs,
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on("error", (error) => console.error("database pool error:", error.message));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    pool,
    connectionString,
    embedded: Boolean(embedded),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      await embedded?.stop();
    },
  };
}

/*
 * The process-wide instance: one pool (and one embedded server) shared by the server entry and the
 * bundled Remix build, which each load their own copy of this module (db/singleton.ts).
 */
const databaseFactory = singleton<(() => Promise<Database>) | null>("databaseFactory", () => null);
const database = singleton<Promise<Database>>("database", () => {
  const factory = databaseFactory.get();
  if (!factory) throw new Error("The database is not open yet: call setDatabase(openDatabase(…)) at start-up.");
  return factory();
});

export function setDatabase(opened: Promise<Database> | Database): void {
  database.set(Promise.resolve(opened));
}

/** Opens the database on first use only (test files that never touch it pay nothing). */
export function setDatabaseFactory(factory: () => Promise<Database>): void {
  database.clear();
  databaseFactory.set(factory);
}

export function getDatabase(): Promise<Database> {
  return database.get();
}

/** Whether a database has been opened (or is opening) in this process. */
export function databaseIsOpen(): boolean {
  return database.peek() !== undefined;
}

export async function getDb(): Promise<Kysely<DB>> {
  return (await getDatabase()).db;
}

export async function closeDatabase(): Promise<void> {
  const current = database.peek();
  database.clear();
  if (current) await (await current).close();
}
