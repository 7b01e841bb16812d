/**
 * The size limits of every upload, each named for its job, in one place: the services enforce
 * them, the server's body limit (app/server/remix-handler.ts) is derived from them, and messages
 * show them through `megabytes()`, so a limit changed here changes everywhere it is stated.
 */
const MiB = 1024 * 1024;

/** One evidence file of an inventory line (an invoice, a meter reading). */
export const EVIDENCE_MAX_BYTES = 10 * MiB;
/** One document attached to a certification case event. */
export const CASE_FILE_MAX_BYTES = 10 * MiB;
/** A workbook (.xlsx or .csv) imported into an inventory. */
export const WORKBOOK_MAX_BYTES = 10 * MiB;
/** A certificate PDF or signed JSON checked on the public verification page (a real one is about 60 KiB). */
export const CERTIFICATE_CHECK_MAX_BYTES = 2 * MiB;

/** Room a multipart body needs besides its file: boundaries, part headers and the form's other fields. */
const MULTIPART_FORM_ROOM_BYTES = 1 * MiB;

/**
 * The most any multipart body may carry: the largest file any upload takes plus the form around
 * it. A case form's several files share this one budget.
 */
export const MULTIPART_BODY_MAX_BYTES =
  Math.max(EVIDENCE_MAX_BYTES, CASE_FILE_MAX_BYTES, WORKBOOK_MAX_BYTES, CERTIFICATE_CHECK_MAX_BYTES) + MULTIPART_FORM_ROOM_BYTES;

/** A limit as messages state it ("10 MB"). */
export function megabytes(bytes: number): string {
  return `${Math.round(bytes / MiB)} MB`;
}
