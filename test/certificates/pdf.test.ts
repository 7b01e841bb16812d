/**
 * The certificate PDF and the label mark, looked at the way a reader does: text extracted with
 * poppler's pdftotext, the page rasterised with pdftoppm and its QR code decoded, the attachment
 * listed with pdfdetach and read back and verified.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import jsQR from "jsqr";
import { PDFDocument } from "pdf-lib";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";
import { demoCertificatePayload } from "../../app/certificate-files/demo.ts";
import { extractSignedCertificate } from "../../app/certificate-files/extract.server.ts";
import { generateSigningKey } from "../../workflows/certificates/keys.ts";
import { LABEL_COLOURS, labelMark, labelMarkSvg } from "../../app/certificate-files/label-mark.ts";
import { labelMarkOutlinedSvg, labelMarkPng } from "../../app/certificate-files/label-mark.server.ts";
import type { CertificatePayload, LabelFacts } from "../../workflows/certificates/payload.ts";
import { certificatePdf, clearCertificatePdfCache, renderCertificatePdf, verificationUrl } from "../../app/certificate-files/pdf.server.tsx";
import {
  publicKeyDocument,
  shortFingerprint,
  signCertificate,
  trustedKeysFromDocument,
  verifyCertificate,
} from "../../workflows/certificates/signing.ts";

const work = mkdtempSync(path.join(tmpdir(), "carbonlabel-pdf-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const BASE_URL = "https://carbonlabel.example.cn";
const key = generateSigningKey("CCDC", "2026-01-01");
const trusted = trustedKeysFromDocument(JSON.parse(JSON.stringify(publicKeyDocument([key]))));

function saved(name: string, bytes: Uint8Array): string {
  const file = path.join(work, name);
  writeFileSync(file, bytes);
  return file;
}
const run = (command: string, ...args: string[]) => execFileSync(command, args, { encoding: "utf8" });
/** pdftotext output with all whitespace removed, so lines broken anywhere still match. */
const textOf = (file: string) => run("pdftotext", "-enc", "UTF-8", file, "-").replace(/\s+/g, "");
const squeeze = (s: string) => s.replace(/\s+/g, "");

// Test data for the label-specific facts (earlier certificates and retired credits are not demo records).
const RC_FACTS: LabelFacts = {
  type: "RC",
  baselineCertificates: [
    { number: "CCDC-CF-2024-000011", value: "13.07", issuedOn: "2024-03-05" },
    { number: "CCDC-CF-2025-000008", value: "12.18", issuedOn: "2025-03-04" },
  ],
  reductionPercent: "11.49",
  minimumReductionPercent: "11.00",
  demonstrationMinimum: true,
};
const CN_FACTS: Extract<LabelFacts, { type: "CN" }> = {
  type: "CN",
  period: { start: "2025-01-01", end: "2025-12-31" },
  quantity: { value: "60000", unit: "kWh" },
  emissions: { value: "5839.8", unit: "tCO2e" },
  creditsRetired: { value: "5840", unit: "tCO2e" },
  credits: [
    {
      registry: "全国温室气体自愿减排注册登记系统",
      programme: "CCER",
      serialPrefix: "CCER-2024-",
      first: "100001",
      last: "103000",
      vintage: "2024",
      retiredOn: "2026-01-20",
      quantity: "3000",
    },
    {
      registry: "全国温室气体自愿减排注册登记系统",
      programme: "CCER",
      serialPrefix: "CCER-2024-",
      first: "200001",
      last: "202840",
      vintage: "2024",
      retiredOn: "2026-01-20",
      quantity: "2840",
    },
  ],
};

describe("certificate PDF", () => {
  const payload = demoCertificatePayload();
  const certificate = signCertificate(payload, key);

  it("renders identical bytes for identical input, and caches by content", async () => {
    const first = await renderCertificatePdf(certificate, { baseUrl: BASE_URL });
    const second = await renderCertificatePdf(structuredClone(certificate), { baseUrl: BASE_URL });
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);

    clearCertificatePdfCache();
    const cached = certificatePdf(certificate, { baseUrl: BASE_URL });
    expect(certificatePdf(structuredClone(certificate), { baseUrl: BASE_URL })).toBe(cached);
    expect(Buffer.from(await cached).equals(Buffer.from(first))).toBe(true);
    const elsewhere = await certificatePdf(certificate, { baseUrl: "https://verify.example.org" });
    expect(Buffer.from(elsewhere).equals(Buffer.from(first))).toBe(false);
  });

  it("is one A4 page under 200 KB with the font subset-embedded and extractable Chinese and English text", async () => {
    const pdf = await certificatePdf(certificate, { baseUrl: BASE_URL });
    expect(pdf.byteLength).toBeLessThan(200 * 1024);
    const file = saved("demo.pdf", pdf);
    const info = run("pdfinfo", file);
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    expect(info).toMatch(/Title:\s+CCDC-CF-2026-000001 碳足迹标识认证证书 Carbon Footprint Label Certificate/);
    const fonts = run("pdffonts", file);
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansSC-Bold\s+CID TrueType\s+Identity-H\s+yes yes yes/);

    const text = textOf(file);
    for (const expected of [
      "碳足迹标识认证证书",
      "CarbonFootprintLabelCertificate",
      "华绿示范实业集团有限公司",
      "HualvDemoIndustrialGroupCo.,Ltd.",
      "NCM811电动汽车动力电池包",
      "EVtractionbatterypack(NCM811)",
      "94.9kgCO2e/1kWh",
      "原料获取rawmaterialacquisition",
      "中碳示范认证中心有限公司",
      "CNCA-R-2025-DEMO-001",
      "2028-03-01",
      squeeze(verificationUrl(BASE_URL, payload.number)),
      "证书状态（有效、暂停、撤销、过期）不属于本文件内容，以查验页面为准。",
      key.kid,
      squeeze(shortFingerprint(payload)),
      payload.versions.inputSha256,
    ]) {
      expect(text, expected).toContain(expected);
    }
  });

  it("carries a QR code that decodes to the verification URL", async () => {
    const file = saved("qr.pdf", await certificatePdf(certificate, { baseUrl: BASE_URL }));
    run("pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", file, path.join(work, "page"));
    const png = PNG.sync.read(readFileSync(path.join(work, "page.png")));
    const found = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height);
    expect(found?.data).toBe(`${BASE_URL}/verify/CCDC-CF-2026-000001`);
  });

  it("embeds the signed JSON, which reads back and verifies with the published key", async () => {
    const pdf = await certificatePdf(certificate, { baseUrl: BASE_URL });
    expect(run("pdfdetach", "-list", saved("attached.pdf", pdf))).toMatch(/1 embedded files\n1: CCDC-CF-2026-000001\.json/);

    const extracted = await extractSignedCertificate(pdf);
    expect(extracted).toMatchObject({ found: true, fileName: "CCDC-CF-2026-000001.json" });
    const result = verifyCertificate(extracted.found ? extracted.envelope : null, trusted);
    expect(result.outcome).toBe("intact");
    expect(result.payload).toEqual(payload);

    const plain = await PDFDocument.create();
    plain.addPage();
    expect(await extractSignedCertificate(await plain.save())).toEqual({ found: false, reason: "no_signed_data" });
    expect(await extractSignedCertificate(new TextEncoder().encode("not a pdf"))).toEqual({ found: false, reason: "not_pdf" });
  });

  it("wraps a long Chinese name between hanzi, without inserting hyphens", async () => {
    const name =
      "高镍三元（NCM811）方形铝壳电动汽车动力电池包总成，含电池管理系统、热管理系统、高压连接器与结构件（示范长名称，用于检验中文自动换行）";
    const long = { ...payload, product: { ...payload.product, name: { ...payload.product.name, zh: name } } };
    const file = saved("long-name.pdf", await renderCertificatePdf(signCertificate(long, key), { baseUrl: BASE_URL }));
    const lines = run("pdftotext", "-enc", "UTF-8", file, "-").split("\n");
    const first = lines.findIndex((line) => line.startsWith("高镍三元"));
    const wrapped = lines.slice(first, first + 3);
    expect(wrapped.length).toBe(3);
    expect(wrapped.every((line) => !line.endsWith("-"))).toBe(true);
    expect(wrapped.join("")).toBe(name);
  });

  it("prints the label-specific facts of LC, RC and CN certificates on one page", async () => {
    const variants: [CertificatePayload, string[]][] = [
      [
        demoCertificatePayload({ example: "cement", labelType: "LC" }),
        ["低碳产品认证证书", "Low-CarbonProductCertificate", "低碳评价基准值", "642.8≤650kgCO2e/1t"],
      ],
      [
        demoCertificatePayload({ example: "textile", labelType: "RC", labelFacts: RC_FACTS }),
        ["减碳产品认证证书", "基线证书", "CCDC-CF-2025-000008·2025-03-04·12.18kgCO2e/1kg", "11.49%", "较上一证书减排"],
      ],
      [
        demoCertificatePayload({ labelType: "CN", labelFacts: CN_FACTS }),
        [
          "碳中和产品认证证书",
          "Carbon-NeutralProductCertificate",
          "5839.8tCO2e",
          "5840tCO2e",
          "全国温室气体自愿减排注册登记系统·CCER·CCER-2024-200001–CCER-2024-202840",
        ],
      ],
    ];
    for (const [variant, expected] of variants) {
      const file = saved(`${variant.labelType}.pdf`, await renderCertificatePdf(signCertificate(variant, key), { baseUrl: BASE_URL }));
      expect(run("pdfinfo", file), variant.labelType).toMatch(/Pages:\s+1\n/);
      const text = textOf(file);
      for (const e of expected) expect(text, `${variant.labelType}: ${e}`).toContain(e);
    }
  });
});

describe("label mark", () => {
  const payload = demoCertificatePayload();

  it("is an SVG with the label type in both languages, value, unit, grade and number", () => {
    const svg = labelMarkSvg(payload);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="48mm" height="60mm" viewBox="0 0 240 300"/);
    for (const text of [">碳足迹标识<", ">CARBON FOOTPRINT<", ">94.9<", ">kgCO2e / 1 kWh<", ">等级 C · Grade C<", ">CCDC-CF-2026-000001<"]) {
      expect(svg).toContain(text);
    }
    expect(svg).toContain(`fill="${LABEL_COLOURS.CF.main}"`);
    const lc = labelMarkSvg(demoCertificatePayload({ example: "cement", labelType: "LC" }));
    expect(lc).toContain(">低碳产品<");
    expect(lc).toContain(">≤ 基准值 650 kgCO2e<");
    expect(new Set(Object.values(LABEL_COLOURS).map((c) => c.main)).size).toBe(4);
    expect(labelMarkSvg({ ...payload, product: { ...payload.product } })).toBe(svg);
  });

  it("escapes text for XML", () => {
    const tricky = demoCertificatePayload({ labelType: "CN", labelFacts: { ...CN_FACTS, period: { start: "2025-01-01", end: "2025-12-31" } } });
    const svg = labelMarkSvg({ ...tricky, declaredUnit: { ...tricky.declaredUnit, unit: "<kWh&>" } });
    expect(svg).toContain("&lt;kWh&amp;&gt;");
    expect(svg).not.toContain("<kWh&>");
  });

  it("renders a PNG with the Chinese label name drawn in the label colour's head", async () => {
    const png = PNG.sync.read(Buffer.from(await labelMarkPng(payload)));
    expect([png.width, png.height]).toEqual([960, 1200]);
    const pixel = (x: number, y: number) => {
      const i = (y * png.width + x) * 4;
      return `#${[0, 1, 2].map((k) => png.data[i + k]!.toString(16).padStart(2, "0")).join("")}`.toUpperCase();
    };
    expect(pixel(40, 60)).toBe(LABEL_COLOURS.CF.main);
    // The hanzi 碳足迹标识 sit in rows 24–48 of the 240 × 300 drawing: white glyph pixels on the green head.
    let white = 0;
    for (let y = 26 * 4; y < 48 * 4; y++) for (let x = 60 * 4; x < 180 * 4; x++) if (pixel(x, y) === "#FFFFFF") white++;
    expect(white).toBeGreaterThan(5_000);
    expect(Buffer.from(await labelMarkPng(payload)).equals(Buffer.from(await labelMarkPng(structuredClone(payload))))).toBe(true);
    await expect(labelMarkPng(payload, 10)).rejects.toThrow(RangeError);
  });

  it("offers an outlined SVG that needs no font", async () => {
    const outlined = await labelMarkOutlinedSvg(payload);
    expect(outlined).toMatch(/^<svg width="48mm" height="60mm" viewBox="0 0 240 300"/);
    expect(outlined).toContain("<title>碳足迹标识 Carbon footprint: 94.9 kgCO2e / 1 kWh, Grade C, CCDC-CF-2026-000001</title>");
    expect(outlined).not.toContain("<text");
    // One path per text run (its glyphs merged) beside the drawing's own shapes.
    expect((outlined.match(/<path /g) ?? []).length).toBeGreaterThanOrEqual(labelMark(payload).shapes.length - 1);
  });
});
