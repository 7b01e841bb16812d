import { bi } from "../../rules/i18n.ts";
import {
  evaluateCarbonFootprintLabel,
  evaluateCarbonNeutralLabel,
  evaluateLowCarbonLabel,
  evaluateReducedCarbonLabel,
  validUntil,
  type Criterion,
  type LabelDecision,
  type VerifiedFootprint,
} from "../../rules/labels/index.ts";
import { PCR_CATALOGUE, pcrKey, type Pcr } from "../../rules/pcr/index.ts";
import type { CertificationContext, GrantAssessment } from "./types.ts";

/**
 * What must hold before a decider may grant, computed from the case alone so the guard and the
 * decision page show the same thing. Label criteria come from rules/labels; the process criteria
 * (findings closed, on-site inspection done where required) are the workflow's own.
 */
export function assessGrant(context: CertificationContext, at: string): GrantAssessment {
  const label = assessLabel(context);
  const process = processCriteria(context);
  return { eligible: label.eligible && process.every((c) => c.passed), label, process, assessedAt: at };
}

export function openFindings(context: CertificationContext) {
  return context.findings.filter((f) => f.status !== "closed");
}

export function pcrOf(context: Pick<CertificationContext, "pcr">): Pcr | null {
  return PCR_CATALOGUE.has(context.pcr.code, context.pcr.version) ? PCR_CATALOGUE.get(context.pcr.code, context.pcr.version) : null;
}

/** Last day of validity of a certificate granted on `issuedOn` (label type and PCR decide the years). */
export function certificateValidUntil(context: CertificationContext, issuedOn: string): string {
  const pcr = pcrOf(context);
  if (!pcr) throw new Error(`PCR ${pcrKey(context.pcr)} is not in the catalogue`);
  return validUntil(context.labelType, pcr, issuedOn);
}

function processCriteria(context: CertificationContext): Criterion[] {
  const open = openFindings(context);
  const onsite = onsiteRequired(context);
  return [
    {
      id: "findings_closed",
      passed: open.length === 0,
      message:
        open.length === 0
          ? bi(`全部 ${context.findings.length} 项不符合项已关闭`, `All ${context.findings.length} finding(s) are closed`)
          : bi(
              `仍有 ${open.length} 项不符合项未关闭：${open.map((f) => f.id).join("、")}`,
              `${open.length} finding(s) still open: ${open.map((f) => f.id).join(", ")}`,
            ),
      values: { open: open.length, total: context.findings.length },
    },
    {
      id: "onsite_inspection",
      passed: !onsite || context.inspection !== null,
      message: !onsite
        ? bi("本案无需现场检查", "No on-site inspection is required for this case")
        : context.inspection
          ? bi(
              `已于 ${context.inspection.date} 在 ${context.inspection.site} 完成现场检查`,
              `On-site inspection done on ${context.inspection.date} at ${context.inspection.site}`,
            )
          : bi("要求现场检查，但尚无检查记录", "On-site inspection is required but not recorded"),
    },
  ];
}

/** RC always needs the site visit (seed 004); the other labels follow the case's flag. */
export function onsiteRequired(context: Pick<CertificationContext, "labelType" | "onsiteRequired">): boolean {
  return context.labelType === "RC" || context.onsiteRequired;
}

function assessLabel(context: CertificationContext): LabelDecision {
  const pcr = pcrOf(context);
  if (!pcr) {
    return {
      label: context.labelType,
      pcr: pcrKey(context.pcr),
      eligible: false,
      grade: null,
      criteria: [
        {
          id: "pcr_known",
          passed: false,
          message: bi(`产品种类规则 ${pcrKey(context.pcr)} 不存在`, `PCR ${pcrKey(context.pcr)} is not in the catalogue`),
        },
      ],
    };
  }
  const footprint: VerifiedFootprint | null = context.verification
    ? {
        productId: context.productId,
        pcr: context.pcr,
        declaredUnit: context.declaredUnit,
        kgCO2ePerDeclaredUnit: context.verification.kgCO2ePerDeclaredUnit,
        verifiedOn: context.verification.at.slice(0, 10),
      }
    : null;
  const conformancePassed = context.conformancePassed;
  switch (context.labelType) {
    case "CF":
      return evaluateCarbonFootprintLabel(pcr, { footprint, conformancePassed });
    case "LC":
      return evaluateLowCarbonLabel(pcr, { footprint, conformancePassed });
    case "RC": {
      // The CF evaluation stands in while nothing is verified: it reports the missing footprint.
      if (!footprint) return { ...evaluateCarbonFootprintLabel(pcr, { footprint, conformancePassed }), label: "RC", eligible: false };
      const earlier: VerifiedFootprint[] = context.earlierCertificates.map((c) => ({
        certificateNumber: c.number,
        productId: context.productId,
        pcr: { code: c.pcrCode, version: "" },
        declaredUnit: c.declaredUnit,
        kgCO2ePerDeclaredUnit: c.verifiedValue,
        verifiedOn: c.issuedOn,
      }));
      const reductionReportPresent = context.attachments.some((a) => a.kind === "reduction_measures_report");
      return evaluateReducedCarbonLabel(pcr, { current: footprint, earlier, reductionReportPresent, conformancePassed });
    }
    case "CN": {
      const managementPlanPresent = context.attachments.some((a) => a.kind === "management_plan");
      if (!footprint || !context.claim) {
        const base = evaluateCarbonFootprintLabel(pcr, { footprint, conformancePassed });
        const missing: Criterion[] = context.claim
          ? []
          : [{ id: "claim_period", passed: false, message: bi("尚未申报核算期与产量", "The claim period and quantity are not declared") }];
        return { ...base, label: "CN", eligible: false, grade: null, criteria: [...base.criteria, ...missing] };
      }
      return evaluateCarbonNeutralLabel(pcr, {
        footprint,
        period: context.claim.period,
        quantity: context.claim.quantity,
        credits: context.credits,
        managementPlanPresent,
        conformancePassed,
      });
    }
  }
}
