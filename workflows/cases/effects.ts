/**
 * What each outbox row does. Every handler runs inside the transaction that marks its row done,
 * and is idempotent on its own as well (a lease can expire while a slow runner still works):
 * - effect.notify: one in-app notification per recipient (unique per row and user), and one
 *   `email.send` row per recipient;
 * - email.send: the mailer, once per key (the e-mail log holds the key);
 * - effect.issue_certificate: the certificate, once per case (case id unique), numbered from a
 *   per-body, per-label, per-year counter and signed by the certificate issuer, all in the same
 *   transaction, so numbers have no gaps; for a renewal it then supersedes the old case;
 * - effect.certificate_status: the certificate's status, applied only if newer than the last one,
 *   and the supply-chain flags of records citing it raised or resolved;
 * - effect.open_renewal_case: checks the renewal case RENEW opened is there.
 */
import { createHash } from "node:crypto";
import type { Transaction } from "kysely";
import { bi, type Bilingual } from "../../rules/i18n.ts";
import type { CertificationEffect, LabelType } from "../certification/types.ts";
import { registeredCertificateIssuer, type CertificateIssuer } from "../certificates/issuer.ts";
import { flagCitingRecords, isFlaggedStatus, resolveFlags } from "../certificates/supply-chain.ts";
import { toNumeric } from "../../db/decimal.ts";
import type { DB } from "../../db/schema.ts";
import { caseForIssue, caseForNotice, renewedCaseOf } from "../../db/repositories/cases.ts";
import { certificateOfCase, insertCertificate, nextCertificateSequence, updateCertificateStatusIfNewer } from "../../db/repositories/certificates.ts";
import { logEmailOnce } from "../../db/repositories/email-log.ts";
import { activeRecipients } from "../../db/repositories/notifications.ts";
import type { OutboxRow } from "../../db/repositories/outbox.ts";
import { HOST, isUuid } from "./actors.ts";
import { transition } from "./cases.ts";
import { EventNotAllowedError } from "./errors.ts";
import { parseCaseIdentity } from "./identity.ts";
import type { Mailer } from "./mailer.ts";
import { writeNotifications } from "./notifications.ts";

export type { OutboxRow };

export interface EffectContext {
  readonly trx: Transaction<DB>;
  readonly row: OutboxRow;
  readonly mailer: Mailer;
  readonly now: Date;
  /** Signs a certificate's content as it is issued; falls back to the one registered for the process. */
  readonly issuer?: CertificateIssuer | null;
}

type WithSeq<T> = T & { readonly eventSeq: number; readonly eventAt?: string };
type Effect<T extends CertificationEffect["type"]> = WithSeq<Extract<CertificationEffect, { type: T }>>;

/** A notification the host sends on its own (not a machine effect): the scheduler's "expiring soon". */
export interface HostNotification {
  readonly type: "effect.notify";
  readonly caseId: string;
  readonly topic: string;
  readonly to: { readonly organizationId: string; readonly userIds?: readonly string[]; readonly roles?: readonly string[] };
  readonly message: Bilingual;
}

export const LABEL_NAMES: Readonly<Record<LabelType, Bilingual>> = {
  CF: bi("碳足迹标识", "carbon footprint label"),
  LC: bi("低碳产品", "low-carbon product"),
  RC: bi("减碳产品", "reduced-carbon product"),
  CN: bi("碳中和产品", "carbon-neutral product"),
};

export const caseReference = (n: number) => `CL-${String(n).padStart(6, "0")}`;

export const EFFECT_HANDLERS: Readonly<Record<string, (ctx: EffectContext) => Promise<void>>> = {
  "effect.notify": notify,
  "email.send": sendEmail,
  "effect.issue_certificate": issueCertificate,
  "effect.certificate_status": certificateStatus,
  "effect.open_renewal_case": openRenewalCase,
};

async function notify({ trx, row, now }: EffectContext): Promise<void> {
  const effect = row.payload as unknown as HostNotification;
  const c = await caseForNotice(trx, effect.caseId);
  const userIds = effect.to.userIds?.filter(isUuid);
  if (userIds && userIds.length === 0) return;
  // Active members only: off-boarded people get no notifications or e-mails about cases any more.
  const users = await activeRecipients(trx, { organizationId: effect.to.organizationId, userIds, roles: effect.to.roles });
  if (users.length === 0) return;

  const label = LABEL_NAMES[c.label_type];
  const ref = caseReference(c.number);
  const message = bi(
    `${effect.message.zh}：${c.product_name_zh}（${label.zh}，${ref}）`,
    `${effect.message.en}: ${c.product_name_en} (${label.en}, ${ref})`,
  );
  await writeNotifications(trx, users, {
    organizationId: effect.to.organizationId,
    topic: effect.topic,
    caseId: effect.caseId,
    message,
    sourceKey: row.idempotency_key,
    // Dated by the event it reports, not by when a runner got to it.
    at: typeof row.payload.eventAt === "string" ? row.payload.eventAt : now,
    now,
  });
}

async function sendEmail({ trx, row, mailer }: EffectContext): Promise<void> {
  const mail = row.payload as { userId: string; to: string; subject: string; text: string };
  const logged = await logEmailOnce(trx, {
    idempotency_key: row.idempotency_key,
    user_id: mail.userId,
    to_address: mail.to,
    subject: mail.subject,
    body: mail.text,
    transport: mailer.transport,
  });
  // Sent inside the transaction: a failed send rolls the log row back and the row is retried.
  if (logged) await mailer.send({ to: mail.to, subject: mail.subject, text: mail.text, idempotencyKey: row.idempotency_key });
}

async function issueCertificate({ trx, row, issuer }: EffectContext): Promise<void> {
  const e = row.payload as unknown as Effect<"effect.issue_certificate">;
  const existing = await certificateOfCase(trx, e.caseId);
  if (existing) return;
  const c = await caseForIssue(trx, e.caseId);
  if (!c.cb_code) throw new Error(`certification body ${e.cbOrganizationId} has no code for certificate numbers`);
  const year = Number(e.issuedOn.slice(0, 4));
  // The counter row is locked until commit: two issues for one body, label and year take turns, and a rollback returns the number.
  const sequence = await nextCertificateSequence(trx, { cbOrganizationId: e.cbOrganizationId, labelType: e.labelType, year });
  const number = `${c.cb_code}-${e.labelType}-${year}-${String(sequence).padStart(6, "0")}`;
  // The signed content is made in this transaction too: no number ever exists without it.
  const signer = issuer ?? registeredCertificateIssuer();
  const signed = signer
    ? await signer.sign(trx, {
        caseId: e.caseId,
        number,
        labelType: e.labelType,
        cbOrganizationId: e.cbOrganizationId,
        productId: e.productId,
        pcr: e.pcr,
        declaredUnit: e.declaredUnit,
        verifiedKgCO2ePerDeclaredUnit: e.verifiedKgCO2ePerDeclaredUnit,
        grade: e.grade,
        issuedOn: e.issuedOn,
        validUntil: e.validUntil,
      })
    : null;
  // The certificate names what the body assessed: the case's identity as submitted, never the live rows.
  const identity = parseCaseIdentity(e.caseId, c.identity);
  await insertCertificate(trx, {
    number,
    ...(signed ? { payload: signed.payload, payload_sha256: signed.payloadSha256, key_id: signed.keyId, signature: signed.signature } : {}),
    ...(signed?.pdf ? { pdf: Buffer.from(signed.pdf), pdf_sha256: createHash("sha256").update(signed.pdf).digest("hex") } : {}),
    product_name_zh: identity.product.nameZh,
    product_name_en: identity.product.nameEn,
    product_model: identity.product.model,
    product_gtin: identity.product.gtin,
    holder_name_zh: identity.holder.nameZh,
    holder_name_en: identity.holder.nameEn,
    holder_credit_code: identity.holder.creditCode,
    case_id: e.caseId,
    cb_organization_id: e.cbOrganizationId,
    applicant_organization_id: c.applicant_organization_id,
    product_id: e.productId,
    label_type: e.labelType,
    pcr_code: e.pcr.code,
    pcr_version: e.pcr.version,
    declared_unit_quantity: toNumeric(e.declaredUnit.quantity),
    declared_unit: e.declaredUnit.unit,
    verified_value: toNumeric(e.verifiedKgCO2ePerDeclaredUnit),
    grade: e.grade,
    status_event_seq: e.eventSeq,
    // Valid since the grant, not since a runner got to it.
    ...(e.eventAt ? { status_changed_at: new Date(e.eventAt) } : {}),
    issued_on: e.issuedOn,
    valid_until: e.validUntil,
    decided_by: e.decidedBy,
  });
  if (c.renews_case_id) {
    // The renewed certificate replaces the old one; an old case that ended meanwhile stays as it is.
    try {
      await transition(trx, { caseId: c.renews_case_id, actor: HOST, event: { type: "SUPERSEDE", byCaseId: e.caseId }, at: e.eventAt });
    } catch (error) {
      if (!(error instanceof EventNotAllowedError)) throw error;
    }
  }
}

async function certificateStatus({ trx, row, now }: EffectContext): Promise<void> {
  const e = row.payload as unknown as Effect<"effect.certificate_status">;
  const certificate = await certificateOfCase(trx, e.caseId);
  // Issuing runs first in outbox order; until it has, a status change waits and is retried.
  if (!certificate) throw new Error(`case ${e.caseId} has no certificate yet: status ${e.status} waits for the issue`);
  // Dated by the event that changed it (suspension, expiry…), not by when a runner got to it.
  const at = e.eventAt ? new Date(e.eventAt) : now;
  const changed = await updateCertificateStatusIfNewer(trx, certificate.id, { status: e.status, reason: e.reason, eventSeq: e.eventSeq, at });
  if (!changed) return;
  // Records that cite this certificate as a supplier's hear of it (workflows/certificates/supply-chain.ts).
  if (isFlaggedStatus(e.status)) {
    await flagCitingRecords(trx, {
      certificateId: certificate.id,
      number: certificate.number,
      status: e.status,
      sourceKey: row.idempotency_key,
      now: at,
    });
  } else if (e.status === "valid") {
    await resolveFlags(trx, certificate.id, at);
  }
}

async function openRenewalCase({ trx, row }: EffectContext): Promise<void> {
  const e = row.payload as unknown as Effect<"effect.open_renewal_case">;
  const renewal = await renewedCaseOf(trx, e.newCaseId);
  if (!renewal || renewal.renews_case_id !== e.caseId) throw new Error(`renewal case ${e.newCaseId} of case ${e.caseId} is missing`);
}
