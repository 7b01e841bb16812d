/**
 * Where the database is. `DATABASE_URL` names a real PostgreSQL; without it the embedded one is
 * started with its files under `DATA_DIR` (default `./data`).
 */
import path from "node:path";

export interface DatabaseConfig {
  /** A real PostgreSQL, or undefined for the embedded default. */
  url?: string;
  /** Folder of the embedded database's files. */
  embeddedDir: string;
  /** Client-side limit per query, so a stuck query fails loudly instead of hanging a request. */
  queryTimeoutMs?: number;
  poolSize: number;
}

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const dataDir = path.resolve(env.DATA_DIR ?? "data");
  const production = env.NODE_ENV === "production";
  return {
    url: env.DATABASE_URL || undefined,
    embeddedDir: path.join(dataDir, "pgdata"),
    // In the embedded database a query sent outside the open transaction waits forever; a
    // timeout turns that programming error into a visible failure during development and tests.
    queryTimeoutMs: production ? undefined : 20_000,
    poolSize: Number(env.DATABASE_POOL_SIZE ?? 10),
  };
}
