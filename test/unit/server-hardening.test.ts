/**
 * The server's own guards, without a server: the environment schema, URL refusals before routing,
 * body-size classes, the request URL Remix sees, and the JSON body reader that stops at its limit.
 */
import { describe, expect, it } from "vitest";
import { bodyLimitFor, BODY_LIMITS, requestUrl } from "../../app/server/remix-handler.ts";
import { malformedUrlRefusal } from "../../app/server/request-guards.ts";
import { contentSecurityPolicy } from "../../app/server/security-headers.ts";
import { readJsonBody } from "../../app/utils/api.server.ts";
import { EnvironmentError, parseEnvironment } from "../../app/utils/env.server.ts";
import { readForm } from "../../app/utils/read-form.server.ts";

function problems(source: Record<string, string>): string[] {
  try {
    parseEnvironment(source);
  } catch (error) {
    if (error instanceof EnvironmentError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("environment, parsed once at start-up", () => {
  it("has working defaults for `npm start` on a laptop (production mode, embedded database)", () => {
    const config = parseEnvironment({ NODE_ENV: "production" });
    expect(config).toMatchObject({ PORT: 3000, TRUST_PROXY: "false", BACKGROUND_JOBS: "on", CERTIFICATE_API_CACHE_MS: 1000, DATABASE_POOL_SIZE: 10 });
    expect(config.PUBLIC_ORIGIN).toBeUndefined();
  });

  it("names every wrong variable and its rule at once", () => {
    const found = problems({
      PORT: "eighty",
      TRUST_PROXY: "yes",
      DEMO_DATA: "1",
      VERIFY_RATE_LIMIT: "-5",
      CERTIFICATE_API_CACHE_MS: "soon",
      PUBLIC_ORIGIN: "https://x.example/path",
      CARBONLABEL_SIGNING_KEYS: "{not json",
    });
    const text = found.join("\n");
    for (const variable of [
      "PORT",
      "TRUST_PROXY",
      "DEMO_DATA",
      "VERIFY_RATE_LIMIT",
      "CERTIFICATE_API_CACHE_MS",
      "PUBLIC_ORIGIN",
      "CARBONLABEL_SIGNING_KEYS",
    ]) {
      expect(text).toContain(variable);
    }
    expect(found).toHaveLength(7);
    expect(text).toContain('TRUST_PROXY: TRUST_PROXY must be "true" or "false"');
  });

  it("refuses a real deployment (production, external database) without its public origin, session secret and signing keys", () => {
    const found = problems({ NODE_ENV: "production", DATABASE_URL: "postgres://db.example/carbonlabel" });
    expect(found.join("\n")).toMatch(/PUBLIC_ORIGIN is required in production/);
    expect(found.join("\n")).toMatch(/SESSION_SECRET is required in production/);
    expect(found.join("\n")).toMatch(/CARBONLABEL_SIGNING_KEYS is required in production/);
    const complete = parseEnvironment({
      NODE_ENV: "production",
      DATABASE_URL: "postgres://db.example/carbonlabel",
      PUBLIC_ORIGIN: "https://carbonlabel.example.cn/",
      SESSION_SECRET: "s".repeat(32),
      CARBONLABEL_SIGNING_KEYS: "{}",
    });
    expect(complete.PUBLIC_ORIGIN).toBe("https://carbonlabel.example.cn");
  });

  it("treats an empty value as unset and accepts `off` or a count for VERIFY_RATE_LIMIT", () => {
    expect(parseEnvironment({ PORT: "", VERIFY_RATE_LIMIT: "off" })).toMatchObject({ PORT: 3000, VERIFY_RATE_LIMIT: "off" });
    expect(parseEnvironment({ VERIFY_RATE_LIMIT: "600" }).VERIFY_RATE_LIMIT).toBe(600);
  });
});

describe("URLs refused before routing", () => {
  it("answers NUL bytes and broken percent-encodings, in path or query, with a bilingual message", () => {
    expect(malformedUrlRefusal("/verify/X%00Y")).toMatch(/NUL/);
    expect(malformedUrlRefusal("/registry?q=a%00")).toMatch(/空字符/);
    expect(malformedUrlRefusal("/cases?q=%E0%A4%A")).toMatch(/percent-encoding/);
    expect(malformedUrlRefusal("/verify/%C0")).toMatch(/百分号编码/);
  });
  it("lets ordinary addresses through", () => {
    expect(malformedUrlRefusal("/registry?q=%E7%94%B5%E6%B1%A0&page=2")).toBeNull();
    expect(malformedUrlRefusal("/login?redirectTo=%2Fdashboard")).toBeNull();
    expect(malformedUrlRefusal("/products?q=a+b")).toBeNull();
  });
});

describe("request bodies", () => {
  it("are limited by route class", () => {
    expect(bodyLimitFor("GET", "/api/v1/footprints/calculate", undefined)).toBe(0);
    expect(bodyLimitFor("POST", "/api/v1/footprints/calculate", "application/json")).toBe(BODY_LIMITS.calculateApi);
    expect(bodyLimitFor("POST", "/inventories/x/workbook/import", "multipart/form-data; boundary=x")).toBe(BODY_LIMITS.multipart);
    expect(bodyLimitFor("POST", "/login", "application/x-www-form-urlencoded")).toBe(BODY_LIMITS.other);
    expect(bodyLimitFor("POST", "/login", undefined)).toBe(BODY_LIMITS.other);
  });

  it("JSON: a chunked body without Content-Length is cut off at the limit, not read to its end", async () => {
    const limit = 1024 * 1024;
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    // 450 MB on offer; the reader must stop asking soon after 1 MB.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 450 * 1024 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const request = new Request("http://localhost/api/v1/footprints/calculate", {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json" },
      duplex: "half",
    } as RequestInit);
    const refusal = await readJsonBody(request, limit).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(refusal).toBeInstanceOf(Response);
    const response = refusal as Response;
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: { code: "PayloadTooLarge", message: { zh: "请求体超过 1 MB。", en: "The body exceeds 1 MB." } },
    });
    expect(sent).toBeLessThan(limit + 4 * chunk.byteLength);
  });
});

describe("posted forms", () => {
  it("a field holding NUL is refused with 400 naming the field, in the reader's language first", async () => {
    const request = new Request("http://localhost/account", {
      method: "POST",
      body: new URLSearchParams({ intent: "profile", name: "a\u0000b" }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "en" },
    });
    const thrown: unknown = await readForm(request).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(400);
    const [first, second] = (await (thrown as Response).text()).split("\n");
    expect(first).toMatch(/name/);
    expect(second).toMatch(/name/);
    expect(first).not.toMatch(/[\u4e00-\u9fff]/);
  });
});

describe("the request URL Remix sees", () => {
  const base = { protocol: "http", hostname: "localhost", headers: { host: "localhost:3000" } };
  it("keeps a path that looks protocol-relative as a path", () => {
    expect(new URL(requestUrl({ ...base, originalUrl: "//evil.example/x" })).host).toBe("localhost:3000");
  });
  it("falls back to localhost for a Host header that is not a host", () => {
    expect(requestUrl({ ...base, hostname: "bad host\u0000", originalUrl: "/registry" })).toBe("http://localhost/registry");
  });
});

describe("Content-Security-Policy", () => {
  it("allows scripts only from this origin or with the document's nonce, and no framing", () => {
    const policy = contentSecurityPolicy("abc123");
    expect(policy).toContain("script-src 'self' 'nonce-abc123'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
  });
});
