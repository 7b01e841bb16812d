import { transition } from "xstate";
import { describe, expect, it } from "vitest";
import { effectsOf, startCase, step, type CertificationSnapshot } from "../../workflows/certification/case.ts";
import { CERTIFICATION_MACHINE_KEY, CERTIFICATION_MACHINE_VERSION, certificationMachine } from "../../workflows/certification/machine.ts";
import {
  allowedEvents,
  CERTIFICATION_STATES,
  findingActions,
  STATE_LABELS,
  STATE_TAGS,
  stateOf,
} from "../../workflows/certification/presentation.ts";
import type { CertificationEffect, CertificationEvent, LabelType } from "../../workflows/certification/types.ts";
import { MACHINES, persistSnapshot, resolveMachine, restoreSnapshot, UnknownMachineError } from "../../workflows/registry.ts";
import { A, CB, CLAIM, COVERING_CREDITS, drive, EARLIER, ev, newCase, SHORT_CREDITS, submitAndPlan, T_FAR, T_LATER, toDecision } from "./helpers.ts";

const LABELS: readonly LabelType[] = ["CF", "LC", "RC", "CN"];
const refused = (s: CertificationSnapshot, e: CertificationEvent) =>
  expect(step(s, e).accepted, `${e.type} by ${e.actor.userId} in ${String(s.value)}`).toBe(false);
const grant = ev(A.decider, { type: "GRANT" });

describe.each(LABELS)("%s case", (label) => {
  it("runs from draft to issued, and the certificate effect carries the verified value", () => {
    const atDecision = toDecision(newCase(label, { declaredValue: 640 }), 600);
    expect(stateOf(atDecision)).toBe("evaluation_and_decision");
    expect(atDecision.context.assessment?.eligible).toBe(true);
    const result = step(atDecision, grant);
    expect(result.accepted).toBe(true);
    expect(stateOf(result.snapshot)).toBe("issued");
    const issue = result.effects.find((e) => e.type === "effect.issue_certificate");
    expect(issue).toMatchObject({
      labelType: label,
      verifiedKgCO2ePerDeclaredUnit: 600,
      issuedOn: "2026-03-02",
      decidedBy: "u-dec",
      cbOrganizationId: CB,
    });
    const years = { CF: 2, LC: 3, RC: 2, CN: 1 }[label];
    expect(result.snapshot.context.certificate).toEqual({ issuedOn: "2026-03-02", validUntil: `${2026 + years}-03-01` });
    expect(result.snapshot.context.decision).toMatchObject({ outcome: "granted", decidedBy: "u-dec" });
    // Every criterion is kept with its verdict for the decision page.
    expect(result.snapshot.context.decision?.assessment.label.criteria.every((c) => c.passed)).toBe(true);
  });

  it("is declined by the CB and then accepts nothing", () => {
    const s = drive(startCase(newCase(label)), [ev(A.applicant, { type: "SUBMIT" }), ev(A.cbAdmin, { type: "DECLINE", reason: "capacity" })]);
    expect(stateOf(s)).toBe("declined");
    expect(s.status).toBe("done");
    expect(s.context.closure).toMatchObject({ reason: "capacity", by: "u-admin" });
    expect(allowedEvents(s, A.cbAdmin)).toEqual([]);
    expect(allowedEvents(s, A.applicant)).toEqual([]);
  });

  it("is refused by the decider", () => {
    const result = step(toDecision(newCase(label)), ev(A.decider, { type: "REFUSE", reason: "evidence insufficient" }));
    expect(stateOf(result.snapshot)).toBe("refused");
    expect(result.snapshot.context.decision).toMatchObject({ outcome: "refused", decidedBy: "u-dec", reason: "evidence insufficient" });
    expect(result.effects.some((e) => e.type === "effect.issue_certificate")).toBe(false);
  });

  it("may be withdrawn by the applicant before the decision, not after", () => {
    const atDecision = toDecision(newCase(label));
    const withdrawn = drive(atDecision, [ev(A.applicantMember, { type: "WITHDRAW_APPLICATION", reason: "product discontinued" })]);
    expect(stateOf(withdrawn)).toBe("withdrawn_by_applicant");
    const issued = drive(atDecision, [grant]);
    refused(issued, ev(A.applicant, { type: "WITHDRAW_APPLICATION", reason: "too late" }));
  });

  it("loops through a finding: raised, answered, back to its stage, closed before the grant", () => {
    const inReview = drive(startCase(newCase(label)), submitAndPlan());
    const raised = drive(inReview, [
      ev(A.reviewer, {
        type: "RAISE_FINDING",
        finding: { id: "f1", severity: "major", clause: "PCR-CN-CEMENT@1.0.0 §6.1", text: "Cut-off not justified", dueOn: "2026-03-20" },
      }),
    ]);
    expect(stateOf(raised)).toBe("awaiting_applicant");
    expect(raised.context.returnTo).toBe("document_review");
    expect(findingActions(raised, A.applicant).answer).toEqual(["f1"]);
    expect(allowedEvents(raised, A.reviewer)).toEqual(["RAISE_FINDING"]);
    const answered = drive(raised, [
      ev(A.applicant, { type: "ANSWER_FINDING", findingId: "f1", text: "Added the kiln dust flow", attachmentIds: [] }),
    ]);
    expect(stateOf(answered)).toBe("document_review");
    expect(answered.context.findings[0]?.status).toBe("answered");
    const atDecision = drive(answered, [
      ev(A.reviewer, { type: "COMPLETE_REVIEW" }),
      ...(label === "RC"
        ? [ev(A.inspector, { type: "RECORD_INSPECTION", inspection: { date: "2026-03-05", site: "Plant 1", attendees: [], observations: "ok" } })]
        : []),
      ev(A.verifier, { type: "RECORD_VERIFICATION", kgCO2ePerDeclaredUnit: 600 }),
      ev(A.verifier, { type: "COMPLETE_VERIFICATION" }),
    ]);
    expect(atDecision.context.assessment?.process.find((c) => c.id === "findings_closed")?.passed).toBe(false);
    refused(atDecision, grant);
    expect(allowedEvents(atDecision, A.decider)).toEqual(["REFUSE"]);
    const closed = drive(atDecision, [ev(A.reviewer, { type: "CLOSE_FINDING", findingId: "f1" })]);
    expect(closed.context.assessment?.eligible).toBe(true);
    expect(allowedEvents(closed, A.decider)).toEqual(["GRANT", "REFUSE"]);
    expect(stateOf(drive(closed, [grant]))).toBe("issued");
  });

  it("goes through surveillance, suspension, restoration and withdrawal", () => {
    const issued = drive(toDecision(newCase(label)), [grant]);
    const watched = drive(issued, [ev(A.system, { type: "SURVEILLANCE_DUE" }, T_LATER), ev(A.inspector, { type: "SURVEILLANCE_PASSED" }, T_LATER)]);
    expect(stateOf(watched)).toBe("issued");
    expect(watched.context.surveillance.completed).toBe(1);
    const suspended = step(
      drive(watched, [ev(A.system, { type: "SURVEILLANCE_DUE" }, T_LATER)]),
      ev(A.cbAdmin, { type: "SUSPEND", reason: "surveillance refused" }, T_LATER),
    );
    expect(stateOf(suspended.snapshot)).toBe("suspended");
    expect(suspended.effects).toContainEqual({
      type: "effect.certificate_status",
      caseId: `case-${label}`,
      status: "suspended",
      reason: "surveillance refused",
    });
    const restored = drive(suspended.snapshot, [ev(A.decider, { type: "RESTORE" }, T_LATER)]);
    expect(stateOf(restored)).toBe("issued");
    expect(restored.context.suspension).toBeNull();
    const withdrawn = drive(restored, [
      ev(A.cbAdmin, { type: "SUSPEND", reason: "x" }),
      ev(A.cbAdmin, { type: "WITHDRAW", reason: "misuse of the label" }),
    ]);
    expect(stateOf(withdrawn)).toBe("withdrawn");
    expect(withdrawn.status).toBe("done");
  });

  it("expires only after its validity", () => {
    const issued = drive(toDecision(newCase(label)), [grant]);
    const validUntil = issued.context.certificate?.validUntil ?? "";
    refused(issued, ev(A.system, { type: "EXPIRE" }, `${validUntil}T23:59:59.000Z`));
    const expired = step(issued, ev(A.system, { type: "EXPIRE" }, T_FAR));
    expect(stateOf(expired.snapshot)).toBe("expired");
    expect(expired.effects.map((e) => e.type)).toEqual(["effect.certificate_status", "effect.notify"]);
  });
});

describe("label criteria at the decision", () => {
  it("LC: refuses a grant above the PCR benchmark (650 kg/t) and shows why", () => {
    const s = toDecision(newCase("LC"), 655);
    const benchmark = s.context.assessment?.label.criteria.find((c) => c.id === "benchmark");
    expect(benchmark).toMatchObject({ passed: false, values: { value: 655, benchmark: 650 } });
    refused(s, grant);
    expect(stateOf(drive(toDecision(newCase("LC"), 650), [grant]))).toBe("issued");
  });

  it("RC: needs two earlier certificates, the minimum reduction and the report", () => {
    const one = toDecision(newCase("RC", { earlierCertificates: [EARLIER[1]!] }));
    expect(one.context.assessment?.label.criteria.find((c) => c.id === "earlier_certificates")?.passed).toBe(false);
    refused(one, grant);
    const otherUnit = toDecision(
      newCase("RC", { earlierCertificates: EARLIER.map((c, i) => (i === 0 ? { ...c, pcrCode: "PCR-CN-STEEL-EAF" } : c)) }),
    );
    refused(otherUnit, grant);
    // 700 → 630 is exactly 10 %: under the 11 % minimum.
    refused(toDecision(newCase("RC"), 630), grant);
    refused(toDecision(newCase("RC", { attachments: [] })), grant);
    expect(stateOf(drive(toDecision(newCase("RC"), 623), [grant]))).toBe("issued");
  });

  it("RC: on-site inspection is mandatory whatever the flag says", () => {
    const s = drive(startCase(newCase("RC", { onsiteRequired: false })), [...submitAndPlan(), ev(A.reviewer, { type: "COMPLETE_REVIEW" })]);
    expect(s.context.onsiteRequired).toBe(true);
    expect(stateOf(s)).toBe("onsite_inspection");
  });

  it("CF without on-site inspection goes from review straight to verification", () => {
    const s = drive(startCase(newCase("CF", { onsiteRequired: false })), [...submitAndPlan(), ev(A.reviewer, { type: "COMPLETE_REVIEW" })]);
    expect(stateOf(s)).toBe("footprint_verification");
  });

  it("CN: uncovered emissions, a missing plan or late retirement block the grant", () => {
    refused(toDecision(newCase("CN", { credits: SHORT_CREDITS })), grant);
    refused(toDecision(newCase("CN", { attachments: [] })), grant);
    refused(toDecision(newCase("CN", { credits: [{ ...COVERING_CREDITS[0]!, retiredOn: "2027-01-01" }] })), grant);
    const coverage = toDecision(newCase("CN", { credits: SHORT_CREDITS })).context.assessment?.label.criteria.find((c) => c.id === "coverage");
    expect(coverage).toMatchObject({ passed: false, values: { emissionsTCO2e: "600.000", retiredTCO2e: 599 } });
  });

  it("CN: credits recorded later by the applicant count", () => {
    const s = drive(startCase(newCase("CN", { credits: [], claim: null })), [
      ev(A.applicant, { type: "RECORD_CREDITS", claim: CLAIM, credits: COVERING_CREDITS }),
      ...submitAndPlan(),
      ev(A.reviewer, { type: "COMPLETE_REVIEW" }),
      ev(A.verifier, { type: "RECORD_VERIFICATION", kgCO2ePerDeclaredUnit: 600 }),
      ev(A.verifier, { type: "COMPLETE_VERIFICATION" }),
    ]);
    expect(stateOf(drive(s, [grant]))).toBe("issued");
    refused(startCase(newCase("CF")), ev(A.applicant, { type: "RECORD_CREDITS", claim: CLAIM, credits: COVERING_CREDITS }));
  });
});

describe("roles and separation of duties", () => {
  const submitted = () => drive(startCase(newCase("CF")), [ev(A.applicant, { type: "SUBMIT" })]);

  it("only the applicant's users submit, and only the CB's admin accepts within scope", () => {
    refused(startCase(newCase("CF")), ev(A.cbAdmin, { type: "SUBMIT" }));
    refused(submitted(), ev(A.reviewer, { type: "ACCEPT" }));
    refused(submitted(), ev(A.otherCbAdmin, { type: "ACCEPT" }));
    refused(submitted(), ev(A.applicantWithCbRoles, { type: "ACCEPT" }));
    const outOfScope = drive(startCase(newCase("CF", { cbScope: ["PCR-CN-STEEL-EAF"] })), [ev(A.applicant, { type: "SUBMIT" })]);
    refused(outOfScope, ev(A.cbAdmin, { type: "ACCEPT" }));
    expect(allowedEvents(outOfScope, A.cbAdmin)).toEqual(["DECLINE"]);
  });

  it("a person who acted for the applicant never acts for the CB on the case", () => {
    refused(submitted(), ev(A.applicantAtCb, { type: "ACCEPT" }));
    const accepted = drive(submitted(), [ev(A.cbAdmin, { type: "ACCEPT" })]);
    refused(accepted, ev(A.cbAdmin, { type: "ASSIGN_TEAM", reviewer: "u-maker", inspector: null, verifier: "u-ver" }));
    const planning = drive(accepted, [ev(A.cbAdmin, { type: "ASSIGN_TEAM", reviewer: "u-rev", inspector: null, verifier: "u-ver" })]);
    refused(planning, ev(A.cbAdmin, { type: "ASSIGN_DECIDER", decider: "u-maker" }));
  });

  it("only the assigned reviewer raises findings in review; the applicant cannot close them", () => {
    const review = drive(startCase(newCase("CF")), submitAndPlan());
    const finding = { id: "f1", severity: "minor" as const, clause: "§8.1", text: "DQR", dueOn: "2026-03-20" };
    refused(review, ev(A.inspector, { type: "RAISE_FINDING", finding }));
    refused(review, ev({ ...A.reviewer, userId: "u-rev-2" }, { type: "RAISE_FINDING", finding }));
    refused(review, ev(A.applicant, { type: "RAISE_FINDING", finding }));
    const raised = drive(review, [ev(A.reviewer, { type: "RAISE_FINDING", finding })]);
    refused(raised, ev(A.reviewer, { type: "ANSWER_FINDING", findingId: "f1", text: "self-answer" }));
    const answered = drive(raised, [ev(A.applicant, { type: "ANSWER_FINDING", findingId: "f1", text: "fixed" })]);
    refused(answered, ev(A.applicant, { type: "CLOSE_FINDING", findingId: "f1" }));
    refused(answered, ev(A.decider, { type: "CLOSE_FINDING", findingId: "f1" }));
  });

  it("only the assigned decider decides, and not one who verified", () => {
    const s = toDecision(newCase("CF"));
    refused(s, ev(A.cbAdmin, { type: "GRANT" }));
    refused(s, ev(A.reviewer, { type: "GRANT" }));
    refused(s, ev(A.verifier, { type: "GRANT" }));
    refused(s, ev(A.verifier, { type: "REFUSE", reason: "x" }));
    refused(s, ev(A.otherCbAdmin, { type: "GRANT" }));
    refused(s, ev(A.applicantAtCb, { type: "GRANT" }));
    // The verifier holds cb_decider too, yet cannot become the decider of a case they verified.
    refused(s, ev(A.cbAdmin, { type: "ASSIGN_DECIDER", decider: "u-ver" }));
    expect(allowedEvents(s, A.verifier)).toEqual([]);
    expect(allowedEvents(s, A.decider)).toEqual(["GRANT", "REFUSE"]);
  });

  it("a decider cannot be put on the assessment team, nor a team member made decider", () => {
    const planning = drive(startCase(newCase("CF")), submitAndPlan().slice(0, 4));
    refused(planning, ev(A.cbAdmin, { type: "ASSIGN_TEAM", reviewer: "u-dec", inspector: null, verifier: "u-ver" }));
    refused(planning, ev(A.cbAdmin, { type: "ASSIGN_DECIDER", decider: "u-rev" }));
  });

  it("time-driven events come only from the system role", () => {
    const issued = drive(toDecision(newCase("CF")), [grant]);
    refused(issued, ev(A.cbAdmin, { type: "SURVEILLANCE_DUE" }));
    refused(issued, ev(A.cbAdmin, { type: "EXPIRE" }, T_FAR));
    refused(issued, ev({ ...A.system, roles: ["cb_admin"] }, { type: "EXPIRE" }, T_FAR));
  });
});

describe("findings", () => {
  const finding = (id: string, dueOn = "2026-03-20") => ({ id, severity: "major" as const, clause: "§6.1", text: "t", dueOn });

  it("returns to its stage only when the last open finding is answered", () => {
    const s = drive(startCase(newCase("CF", { onsiteRequired: true })), [
      ...submitAndPlan(),
      ev(A.reviewer, { type: "COMPLETE_REVIEW" }),
      ev(A.inspector, { type: "RAISE_FINDING", finding: finding("f1") }),
    ]);
    expect(s.context.returnTo).toBe("onsite_inspection");
    refused(s, ev(A.inspector, { type: "RAISE_FINDING", finding: finding("f1") }));
    refused(s, ev(A.reviewer, { type: "RAISE_FINDING", finding: finding("f2") }));
    const one = drive(s, [ev(A.applicant, { type: "ANSWER_FINDING", findingId: "f1", text: "a" })]);
    expect(stateOf(one)).toBe("onsite_inspection");
    refused(one, ev(A.inspector, { type: "RAISE_FINDING", finding: finding("f1") }));
  });

  it("keeps the case waiting while another finding is open", () => {
    const waiting = drive(startCase(newCase("CF")), [
      ...submitAndPlan(),
      ev(A.reviewer, { type: "COMPLETE_REVIEW" }),
      ev(A.verifier, { type: "RAISE_FINDING", finding: finding("f1") }),
      ev(A.verifier, { type: "RAISE_FINDING", finding: finding("f2") }),
    ]);
    refused(waiting, ev(A.reviewer, { type: "RAISE_FINDING", finding: finding("f3") }));
    const one = drive(waiting, [ev(A.applicant, { type: "ANSWER_FINDING", findingId: "f1", text: "a" })]);
    expect(stateOf(one)).toBe("awaiting_applicant");
    expect(findingActions(one, A.verifier).close).toEqual(["f1"]);
    const both = drive(one, [ev(A.applicant, { type: "ANSWER_FINDING", findingId: "f2", text: "b" })]);
    expect(stateOf(both)).toBe("footprint_verification");
    expect(both.context.findings.map((f) => f.stage)).toEqual(["footprint_verification", "footprint_verification"]);
  });

  it("FINDING_OVERDUE marks an open finding past its due date once", () => {
    const s = drive(startCase(newCase("CF")), [...submitAndPlan(), ev(A.reviewer, { type: "RAISE_FINDING", finding: finding("f1", "2026-03-20") })]);
    refused(s, ev(A.system, { type: "FINDING_OVERDUE", findingId: "f1" }, "2026-03-20T12:00:00.000Z"));
    const overdue = step(s, ev(A.system, { type: "FINDING_OVERDUE", findingId: "f1" }, "2026-03-21T00:00:00.000Z"));
    expect(overdue.snapshot.context.findings[0]?.overdue).toBe(true);
    expect(stateOf(overdue.snapshot)).toBe("awaiting_applicant");
    expect(overdue.effects.map((e) => e.type === "effect.notify" && e.topic)).toEqual(["finding_overdue", "finding_overdue"]);
    refused(overdue.snapshot, ev(A.system, { type: "FINDING_OVERDUE", findingId: "f1" }, "2026-03-22T00:00:00.000Z"));
  });
});

describe("renewal", () => {
  it("keeps the certificate valid until the renewal case supersedes it", () => {
    const issued = drive(toDecision(newCase("CF")), [grant]);
    const renewing = step(issued, ev(A.applicant, { type: "RENEW", newCaseId: "case-CF-2" }, T_LATER));
    expect(stateOf(renewing.snapshot)).toBe("issued");
    expect(renewing.effects).toContainEqual({ type: "effect.open_renewal_case", caseId: "case-CF", newCaseId: "case-CF-2", requestedBy: "u-maker" });
    refused(renewing.snapshot, ev(A.applicant, { type: "RENEW", newCaseId: "case-CF-3" }));
    refused(renewing.snapshot, ev(A.system, { type: "SUPERSEDE", byCaseId: "case-CF-3" }));
    const renewed = step(renewing.snapshot, ev(A.system, { type: "SUPERSEDE", byCaseId: "case-CF-2" }));
    expect(stateOf(renewed.snapshot)).toBe("renewed");
    expect(renewed.effects).toEqual([{ type: "effect.certificate_status", caseId: "case-CF", status: "superseded", reason: null }]);
  });
});

describe("effects, presentation and persistence", () => {
  it("expresses effects as emitted events the host reads from transition()", () => {
    const s = drive(startCase(newCase("CF")), [ev(A.applicant, { type: "SUBMIT" })]);
    const [next, actions] = transition(certificationMachine, s, ev(A.cbAdmin, { type: "ACCEPT" }));
    const effects: CertificationEffect[] = effectsOf(actions);
    expect(next.value).toBe("accepted");
    expect(effects).toEqual([
      {
        type: "effect.notify",
        caseId: "case-CF",
        topic: "case_accepted",
        to: { organizationId: "org-maker" },
        message: expect.objectContaining({ zh: expect.any(String), en: expect.any(String) }),
      },
    ]);
    // Effects are not in the snapshot: restoring it cannot run them again.
    expect(JSON.stringify(next)).not.toContain("effect.");
  });

  it("labels and tags every state, and the tags group the inbox", () => {
    expect(Object.keys(certificationMachine.states).sort()).toEqual([...CERTIFICATION_STATES].sort());
    for (const state of CERTIFICATION_STATES) {
      expect(STATE_LABELS[state].zh.length).toBeGreaterThan(0);
      expect(STATE_LABELS[state].en.length).toBeGreaterThan(0);
      const tags = STATE_TAGS[state];
      const isFinal = certificationMachine.states[state]?.type === "final";
      expect(tags.includes("final")).toBe(isFinal);
      expect(isFinal || tags.includes("open") || tags.includes("certified")).toBe(true);
    }
    expect(STATE_TAGS.awaiting_applicant).toContain("applicant_action");
    expect(STATE_TAGS.evaluation_and_decision).toContain("role:cb_decider");
    const s = toDecision(newCase("CF"));
    expect(s.hasTag("cb_action")).toBe(true);
  });

  it("persists as JSON and restores under its version; unknown versions are refused", () => {
    const s = toDecision(newCase("RC"));
    const stored = JSON.parse(JSON.stringify(persistSnapshot(CERTIFICATION_MACHINE_KEY, s)));
    expect(stored.machine).toBe("certification.v1");
    expect(CERTIFICATION_MACHINE_VERSION).toBe(1);
    const restored = restoreSnapshot(stored);
    expect(restored.value).toBe("evaluation_and_decision");
    expect(restored.context).toEqual(s.context);
    expect(stateOf(drive(restored, [grant]))).toBe("issued");
    const final = restoreSnapshot({ ...stored, value: "refused" });
    expect(final.status).toBe("done");
    expect(resolveMachine("certification.v1")).toBe(MACHINES["certification.v1"]);
    expect(() => resolveMachine("certification.v2")).toThrow(UnknownMachineError);
    expect(() => restoreSnapshot({ ...stored, machine: "certification.v0" })).toThrow(UnknownMachineError);
    expect(() => restoreSnapshot({ ...stored, value: "nowhere" })).toThrow(/no state/);
  });

  it("refuses an event not allowed in the state and changes nothing", () => {
    const s = startCase(newCase("CF"));
    const result = step(s, ev(A.decider, { type: "GRANT" }));
    expect(result).toEqual({ accepted: false, snapshot: s, effects: [] });
  });

  it("lists for each actor exactly the events it may send", () => {
    const draft = startCase(newCase("CN"));
    expect(allowedEvents(draft, A.applicant)).toEqual(["SUBMIT", "ATTACH_DOCUMENT", "RECORD_CREDITS", "WITHDRAW_APPLICATION"]);
    expect(allowedEvents(draft, A.cbAdmin)).toEqual([]);
    const planning = drive(draft, submitAndPlan().slice(0, 3));
    expect(allowedEvents(planning, A.cbAdmin)).toEqual(["ASSIGN_TEAM", "ASSIGN_DECIDER", "START_REVIEW"]);
    expect(allowedEvents(planning, A.reviewer)).toEqual(["START_REVIEW"]);
    const issued = drive(toDecision(newCase("CF")), [grant]);
    expect(allowedEvents(issued, A.system, T_FAR)).toEqual(["SURVEILLANCE_DUE", "EXPIRE"]);
    expect(allowedEvents(issued, A.system, T_LATER)).toEqual(["SURVEILLANCE_DUE"]);
    expect(allowedEvents(issued, A.applicant)).toEqual(["RENEW"]);
    expect(allowedEvents(issued, A.cbAdmin)).toEqual(["SUSPEND", "WITHDRAW"]);
  });
});
