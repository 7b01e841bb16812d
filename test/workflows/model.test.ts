/**
 * Model-based tests: @xstate/graph walks the certification machine of each label type from a
 * draft case, sending a bounded set of events (right and wrong actors, passing and failing
 * payloads) in every reachable state, and checks invariants on every state, every transition
 * and every shortest path. Bounds keep the graph finite: at most MAX_FINDINGS findings, one
 * surveillance cycle, one renewal, fixed times and fixed payload choices.
 */
import { adjacencyMapToArray, createTestModel, getAdjacencyMap, getSimplePaths, serializeSnapshot } from "@xstate/graph";
import { __unsafe_getAllOwnEventDescriptors, transition, type ActorLogic } from "xstate";
import { describe, expect, it } from "vitest";
import { step, startCase, type CertificationSnapshot, type NewCase } from "../../workflows/certification/case.ts";
import { CERTIFICATION_MACHINE_KEY, certificationMachine } from "../../workflows/certification/machine.ts";
import { CERTIFICATION_EVENT_TYPES, stateOf, type CertificationState } from "../../workflows/certification/presentation.ts";
import {
  APPLICANT_EVENT_TYPES,
  BODY_EVENT_TYPES,
  type Actor,
  type CertificationContext,
  type CertificationEvent,
  type CertificationEventType,
} from "../../workflows/certification/types.ts";
import { persistSnapshot, restoreSnapshot } from "../../workflows/registry.ts";
import { A, COVERING_CREDITS, EARLIER, newCase, SHORT_CREDITS, T0, T_FAR, T_LATER } from "./helpers.ts";

interface Variant {
  readonly name: string;
  readonly input: NewCase;
  /** Verified values the verifier may record. */
  readonly values: readonly number[];
  readonly maxFindings: number;
  /** Whether some path can reach `issued`. */
  readonly grantable: boolean;
}

const VARIANTS: readonly Variant[] = [
  { name: "CF, no on-site inspection", input: newCase("CF", { onsiteRequired: false }), values: [600], maxFindings: 1, grantable: true },
  { name: "CF, on-site inspection", input: newCase("CF", { onsiteRequired: true }), values: [600], maxFindings: 1, grantable: true },
  { name: "LC, value above or under the benchmark", input: newCase("LC"), values: [600, 700], maxFindings: 1, grantable: true },
  {
    name: "RC, two earlier certificates, report attached on the way",
    input: newCase("RC", { attachments: [] }),
    values: [600, 650],
    maxFindings: 1,
    grantable: true,
  },
  {
    name: "RC, one earlier certificate",
    input: newCase("RC", { earlierCertificates: [EARLIER[1]!] }),
    values: [600],
    maxFindings: 1,
    grantable: false,
  },
  {
    name: "CN, plan and credits recorded on the way",
    input: newCase("CN", { attachments: [], credits: [], claim: null }),
    values: [600],
    maxFindings: 1,
    grantable: true,
  },
];

const TEAMS = [
  { reviewer: "u-rev", inspector: "u-insp", verifier: "u-ver" },
  { reviewer: "u-rev", inspector: "u-insp", verifier: "u-dec" },
] as const;

type Payload = { readonly type: CertificationEventType } & Record<string, unknown>;
const many = (actors: readonly Actor[], payloads: readonly Payload[], at = T0): CertificationEvent[] =>
  actors.flatMap((actor) => payloads.map((p) => ({ ...p, actor, at }) as CertificationEvent));

/** The events tried in a state: per type, the right actor and some wrong ones, with bounded payloads. */
function eventsFor(variant: Variant, c: CertificationContext, type: CertificationEventType): CertificationEvent[] {
  const open = c.findings.filter((f) => f.status === "open").map((f) => f.id);
  const answered = c.findings.filter((f) => f.status === "answered").map((f) => f.id);
  switch (type) {
    case "SUBMIT":
      return many([A.applicant, A.cbAdmin], [{ type }]);
    case "ATTACH_DOCUMENT": {
      const kind = variant.input.labelType === "RC" ? "reduction_measures_report" : variant.input.labelType === "CN" ? "management_plan" : "evidence";
      return many([A.applicant, A.reviewer], [{ type, attachment: { id: `att-${kind}`, kind, name: "doc.pdf" } }]);
    }
    case "RECORD_CREDITS":
      return many(
        [A.applicant],
        [COVERING_CREDITS, SHORT_CREDITS].map((credits) => ({
          type,
          claim: { period: { start: "2025-01-01", end: "2025-12-31" }, quantity: 1000 },
          credits,
        })),
      );
    case "ANSWER_FINDING":
      return many(
        [A.applicant, A.reviewer],
        open.map((findingId) => ({ type, findingId, text: "answered" })),
      );
    case "WITHDRAW_APPLICATION":
      return many([A.applicant, A.cbAdmin], [{ type, reason: "r" }]);
    case "RENEW":
      return many([A.applicant, A.cbAdmin], [{ type, newCaseId: "case-renewal" }]);
    case "ACCEPT":
      return many([A.cbAdmin, A.otherCbAdmin, A.applicantWithCbRoles, A.applicantAtCb, A.reviewer], [{ type }]);
    case "DECLINE":
      return many([A.cbAdmin, A.applicant], [{ type, reason: "r" }]);
    case "ASSIGN_TEAM":
      return [
        ...many(
          [A.cbAdmin],
          TEAMS.map((t) => ({ type, ...t })),
        ),
        ...many([A.reviewer], [{ type, ...TEAMS[0] }]),
      ];
    case "ASSIGN_DECIDER":
      return [
        ...many(
          [A.cbAdmin],
          ["u-dec", "u-ver"].map((decider) => ({ type, decider })),
        ),
        ...many([A.decider], [{ type, decider: "u-dec" }]),
      ];
    case "START_REVIEW":
    case "COMPLETE_REVIEW":
      return many([A.reviewer, A.inspector], [{ type }]);
    case "RAISE_FINDING": {
      if (c.findings.length >= variant.maxFindings) return [];
      const id = `f${c.findings.length + 1}`;
      return many(
        [A.reviewer, A.inspector, A.verifier, A.applicant],
        [{ type, finding: { id, severity: id === "f1" ? "major" : "minor", clause: "§6.1", text: "t", dueOn: "2026-03-20" } }],
      );
    }
    case "CLOSE_FINDING":
      return many(
        [A.reviewer, A.verifier, A.decider, A.applicant],
        answered.map((findingId) => ({ type, findingId })),
      );
    case "RECORD_INSPECTION":
      return many([A.inspector, A.reviewer], [{ type, inspection: { date: "2026-03-05", site: "Plant 1", attendees: [], observations: "o" } }]);
    case "RECORD_VERIFICATION":
      return many(
        [A.verifier, A.reviewer],
        variant.values.map((kgCO2ePerDeclaredUnit) => ({ type, kgCO2ePerDeclaredUnit })),
      );
    case "COMPLETE_VERIFICATION":
      return many([A.verifier, A.decider], [{ type }]);
    case "GRANT":
      return many([A.decider, A.verifier, A.cbAdmin, A.applicantAtCb, A.otherCbAdmin], [{ type }]);
    case "REFUSE":
      return many([A.decider, A.verifier], [{ type, reason: "r" }]);
    case "SURVEILLANCE_PASSED":
      return many([A.inspector, A.applicant], [{ type }], T_LATER);
    case "SUSPEND":
    case "WITHDRAW":
      return many([A.cbAdmin, A.applicant, A.verifier], [{ type, reason: "r" }], T_LATER);
    case "RESTORE":
      return many([A.decider, A.applicant], [{ type }], T_LATER);
    case "SURVEILLANCE_DUE":
      return c.surveillance.completed >= 1 ? [] : many([A.system, A.cbAdmin], [{ type }], T_LATER);
    case "EXPIRE":
      return [...many([A.system], [{ type }], T_LATER), ...many([A.system, A.cbAdmin], [{ type }], T_FAR)];
    case "FINDING_OVERDUE":
      return many(
        [A.system, A.cbAdmin],
        open.map((findingId) => ({ type, findingId })),
        T_LATER,
      );
    case "SUPERSEDE":
      return many(
        [A.system, A.applicant],
        ["case-renewal", "case-other"].map((byCaseId) => ({ type, byCaseId })),
      );
  }
}

/** Someone with no part in the case. */
const OUTSIDER: Actor = { userId: "u-outsider", roles: [], organizationId: "org-none" };
/** Every field any event reads, for the refused stand-in below. */
const STAND_IN = {
  reason: "r",
  findingId: "none",
  newCaseId: "none",
  byCaseId: "none",
  decider: "none",
  reviewer: "none",
  inspector: null,
  verifier: "none",
  text: "t",
};

/**
 * Events for each type the state handles. A type with no candidate (no finding to answer, the
 * finding bound reached) gets an outsider's event that every guard refuses: createTestModel
 * would otherwise send the bare `{ type }`.
 */
const modelEvents = (variant: Variant) => (s: CertificationSnapshot) =>
  (__unsafe_getAllOwnEventDescriptors(s) as CertificationEventType[]).flatMap((type) => {
    const candidates = eventsFor(variant, s.context, type);
    return candidates.length > 0 ? candidates : [{ type, ...STAND_IN, actor: OUTSIDER, at: T0 } as unknown as CertificationEvent];
  });

/** Every event type with its bounded payloads, sent by every actor: what a final state must refuse. */
function everything(variant: Variant, s: CertificationSnapshot): CertificationEvent[] {
  const c: CertificationContext = { ...s.context, surveillance: { completed: 0, lastPassedAt: null } };
  const all = CERTIFICATION_EVENT_TYPES.flatMap((type) => eventsFor({ ...variant, maxFindings: 9 }, c, type));
  return all.flatMap((e) => Object.values(A).map((actor) => ({ ...e, actor })));
}

const CB_EVENTS = new Set<CertificationEventType>(BODY_EVENT_TYPES);
const APPLICANT_EVENTS = new Set<CertificationEventType>(APPLICANT_EVENT_TYPES);
const CERTIFIED: ReadonlySet<CertificationState> = new Set(["issued", "surveillance", "suspended"]);

function assessorsOf(c: CertificationContext): Set<string> {
  const p = c.participants;
  return new Set(
    [c.team.reviewer, c.team.inspector, c.team.verifier, ...p.reviewers, ...p.inspectors, ...p.verifiers].filter((u): u is string => u !== null),
  );
}

/** Invariants on one reachable state, computed from the context alone and not through the machine's own guards. */
function checkState(s: CertificationSnapshot): void {
  const c = s.context;
  const state = stateOf(s);
  if (c.certificate !== null || CERTIFIED.has(state)) {
    const d = c.decision;
    expect(d?.outcome, "a certificate without an approved decision").toBe("granted");
    expect(d?.decidedBy).toBe(c.team.decider);
    expect(assessorsOf(c).has(d?.decidedBy ?? ""), "decider took part in the assessment").toBe(false);
    expect(c.participants.applicant.includes(d?.decidedBy ?? ""), "decider acted for the applicant").toBe(false);
    expect(
      c.findings.every((f) => f.status === "closed"),
      "issued with open findings",
    ).toBe(true);
    expect(c.verification).not.toBeNull();
    const v = c.verification?.kgCO2ePerDeclaredUnit ?? NaN;
    if (c.labelType === "RC" || c.onsiteRequired) expect(c.inspection, "issued without the required inspection").not.toBeNull();
    if (c.labelType === "LC") expect(v).toBeLessThanOrEqual(650);
    if (c.labelType === "RC") {
      const comparable = c.earlierCertificates.filter(
        (e) => e.pcrCode === c.pcr.code && e.declaredUnit.unit === c.declaredUnit.unit && e.declaredUnit.quantity === c.declaredUnit.quantity,
      );
      expect(comparable.length, "RC without two earlier certificates").toBeGreaterThanOrEqual(2);
      const previous = [...comparable].sort((a, b) => b.issuedOn.localeCompare(a.issuedOn))[0]!;
      expect((previous.verifiedValue - v) / previous.verifiedValue).toBeGreaterThanOrEqual(0.11);
      expect(c.attachments.some((a) => a.kind === "reduction_measures_report")).toBe(true);
    }
    if (c.labelType === "CN") {
      const emissionsT = (v * (c.claim?.quantity ?? Infinity)) / 1000;
      const retiredT = c.credits.reduce((sum, b) => sum + (b.last - b.first + 1), 0);
      expect(retiredT, "CN with uncovered emissions").toBeGreaterThanOrEqual(emissionsT);
      expect(c.attachments.some((a) => a.kind === "management_plan")).toBe(true);
    }
  } else {
    expect(c.decision?.outcome ?? "refused").toBe("refused");
  }
  if (state === "refused") expect(c.decision?.outcome).toBe("refused");
  if (state === "awaiting_applicant") expect(c.findings.some((f) => f.status === "open")).toBe(true);
  if (s.hasTag("open") && state !== "awaiting_applicant") expect(c.findings.some((f) => f.status === "open")).toBe(false);
  expect(s.status === "done").toBe(s.hasTag("final"));
}

function checkEdge(before: CertificationSnapshot, event: CertificationEvent, after: CertificationSnapshot): void {
  const changed = serializeSnapshot(before) !== serializeSnapshot(after);
  if (before.status === "done") expect(changed, `final state ${String(before.value)} took ${event.type}`).toBe(false);
  if (!changed) return;
  const b = before.context;
  const { actor } = event;
  if (CB_EVENTS.has(event.type)) {
    expect(actor.organizationId, `${event.type} by a non-CB user`).toBe(b.cbOrganizationId);
    expect(b.participants.applicant.includes(actor.userId), `${event.type} by a user who acted for the applicant`).toBe(false);
  }
  if (APPLICANT_EVENTS.has(event.type)) expect(actor.organizationId).toBe(b.applicantOrganizationId);
  if (!CB_EVENTS.has(event.type) && !APPLICANT_EVENTS.has(event.type)) expect(actor.roles).toContain("system");
  if (event.type === "GRANT") {
    expect(
      b.findings.every((f) => f.status === "closed"),
      "GRANT with open findings",
    ).toBe(true);
    expect(actor.userId).toBe(b.team.decider);
    expect(assessorsOf(b).has(actor.userId)).toBe(false);
    expect(stateOf(after)).toBe("issued");
  }
}

/**
 * A case reduced to its lifecycle: state, finding statuses, decider, whether verified,
 * surveillance count, renewal. Paths enumerated over it explode far less than over the full
 * context (interleavings of commuting steps), and every path is still a real run of the machine;
 * the adjacency checks cover the full context.
 */
const lifecycle = (s: CertificationSnapshot) =>
  JSON.stringify({
    v: s.value,
    f: s.context.findings.map((f) => f.status),
    d: s.context.team.decider,
    verified: s.context.verification !== null,
    sv: s.context.surveillance.completed,
    renewal: s.context.renewal !== null,
  });

/** The machine as the graph functions' ActorLogic (their generic signature does not infer a setup() machine). */
const logic = certificationMachine as unknown as ActorLogic<CertificationSnapshot, CertificationEvent, CertificationContext>;

describe.each(VARIANTS)("model: $name", (variant) => {
  const events = modelEvents(variant);
  const input = startCase(variant.input).context;
  const adjacency = getAdjacencyMap(logic, { input, events, serializeState: (s) => serializeSnapshot(s), limit: 200_000 });
  const edges = adjacencyMapToArray(adjacency);
  const states = Object.values(adjacency).map((a) => a.state);
  const reached = new Set(states.map(stateOf));

  it("reaches the states the label type allows", () => {
    const always: CertificationState[] = [
      "draft",
      "submitted",
      "accepted",
      "planning",
      "document_review",
      "footprint_verification",
      "awaiting_applicant",
      "evaluation_and_decision",
      "declined",
      "refused",
      "withdrawn_by_applicant",
    ];
    for (const s of always) expect(reached, s).toContain(s);
    const certified: CertificationState[] = ["issued", "surveillance", "suspended", "withdrawn", "expired", "renewed"];
    for (const s of certified) expect(reached.has(s), s).toBe(variant.grantable);
    expect(reached.has("onsite_inspection")).toBe(variant.input.labelType === "RC" || variant.input.onsiteRequired === true);
  });

  it("holds the invariants in every reachable state", () => {
    expect(states.length).toBeGreaterThan(20);
    for (const s of states) checkState(s);
  });

  it("holds the invariants on every transition", () => {
    for (const { state, event, nextState } of edges) checkEdge(state, event, nextState);
  });

  it("final states accept no event at all", () => {
    const finals = states.filter((s) => s.status === "done");
    expect(finals.length).toBeGreaterThan(0);
    const representatives = new Set<string>();
    for (const s of finals) {
      expect(__unsafe_getAllOwnEventDescriptors(s), String(s.value)).toEqual([]);
      if (representatives.has(String(s.value))) continue;
      representatives.add(String(s.value));
      // The first case seen in each final state gets every event type from every actor.
      for (const e of everything(variant, s)) {
        expect(s.can(e), `${String(s.value)} can ${e.type}`).toBe(false);
        const [next, actions] = transition(certificationMachine, s, e);
        expect(next).toBe(s);
        expect(actions).toEqual([]);
      }
    }
  });

  it("replays the shortest path to every lifecycle state through persistence and the host's step()", async () => {
    const model = createTestModel(certificationMachine, { input, events, serializeState: lifecycle, limit: 200_000 });
    const paths = model.getShortestPaths();
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) {
      let sut = startCase(variant.input);
      await path.test({
        states: {
          // The model keeps one case per lifecycle state; the replayed case must be in the same one.
          "*": (s) => {
            expect(lifecycle(sut)).toBe(lifecycle(s));
            checkState(sut);
          },
        },
        events: Object.fromEntries(
          CERTIFICATION_EVENT_TYPES.map((type) => [
            type,
            ({ event }: { event: CertificationEvent }) => {
              const stored = JSON.parse(JSON.stringify(persistSnapshot(CERTIFICATION_MACHINE_KEY, sut)));
              const result = step(restoreSnapshot(stored), event);
              expect(result.accepted).toBe(true);
              sut = result.snapshot;
            },
          ]),
        ),
      });
    }
  });
});

describe.each([
  { name: "CF", input: newCase("CF", { onsiteRequired: false }), values: [600], maxFindings: 0, grantable: true },
  { name: "RC", input: newCase("RC"), values: [600], maxFindings: 0, grantable: true },
] satisfies Variant[])(
  "model: every simple path of a $name case's lifecycle (no findings: they multiply the paths past any useful time)",
  (variant) => {
    it("never issues without an independent approved decision along any simple path", () => {
      const paths = getSimplePaths(logic, {
        input: startCase(variant.input).context,
        events: modelEvents(variant),
        serializeState: lifecycle,
      });
      expect(paths.length).toBeGreaterThan(500);
      let issued = 0;
      for (const path of paths) {
        for (const { state } of path.steps) checkState(state);
        checkState(path.state);
        if (stateOf(path.state) === "issued") issued++;
      }
      expect(issued).toBeGreaterThan(0);
    });
  },
);
