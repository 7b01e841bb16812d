/** No table: the health check's round trip to the database. */
import { sql } from "kysely";
import type { Executor } from "./executor.ts";

/** Throws unless the database answers a trivial query. */
export async function pingDatabase(db: Executor): Promise<void> {
  await sql`select 1`.execute(db);
}
