/** What the health check asks of the system beyond "the process answers". */
import { getDb } from "../../db/client.ts";
import { pingDatabase } from "../../db/repositories/health.ts";

/** Throws unless the database answers a trivial query. */
export async function checkDatabase(): Promise<void> {
  await pingDatabase(await getDb());
}
