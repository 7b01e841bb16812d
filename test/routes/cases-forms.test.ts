/**
 * The buttons a case page draws are exactly the events the server allows this user now: the case
 * page loader runs for each demo user at several steps of a case, the action section and the
 * findings are rendered from what it returned, and the forms in the markup are compared with the
 * loader's list (no more, no fewer; answer and close once per finding that allows them).
 */
import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { EventForms } from "../../app/components/cases/event-forms.tsx";
import { FindingsPanel } from "../../app/components/cases/findings-panel.tsx";
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

async function act(who: Who, caseId: string, form: Record<string, string>) {
  const version = String((await caseRecord(caseId)).version);
  const outcome = await run(casePage.action, {
    url: `/cases/${caseId}`,
    method: "POST",
    cookie: cookies[who],
    params: { caseId },
    form: { version, ...form },
  });
  expect(outcome.kind, `${who} ${form.intent}`).toBe("redirect");
}

/** The markup of the action section and the findings, rendered from the loader's data inside a (server) router. */
async function render(page: Page): Promise<string> {
  const view = () =>
    createElement(
      Fragment,
      null,
      createElement(EventForms, { events: page.actions.events, version: page.case.version, data: page.forms }),
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

async function checkEveryone(caseId: string, label: string) {
  for (const who of Object.keys(CASE_PEOPLE) as Who[]) {
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
    await checkEveryone(caseId, "draft");
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
