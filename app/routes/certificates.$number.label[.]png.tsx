/** GET /certificates/{number}/label.png — the label mark as PNG (only while the certificate is valid). Public. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { certificateFileResponse } from "../services/certificates/files.server.ts";

export function loader({ request, params, context }: LoaderFunctionArgs) {
  return certificateFileResponse(request, params.number, "labelPng", context);
}
