/**
 * Applying for a label from an inventory: which inventories the manufacturer may apply from, the
 * footprint and conformance report the application rests on (computed here with the calculator,
 * never taken from the form), the certification bodies accredited for the inventory's PCR, the
 * earlier certificates a reduced-carbon claim is measured against, and opening the case.
 */
import { sql, type Kysely } from "kysely";
import { createCase } from "../../../workflows/cases/index.ts";
import type { DB } from "../../../db/schema.ts";
import { ApplicationSchema } from "../../utils/case-forms.ts";
import { parseSubmission, type FieldErrors, type FormValues } from "../../utils/forms.ts";
import { findInventory, inventoryFootprint } from "../inventories.server.ts";
import { caseFailure } from "./errors.server.ts";

/** The organization's inventories an application can be made from, newest period first per product. */
export async function applicableInventories(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom("inventories")
    .innerJoin("products", "products.id", "inventories.product_id")
    .select([
      "inventories.id",
      "inventories.product_id",
      "inventories.pcr_code",
      "inventories.pcr_version",
      "inventories.period_start",
      "inventories.period_end",
      "inventories.version",
      "inventories.locked_at",
      "products.name_zh as product_name_zh",
      "products.name_en as product_name_en",
    ])
    .where("inventories.organization_id", "=", organizationId)
    .orderBy("products.name_zh")
    .orderBy("inventories.period_start", "desc")
    .orderBy("inventories.version", "desc")
    .limit(500)
    .execute();
}

/** Certification bodies accredited for a PCR code: the only ones an application may go to. */
export async function accreditedBodies(db: Kysely<DB>, pcrCode: string) {
  return db
    .selectFrom("organizations")
    .select(["id", "name_zh", "name_en", "cb_code", "cnca_approval_number"])
    .where("kind", "=", "certification_body")
    .where(sql<boolean>`${pcrCode} = any(accredited_categories)`)
    .orderBy("name_zh")
    .execute();
}

/** Footprint certificates already issued for the product under the PCR code (a reduced-carbon claim needs two). */
export async function earlierCertificates(db: Kysely<DB>, productId: string, pcrCode: string) {
  return db
    .selectFrom("certificates")
    .select(["number", "label_type", "verified_value", "declared_unit_quantity", "declared_unit", "issued_on", "valid_until", "status"])
    .where("product_id", "=", productId)
    .where("pcr_code", "=", pcrCode)
    .where("status", "<>", "withdrawn")
    .orderBy("issued_on")
    .execute();
}

export type ApplicationOutcome = { ok: true; caseId: string } | { ok: false; status: number; errors: FieldErrors; values: FormValues };

/**
 * Opens a case in draft from the form: the declared value and whether conformance passed are
 * computed from the inventory now; the case layer checks the body's scope and the inventory's
 * owner again in its transaction.
 */
export async function applyForLabel(
  db: Kysely<DB>,
  applicant: { userId: string; organizationId: string },
  formData: FormData,
): Promise<ApplicationOutcome> {
  // The form's own rules (the browser checked them too); then what only the server can say.
  const parsed = parseSubmission(formData, ApplicationSchema);
  if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors, values: parsed.values };
  const values = parsed.data;
  const echo = { ...values } as FormValues;
  const inventory = await findInventory(db, applicant.organizationId, values.inventoryId);
  if (!inventory) return { ok: false, status: 400, errors: { inventoryId: { key: "v.choice" } }, values: echo };
  const footprint = await inventoryFootprint(db, applicant.organizationId, inventory);
  if (!footprint.result || !footprint.conformance)
    return { ok: false, status: 400, errors: { inventoryId: { key: "apply.noResult" } }, values: echo };

  // The schema has checked a CN claim's period and quantity; other labels carry none.
  const claim = values.labelType === "CN" ? { period: { start: values.claimStart, end: values.claimEnd }, quantity: values.claimQuantity } : null;
  try {
    const { caseId } = await createCase(db, {
      userId: applicant.userId,
      inventoryId: inventory.id,
      labelType: values.labelType,
      cbOrganizationId: values.cbOrganizationId,
      declaredValue: footprint.result.total,
      conformancePassed: footprint.conformance.passed,
      // Validated by the case layer with the same schema as RECORD_CREDITS (decimal strings allowed).
      claim,
    });
    return { ok: true, caseId };
  } catch (error) {
    const failure = caseFailure(error);
    return { ok: false, status: failure.status, errors: failure.errors, values: echo };
  }
}
