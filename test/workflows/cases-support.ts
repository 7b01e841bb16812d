/**
 * Shared set-up for the case persistence tests: the demo parties, a fresh case on the fixture
 * inventory, and short ways to send events as a named demo user.
 */
import type { Kysely } from "kysely";
import { createCase, transition, type NewCaseInput, type TransitionResult } from "../../workflows/cases/index.ts";
import { SCHEDULER, type CommandActor } from "../../workflows/cases/actors.ts";
import type { DB } from "../../db/schema.ts";
import { CASE_PEOPLE, demoInventoryId, OTHER_TENANT, seedFixtures, userIdByEmail } from "../support/fixtures.ts";

export const EMAILS = { ...CASE_PEOPLE, otherCbAdmin: "admin@hbdc.demo", otherMaker: OTHER_TENANT.adminEmail } as const;
export type Who = keyof typeof EMAILS;

export interface World {
  readonly db: Kysely<DB>;
  readonly user: Record<Who, string>;
  readonly org: { readonly maker: string; readonly ccdc: string; readonly hbdc: string };
  readonly inventoryId: string;
}

export async function world(): Promise<World> {
  const db = await seedFixtures();
  const user = Object.fromEntries(await Promise.all(Object.entries(EMAILS).map(async ([k, e]) => [k, await userIdByEmail(e)]))) as Record<
    Who,
    string
  >;
  const orgOf = async (code: string) => (await db.selectFrom("organizations").select("id").where("cb_code", "=", code).executeTakeFirstOrThrow()).id;
  const maker = (await db.selectFrom("memberships").select("organization_id").where("user_id", "=", user.applicant).executeTakeFirstOrThrow())
    .organization_id;
  return { db, user, org: { maker, ccdc: await orgOf("CCDC"), hbdc: await orgOf("HBDC") }, inventoryId: await demoInventoryId() };
}

/**
 * Another inventory of the fixture product with the fixture's header (no lines): the host allows
 * one open application per inventory and label type, so each test case gets an inventory of its own.
 */
export async function freshInventory(w: World): Promise<string> {
  const source = await w.db.selectFrom("inventories").selectAll().where("id", "=", w.inventoryId).executeTakeFirstOrThrow();
  const { id: _id, created_at: _c, updated_at: _u, locked_at: _l, version: _v, ...header } = source;
  const latest = await w.db
    .selectFrom("inventories")
    .select((eb) => eb.fn.max("version").as("version"))
    .where("product_id", "=", source.product_id)
    .executeTakeFirstOrThrow();
  const row = await w.db
    .insertInto("inventories")
    .values({ ...header, version: Number(latest.version) + 1, previous_version_id: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A CF case in draft on an inventory of the fixture (cement) product, applied for at CCDC. */
export async function openTestCase(w: World, overrides: Partial<NewCaseInput> = {}): Promise<string> {
  const { caseId } = await createCase(w.db, {
    userId: w.user.applicant,
    inventoryId: overrides.inventoryId ?? (await freshInventory(w)),
    labelType: "CF",
    cbOrganizationId: w.org.ccdc,
    declaredValue: 610,
    conformancePassed: true,
    onsiteRequired: true,
    ...overrides,
  });
  return caseId;
}

export const actor = (w: World, who: Who | "system"): CommandActor => (who === "system" ? SCHEDULER : { userId: w.user[who] });

export function send(
  w: World,
  caseId: string,
  who: Who | "system",
  event: Record<string, unknown> & { type: string },
  options: { at?: Date | string; expectedVersion?: number } = {},
): Promise<TransitionResult> {
  return transition(w.db, { caseId, actor: actor(w, who), event, ...options });
}

/** Submit, accept, assign the team and the decider, start the review. */
export async function toReview(w: World, caseId: string, at?: string): Promise<void> {
  await send(w, caseId, "applicant", { type: "SUBMIT" }, { at });
  await send(w, caseId, "cbAdmin", { type: "ACCEPT" }, { at });
  await send(
    w,
    caseId,
    "cbAdmin",
    { type: "ASSIGN_TEAM", reviewer: w.user.reviewer, inspector: w.user.inspector, verifier: w.user.verifier },
    { at },
  );
  await send(w, caseId, "cbAdmin", { type: "ASSIGN_DECIDER", decider: w.user.decider }, { at });
  await send(w, caseId, "reviewer", { type: "START_REVIEW" }, { at });
}

/** From draft to evaluation_and_decision, with the on-site inspection. */
export async function toDecision(w: World, caseId: string, verified = 600, at?: string): Promise<void> {
  await toReview(w, caseId, at);
  await send(w, caseId, "reviewer", { type: "COMPLETE_REVIEW" }, { at });
  await send(
    w,
    caseId,
    "inspector",
    {
      type: "RECORD_INSPECTION",
      inspection: { date: "2026-03-05", site: "Plant 1", attendees: ["QA lead"], observations: "Kiln meters calibrated" },
    },
    { at },
  );
  await send(w, caseId, "verifier", { type: "RECORD_VERIFICATION", kgCO2ePerDeclaredUnit: verified }, { at });
  await send(w, caseId, "verifier", { type: "COMPLETE_VERIFICATION" }, { at });
}

export async function stateOf(w: World, caseId: string) {
  return w.db.selectFrom("cases").select(["state", "version"]).where("id", "=", caseId).executeTakeFirstOrThrow();
}

export async function logOf(w: World, caseId: string) {
  return w.db.selectFrom("case_events").selectAll().where("case_id", "=", caseId).orderBy("seq").execute();
}
