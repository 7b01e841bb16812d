/**
 * A draft is the applicant's alone, also when a supplier certificate its inventory cites stops
 * being valid: the owner is told, the body is not (it learns of the case, and sees its flags on
 * the case page, from submission on).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createCase } from "../../workflows/cases/index.ts";
import { userIdByEmail } from "../support/fixtures.ts";
import { send, type World } from "../workflows/cases-support.ts";
import { ccdcId, passingInventory, PASSING_TOTAL } from "./cases-support.ts";
import { issuedCertificate, runOutbox, useTestSigning } from "./certificates-support.ts";

let w: World;
let supplierCaseId: string;
let number: string;

beforeAll(async () => {
  useTestSigning();
  ({ w, caseId: supplierCaseId, number } = await issuedCertificate("supply-chain-drafts-supplier"));
});

describe("a supplier certificate suspended while a citing case is a draft", () => {
  it("flags the draft and tells its owner, but not the body", async () => {
    const { inventoryId } = await passingInventory("supply-chain-draft-citing");
    await w.db
      .insertInto("inventory_lines")
      .values({
        inventory_id: inventoryId,
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
    const { caseId } = await createCase(w.db, {
      userId: await userIdByEmail("admin@hualv.demo"),
      inventoryId,
      labelType: "CF",
      cbOrganizationId: await ccdcId(),
      declaredValue: PASSING_TOTAL,
      conformancePassed: true,
    });

    await send(w, supplierCaseId, "cbAdmin", { type: "SUSPEND", reason: "供应商监督抽查不合格" });
    await runOutbox();

    const flags = await w.db.selectFrom("supply_chain_flags").select("case_id").where("case_id", "=", caseId).execute();
    expect(flags).toHaveLength(1);
    const told = await w.db
      .selectFrom("notifications")
      .select(["organization_id", "case_id"])
      .where("topic", "=", "supplier_certificate_flagged")
      .where("organization_id", "=", await ccdcId())
      .where("case_id", "=", caseId)
      .execute();
    expect(told).toEqual([]);
    const owner = await w.db
      .selectFrom("notifications")
      .select("message_zh")
      .where("topic", "=", "supplier_certificate_flagged")
      .where("message_zh", "like", `%${number}%`)
      .where("organization_id", "<>", await ccdcId())
      .execute();
    expect(owner.length).toBeGreaterThan(0);
  });
});
