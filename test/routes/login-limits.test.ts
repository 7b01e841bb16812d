/**
 * Sign-in limits cannot be turned into a lockout: failures hold back the (account, address) pair
 * that made them and slow down an address that fails across accounts, while the right password
 * from another address always gets in at once. The clock and the wait are replaced, so nothing here
 * depends on real time.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "../../db/client.ts";
import { DEMO_PASSWORD } from "../../workflows/demo/demo.ts";
import * as login from "../../app/routes/login.tsx";
import {
  ADDRESS_FREE_FAILURES,
  MAX_HOLD_MS,
  PAIR_BASE_WAIT_MS,
  PAIR_MAX_WAIT_MS,
  addressSpacingMs,
  checkLogin,
  loginClock,
  pairWaitMs,
} from "../../app/utils/rate-limit.server.ts";
import { demoEmail, seedFixtures } from "../support/fixtures.ts";

let now = new Date("2026-12-06T10:00:00Z");
const holds: number[] = [];
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

beforeAll(async () => {
  await seedFixtures();
});
beforeEach(() => {
  holds.length = 0;
  vi.spyOn(loginClock, "now").mockImplementation(() => new Date(now));
  vi.spyOn(loginClock, "sleep").mockImplementation(async (ms: number) => {
    holds.push(ms);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

type Attempt =
  | { kind: "signed-in"; location: string }
  | { kind: "refused"; status: number; key: string; params?: Record<string, number>; retryAfter: string | null };

/** Posts the sign-in form from a given client address. */
async function signIn(email: string, password: string, ip: string): Promise<Attempt> {
  const request = new Request("http://localhost/login", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, redirectTo: "/dashboard" }),
  });
  let result: unknown;
  try {
    result = await login.action({ request, params: {}, context: { clientIp: ip } });
  } catch (thrown) {
    result = thrown;
  }
  if (result instanceof Response) return { kind: "signed-in", location: result.headers.get("Location") ?? "" };
  const withInit = result as {
    data: { errors: { form: { key: string; params?: Record<string, number> } } };
    init?: { status?: number; headers?: HeadersInit };
  };
  return {
    kind: "refused",
    status: withInit.init?.status ?? 200,
    key: withInit.data.errors.form.key,
    params: withInit.data.errors.form.params,
    retryAfter: new Headers(withInit.init?.headers).get("Retry-After"),
  };
}

describe("per account and address", () => {
  const decider = demoEmail("cb_decider");

  it("an attacker's failures never keep the decision maker out from their own address", async () => {
    for (let i = 0; i < 12; i++) await signIn(decider, `attacker-guess-${i}`, "192.0.2.66");
    // The attacker's address now waits, even for the right password...
    const attacker = await signIn(decider, DEMO_PASSWORD, "192.0.2.66");
    expect(attacker).toMatchObject({ kind: "refused", status: 429, key: "login.waitSeconds" });
    // ...but the decider, from anywhere else, signs in at once with no delay.
    const owner = await signIn(decider, DEMO_PASSWORD, "198.51.100.20");
    expect(owner).toEqual({ kind: "signed-in", location: "/dashboard" });
    expect(holds).toEqual([]);
  });

  it("gives a pair five free tries, then a wait that doubles, told in seconds with Retry-After", async () => {
    const email = demoEmail("cb_verifier");
    const ip = "192.0.2.10";
    for (let i = 0; i < 5; i++) expect(await signIn(email, `typo-${i}`, ip)).toMatchObject({ status: 400, key: "login.invalid" });
    const first = await signIn(email, DEMO_PASSWORD, ip);
    expect(first).toEqual({ kind: "refused", status: 429, key: "login.waitSeconds", params: { seconds: 15 }, retryAfter: "15" });

    advance(PAIR_BASE_WAIT_MS);
    expect(await signIn(email, "typo-5", ip)).toMatchObject({ status: 400, key: "login.invalid" });
    expect(await signIn(email, DEMO_PASSWORD, ip)).toMatchObject({ status: 429, params: { seconds: 30 }, retryAfter: "30" });

    advance(2 * PAIR_BASE_WAIT_MS);
    // The right password after the wait gets in, and forgives the pair's typos.
    expect(await signIn(email, DEMO_PASSWORD, ip)).toEqual({ kind: "signed-in", location: "/dashboard" });
    expect(await signIn(email, "typo-after", ip)).toMatchObject({ status: 400, key: "login.invalid" });
    expect(holds).toEqual([]);
  });

  it("bounds the wait: long waits are told in minutes and never exceed PAIR_MAX_WAIT", async () => {
    expect(pairWaitMs(4)).toBe(0);
    expect(pairWaitMs(5)).toBe(PAIR_BASE_WAIT_MS);
    expect(pairWaitMs(6)).toBe(2 * PAIR_BASE_WAIT_MS);
    expect(pairWaitMs(1000)).toBe(PAIR_MAX_WAIT_MS);
    const email = "nobody-here@example.test";
    const ip = "192.0.2.11";
    // Each failure is made as soon as the previous wait is over, so every one counts.
    for (let i = 0; i < 12; i++) {
      advance(pairWaitMs(i));
      expect(await signIn(email, `guess-${i}`, ip)).toMatchObject({ status: 400, key: "login.invalid" });
    }
    const refused = await signIn(email, "guess-x", ip);
    expect(refused).toMatchObject({ status: 429, key: "login.waitMinutes", params: { minutes: PAIR_MAX_WAIT_MS / 60_000 } });
    expect(Number((refused as { retryAfter: string }).retryAfter)).toBeLessThanOrEqual(PAIR_MAX_WAIT_MS / 1000);
  });

  it("gives an unknown e-mail address the same answers as a real one", async () => {
    const ip = "192.0.2.12";
    const real = await signIn(demoEmail("cb_reviewer"), "wrong-password-1", ip);
    const unknown = await signIn("no-such-person@example.test", "wrong-password-1", ip);
    expect(unknown).toEqual(real);
  });
});

describe("per address across accounts (credential stuffing)", () => {
  it("spaces out a failing address's attempts with bounded holds, and never slows another address", async () => {
    const ip = "192.0.2.99";
    for (let i = 0; i < ADDRESS_FREE_FAILURES; i++) {
      expect(await signIn(`stuffed-${i}@example.test`, "password123", ip)).toMatchObject({ status: 400 });
    }
    expect(holds).toEqual([]);

    // Parallel attempts from that address each take a slot: held one spacing apart, and those whose
    // slot would be more than MAX_HOLD away are refused at once instead of waiting.
    const db = await getDb();
    const spacing = addressSpacingMs(ADDRESS_FREE_FAILURES);
    const gates = await Promise.all(Array.from({ length: 20 }, (_, i) => checkLogin(db, `next-${i}@example.test`, ip)));
    const held = gates
      .filter((g) => g.allowed)
      .map((g) => g.holdMs)
      .sort((a, b) => a - b);
    expect(held).toEqual(Array.from({ length: MAX_HOLD_MS / spacing + 1 }, (_, i) => i * spacing));
    const refused = gates.filter((g) => !g.allowed);
    expect(refused.length).toBe(20 - held.length);
    for (const r of refused) expect(r).toMatchObject({ allowed: false, scope: "address", retryAfterSeconds: 1 });

    // The queue is full: the right password from that address is told to wait a moment (not locked out)...
    const busy = await signIn(demoEmail("cb_admin"), DEMO_PASSWORD, ip);
    expect(busy).toMatchObject({ status: 429, key: "login.waitSeconds", params: { seconds: 1 } });
    // ...and once the queue has moved on it gets in after a hold no longer than MAX_HOLD.
    advance(MAX_HOLD_MS);
    expect(await signIn(demoEmail("cb_admin"), DEMO_PASSWORD, ip)).toEqual({ kind: "signed-in", location: "/dashboard" });
    expect(holds.length).toBe(1);
    expect(holds[0]).toBeGreaterThan(0);
    expect(holds[0]).toBeLessThanOrEqual(MAX_HOLD_MS);

    // Another address is neither held nor refused.
    holds.length = 0;
    expect(await signIn(demoEmail("cb_admin"), DEMO_PASSWORD, "198.51.100.21")).toEqual({ kind: "signed-in", location: "/dashboard" });
    expect(holds).toEqual([]);
  });

  it("grows the spacing with the failures, up to a bound", () => {
    expect(addressSpacingMs(ADDRESS_FREE_FAILURES - 1)).toBe(0);
    expect(addressSpacingMs(ADDRESS_FREE_FAILURES)).toBeGreaterThan(0);
    expect(addressSpacingMs(ADDRESS_FREE_FAILURES + 3)).toBeGreaterThan(addressSpacingMs(ADDRESS_FREE_FAILURES));
    expect(addressSpacingMs(1_000_000)).toBeLessThanOrEqual(MAX_HOLD_MS);
  });
});
