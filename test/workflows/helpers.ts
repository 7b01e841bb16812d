import { step, startCase, type CertificationSnapshot, type NewCase } from "../../workflows/certification/case.ts";
import type { Actor, CertificationEvent, EarlierCertificate, LabelType, RetiredCredits } from "../../workflows/certification/types.ts";

export const MAKER = "org-maker";
export const CB = "org-cb";
export const OTHER_CB = "org-cb-other";
export const CEMENT = { code: "PCR-CN-CEMENT", version: "1.0.0" } as const;

const actor = (userId: string, organizationId: string, ...roles: string[]): Actor => ({ userId, roles, organizationId });

export const A = {
  applicant: actor("u-maker", MAKER, "manufacturer_admin"),
  applicantMember: actor("u-maker-2", MAKER, "manufacturer_member"),
  /** A user of the applicant organization who also holds CB roles there: never acts for the CB. */
  applicantWithCbRoles: actor("u-maker", MAKER, "cb_admin", "cb_reviewer", "cb_decider"),
  /** The same person as `applicant`, signed in for the CB: refused once they acted for the applicant. */
  applicantAtCb: actor("u-maker", CB, "cb_admin", "cb_reviewer", "cb_decider"),
  cbAdmin: actor("u-admin", CB, "cb_admin"),
  reviewer: actor("u-rev", CB, "cb_reviewer"),
  inspector: actor("u-insp", CB, "cb_inspector"),
  /** Holds the decider role as well: separation of duties, not roles, must stop them deciding. */
  verifier: actor("u-ver", CB, "cb_verifier", "cb_decider"),
  decider: actor("u-dec", CB, "cb_decider"),
  otherCbAdmin: actor("u-other", OTHER_CB, "cb_admin", "cb_decider"),
  system: actor("scheduler", "platform", "system"),
} as const;

export const T0 = "2026-03-02T09:00:00.000Z";
export const T_LATER = "2026-04-15T09:00:00.000Z";
/** After any validity a test case can have. */
export const T_FAR = "2031-06-01T00:00:00.000Z";

export const EARLIER: readonly EarlierCertificate[] = [
  { number: "CB1-CF-2023-0001", verifiedValue: 800, pcrCode: CEMENT.code, declaredUnit: { quantity: 1, unit: "t" }, issuedOn: "2023-05-10" },
  { number: "CB1-CF-2024-0007", verifiedValue: 700, pcrCode: CEMENT.code, declaredUnit: { quantity: 1, unit: "t" }, issuedOn: "2024-05-20" },
];

export const CLAIM = { period: { start: "2025-01-01", end: "2025-12-31" }, quantity: 1000 } as const;
/** 600 kg/t × 1000 t = 600 t to neutralise. */
export const COVERING_CREDITS: readonly RetiredCredits[] = [
  { registry: "CCER", programme: "CCER", serialPrefix: "CCER-2024-", first: 1, last: 600, vintage: 2024, retiredOn: "2026-02-01" },
];
export const SHORT_CREDITS: readonly RetiredCredits[] = [
  { registry: "CCER", programme: "CCER", serialPrefix: "CCER-2024-", first: 1, last: 599, vintage: 2024, retiredOn: "2026-02-01" },
];

export function newCase(labelType: LabelType, overrides: Partial<NewCase> = {}): NewCase {
  return {
    caseId: `case-${labelType}`,
    labelType,
    productId: "prod-cement-po425",
    applicantOrganizationId: MAKER,
    cbOrganizationId: CB,
    cbScope: [CEMENT.code, "PCR-CN-STEEL-EAF"],
    pcr: CEMENT,
    declaredValue: 610,
    conformancePassed: true,
    onsiteRequired: labelType === "RC",
    earlierCertificates: labelType === "RC" ? EARLIER : [],
    attachments:
      labelType === "RC"
        ? [{ id: "att-rc", kind: "reduction_measures_report", name: "reduction.pdf" }]
        : labelType === "CN"
          ? [{ id: "att-plan", kind: "management_plan", name: "plan.pdf" }]
          : [],
    claim: labelType === "CN" ? CLAIM : null,
    credits: labelType === "CN" ? COVERING_CREDITS : [],
    ...overrides,
  };
}

type Payload<E> = E extends CertificationEvent ? Omit<E, "actor" | "at"> : never;
/** An event with its actor and time. */
export function ev(actor: Actor, payload: Payload<CertificationEvent>, at: string = T0): CertificationEvent {
  return { ...payload, actor, at } as CertificationEvent;
}

/** Sends each event and fails, naming the state and event, on the first one the machine refuses. */
export function drive(snapshot: CertificationSnapshot, events: readonly CertificationEvent[]): CertificationSnapshot {
  let current = snapshot;
  for (const event of events) {
    const result = step(current, event);
    if (!result.accepted) throw new Error(`${String(current.value)} refused ${event.type} by ${event.actor.userId}`);
    current = result.snapshot;
  }
  return current;
}

export const submitAndPlan = (): CertificationEvent[] => [
  ev(A.applicant, { type: "SUBMIT" }),
  ev(A.cbAdmin, { type: "ACCEPT" }),
  ev(A.cbAdmin, { type: "ASSIGN_TEAM", reviewer: "u-rev", inspector: "u-insp", verifier: "u-ver" }),
  ev(A.cbAdmin, { type: "ASSIGN_DECIDER", decider: "u-dec" }),
  ev(A.reviewer, { type: "START_REVIEW" }),
];

/** Draft to evaluation_and_decision, with the inspection when the case requires it. */
export function toDecision(c: NewCase, verified = 600): CertificationSnapshot {
  const onsite = c.labelType === "RC" || c.onsiteRequired !== false;
  return drive(startCase(c), [
    ...submitAndPlan(),
    ev(A.reviewer, { type: "COMPLETE_REVIEW" }),
    ...(onsite
      ? [
          ev(A.inspector, {
            type: "RECORD_INSPECTION",
            inspection: { date: "2026-03-05", site: "Plant 1", attendees: ["QA lead"], observations: "Kiln meters calibrated" },
          }),
        ]
      : []),
    ev(A.verifier, { type: "RECORD_VERIFICATION", kgCO2ePerDeclaredUnit: verified }),
    ev(A.verifier, { type: "COMPLETE_VERIFICATION" }),
  ]);
}
