/**
 * Certification cases in the database: opening one, and every transition after that.
 *
 * A transition runs in one transaction: load the case, check the actor on the server
 * (duties.ts), validate the payload (events.ts), compute the next snapshot with the pure machine,
 * write it where the version is still the one loaded (optimistic lock: a stale write is a
 * CaseConflictError, "this case changed, reload"), append the event to the hash-chained log and
 * write one outbox row per effect. Nothing outside the database happens here; effects run after
 * commit (outbox.ts).
 *
 * Every function takes a Kysely instance or a transaction; given a transaction it joins it, so the
 * scheduler, the certificate handler and the seed can compose transitions with their own writes.
 */
import { randomUUID } from "node:crypto";
import type { Transaction } from "kysely";
import { z } from "zod";
import { addMonths } from "../../rules/labels/index.ts";
import { PCR_CATALOGUE } from "../../rules/pcr/index.ts";
import { startCase, step, type CertificationSnapshot, type NewCase } from "../certification/case.ts";
import { allowedEvents, CERTIFICATION_EVENT_TYPES, stateOf } from "../certification/presentation.ts";
import {
  ATTACHMENT_KINDS,
  type CertificationContext,
  type CertificationEffect,
  type CertificationEvent,
  type CertificationEventType,
} from "../certification/types.ts";
import { currentMachineVersion, machineVersion, restoreSnapshot, StoredSnapshotError, versionOfSnapshot, type MachineVersion } from "../registry.ts";
import { fromNumeric, toNumeric } from "../../db/decimal.ts";
import type { CasesTable, DB } from "../../db/schema.ts";
import {
  applicantInventory,
  certificationBody,
  identitySourceOf,
  inventoryProductAndPcr,
  lockInventory,
} from "../../db/repositories/case-applications.ts";
import { eventHash, insertCaseEvent } from "../../db/repositories/case-events.ts";
import { casePartyOf } from "../../db/repositories/case-lists.ts";
import { findCaseWithLogHead, insertCase, updateCaseAtVersion, type CaseWithLogHead } from "../../db/repositories/cases.ts";
import { certificatesOfProductUnderPcr } from "../../db/repositories/certificates.ts";
import { replaceCaseCredits } from "../../db/repositories/credit-retirements.ts";
import { storeFootprintResult } from "../../db/repositories/footprint-results.ts";
import type { Executor } from "../../db/repositories/executor.ts";
import { insertOutboxRows } from "../../db/repositories/outbox.ts";
import { isSystem, isUuid, resolveActor, type CommandActor, type ResolvedActor } from "./actors.ts";
import { entryHash, GENESIS_HASH, snapshotHash } from "./chain.ts";
import { checkAssignment, serverRefusal, type CaseParties } from "./duties.ts";
import {
  ApplicationAlreadyOpenError,
  CaseConflictError,
  CaseInputError,
  CaseNotFoundError,
  CreditSerialConflictError,
  EventNotAllowedError,
} from "./errors.ts";
import { identityOf, type CaseIdentity } from "./identity.ts";
import {
  ClaimSchema,
  PARSE_OPTIONS,
  parseSystemEvent,
  parseUserEvent,
  RetiredCreditsSchema,
  sideOf,
  toFieldIssue,
  type SystemEvent,
  type UserEvent,
} from "./events.ts";

export type Db = Executor;

/** Joins the caller's transaction, or opens one. */
export function inTransaction<T>(db: Db, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<DB>) : db.transaction().execute(work);
}

/** The stored case with the hash of its last logged event (`last_hash`). */
export type CaseRow = CaseWithLogHead;

/** The stored case and its snapshot restored under its own machine version; null when missing. */
export async function loadCase(db: Db, caseId: string): Promise<({ row: CaseRow } & RestoredCase) | null> {
  if (!isUuid(caseId)) return null;
  const row = await findCaseWithLogHead(db, caseId);
  if (!row) return null;
  return { row, ...restoreCase(row) };
}

/** The columns of a `cases` row that `restoreCase` reads. */
export type StoredCase = Pick<CasesTable, "machine" | "machine_version"> & {
  readonly id: string;
  readonly snapshot: { readonly value: string; readonly context: object };
};

/** A stored case as its machine version sees it: the version (key, number, machine) and the typed snapshot. */
export interface RestoredCase extends MachineVersion {
  readonly snapshot: CertificationSnapshot;
}

/**
 * The one way to read a stored case's snapshot (the host, the scheduler and every page or effect
 * that reads the context): restored under the machine version the case was stored with, after
 * checking that the row's two version columns agree and that the context is this case's.
 * A version this release does not know is an UnknownMachineError, a snapshot that version cannot
 * have written a StoredSnapshotError, both before XState sees it.
 */
export function restoreCase(row: StoredCase): RestoredCase {
  const version = machineVersion(row.machine);
  if (version.version !== row.machine_version) {
    throw new StoredSnapshotError(row.machine, `case ${row.id} says machine_version ${row.machine_version}, its key says ${version.version}`);
  }
  const snapshot = restoreSnapshot({ machine: row.machine, value: row.snapshot.value, context: row.snapshot.context });
  if (snapshot.context.caseId !== row.id)
    throw new StoredSnapshotError(row.machine, `case ${row.id} holds the context of case ${String(snapshot.context.caseId)}`);
  return { ...version, snapshot };
}

function isoOf(at: Date | string | undefined): string {
  const d = at === undefined ? new Date() : new Date(at);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a time: ${String(at)}`);
  return d.toISOString();
}

// ---- opening a case -------------------------------------------------------------------------

const NewCaseSchema = z.strictObject({
  inventoryId: z.uuid(),
  labelType: z.enum(["CF", "LC", "RC", "CN"]),
  cbOrganizationId: z.uuid(),
  /** kg CO2e per declared unit: the applicant's result, computed by the caller with the calculator. */
  declaredValue: z.number().positive().finite(),
  /** Whether the PCR conformance report of the inventory passed (the caller ran it). */
  conformancePassed: z.boolean(),
  onsiteRequired: z.boolean().optional(),
  claim: ClaimSchema.nullable().optional(),
  credits: z.array(RetiredCreditsSchema).max(200).optional(),
  attachments: z
    .array(z.strictObject({ id: z.string().min(1).max(100), kind: z.enum(ATTACHMENT_KINDS), name: z.string().trim().min(1).max(200) }))
    .max(50)
    .optional(),
});
export type NewCaseInput = z.input<typeof NewCaseSchema>;

/**
 * The footprint an application rests on, as the caller's calculator computes it inside the
 * opening transaction, after the host has locked the inventory: exactly the lines that stay.
 */
export interface LockedFootprint {
  /** kg CO2e per declared unit. */
  readonly total: number;
  readonly conformancePassed: boolean;
  readonly calculatorVersion: string;
  readonly inputSha256: string;
  /** The result's stamp (calculator, PCR and dataset versions with content hashes, GWP set, input hash). */
  readonly stamp: unknown;
  readonly result: unknown;
  readonly conformance: unknown;
}
/** Computes the locked inventory's footprint through the opening transaction. */
export type LockedFootprintSource = (trx: Transaction<DB>, inventory: { id: string; organizationId: string }) => Promise<LockedFootprint>;

export interface CreateCaseCommand extends NewCaseInput {
  /** The applicant user opening the case (a manufacturer role of the inventory's organization). */
  readonly userId: string;
  /** Defaults to now; the demo seed passes historical times. */
  readonly at?: Date | string;
  /**
   * When given, the application rests on a stored result (ADR 0014): its total and conformance
   * replace `declaredValue` and `conformancePassed`, and the case points at it. Without it (tests
   * of the host alone) the case carries the caller's figures and no stored result.
   */
  readonly footprint?: LockedFootprintSource;
}

/**
 * Opens a case in `draft` from one of the applicant's inventories and locks that inventory
 * (editing it from now on makes a new version). Returns the new case's id and version 1.
 */
export async function createCase(db: Db, command: CreateCaseCommand): Promise<{ caseId: string; version: number }> {
  const { userId, at, footprint, ...input } = command;
  const parsed = NewCaseSchema.safeParse(input, PARSE_OPTIONS);
  if (!parsed.success) throw new CaseInputError(parsed.error.issues.map(toFieldIssue));
  const caseId = randomUUID();
  return withDatabaseErrors(caseId, () =>
    inTransaction(db, async (trx) => {
      const actor = await resolveActor(trx, { userId });
      if (!actor?.organizationId || !actor.roles.some((r) => r === "manufacturer_admin" || r === "manufacturer_member")) {
        throw new EventNotAllowedError(caseId, "OPEN", "none", "actor");
      }
      await openCase(trx, { ...parsed.data, caseId, actor, renewsCaseId: null, at: isoOf(at), footprint });
      return { caseId, version: 1 };
    }),
  );
}

interface OpenCase extends z.output<typeof NewCaseSchema> {
  readonly caseId: string;
  readonly actor: ResolvedActor;
  readonly renewsCaseId: string | null;
  readonly at: string;
  readonly footprint?: LockedFootprintSource;
}

/** The product and holder as they read now, in the case's transaction. */
async function currentIdentity(trx: Transaction<DB>, productId: string, organizationId: string): Promise<CaseIdentity> {
  const row = await identitySourceOf(trx, { productId, organizationId });
  return identityOf({
    product: row,
    holder: { name_zh: row.holder_name_zh, name_en: row.holder_name_en, credit_code: row.credit_code },
  });
}

async function openCase(trx: Transaction<DB>, o: OpenCase): Promise<void> {
  const applicantOrganizationId = o.actor.organizationId!;
  const inventory = await applicantInventory(trx, applicantOrganizationId, o.inventoryId);
  if (!inventory) {
    throw new CaseInputError([{ field: "inventoryId", rule: "exists", key: "case.issue.noSuchInventory" }]);
  }
  const cb = await certificationBody(trx, o.cbOrganizationId);
  if (!cb) {
    throw new CaseInputError([{ field: "cbOrganizationId", rule: "exists", key: "case.issue.noSuchBody" }]);
  }
  if (!cb.accredited_categories.includes(inventory.pcr_code)) {
    throw new CaseInputError([
      {
        field: "cbOrganizationId",
        rule: "accredited_scope",
        key: "case.issue.notAccredited",
        params: { pcr: inventory.pcr_code },
      },
    ]);
  }
  const pcr = PCR_CATALOGUE.get(inventory.pcr_code, inventory.pcr_version);
  // From now on the inventory's lines never change: the application rests on them. Locked before
  // the footprint is computed, so the stored result is the result of exactly these lines.
  await lockInventory(trx, inventory.id);
  let declaredValue = o.declaredValue;
  let conformancePassed = o.conformancePassed;
  let resultId: string | null = null;
  if (o.footprint) {
    const footprint = await o.footprint(trx, { id: inventory.id, organizationId: applicantOrganizationId });
    resultId = await storeFootprintResult(trx, {
      inventoryId: inventory.id,
      organizationId: applicantOrganizationId,
      total: toNumeric(footprint.total),
      calculatorVersion: footprint.calculatorVersion,
      inputSha256: footprint.inputSha256,
      stamp: footprint.stamp,
      result: footprint.result,
      conformance: footprint.conformance,
      at: o.at,
    });
    declaredValue = footprint.total;
    conformancePassed = footprint.conformancePassed;
  }
  const earlier = await certificatesOfProductUnderPcr(trx, inventory.product_id, inventory.pcr_code, inventory.id);
  const identity = await currentIdentity(trx, inventory.product_id, applicantOrganizationId);

  const newCase: NewCase = {
    caseId: o.caseId,
    labelType: o.labelType,
    productId: inventory.product_id,
    applicantOrganizationId,
    cbOrganizationId: cb.id,
    cbScope: cb.accredited_categories,
    pcr: { code: pcr.code, version: pcr.version },
    declaredValue,
    conformancePassed,
    onsiteRequired: o.onsiteRequired,
    earlierCertificates: earlier.map((c) => ({
      number: c.number,
      verifiedValue: fromNumeric(c.verified_value),
      pcrCode: c.pcr_code,
      declaredUnit: { quantity: fromNumeric(c.declared_unit_quantity), unit: c.declared_unit },
      issuedOn: c.issued_on,
    })),
    attachments: o.attachments ?? [],
    claim: o.claim ?? null,
    credits: o.credits ?? [],
  };
  // A new case, a renewal's included, is opened with the current version and keeps it for life.
  const current = currentMachineVersion();
  const snapshot = startCase(newCase, current.machine);
  await insertCase(trx, {
    id: o.caseId,
    machine: current.key,
    machine_version: current.version,
    label_type: o.labelType,
    applicant_organization_id: applicantOrganizationId,
    cb_organization_id: cb.id,
    product_id: inventory.product_id,
    inventory_id: inventory.id,
    renews_case_id: o.renewsCaseId,
    pcr_code: pcr.code,
    pcr_version: pcr.version,
    declared_value: toNumeric(declaredValue),
    declared_unit_quantity: toNumeric(pcr.declaredUnit.quantity),
    declared_unit: pcr.declaredUnit.unit,
    product_name_zh: identity.product.nameZh,
    product_name_en: identity.product.nameEn,
    identity: JSON.stringify(identity),
    result_id: resultId,
    created_by: o.actor.userId!,
    created_at: o.at,
    ...derivedColumns(snapshot, o.at),
  });
  if (newCase.credits && newCase.credits.length > 0) await replaceCaseCredits(trx, o.caseId, newCase.credits);
  await appendEvent(trx, {
    caseId: o.caseId,
    seq: 1,
    eventType: "OPEN",
    actor: o.actor,
    payload: { context: snapshot.context },
    stateBefore: null,
    snapshot,
    at: o.at,
  });
}

// ---- transitions ----------------------------------------------------------------------------

const ENDED_WITHOUT_CERTIFICATE: readonly string[] = ["declined", "refused", "withdrawn_by_applicant"];

export interface TransitionCommand {
  readonly caseId: string;
  readonly actor: CommandActor;
  /** `{ type, ...payload }`, validated here (events.ts); actor and time are never taken from it. */
  readonly event: unknown;
  /** The version the caller's page showed; a different current version is a conflict. */
  readonly expectedVersion?: number;
  /** Defaults to now; the scheduler and the demo seed pass their own. */
  readonly at?: Date | string;
  /** RENEW: the renewal's locked footprint, as for a new application (CreateCaseCommand.footprint). */
  readonly footprint?: LockedFootprintSource;
}

export interface TransitionResult {
  readonly caseId: string;
  readonly version: number;
  readonly stateBefore: string;
  readonly state: string;
  readonly seq: number;
  readonly hash: string;
  readonly effects: readonly CertificationEffect[];
  /** RENEW: the renewal case opened in the same transaction. */
  readonly renewalCaseId?: string;
  /** The outbox rows this transition wrote, one per effect in order: what the request that sent it may run itself (outbox.ts `runOutboxRows`). */
  readonly outboxIds: readonly number[];
}

export async function transition(db: Db, command: TransitionCommand): Promise<TransitionResult> {
  return withDatabaseErrors(command.caseId, () => inTransaction(db, (trx) => transitionIn(trx, command)));
}

async function transitionIn(trx: Transaction<DB>, command: TransitionCommand): Promise<TransitionResult> {
  const { caseId } = command;
  const loaded = await loadCase(trx, caseId);
  if (!loaded) throw new CaseNotFoundError(caseId);
  const { row, snapshot, machine } = loaded;
  const actor = await resolveActor(trx, command.actor);
  // Someone who is no party to the case learns nothing about it, not even that it exists; nor does
  // the body about a draft (the applicant's until submitted), by the same rule its pages read with.
  // The platform's own processes are no party and act on any case.
  if (!actor || (!actor.system && !(actor.organizationId && (await casePartyOf(trx, caseId, actor.organizationId))))) {
    throw new CaseNotFoundError(caseId);
  }
  if (command.expectedVersion !== undefined && command.expectedVersion !== row.version) {
    throw new CaseConflictError(caseId, command.expectedVersion, "load");
  }

  const type = (command.event as { type?: unknown } | null)?.type;
  const parties: CaseParties = {
    id: row.id,
    state: row.state,
    applicant_organization_id: row.applicant_organization_id,
    cb_organization_id: row.cb_organization_id,
  };
  // Who, then when, then what: a forged event is refused for its sender and the state before its payload is read.
  if (typeof type === "string" && CERTIFICATION_EVENT_TYPES.includes(type as CertificationEventType)) {
    const known = type as CertificationEventType;
    if ((sideOf(known) === "system") !== isSystem(command.actor)) throw new EventNotAllowedError(caseId, known, row.state, "actor");
    const refusal = await serverRefusal(trx, parties, snapshot, actor, known);
    if (refusal) throw refusal;
    if (!Object.hasOwn(machine.states[stateOf(snapshot)]?.config.on ?? {}, known)) throw new EventNotAllowedError(caseId, known, row.state, "state");
  }
  const payload: UserEvent | SystemEvent = isSystem(command.actor) ? parseSystemEvent(command.event) : parseUserEvent(command.event);
  if (payload.type === "ASSIGN_TEAM")
    await checkAssignment(trx, parties, snapshot, { reviewer: payload.reviewer, inspector: payload.inspector, verifier: payload.verifier });
  if (payload.type === "ASSIGN_DECIDER") await checkAssignment(trx, parties, snapshot, { decider: payload.decider });

  const at = isoOf(command.at);
  const event = completeEvent(payload, snapshot.context, actor, at);
  const result = step(snapshot, event);
  if (!result.accepted) {
    const mayInPrinciple = allowedEvents(snapshot, actor.machine, at).includes(payload.type);
    throw new EventNotAllowedError(caseId, payload.type, row.state, mayInPrinciple ? "condition" : "actor");
  }

  // Submission hands the case over: the identity is taken for the last time, and the body sees the case from now on.
  const handedOver =
    event.type === "SUBMIT" && row.submitted_at === null
      ? await currentIdentity(trx, row.product_id, row.applicant_organization_id).then((identity) => ({
          identity: JSON.stringify(identity),
          product_name_zh: identity.product.nameZh,
          product_name_en: identity.product.nameEn,
          submitted_at: at,
        }))
      : {};
  // Optimistic lock: only the writer that still sees the version it loaded succeeds.
  const written = await updateCaseAtVersion(trx, caseId, row.version, {
    ...derivedColumns(result.snapshot, at, row.closed_at),
    ...handedOver,
    version: row.version + 1,
  });
  if (!written) throw new CaseConflictError(caseId, command.expectedVersion ?? row.version, "write");

  let renewalCaseId: string | undefined;
  if (event.type === "RECORD_CREDITS") await replaceCaseCredits(trx, caseId, event.credits);
  // Credits of an application that ends without a certificate backed no claim: the applicant may use them again.
  if (ENDED_WITHOUT_CERTIFICATE.includes(stateOf(result.snapshot))) await replaceCaseCredits(trx, caseId, []);
  if (event.type === "RENEW" && payload.type === "RENEW") {
    renewalCaseId = event.newCaseId;
    await openRenewal(trx, row, snapshot.context, actor, {
      caseId: renewalCaseId,
      inventoryId: payload.inventoryId,
      declaredValue: payload.declaredValue,
      conformancePassed: payload.conformancePassed,
      at,
      footprint: command.footprint,
    });
  }

  const { actor: _actor, at: _at, ...logged } = event;
  const hash = await appendEvent(trx, {
    caseId,
    seq: written.version,
    prevHash: row.last_hash,
    eventType: event.type,
    actor,
    payload: logged,
    stateBefore: row.state,
    snapshot: result.snapshot,
    at,
  });
  const outboxIds = await enqueueEffects(trx, caseId, written.version, at, result.effects);
  return {
    caseId,
    version: written.version,
    stateBefore: row.state,
    state: stateOf(result.snapshot),
    seq: written.version,
    hash,
    effects: result.effects,
    renewalCaseId,
    outboxIds,
  };
}

/** The machine's event: the validated payload with actor, time and the ids the host owns. */
function completeEvent(payload: UserEvent | SystemEvent, context: CertificationContext, actor: ResolvedActor, at: string): CertificationEvent {
  const base = { actor: actor.machine, at };
  switch (payload.type) {
    case "RAISE_FINDING":
      // Findings are never removed, so the next number is free; people quote these ids.
      return { ...base, type: "RAISE_FINDING", finding: { ...payload.finding, id: `F-${String(context.findings.length + 1).padStart(2, "0")}` } };
    case "ATTACH_DOCUMENT":
      return { ...base, type: "ATTACH_DOCUMENT", attachment: { ...payload.attachment, id: payload.attachment.id ?? randomUUID() } };
    case "RENEW":
      return {
        ...base,
        type: "RENEW",
        newCaseId: randomUUID(),
        inventoryId: payload.inventoryId,
        declaredValue: payload.declaredValue,
        conformancePassed: payload.conformancePassed,
      } as CertificationEvent;
    default:
      return { ...base, ...payload } as CertificationEvent;
  }
}

/**
 * RENEW: the new case (same product, label and body; the inventory the applicant chose now)
 * is opened in the renewal's transaction, so the effect that follows finds it in place.
 */
async function openRenewal(
  trx: Transaction<DB>,
  row: CaseRow,
  context: CertificationContext,
  actor: ResolvedActor,
  r: { caseId: string; inventoryId: string; declaredValue: number; conformancePassed: boolean; at: string; footprint?: LockedFootprintSource },
): Promise<void> {
  const inventory = await inventoryProductAndPcr(trx, r.inventoryId);
  if (!inventory || inventory.product_id !== row.product_id || inventory.pcr_code !== row.pcr_code) {
    throw new CaseInputError([
      {
        field: "inventoryId",
        rule: "same_product",
        key: "case.issue.renewalInventory",
      },
    ]);
  }
  await openCase(trx, {
    caseId: r.caseId,
    actor,
    renewsCaseId: row.id,
    at: r.at,
    inventoryId: r.inventoryId,
    labelType: row.label_type,
    cbOrganizationId: row.cb_organization_id,
    declaredValue: r.declaredValue,
    conformancePassed: r.conformancePassed,
    onsiteRequired: context.onsiteRequired,
    footprint: r.footprint,
  });
}

// ---- writing --------------------------------------------------------------------------------

/** The columns copied out of the snapshot, for inbox queries and the scheduler. */
function derivedColumns(snapshot: CertificationSnapshot, at: string, closedAt: Date | null = null) {
  const c = snapshot.context;
  const state = stateOf(snapshot);
  const dueDates = c.findings
    .filter((f) => f.status === "open" && !f.overdue)
    .map((f) => f.dueOn)
    .sort();
  return {
    state,
    snapshot: JSON.stringify({ value: snapshot.value, context: c }),
    reviewer_id: c.team.reviewer,
    inspector_id: c.team.inspector,
    verifier_id: c.team.verifier,
    decider_id: c.team.decider,
    open_findings: c.findings.filter((f) => f.status !== "closed").length,
    next_finding_due_on: dueDates[0] ?? null,
    certificate_issued_on: c.certificate?.issuedOn ?? null,
    certificate_valid_until: c.certificate?.validUntil ?? null,
    surveillance_due_on: state === "issued" ? nextSurveillanceDue(c) : null,
    closed_at: snapshot.status === "done" ? (closedAt ?? at) : null,
    updated_at: new Date(),
  };
}

/** The next yearly surveillance of an issued certificate, or null when the validity ends first. */
export function nextSurveillanceDue(c: Pick<CertificationContext, "certificate" | "surveillance">): string | null {
  if (!c.certificate) return null;
  const due = addMonths(c.certificate.issuedOn, 12 * (c.surveillance.completed + 1));
  return due <= c.certificate.validUntil ? due : null;
}

interface NewEntry {
  readonly caseId: string;
  readonly seq: number;
  /** The hash of entry seq - 1 (read with the case); looked up when not given. */
  readonly prevHash?: string | null;
  readonly eventType: string;
  readonly actor: ResolvedActor;
  readonly payload: object;
  readonly stateBefore: string | null;
  readonly snapshot: CertificationSnapshot;
  readonly at: string;
}

/** Appends one entry to the case's hash chain; returns its hash. */
async function appendEvent(trx: Transaction<DB>, e: NewEntry): Promise<string> {
  let prevHash = e.seq === 1 ? GENESIS_HASH : (e.prevHash ?? null);
  if (prevHash === null) {
    const prev = await eventHash(trx, e.caseId, e.seq - 1);
    if (prev === undefined) throw new Error(`case ${e.caseId} has no logged event ${e.seq - 1} to chain to`);
    prevHash = prev;
  }
  // Exactly what the row will read back as: JSON-normalised payload, millisecond times.
  const payload = JSON.parse(JSON.stringify(e.payload)) as Record<string, unknown>;
  const recordedAt = new Date().toISOString();
  const entry = {
    caseId: e.caseId,
    seq: e.seq,
    eventType: e.eventType,
    actorUserId: e.actor.userId,
    actorSystem: e.actor.system,
    actorRoles: [...e.actor.roles],
    actorOrganizationId: e.actor.organizationId,
    payload,
    stateBefore: e.stateBefore,
    stateAfter: stateOf(e.snapshot),
    // Under the key of the version that made the snapshot, which is the one the case is stored with.
    snapshotHash: snapshotHash(versionOfSnapshot(e.snapshot).key, e.snapshot.value, e.snapshot.context),
    at: e.at,
    recordedAt,
    prevHash,
  };
  const hash = entryHash(entry);
  await insertCaseEvent(trx, {
    case_id: entry.caseId,
    seq: entry.seq,
    event_type: entry.eventType,
    actor_user_id: entry.actorUserId,
    actor_system: entry.actorSystem,
    actor_roles: entry.actorRoles,
    actor_organization_id: entry.actorOrganizationId,
    payload: JSON.stringify(payload),
    state_before: entry.stateBefore,
    state_after: entry.stateAfter,
    snapshot_hash: entry.snapshotHash,
    at: entry.at,
    recorded_at: recordedAt,
    prev_hash: prevHash,
    hash,
  });
  return hash;
}

/** One outbox row per effect, keyed by case, event and position so that nothing runs twice; returns their ids in effect order. */
async function enqueueEffects(
  trx: Transaction<DB>,
  caseId: string,
  seq: number,
  at: string,
  effects: readonly CertificationEffect[],
): Promise<number[]> {
  if (effects.length === 0) return [];
  return insertOutboxRows(
    trx,
    effects.map((effect, i) => ({
      effect_type: effect.type,
      case_id: caseId,
      payload: JSON.stringify({ ...effect, eventSeq: seq, eventAt: at }),
      idempotency_key: `${caseId}:${seq}:${i}`,
    })),
  );
}

/** Database errors that mean something to the caller, as case errors. */
async function withDatabaseErrors<T>(caseId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code === "23P01" && e.constraint === "credit_retirements_no_overlap") throw new CreditSerialConflictError(caseId);
    if (e.code === "23505" && e.constraint === "cases_one_open_application") throw new ApplicationAlreadyOpenError(caseId);
    // Two writers racing for the same log position: the optimistic lock's last line of defence.
    if (e.code === "23505" && e.constraint === "case_events_pkey") throw new CaseConflictError(caseId, -1, "write");
    throw error;
  }
}
