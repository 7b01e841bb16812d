/**
 * GET /.well-known/carbonlabel-keys.json — every certificate signing key's public half, retired
 * keys included (old certificates stay verifiable), each with its body and validity in issue
 * dates (docs/decisions/0007). Public; anyone may verify a certificate offline with it.
 */
import { createHash } from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { publishedKeyDocument } from "../services/certificates/keys.server.ts";

export function loader({ request }: LoaderFunctionArgs) {
  const { text } = publishedKeyDocument();
  const etag = `"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"`;
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "public, max-age=300, must-revalidate",
    "Access-Control-Allow-Origin": "*",
    ETag: etag,
  };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  return new Response(text, { headers });
}
