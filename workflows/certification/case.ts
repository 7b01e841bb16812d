import { initialTransition, transition, type SnapshotFrom } from "xstate";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import { currentMachineVersion, versionOfSnapshot } from "../registry.ts";
import { onsiteRequired } from "./assessment.ts";
import type { CertificationMachine } from "./machine.ts";
import type {
  Attachment,
  CertificationContext,
  CertificationEffect,
  CertificationEvent,
  EarlierCertificate,
  NeutralityClaim,
  RetiredCredits,
} from "./types.ts";

export type CertificationSnapshot = SnapshotFrom<CertificationMachine>;

/** What the host knows when an applicant opens a case. */
export type NewCase = Pick<
  CertificationContext,
  "caseId" | "labelType" | "productId" | "applicantOrganizationId" | "cbOrganizationId" | "cbScope" | "pcr" | "declaredValue" | "conformancePassed"
> & {
  /** Defaults to true; ignored for RC, which always needs it. */
  readonly onsiteRequired?: boolean;
  readonly earlierCertificates?: readonly EarlierCertificate[];
  readonly attachments?: readonly Attachment[];
  readonly claim?: NeutralityClaim | null;
  readonly credits?: readonly RetiredCredits[];
};

/**
 * The machine's input for a new case. The declared unit is the PCR version's, so an unknown PCR
 * version fails here (UnknownPcrError) rather than at the decision.
 */
export function createCaseInput(c: NewCase): CertificationContext {
  const pcr = PCR_CATALOGUE.get(c.pcr.code, c.pcr.version);
  const flags = { labelType: c.labelType, onsiteRequired: c.onsiteRequired ?? true };
  return {
    caseId: c.caseId,
    labelType: c.labelType,
    productId: c.productId,
    applicantOrganizationId: c.applicantOrganizationId,
    cbOrganizationId: c.cbOrganizationId,
    cbScope: [...c.cbScope],
    pcr: { code: pcr.code, version: pcr.version },
    declaredUnit: { quantity: pcr.declaredUnit.quantity, unit: pcr.declaredUnit.unit },
    declaredValue: c.declaredValue,
    conformancePassed: c.conformancePassed,
    onsiteRequired: onsiteRequired(flags),
    earlierCertificates: [...(c.earlierCertificates ?? [])],
    attachments: [...(c.attachments ?? [])],
    claim: c.claim ?? null,
    credits: [...(c.credits ?? [])],
    team: { reviewer: null, inspector: null, verifier: null, decider: null },
    participants: { reviewers: [], inspectors: [], verifiers: [], applicant: [] },
    findings: [],
    returnTo: null,
    reviewCompleted: null,
    inspection: null,
    verification: null,
    assessment: null,
    decision: null,
    certificate: null,
    surveillance: { completed: 0, lastPassedAt: null },
    suspension: null,
    renewal: null,
    closure: null,
  };
}

/** The first snapshot of a case (state `draft`), under the machine version new cases are opened with unless one is given. */
export function startCase(c: NewCase, machine: CertificationMachine = currentMachineVersion().machine): CertificationSnapshot {
  const [snapshot] = initialTransition(machine, createCaseInput(c));
  return snapshot;
}

/** The effects among the actions `transition()` returned, in order. */
export function effectsOf(actions: readonly { readonly type: string; readonly params?: unknown }[]): CertificationEffect[] {
  return actions.flatMap((a) => (a.type === "xstate.emit" ? [(a.params as { event: CertificationEffect }).event] : []));
}

export type StepResult =
  | { readonly accepted: true; readonly snapshot: CertificationSnapshot; readonly effects: readonly CertificationEffect[] }
  | { readonly accepted: false; readonly snapshot: CertificationSnapshot; readonly effects: readonly [] };

/**
 * One transition as the host runs it: an event the snapshot does not allow (wrong state, role,
 * case or guard) is refused and changes nothing; otherwise the next snapshot and its effects.
 *
 * The snapshot is stepped with the machine it carries — the version that started it or that
 * `restoreSnapshot` restored it under — the same one `snapshot.can` asks, so a case stored under
 * an older version keeps that version's guards and actions after a newer one is current.
 */
export function step(snapshot: CertificationSnapshot, event: CertificationEvent): StepResult {
  if (!snapshot.can(event)) return { accepted: false, snapshot, effects: [] };
  const { machine } = versionOfSnapshot(snapshot);
  const [next, actions] = transition(machine, snapshot, event);
  return { accepted: true, snapshot: next, effects: effectsOf(actions) };
}
