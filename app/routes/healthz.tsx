import { checkDatabase } from "../services/health.server.ts";

/** Liveness and database reachability, for load balancers and the start-up script. */
export async function loader() {
  await checkDatabase();
  return new Response(JSON.stringify({ status: "ok" }), {
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}
