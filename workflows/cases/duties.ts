/**
 * The server's own check of who may send an event, made before the machine is asked and from
 * different evidence: memberships as they are now and the event log as it was written, where the
 * machine only sees its snapshot. Either one alone would refuse a forged request; both must agree
 * before anything is written.
 *
 * - Applicant events come from a manufacturer role of the applicant organization; certification
 *   body events from a CB role of the case's body; scheduler events only from the system.
 * - Nobody who ever acted for the applicant on this case acts for the CB on it.
 * - The decision maker took no part in review, inspection or verification of the case (ISO/IEC
 *   17065 §7.6.1), by the log as well as by the team in the snapshot.
 * - Assignees are members of the case's CB holding the seat's role.
 */
import type { Transaction } from "kysely";
import { APPLICANT_ROLES, CB_ROLES, type CertificationEventType } from "../certification/types.ts";
import type { CertificationSnapshot } from "../certification/case.ts";
import type { DB } from "../../db/schema.ts";
import { eventsOfUserOnCase, usersWhoActedFor, usersWhoLogged } from "../../db/repositories/case-events.ts";
import { activeMembersAmong } from "../../db/repositories/case-people.ts";
import type { ResolvedActor } from "./actors.ts";
import { CaseInputError, EventNotAllowedError, type CaseMessageKey, type FieldIssue } from "./errors.ts";
import { ASSESSMENT_EVENTS, sideOf } from "./events.ts";

export interface CaseParties {
  readonly id: string;
  readonly state: string;
  readonly applicant_organization_id: string;
  readonly cb_organization_id: string;
}

const hasAny = (roles: readonly string[], wanted: readonly string[]) => roles.some((r) => wanted.includes(r));

/** The refusal for this actor and event type, before any payload is looked at; null when the server has no objection. */
export async function serverRefusal(
  trx: Transaction<DB>,
  c: CaseParties,
  snapshot: CertificationSnapshot,
  actor: ResolvedActor,
  type: CertificationEventType,
): Promise<EventNotAllowedError | null> {
  const refuse = (reason: "actor" | "separation_of_duties") => new EventNotAllowedError(c.id, type, c.state, reason);
  const side = sideOf(type);
  if (side === "system") return actor.system ? null : refuse("actor");
  if (actor.system || !actor.userId) return refuse("actor");

  if (side === "applicant") {
    return actor.organizationId === c.applicant_organization_id && hasAny(actor.roles, APPLICANT_ROLES) ? null : refuse("actor");
  }
  if (actor.organizationId !== c.cb_organization_id || actor.organizationId === c.applicant_organization_id || !hasAny(actor.roles, CB_ROLES)) {
    return refuse("actor");
  }
  const log = await loggedParts(trx, c.id, actor.userId);
  if (log.actedForApplicant) return refuse("separation_of_duties");
  if (type === "GRANT" || type === "REFUSE") {
    const { reviewer, inspector, verifier } = snapshot.context.team;
    if (log.assessed || [reviewer, inspector, verifier].includes(actor.userId)) return refuse("separation_of_duties");
  }
  return null;
}

/** What the log says this user did on the case: acted for the applicant, did assessment work. */
async function loggedParts(trx: Transaction<DB>, caseId: string, userId: string) {
  const rows = await eventsOfUserOnCase(trx, caseId, userId);
  return {
    actedForApplicant: rows.some((r) => r.actor_organization_id === r.applicant_organization_id),
    assessed: rows.some((r) => ASSESSMENT_EVENTS.includes(r.event_type as CertificationEventType)),
  };
}

/** Assessors by the log and by the team seats: nobody among them may be the decider. */
async function assessorsOf(trx: Transaction<DB>, caseId: string, snapshot: CertificationSnapshot): Promise<Set<string>> {
  const logged = await usersWhoLogged(trx, caseId, ASSESSMENT_EVENTS);
  const { reviewer, inspector, verifier } = snapshot.context.team;
  return new Set([...logged, reviewer, inspector, verifier].filter((u): u is string => u !== null));
}

async function applicantActors(trx: Transaction<DB>, c: CaseParties): Promise<Set<string>> {
  return new Set(await usersWhoActedFor(trx, c.id, c.applicant_organization_id));
}

const SEAT_ROLES = { reviewer: "cb_reviewer", inspector: "cb_inspector", verifier: "cb_verifier", decider: "cb_decider" } as const;
/** The seat's own message, since the role's name is part of the sentence in both languages. */
const NOT_IN_SEAT = {
  reviewer: "case.issue.notReviewer",
  inspector: "case.issue.notInspector",
  verifier: "case.issue.notVerifier",
  decider: "case.issue.notDecider",
} as const satisfies Record<keyof typeof SEAT_ROLES, CaseMessageKey>;

/** ASSIGN_TEAM and ASSIGN_DECIDER: every assignee holds the seat's role at the case's CB, and duties stay separate. */
export async function checkAssignment(
  trx: Transaction<DB>,
  c: CaseParties,
  snapshot: CertificationSnapshot,
  seats: Partial<Record<keyof typeof SEAT_ROLES, string | null>>,
): Promise<void> {
  const chosen = Object.entries(seats).filter((e): e is [keyof typeof SEAT_ROLES, string] => typeof e[1] === "string");
  if (chosen.length === 0) return;
  // A deactivated member (off-boarded) holds no seat, whatever roles the membership still lists.
  const members = await activeMembersAmong(
    trx,
    c.cb_organization_id,
    chosen.map(([, u]) => u),
  );
  const applicant = await applicantActors(trx, c);
  const assessors = "decider" in seats ? await assessorsOf(trx, c.id, snapshot) : new Set<string>();
  const issues: FieldIssue[] = [];
  for (const [seat, userId] of chosen) {
    const member = members.find((m) => m.user_id === userId);
    if (!member || !member.roles.includes(SEAT_ROLES[seat])) {
      issues.push({ field: seat, rule: "role", key: NOT_IN_SEAT[seat] });
    } else if (applicant.has(userId)) {
      issues.push({ field: seat, rule: "separation_of_duties", key: "case.issue.actedForApplicant" });
    } else if (seat === "decider" && assessors.has(userId)) {
      issues.push({ field: seat, rule: "separation_of_duties", key: "case.issue.deciderAssessed" });
    } else if (seat !== "decider" && snapshot.context.team.decider === userId) {
      issues.push({ field: seat, rule: "separation_of_duties", key: "case.issue.isDecider" });
    }
  }
  if (issues.length > 0) throw new CaseInputError(issues);
}
