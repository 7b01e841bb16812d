/**
 * Sign-in limits that slow an attacker down without letting them lock anyone out.
 *
 * A lockout per account (N failures lock it for everyone) is a weapon: anyone who knows a decision
 * maker's e-mail address can keep them out of the system. So nothing here is keyed on the account
 * alone, and a correct password from an address that has not failed is never refused or delayed:
 *
 * - Per (account, address): the first PAIR_FREE_FAILURES failures (in PAIR_WINDOW) cost nothing;
 *   after that the pair must wait before its next attempt, PAIR_BASE_WAIT doubling with each further
 *   failure up to PAIR_MAX_WAIT (about four guesses an hour at worst). The refusal is answered at once (429 with the time to wait), before any password
 *   is checked, and holds for that pair only: the owner signing in from elsewhere is not affected.
 * - Per address, across accounts (credential stuffing, or one guesser spreading over accounts):
 *   past ADDRESS_FREE_FAILURES failures in ADDRESS_WINDOW, the address's attempts are spaced out — each
 *   takes the next free slot, ADDRESS_SPACING per excess failure apart up to ADDRESS_MAX_SPACING.
 *   A request whose slot is at most MAX_HOLD away is held until then (so people behind a shared
 *   address still get in, a little later); one whose slot would be further is refused at once with
 *   the wait, without reserving a slot. Parallel requests cannot get around the spacing, because the
 *   slot is taken atomically in the database.
 *
 * Everything is counted in the database so that every app server sharing it applies the same
 * limits. Time comes from `loginClock`, which tests replace so that no test depends on real delays.
 */
import type { Kysely } from "kysely";
import {
  deleteAttemptsOf,
  deleteAttemptsUpTo,
  failuresByBucket,
  insertFailures,
  nextSlotOf,
  takeNextSlot,
} from "../../db/repositories/login-throttle.ts";
import type { DB } from "../../db/schema.ts";
import type { Message } from "../i18n/index.ts";

/** How long a pair's failures are remembered: longer than its longest wait, so the wait can reach it. */
export const PAIR_WINDOW_MINUTES = 60;
/** How long an address's failures count towards spacing it out. */
export const ADDRESS_WINDOW_MINUTES = 15;
export const PAIR_FREE_FAILURES = 5;
export const PAIR_BASE_WAIT_MS = 15_000;
export const PAIR_MAX_WAIT_MS = 15 * 60_000;
export const ADDRESS_FREE_FAILURES = 20;
export const ADDRESS_SPACING_MS = 250;
export const ADDRESS_MAX_SPACING_MS = 2_000;
/** No request is held longer than this; beyond it the client is told to come back. */
export const MAX_HOLD_MS = 3_000;

/** The clock and the wait of the sign-in limits; tests replace both (vi.spyOn). */
export const loginClock = {
  now: (): Date => new Date(),
  sleep: (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type LoginGate =
  /** Go ahead, after holding the request this long (0 for almost everyone). */
  | { allowed: true; holdMs: number }
  /** Refused without checking the password: try again after this many seconds. */
  | { allowed: false; retryAfterSeconds: number; scope: "pair" | "address" };

export function loginBuckets(email: string, ip: string) {
  const account = email.trim().toLowerCase();
  // JSON keeps the pair unambiguous whatever characters the two parts contain.
  return { pair: `login:pair:${JSON.stringify([account, ip])}`, address: `login:ip:${ip}` };
}

/** The wait a pair with this many failures owes after its latest failure. */
export function pairWaitMs(failures: number): number {
  if (failures < PAIR_FREE_FAILURES) return 0;
  return Math.min(PAIR_BASE_WAIT_MS * 2 ** (failures - PAIR_FREE_FAILURES), PAIR_MAX_WAIT_MS);
}

/** The spacing between an address's attempts once it has failed this often across accounts. */
export function addressSpacingMs(failures: number): number {
  if (failures < ADDRESS_FREE_FAILURES) return 0;
  return Math.min(ADDRESS_SPACING_MS * (failures - ADDRESS_FREE_FAILURES + 1), ADDRESS_MAX_SPACING_MS);
}

const minutesBefore = (now: Date, minutes: number) => new Date(now.getTime() - minutes * 60_000);

/** Decides whether this sign-in attempt may go ahead; reserves the address's next slot when it is spaced out. */
export async function checkLogin(db: Kysely<DB>, email: string, ip: string): Promise<LoginGate> {
  const now = loginClock.now();
  const buckets = loginBuckets(email, ip);
  const addressSince = minutesBefore(now, ADDRESS_WINDOW_MINUTES);
  const rows = await failuresByBucket(db, [buckets.pair, buckets.address], minutesBefore(now, PAIR_WINDOW_MINUTES), addressSince);
  const pair = rows.find((r) => r.bucket === buckets.pair);
  const addressFailures = rows.find((r) => r.bucket === buckets.address)?.recent ?? 0;

  if (pair) {
    const waitUntil = new Date(pair.latest).getTime() + pairWaitMs(pair.failures);
    if (waitUntil > now.getTime()) {
      return { allowed: false, retryAfterSeconds: Math.ceil((waitUntil - now.getTime()) / 1000), scope: "pair" };
    }
  }

  const spacing = addressSpacingMs(addressFailures);
  if (spacing === 0) return { allowed: true, holdMs: 0 };
  // The address's next slot, taken atomically across servers: the slot after the last one given
  // out, or now if the address has been quiet. A slot further than MAX_HOLD away is not taken.
  const horizon = new Date(now.getTime() + MAX_HOLD_MS);
  const taken = await takeNextSlot(db, { key: buckets.address, now, spacingMs: spacing, horizon });
  if (taken) {
    const slot = new Date(taken).getTime() - spacing;
    return { allowed: true, holdMs: Math.max(0, slot - now.getTime()) };
  }
  const queue = await nextSlotOf(db, buckets.address);
  const freeAt = queue ? new Date(queue).getTime() - MAX_HOLD_MS : now.getTime();
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)), scope: "address" };
}

/** What the person is told when refused: the wait, in seconds or (when long) in minutes, in their language. */
export function waitMessage(retryAfterSeconds: number): Message {
  return retryAfterSeconds >= 120
    ? { key: "login.waitMinutes", params: { minutes: Math.ceil(retryAfterSeconds / 60) } }
    : { key: "login.waitSeconds", params: { seconds: retryAfterSeconds } };
}

/** Counts a wrong password (or unknown e-mail) against the pair and the address. */
export async function recordLoginFailure(db: Kysely<DB>, email: string, ip: string): Promise<void> {
  const now = loginClock.now();
  const buckets = loginBuckets(email, ip);
  await insertFailures(db, [buckets.pair, buckets.address], now);
  // Keeps the table small: what is older than the window is never read again.
  await deleteAttemptsUpTo(db, [buckets.pair, buckets.address], minutesBefore(now, Math.max(PAIR_WINDOW_MINUTES, ADDRESS_WINDOW_MINUTES)));
}

/**
 * A correct password forgives the pair's earlier failures (typos), not the address's: one good
 * account must not launder an address's failures on others.
 */
export async function recordLoginSuccess(db: Kysely<DB>, email: string, ip: string): Promise<void> {
  await deleteAttemptsOf(db, loginBuckets(email, ip).pair);
}
