/**
 * Supply-chain links as the app shows them: a supplier-certificate line is checked against the
 * registry when it is saved (the verified value, declared unit and status come from there when
 * the number is one of ours), and the open flags raised when a cited certificate stopped being
 * valid (workflows/certificates/supply-chain.ts) are shown on the inventory and the case.
 */
import type { Kysely } from "kysely";
import type { DB } from "../../../db/schema.ts";
import { openFlagsOfCase, openFlagsOfInventory } from "../../../db/repositories/supply-chain.ts";
import { citedCertificate } from "./registry.server.ts";

export type RegisteredCertificate = NonNullable<Awaited<ReturnType<typeof citedCertificate>>>;

/** What the registry holds under each number (numbers it does not hold are left out). */
export async function registeredCertificates(db: Kysely<DB>, numbers: readonly (string | undefined)[]): Promise<Map<string, RegisteredCertificate>> {
  const found = new Map<string, RegisteredCertificate>();
  for (const n of numbers) {
    if (!n) continue;
    const c = await citedCertificate(db, n);
    if (c) found.set(c.number, c);
  }
  return found;
}

/** Open flags on an inventory of the organization (one per cited certificate that changed status). */
export async function supplyChainFlagsForInventory(db: Kysely<DB>, organizationId: string, inventoryId: string) {
  return openFlagsOfInventory(db, organizationId, inventoryId);
}

/**
 * Open flags on a case, for its pages: the caller has checked the viewer is a party (applicant or
 * the case's body); both see the same flags.
 */
export async function supplyChainFlagsForCase(db: Kysely<DB>, caseId: string) {
  return openFlagsOfCase(db, caseId);
}
export type SupplyChainFlag = Awaited<ReturnType<typeof supplyChainFlagsForCase>>[number];
