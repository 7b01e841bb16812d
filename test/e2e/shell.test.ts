/**
 * What a person sees in Chromium: signing in as each demo account shows that role's navigation;
 * the language switch works and is remembered; a wrong password says so in the chosen language.
 */

import { describe, expect, inject, it } from "vitest";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import { signIn, sharedBrowser } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const browser = sharedBrowser();

const NAV_BY_ROLE: Record<string, string[]> = {
  platform_admin: ["工作台", "机构管理", "因子库版本", "成员", "账户"],
  manufacturer_admin: ["工作台", "产品", "排放因子库", "认证案件", "组织资料", "成员", "账户"],
  manufacturer_member: ["工作台", "产品", "排放因子库", "认证案件", "账户"],
  cb_admin: ["工作台", "认证案件", "因子漂移监督", "组织资料", "成员", "账户"],
  cb_reviewer: ["工作台", "认证案件", "因子漂移监督", "账户"],
  cb_inspector: ["工作台", "认证案件", "因子漂移监督", "账户"],
  cb_verifier: ["工作台", "认证案件", "因子漂移监督", "账户"],
  cb_decider: ["工作台", "认证案件", "因子漂移监督", "账户"],
};

describe("bilingual shell in Chromium", () => {
  it("follows the browser's language for visitors", async () => {
    const context = await browser().newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(baseUrl);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await context.close();
  });

  it("shows the public home page in Chinese to a Chinese browser, English one click away", async () => {
    const context = await browser().newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(baseUrl);
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("zh-CN");
    expect(await page.locator("h1").textContent()).toContain("碳足迹");
    expect(await page.getByText("碳中和产品").count()).toBeGreaterThan(0);
    await page.getByTestId("language-switch").click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    expect(await page.locator("h1").textContent()).toContain("carbon footprint");
    await page.reload();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await context.close();
  });

  it("says a wrong password is wrong, in the user's language, on the sign-in form", async () => {
    const context = await browser().newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.locator("#field-email").fill("admin@hualv.demo");
    await page.locator("#field-password").fill("not-the-password");
    await page.locator("form button[type=submit]").last().click();
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("邮箱或密码不正确");
    await page.getByTestId("language-switch").click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await page.locator("#field-email").fill("admin@hualv.demo");
    await page.locator("#field-password").fill("still-not-it");
    await page.locator("form button[type=submit]").last().click();
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("Email or password is incorrect");
    await context.close();
  });

  for (const account of DEMO_ACCOUNTS) {
    it(`signs in as ${account.role} (${account.email}) and shows that role's navigation`, async () => {
      const context = await browser().newContext();
      const page = await context.newPage();
      await signIn(page, baseUrl, account.email, DEMO_PASSWORD);
      const nav = page.getByTestId("role-nav");
      // The address changes when the navigation commits; the new page may render a moment later.
      await expect.poll(async () => (await nav.locator("a").allTextContents()).map((s) => s.trim())).toEqual(NAV_BY_ROLE[account.role]);
      expect(await page.getByTestId("role-tag").allTextContents()).toHaveLength(1);
      // Every link in the navigation opens (no 403 behind a visible link).
      for (const href of await nav.locator("a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute("href")))) {
        const response = await page.goto(`${baseUrl}${href}`);
        expect(response?.status(), href!).toBe(200);
      }
      await context.close();
    });
  }

  it("works on a phone-sized screen", async () => {
    const context = await browser().newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(baseUrl);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: "test-results/home-phone.png", fullPage: true });
    await context.close();
  });
});
