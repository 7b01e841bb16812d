/**
 * A manufacturer in Chromium moves an inventory through Excel: makes a new (empty) inventory,
 * downloads its template, uploads it filled with a mistake (sees the row and column named, nothing
 * imported), uploads the corrected workbook (sees the lines and the footprint), and exports the
 * inventory with its result.
 */
import ExcelJS from "exceljs";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import { signIn, sharedBrowser } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const browser = sharedBrowser();

const quality = { dataType: "primary", reliability: 1, completeness: 1, temporal: 1, geographical: 2, technological: 1 };
const ROWS = [
  {
    stage: "raw_material_acquisition",
    kind: "material",
    name: "涤纶长丝",
    amount: 700,
    unit: "kg",
    factorCode: "MAT-PET-FDY-DEMO",
    ...quality,
    dataType: "secondary",
  },
  { stage: "production", kind: "fuel", name: "定型机天然气", amount: 950, unit: "m3", factorCode: "FUEL-NATURAL-GAS", ...quality },
  { stage: "production", kind: "electricity", name: "织造用电", amount: 4.2, unit: "MWh", supplyType: "grid", ...quality },
];

async function download(page: Page, testId: string): Promise<ExcelJS.Workbook> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
  expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync((await file.path())!) as unknown as ExcelJS.Buffer);
  return workbook;
}

/** The template with rows typed under its header, as the person would in Excel. */
async function filled(template: ExcelJS.Workbook, rows: Record<string, string | number>[]): Promise<Buffer> {
  const sheet = template.worksheets[0]!;
  const keys = ["stage", "kind", "name", "amount", "unit", "factorCode", "supplyType"];
  // Header cells read "中文\nEnglish"; data-quality columns are found by their English label.
  const position = (english: string) => (sheet.getRow(1).values as unknown[]).findIndex((v) => typeof v === "string" && v.split("\n")[1] === english);
  const columns: Record<string, number> = {
    ...Object.fromEntries(keys.map((k, i) => [k, i + 1])),
    dataType: position("Data type"),
    reliability: position("Reliability"),
    completeness: position("Completeness"),
    temporal: position("Temporal"),
    geographical: position("Geographical"),
    technological: position("Technological"),
  };
  rows.forEach((row, r) => {
    for (const [key, value] of Object.entries(row)) sheet.getRow(r + 2).getCell(columns[key]!).value = value;
  });
  return Buffer.from(await template.xlsx.writeBuffer());
}

describe("inventory workbook in Chromium", () => {
  it("refuses a workbook with an error row by row, imports the corrected one and exports the result", async () => {
    const context = await browser().newContext({ locale: "zh-CN", acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, baseUrl, "member@hualv.demo", DEMO_PASSWORD);

    // A new, empty inventory of the demo fabric (an older period, so it sorts after the demo one).
    // The dashboard lists the same product (linking to its inventory): wait until the list is shown.
    await Promise.all([page.waitForURL(/\/products$/), page.getByTestId("role-nav").getByRole("link", { name: "产品" }).click()]);
    await page.locator("table").getByRole("link", { name: "经编提花工程网布（染色）" }).click();
    await page.locator("#field-periodStart").fill("2024-01-01");
    await page.locator("#field-periodEnd").fill("2024-12-31");
    await page.locator("#field-productionQuantity").fill("1000");
    await page.getByRole("button", { name: "创建清单" }).click();
    await page.waitForURL(/\/inventories\/[0-9a-f-]{36}$/);
    await page.getByTestId("workbook-link").click();
    await page.waitForURL(/\/workbook$/);
    expect(await page.getByTestId("line-count").textContent()).toBe("0 行清单数据");

    const template = await download(page, "template-link");
    expect(template.worksheets.map((w) => w.name)).toEqual(["清单 Lines", "排放因子 Factors", "代码表 Codes", "填写说明 Instructions"]);

    // Row 3: natural gas in kWh — refused on its cell, nothing imported.
    const wrong = await filled(template, [ROWS[0]!, { ...ROWS[1]!, unit: "kWh" }, ROWS[2]!]);
    await page
      .locator("#field-file")
      .setInputFiles({ name: "清单.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: wrong });
    await page.getByRole("button", { name: "上传并导入" }).click();
    const outcome = page.getByTestId("import-outcome");
    await expect.poll(() => outcome.getAttribute("data-status")).toBe("invalid");
    expect(await outcome.textContent()).toContain("文件中有 1 处错误，未导入任何数据");
    expect(await page.getByTestId("import-errors").locator("li").allTextContents()).toEqual([
      "第 3 行 E 列（单位）：单位「kWh」不能换算为因子的活动单位「m3」。",
    ]);
    expect(await page.getByTestId("line-count").textContent()).toBe("0 行清单数据");

    // The corrected workbook: imported, and the page shows the lines and the footprint.
    const right = await filled(await download(page, "template-link"), ROWS);
    await page
      .locator("#field-file")
      .setInputFiles({ name: "清单.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: right });
    // Record the steps the progress indicator shows (a small file on a local server goes by quickly).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { phases: string[] }).phases = seen;
      new MutationObserver(() => {
        const phase = document.querySelector('[data-testid="import-progress"]')?.getAttribute("data-phase");
        if (phase && seen.at(-1) !== phase) seen.push(phase);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByRole("button", { name: "上传并导入" }).click();
    await expect.poll(() => outcome.getAttribute("data-status")).toBe("imported");
    const phases = await page.evaluate(() => (window as unknown as { phases: string[] }).phases);
    expect(phases[0]).toBe("upload");
    expect(phases.filter((p) => !["upload", "read", "check", "write", "calculate"].includes(p))).toEqual([]);
    expect(await outcome.textContent()).toMatch(/^已导入 3 行。服务器用时：读取 \d+ ms/);
    await expect.poll(() => page.getByTestId("line-count").textContent()).toBe("3 行清单数据");
    const total = await page.getByTestId("footprint-total").textContent();
    expect(Number(total)).toBeGreaterThan(0);
    expect(await outcome.textContent()).toContain(`导入后的产品碳足迹：${total} kgCO₂e / 1 kg`);

    const exported = await download(page, "export-link");
    expect(exported.worksheets.map((w) => w.name)).toEqual([
      "清单 Lines",
      "结果 Result",
      "排放因子 Factors",
      "代码表 Codes",
      "填写说明 Instructions",
      "各行贡献 Contributions",
      "符合性 Conformance",
    ]);
    const lines = exported.getWorksheet("清单 Lines")!;
    expect([2, 3, 4].map((r) => lines.getRow(r).getCell(3).value)).toEqual(["涤纶长丝", "定型机天然气", "织造用电"]);
    const result = exported.getWorksheet("结果 Result")!;
    const totalRow = result.getColumn(1).values.findIndex((v) => typeof v === "string" && v.startsWith("单位产品碳足迹"));
    const exportedTotal = result.getRow(totalRow).getCell(2).value as number;
    expect(exportedTotal.toPrecision(4)).toBe(Number(total).toPrecision(4));
    expect(result.getRow(totalRow).getCell(3).value).toBe("kgCO2e / 1 kg");

    // The editor shows the imported lines.
    await page.getByRole("link", { name: "返回清单" }).first().click();
    await page.waitForURL(/\/inventories\/[0-9a-f-]{36}$/);
    for (const name of ["涤纶长丝", "定型机天然气", "织造用电"]) await expect.poll(() => page.locator(`tr[data-line="${name}"]`).count()).toBe(1);
    await context.close();
  });

  it("works without JavaScript too: the form posts to the page and the errors come back rendered", async () => {
    const context = await browser().newContext({ locale: "zh-CN", javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, baseUrl, "member@hualv.demo", DEMO_PASSWORD);
    await page.goto(`${baseUrl}/products`);
    await page.getByRole("link", { name: "经编提花工程网布（染色）" }).click();
    await page.locator("#field-periodStart").fill("2022-01-01");
    await page.locator("#field-periodEnd").fill("2022-12-31");
    await page.locator("#field-productionQuantity").fill("500");
    await page.getByRole("button", { name: "创建清单" }).click();
    await page.waitForURL(/\/inventories\/[0-9a-f-]{36}$/);
    await page.locator("[data-testid=workbook-link]").click();
    await page.waitForURL(/\/workbook$/);
    const csv =
      "stage,kind,name,amount,unit,factorCode,dataType,reliability,completeness,temporal,geographical,technological\nproduction,fuel,Gas,950,kWh,FUEL-NATURAL-GAS,primary,1,1,1,1,1\n";
    await page.locator("#field-file").setInputFiles({ name: "lines.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "上传并导入" }).click();
    await page.getByTestId("import-outcome").waitFor();
    expect(await page.getByTestId("import-errors").locator("li").allTextContents()).toEqual([
      "第 2 行 E 列（单位）：单位「kWh」不能换算为因子的活动单位「m3」。",
    ]);
    expect(await page.getByTestId("line-count").textContent()).toBe("0 行清单数据");
    await context.close();
  });
});
