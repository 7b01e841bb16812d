/**
 * Signed certificates: the RFC 8785 canonical JSON of the payload, signed with Ed25519 under a key
 * id, in an envelope `{ payload, signature: { alg, keyId, value } }`. Verification needs nothing
 * but the envelope and the published public key document, and reports separately whether the data
 * is intact and whether the issuer's key is known and was valid on the issue date.
 */
import { createHash, createPublicKey, sign as edSign, verify as edVerify } from "node:crypto";
import { z } from "zod";
import { keyCoversDate, keyIdOf, publicJwk, SigningKeyError, type PublicKeyRecord, type SigningKeyRecord } from "./keys.ts";
import { canonicalPayload, CertificatePayloadSchema, describePayloadIssues, parseCertificatePayload, type CertificatePayload } from "./payload.ts";

export const SIGNATURE_ALGORITHM = "Ed25519";
/** Where the public key document is served (the route is wired by the app). */
export const PUBLIC_KEYS_PATH = "/.well-known/carbonlabel-keys.json";
export const PUBLIC_KEYS_FORMAT = "carbonlabel.keys.v1";

export interface SignedCertificate {
  readonly payload: CertificatePayload;
  readonly signature: {
    readonly alg: typeof SIGNATURE_ALGORITHM;
    readonly keyId: string;
    /** base64url (no padding) of the 64-byte Ed25519 signature over the canonical payload (UTF-8). */
    readonly value: string;
  };
}

const EnvelopeSchema = z.strictObject({
  // The very object received (not a copy): a copy would turn a received "__proto__" member into a
  // prototype and drop it from what is canonicalised, letting an added member pass as intact.
  payload: z.custom<Record<string, unknown>>((v) => typeof v === "object" && v !== null && !Array.isArray(v), "must be a JSON object"),
  signature: z.strictObject({
    alg: z.literal(SIGNATURE_ALGORITHM),
    keyId: z.string().min(1).max(64),
    value: z.string().regex(/^[A-Za-z0-9_-]{86}$/, "must be 64 bytes in base64url"),
  }),
});

/** SHA-256 (hex) of the canonical payload: the certificate's content identity. */
export function payloadSha256(payload: unknown): string {
  return createHash("sha256").update(canonicalPayload(payload), "utf8").digest("hex");
}

/** The short fingerprint printed on the certificate: the first 16 hex digits of the payload SHA-256, in groups of four. */
export function shortFingerprint(payload: unknown): string {
  return payloadSha256(payload).slice(0, 16).toUpperCase().match(/.{4}/g)?.join(" ") ?? "";
}

/**
 * Signs a payload with a body's key. Refuses a payload that fails its schema, a key of another
 * body, a retired key and an issue date outside the key's validity: what this returns verifies.
 */
export function signCertificate(payload: CertificatePayload, key: SigningKeyRecord): SignedCertificate {
  const valid = parseCertificatePayload(payload);
  if (key.cbCode !== valid.issuer.cbCode)
    throw new SigningKeyError(`key ${key.kid} belongs to ${key.cbCode}, not to the issuer ${valid.issuer.cbCode}`);
  if (!key.privateKey) throw new SigningKeyError(`key ${key.kid} of ${key.cbCode} is retired and cannot sign`);
  if (!keyCoversDate(key, valid.issuedOn)) {
    throw new SigningKeyError(
      `key ${key.kid} of ${key.cbCode} is valid ${key.validFrom}…${key.validUntil ?? ""}, not on the issue date ${valid.issuedOn}`,
    );
  }
  const value = edSign(null, Buffer.from(canonicalPayload(valid), "utf8"), key.privateKey).toString("base64url");
  return { payload: valid, signature: { alg: SIGNATURE_ALGORITHM, keyId: key.kid, value } };
}

// ---- public key document ----

const IsoDate = z.iso.date();
const PublicJwkSchema = z.object({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  kid: z.string().min(1),
  alg: z.literal(SIGNATURE_ALGORITHM).optional(),
  use: z.literal("sig").optional(),
  cb: z.string().regex(/^[A-Z0-9]{2,10}$/),
  validFrom: IsoDate,
  validUntil: IsoDate.nullable(),
});
const PublicKeyDocumentSchema = z.object({ format: z.literal(PUBLIC_KEYS_FORMAT), keys: z.array(PublicJwkSchema) });
export type PublicKeyDocument = z.infer<typeof PublicKeyDocumentSchema>;

/**
 * The document published at PUBLIC_KEYS_PATH: a JWK Set (RFC 7517) of every key, retired ones
 * included, each an OKP/Ed25519 JWK (RFC 8037) with `kid`, the body code `cb` and its validity in
 * issue dates. Ordered by body and start date so the same keys give the same bytes.
 */
export function publicKeyDocument(keys: readonly PublicKeyRecord[]): PublicKeyDocument {
  const sorted = [...keys].sort((a, b) => a.cbCode.localeCompare(b.cbCode) || a.validFrom.localeCompare(b.validFrom) || a.kid.localeCompare(b.kid));
  return {
    format: PUBLIC_KEYS_FORMAT,
    keys: sorted.map((k) => ({
      ...publicJwk(k.publicKey),
      kid: k.kid,
      alg: SIGNATURE_ALGORITHM,
      use: "sig",
      cb: k.cbCode,
      validFrom: k.validFrom,
      validUntil: k.validUntil,
    })),
  };
}

/** Reads a published key document; an entry whose `kid` is not its key's thumbprint is refused. */
export function trustedKeysFromDocument(document: unknown): PublicKeyRecord[] {
  const parsed = PublicKeyDocumentSchema.safeParse(document);
  if (!parsed.success)
    throw new SigningKeyError(
      `not a CarbonLabel public key document: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data.keys.map((jwk) => {
    const publicKey = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: "jwk" });
    if (keyIdOf(publicKey) !== jwk.kid) throw new SigningKeyError(`key ${jwk.kid} in the public key document does not match its key material`);
    return { kid: jwk.kid, cbCode: jwk.cb, publicKey, validFrom: jwk.validFrom, validUntil: jwk.validUntil };
  });
}

// ---- verification ----

export type CheckState = "valid" | "invalid" | "unknown";

/**
 * intact — signature verifies, payload well-formed, key belongs to the issuer and covered the issue date
 * tampered — the key is known but the signature does not match the payload (any changed byte)
 * unknown_key — no published key has this id: the issuer is unknown, integrity cannot be judged
 * key_not_valid_at_issue — genuine signature, but the key was not valid on the stated issue date
 * wrong_issuer — genuine signature by a key of a body other than the one named as issuer
 * unsupported_payload — genuine signature over a payload this version cannot read (newer schema)
 * malformed — not a signed certificate envelope at all
 */
export type VerificationOutcome =
  "intact" | "tampered" | "unknown_key" | "key_not_valid_at_issue" | "wrong_issuer" | "unsupported_payload" | "malformed";

export interface VerificationResult {
  readonly outcome: VerificationOutcome;
  /** DESIGN.md §6: data intact (signature) and issuer (a known key, valid at issue), each on its own. */
  readonly checks: { readonly data: CheckState; readonly issuer: CheckState };
  readonly keyId: string | null;
  readonly key: Omit<PublicKeyRecord, "publicKey"> | null;
  /** Only when the signature verified and the payload parsed. */
  readonly payload: CertificatePayload | null;
  readonly fingerprint: string | null;
  readonly problems: readonly string[];
}

function result(
  outcome: VerificationOutcome,
  data: CheckState,
  issuer: CheckState,
  rest: Partial<Omit<VerificationResult, "outcome" | "checks">> = {},
): VerificationResult {
  return { outcome, checks: { data, issuer }, keyId: null, key: null, payload: null, fingerprint: null, problems: [], ...rest };
}

/** Verifies an envelope (already parsed JSON) against trusted public keys only. */
export function verifyCertificate(envelope: unknown, trustedKeys: readonly PublicKeyRecord[]): VerificationResult {
  const parsed = EnvelopeSchema.safeParse(envelope);
  if (!parsed.success) return result("malformed", "invalid", "unknown", { problems: describePayloadIssues(parsed.error) });
  const { payload, signature } = parsed.data;
  const keyId = signature.keyId;
  const key = trustedKeys.find((k) => k.kid === keyId);
  if (!key) return result("unknown_key", "unknown", "unknown", { keyId, problems: [`no published key has the id ${keyId}`] });
  const { publicKey, ...keyInfo } = key;
  const rest = { keyId, key: keyInfo };

  let canonical: string;
  try {
    canonical = canonicalPayload(payload);
  } catch (error) {
    return result("malformed", "invalid", "valid", { ...rest, problems: [(error as Error).message] });
  }
  const genuine = edVerify(null, Buffer.from(canonical, "utf8"), publicKey, Buffer.from(signature.value, "base64url"));
  if (!genuine) return result("tampered", "invalid", "valid", { ...rest, problems: ["the signature does not match the certificate data"] });

  const fingerprint = shortFingerprint(payload);
  const schema = CertificatePayloadSchema.safeParse(payload);
  if (!schema.success)
    return result("unsupported_payload", "valid", "unknown", { ...rest, fingerprint, problems: describePayloadIssues(schema.error) });
  const certificate = schema.data;
  const signed = { ...rest, fingerprint, payload: certificate };
  if (certificate.issuer.cbCode !== key.cbCode) {
    return result("wrong_issuer", "valid", "invalid", {
      ...signed,
      problems: [`key ${keyId} belongs to ${key.cbCode}, but the certificate names ${certificate.issuer.cbCode} as issuer`],
    });
  }
  if (!keyCoversDate(key, certificate.issuedOn)) {
    return result("key_not_valid_at_issue", "valid", "invalid", {
      ...signed,
      problems: [`key ${keyId} of ${key.cbCode} is valid ${key.validFrom}…${key.validUntil ?? ""}, not on the issue date ${certificate.issuedOn}`],
    });
  }
  return result("intact", "valid", "valid", signed);
}

/** Verifies uploaded JSON text (an envelope as downloaded); text that is not JSON is malformed. */
export function verifyCertificateText(text: string, trustedKeys: readonly PublicKeyRecord[]): VerificationResult {
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    return result("malformed", "invalid", "unknown", { problems: ["not JSON"] });
  }
  return verifyCertificate(envelope, trustedKeys);
}

/** The envelope as a downloadable file: canonical JSON too, so the file itself has one spelling. */
export function signedCertificateJson(certificate: SignedCertificate): string {
  return canonicalPayload(certificate);
}
