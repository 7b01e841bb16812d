/**
 * What the public verification pages need: verification by number for the page (rate limited,
 * logged as channel `page`) and the check of an uploaded file (rate limited on its own, stricter
 * bucket, logged as channel `upload`). The uploaded file is read into memory, checked and
 * dropped; nothing of it is stored but the log row.
 */
import { data, type ActionFunctionArgs } from "@remix-run/node";
import type { Kysely } from "kysely";
import type { DB } from "../../../db/schema.ts";
import { successorCertificateNumber } from "../../../db/repositories/certificates.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { publicContext } from "../../utils/auth.server.ts";
import { clientIp } from "../../utils/http.server.ts";
import { readMultipartUpload } from "../uploaded-files.server.ts";
import { fieldWithNul, nulByteResponse } from "../../utils/nul-bytes.server.ts";
import { verifyRateLimit } from "./rate-limit.server.ts";
import { certificateLinks } from "./registry.server.ts";
import { logVerification } from "./verification-log.server.ts";
import { CERTIFICATE_CHECK_MAX_BYTES, megabytes } from "../../utils/upload-limits.ts";
import { verifyNumber, verifyUpload, type VerificationReport } from "./verify.server.ts";

export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`rate limited for ${retryAfterSeconds} s`);
  }
}

/** The renewed certificate that replaced a superseded one, if issued. */
async function successorNumber(db: Kysely<DB>, number: string): Promise<string | null> {
  return successorCertificateNumber(db, number);
}

export interface PageVerification {
  readonly report: VerificationReport;
  readonly links: ReturnType<typeof certificateLinks> | null;
  readonly successor: string | null;
}

/** Verification by number for the page; throws RateLimitedError when the client asked too often. */
export async function verifyForPage(db: Kysely<DB>, number: string, context: unknown): Promise<PageVerification> {
  const retryAfter = verifyRateLimit("lookup", clientIp(context));
  if (retryAfter !== null) throw new RateLimitedError(retryAfter);
  const report = await verifyNumber(db, number);
  logVerification(report.number, "page", report.verdict);
  const registered = report.status !== null && report.number !== null;
  return {
    report,
    links: registered && report.envelope ? certificateLinks(report.number!) : null,
    successor: report.status === "superseded" && report.number ? await successorNumber(db, report.number) : null,
  };
}

export type UploadOutcome =
  | { readonly ok: true; readonly fileName: string; readonly report: VerificationReport; readonly links: ReturnType<typeof certificateLinks> | null }
  | { readonly ok: false; readonly error: MessageKey; readonly params?: Record<string, string | number> }
  | { readonly ok: false; readonly error: "nul"; readonly field: string };

const REQUEST_OVERHEAD_BYTES = 64 * 1024;

/** Reads the one `file` part of an upload form (at most CERTIFICATE_CHECK_MAX_BYTES) and checks it. */
export async function checkUploadedCertificate(db: Kysely<DB>, request: Request, context: unknown): Promise<UploadOutcome> {
  const retryAfter = verifyRateLimit("upload", clientIp(context));
  if (retryAfter !== null) return { ok: false, error: "verify.rateLimited", params: { seconds: retryAfter } };
  const tooLarge = { ok: false, error: "verify.fileTooLarge", params: { max: megabytes(CERTIFICATE_CHECK_MAX_BYTES) } } as const;
  if (Number(request.headers.get("Content-Length") ?? "0") > CERTIFICATE_CHECK_MAX_BYTES + REQUEST_OVERHEAD_BYTES) return tooLarge;
  // The shared reader: hard limits while reading, and file names with ";" or "=" parse.
  const upload = await readMultipartUpload(request, {
    fileField: "file",
    maxFiles: 1,
    maxFileBytes: CERTIFICATE_CHECK_MAX_BYTES,
    maxTextBytes: 1024,
    maxParts: 4,
    overheadBytes: REQUEST_OVERHEAD_BYTES,
  });
  if (!upload.ok) return upload.reason === "tooLarge" ? tooLarge : { ok: false, error: "verify.fileRequired" };
  const form = upload.formData;
  // Any field (or the file's name) holding NUL is refused like a search filter would be.
  const nulField = fieldWithNul(form.entries());
  if (nulField !== null) return { ok: false, error: "nul", field: nulField };
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return { ok: false, error: "verify.fileRequired" };
  const report = await verifyUpload(db, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
  logVerification(report.number, "upload", report.verdict);
  return {
    ok: true,
    fileName: file.name.slice(0, 200),
    report,
    links: report.status !== null && report.number ? certificateLinks(report.number) : null,
  };
}

/**
 * The upload check both verification pages answer (/verify and /verify/{number}): the report of
 * the uploaded PDF or JSON without its envelope, or the refusal in the reader's language.
 */
export async function uploadCheckAction({ request, context }: ActionFunctionArgs) {
  const { db, t, locale } = await publicContext(request);
  const outcome = await checkUploadedCertificate(db, request, context);
  if (!outcome.ok && outcome.error === "nul")
    return data({ error: await nulByteResponse(outcome.field, locale).text(), result: null }, { status: 400 });
  if (!outcome.ok)
    return data({ error: t(outcome.error, outcome.params), result: null }, { status: outcome.error === "verify.rateLimited" ? 429 : 400 });
  const { envelope: _envelope, ...report } = outcome.report;
  return { error: null, result: { fileName: outcome.fileName, report } };
}
