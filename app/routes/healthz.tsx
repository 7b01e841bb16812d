import { sql } from "kysely";
import { getDb } from "../../db/client.ts";

/** Liveness and database reachability, for load balancers and the start-up script. */
export async function loader() {
  await sql`select 1`.execute(await getDb());
  return new Response(JSON.stringify({ status: "ok" }), {
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}
