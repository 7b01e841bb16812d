/**
 * Drafts are the applicant's (ADR 0014), through the real loaders and actions: while the applicant
 * prepares an application, the certification body's people find nothing of it — the case page,
 * its document and the evidence behind its inventory answer 404 exactly as for a case that does
 * not exist, the inbox neither lists nor counts it, the dashboard does not count it, no
 * notification about it reaches them, and an event they post is a 404 that changes nothing. Once
 * the applicant submits, the body sees the case, its file and its inbox entry.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as casePage from "../../app/routes/cases.$caseId.tsx";
import * as caseFile from "../../app/routes/cases.$caseId_.files.$fileId.tsx";
import * as caseEvidence from "../../app/routes/cases.$caseId_.evidence.$evidenceId.tsx";
import * as inbox from "../../app/routes/cases._index.tsx";
import * as dashboard from "../../app/routes/dashboard.tsx";
import * as notifications from "../../app/routes/notifications.tsx";
import { CASE_PEOPLE, OTHER_TENANT, run, seedFixtures, signInAll } from "../support/fixtures.ts";
import { caseRecord, openCase, postMultipart } from "./cases-support.ts";

const EMAILS = { ...CASE_PEOPLE, otherMaker: OTHER_TENANT.adminEmail } as const;
type Who = keyof typeof EMAILS;
const BODY: readonly Who[] = ["cbAdmin", "reviewer"];
const MISSING = "00000000-0000-4000-8000-000000000000";

let cookies: Record<Who, string>;

beforeAll(async () => {
  await seedFixtures();
  ({ cookies } = await signInAll(EMAILS));
});

type Page = Awaited<ReturnType<typeof casePage.loader>>;
type Inbox = Awaited<ReturnType<typeof inbox.loader>>;
type Dashboard = Awaited<ReturnType<typeof dashboard.loader>>;
type Notifications = Awaited<ReturnType<typeof notifications.loader>>;

const load = (who: Who, caseId: string) => run(casePage.loader, { url: `/cases/${caseId}`, cookie: cookies[who], params: { caseId } });
const file = (who: Who, caseId: string, fileId: string) =>
  run(caseFile.loader, { url: `/cases/${caseId}/files/${fileId}`, cookie: cookies[who], params: { caseId, fileId } });
const evidence = (who: Who, caseId: string, evidenceId: string) =>
  run(caseEvidence.loader, { url: `/cases/${caseId}/evidence/${evidenceId}`, cookie: cookies[who], params: { caseId, evidenceId } });
const inboxOf = async (who: Who, query = "") => ((await run(inbox.loader, { url: `/cases${query}`, cookie: cookies[who] })) as { data: Inbox }).data;
const dashboardOf = async (who: Who) => ((await run(dashboard.loader, { url: "/dashboard", cookie: cookies[who] })) as { data: Dashboard }).data;
const noticesOf = async (who: Who) =>
  ((await run(notifications.loader, { url: "/notifications", cookie: cookies[who] })) as { data: Notifications }).data.items;
async function post(who: Who, caseId: string, form: Record<string, string>) {
  return run(casePage.action, {
    url: `/cases/${caseId}`,
    method: "POST",
    cookie: cookies[who],
    params: { caseId },
    form: { version: String((await caseRecord(caseId)).version), ...form },
  });
}

/** What the body's dashboard counts: per role, the cases waiting in each state, and the open cases assigned to the user. */
function bodyCounts(d: Dashboard) {
  if (d.cases?.side !== "cb") throw new Error("not a certification body's dashboard");
  return { roles: d.cases.roles.map((r) => ({ role: r.role, states: r.states.map((s) => [s.state, s.count]) })), assigned: d.cases.assigned };
}
/** The inbox's counts, without the page of items. */
const inboxCounts = (i: Inbox) => ({ byState: i.byState.map((s) => [s.state, s.count]), total: i.total, byRole: i.byRole, assigned: i.assigned });

describe("a draft with a document, seen from the certification body", () => {
  let caseId: string;
  let fileId: string;
  let evidenceId: string;
  let reference: string;
  const before = {} as Record<Who, { inbox: ReturnType<typeof inboxCounts>; dashboard: ReturnType<typeof bodyCounts> }>;

  beforeAll(async () => {
    for (const who of BODY) before[who] = { inbox: inboxCounts(await inboxOf(who)), dashboard: bodyCounts(await dashboardOf(who)) };
    ({ caseId, evidenceId } = await openCase("route-drafts"));
    // The applicant gives the draft a document through the case page, as a browser would.
    const report = Buffer.from("%PDF-1.4\n% 产品碳足迹报告 草稿\n%%EOF\n", "utf8");
    const attached = await postMultipart(casePage.action, {
      url: `/cases/${caseId}`,
      cookie: cookies.applicant,
      params: { caseId },
      fields: { intent: "ATTACH_DOCUMENT", version: String((await caseRecord(caseId)).version), kind: "inventory_report" },
      files: [{ name: "碳足迹报告-草稿.pdf", type: "application/pdf", content: report }],
    });
    expect(attached).toMatchObject({ status: 302 });
    const page = (await load("applicant", caseId)) as { kind: "ok"; data: Page };
    expect(page.data.case.state).toBe("draft");
    expect(page.data.attachments.map((a) => a.file_name)).toEqual(["碳足迹报告-草稿.pdf"]);
    fileId = page.data.attachments[0]!.id;
    reference = page.data.case.reference;
  });

  it("the applicant's people work on it as before", async () => {
    for (const who of ["applicant", "member"] as const) {
      expect((await load(who, caseId)).kind, who).toBe("ok");
      expect(await file(who, caseId, fileId), who).toMatchObject({ kind: "ok", status: 200 });
      expect(
        (await inboxOf(who, "?state=draft")).items.map((c) => c.id),
        who,
      ).toContain(caseId);
    }
    expect(((await load("member", caseId)) as { data: Page }).data.actions.events).toEqual(["SUBMIT", "ATTACH_DOCUMENT", "WITHDRAW_APPLICATION"]);
  });

  it("the case page, its document and its inventory's evidence answer 404, exactly as for a missing case", async () => {
    const missing = { kind: "error", status: 404 };
    for (const who of BODY) {
      expect(await load(who, caseId), who).toEqual(missing);
      expect(await load(who, MISSING), who).toEqual(missing);
      expect(await file(who, caseId, fileId), who).toEqual(missing);
      expect(await file(who, MISSING, fileId), who).toEqual(missing);
      expect(await evidence(who, caseId, evidenceId), who).toEqual(missing);
      expect(await evidence(who, MISSING, evidenceId), who).toEqual(missing);
    }
    // The same for every seat of the body, not only those two.
    for (const who of ["inspector", "verifier", "decider"] as const) expect(await load(who, caseId), who).toEqual(missing);
  });

  it("is neither listed nor counted in the body's inbox, and its dashboard counts do not move", async () => {
    for (const who of BODY) {
      const all = await inboxOf(who);
      expect(inboxCounts(all), who).toEqual(before[who].inbox);
      expect(
        all.byState.map((s) => s.state),
        who,
      ).not.toContain("draft");
      expect(
        all.items.map((c) => c.id),
        who,
      ).not.toContain(caseId);
      expect(
        all.items.filter((c) => c.state === "draft"),
        who,
      ).toEqual([]);
      expect((await inboxOf(who, "?state=draft")).items, who).toEqual([]);
      expect((await inboxOf(who, `?q=${reference}`)).items, who).toEqual([]);
      expect(bodyCounts(await dashboardOf(who)), who).toEqual(before[who].dashboard);
    }
  });

  it("sends the body no notification about it", async () => {
    for (const who of [...BODY, "inspector", "verifier", "decider"] as const) {
      expect(
        (await noticesOf(who)).filter((n) => n.caseId === caseId),
        who,
      ).toEqual([]);
    }
  });

  it("an event the body posts to it is a 404 that changes nothing, whatever the event", async () => {
    const record = await caseRecord(caseId);
    const forms: Record<string, string>[] = [
      { intent: "ACCEPT" },
      { intent: "DECLINE", reason: "capacity" },
      { intent: "ASSIGN_TEAM", reviewer: "", inspector: "", verifier: "" },
      { intent: "START_REVIEW" },
      { intent: "SUBMIT" },
      { intent: "WITHDRAW_APPLICATION", reason: "on their behalf" },
    ];
    for (const who of BODY) {
      for (const form of forms) expect(await post(who, caseId, form), `${who} ${form.intent}`).toEqual({ kind: "error", status: 404 });
    }
    // A file posted by the body is not kept either.
    const byCb = await postMultipart(casePage.action, {
      url: `/cases/${caseId}`,
      cookie: cookies.cbAdmin,
      params: { caseId },
      fields: { intent: "ATTACH_DOCUMENT", version: String(record.version), kind: "inventory_report" },
      files: [{ name: "report.pdf", type: "application/pdf", content: Buffer.from("%PDF-1.4\n%%EOF\n", "latin1") }],
    });
    expect(byCb.status).toBe(404);
    expect(await caseRecord(caseId)).toEqual(record);
  });

  it("from submission on, the body sees the case, its document, its evidence and its inbox entry, and is told of it", async () => {
    const submitted = await post("applicant", caseId, { intent: "SUBMIT" });
    expect(submitted).toEqual({ kind: "redirect", status: 302, location: `/cases/${caseId}?done=SUBMIT` });

    const admin = (await load("cbAdmin", caseId)) as { kind: string; data: Page };
    expect(admin.kind).toBe("ok");
    expect(admin.data.case.state).toBe("submitted");
    expect(admin.data.viewerSide).toBe("cb");
    expect(admin.data.actions.events).toEqual(["ACCEPT", "DECLINE"]);
    expect(admin.data.attachments.map((a) => a.id)).toEqual([fileId]);
    expect(((await load("reviewer", caseId)) as { data: Page }).data.actions.events).toEqual([]);
    for (const who of BODY) {
      const download = await file(who, caseId, fileId);
      expect(download, who).toMatchObject({ kind: "ok", status: 200 });
      expect((download as { data: Response }).data.headers.get("Content-Disposition"), who).toContain("attachment");
      expect(await evidence(who, caseId, evidenceId), who).toMatchObject({ kind: "ok", status: 200 });
      expect(
        (await inboxOf(who, `?q=${reference}`)).items.map((c) => c.id),
        who,
      ).toEqual([caseId]);
    }
    const adminInbox = await inboxOf("cbAdmin");
    const submittedBefore = before.cbAdmin.inbox.byState.find(([s]) => s === "submitted")?.[1] ?? 0;
    expect(adminInbox.byState.find((s) => s.state === "submitted")?.count).toBe(Number(submittedBefore) + 1);
    expect(adminInbox.total).toBe(before.cbAdmin.inbox.total + 1);
    const adminDashboard = bodyCounts(await dashboardOf("cbAdmin"));
    const waiting = (d: ReturnType<typeof bodyCounts>) =>
      Number(d.roles.find((r) => r.role === "cb_admin")!.states.find(([s]) => s === "submitted")![1]);
    expect(waiting(adminDashboard)).toBe(waiting(before.cbAdmin.dashboard) + 1);
    expect((await noticesOf("cbAdmin")).filter((n) => n.caseId === caseId).map((n) => n.topic)).toEqual(["case_submitted"]);

    // And the body works it as before.
    expect(await post("cbAdmin", caseId, { intent: "ACCEPT" })).toEqual({ kind: "redirect", status: 302, location: `/cases/${caseId}?done=ACCEPT` });
  });
});
