import { createPublicKey, sign as edSign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { demoCertificatePayload } from "../../app/certificate-files/demo.ts";
import {
  directoryKeyStore,
  environmentKeyStore,
  generateSigningKey,
  keyIdOf,
  keyStoreFor,
  SigningKeyError,
  type SigningKeyRecord,
} from "../../workflows/certificates/keys.ts";
import { canonicalPayload, type CertificatePayload } from "../../workflows/certificates/payload.ts";
import {
  publicKeyDocument,
  shortFingerprint,
  signCertificate,
  signedCertificateJson,
  trustedKeysFromDocument,
  verifyCertificate,
  verifyCertificateText,
  type SignedCertificate,
} from "../../workflows/certificates/signing.ts";

const directories: string[] = [];
const temporaryDirectory = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "carbonlabel-keys-"));
  directories.push(dir);
  return dir;
};
afterAll(() => directories.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** What a verifier outside the platform has: the key document as published (JSON text). */
const published = (keys: readonly SigningKeyRecord[]) => trustedKeysFromDocument(JSON.parse(JSON.stringify(publicKeyDocument(keys))));

/** An envelope whose signature is made directly, bypassing signCertificate's checks. */
function rawSigned(payload: unknown, key: SigningKeyRecord): SignedCertificate {
  const value = edSign(null, Buffer.from(canonicalPayload(payload), "utf8"), key.privateKey!).toString("base64url");
  return { payload: payload as CertificatePayload, signature: { alg: "Ed25519", keyId: key.kid, value } };
}

const payload = demoCertificatePayload();
const ccdc = generateSigningKey("CCDC", "2026-01-01");

describe("signing and verifying certificates", () => {
  it("verifies with nothing but the published public key document", () => {
    const document = JSON.stringify(publicKeyDocument([ccdc]));
    expect(document).not.toMatch(/PRIVATE|"d":/);
    const text = signedCertificateJson(signCertificate(payload, ccdc));

    const result = verifyCertificateText(text, trustedKeysFromDocument(JSON.parse(document)));

    expect(result.outcome).toBe("intact");
    expect(result.checks).toEqual({ data: "valid", issuer: "valid" });
    expect(result.payload).toEqual(payload);
    expect(result.keyId).toBe(ccdc.kid);
    expect(result.fingerprint).toBe(shortFingerprint(payload));
    expect(result.fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){3}$/);
  });

  it("signs deterministically: the same payload and key give the same envelope", () => {
    expect(signedCertificateJson(signCertificate(payload, ccdc))).toBe(signedCertificateJson(signCertificate(structuredClone(payload), ccdc)));
  });

  it("fails verification when any single byte of the signed payload changes", () => {
    const signed = signCertificate(payload, ccdc);
    const trusted = published([ccdc]);
    const bytes = Buffer.from(canonicalPayload(signed.payload), "utf8");
    const signature = JSON.stringify(signed.signature);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < bytes.length; i++) {
      const changed = Buffer.from(bytes);
      changed[i] = changed[i]! ^ 0x01;
      const text = `{"payload":${changed.toString("utf8")},"signature":${signature}}`;
      const { outcome } = verifyCertificateText(text, trusted);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (outcome === "intact") throw new Error(`byte ${i} changed and the certificate still verified`);
    }
    expect([...outcomes.keys()].sort()).toEqual(["malformed", "tampered"]);
    expect([...outcomes.values()].reduce((a, b) => a + b, 0)).toBe(bytes.length);
  });

  it("reports a changed value, an added status and changed dates as tampered data from a known issuer", () => {
    const signed = signCertificate(payload, ccdc);
    const trusted = published([ccdc]);
    const variants: Record<string, unknown> = {
      value: { ...signed.payload, footprint: { ...signed.payload.footprint, value: "90.01" } },
      status: { ...signed.payload, status: "valid" },
      issuedOn: { ...signed.payload, issuedOn: "2026-03-03" },
      validUntil: { ...signed.payload, validUntil: "2029-03-01" },
      grade: { ...signed.payload, grade: null },
    };
    for (const [name, changed] of Object.entries(variants)) {
      const result = verifyCertificate({ payload: changed, signature: signed.signature }, trusted);
      expect(result.outcome, name).toBe("tampered");
      expect(result.checks, name).toEqual({ data: "invalid", issuer: "valid" });
      expect(result.payload, name).toBeNull();
    }
    // A member added in the JSON text, even one named __proto__, is a change too.
    const text = signedCertificateJson(signed);
    for (const member of ['"__proto__":{"x":1}', '"status":"valid"']) {
      const added = text.replace('{"payload":{', `{"payload":{${member},`);
      expect(verifyCertificateText(added, trusted).outcome, member).toBe("tampered");
    }
    // The intact envelope read back from its own JSON text still verifies.
    expect(verifyCertificate(JSON.parse(signedCertificateJson(signed)), trusted).outcome).toBe("intact");
  });

  it("reports a key id nobody published as an unknown issuer", () => {
    const stranger = generateSigningKey("CCDC", "2026-01-01");
    const result = verifyCertificate(signCertificate(payload, stranger), published([ccdc]));
    expect(result.outcome).toBe("unknown_key");
    expect(result.checks).toEqual({ data: "unknown", issuer: "unknown" });
    expect(result.keyId).toBe(stranger.kid);

    const relabelled = { ...signCertificate(payload, ccdc), signature: { ...signCertificate(payload, ccdc).signature, keyId: "AAAAAAAAAAAAAAAA" } };
    expect(verifyCertificate(relabelled, published([ccdc])).outcome).toBe("unknown_key");
  });

  it("flags a genuine signature by another body's key, and a key used outside its validity", () => {
    const hbdc = generateSigningKey("HBDC", "2026-01-01");
    const wrongBody = verifyCertificate(rawSigned(payload, hbdc), published([ccdc, hbdc]));
    expect(wrongBody.outcome).toBe("wrong_issuer");
    expect(wrongBody.checks).toEqual({ data: "valid", issuer: "invalid" });

    const late = generateSigningKey("CCDC", "2026-06-01");
    const tooEarly = verifyCertificate(rawSigned(payload, late), published([late]));
    expect(tooEarly.outcome).toBe("key_not_valid_at_issue");
    expect(tooEarly.checks).toEqual({ data: "valid", issuer: "invalid" });
  });

  it("reads a genuine signature over an unknown payload schema as intact data it cannot interpret", () => {
    const future = { ...payload, schema: "carbonlabel.certificate.v9" };
    const result = verifyCertificate(rawSigned(future, ccdc), published([ccdc]));
    expect(result.outcome).toBe("unsupported_payload");
    expect(result.checks).toEqual({ data: "valid", issuer: "unknown" });
  });

  it("reports anything that is not a signed envelope as malformed", () => {
    const trusted = published([ccdc]);
    const signed = signCertificate(payload, ccdc);
    for (const input of [null, "text", [], {}, { payload }, { payload, signature: { ...signed.signature, alg: "RS256" } }, { ...signed, extra: 1 }]) {
      expect(verifyCertificate(input, trusted).outcome).toBe("malformed");
    }
    expect(verifyCertificateText("{not json", trusted).outcome).toBe("malformed");
  });

  it("refuses to sign with another body's key, a retired key, or outside the key's validity", () => {
    expect(() => signCertificate(payload, generateSigningKey("HBDC", "2026-01-01"))).toThrow(/belongs to HBDC/);
    expect(() => signCertificate(payload, { ...ccdc, privateKey: null })).toThrow(/retired/);
    expect(() => signCertificate(payload, { ...ccdc, validUntil: "2026-02-28" })).toThrow(/not on the issue date 2026-03-02/);
    expect(() => signCertificate({ ...payload, status: "valid" } as CertificatePayload, ccdc)).toThrow(/status/);
  });
});

describe("keys", () => {
  it("names a key by its RFC 7638 thumbprint (the RFC 8037 A.3 example key)", () => {
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" }, format: "jwk" });
    // RFC 8037 A.3: thumbprint kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k; the key id is its first 16 characters.
    expect(keyIdOf(key)).toBe("kPrK_qmxVWaYVA9w");
  });

  it("publishes OKP/Ed25519 JWKs with body and validity, and refuses a key id that is not the key's", () => {
    const document = publicKeyDocument([ccdc]);
    expect(document).toEqual({
      format: "carbonlabel.keys.v1",
      keys: [
        {
          kty: "OKP",
          crv: "Ed25519",
          x: expect.stringMatching(/^[\w-]{43}$/),
          kid: ccdc.kid,
          alg: "Ed25519",
          use: "sig",
          cb: "CCDC",
          validFrom: "2026-01-01",
          validUntil: null,
        },
      ],
    });
    const forged = { ...document, keys: [{ ...document.keys[0]!, kid: generateSigningKey("CCDC", "2026-01-01").kid }] };
    expect(() => trustedKeysFromDocument(forged)).toThrow(SigningKeyError);
    expect(() => trustedKeysFromDocument({ keys: [] })).toThrow(SigningKeyError);
  });

  it("keeps verifying certificates signed before a rotation, and the retired key can no longer issue", () => {
    const dir = temporaryDirectory();
    const store = directoryKeyStore(dir);
    const first = store.signingKey("CCDC", "2026-01-01");
    const before = signCertificate(payload, first);

    const second = store.rotate("CCDC", "2026-06-01");
    expect(store.signingKey("CCDC", "2026-06-02").kid).toBe(second.kid);
    expect(() => store.signingKey("CCDC", "2026-03-02")).toThrow(SigningKeyError);

    const document = publicKeyDocument(store.keyring());
    expect(document.keys.map((k) => [k.kid, k.validFrom, k.validUntil])).toEqual([
      [first.kid, "2026-01-01", "2026-06-01"],
      [second.kid, "2026-06-01", null],
    ]);
    const trusted = trustedKeysFromDocument(JSON.parse(JSON.stringify(document)));
    expect(verifyCertificate(before, trusted).outcome).toBe("intact");

    const after = demoCertificatePayload({ issuedOn: "2026-07-01", sequence: 2 });
    expect(verifyCertificate(signCertificate(after, store.signingKey("CCDC", "2026-07-01")), trusted).outcome).toBe("intact");
    // The retired private key, had it been kept somewhere, still cannot issue a new certificate that verifies.
    expect(verifyCertificate(rawSigned(after, first), trusted).outcome).toBe("key_not_valid_at_issue");
    // ...and the key file no longer holds it.
    const entries = JSON.parse(readFileSync(path.join(dir, "CCDC.json"), "utf8")) as { kid: string; privateKey?: string }[];
    expect(entries.map((e) => [e.kid, e.privateKey !== undefined])).toEqual([
      [first.kid, false],
      [second.kid, true],
    ]);
  });

  it("generates a development key once, in an owner-only file that a second process reads back", () => {
    const dir = temporaryDirectory();
    const key = directoryKeyStore(dir).signingKey("HBDC", "2026-02-01");
    expect(statSync(path.join(dir, "HBDC.json")).mode & 0o777).toBe(0o600);
    expect(directoryKeyStore(dir).signingKey("HBDC", "2026-05-01").kid).toBe(key.kid);
    expect(
      directoryKeyStore(dir)
        .keyring()
        .map((k) => k.cbCode),
    ).toEqual(["HBDC"]);
  });

  it("reads keys from the environment variable and leaves rotation to whoever sets it", () => {
    const retired = generateSigningKey("CCDC", "2025-01-01");
    const json = JSON.stringify({
      CCDC: [
        { validFrom: "2025-01-01", validUntil: "2025-12-31", publicKey: retired.publicKey.export({ type: "spki", format: "pem" }) },
        { validFrom: "2026-01-01", privateKey: ccdc.privateKey!.export({ type: "pkcs8", format: "pem" }) },
      ],
    });
    const store = environmentKeyStore(json);
    expect(store.signingKey("CCDC", "2026-03-02").kid).toBe(ccdc.kid);
    expect(store.keyring().map((k) => [k.kid, k.privateKey !== null])).toEqual([
      [retired.kid, false],
      [ccdc.kid, true],
    ]);
    expect(() => store.signingKey("CCDC", "2025-06-01")).toThrow(/no private key of CCDC valid on 2025-06-01/);
    expect(() => store.rotate("CCDC", "2026-06-01")).toThrow(/CARBONLABEL_SIGNING_KEYS/);
    expect(() => environmentKeyStore("{")).toThrow(/not JSON/);
    expect(() => environmentKeyStore(JSON.stringify({ ccdc: [] }))).toThrow(SigningKeyError);
    expect(() =>
      environmentKeyStore(
        JSON.stringify({ CCDC: [{ validFrom: "2026-01-01", kid: "wrong", privateKey: ccdc.privateKey!.export({ type: "pkcs8", format: "pem" }) }] }),
      ),
    ).toThrow(/does not match/);
  });

  it("requires managed keys in production with an external database, and generates them elsewhere", () => {
    const dataDir = temporaryDirectory();
    expect(() => keyStoreFor({ keysJson: undefined, production: true, externalDatabase: true, dataDir })).toThrow(
      /must come from CARBONLABEL_SIGNING_KEYS/,
    );
    expect(keyStoreFor({ keysJson: undefined, production: false, externalDatabase: true, dataDir }).source).toBe("directory");
    const fromEnvironment = JSON.stringify({
      CCDC: [{ validFrom: "2026-01-01", privateKey: ccdc.privateKey!.export({ type: "pkcs8", format: "pem" }) }],
    });
    expect(keyStoreFor({ keysJson: fromEnvironment, production: true, externalDatabase: true, dataDir }).source).toBe("environment");
  });
});
