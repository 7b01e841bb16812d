/**
 * The scan path in Chromium, on the real server with its demo data: download a valid
 * certificate's PDF, decode the QR code printed on it (the page rasterised with pdftoppm, the
 * code read with jsQR), open that URL on a phone-sized screen and see the valid status; suspend
 * the certificate as the certification body, reload the scanned page and see it suspended; then
 * restore it. Also: the page fits 375 px without sideways scrolling, in Chinese and in English,
 * and the registry lists the certificate with the statistics chart.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import { sharedBrowser, signIn } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const work = mkdtempSync(path.join(tmpdir(), "carbonlabel-e2e-verify-"));
const browser = sharedBrowser();
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** The QR code on page 1 of a PDF, as a phone camera would read it. */
function qrOfPdf(pdf: Uint8Array): string {
  const file = path.join(work, "certificate.pdf");
  writeFileSync(file, pdf);
  execFileSync("pdftoppm", ["-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", file, path.join(work, "page")]);
  const png = PNG.sync.read(readFileSync(path.join(work, "page.png")));
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height);
  if (!code) throw new Error("no QR code found on the certificate page");
  return code.data;
}

async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** The CB admin sends one event from the case page of the case holding `number`. */
async function asCertificationBody(number: string, event: "SUSPEND" | "RESTORE", text: string): Promise<void> {
  const context = await browser().newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, baseUrl, "admin@ccdc.demo", DEMO_PASSWORD);
  await page.goto(`${baseUrl}/cases`);
  await page.locator("tr", { hasText: number }).getByRole("link").first().click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}/);
  const form = page.locator(`form[data-event="${event}"]`);
  await form.locator("textarea").fill(text);
  await form.getByRole("button").click();
  await expect.poll(() => page.locator(`form[data-event="${event}"]`).count(), { timeout: 15_000 }).toBe(0);
  await context.close();
}

describe("public verification in Chromium", () => {
  it("scan path: QR on the PDF → valid; the body suspends it → the reloaded page says suspended", async () => {
    const phone = await browser().newContext({ locale: "zh-CN", viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const page = await phone.newPage();

    // A valid demo certificate from the public registry.
    await page.goto(`${baseUrl}/registry`);
    const number = (await page.getByTestId("registry-table").locator("tbody tr").first().locator("a").first().textContent())!.trim();
    expect(number).toMatch(/^CCDC-(CF|LC|RC|CN)-\d{4}-\d{6}$/);

    const pdf = await fetch(`${baseUrl}/certificates/${number}/certificate.pdf`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const scanned = qrOfPdf(new Uint8Array(await pdf.arrayBuffer()));
    expect(scanned).toBe(`${baseUrl}/verify/${number}`);

    await page.goto(scanned);
    const verdict = page.getByTestId("verdict");
    expect(await verdict.getAttribute("data-verdict")).toBe("valid");
    expect(await verdict.locator("h1").textContent()).toBe("有效证书");
    for (const check of ["data", "status", "issuer"]) expect(await page.getByTestId(`check-${check}`).getAttribute("data-state")).toBe("valid");
    expect(await page.getByTestId("certificate-value").textContent()).toMatch(/^\d+(\.\d+)? kgCO2e \/ 1 t$/);
    expect(await page.getByTestId("certificate-status").textContent()).toBe("有效");
    expect(await fitsWidth(page)).toBe(true);

    await asCertificationBody(number, "SUSPEND", "监督抽查：计量器具检定证书过期，暂停至整改完成。");
    await page.reload();
    expect(await verdict.getAttribute("data-verdict")).toBe("suspended");
    expect(await verdict.locator("h1").textContent()).toBe("证书已暂停");
    expect(await page.getByTestId("check-status").getAttribute("data-state")).toBe("invalid");
    expect(await page.getByTestId("check-data").getAttribute("data-state")).toBe("valid");
    expect(await page.getByTestId("certificate-status").textContent()).toBe("暂停");

    // The same in English, still without sideways scrolling.
    await page.getByTestId("language-switch").click();
    await expect.poll(() => verdict.locator("h1").textContent()).toBe("Certificate suspended");
    expect(await fitsWidth(page)).toBe(true);
    await page.getByTestId("language-switch").click();
    await expect.poll(() => verdict.locator("h1").textContent()).toBe("证书已暂停");

    await asCertificationBody(number, "RESTORE", "整改完成，恢复证书。");
    await page.reload();
    expect(await verdict.getAttribute("data-verdict")).toBe("valid");
    await phone.close();
  });

  it("checks an uploaded certificate PDF and shows an unknown number plainly", async () => {
    const phone = await browser().newContext({ locale: "zh-CN", viewport: { width: 375, height: 812 }, isMobile: true });
    const page = await phone.newPage();
    await page.goto(`${baseUrl}/registry`);
    expect(await page.getByTestId("category-stat").count()).toBeGreaterThan(0);
    expect(await fitsWidth(page)).toBe(true);
    const number = (await page.getByTestId("registry-table").locator("tbody tr").first().locator("a").first().textContent())!.trim();
    const file = path.join(work, `${number}.pdf`);
    writeFileSync(file, new Uint8Array(await (await fetch(`${baseUrl}/certificates/${number}/certificate.pdf`)).arrayBuffer()));

    await page.goto(`${baseUrl}/verify`);
    await page.locator("#verify-file").setInputFiles(file);
    await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "核对文件" }).click()]);
    await expect.poll(() => page.getByTestId("verdict").getAttribute("data-verdict")).toBe("valid");
    expect(await page.getByTestId("verdict").textContent()).toContain(number);

    await page.locator("#verify-number").fill("ccdc-cf-2020-123456");
    await page.getByRole("button", { name: "查验", exact: true }).click();
    await page.waitForURL(/\/verify\/CCDC-CF-2020-123456$/);
    // The address changes before the new page is drawn (client-side navigation): wait for it.
    await expect.poll(() => page.getByTestId("verdict").getAttribute("data-verdict")).toBe("not_found");
    expect(await fitsWidth(page)).toBe(true);
    await phone.close();
  });
});
