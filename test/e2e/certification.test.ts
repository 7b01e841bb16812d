/**
 * Certification in Chromium, across the demo users, each in their own browser session:
 * - a whole CF case: the manufacturer builds an inventory that passes its PCR checks and applies
 *   at CCDC; the reviewer raises a finding; the manufacturer answers it with a file; the reviewer
 *   closes it; the inspector and the verifier record their work; the decider sees every criterion
 *   pass and grants; the case shows "issued" with its certificate number;
 * - an RC case on the same product while only that one earlier certificate exists: every step is
 *   taken, but the decider is offered no "grant" (a forged one gets 409 and changes nothing) and
 *   refuses.
 * At every step the buttons on the page are exactly the events the server allows that user.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import { CF_LOG_WITH_ONE_FINDING } from "../support/certification-flows.ts";
import { collectProblems, createCementInventory, pickFactor, sharedBrowser, signIn } from "./support/browser.ts";

const baseUrl = inject("baseUrl");
const sessions = new Map<string, { context: BrowserContext; page: Page; problems: string[] }>();
const PRODUCT = `认证测试水泥 ${Date.now().toString(36)}`;
let inventoryUrl = "";
let cfCertificate = "";

// Registered before the contexts' afterAll, so it runs after them (vitest runs afterAll hooks in reverse).
const browser = sharedBrowser();
afterAll(async () => {
  for (const s of sessions.values()) await s.context.close();
});

/** The signed-in page of a demo user (one browser context each, kept for the whole file). */
async function as(email: string): Promise<Page> {
  const existing = sessions.get(email);
  if (existing) return existing.page;
  const context = await browser().newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  const problems = collectProblems(page);
  await signIn(page, baseUrl, email, DEMO_PASSWORD);
  sessions.set(email, { context, page, problems });
  return page;
}

const stateOf = (page: Page) => page.getByTestId("case-state").getAttribute("data-state");

/** Every action form on the page: events of the action section, and answer/close per finding. */
async function buttons(page: Page): Promise<string[]> {
  const general = await page
    .locator("[data-testid=case-actions] form[data-event]")
    .evaluateAll((fs) => fs.map((f) => (f as HTMLElement).dataset.event!));
  const perFinding = await page
    .locator("[data-testid=findings] form[data-event]")
    .evaluateAll((fs) => fs.map((f) => `${(f as HTMLElement).dataset.event}:${(f as HTMLElement).dataset.finding}`));
  return [...general, ...perFinding];
}

/** Presses an event's button and waits for the page that says it was done. */
async function press(page: Page, event: string, finding?: string) {
  const form = page.locator(
    finding ? `form[data-event="${event}"][data-finding="${finding}"]` : `[data-testid=case-actions] form[data-event="${event}"]`,
  );
  const before = await page.getByTestId("case-waiting").getAttribute("data-version");
  await Promise.all([page.waitForURL(new RegExp(`done=${event}`)), form.locator("button[type=submit]").click()]);
  // Every accepted event makes a new version of the case; the page shows it once the new data is in.
  try {
    await expect.poll(() => page.getByTestId("case-waiting").getAttribute("data-version"), { timeout: 5000 }).not.toBe(before);
  } catch (e) {
    console.log(`after ${event} the page at ${page.url()} shows:\n${await page.locator("body").innerText()}`);
    throw e;
  }
}

async function openCase(page: Page, caseUrl: string) {
  await page.goto(caseUrl);
  await page.getByTestId("case-state").waitFor();
}

async function addFuelLine(page: Page, line: { stage: string; name: string; query: string; code: string; tonnes: string }) {
  await page.locator("#field-stage").selectOption(line.stage);
  await page.locator("#field-kind").selectOption("fuel");
  await page.locator("#field-name").fill(line.name);
  await pickFactor(page, line.query, line.code);
  await page.locator("#field-amount").fill(line.tonnes);
  await page.locator("#field-unit").selectOption("t");
  const lines = await page.locator("tr[data-line]").count();
  await page.getByRole("button", { name: "添加", exact: true }).click();
  await expect.poll(() => page.locator("tr[data-line]").count()).toBe(lines + 1);
}

/** Accept, assign the team and the decider (CB admin), then start the review (reviewer). */
async function acceptAndPlan(caseUrl: string) {
  const admin = await as("admin@ccdc.demo");
  await openCase(admin, caseUrl);
  await expect.poll(() => buttons(admin)).toEqual(["ACCEPT", "DECLINE"]);
  await press(admin, "ACCEPT");
  await expect.poll(() => buttons(admin)).toEqual(["ASSIGN_TEAM"]);
  await admin.locator("#ASSIGN_TEAM-reviewer").selectOption({ label: "文件评审员 孙悦" });
  await admin.locator("#ASSIGN_TEAM-inspector").selectOption({ label: "现场检查员 周涛" });
  await admin.locator("#ASSIGN_TEAM-verifier").selectOption({ label: "核查员 吴芳" });
  await press(admin, "ASSIGN_TEAM");
  await admin.locator("#ASSIGN_DECIDER-decider").selectOption({ label: "决定人员 郑伟" });
  await press(admin, "ASSIGN_DECIDER");
  expect(await admin.getByTestId("case-team").textContent()).toContain("决定人员 郑伟");
  const reviewer = await as("reviewer@ccdc.demo");
  await openCase(reviewer, caseUrl);
  await expect.poll(() => buttons(reviewer)).toEqual(["START_REVIEW"]);
  await press(reviewer, "START_REVIEW");
  return reviewer;
}

async function inspectAndVerify(caseUrl: string, verified?: string) {
  const inspector = await as("inspector@ccdc.demo");
  await openCase(inspector, caseUrl);
  await expect.poll(() => stateOf(inspector)).toBe("onsite_inspection");
  await expect.poll(() => buttons(inspector)).toEqual(["RAISE_FINDING", "RECORD_INSPECTION"]);
  await inspector.locator("#RECORD_INSPECTION-site").fill("华绿示范水泥厂 1 号线");
  await inspector.locator("#RECORD_INSPECTION-attendees").fill("王工（生产部）\n李工（质量部）");
  await inspector.locator("#RECORD_INSPECTION-observations").fill("窑头煤秤已校准，地磅记录与台账一致。");
  await press(inspector, "RECORD_INSPECTION");
  expect(await inspector.getByTestId("inspection-record").textContent()).toContain("王工（生产部）、李工（质量部）");

  const verifier = await as("verifier@ccdc.demo");
  await openCase(verifier, caseUrl);
  await expect.poll(() => stateOf(verifier)).toBe("footprint_verification");
  await expect.poll(() => buttons(verifier)).toEqual(["RAISE_FINDING", "RECORD_VERIFICATION"]);
  const value = verifier.locator("#RECORD_VERIFICATION-kgCO2ePerDeclaredUnit");
  // The form starts from the declared value, per declared unit (1 t of cement).
  const declared = await value.inputValue();
  expect(Number(declared)).toBeGreaterThan(0);
  expect(await verifier.locator("label[for='RECORD_VERIFICATION-kgCO2ePerDeclaredUnit']").textContent()).toContain("kgCO₂e / 1 t");
  if (verified) await value.fill(verified);
  await press(verifier, "RECORD_VERIFICATION");
  await expect.poll(() => buttons(verifier)).toEqual(["RAISE_FINDING", "RECORD_VERIFICATION", "COMPLETE_VERIFICATION"]);
  await press(verifier, "COMPLETE_VERIFICATION");
  return declared;
}

describe("certification in Chromium", () => {
  it("runs a whole CF case across six users and ends issued", async () => {
    // The manufacturer models a cement whose footprint passes every PCR check (real factors, all required stages).
    const maker = await as("member@hualv.demo");
    await maker.goto(`${baseUrl}/products/new`);
    inventoryUrl = await createCementInventory(maker, { nameZh: PRODUCT, nameEn: "Certification test cement" }, "1000");
    await addFuelLine(maker, { stage: "raw_material_acquisition", name: "矿山机械柴油", query: "柴油", code: "FUEL-DIESEL", tonnes: "2" });
    await addFuelLine(maker, { stage: "raw_material_transport", name: "原料运输柴油", query: "柴油", code: "FUEL-DIESEL", tonnes: "1" });
    await addFuelLine(maker, { stage: "production", name: "窑用原煤", query: "原煤", code: "FUEL-RAW-COAL", tonnes: "120" });
    // (3 t × 3.0959 + 120 t × 1.9003) × 1000 kg/t / 1000 t = 237.3 kgCO2e per t
    await expect.poll(() => maker.getByTestId("footprint-total").textContent()).toBe("237.3");
    expect(await maker.locator("[data-testid=conformance-panel] [data-passed=false]").count()).toBe(0);

    // Apply: only bodies accredited for the cement PCR are offered.
    const inventoryId = inventoryUrl.split("/inventories/")[1];
    await maker.goto(`${baseUrl}/cases/new?inventory=${inventoryId}`);
    expect(await maker.getByTestId("apply-total").textContent()).toContain("237.3 kgCO₂e / 1 t");
    expect(await maker.getByTestId("apply-conformance").getAttribute("data-passed")).toBe("true");
    const bodies = await maker.locator("#field-cbOrganizationId option").allTextContents();
    expect(bodies.filter((b) => /\((CCDC|HBDC)\)/.test(b))).toHaveLength(2);
    const ccdc = await maker.locator("#field-cbOrganizationId option", { hasText: "(CCDC)" }).getAttribute("value");
    await maker.locator("#field-cbOrganizationId").selectOption(ccdc!);
    await Promise.all([maker.waitForURL(/\/cases\/[0-9a-f-]{36}$/), maker.getByRole("button", { name: "创建申请（草稿）" }).click()]);
    const caseUrl = maker.url();
    await expect.poll(() => stateOf(maker)).toBe("draft");
    await expect.poll(() => buttons(maker)).toEqual(["SUBMIT", "ATTACH_DOCUMENT", "WITHDRAW_APPLICATION"]);
    await press(maker, "SUBMIT");
    await expect.poll(() => stateOf(maker)).toBe("submitted");
    await expect.poll(() => buttons(maker)).toEqual(["ATTACH_DOCUMENT", "WITHDRAW_APPLICATION"]);

    // The body's admin finds it in the inbox, accepts and plans; the reviewer starts.
    const admin = await as("admin@ccdc.demo");
    await admin.getByTestId("role-nav").getByRole("link", { name: "认证案件" }).click();
    await admin.locator("tr", { hasText: PRODUCT }).getByRole("link").first().click();
    await admin.getByTestId("case-state").waitFor();
    expect(admin.url()).toBe(caseUrl);
    const reviewer = await acceptAndPlan(caseUrl);

    // The reviewer raises a finding; the case goes back to the applicant.
    await expect.poll(() => buttons(reviewer)).toEqual(["RAISE_FINDING", "COMPLETE_REVIEW"]);
    await reviewer.locator("#RAISE_FINDING-severity").selectOption("minor");
    await reviewer.locator("#RAISE_FINDING-clause").fill("PCR-CN-CEMENT@1.0.0 §5.2");
    await reviewer.locator("#RAISE_FINDING-text").fill("原煤用量缺少全年地磅单，请补充。");
    await press(reviewer, "RAISE_FINDING");
    await expect.poll(() => stateOf(reviewer)).toBe("awaiting_applicant");
    await expect.poll(() => buttons(reviewer)).toEqual(["RAISE_FINDING"]);

    // The manufacturer hears of it, and answers with text and a file.
    await maker.goto(`${baseUrl}/dashboard`);
    expect(Number(await maker.getByTestId("unread-count").textContent())).toBeGreaterThanOrEqual(2);
    await Promise.all([maker.waitForURL(/\/notifications$/), maker.getByTestId("notifications-link").click()]);
    await maker.getByTestId("notifications").waitFor();
    const raised = maker.locator("[data-topic=finding_raised]").first();
    expect(await raised.textContent()).toContain(PRODUCT);
    await Promise.all([maker.waitForURL(caseUrl), raised.getByRole("link", { name: "查看案件" }).click()]);
    await expect.poll(() => buttons(maker)).toEqual(["ATTACH_DOCUMENT", "WITHDRAW_APPLICATION", "ANSWER_FINDING:F-01"]);
    await maker.locator("#answer-F-01-text").fill("已补充 2025 年全部地磅单（见附件）。");
    await maker
      .locator("#answer-F-01-files")
      .setInputFiles({ name: "地磅单.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% weighbridge tickets\n%%EOF\n") });
    await press(maker, "ANSWER_FINDING", "F-01");
    await expect.poll(() => stateOf(maker)).toBe("document_review");
    expect(await maker.locator("[data-finding=F-01] a", { hasText: "地磅单.pdf" }).count()).toBe(1);

    // The reviewer closes the finding and completes the review.
    await openCase(reviewer, caseUrl);
    await expect.poll(() => buttons(reviewer)).toEqual(["RAISE_FINDING", "COMPLETE_REVIEW", "CLOSE_FINDING:F-01"]);
    await press(reviewer, "CLOSE_FINDING", "F-01");
    expect(await reviewer.locator("article[data-finding=F-01]").getAttribute("data-status")).toBe("closed");
    await press(reviewer, "COMPLETE_REVIEW");

    // Inspector and verifier record their work.
    await inspectAndVerify(caseUrl);

    // The decider sees every criterion pass, with the numbers, and grants.
    const decider = await as("decider@ccdc.demo");
    await openCase(decider, caseUrl);
    await expect.poll(() => stateOf(decider)).toBe("evaluation_and_decision");
    await expect.poll(() => buttons(decider)).toEqual(["GRANT", "REFUSE"]);
    const criteria = await decider
      .locator("[data-testid=decision] tr[data-criterion]")
      .evaluateAll((rows) => rows.map((r) => `${(r as HTMLElement).dataset.criterion}:${(r as HTMLElement).dataset.passed}`));
    expect(criteria).toEqual(["verified_footprint:true", "conformance:true", "findings_closed:true", "onsite_inspection:true"]);
    expect(await decider.locator("tr[data-criterion=verified_footprint]").textContent()).toContain("237.324 kgCO2e/1 t");
    await press(decider, "GRANT");
    await expect.poll(() => stateOf(decider)).toBe("issued");
    await expect.poll(() => buttons(decider)).toEqual(["SUSPEND", "WITHDRAW"]);

    // The applicant's case shows issued with its certificate, and the dashboard lists the label.
    await openCase(maker, caseUrl);
    await expect.poll(() => stateOf(maker)).toBe("issued");
    expect(await maker.getByTestId("case-state").textContent()).toBe("已发证（有效）");
    cfCertificate = (await maker.getByTestId("certificate-number").textContent()) ?? "";
    expect(cfCertificate).toMatch(/^CCDC-CF-\d{4}-\d{6}$/);
    expect(
      await maker
        .getByTestId("timeline")
        .locator("li[data-event]")
        .evaluateAll((ls) => ls.map((l) => (l as HTMLElement).dataset.event)),
    ).toEqual(CF_LOG_WITH_ONE_FINDING);
    await maker.screenshot({ path: "test-results/certification-issued.png", fullPage: true });
    await maker.goto(`${baseUrl}/dashboard`);
    expect(await maker.getByTestId("dash-labels").textContent()).toContain(cfCertificate);

    for (const [email, s] of sessions) expect(s.problems, email).toEqual([]);
  }, 240_000);

  it("runs an RC case while only one earlier certificate exists: no grant is offered, a forged one is refused, the decider refuses", async () => {
    expect(cfCertificate).not.toBe("");
    const maker = await as("member@hualv.demo");
    // A reduction is measured on new data: the certified inventory is locked, and a certificate is
    // never the baseline of an application from its own inventory, so the maker opens a new version.
    await maker.goto(inventoryUrl);
    await Promise.all([
      maker.waitForURL((url) => /\/inventories\/[0-9a-f-]{36}$/.test(url.pathname) && !inventoryUrl.endsWith(url.pathname)),
      maker.getByRole("button", { name: "创建新版本进行编辑" }).click(),
    ]);
    const inventoryId = new URL(maker.url()).pathname.split("/inventories/")[1];
    await maker.goto(`${baseUrl}/cases/new?inventory=${inventoryId}`);
    expect(await maker.getByTestId("apply-rc").textContent()).toContain("已有 1 张较早的碳足迹证书");
    expect(await maker.getByTestId("apply-rc").textContent()).toContain(cfCertificate);
    await maker.locator("input[name=labelType][value=RC]").check();
    const ccdc = await maker.locator("#field-cbOrganizationId option", { hasText: "(CCDC)" }).getAttribute("value");
    await maker.locator("#field-cbOrganizationId").selectOption(ccdc!);
    await Promise.all([maker.waitForURL(/\/cases\/[0-9a-f-]{36}$/), maker.getByRole("button", { name: "创建申请（草稿）" }).click()]);
    const caseUrl = maker.url();
    expect(await maker.getByTestId("earlier-certificates").textContent()).toContain(cfCertificate);

    // The reduction-measures report the label asks for.
    await maker.locator("#ATTACH_DOCUMENT-kind").selectOption("reduction_measures_report");
    await maker
      .locator("#ATTACH_DOCUMENT-files")
      .setInputFiles({ name: "减碳措施实施报告.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% reduction measures\n%%EOF\n") });
    await press(maker, "ATTACH_DOCUMENT");
    expect(await maker.locator("[data-testid=documents] tr[data-kind=reduction_measures_report]").count()).toBe(1);
    await press(maker, "SUBMIT");

    const reviewer = await acceptAndPlan(caseUrl);
    await press(reviewer, "COMPLETE_REVIEW");
    await inspectAndVerify(caseUrl, "200");

    const decider = await as("decider@ccdc.demo");
    await openCase(decider, caseUrl);
    await expect.poll(() => stateOf(decider)).toBe("evaluation_and_decision");
    const earlier = decider.locator("tr[data-criterion=earlier_certificates]");
    expect(await earlier.getAttribute("data-passed")).toBe("false");
    expect(await earlier.textContent()).toContain("要求至少 2 张");
    expect(await decider.getByTestId("decision-eligible").getAttribute("data-eligible")).toBe("false");
    await expect.poll(() => buttons(decider)).toEqual(["REFUSE"]);

    // A forged grant with the current version: refused, nothing changes.
    const version = await decider.locator("[data-testid=case-actions] form[data-event=REFUSE] input[name=version]").getAttribute("value");
    const forged = await decider.request.post(caseUrl, {
      form: { intent: "GRANT", version: version! },
      headers: { Origin: baseUrl },
      maxRedirects: 0,
    });
    // Refused by the server (the decider may not grant while a criterion fails): 403 or 409, never a redirect.
    expect([403, 409]).toContain(forged.status());
    await openCase(decider, caseUrl);
    await expect.poll(() => stateOf(decider)).toBe("evaluation_and_decision");
    expect(await decider.locator("[data-testid=case-actions] form[data-event=REFUSE] input[name=version]").getAttribute("value")).toBe(version);

    await decider.locator("#REFUSE-reason").fill("同一产品仅有 1 张较早的碳足迹证书，减碳产品至少需要 2 张。");
    await press(decider, "REFUSE");
    await expect.poll(() => stateOf(decider)).toBe("refused");
    await expect.poll(() => buttons(decider)).toEqual([]);
    expect(await decider.getByTestId("decision-outcome").getAttribute("data-outcome")).toBe("refused");

    await openCase(maker, caseUrl);
    expect(await maker.getByTestId("case-state").textContent()).toBe("不予批准");
    await maker.goto(`${baseUrl}/notifications`);
    expect(await maker.locator("[data-topic=decision_refused]", { hasText: PRODUCT }).count()).toBe(1);
    await maker.screenshot({ path: "test-results/certification-rc-refused.png", fullPage: true });

    for (const [email, s] of sessions) expect(s.problems, email).toEqual([]);
  }, 240_000);
});
