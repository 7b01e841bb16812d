/**
 * Case persistence: a transition stores the snapshot with version + 1, appends one hash-chained
 * log entry and one outbox row per effect, all in one transaction; a stale version is a
 * conflict; forged events (wrong state, role, organization, duties) change nothing.
 */
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CaseConflictError,
  CaseInputError,
  CaseNotFoundError,
  caseActions,
  caseHistory,
  createCase,
  EventNotAllowedError,
  getCase,
  listCases,
  verifyChains,
} from "../../workflows/cases/index.ts";
import { translator } from "../../app/i18n/index.ts";
import { GENESIS_HASH } from "../../workflows/cases/chain.ts";
import { logOf, openTestCase, send, stateOf, toDecision, toReview, world, type World } from "./cases-support.ts";

let w: World;
beforeAll(async () => {
  w = await world();
});

/** Everything a forged request must leave untouched. */
async function footprint(caseId: string) {
  const c = await w.db.selectFrom("cases").select(["state", "version", "snapshot"]).where("id", "=", caseId).executeTakeFirstOrThrow();
  const { events } = await w.db
    .selectFrom("case_events")
    .select(sql<number>`count(*)::int`.as("events"))
    .where("case_id", "=", caseId)
    .executeTakeFirstOrThrow();
  const { outbox } = await w.db
    .selectFrom("outbox")
    .select(sql<number>`count(*)::int`.as("outbox"))
    .where("case_id", "=", caseId)
    .executeTakeFirstOrThrow();
  return { ...c, events, outbox };
}

const zh = translator("zh-CN");
const en = translator("en");

async function refusedWith<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

describe("opening a case", () => {
  it("stores the draft at version 1 with its opening log entry and locks the inventory", async () => {
    const caseId = await openTestCase(w);
    const row = await w.db.selectFrom("cases").selectAll().where("id", "=", caseId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      state: "draft",
      version: 1,
      machine: "certification.v1",
      machine_version: 1,
      label_type: "CF",
      pcr_code: "PCR-CN-CEMENT",
      declared_value: "610",
      declared_unit: "t",
    });
    const log = await logOf(w, caseId);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      seq: 1,
      event_type: "OPEN",
      actor_user_id: w.user.applicant,
      state_before: null,
      state_after: "draft",
      prev_hash: GENESIS_HASH,
    });
    const inventory = await w.db.selectFrom("inventories").select("locked_at").where("id", "=", row.inventory_id).executeTakeFirstOrThrow();
    expect(inventory.locked_at).not.toBeNull();
  });

  it("refuses a body not accredited for the PCR, another organization's inventory, and a CB user as applicant", async () => {
    const hbdcScope = await w.db.selectFrom("organizations").select("accredited_categories").where("id", "=", w.org.hbdc).executeTakeFirstOrThrow();
    await w.db.updateTable("organizations").set({ accredited_categories: [] }).where("id", "=", w.org.hbdc).execute();
    const scope = await refusedWith(openTestCase(w, { cbOrganizationId: w.org.hbdc }), CaseInputError);
    expect(scope.issues[0]).toMatchObject({ field: "cbOrganizationId", rule: "accredited_scope", key: "case.issue.notAccredited" });
    expect(zh(scope.issues[0]!.key, scope.issues[0]!.params)).toMatch(/^该认证机构未获 PCR-[A-Z0-9-]+ 的认可$/);
    await w.db.updateTable("organizations").set({ accredited_categories: hbdcScope.accredited_categories }).where("id", "=", w.org.hbdc).execute();

    const foreign = await refusedWith(
      createCase(w.db, {
        userId: w.user.otherMaker,
        inventoryId: w.inventoryId,
        labelType: "CF",
        cbOrganizationId: w.org.ccdc,
        declaredValue: 1,
        conformancePassed: true,
      }),
      CaseInputError,
    );
    expect(foreign.issues[0]?.field).toBe("inventoryId");
    await refusedWith(
      createCase(w.db, {
        userId: w.user.cbAdmin,
        inventoryId: w.inventoryId,
        labelType: "CF",
        cbOrganizationId: w.org.ccdc,
        declaredValue: 1,
        conformancePassed: true,
      }),
      EventNotAllowedError,
    );
    const bad = await refusedWith(openTestCase(w, { declaredValue: -3 }), CaseInputError);
    expect(bad.issues[0]).toMatchObject({ field: "declaredValue", rule: "too_small", key: "v.positive" });
  });
});

describe("a transition", () => {
  it("writes version + 1, one chained log entry and the effects to the outbox", async () => {
    const caseId = await openTestCase(w);
    const result = await send(w, caseId, "applicant", { type: "SUBMIT" }, { expectedVersion: 1 });
    expect(result).toMatchObject({ version: 2, stateBefore: "draft", state: "submitted", seq: 2 });
    expect(await stateOf(w, caseId)).toEqual({ state: "submitted", version: 2 });
    const log = await logOf(w, caseId);
    expect(log.map((e) => [e.seq, e.event_type, e.state_before, e.state_after])).toEqual([
      [1, "OPEN", null, "draft"],
      [2, "SUBMIT", "draft", "submitted"],
    ]);
    expect(log[1]!.prev_hash).toBe(log[0]!.hash);
    expect(log[1]!.actor_roles).toEqual(["manufacturer_admin"]);
    const outbox = await w.db.selectFrom("outbox").selectAll().where("case_id", "=", caseId).execute();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ effect_type: "effect.notify", idempotency_key: `${caseId}:2:0`, done_at: null });
    expect(outbox[0]!.payload).toMatchObject({ topic: "case_submitted", to: { organizationId: w.org.ccdc, roles: ["cb_admin"] }, eventSeq: 2 });
  });

  it("refuses a stale version with the conflict error and changes nothing", async () => {
    const caseId = await openTestCase(w);
    await send(w, caseId, "applicant", { type: "SUBMIT" }, { expectedVersion: 1 });
    const before = await footprint(caseId);
    const error = await refusedWith(send(w, caseId, "cbAdmin", { type: "ACCEPT" }, { expectedVersion: 1 }), CaseConflictError);
    expect(error.httpStatus).toBe(409);
    expect(error.messageKey).toBe("case.conflict");
    expect(en(error.messageKey)).toBe("This case changed, reload it and try again.");
    expect(zh(error.messageKey)).toContain("刷新");
    expect(await footprint(caseId)).toEqual(before);
  });

  it("validates the payload, naming the field and the rule, and saying it by message key", async () => {
    const caseId = await openTestCase(w);
    await toReview(w, caseId);
    const before = await footprint(caseId);
    const error = await refusedWith(
      send(w, caseId, "reviewer", { type: "RAISE_FINDING", finding: { severity: "fatal", clause: "", text: "x", dueOn: "2026-02-30" } }),
      CaseInputError,
    );
    expect(error.httpStatus).toBe(422);
    expect(error.issues.map((i) => [i.field, i.rule])).toEqual([
      ["finding.severity", "invalid_value"],
      ["finding.clause", "required"],
      ["finding.dueOn", "format:date"],
    ]);
    expect(error.issues[2]).toEqual({ field: "finding.dueOn", rule: "format:date", key: "v.date" });
    // What a person reads is the app's translation, without the payload path.
    expect(zh(error.issues[2]!.key)).toBe("请按 YYYY-MM-DD 格式填写日期。");
    expect(en(error.issues[2]!.key)).toBe("Enter the date as YYYY-MM-DD.");
    await refusedWith(send(w, caseId, "reviewer", { type: "COMPLETE_REVIEW", actor: { userId: w.user.decider } }), CaseInputError);
    expect(await footprint(caseId)).toEqual(before);
  });

  it("numbers findings itself and runs the finding loop through the log", async () => {
    const caseId = await openTestCase(w);
    await toReview(w, caseId);
    await send(w, caseId, "reviewer", {
      type: "RAISE_FINDING",
      finding: { severity: "major", clause: "PCR-CN-CEMENT@1.0.0 §6.1", text: "Cut-off not justified", dueOn: "2026-12-20" },
    });
    const view = await getCase(w.db, caseId, w.org.maker);
    expect(view?.state).toBe("awaiting_applicant");
    expect(view?.context.findings.map((f) => [f.id, f.status])).toEqual([["F-01", "open"]]);
    expect(view?.open_findings).toBe(1);
    expect(view?.next_finding_due_on).toBe("2026-12-20");
    await send(w, caseId, "member", { type: "ANSWER_FINDING", findingId: "F-01", text: "Justification attached" });
    await send(w, caseId, "reviewer", { type: "CLOSE_FINDING", findingId: "F-01", note: "Accepted" });
    expect((await getCase(w.db, caseId, w.org.ccdc))?.context.findings[0]).toMatchObject({
      status: "closed",
      answer: { text: "Justification attached", by: w.user.member },
    });
    expect((await verifyChains(w.db, { caseId })).ok).toBe(true);
  });
});

describe("forged requests change nothing", () => {
  it("an event the current state has no step for: 409", async () => {
    const caseId = await openTestCase(w);
    // Submitted and accepted first: a draft does not exist for the body (404, cases-drafts.test.ts).
    await send(w, caseId, "applicant", { type: "SUBMIT" });
    await send(w, caseId, "cbAdmin", { type: "ACCEPT" });
    const before = await footprint(caseId);
    const error = await refusedWith(send(w, caseId, "cbAdmin", { type: "ACCEPT" }), EventNotAllowedError);
    expect([error.reason, error.httpStatus]).toEqual(["state", 409]);
    const grant = await refusedWith(send(w, caseId, "decider", { type: "GRANT" }), EventNotAllowedError);
    expect([grant.reason, grant.httpStatus]).toEqual(["state", 409]);
    expect(await footprint(caseId)).toEqual(before);
  });

  it("the wrong role or side: 403", async () => {
    const caseId = await openTestCase(w);
    await send(w, caseId, "applicant", { type: "SUBMIT" });
    const before = await footprint(caseId);
    for (const [who, event] of [
      ["applicant", { type: "ACCEPT" }],
      ["reviewer", { type: "ACCEPT" }],
      ["cbAdmin", { type: "WITHDRAW_APPLICATION", reason: "not mine" }],
      ["applicant", { type: "EXPIRE" }],
    ] as const) {
      const error = await refusedWith(send(w, caseId, who, event), EventNotAllowedError);
      expect([who, event.type, error.reason, error.httpStatus]).toEqual([who, event.type, "actor", 403]);
    }
    const system = await refusedWith(send(w, caseId, "system", { type: "ACCEPT" }), EventNotAllowedError);
    expect(system.httpStatus).toBe(403);
    expect(await footprint(caseId)).toEqual(before);
  });

  it("another certification body's case: answered as missing (404), whoever asks", async () => {
    const caseId = await openTestCase(w, { cbOrganizationId: w.org.hbdc });
    await send(w, caseId, "applicant", { type: "SUBMIT" });
    const before = await footprint(caseId);
    for (const who of ["cbAdmin", "decider", "otherMaker"] as const) {
      const error = await refusedWith(send(w, caseId, who, { type: "ACCEPT" }), CaseNotFoundError);
      expect(error.httpStatus).toBe(404);
    }
    expect(await getCase(w.db, caseId, w.org.ccdc)).toBeNull();
    expect(await caseHistory(w.db, caseId, w.org.ccdc)).toBeNull();
    expect(await caseActions(w.db, caseId, w.user.cbAdmin)).toBeNull();
    expect((await listCases(w.db, { organizationId: w.org.ccdc })).some((c) => c.id === caseId)).toBe(false);
    expect(await footprint(caseId)).toEqual(before);
    // Its own body takes it.
    await send(w, caseId, "otherCbAdmin", { type: "ACCEPT" });
  });

  it("separation of duties: an assessor never decides, by the log as well as the team", async () => {
    const caseId = await openTestCase(w);
    await toDecision(w, caseId);
    // The verifier also holds the decider role and is made the decider: still refused.
    await w.db
      .updateTable("memberships")
      .set({ roles: ["cb_verifier", "cb_decider"] })
      .where("user_id", "=", w.user.verifier)
      .execute();
    try {
      const assign = await refusedWith(send(w, caseId, "cbAdmin", { type: "ASSIGN_DECIDER", decider: w.user.verifier }), CaseInputError);
      expect(assign.issues[0]).toMatchObject({ field: "decider", rule: "separation_of_duties" });
      const before = await footprint(caseId);
      const grant = await refusedWith(send(w, caseId, "verifier", { type: "GRANT" }), EventNotAllowedError);
      expect([grant.reason, grant.httpStatus]).toEqual(["separation_of_duties", 403]);
      expect(await footprint(caseId)).toEqual(before);
    } finally {
      await w.db
        .updateTable("memberships")
        .set({ roles: ["cb_verifier"] })
        .where("user_id", "=", w.user.verifier)
        .execute();
    }
    const actions = await caseActions(w.db, caseId, w.user.decider);
    expect(actions?.events).toEqual(expect.arrayContaining(["GRANT", "REFUSE"]));
    await send(w, caseId, "decider", { type: "GRANT" });
    expect((await stateOf(w, caseId)).state).toBe("issued");
  });

  it("a user who acted for the applicant never acts for the body, even after moving there", async () => {
    const caseId = await openTestCase(w);
    await send(w, caseId, "member", { type: "SUBMIT" });
    const membership = await w.db.selectFrom("memberships").selectAll().where("user_id", "=", w.user.member).executeTakeFirstOrThrow();
    await w.db
      .updateTable("memberships")
      .set({ organization_id: w.org.ccdc, roles: ["cb_admin", "cb_reviewer"] })
      .where("user_id", "=", w.user.member)
      .execute();
    try {
      const before = await footprint(caseId);
      const error = await refusedWith(send(w, caseId, "member", { type: "ACCEPT" }), EventNotAllowedError);
      expect([error.reason, error.httpStatus]).toEqual(["separation_of_duties", 403]);
      await send(w, caseId, "cbAdmin", { type: "ACCEPT" });
      const assign = await refusedWith(
        send(w, caseId, "cbAdmin", { type: "ASSIGN_TEAM", reviewer: w.user.member, inspector: w.user.inspector, verifier: w.user.verifier }),
        CaseInputError,
      );
      expect(assign.issues[0]).toMatchObject({ field: "reviewer", rule: "separation_of_duties" });
      expect((await footprint(caseId)).version).toBe(before.version + 1);
    } finally {
      await w.db
        .updateTable("memberships")
        .set({ organization_id: membership.organization_id, roles: membership.roles })
        .where("user_id", "=", w.user.member)
        .execute();
    }
  });

  it("assignees must hold the seat's role at the case's body", async () => {
    const caseId = await openTestCase(w);
    await send(w, caseId, "applicant", { type: "SUBMIT" });
    await send(w, caseId, "cbAdmin", { type: "ACCEPT" });
    const error = await refusedWith(
      send(w, caseId, "cbAdmin", { type: "ASSIGN_TEAM", reviewer: w.user.inspector, inspector: w.user.otherCbAdmin, verifier: w.user.verifier }),
      CaseInputError,
    );
    expect(error.issues.map((i) => [i.field, i.rule])).toEqual([
      ["reviewer", "role"],
      ["inspector", "role"],
    ]);
    expect(error.issues.map((i) => i.key)).toEqual(["case.issue.notReviewer", "case.issue.notInspector"]);
    expect(zh(error.issues[0]!.key)).toBe("该用户不是本机构的文件评审员");
    expect(en(error.issues[1]!.key)).toBe("this user is not an inspector of this certification body");
  });

  it("an off-boarded (deactivated) member cannot be given a seat", async () => {
    const caseId = await openTestCase(w);
    await send(w, caseId, "applicant", { type: "SUBMIT" });
    await send(w, caseId, "cbAdmin", { type: "ACCEPT" });
    await w.db.updateTable("users").set({ deactivated_at: new Date() }).where("id", "=", w.user.reviewer).execute();
    try {
      const error = await refusedWith(
        send(w, caseId, "cbAdmin", { type: "ASSIGN_TEAM", reviewer: w.user.reviewer, inspector: w.user.inspector, verifier: w.user.verifier }),
        CaseInputError,
      );
      expect(error.issues.map((i) => [i.field, i.rule])).toEqual([["reviewer", "role"]]);
    } finally {
      await w.db.updateTable("users").set({ deactivated_at: null }).where("id", "=", w.user.reviewer).execute();
    }
  });
});

describe("the event log", () => {
  it("is append-only: the database refuses UPDATE, DELETE and TRUNCATE", async () => {
    const caseId = await openTestCase(w);
    for (const statement of [
      sql`update case_events set event_type = 'FORGED' where case_id = ${caseId}`,
      sql`delete from case_events where case_id = ${caseId}`,
      sql`truncate case_events cascade`,
    ]) {
      await expect(statement.execute(w.db)).rejects.toThrow(/append-only/);
    }
    expect(await logOf(w, caseId)).toHaveLength(1);
  });
});

describe("reading cases", () => {
  it("lists a party's cases with filters and search, and says what each user may do", async () => {
    const caseId = await openTestCase(w, { labelType: "LC" });
    await send(w, caseId, "applicant", { type: "SUBMIT" });
    const view = await getCase(w.db, caseId, w.org.maker);
    const byState = await listCases(w.db, { organizationId: w.org.ccdc, states: ["submitted"], labelType: "LC" });
    expect(byState.map((c) => c.id)).toContain(caseId);
    const bySearch = await listCases(w.db, { organizationId: w.org.maker, search: view!.reference });
    expect(bySearch.map((c) => c.id)).toEqual([caseId]);
    expect(bySearch[0]).toMatchObject({ state: "submitted", stateLabel: { zh: "已提交", en: "Submitted" }, cb_code: "CCDC" });
    const inbox = await listCases(w.db, { organizationId: w.org.ccdc, tag: "cb_action", search: "测试水泥" });
    expect(inbox.map((c) => c.id)).toContain(caseId);
    expect((await caseActions(w.db, caseId, w.user.cbAdmin))?.events).toEqual(["ACCEPT", "DECLINE"]);
    expect((await caseActions(w.db, caseId, w.user.reviewer))?.events).toEqual([]);
    expect((await caseActions(w.db, caseId, w.user.applicant))?.events).toEqual(["ATTACH_DOCUMENT", "WITHDRAW_APPLICATION"]);
    const history = await caseHistory(w.db, caseId, w.org.ccdc);
    expect(history?.map((h) => [h.event_type, h.actor_name])).toEqual([
      ["OPEN", "企业管理员 李强"],
      ["SUBMIT", "企业管理员 李强"],
    ]);
  });
});
