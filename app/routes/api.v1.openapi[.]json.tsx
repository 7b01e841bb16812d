/** GET /api/v1/openapi.json — the OpenAPI 3.1 description of the public certificate API (public). */
import { openApiDocument } from "../services/certificates/openapi.server.ts";

let cached: string | undefined;

export function loader() {
  cached ??= JSON.stringify(openApiDocument(), null, 2);
  return new Response(cached, {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*" },
  });
}
