/**
 * The case inbox: the organization's cases (as applicant, or as certification body once the
 * applicant has submitted them: a draft is neither listed nor counted for the body) with counts
 * per state, per role the viewer holds (cases in a state that waits for that role) and assigned to
 * the viewer, filtered by state, label type, role and assignment, and searched by product,
 * applicant or reference.
 */
import type { Kysely } from "kysely";
import { listCases, type CaseFilter } from "../../../workflows/cases/index.ts";
import { fromNumeric } from "../../../db/decimal.ts";
import type { DB, Role } from "../../../db/schema.ts";
import { countAssignedOpenCases, countCasesByState } from "../../../db/repositories/case-lists.ts";
import { namesOfUsers } from "../../../db/repositories/case-people.ts";
import { roundToSignificant } from "../../../rules/format.ts";
import { CERTIFICATION_STATES, STATE_LABELS, STATE_TAGS, type CertificationState } from "../../../workflows/certification/presentation.ts";
import { CB_ROLES, type CbRole, type LabelType } from "../../../workflows/certification/types.ts";
import { LABEL_TYPE_CODES } from "../../utils/case-forms.ts";
import { waitingFor } from "./waiting.server.ts";

export const INBOX_PAGE_SIZE = 50;

export interface InboxQuery {
  state: CertificationState | null;
  labelType: LabelType | null;
  role: CbRole | null;
  mine: boolean;
  q: string;
  page: number;
}

export function parseInboxQuery(url: URL, roles: readonly Role[]): InboxQuery {
  const p = url.searchParams;
  const state = p.get("state");
  const label = p.get("label");
  const role = p.get("role");
  const page = Number(p.get("page") ?? "1");
  return {
    state: (CERTIFICATION_STATES as readonly string[]).includes(state ?? "") ? (state as CertificationState) : null,
    labelType: (LABEL_TYPE_CODES as readonly string[]).includes(label ?? "") ? (label as LabelType) : null,
    // Only a role the viewer holds filters anything: the others are not theirs to work on.
    role: (CB_ROLES as readonly string[]).includes(role ?? "") && roles.includes(role as Role) ? (role as CbRole) : null,
    mine: p.get("mine") === "1",
    q: (p.get("q") ?? "").trim().slice(0, 100),
    page: Number.isInteger(page) && page >= 1 && page <= 1000 ? page : 1,
  };
}

/** Cases visible to the organization, per state (the body's counts leave drafts out). */
export async function countByState(db: Kysely<DB>, organizationId: string): Promise<Partial<Record<CertificationState, number>>> {
  const rows = await countCasesByState(db, organizationId);
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** Open submitted cases where the user holds a team seat. */
async function countAssigned(db: Kysely<DB>, organizationId: string, userId: string): Promise<number> {
  return countAssignedOpenCases(db, organizationId, userId);
}

/** States that wait for a role, by the machine's tags. */
export function statesWaitingFor(role: CbRole): CertificationState[] {
  return CERTIFICATION_STATES.filter((s) => STATE_TAGS[s].includes(`role:${role}`));
}

export async function loadInbox(db: Kysely<DB>, viewer: { userId: string; organizationId: string; roles: readonly Role[] }, query: InboxQuery) {
  const byState = await countByState(db, viewer.organizationId);
  const myRoles = CB_ROLES.filter((r) => viewer.roles.includes(r));
  const byRole = myRoles.map((role) => ({ role, count: statesWaitingFor(role).reduce((sum, s) => sum + (byState[s] ?? 0), 0) }));
  const assigned = myRoles.length > 0 ? await countAssigned(db, viewer.organizationId, viewer.userId) : null;

  const filter: CaseFilter = {
    organizationId: viewer.organizationId,
    states: query.state ? [query.state] : undefined,
    tag: query.role ? `role:${query.role}` : undefined,
    labelType: query.labelType ?? undefined,
    assignedTo: query.mine ? viewer.userId : undefined,
    search: query.q || undefined,
    // One more than a page tells whether there is a next page.
    limit: INBOX_PAGE_SIZE + 1,
    offset: (query.page - 1) * INBOX_PAGE_SIZE,
  };
  const rows = await listCases(db, filter);
  const page = rows.slice(0, INBOX_PAGE_SIZE);
  const seatIds = [
    ...new Set(page.flatMap((r) => [r.reviewer_id, r.inspector_id, r.verifier_id, r.decider_id]).filter((u): u is string => u !== null)),
  ];
  const names = seatIds.length ? Object.fromEntries((await namesOfUsers(db, seatIds)).map((u) => [u.id, u.name])) : {};
  const name = (id: string | null) => (id ? (names[id] ?? null) : null);
  return {
    byState: CERTIFICATION_STATES.filter((s) => (byState[s] ?? 0) > 0).map((s) => ({ state: s, label: STATE_LABELS[s], count: byState[s] ?? 0 })),
    total: Object.values(byState).reduce((a, b) => a + (b ?? 0), 0),
    byRole,
    assigned,
    hasNext: rows.length > INBOX_PAGE_SIZE,
    items: page.map((r) => ({
      id: r.id,
      reference: r.reference,
      state: r.state,
      stateLabel: r.stateLabel,
      waitingFor: waitingFor(STATE_TAGS[r.state as CertificationState] ?? []),
      labelType: r.label_type,
      product: { zh: r.product_name_zh, en: r.product_name_en },
      applicant: { zh: r.applicant_name_zh, en: r.applicant_name_en },
      cb: { zh: r.cb_name_zh, en: r.cb_name_en },
      pcr: `${r.pcr_code} v${r.pcr_version}`,
      declared: { value: roundToSignificant(fromNumeric(r.declared_value), 4), per: `${r.declared_unit_quantity} ${r.declared_unit}` },
      openFindings: r.open_findings,
      nextFindingDueOn: r.next_finding_due_on,
      certificate: r.certificate_number
        ? { number: r.certificate_number, status: r.certificate_status, validUntil: r.certificate_valid_until }
        : null,
      team: { reviewer: name(r.reviewer_id), inspector: name(r.inspector_id), verifier: name(r.verifier_id), decider: name(r.decider_id) },
      updatedAt: r.updated_at,
    })),
  };
}
