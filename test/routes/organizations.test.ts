import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client.ts";
import * as adminOrganizations from "../../app/routes/admin.organizations.tsx";
import * as invite from "../../app/routes/invite.$token.tsx";
import * as login from "../../app/routes/login.tsx";
import * as members from "../../app/routes/org.members.tsx";
import * as profile from "../../app/routes/org.profile.tsx";
import { OTHER_TENANT, cookieFor, demoEmail, run, seedFixtures, userIdByEmail } from "../support/fixtures.ts";

type Outcome = Awaited<ReturnType<typeof run>>;
const body = (o: Outcome) =>
  o.kind === "ok"
    ? (o.data as { errors: Record<string, { key: string }>; created?: { url: string } | null; link?: { url: string } | null })
    : undefined;

async function tableCounts() {
  const db = await getDb();
  const { rows } = await sql<{ organizations: number; invitations: number; users: number }>`
    select (select count(*)::int from organizations) as organizations,
           (select count(*)::int from invitations) as invitations,
           (select count(*)::int from users) as users`.execute(db);
  return rows[0]!;
}

const validManufacturer = {
  kind: "manufacturer",
  nameZh: "测试光伏组件有限公司",
  nameEn: "Test PV Modules Co., Ltd.",
  creditCode: "91330100716105852F",
  province: "CN-JS",
  address: "江苏省常州市",
  adminName: "测试管理员",
  adminEmail: "boss@test-pv.test",
};

let platformCookie: string;
beforeAll(async () => {
  await seedFixtures();
  platformCookie = await cookieFor(demoEmail("platform_admin"));
});

describe("onboarding an organization", () => {
  const post = (form: Record<string, string | string[]>) =>
    run(adminOrganizations.action, { url: "/admin/organizations", method: "POST", cookie: platformCookie, form });

  it("rejects a credit code with a wrong check character, naming the field, and writes nothing", async () => {
    const before = await tableCounts();
    const outcome = await post({ ...validManufacturer, creditCode: "91330100716105852G" });
    expect(outcome).toMatchObject({ kind: "ok", status: 400 });
    expect(body(outcome)?.errors.creditCode?.key).toBe("v.creditCode.checkCharacter");
    expect(await tableCounts()).toEqual(before);
  });

  it("rejects a code of the wrong length or alphabet", async () => {
    expect(body(await post({ ...validManufacturer, creditCode: "9133" }))?.errors.creditCode?.key).toBe("v.creditCode.length");
    expect(body(await post({ ...validManufacturer, creditCode: "9133010071610585OF" }))?.errors.creditCode?.key).toBe("v.creditCode.characters");
  });

  it("rejects oversized fields and a malformed email, field by field", async () => {
    const outcome = await post({ ...validManufacturer, nameZh: "长".repeat(201), adminEmail: "boss@" });
    const errors = body(outcome)?.errors;
    expect(errors?.nameZh).toEqual({ key: "v.tooLong", params: { max: 200 } });
    expect(errors?.adminEmail?.key).toBe("v.email");
  });

  it("creates the organization and a one-time invitation that makes its first admin", async () => {
    const outcome = await post(validManufacturer);
    expect(outcome).toMatchObject({ kind: "ok", status: 200 });
    const url = body(outcome)?.created?.url;
    expect(url).toMatch(/\/invite\/[\w-]+$/);
    const token = url!.split("/invite/")[1]!;

    const page = await run(invite.loader, { url: `/invite/${token}`, params: { token } });
    expect(page.kind).toBe("ok");
    const mismatch = await run(invite.action, {
      url: `/invite/${token}`,
      method: "POST",
      params: { token },
      form: { name: "测试管理员", password: "pv-admin-password", confirmPassword: "other-password" },
    });
    expect(body(mismatch)?.errors.confirmPassword?.key).toBe("v.passwordMismatch");
    const accepted = await run(invite.action, {
      url: `/invite/${token}`,
      method: "POST",
      params: { token },
      form: { name: "测试管理员", password: "pv-admin-password", confirmPassword: "pv-admin-password" },
    });
    expect(accepted).toMatchObject({ kind: "redirect", location: "/dashboard" });
    // The link works once only.
    const again = await run(invite.loader, { url: `/invite/${token}`, params: { token } });
    expect(again).toMatchObject({ kind: "error", status: 404 });
    const signIn = await run(login.action, {
      url: "/login",
      method: "POST",
      form: { email: validManufacturer.adminEmail, password: "pv-admin-password" },
    });
    expect(signIn.kind).toBe("redirect");
    const db = await getDb();
    const membership = await db
      .selectFrom("memberships")
      .innerJoin("organizations", "organizations.id", "memberships.organization_id")
      .select(["memberships.roles", "organizations.credit_code"])
      .where("memberships.user_id", "=", await userIdByEmail(validManufacturer.adminEmail))
      .executeTakeFirstOrThrow();
    expect(membership).toEqual({ roles: ["manufacturer_admin"], credit_code: validManufacturer.creditCode });
  });

  it("refuses a credit code that is already taken, leaving no invitation behind", async () => {
    const before = await tableCounts();
    const outcome = await post({ ...validManufacturer, adminEmail: "second@test-pv.test" });
    expect(body(outcome)?.errors.creditCode?.key).toBe("v.creditCode.taken");
    expect(await tableCounts()).toEqual(before);
  });

  it("creates a certification body with its approval number, body code and scope", async () => {
    const outcome = await post({
      kind: "certification_body",
      nameZh: "测试认证机构",
      nameEn: "Test Certification Body",
      approvalNumber: "CNCA-R-2026-TEST",
      cbCode: "tcb",
      province: "CN-GD",
      address: "",
      adminName: "机构管理员",
      adminEmail: "admin@tcb.test",
    });
    expect(outcome).toMatchObject({ kind: "ok", status: 200 });
    const db = await getDb();
    const org = await db.selectFrom("organizations").selectAll().where("cb_code", "=", "TCB").executeTakeFirstOrThrow();
    expect(org.cnca_approval_number).toBe("CNCA-R-2026-TEST");
  });
});

describe("an organization's own profile", () => {
  it("validates the credit code on edit and keeps the old one on failure", async () => {
    const cookie = await cookieFor(demoEmail("manufacturer_admin"));
    const outcome = await run(profile.action, {
      url: "/org/profile",
      method: "POST",
      cookie,
      form: { nameZh: "华绿", nameEn: "Hualv", creditCode: "91330110MA2H7K8L3A", province: "CN-ZJ", address: "" },
    });
    expect(body(outcome)?.errors.creditCode?.key).toBe("v.creditCode.checkCharacter");
    const db = await getDb();
    const org = await db
      .selectFrom("organizations")
      .select(["credit_code", "name_zh"])
      .where("credit_code", "=", "91330110MA2H7K8L3Y")
      .executeTakeFirst();
    expect(org?.name_zh).toBe("华绿示范实业集团有限公司");
  });
});

describe("members and tenants", () => {
  it("cannot change roles of another organization's member: 404, nothing changes", async () => {
    const otherAdmin = await cookieFor(OTHER_TENANT.adminEmail);
    const victim = await userIdByEmail(demoEmail("manufacturer_member"));
    const outcome = await run(members.action, {
      url: "/org/members",
      method: "POST",
      cookie: otherAdmin,
      form: { intent: "update-roles", userId: victim, roles: ["manufacturer_admin"] },
    });
    expect(outcome).toMatchObject({ kind: "error", status: 404 });
    const db = await getDb();
    const row = await db.selectFrom("memberships").select("roles").where("user_id", "=", victim).executeTakeFirstOrThrow();
    expect(row.roles).toEqual(["manufacturer_member"]);
  });

  it("answers a made-up member id exactly like another tenant's member", async () => {
    const admin = await cookieFor(demoEmail("manufacturer_admin"));
    const outcome = await run(members.action, {
      url: "/org/members",
      method: "POST",
      cookie: admin,
      form: { intent: "update-roles", userId: "00000000-0000-4000-8000-000000000000", roles: ["manufacturer_member"] },
    });
    expect(outcome).toMatchObject({ kind: "error", status: 404 });
  });

  it("lists only the admin's own members", async () => {
    const otherAdmin = await cookieFor(OTHER_TENANT.adminEmail);
    const outcome = await run(members.loader, { url: "/org/members", cookie: otherAdmin });
    const list = (outcome as { data: { members: { email: string }[] } }).data.members.map((m) => m.email).sort();
    expect(list).toEqual([OTHER_TENANT.adminEmail, OTHER_TENANT.memberEmail].sort());
  });

  it("keeps at least one admin", async () => {
    const adminEmail = demoEmail("cb_admin");
    const cookie = await cookieFor(adminEmail);
    const outcome = await run(members.action, {
      url: "/org/members",
      method: "POST",
      cookie,
      form: { intent: "update-roles", userId: await userIdByEmail(adminEmail), roles: ["cb_reviewer"] },
    });
    expect(body(outcome)?.errors.form?.key).toBe("members.lastAdmin");
  });

  it("only hands out roles of the organization's kind", async () => {
    const cookie = await cookieFor(demoEmail("manufacturer_admin"));
    const outcome = await run(members.action, {
      url: "/org/members",
      method: "POST",
      cookie,
      form: { intent: "invite", email: "new@hualv.demo", name: "新同事", roles: ["cb_decider"] },
    });
    expect(body(outcome)?.errors.roles?.key).toBe("v.choice");
    const ok = await run(members.action, {
      url: "/org/members",
      method: "POST",
      cookie,
      form: { intent: "invite", email: "new@hualv.demo", name: "新同事", roles: ["manufacturer_member"] },
    });
    expect(body(ok)?.link?.url).toMatch(/\/invite\//);
  });
});
