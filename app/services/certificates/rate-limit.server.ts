/**
 * Per-client rate limits for the public verification side: a token bucket per client address,
 * in the memory of each app server.
 *
 * Why in memory and not in the database (as sign-in attempts are): these limits protect a
 * server's capacity from one noisy client, they are not a quota. A shared counter would cost a
 * database write on every public request — the very load the limit is there to shed. With two
 * app servers behind a balancer a client gets at most twice the rate, which still bounds it; the
 * balancer's own limit, if any, sits in front of both. Sign-in limits stay in the database
 * because there the count itself is the protection (guessing passwords).
 */
import { env } from "../../utils/env.server.ts";
import { singleton } from "../../../db/singleton.ts";

export interface BucketPolicy {
  /** Requests allowed in a burst. */
  readonly capacity: number;
  /** Tokens added per second. */
  readonly perSecond: number;
}

/** Page views and API calls: 120 in a burst, 2 per second after that (per client, per server). */
export const LOOKUP_POLICY: BucketPolicy = { capacity: 120, perSecond: 2 };
/** File uploads (PDF parsing is the costly part): 10 in a burst, one every 6 s. */
export const UPLOAD_POLICY: BucketPolicy = { capacity: 10, perSecond: 1 / 6 };

/** `VERIFY_RATE_LIMIT=off` (benchmarks) or a number: the lookup capacity per client, refilled over a minute. */
function policyFromEnv(base: BucketPolicy): BucketPolicy | null {
  const setting = env().VERIFY_RATE_LIMIT;
  if (setting === undefined) return base;
  if (setting === "off") return null;
  return { capacity: setting, perSecond: setting / 60 };
}

export interface Decision {
  readonly allowed: boolean;
  /** Seconds until a token is available again (for Retry-After). */
  readonly retryAfterSeconds: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #maxClients: number;

  constructor(
    readonly policy: BucketPolicy,
    options: { maxClients?: number } = {},
  ) {
    this.#maxClients = options.maxClients ?? 100_000;
  }

  take(client: string, now = Date.now()): Decision {
    const { capacity, perSecond } = this.policy;
    const bucket = this.#buckets.get(client);
    const tokens = bucket ? Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * perSecond) : capacity;
    if (!bucket && this.#buckets.size >= this.#maxClients) this.#sweep(now);
    if (tokens < 1) {
      this.#buckets.set(client, { tokens, at: now });
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perSecond)) };
    }
    this.#buckets.set(client, { tokens: tokens - 1, at: now });
    return { allowed: true, retryAfterSeconds: 0 };
  }

  /** Forgets clients whose bucket has filled up again (they would start full anyway). */
  #sweep(now: number): void {
    const full = this.policy.capacity / this.policy.perSecond;
    for (const [client, b] of this.#buckets) if ((now - b.at) / 1000 >= full) this.#buckets.delete(client);
    // Still full of active clients: drop the oldest half rather than grow without bound.
    if (this.#buckets.size >= this.#maxClients) {
      let n = Math.floor(this.#buckets.size / 2);
      for (const client of this.#buckets.keys()) {
        if (n-- <= 0) break;
        this.#buckets.delete(client);
      }
    }
  }
}

type Limits = { lookup: RateLimiter | null; upload: RateLimiter | null };

const limits = singleton<Limits>("verifyRateLimits", () => {
  const lookup = policyFromEnv(LOOKUP_POLICY);
  return { lookup: lookup ? new RateLimiter(lookup) : null, upload: lookup ? new RateLimiter(UPLOAD_POLICY) : null };
});

/** Takes one request from the client's bucket; `null` means go ahead, otherwise the seconds to wait. */
export function verifyRateLimit(kind: "lookup" | "upload", client: string): number | null {
  const limiter = limits.get()[kind];
  if (!limiter) return null;
  const decision = limiter.take(client);
  return decision.allowed ? null : decision.retryAfterSeconds;
}

/** Fresh buckets (tests). */
export function resetVerifyRateLimits(): void {
  limits.clear();
}
