/**
 * Issuing: the signed content of a certificate, built when the issue effect runs (workflows/cases
 * effects, inside the transaction that numbers the certificate).
 *
 * The payload comes from the case (label type, the verifier's value, dates, claim and credits,
 * earlier certificates), the identity the applicant submitted (holder and product, ADR 0014), the
 * issuing body as registered, and the result stored when the application locked its inventory —
 * for the breakdowns, data quality and the versions and input hash it is stamped with. It is signed
 * with the body's key valid on the issue date, and the PDF is rendered from it once, here.
 */
import { createHash } from "node:crypto";
import type { Transaction } from "kysely";
import { restoreCase } from "../../../workflows/cases/index.ts";
import type { CertificateIssuer, CertificateToIssue, SignedContent } from "../../../workflows/certificates/issuer.ts";
import type { DB } from "../../../db/schema.ts";
import { caseForCertificatePayload } from "../../../db/repositories/cases.ts";
import { decimals, exact, percent, shownAgainst, sideOf, thresholdText } from "../../../rules/decimal.ts";
import { toDecimalString } from "../../../rules/format.ts";
import { gradeBand } from "../../../rules/labels/index.ts";
import { PCR_CATALOGUE, type Pcr } from "../../../rules/pcr/index.ts";
import type { CertificationContext } from "../../../workflows/certification/types.ts";
import { certificateDecimal, footprintFactsFromResult } from "../../../workflows/certificates/from-result.ts";
import type { KeyStore } from "../../../workflows/certificates/keys.ts";
import {
  canonicalPayload,
  CERTIFICATE_SCHEMA_ID,
  parseCertificatePayload,
  type CertificatePayload,
  type LabelFacts,
} from "../../../workflows/certificates/payload.ts";
import { signCertificate } from "../../../workflows/certificates/signing.ts";
import { parseCaseIdentity } from "../../../workflows/cases/identity.ts";
import { loadStoredFootprint } from "../../../workflows/footprints/stored.ts";
import { calculateStoredInventory, findInventory, toCalculatorInput } from "../inventories.server.ts";
import { certificatePdf } from "../../certificate-files/pdf.server.tsx";
import { publicOrigin } from "../../utils/public-origin.server.ts";
import { certificateKeyStore } from "./keys.server.ts";

export class CertificateContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CertificateContentError";
  }
}

/** The issuer the app hands to the outbox runner; `keys` defaults to the deployment's key store. */
export function appCertificateIssuer(keys?: () => KeyStore): CertificateIssuer {
  return {
    async sign(trx, certificate) {
      const payload = await buildCertificatePayload(trx, certificate);
      const store = (keys ?? certificateKeyStore)();
      const signed = signCertificate(payload, store.signingKey(payload.issuer.cbCode, payload.issuedOn));
      const text = canonicalPayload(signed.payload);
      // Rendered once, deterministically, from exactly what was signed: the registry keeps these bytes.
      const pdf = await certificatePdf(signed, { baseUrl: publicOrigin() });
      return {
        payload: text,
        payloadSha256: createHash("sha256").update(text, "utf8").digest("hex"),
        keyId: signed.signature.keyId,
        signature: signed.signature.value,
        pdf,
      } satisfies SignedContent;
    },
  };
}

/**
 * The footprint the case rests on: its stored result (ADR 0014). A case opened before results were
 * stored has none; for it alone the locked inventory is calculated again, as issuance always did.
 */
async function footprintOfCase(
  trx: Transaction<DB>,
  row: { id: string; result_id: string | null; applicant_organization_id: string; inventory_id: string },
) {
  if (row.result_id) {
    const stored = await loadStoredFootprint(trx, row.result_id);
    if (!stored) throw new CertificateContentError(`the stored result of case ${row.id} is missing`);
    return stored.result;
  }
  const inventory = await findInventory(trx, row.applicant_organization_id, row.inventory_id);
  if (!inventory) throw new CertificateContentError(`the inventory of case ${row.id} is missing`);
  return calculateStoredInventory(await toCalculatorInput(trx, row.applicant_organization_id, inventory));
}

/**
 * The certificate payload for a case being issued, read through the issuing transaction: the
 * identity as submitted and the stored result, never the live product, organization or calculator.
 */
export async function buildCertificatePayload(trx: Transaction<DB>, c: CertificateToIssue): Promise<CertificatePayload> {
  const row = await caseForCertificatePayload(trx, c.caseId);
  if (!row) throw new CertificateContentError(`case ${c.caseId} is missing`);
  if (!row.cb_code || !row.cnca_approval_number)
    throw new CertificateContentError(`the certification body of case ${c.caseId} has no body code or CNCA approval number`);
  const context = restoreCase(row).snapshot.context;
  const identity = parseCaseIdentity(c.caseId, row.identity);

  const facts = footprintFactsFromResult(await footprintOfCase(trx, row));
  const pcr = PCR_CATALOGUE.get(c.pcr.code, c.pcr.version);
  const verified = c.verifiedKgCO2ePerDeclaredUnit;
  const band = c.grade === null ? null : gradeBand(pcr, verified);
  const party = { name: { zh: identity.holder.nameZh, en: identity.holder.nameEn }, creditCode: identity.holder.creditCode };

  const identifiers = [
    ...(identity.product.gtin ? [{ scheme: "GTIN" as const, value: identity.product.gtin }] : []),
    ...(identity.product.internalCode ? [{ scheme: "internal" as const, value: identity.product.internalCode }] : []),
  ];
  return parseCertificatePayload({
    schema: CERTIFICATE_SCHEMA_ID,
    number: c.number,
    labelType: c.labelType,
    holder: party,
    producer: party,
    product: { name: { zh: identity.product.nameZh, en: identity.product.nameEn }, model: identity.product.model, identifiers },
    pcr: { code: pcr.code, version: pcr.version, name: pcr.name, contentSha256: facts.pcrContentSha256 },
    declaredUnit: { quantity: toDecimalString(c.declaredUnit.quantity), unit: c.declaredUnit.unit },
    // The verifier's value is what the body attests; the breakdowns are the stored result's.
    footprint: { value: certificateDecimal(verified), unit: "kgCO2e" },
    stages: facts.stages,
    gases: facts.gases,
    dataQuality: facts.dataQuality,
    grade: band?.grade ? { grade: band.grade, label: band.label, demonstration: band.demonstration } : null,
    labelFacts: labelFacts(c, pcr, context),
    versions: facts.versions,
    issuer: { cbCode: row.cb_code, name: { zh: row.cb_zh, en: row.cb_en }, approvalNumber: row.cnca_approval_number },
    issuedOn: c.issuedOn,
    validUntil: c.validUntil,
  });
}

/** The label-specific facts the body attests, from the case as decided. */
export function labelFacts(c: CertificateToIssue, pcr: Pcr, context: CertificationContext): LabelFacts {
  switch (c.labelType) {
    case "CF":
      return { type: "CF" };
    case "LC": {
      const benchmark = pcr.labels.lowCarbonBenchmark;
      if (!benchmark) throw new CertificateContentError(`${pcr.code} ${pcr.version} has no low-carbon benchmark`);
      return {
        type: "LC",
        benchmark: { value: toDecimalString(benchmark.kgCO2ePerDeclaredUnit), unit: "kgCO2e", demonstration: benchmark.demonstration },
      };
    }
    case "RC": {
      // The comparable earlier certificates the grant rested on (rules/labels evaluateReducedCarbonLabel), oldest first.
      const baselines = context.earlierCertificates
        .filter(
          (e) =>
            e.pcrCode === c.pcr.code &&
            e.declaredUnit.quantity === c.declaredUnit.quantity &&
            e.declaredUnit.unit === c.declaredUnit.unit &&
            e.issuedOn < c.issuedOn,
        )
        .sort((a, b) => a.issuedOn.localeCompare(b.issuedOn) || a.number.localeCompare(b.number));
      const previous = baselines.at(-1);
      if (baselines.length < 2 || !previous)
        throw new CertificateContentError(`a reduced-carbon certificate needs two earlier certificates; case ${c.caseId} has ${baselines.length}`);
      // Exactly as the decision compared it (rules/labels): decimal arithmetic, shown on the side it fell.
      const before = exact(previous.verifiedValue, "baseline.verifiedValue");
      const minimum = exact(pcr.labels.reducedCarbon.minimumReduction, "reducedCarbon.minimumReduction");
      const share = before.minus(exact(c.verifiedKgCO2ePerDeclaredUnit, "verifiedValue")).div(before);
      return {
        type: "RC",
        baselineCertificates: baselines.map((b) => ({ number: b.number, value: certificateDecimal(b.verifiedValue), issuedOn: b.issuedOn })),
        reductionPercent: shownAgainst(percent(share), percent(minimum), sideOf(share, minimum), decimals(2)),
        minimumReductionPercent: thresholdText(percent(minimum), 2),
        demonstrationMinimum: pcr.labels.reducedCarbon.demonstration,
      };
    }
    case "CN": {
      const claim = context.claim;
      if (!claim || context.credits.length === 0) throw new CertificateContentError(`case ${c.caseId} has no claim period or retired credits`);
      const unit = c.declaredUnit.quantity === 1 ? c.declaredUnit.unit : `${toDecimalString(c.declaredUnit.quantity)} ${c.declaredUnit.unit}`;
      const credits = [...context.credits].sort(
        (a, b) => a.registry.localeCompare(b.registry) || a.serialPrefix.localeCompare(b.serialPrefix) || a.first - b.first,
      );
      const retired = credits.reduce((sum, b) => sum + (b.last - b.first + 1), 0);
      // As the coverage decision compared them: exact tonnes, the emissions shown on the side they fell.
      const emissionsT = exact(c.verifiedKgCO2ePerDeclaredUnit, "verifiedValue").times(exact(claim.quantity, "claim.quantity")).div(1000);
      const retiredT = exact(retired, "credits");
      return {
        type: "CN",
        period: { start: claim.period.start, end: claim.period.end },
        quantity: { value: toDecimalString(claim.quantity), unit },
        emissions: { value: trimZeros(shownAgainst(emissionsT, retiredT, sideOf(emissionsT, retiredT), decimals(3))), unit: "tCO2e" },
        creditsRetired: { value: String(retired), unit: "tCO2e" },
        credits: credits.map((b) => ({
          registry: b.registry,
          programme: b.programme,
          serialPrefix: b.serialPrefix,
          first: String(b.first),
          last: String(b.last),
          vintage: String(b.vintage),
          retiredOn: b.retiredOn,
          quantity: String(b.last - b.first + 1),
        })),
      };
    }
  }
}

/** "5839.800" → "5839.8": the payload spells each decimal one way. */
function trimZeros(decimal: string): string {
  return decimal.includes(".") ? decimal.replace(/0+$/, "").replace(/\.$/, "") : decimal;
}
