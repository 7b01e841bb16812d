/**
 * The one place an absolute URL of this deployment comes from: QR codes and the verification link
 * printed on certificate PDFs, the links of the certificate API, the OpenAPI document's server.
 *
 * It is configuration, never the request: the Host and X-Forwarded-Host headers are chosen by
 * whoever sends the request (any client when no proxy rewrites them), so an origin taken from
 * them would let one request put a stranger's address into a certificate PDF that caches then
 * hand to everyone. With the origin fixed per server, a response that embeds it is the same for
 * every requester and may be cached publicly.
 *
 * PUBLIC_ORIGIN when set (production requires it); otherwise the server's own address as it
 * prints it at start-up, `http://localhost:${PORT}`, which is right for development, tests and the
 * local demo (`npm start` on the embedded database).
 */
import { env, type Env } from "./env.server.ts";

/** The origin for a given configuration (pure, for tests): scheme, host and port, no trailing slash. */
export function originFromConfig(config: Pick<Env, "PUBLIC_ORIGIN" | "PORT">): string {
  if (config.PUBLIC_ORIGIN) {
    // `new URL().origin` drops any path, query or trailing slash someone put in the variable.
    return new URL(config.PUBLIC_ORIGIN).origin;
  }
  return `http://localhost:${config.PORT}`;
}

/** This deployment's public origin, e.g. `https://carbonlabel.example.cn`. */
export function publicOrigin(): string {
  return originFromConfig(env());
}

/** An absolute URL for a path of this deployment (`/verify/…` → `https://…/verify/…`). */
export function publicUrl(path: string): string {
  if (!path.startsWith("/") || path.startsWith("//"))
    throw new RangeError(`publicUrl takes a path starting with one "/", got ${JSON.stringify(path)}`);
  return `${publicOrigin()}${path}`;
}
