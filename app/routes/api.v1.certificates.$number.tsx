/**
 * GET /api/v1/certificates/{number} — the public verification of one certificate as JSON (see
 * app/services/certificates/api.server.ts and the OpenAPI document at /api/v1/openapi.json).
 * OPTIONS answers a CORS preflight; any other method is 405. The production server answers the
 * same URL before Remix (app/services/certificates/fast-path.server.ts) with the same function.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../../db/client.ts";
import { certificateApiAnswer, CORS_HEADERS, preflightAnswer, type ApiAnswer } from "../services/certificates/api.server.ts";
import { clientIp } from "../utils/http.server.ts";

function toResponse(answer: ApiAnswer): Response {
  return new Response(answer.body ? new Uint8Array(answer.body) : null, { status: answer.status, headers: answer.headers });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return toResponse(
    await certificateApiAnswer(await getDb(), {
      number: params.number ?? "",
      ifNoneMatch: request.headers.get("If-None-Match"),
      client: clientIp(context),
    }),
  );
}

export function action({ request }: ActionFunctionArgs) {
  if (request.method === "OPTIONS") return toResponse(preflightAnswer());
  return new Response(JSON.stringify({ error: { code: "MethodNotAllowed", message: { zh: "只支持 GET", en: "Only GET is supported" } } }), {
    status: 405,
    headers: { ...CORS_HEADERS, Allow: "GET, HEAD, OPTIONS", "Content-Type": "application/json; charset=utf-8" },
  });
}
