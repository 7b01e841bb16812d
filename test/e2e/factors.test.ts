/**
 * The factor library in Chromium: a visitor, without signing in, searches in Chinese, opens a
 * factor and sees its value with unit, status, source and versions, at desktop and phone width
 * with nothing wider than the screen; a signed-in manufacturer sees its own inventories using a
 * factor the demo products cite. Screenshots go to test-results/ for a look.
 */

import { describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import { collectProblems, sharedBrowser, signIn } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const browser = sharedBrowser();

const SIZES = [
  { name: "desktop", viewport: { width: 1280, height: 900 }, isMobile: false },
  { name: "phone", viewport: { width: 375, height: 740 }, isMobile: true },
] as const;

describe("factor library in Chromium", () => {
  for (const size of SIZES) {
    it(`lets a visitor search and open a factor (${size.name})`, async () => {
      const context = await browser().newContext({ locale: "zh-CN", viewport: size.viewport, isMobile: size.isMobile });
      const page = await context.newPage();
      const problems = collectProblems(page);
      await page.goto(`${baseUrl}/factors`);
      expect(await page.getByTestId("factors-public").textContent()).toContain("本页公开");
      await page.locator("#factors-q").fill("浙江 2023");
      await Promise.all([page.waitForURL(/q=/), page.getByRole("button", { name: "筛选" }).click()]);
      const rows = page.getByTestId("factor-row");
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().getAttribute("data-code")).toBe("EL-S2-ZJ-2023");
      expect(await rows.first().textContent()).toContain("0.4974");
      expect(await rows.first().textContent()).toContain("kg/kWh");
      expect(await rows.first().getByTestId("factor-status").textContent()).toBe("已核实");
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `test-results/factors-search-${size.name}.png`, fullPage: true });

      await Promise.all([page.waitForURL(/\/factors\/EL-S2-ZJ-2023/), rows.first().getByRole("link").click()]);
      expect(await page.getByTestId("factor-code").textContent()).toBe("EL-S2-ZJ-2023");
      expect(await page.getByTestId("factor-facts").textContent()).toContain("仅发电环节二氧化碳");
      expect(await page.getByTestId("factor-source").textContent()).toContain("表3 省级电力平均二氧化碳排放因子");
      expect(await page.getByTestId("factor-version").count()).toBeGreaterThanOrEqual(1);
      expect(await page.getByTestId("factor-usage").textContent()).toContain("登录后");
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `test-results/factors-page-${size.name}.png`, fullPage: true });
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it("shows a signed-in manufacturer its own inventories that use a factor", async () => {
    const context = await browser().newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await signIn(page, baseUrl, "member@hualv.demo", DEMO_PASSWORD);
    await page.getByTestId("role-nav").getByRole("link", { name: "排放因子库" }).click();
    await page.waitForURL(/\/factors$/);
    await page.goto(`${baseUrl}/factors/TR-ROAD-HDT-30T-DEMO`);
    const usage = page.getByTestId("factor-usage");
    expect(await usage.textContent()).toContain("华绿示范实业集团有限公司");
    await expect.poll(() => page.getByTestId("factor-usage-row").count()).toBeGreaterThan(0);
    const href = await page.getByTestId("factor-usage-row").first().getByRole("link").getAttribute("href");
    expect((await page.goto(`${baseUrl}${href}`))?.status()).toBe(200);
    await context.close();
  });
});
