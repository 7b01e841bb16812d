/**
 * Absolute links come from the configuration, never from the request: with a hostile Host and
 * X-Forwarded-Host (and a request URL built from them, as an adapter does), the certificate PDF's
 * QR code, the API's links and the OpenAPI document's server still name this deployment — here,
 * without PUBLIC_ORIGIN, the server's own http://localhost:{PORT}. Because of that, one cached
 * PDF (same bytes, same ETag) is right for every requester.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Before anything reads the environment: no PUBLIC_ORIGIN, a port of our own to recognise.
vi.hoisted(() => {
  delete process.env.PUBLIC_ORIGIN;
  process.env.PORT = "4123";
});

import { loader as keysLoader } from "../../app/routes/[.]well-known.carbonlabel-keys[.]json.tsx";
import { loader as apiLoader } from "../../app/routes/api.v1.certificates.$number.tsx";
import { loader as openApiLoader } from "../../app/routes/api.v1.openapi[.]json.tsx";
import { loader as jsonLoader } from "../../app/routes/certificates.$number.certificate[.]json.tsx";
import { loader as pdfLoader } from "../../app/routes/certificates.$number.certificate[.]pdf.tsx";
import { loader as svgLoader } from "../../app/routes/certificates.$number.label[.]svg.tsx";
import { clearCertificateApiCache } from "../../app/services/certificates/api.server.ts";
import { originFromConfig, publicOrigin, publicUrl } from "../../app/utils/public-origin.server.ts";
import { callLoader, issuedCertificate, useTestSigning } from "./certificates-support.ts";

const ORIGIN = "http://localhost:4123";
const work = mkdtempSync(path.join(tmpdir(), "carbonlabel-origin-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let number: string;
beforeAll(async () => {
  useTestSigning();
  ({ number } = await issuedCertificate("certificates-origin"));
});

/** Headers an attacker sends; the URL is what an adapter would build from them. */
const HOSTILE = [
  { url: "http://evil.example", headers: { Host: "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https" } },
  { url: "http://other.example:8080", headers: { Host: "other.example:8080", "X-Forwarded-Host": "phish.example" } },
] as const;

function hostile(loader: Parameters<typeof callLoader>[0], pathAndQuery: string, which: 0 | 1, params: Record<string, string> = {}) {
  const h = HOSTILE[which];
  return callLoader(loader, `${h.url}${pathAndQuery}`, { params, headers: h.headers });
}

/** The QR code on page 1 of a PDF, as a phone camera would read it. */
function qrOfPdf(pdf: Uint8Array): string {
  const file = path.join(work, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  execFileSync("pdftoppm", ["-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", file, file.replace(/\.pdf$/, "")]);
  const png = PNG.sync.read(readFileSync(file.replace(/\.pdf$/, ".png")));
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height);
  if (!code) throw new Error("no QR code found on the certificate page");
  return code.data;
}

describe("the public origin", () => {
  it("is PUBLIC_ORIGIN when set (reduced to its origin), otherwise http://localhost:{PORT}", () => {
    expect(publicOrigin()).toBe(ORIGIN);
    expect(publicUrl(`/verify/${number}`)).toBe(`${ORIGIN}/verify/${number}`);
    expect(() => publicUrl("//evil.example/x")).toThrow(RangeError);
    expect(originFromConfig({ PUBLIC_ORIGIN: "https://carbonlabel.example.cn", PORT: 3000 })).toBe("https://carbonlabel.example.cn");
    expect(originFromConfig({ PUBLIC_ORIGIN: "https://carbonlabel.example.cn:8443/", PORT: 3000 })).toBe("https://carbonlabel.example.cn:8443");
    expect(originFromConfig({ PUBLIC_ORIGIN: undefined, PORT: 3000 })).toBe("http://localhost:3000");
  });
});

describe("a request with a hostile Host / X-Forwarded-Host", () => {
  it("gets a PDF whose QR code points at the configured origin; every requester gets the same bytes and ETag, cacheable publicly", async () => {
    const first = await hostile(pdfLoader, `/certificates/${number}/certificate.pdf`, 0, { number });
    const second = await hostile(pdfLoader, `/certificates/${number}/certificate.pdf`, 1, { number });
    expect([first.status, second.status]).toEqual([200, 200]);
    const a = new Uint8Array(await first.arrayBuffer());
    const b = new Uint8Array(await second.arrayBuffer());
    expect(qrOfPdf(a)).toBe(`${ORIGIN}/verify/${number}`);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).includes("evil.example")).toBe(false);
    expect(first.headers.get("ETag")).toBe(second.headers.get("ETag"));
    expect(first.headers.get("Cache-Control")).toBe("public, max-age=86400");
    // The PDF's ETag is its own (it carries the origin), not the signed JSON's.
    const json = await hostile(jsonLoader, `/certificates/${number}/certificate.json`, 0, { number });
    expect(first.headers.get("ETag")).not.toBe(json.headers.get("ETag"));
    const revalidated = await callLoader(pdfLoader, `/certificates/${number}/certificate.pdf`, {
      params: { number },
      headers: { "If-None-Match": first.headers.get("ETag")! },
    });
    expect(revalidated.status).toBe(304);
  });

  it("gets API JSON whose links are absolute on the configured origin, the same body and ETag for every Host", async () => {
    clearCertificateApiCache();
    const first = await hostile(apiLoader, `/api/v1/certificates/${number}`, 0, { number });
    clearCertificateApiCache();
    const second = await hostile(apiLoader, `/api/v1/certificates/${number}`, 1, { number });
    const text = await first.text();
    expect(text).toBe(await second.text());
    expect(first.headers.get("ETag")).toBe(second.headers.get("ETag"));
    expect(text).not.toMatch(/evil|phish|other\.example/);
    const n = encodeURIComponent(number);
    expect((JSON.parse(text) as { links: Record<string, string> }).links).toEqual({
      verify: `${ORIGIN}/verify/${n}`,
      api: `${ORIGIN}/api/v1/certificates/${n}`,
      pdf: `${ORIGIN}/certificates/${n}/certificate.pdf`,
      json: `${ORIGIN}/certificates/${n}/certificate.json`,
      labelSvg: `${ORIGIN}/certificates/${n}/label.svg`,
      labelPng: `${ORIGIN}/certificates/${n}/label.png`,
      keys: `${ORIGIN}/.well-known/carbonlabel-keys.json`,
    });
  });

  it("gets the OpenAPI document with the configured server, and the keys document and label free of the Host", async () => {
    const openApi = await hostile(openApiLoader, "/api/v1/openapi.json", 0);
    const doc = JSON.parse(await openApi.text()) as { servers: { url: string }[] };
    expect(doc.servers).toEqual([{ url: ORIGIN }]);
    expect(JSON.stringify(doc)).not.toContain("evil.example");
    expect(await (await hostile(keysLoader, "/.well-known/carbonlabel-keys.json", 0)).text()).not.toContain("evil.example");
    expect(await (await hostile(svgLoader, `/certificates/${number}/label.svg`, 0, { number })).text()).not.toContain("evil.example");
  });
});
