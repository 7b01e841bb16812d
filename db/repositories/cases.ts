/**
 * Table `cases`: the certification case rows as the host reads and writes them (load with the head
 * of its log, open, the version-checked write), and the narrow reads of the scheduler, the outbox
 * effects, the certificate issuer, the chain check and the supply-chain flags. The lists and
 * counts pages show are in case-lists.ts.
 */
import { sql, type Insertable, type Updateable } from "kysely";
import type { CasesTable } from "../schema.ts";
import type { Executor } from "./executor.ts";

/** The case row and the hash of its last logged event (null before the first one). */
export function findCaseWithLogHead(db: Executor, caseId: string) {
  return (
    db
      .selectFrom("cases")
      .selectAll()
      // The head of the log, read with the case: valid for the next entry exactly when the version-checked write succeeds.
      .select((eb) =>
        eb.selectFrom("case_events").select("hash").whereRef("case_events.case_id", "=", "cases.id").orderBy("seq", "desc").limit(1).as("last_hash"),
      )
      .where("id", "=", caseId)
      .executeTakeFirst()
  );
}
export type CaseWithLogHead = NonNullable<Awaited<ReturnType<typeof findCaseWithLogHead>>>;

export async function insertCase(db: Executor, values: Insertable<CasesTable>): Promise<void> {
  await db.insertInto("cases").values(values).execute();
}

/**
 * The optimistic lock: writes the case only where its version is still `expectedVersion`; the new
 * version, or undefined when another writer got there first.
 */
export function updateCaseAtVersion(db: Executor, caseId: string, expectedVersion: number, values: Updateable<CasesTable>) {
  return db.updateTable("cases").set(values).where("id", "=", caseId).where("version", "=", expectedVersion).returning("version").executeTakeFirst();
}

/** The two organizations of a case (throws when the case is missing). */
export function casePartiesOf(db: Executor, caseId: string) {
  return db.selectFrom("cases").select(["applicant_organization_id", "cb_organization_id"]).where("id", "=", caseId).executeTakeFirstOrThrow();
}

/** What a notification says about its case: reference number, label and product (throws when the case is missing). */
export function caseForNotice(db: Executor, caseId: string) {
  return db
    .selectFrom("cases")
    .select(["number", "label_type", "product_name_zh", "product_name_en"])
    .where("id", "=", caseId)
    .executeTakeFirstOrThrow();
}

/** What issuing a case's certificate needs beyond the effect: the holder, the case it renews and the body's code (throws when missing). */
export function caseForIssue(db: Executor, caseId: string) {
  return db
    .selectFrom("cases")
    .innerJoin("organizations as cb", "cb.id", "cases.cb_organization_id")
    .select(["cases.applicant_organization_id", "cases.renews_case_id", "cases.identity", "cb.cb_code"])
    .where("cases.id", "=", caseId)
    .executeTakeFirstOrThrow();
}

/** The case a case renews, if it exists (undefined when the case does not). */
export function renewedCaseOf(db: Executor, caseId: string) {
  return db.selectFrom("cases").select("renews_case_id").where("id", "=", caseId).executeTakeFirst();
}

/**
 * Open cases that may have something due (the scheduler's pass), in id order after `after`, a page
 * at a time: a certified state whose validity ends by `horizon`, an issued case whose surveillance
 * is due by `today`, or a case awaiting the applicant with a finding due before `today`.
 * `caseIds` narrows the pass to those cases (none at all when empty).
 */
export function casesWithSomethingDue(
  db: Executor,
  due: { certifiedStates: readonly string[]; today: string; horizon: string; after: string | null; caseIds?: readonly string[]; limit: number },
) {
  let query = db
    .selectFrom("cases")
    .select(["id", "state", "machine", "machine_version", "snapshot"])
    .where("closed_at", "is", null)
    .where((eb) =>
      eb.or([
        eb.and([eb("state", "in", [...due.certifiedStates]), eb("certificate_valid_until", "<=", due.horizon)]),
        eb.and([eb("state", "=", "issued"), eb("surveillance_due_on", "<=", due.today)]),
        eb.and([eb("state", "=", "awaiting_applicant"), eb("next_finding_due_on", "<", due.today)]),
      ]),
    )
    .orderBy("id")
    .limit(due.limit);
  if (due.after) query = query.where("id", ">", due.after);
  if (due.caseIds) query = due.caseIds.length > 0 ? query.where("id", "in", [...due.caseIds]) : query.where(sql<boolean>`false`);
  return query.execute();
}

/** Cases as the chain check reads them: one case, or a page of every case in id order after `after`. */
export function casesForChainCheck(db: Executor, page: { caseId?: string; after: string | null; limit: number }) {
  let query = db.selectFrom("cases").select(["id", "machine", "state", "version", "snapshot"]).orderBy("id").limit(page.limit);
  if (page.caseId) query = query.where("id", "=", page.caseId);
  else if (page.after) query = query.where("id", ">", page.after);
  return query.execute();
}

/** Open cases resting on any of these inventories, in id order. */
export function openCasesOnInventories(db: Executor, inventoryIds: readonly string[]) {
  return db
    .selectFrom("cases")
    .select(["id", "number", "inventory_id", "applicant_organization_id", "cb_organization_id", "submitted_at"])
    .where("inventory_id", "in", [...inventoryIds])
    .where("closed_at", "is", null)
    .orderBy("id")
    .execute();
}

/**
 * What a certificate's signed content reads of its case: the identity snapshot and the stored
 * result the body worked on, and the issuing body as registered (its name, code and approval
 * number are the body's own and do not come from the applicant).
 */
export function caseForCertificatePayload(db: Executor, caseId: string) {
  return db
    .selectFrom("cases")
    .innerJoin("organizations as cb", "cb.id", "cases.cb_organization_id")
    .select([
      "cases.id",
      "cases.machine",
      "cases.machine_version",
      "cases.inventory_id",
      "cases.applicant_organization_id",
      "cases.snapshot",
      "cases.identity",
      "cases.result_id",
      "cb.cb_code",
      "cb.name_zh as cb_zh",
      "cb.name_en as cb_en",
      "cb.cnca_approval_number",
    ])
    .where("cases.id", "=", caseId)
    .executeTakeFirst();
}
