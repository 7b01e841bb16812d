/**
 * Table `supply_chain_flags`: a record (an inventory, or an open case resting on one) that cites a
 * supplier's certificate which stopped being valid, raised once per certificate, record and
 * status change, resolved when the certificate is valid again. Also the one read of
 * `inventory_lines` the flags rest on: which inventories cite a certificate number.
 */
import { sql } from "kysely";
import type { Executor } from "./executor.ts";

/** Inventories (id and owner) with a supplier-certificate line citing `number`, any version, in id order. */
export function inventoriesCitingCertificate(db: Executor, number: string) {
  return db
    .selectFrom("inventory_lines")
    .innerJoin("inventories", "inventories.id", "inventory_lines.inventory_id")
    .select(["inventories.id", "inventories.organization_id"])
    .distinct()
    .where("inventory_lines.kind", "=", "supplier_certificate")
    .where(sql<string>`inventory_lines.details -> 'certificate' ->> 'number'`, "=", number)
    .orderBy("inventories.id")
    .execute();
}

export interface NewSupplyChainFlag {
  readonly certificate_id: string;
  readonly certificate_number: string;
  readonly certificate_status: "suspended" | "withdrawn" | "expired";
  readonly inventory_id: string;
  readonly case_id: string | null;
  readonly organization_id: string;
  readonly cb_organization_id: string | null;
  readonly source_key: string;
  readonly raised_at: Date;
}

/** Raises flags, skipping any raised already (`supply_chain_flags_once`). */
export async function insertSupplyChainFlagsOnce(db: Executor, flags: readonly NewSupplyChainFlag[]): Promise<void> {
  await db
    .insertInto("supply_chain_flags")
    .values([...flags])
    .onConflict((oc) => oc.constraint("supply_chain_flags_once").doNothing())
    .execute();
}

/** Resolves the open flags of a certificate at `at`; how many. */
export async function resolveFlagsOfCertificate(db: Executor, certificateId: string, at: Date): Promise<number> {
  const resolved = await db
    .updateTable("supply_chain_flags")
    .set({ resolved_at: at })
    .where("certificate_id", "=", certificateId)
    .where("resolved_at", "is", null)
    .executeTakeFirst();
  return Number(resolved.numUpdatedRows);
}

/** Open flags on an inventory of the organization (not those of cases): the latest per certificate number. */
export function openFlagsOfInventory(db: Executor, organizationId: string, inventoryId: string) {
  return db
    .selectFrom("supply_chain_flags")
    .select(["certificate_number", "certificate_status", "raised_at"])
    .distinctOn(["certificate_number"])
    .where("inventory_id", "=", inventoryId)
    .where("organization_id", "=", organizationId)
    .where("case_id", "is", null)
    .where("resolved_at", "is", null)
    .orderBy("certificate_number")
    .orderBy("raised_at", "desc")
    .execute();
}

/** Open flags on a case: the latest per certificate number. */
export function openFlagsOfCase(db: Executor, caseId: string) {
  return db
    .selectFrom("supply_chain_flags")
    .select(["certificate_number", "certificate_status", "raised_at"])
    .distinctOn(["certificate_number"])
    .where("case_id", "=", caseId)
    .where("resolved_at", "is", null)
    .orderBy("certificate_number")
    .orderBy("raised_at", "desc")
    .execute();
}
