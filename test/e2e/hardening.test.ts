/**
 * The server as an attacker on the wire meets it: streamed bodies far over the limit, NUL bytes in
 * the address, a page that does not exist; and the headers every page carries. A server of its
 * own, so that its memory and its log belong to this file alone.
 */
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import { startServer, type RunningServer } from "./support/server-process.ts";

const MiB = 1024 * 1024;
let server: RunningServer;

/** Resident memory of the server process, now and at its peak, in MiB (Linux /proc). */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

/** Starts a new peak: Linux resets VmHWM to the current RSS when "5" is written to clear_refs. */
function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    // Not permitted here: the peak then counts from the server's start, a looser bound.
  }
}

async function signInCookie(email: string): Promise<string> {
  const response = await fetch(`${server.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
  });
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  expect(cookie).toContain("=");
  return cookie;
}

/**
 * POSTs a chunked body of `totalBytes` (no Content-Length), written as fast as the server takes
 * it, and stops writing as soon as an answer arrives. Resolves with the status (or the socket
 * error, when the server closed first) and how many bytes went out.
 */
function streamBody(path: string, totalBytes: number, headers: Record<string, string>): Promise<{ status: number | string; sent: number }> {
  return new Promise((resolve) => {
    const url = new URL(path, server.url);
    const chunk = Buffer.alloc(MiB, 0x20);
    let sent = 0;
    let settled = false;
    const finish = (status: number | string) => {
      if (settled) return;
      settled = true;
      request.destroy();
      resolve({ status, sent });
    };
    const request = http.request(url, { method: "POST", headers: { ...headers, "Transfer-Encoding": "chunked" } }, (response) => {
      response.resume();
      finish(response.statusCode ?? 0);
    });
    request.on("error", (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    const write = () => {
      while (!settled && sent < totalBytes) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", write);
      }
      if (!settled) request.end();
    };
    write();
  });
}

beforeAll(async () => {
  server = await startServer({ VERIFY_RATE_LIMIT: "off" });
}, 200_000);

afterAll(async () => {
  await server?.stop();
});

describe("request bodies are counted as they stream", () => {
  it("ten concurrent 450 MB chunked bodies to the calculation API get 413 after 32 MB each; memory stays bounded", async () => {
    const pid = server.process.pid!;
    const cookie = await signInCookie("admin@hualv.demo");
    resetPeak(pid);
    const before = memory(pid);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => streamBody("/api/v1/footprints/calculate", 450 * MiB, { "Content-Type": "application/json", Cookie: cookie })),
    );
    const after = memory(pid);
    for (const result of results) {
      // The answer is 413; a client still writing when the server closes may see the reset first.
      expect([413, "ECONNRESET", "EPIPE"]).toContain(result.status);
      // The server stopped reading near the 32 MB limit (socket buffers hold a few MB more).
      expect(result.sent).toBeLessThan(64 * MiB);
    }
    expect(results.filter((r) => r.status === 413).length).toBeGreaterThan(0);
    console.info(`450 MB × 10 streamed: server RSS ${before.rss.toFixed(0)} → ${after.rss.toFixed(0)} MiB, peak ${after.peak.toFixed(0)} MiB`);
    // Ten bodies of 32 MB at most, buffered once each, over a server of a few hundred MiB.
    expect(after.peak).toBeLessThan(before.peak + 10 * 32 * 3);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 120_000);

  it("an anonymous caller streaming 450 MB is answered 401 without the body being read", async () => {
    const result = await streamBody("/api/v1/footprints/calculate", 450 * MiB, { "Content-Type": "application/json" });
    expect([401, "ECONNRESET", "EPIPE"]).toContain(result.status);
    expect(result.sent).toBeLessThan(64 * MiB);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 60_000);

  it("a form post over 1 MB is refused with 413 and a bilingual message", async () => {
    const response = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `email=${"a".repeat(2 * MiB)}&password=x`,
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/请求体超过 1 MB 上限。\nThe request body exceeds the 1 MB limit\./);
  });
});

describe("addresses no route should see", () => {
  it("NUL bytes in the path or a query parameter answer 400, and later verifications still work", async () => {
    for (const path of ["/verify/X%00Y", "/api/v1/certificates/X%00Y", "/registry?q=%00", "/cases?q=a%00b", "/products?q=%00"]) {
      const response = await fetch(`${server.url}${path}`, { redirect: "manual" });
      expect(response.status, path).toBe(400);
    }
    expect((await fetch(`${server.url}/verify`)).status).toBe(200);
  });

  it("a page that does not exist is a 404 with one log line, not a stack trace", async () => {
    const mark = server.output().length;
    const response = await fetch(`${server.url}/no-such-page-here`);
    expect(response.status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const logged = server.output().slice(mark);
    expect(logged.trim()).toBe("404 GET /no-such-page-here");
  });
});

describe("response headers", () => {
  it("pages carry a Content-Security-Policy whose nonce is on every script, and refuse framing", async () => {
    const response = await fetch(`${server.url}/verify`);
    const policy = response.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    expect(policy).toContain("frame-ancestors 'none'");
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("vary")).toMatch(/Cookie/);
    // Over plain http (no https PUBLIC_ORIGIN) HSTS would be wrong.
    expect(response.headers.get("strict-transport-security")).toBeNull();
    // Data answers depend on the session too.
    expect((await fetch(`${server.url}/healthz`)).headers.get("vary")).toMatch(/Cookie/);
    // A new nonce for every document.
    const again = await fetch(`${server.url}/verify`);
    expect(again.headers.get("content-security-policy")).not.toBe(policy);
  });
});
