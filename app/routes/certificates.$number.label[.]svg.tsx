/** GET /certificates/{number}/label.svg — the label mark, outlined SVG for print (only while the certificate is valid). Public. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { certificateFileResponse } from "../services/certificates/files.server.ts";

export function loader({ request, params, context }: LoaderFunctionArgs) {
  return certificateFileResponse(request, params.number, "labelSvg", context);
}
