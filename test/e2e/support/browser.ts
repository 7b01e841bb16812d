/** Debian's Chromium driven by playwright-core (never a downloaded browser). */
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** One browser for the test file: launched before its tests, closed after them. */
export function sharedBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("the browser is launched in beforeAll");
    return browser;
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** What the page reports going wrong (console errors, uncaught exceptions), collected as it happens: a test expects none. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  return problems;
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill(password);
  await Promise.all([page.waitForURL(/\/dashboard/), page.locator("form button[type=submit]").last().click()]);
}

/** Picks a factor in the line form through its search box, as a person would: types, waits for the code to be offered, selects it. */
export async function pickFactor(page: Page, query: string, code: string): Promise<void> {
  await page.locator("#field-factorQuery").fill(query);
  await expect
    .poll(() => page.locator("#field-factorCode option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)))
    .toContain(code);
  await page.locator("#field-factorCode").selectOption(code);
}

/**
 * From the new-product form: a cement product under PCR-CN-CEMENT made in Zhejiang, then its
 * first inventory for 2025 of the given tonnage. Returns the inventory editor's URL.
 */
export async function createCementInventory(page: Page, product: { nameZh: string; nameEn: string }, tonnes: string): Promise<string> {
  await page.locator("#field-nameZh").fill(product.nameZh);
  await page.locator("#field-nameEn").fill(product.nameEn);
  await page.locator("#field-pcrCode").selectOption("PCR-CN-CEMENT");
  await page.locator("#field-siteRegion").selectOption("CN-ZJ");
  await Promise.all([page.waitForURL(/\/products\/[0-9a-f-]{36}$/), page.locator("form button[type=submit]").last().click()]);
  await page.locator("#field-periodStart").fill("2025-01-01");
  await page.locator("#field-periodEnd").fill("2025-12-31");
  await page.locator("#field-productionQuantity").fill(tonnes);
  await Promise.all([page.waitForURL(/\/inventories\/[0-9a-f-]{36}$/), page.getByRole("button", { name: "创建清单" }).click()]);
  return page.url();
}
