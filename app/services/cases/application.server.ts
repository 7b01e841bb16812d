/**
 * Applying for a label from an inventory: which inventories the manufacturer may apply from, the
 * footprint and conformance report the application rests on (computed here with the calculator,
 * never taken from the form), the certification bodies accredited for the inventory's PCR, the
 * earlier certificates a reduced-carbon claim is measured against, and opening the case.
 */
import type { Kysely } from "kysely";
import { createCase } from "../../../workflows/cases/index.ts";
import type { DB } from "../../../db/schema.ts";
import { bodiesAccreditedFor, inventoriesWithProductsOf } from "../../../db/repositories/case-applications.ts";
import { certificatesOfProductUnderPcr } from "../../../db/repositories/certificates.ts";
import { ApplicationSchema } from "../../utils/case-forms.ts";
import { parseSubmission, type FieldErrors, type FormValues } from "../../utils/forms.ts";
import { findInventory, inventoryFootprint } from "../inventories.server.ts";
import { caseFailure } from "./errors.server.ts";

/** The organization's inventories an application can be made from, newest period first per product. */
export async function applicableInventories(db: Kysely<DB>, organizationId: string) {
  return inventoriesWithProductsOf(db, organizationId);
}

/** Certification bodies accredited for a PCR code: the only ones an application may go to. */
export async function accreditedBodies(db: Kysely<DB>, pcrCode: string) {
  return bodiesAccreditedFor(db, pcrCode);
}

/** Footprint certificates already issued for the product under the PCR code (a reduced-carbon claim needs two). */
export async function earlierCertificates(db: Kysely<DB>, productId: string, pcrCode: string) {
  return certificatesOfProductUnderPcr(db, productId, pcrCode);
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
