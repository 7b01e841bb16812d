/**
 * A manufacturer in Chromium builds a footprint from nothing: creates a product and an inventory,
 * adds lines one by one picking factors through the search, watches the result and its charts
 * change, sees a required stage reported missing, follows the check's link to add that stage so
 * the check passes, edits a line in place, and attaches an invoice whose SHA-256 the page shows.
 */
import { createHash } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import { collectProblems, createCementInventory, pickFactor, signIn, sharedBrowser } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const browser = sharedBrowser();
let inventoryUrl: string;

describe("inventory editor in Chromium", () => {
  it("builds an inventory line by line, fixes a failing conformance check, edits a line and attaches evidence", async () => {
    const context = await browser().newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    const problems = collectProblems(page);
    await signIn(page, baseUrl, "member@hualv.demo", DEMO_PASSWORD);

    // A new product under the cement PCR, and its first inventory: 2 000 t in 2025.
    await page.getByTestId("role-nav").getByRole("link", { name: "产品" }).click();
    await page.getByRole("link", { name: "新增产品" }).click();
    inventoryUrl = await createCementInventory(page, { nameZh: "浏览器测试水泥", nameEn: "Browser test cement" }, "2000");
    await page.locator("[data-testid='add-line-form'][data-live='true']").waitFor();
    expect(await page.getByTestId("result-panel").count()).toBe(0);

    // Line 1: 260 t of raw coal, found by its Chinese name; the units offered are masses.
    await page.locator("#field-kind").selectOption("fuel");
    await page.locator("#field-name").fill("窑用煤");
    await pickFactor(page, "原煤", "FUEL-RAW-COAL");
    expect(await page.getByTestId("selected-factor").textContent()).toContain("FUEL-RAW-COAL");
    expect(await page.locator("#field-unit option").allTextContents()).toEqual(["mg", "g", "kg", "t", "kt", "Mt"]);
    // An amount that is not a number is refused in the browser, in Chinese, before anything is sent.
    let posted = 0;
    page.on("request", (request) => void (request.method() === "POST" && posted++));
    await page.locator("#field-amount").fill("二百六十");
    await page.locator("#field-amount").blur();
    await expect.poll(() => page.locator("#field-amount-error").textContent()).toBe("请输入数字。");
    await page.getByRole("button", { name: "添加", exact: true }).click();
    expect(await page.locator("#field-amount-error").textContent()).toBe("请输入数字。");
    expect(posted).toBe(0);
    expect(await page.getByTestId("result-panel").count()).toBe(0);
    // Corrected, the message goes as the user types.
    await page.locator("#field-amount").fill("260");
    await expect.poll(() => page.locator("#field-amount-error").count()).toBe(0);
    await page.locator("#field-unit").selectOption("t");
    await page.getByRole("button", { name: "添加", exact: true }).click();
    const total = page.getByTestId("footprint-total");
    // 260 t / 2 000 t × 1 000 kg × 1.9003 kgCO2/kg = 247.039 kgCO2e per t.
    await expect.poll(() => total.textContent()).toBe("247.0");
    expect(await page.getByTestId("result-panel").textContent()).toContain("kgCO₂e / 1 t");

    // Line 2: calcination CO2, 1 050 t → + 525 kgCO2e/t.
    await page.locator("#field-kind").selectOption("process_emission");
    await page.locator("#field-name").fill("熟料煅烧");
    await page.locator("#field-amount").fill("1050000");
    await page.locator("#field-gas").selectOption("co2_fossil");
    await page.getByRole("button", { name: "添加", exact: true }).click();
    await expect.poll(() => total.textContent()).toBe("772.0");
    // The stage chart has a bar for each stage inside the PCR's cradle-to-gate boundary.
    const stageBars = page.getByTestId("stage-chart").locator("g[data-key]");
    expect(await stageBars.evaluateAll((gs) => gs.map((g) => g.getAttribute("data-key")))).toEqual([
      "raw_material_acquisition",
      "raw_material_transport",
      "production",
    ]);
    const acquisitionBar = page.getByTestId("stage-chart").locator("g[data-key='raw_material_acquisition']");
    expect(await acquisitionBar.getAttribute("data-value")).toBe("0");
    expect(await page.getByTestId("stage-chart").locator("svg").getAttribute("role")).toBe("img");
    expect(await page.getByTestId("contribution-chart").locator("desc").textContent()).toContain("熟料煅烧: 525.0 kgCO₂e / 1 t");

    // The PCR requires raw material acquisition: the check fails and says what to do.
    const acquisition = page.locator("[data-finding='stage.required:raw_material_acquisition']");
    expect(await acquisition.getAttribute("data-passed")).toBe("false");
    expect(await acquisition.textContent()).toContain("缺少必需阶段「原料获取」");
    await acquisition.getByRole("link", { name: "在此阶段添加清单行" }).click();
    await expect.poll(() => page.locator("#field-stage").inputValue()).toBe("raw_material_acquisition");
    await page.locator("#field-name").fill("石灰石");
    await pickFactor(page, "石灰石", "MAT-LIMESTONE-DEMO");
    await page.locator("#field-amount").fill("2600");
    await page.locator("#field-unit").selectOption("t");
    await page.getByRole("button", { name: "添加", exact: true }).click();
    await expect.poll(() => acquisition.getAttribute("data-passed")).toBe("true");
    await expect.poll(async () => Number(await acquisitionBar.getAttribute("data-value"))).toBeGreaterThan(0);
    const withLimestone = Number(await total.textContent());
    expect(withLimestone).toBeGreaterThan(772.0);

    // Edit the coal line in place: 260 → 300 t adds 40/2000 × 1000 × 1.9003 = 38.006 kgCO2e/t.
    await page.getByRole("link", { name: "编辑 窑用煤" }).click();
    await page.locator("[data-testid='edit-line-form'][data-live='true']").waitFor();
    await expect.poll(() => page.locator("#field-amount").inputValue()).toBe("260");
    expect(await page.locator("#field-unit").inputValue()).toBe("t");
    await page.locator("#field-amount").fill("300");
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "清单行已保存" }).count()).toBe(1);
    await expect.poll(async () => Number(await total.textContent())).toBeCloseTo(withLimestone + 38.006, 0);

    // Attach the coal invoice to the line; the page shows the file's SHA-256.
    const invoice = Buffer.from("%PDF-1.4\n% 煤炭采购发票\n%%EOF\n", "utf8");
    await page.locator("#field-file").setInputFiles({ name: "煤炭发票.pdf", mimeType: "application/pdf", buffer: invoice });
    await page.getByRole("button", { name: "上传", exact: true }).click();
    const digest = createHash("sha256").update(invoice).digest("hex");
    await expect.poll(() => page.getByTestId("evidence-sha256").allTextContents()).toEqual([digest]);
    const href = await page.getByRole("link", { name: "煤炭发票.pdf" }).getAttribute("href");
    const downloaded = await page.request.get(`${baseUrl}${href}`);
    expect(downloaded.headers()["content-disposition"]).toContain("attachment");
    expect(
      createHash("sha256")
        .update(await downloaded.body())
        .digest("hex"),
    ).toBe(digest);

    await page.screenshot({ path: "test-results/inventory-editor.png", fullPage: true });

    // A file that is not what its name says is refused on the field.
    await page.locator("#field-file").setInputFiles({ name: "meter.pdf", mimeType: "application/pdf", buffer: Buffer.from("just text") });
    await page.getByRole("button", { name: "上传", exact: true }).click();
    await expect.poll(() => page.locator("#field-file-error").textContent()).toContain("内容须与扩展名一致");

    // The comparison page renders (here a version against itself: every difference is zero).
    const id = inventoryUrl.split("/inventories/")[1];
    await page.goto(`${baseUrl}/inventories/compare?a=${id}&b=${id}`);
    // Two stages with emissions, then the total.
    expect(await page.getByTestId("stage-delta").allTextContents()).toEqual(["0", "0", "0"]);
    expect(await page.getByTestId("compare-lines").textContent()).toContain("新增 0 条，删除 0 条，修改 0 条，未变 3 条");
    await page.screenshot({ path: "test-results/inventory-compare.png", fullPage: true });

    // The refused upload's 415 is the one failed request Chromium may report; nothing else went wrong.
    expect(problems.filter((p) => !/status of 415\b/.test(p))).toEqual([]);
    await context.close();
  });

  it("adds a line without JavaScript: the picker's search button reloads the form with the results", async () => {
    const context = await browser().newContext({ locale: "zh-CN", javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, baseUrl, "member@hualv.demo", DEMO_PASSWORD);
    await page.goto(inventoryUrl);
    const before = Number(await page.getByTestId("footprint-total").textContent());
    await page.locator("#field-kind").selectOption("fuel");
    await page.locator("#field-name").fill("备用柴油");
    await page.locator("#field-factorQuery").fill("柴油");
    await Promise.all([page.waitForURL(/factorQuery=/), page.getByRole("button", { name: "搜索", exact: true }).click()]);
    // The page came back with the fuel fields, the search results and what was typed.
    expect(await page.locator("#field-factorCode option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([
      "",
      "FUEL-DIESEL",
    ]);
    expect(await page.locator("#field-name").inputValue()).toBe("备用柴油");
    expect(await page.locator("#field-unit").inputValue()).toBe("kg");
    await page.locator("#field-factorCode").selectOption("FUEL-DIESEL");
    await page.locator("#field-amount").fill("20000");
    await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "添加", exact: true }).click()]);
    // 20 000 kg / 2 000 t = 10 kg diesel per t: + 10 × 3.0959 kgCO2/kg.
    await expect.poll(async () => Number(await page.getByTestId("footprint-total").textContent())).toBeCloseTo(before + 30.959, 0);
    // Back on the plain page, with an empty form rather than the line just added.
    expect(new URL(page.url()).search).toBe("");
    expect(await page.locator("#field-name").inputValue()).toBe("");
    await context.close();
  });
});
