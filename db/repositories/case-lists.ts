/**
 * Table `cases` as pages list and count it: the inbox (filtered, searched, paged), one case for a
 * viewer, the dashboard's summaries and counts. Every read is scoped by the viewer's organization
 * through one predicate, `caseVisibleTo`: a case belongs to its applicant, and to its
 * certification body only from the applicant's submission on (ADR 0014). (The host's reads and
 * writes of the same table are in cases.ts.)
 */
import { expressionBuilder, sql, type Expression, type SqlBool } from "kysely";
import type { DB, LabelTypeCode } from "../schema.ts";
import { isUuid } from "../uuid.ts";
import type { Executor } from "./executor.ts";
import { anyContains } from "./text-search.ts";

/**
 * Whether the organization may see the case at all: it is the applicant, or it is the
 * certification body and the applicant has submitted the case. A draft is the applicant's alone;
 * for the body it does not exist (not listed, not counted, not found), exactly like a case that is
 * not its own. Every read of a case for a viewer, and the host's party check, goes through this.
 */
export function caseVisibleTo(organizationId: string): Expression<SqlBool> {
  const eb = expressionBuilder<DB, "cases">();
  return eb.or([
    eb("cases.applicant_organization_id", "=", organizationId),
    eb.and([eb("cases.cb_organization_id", "=", organizationId), eb("cases.submitted_at", "is not", null)]),
  ]);
}

/** Whether the user holds one of the case's team seats: reviewer, inspector, verifier or decider. */
function holdsTeamSeat(userId: string): Expression<SqlBool> {
  const eb = expressionBuilder<DB, "cases">();
  return eb.or([
    eb("cases.reviewer_id", "=", userId),
    eb("cases.inspector_id", "=", userId),
    eb("cases.verifier_id", "=", userId),
    eb("cases.decider_id", "=", userId),
  ]);
}

export interface CaseListFilter {
  /** The viewer's organization: cases visible to it (its applications, and the submitted cases at its body). */
  readonly organizationId: string;
  /** Only cases in these states (none when empty); any state when null. */
  readonly states: readonly string[] | null;
  readonly labelType?: LabelTypeCode;
  /** Cases where this user holds a team seat (none when it is not a user id). */
  readonly assignedTo?: string;
  /** Each word must match a product name or the applicant's name (a substring), or be the case's number (123, 000123, CL-000123). */
  readonly words: readonly string[];
  readonly limit: number;
  readonly offset: number;
}

/** The organization's cases with both parties' names and the certificate's number and status, most recently changed first. */
export function listCaseRows(db: Executor, filter: CaseListFilter) {
  let query = db
    .selectFrom("cases")
    .innerJoin("organizations as applicant", "applicant.id", "cases.applicant_organization_id")
    .innerJoin("organizations as cb", "cb.id", "cases.cb_organization_id")
    .leftJoin("certificates", "certificates.case_id", "cases.id")
    .select([
      "cases.id",
      "cases.number",
      "cases.state",
      "cases.version",
      "cases.label_type",
      "cases.product_id",
      "cases.product_name_zh",
      "cases.product_name_en",
      "cases.pcr_code",
      "cases.pcr_version",
      "cases.declared_value",
      "cases.declared_unit_quantity",
      "cases.declared_unit",
      "cases.open_findings",
      "cases.next_finding_due_on",
      "cases.certificate_valid_until",
      "cases.surveillance_due_on",
      "cases.reviewer_id",
      "cases.inspector_id",
      "cases.verifier_id",
      "cases.decider_id",
      "cases.created_at",
      "cases.updated_at",
      "cases.closed_at",
      "applicant.id as applicant_id",
      "applicant.name_zh as applicant_name_zh",
      "applicant.name_en as applicant_name_en",
      "cb.id as cb_id",
      "cb.name_zh as cb_name_zh",
      "cb.name_en as cb_name_en",
      "cb.cb_code",
      "certificates.number as certificate_number",
      "certificates.status as certificate_status",
    ])
    .where(caseVisibleTo(filter.organizationId))
    .orderBy("cases.updated_at", "desc")
    .orderBy("cases.number", "desc")
    .limit(filter.limit)
    .offset(filter.offset);
  const states = filter.states;
  if (states) query = states.length > 0 ? query.where("cases.state", "in", [...states]) : query.where(sql<boolean>`false`);
  if (filter.labelType) query = query.where("cases.label_type", "=", filter.labelType);
  if (filter.assignedTo) {
    const u = filter.assignedTo;
    query = isUuid(u) ? query.where(holdsTeamSeat(u)) : query.where(sql<boolean>`false`);
  }
  for (const word of filter.words) {
    const number = /^(?:CL-)?0*(\d{1,12})$/i.exec(word);
    query = query.where((eb) =>
      eb.or([
        anyContains(eb, ["cases.product_name_zh", "cases.product_name_en", "applicant.name_zh", "applicant.name_en"], word),
        ...(number ? [eb("cases.number", "=", Number(number[1]))] : []),
      ]),
    );
  }
  return query.execute();
}

/** One case with both parties' names, if it is visible to the organization (`caseVisibleTo`). */
export function caseForViewer(db: Executor, caseId: string, viewerOrganizationId: string) {
  return db
    .selectFrom("cases")
    .innerJoin("organizations as applicant", "applicant.id", "cases.applicant_organization_id")
    .innerJoin("organizations as cb", "cb.id", "cases.cb_organization_id")
    .selectAll("cases")
    .select([
      "applicant.name_zh as applicant_name_zh",
      "applicant.name_en as applicant_name_en",
      "cb.name_zh as cb_name_zh",
      "cb.name_en as cb_name_en",
      "cb.cb_code",
    ])
    .where("cases.id", "=", caseId)
    .where(caseVisibleTo(viewerOrganizationId))
    .executeTakeFirst();
}

/**
 * A case's parties and inventory, if the case is visible to the organization (`caseVisibleTo`);
 * undefined otherwise, whether missing, another's, or a draft the organization's body may not see yet.
 */
export function casePartyOf(db: Executor, caseId: string, organizationId: string) {
  return db
    .selectFrom("cases")
    .select(["cases.id", "cases.inventory_id", "cases.applicant_organization_id", "cases.cb_organization_id"])
    .where("cases.id", "=", caseId)
    .where(caseVisibleTo(organizationId))
    .executeTakeFirst();
}

/** The applicant's open cases outside these states, most recently changed first (at most 20). */
export function openApplicationsOf(db: Executor, organizationId: string, exceptStates: readonly string[]) {
  return db
    .selectFrom("cases")
    .select(["id", "number", "state", "label_type", "product_name_zh", "product_name_en", "open_findings", "updated_at"])
    .where("applicant_organization_id", "=", organizationId)
    .where("closed_at", "is", null)
    .where("state", "not in", [...exceptStates])
    .orderBy("updated_at", "desc")
    .limit(20)
    .execute();
}

/** The applicant's cases waiting for it to answer findings, with their snapshots, soonest finding due first (at most 20). */
export function casesAwaitingApplicant(db: Executor, organizationId: string) {
  return db
    .selectFrom("cases")
    .select(["id", "number", "product_name_zh", "product_name_en", "machine", "machine_version", "snapshot"])
    .where("applicant_organization_id", "=", organizationId)
    .where("state", "=", "awaiting_applicant")
    .orderBy("next_finding_due_on")
    .limit(20)
    .execute();
}

/** How many of the cases visible to the organization are in each state (states without cases left out). */
export function countCasesByState(db: Executor, organizationId: string) {
  return db
    .selectFrom("cases")
    .select(["state", sql<number>`count(*)::int`.as("n")])
    .where(caseVisibleTo(organizationId))
    .groupBy("state")
    .execute();
}

/** How many open cases of the body, submitted to it, have the user in a team seat. */
export async function countAssignedOpenCases(db: Executor, cbOrganizationId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom("cases")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("cb_organization_id", "=", cbOrganizationId)
    .where(caseVisibleTo(cbOrganizationId))
    .where("closed_at", "is", null)
    .where(holdsTeamSeat(userId))
    .executeTakeFirstOrThrow();
  return row.n;
}
