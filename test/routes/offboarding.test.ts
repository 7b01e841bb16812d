/**
 * Off-boarding: an organization admin deactivates, reactivates or removes a member, ends their
 * sessions and revokes invitations; everyone can sign out everywhere; invitations to addresses that
 * already have an account link them or refuse clearly, and never tell the inviter about other
 * organizations.
 */
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client.ts";
import { DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import * as account from "../../app/routes/account.tsx";
import * as cases from "../../app/routes/cases._index.tsx";
import * as dashboard from "../../app/routes/dashboard.tsx";
import * as invite from "../../app/routes/invite.$token.tsx";
import * as login from "../../app/routes/login.tsx";
import * as members from "../../app/routes/org.members.tsx";
import {
  OTHER_TENANT,
  cookieFor,
  demoEmail,
  demoProductId,
  insertCementInventory,
  run,
  seedFixtures,
  userIdByEmail,
  type Outcome,
} from "../support/fixtures.ts";

type Body = { errors: Record<string, { key: string }>; done?: string; link?: { url: string } | null };
const body = (o: Outcome) => (o.kind === "ok" ? (o.data as Body) : undefined);
const signedOut = (o: Outcome) => o.kind === "redirect" && o.location.startsWith("/login");

const membersPost = (cookie: string, form: Record<string, string | string[]>) =>
  run(members.action, { url: "/org/members", method: "POST", cookie, form });
const signIn = (email: string, password: string) => run(login.action, { url: "/login", method: "POST", form: { email, password } });
const acceptForm = (password: string) => ({ name: "接受邀请的人", password, confirmPassword: password });
const tokenOf = (o: Outcome) => body(o)!.link!.url.split("/invite/")[1]!;
const accept = (token: string, password: string) =>
  run(invite.action, { url: `/invite/${token}`, method: "POST", params: { token }, form: acceptForm(password) });

async function newMember(adminCookie: string, email: string, roles: string[]): Promise<string> {
  const invited = await membersPost(adminCookie, { intent: "invite", email, name: email, roles });
  expect(await accept(tokenOf(invited), "member-password-1")).toMatchObject({ kind: "redirect", location: "/dashboard" });
  return userIdByEmail(email);
}

let cbAdmin: string;
let makerAdmin: string;
beforeAll(async () => {
  await seedFixtures();
  cbAdmin = await cookieFor(demoEmail("cb_admin"));
  makerAdmin = await cookieFor(demoEmail("manufacturer_admin"));
});

describe("deactivating a member", () => {
  it("ends a departed reviewer's sessions at once, refuses their sign-in and keeps their user row for the records", async () => {
    const email = demoEmail("cb_reviewer");
    const reviewerId = await userIdByEmail(email);
    const phone = await cookieFor(email);
    const laptop = await cookieFor(email);
    expect((await run(cases.loader, { url: "/cases", cookie: laptop })).kind).toBe("ok");

    const outcome = await membersPost(cbAdmin, { intent: "deactivate", userId: reviewerId });
    expect(outcome).toMatchObject({ kind: "ok", status: 200 });
    expect(body(outcome)?.done).toBe("members.deactivated");
    for (const cookie of [phone, laptop]) {
      expect(signedOut(await run(cases.loader, { url: "/cases", cookie }))).toBe(true);
    }
    // A session made in a race with the deactivation (or kept from before) is refused too.
    expect(signedOut(await run(dashboard.loader, { url: "/dashboard", cookie: await cookieFor(email) }))).toBe(true);

    // The right password is told clearly; a wrong one learns nothing.
    const refused = await signIn(email, DEMO_PASSWORD);
    expect(refused).toMatchObject({ kind: "ok", status: 403 });
    expect(body(refused)?.errors.form?.key).toBe("login.deactivated");
    expect(body(await signIn(email, "not-the-password"))?.errors.form?.key).toBe("login.invalid");

    // Deactivation never deletes: whatever names them (case events, decisions) still finds their name.
    const db = await getDb();
    const row = await db.selectFrom("users").select(["name", "deactivated_at"]).where("id", "=", reviewerId).executeTakeFirstOrThrow();
    expect(row.name).not.toBe("");
    expect(row.deactivated_at).not.toBeNull();

    // The page lists them as deactivated; reactivation lets them sign in again.
    const page = await run(members.loader, { url: "/org/members", cookie: cbAdmin });
    const listed = (page as { data: { members: { id: string; deactivated_at: Date | null }[] } }).data.members.find((m) => m.id === reviewerId);
    expect(listed?.deactivated_at).not.toBeNull();
    expect(body(await membersPost(cbAdmin, { intent: "reactivate", userId: reviewerId }))?.done).toBe("members.reactivated");
    expect((await signIn(email, DEMO_PASSWORD)).kind).toBe("redirect");
  });

  it("refuses to deactivate or remove oneself", async () => {
    const self = await userIdByEmail(demoEmail("cb_admin"));
    for (const intent of ["deactivate", "remove"]) {
      const outcome = await membersPost(cbAdmin, { intent, userId: self });
      expect(outcome).toMatchObject({ kind: "ok", status: 400 });
      expect(body(outcome)?.errors.form?.key).toBe("members.cannotSelf");
    }
    expect((await run(dashboard.loader, { url: "/dashboard", cookie: cbAdmin })).kind).toBe("ok");
  });

  it("does not count a deactivated admin as the admin who remains", async () => {
    const secondAdmin = await newMember(cbAdmin, "second-admin@ccdc.test", ["cb_admin"]);
    expect(body(await membersPost(cbAdmin, { intent: "deactivate", userId: secondAdmin }))?.done).toBe("members.deactivated");
    const self = await userIdByEmail(demoEmail("cb_admin"));
    const demote = await membersPost(cbAdmin, { intent: "update-roles", userId: self, roles: ["cb_reviewer"] });
    expect(body(demote)?.errors.form?.key).toBe("members.lastAdmin");
    const db = await getDb();
    const row = await db.selectFrom("memberships").select("roles").where("user_id", "=", self).executeTakeFirstOrThrow();
    expect(row.roles).toContain("cb_admin");
  });

  it("answers another organization's member like a missing one and changes nothing", async () => {
    const otherAdmin = await cookieFor(OTHER_TENANT.adminEmail);
    const victimEmail = demoEmail("manufacturer_member");
    const victim = await userIdByEmail(victimEmail);
    const victimCookie = await cookieFor(victimEmail);
    for (const intent of ["deactivate", "remove", "end-sessions", "reactivate"]) {
      expect(await membersPost(otherAdmin, { intent, userId: victim })).toMatchObject({ kind: "error", status: 404 });
    }
    expect((await run(dashboard.loader, { url: "/dashboard", cookie: victimCookie })).kind).toBe("ok");
    const db = await getDb();
    const row = await db.selectFrom("users").select("deactivated_at").where("id", "=", victim).executeTakeFirstOrThrow();
    expect(row.deactivated_at).toBeNull();
  });

  it("is for admins only", async () => {
    const member = await cookieFor(demoEmail("manufacturer_member"));
    const adminId = await userIdByEmail(demoEmail("manufacturer_admin"));
    expect(await membersPost(member, { intent: "deactivate", userId: adminId })).toMatchObject({ kind: "error", status: 403 });
  });
});

describe("removing a member and ending sessions", () => {
  it("deletes a member no record names, and deactivates one the records name", async () => {
    const fresh = await newMember(makerAdmin, "typo-invite@hualv.test", ["manufacturer_member"]);
    const removed = await membersPost(makerAdmin, { intent: "remove", userId: fresh });
    expect(body(removed)?.done).toBe("members.removed");
    const db = await getDb();
    expect(await db.selectFrom("users").select("id").where("id", "=", fresh).executeTakeFirst()).toBeUndefined();

    // A member who made an inventory: their row stays, deactivated, and the inventory still names them.
    const member = await userIdByEmail(demoEmail("manufacturer_member"));
    const inventoryId = await insertCementInventory(db, {
      organizationId: (await db.selectFrom("memberships").select("organization_id").where("user_id", "=", member).executeTakeFirstOrThrow())
        .organization_id,
      productId: await demoProductId(),
      createdBy: member,
      note: "made by the member who leaves",
    });
    const kept = await membersPost(makerAdmin, { intent: "remove", userId: member });
    expect(body(kept)?.done).toBe("members.keptDeactivated");
    const row = await db.selectFrom("users").select(["name", "deactivated_at"]).where("id", "=", member).executeTakeFirstOrThrow();
    expect(row.deactivated_at).not.toBeNull();
    const author = await db
      .selectFrom("inventories")
      .innerJoin("users", "users.id", "inventories.created_by")
      .select("users.name")
      .where("inventories.id", "=", inventoryId)
      .executeTakeFirstOrThrow();
    expect(author.name).toBe(row.name);
    expect(body(await membersPost(makerAdmin, { intent: "reactivate", userId: member }))?.done).toBe("members.reactivated");
  });

  it("ends another member's sessions without deactivating them", async () => {
    const email = demoEmail("cb_inspector");
    const cookie = await cookieFor(email);
    const outcome = await membersPost(cbAdmin, { intent: "end-sessions", userId: await userIdByEmail(email) });
    expect(body(outcome)?.done).toBe("members.sessionsEnded");
    expect(signedOut(await run(dashboard.loader, { url: "/dashboard", cookie }))).toBe(true);
    expect((await signIn(email, DEMO_PASSWORD)).kind).toBe("redirect");
  });

  it("signs oneself out on every device from /account", async () => {
    const email = demoEmail("cb_verifier");
    const here = await cookieFor(email);
    const elsewhere = await cookieFor(email);
    const outcome = await run(account.action, { url: "/account", method: "POST", cookie: here, form: { intent: "sign-out-everywhere" } });
    expect(outcome).toMatchObject({ kind: "redirect", location: "/login?signedOut=everywhere" });
    for (const cookie of [here, elsewhere]) expect(signedOut(await run(dashboard.loader, { url: "/dashboard", cookie }))).toBe(true);
    const db = await getDb();
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from sessions where user_id = ${await userIdByEmail(email)}`.execute(db);
    expect(rows[0]!.n).toBe(0);
  });
});

describe("invitations", () => {
  it("revokes an open invitation: its link stops working and it leaves the list", async () => {
    const invited = await membersPost(makerAdmin, { intent: "invite", email: "revoked@hualv.test", name: "撤销", roles: ["manufacturer_member"] });
    const token = tokenOf(invited);
    const db = await getDb();
    const { id } = await db.selectFrom("invitations").select("id").where("email", "=", "revoked@hualv.test").executeTakeFirstOrThrow();

    const otherAdmin = await cookieFor(OTHER_TENANT.adminEmail);
    expect(await membersPost(otherAdmin, { intent: "revoke-invitation", invitationId: id })).toMatchObject({ kind: "error", status: 404 });
    expect((await run(invite.loader, { url: `/invite/${token}`, params: { token } })).kind).toBe("ok");

    expect(body(await membersPost(makerAdmin, { intent: "revoke-invitation", invitationId: id }))?.done).toBe("members.invitationRevoked");
    expect(await run(invite.loader, { url: `/invite/${token}`, params: { token } })).toMatchObject({ kind: "error", status: 404 });
    expect(await accept(token, "some-password-1")).toMatchObject({ kind: "error", status: 404 });
    const page = await run(members.loader, { url: "/org/members", cookie: makerAdmin });
    expect((page as { data: { invitations: { id: string }[] } }).data.invitations.some((i) => i.id === id)).toBe(false);
    expect(await membersPost(makerAdmin, { intent: "revoke-invitation", invitationId: id })).toMatchObject({ kind: "error", status: 404 });
  });

  it("gives the inviter the same answer whether or not the address has an account elsewhere", async () => {
    const elsewhere = await membersPost(makerAdmin, { intent: "invite", email: demoEmail("cb_decider"), name: "甲", roles: ["manufacturer_member"] });
    const nowhere = await membersPost(makerAdmin, { intent: "invite", email: "nobody-yet@hualv.test", name: "甲", roles: ["manufacturer_member"] });
    const shape = (o: Outcome) => ({
      kind: o.kind,
      status: o.kind === "error" ? o.status : o.status,
      errors: body(o)?.errors,
      hasLink: Boolean(body(o)?.link),
    });
    expect(shape(elsewhere)).toEqual(shape(nowhere));
    expect(shape(elsewhere)).toEqual({ kind: "ok", status: 200, errors: {}, hasLink: true });
    // Its own members are named: the admin sees them listed anyway.
    const own = await membersPost(makerAdmin, {
      intent: "invite",
      email: demoEmail("manufacturer_member"),
      name: "乙",
      roles: ["manufacturer_member"],
    });
    expect(body(own)?.errors.email?.key).toBe("members.alreadyInOrg");

    // Accepting for an account of another organization: its password is asked before anything is
    // said about it, then a clear 409; the account stays where it is.
    const token = tokenOf(elsewhere);
    const wrong = await accept(token, "not-the-password-1");
    expect(wrong).toMatchObject({ kind: "ok", status: 400 });
    expect(body(wrong)?.errors.password?.key).toBe("invite.existingAccount");
    const other = await accept(token, DEMO_PASSWORD);
    expect(other).toMatchObject({ kind: "ok", status: 409 });
    expect(body(other)?.errors.form?.key).toBe("invite.otherOrganization");
    const db = await getDb();
    const membership = await db
      .selectFrom("memberships")
      .innerJoin("organizations", "organizations.id", "memberships.organization_id")
      .select("organizations.kind")
      .where("memberships.user_id", "=", await userIdByEmail(demoEmail("cb_decider")))
      .executeTakeFirstOrThrow();
    expect(membership.kind).toBe("certification_body");
  });

  it("links an address that registered in this organization in the meantime instead of failing", async () => {
    const email = "twice-invited@hualv.test";
    const first = tokenOf(await membersPost(makerAdmin, { intent: "invite", email, name: "两次", roles: ["manufacturer_member"] }));
    const second = tokenOf(await membersPost(makerAdmin, { intent: "invite", email, name: "两次", roles: ["manufacturer_admin"] }));
    expect(await accept(first, "twice-password-1")).toMatchObject({ kind: "redirect", location: "/dashboard" });
    // The second link: its owner proves the account is theirs and is signed in; the invitation closes.
    expect(body(await accept(second, "another-password-1"))?.errors.password?.key).toBe("invite.existingAccount");
    expect(await accept(second, "twice-password-1")).toMatchObject({ kind: "redirect", location: "/dashboard" });
    expect(await run(invite.loader, { url: `/invite/${second}`, params: { token: second } })).toMatchObject({ kind: "error", status: 404 });
    const db = await getDb();
    const membership = await db
      .selectFrom("memberships")
      .select("roles")
      .where("user_id", "=", await userIdByEmail(email))
      .executeTakeFirstOrThrow();
    // The roles stay as they were: the admin changes roles on the members page, not through a stale link.
    expect(membership.roles).toEqual(["manufacturer_member"]);
  });

  it("refuses an invitation to a deactivated account", async () => {
    const email = "left-and-invited@hualv.test";
    const pending = tokenOf(await membersPost(makerAdmin, { intent: "invite", email, name: "离职", roles: ["manufacturer_member"] }));
    const userId = await newMember(makerAdmin, email, ["manufacturer_member"]);
    expect(body(await membersPost(makerAdmin, { intent: "deactivate", userId }))?.done).toBe("members.deactivated");
    const refused = await accept(pending, "member-password-1");
    expect(refused).toMatchObject({ kind: "ok", status: 403 });
    expect(body(refused)?.errors.form?.key).toBe("invite.deactivated");
  });
});
