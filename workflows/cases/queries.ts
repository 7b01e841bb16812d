/**
 * Reading cases for pages: inboxes, one case with everything a case page shows, its history, and
 * the actions the viewer may take now. Every read is scoped by the viewer's organization: a case
 * is visible to its applicant, and to its certification body once the applicant has submitted it
 * (`caseVisibleTo`); null otherwise, answered as 404.
 */
import type { Kysely } from "kysely";
import { allowedEvents, findingActions, STATE_LABELS, STATE_TAGS, type CertificationState } from "../certification/presentation.ts";
import type { CertificationEventType, CertificationTag, LabelType } from "../certification/types.ts";
import type { DB } from "../../db/schema.ts";
import { caseHistoryRows } from "../../db/repositories/case-events.ts";
import { caseForViewer, casePartyOf, listCaseRows } from "../../db/repositories/case-lists.ts";
import { peopleNamedByCase } from "../../db/repositories/case-people.ts";
import { certificateOfCase } from "../../db/repositories/certificates.ts";
import { creditsOfCase } from "../../db/repositories/credit-retirements.ts";
import { isUuid, resolveActor } from "./actors.ts";
import { inTransaction, loadCase, restoreCase } from "./cases.ts";
import { serverRefusal } from "./duties.ts";
import { caseReference } from "./effects.ts";

export interface CaseFilter {
  /** The viewer's organization: its applications, and the cases submitted to it as certification body. */
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
  const tagged = filter.tag ? (Object.keys(STATE_TAGS) as CertificationState[]).filter((s) => STATE_TAGS[s].includes(filter.tag!)) : null;
  const states = filter.states && tagged ? filter.states.filter((s) => tagged.includes(s as CertificationState)) : (filter.states ?? tagged);
  const rows = await listCaseRows(db, {
    organizationId: filter.organizationId,
    states,
    labelType: filter.labelType,
    assignedTo: filter.assignedTo,
    words: (filter.search ?? "").trim().split(/\s+/).filter(Boolean).slice(0, 5),
    limit: Math.min(filter.limit ?? 50, 200),
    offset: filter.offset ?? 0,
  });
  return rows.map((r) => ({ ...r, reference: caseReference(r.number), stateLabel: STATE_LABELS[r.state as CertificationState] }));
}
export type CaseListItem = Awaited<ReturnType<typeof listCases>>[number];

/** One case as its page shows it, or null when it is not visible to the viewer's organization (no party, or the body before submission). */
export async function getCase(db: Kysely<DB>, caseId: string, viewerOrganizationId: string) {
  if (!isUuid(caseId)) return null;
  const row = await caseForViewer(db, caseId, viewerOrganizationId);
  if (!row) return null;
  // One after another: on the embedded database concurrent statements only queue (db/client.ts).
  const certificate = await certificateOfCase(db, caseId);
  const credits = await creditsOfCase(db, caseId);
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
  const rows = await peopleNamedByCase(db, caseId);
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

/** The case's event log, oldest first, for the history panel (null unless the case is visible to the viewer). */
export async function caseHistory(db: Kysely<DB>, caseId: string, viewerOrganizationId: string) {
  if (!isUuid(caseId)) return null;
  const party = await casePartyOf(db, caseId, viewerOrganizationId);
  if (!party) return null;
  const rows = await caseHistoryRows(db, caseId);
  const body = party.cb_organization_id === viewerOrganizationId;
  // The opening entry carries the whole initial context; the page needs only that the case was opened.
  // A renewal request carries the new application (its inventory and declared value), which is the
  // applicant's until submitted: here the body reads only that a renewal was requested, and the
  // application itself in the renewal case once it is submitted.
  return rows.map((r) => (r.seq === 1 || (body && r.event_type === "RENEW") ? { ...r, payload: {} } : r));
}

/**
 * What this user may do on the case now: the machine's answer narrowed by the server's own
 * checks, per event type, plus which findings they may answer or close. Null when the case is
 * not visible to the user's organization (no party, or the body before submission).
 */
export async function caseActions(db: Kysely<DB>, caseId: string, userId: string, at: Date = new Date()) {
  return inTransaction(db, async (trx) => {
    const loaded = await loadCase(trx, caseId);
    const actor = await resolveActor(trx, { userId });
    if (!loaded || !actor?.organizationId) return null;
    if (!(await casePartyOf(trx, caseId, actor.organizationId))) return null;
    const { row, snapshot } = loaded;
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
