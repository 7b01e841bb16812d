import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client.ts";
import { DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import * as account from "../../app/routes/account.tsx";
import * as dashboard from "../../app/routes/dashboard.tsx";
import * as lang from "../../app/routes/lang.tsx";
import * as login from "../../app/routes/login.tsx";
import * as logout from "../../app/routes/logout.tsx";
import { cookieFor, demoEmail, run, seedFixtures, userIdByEmail } from "../support/fixtures.ts";

const sessionCount = async (email: string) => {
  const db = await getDb();
  const row = await db
    .selectFrom("sessions")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("user_id", "=", await userIdByEmail(email))
    .executeTakeFirstOrThrow();
  return row.n;
};

const errorsOf = (outcome: Awaited<ReturnType<typeof run>>) =>
  outcome.kind === "ok" ? (outcome.data as { errors: Record<string, { key: string }> }).errors : undefined;

beforeAll(async () => {
  await seedFixtures();
});

describe("sign-in", () => {
  const email = demoEmail("manufacturer_member");

  it("signs in with the right password and sets httpOnly SameSite=Lax cookies", async () => {
    const request = new Request("http://localhost/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: email.toUpperCase(), password: DEMO_PASSWORD, redirectTo: "/account" }),
    });
    const response = await login.action({ request, params: {}, context: { clientIp: "198.51.100.1" } }).catch((r: unknown) => r);
    expect(response).toBeInstanceOf(Response);
    const res = response as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/account");
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith("__session="))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(cookies.some((c) => c.startsWith("lang="))).toBe(true);
    // The cookie opens the dashboard.
    const opened = await run(dashboard.loader, { url: "/dashboard", cookie: session.split(";")[0] });
    expect(opened.kind).toBe("ok");
  });

  it("refuses a wrong password with a form error and creates no session", async () => {
    const before = await sessionCount(email);
    const outcome = await run(login.action, { url: "/login", method: "POST", form: { email, password: "wrong-password" } });
    expect(outcome).toMatchObject({ kind: "ok", status: 400 });
    expect(errorsOf(outcome)?.form?.key).toBe("login.invalid");
    expect(await sessionCount(email)).toBe(before);
  });

  it("names the field when the email is malformed or missing", async () => {
    const malformed = await run(login.action, { url: "/login", method: "POST", form: { email: "not-an-email", password: "x" } });
    expect(malformed).toMatchObject({ kind: "ok", status: 400 });
    expect(errorsOf(malformed)?.email?.key).toBe("v.email");
    const missing = await run(login.action, { url: "/login", method: "POST", form: { password: "x" } });
    expect(errorsOf(missing)?.email?.key).toBe("v.required");
  });

  it("makes the same address wait after five failures on one account, even with the right password", async () => {
    // run() signs in from one fixed address; test/routes/login-limits.test.ts covers other addresses.
    const target = demoEmail("cb_inspector");
    for (let i = 0; i < 5; i++) {
      await run(login.action, { url: "/login", method: "POST", form: { email: target, password: `guess-${i}` } });
    }
    const outcome = await run(login.action, { url: "/login", method: "POST", form: { email: target, password: DEMO_PASSWORD } });
    expect(outcome).toMatchObject({ kind: "ok", status: 429 });
    expect(errorsOf(outcome)?.form?.key).toBe("login.waitSeconds");
  });

  it("never sends the user to another site after sign-in, whatever redirectTo holds", async () => {
    const user = demoEmail("cb_admin");
    // Browsers drop tab and newline from a Location: "/\t/evil.example/" would become "//evil.example/".
    for (const redirectTo of [
      "/\t/evil.example/",
      "/\n/evil.example/",
      "//evil.example/",
      "/\\evil.example/",
      "/.//evil.example/",
      "https://evil.example/",
    ]) {
      const outcome = await run(login.action, { url: "/login", method: "POST", form: { email: user, password: DEMO_PASSWORD, redirectTo } });
      expect(outcome, JSON.stringify(redirectTo)).toMatchObject({ kind: "redirect", location: "/dashboard" });
    }
    // NUL, in this field as in any form field, is refused by the form reader: a 400 naming the field, no sign-in.
    const nul = await run(login.action, { url: "/login", method: "POST", form: { email: user, password: DEMO_PASSWORD, redirectTo: "/\u0000x" } });
    expect(nul).toMatchObject({ kind: "error", status: 400 });
    const kept = await run(login.action, {
      url: "/login",
      method: "POST",
      form: { email: user, password: DEMO_PASSWORD, redirectTo: "/cases?state=审核#top" },
    });
    expect(kept).toMatchObject({ kind: "redirect", location: "/cases?state=%E5%AE%A1%E6%A0%B8#top" });
  });

  it("switches the language and comes back only to a path of this site", async () => {
    for (const redirectTo of ["/\t/evil.example/", "/\r\n/evil.example/", "//evil.example/"]) {
      const outcome = await run(lang.action, { url: "/lang", method: "POST", form: { locale: "en", redirectTo } });
      expect(outcome, JSON.stringify(redirectTo)).toMatchObject({ kind: "redirect", location: "/" });
    }
  });

  it("sign-out ends the session in the database", async () => {
    const cookie = await cookieFor(email);
    const out = await run(logout.action, { url: "/logout", method: "POST", cookie });
    expect(out).toMatchObject({ kind: "redirect", location: "/" });
    const after = await run(dashboard.loader, { url: "/dashboard", cookie });
    expect(after.kind === "redirect" && after.location.startsWith("/login")).toBe(true);
  });
});

describe("account", () => {
  it("changes the password, checks the current one, and signs out other sessions", async () => {
    const email = demoEmail("cb_verifier");
    const other = await cookieFor(email);
    const cookie = await cookieFor(email);
    const wrong = await run(account.action, {
      url: "/account",
      method: "POST",
      cookie,
      form: { intent: "password", currentPassword: "nope-nope-nope", newPassword: "a-new-password-1", confirmPassword: "a-new-password-1" },
    });
    expect(errorsOf(wrong)?.currentPassword?.key).toBe("account.wrongPassword");
    const mismatch = await run(account.action, {
      url: "/account",
      method: "POST",
      cookie,
      form: { intent: "password", currentPassword: DEMO_PASSWORD, newPassword: "a-new-password-1", confirmPassword: "different-1234" },
    });
    expect(errorsOf(mismatch)?.confirmPassword?.key).toBe("v.passwordMismatch");
    const short = await run(account.action, {
      url: "/account",
      method: "POST",
      cookie,
      form: { intent: "password", currentPassword: DEMO_PASSWORD, newPassword: "short", confirmPassword: "short" },
    });
    expect(errorsOf(short)?.newPassword).toEqual({ key: "v.tooShort", params: { min: 10 } });

    const done = await run(account.action, {
      url: "/account",
      method: "POST",
      cookie,
      form: { intent: "password", currentPassword: DEMO_PASSWORD, newPassword: "a-new-password-1", confirmPassword: "a-new-password-1" },
    });
    expect(done).toMatchObject({ kind: "redirect", location: "/account?saved=password" });
    const stale = await run(dashboard.loader, { url: "/dashboard", cookie: other });
    expect(stale.kind === "redirect" && stale.location.startsWith("/login")).toBe(true);
    const relogin = await run(login.action, { url: "/login", method: "POST", form: { email, password: "a-new-password-1" } });
    expect(relogin.kind).toBe("redirect");
  });

  it("rejects an oversized name and writes nothing", async () => {
    const email = demoEmail("cb_reviewer");
    const cookie = await cookieFor(email);
    const outcome = await run(account.action, {
      url: "/account",
      method: "POST",
      cookie,
      form: { intent: "profile", name: "名".repeat(101), language: "en" },
    });
    expect(errorsOf(outcome)?.name).toEqual({ key: "v.tooLong", params: { max: 100 } });
    const db = await getDb();
    const user = await db.selectFrom("users").select(["name", "preferred_language"]).where("email", "=", email).executeTakeFirstOrThrow();
    expect(user.preferred_language).toBe("zh-CN");
    expect(user.name).not.toContain("名名");
  });

  it("remembers a signed-in user's language choice", async () => {
    const email = demoEmail("cb_decider");
    const cookie = await cookieFor(email);
    const outcome = await run(lang.action, { url: "/lang", method: "POST", cookie, form: { locale: "en", redirectTo: "/dashboard" } });
    expect(outcome).toMatchObject({ kind: "redirect", location: "/dashboard" });
    const db = await getDb();
    const user = await db.selectFrom("users").select("preferred_language").where("email", "=", email).executeTakeFirstOrThrow();
    expect(user.preferred_language).toBe("en");
  });
});
