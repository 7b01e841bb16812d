/**
 * A line whose factor cannot be used, in Chromium: the picker lists the factor greyed out with its
 * GWP basis and why; a line saved with it anyway (from a page opened before, say) shows its error
 * on the line, the rest of the footprint stays, marked incomplete, the conformance check names the
 * line and links to it, and choosing a usable factor there makes the result whole again.
 */
import { describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import { collectProblems, createCementInventory, pickFactor, signIn, sharedBrowser } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const browser = sharedBrowser();

describe("a line that cannot be calculated, in Chromium", () => {
  it("shows its error on the line and keeps the rest of the result, marked incomplete, until it is fixed", async () => {
    const context = await browser().newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    const problems = collectProblems(page);
    await signIn(page, baseUrl, "member@hualv.demo", DEMO_PASSWORD);
    await page.getByTestId("role-nav").getByRole("link", { name: "产品" }).click();
    await page.getByRole("link", { name: "新增产品" }).click();
    await createCementInventory(page, { nameZh: "不完整结果测试水泥", nameEn: "Incomplete result test cement" }, "1000");
    await page.locator("[data-testid='add-line-form'][data-live='true']").waitFor();

    // 100 t of raw coal for 1 000 t: 100 × 1.9003 = 190.03 kgCO2e per t.
    await page.locator("#field-kind").selectOption("fuel");
    await page.locator("#field-name").fill("窑用煤");
    await pickFactor(page, "原煤", "FUEL-RAW-COAL");
    await page.locator("#field-amount").fill("100");
    await page.locator("#field-unit").selectOption("t");
    await page.getByRole("button", { name: "添加", exact: true }).click();
    const total = page.getByTestId("footprint-total");
    await expect.poll(() => total.textContent()).toBe("190.0");

    // The picker: the AR6 truck first; the AR5-only ones greyed out, saying why.
    await page.locator("#field-kind").selectOption("transport");
    await page.locator("#field-stage").selectOption("raw_material_transport");
    await page.locator("#field-name").fill("原料汽运");
    await pickFactor(page, "diesel", "TR-ROAD-HDT-30T-DEMO");
    const options = page.locator("#field-factorCode option");
    await expect
      .poll(() => options.evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)))
      .toEqual(["", "TR-ROAD-HDT-30T-DEMO", "TR-ROAD-HDT-30T", "TR-ROAD-MDT-8T"]);
    const ar5 = page.locator("#field-factorCode option[value='TR-ROAD-HDT-30T']");
    expect(await ar5.isDisabled()).toBe(true);
    expect(await ar5.textContent()).toContain("AR5 的 CO₂e 汇总值 — 不可用：仅有 AR5 的 CO₂e 汇总值，本清单采用 AR6");
    expect(await page.getByTestId("factor-count").textContent()).toContain("其中 2 个不能用于本清单");
    expect(await page.getByTestId("selected-factor").textContent()).toContain("AR6 的 CO₂e 汇总值");

    // A page opened before the factor became unusable still offers it: the line is saved with it.
    await ar5.evaluate((o) => ((o as HTMLOptionElement).disabled = false));
    await page.locator("#field-factorCode").selectOption("TR-ROAD-HDT-30T");
    expect(await page.getByTestId("selected-factor-unusable").textContent()).toContain("不接受其他全球变暖潜势集的因子");
    await page.locator("#field-mass").fill("10");
    await page.locator("#field-distance").fill("100");
    await page.getByRole("button", { name: "添加", exact: true }).click();

    // The rest still counts, the result says it is incomplete, and the line says why.
    const row = page.locator("tr[data-line='原料汽运']");
    await expect.poll(() => row.getByTestId("unusable-line").count()).toBe(1);
    expect(await row.getByTestId("unusable-line").textContent()).toContain("因子「TR-ROAD-HDT-30T」仅以「AR5」的 CO2e 给出");
    expect(await row.getByTestId("line-contribution").textContent()).toBe("—");
    expect(await total.textContent()).toBe("190.0");
    expect(await page.getByTestId("result-incomplete").textContent()).toBe("不完整");
    expect(await page.getByTestId("incomplete-note").textContent()).toContain("1 条清单行无法计算");
    expect(await page.getByTestId("apply-link").count()).toBe(0);
    const finding = page.locator("[data-check='lines.unusable']");
    expect(await finding.getAttribute("data-passed")).toBe("false");

    // The finding links to the line: it opens with its error, and a usable factor fixes it.
    await finding.getByRole("link", { name: "原料汽运" }).click();
    await page.locator("[data-testid='edit-line-form'][data-live='true']").waitFor();
    expect(await page.getByTestId("line-unusable-note").textContent()).toContain("此行无法计算，未计入结果");
    await pickFactor(page, "diesel", "TR-ROAD-HDT-30T-DEMO");
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await expect.poll(() => page.getByTestId("result-incomplete").count()).toBe(0);
    // + 10 t × 100 km × 0.078 kgCO2e/t·km for 1 000 t: 0.078 kgCO2e per t.
    await expect.poll(() => total.textContent()).toBe("190.1");
    expect(await page.locator("[data-check='lines.unusable']").count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
