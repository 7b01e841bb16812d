/**
 * Supplier lines in Chromium: a manufacturer cites a supplier's certificate from the public
 * registry by its number alone and sees the registry's signed figures appear read-only before
 * saving; an unknown number is refused as it is entered, with the advice to enter the figure as
 * supplier-declared; a supplier's own figure is offered only as secondary data and is named in the
 * conformance panel, for information.
 */
import { describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import { collectProblems, createCementInventory, sharedBrowser, signIn } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const browser = sharedBrowser();

describe("supplier lines in Chromium", () => {
  it("cites a certificate by number with nothing typed, refuses an unknown one, and labels a supplier's own figure", async () => {
    const context = await browser().newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    const problems = collectProblems(page);

    // A valid cement certificate, as anyone finds it in the public registry.
    await page.goto(`${baseUrl}/registry?category=PCR-CN-CEMENT&labelType=CF`);
    const firstRow = page.getByTestId("registry-table").locator("tbody tr").first();
    const number = (await firstRow.locator("td").first().getByRole("link").textContent())!.trim();
    const value = (await firstRow.getByTestId("registry-value").textContent())!.trim().split(/\s/)[0]!;
    expect(number).toMatch(/^CCDC-CF-\d{4}-\d{6}$/);

    await signIn(page, baseUrl, "member@hualv.demo", DEMO_PASSWORD);
    await page.getByTestId("role-nav").getByRole("link", { name: "产品" }).click();
    await page.getByRole("link", { name: "新增产品" }).click();
    await createCementInventory(page, { nameZh: "供应商证书测试水泥", nameEn: "Supplier certificate test cement" }, "2000");
    await page.locator("[data-testid='add-line-form'][data-live='true']").waitFor();

    // Cite it: the number, and the registry fills in the rest, read-only.
    await page.locator("#field-kind").selectOption("supplier_certificate");
    await page.locator("#field-name").fill("外购熟料");
    expect(await page.locator("#field-supplierSource").inputValue()).toBe("certificate");
    expect(await page.getByTestId("supplier-declared").count()).toBe(0);
    await page.locator("#field-certificateNumber").fill(number.toLowerCase());
    await page.locator("#field-certificateNumber").blur();
    const facts = page.getByTestId("certificate-facts");
    await expect.poll(() => facts.count()).toBe(1);
    // The registry lists the verifier's value; the certificate signs it at 4 significant digits, and the line takes the signed figure.
    expect(await page.getByTestId("certificate-value").textContent()).toBe(`${Number(Number(value).toPrecision(4))} kgCO₂e / 1 t`);
    expect(await facts.textContent()).toContain(`来源：证书 ${number} 的签名数据`);
    expect(await facts.textContent()).toContain("PCR-CN-CEMENT 1.0.0");
    // Only masses convert to the certificate's declared unit.
    expect(await page.locator("#field-unit option").allTextContents()).toEqual(["mg", "g", "kg", "t", "kt", "Mt"]);
    await page.locator("#field-amount").fill("100");
    await page.locator("#field-unit").selectOption("t");
    await page.getByRole("button", { name: "添加", exact: true }).click();
    // 100 t of 2 000 t at the certified value per t.
    const total = page.getByTestId("footprint-total");
    await expect.poll(async () => Number(await total.textContent())).toBeCloseTo((Number(value) * 100) / 2000, 1);

    // A number the registry does not hold is refused as it is entered.
    await page.locator("#field-kind").selectOption("supplier_certificate");
    await page.locator("#field-certificateNumber").fill("CQC-CF-2025-000123");
    await page.locator("#field-certificateNumber").blur();
    await expect
      .poll(() => page.locator("#field-certificateNumber-error").textContent())
      .toBe("登记册中没有证书 CQC-CF-2025-000123。如为供应商自行提供的数值，请在“数据来源”中选择“供应商自报，未经核验”后录入");

    // So it is entered as the supplier's own figure: secondary data only, and named in the conformance panel.
    await page.locator("#field-supplierSource").selectOption("declared");
    await page.locator("#field-name").fill("包装袋");
    expect(await page.getByTestId("supplier-declared-note").first().textContent()).toContain("供应商自报，未经核验");
    expect(await page.locator("#field-dataType option").allTextContents()).toEqual(["次级数据（数据库/文献）"]);
    await page.locator("#field-supplierName").fill("华东包装");
    await page.locator("#field-certifiedValue").fill("0.12");
    await page.locator("#field-certifiedUnit").selectOption("piece");
    await page.locator("#field-amount").fill("40000");
    await page.locator("#field-unit").selectOption("piece");
    await page.getByRole("button", { name: "添加", exact: true }).click();
    const finding = page.locator("[data-check='supplier.declared']");
    await expect.poll(() => finding.count()).toBe(1);
    expect(await finding.textContent()).toContain("1 条清单行使用供应商自报、未经核验的数据（华东包装）");
    expect(await finding.getByRole("link", { name: "包装袋" }).count()).toBe(1);
    expect(await page.getByTestId("supplier-declared-share").textContent()).toContain("1 条清单行为供应商自报");

    expect(problems).toEqual([]);
    await context.close();
  });
});
