/**
 * Response headers that tell the browser what this site may do: the Content-Security-Policy of
 * HTML documents (scripts only from our origin or with the page's nonce) and the headers every
 * response carries (no framing, no MIME sniffing, a strict referrer, HSTS over HTTPS).
 */
import type { NextFunction, Request, Response } from "express";

/**
 * The policy of one HTML document. Styles allow 'unsafe-inline' because React's `style`
 * attributes (chart bars, widths) are attributes, not scripts; a style cannot run code.
 * In development Vite's hot reload needs inline module scripts and a WebSocket.
 */
export function contentSecurityPolicy(nonce: string, { development = false } = {}): string {
  const script = development ? "'self' 'unsafe-inline' 'unsafe-eval'" : `'self' 'nonce-${nonce}'`;
  return [
    "default-src 'self'",
    `script-src ${script}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${development ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export interface SecurityHeaderOptions {
  /** Send Strict-Transport-Security: only when the site is served over HTTPS. */
  hsts: boolean;
}

/** Express middleware: headers for every response, whatever produced it. */
export function securityHeaders({ hsts }: SecurityHeaderOptions) {
  return (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    if (hsts) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  };
}
