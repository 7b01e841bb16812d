/**
 * Everything one case page shows, read for one viewer: the case as its parties see it, its event
 * log, what this user may do now (the machine's answer narrowed by the server's duty checks), the
 * label criteria with their numbers, the identity as submitted and the stored result the case rests
 * on (with today's calculation beside it when that differs), the conformance report, the files,
 * and the people a certification body administrator may assign. Null when the case is not
 * visible to the viewer's organization (answered 404, like a missing case): it is no party, or it
 * is the body and the applicant has not submitted the case yet (a draft is the applicant's).
 */
import type { Kysely } from "kysely";
import { caseActions, caseHistory, getCase, LABEL_NAMES } from "../../../workflows/cases/index.ts";
import type { DB, Role } from "../../../db/schema.ts";
import { assessGrant } from "../../../workflows/certification/assessment.ts";
import { STATE_LABELS, STATE_TAGS, type CertificationState } from "../../../workflows/certification/presentation.ts";
import type { CertificationContext } from "../../../workflows/certification/types.ts";
import { isUuid } from "../../../db/uuid.ts";
import { inventoriesOfProductUnderPcr } from "../../../db/repositories/case-applications.ts";
import { casePartyOf } from "../../../db/repositories/case-lists.ts";
import { activeMembersByName } from "../../../db/repositories/case-people.ts";
import { findInventory, inventoryFootprint, type InventoryRow } from "../inventories.server.ts";
import { caseAttachments, caseInventoryEvidence } from "./attachments.server.ts";
import { certifiedRecordOf } from "./certified-record.server.ts";
import { waitingFor } from "./waiting.server.ts";

/**
 * The case's parties and inventory, if the case is visible to the user's organization; null
 * otherwise (missing, not-yours and a draft seen from the body look the same). Enough for actions.
 */
export async function findCaseParty(db: Kysely<DB>, organizationId: string, caseId: string | undefined) {
  if (!isUuid(caseId)) return null;
  return (await casePartyOf(db, caseId, organizationId)) ?? null;
}

/** Members of the case's certification body who may sit on its team, by seat. */
async function teamCandidates(db: Kysely<DB>, cbOrganizationId: string) {
  // Active members only: an off-boarded person holds no seat.
  const members = await activeMembersByName(db, cbOrganizationId);
  const withRole = (role: Role) => members.filter((m) => m.roles.includes(role)).map((m) => ({ id: m.id, name: m.name }));
  return {
    reviewer: withRole("cb_reviewer"),
    inspector: withRole("cb_inspector"),
    verifier: withRole("cb_verifier"),
    decider: withRole("cb_decider"),
  };
}

/** Inventories of the same product under the same PCR code: what a renewal may be made from. */
async function renewalInventories(db: Kysely<DB>, c: { applicant_organization_id: string; product_id: string; pcr_code: string }) {
  return inventoriesOfProductUnderPcr(db, { organizationId: c.applicant_organization_id, productId: c.product_id, pcrCode: c.pcr_code });
}

export async function loadCasePage(db: Kysely<DB>, viewer: { userId: string; organizationId: string }, caseId: string | undefined, now = new Date()) {
  if (!caseId) return null;
  const view = await getCase(db, caseId, viewer.organizationId);
  if (!view) return null;
  // One query at a time: the embedded database serves every connection through one session, where
  // a query interleaved with an open transaction (caseActions reads in one) corrupts the protocol.
  const history = await caseHistory(db, view.id, viewer.organizationId);
  const attachments = await caseAttachments(db, view.id);
  const evidence = await caseInventoryEvidence(db, view);
  const inventory = await findInventory(db, view.applicant_organization_id, view.inventory_id);
  // What the case rests on: the stored result where there is one (ADR 0014), compared with today's calculation.
  const record = await certifiedRecordOf(db, view);
  const footprint = record.stored ?? (inventory ? await inventoryFootprint(db, view.applicant_organization_id, inventory as InventoryRow) : null);
  const actions = await caseActions(db, view.id, viewer.userId, now);
  const events = actions?.events ?? [];
  const context = view.context as CertificationContext;
  const state = view.state as CertificationState;
  const assigning = events.includes("ASSIGN_TEAM") || events.includes("ASSIGN_DECIDER");
  return {
    case: {
      id: view.id,
      reference: view.reference,
      version: view.version,
      state,
      stateLabel: view.stateLabel,
      waitingFor: waitingFor(STATE_TAGS[state] ?? []),
      labelType: view.label_type,
      labelName: LABEL_NAMES[view.label_type],
      product: { id: view.product_id, zh: view.product_name_zh, en: view.product_name_en },
      applicant: { id: view.applicant_organization_id, zh: view.applicant_name_zh, en: view.applicant_name_en },
      cb: { id: view.cb_organization_id, zh: view.cb_name_zh, en: view.cb_name_en, code: view.cb_code },
      pcr: { code: view.pcr_code, version: view.pcr_version },
      declaredValue: view.declared_value,
      declaredUnit: { quantity: view.declared_unit_quantity, unit: view.declared_unit },
      createdAt: view.created_at,
      updatedAt: view.updated_at,
      closedAt: view.closed_at,
      certificate: view.certificate
        ? {
            number: view.certificate.number,
            status: view.certificate.status,
            issuedOn: view.certificate.issued_on,
            validUntil: view.certificate.valid_until,
            verifiedValue: view.certificate.verified_value,
            grade: view.certificate.grade,
          }
        : null,
      credits: view.credits,
      renewsCaseId: view.renews_case_id,
    },
    context,
    people: view.people,
    viewerSide: viewer.organizationId === view.cb_organization_id ? ("cb" as const) : ("applicant" as const),
    actions: { events, findings: actions?.findings ?? { answer: [], close: [] } },
    // The decision as taken, or what a decision taken now would rest on (the GRANT guard asks the same function).
    assessment: context.decision?.assessment ?? assessGrant(context, now.toISOString()),
    decided: context.decision !== null,
    history: history ?? [],
    stateLabels: STATE_LABELS,
    attachments,
    evidence,
    inventory: inventory
      ? {
          id: inventory.id,
          version: inventory.version,
          periodStart: inventory.period_start,
          periodEnd: inventory.period_end,
          production: `${inventory.production_quantity} ${inventory.production_unit}`,
        }
      : null,
    footprint,
    record,
    team: assigning ? await teamCandidates(db, view.cb_organization_id) : null,
    renewal: events.includes("RENEW") ? await renewalInventories(db, view) : null,
  };
}
export type CasePage = NonNullable<Awaited<ReturnType<typeof loadCasePage>>>;
