/**
 * The buttons a case page draws are exactly the events the server allows this user now: the case
 * page loader runs for each demo user at several steps of a case, the action section and the
 * findings are rendered from what it returned, and the forms in the markup are compared with the
 * loader's list (no more, no fewer; answer and close once per finding that allows them).
 */
import { randomUUID } from "node:crypto";
import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { EventForms } from "../../app/components/cases/event-forms.tsx";
import type { CaseFormState } from "../../app/components/cases/fields.tsx";
import { FindingsPanel } from "../../app/components/cases/findings-panel.tsx";
import { translator } from "../../app/i18n/index.ts";
import * as casePage from "../../app/routes/cases.$caseId.tsx";
import { CASE_PEOPLE, run, seedFixtures, signInAll } from "../support/fixtures.ts";
import { caseRecord, openCase } from "./cases-support.ts";

type Who = keyof typeof CASE_PEOPLE;
let cookies: Record<Who, string>;
let ids: Record<Who, string>;

beforeAll(async () => {
  await seedFixtures();
  ({ cookies, ids } = await signInAll(CASE_PEOPLE));
});

type Page = Awaited<ReturnType<typeof casePage.loader>>;

async function pageFor(who: Who, caseId: string): Promise<Page> {
  const outcome = await run(casePage.loader, { url: `/cases/${caseId}`, cookie: cookies[who], params: { caseId } });
  if (outcome.kind !== "ok") throw new Error(`${who}: ${JSON.stringify(outcome)}`);
  return outcome.data as Page;
}

async function post(who: Who, caseId: string, form: Record<string, string>) {
  const version = String((await caseRecord(caseId)).version);
  return run(casePage.action, {
    url: `/cases/${caseId}`,
    method: "POST",
    cookie: cookies[who],
    params: { caseId },
    form: { version, ...form },
  });
}

async function act(who: Who, caseId: string, form: Record<string, string>) {
  const outcome = await post(who, caseId, form);
  expect(outcome.kind, `${who} ${form.intent}`).toBe("redirect");
}

/**
 * The markup of the action section and the findings, rendered from the loader's data inside a
 * (server) router, with the action's answer when there is one.
 */
async function render(page: Page, state?: CaseFormState): Promise<string> {
  const view = () =>
    createElement(
      Fragment,
      null,
      createElement(EventForms, { events: page.actions.events, version: page.case.version, data: page.forms, state }),
      createElement(FindingsPanel, {
        caseId: page.case.id,
        findings: page.context.findings,
        files: page.attachments,
        people: page.people,
        may: page.actions.findings,
        version: page.case.version,
        accept: page.forms.accept,
        maxSize: page.forms.maxSize,
      }),
    );
  const routes = [{ path: "/", Component: view }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request("http://localhost/"));
  if (context instanceof Response) throw new Error("the static router answered with a response");
  return renderToStaticMarkup(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context }));
}

/** Every form in the markup as "EVENT" or "EVENT:finding", with the version it carries. */
function formsIn(html: string) {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, attrs, body]) => {
    const event = /data-event="([^"]+)"/.exec(attrs!)?.[1];
    const finding = /data-finding="([^"]+)"/.exec(attrs!)?.[1];
    const version = /name="version" value="(\d+)"/.exec(body!)?.[1];
    const intent = /name="intent" value="([^"]+)"/.exec(body!)?.[1];
    return { key: finding ? `${event}:${finding}` : event!, version: Number(version), intent };
  });
  return forms;
}

function expected(page: Page): string[] {
  const perFinding = new Set(["ANSWER_FINDING", "CLOSE_FINDING"]);
  return [
    ...page.actions.events.filter((e) => !perFinding.has(e)),
    ...page.actions.findings.answer.map((id) => `ANSWER_FINDING:${id}`),
    ...page.actions.findings.close.map((id) => `CLOSE_FINDING:${id}`),
  ].sort();
}

async function checkEveryone(caseId: string, label: string, people: readonly Who[] = Object.keys(CASE_PEOPLE) as Who[]) {
  for (const who of people) {
    const page = await pageFor(who, caseId);
    const forms = formsIn(await render(page));
    expect(forms.map((f) => f.key).sort(), `${label}: ${who}`).toEqual(expected(page));
    // Each form posts its own event with the version the page showed.
    for (const f of forms) {
      expect(f.intent).toBe(f.key.split(":")[0]);
      expect(f.version).toBe(page.case.version);
    }
  }
}

describe("case page actions", () => {
  it("renders exactly the allowed events for every user at every step", async () => {
    const { caseId } = await openCase("forms-flow");
    // A draft is the applicant's: only its people have a page; the body's get 404 (cases-drafts.test.ts).
    await checkEveryone(caseId, "draft", ["applicant", "member"]);
    for (const who of ["cbAdmin", "reviewer", "inspector", "verifier", "decider"] as const) {
      expect(await run(casePage.loader, { url: `/cases/${caseId}`, cookie: cookies[who], params: { caseId } }), who).toEqual({
        kind: "error",
        status: 404,
      });
    }
    await act("applicant", caseId, { intent: "SUBMIT" });
    await checkEveryone(caseId, "submitted");
    await act("cbAdmin", caseId, { intent: "ACCEPT" });
    await act("cbAdmin", caseId, { intent: "ASSIGN_TEAM", reviewer: ids.reviewer, inspector: ids.inspector, verifier: ids.verifier });
    await checkEveryone(caseId, "planning");
    await act("cbAdmin", caseId, { intent: "ASSIGN_DECIDER", decider: ids.decider });
    await act("reviewer", caseId, { intent: "START_REVIEW" });
    await act("reviewer", caseId, { intent: "RAISE_FINDING", severity: "major", clause: "§5", text: "缺少运输距离依据", dueOn: "2099-01-01" });
    await act("reviewer", caseId, { intent: "RAISE_FINDING", severity: "minor", clause: "§6", text: "数据质量评分缺少说明", dueOn: "2099-01-01" });
    await checkEveryone(caseId, "awaiting the applicant, two findings");
    await act("member", caseId, { intent: "ANSWER_FINDING", findingId: "F-01", text: "已补充运单" });
    await checkEveryone(caseId, "one finding answered, one open");
    await act("member", caseId, { intent: "ANSWER_FINDING", findingId: "F-02", text: "已补充说明" });
    await checkEveryone(caseId, "back in review, two findings answered");
    const review = await pageFor("reviewer", caseId);
    expect(review.actions.findings.close).toEqual(["F-01", "F-02"]);
    await act("reviewer", caseId, { intent: "CLOSE_FINDING", findingId: "F-01" });
    await act("reviewer", caseId, { intent: "CLOSE_FINDING", findingId: "F-02" });
    await act("reviewer", caseId, { intent: "COMPLETE_REVIEW" });
    await act("inspector", caseId, { intent: "RECORD_INSPECTION", date: "2026-03-01", site: "1 号线", attendees: "", observations: "无异常" });
    await act("verifier", caseId, { intent: "RECORD_VERIFICATION", kgCO2ePerDeclaredUnit: "236.9" });
    await checkEveryone(caseId, "verification recorded");
    await act("verifier", caseId, { intent: "COMPLETE_VERIFICATION" });
    await checkEveryone(caseId, "evaluation and decision");
    const decider = await pageFor("decider", caseId);
    expect(decider.actions.events).toEqual(["GRANT", "REFUSE"]);
    await act("decider", caseId, { intent: "GRANT" });
    await checkEveryone(caseId, "issued");
    const applicant = await pageFor("applicant", caseId);
    expect(applicant.actions.events).toEqual(["RENEW"]);
    expect((await pageFor("cbAdmin", caseId)).actions.events).toEqual(["SUSPEND", "WITHDRAW"]);
  });
});

/** The credits table's inputs in the markup: each cell's name, value and the text of the error tied to it. */
function creditCells(html: string) {
  return [...html.matchAll(/<input\b([^>]*)>/g)].flatMap(([, attrs]) => {
    const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs!)?.[1];
    const name = attr("name");
    if (!name?.startsWith("credits[")) return [];
    const describedBy = attr("aria-describedby");
    const error = describedBy ? new RegExp(`<p[^>]*id="${describedBy}"[^>]*>([^<]*)</p>`).exec(html)?.[1] : undefined;
    return [{ name, value: attr("value") ?? "", invalid: attr("aria-invalid") === "true", error }];
  });
}

describe("the retired-credits form", () => {
  const zh = translator("zh-CN");
  const claim = { claimStart: "2025-01-01", claimEnd: "2025-12-31", claimQuantity: "1000" };
  /** Serials are unique across the platform: each run uses its own prefix. */
  const batch = (prefix: string, first: number, last: number) => ({
    registry: "CCER",
    programme: "CCER-14-V01",
    serialPrefix: prefix,
    first: String(first),
    last: String(last),
    vintage: "2024",
    retiredOn: "2025-03-01",
  });
  const row = (i: number, credit: Record<string, string>) => Object.fromEntries(Object.entries(credit).map(([k, v]) => [`credits[${i}].${k}`, v]));

  it("shows a bad row's message on its cell, naming the row, and records a good form", async () => {
    const { caseId } = await openCase("forms-credits", "CN");
    const prefix = `CF-${randomUUID().slice(0, 8)}-`;
    const page = await pageFor("applicant", caseId);
    expect(page.actions.events).toContain("RECORD_CREDITS");
    // Nothing recorded yet: one empty row to fill in.
    expect(creditCells(await render(page)).map((c) => c.name)).toEqual([
      "credits[0].registry",
      "credits[0].programme",
      "credits[0].serialPrefix",
      "credits[0].first",
      "credits[0].last",
      "credits[0].vintage",
      "credits[0].retiredOn",
    ]);

    const before = await caseRecord(caseId);
    const bad = await post("applicant", caseId, {
      intent: "RECORD_CREDITS",
      ...claim,
      ...row(0, batch(prefix, 1, 400)),
      ...row(1, { ...batch(prefix, 900, 800) }),
      ...row(2, batch("", 0, 0)),
    });
    if (bad.kind !== "ok") throw new Error(`expected an answer, got ${JSON.stringify(bad)}`);
    expect(bad.status).toBe(400);
    const state = bad.data as CaseFormState;
    expect(state.errors).toEqual({ "credits[1].last": { key: "case.v.serialOrder" } });
    expect(await caseRecord(caseId)).toEqual(before);

    const html = await render(page, state);
    const cells = creditCells(html);
    const onCell = zh("case.f.creditRow", { row: 2, message: zh("case.v.serialOrder") });
    expect(onCell).toBe("第 2 行：末尾序列号不能小于起始序列号。");
    expect(cells.filter((c) => c.invalid || c.error)).toEqual([{ name: "credits[1].last", value: "800", invalid: true, error: onCell }]);
    // The summary above the form names the column too.
    expect(html).toContain(`<li>第 2 行「结束序号」：末尾序列号不能小于起始序列号。</li>`);
    // What was typed comes back in its row, and one empty row follows the last one filled in.
    expect(cells.find((c) => c.name === "credits[1].first")?.value).toBe("900");
    expect(cells.find((c) => c.name === "credits[2].programme")?.value).toBe("CCER-14-V01");
    expect(cells.filter((c) => c.name.startsWith("credits[3].")).map((c) => c.value)).toEqual(["", "", "", "", "", "", ""]);

    // Corrected, with an empty row between the batches: both are recorded, the empty row is not.
    await act("applicant", caseId, {
      intent: "RECORD_CREDITS",
      ...claim,
      ...row(0, batch(prefix, 1, 400)),
      ...row(1, Object.fromEntries(Object.keys(batch("", 0, 0)).map((k) => [k, ""]))),
      ...row(2, { ...batch(prefix, 800, 900), registry: "vcs" }),
    });
    const recorded = await pageFor("applicant", caseId);
    expect(recorded.forms.claim).toEqual({ period: { start: "2025-01-01", end: "2025-12-31" }, quantity: 1000 });
    expect(recorded.forms.credits).toEqual([
      { ...batch(prefix, 1, 400), first: 1, last: 400, vintage: 2024 },
      { ...batch(prefix, 800, 900), registry: "VCS", first: 800, last: 900, vintage: 2024 },
    ]);
    // The page shows the two batches, then one empty row for another.
    const shown = creditCells(await render(recorded));
    expect(shown.filter((c) => c.name.endsWith(".first")).map((c) => c.value)).toEqual(["1", "800", ""]);
  });

  it("names a serial already used elsewhere on the table", async () => {
    const prefix = `CF-${randomUUID().slice(0, 8)}-`;
    const first = await openCase("forms-credits-used", "CN");
    await act("applicant", first.caseId, { intent: "RECORD_CREDITS", ...claim, ...row(0, batch(prefix, 1, 100)) });
    const second = await openCase("forms-credits-reused", "CN");
    const reused = await post("applicant", second.caseId, { intent: "RECORD_CREDITS", ...claim, ...row(0, batch(prefix, 50, 60)) });
    if (reused.kind !== "ok") throw new Error(`expected an answer, got ${JSON.stringify(reused)}`);
    expect(reused.status).toBe(409);
    const state = reused.data as CaseFormState;
    expect(state.errors).toEqual({ form: { key: "case.err.serialConflict" }, credits: { key: "case.err.serialConflict" } });
    const html = await render(await pageFor("applicant", second.caseId), state);
    expect(html).toContain(`id="RECORD_CREDITS-credits-error" role="alert">${zh("case.err.serialConflict")}</p>`);
  });
});
