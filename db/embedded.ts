/**
 * The embedded PostgreSQL: PGlite (Postgres compiled to WebAssembly) served on a loopback port by
 * pglite-socket, so the application talks to it through exactly the same `pg.Pool` +
 * `PostgresDialect` path as to a real server. Nothing else in the code knows which one it got.
 */
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { mkdirSync } from "node:fs";

export interface EmbeddedPostgres {
  /** `postgres://…` URL of the loopback socket. */
  readonly connectionString: string;
  readonly pglite: PGlite;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder kept between runs; `undefined` means an in-memory database. */
  dataDir?: string;
  /** A `dumpDataDir()` tarball to start from (used to clone a migrated template fast in tests). */
  loadDataDir?: Blob;
  /** Must be at least the pool size, or extra pool connections are dropped. */
  maxConnections?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const pglite = await PGlite.create(options.dataDir ?? "memory://", {
    loadDataDir: options.loadDataDir,
    // The certification migration creates this extension (credit serial ranges may never overlap).
    extensions: { btree_gist },
  });
  const server = new PGLiteSocketServer({
    db: pglite,
    host: "127.0.0.1",
    port: 0,
    maxConnections: options.maxConnections ?? 20,
  });
  await server.start();
  // getServerConn() answers "host:port".
  const connectionString = `postgres://postgres@${server.getServerConn()}/postgres`;
  let stopped = false;
  return {
    connectionString,
    pglite,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await pglite.close();
    },
  };
}
