/**
 * Reading cases for pages: inboxes, one case with everything a case page shows, its history, and
 * the actions the viewer may take now. Every read is scoped by the viewer's organization: a case
 * is visible to its applicant and its certification body only (null otherwise, answered as 404).
 */
import { sql, type Kysely } from "kysely";
import { allowedEvents, findingActions, STATE_LABELS, STATE_TAGS, type CertificationState } from "../certification/presentation.ts";
import type { CertificationEventType, CertificationTag, LabelType } from "../certification/types.ts";
import type { DB } from "../../db/schema.ts";
import { isUuid, resolveActor } from "./actors.ts";
import { inTransaction, loadCase, restoreCase } from "./cases.ts";
import { serverRefusal } from "./duties.ts";
import { caseReference } from "./effects.ts";

export interface CaseFilter {
  /** The viewer's organization: cases where it is the applicant or the certification body. */
  readonly organizationId: string;
  readonly states?: readonly string[];
  /** Cases in a state carrying this tag (e.g. `cb_action`, `certified`, `open`). */
  readonly tag?: CertificationTag;
  readonly labelType?: LabelType;
  /** Cases where this user holds a team seat (reviewer, inspector, verifier or decider). */
  readonly assignedTo?: string;
  /** Words matched against the product names and the reference (CL-000123). */
  readonly search?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export async function listCases(db: Kysely<DB>, filter: CaseFilter) {
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
    .where((eb) =>
      eb.or([eb("cases.applicant_organization_id", "=", filter.organizationId), eb("cases.cb_organization_id", "=", filter.organizationId)]),
    )
    .orderBy("cases.updated_at", "desc")
    .orderBy("cases.number", "desc")
    .limit(Math.min(filter.limit ?? 50, 200))
    .offset(filter.offset ?? 0);
  const tagged = filter.tag ? (Object.keys(STATE_TAGS) as CertificationState[]).filter((s) => STATE_TAGS[s].includes(filter.tag!)) : null;
  const states = filter.states && tagged ? filter.states.filter((s) => tagged.includes(s as CertificationState)) : (filter.states ?? tagged);
  if (states) query = states.length > 0 ? query.where("cases.state", "in", [...states]) : query.where(sql<boolean>`false`);
  if (filter.labelType) query = query.where("cases.label_type", "=", filter.labelType);
  if (filter.assignedTo) {
    const u = filter.assignedTo;
    query = isUuid(u)
      ? query.where((eb) =>
          eb.or([eb("cases.reviewer_id", "=", u), eb("cases.inspector_id", "=", u), eb("cases.verifier_id", "=", u), eb("cases.decider_id", "=", u)]),
        )
      : query.where(sql<boolean>`false`);
  }
  const words = (filter.search ?? "").trim().split(/\s+/).filter(Boolean).slice(0, 5);
  for (const word of words) {
    const like = `%${word.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    const number = /^(?:CL-)?0*(\d{1,12})$/i.exec(word);
    query = query.where((eb) =>
      eb.or([
        eb("cases.product_name_zh", "ilike", like),
        eb("cases.product_name_en", "ilike", like),
        eb("applicant.name_zh", "ilike", like),
        eb("applicant.name_en", "ilike", like),
        ...(number ? [eb("cases.number", "=", Number(number[1]))] : []),
      ]),
    );
  }
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, reference: caseReference(r.number), stateLabel: STATE_LABELS[r.state as CertificationState] }));
}
export type CaseListItem = Awaited<ReturnType<typeof listCases>>[number];

/** One case as its page shows it, or null when the viewer's organization is no party to it. */
export async function getCase(db: Kysely<DB>, caseId: string, viewerOrganizationId: string) {
  if (!isUuid(caseId)) return null;
  const row = await db
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
    .where((eb) =>
      eb.or([eb("cases.applicant_organization_id", "=", viewerOrganizationId), eb("cases.cb_organization_id", "=", viewerOrganizationId)]),
    )
    .executeTakeFirst();
  if (!row) return null;
  // One after another: on the embedded database concurrent statements only queue (db/client.ts).
  const certificate = await db.selectFrom("certificates").selectAll().where("case_id", "=", caseId).executeTakeFirst();
  const credits = await db
    .selectFrom("credit_retirements")
    .select([
      "registry",
      "programme",
      "serial_prefix",
      sql<number>`lower(serials)`.as("first"),
      sql<number>`upper(serials) - 1`.as("last"),
      "vintage",
      "retired_on",
    ])
    .where("case_id", "=", caseId)
    .orderBy("registry")
    .orderBy("serial_prefix")
    .orderBy(sql`lower(serials)`)
    .execute();
  const people = await peopleOfCase(db, caseId);
  const { snapshot: _stored, ...columns } = row;
  return {
    ...columns,
    reference: caseReference(row.number),
    stateLabel: STATE_LABELS[row.state as CertificationState],
    tags: STATE_TAGS[row.state as CertificationState] ?? [],
    context: restoreCase(row).snapshot.context,
    certificate: certificate ?? null,
    credits,
    /** Names of everyone the case mentions (team, actors), by user id. */
    people,
  };
}
export type CaseView = NonNullable<Awaited<ReturnType<typeof getCase>>>;

async function peopleOfCase(db: Kysely<DB>, caseId: string): Promise<Record<string, string>> {
  const rows = await db
    .selectFrom("users")
    .select(["id", "name"])
    .where((eb) =>
      eb.or([
        eb(
          "id",
          "in",
          eb
            .selectFrom("case_events")
            .select("actor_user_id")
            .where("case_id", "=", caseId)
            .where("actor_user_id", "is not", null)
            .$narrowType<{ actor_user_id: string }>(),
        ),
        eb(
          "id",
          "in",
          eb
            .selectFrom("cases")
            .select(sql<string>`unnest(array[reviewer_id, inspector_id, verifier_id, decider_id])`.as("u"))
            .where("id", "=", caseId),
        ),
      ]),
    )
    .execute();
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

/** The case's event log, oldest first, for the history panel (the viewer must be a party). */
export async function caseHistory(db: Kysely<DB>, caseId: string, viewerOrganizationId: string) {
  if (!isUuid(caseId)) return null;
  const party = await db
    .selectFrom("cases")
    .select("id")
    .where("id", "=", caseId)
    .where((eb) => eb.or([eb("applicant_organization_id", "=", viewerOrganizationId), eb("cb_organization_id", "=", viewerOrganizationId)]))
    .executeTakeFirst();
  if (!party) return null;
  const rows = await db
    .selectFrom("case_events")
    .leftJoin("users", "users.id", "case_events.actor_user_id")
    .select([
      "case_events.seq",
      "case_events.event_type",
      "case_events.actor_user_id",
      "case_events.actor_system",
      "case_events.actor_roles",
      "case_events.actor_organization_id",
      "users.name as actor_name",
      "case_events.payload",
      "case_events.state_before",
      "case_events.state_after",
      "case_events.at",
      "case_events.recorded_at",
      "case_events.hash",
    ])
    .where("case_events.case_id", "=", caseId)
    .orderBy("case_events.seq")
    .execute();
  // The opening entry carries the whole initial context; the page needs only that the case was opened.
  return rows.map((r) => (r.seq === 1 ? { ...r, payload: {} } : r));
}

/**
 * What this user may do on the case now: the machine's answer narrowed by the server's own
 * checks, per event type, plus which findings they may answer or close. Null when the user's
 * organization is no party to the case.
 */
export async function caseActions(db: Kysely<DB>, caseId: string, userId: string, at: Date = new Date()) {
  return inTransaction(db, async (trx) => {
    const loaded = await loadCase(trx, caseId);
    const actor = await resolveActor(trx, { userId });
    if (!loaded || !actor) return null;
    const { row, snapshot } = loaded;
    if (actor.organizationId !== row.applicant_organization_id && actor.organizationId !== row.cb_organization_id) return null;
    const iso = at.toISOString();
    const events: CertificationEventType[] = [];
    for (const type of allowedEvents(snapshot, actor.machine, iso)) {
      if (!(await serverRefusal(trx, row, snapshot, actor, type))) events.push(type);
    }
    const findings = findingActions(snapshot, actor.machine, iso);
    return {
      version: row.version,
      state: row.state,
      events,
      findings: { answer: events.includes("ANSWER_FINDING") ? findings.answer : [], close: events.includes("CLOSE_FINDING") ? findings.close : [] },
    };
  });
}
