/**
 * Certificate signing keys: Ed25519 key pairs per certification body, each valid for a span of
 * issue dates. A retired key keeps only its public half, so it can still verify the certificates
 * issued while it was valid but can never sign again.
 *
 * Where keys come from (see docs/decisions/0007):
 *  - `CARBONLABEL_SIGNING_KEYS`: JSON `{ "<CB code>": [entry, …] }`, each entry
 *    `{ validFrom, validUntil?, privateKey? (PKCS#8 PEM), publicKey? (SPKI PEM), kid? }`.
 *    Required in production with an external database.
 *  - otherwise one file per body, `DATA_DIR/keys/<CB code>.json`, holding the same entry list; a
 *    body's first key is generated there on first use. DATA_DIR is git-ignored.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

export const SIGNING_KEYS_VARIABLE = "CARBONLABEL_SIGNING_KEYS";

export interface PublicKeyRecord {
  /** Key id: the first 16 characters of the key's RFC 7638 JWK thumbprint (base64url). */
  readonly kid: string;
  readonly cbCode: string;
  readonly publicKey: KeyObject;
  /** First issue date (inclusive) this key may sign for. */
  readonly validFrom: string;
  /** Last issue date (inclusive), or null while the key is current. */
  readonly validUntil: string | null;
}

export interface SigningKeyRecord extends PublicKeyRecord {
  /** Null once the key is retired. */
  readonly privateKey: KeyObject | null;
}

export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SigningKeyError";
  }
}

const CbCode = z.string().regex(/^[A-Z0-9]{2,10}$/, "a body code is 2–10 capital letters or digits");
const KeyEntrySchema = z
  .strictObject({
    kid: z.string().optional(),
    validFrom: z.iso.date(),
    validUntil: z.iso.date().nullable().optional(),
    publicKey: z.string().optional(),
    privateKey: z.string().optional(),
  })
  .refine((e) => e.publicKey !== undefined || e.privateKey !== undefined, "needs publicKey or privateKey")
  .refine((e) => !e.validUntil || e.validUntil >= e.validFrom, "validUntil is before validFrom");
const KeyringSourceSchema = z.record(CbCode, z.array(KeyEntrySchema).min(1));
type KeyEntry = z.infer<typeof KeyEntrySchema>;

/** RFC 7638 thumbprint members of an Ed25519 public key, in their required (sorted) order. */
export function publicJwk(publicKey: KeyObject): { crv: "Ed25519"; kty: "OKP"; x: string } {
  const jwk = publicKey.export({ format: "jwk" });
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") throw new SigningKeyError("not an Ed25519 public key");
  return { crv: "Ed25519", kty: "OKP", x: jwk.x };
}

export function keyIdOf(publicKey: KeyObject): string {
  const thumbprint = createHash("sha256")
    .update(JSON.stringify(publicJwk(publicKey)))
    .digest("base64url");
  return thumbprint.slice(0, 16);
}

function recordFromEntry(cbCode: string, entry: KeyEntry): SigningKeyRecord {
  let privateKey: KeyObject | null = null;
  let publicKey: KeyObject;
  try {
    if (entry.privateKey) privateKey = createPrivateKey(entry.privateKey);
    publicKey = entry.publicKey ? createPublicKey(entry.publicKey) : createPublicKey(privateKey!);
  } catch (error) {
    throw new SigningKeyError(`${cbCode}: a key entry (validFrom ${entry.validFrom}) is not a readable PEM key: ${(error as Error).message}`);
  }
  if (privateKey && privateKey.asymmetricKeyType !== "ed25519") throw new SigningKeyError(`${cbCode}: signing keys must be Ed25519`);
  const kid = keyIdOf(publicKey);
  if (privateKey && keyIdOf(createPublicKey(privateKey)) !== kid)
    throw new SigningKeyError(`${cbCode}: publicKey does not belong to privateKey (validFrom ${entry.validFrom})`);
  if (entry.kid !== undefined && entry.kid !== kid)
    throw new SigningKeyError(`${cbCode}: key id ${entry.kid} does not match its key (expected ${kid})`);
  return { kid, cbCode, publicKey, privateKey, validFrom: entry.validFrom, validUntil: entry.validUntil ?? null };
}

function entryFromRecord(record: SigningKeyRecord): KeyEntry {
  return {
    kid: record.kid,
    validFrom: record.validFrom,
    validUntil: record.validUntil,
    publicKey: record.publicKey.export({ type: "spki", format: "pem" }).toString(),
    ...(record.privateKey ? { privateKey: record.privateKey.export({ type: "pkcs8", format: "pem" }).toString() } : {}),
  };
}

/** Parses the `CARBONLABEL_SIGNING_KEYS` JSON (or an equivalent object) into key records. */
export function parseKeyringSource(source: unknown): SigningKeyRecord[] {
  const parsed = KeyringSourceSchema.safeParse(typeof source === "string" ? safeJson(source) : source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new SigningKeyError(`${SIGNING_KEYS_VARIABLE} is not a valid key list: ${problems}`);
  }
  return Object.entries(parsed.data).flatMap(([cbCode, entries]) => entries.map((e) => recordFromEntry(cbCode, e)));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new SigningKeyError(`${SIGNING_KEYS_VARIABLE} is not JSON`);
  }
}

/** Whether the key covers an issue date (both bounds inclusive). */
export function keyCoversDate(key: Pick<PublicKeyRecord, "validFrom" | "validUntil">, isoDate: string): boolean {
  return key.validFrom <= isoDate && (key.validUntil === null || isoDate <= key.validUntil);
}

/** The key a body signs with on a date: the latest-starting one that covers it and still has its private half. */
export function activeSigningKey(keyring: readonly SigningKeyRecord[], cbCode: string, on: string): SigningKeyRecord | null {
  const candidates = keyring.filter((k) => k.cbCode === cbCode && k.privateKey !== null && keyCoversDate(k, on));
  return candidates.sort((a, b) => (a.validFrom < b.validFrom ? 1 : a.validFrom > b.validFrom ? -1 : 0))[0] ?? null;
}

export function generateSigningKey(cbCode: string, validFrom: string): SigningKeyRecord {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { kid: keyIdOf(publicKey), cbCode, publicKey, privateKey, validFrom, validUntil: null };
}

/**
 * Rotation on `on`: every key of the body that could still sign on or after that date ends on it
 * (inclusive, so certificates already signed today stay within their key's validity) and loses
 * its private half; the new key starts on the same date and signs from now on.
 */
export function rotateKeys(keys: readonly SigningKeyRecord[], fresh: SigningKeyRecord, on: string): SigningKeyRecord[] {
  const out = keys.map((k) => {
    if (k.privateKey === null || (k.validUntil !== null && k.validUntil < on)) return k;
    if (k.validFrom > on) throw new SigningKeyError(`${k.cbCode}: key ${k.kid} starts on ${k.validFrom}, after the rotation date ${on}`);
    return { ...k, privateKey: null, validUntil: on };
  });
  return [...out, { ...fresh, validFrom: on, validUntil: null }];
}

/** Where signing keys are kept. */
export interface KeyStore {
  readonly source: "environment" | "directory";
  /** Every key of every body, retired ones included (what the public key document lists). */
  keyring(): SigningKeyRecord[];
  /** The key a body signs with on `on`; a directory store generates the body's first key. */
  signingKey(cbCode: string, on: string): SigningKeyRecord;
  /** Retires the body's current key and starts a new one on `on`. */
  rotate(cbCode: string, on: string): SigningKeyRecord;
}

export function environmentKeyStore(json: string): KeyStore {
  const keyring = parseKeyringSource(json);
  return {
    source: "environment",
    keyring: () => [...keyring],
    signingKey(cbCode, on) {
      const key = activeSigningKey(keyring, cbCode, on);
      if (!key) throw new SigningKeyError(`${SIGNING_KEYS_VARIABLE} holds no private key of ${cbCode} valid on ${on}`);
      return key;
    },
    rotate(cbCode) {
      throw new SigningKeyError(
        `Keys of ${cbCode} come from ${SIGNING_KEYS_VARIABLE}: rotate by adding the new key and setting the old key's validUntil there (docs/decisions/0007).`,
      );
    },
  };
}

/** One JSON file per body under `dir`, created owner-only. */
export function directoryKeyStore(dir: string): KeyStore {
  const fileOf = (cbCode: string) => {
    CbCode.parse(cbCode);
    return path.join(dir, `${cbCode}.json`);
  };
  const read = (cbCode: string): SigningKeyRecord[] => {
    const file = fileOf(cbCode);
    if (!existsSync(file)) return [];
    return parseKeyringSource({ [cbCode]: JSON.parse(readFileSync(file, "utf8")) });
  };
  const write = (cbCode: string, keys: readonly SigningKeyRecord[], createOnly: boolean): void => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const text = JSON.stringify(keys.map(entryFromRecord), null, 2) + "\n";
    if (createOnly) {
      // `wx`: when two processes create a body's first key at once, one wins and the other reads it.
      try {
        writeFileSync(fileOf(cbCode), text, { mode: 0o600, flag: "wx" });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      return;
    }
    const temporary = `${fileOf(cbCode)}.${process.pid}.tmp`;
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, fileOf(cbCode));
  };
  return {
    source: "directory",
    keyring() {
      if (!existsSync(dir)) return [];
      const codes = readdirSync(dir)
        .filter((f) => /^[A-Z0-9]{2,10}\.json$/.test(f))
        .map((f) => f.slice(0, -5))
        .sort();
      return codes.flatMap(read);
    },
    signingKey(cbCode, on) {
      const existing = read(cbCode);
      const key = activeSigningKey(existing, cbCode, on);
      if (key) return key;
      if (existing.length > 0)
        throw new SigningKeyError(`${fileOf(cbCode)} holds no private key of ${cbCode} valid on ${on}; rotate to start a new key`);
      write(cbCode, [generateSigningKey(cbCode, on)], true);
      const created = activeSigningKey(read(cbCode), cbCode, on);
      if (!created) throw new SigningKeyError(`${fileOf(cbCode)} holds no private key of ${cbCode} valid on ${on}`);
      return created;
    },
    rotate(cbCode, on) {
      const fresh = generateSigningKey(cbCode, on);
      write(cbCode, rotateKeys(read(cbCode), fresh, on), false);
      return fresh;
    },
  };
}

export interface KeyStoreSettings {
  /** The value of CARBONLABEL_SIGNING_KEYS, if set. */
  readonly keysJson: string | undefined;
  readonly production: boolean;
  readonly externalDatabase: boolean;
  readonly dataDir: string;
}

/**
 * The environment variable when set; otherwise DATA_DIR/keys, which production with an external
 * database refuses: keys there must be managed and backed up, not generated on a server's disk.
 */
export function keyStoreFor(settings: KeyStoreSettings): KeyStore {
  if (settings.keysJson) return environmentKeyStore(settings.keysJson);
  if (settings.production && settings.externalDatabase) {
    throw new SigningKeyError(`In production with an external database the signing keys must come from ${SIGNING_KEYS_VARIABLE}.`);
  }
  return directoryKeyStore(path.join(settings.dataDir, "keys"));
}
