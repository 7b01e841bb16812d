/** GET /certificates/{number}/certificate.pdf — the certificate PDF (A4, Chinese and English, QR code to the verification page, signed JSON attached). Public. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { certificateFileResponse } from "../services/certificates/files.server.ts";

export function loader({ request, params, context }: LoaderFunctionArgs) {
  return certificateFileResponse(request, params.number, "pdf", context);
}
