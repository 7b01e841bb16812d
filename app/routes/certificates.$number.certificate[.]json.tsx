/** GET /certificates/{number}/certificate.json — the signed certificate data, canonical JSON (RFC 8785). Public. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { certificateFileResponse } from "../services/certificates/files.server.ts";

export function loader({ request, params, context }: LoaderFunctionArgs) {
  return certificateFileResponse(request, params.number, "json", context);
}
