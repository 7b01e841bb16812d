/**
 * The baseline for bench/verify/load.ts: a bare node:http server that answers every request with
 * the same JSON body (BODY_FILE, the verification API's own answer, so the bytes on the wire are
 * equal) and the same kind of headers. Nothing else: no routing, no database, no framework.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const body = readFileSync(process.env.BODY_FILE ?? "");
const headers = {
  "Content-Type": "application/json; charset=utf-8",
  "Content-Length": String(body.byteLength),
  "Cache-Control": "public, max-age=30, must-revalidate",
  "Access-Control-Allow-Origin": "*",
  ETag: '"0123456789abcdefghijklmnopqrstu"',
};
const server = createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => console.log("listening"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
