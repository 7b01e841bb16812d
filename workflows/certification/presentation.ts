import type { Bilingual } from "../../rules/i18n.ts";
import type { CertificationSnapshot } from "./case.ts";
import { certificationMachine } from "./machine.ts";
import { CERTIFICATION_EVENT_TYPES, type Actor, type CertificationEvent, type CertificationEventType, type CertificationTag } from "./types.ts";

export const CERTIFICATION_STATES = [
  "draft",
  "submitted",
  "accepted",
  "planning",
  "document_review",
  "onsite_inspection",
  "footprint_verification",
  "awaiting_applicant",
  "evaluation_and_decision",
  "issued",
  "surveillance",
  "suspended",
  "declined",
  "refused",
  "withdrawn_by_applicant",
  "withdrawn",
  "expired",
  "renewed",
] as const;
export type CertificationState = (typeof CERTIFICATION_STATES)[number];

export const STATE_LABELS: Readonly<Record<CertificationState, Bilingual>> = {
  draft: { zh: "草稿", en: "Draft" },
  submitted: { zh: "已提交", en: "Submitted" },
  accepted: { zh: "已受理", en: "Accepted" },
  planning: { zh: "审核策划", en: "Planning" },
  document_review: { zh: "文件评审", en: "Document review" },
  onsite_inspection: { zh: "现场检查", en: "On-site inspection" },
  footprint_verification: { zh: "碳足迹核查", en: "Footprint verification" },
  awaiting_applicant: { zh: "待申请方答复", en: "Awaiting the applicant" },
  evaluation_and_decision: { zh: "评价与认证决定", en: "Evaluation and decision" },
  issued: { zh: "已发证（有效）", en: "Issued (valid)" },
  surveillance: { zh: "获证后监督", en: "Surveillance" },
  suspended: { zh: "暂停", en: "Suspended" },
  declined: { zh: "不予受理", en: "Declined" },
  refused: { zh: "不予批准", en: "Refused" },
  withdrawn_by_applicant: { zh: "申请方撤回", en: "Withdrawn by the applicant" },
  withdrawn: { zh: "证书撤销", en: "Certificate withdrawn" },
  expired: { zh: "证书到期", en: "Expired" },
  renewed: { zh: "已由再认证证书取代", en: "Superseded by renewal" },
};

/** Tags of a state as the machine declares them, for inbox queries over stored state names. */
export function tagsOfState(state: CertificationState): readonly CertificationTag[] {
  return (certificationMachine.states[state]?.tags ?? []) as readonly CertificationTag[];
}

export const STATE_TAGS: Readonly<Record<CertificationState, readonly CertificationTag[]>> = Object.fromEntries(
  CERTIFICATION_STATES.map((s) => [s, tagsOfState(s)]),
) as Record<CertificationState, readonly CertificationTag[]>;

export function stateOf(snapshot: CertificationSnapshot): CertificationState {
  return snapshot.value as CertificationState;
}

/**
 * Sample events of a type with payloads that pass every payload check, so that `snapshot.can`
 * answers only "may this actor do this now". Events about a finding are tried for each finding.
 */
function candidates(type: CertificationEventType, snapshot: CertificationSnapshot, actor: Actor, at: string): CertificationEvent[] {
  const c = snapshot.context;
  const base = { actor, at };
  const fresh = `\u0000candidate:${actor.userId}`;
  switch (type) {
    case "SUBMIT":
    case "ACCEPT":
    case "START_REVIEW":
    case "COMPLETE_REVIEW":
    case "COMPLETE_VERIFICATION":
    case "GRANT":
    case "SURVEILLANCE_PASSED":
    case "RESTORE":
    case "SURVEILLANCE_DUE":
    case "EXPIRE":
      return [{ type, ...base }];
    case "DECLINE":
    case "REFUSE":
    case "SUSPEND":
    case "WITHDRAW":
    case "WITHDRAW_APPLICATION":
      return [{ type, ...base, reason: "-" }];
    case "ATTACH_DOCUMENT":
      return [{ type, ...base, attachment: { id: fresh, kind: "evidence", name: "-" } }];
    case "RECORD_CREDITS":
      return [{ type, ...base, claim: c.claim ?? { period: { start: at.slice(0, 10), end: at.slice(0, 10) }, quantity: 1 }, credits: c.credits }];
    case "ANSWER_FINDING":
      return c.findings.map((f) => ({ type, ...base, findingId: f.id, text: "-" }));
    case "CLOSE_FINDING":
      return c.findings.map((f) => ({ type, ...base, findingId: f.id }));
    case "FINDING_OVERDUE":
      return c.findings.map((f) => ({ type, ...base, findingId: f.id }));
    case "RENEW":
      return [{ type, ...base, newCaseId: fresh }];
    case "SUPERSEDE":
      return c.renewal ? [{ type, ...base, byCaseId: c.renewal.newCaseId }] : [];
    case "ASSIGN_TEAM":
      return [{ type, ...base, reviewer: `${fresh}:r`, inspector: `${fresh}:i`, verifier: `${fresh}:v` }];
    case "ASSIGN_DECIDER":
      return [{ type, ...base, decider: `${fresh}:d` }];
    case "RAISE_FINDING":
      return [{ type, ...base, finding: { id: fresh, severity: "minor", clause: "-", text: "-", dueOn: at.slice(0, 10) } }];
    case "RECORD_INSPECTION":
      return [{ type, ...base, inspection: { date: at.slice(0, 10), site: "-", attendees: [], observations: "-" } }];
    case "RECORD_VERIFICATION":
      return [{ type, ...base, kgCO2ePerDeclaredUnit: c.verification?.kgCO2ePerDeclaredUnit ?? c.declaredValue }];
  }
}

/** Listed once, in ./types.ts. */
export { CERTIFICATION_EVENT_TYPES };

/**
 * The event types this actor may send now (the buttons to draw). GRANT appears only when every
 * criterion passes. `at` is the moment asked about; it matters for EXPIRE and FINDING_OVERDUE.
 */
export function allowedEvents(snapshot: CertificationSnapshot, actor: Actor, at: string = new Date().toISOString()): CertificationEventType[] {
  return CERTIFICATION_EVENT_TYPES.filter((type) => candidates(type, snapshot, actor, at).some((e) => snapshot.can(e)));
}

/** Per finding: which ones this actor may answer or close now. */
export function findingActions(
  snapshot: CertificationSnapshot,
  actor: Actor,
  at: string = new Date().toISOString(),
): { answer: string[]; close: string[] } {
  const ids = (type: "ANSWER_FINDING" | "CLOSE_FINDING") =>
    candidates(type, snapshot, actor, at).flatMap((e) => (snapshot.can(e) && "findingId" in e ? [e.findingId] : []));
  return { answer: ids("ANSWER_FINDING"), close: ids("CLOSE_FINDING") };
}
