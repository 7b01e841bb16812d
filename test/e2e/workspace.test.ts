/**
 * A manufacturer in Chromium: opens the demo battery's inventory, sees its footprint with unit and
 * basis, adds a line and sees the footprint change, is offered only units that fit the factor, gets
 * a field error for an amount that is not positive, and removes the line again.
 */

import { describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import { signIn, sharedBrowser } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const browser = sharedBrowser();

describe("manufacturer workspace in Chromium", () => {
  it("shows the live footprint of an inventory and updates it as lines change", async () => {
    const context = await browser().newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await signIn(page, baseUrl, "member@hualv.demo", DEMO_PASSWORD);
    await page.getByTestId("role-nav").getByRole("link", { name: "产品" }).click();
    // From the products table (the dashboard names the same product, linking to its inventory).
    await page.locator("table").getByRole("link", { name: "P·O 42.5 普通硅酸盐水泥" }).click();
    await page.locator("a[href^='/inventories/']").first().click();
    await page.waitForURL(/\/inventories\//);
    const total = page.getByTestId("footprint-total");
    await page.locator("[data-testid='add-line-form'][data-live='true']").waitFor();
    expect(await total.textContent()).toBe("642.8");
    expect(await page.getByTestId("result-basis").textContent()).toContain("PCR-CN-CEMENT v1.0.0");
    expect(await page.getByTestId("result-panel").textContent()).toContain("kgCO₂e / 1 t");

    // Only units of the factor's dimension are offered; an amount that is not positive is refused on the field.
    await page.locator("#field-kind").selectOption("fuel");
    await page.locator("#field-name").fill("备用柴油");
    await page.locator("#field-factorCode").selectOption("FUEL-DIESEL");
    await expect.poll(() => page.locator("#field-unit option").allTextContents()).toEqual(["mg", "g", "kg", "t", "kt", "Mt"]);
    expect(await page.locator("#field-unit").inputValue()).toBe("kg");
    await page.locator("#field-amount").fill("-10");
    await page.getByRole("button", { name: "添加" }).click();
    await expect.poll(() => page.locator("#field-amount-error").textContent()).toContain("必须大于 0");
    expect(await total.textContent()).toBe("642.8");

    // 10 kg of diesel per t of cement: + 10 × 3.0959 = 30.959 kgCO2e/t on 642.7544 (CN-DEMO 2026.2).
    await page.locator("#field-amount").fill("10");
    await page.getByRole("button", { name: "添加" }).click();
    await expect.poll(() => total.textContent()).toBe("673.7");
    await page.getByRole("button", { name: "删除 备用柴油" }).click();
    await expect.poll(() => total.textContent()).toBe("642.8");
    await context.close();
  });

  it("checks the product form in the browser, in the page's language, before anything is sent", async () => {
    const context = await browser().newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await signIn(page, baseUrl, "member@hualv.demo", DEMO_PASSWORD);
    await page.goto(`${baseUrl}/products/new`);
    await page.waitForFunction(() => "__remixRouter" in window);
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    // A wrong check digit is named when the field is left (once the page has hydrated, Conform listens).
    await expect
      .poll(async () => {
        await page.locator("#field-gtin").fill("6901234567893");
        await page.locator("#field-gtin").press("Tab");
        return page
          .locator("#field-gtin-error")
          .textContent({ timeout: 500 })
          .catch(() => null);
      })
      .toBe("GTIN 应为 8、12、13 或 14 位数字，且校验位正确（GS1）。");
    // Submitting with the name missing is stopped in the browser: the summary lists both problems under their labels.
    await page.getByRole("button", { name: "保存" }).click();
    await expect.poll(() => page.locator("#field-nameZh-error").textContent()).toBe("必填项。");
    const summary = await page.getByTestId("form-errors").textContent();
    expect(summary).toContain("产品名称（中文）：必填项。");
    expect(summary).toContain("GTIN 商品条码（可选）：GTIN 应为");
    expect(summary).not.toMatch(/nameZh|Required|Invalid/);
    expect(posts).toEqual([]);
    expect(new URL(page.url()).pathname).toBe("/products/new");
    await context.close();
  });
});
