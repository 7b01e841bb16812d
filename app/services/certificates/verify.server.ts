/**
 * Public verification (DESIGN.md §6): by number (page, QR, API) and by uploaded file (the PDF
 * with its embedded signed JSON, or the JSON itself). Three separate checks, each valid, invalid
 * or unknown:
 *  - data: the Ed25519 signature verifies over the canonical payload;
 *  - status: the registry says the certificate is valid today;
 *  - issuer: the key is a published key of the named body, valid on the issue date, and the body
 *    is a certification body accredited for the certificate's product category.
 * One verdict names what a reader needs to know first.
 *
 * A signature alone is not enough: a retired key that leaked could sign back-dated certificates
 * inside its old validity. So a file is only accepted when the registry holds a certificate under
 * its number with the same payload SHA-256 (docs/decisions/0007); the registry's own rows are
 * checked against their stored hash and signature as well.
 *
 * A PDF is more than its embedded data: the page prints the values a reader sees, and those are not
 * signed. So an uploaded PDF whose embedded data is genuine is also compared, byte for byte, with
 * the PDF the registry issued (ADR 0014): only the issued file itself gets the plain verdict; an
 * edited copy of it and any other file carrying the genuine data are told apart and shown beside
 * the registry's own values, which are what the printed ones must be compared with.
 */
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { CertificateStatusCode, DB, LabelTypeCode } from "../../../db/schema.ts";
import { extractSignedCertificate } from "../../certificate-files/extract.server.ts";
import { canonicalPayload, CertificatePayloadSchema, type CertificatePayload } from "../../../workflows/certificates/payload.ts";
import { shortFingerprint, verifyCertificate, type CheckState, type VerificationResult } from "../../../workflows/certificates/signing.ts";
import { issuedPdf } from "./files.server.ts";
import { trustedKey, trustedKeys, trustedKeysVersion } from "./keys.server.ts";
import { effectiveStatus, findCertificate, normaliseNumber, type RegistryRecord } from "./registry.server.ts";

export type { CheckState };

export interface Checks {
  readonly data: CheckState;
  readonly status: CheckState;
  readonly issuer: CheckState;
}

export const VERDICTS = [
  "valid",
  "suspended",
  "withdrawn",
  "expired",
  "superseded",
  "not_found",
  "invalid_number",
  "unsigned",
  "registry_mismatch",
  "tampered",
  "forged_signature",
  "unknown_key",
  "not_registered",
  "wrong_issuer",
  "key_not_valid_at_issue",
  "issuer_not_accredited",
  "unsupported_payload",
  "malformed",
  "not_pdf",
  "no_signed_data",
  // An uploaded PDF whose embedded data is genuine but which is not the file the registry issued.
  "altered_copy",
  "different_file",
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** What the page shows of a certificate: taken from its signed payload. */
export interface CertificateSummary {
  readonly number: string;
  readonly labelType: CertificatePayload["labelType"];
  readonly product: { readonly zh: string; readonly en: string };
  readonly model: string;
  readonly holder: { readonly zh: string; readonly en: string };
  readonly footprint: { readonly value: string; readonly unit: string };
  readonly declaredUnit: { readonly quantity: string; readonly unit: string };
  readonly grade: string | null;
  readonly pcr: { readonly code: string; readonly version: string; readonly zh: string; readonly en: string };
  readonly issuer: { readonly code: string; readonly zh: string; readonly en: string };
  readonly issuedOn: string;
  readonly validUntil: string;
  readonly keyId: string | null;
  readonly fingerprint: string;
}

/**
 * How an uploaded PDF with genuine embedded data compares with the PDF the registry issued:
 * - issued: the same bytes (same SHA-256);
 * - altered_copy: the issued file edited afterwards — the same length with a few bytes changed,
 *   or the issued bytes with more appended (how PDF editors save a change: an incremental update);
 * - different_file: any other file (re-rendered, repainted, rebuilt around the genuine data).
 */
export type FileMatch = "issued" | "altered_copy" | "different_file";

/** What the registry holds for a certificate, shown beside a PDF that is not the issued file. */
export interface RegistryValues {
  readonly number: string;
  readonly labelType: LabelTypeCode;
  readonly product: { readonly zh: string; readonly en: string };
  readonly model: string;
  readonly holder: { readonly zh: string; readonly en: string };
  readonly footprint: { readonly value: string; readonly unit: "kgCO2e" };
  readonly declaredUnit: { readonly quantity: string; readonly unit: string };
  readonly issuedOn: string;
  readonly validUntil: string;
  readonly status: CertificateStatusCode;
  readonly statusChangedAt: string;
  readonly issuer: { readonly code: string | null; readonly zh: string; readonly en: string };
}

export interface Difference {
  readonly path: string;
  readonly file: string;
  readonly registry: string;
}

export interface VerificationReport {
  readonly verdict: Verdict;
  readonly checks: Checks;
  /** The number asked for or named in the file (normalised when it is a valid number). */
  readonly number: string | null;
  /** Status in the registry as shown (a certificate past its validity reads expired). */
  readonly status: CertificateStatusCode | null;
  readonly statusChangedAt: string | null;
  /** The certificate as signed; for a tampered file, what the file claims (see `differences`). */
  readonly certificate: CertificateSummary | null;
  /** Tampered file: each value that differs from the registered certificate. */
  readonly differences: readonly Difference[];
  readonly payloadSha256: string | null;
  /** The registered certificate's signed envelope (number lookups), for the API. */
  readonly envelope: {
    readonly payload: unknown;
    readonly signature: { readonly alg: "Ed25519"; readonly keyId: string; readonly value: string };
  } | null;
  /** An uploaded PDF with genuine embedded data: how it compares with the issued PDF; null otherwise. */
  readonly fileMatch: FileMatch | null;
  /** altered_copy: how many bytes differ from the issued PDF (changed in place, or appended). */
  readonly changedBytes: number | null;
  /** altered_copy and different_file: the registry's values, to compare with what the file prints. */
  readonly registry: RegistryValues | null;
}

const UNKNOWN: Checks = { data: "unknown", status: "unknown", issuer: "unknown" };

function report(verdict: Verdict, checks: Checks, rest: Partial<Omit<VerificationReport, "verdict" | "checks">> = {}): VerificationReport {
  return {
    verdict,
    checks,
    number: null,
    status: null,
    statusChangedAt: null,
    certificate: null,
    differences: [],
    payloadSha256: null,
    envelope: null,
    fileMatch: null,
    changedBytes: null,
    registry: null,
    ...rest,
  };
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

export function summaryOf(p: CertificatePayload, keyId: string | null): CertificateSummary {
  return {
    number: p.number,
    labelType: p.labelType,
    product: p.product.name,
    model: p.product.model,
    holder: p.holder.name,
    footprint: p.footprint,
    declaredUnit: p.declaredUnit,
    grade: p.grade?.grade ?? null,
    pcr: { code: p.pcr.code, version: p.pcr.version, zh: p.pcr.name.zh, en: p.pcr.name.en },
    issuer: { code: p.issuer.cbCode, zh: p.issuer.name.zh, en: p.issuer.name.en },
    issuedOn: p.issuedOn,
    validUntil: p.validUntil,
    keyId,
    fingerprint: shortFingerprint(p),
  };
}

/** The registry's view of the body: a certification body accredited for this category. */
function accredited(row: RegistryRecord): boolean {
  return row.cb_kind === "certification_body" && row.cb_scope.includes(row.pcr_code);
}

function statusVerdict(status: CertificateStatusCode): Verdict {
  return status;
}

/** Verifies the registry's record: its stored content against its hash, its signature against the published keys. */
function verifyRecord(row: RegistryRecord): VerificationReport {
  const status = effectiveStatus(row.status, row.valid_until);
  const statusCheck: CheckState = status === "valid" ? "valid" : "invalid";
  const common = { number: row.number, status, statusChangedAt: row.status_changed_at.toISOString() };
  if (row.payload === null || row.signature === null || row.key_id === null) {
    return report("unsigned", { data: "unknown", status: statusCheck, issuer: accredited(row) ? "unknown" : "invalid" }, common);
  }
  const payloadSha256 = sha256(row.payload);
  trustedKey(row.key_id);
  const { envelope, result, certificate } = verifiedContent(row.payload, payloadSha256, row.key_id, row.signature);
  const withContent = { ...common, envelope, payloadSha256, certificate };
  if (payloadSha256 !== row.payload_sha256 || result.outcome === "tampered" || result.outcome === "malformed") {
    return report("registry_mismatch", { data: "invalid", status: statusCheck, issuer: "unknown" }, withContent);
  }
  if (result.outcome !== "intact") return report(result.outcome, { ...result.checks, status: statusCheck }, withContent);
  if (!accredited(row)) return report("issuer_not_accredited", { data: "valid", status: statusCheck, issuer: "invalid" }, withContent);
  return report(statusVerdict(status), { data: "valid", status: statusCheck, issuer: "valid" }, withContent);
}

/**
 * A registry row's signature check, kept per process by content: the payload, signature and key
 * id of an issued certificate never change, so the result only has to be recomputed when the
 * published keys do (their version is part of the key). The row's own hash is always recomputed.
 */
const VERIFIED_LIMIT = 10_000;
const verified = new Map<
  string,
  { envelope: NonNullable<VerificationReport["envelope"]>; result: VerificationResult; certificate: CertificateSummary | null }
>();

function verifiedContent(payload: string, payloadSha256: string, keyId: string, signature: string) {
  const key = `${trustedKeysVersion()}|${payloadSha256}|${keyId}|${signature}`;
  const hit = verified.get(key);
  if (hit) return hit;
  const envelope = { payload: JSON.parse(payload) as unknown, signature: { alg: "Ed25519" as const, keyId, value: signature } };
  const result = verifyCertificate(envelope, trustedKeys());
  const entry = { envelope, result, certificate: result.payload ? summaryOf(result.payload, result.keyId) : null };
  if (verified.size >= VERIFIED_LIMIT) verified.delete(verified.keys().next().value as string);
  verified.set(key, entry);
  return entry;
}

/** Verification by number: the page, the QR target and the API. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

export async function verifyNumber(db: Kysely<DB>, input: string): Promise<VerificationReport> {
  const number = normaliseNumber(input);
  // Echoed as asked for, less control characters (NUL and the like have no place on a page or in JSON).
  if (!number)
    return report("invalid_number", UNKNOWN, {
      number: input.replace(CONTROL_CHARACTERS, "").trim().slice(0, 64) || null,
    });
  const row = await findCertificate(db, number);
  if (!row) return report("not_found", UNKNOWN, { number });
  return verifyRecord(row);
}

export type UploadedFile = { readonly name: string; readonly bytes: Uint8Array };

/** Verification of an uploaded certificate PDF or signed JSON. */
export async function verifyUpload(db: Kysely<DB>, file: UploadedFile): Promise<VerificationReport> {
  const isPdf = Buffer.from(file.bytes.subarray(0, 1024)).includes("%PDF-");
  let envelope: unknown;
  if (isPdf) {
    const extracted = await extractSignedCertificate(file.bytes);
    if (!extracted.found) return report(extracted.reason, UNKNOWN);
    envelope = extracted.envelope;
  } else {
    try {
      envelope = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(file.bytes));
    } catch {
      return report(/\.pdf$/i.test(file.name) ? "not_pdf" : "malformed", UNKNOWN);
    }
  }
  const claimed = claimedPayload(envelope);
  trustedKey(claimedKeyId(envelope) ?? "");
  const result = verifyCertificate(envelope, trustedKeys());
  if (result.outcome === "malformed")
    return report("malformed", { data: "invalid", status: "unknown", issuer: "unknown" }, { number: claimed.number });

  const number = claimed.number ? normaliseNumber(claimed.number) : null;
  const row = number ? await findCertificate(db, number) : null;
  const registered = row ? verifyRecord(row) : null;
  const sameAsRegistered = row !== null && claimed.sha256 !== null && claimed.sha256 === row.payload_sha256;
  const claimedSummary = result.payload ? summaryOf(result.payload, result.keyId) : claimed.summary;
  const base = { number: number ?? claimed.number, certificate: claimedSummary, payloadSha256: claimed.sha256 };

  switch (result.outcome) {
    case "intact": {
      // Genuinely signed; the registry decides whether it is a certificate that was issued.
      if (!row || !registered || !sameAsRegistered) return report("not_registered", { data: "valid", status: "unknown", issuer: "invalid" }, base);
      const answer = { ...registered, certificate: claimedSummary };
      // The signed JSON is all there is to it; a PDF also prints, so it must be the issued file.
      if (!isPdf || registered.checks.data !== "valid") return answer;
      const issued = await issuedPdf(db, row);
      if (!issued) return answer;
      const match = compareWithIssued(file.bytes, issued);
      if (match.fileMatch === "issued") return { ...answer, fileMatch: "issued" };
      return {
        ...answer,
        // A valid certificate's plain verdict is for the issued file alone; a suspended, withdrawn,
        // expired or superseded one keeps saying so first, with the file's comparison beside it.
        verdict: answer.verdict === "valid" ? match.fileMatch : answer.verdict,
        fileMatch: match.fileMatch,
        changedBytes: match.changedBytes,
        registry: registryValues(row),
      };
    }
    case "tampered":
      if (sameAsRegistered) return report("forged_signature", { data: "invalid", status: "unknown", issuer: "invalid" }, base);
      return report(
        "tampered",
        { data: "invalid", status: "unknown", issuer: result.checks.issuer },
        { ...base, differences: row?.payload ? differences(claimed.payload, JSON.parse(row.payload)) : [] },
      );
    case "unknown_key":
      return report("unknown_key", UNKNOWN, base);
    case "wrong_issuer":
    case "key_not_valid_at_issue":
    case "unsupported_payload":
      return report(result.outcome, { ...result.checks, status: "unknown" }, base);
  }
}

/**
 * At most this many changed bytes in a file of the issued file's length make it the issued file
 * edited in place (a value painted over, a byte flipped); more, and it is treated as another file.
 * A certificate PDF is tens of kilobytes, and a re-rendered one differs almost everywhere.
 */
export const ALTERED_COPY_MAX_CHANGED_BYTES = 1024;

/** An uploaded PDF against the issued one: by SHA-256 first, then by its bytes. */
export function compareWithIssued(
  upload: Uint8Array,
  issued: { readonly bytes: Uint8Array; readonly sha256: string },
): { fileMatch: FileMatch; changedBytes: number | null } {
  if (createHash("sha256").update(upload).digest("hex") === issued.sha256) return { fileMatch: "issued", changedBytes: null };
  const original = issued.bytes;
  if (upload.length === original.length) {
    let changed = 0;
    for (let i = 0; i < upload.length && changed <= ALTERED_COPY_MAX_CHANGED_BYTES; i++) if (upload[i] !== original[i]) changed++;
    if (changed <= ALTERED_COPY_MAX_CHANGED_BYTES) return { fileMatch: "altered_copy", changedBytes: changed };
  } else if (upload.length > original.length && Buffer.from(upload.buffer, upload.byteOffset, original.length).equals(original)) {
    return { fileMatch: "altered_copy", changedBytes: upload.length - original.length };
  }
  return { fileMatch: "different_file", changedBytes: null };
}

function registryValues(row: RegistryRecord): RegistryValues {
  return {
    number: row.number,
    labelType: row.label_type,
    product: { zh: row.product_name_zh, en: row.product_name_en },
    model: row.product_model,
    holder: { zh: row.holder_name_zh, en: row.holder_name_en },
    footprint: { value: row.verified_value, unit: "kgCO2e" },
    declaredUnit: { quantity: row.declared_unit_quantity, unit: row.declared_unit },
    issuedOn: row.issued_on,
    validUntil: row.valid_until,
    status: effectiveStatus(row.status, row.valid_until),
    statusChangedAt: row.status_changed_at.toISOString(),
    issuer: { code: row.cb_code, zh: row.cb_name_zh, en: row.cb_name_en },
  };
}

/** What the file claims, read without trusting it. */
function claimedPayload(envelope: unknown): { payload: unknown; number: string | null; sha256: string | null; summary: CertificateSummary | null } {
  const payload = typeof envelope === "object" && envelope !== null ? (envelope as { payload?: unknown }).payload : undefined;
  const raw = typeof payload === "object" && payload !== null ? (payload as { number?: unknown }).number : undefined;
  const number = typeof raw === "string" && raw.length <= 64 ? raw : null;
  let hash: string | null = null;
  try {
    hash = payload === undefined ? null : sha256(canonicalPayload(payload));
  } catch {
    hash = null;
  }
  const parsed = CertificatePayloadSchema.safeParse(payload);
  return { payload, number, sha256: hash, summary: parsed.success ? summaryOf(parsed.data, claimedKeyId(envelope)) : null };
}

function claimedKeyId(envelope: unknown): string | null {
  const signature = typeof envelope === "object" && envelope !== null ? (envelope as { signature?: unknown }).signature : undefined;
  const kid = typeof signature === "object" && signature !== null ? (signature as { keyId?: unknown }).keyId : undefined;
  return typeof kid === "string" ? kid : null;
}

/** Leaf values that differ between two payloads, by path (at most 20). */
export function differences(file: unknown, registry: unknown, path = "", out: Difference[] = []): Difference[] {
  if (out.length >= 20) return out;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
  if (isObject(file) && isObject(registry) && Array.isArray(file) === Array.isArray(registry)) {
    const keys = [...new Set([...Object.keys(file), ...Object.keys(registry)])].sort();
    for (const key of keys) differences(file[key], registry[key], path ? `${path}.${key}` : key, out);
    return out;
  }
  const show = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v)).slice(0, 200);
  if (show(file) !== show(registry)) out.push({ path, file: show(file), registry: show(registry) });
  return out;
}

export type { VerificationResult };
