import { and, assign, emit, not, or, setup, type ActionArgs } from "xstate";
import { bi, type Bilingual } from "../../rules/i18n.ts";
import { assessGrant, certificateValidUntil, onsiteRequired } from "./assessment.ts";
import {
  APPLICANT_ROLES,
  SYSTEM_ROLE,
  type Actor,
  type AssessmentStage,
  type CbRole,
  type CertificationContext,
  type CertificationEffect,
  type CertificationEvent,
  type CertificationEventOf,
  type CertificationEventType,
  type CertificationTag,
  type Finding,
  type NotificationTopic,
  type Participants,
  type Recipients,
} from "./types.ts";

/**
 * The certification lifecycle shared by the four label types (DESIGN.md §5, CNCA 2025 general
 * implementing rule, ISO/IEC 17065 §7). Label types differ only in guards: GRANT asks
 * rules/labels whether the type's criteria hold, and RC always needs the on-site inspection.
 *
 * Pure: every guard reads only context and event; every action either assigns context or emits
 * an effect. Effects are emitted (`emit`) rather than kept in context because an emitted event
 * belongs to exactly one transition: `transition()` hands it to the host in its action list, the
 * host writes it to the outbox in the same transaction as the snapshot, and nothing in the
 * persisted snapshot can make a restored case run it again. Time comes in on the events (`at`)
 * and the scheduler sends the time-driven events, so there is no `after` and no `invoke`.
 */
export const CERTIFICATION_MACHINE_ID = "certification";
export const CERTIFICATION_MACHINE_VERSION = 1;
export const CERTIFICATION_MACHINE_KEY = `${CERTIFICATION_MACHINE_ID}.v${CERTIFICATION_MACHINE_VERSION}` as const;

type Args = ActionArgs<CertificationContext, CertificationEvent, CertificationEvent>;
type Seat = "reviewer" | "inspector" | "verifier" | "decider";
type Audience = "applicant" | "cb_admin" | "team" | "decider";

/** The event as the transition's own type; the machine only routes an event where its type is handled. */
function as<T extends CertificationEventType>(event: CertificationEvent, _type: T): CertificationEventOf<T> {
  return event as CertificationEventOf<T>;
}

const dateOf = (at: string) => at.slice(0, 10);
const add = (list: readonly string[], userId: string) => (list.includes(userId) ? list : [...list, userId]);
const hasRole = (actor: Actor, roles: readonly string[]) => actor.roles.some((r) => roles.includes(r));

/** Everyone who has done assessment work on the case or sits on its assessment team. */
function assessors(context: CertificationContext): Set<string> {
  const { reviewer, inspector, verifier } = context.team;
  const p = context.participants;
  return new Set([reviewer, inspector, verifier, ...p.reviewers, ...p.inspectors, ...p.verifiers].filter((u): u is string => u !== null));
}

/** A CB user acting for the case's CB, never someone who acted for the applicant here. */
function actsForCb(context: CertificationContext, actor: Actor, roles: readonly CbRole[]): boolean {
  return (
    actor.organizationId === context.cbOrganizationId &&
    actor.organizationId !== context.applicantOrganizationId &&
    !context.participants.applicant.includes(actor.userId) &&
    hasRole(actor, roles)
  );
}

function sits(context: CertificationContext, actor: Actor, seat: Seat): boolean {
  return context.team[seat] === actor.userId && actsForCb(context, actor, [`cb_${seat}`]);
}

const seatOfStage: Record<AssessmentStage, Exclude<Seat, "decider">> = {
  document_review: "reviewer",
  onsite_inspection: "inspector",
  footprint_verification: "verifier",
};
const participantList: Record<Exclude<Seat, "decider">, keyof Omit<Participants, "applicant">> = {
  reviewer: "reviewers",
  inspector: "inspectors",
  verifier: "verifiers",
};

function withParticipant(context: CertificationContext, seat: Exclude<Seat, "decider">, userId: string): Participants {
  const list = participantList[seat];
  return { ...context.participants, [list]: add(context.participants[list], userId) };
}

function recipients(context: CertificationContext, audience: Audience): Recipients {
  const cb = context.cbOrganizationId;
  switch (audience) {
    case "applicant":
      return { organizationId: context.applicantOrganizationId };
    case "cb_admin":
      return { organizationId: cb, roles: ["cb_admin"] };
    case "team": {
      const { reviewer, inspector, verifier } = context.team;
      return { organizationId: cb, userIds: [reviewer, inspector, verifier].filter((u): u is string => u !== null) };
    }
    case "decider":
      return context.team.decider ? { organizationId: cb, userIds: [context.team.decider] } : { organizationId: cb, roles: ["cb_admin"] };
  }
}

const TOPIC_MESSAGES: Record<NotificationTopic, Bilingual> = {
  case_submitted: bi("收到新的认证申请", "A new certification application arrived"),
  case_accepted: bi("认证申请已受理", "The application was accepted"),
  case_declined: bi("认证申请未被受理", "The application was declined"),
  team_assigned: bi("已指派审核组", "An assessment team was assigned"),
  finding_raised: bi("审核发现不符合项，请答复", "A finding was raised and awaits your answer"),
  finding_answered: bi("申请方已答复不符合项", "The applicant answered a finding"),
  finding_overdue: bi("不符合项答复已逾期", "A finding is overdue"),
  ready_for_decision: bi("案件待评价与决定", "The case is ready for evaluation and decision"),
  decision_granted: bi("认证决定：批准", "Certification decision: granted"),
  decision_refused: bi("认证决定：不予批准", "Certification decision: refused"),
  application_withdrawn: bi("申请方已撤回申请", "The applicant withdrew the application"),
  surveillance_due: bi("获证后监督到期", "Surveillance is due"),
  certificate_suspended: bi("证书已暂停", "The certificate was suspended"),
  certificate_restored: bi("证书已恢复", "The certificate was restored"),
  certificate_withdrawn: bi("证书已撤销", "The certificate was withdrawn"),
  certificate_expired: bi("证书已到期", "The certificate expired"),
  renewal_requested: bi("已申请再认证", "Renewal was requested"),
};

function notification(context: CertificationContext, topic: NotificationTopic, audience: Audience): CertificationEffect {
  return { type: "effect.notify", caseId: context.caseId, topic, to: recipients(context, audience), message: TOPIC_MESSAGES[topic] };
}

function withFinding(context: CertificationContext, event: CertificationEvent, stage: AssessmentStage) {
  const e = as(event, "RAISE_FINDING");
  const finding: Finding = {
    ...e.finding,
    stage,
    raisedBy: e.actor.userId,
    raisedAt: e.at,
    status: "open",
    overdue: false,
    answer: null,
    closed: null,
  };
  return { findings: [...context.findings, finding], returnTo: stage, participants: withParticipant(context, seatOfStage[stage], e.actor.userId) };
}

/** Closes the case with the reason the ending event gave (if any). */
function closure({ event }: Args) {
  const reason = "reason" in event ? event.reason : null;
  return { reason, by: event.actor.userId, at: event.at };
}

const certificationSetup = setup({
  types: {
    context: {} as CertificationContext,
    input: {} as CertificationContext,
    events: {} as CertificationEvent,
    emitted: {} as CertificationEffect,
    tags: {} as CertificationTag,
  },
  guards: {
    // ---- who ----
    applicant: ({ context, event }) =>
      event.actor.organizationId === context.applicantOrganizationId &&
      event.actor.organizationId !== context.cbOrganizationId &&
      hasRole(event.actor, APPLICANT_ROLES) &&
      !assessors(context).has(event.actor.userId) &&
      context.team.decider !== event.actor.userId,
    cbAdmin: ({ context, event }) => actsForCb(context, event.actor, ["cb_admin"]),
    cbAdminOrDecider: ({ context, event }) => actsForCb(context, event.actor, ["cb_admin", "cb_decider"]),
    surveillanceStaff: ({ context, event }) => actsForCb(context, event.actor, ["cb_admin", "cb_reviewer", "cb_inspector"]),
    assignedReviewer: ({ context, event }) => sits(context, event.actor, "reviewer"),
    assignedInspector: ({ context, event }) => sits(context, event.actor, "inspector"),
    assignedVerifier: ({ context, event }) => sits(context, event.actor, "verifier"),
    assignedDecider: ({ context, event }) => sits(context, event.actor, "decider"),
    /** Closing a finding is assessment work: any seat of the team, with that seat's role. */
    teamAssessor: ({ context, event }) => (["reviewer", "inspector", "verifier"] as const).some((seat) => sits(context, event.actor, seat)),
    system: ({ event }) => event.actor.roles.includes(SYSTEM_ROLE),
    /** Separation of duties: the decider took no part in review, inspection or verification. */
    actorIndependent: ({ context, event }) => !assessors(context).has(event.actor.userId),

    // ---- what ----
    applicationComplete: ({ context }) => Number.isFinite(context.declaredValue) && context.declaredValue > 0,
    pcrInScope: ({ context }) => context.cbScope.includes(context.pcr.code),
    isCarbonNeutral: ({ context }) => context.labelType === "CN",
    attachmentNew: ({ context, event }) => !context.attachments.some((a) => a.id === as(event, "ATTACH_DOCUMENT").attachment.id),
    teamValid: ({ context, event }) => {
      const e = as(event, "ASSIGN_TEAM");
      const seats = [e.reviewer, e.verifier, ...(e.inspector ? [e.inspector] : [])];
      if (seats.some((u) => u.length === 0)) return false;
      if (onsiteRequired(context) && !e.inspector) return false;
      return seats.every((u) => u !== context.team.decider && !context.participants.applicant.includes(u));
    },
    deciderValid: ({ context, event }) => {
      const { decider } = as(event, "ASSIGN_DECIDER");
      return decider.length > 0 && !assessors(context).has(decider) && !context.participants.applicant.includes(decider);
    },
    teamAssigned: ({ context }) =>
      context.team.reviewer !== null && context.team.verifier !== null && (!onsiteRequired(context) || context.team.inspector !== null),
    onsiteRequired: ({ context }) => onsiteRequired(context),
    findingNew: ({ context, event }) => !context.findings.some((f) => f.id === as(event, "RAISE_FINDING").finding.id),
    findingOpen: ({ context, event }) => {
      const id = event.type === "ANSWER_FINDING" || event.type === "FINDING_OVERDUE" ? event.findingId : null;
      return context.findings.some((f) => f.id === id && f.status === "open");
    },
    /** The answer to the last open finding sends the case back to its stage. */
    lastOpenFinding: ({ context, event }) => {
      const open = context.findings.filter((f) => f.status === "open");
      return open.length === 1 && open[0]?.id === as(event, "ANSWER_FINDING").findingId;
    },
    assessorOfReturnStage: ({ context, event }) => context.returnTo !== null && sits(context, event.actor, seatOfStage[context.returnTo]),
    returnsToReview: ({ context }) => context.returnTo === "document_review",
    returnsToInspection: ({ context }) => context.returnTo === "onsite_inspection",
    returnsToVerification: ({ context }) => context.returnTo === "footprint_verification",
    findingAnswered: ({ context, event }) => context.findings.some((f) => f.id === as(event, "CLOSE_FINDING").findingId && f.status === "answered"),
    findingPastDue: ({ context, event }) => {
      const finding = context.findings.find((f) => f.id === as(event, "FINDING_OVERDUE").findingId);
      return finding !== undefined && !finding.overdue && dateOf(event.at) > finding.dueOn;
    },
    valuePositive: ({ event }) => {
      const v = as(event, "RECORD_VERIFICATION").kgCO2ePerDeclaredUnit;
      return Number.isFinite(v) && v > 0;
    },
    verificationRecorded: ({ context }) => context.verification !== null,
    grantable: ({ context, event }) => assessGrant(context, event.at).eligible,
    validityEnded: ({ context, event }) => context.certificate !== null && dateOf(event.at) > context.certificate.validUntil,
    noRenewalYet: ({ context }) => context.renewal === null,
    renewalCase: ({ context, event }) => context.renewal !== null && context.renewal.newCaseId === as(event, "SUPERSEDE").byCaseId,
  },
  actions: {
    // ---- context ----
    noteApplicantActor: assign({
      participants: ({ context, event }) => ({ ...context.participants, applicant: add(context.participants.applicant, event.actor.userId) }),
    }),
    storeAttachment: assign({ attachments: ({ context, event }) => [...context.attachments, as(event, "ATTACH_DOCUMENT").attachment] }),
    storeCredits: assign(({ event }) => {
      const e = as(event, "RECORD_CREDITS");
      return { claim: e.claim, credits: e.credits };
    }),
    storeTeam: assign({
      team: ({ context, event }) => {
        const e = as(event, "ASSIGN_TEAM");
        return { ...context.team, reviewer: e.reviewer, inspector: e.inspector, verifier: e.verifier };
      },
    }),
    storeDecider: assign({ team: ({ context, event }) => ({ ...context.team, decider: as(event, "ASSIGN_DECIDER").decider }) }),
    addFinding: assign(({ context, event }, params: { stage: AssessmentStage }) => withFinding(context, event, params.stage)),
    /** A further finding while the applicant is answering: it belongs to the stage the case returns to. */
    addFurtherFinding: assign(({ context, event }) => withFinding(context, event, context.returnTo ?? "document_review")),
    storeAnswer: assign({
      findings: ({ context, event }) => {
        const e = as(event, "ANSWER_FINDING");
        const answer = { text: e.text, attachmentIds: e.attachmentIds ?? [], by: e.actor.userId, at: e.at };
        return context.findings.map((f) => (f.id === e.findingId ? { ...f, status: "answered" as const, answer } : f));
      },
    }),
    clearReturn: assign({ returnTo: null }),
    closeFinding: assign(({ context, event }) => {
      const e = as(event, "CLOSE_FINDING");
      const seat = (["reviewer", "inspector", "verifier"] as const).find((s) => sits(context, e.actor, s)) ?? "reviewer";
      return {
        findings: context.findings.map((f) =>
          f.id === e.findingId ? { ...f, status: "closed" as const, closed: { by: e.actor.userId, at: e.at, note: e.note ?? null } } : f,
        ),
        participants: withParticipant(context, seat, e.actor.userId),
      };
    }),
    markOverdue: assign({
      findings: ({ context, event }) => context.findings.map((f) => (f.id === as(event, "FINDING_OVERDUE").findingId ? { ...f, overdue: true } : f)),
    }),
    completeReview: assign(({ context, event }) => ({
      reviewCompleted: { by: event.actor.userId, at: event.at },
      participants: withParticipant(context, "reviewer", event.actor.userId),
    })),
    storeInspection: assign(({ context, event }) => {
      const e = as(event, "RECORD_INSPECTION");
      return { inspection: { ...e.inspection, by: e.actor.userId, at: e.at }, participants: withParticipant(context, "inspector", e.actor.userId) };
    }),
    storeVerification: assign(({ context, event }) => {
      const e = as(event, "RECORD_VERIFICATION");
      return {
        verification: { kgCO2ePerDeclaredUnit: e.kgCO2ePerDeclaredUnit, note: e.note ?? null, by: e.actor.userId, at: e.at },
        participants: withParticipant(context, "verifier", e.actor.userId),
      };
    }),
    assess: assign({ assessment: ({ context, event }) => assessGrant(context, event.at) }),
    decide: assign(({ context, event }, params: { outcome: "granted" | "refused" }) => {
      const assessment = assessGrant(context, event.at);
      const reason = event.type === "REFUSE" ? event.reason : event.type === "GRANT" ? (event.note ?? null) : null;
      const decision = { outcome: params.outcome, decidedBy: event.actor.userId, decidedAt: event.at, reason, assessment };
      if (params.outcome === "refused") return { assessment, decision, closure: { reason, by: event.actor.userId, at: event.at } };
      const issuedOn = dateOf(event.at);
      return { assessment, decision, certificate: { issuedOn, validUntil: certificateValidUntil(context, issuedOn) } };
    }),
    passSurveillance: assign({
      surveillance: ({ context, event }) => ({ completed: context.surveillance.completed + 1, lastPassedAt: event.at }),
    }),
    suspend: assign({ suspension: ({ event }) => ({ reason: as(event, "SUSPEND").reason, by: event.actor.userId, at: event.at }) }),
    restore: assign({ suspension: null }),
    recordRenewal: assign({ renewal: ({ event }) => ({ newCaseId: as(event, "RENEW").newCaseId, requestedBy: event.actor.userId, at: event.at }) }),
    close: assign({ closure: (args) => closure(args as Args) }),

    // ---- effects ----
    notify: emit(({ context }, params: { topic: NotificationTopic; to: Audience }) => notification(context, params.topic, params.to)),
    issueCertificate: emit(({ context }) => {
      const { decision, certificate, verification } = context;
      if (!decision || !certificate || !verification) throw new Error("issueCertificate runs only after a grant");
      return {
        type: "effect.issue_certificate" as const,
        caseId: context.caseId,
        labelType: context.labelType,
        cbOrganizationId: context.cbOrganizationId,
        productId: context.productId,
        pcr: context.pcr,
        declaredUnit: context.declaredUnit,
        verifiedKgCO2ePerDeclaredUnit: verification.kgCO2ePerDeclaredUnit,
        grade: decision.assessment.label.grade?.grade ?? null,
        issuedOn: certificate.issuedOn,
        validUntil: certificate.validUntil,
        decidedBy: decision.decidedBy,
      };
    }),
    certificateStatus: emit(({ context, event }, params: { status: "suspended" | "valid" | "withdrawn" | "expired" | "superseded" }) => ({
      type: "effect.certificate_status" as const,
      caseId: context.caseId,
      status: params.status,
      reason: "reason" in event ? event.reason : null,
    })),
    openRenewalCase: emit(({ context, event }) => ({
      type: "effect.open_renewal_case" as const,
      caseId: context.caseId,
      newCaseId: as(event, "RENEW").newCaseId,
      requestedBy: event.actor.userId,
    })),
  },
});

/** Applicant documents and credits, accepted until the verification is complete. */
const applicantDocuments = {
  ATTACH_DOCUMENT: { guard: and(["applicant", "attachmentNew"]), actions: ["noteApplicantActor", "storeAttachment"] },
  RECORD_CREDITS: { guard: and(["applicant", "isCarbonNeutral"]), actions: ["noteApplicantActor", "storeCredits"] },
} as const;

/** Before the decision the applicant may withdraw; `to` is who hears of it. */
const withdrawApplication = (to: Audience) =>
  ({
    target: "withdrawn_by_applicant",
    guard: "applicant",
    actions: ["noteApplicantActor", "close", { type: "notify", params: { topic: "application_withdrawn", to } }],
  }) as const;

const assignDecider = { guard: and(["cbAdmin", "deciderValid"]), actions: "storeDecider" } as const;
const closeFinding = { guard: and(["teamAssessor", "findingAnswered"]), actions: "closeFinding" } as const;

/** Ends of a certificate's life, valid or suspended. */
const certificateEnds = {
  WITHDRAW: {
    target: "withdrawn",
    guard: "cbAdminOrDecider",
    actions: [
      "close",
      { type: "certificateStatus", params: { status: "withdrawn" } },
      { type: "notify", params: { topic: "certificate_withdrawn", to: "applicant" } },
    ],
  },
  EXPIRE: {
    target: "expired",
    guard: and(["system", "validityEnded"]),
    actions: [
      "close",
      { type: "certificateStatus", params: { status: "expired" } },
      { type: "notify", params: { topic: "certificate_expired", to: "applicant" } },
    ],
  },
} as const;

/** What may happen to a valid certificate (issued, under surveillance). */
const validCertificate = {
  SUSPEND: {
    target: "suspended",
    guard: "cbAdminOrDecider",
    actions: [
      "suspend",
      { type: "certificateStatus", params: { status: "suspended" } },
      { type: "notify", params: { topic: "certificate_suspended", to: "applicant" } },
    ],
  },
  ...certificateEnds,
  RENEW: {
    guard: and(["applicant", "noRenewalYet"]),
    actions: ["noteApplicantActor", "recordRenewal", "openRenewalCase", { type: "notify", params: { topic: "renewal_requested", to: "cb_admin" } }],
  },
  SUPERSEDE: {
    target: "renewed",
    guard: and(["system", "renewalCase"]),
    actions: ["close", { type: "certificateStatus", params: { status: "superseded" } }],
  },
} as const;

export const certificationMachine = certificationSetup.createMachine({
  id: CERTIFICATION_MACHINE_ID,
  context: ({ input }) => input,
  initial: "draft",
  states: {
    draft: {
      tags: ["open", "applicant_action"],
      on: {
        SUBMIT: {
          target: "submitted",
          guard: and(["applicant", "applicationComplete"]),
          actions: ["noteApplicantActor", { type: "notify", params: { topic: "case_submitted", to: "cb_admin" } }],
        },
        ...applicantDocuments,
        WITHDRAW_APPLICATION: { target: "withdrawn_by_applicant", guard: "applicant", actions: ["noteApplicantActor", "close"] },
      },
    },
    submitted: {
      tags: ["open", "cb_action", "role:cb_admin"],
      on: {
        ACCEPT: {
          target: "accepted",
          guard: and(["cbAdmin", "pcrInScope"]),
          actions: { type: "notify", params: { topic: "case_accepted", to: "applicant" } },
        },
        DECLINE: {
          target: "declined",
          guard: "cbAdmin",
          actions: ["close", { type: "notify", params: { topic: "case_declined", to: "applicant" } }],
        },
        ...applicantDocuments,
        WITHDRAW_APPLICATION: withdrawApplication("cb_admin"),
      },
    },
    accepted: {
      tags: ["open", "cb_action", "role:cb_admin"],
      on: {
        ASSIGN_TEAM: {
          target: "planning",
          guard: and(["cbAdmin", "teamValid"]),
          actions: ["storeTeam", { type: "notify", params: { topic: "team_assigned", to: "team" } }],
        },
        ...applicantDocuments,
        WITHDRAW_APPLICATION: withdrawApplication("cb_admin"),
      },
    },
    planning: {
      tags: ["open", "cb_action", "role:cb_admin"],
      on: {
        ASSIGN_TEAM: {
          guard: and(["cbAdmin", "teamValid"]),
          actions: ["storeTeam", { type: "notify", params: { topic: "team_assigned", to: "team" } }],
        },
        ASSIGN_DECIDER: assignDecider,
        START_REVIEW: { target: "document_review", guard: and([or(["cbAdmin", "assignedReviewer"]), "teamAssigned"]) },
        ...applicantDocuments,
        WITHDRAW_APPLICATION: withdrawApplication("cb_admin"),
      },
    },
    document_review: {
      tags: ["open", "cb_action", "in_assessment", "role:cb_reviewer"],
      on: {
        RAISE_FINDING: {
          target: "awaiting_applicant",
          guard: and(["assignedReviewer", "findingNew"]),
          actions: [
            { type: "addFinding", params: { stage: "document_review" } },
            { type: "notify", params: { topic: "finding_raised", to: "applicant" } },
          ],
        },
        CLOSE_FINDING: closeFinding,
        COMPLETE_REVIEW: [
          { target: "onsite_inspection", guard: and(["assignedReviewer", "onsiteRequired"]), actions: "completeReview" },
          { target: "footprint_verification", guard: and(["assignedReviewer", not("onsiteRequired")]), actions: "completeReview" },
        ],
        ASSIGN_DECIDER: assignDecider,
        ...applicantDocuments,
        WITHDRAW_APPLICATION: withdrawApplication("team"),
      },
    },
    onsite_inspection: {
      tags: ["open", "cb_action", "in_assessment", "role:cb_inspector"],
      on: {
        RAISE_FINDING: {
          target: "awaiting_applicant",
          guard: and(["assignedInspector", "findingNew"]),
          actions: [
            { type: "addFinding", params: { stage: "onsite_inspection" } },
            { type: "notify", params: { topic: "finding_raised", to: "applicant" } },
          ],
        },
        CLOSE_FINDING: closeFinding,
        RECORD_INSPECTION: { target: "footprint_verification", guard: "assignedInspector", actions: "storeInspection" },
        ASSIGN_DECIDER: assignDecider,
        ...applicantDocuments,
        WITHDRAW_APPLICATION: withdrawApplication("team"),
      },
    },
    footprint_verification: {
      tags: ["open", "cb_action", "in_assessment", "role:cb_verifier"],
      on: {
        RAISE_FINDING: {
          target: "awaiting_applicant",
          guard: and(["assignedVerifier", "findingNew"]),
          actions: [
            { type: "addFinding", params: { stage: "footprint_verification" } },
            { type: "notify", params: { topic: "finding_raised", to: "applicant" } },
          ],
        },
        CLOSE_FINDING: closeFinding,
        RECORD_VERIFICATION: { guard: and(["assignedVerifier", "valuePositive"]), actions: "storeVerification" },
        COMPLETE_VERIFICATION: {
          target: "evaluation_and_decision",
          guard: and(["assignedVerifier", "verificationRecorded"]),
          actions: ["assess", { type: "notify", params: { topic: "ready_for_decision", to: "decider" } }],
        },
        ASSIGN_DECIDER: assignDecider,
        ...applicantDocuments,
        WITHDRAW_APPLICATION: withdrawApplication("team"),
      },
    },
    awaiting_applicant: {
      tags: ["open", "applicant_action"],
      on: {
        ANSWER_FINDING: [
          {
            target: "document_review",
            guard: and(["applicant", "lastOpenFinding", "returnsToReview"]),
            actions: ["noteApplicantActor", "storeAnswer", "clearReturn", { type: "notify", params: { topic: "finding_answered", to: "team" } }],
          },
          {
            target: "onsite_inspection",
            guard: and(["applicant", "lastOpenFinding", "returnsToInspection"]),
            actions: ["noteApplicantActor", "storeAnswer", "clearReturn", { type: "notify", params: { topic: "finding_answered", to: "team" } }],
          },
          {
            target: "footprint_verification",
            guard: and(["applicant", "lastOpenFinding", "returnsToVerification"]),
            actions: ["noteApplicantActor", "storeAnswer", "clearReturn", { type: "notify", params: { topic: "finding_answered", to: "team" } }],
          },
          {
            guard: and(["applicant", "findingOpen", not("lastOpenFinding")]),
            actions: ["noteApplicantActor", "storeAnswer", { type: "notify", params: { topic: "finding_answered", to: "team" } }],
          },
        ],
        RAISE_FINDING: {
          guard: and(["assessorOfReturnStage", "findingNew"]),
          actions: ["addFurtherFinding", { type: "notify", params: { topic: "finding_raised", to: "applicant" } }],
        },
        FINDING_OVERDUE: {
          guard: and(["system", "findingOpen", "findingPastDue"]),
          actions: [
            "markOverdue",
            { type: "notify", params: { topic: "finding_overdue", to: "applicant" } },
            { type: "notify", params: { topic: "finding_overdue", to: "team" } },
          ],
        },
        CLOSE_FINDING: closeFinding,
        ASSIGN_DECIDER: assignDecider,
        ...applicantDocuments,
        WITHDRAW_APPLICATION: withdrawApplication("team"),
      },
    },
    evaluation_and_decision: {
      tags: ["open", "cb_action", "role:cb_decider"],
      on: {
        GRANT: {
          target: "issued",
          guard: and(["assignedDecider", "actorIndependent", "grantable"]),
          actions: [
            { type: "decide", params: { outcome: "granted" } },
            "issueCertificate",
            { type: "notify", params: { topic: "decision_granted", to: "applicant" } },
          ],
        },
        REFUSE: {
          target: "refused",
          guard: and(["assignedDecider", "actorIndependent"]),
          actions: [
            { type: "decide", params: { outcome: "refused" } },
            { type: "notify", params: { topic: "decision_refused", to: "applicant" } },
          ],
        },
        CLOSE_FINDING: { guard: and(["teamAssessor", "findingAnswered"]), actions: ["closeFinding", "assess"] },
        ASSIGN_DECIDER: assignDecider,
        WITHDRAW_APPLICATION: withdrawApplication("decider"),
      },
    },
    issued: {
      tags: ["certified"],
      on: {
        SURVEILLANCE_DUE: {
          target: "surveillance",
          guard: "system",
          actions: { type: "notify", params: { topic: "surveillance_due", to: "cb_admin" } },
        },
        ...validCertificate,
      },
    },
    surveillance: {
      tags: ["certified", "cb_action", "role:cb_admin"],
      on: {
        SURVEILLANCE_PASSED: { target: "issued", guard: "surveillanceStaff", actions: "passSurveillance" },
        ...validCertificate,
      },
    },
    suspended: {
      tags: ["certified", "cb_action", "role:cb_admin"],
      on: {
        RESTORE: {
          target: "issued",
          guard: "cbAdminOrDecider",
          actions: [
            "restore",
            { type: "certificateStatus", params: { status: "valid" } },
            { type: "notify", params: { topic: "certificate_restored", to: "applicant" } },
          ],
        },
        ...certificateEnds,
      },
    },
    declined: { type: "final", tags: ["final"] },
    refused: { type: "final", tags: ["final"] },
    withdrawn_by_applicant: { type: "final", tags: ["final"] },
    withdrawn: { type: "final", tags: ["final"] },
    expired: { type: "final", tags: ["final"] },
    /** The certificate was replaced by the one of the renewal case (`renewal.newCaseId`). */
    renewed: { type: "final", tags: ["final"] },
  },
});

export type CertificationMachine = typeof certificationMachine;
