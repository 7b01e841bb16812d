/**
 * Applying for a label from an inventory: which inventories the manufacturer may apply from, the
 * footprint and conformance report the application rests on (computed here with the calculator,
 * never taken from the form), the certification bodies accredited for the inventory's PCR, the
 * earlier certificates a reduced-carbon claim is measured against, and opening the case.
 */
import type { Kysely } from "kysely";
import { createCase, type LockedFootprintSource } from "../../../workflows/cases/index.ts";
import { lockedFootprintOf } from "../../../workflows/footprints/stored.ts";
import { checkConformance } from "../../../rules/conformance/index.ts";
import { RulesError } from "../../../rules/errors.ts";
import { PCR_CATALOGUE } from "../../../rules/pcr/index.ts";
import { DEFAULT_LOCALE, pick, type Locale, type Message } from "../../i18n/index.ts";
import type { DB } from "../../../db/schema.ts";
import { bodiesAccreditedFor, inventoriesWithProductsOf } from "../../../db/repositories/case-applications.ts";
import { certificatesOfProductUnderPcr } from "../../../db/repositories/certificates.ts";
import { ApplicationSchema } from "../../utils/case-forms.ts";
import { parseSubmission, type FieldErrors, type FormValues } from "../../utils/forms.ts";
import { calculateStoredInventory, findInventory, inventoryFootprint, toCalculatorInput, type InventoryRow } from "../inventories.server.ts";
import { caseFailure } from "./errors.server.ts";

/** The organization's inventories an application can be made from, newest period first per product. */
export async function applicableInventories(db: Kysely<DB>, organizationId: string) {
  return inventoriesWithProductsOf(db, organizationId);
}

/** Certification bodies accredited for a PCR code: the only ones an application may go to. */
export async function accreditedBodies(db: Kysely<DB>, pcrCode: string) {
  return bodiesAccreditedFor(db, pcrCode);
}

/**
 * Certificates already issued for the product under the PCR code that a reduced-carbon claim from
 * this inventory may be measured against (it needs two): not suspended or withdrawn, and not
 * issued from the same inventory.
 */
export async function earlierCertificates(db: Kysely<DB>, productId: string, pcrCode: string, inventoryId: string) {
  return certificatesOfProductUnderPcr(db, productId, pcrCode, inventoryId);
}

/**
 * The footprint an application (or a renewal) rests on, computed inside the transaction that
 * locks the inventory: the current calculator with the stage policy that refuses lines outside
 * the PCR's boundary, and the PCR's conformance checks. The host stores it (ADR 0014).
 */
export const lockedFootprintSource: LockedFootprintSource = async (trx, locked) => {
  const inventory = await findInventory(trx, locked.organizationId, locked.id);
  if (!inventory) throw new Error(`inventory ${locked.id} disappeared while it was being locked`);
  const input = await toCalculatorInput(trx, locked.organizationId, inventory);
  const result = calculateStoredInventory(input, "enforce");
  const conformance = checkConformance(PCR_CATALOGUE.get(inventory.pcr_code, inventory.pcr_version), input, result);
  return lockedFootprintOf(result, conformance);
};

/**
 * What the certification path refuses of an inventory before a case is opened: the calculator's
 * refusal under the enforcing stage policy (a line outside the PCR's boundary, say), as the
 * message the page shows under the inventory. Null when the inventory can be certified on.
 */
export async function certificationRefusal(
  db: Kysely<DB>,
  organizationId: string,
  inventory: InventoryRow,
  locale: Locale = DEFAULT_LOCALE,
): Promise<Message | null> {
  try {
    calculateStoredInventory(await toCalculatorInput(db, organizationId, inventory), "enforce");
    return null;
  } catch (error) {
    if (!(error instanceof RulesError)) throw error;
    // The calculator words its refusal in both languages; the message carries the reader's.
    return { key: "apply.notCertifiable", params: { reason: pick(locale, error.detail.zh, error.detail.en) } };
  }
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
  locale: Locale = DEFAULT_LOCALE,
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
  const refusal = await certificationRefusal(db, applicant.organizationId, inventory, locale);
  if (refusal) return { ok: false, status: 400, errors: { inventoryId: refusal }, values: echo };

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
      // The host locks the inventory, then stores this result and rests the case on it.
      footprint: lockedFootprintSource,
    });
    return { ok: true, caseId };
  } catch (error) {
    const failure = caseFailure(error);
    return { ok: false, status: failure.status, errors: failure.errors, values: echo };
  }
}
