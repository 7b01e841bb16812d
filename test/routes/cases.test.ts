/**
 * The certification pages on a real database through their real loaders and actions: a whole CF
 * case across the demo users, the buttons each user is offered at each step, and forged requests
 * (an event the state does not allow, the wrong role, the applicant sending CB events, another
 * body's case, a stale page) that must be refused with 403/404/409 and change nothing at all.
 */
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client.ts";
import { translator, type MessageKey } from "../../app/i18n/index.ts";
import { languageCookieHeader } from "../../app/utils/session.server.ts";
import * as casePage from "../../app/routes/cases.$caseId.tsx";
import * as caseFile from "../../app/routes/cases.$caseId_.files.$fileId.tsx";
import * as caseEvidence from "../../app/routes/cases.$caseId_.evidence.$evidenceId.tsx";
import * as inbox from "../../app/routes/cases._index.tsx";
import * as notifications from "../../app/routes/notifications.tsx";
import * as dashboard from "../../app/routes/dashboard.tsx";
import { CASE_PEOPLE, demoInventoryIdOf, OTHER_TENANT, run, seedFixtures, signInAll } from "../support/fixtures.ts";
import { CF_LOG_WITH_ONE_FINDING } from "../support/certification-flows.ts";
import { applicationForm, caseRecord, openCase, passingInventory, postApplication, postMultipart, PASSING_TOTAL } from "./cases-support.ts";

const EMAILS = { ...CASE_PEOPLE, otherCb: "admin@hbdc.demo", otherMaker: OTHER_TENANT.adminEmail } as const;
type Who = keyof typeof EMAILS;

let cookies: Record<Who, string>;
let ids: Record<Who, string>;
/** The language cookie the header's switch sets: refusals are explained in the request's language. */
let english = "";

beforeAll(async () => {
  await seedFixtures();
  ({ cookies, ids } = await signInAll(EMAILS));
  english = (await languageCookieHeader("en")).split(";")[0]!;
});

type Page = Awaited<ReturnType<typeof casePage.loader>>;

async function load(who: Who, caseId: string) {
  const outcome = await run(casePage.loader, { url: `/cases/${caseId}`, cookie: cookies[who], params: { caseId } });
  return outcome;
}
async function page(who: Who, caseId: string): Promise<Page> {
  const outcome = await load(who, caseId);
  if (outcome.kind !== "ok") throw new Error(`${who} could not open the case: ${JSON.stringify(outcome)}`);
  return outcome.data as Page;
}
async function version(caseId: string) {
  return (await caseRecord(caseId)).version;
}
async function post(who: Who, caseId: string, form: Record<string, string | string[]>, v?: number, lang: "zh" | "en" = "zh") {
  return run(casePage.action, {
    url: `/cases/${caseId}`,
    method: "POST",
    cookie: lang === "en" ? `${cookies[who]}; ${english}` : cookies[who],
    params: { caseId },
    form: { version: String(v ?? (await version(caseId))), ...form },
  });
}
/** Posts and expects the redirect back to the case that means "done". */
async function act(who: Who, caseId: string, form: Record<string, string | string[]>) {
  const outcome = await post(who, caseId, form);
  expect(outcome, `${who} ${String(form.intent)}`).toEqual({ kind: "redirect", status: 302, location: `/cases/${caseId}?done=${form.intent}` });
}
const errorsOf = (o: Awaited<ReturnType<typeof post>>) =>
  o.kind === "ok" ? (o.data as { errors: Record<string, { key: MessageKey; params?: Record<string, string> }> }).errors : {};
const zh = translator("zh-CN");
const en = translator("en");

/** The case up to document review (submitted, accepted, team and decider assigned, review started). */
async function toReview(caseId: string) {
  await act("applicant", caseId, { intent: "SUBMIT" });
  await act("cbAdmin", caseId, { intent: "ACCEPT" });
  await act("cbAdmin", caseId, { intent: "ASSIGN_TEAM", reviewer: ids.reviewer, inspector: ids.inspector, verifier: ids.verifier });
  await act("cbAdmin", caseId, { intent: "ASSIGN_DECIDER", decider: ids.decider });
  await act("reviewer", caseId, { intent: "START_REVIEW" });
}

describe("a whole CF case through the pages", () => {
  it("applies, answers a finding with a file, inspects, verifies, grants and shows the certificate", async () => {
    const db = await getDb();
    const { inventoryId } = await passingInventory("route-flow");

    // The application form offers only bodies accredited for the inventory's PCR and computes the value itself.
    const selected = (await applicationForm(cookies.member, inventoryId)).selected!;
    expect(selected.total).toBe("237.3");
    expect(selected.conformance?.passed).toBe(true);
    expect(selected.bodies.map((b) => b.cb_code).sort()).toEqual(["CCDC", "HBDC"]);
    const ccdc = selected.bodies.find((b) => b.cb_code === "CCDC")!.id;
    const created = await postApplication(cookies.member, { inventoryId, labelType: "CF", cbOrganizationId: ccdc });
    expect(created.kind).toBe("redirect");
    const caseId = (created as { location: string }).location.replace("/cases/", "");
    const draft = await page("member", caseId);
    expect(draft.case.state).toBe("draft");
    expect(Number(draft.case.declaredValue)).toBeCloseTo(PASSING_TOTAL, 9);
    expect(draft.actions.events).toEqual(["SUBMIT", "ATTACH_DOCUMENT", "WITHDRAW_APPLICATION"]);
    // A draft is the applicant's: the body cannot open it, let alone act on it (cases-drafts.test.ts).
    expect(await load("cbAdmin", caseId)).toEqual({ kind: "error", status: 404 });

    await act("member", caseId, { intent: "SUBMIT" });
    expect((await page("cbAdmin", caseId)).actions.events).toEqual(["ACCEPT", "DECLINE"]);
    expect((await page("reviewer", caseId)).actions.events).toEqual([]);
    await act("cbAdmin", caseId, { intent: "ACCEPT" });
    const planning = await page("cbAdmin", caseId);
    expect(planning.actions.events).toEqual(["ASSIGN_TEAM"]);
    // The assignment form lists the body's people by seat.
    expect(planning.team?.reviewer.map((p) => p.id)).toEqual([ids.reviewer]);
    expect(planning.team?.decider.map((p) => p.id)).toEqual([ids.decider]);
    await act("cbAdmin", caseId, { intent: "ASSIGN_TEAM", reviewer: ids.reviewer, inspector: ids.inspector, verifier: ids.verifier });
    await act("cbAdmin", caseId, { intent: "ASSIGN_DECIDER", decider: ids.decider });
    expect((await page("reviewer", caseId)).actions.events).toEqual(["START_REVIEW"]);
    await act("reviewer", caseId, { intent: "START_REVIEW" });

    await act("reviewer", caseId, {
      intent: "RAISE_FINDING",
      severity: "minor",
      clause: "PCR-CN-CEMENT@1.0.0 §5.2",
      text: "原煤用量缺少地磅单",
      dueOn: "2099-01-31",
    });
    const awaiting = await page("member", caseId);
    expect(awaiting.case.state).toBe("awaiting_applicant");
    expect(awaiting.actions.findings.answer).toEqual(["F-01"]);
    expect(awaiting.actions.events).toContain("ANSWER_FINDING");
    expect((await page("reviewer", caseId)).actions.findings.close).toEqual([]);

    const ticket = Buffer.from("%PDF-1.4\n% weighbridge ticket\n%%EOF\n", "latin1");
    const answered = await postMultipart(casePage.action, {
      url: `/cases/${caseId}`,
      cookie: cookies.member,
      params: { caseId },
      fields: { intent: "ANSWER_FINDING", version: String(await version(caseId)), findingId: "F-01", text: "已补充 2025 年全部地磅单" },
      files: [{ name: "地磅单.pdf", type: "application/pdf", content: ticket }],
    });
    expect(answered).toMatchObject({ status: 302, location: `/cases/${caseId}?done=ANSWER_FINDING` });
    const review = await page("reviewer", caseId);
    expect(review.case.state).toBe("document_review");
    const answer = review.context.findings[0]!.answer!;
    expect(answer.attachmentIds).toHaveLength(1);
    const stored = review.attachments.find((f) => f.id === answer.attachmentIds[0])!;
    expect(stored).toMatchObject({
      kind: "evidence",
      finding_id: "F-01",
      file_name: "地磅单.pdf",
      sha256: createHash("sha256").update(ticket).digest("hex"),
    });
    // The body downloads the answer's file through the case: the same bytes.
    const download = await run(caseFile.loader, {
      url: `/cases/${caseId}/files/${stored.id}`,
      cookie: cookies.reviewer,
      params: { caseId, fileId: stored.id },
    });
    expect(download.kind).toBe("ok");
    const body = Buffer.from(await (download as { data: Response }).data.arrayBuffer());
    expect(body.equals(ticket)).toBe(true);

    expect(review.actions.findings.close).toEqual(["F-01"]);
    await act("reviewer", caseId, { intent: "CLOSE_FINDING", findingId: "F-01", note: "地磅单齐全" });
    await act("reviewer", caseId, { intent: "COMPLETE_REVIEW" });
    expect((await page("inspector", caseId)).actions.events).toEqual(["RAISE_FINDING", "RECORD_INSPECTION"]);
    await act("inspector", caseId, {
      intent: "RECORD_INSPECTION",
      date: "2026-03-05",
      site: "华绿示范水泥厂 1 号线",
      attendees: "王工（生产部）\n李工（质量部）",
      observations: "窑头煤秤已校准；地磅记录与台账一致。",
    });
    const verifying = await page("verifier", caseId);
    expect(verifying.context.inspection?.attendees).toEqual(["王工（生产部）", "李工（质量部）"]);
    // The verification form defaults to the declared value, in kg CO2e per declared unit.
    expect(verifying.forms.verifiedValue).toBeNull();
    expect(verifying.forms.declaredValue).toBe("237.3237");
    expect(verifying.per).toBe("1 t");
    await act("verifier", caseId, { intent: "RECORD_VERIFICATION", kgCO2ePerDeclaredUnit: verifying.forms.declaredValue });
    await act("verifier", caseId, { intent: "COMPLETE_VERIFICATION" });

    const deciding = await page("decider", caseId);
    expect(deciding.case.state).toBe("evaluation_and_decision");
    expect(deciding.actions.events).toEqual(["GRANT", "REFUSE"]);
    expect(deciding.assessment.eligible).toBe(true);
    const criteria = [...deciding.assessment.label.criteria, ...deciding.assessment.process].map((c) => [c.id, c.passed]);
    expect(criteria).toEqual([
      ["verified_footprint", true],
      ["conformance", true],
      ["findings_closed", true],
      ["onsite_inspection", true],
    ]);
    expect(deciding.assessment.label.criteria[0]!.message.en).toContain("237.324 kgCO2e per 1 t");
    // Nobody else may decide: not the body's admin, not the reviewer.
    expect((await page("cbAdmin", caseId)).actions.events).not.toContain("GRANT");
    expect((await page("reviewer", caseId)).actions.events).not.toContain("GRANT");

    await act("decider", caseId, { intent: "GRANT" });
    const issued = await page("member", caseId);
    expect(issued.case.state).toBe("issued");
    expect(issued.case.certificate?.number).toMatch(/^CCDC-CF-\d{4}-\d{6}$/);
    expect(issued.case.certificate?.status).toBe("valid");
    expect(issued.history.map((h) => h.event_type)).toEqual(CF_LOG_WITH_ONE_FINDING);
    expect(issued.history.find((h) => h.event_type === "GRANT")?.actor_name).toBe("决定人员 郑伟");

    // Notifications reached the applicant's people (drained after each event), newest first.
    const inboxOf = async (who: Who) =>
      (
        (await run(notifications.loader, { url: "/notifications", cookie: cookies[who] })) as {
          data: Awaited<ReturnType<typeof notifications.loader>>;
        }
      ).data;
    const mine = await inboxOf("member");
    expect(mine.items.map((n) => n.topic)).toEqual(["decision_granted", "finding_raised", "case_accepted"]);
    expect(mine.items[0]!.caseId).toBe(caseId);
    expect(mine.unread).toBe(3);
    const reviewers = await inboxOf("reviewer");
    expect(reviewers.items.map((n) => n.topic)).toEqual(["finding_answered", "team_assigned"]);
    // Mark one read, then all; another user's notification is not found.
    const read = await run(notifications.action, {
      url: "/notifications",
      method: "POST",
      cookie: cookies.member,
      form: { intent: "read", id: mine.items[0]!.id },
    });
    expect(read).toMatchObject({ kind: "redirect", location: "/notifications" });
    expect((await inboxOf("member")).unread).toBe(2);
    const foreign = await run(notifications.action, {
      url: "/notifications",
      method: "POST",
      cookie: cookies.member,
      form: { intent: "read", id: reviewers.items[0]!.id },
    });
    expect(foreign).toEqual({ kind: "error", status: 404 });
    expect((await inboxOf("reviewer")).unread).toBe(2);
    await run(notifications.action, { url: "/notifications", method: "POST", cookie: cookies.member, form: { intent: "read-all" } });
    expect((await inboxOf("member")).unread).toBe(0);

    // The dashboard: the applicant's valid label with its expiry, the body's admin counts by role.
    const dash = (await run(dashboard.loader, { url: "/dashboard", cookie: cookies.applicant })) as {
      data: Awaited<ReturnType<typeof dashboard.loader>>;
    };
    const labels = dash.data.cases?.side === "applicant" ? dash.data.cases.labels : [];
    expect(labels).toEqual([
      expect.objectContaining({ number: issued.case.certificate!.number, caseId, validUntil: issued.case.certificate!.validUntil }),
    ]);
    const row = await db.selectFrom("certificates").select(["verified_value", "decided_by"]).where("case_id", "=", caseId).executeTakeFirstOrThrow();
    expect(row).toEqual({ verified_value: "237.3237", decided_by: ids.decider });
  });
});

describe("forged requests change nothing", () => {
  let caseId: string;
  beforeAll(async () => {
    ({ caseId } = await openCase("route-forged"));
    await act("applicant", caseId, { intent: "SUBMIT" });
  });

  async function refused(who: Who, form: Record<string, string>, status: number, v?: number, lang: "zh" | "en" = "zh") {
    const before = await caseRecord(caseId);
    const outcome = await post(who, caseId, form, v, lang);
    expect(outcome.kind === "redirect" ? outcome : { kind: outcome.kind, status: outcome.status }, `${who} ${form.intent}`).toEqual({
      kind: outcome.kind === "error" ? "error" : "ok",
      status,
    });
    expect(await caseRecord(caseId)).toEqual(before);
    return outcome;
  }

  it("an event the state does not allow: 409", async () => {
    const o = await refused("decider", { intent: "GRANT" }, 409);
    expect(zh(errorsOf(o).form!.key, errorsOf(o).form!.params)).toBe("案件当前状态下不能执行此操作");
    await refused("applicant", { intent: "SUBMIT" }, 409);
    await refused("reviewer", { intent: "COMPLETE_REVIEW" }, 409);
  });

  it("the wrong role of the right body: 403", async () => {
    const o = await refused("reviewer", { intent: "ACCEPT" }, 403);
    expect(zh(errorsOf(o).form!.key, errorsOf(o).form!.params)).toBe("您无权对此案件执行此操作");
    const inEnglish = await refused("reviewer", { intent: "ACCEPT" }, 403, undefined, "en");
    expect(en(errorsOf(inEnglish).form!.key, errorsOf(inEnglish).form!.params)).toBe("You may not take this action on this case");
    await refused("decider", { intent: "DECLINE", reason: "not in scope" }, 403);
  });

  it("the applicant's people sending certification body events: 403", async () => {
    await refused("applicant", { intent: "ACCEPT" }, 403);
    await refused("member", { intent: "ASSIGN_TEAM", reviewer: ids.reviewer, inspector: ids.inspector, verifier: ids.verifier }, 403);
    await refused("applicant", { intent: "GRANT" }, 403);
  });

  it("the body sending applicant events: 403", async () => {
    await refused("cbAdmin", { intent: "WITHDRAW_APPLICATION", reason: "on their behalf" }, 403);
  });

  it("another body's case and another manufacturer's case: 404, like a missing one", async () => {
    await refused("otherCb", { intent: "ACCEPT" }, 404);
    await refused("otherMaker", { intent: "WITHDRAW_APPLICATION", reason: "x" }, 404);
    expect(await load("otherCb", caseId)).toEqual({ kind: "error", status: 404 });
    expect(await load("otherMaker", caseId)).toEqual({ kind: "error", status: 404 });
    expect(await load("cbAdmin", "00000000-0000-4000-8000-000000000000")).toEqual({ kind: "error", status: 404 });
    expect(await load("cbAdmin", "not-a-uuid")).toEqual({ kind: "error", status: 404 });
  });

  it("a stale page: 409 'this case changed, reload' in the user's language", async () => {
    const stale = (await version(caseId)) - 1;
    const o = await refused("cbAdmin", { intent: "ACCEPT" }, 409, stale);
    expect(zh(errorsOf(o).form!.key)).toBe("此案件已被他人更改，请刷新后重试。");
    const inEnglish = await refused("cbAdmin", { intent: "ACCEPT" }, 409, stale, "en");
    expect(en(errorsOf(inEnglish).form!.key)).toBe("This case changed, reload it and try again.");
    // The current version works.
    await act("cbAdmin", caseId, { intent: "ACCEPT" });
  });

  it("a form without its version, or an unknown event: 400", async () => {
    const before = await caseRecord(caseId);
    const noVersion = await run(casePage.action, {
      url: `/cases/${caseId}`,
      method: "POST",
      cookie: cookies.cbAdmin,
      params: { caseId },
      form: { intent: "ASSIGN_TEAM" },
    });
    expect(noVersion).toMatchObject({ kind: "ok", status: 400 });
    await refused("cbAdmin", { intent: "EXPIRE" }, 400);
    await refused("cbAdmin", { intent: "SUPERSEDE" }, 400);
    expect(await caseRecord(caseId)).toEqual(before);
  });

  it("an assignment outside the body's people or roles: 400 naming the field", async () => {
    const o = await refused("cbAdmin", { intent: "ASSIGN_TEAM", reviewer: ids.inspector, inspector: ids.inspector, verifier: ids.verifier }, 400);
    expect(zh(errorsOf(o).reviewer!.key, errorsOf(o).reviewer!.params)).toBe("该用户不是本机构的文件评审员");
    const foreign = await refused(
      "cbAdmin",
      { intent: "ASSIGN_TEAM", reviewer: ids.applicant, inspector: ids.inspector, verifier: ids.verifier },
      400,
    );
    expect(Object.keys(errorsOf(foreign))).toEqual(["reviewer"]);
  });

  it("bad fields: 400 with each field's rule, in both languages", async () => {
    await act("cbAdmin", caseId, { intent: "ASSIGN_TEAM", reviewer: ids.reviewer, inspector: ids.inspector, verifier: ids.verifier });
    await act("reviewer", caseId, { intent: "START_REVIEW" });
    const bad = { intent: "RAISE_FINDING", severity: "minor", clause: "§1", text: "", dueOn: "31/01/2099" };
    const errors = errorsOf(await refused("reviewer", bad, 400));
    expect(Object.keys(errors).sort()).toEqual(["dueOn", "text"]);
    // The form's own messages, not the host's payload paths ("finding.text：必填").
    expect(zh(errors.text!.key, errors.text!.params)).toBe("必填项。");
    expect(zh(errors.dueOn!.key, errors.dueOn!.params)).toBe("请按 YYYY-MM-DD 格式填写日期。");
    const inEnglish = errorsOf(await refused("reviewer", bad, 400, undefined, "en"));
    expect(en(inEnglish.dueOn!.key, inEnglish.dueOn!.params)).toBe("Enter the date as YYYY-MM-DD.");
  });
});

describe("files of a case", () => {
  it("keeps a document with its digest, refuses a file that is not what it claims, and lets only the parties read them", async () => {
    const { caseId, evidenceId } = await openCase("route-files", "RC");
    // Submitted first: the body sees a case and its files only from submission on (cases-drafts.test.ts).
    await act("applicant", caseId, { intent: "SUBMIT" });
    const before = await caseRecord(caseId);
    const fake = await postMultipart(casePage.action, {
      url: `/cases/${caseId}`,
      cookie: cookies.applicant,
      params: { caseId },
      fields: { intent: "ATTACH_DOCUMENT", version: String(before.version), kind: "reduction_measures_report" },
      files: [{ name: "report.pdf", type: "application/pdf", content: Buffer.from("this is not a PDF") }],
    });
    expect(fake.status).toBe(415);
    expect(await caseRecord(caseId)).toEqual(before);

    // A body user cannot slip a file into the applicant's case: refused, and the file is not kept.
    const pdf = Buffer.from("%PDF-1.4\n% 减碳措施实施报告\n%%EOF\n", "utf8");
    const byCb = await postMultipart(casePage.action, {
      url: `/cases/${caseId}`,
      cookie: cookies.cbAdmin,
      params: { caseId },
      fields: { intent: "ATTACH_DOCUMENT", version: String(before.version), kind: "reduction_measures_report" },
      files: [{ name: "report.pdf", type: "application/pdf", content: pdf }],
    });
    expect(byCb.status).toBe(403);
    expect(await caseRecord(caseId)).toEqual(before);

    const ok = await postMultipart(casePage.action, {
      url: `/cases/${caseId}`,
      cookie: cookies.applicant,
      params: { caseId },
      fields: { intent: "ATTACH_DOCUMENT", version: String(before.version), kind: "reduction_measures_report" },
      files: [{ name: "减碳措施实施报告.pdf", type: "application/pdf", content: pdf }],
    });
    expect(ok).toMatchObject({ status: 302 });
    const view = await page("applicant", caseId);
    expect(view.context.attachments).toEqual([expect.objectContaining({ kind: "reduction_measures_report", name: "减碳措施实施报告.pdf" })]);
    const file = view.attachments[0]!;
    expect(file.sha256).toBe(createHash("sha256").update(pdf).digest("hex"));

    // RC: the page shows the earlier certificates of the product found at application.
    const onFile = await (
      await getDb()
    )
      .selectFrom("certificates")
      .select("number")
      .where("product_id", "=", view.case.product.id)
      .orderBy("issued_on")
      .execute();
    expect(view.context.earlierCertificates.map((c) => c.number)).toEqual(onFile.map((c) => c.number));
    expect(view.assessment.eligible).toBe(false);

    // Evidence behind the inventory: readable by the body through the case, by nobody else.
    const asCb = await run(caseEvidence.loader, {
      url: `/cases/${caseId}/evidence/${evidenceId}`,
      cookie: cookies.verifier,
      params: { caseId, evidenceId },
    });
    expect(asCb.kind).toBe("ok");
    expect((asCb as { data: Response }).data.headers.get("Content-Disposition")).toContain("attachment");
    for (const who of ["otherCb", "otherMaker"] as const) {
      expect(await run(caseEvidence.loader, { url: "/", cookie: cookies[who], params: { caseId, evidenceId } })).toEqual({
        kind: "error",
        status: 404,
      });
      expect(await run(caseFile.loader, { url: "/", cookie: cookies[who], params: { caseId, fileId: file.id } })).toEqual({
        kind: "error",
        status: 404,
      });
    }
    // An evidence file of another inventory is not the case's, even for a party.
    const { evidenceId: other } = await passingInventory("route-files-other");
    expect(await run(caseEvidence.loader, { url: "/", cookie: cookies.applicant, params: { caseId, evidenceId: other } })).toEqual({
      kind: "error",
      status: 404,
    });
  });
});

describe("applying", () => {
  it("offers and accepts only a body accredited for the PCR", async () => {
    const db = await getDb();
    const batteryId = await demoInventoryIdOf("DEMO-BAT-PACK");
    const form = await applicationForm(cookies.applicant, batteryId);
    expect(form.selected?.bodies.map((b) => b.cb_code)).toEqual(["CCDC"]);
    // The demo battery uses demonstration factors: its conformance fails, which the form says.
    expect(form.selected?.conformance?.passed).toBe(false);
    const hbdc = (await db.selectFrom("organizations").select("id").where("cb_code", "=", "HBDC").executeTakeFirstOrThrow()).id;
    const casesBefore = await db
      .selectFrom("cases")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    const refused = await postApplication(`${cookies.applicant}; ${english}`, { inventoryId: batteryId, labelType: "CF", cbOrganizationId: hbdc });
    expect(refused).toMatchObject({ kind: "ok", status: 400 });
    const errors = (refused as { data: { errors: Record<string, { key: MessageKey; params: Record<string, string> }> } }).data.errors;
    expect(en(errors.cbOrganizationId!.key, errors.cbOrganizationId!.params)).toBe("this body is not accredited for PCR-CN-LIB-EV");
    // A carbon-neutral claim needs its period and quantity.
    const cn = await postApplication(cookies.applicant, { inventoryId: batteryId, labelType: "CN", cbOrganizationId: hbdc });
    expect(Object.keys((cn as { data: { errors: object } }).data.errors).sort()).toEqual(["claimEnd", "claimQuantity", "claimStart"]);
    expect(
      await db
        .selectFrom("cases")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow(),
    ).toEqual(casesBefore);
    // Another manufacturer's inventory is not offered and cannot be applied from.
    const foreign = await postApplication(cookies.otherMaker, { inventoryId: batteryId, labelType: "CF", cbOrganizationId: hbdc });
    expect(foreign).toMatchObject({ kind: "ok", status: 400 });
  });
});

describe("the inbox", () => {
  it("counts by state and role, filters and searches, and shows each organization only its cases", async () => {
    const { caseId } = await openCase("route-inbox");
    await toReview(caseId);
    const inboxOf = async (who: Who, query = "") =>
      ((await run(inbox.loader, { url: `/cases${query}`, cookie: cookies[who] })) as { data: Awaited<ReturnType<typeof inbox.loader>> }).data;
    const admin = await inboxOf("cbAdmin");
    expect(admin.byState.find((s) => s.state === "document_review")?.count).toBeGreaterThanOrEqual(1);
    expect(admin.byRole.map((r) => r.role)).toEqual(["cb_admin"]);
    const reviewer = await inboxOf("reviewer");
    expect(reviewer.byRole).toEqual([{ role: "cb_reviewer", count: reviewer.byState.find((s) => s.state === "document_review")!.count }]);
    const mine = await inboxOf("reviewer", "?mine=1");
    expect(mine.items.map((c) => c.id)).toContain(caseId);
    expect(mine.items.every((c) => c.team.reviewer === "文件评审员 孙悦")).toBe(true);
    const byRole = await inboxOf("reviewer", "?role=cb_reviewer");
    expect(byRole.items.every((c) => c.state === "document_review")).toBe(true);
    expect((await inboxOf("reviewer", "?role=cb_decider")).query.role).toBeNull();
    const reference = admin.items.find((c) => c.id === caseId)!.reference;
    expect((await inboxOf("cbAdmin", `?q=${reference}`)).items.map((c) => c.id)).toEqual([caseId]);
    expect((await inboxOf("cbAdmin", `?q=${encodeURIComponent("测试水泥")}&state=document_review`)).items.map((c) => c.id)).toContain(caseId);
    expect((await inboxOf("cbAdmin", "?label=CN")).items.map((c) => c.labelType)).not.toContain("CF");
    expect((await inboxOf("otherCb")).items).toEqual([]);
    expect((await inboxOf("otherMaker")).total).toBe(0);
    const applicant = await inboxOf("member");
    expect(applicant.items.find((c) => c.id === caseId)?.waitingFor).toBe("cb_reviewer");
  });
});
