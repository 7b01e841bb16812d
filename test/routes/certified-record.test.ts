/**
 * What is signed is what was verified (ADR 0014), through the real pages: the identity the
 * applicant submitted and the result stored when the application locked its inventory reach the
 * certificate and the registry, whatever is edited or released afterwards; and one locked
 * inventory carries at most one open application per label type.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client.ts";
import type { Message, MessageKey } from "../../app/i18n/index.ts";
import * as casePage from "../../app/routes/cases.$caseId.tsx";
import * as registry from "../../app/routes/registry.tsx";
import { RULES_CALCULATOR, setCurrentCalculator } from "../../workflows/footprints/calculator.ts";
import { CALCULATOR_VERSION } from "../../rules/calculator/result.ts";
import { creditCodeCheckCharacter } from "../../rules/credit-code.ts";
import { CASE_PEOPLE, run, seedFixtures, signInAll } from "../support/fixtures.ts";
import { applicationForm, caseRecord, passingInventory, PASSING_TOTAL, postApplication } from "./cases-support.ts";
import { issuedCertificate, runOutbox, useTestSigning } from "./certificates-support.ts";
import { openTestCase, send } from "../workflows/cases-support.ts";

const EMAILS = CASE_PEOPLE;
type Who = keyof typeof EMAILS;
let cookies: Record<Who, string>;
let ids: Record<Who, string>;

beforeAll(async () => {
  useTestSigning();
  await seedFixtures();
  ({ cookies, ids } = await signInAll(EMAILS));
});

type Page = Awaited<ReturnType<typeof casePage.loader>>;
async function page(who: Who, caseId: string): Promise<Page> {
  const outcome = await run(casePage.loader, { url: `/cases/${caseId}`, cookie: cookies[who], params: { caseId } });
  if (outcome.kind !== "ok") throw new Error(`${who} could not open the case: ${JSON.stringify(outcome)}`);
  return outcome.data as Page;
}
async function act(who: Who, caseId: string, form: Record<string, string>) {
  const outcome = await run(casePage.action, {
    url: `/cases/${caseId}`,
    method: "POST",
    cookie: cookies[who],
    params: { caseId },
    form: { version: String((await caseRecord(caseId)).version), ...form },
  });
  expect(outcome, `${who} ${form.intent}`).toEqual({ kind: "redirect", status: 302, location: `/cases/${caseId}?done=${form.intent}` });
}
async function ccdc(inventoryId: string) {
  const selected = (await applicationForm(cookies.member, inventoryId)).selected!;
  return selected.bodies.find((b) => b.cb_code === "CCDC")!.id;
}
function applyFrom(inventoryId: string, cbOrganizationId: string) {
  return postApplication(cookies.member, { inventoryId, labelType: "CF", cbOrganizationId });
}
async function applied(inventoryId: string): Promise<string> {
  const created = await applyFrom(inventoryId, await ccdc(inventoryId));
  expect(created.kind).toBe("redirect");
  return (created as { location: string }).location.replace("/cases/", "");
}
/** From draft to the decision, the verifier confirming the declared value the page offers. */
async function toDecision(caseId: string) {
  await act("member", caseId, { intent: "SUBMIT" });
  await fromSubmissionToDecision(caseId);
}
async function fromSubmissionToDecision(caseId: string) {
  await act("cbAdmin", caseId, { intent: "ACCEPT" });
  await act("cbAdmin", caseId, { intent: "ASSIGN_TEAM", reviewer: ids.reviewer, inspector: ids.inspector, verifier: ids.verifier });
  await act("cbAdmin", caseId, { intent: "ASSIGN_DECIDER", decider: ids.decider });
  await act("reviewer", caseId, { intent: "START_REVIEW" });
  await act("reviewer", caseId, { intent: "COMPLETE_REVIEW" });
  await act("inspector", caseId, { intent: "RECORD_INSPECTION", date: "2026-03-05", site: "1 号线", attendees: "王工", observations: "记录一致" });
  const verifying = await page("verifier", caseId);
  await act("verifier", caseId, { intent: "RECORD_VERIFICATION", kgCO2ePerDeclaredUnit: verifying.forms.declaredValue! });
  await act("verifier", caseId, { intent: "COMPLETE_VERIFICATION" });
}
async function certificateOf(caseId: string) {
  const db = await getDb();
  return db.selectFrom("certificates").selectAll().where("case_id", "=", caseId).executeTakeFirstOrThrow();
}

describe("the identity a certificate names", () => {
  it("is the one submitted: renaming the product and changing the holder's credit code afterwards reach neither the signed payload nor the registry", async () => {
    const db = await getDb();
    const { inventoryId } = await passingInventory("record-identity");
    const caseId = await applied(inventoryId);
    const { product_id: productId, applicant_organization_id: holderId } = await db
      .selectFrom("cases")
      .select(["product_id", "applicant_organization_id"])
      .where("id", "=", caseId)
      .executeTakeFirstOrThrow();
    const product = await db.selectFrom("products").selectAll().where("id", "=", productId).executeTakeFirstOrThrow();
    const holder = await db.selectFrom("organizations").selectAll().where("id", "=", holderId).executeTakeFirstOrThrow();

    // A draft follows the live rows until it is handed over.
    await db.updateTable("products").set({ model: "P·O 42.5R" }).where("id", "=", productId).execute();
    await act("member", caseId, { intent: "SUBMIT" });
    const submitted = await page("cbAdmin", caseId);
    expect(submitted.record.identity).toMatchObject({
      product: { nameZh: product.name_zh, nameEn: product.name_en, model: "P·O 42.5R", gtin: product.gtin },
      holder: { nameZh: holder.name_zh, nameEn: holder.name_en, creditCode: holder.credit_code },
    });
    expect(submitted.record.submittedAt).not.toBeNull();

    // After submission the manufacturer renames everything: allowed, and it changes nothing certified.
    try {
      await db
        .updateTable("products")
        .set({ name_zh: "改名后的水泥", name_en: "Renamed cement", model: "X-9", gtin: null })
        .where("id", "=", productId)
        .execute();
      const newCode = "91320500RENAMED1X";
      await db
        .updateTable("organizations")
        .set({ name_zh: "改名后的公司", name_en: "Renamed Co.", credit_code: newCode + creditCodeCheckCharacter(newCode) })
        .where("id", "=", holderId)
        .execute();
      // SUBMIT was the last write of the identity: the rest of the case leaves it alone.
      await fromSubmissionToDecision(caseId);
      await act("decider", caseId, { intent: "GRANT" });

      const certificate = await certificateOf(caseId);
      const payload = JSON.parse(certificate.payload!);
      expect(payload.product).toEqual({
        name: { zh: product.name_zh, en: product.name_en },
        model: "P·O 42.5R",
        identifiers: [
          ...(product.gtin ? [{ scheme: "GTIN", value: product.gtin }] : []),
          ...(product.internal_code ? [{ scheme: "internal", value: product.internal_code }] : []),
        ],
      });
      expect(payload.holder).toEqual({ name: { zh: holder.name_zh, en: holder.name_en }, creditCode: holder.credit_code });
      expect(certificate).toMatchObject({
        product_name_zh: product.name_zh,
        product_model: "P·O 42.5R",
        holder_name_zh: holder.name_zh,
        holder_credit_code: holder.credit_code,
      });

      // The public registry lists the certified names, not the renamed ones.
      const listed = await run(registry.loader, { url: `/registry?company=${encodeURIComponent(holder.name_zh)}` });
      expect(JSON.stringify(listed)).toContain(certificate.number);
      expect(JSON.stringify(listed)).toContain(product.name_zh);
      expect(JSON.stringify(listed)).not.toContain("改名后的水泥");
      const byCompany = await run(registry.loader, { url: `/registry?company=${encodeURIComponent("改名后的公司")}` });
      expect(JSON.stringify(byCompany)).not.toContain(certificate.number);

      // And the row cannot be made to say otherwise.
      await expect(
        db.updateTable("certificates").set({ product_name_zh: "改名后的水泥" }).where("id", "=", certificate.id).execute(),
      ).rejects.toThrow(/cannot change/);
    } finally {
      await db
        .updateTable("products")
        .set({ name_zh: product.name_zh, name_en: product.name_en, model: product.model, gtin: product.gtin })
        .where("id", "=", productId)
        .execute();
      await db
        .updateTable("organizations")
        .set({ name_zh: holder.name_zh, name_en: holder.name_en, credit_code: holder.credit_code })
        .where("id", "=", holderId)
        .execute();
    }
  });
});

describe("the result a case rests on", () => {
  it("is stored with its stamp when the application locks the inventory, and a new calculator release changes neither it nor the certificate; the page shows both figures", async () => {
    const db = await getDb();
    const { inventoryId } = await passingInventory("record-release");
    const caseId = await applied(inventoryId);
    const stored = await db.selectFrom("footprint_results").selectAll().where("inventory_id", "=", inventoryId).execute();
    expect(stored).toHaveLength(1);
    expect(Number(stored[0]!.total)).toBeCloseTo(PASSING_TOTAL, 9);
    expect(stored[0]!.calculator_version).toBe(CALCULATOR_VERSION);
    const stamp = stored[0]!.stamp as { factorDatasetContentSha256: string; inputSha256: string; pcr: { contentSha256: string } };
    expect(stamp.factorDatasetContentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stamp.pcr.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stamp.inputSha256).toBe(stored[0]!.input_sha256);
    const caseRow = await db.selectFrom("cases").select(["result_id", "declared_value"]).where("id", "=", caseId).executeTakeFirstOrThrow();
    expect(caseRow.result_id).toBe(stored[0]!.id);
    expect(caseRow.declared_value).toBe(stored[0]!.total);

    const before = await page("member", caseId);
    expect(before.record.stored?.stamp.calculator).toBe(`carbonlabel-rules ${CALCULATOR_VERSION}`);
    expect(before.record.comparison).toBeNull();

    // A release: the next calculator gives 10 % more for the same inventory.
    setCurrentCalculator({
      version: "9.9.9-release",
      calculate(inventory, options) {
        const r = RULES_CALCULATOR.calculate(inventory, options);
        return { ...r, total: r.total * 1.1, stamp: { ...r.stamp, calculator: { ...r.stamp.calculator, version: "9.9.9-release" } } };
      },
    });
    try {
      const after = await page("member", caseId);
      expect(after.record.stored?.result?.total).toBe(stored[0]!.result && (stored[0]!.result as { total: number }).total);
      expect(after.record.comparison).toMatchObject({ storedTotal: Number(stored[0]!.total), changedStamp: ["calculator"] });
      expect(after.record.comparison!.currentTotal).toBeCloseTo(PASSING_TOTAL * 1.1, 9);
      expect(Number(after.record.comparison!.differencePercent)).toBeCloseTo(10, 6);
      // The page's figures are the stored ones; the verification form offers the stored value.
      expect(Number(after.case.declaredValue)).toBeCloseTo(PASSING_TOTAL, 9);

      await toDecision(caseId);
      await act("decider", caseId, { intent: "GRANT" });
      const certificate = await certificateOf(caseId);
      const payload = JSON.parse(certificate.payload!);
      expect(payload.versions.calculator.version).toBe(CALCULATOR_VERSION);
      expect(payload.versions.inputSha256).toBe(stored[0]!.input_sha256);
      // The verified value as certificates state it (4 significant digits): the stored 237.3237, not the release's 261.06.
      expect(payload.footprint).toEqual({ value: "237.3", unit: "kgCO2e" });
      const storedStages = (stored[0]!.result as { byStage: { stage: string; kgCO2e: number }[] }).byStage;
      expect(payload.stages.map((s: { stage: string }) => s.stage)).toEqual(storedStages.map((s) => s.stage));
      // Still one stored result: nothing was recalculated into the record.
      expect(await db.selectFrom("footprint_results").select("id").where("inventory_id", "=", inventoryId).execute()).toHaveLength(1);
    } finally {
      setCurrentCalculator(null);
    }
  });
});

describe("one application per locked inventory and label type", () => {
  it("lets exactly one of several simultaneous applications open a case; the others are told which rule stopped them", async () => {
    const db = await getDb();
    const { inventoryId } = await passingInventory("record-parallel");
    const body = await ccdc(inventoryId);
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => applyFrom(inventoryId, body)));
    const opened = outcomes.filter((o) => o.kind === "redirect");
    const refused = outcomes.filter((o) => o.kind === "ok");
    expect(opened).toHaveLength(1);
    expect(refused).toHaveLength(3);
    for (const r of refused) {
      expect(r).toMatchObject({ status: 409 });
      const errors = (r as { data: { errors: Record<string, { key: MessageKey }> } }).data.errors;
      expect(errors.inventoryId?.key).toBe("case.err.applicationOpen");
    }
    const cases = await db.selectFrom("cases").select("id").where("inventory_id", "=", inventoryId).execute();
    expect(cases).toHaveLength(1);

    // Another label type from the same inventory is a different application.
    const lc = await postApplication(cookies.member, { inventoryId, labelType: "LC", cbOrganizationId: body });
    expect(lc.kind).toBe("redirect");
    // Once the first application is withdrawn, the inventory may be applied from again.
    const first = (opened[0] as { location: string }).location.replace("/cases/", "");
    await act("member", first, { intent: "WITHDRAW_APPLICATION", reason: "重新申请" });
    expect((await applyFrom(inventoryId, body)).kind).toBe("redirect");
  });
});

describe("the baselines of a reduced-carbon application", () => {
  it("leave out certificates issued from the same inventory and suspended or withdrawn ones", async () => {
    const db = await getDb();
    const first = await issuedCertificate("record-baseline-1");
    const second = await issuedCertificate("record-baseline-2");
    const suspended = await issuedCertificate("record-baseline-3");
    await send(first.w, suspended.caseId, "cbAdmin", { type: "SUSPEND", reason: "监督审核未通过" });
    await runOutbox();
    const status = await db.selectFrom("certificates").select("status").where("number", "=", suspended.number).executeTakeFirstOrThrow();
    expect(status.status).toBe("suspended");

    const baselines = async (inventoryId: string) => {
      const caseId = await openTestCase(first.w, { inventoryId, labelType: "RC" });
      const row = await db.selectFrom("cases").select("snapshot").where("id", "=", caseId).executeTakeFirstOrThrow();
      return (row.snapshot.context as { earlierCertificates: { number: string }[] }).earlierCertificates.map((c) => c.number);
    };
    // From the first certificate's own inventory: the second counts, the first (same data) and the suspended one do not.
    const fromFirst = await baselines(first.inventoryId);
    expect(fromFirst).toContain(second.number);
    expect(fromFirst).not.toContain(first.number);
    expect(fromFirst).not.toContain(suspended.number);
    // From a new inventory both valid certificates count.
    const { inventoryId } = await passingInventory("record-baseline-new");
    const fromNew = await baselines(inventoryId);
    expect(fromNew).toEqual(expect.arrayContaining([first.number, second.number]));
    expect(fromNew).not.toContain(suspended.number);
  });
});

describe("the certification path", () => {
  it("refuses an inventory with a line outside the PCR's boundary, naming the line's stage, while the editor only warns", async () => {
    const db = await getDb();
    const { inventoryId } = await passingInventory("record-boundary");
    // Cement is cradle to gate: a use-stage line is outside its boundary.
    await db
      .insertInto("inventory_lines")
      .values({
        inventory_id: inventoryId,
        position: 9,
        stage: "use",
        kind: "fuel",
        name: "用户使用阶段柴油",
        amount: "1",
        unit: "t",
        factor_code: "FUEL-DIESEL",
        data_type: "primary",
        data_quality: JSON.stringify({ reliability: 1, completeness: 1, temporal: 1, geographical: 1, technological: 1 }),
        details: "{}",
      })
      .execute();
    // The editor's calculation counts it with a warning: the application page still shows a total.
    expect((await applicationForm(cookies.member, inventoryId)).selected!.total).not.toBeNull();
    const refused = await applyFrom(inventoryId, await ccdc(inventoryId));
    expect(refused).toMatchObject({ kind: "ok", status: 400 });
    const error = (refused as { data: { errors: Partial<Record<string, Message>> } }).data.errors.inventoryId!;
    expect(error.key).toBe("apply.notCertifiable");
    expect(String(error.params?.reason)).toMatch(/使用/);
    expect(await db.selectFrom("cases").select("id").where("inventory_id", "=", inventoryId).execute()).toEqual([]);
    expect(await db.selectFrom("footprint_results").select("id").where("inventory_id", "=", inventoryId).execute()).toEqual([]);
  });
});
