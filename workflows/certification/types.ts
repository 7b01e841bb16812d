import type { Bilingual } from "../../rules/i18n.ts";
import type { Criterion, LabelDecision, RetiredCredits } from "../../rules/labels/index.ts";
import type { LabelType } from "../../rules/pcr/schema.ts";

export type { LabelType, RetiredCredits };

/**
 * Roles as the platform hands them out (db `ROLES`), repeated here because workflows/ may not
 * import db/. `system` is never given to a person: only the scheduler and the host (for
 * SUPERSEDE) act with it.
 */
export const APPLICANT_ROLES = ["manufacturer_admin", "manufacturer_member"] as const;
export const CB_ROLES = ["cb_admin", "cb_reviewer", "cb_inspector", "cb_verifier", "cb_decider"] as const;
export const SYSTEM_ROLE = "system";
export type CbRole = (typeof CB_ROLES)[number];

/** Who sends an event: the user, the roles they hold in the organization they act for. */
export interface Actor {
  readonly userId: string;
  readonly roles: readonly string[];
  readonly organizationId: string;
}

export type FindingSeverity = "major" | "minor";
/** open: waiting for the applicant · answered: waiting for the CB · closed. */
export type FindingStatus = "open" | "answered" | "closed";
/** The assessment stages that may raise findings and to which an answered case returns. */
export type AssessmentStage = "document_review" | "onsite_inspection" | "footprint_verification";

export interface Finding {
  readonly id: string;
  readonly severity: FindingSeverity;
  /** Clause of the PCR or the implementing rule the finding cites, e.g. "PCR-CN-CEMENT@1.0.0 §6.1". */
  readonly clause: string;
  readonly text: string;
  /** ISO date by which the applicant must answer. */
  readonly dueOn: string;
  readonly stage: AssessmentStage;
  readonly raisedBy: string;
  readonly raisedAt: string;
  readonly status: FindingStatus;
  readonly overdue: boolean;
  readonly answer: { readonly text: string; readonly attachmentIds: readonly string[]; readonly by: string; readonly at: string } | null;
  readonly closed: { readonly by: string; readonly at: string; readonly note: string | null } | null;
}

export const ATTACHMENT_KINDS = ["inventory_report", "reduction_measures_report", "management_plan", "credit_retirement_proof", "evidence"] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export interface Attachment {
  readonly id: string;
  readonly kind: AttachmentKind;
  readonly name: string;
}

/** An earlier footprint certificate of the same product, as the host found it in the registry. */
export interface EarlierCertificate {
  readonly number: string;
  /** kg CO2e per declared unit, as verified then. */
  readonly verifiedValue: number;
  readonly pcrCode: string;
  readonly declaredUnit: { readonly quantity: number; readonly unit: string };
  readonly issuedOn: string;
}

/** CN: the claim period and the declared units produced or sold in it. */
export interface NeutralityClaim {
  readonly period: { readonly start: string; readonly end: string };
  readonly quantity: number;
}

export interface InspectionRecord {
  readonly date: string;
  readonly site: string;
  readonly attendees: readonly string[];
  readonly observations: string;
}

export interface Team {
  readonly reviewer: string | null;
  readonly inspector: string | null;
  readonly verifier: string | null;
  readonly decider: string | null;
}

/**
 * The CB users who did assessment work on the case, whatever the team says now. The decider
 * must appear in none of these lists (ISO/IEC 17065 §7.6.1), so they are never shortened.
 */
export interface Participants {
  readonly reviewers: readonly string[];
  readonly inspectors: readonly string[];
  readonly verifiers: readonly string[];
  /** Users who acted for the applicant on this case; none of them may ever act for the CB. */
  readonly applicant: readonly string[];
}

/** Every criterion the decider sees, label criteria from rules/labels plus process criteria. */
export interface GrantAssessment {
  readonly eligible: boolean;
  readonly label: LabelDecision;
  readonly process: readonly Criterion[];
  readonly assessedAt: string;
}

export interface Decision {
  readonly outcome: "granted" | "refused";
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly reason: string | null;
  /** The assessment as it stood when the decision was taken. */
  readonly assessment: GrantAssessment;
}

export interface CertificationContext {
  readonly caseId: string;
  readonly labelType: LabelType;
  readonly productId: string;
  readonly applicantOrganizationId: string;
  readonly cbOrganizationId: string;
  /** PCR codes the CB is accredited for, copied when the case is created. */
  readonly cbScope: readonly string[];
  readonly pcr: { readonly code: string; readonly version: string };
  readonly declaredUnit: { readonly quantity: number; readonly unit: string };
  /** The applicant's own result, kg CO2e per declared unit. */
  readonly declaredValue: number;
  /** Result of the PCR conformance checks on the inventory the application was made from. */
  readonly conformancePassed: boolean;
  /** RC always true; other label types as the CB's programme sets it. */
  readonly onsiteRequired: boolean;
  readonly earlierCertificates: readonly EarlierCertificate[];
  readonly attachments: readonly Attachment[];
  readonly claim: NeutralityClaim | null;
  readonly credits: readonly RetiredCredits[];
  readonly team: Team;
  readonly participants: Participants;
  readonly findings: readonly Finding[];
  /** While awaiting the applicant: the stage the case goes back to once every finding is answered. */
  readonly returnTo: AssessmentStage | null;
  readonly reviewCompleted: { readonly by: string; readonly at: string } | null;
  readonly inspection: (InspectionRecord & { readonly by: string; readonly at: string }) | null;
  readonly verification: { readonly kgCO2ePerDeclaredUnit: number; readonly note: string | null; readonly by: string; readonly at: string } | null;
  readonly assessment: GrantAssessment | null;
  readonly decision: Decision | null;
  /** Filled at GRANT; the number comes from the host's sequence when it runs the issue effect. */
  readonly certificate: { readonly issuedOn: string; readonly validUntil: string } | null;
  readonly surveillance: { readonly completed: number; readonly lastPassedAt: string | null };
  readonly suspension: { readonly reason: string; readonly by: string; readonly at: string } | null;
  readonly renewal: { readonly newCaseId: string; readonly requestedBy: string; readonly at: string } | null;
  /** Reason and actor of the step that ended the case (decline, refusal, withdrawal, expiry...). */
  readonly closure: { readonly reason: string | null; readonly by: string; readonly at: string } | null;
}

// ---- events ---------------------------------------------------------------------------------

/** Every event names its actor and the time the host received it (ISO 8601). */
interface Base<T extends string> {
  readonly type: T;
  readonly actor: Actor;
  readonly at: string;
}

export type CertificationEvent =
  // applicant
  | Base<"SUBMIT">
  | (Base<"ATTACH_DOCUMENT"> & { readonly attachment: Attachment })
  | (Base<"RECORD_CREDITS"> & { readonly claim: NeutralityClaim; readonly credits: readonly RetiredCredits[] })
  | (Base<"ANSWER_FINDING"> & { readonly findingId: string; readonly text: string; readonly attachmentIds?: readonly string[] })
  | (Base<"WITHDRAW_APPLICATION"> & { readonly reason: string })
  | (Base<"RENEW"> & { readonly newCaseId: string })
  // certification body: administration
  | Base<"ACCEPT">
  | (Base<"DECLINE"> & { readonly reason: string })
  | (Base<"ASSIGN_TEAM"> & { readonly reviewer: string; readonly inspector: string | null; readonly verifier: string })
  | (Base<"ASSIGN_DECIDER"> & { readonly decider: string })
  | Base<"START_REVIEW">
  // certification body: assessment
  | (Base<"RAISE_FINDING"> & {
      readonly finding: {
        readonly id: string;
        readonly severity: FindingSeverity;
        readonly clause: string;
        readonly text: string;
        readonly dueOn: string;
      };
    })
  | (Base<"CLOSE_FINDING"> & { readonly findingId: string; readonly note?: string })
  | Base<"COMPLETE_REVIEW">
  | (Base<"RECORD_INSPECTION"> & { readonly inspection: InspectionRecord })
  | (Base<"RECORD_VERIFICATION"> & { readonly kgCO2ePerDeclaredUnit: number; readonly note?: string })
  | Base<"COMPLETE_VERIFICATION">
  // certification body: decision and after
  | (Base<"GRANT"> & { readonly note?: string })
  | (Base<"REFUSE"> & { readonly reason: string })
  | (Base<"SURVEILLANCE_PASSED"> & { readonly note?: string })
  | (Base<"SUSPEND"> & { readonly reason: string })
  | (Base<"RESTORE"> & { readonly note?: string })
  | (Base<"WITHDRAW"> & { readonly reason: string })
  // scheduler and host (role `system`)
  | Base<"SURVEILLANCE_DUE">
  | Base<"EXPIRE">
  | (Base<"FINDING_OVERDUE"> & { readonly findingId: string })
  | (Base<"SUPERSEDE"> & { readonly byCaseId: string });

export type CertificationEventType = CertificationEvent["type"];

/**
 * The event types, listed once. Users send the applicant's and the body's lists through the case
 * page; the scheduler and the host send the system list. The checks below fail to compile if a
 * type is added to the union above and not here, or listed here and not in the union.
 */
export const APPLICANT_EVENT_TYPES = [
  "SUBMIT",
  "ATTACH_DOCUMENT",
  "RECORD_CREDITS",
  "ANSWER_FINDING",
  "WITHDRAW_APPLICATION",
  "RENEW",
] as const satisfies readonly CertificationEventType[];
/** The body's assessment work: whoever sent one may not decide the case (separation of duties). */
export const ASSESSMENT_EVENT_TYPES = [
  "RAISE_FINDING",
  "CLOSE_FINDING",
  "COMPLETE_REVIEW",
  "RECORD_INSPECTION",
  "RECORD_VERIFICATION",
  "COMPLETE_VERIFICATION",
] as const satisfies readonly CertificationEventType[];
/** What the certification body's people send, in the order a case meets them. */
export const BODY_EVENT_TYPES = [
  "ACCEPT",
  "DECLINE",
  "ASSIGN_TEAM",
  "ASSIGN_DECIDER",
  "START_REVIEW",
  ...ASSESSMENT_EVENT_TYPES,
  "GRANT",
  "REFUSE",
  "SURVEILLANCE_PASSED",
  "SUSPEND",
  "RESTORE",
  "WITHDRAW",
] as const satisfies readonly CertificationEventType[];
export const USER_EVENT_TYPES = [...APPLICANT_EVENT_TYPES, ...BODY_EVENT_TYPES] as const;
export const SYSTEM_EVENT_TYPES = ["SURVEILLANCE_DUE", "EXPIRE", "FINDING_OVERDUE", "SUPERSEDE"] as const satisfies readonly CertificationEventType[];
export const CERTIFICATION_EVENT_TYPES: readonly CertificationEventType[] = [...USER_EVENT_TYPES, ...SYSTEM_EVENT_TYPES];
export type UserEventType = (typeof USER_EVENT_TYPES)[number];
type ListedEventType = UserEventType | (typeof SYSTEM_EVENT_TYPES)[number];
// Compile-time completeness: every type of the union is listed.
const everyEventTypeListed: Record<Exclude<CertificationEventType, ListedEventType>, never> = {};
void everyEventTypeListed;
export type CertificationEventOf<T extends CertificationEventType> = Extract<CertificationEvent, { type: T }>;

// ---- effects --------------------------------------------------------------------------------

/** Who a notification is for: an organization, optionally narrowed to users or roles in it. */
export interface Recipients {
  readonly organizationId: string;
  readonly userIds?: readonly string[];
  readonly roles?: readonly string[];
}

export const NOTIFICATION_TOPICS = [
  "case_submitted",
  "case_accepted",
  "case_declined",
  "team_assigned",
  "finding_raised",
  "finding_answered",
  "finding_overdue",
  "ready_for_decision",
  "decision_granted",
  "decision_refused",
  "application_withdrawn",
  "surveillance_due",
  "certificate_suspended",
  "certificate_restored",
  "certificate_withdrawn",
  "certificate_expired",
  "renewal_requested",
] as const;
export type NotificationTopic = (typeof NOTIFICATION_TOPICS)[number];

export type CertificateStatus = "suspended" | "valid" | "withdrawn" | "expired" | "superseded";

/**
 * Work the host runs after its transaction commits, read from the actions `transition()`
 * returns (see `effectsOf`). Each carries what an idempotent runner needs.
 */
export type CertificationEffect =
  | {
      readonly type: "effect.notify";
      readonly caseId: string;
      readonly topic: NotificationTopic;
      readonly to: Recipients;
      readonly message: Bilingual;
    }
  | {
      readonly type: "effect.issue_certificate";
      readonly caseId: string;
      readonly labelType: LabelType;
      readonly cbOrganizationId: string;
      readonly productId: string;
      readonly pcr: { readonly code: string; readonly version: string };
      readonly declaredUnit: { readonly quantity: number; readonly unit: string };
      readonly verifiedKgCO2ePerDeclaredUnit: number;
      readonly grade: string | null;
      readonly issuedOn: string;
      readonly validUntil: string;
      readonly decidedBy: string;
    }
  | { readonly type: "effect.certificate_status"; readonly caseId: string; readonly status: CertificateStatus; readonly reason: string | null }
  | { readonly type: "effect.open_renewal_case"; readonly caseId: string; readonly newCaseId: string; readonly requestedBy: string };

export type CertificationTag = "open" | "certified" | "final" | "cb_action" | "applicant_action" | "in_assessment" | `role:${CbRole}`;
