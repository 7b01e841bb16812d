/**
 * Supply-chain links: a supplier-certificate line citing a registry certificate takes its verified
 * value from there (a value stated beside the number must be the registry's) and is stored with it;
 * a number the registry does not hold is refused; when that certificate is suspended (or withdrawn, or
 * expires), every inventory citing it and every open case resting on one is flagged, the owners
 * and the case's body are told once, the inventory editor shows the flag, and restoring the
 * certificate resolves it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loader as caseLoader } from "../../app/routes/cases.$caseId.tsx";
import { action as inventoryAction, loader as inventoryLoader } from "../../app/routes/inventories.$inventoryId.tsx";
import { supplyChainFlagsForCase } from "../../app/services/certificates/supply-chain.server.ts";
import { createCase } from "../../workflows/cases/index.ts";
import { cookieFor, demoInventoryId, run, userIdByEmail } from "../support/fixtures.ts";
import { send, type World } from "../workflows/cases-support.ts";
import { ccdcId, passingInventory, PASSING_TOTAL } from "./cases-support.ts";
import { issuedCertificate, runOutbox, useTestSigning } from "./certificates-support.ts";

let w: World;
let supplierCaseId: string;
let number: string;
let inventoryId: string;
let cookie: string;

const DQ = { reliability: "2", completeness: "2", temporal: "2", geographical: "2", technological: "2" };
const lineForm = (overrides: Record<string, string>) => ({
  intent: "add-line",
  stage: "raw_material_acquisition",
  kind: "supplier_certificate",
  name: "外购熟料（供应商认证）",
  dataType: "primary",
  ...DQ,
  amount: "0.8",
  unit: "t",
  certificateNumber: number,
  certifiedValue: "237.3",
  certifiedUnitQuantity: "1",
  certifiedUnit: "t",
  ...overrides,
});

beforeAll(async () => {
  useTestSigning();
  ({ w, caseId: supplierCaseId, number } = await issuedCertificate("supply-chain-supplier"));
  inventoryId = await demoInventoryId();
  cookie = await cookieFor("admin@hualv.demo");
});

async function addLine(form: Record<string, string>) {
  return run(inventoryAction, { url: `/inventories/${inventoryId}`, method: "POST", cookie, params: { inventoryId }, form });
}

describe("citing a supplier's certificate", () => {
  it("refuses a value that differs from the registry's and stores the verified one with the line", async () => {
    const wrong = await addLine(lineForm({ certifiedValue: "200" }));
    expect(wrong).toMatchObject({ kind: "ok", status: 400 });
    expect((wrong as { data: { errors: Record<string, { key: string }> } }).data.errors.certifiedValue?.key).toBe("v.certificateMismatch");

    expect(await addLine(lineForm({ certificateNumber: number.toLowerCase() }))).toMatchObject({ kind: "ok", status: 200 });
    const line = await w.db
      .selectFrom("inventory_lines")
      .select("details")
      .where("inventory_id", "=", inventoryId)
      .where("kind", "=", "supplier_certificate")
      .executeTakeFirstOrThrow();
    expect("certificate" in line.details && line.details.certificate).toMatchObject({
      number,
      kgCO2ePerDeclaredUnit: 237.3,
      issuer: "CCDC",
      registry: { verifiedValue: "237.3" },
    });
  });

  it("refuses a certificate the registry does not hold, pointing to a supplier-declared figure instead", async () => {
    const refused = await addLine(lineForm({ certificateNumber: "CQC-CF-2025-000123", certifiedValue: "12.5", name: "BMS" }));
    expect(refused).toMatchObject({ kind: "ok", status: 400 });
    expect((refused as { data: { errors: Record<string, unknown> } }).data.errors.certificateNumber).toEqual({
      key: "v.certificateUnknown",
      params: { number: "CQC-CF-2025-000123" },
    });
  });
});

describe("when the cited certificate stops being valid", () => {
  let citingCaseId: string;

  it("flags every citing inventory and open case, tells owners and the case's body once, and resolves on restore", async () => {
    // An open case whose inventory cites the certificate too.
    const { inventoryId: caseInventory } = await passingInventory("supply-chain-citing-case");
    await w.db
      .insertInto("inventory_lines")
      .values({
        inventory_id: caseInventory,
        position: 9,
        stage: "raw_material_acquisition",
        kind: "supplier_certificate",
        name: "外购熟料",
        amount: "0.1",
        unit: "t",
        factor_code: null,
        data_type: "primary",
        data_quality: null,
        details: JSON.stringify({ certificate: { number, kgCO2ePerDeclaredUnit: 237.3, declaredUnit: { quantity: 1, unit: "t" }, gwpSet: "AR6" } }),
      })
      .execute();
    citingCaseId = (
      await createCase(w.db, {
        userId: await userIdByEmail("admin@hualv.demo"),
        inventoryId: caseInventory,
        labelType: "CF",
        cbOrganizationId: await ccdcId(),
        declaredValue: PASSING_TOTAL,
        conformancePassed: true,
      })
    ).caseId;
    // Submitted: the body holds the case (and reads its page) only from submission on; a draft is the applicant's.
    await send(w, citingCaseId, "applicant", { type: "SUBMIT" });

    await send(w, supplierCaseId, "cbAdmin", { type: "SUSPEND", reason: "供应商监督抽查不合格" });
    await runOutbox();
    await runOutbox(); // retrying changes nothing

    const flags = await w.db.selectFrom("supply_chain_flags").selectAll().where("certificate_number", "=", number).execute();
    expect(flags.map((f) => [f.inventory_id, f.case_id, f.certificate_status]).sort()).toEqual(
      [
        [inventoryId, null, "suspended"],
        [caseInventory, null, "suspended"],
        [caseInventory, citingCaseId, "suspended"],
      ].sort(),
    );
    expect(flags.find((f) => f.case_id === citingCaseId)?.cb_organization_id).toBe(await ccdcId());

    const notified = await w.db
      .selectFrom("notifications")
      .innerJoin("users", "users.id", "notifications.user_id")
      .select(["users.email", "notifications.case_id", "notifications.message_zh"])
      .where("topic", "=", "supplier_certificate_flagged")
      .orderBy("users.email")
      .execute();
    expect(notified.map((n) => n.email)).toEqual(["admin@ccdc.demo", "admin@hualv.demo", "member@hualv.demo"]);
    expect(notified.find((n) => n.email === "admin@ccdc.demo")?.case_id).toBe(citingCaseId);
    expect(notified[1]!.message_zh).toContain(`供应商证书 ${number} 已暂停：贵企业有 2 份清单、1 个认证案件引用了该证书`);

    // The inventory editor shows it; the case pages can read it.
    const page = await run(inventoryLoader, { url: `/inventories/${inventoryId}`, cookie, params: { inventoryId } });
    expect((page as { data: { supplyFlags: unknown[] } }).data.supplyFlags).toEqual([
      { number, status: "suspended", since: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
    ]);
    expect((await supplyChainFlagsForCase(w.db, citingCaseId)).map((f) => f.certificate_number)).toEqual([number]);
    // The open case's page shows it to the applicant and to the case's body.
    for (const email of ["admin@hualv.demo", "admin@ccdc.demo"]) {
      const casePage = await run(caseLoader, { url: `/cases/${citingCaseId}`, cookie: await cookieFor(email), params: { caseId: citingCaseId } });
      expect((casePage as { data: { supplyFlags: unknown[] } }).data.supplyFlags, email).toEqual([
        { number, status: "suspended", since: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
      ]);
    }

    // Citing a suspended certificate is refused.
    const refused = await addLine(lineForm({ name: "再次引用" }));
    expect((refused as { data: { errors: Record<string, { key: string }> } }).data.errors.certificateNumber?.key).toBe(
      "v.certificateNotValid.suspended",
    );

    await send(w, supplierCaseId, "cbAdmin", { type: "RESTORE" });
    await runOutbox();
    expect(
      await w.db.selectFrom("supply_chain_flags").select("id").where("certificate_number", "=", number).where("resolved_at", "is", null).execute(),
    ).toEqual([]);
    expect(
      ((await run(inventoryLoader, { url: `/inventories/${inventoryId}`, cookie, params: { inventoryId } })) as { data: { supplyFlags: unknown[] } })
        .data.supplyFlags,
    ).toEqual([]);
  });

  it("withdrawal flags again, under its own status", async () => {
    await send(w, supplierCaseId, "cbAdmin", { type: "WITHDRAW", reason: "撤销" });
    await runOutbox();
    const open = await w.db
      .selectFrom("supply_chain_flags")
      .select(["certificate_status", "case_id"])
      .where("certificate_number", "=", number)
      .where("resolved_at", "is", null)
      .execute();
    expect(open.map((f) => f.certificate_status)).toEqual(["withdrawn", "withdrawn", "withdrawn"]);
    expect(open.filter((f) => f.case_id === citingCaseId)).toHaveLength(1);
  });
});
