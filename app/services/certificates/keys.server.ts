/**
 * The signing keys this deployment uses (keyStoreFor in workflows/certificates/keys.ts decides where they come
 * from) and the public keys verification trusts.
 *
 * Verification runs on every public request, so the public key list is read once and kept for a
 * short while; an unknown key id re-reads it at once (a key added by rotation on another server
 * is found on the next request), at most once a second so a flood of made-up key ids cannot turn
 * into a flood of reads.
 *
 * The store is a process singleton (db/singleton.ts), like the database: the server entry and the
 * bundled Remix build each load their own copy of this module and must sign and verify with the same keys.
 */
import {
  keyStoreFor,
  generateSigningKey,
  activeSigningKey,
  SigningKeyError,
  type KeyStore,
  type PublicKeyRecord,
  type SigningKeyRecord,
} from "../../../workflows/certificates/keys.ts";
import { publicKeyDocument, type PublicKeyDocument } from "../../../workflows/certificates/signing.ts";
import { singleton } from "../../../db/singleton.ts";
import { dataDir, env } from "../../utils/env.server.ts";

/** This deployment's keys: CARBONLABEL_SIGNING_KEYS, or (outside a production deployment) generated under DATA_DIR/keys. */
function defaultKeyStore(): KeyStore {
  const config = env();
  return keyStoreFor({
    keysJson: config.CARBONLABEL_SIGNING_KEYS,
    production: config.NODE_ENV === "production",
    externalDatabase: Boolean(config.DATABASE_URL),
    dataDir: dataDir(),
  });
}

const keyStore = singleton<KeyStore>("keyStore", () => defaultKeyStore());

/** The deployment's key store (CARBONLABEL_SIGNING_KEYS, or DATA_DIR/keys outside production). */
export function certificateKeyStore(): KeyStore {
  return keyStore.get();
}

/** Replaces the key store (tests, benchmarks); the cached public keys go with it. */
export function useKeyStore(store: KeyStore): void {
  keyStore.set(store);
  cache = null;
}

/**
 * Keys held in memory only, each body's first key generated on first use and valid from
 * `validFrom`: for tests and benchmarks, which issue with dates of their own choosing.
 */
export function memoryKeyStore(validFrom = "2000-01-01"): KeyStore {
  let keys: SigningKeyRecord[] = [];
  return {
    source: "directory",
    keyring: () => [...keys],
    signingKey(cbCode, on) {
      const key = activeSigningKey(keys, cbCode, on);
      if (key) return key;
      if (on < validFrom || keys.some((k) => k.cbCode === cbCode)) throw new SigningKeyError(`no key of ${cbCode} is valid on ${on}`);
      const created = generateSigningKey(cbCode, validFrom);
      keys = [...keys, created];
      cache = null;
      return created;
    },
    rotate(cbCode, on) {
      const fresh = generateSigningKey(cbCode, on);
      keys = [
        ...keys.map((k) =>
          k.cbCode === cbCode && k.privateKey !== null && (k.validUntil === null || k.validUntil >= on)
            ? { ...k, privateKey: null, validUntil: on }
            : k,
        ),
        { ...fresh, validFrom: on, validUntil: null },
      ];
      cache = null;
      return fresh;
    },
  };
}

const TTL_MS = 60_000;
const MISS_RELOAD_MS = 1_000;
let cache: { keys: PublicKeyRecord[]; document: PublicKeyDocument; text: string; loadedAt: number; version: number } | null = null;
let loads = 0;

function load(): NonNullable<typeof cache> {
  const keys = certificateKeyStore()
    .keyring()
    .map(({ kid, cbCode, publicKey, validFrom, validUntil }) => ({ kid, cbCode, publicKey, validFrom, validUntil }));
  const document = publicKeyDocument(keys);
  const text = JSON.stringify(document, null, 2);
  // The version changes only when the published keys do, so results checked against them stay reusable.
  const version = cache && cache.text === text ? cache.version : ++loads;
  cache = { keys, document, text, loadedAt: Date.now(), version };
  return cache;
}

function current(): NonNullable<typeof cache> {
  return cache && Date.now() - cache.loadedAt < TTL_MS ? cache : load();
}

/** Every published key, retired ones included. */
export function trustedKeys(): readonly PublicKeyRecord[] {
  return current().keys;
}

/** The key with this id, re-reading the key list once when it is not known yet. */
export function trustedKey(kid: string): PublicKeyRecord | null {
  const found = current().keys.find((k) => k.kid === kid);
  if (found || !cache || Date.now() - cache.loadedAt < MISS_RELOAD_MS) return found ?? null;
  return load().keys.find((k) => k.kid === kid) ?? null;
}

/** Changes whenever the published key list changes (results verified against an older list are stale). */
export function trustedKeysVersion(): number {
  return current().version;
}

/** The public key document (JSON text) served at the well-known URL. */
export function publishedKeyDocument(): { document: PublicKeyDocument; text: string } {
  const { document, text } = current();
  return { document, text };
}
