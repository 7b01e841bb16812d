/**
 * Every form validated by Conform answers the same invalid input with the same keyed errors in the
 * browser and from its action: the browser's schema is built from what the page's loader gives it
 * (as the component builds it), the action parses the same posted fields on the server.
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { beforeAll, describe, expect, it } from "vitest";
import * as casePage from "../../app/routes/cases.$caseId.tsx";
import * as account from "../../app/routes/account.tsx";
import * as adminOrganizations from "../../app/routes/admin.organizations.tsx";
import * as apply from "../../app/routes/cases.new.tsx";
import * as invite from "../../app/routes/invite.$token.tsx";
import * as members from "../../app/routes/org.members.tsx";
import * as orgProfile from "../../app/routes/org.profile.tsx";
import * as productPage from "../../app/routes/products.$productId.tsx";
import * as newProduct from "../../app/routes/products.new.tsx";
import { InvitationAcceptanceSchema, PasswordChangeSchema } from "../../app/utils/account-forms.ts";
import { ApplicationSchema, CREDIT_COLUMNS, EVENT_FORM_SCHEMAS, eventFormErrors, RecordCreditsSchema } from "../../app/utils/case-forms.ts";
import { firstErrors, formError, type FieldErrors } from "../../app/utils/forms.ts";
import { invitationSchema, manufacturerProfileSchema, onboardingSchema } from "../../app/utils/organization-forms.ts";
import { InventoryFormSchema, productFormSchema } from "../../app/utils/product-forms.ts";
import { RetiredCreditsSchema } from "../../workflows/cases/events.ts";
import { transition } from "../../workflows/cases/index.ts";
import { getDb } from "../../db/client.ts";
import { CASE_PEOPLE, cookieFor, demoEmail, demoProductId, run, seedFixtures, userIdByEmail, type Outcome } from "../support/fixtures.ts";
import { caseRecord, openCase } from "./cases-support.ts";
import type { z } from "zod";

type Form = Record<string, string | string[]>;

function browserErrors(schema: z.ZodType, form: Form): FieldErrors {
  const formData = new FormData();
  for (const [name, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) formData.append(name, v);
  const submission = parseWithZod(formData, { schema, formatError: formError });
  return submission.status === "success" ? {} : firstErrors(submission.error);
}

function serverErrors(outcome: Outcome<unknown>): FieldErrors {
  expect(outcome).toMatchObject({ kind: "ok", status: 400 });
  return (outcome as { data: { errors: FieldErrors } }).data.errors;
}

/** The same errors on both sides, and on exactly the fields expected. */
function expectSameErrors(browser: FieldErrors, server: FieldErrors, fields: string[]) {
  expect(Object.keys(server).sort()).toEqual([...fields].sort());
  expect(browser).toEqual(server);
}

let maker: string;
let makerAdmin: string;
let platformAdmin: string;
beforeAll(async () => {
  await seedFixtures();
  maker = await cookieFor(demoEmail("manufacturer_member"));
  makerAdmin = await cookieFor(demoEmail("manufacturer_admin"));
  platformAdmin = await cookieFor(demoEmail("platform_admin"));
});

describe("browser and server validate a form alike", () => {
  it("product", async () => {
    const page = await run(newProduct.loader, { url: "/products/new", cookie: maker });
    if (page.kind !== "ok") throw new Error("no product page");
    const form = { intent: "save-product", nameZh: "", nameEn: "Battery", pcrCode: "PCR-NOPE", siteRegion: "CN-ZJ", gtin: "6901234567893" };
    const server = serverErrors(await run(newProduct.action, { url: "/products/new", method: "POST", cookie: maker, form }));
    expectSameErrors(browserErrors(productFormSchema(page.data.pcrOptions.map((p) => p.code)), form), server, ["nameZh", "pcrCode", "gtin"]);
    expect(server.gtin).toEqual({ key: "v.gtin" });
  });

  it("new inventory", async () => {
    const productId = await demoProductId();
    const form = { intent: "create-inventory", periodStart: "2025-12-31", periodEnd: "31/01/2025", productionQuantity: "-3", productionUnit: "t" };
    const server = serverErrors(
      await run(productPage.action, { url: `/products/${productId}`, method: "POST", cookie: maker, params: { productId }, form }),
    );
    expectSameErrors(browserErrors(InventoryFormSchema, form), server, ["periodEnd", "productionQuantity"]);
    expect(server.periodEnd).toEqual({ key: "v.date" });
    expect(server.productionQuantity).toEqual({ key: "v.positive" });
  });

  it("organization profile", async () => {
    const form = { nameZh: "示范企业", nameEn: "", creditCode: "91330110MA2H7K8L3X", province: "CN-XX", address: "" };
    const server = serverErrors(await run(orgProfile.action, { url: "/org/profile", method: "POST", cookie: makerAdmin, form }));
    expectSameErrors(browserErrors(manufacturerProfileSchema, form), server, ["nameEn", "creditCode", "province"]);
    expect(server.creditCode?.key).toMatch(/^v\.creditCode\./);
  });

  it("member invitation", async () => {
    const page = await run(members.loader, { url: "/org/members", cookie: makerAdmin });
    if (page.kind !== "ok") throw new Error("no members page");
    const form = { intent: "invite", email: "not-an-address", name: "新人", roles: ["platform_admin"] };
    const server = serverErrors(await run(members.action, { url: "/org/members", method: "POST", cookie: makerAdmin, form }));
    expectSameErrors(browserErrors(invitationSchema(page.data.assignableRoles), form), server, ["email", "roles"]);
    expect(server).toEqual({ email: { key: "v.email" }, roles: { key: "v.choice" } });
    const noRole = { intent: "invite", email: "new@example.com", name: "新人" };
    const noRoleServer = serverErrors(await run(members.action, { url: "/org/members", method: "POST", cookie: makerAdmin, form: noRole }));
    expectSameErrors(browserErrors(invitationSchema(page.data.assignableRoles), noRole), noRoleServer, ["roles"]);
    expect(noRoleServer.roles).toEqual({ key: "v.rolesRequired" });
  });

  it("onboarding an organization", async () => {
    const page = await run(adminOrganizations.loader, { url: "/admin/organizations", cookie: platformAdmin });
    if (page.kind !== "ok") throw new Error("no organizations page");
    const schema = onboardingSchema(page.data.categories.map((c) => c.code));
    const body = {
      kind: "certification_body",
      nameZh: "新机构",
      nameEn: "New CB",
      province: "CN-SH",
      approvalNumber: "",
      cbCode: "z",
      scope: ["NOPE"],
      adminName: "",
      adminEmail: "boss@",
    };
    const server = serverErrors(
      await run(adminOrganizations.action, { url: "/admin/organizations", method: "POST", cookie: platformAdmin, form: body }),
    );
    expectSameErrors(browserErrors(schema, body), server, ["approvalNumber", "cbCode", "scope", "adminName", "adminEmail"]);
    const noKind = { ...body, kind: "platform" };
    const noKindServer = serverErrors(
      await run(adminOrganizations.action, { url: "/admin/organizations", method: "POST", cookie: platformAdmin, form: noKind }),
    );
    expectSameErrors(browserErrors(schema, noKind), noKindServer, ["kind"]);
    expect(noKindServer.kind).toEqual({ key: "v.choice" });
  });

  it("application for a label", async () => {
    const page = await run(apply.loader, { url: "/cases/new", cookie: maker });
    if (page.kind !== "ok") throw new Error("no application page");
    const inventoryId = page.data.inventories[0]!.id;
    const form = { inventoryId, labelType: "CN", cbOrganizationId: "", claimStart: "2025-12-31", claimEnd: "2025-01-01", claimQuantity: "12,5" };
    const server = serverErrors(await run(apply.action, { url: "/cases/new", method: "POST", cookie: maker, form }));
    expectSameErrors(browserErrors(ApplicationSchema, form), server, ["cbOrganizationId", "claimEnd", "claimQuantity"]);
    expect(server).toEqual({ cbOrganizationId: { key: "v.required" }, claimEnd: { key: "v.dateOrder" }, claimQuantity: { key: "v.number" } });
    // Another label carries no claim, so its fields are not checked; an unknown label is named.
    const other = { inventoryId, labelType: "XX", cbOrganizationId: "x", claimStart: "soon" };
    const otherServer = serverErrors(await run(apply.action, { url: "/cases/new", method: "POST", cookie: maker, form: other }));
    expectSameErrors(browserErrors(ApplicationSchema, other), otherServer, ["labelType"]);
    expect(otherServer.labelType).toEqual({ key: "v.choice" });
  });

  it("password change", async () => {
    const form = { intent: "password", currentPassword: "", newPassword: "short", confirmPassword: "short" };
    const server = serverErrors(await run(account.action, { url: "/account", method: "POST", cookie: maker, form }));
    expectSameErrors(browserErrors(PasswordChangeSchema, form), server, ["currentPassword", "newPassword"]);
    expect(server.newPassword).toEqual({ key: "v.tooShort", params: { min: 10 } });
  });

  it("invitation acceptance", async () => {
    const invited = await run(members.action, {
      url: "/org/members",
      method: "POST",
      cookie: makerAdmin,
      form: { intent: "invite", email: "schema-check@example.com", name: "新人", roles: ["manufacturer_member"] },
    });
    const link = invited.kind === "ok" ? (invited.data as { link: { url: string } | null }).link : null;
    const token = link!.url.split("/invite/")[1]!;
    const form = { name: "新人", password: "long-enough-password", confirmPassword: "another-password" };
    const server = serverErrors(await run(invite.action, { url: `/invite/${token}`, method: "POST", params: { token }, form }));
    expectSameErrors(browserErrors(InvitationAcceptanceSchema, form), server, ["confirmPassword"]);
    expect(server.confirmPassword).toEqual({ key: "v.passwordMismatch" });
  });

  it("case event forms", async () => {
    // The form is checked before the case layer is asked, so any case of the body will do once it
    // is submitted (a draft is the applicant's, and the body's post to it is a 404 before any form).
    const { caseId } = await openCase("form-schemas");
    await transition(await getDb(), { caseId, actor: { userId: await userIdByEmail(CASE_PEOPLE.applicant) }, event: { type: "SUBMIT" } });
    const cbAdmin = await cookieFor(CASE_PEOPLE.cbAdmin);
    const version = String((await caseRecord(caseId)).version);
    const post = (form: Form) =>
      run(casePage.action, { url: `/cases/${caseId}`, method: "POST", cookie: cbAdmin, params: { caseId }, form: { version, ...form } });
    const cases: { form: Form; fields: string[]; expected: FieldErrors }[] = [
      {
        form: { intent: "ASSIGN_TEAM", reviewer: "", inspector: "nobody", verifier: "00000000-0000-4000-8000-000000000000" },
        fields: ["reviewer", "inspector"],
        expected: { reviewer: { key: "v.required" }, inspector: { key: "v.choice" } },
      },
      {
        form: { intent: "RAISE_FINDING", severity: "critical", clause: "§1", text: "", dueOn: "31/01/2099" },
        fields: ["severity", "text", "dueOn"],
        expected: { severity: { key: "v.choice" }, text: { key: "v.required" }, dueOn: { key: "v.date" } },
      },
      {
        form: { intent: "RECORD_INSPECTION", date: "", site: "1 号线", attendees: `${"王".repeat(201)}\n李工`, observations: "" },
        fields: ["date", "attendees", "observations"],
        expected: { date: { key: "v.required" }, attendees: { key: "v.tooLong", params: { max: 200 } }, observations: { key: "v.required" } },
      },
      {
        form: { intent: "RECORD_VERIFICATION", kgCO2ePerDeclaredUnit: "0", note: "x".repeat(4001) },
        fields: ["kgCO2ePerDeclaredUnit", "note"],
        expected: { kgCO2ePerDeclaredUnit: { key: "v.positive" }, note: { key: "v.tooLong", params: { max: 4000 } } },
      },
    ];
    for (const { form, fields, expected } of cases) {
      const server = serverErrors(await post(form));
      expectSameErrors(browserErrors(EVENT_FORM_SCHEMAS[form.intent as string]!, form), server, fields);
      expect(server, String(form.intent)).toEqual(expected);
    }
    // A decimal comma is not a number the host reads.
    const comma = { intent: "RECORD_VERIFICATION", kgCO2ePerDeclaredUnit: "236,9" };
    expect(serverErrors(await post(comma))).toEqual({ kgCO2ePerDeclaredUnit: { key: "v.number" } });
  });

  it("retired credits: each cell's message under its own name", async () => {
    const { caseId } = await openCase("form-schemas-credits", "CN");
    const applicant = await cookieFor(CASE_PEOPLE.applicant);
    const version = String((await caseRecord(caseId)).version);
    const post = (form: Form) =>
      run(casePage.action, { url: `/cases/${caseId}`, method: "POST", cookie: applicant, params: { caseId }, form: { version, ...form } });
    const claim = { claimStart: "2025-01-01", claimEnd: "2025-12-31", claimQuantity: "1000" };
    const form = {
      intent: "RECORD_CREDITS",
      ...claim,
      claimEnd: "2024-12-31",
      ...creditRow(0, { ...GOOD_CREDIT, first: "900", last: "800", vintage: "1989", retiredOn: "2025-02-30" }),
      ...creditRow(1, EMPTY_CREDIT),
      ...creditRow(2, { ...GOOD_CREDIT, programme: "", first: "-1", last: "1.5", vintage: "", retiredOn: "" }),
    };
    const expected: FieldErrors = {
      claimEnd: { key: "v.dateOrder" },
      "credits[0].last": { key: "case.v.serialOrder" },
      "credits[0].vintage": { key: "v.min", params: { min: 1990 } },
      "credits[0].retiredOn": { key: "v.date" },
      "credits[2].programme": { key: "v.required" },
      "credits[2].first": { key: "v.min", params: { min: 0 } },
      "credits[2].last": { key: "v.integer" },
      "credits[2].vintage": { key: "v.required" },
      "credits[2].retiredOn": { key: "v.required" },
    };
    const server = serverErrors(await post(form));
    expect(server).toEqual(expected);
    expect(creditErrors(form)).toEqual(server);
    // Only empty rows: the claim alone records nothing.
    const none = { intent: "RECORD_CREDITS", ...claim, ...creditRow(0, EMPTY_CREDIT) };
    expect(serverErrors(await post(none))).toEqual({ credits: { key: "case.v.creditsRequired" } });
    expect(creditErrors(none)).toEqual({ credits: { key: "case.v.creditsRequired" } });
    // A row index far beyond any row the page draws is refused without walking the list it names.
    const far = { intent: "RECORD_CREDITS", ...claim, ...creditRow(0, GOOD_CREDIT), "credits[99999999].first": "1" };
    const started = performance.now();
    expect(serverErrors(await post(far))).toEqual({ credits: { key: "case.issue.tooManyItems", params: { max: 200 } } });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("retired credits: a row the form accepts is one the host accepts, and the other way round", () => {
    const cases: Partial<Record<(typeof CREDIT_COLUMNS)[number], string[]>> = {
      registry: ["", " vcs ", "x".repeat(40), "x".repeat(41)],
      programme: ["", "x".repeat(80), "x".repeat(81)],
      serialPrefix: ["", "x".repeat(60), "x".repeat(61)],
      first: ["0", "-0", "-1", "1.5", "1e3", "０", "10", "11", "9007199254740991", "9007199254740992"],
      last: ["0", "1", "007", "9007199254740991", "9007199254740992", " 10 "],
      vintage: ["1989", "1990", "2100", "2101", "2024.0", "MMXXIV"],
      retiredOn: ["2025-02-28", "2025-02-29", "2024-02-29", "20250228", "2025-2-28"],
    };
    for (const [column, values] of Object.entries(cases)) {
      for (const value of values) {
        const credit = { ...GOOD_CREDIT, [column]: value };
        const formAccepts =
          Object.keys(creditErrors({ claimStart: "2025-01-01", claimEnd: "2025-12-31", claimQuantity: "1", ...creditRow(0, credit) })).length === 0;
        const hostAccepts = RetiredCreditsSchema.safeParse(Object.fromEntries(Object.entries(credit).map(([k, v]) => [k, v.trim()]))).success;
        expect(formAccepts, `${column}=${JSON.stringify(value)}`).toBe(hostAccepts);
      }
    }
  });
});

const GOOD_CREDIT = {
  registry: "CCER",
  programme: "CCER-14-V01",
  serialPrefix: "",
  first: "1",
  last: "10",
  vintage: "2024",
  retiredOn: "2025-03-01",
};
const EMPTY_CREDIT = Object.fromEntries(CREDIT_COLUMNS.map((c) => [c, ""]));

/** A row of the credits table as the page names its cells (`credits[2].last`). */
function creditRow(row: number, credit: Record<string, string>): Form {
  return Object.fromEntries(Object.entries(credit).map(([column, value]) => [`credits[${row}].${column}`, value]));
}

/** What the browser's check of the credits form says, each cell under its own name. */
function creditErrors(form: Form): FieldErrors {
  const formData = new FormData();
  for (const [name, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) formData.append(name, v);
  const submission = parseWithZod(formData, { schema: RecordCreditsSchema, formatError: formError });
  return submission.status === "success" ? {} : eventFormErrors(submission.error);
}
