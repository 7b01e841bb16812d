import type { ConformanceCheck } from "../types.ts";
import { cutOffCumulative, cutOffPerFlow, requiredStages, stageBoundary } from "./boundary.ts";
import { electricityAge, electricityBasis, electricityRegion } from "./electricity.ts";
import { dataQualityRating, demonstrationData, factorRegion, secondaryFactorAge } from "./factors.ts";
import { otherGwpSetFactors } from "./gwp-basis.ts";
import { greenCertificateCoverage, greenCertificateIds, greenCertificatesAllowed, greenCertificatesUnique } from "./green-certificates.ts";
import { declaredUnit, gwpSet, pcrVersion } from "./scope.ts";
import { supplierDeclaredFigures } from "./supplier-data.ts";
import { unusableLines } from "./unusable-lines.ts";

/** Every check, in the order the report lists their findings. */
export const CONFORMANCE_CHECKS: readonly ConformanceCheck[] = [
  pcrVersion,
  declaredUnit,
  gwpSet,
  otherGwpSetFactors,
  unusableLines,
  requiredStages,
  stageBoundary,
  cutOffPerFlow,
  cutOffCumulative,
  dataQualityRating,
  supplierDeclaredFigures,
  secondaryFactorAge,
  electricityAge,
  factorRegion,
  demonstrationData,
  electricityBasis,
  electricityRegion,
  greenCertificatesAllowed,
  greenCertificateIds,
  greenCertificateCoverage,
  greenCertificatesUnique,
];
