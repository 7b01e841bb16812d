import { Migrator, type Kysely } from "kysely";
import { migrationProvider } from "./migrations/index.ts";
import type { DB } from "./schema.ts";

/**
 * Brings the schema up to date; throws with the failing migration's name on error. The migrations
 * themselves see the database untyped (they are frozen in time, the schema types are not).
 */
export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    const name = failed ? ` (${failed.migrationName})` : "";
    throw new Error(`Database migration failed${name}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
