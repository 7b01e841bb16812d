/**
 * Factor dataset versions in Chromium, on the real server with its demo data (docs/decisions/0018):
 * the platform admin downloads a version's CSV, uploads a broken copy (every problem listed by row
 * and column, nothing stored), uploads it corrected with the grid factor raised as a new version,
 * sees the difference and publishes it; a certification body's person opens the drift queue from
 * the navigation; a manufacturer previews moving a demo inventory to the new version.
 */
import { describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import { collectProblems, signIn, sharedBrowser } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const browser = sharedBrowser();

describe("factor dataset versions in Chromium", () => {
  it("imports, compares and publishes a version; the body's queue and the manufacturer's preview show it", async () => {
    const context = await browser().newContext({ locale: "zh-CN", acceptDownloads: true });
    const page = await context.newPage();
    const problems = collectProblems(page);
    await signIn(page, baseUrl, "admin@platform.demo", DEMO_PASSWORD);
    await Promise.all([page.waitForURL(/\/admin\/datasets$/), page.getByTestId("role-nav").getByRole("link", { name: "因子库版本" }).click()]);
    expect(await page.locator('[data-testid="dataset-version"][data-key="CN-DEMO@2026.1"]').getAttribute("data-status")).toBe("built_in");

    const csv = await (await page.request.get(`${baseUrl}/admin/datasets/CN-DEMO/2026.1/csv`)).text();
    const lines = csv.replace(/^\uFEFF/, "").split("\r\n");
    const grid = lines.findIndex((l) => l.startsWith("EL-LC-CN-2023,"));

    const upload = async (content: string) => {
      await page.locator("#field-datasetId").fill("CN-DEMO");
      await page.locator("#field-version").fill("2027.1");
      await page.locator("#field-nameZh").fill("演示因子库 2027.1");
      await page.locator("#field-nameEn").fill("Demonstration dataset 2027.1");
      await page.locator("#field-publishedOn").fill("2027-01-15");
      await page.locator("#field-file").setInputFiles({ name: "cn-demo-2027.1.csv", mimeType: "text/csv", buffer: Buffer.from(content) });
      await page.getByRole("button", { name: "检查并导入为草稿" }).click();
    };

    // A broken copy: a lower-case code and a year that is not a number.
    const broken = [...lines];
    broken[1] = broken[1]!.replace(/^[^,]+,/, "el-bad,");
    broken[grid] = broken[grid]!.replace(",2023,", ",二〇二三,");
    await upload(broken.join("\r\n"));
    await expect.poll(() => page.getByTestId("dataset-import-error").count()).toBe(2);
    expect(await page.getByTestId("dataset-import-errors").locator("p").first().textContent()).toBe("文件中有 2 处问题，未保存任何内容：");
    expect(await page.getByTestId("dataset-import-error").first().textContent()).toMatch(/^第 2 行 A 列（code）：因子代码只能由大写字母/);
    expect(await page.getByTestId("dataset-import-error").nth(1).textContent()).toContain("（year）：请输入数字。");
    expect(await page.locator('[data-testid="dataset-version"][data-key="CN-DEMO@2027.1"]').count()).toBe(0);

    // Corrected, with the national grid factor raised from 0.6205 to 0.7446.
    const corrected = [...lines];
    corrected[grid] = corrected[grid]!.replace(",0.6205,", ",0.7446,");
    await Promise.all([page.waitForURL(/\/admin\/datasets\/CN-DEMO\/2027\.1\?imported=\d+$/), upload(corrected.join("\r\n"))]);
    expect(await page.getByTestId("dataset-status").textContent()).toBe("草稿");
    const change = page.locator('[data-testid="dataset-diff-change"][data-code="EL-LC-CN-2023"]');
    expect(await change.getByTestId("dataset-diff-relative").textContent()).toBe("+20.00 %");

    await page.getByRole("button", { name: "发布此版本" }).click();
    await expect.poll(() => page.getByTestId("dataset-published").textContent()).toMatch(/已发布 CN-DEMO@2027\.1，内容散列 [0-9a-f]{64}。/);
    expect(await page.getByTestId("dataset-published").textContent()).toMatch(/本次复算 \d+ 张证书/);
    // The notice comes with the action's answer; the status with the page's reload right after it.
    await expect.poll(() => page.getByTestId("dataset-status").textContent()).toBe("已发布");
    // The only thing the browser reports is the refused upload's 400, which the page showed as its list of problems.
    expect(problems).toEqual(["Failed to load resource: the server responded with a status of 400 (Bad Request)"]);

    // A body's reviewer: the drift queue from the navigation.
    const body = await browser().newContext({ locale: "zh-CN" });
    const reviewer = await body.newPage();
    const reviewerProblems = collectProblems(reviewer);
    await signIn(reviewer, baseUrl, "reviewer@ccdc.demo", DEMO_PASSWORD);
    await Promise.all([reviewer.waitForURL(/\/cases\/drift$/), reviewer.getByTestId("role-nav").getByRole("link", { name: "因子漂移监督" }).click()]);
    expect(await reviewer.getByTestId("drift-count").textContent()).toMatch(/^\d+ 张证书待复核$/);
    expect(reviewerProblems).toEqual([]);
    await body.close();

    // A manufacturer: the preview of moving the first demo inventory on the dashboard to the new version.
    const maker = await browser().newContext({ locale: "zh-CN" });
    const member = await maker.newPage();
    const memberProblems = collectProblems(member);
    await signIn(member, baseUrl, "member@hualv.demo", DEMO_PASSWORD);
    const href = (await member.getByTestId("dashboard-product").locator("a").first().getAttribute("href"))!;
    await member.goto(`${baseUrl}${href}/dataset`);
    await member.locator("#field-to").selectOption("CN-DEMO@2027.1");
    await Promise.all([member.waitForURL(/\?to=CN-DEMO%402027\.1$/), member.getByRole("button", { name: "预览影响" }).click()]);
    expect(await member.getByTestId("dataset-preview").locator("h2").textContent()).toBe("迁移到 CN-DEMO 2027.1 的影响");
    expect(await member.getByTestId("preview-line").count()).toBeGreaterThan(0);
    expect(memberProblems).toEqual([]);
    await maker.close();
    await context.close();
  });
});
