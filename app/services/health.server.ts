/** What the health check asks of the system beyond "the process answers". */
import { sql } from "kysely";
import { getDb } from "../../db/client.ts";

/** Throws unless the database answers a trivial query. */
export async function checkDatabase(): Promise<void> {
  await sql`select 1`.execute(await getDb());
}
